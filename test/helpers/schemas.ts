// Validators for the official schemas Marque's outputs must satisfy.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';
import { ROOT } from './paths.ts';

const addFormats = addFormatsModule as unknown as (a: Ajv) => void;
const load = (f: string) => JSON.parse(readFileSync(join(ROOT, 'schemas', 'external', f), 'utf8'));

let cdx: ValidateFunction | undefined;
let spdx: ValidateFunction | undefined;

export function cycloneDx16(): ValidateFunction {
  if (!cdx) {
    const ajv = new Ajv({ strict: false, allErrors: true });
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

export function spdx23(): ValidateFunction {
  if (!spdx) {
    const ajv = new Ajv({ strict: false, allErrors: true });
    addFormats(ajv);
    spdx = ajv.compile(load('spdx-2.3.schema.json'));
  }
  return spdx;
}
