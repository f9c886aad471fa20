// The structure each reader relies on, checked before it reads: a field of the wrong type (a
// number where a version string belongs, null where a package belongs) is an error that names the
// field, never a JavaScript TypeError. The schemas state only what Marque reads; other fields pass.
import type { ErrorObject } from 'ajv';
import { validator, type ValidatorSpec } from '../../util/validators.ts';
import { InputError } from '../../util/errors.ts';
import { chainDeeperThan, MAX_NESTING } from '../../util/json.ts';

const str = { type: 'string' };
const strMap = { type: 'object', additionalProperties: str };
const strList = { type: 'array', items: str };

export const SHAPES = {
  'package-lock.json': {
    type: 'object',
    properties: {
      name: str, version: str,
      packages: {
        type: 'object',
        additionalProperties: {
          type: 'object',
          properties: {
            name: str, version: str, resolved: str, integrity: str, link: { type: 'boolean' }, dev: { type: 'boolean' }, optional: { type: 'boolean' },
            devOptional: { type: 'boolean' }, license: { anyOf: [str, { type: 'object' }, { type: 'array' }] },
            dependencies: strMap, devDependencies: strMap, optionalDependencies: strMap, peerDependencies: strMap,
            peerDependenciesMeta: { type: 'object', additionalProperties: { type: 'object' } },
          },
        },
      },
    },
  },
  'Pipfile.lock': {
    type: 'object',
    properties: Object.fromEntries(['default', 'develop'].map((k) => [k, { type: 'object', additionalProperties: { type: 'object', properties: { version: str, hashes: strList, markers: str } } }])),
  },
  'poetry.lock': {
    type: 'object',
    properties: { package: { type: 'array', items: { type: 'object', required: ['name'], properties: { name: str, version: str, optional: { type: 'boolean' }, dependencies: { type: 'object' } } } } },
  },
  'pdm.lock': {
    type: 'object',
    properties: {
      metadata: { type: 'object', properties: { groups: strList, files: { type: 'object', additionalProperties: { $ref: '#/$defs/files' } } } },
      package: {
        type: 'array',
        items: {
          type: 'object', required: ['name'],
          properties: {
            name: str, version: str, extras: strList, groups: strList, sections: strList, marker: str,
            dependencies: { anyOf: [strList, { type: 'object' }] }, files: { $ref: '#/$defs/files' },
            git: str, hg: str, svn: str, bzr: str, ref: str, revision: str, path: str, url: str,
          },
        },
      },
    },
    $defs: { files: { type: 'array', items: { type: 'object', properties: { file: str, url: str, hash: str } } } },
  },
  'uv.lock': {
    type: 'object',
    properties: {
      package: {
        type: 'array',
        items: {
          type: 'object', required: ['name'],
          properties: {
            name: str, version: str, source: { type: 'object' }, sdist: { type: 'object', properties: { url: str, hash: str } },
            dependencies: { $ref: '#/$defs/deps' },
            'optional-dependencies': { type: 'object', additionalProperties: { $ref: '#/$defs/deps' } },
            'dev-dependencies': { type: 'object', additionalProperties: { $ref: '#/$defs/deps' } },
          },
        },
      },
    },
    $defs: { deps: { type: 'array', items: { type: 'object', required: ['name'], properties: { name: str, version: str, marker: str } } } },
  },
  'Cargo.lock': {
    type: 'object',
    properties: { package: { type: 'array', items: { type: 'object', required: ['name', 'version'], properties: { name: str, version: str, source: str, dependencies: strList } } } },
  },
  CycloneDX: {
    type: 'object',
    properties: {
      metadata: { type: 'object', properties: { component: { $ref: '#/$defs/component' } } },
      components: { type: 'array', items: { $ref: '#/$defs/component' } },
      dependencies: { type: 'array', items: { type: 'object', properties: { ref: str, dependsOn: strList } } },
    },
    $defs: {
      component: {
        type: 'object',
        properties: {
          name: str, version: str, group: str, 'bom-ref': str, scope: str, description: str,
          components: { type: 'array', items: { $ref: '#/$defs/component' } },
          hashes: { type: 'array', items: { type: 'object' } }, licenses: { type: 'array', items: { type: 'object' } },
          externalReferences: { type: 'array', items: { type: 'object' } },
        },
      },
    },
  },
  SPDX: {
    type: 'object',
    properties: {
      documentDescribes: strList,
      packages: { type: 'array', items: { type: 'object', required: ['SPDXID'], properties: { SPDXID: str, name: str, versionInfo: str, supplier: str, downloadLocation: str, homepage: str, externalRefs: { type: 'array', items: { type: 'object' } }, checksums: { type: 'array', items: { type: 'object' } } } } },
      relationships: { type: 'array', items: { type: 'object', properties: { spdxElementId: str, relationshipType: str, relatedSpdxElement: str } } },
    },
  },
} as const;

/** One validator per format, compiled at build time (src/util/validators.ts). */
export function shapeValidator(format: keyof typeof SHAPES): ValidatorSpec {
  return { name: `shape-${format.replace(/[^A-Za-z0-9.-]/g, '_')}`, schema: () => SHAPES[format], options: { allErrors: false, strict: false } };
}

function describe(e: ErrorObject): string {
  const where = e.instancePath ? e.instancePath.slice(1).split('/').map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~')).join(' › ') : '(top level)';
  return `${where}: ${e.message ?? 'invalid'}`;
}

/** Throws an InputError naming the first field that does not have the type the format gives it. */
export function checkShape(format: keyof typeof SHAPES, data: unknown, file: string): void {
  // The validator recurses with the document (CycloneDX components hold components): bounded first.
  if (format === 'CycloneDX' && data && typeof data === 'object') {
    const d = data as Record<string, unknown>;
    const meta = d['metadata'] as Record<string, unknown> | undefined;
    if (chainDeeperThan(d['components'], 'components') || chainDeeperThan(meta?.['component'] ? [meta['component']] : [], 'components')) {
      throw new InputError(`not a CycloneDX SBOM Marque reads: components nested more than ${MAX_NESTING} deep`, file);
    }
  }
  const validate = validator(shapeValidator(format));
  if (!validate(data)) throw new InputError(`not a valid ${format}: ${describe(validate.errors![0]!)}`, file);
}
