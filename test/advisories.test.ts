import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync, mkdirSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawn } from 'node:child_process';
import { AdvisoryDb } from '../src/advisories/store.ts';
import { awarenessStoreFor, importAdvisories, advisoryStatus } from '../src/api/advisories.ts';
import { affects, inRange } from '../src/advisories/match.ts';
import { findVulnerabilities, policyFailures } from '../src/api/vulns.ts';
import { buildInventory } from '../src/api/inventory.ts';
import { pep440Scheme, semverScheme } from '../src/versioning/index.ts';
import type { InventoryComponent } from '../src/model/inventory.ts';
import { FIXTURES, ROOT } from './helpers/paths.ts';

const OSV = join(FIXTURES, 'osv');
const KEV = join(FIXTURES, 'kev/known_exploited_vulnerabilities.json');

async function freshDb(): Promise<string> {
  const path = join(mkdtempSync(join(tmpdir(), 'marque-db-')), 'advisories.sqlite');
  await importAdvisories(path, [join(OSV, 'pypa'), join(OSV, 'ghsa'), KEV]);
  return path;
}

const comp = (purl: string, name: string, version: string): InventoryComponent =>
  ({ purl, name, version, ecosystem: 'pypi', licenses: [], depth: 1, kind: 'runtime' });

test('range events: introduced, fixed, last_affected, limit; "0" sorts first', () => {
  const ev = [{ introduced: '0' }, { fixed: '2.0.0' }, { introduced: '3.0.0' }, { last_affected: '3.2.0' }];
  assert.equal(inRange('1.9.9', ev, semverScheme), true);
  assert.equal(inRange('2.0.0', ev, semverScheme), false);
  assert.equal(inRange('3.2.0', ev, semverScheme), true);
  assert.equal(inRange('3.2.1', ev, semverScheme), false);
  assert.equal(inRange('1.0.0', [{ introduced: '1.0.0' }, { limit: '1.5.0' }], semverScheme), true);
  assert.equal(inRange('1.5.0', [{ introduced: '1.0.0' }, { limit: '1.5.0' }], semverScheme), false);
  assert.equal(inRange('0.9', [{ fixed: '1.0' }, { introduced: '0' }], pep440Scheme), true, 'order of events in the file does not matter');
});

test('explicit versions match even outside ranges; GIT ranges never decide a version', () => {
  assert.deepEqual(affects('0.5.0', { versions: ['0.5.0'], ranges: [{ type: 'GIT', events: [{ introduced: '0' }, { fixed: 'abc123' }] }] }, 'PyPI'), { hit: true, fixedIn: [] });
  assert.equal(affects('0.6.0', { ranges: [{ type: 'GIT', events: [{ introduced: '0' }] }] }, 'PyPI').hit, false);
});

// Releases PyPI took before PEP 440, which OSV's own enumeration (each record's `versions`) lists as affected:
// the ranges alone must say so too (packaging's LegacyVersion orders them below every valid version), for a
// source whose records carry ranges only. Records from OSV's PyPI data (/work/shared/data/osv/pypi).
test('PyPI legacy versions are evaluated against ranges, as OSV does', () => {
  const table: [string, string, { introduced?: string; fixed?: string }[], string[]][] = [
    ['PYSEC-2022-166', 'paramiko', [{ introduced: '0' }, { fixed: '2.9.3' }, { introduced: '2.10.0' }, { fixed: '2.10.1' }], ['0.1-bulbasaur', '0.9-doduo', '0.9-ivysaur']],
    ['PYSEC-2018-100', 'rope', [{ introduced: '0' }, { fixed: '0.11.0' }], ['0.3m1', '0.3m2']],
    ['PYSEC-2019-102', 'limnoria', [{ introduced: '0' }, { fixed: '2019.11.09' }], ['2013-01-21T20:33:09+0100']],
    ['PYSEC-2019-126', 'supervisor', [{ introduced: '0' }, { fixed: '4.0.3' }], ['a3']],
    ['PYSEC-2022-288', 'joblib', [{ introduced: '0' }, { fixed: '1.2.0' }], ['0.3.2d', '0.3.2d.dev']],
    ['PYSEC-2019-6', 'buildbot', [{ introduced: '0' }, { fixed: '1.8.2' }, { introduced: '2.0.1' }, { fixed: '2.3.1' }], ['0.7.10p1', '0.7.11p1']],
  ];
  for (const [id, name, events, listed] of table) {
    const aff = { package: { ecosystem: 'PyPI', name }, ranges: [{ type: 'ECOSYSTEM' as const, events }] };
    for (const v of listed) assert.equal(affects(v, aff, 'PyPI').hit, true, `${id}: ${v}`);
    for (const e of events) if (e.fixed) assert.equal(affects(e.fixed, aff, 'PyPI').hit, false, `${id}: fixed ${e.fixed}`);
  }
  // A word is not a version (PYSEC-2021-121 lists pywps "trunk"): only an enumeration names it.
  const any = { ranges: [{ type: 'ECOSYSTEM' as const, events: [{ introduced: '0' }] }] };
  assert.equal(affects('trunk', any, 'PyPI').hit, false);
  assert.equal(affects('trunk', { ...any, versions: ['trunk'] }, 'PyPI').hit, true);
});

test('import: folder of YAML, GHSA JSON, KEV; status shows counts and freshness', async () => {
  const path = await freshDb();
  // Freshness is the data's own date (its newest record), not the import time.
  const imported = advisoryStatus(path, 7, new Date());
  const newest = Math.max(...imported.sources.map((s) => new Date(s.dataDate!).getTime()));
  assert.ok(imported.sources.some((s) => s.stale), 'data from years ago is stale even when imported today');
  const status = advisoryStatus(path, 7, new Date(newest + 86_400_000));
  assert.equal(status.counts!.advisories, 44);
  assert.equal(status.counts!.kev, 1404);
  assert.deepEqual(status.sources.map((s) => s.name).sort(), ['kev', 'osv:ghsa', 'osv:pypa']);
  const oldest = Math.min(...imported.sources.map((s) => new Date(s.dataDate!).getTime()));
  const allFresh = advisoryStatus(path, Math.ceil((newest - oldest) / 86_400_000) + 2, new Date(newest + 86_400_000));
  assert.ok(allFresh.sources.every((s) => !s.stale));
  const later = advisoryStatus(path, 7, new Date(newest + 8 * 86_400_000));
  assert.ok(later.sources.every((s) => s.stale), 'older than max age is stale');
});

test('withdrawn advisories never match; last_affected bounds; PEP 503 names', async () => {
  const db = AdvisoryDb.openForRead(await freshDb())!;
  const run = (c: InventoryComponent) => findVulnerabilities({ unlisted: undefined, components: [c], db, product: { name: 'p', version: '1' } }).findings;
  assert.deepEqual(run(comp('pkg:pypi/ansible@1.0', 'ansible', '1.0')).map((f) => f.advisory).filter((a) => a === 'PYSEC-2020-221'), []);
  assert.ok(run(comp('pkg:pypi/py@1.11.0', 'py', '1.11.0')).some((f) => f.advisory === 'PYSEC-2022-42969'));
  assert.ok(!run(comp('pkg:pypi/py@1.11.1', 'py', '1.11.1')).some((f) => f.advisory === 'PYSEC-2022-42969'));
  assert.ok(run(comp('pkg:pypi/PySpark@3.0.0', 'PySpark', '3.0.0')).length > 0);
  db.close();
});

test('aliases merge into one finding; KEV marks it exploited and starts the Art. 14(2) clock', async () => {
  const db = AdvisoryDb.openForRead(await freshDb())!;
  const c = comp('pkg:pypi/pyspark@3.1.2', 'pyspark', '3.1.2');
  const awareAt = new Date('2026-11-20T08:00:00Z');
  const now = new Date('2026-11-22T09:00:00Z');
  const { findings } = findVulnerabilities({ unlisted: undefined, components: [c], db, product: { name: 'p', version: '1' }, awareAt, now });
  const f = findings.find((x) => x.aliases.includes('CVE-2022-33891'))!;
  assert.equal(findings.filter((x) => x.aliases.includes('CVE-2022-33891') || x.advisory === 'CVE-2022-33891').length, 1, 'one finding per vulnerability');
  assert.equal(f.exploited, true);
  assert.match(f.kev!.dateAdded, /^\d{4}-\d{2}-\d{2}$/);
  assert.equal(f.clock!.earlyWarningDue, '2026-11-21T08:00:00.000Z');
  assert.equal(f.clock!.notificationDue, '2026-11-23T08:00:00.000Z');
  assert.equal(f.clock!.finalReportDue, null);
  assert.deepEqual(f.clock!.overdue, ['early-warning']);
  assert.match(f.clock!.cite, /Art\. 14\(2\)\(a\)/);
  assert.equal(findings[0]!.exploited, true, 'exploited findings come first');
  assert.equal(policyFailures(findings, ['exploited']).length >= 1, true);
  db.close();
});

test('a real npm lockfile with an exploited version (systeminformation, CVE-2021-21315)', async () => {
  const db = AdvisoryDb.openForRead(await freshDb())!;
  const inv = await buildInventory({ target: join(FIXTURES, 'npm-exploited/package-lock.json') });
  const { findings } = findVulnerabilities({ unlisted: undefined, components: inv.components, db, product: { name: 'p', version: '1' } });
  const f = findings.find((x) => x.component === 'pkg:npm/systeminformation@5.3.0')!;
  assert.equal(f.advisory, 'GHSA-2m8v-572m-ff2v');
  assert.deepEqual(f.aliases, ['CVE-2021-21315']);
  assert.deepEqual(f.fixedIn, ['5.3.1']);
  assert.equal(f.exploited, true);
  assert.deepEqual(f.severity.map((s) => [s.type, s.rating]), [['LABEL', 'medium']]);
  db.close();
});

test('VEX: a not_affected decision with a justification stops the clock and the policy', async () => {
  const db = AdvisoryDb.openForRead(await freshDb())!;
  const c = comp('pkg:pypi/pyspark@3.1.2', 'pyspark', '3.1.2');
  const vex = [{ vulnerability: 'CVE-2022-33891', products: ['pkg:pypi/pyspark'], status: 'not_affected' as const, justification: 'vulnerable_code_not_in_execute_path', source: 'marque.yaml#vex[0]' }];
  const { findings } = findVulnerabilities({ unlisted: undefined, components: [c], db, product: { name: 'p', version: '1' }, vex });
  const f = findings.find((x) => x.aliases.includes('CVE-2022-33891'))!;
  assert.equal(f.status, 'not_affected');
  assert.equal(f.justification, 'vulnerable_code_not_in_execute_path');
  assert.equal(f.clock, null);
  assert.equal(policyFailures([f], ['exploited', 'high']).length, 0);
  db.close();
});

test('an interrupted update leaves the previous database usable', async () => {
  const path = await freshDb();
  const before = advisoryStatus(path).counts!;
  // A large folder, so the import is still running when it is killed.
  const big = mkdtempSync(join(tmpdir(), 'marque-big-'));
  for (let i = 0; i < 4000; i++) {
    const d = join(big, String(i % 40));
    mkdirSync(d, { recursive: true });
    writeFileSync(join(d, `X-${i}.json`), JSON.stringify({ id: `X-${i}`, modified: '2026-01-01T00:00:00Z', affected: [{ package: { ecosystem: 'npm', name: `p${i}` }, versions: ['1.0.0'] }] }));
  }
  const child = spawn(process.execPath, [join(ROOT, 'bin/marque.js'), 'db', 'import', big, '--db', path], { stdio: 'ignore' });
  // Kill it once the update has begun writing its copy.
  const dir = join(path, '..');
  for (let i = 0; i < 400 && !readdirSync(dir).some((f) => f.includes('.update-')); i++) await new Promise((r) => setTimeout(r, 25));
  assert.ok(readdirSync(dir).some((f) => f.includes('.update-')), 'the update started');
  await new Promise((r) => setTimeout(r, 100));
  child.kill('SIGKILL');
  await new Promise((r) => child.on('exit', r));
  const after = advisoryStatus(path);
  assert.deepEqual(after.counts, before, 'the old database is intact and readable');
  // A complete import then lands, and removes the killed writer's copy and lock.
  await importAdvisories(path, [big]);
  assert.equal(advisoryStatus(path).counts!.advisories, before.advisories + 4000);
  assert.deepEqual(readdirSync(dir).filter((f) => f.includes('.update-') || f.endsWith('.lock')), [], 'nothing left behind');
});

test('two imports into one database take turns: neither loses the other\'s records', async () => {
  const path = join(mkdtempSync(join(tmpdir(), 'marque-two-')), 'db.sqlite');
  const folder = (name: string, n: number) => {
    const d = mkdtempSync(join(tmpdir(), `marque-${name}-`));
    for (let i = 0; i < n; i++) writeFileSync(join(d, `${name}-${i}.json`), JSON.stringify({ id: `${name}-${i}`, modified: '2026-01-01T00:00:00Z', affected: [{ package: { ecosystem: 'npm', name: `${name}${i}` }, versions: ['1.0.0'] }] }));
    return d;
  };
  const run = (d: string) => new Promise<number>((r) => spawn(process.execPath, [join(ROOT, 'bin/marque.js'), 'db', 'import', d, '--db', path], { stdio: 'ignore' }).on('exit', (c) => r(c ?? -1)));
  const codes = await Promise.all([run(folder('big', 3000)), run(folder('small', 3))]);
  assert.deepEqual(codes, [0, 0]);
  assert.equal(advisoryStatus(path).counts!.advisories, 3003);
});

test('a corrupt database is left as it was, with no copy behind; a read-only folder keeps awareness in the user cache', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'marque-corrupt-'));
  const path = join(dir, 'db.sqlite');
  writeFileSync(path, Buffer.alloc(100_000, 7));
  await assert.rejects(importAdvisories(path, [join(FIXTURES, 'osv/pypa/requests')]), /file is not a database; the database was left as it was/);
  assert.deepEqual(readdirSync(dir), ['db.sqlite']);
  const notes: string[] = [];
  // A database whose folder cannot be created or written (here: its parent is a file).
  writeFileSync(join(dir, 'not-a-folder'), '');
  const store = awarenessStoreFor(join(dir, 'not-a-folder', 'db.sqlite'), (n) => notes.push(n));
  assert.ok(store, 'a store in the user cache');
  store.close();
  assert.match(notes[0]!, /cannot write .*not-a-folder\/awareness\.sqlite .*kept in .*awareness\.sqlite/);
});

test('a failing import replaces nothing', async () => {
  const path = await freshDb();
  const before = advisoryStatus(path).counts!;
  const bad = join(mkdtempSync(join(tmpdir(), 'marque-bad-')), 'epss.csv');
  writeFileSync(bad, 'cve,epss,percentile\nCVE-2024-0001,0.1,0.2\nnot-a-row\n');
  await assert.rejects(importAdvisories(path, [join(OSV, 'ghsa'), bad]), /not an EPSS row.*/);
  assert.deepEqual(advisoryStatus(path).counts, before);
});

test('OSV all.zip is read member by member; an archive escaping its root is refused and nothing lands', async () => {
  const path = join(mkdtempSync(join(tmpdir(), 'marque-zip-')), 'advisories.sqlite');
  const [report] = await importAdvisories(path, [join(OSV, 'zip/all.zip')]);
  assert.equal(report!.records, 5);
  assert.equal(advisoryStatus(path).counts!.advisories, 5);
  await assert.rejects(importAdvisories(path, [join(FIXTURES, 'kev/known_exploited_vulnerabilities.json'), join(OSV, 'zip/traversal.zip')]), /unsafe or corrupt archive: invalid relative path: \.\.\/\.\.\/evil\.json|escapes the archive/);
  assert.equal(advisoryStatus(path).counts!.kev, 0, 'the KEV import of the failed update did not land');
});

test('Debian packages match advisories of their own release, by dpkg ordering', async () => {
  const path = join(mkdtempSync(join(tmpdir(), 'marque-deb-')), 'a.sqlite');
  await importAdvisories(path, [join(OSV, 'debian')]);
  const db = AdvisoryDb.openForRead(path)!;
  const deb = (v: string, distro: string): InventoryComponent => ({ purl: `pkg:deb/debian/nginx@${v}?arch=amd64&distro=${distro}`, name: 'nginx', version: v, ecosystem: 'deb', licenses: [], depth: 1, kind: 'runtime' });
  const run = (c: InventoryComponent) => findVulnerabilities({ unlisted: undefined, components: [c], db, product: { name: 'p', version: '1' } }).findings.map((f) => f.advisory);
  assert.deepEqual(run(deb('1.2.1-2.2+wheezy2', 'debian-7')), ['DSA-3029-1']);
  assert.deepEqual(run(deb('1.2.1-2.2+wheezy3', 'debian-7')), [], 'the fixed version');
  assert.deepEqual(run(deb('1.2.1-2.2+wheezy2', 'debian-12')), [], 'another release');
  db.close();
});

test('a vendor package is matched through the upstream it declares; undeclared vendoring is listed', async () => {
  const path = join(mkdtempSync(join(tmpdir(), 'marque-vendor-')), 'a.sqlite');
  await importAdvisories(path, [join(OSV, 'debian')]);
  const db = AdvisoryDb.openForRead(path)!;
  const vendor: InventoryComponent = { purl: 'pkg:deb/debian/ros-jazzy-nginx-vendor@1.0.0-1?distro=debian-7', name: 'ros-jazzy-nginx-vendor', version: '1.0.0-1', ecosystem: 'deb', licenses: [], depth: 1, kind: 'runtime', properties: { 'ros:package': 'nginx_vendor' } };
  const yaml: InventoryComponent = { purl: 'pkg:deb/ubuntu/ros-jazzy-yaml-cpp-vendor@9.0.1-1?distro=ubuntu-24.04', name: 'ros-jazzy-yaml-cpp-vendor', version: '9.0.1-1', ecosystem: 'deb', licenses: [], depth: 1, kind: 'runtime', properties: { 'ros:package': 'yaml_cpp_vendor' } };
  const r = findVulnerabilities({ unlisted: undefined,
    components: [vendor, yaml], db, product: { name: 'p', version: '1' },
    upstreams: [{ component: 'nginx_vendor', upstream: 'pkg:deb/debian/nginx@1.2.1-2.2?distro=debian-7' }],
  });
  const f = r.findings.find((x) => x.advisory === 'DSA-3029-1')!;
  assert.equal(f.component, vendor.purl, 'the finding is the vendor package\'s');
  assert.equal(f.via, 'pkg:deb/debian/nginx@1.2.1-2.2?distro=debian-7');
  assert.deepEqual(r.vendored.find((v) => v.component === yaml.purl), { component: yaml.purl, upstream: 'yaml-cpp', declared: null });
  db.close();
});

test('OSV in YAML with unquoted versions keeps them as written (fixed: 1.10 is not 1.1)', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'marque-yaml-osv-'));
  writeFileSync(join(dir, 'FLOAT-1.yaml'), 'id: FLOAT-1\nmodified: 2024-01-01T00:00:00Z\naffected:\n- package: {ecosystem: PyPI, name: victim}\n  ranges:\n  - type: ECOSYSTEM\n    events:\n    - introduced: 0\n    - fixed: 1.10\n  versions: [1.5, 1.20]\n');
  const path = join(dir, 'db.sqlite');
  await importAdvisories(path, [join(dir, 'FLOAT-1.yaml')]);
  const db = AdvisoryDb.openForRead(path)!;
  const hit = (v: string) => findVulnerabilities({ unlisted: undefined, components: [comp(`pkg:pypi/victim@${v}`, 'victim', v)], db, product: { name: 'p', version: '1' } }).findings.length;
  assert.equal(hit('1.5'), 1);
  assert.equal(hit('1.9'), 1, 'below 1.10');
  assert.equal(hit('1.10'), 0);
  db.close();
});

test('a new advisory id for a vulnerability already seen does not restart the Art. 14(2) clock', async () => {
  // The PyPA record of CVE-2020-11651 (salt, in KEV) first; later the database also holds another
  // advisory aliasing the same CVE (osv.dev's PyPI export carries a GHSA beside each PYSEC), and the
  // finding is named by that one: the moment of awareness stays the first one recorded.
  const dir = mkdtempSync(join(tmpdir(), 'marque-aware-alias-'));
  const path = join(dir, 'advisories.sqlite');
  await importAdvisories(path, [join(OSV, 'pypa', 'salt'), KEV]);
  const awareness = awarenessStoreFor(path)!;
  const salt = comp('pkg:pypi/salt@3000.1', 'salt', '3000.1');
  const product = { name: 'saltbox', version: '1.0' };
  const first = new Date('2026-11-20T08:00:00Z');
  const before = AdvisoryDb.openForRead(path)!;
  const f1 = findVulnerabilities({ unlisted: undefined, components: [salt], db: before, product, awareness, now: first }).findings.find((f) => f.aliases.includes('CVE-2020-11651'))!;
  before.close();
  assert.equal(f1.advisory, 'PYSEC-2020-102');
  mkdirSync(join(dir, 'ghsa'));
  writeFileSync(join(dir, 'ghsa', 'GHSA-0000-salt-alias.json'), JSON.stringify({ schema_version: '1.4.0', id: 'GHSA-0000-salt-alias', modified: '2024-02-01T00:00:00Z', aliases: ['CVE-2020-11651'], summary: 'salt-master authentication bypass',
    affected: [{ package: { ecosystem: 'PyPI', name: 'salt' }, ranges: [{ type: 'ECOSYSTEM', events: [{ introduced: '3000' }, { fixed: '3000.2' }] }] }] }));
  await importAdvisories(path, [join(dir, 'ghsa')]);
  const after = AdvisoryDb.openForRead(path)!;
  const f2 = findVulnerabilities({ unlisted: undefined, components: [salt], db: after, product, awareness, now: new Date('2026-11-21T14:00:00Z') }).findings.find((f) => f.aliases.includes('CVE-2020-11651'))!;
  after.close();
  awareness.close();
  assert.equal(f2.advisory, 'GHSA-0000-salt-alias', 'named by the new id');
  assert.equal(f2.clock!.awareAt, first.toISOString());
  assert.deepEqual(f2.clock!.overdue, ['early-warning']);
});

test('an empty file named as the database is said not to be one, not failed on at the first lookup', () => {
  const path = join(mkdtempSync(join(tmpdir(), 'marque-db-empty-')), 'advisories.sqlite');
  writeFileSync(path, '');
  assert.throws(() => AdvisoryDb.openForRead(path), /advisories\.sqlite: it holds no advisory table \(is it an advisory database\?/);
});

test('the server\'s release findings: awareness recorded under an earlier advisory id of the same vulnerability keeps the clock', async () => {
  const { releaseFindings } = await import('../src/api/release-findings.ts');
  const dir = mkdtempSync(join(tmpdir(), 'marque-aware-alias-server-'));
  const path = join(dir, 'advisories.sqlite');
  mkdirSync(join(dir, 'ghsa'));
  writeFileSync(join(dir, 'ghsa', 'GHSA-0000-salt-alias.json'), JSON.stringify({ schema_version: '1.4.0', id: 'GHSA-0000-salt-alias', modified: '2024-02-01T00:00:00Z', aliases: ['CVE-2020-11651'], summary: 'salt-master authentication bypass',
    affected: [{ package: { ecosystem: 'PyPI', name: 'salt' }, ranges: [{ type: 'ECOSYSTEM', events: [{ introduced: '3000' }, { fixed: '3000.2' }] }] }] }));
  await importAdvisories(path, [join(OSV, 'pypa', 'salt'), KEV, join(dir, 'ghsa')]);
  const db = AdvisoryDb.openForRead(path)!;
  const first = new Date('2026-11-20T08:00:00Z');
  // The server recorded awareness when the finding was named PYSEC-2020-102; it is now named by the GHSA.
  const { findings } = await releaseFindings({
    components: [{ purl: 'pkg:pypi/salt@3000.1', name: 'salt', version: '3000.1', ecosystem: 'pypi', depth: 1, scope: 'runtime' }],
    db, product: { name: 'saltbox', version: '1.0' }, decisions: [], reports: [],
    awareAt: (component, id) => (component === 'pkg:pypi/salt@3000.1' && id === 'PYSEC-2020-102' ? first : undefined), now: new Date('2026-11-21T14:00:00Z'),
  });
  db.close();
  const f = findings.find((x) => x.aliases.includes('CVE-2020-11651'))!;
  assert.equal(f.advisory, 'GHSA-0000-salt-alias');
  assert.equal(f.awareness, 'recorded');
  assert.equal(f.clock!.awareAt, first.toISOString());
  assert.deepEqual(f.clock!.overdue, ['early-warning']);
});
