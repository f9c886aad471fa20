// The official schemas as the server applies them: "uniqueItems" is checked in linear time by
// Marque's own keyword, with the meaning JSON Schema gives it (equal items, whatever their key order).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { officialSchemaError } from '../src/formats/official-schemas.ts';
import { FIXTURES } from './helpers/paths.ts';

const bom = (components: unknown[]) => ({ bomFormat: 'CycloneDX', specVersion: '1.6', version: 1, components });
const c = { type: 'library', name: 'a', version: '1', 'bom-ref': 'x' };

test('uniqueItems: equal items are refused whatever their key order; distinct items pass', () => {
  assert.match(officialSchemaError(bom([c, { version: '1', 'bom-ref': 'x', name: 'a', type: 'library' }])).error ?? '', /\/components: must NOT have duplicate items \(items ## 0 and 1/);
  assert.equal(officialSchemaError(bom([c, { ...c, 'bom-ref': 'y' }])).error, undefined);
});

test('real CycloneDX 1.6 SBOMs: a valid one passes, one with a bad serial number is found out', () => {
  const read = (f: string) => JSON.parse(readFileSync(join(FIXTURES, 'sboms', f), 'utf8'));
  assert.deepEqual(officialSchemaError(read('cdx-1-6-valid-sbom.cdx.json')), { checked: true });
  assert.match(officialSchemaError(read('vulnerable-log4j.cdx.json')).error ?? '', /^\/serialNumber: must match pattern/);
  assert.match(officialSchemaError({ ...bom([{ ...c, type: 'not-a-type' }]) }).error ?? '', /\/components\/0\/type/);
});
