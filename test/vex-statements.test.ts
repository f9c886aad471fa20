// VEX decisions read from files apply only to the products they name: a statement about another BOM's
// component, another version or no product at all never decides a finding of this product.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { applies, readVexFile } from '../src/vex/statements.ts';
import { FIXTURES } from './helpers/paths.ts';

const dir = mkdtempSync(join(tmpdir(), 'marque-vex-statements-'));
const JACKSON = 'pkg:maven/com.fasterxml.jackson.core/jackson-databind';
const LOG4J = 'pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1?type=jar';

test('a CycloneDX BOM-Link names its BOM\'s component: jackson-databind 2.10.0 of that BOM, not 2.9.8 of this product', async () => {
  const [s] = await readVexFile(join(FIXTURES, 'vex-cyclonedx', 'bom-link-vex.json'));
  assert.equal(s!.status, 'not_affected');
  assert.deepEqual(s!.products, [`${JACKSON}@2.10.0?type=jar`]);
  assert.equal(applies(s!, `${JACKSON}@2.9.8?type=jar`, ['CVE-2020-25649']), false, 'another version: not decided by this statement');
  assert.equal(applies(s!, `${JACKSON}@2.10.0?type=jar`, ['CVE-2020-25649']), true);
});

test('CISA case 8: statements about products ABC and JKL of other BOMs decide nothing about this product\'s log4j', async () => {
  const statements = await readVexFile(join(FIXTURES, 'vex-cyclonedx', 'cisa-case-8-vex.json'));
  assert.equal(statements.length, 8);
  for (const s of statements) {
    assert.deepEqual(s.products, []);
    assert.ok(s.unmatched?.some((u) => /^urn:cdx:.*#product-(ABC|JKL)$/.test(u)), JSON.stringify(s.unmatched));
    assert.equal(applies(s, LOG4J, ['CVE-2021-44228', 'CVE-2021-45105']), false, s.source);
  }
});

test('CycloneDX affects[].versions narrow a statement: exact versions apply, a vers range and a contradicting status do not', async () => {
  const file = join(dir, 'versions.cdx.json');
  writeFileSync(file, JSON.stringify({
    bomFormat: 'CycloneDX', specVersion: '1.6', version: 1,
    vulnerabilities: [{
      id: 'CVE-2021-44228', analysis: { state: 'not_affected', justification: 'code_not_present' },
      affects: [{ ref: 'pkg:maven/org.apache.logging.log4j/log4j-core?type=jar', versions: [
        { version: '2.17.1', status: 'unaffected' }, { version: '2.14.1', status: 'affected' }, { range: 'vers:maven/>=2.0|<2.15.0', status: 'unaffected' },
      ] }],
    }],
  }));
  const [s] = await readVexFile(file);
  assert.deepEqual(s!.products, ['pkg:maven/org.apache.logging.log4j/log4j-core@2.17.1?type=jar']);
  assert.deepEqual(s!.unmatched, ['pkg:maven/org.apache.logging.log4j/log4j-core?type=jar vers:maven/>=2.0|<2.15.0']);
  assert.equal(applies(s!, LOG4J, ['CVE-2021-44228']), false, '2.14.1 is listed as affected, and the range is not evaluated');
  assert.equal(applies(s!, 'pkg:maven/org.apache.logging.log4j/log4j-core@2.17.1?type=jar', ['CVE-2021-44228']), true);
});

test('a statement in a file that names no product applies to nothing (OpenVEX: a statement needs a product), and says so', async () => {
  const openvex = join(dir, 'no-product.openvex.json');
  writeFileSync(openvex, JSON.stringify({
    '@context': 'https://openvex.dev/ns/v0.2.0', '@id': 'https://example.com/vex/3', author: 'Someone else', timestamp: '2026-11-20T00:00:00Z', version: 1,
    statements: [{ vulnerability: { name: 'CVE-2021-44228' }, status: 'not_affected', justification: 'vulnerable_code_not_present' }],
  }));
  const [o] = await readVexFile(openvex);
  assert.equal(applies(o!, LOG4J, ['CVE-2021-44228']), false);
  assert.match(o!.unmatched!.join(), /no product/);
  const cdx = join(dir, 'no-affects.cdx.json');
  writeFileSync(cdx, JSON.stringify({ bomFormat: 'CycloneDX', specVersion: '1.6', version: 1, vulnerabilities: [{ id: 'CVE-2021-44228', analysis: { state: 'not_affected', justification: 'code_not_present' } }] }));
  const [c] = await readVexFile(cdx);
  assert.equal(applies(c!, LOG4J, ['CVE-2021-44228']), false);
});

test('an impact statement that says nothing ("N/A", "TODO") does not justify not_affected', async () => {
  for (const impact of ['N/A', 'none', 'TODO: explain', '']) {
    const file = join(dir, 'impact.openvex.json');
    writeFileSync(file, JSON.stringify({ '@context': 'https://openvex.dev/ns/v0.2.0', '@id': 'https://example.com/vex/4', author: 'A', timestamp: '2026-11-20T00:00:00Z', version: 1,
      statements: [{ vulnerability: { name: 'CVE-2021-44228' }, products: [{ '@id': LOG4J }], status: 'not_affected', impact_statement: impact }] }));
    await assert.rejects(readVexFile(file), /needs a justification .* or an impact statement/, impact);
  }
});
