// Validators for the official schemas Marque's outputs must satisfy.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';
import { ROOT } from './paths.ts';

const addFormats = addFormatsModule as unknown as (a: Ajv) => void;
const load = (f: string) => JSON.parse(readFileSync(join(ROOT, 'schemas', 'external', f), 'utf8'));

export { cycloneDx16Schema as cycloneDx16, spdx23Schema as spdx23 } from '../../src/formats/official-schemas.ts';
import { cycloneDx16Schema } from '../../src/formats/official-schemas.ts';

const validators = new Map<string, ValidateFunction>();

/** OpenVEX 0.2 and CSAF 2.0 use JSON Schema 2020-12; SARIF 2.1.0 uses draft-04. */
export async function exportValidator(format: 'openvex' | 'csaf' | 'sarif' | 'cyclonedx'): Promise<ValidateFunction> {
  if (format === 'cyclonedx') return cycloneDx16Schema();
  let v = validators.get(format);
  if (v) return v;
  if (format === 'sarif') {
    const { default: AjvDraft04 } = await import('ajv-draft-04');
    const ajv = new (AjvDraft04 as unknown as typeof Ajv)({ strict: false, allErrors: true });
    addFormats(ajv);
    v = ajv.compile(load('sarif-2.1.0.schema.json'));
  } else {
    const { Ajv2020 } = await import('ajv/dist/2020.js');
    const ajv = new Ajv2020({ strict: false, allErrors: true });
    addFormats(ajv as unknown as Ajv);
    if (format === 'csaf') {
      // FIRST's CVSS 2.0/3.0 schemas declare draft-04; their keywords read the same under 2020-12.
      for (const c of ['cvss-v2.0', 'cvss-v3.0', 'cvss-v3.1']) {
        const { $schema: _drop, id: _id, ...schema } = load(`${c}.json`);
        ajv.addSchema(schema, `https://www.first.org/cvss/${c}.json`);
      }
      v = ajv.compile(load('csaf-2.0.schema.json'));
    } else {
      v = ajv.compile(load('openvex-0.2.schema.json'));
    }
  }
  validators.set(format, v);
  return v;
}
