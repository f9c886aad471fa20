// Coverage rests on complete sources only, and a closure not followed is a gap (issue 22). Each
// case is the negative one on real input: hand-made records are partial, a mixed archive is not
// OSV's per-ecosystem export, turtlebot4 on jazzy without the jazzy rosdistro cache is not
// "checked N of N", and OS packages without a version are a gap with the command that fixes it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import yazl from 'yazl';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EXAMPLE, FIXTURES, ROOT } from './helpers/paths.ts';
import { pypiExport } from './helpers/osv-export.ts';
import { exportSize } from '../src/advisories/sources.ts';

const KEV = join(FIXTURES, 'kev', 'known_exploited_vulnerabilities.json');
const PYPI_ARCHIVE = join(FIXTURES, 'osv-archives', 'PyPI', 'all.zip');
const MIXED_ARCHIVE = join(FIXTURES, 'osv', 'zip', 'all.zip');

function marque(...args: string[]) {
  const r = spawnSync(process.execPath, [join(ROOT, 'bin/marque.js'), ...args], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

const tmp = (name: string) => mkdtempSync(join(tmpdir(), `marque-${name}-`));

function imported(...args: string[]): string {
  const path = join(tmp('src'), 'advisories.sqlite');
  const r = marque('db', 'import', ...args, '--db', path);
  assert.equal(r.code, 0, r.err + r.out);
  return path;
}

type Source = { name: string; complete: string[]; basis: string; how: string; importedAt: string; ecosystems: Record<string, number> | null };
const status = (db: string): Source[] => JSON.parse(marque('db', 'status', '--db', db, '--json').out).sources;
const item = (check: { items: { id: string; status: string; evidence: string[] }[] }, id: string) => check.items.find((i) => i.id === id)!;
/** "Checked 24 of 24 …": the sentence that must not be said of what was not checked. */
const ALL_CHECKED = /Checked (\d+) of \1 components that ship \([^)]*\) against fresh advisory data/;

test('three hand-made OSV records and KEV are partial: vulns does not say "Checked N of N", check is not MET (2)(a)', () => {
  const dir = join(tmp('records'), 'handmade');
  mkdirSync(dir);
  const rec = (id: string, affected: unknown) => writeFileSync(join(dir, `${id}.json`), JSON.stringify({ id, modified: new Date().toISOString(), summary: 'hand-written', affected: [affected] }));
  rec('HAND-DEB', { package: { ecosystem: 'Debian:12', name: 'openssl' }, ranges: [{ type: 'ECOSYSTEM', events: [{ introduced: '0' }, { fixed: '1.0.0' }] }] });
  rec('HAND-GIT', { ranges: [{ type: 'GIT', repo: 'https://github.com/ros2/rclcpp.git', events: [{ introduced: '0' }] }], versions: ['1.0.0'] });
  rec('HAND-PYPI', { package: { ecosystem: 'PyPI', name: 'requests' }, ranges: [{ type: 'ECOSYSTEM', events: [{ introduced: '0' }, { fixed: '0.0.1' }] }] });
  const db = imported(dir, KEV);
  const [src] = status(db).filter((s) => s.name.startsWith('osv:'));
  assert.deepEqual(src!.complete, []);
  assert.deepEqual(src!.ecosystems, { 'Debian:12': 1, GIT: 1, PyPI: 1 });
  assert.match(src!.basis, /a folder of records, not an export Marque recognises as complete/);
  const text = marque('db', 'status', '--db', db).out;
  assert.match(text, /osv:handmade\s+GIT\s+partial\s+1 /);
  assert.match(text, /Only complete sources make coverage/);

  const vulns = marque('vulns', EXAMPLE, '--db', db);
  assert.doesNotMatch(vulns.out, ALL_CHECKED);
  assert.match(vulns.out, /Checked 0 of \d+ components that ship \([^)]*\) against fresh advisory data \(no complete, fresh source covers them\)/);
  assert.match(vulns.out, /only partial GIT advisory data \(osv:handmade\): its findings count, its coverage does not/);
  const check = JSON.parse(marque('check', EXAMPLE, '--db', db, '--json').out);
  assert.notEqual(item(check, 'I.2.a').status, 'met');
  assert.match(item(check, 'I.2.a').evidence.join('\n'), /only 0 of \d+ components that ship \([^)]*\) were checked/);
  // The dossier's findings and the exports say the same.
  assert.doesNotMatch(marque('docs', EXAMPLE, '--db', db).out, ALL_CHECKED);
});

test('OSV\'s per-ecosystem all.zip is complete by name, content and size; a zip mixing ecosystems, named otherwise, or too small is not', async () => {
  // An archive the size of OSV's PyPI export (the floor data/osv-exports.json keeps), every record naming PyPI.
  const full = await pypiExport();
  const n = exportSize('PyPI').floor;
  const db = imported(full, MIXED_ARCHIVE);
  const [pypi, mixed] = status(db);
  assert.equal(pypi!.name, 'osv:PyPI');
  assert.deepEqual(pypi!.complete, ['PyPI']);
  assert.equal(pypi!.basis, `OSV's PyPI archive: all ${n} records name PyPI`);
  // PyPA records with GIT ranges name a repository too: that does not make the archive a GIT export.
  assert.equal(pypi!.ecosystems!['GIT'], 9);
  assert.deepEqual(mixed!.complete, []);
  assert.match(mixed!.basis, /an all\.zip mixing ecosystems \(Maven 4, npm 1\)/);
  // Named after an ecosystem whose records it does not all hold: refused too.
  const named = join(tmp('named'), 'npm');
  mkdirSync(named);
  cpSync(MIXED_ARCHIVE, join(named, 'all.zip'));
  const [npm] = status(imported(join(named, 'all.zip')));
  assert.deepEqual(npm!.complete, []);
  assert.match(npm!.basis, /named after npm, but 4 of its 5 records do not name it/);
  // The right records under another name are not recognised either.
  const renamed = join(tmp('renamed'), 'pypi-records.zip');
  cpSync(full, renamed);
  const [other] = status(imported(renamed));
  assert.deepEqual(other!.complete, []);
  assert.match(other!.basis, /not named as OSV names its per-ecosystem export/);
  // Named and uniform, but 39 records (a fixture, a hand-picked or cut archive): not OSV's PyPI export.
  const [small] = status(imported(PYPI_ARCHIVE));
  assert.deepEqual(small!.complete, []);
  assert.equal(small!.basis, 'named as OSV\'s PyPI export, but too small to be it: holds 39 records; OSV\'s PyPI export held at least 2,661 on 2024-10-10, and Marque requires at least 2,000; if this really is a full mirror, vouch with --complete PyPI');
  // One record short of the floor is partial; at the floor, complete.
  const [short] = status(imported(await pypiExport(n - 1)));
  assert.deepEqual(short!.complete, []);
  assert.match(short!.basis, new RegExp(`holds ${(n - 1).toLocaleString('en-US')} records`));
  // What "db import" prints says it too.
  const out = marque('db', 'import', full, MIXED_ARCHIVE, PYPI_ARCHIVE, '--db', join(tmp('out'), 'a.sqlite')).out;
  assert.match(out, new RegExp(`osv:PyPI: ${n} osv records; complete for PyPI`));
  assert.match(out, /osv:zip: 5 osv records; partial \(an all\.zip mixing ecosystems/);
  assert.match(out, /osv:PyPI: 39 osv records; partial \(named as OSV's PyPI export, but too small to be it/);
});

test('a zip named PyPI/all.zip holding one hand-picked record does not make PyPI components "covered"; vouched for, the figure says it rests on the vouch', () => {
  const dir = join(tmp('picked'), 'PyPI');
  mkdirSync(dir);
  const product = tmp('picked-product');
  writeFileSync(join(product, 'marque.yaml'), 'product:\n  name: tool\n  version: "1.0"\n');
  writeFileSync(join(product, 'requirements.txt'), 'requests==2.31.0\n');
  const record = { id: 'PYSEC-2099-1', modified: new Date().toISOString(), affected: [{ package: { ecosystem: 'PyPI', name: 'not-requests' }, ranges: [{ type: 'ECOSYSTEM', events: [{ introduced: '0' }, { fixed: '1.0' }] }] }] };
  // A one-member zip, written by hand: no helper that might make it look like more.
  const zip = new yazl.ZipFile();
  zip.addBuffer(Buffer.from(JSON.stringify(record)), 'PYSEC-2099-1.json');
  zip.end();
  const chunks: Buffer[] = [];
  zip.outputStream.on('data', (c: Buffer) => chunks.push(c));
  return new Promise<void>((resolve, reject) => zip.outputStream.on('end', () => {
    try {
      writeFileSync(join(dir, 'all.zip'), Buffer.concat(chunks));
      const db = imported(join(dir, 'all.zip'));
      assert.deepEqual(status(db)[0]!.complete, []);
      const vulns = marque('vulns', product, '--db', db);
      assert.doesNotMatch(vulns.out, ALL_CHECKED);
      assert.match(vulns.out, /Checked 0 of 1 components that ship/);
      assert.match(vulns.out, /only partial PyPI advisory data \(osv:PyPI\)/);
      assert.notEqual(item(JSON.parse(marque('check', product, '--db', db, '--json').out), 'I.2.a').status, 'met');
      // The user may still vouch: then every statement of the figure says it rests on that word.
      const vouched = imported('--complete', 'PyPI', join(dir, 'all.zip'));
      const text = marque('vulns', product, '--db', vouched).out;
      assert.match(text, /Checked 1 of 1 components that ship \([^)]*\) against fresh advisory data from complete sources \(osv:PyPI: PyPI as of \d{4}-\d{2}-\d{2}, complete only as vouched for at import \(--complete\)\)/);
      const check = JSON.parse(marque('check', product, '--db', vouched, '--json').out);
      assert.match(item(check, 'I.2.a').evidence.join('\n'), /complete only as vouched for at import \(--complete\)/);
      const json = JSON.parse(marque('vulns', product, '--db', vouched, '--json').out);
      assert.match(json.coverage.restsOn[0].how, /^db import --complete PyPI /);
      assert.equal(json.coverage.restsOn[0].vouched, true, 'every view reads the vouch from one flag');
      const sarif = JSON.parse(marque('vulns', product, '--db', vouched, '--format', 'sarif').out);
      assert.match(JSON.stringify(sarif.runs[0].properties.coverage.restsOn), /complete only as vouched for at import/);
      assert.match(marque('db', 'status', '--db', vouched).out, /complete for PyPI: vouched for as a complete mirror of PyPI/);
      resolve();
    } catch (e) { reject(e as Error); }
  }));
});

test('db import --complete ECOSYSTEM: the user vouches, and the vouch is recorded with its date and path', () => {
  const before = new Date().toISOString();
  const folder = join(FIXTURES, 'osv', 'pypa');
  const db = imported('--complete', 'PyPI', folder);
  const [src] = status(db);
  assert.deepEqual(src!.complete, ['PyPI']);
  assert.equal(src!.how, `db import --complete PyPI ${folder}`);
  assert.ok(src!.importedAt >= before, src!.importedAt);
  assert.match(src!.basis, /vouched for as a complete mirror of PyPI \(39 of 39 records name PyPI\)/);
  assert.match(marque('db', 'status', '--db', db).out, new RegExp(`osv:pypa: db import --complete PyPI ${folder}\\n  complete for PyPI: vouched`));
  // A vouch for an ecosystem the records do not name is a mistake, and nothing is imported.
  const wrong = join(tmp('wrong'), 'a.sqlite');
  const r = marque('db', 'import', '--complete', 'Debian:12', folder, '--db', wrong);
  assert.equal(r.code, 2, r.err);
  assert.match(r.err, /--complete Debian:12: none of its 39 records name Debian:12 \(PyPI 39, GIT 9\); nothing was imported/);
  assert.equal(marque('db', 'status', '--db', wrong).code, 2, 'no database was written');
  assert.match(marque('db', 'import', '--complete', 'PyPI', KEV, '--db', wrong).err, /--complete vouches for OSV records; this is the KEV catalogue/);
  assert.match(marque('db', 'update', '--complete', 'PyPI', '--db', wrong).err, /--complete belongs to "marque db import"/);
});

test('turtlebot4 on jazzy without the jazzy rosdistro cache: coverage incomplete with the reason and the fix, (2)(a) and Part II (1) not met', () => {
  const ws = join(tmp('tb4'), 'turtlebot4');
  cpSync(join(FIXTURES, 'turtlebot4'), ws, { recursive: true });
  writeFileSync(join(ws, 'marque.yaml'), 'product:\n  name: turtlebot4\n  version: "2.0.0"\ninventory:\n  rosdistro: jazzy\n  platform: ubuntu:noble\n');
  // GIT data vouched complete: every released package listed is checked, and still the closure is a gap.
  const db = imported('--complete', 'GIT', join(FIXTURES, 'osv-closure'));
  const j = JSON.parse(marque('vulns', ws, '--db', db, '--now', '2023-12-22T00:00:00Z', '--json').out);
  assert.equal(j.coverage.coveredFresh, j.coverage.components, 'every listed component was checked');
  assert.equal(j.coverage.complete, false);
  assert.equal(j.coverage.closure.length, 1);
  assert.equal(j.coverage.closure[0].reason, 'the dependencies of released ROS packages were not followed: no rosdistro cache of jazzy');
  assert.match(j.coverage.closure[0].fix, /^marque db update --rosdistro-cache jazzy/);
  assert.ok(j.coverage.closure[0].components.includes('pkg:deb/ubuntu/ros-jazzy-irobot-create-msgs@3.0.0-2?distro=ubuntu-24.04'));
  assert.deepEqual(j.coverage.restsOn.map((r: { source: string; ecosystem: string }) => `${r.source} ${r.ecosystem}`), ['osv:osv-closure GIT']);
  const text = marque('vulns', ws, '--db', db, '--now', '2023-12-22T00:00:00Z').out;
  assert.match(text, /the dependency closure was not followed past \d+ package\(s\), so what they pull in was not checked/);
  assert.match(text, /fix: marque db update --rosdistro-cache jazzy/);
  const check = JSON.parse(marque('check', ws, '--db', db, '--today', '2023-12-22', '--json').out);
  const a = item(check, 'I.2.a');
  assert.equal(a.status, 'needs-evidence');
  assert.match(a.evidence.join('\n'), /but the dependency closure was not followed everywhere/);
  assert.match(a.evidence.join('\n'), /no rosdistro cache of jazzy; fix: marque db update --rosdistro-cache jazzy/);
  const sbom = item(check, 'II.1');
  assert.equal(sbom.status, 'needs-evidence');
  assert.match(sbom.evidence.join('\n'), /the SBOM marks the dependencies of \d+ of \d+ components "unknown"/);
});

test('OS packages without a version (no apt index, no dpkg status) are a gap with the fix; the image\'s dpkg status gives them their versions', () => {
  const product = join(tmp('os'), 'robot');
  mkdirSync(join(product, 'src/robot'), { recursive: true });
  writeFileSync(join(product, 'src/robot/package.xml'), '<?xml version="1.0"?>\n<package format="3"><name>robot</name><version>1.0.0</version><description>d</description><maintainer email="m@example.com">M</maintainer><license>MIT</license><exec_depend>curl</exec_depend><exec_depend>libssl-dev</exec_depend></package>\n');
  writeFileSync(join(product, 'marque.yaml'), 'product:\n  name: robot\n  version: "1.0"\ninventory:\n  platform: debian:bookworm\n');
  const db = imported('--complete', 'Debian:12', join(FIXTURES, 'osv-closure'));
  const bare = JSON.parse(marque('vulns', product, '--db', db, '--now', '2023-12-22T00:00:00Z', '--json').out);
  assert.equal(bare.coverage.coveredFresh, 0);
  assert.ok(bare.coverage.gaps.length >= 2);
  for (const g of bare.coverage.gaps) assert.match(g.reason, /^no version \(.*give --apt-index FILE, import apt's Packages index with "marque db import", or scan the image's var\/lib\/dpkg\/status\)$/);
  assert.doesNotMatch(marque('vulns', product, '--db', db, '--now', '2023-12-22T00:00:00Z').out, ALL_CHECKED);
  assert.notEqual(item(JSON.parse(marque('check', product, '--db', db, '--today', '2023-12-22', '--json').out), 'I.2.a').status, 'met');
  // With the Debian 12 image's dpkg status beside it, what is installed has its version and is checked.
  cpSync(join(FIXTURES, 'image', 'var'), join(product, 'var'), { recursive: true });
  cpSync(join(FIXTURES, 'image', 'etc'), join(product, 'etc'), { recursive: true });
  const image = JSON.parse(marque('vulns', product, '--db', db, '--now', '2023-12-22T00:00:00Z', '--json').out);
  assert.ok(image.coverage.coveredFresh > 600, String(image.coverage.coveredFresh));
  assert.deepEqual(image.coverage.gaps.map((g: { component: string }) => g.component), ['pkg:deb/debian/libcurl4-openssl-dev?distro=debian-12'], 'only the package the image does not hold');
});

test('a database from before sources were told apart: its OSV sources read as partial, also read-only, until imported again', async () => {
  const { DatabaseSync } = await import('node:sqlite');
  const { AdvisoryDb } = await import('../src/advisories/store.ts');
  const full = await pypiExport();
  const n = exportSize('PyPI').floor;
  const db = imported(full);
  // As an older Marque wrote it: no completeness columns.
  const raw = new DatabaseSync(db);
  for (const col of ['ecosystems', 'complete', 'basis', 'how']) raw.exec(`alter table source drop column ${col}`);
  raw.close();
  const store = AdvisoryDb.openForRead(db)!;
  try {
    const pypi = store.coverageSources().find((s) => s.ecosystem === 'PyPI')!;
    assert.deepEqual([pypi.source, pypi.complete, pypi.records], ['osv:PyPI', false, n]);
    assert.match(pypi.basis!, /imported before Marque recorded whether a source is complete/);
  } finally {
    store.close();
  }
  // Imported again, the archive is recognised.
  assert.equal(marque('db', 'import', full, '--db', db).code, 0);
  assert.deepEqual(status(db)[0]!.complete, ['PyPI']);
});

test('a dependency that names no version (requests==2.32.*) or a lockfile Marque cannot read was not checked: coverage is not complete and check does not say MET, however fresh and complete the data', () => {
  const dir = tmp('unlisted-advisories');
  // One fresh record, vouched for as a complete PyPI mirror: everything listed is then checked.
  const record = { id: 'PYSEC-2099-2', modified: new Date().toISOString(), affected: [{ package: { ecosystem: 'PyPI', name: 'requests' }, ranges: [{ type: 'ECOSYSTEM', events: [{ introduced: '0' }, { fixed: '9.0' }] }] }] };
  writeFileSync(join(dir, 'PYSEC-2099-2.json'), JSON.stringify(record));
  const db = imported('--complete', 'PyPI', dir);
  const product = tmp('unlisted-product');
  writeFileSync(join(product, 'marque.yaml'), 'product:\n  name: tool\n  version: "1.0"\n');
  writeFileSync(join(product, 'requirements.txt'), 'flask==3.0.0\n');
  // Listed alone, flask is checked and the figure is complete: the control.
  const control = JSON.parse(marque('vulns', product, '--db', db, '--json').out);
  assert.equal(control.coverage.complete, true);
  writeFileSync(join(product, 'requirements.txt'), 'flask==3.0.0\nrequests==2.32.*\n');
  const r = JSON.parse(marque('vulns', product, '--db', db, '--json').out);
  assert.deepEqual([r.coverage.coveredFresh, r.coverage.components, r.coverage.complete], [1, 1, false]);
  assert.deepEqual(r.coverage.unlisted, { unresolved: 1, notAnalysed: 0, examples: ['requests (requirements.txt:2)'] });
  assert.match(marque('vulns', product, '--db', db).out, /1 dependency that would ship could not be resolved to a version, so what it names was not checked \(requests \(requirements\.txt:2\)\)/);
  const checked = item(JSON.parse(marque('check', product, '--db', db, '--json').out), 'I.2.a');
  assert.equal(checked.status, 'needs-evidence');
  assert.match(checked.evidence.join('\n'), /but 1 dependency that would ship could not be resolved to a version/);
  assert.match(checked.evidence.join('\n'), /not checked: 1 dependency that would ship, which could not be resolved to a version \(requests \(requirements\.txt:2\)\)/);
  // A lockfile Marque cannot read yet is the same: what it locks was not checked.
  writeFileSync(join(product, 'requirements.txt'), 'flask==3.0.0\n');
  writeFileSync(join(product, 'Package.resolved'), '{"pins": [], "version": 2}\n');
  const unread = JSON.parse(marque('vulns', product, '--db', db, '--json').out);
  assert.deepEqual([unread.coverage.complete, unread.coverage.unlisted.notAnalysed], [false, 1]);
  assert.notEqual(item(JSON.parse(marque('check', product, '--db', db, '--json').out), 'I.2.a').status, 'met');
});
