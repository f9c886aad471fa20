import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FIXTURES, ROOT } from './helpers/paths.ts';

function marque(...args: string[]) {
  const r = spawnSync(process.execPath, [join(ROOT, 'bin/marque.js'), ...args], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

const dir = mkdtempSync(join(tmpdir(), 'marque-vulns-'));
const db = join(dir, 'adv.sqlite');
const product = join(dir, 'panel');
cpSync(join(FIXTURES, 'npm-exploited'), product, { recursive: true });

test('db import and status, with --json', () => {
  const imp = marque('db', 'import', join(FIXTURES, 'osv/ghsa'), join(FIXTURES, 'kev/known_exploited_vulnerabilities.json'), '--db', db, '--json');
  assert.equal(imp.code, 0, imp.err);
  assert.deepEqual(JSON.parse(imp.out).imported.map((r: { records: number }) => r.records), [5, 1404]);
  const st = JSON.parse(marque('db', 'status', '--db', db, '--json').out);
  assert.equal(st.counts.advisories, 5);
  assert.equal(marque('db', 'status', '--db', join(dir, 'none.sqlite')).code, 2);
  assert.equal(marque('db', 'import', '--db', db).code, 2);
});

test('vulns --json follows the contract; exploited first; --fail-on exploited exits 1', () => {
  const r = marque('vulns', product, '--db', db, '--json', '--aware-at', '2026-11-20T08:00:00Z', '--now', '2026-11-20T12:00:00Z', '--fail-on', 'exploited');
  assert.equal(r.code, 1, r.err);
  const j = JSON.parse(r.out);
  const f = j.findings[0];
  for (const k of ['component', 'advisory', 'aliases', 'severity', 'fixedIn', 'exploited', 'kev', 'status', 'justification', 'clock']) assert.ok(k in f, k);
  assert.equal(f.component, 'pkg:npm/systeminformation@5.3.0');
  assert.equal(f.exploited, true);
  assert.deepEqual(f.clock.overdue, []);
  assert.equal(f.clock.earlyWarningDue, '2026-11-21T08:00:00.000Z');
  assert.equal(marque('vulns', product, '--db', db, '--fail-on', 'critical').code, 0, 'a moderate finding does not fail "critical"');
  assert.equal(marque('vulns', product, '--db', db, '--fail-on', 'nonsense').code, 2);
});

test('the stored moment of awareness survives runs; the human output says what is overdue', () => {
  // Without marque.yaml the folder's name is no identity: awareness is not kept, and the command says so.
  const anonymous = marque('vulns', product, '--db', db, '--json');
  assert.match(anonymous.err, /moment of awareness is not recorded.*--product NAME@VERSION/);
  const first = JSON.parse(marque('vulns', product, '--db', db, '--json', '--product', 'panel@0.9.0').out).findings[0].clock.awareAt;
  const second = JSON.parse(marque('vulns', product, '--db', db, '--json', '--product', 'panel@0.9.0').out).findings[0].clock.awareAt;
  assert.equal(first, second);
  const later = marque('vulns', product, '--db', db, '--product', 'panel@0.9.0', '--now', new Date(Date.parse(first) + 30 * 3_600_000).toISOString());
  assert.match(later.out, /early warning\s+due .*OVERDUE/);
  assert.match(later.out, /Art\. 14\(2\)\(a\)/);
});

test('VEX from marque.yaml and from OpenVEX; a not_affected without justification is refused', () => {
  writeFileSync(join(product, 'marque.yaml'), 'product:\n  name: panel\n  version: 0.9.0\nvex:\n  - vulnerability: CVE-2021-21315\n    products: [pkg:npm/systeminformation]\n    status: not_affected\n    justification: vulnerable_code_not_in_execute_path\n');
  const ok = JSON.parse(marque('vulns', product, '--db', db, '--json').out);
  assert.equal(ok.findings[0].status, 'not_affected');
  assert.equal(ok.findings[0].clock, null);
  writeFileSync(join(product, 'marque.yaml'), 'product:\n  name: panel\n  version: 0.9.0\nvex:\n  - vulnerability: CVE-2021-21315\n    status: not_affected\n');
  const bad = marque('vulns', product, '--db', db);
  assert.equal(bad.code, 2);
  assert.match(bad.err, /marque\.yaml:5:\d+: vex\.0/);
  writeFileSync(join(product, 'marque.yaml'), 'product:\n  name: panel\n  version: 0.9.0\n');
  const openvex = join(dir, 'panel.openvex.json');
  writeFileSync(openvex, JSON.stringify({
    '@context': 'https://openvex.dev/ns/v0.2.0', '@id': 'https://example.com/vex/1', author: 'Example', timestamp: '2026-11-20T00:00:00Z', version: 1,
    statements: [{ vulnerability: { name: 'GHSA-2m8v-572m-ff2v' }, products: [{ '@id': 'pkg:npm/systeminformation@5.3.0' }], status: 'fixed' }],
  }));
  assert.equal(JSON.parse(marque('vulns', product, '--db', db, '--json', '--vex', openvex).out).findings[0].status, 'fixed');
});

test('vulns --format writes each exchange format; -o writes a file', () => {
  writeFileSync(join(product, 'marque.yaml'), 'product:\n  name: panel\n  version: 0.9.0\n');
  const anonymous = marque('vulns', product, '--db', db, '--format', 'csaf');
  assert.equal(anonymous.code, 2, 'a VEX document never names an "unknown manufacturer"');
  assert.match(anonymous.err, /set product\.manufacturer in marque\.yaml/);
  writeFileSync(join(product, 'marque.yaml'), 'product:\n  name: panel\n  version: 0.9.0\n  manufacturer:\n    name: Example Robotics GmbH\n    url: https://robotics.example\n');
  for (const [format, key] of [['openvex', 'statements'], ['sarif', 'runs'], ['csaf', 'vulnerabilities'], ['cyclonedx', 'vulnerabilities']] as const) {
    const r = marque('vulns', product, '--db', db, '--format', format);
    assert.equal(r.code, 0, r.err);
    assert.ok(Array.isArray(JSON.parse(r.out)[key]), format);
  }
  const out = join(dir, 'panel.sarif');
  assert.equal(marque('vulns', product, '--db', db, '--format', 'sarif', '-o', out).code, 0);
  assert.equal(JSON.parse(readFileSync(out, 'utf8')).version, '2.1.0');
  assert.equal(marque('vulns', product, '--db', db, '--format', 'pdf').code, 2);
});

test('report-clock drafts the three Art. 14(2) stages with citations, gaps and the declared Member States', () => {
  writeFileSync(join(product, 'marque.yaml'), 'product:\n  name: panel\n  version: 0.9.0\n  manufacturer:\n    name: Example Robotics GmbH\nmarket:\n  mainEstablishment: DE\n  memberStates: [DE, FR, NL]\n');
  const r = marque('report-clock', 'CVE-2021-21315', product, '--db', db, '--json', '--aware-at', '2026-11-20T08:00:00Z', '--now', '2026-11-21T09:00:00Z');
  assert.equal(r.code, 0, r.err);
  const j = JSON.parse(r.out);
  assert.deepEqual(j.drafts.map((d: { stage: string; cite: string }) => [d.stage, d.cite]), [['early-warning', 'Art. 14(2)(a)'], ['notification', 'Art. 14(2)(b)'], ['final-report', 'Art. 14(2)(c)']]);
  assert.equal(j.drafts[0].overdue, true);
  assert.equal(j.drafts[0].fields[0].value, 'DE, FR, NL');
  assert.match(j.drafts[0].channel.text, /main establishment: DE/);
  assert.ok(j.drafts[1].fields.some((f: { gap: boolean }) => f.gap), 'what Marque cannot know is marked as a gap');
  const md = marque('report-clock', 'GHSA-2m8v-572m-ff2v', product, '--db', db);
  assert.match(md.out, /## Early warning \(Art\. 14\(2\)\(a\)\)/);
  assert.equal(marque('report-clock', 'CVE-0000-0000', product, '--db', db).code, 2);
  assert.match(marque('report-clock', 'CVE-2021-21315', product, '--db', db, '--now', 'soon').err, /--now must be an ISO 8601 time/);
  writeFileSync(join(product, 'marque.yaml'), 'product:\n  name: panel\n  version: 0.9.0\nmarket:\n  mainEstablishment: XX\n');
  assert.match(marque('report-clock', 'CVE-2021-21315', product, '--db', db).err, /marque\.yaml:5:\d+: market\.mainEstablishment/);
});

test('CycloneDX VEX decisions apply, including one Marque wrote itself', () => {
  writeFileSync(join(product, 'marque.yaml'), 'product:\n  name: panel\n  version: 0.9.0\n');
  const cdx = JSON.parse(marque('vulns', product, '--db', db, '--format', 'cyclonedx').out);
  cdx.vulnerabilities[0].analysis = { state: 'not_affected', justification: 'code_not_reachable', detail: 'The affected function is never called.' };
  const file = join(dir, 'panel.cdx-vex.json');
  writeFileSync(file, JSON.stringify(cdx));
  const f = JSON.parse(marque('vulns', product, '--db', db, '--json', '--vex', file).out).findings[0];
  assert.equal(f.status, 'not_affected');
  assert.equal(f.justification, 'vulnerable_code_not_in_execute_path');
});

test('vulns --format markdown is a pull-request comment: open and exploited first, one clock per vulnerability, singular right', () => {
  writeFileSync(join(product, 'marque.yaml'), 'product:\n  name: panel\n  version: 0.9.0\n');
  const r = marque('vulns', product, '--db', db, '--format', 'markdown', '--aware-at', '2026-11-20T08:00:00Z', '--now', '2026-11-21T12:00:00Z');
  assert.equal(r.code, 0, r.err);
  assert.match(r.out, /^### Marque: known vulnerabilities of panel 0\.9\.0/);
  assert.match(r.out, /\*\*1 known vulnerability matched in 1 component \(1 actively exploited\); open: 1 in 1 component\.\*\*/);
  assert.match(r.out, /\| GHSA-2m8v-572m-ff2v \| `pkg:npm\/systeminformation@5\.3\.0` \| 2026-11-20T08:00:00\.000Z \| 2026-11-21T08:00:00\.000Z \*\*OVERDUE\*\*/);
  const human = marque('vulns', product, '--db', db);
  assert.match(human.out, /1 known vulnerability matched in 1 component \(1 actively exploited\)/);
  assert.equal((human.out.match(/Reporting clock/g) ?? []).length, 1);
});

test('no finding: no empty table, and the sentence says what was checked', () => {
  const empty = join(dir, 'empty');
  cpSync(join(FIXTURES, 'lockfiles/cargo'), empty, { recursive: true });
  const r = marque('vulns', empty, '--db', db);
  assert.doesNotMatch(r.out, /SCORE\s+ADVISORY/);
  assert.match(r.out, /^0 known vulnerabilities matched/m);
});

test('an OpenVEX product named by a CPE never aborts vulns: it is said not to apply, and identifiers.purl is used when given', () => {
  writeFileSync(join(product, 'marque.yaml'), 'product:\n  name: panel\n  version: 0.9.0\n');
  const vex = (products: unknown[]) => {
    const file = join(dir, `cpe-${products.length}.openvex.json`);
    writeFileSync(file, JSON.stringify({ '@context': 'https://openvex.dev/ns/v0.2.0', '@id': 'https://example.com/vex/2', author: 'A', timestamp: '2026-11-20T00:00:00Z', version: 1,
      statements: [{ vulnerability: { name: 'GHSA-2m8v-572m-ff2v' }, products, status: 'fixed' }] }));
    return file;
  };
  const cpe = marque('vulns', product, '--db', db, '--json', '--vex', vex([{ '@id': 'cpe:2.3:a:systeminformation:systeminformation:5.3.0:*:*:*:*:*:*:*' }]));
  assert.equal(cpe.code, 0, cpe.err);
  assert.equal(JSON.parse(cpe.out).findings[0].status, 'under_investigation');
  assert.match(cpe.err, /names cpe:2\.3:a:systeminformation.*matches products by purl only, so it applies to nothing/);
  const both = marque('vulns', product, '--db', db, '--json', '--vex', vex([{ '@id': 'cpe:2.3:a:x:y:1', identifiers: { purl: 'pkg:npm/systeminformation@5.3.0' } }, 'cpe:2.3:a:z']));
  assert.equal(JSON.parse(both.out).findings[0].status, 'fixed');
});
