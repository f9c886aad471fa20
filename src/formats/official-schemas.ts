// The official CycloneDX 1.6 and SPDX 2.3 JSON Schemas (schemas/external/), compiled once on first
// use: Marque's own SBOMs are tested against them, and the team server validates uploads with them.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ValidateFunction } from 'ajv';
import { PACKAGE_ROOT } from '../api/defaults.ts';
import { addFormats, ajvModule } from '../util/lazy.ts';

const load = (f: string) => JSON.parse(readFileSync(join(PACKAGE_ROOT, 'schemas', 'external', f), 'utf8')) as object;

let cdx: ValidateFunction | undefined;
let spdx: ValidateFunction | undefined;

export function cycloneDx16Schema(): ValidateFunction {
  if (!cdx) {
    const ajv = new (ajvModule().Ajv)({ strict: false, allErrors: true });
    addFormats(ajv);
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
