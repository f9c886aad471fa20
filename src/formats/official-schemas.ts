// The official CycloneDX 1.6 and SPDX 2.3 JSON Schemas (schemas/external/), compiled once on first
// use: Marque's own SBOMs are tested against them, and the team server validates uploads with them.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ValidateFunction } from 'ajv';
import { PACKAGE_ROOT } from '../api/defaults.ts';
import { addFormats, ajvModule } from '../util/lazy.ts';

const load = (f: string) => linearUniqueItems(JSON.parse(readFileSync(join(PACKAGE_ROOT, 'schemas', 'external', f), 'utf8'))) as object;

/**
 * Ajv checks "uniqueItems" on arrays of objects by comparing every pair (fast-deep-equal): a
 * 20,000-component SBOM took 15 s. The same rule is checked here in linear time, by a set of each
 * item's canonical JSON (keys sorted, so that key order does not make two equal items differ).
 */
function linearUniqueItems(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(linearUniqueItems);
  if (!schema || typeof schema !== 'object') return schema;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(schema)) {
    if (k === 'uniqueItems' && v === true) out['marqueUniqueItems'] = true;
    else out[k] = k === 'enum' || k === 'const' || k === 'examples' || k === 'default' ? v : linearUniqueItems(v);
  }
  return out;
}

function canonical(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonical).join(',')}]`;
  if (v && typeof v === 'object') return `{${Object.keys(v).sort().map((k) => `${JSON.stringify(k)}:${canonical((v as Record<string, unknown>)[k])}`).join(',')}}`;
  return JSON.stringify(v);
}

function withLinearUniqueItems(ajv: import('ajv').Ajv): void {
  const unique = (on: boolean, data: unknown[]): boolean => {
    unique.errors = [];
    if (!on) return true;
    const seen = new Map<string, number>();
    for (const [i, item] of data.entries()) {
      const key = canonical(item);
      const j = seen.get(key);
      if (j !== undefined) {
        unique.errors = [{ keyword: 'uniqueItems', message: `must NOT have duplicate items (items ## ${j} and ${i} are identical)`, params: { i, j } }];
        return false;
      }
      seen.set(key, i);
    }
    return true;
  };
  unique.errors = [] as { keyword: string; message: string; params: Record<string, unknown> }[];
  ajv.addKeyword({ keyword: 'marqueUniqueItems', type: 'array', schemaType: 'boolean', validate: unique });
}

let cdx: ValidateFunction | undefined;
let spdx: ValidateFunction | undefined;

export function cycloneDx16Schema(): ValidateFunction {
  if (!cdx) {
    const ajv = new (ajvModule().Ajv)({ strict: false, allErrors: true });
    addFormats(ajv);
    withLinearUniqueItems(ajv);
    // Formats the CycloneDX schema uses that ajv-formats does not define: checked as strings.
    ajv.addFormat('idn-email', true);
    ajv.addFormat('iri-reference', true);
    ajv.addSchema(load('spdx.schema.json'), 'spdx.schema.json');
    ajv.addSchema(load('jsf-0.82.schema.json'), 'jsf-0.82.schema.json');
    cdx = ajv.compile(load('bom-1.6.schema.json'));
  }
  return cdx;
}

export function spdx23Schema(): ValidateFunction {
  if (!spdx) {
    const ajv = new (ajvModule().Ajv)({ strict: false, allErrors: true });
    addFormats(ajv);
    withLinearUniqueItems(ajv);
    spdx = ajv.compile(load('spdx-2.3.schema.json'));
  }
  return spdx;
}

/**
 * An SBOM checked against its official schema where Marque has that version's (CycloneDX 1.6,
 * SPDX 2.3): the first error, or undefined; `checked` says whether a schema applied at all.
 */
export function officialSchemaError(doc: Record<string, unknown>): { checked: boolean; error?: string } {
  const v = doc['bomFormat'] === 'CycloneDX' && doc['specVersion'] === '1.6' ? cycloneDx16Schema()
    : doc['spdxVersion'] === 'SPDX-2.3' ? spdx23Schema() : undefined;
  if (!v) return { checked: false };
  if (v(doc)) return { checked: true };
  const e = v.errors![0]!;
  return { checked: true, error: `${e.instancePath || '(top level)'}: ${e.message ?? 'invalid'}` };
}
