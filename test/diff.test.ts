import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Ajv } from 'ajv';
import { diffComponents } from '../src/diff/diff.ts';
import { diffProducts } from '../src/api/diff.ts';
import { EXAMPLE, FIXTURES, ROOT } from './helpers/paths.ts';

const EXAMPLE_15 = join(ROOT, 'examples', 'courier-robot-1.5');

function marque(cwd: string, ...args: string[]) {
  const r = spawnSync(process.execPath, [join(ROOT, 'bin/marque.js'), ...args], { cwd, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

test('two versions of the ROS example: a new transitive dependency with its path and depth, upgrades, re-assessment scope', async () => {
  const d = await diffProducts({ old: EXAMPLE, new: EXAMPLE_15 });
  assert.deepEqual(d.components.added.map((c) => c.purl), ['pkg:deb/ubuntu/ros-jazzy-behaviortree-cpp@4.9.1-1?distro=ubuntu-24.04']);
  assert.equal(d.components.added[0]!.depth, 1);
  assert.deepEqual(d.components.added[0]!.paths, [
    ['pkg:ros/courier_navigation@1.5.0?distro=jazzy', 'pkg:deb/ubuntu/ros-jazzy-behaviortree-cpp@4.9.1-1?distro=ubuntu-24.04'],
  ], 'the paths that bring it in from the nearest first-party package, shortest first');
  const express = d.components.changed.find((c) => c.from === 'pkg:npm/express@4.18.2')!;
  assert.deepEqual(express.changes, [{ type: 'version', direction: 'up', from: '4.18.2', to: '4.19.2' }]);
  assert.equal(d.components.removed.length, 0);
  assert.ok(d.reassess.some((r) => r.reason === 'added' && r.purl.includes('behaviortree')));
  assert.ok(d.reassess.some((r) => r.reason === 'version-changed' && r.purl === 'pkg:npm/express@4.19.2'));
  assert.equal(d.classification!.changed, false);
  assert.equal(d.findings, null, 'no database given');
  assert.match(d.verdict, /^1 added, 0 removed, 14 changed/);
});

test('downgrades, licence, supplier and scope changes are named', () => {
  const c = (purl: string, version: string, extra: object = {}) => ({ purl, name: purl, version, ecosystem: 'npm' as const, licenses: ['MIT'], depth: 1, kind: 'runtime' as const, ...extra });
  const old = { components: [c('pkg:npm/a@2.0.0', '2.0.0'), c('pkg:npm/b@1.0.0', '1.0.0'), c('pkg:npm/gone@1.0.0', '1.0.0')], dependencies: [] };
  const neu = { components: [c('pkg:npm/a@1.9.0', '1.9.0'), c('pkg:npm/b@1.0.0', '1.0.0', { licenses: ['GPL-3.0-only'], supplier: { name: 'New Co' }, kind: 'dev' })], dependencies: [] };
  const d = diffComponents(old, neu);
  assert.deepEqual(d.changed.find((x) => x.from === 'pkg:npm/a@2.0.0')!.changes, [{ type: 'version', direction: 'down', from: '2.0.0', to: '1.9.0' }]);
  assert.deepEqual(d.changed.find((x) => x.from === 'pkg:npm/b@1.0.0')!.changes.map((x) => x.type), ['licenses', 'supplier', 'kind']);
  assert.deepEqual(d.removed.map((x) => x.purl), ['pkg:npm/gone@1.0.0']);
});

test('two npm lockfiles: a dependency added, with its depth and scope', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'marque-diff-npm-'));
  const lock = JSON.parse(readFileSync(join(FIXTURES, 'npm-exploited/package-lock.json'), 'utf8'));
  const next = structuredClone(lock);
  next.packages[''].dependencies['left-pad'] = '1.3.0';
  next.packages['node_modules/left-pad'] = { version: '1.3.0', resolved: 'https://registry.npmjs.org/left-pad/-/left-pad-1.3.0.tgz', license: 'WTFPL' };
  mkdirSync(join(dir, 'a'));
  mkdirSync(join(dir, 'b'));
  writeFileSync(join(dir, 'a', 'package-lock.json'), JSON.stringify(lock));
  writeFileSync(join(dir, 'b', 'package-lock.json'), JSON.stringify(next));
  const d = await diffProducts({ old: join(dir, 'a', 'package-lock.json'), new: join(dir, 'b', 'package-lock.json') });
  assert.deepEqual(d.components.added.map((c) => [c.purl, c.depth, c.kind]), [['pkg:npm/left-pad@1.3.0', 1, 'runtime']]);
});

test('two SBOMs from another tool: a real CycloneDX SBOM and its next release', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'marque-diff-sbom-'));
  const bom = JSON.parse(readFileSync(join(FIXTURES, 'sboms/laravel-7.12.0.cdx.json'), 'utf8'));
  const next = structuredClone(bom);
  const target = next.components.find((c: { purl?: string }) => c.purl?.startsWith('pkg:composer/'));
  const [base] = target.purl.split('@');
  target.version = '99.0.0';
  target.purl = `${base}@99.0.0`;
  writeFileSync(join(dir, 'old.cdx.json'), JSON.stringify(bom));
  writeFileSync(join(dir, 'new.cdx.json'), JSON.stringify(next));
  const d = await diffProducts({ old: join(dir, 'old.cdx.json'), new: join(dir, 'new.cdx.json') });
  assert.equal(d.components.changed.length, 1);
  assert.equal(d.components.changed[0]!.changes[0]!.type, 'version');
  // bom-ref kept its old value, so the graph edges still reach the new version
  assert.equal(d.components.added.length + d.components.removed.length, 0);
});

test('git:REV reads a revision without touching the working tree', () => {
  const repo = mkdtempSync(join(tmpdir(), 'marque-diff-git-'));
  const g = (...args: string[]) => { const r = spawnSync('git', args, { cwd: repo, encoding: 'utf8' }); assert.equal(r.status, 0, r.stderr); return r.stdout; };
  g('init', '-q');
  g('config', 'user.email', 't@example.com');
  g('config', 'user.name', 't');
  cpSync(EXAMPLE, join(repo, 'robot'), { recursive: true });
  g('add', '-A');
  g('commit', '-qm', 'v1.4');
  g('tag', 'v1.4');
  cpSync(EXAMPLE_15, join(repo, 'robot'), { recursive: true, force: true });
  const r = marque(join(repo, 'robot'), 'diff', 'git:v1.4', '.', '--json', '--db', join(repo, 'none.sqlite'));
  assert.equal(r.code, 0, r.err);
  const j = JSON.parse(r.out);
  assert.match(j.old, /^git:v1\.4 \([0-9a-f]{12}\)$/);
  assert.equal(j.components.added.length, 1);
  assert.equal(g('status', '--porcelain').split('\n').filter(Boolean).length > 0, true, 'the uncommitted change is still there');
  const validate = new Ajv({ strict: false }).compile(JSON.parse(readFileSync(join(ROOT, 'schemas/diff.schema.json'), 'utf8')));
  assert.ok(validate(j), JSON.stringify(validate.errors));
  assert.equal(marque(join(repo, 'robot'), 'diff', 'git:no-such-rev', '.').code, 2);
});

test('diff with a database: findings fixed and introduced; policies; markdown for a pull request', () => {
  const dir = mkdtempSync(join(tmpdir(), 'marque-diff-db-'));
  const db = join(dir, 'a.sqlite');
  assert.equal(marque(ROOT, 'db', 'import', join(FIXTURES, 'osv/pypa'), join(FIXTURES, 'osv/ghsa'), join(FIXTURES, 'kev/known_exploited_vulnerabilities.json'), '--db', db).code, 0);
  const fwd = JSON.parse(marque(ROOT, 'diff', EXAMPLE, EXAMPLE_15, '--db', db, '--json').out);
  assert.ok(fwd.findings.fixed.some((f: { advisory: string }) => f.advisory === 'PYSEC-2024-60'));
  assert.equal(fwd.findings.introduced.length, 0);
  // Going back reintroduces it; exploited ones would fail --fail-on new-exploited.
  const back = marque(ROOT, 'diff', EXAMPLE_15, EXAMPLE, '--db', db, '--json', '--fail-on', 'unassessed-runtime');
  assert.equal(back.code, 1);
  assert.ok(JSON.parse(back.out).findings.introduced.some((f: { advisory: string }) => f.advisory === 'PYSEC-2024-60'));
  const panelOld = join(dir, 'old'); const panelNew = join(dir, 'new');
  cpSync(join(FIXTURES, 'npm-exploited'), panelNew, { recursive: true });
  cpSync(join(FIXTURES, 'npm-exploited'), panelOld, { recursive: true });
  const lock = JSON.parse(readFileSync(join(panelOld, 'package-lock.json'), 'utf8'));
  lock.packages['node_modules/systeminformation'].version = '5.3.1';
  writeFileSync(join(panelOld, 'package-lock.json'), JSON.stringify(lock));
  const r = marque(ROOT, 'diff', panelOld, panelNew, '--db', db, '--fail-on', 'new-exploited', '--format', 'markdown');
  assert.equal(r.code, 1);
  assert.match(r.out, /\| GHSA-2m8v-572m-ff2v \| `pkg:npm\/systeminformation@5\.3\.0` \| \*\*yes\*\*/);
});

test('a rename the SBOM records (CycloneDX pedigree ancestors) is a change, not a removal and an addition', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'marque-diff-rename-'));
  const bom = JSON.parse(readFileSync(join(FIXTURES, 'sboms/laravel-7.12.0.cdx.json'), 'utf8'));
  const next = structuredClone(bom);
  const target = next.components.find((c: { purl?: string }) => c.purl?.startsWith('pkg:composer/'));
  const oldPurl = target.purl;
  target.name = 'renamed-package';
  target.purl = `pkg:composer/acme/renamed-package@${target.version}`;
  target.pedigree = { ancestors: [{ type: 'library', name: 'old', purl: oldPurl }] };
  writeFileSync(join(dir, 'old.cdx.json'), JSON.stringify(bom));
  writeFileSync(join(dir, 'new.cdx.json'), JSON.stringify(next));
  const d = await diffProducts({ old: join(dir, 'old.cdx.json'), new: join(dir, 'new.cdx.json') });
  assert.deepEqual([d.components.added.length, d.components.removed.length], [0, 0]);
  assert.equal(d.components.changed[0]!.changes[0]!.type, 'renamed');
  assert.equal(d.components.changed[0]!.from, oldPurl);
});

test('a changed component still inside a signed, trusted range is not re-assessed', async () => {
  const { generateKeys } = await import('../src/attest/keys.ts');
  const { signStatementFile, createStatement } = await import('../src/api/attest.ts');
  const dir = mkdtempSync(join(tmpdir(), 'marque-diff-att-'));
  const oldDir = join(dir, 'old'); const newDir = join(dir, 'new');
  cpSync(EXAMPLE, oldDir, { recursive: true });
  cpSync(EXAMPLE_15, newDir, { recursive: true });
  const k = generateKeys(join(dir, 'keys'), 'auditor');
  const st = createStatement({ component: 'pkg:npm/express', range: { from: '4.0.0', before: '5.0.0' }, context: 'web UI behind the robot\'s reverse proxy', method: ['review'], checks: [], assessor: { name: 'Auditor' }, date: '2026-10-01T00:00:00Z', expires: '2030-01-01T00:00:00Z' });
  writeFileSync(join(dir, 'st.json'), JSON.stringify(st));
  mkdirSync(join(newDir, 'attestations'));
  writeFileSync(join(newDir, 'attestations', 'express.dsse.json'), JSON.stringify(signStatementFile(JSON.stringify(st), k.privateKey)));
  cpSync(k.publicKey, join(newDir, 'auditor.pub.pem'));
  writeFileSync(join(newDir, 'marque.yaml'), readFileSync(join(newDir, 'marque.yaml'), 'utf8') + '\ntrust:\n  keys:\n    - name: Auditor\n      publicKey: auditor.pub.pem\n      components: ["pkg:npm/*"]\n');
  const d = await diffProducts({ old: oldDir, new: newDir });
  assert.deepEqual(d.stillCovered.map((c) => c.purl), ['pkg:npm/express@4.19.2']);
  assert.ok(!d.reassess.some((r) => r.purl === 'pkg:npm/express@4.19.2'));
  assert.ok(d.reassess.some((r) => r.purl === 'pkg:npm/ws@8.17.1'), 'ws has no assessment: still to re-assess');
});

const UPGRADES = join(FIXTURES, 'diff-upgrades');

test('ripgrep 14.1.1 → 15.2.0: a second lockfile (fuzz/) with other versions of the same crates does not hide the upgrades', async () => {
  const d = await diffProducts({ old: join(UPGRADES, 'ripgrep-14.1.1'), new: join(UPGRADES, 'ripgrep-15.2.0') });
  const up = (name: string) => d.components.changed.find((c) => c.from.startsWith(`pkg:cargo/${name}@`));
  assert.deepEqual(up('globset')?.changes, [{ type: 'version', direction: 'up', from: '0.4.15', to: '0.4.19' }], 'the workspace crate, depended on by ripgrep and ignore, not the fuzz lock\'s 0.4.16');
  assert.deepEqual(up('memchr')?.changes, [{ type: 'version', direction: 'up', from: '2.7.4', to: '2.8.3' }]);
  assert.ok(d.components.added.some((c) => c.purl === 'pkg:cargo/globset@0.4.16'), 'the fuzz lock\'s own version is new');
  // git diff 14.1.1 15.2.0 -- Cargo.lock: the crates no lockfile of 15.2.0 names any more
  assert.deepEqual(d.components.removed.map((c) => c.purl.replace(/^pkg:cargo\/|@.*$/g, '')).sort(), [
    'jemalloc-sys', 'jemallocator', 'ryu', 'windows-targets', 'windows_aarch64_gnullvm', 'windows_aarch64_msvc', 'windows_i686_gnu',
    'windows_i686_gnullvm', 'windows_i686_msvc', 'windows_x86_64_gnu', 'windows_x86_64_gnullvm', 'windows_x86_64_msvc',
  ]);
});

test('fzf v0.60.0 → v0.74.3: a Gemfile.lock root named after its folder is the same product renamed, not one added and one removed', async () => {
  const d = await diffProducts({ old: join(UPGRADES, 'fzf-v0.60.0'), new: join(UPGRADES, 'fzf-v0.74.3') });
  assert.equal(d.components.added.length + d.components.removed.length, 0);
  assert.deepEqual(d.components.changed.map((c) => c.changes.map((x) => x.type === 'version' ? `${x.from}→${x.to} ${x.direction}` : x.type).join()), ['renamed', '2.9.1→2.19.9 up']);
});

test('version direction by each ecosystem\'s ordering: rpm epochs, Alpine, Debian epochs, PEP 440, equal spellings', () => {
  const c = (purl: string, version: string) => ({ purl, name: purl, version, ecosystem: 'npm' as const, licenses: [], depth: 1, kind: 'runtime' as const });
  const pairs: [string, string, string, string][] = [
    // an rpm version is epoch:version-release; the epoch rides in a qualifier of the purl
    ['pkg:rpm/fedora/openssl-libs@3.2.2-1.fc40?epoch=1', '1:3.2.2-1.fc40', 'pkg:rpm/fedora/openssl-libs@3.0.9-2.fc40?epoch=2', '2:3.0.9-2.fc40'],
    ['pkg:apk/alpine/busybox@1.36.1-r9', '1.36.1-r9', 'pkg:apk/alpine/busybox@1.36.1-r29', '1.36.1-r29'],
    ['pkg:deb/debian/libc6@2.36-9', '2.36-9', 'pkg:deb/debian/libc6@1%3A2.31-1', '1:2.31-1'],
    ['pkg:pypi/foo@1.0.post1', '1.0.post1', 'pkg:pypi/foo@1.1.dev0', '1.1.dev0'],
    ['pkg:pypi/bar@1.0', '1.0', 'pkg:pypi/bar@1.0.0', '1.0.0'],
    ['pkg:cargo/jemalloc-sys@0.5.4%2B5.3.0-patched', '0.5.4+5.3.0-patched', 'pkg:cargo/jemalloc-sys@0.5.4%2B5.3.0', '0.5.4+5.3.0'],
    ['pkg:composer/laravel/framework@v10.9.0', 'v10.9.0', 'pkg:composer/laravel/framework@v10.10.0', 'v10.10.0'],
  ];
  const d = diffComponents({ components: pairs.map(([p, v]) => c(p, v)), dependencies: [] }, { components: pairs.map(([, , p, v]) => c(p, v)), dependencies: [] });
  const dir = (p: string) => (d.changed.find((x) => x.from === p)!.changes[0] as { direction: string }).direction;
  assert.deepEqual(pairs.map(([p]) => dir(p)), ['up', 'up', 'up', 'up', 'equal', 'equal', 'up']);
});

test('a side that cannot be read is said, never an empty side with everything "added"', () => {
  const dir = mkdtempSync(join(tmpdir(), 'marque-diff-unread-'));
  writeFileSync(join(dir, 'broken.cdx.json'), '{');
  const bad = marque(dir, 'diff', 'broken.cdx.json', join(UPGRADES, 'fzf-v0.74.3'));
  assert.equal(bad.code, 2, bad.out + bad.err);
  assert.match(bad.err, /broken\.cdx\.json: cannot be read \(broken\.cdx\.json:\d+: malformed JSON/);
  // In a folder, the rest is compared and the file named: in the verdict, the JSON and the pull-request comment.
  cpSync(join(UPGRADES, 'fzf-v0.74.3'), join(dir, 'next'), { recursive: true });
  writeFileSync(join(dir, 'next', 'package-lock.json'), '{');
  const j = marque(dir, 'diff', join(UPGRADES, 'fzf-v0.60.0'), 'next', '--json');
  assert.equal(j.code, 0, j.err);
  const d = JSON.parse(j.out);
  assert.deepEqual(d.notRead.map((n: { side: string; file: string }) => [n.side, n.file]), [['new', 'package-lock.json']]);
  assert.match(d.verdict, /1 file\(s\) not read/);
  const validate = new Ajv({ strict: false }).compile(JSON.parse(readFileSync(join(ROOT, 'schemas/diff.schema.json'), 'utf8')));
  assert.ok(validate(d), JSON.stringify(validate.errors));
  const md = marque(dir, 'diff', join(UPGRADES, 'fzf-v0.60.0'), 'next', '--format', 'markdown').out;
  assert.match(md, /#### Not compared \(files not read\)\n\n\| side \| file \| reason \|\n\|---\|---\|---\|\n\| new \| `package-lock.json` \| line \d+: malformed JSON/);
});

test('a side where nothing Marque reads was found is said in the verdict, not only shown as every component added', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'marque-diff-empty-'));
  mkdirSync(join(dir, 'empty'));
  writeFileSync(join(dir, 'empty', 'README.md'), 'no lockfile here\n');
  const d = await diffProducts({ old: join(dir, 'empty'), new: join(FIXTURES, 'npm-exploited') });
  assert.ok(d.components.added.length > 0);
  assert.match(d.verdict, /warning: the old side has no components \(nothing Marque reads was found there\): every component of the other side is listed as added/);
  const same = await diffProducts({ old: join(FIXTURES, 'npm-exploited'), new: join(FIXTURES, 'npm-exploited') });
  assert.doesNotMatch(same.verdict, /no components/);
});

test('NodeGoat 5848aad: npm 7 regenerated the lockfileVersion 1 as 2 and took marked back from 0.3.9 to 0.3.5; both sides are read, the downgrade is a change to re-assess, nothing is "added"', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'marque-diff-v1v2-'));
  for (const [side, from] of [['old', 'nodegoat-5848aad-parent'], ['new', 'nodegoat-5848aad']] as const) {
    mkdirSync(join(dir, side, 'web'), { recursive: true });
    cpSync(join(UPGRADES, from, 'package-lock.json'), join(dir, side, 'web', 'package-lock.json'));
    cpSync(join(UPGRADES, 'ripgrep-14.1.1', 'Cargo.lock'), join(dir, side, 'Cargo.lock'));
  }
  const d = await diffProducts({ old: join(dir, 'old'), new: join(dir, 'new') });
  assert.deepEqual(d.notRead, []);
  assert.deepEqual(d.components.added.map((c) => c.purl), []);
  assert.deepEqual(d.components.removed.map((c) => c.purl), []);
  const marked = d.components.changed.find((c) => c.from === 'pkg:npm/marked@0.3.9')!;
  assert.equal(marked.to, 'pkg:npm/marked@0.3.5');
  assert.deepEqual(marked.changes.find((c) => c.type === 'version'), { type: 'version', direction: 'down', from: '0.3.9', to: '0.3.5' });
  assert.deepEqual(d.reassess.map((r) => [r.purl, r.reason]), [['pkg:npm/marked@0.3.5', 'version-changed']]);
  assert.equal(d.components.unchanged, 62, "the Cargo.lock's 61 and underscore 1.9.1");
  assert.doesNotMatch(d.verdict, /not read|no components/);
});

test('flask 0109e496 (requirements/*.txt → uv.lock): 3.1.1.dev and 3.1.1.dev0 are one PEP 440 version, so the product is not re-assessed for a respelling', async () => {
  const d = await diffProducts({ old: join(UPGRADES, 'flask-0109e496-parent'), new: join(UPGRADES, 'flask-0109e496') });
  const flask = d.components.changed.find((c) => c.from === 'pkg:pypi/flask@3.1.1.dev')!;
  assert.deepEqual(flask.changes, [{ type: 'version', direction: 'equal', from: '3.1.1.dev', to: '3.1.1.dev0' }], 'the respelling is still shown');
  assert.ok(!d.reassess.some((r) => r.purl.startsWith('pkg:pypi/flask@')));
  // Versions that did change are: the test-only minimum pins of tests-min.txt became the runtime lock.
  assert.deepEqual(d.components.changed.find((c) => c.from === 'pkg:pypi/werkzeug@3.1.0')!.changes, [
    { type: 'version', direction: 'up', from: '3.1.0', to: '3.1.3' }, { type: 'kind', from: 'test', to: 'runtime' },
  ]);
  assert.deepEqual(d.reassess.filter((r) => r.reason !== 'now-ships').map((r) => r.purl).sort(), ['pkg:pypi/click@8.1.8', 'pkg:pypi/click@8.2.0', 'pkg:pypi/importlib-metadata@8.7.0', 'pkg:pypi/jinja2@3.1.6', 'pkg:pypi/markupsafe@3.0.2', 'pkg:pypi/werkzeug@3.1.3', 'pkg:pypi/zipp@3.21.0']);
});

test('a file refused on one side (a duplicate ROS package) does not hide the package the other file of that side still gives', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'marque-diff-dup-'));
  const msgs = join(FIXTURES, 'turtlebot4', 'turtlebot4_msgs', 'package.xml');
  // OLD: the package checked out twice (colcon refuses the second, b/); NEW: only b/ is left.
  for (const [side, folders] of [['old', ['a', 'b']], ['new', ['b']]] as const) {
    for (const f of folders) { mkdirSync(join(dir, side, f), { recursive: true }); cpSync(msgs, join(dir, side, f, 'package.xml')); }
  }
  const d = await diffProducts({ old: join(dir, 'old'), new: join(dir, 'new') });
  assert.deepEqual(d.notRead.map((n) => [n.side, n.file]), [['old', 'b/package.xml']]);
  assert.deepEqual(d.components.removed.map((c) => c.purl), [], 'turtlebot4_msgs is on both sides');
  assert.deepEqual(d.components.added.map((c) => c.purl), []);
});

test('a role change that keeps the class is named in the verdict and the comment, not "class default → default"', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'marque-diff-role-'));
  cpSync(EXAMPLE_15, join(dir, 'next'), { recursive: true });
  const yaml = readFileSync(join(dir, 'next', 'marque.yaml'), 'utf8');
  assert.match(yaml, /\n {2}actor: manufacturer\n/);
  writeFileSync(join(dir, 'next', 'marque.yaml'), yaml.replace(/\n {2}actor: manufacturer\n/, '\n  actor: importer\n'));
  const d = await diffProducts({ old: EXAMPLE, new: join(dir, 'next') });
  assert.equal(d.classification!.changed, true);
  assert.match(d.verdict, /CRA profile changed: role manufacturer → importer, conformity routes A \(Art\. 32\(1\)\(a\)\).* → none, obligations 2 added, \d+ removed$/);
  assert.doesNotMatch(d.verdict, /class default → default/);
  const { diffMarkdown } = await import('../src/diff/markdown.ts');
  assert.match(diffMarkdown(d), /role manufacturer → importer\.\n- Obligations added: `importer-checks`, `importer-vulnerabilities`\.\n- Obligations removed: `essential-requirements`/);
});

test('flask 0109e496: a component at the same version that starts to ship (test → runtime: blinker, itsdangerous) is to re-assess ("now-ships"), so --fail-on unassessed-runtime sees it', async () => {
  const d = await diffProducts({ old: join(UPGRADES, 'flask-0109e496-parent'), new: join(UPGRADES, 'flask-0109e496') });
  assert.deepEqual(d.reassess.filter((r) => r.reason === 'now-ships').map((r) => `${r.purl} ${r.kind}`), ['pkg:pypi/blinker@1.9.0 runtime', 'pkg:pypi/itsdangerous@2.2.0 runtime']);
  // An upgrade that also starts to ship is re-assessed once, for its version.
  assert.equal(d.reassess.filter((r) => r.purl === 'pkg:pypi/jinja2@3.1.6').map((r) => r.reason).join(), 'version-changed');
});

test('a finding whose component starts to ship at the same version (a test requirement now at runtime) is introduced: it was not the product\'s before', () => {
  const dir = mkdtempSync(join(tmpdir(), 'marque-diff-ships-'));
  const db = join(dir, 'a.sqlite');
  assert.equal(marque(ROOT, 'db', 'import', join(FIXTURES, 'osv/pypa'), '--db', db).code, 0);
  const old = join(dir, 'old'); const next = join(dir, 'new');
  mkdirSync(join(old, 'requirements'), { recursive: true }); mkdirSync(next);
  writeFileSync(join(old, 'requirements.txt'), 'certifi==2024.2.2\n');
  writeFileSync(join(old, 'requirements', 'tests.txt'), 'idna==3.6\n');
  writeFileSync(join(next, 'requirements.txt'), 'certifi==2024.2.2\nidna==3.6\n');
  const d = JSON.parse(marque(ROOT, 'diff', old, next, '--db', db, '--json').out);
  assert.deepEqual(d.findings.introduced.map((f: { advisory: string; component: string; scope: string }) => `${f.advisory} ${f.component} ${f.scope}`), ['PYSEC-2024-60 pkg:pypi/idna@3.6 runtime']);
  assert.deepEqual(d.findings.fixed, []);
});
