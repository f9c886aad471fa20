import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { gunzipSync } from 'node:zlib';
import { parse as parseToml } from 'smol-toml';
import { buildInventory } from '../src/api/inventory.ts';
import { parseUvLock } from '../src/sources/python/lockfiles.ts';
import type { PythonProject } from '../src/sources/python/project.ts';
import { why } from '../src/api/sbom.ts';
import { EXAMPLE, FIXTURES } from './helpers/paths.ts';
import { missingTool } from './helpers/tools.ts';

const L = join(FIXTURES, 'lockfiles');
const edge = (inv: Awaited<ReturnType<typeof buildInventory>>, from: string, to: string) =>
  inv.dependencies.find((d) => d.from.startsWith(from) && d.to.startsWith(to));

test('npm package-lock v3: tree resolution, dev scope, hashes, depth', async () => {
  const inv = await buildInventory({ target: join(EXAMPLE, 'web/dashboard/package-lock.json') });
  const root = inv.components.find((c) => c.root)!;
  assert.equal(root.purl, 'pkg:npm/courier-dashboard@1.4.0');
  const lock = JSON.parse(readFileSync(join(EXAMPLE, 'web/dashboard/package-lock.json'), 'utf8'));
  const distinct = new Set(Object.entries(lock.packages as Record<string, { version: string; name?: string }>)
    .map(([loc, e]) => `${e.name ?? loc.slice(loc.lastIndexOf('node_modules/') + 13)}@${e.version}`));
  assert.equal(inv.components.length, distinct.size, 'one component per distinct name@version in the lockfile');
  const express = inv.components.find((c) => c.name === 'express')!;
  assert.equal(express.depth, 1);
  assert.equal(express.kind, 'runtime');
  assert.deepEqual(express.licenses, ['MIT']);
  assert.equal(express.hashes?.[0]?.alg, 'SHA-512');
  assert.match(express.distribution!, /^https:\/\/registry\.npmjs\.org\/express\/-\/express-4\.18\.2\.tgz$/);
  assert.equal(inv.components.find((c) => c.name === 'eslint-config-prettier')!.kind, 'dev');
  assert.equal(edge(inv, 'pkg:npm/courier-dashboard', 'pkg:npm/eslint-config-prettier')!.kind, 'dev');
  // Nested node_modules resolve to the nearest copy, as Node does.
  assert.ok(inv.components.every((c) => c.depth !== null), 'every package reachable from the project');
  assert.deepEqual(inv.unresolved, []);
});

test('npm lockfile v1 is read (without package.json: the project depends on its top-level packages)', async () => {
  const inv = await buildInventory({ target: join(FIXTURES, 'npm-v1/package-lock.json') });
  assert.deepEqual(inv.components.map((c) => c.purl).sort(), ['pkg:npm/ansi-html@0.0.8', 'pkg:npm/old@1.0.0']);
  assert.deepEqual(inv.problems, []);
});

test('poetry.lock with pyproject groups', async () => {
  const inv = await buildInventory({ target: join(L, 'poetry') });
  const root = inv.components.find((c) => c.root)!;
  assert.equal(root.purl, 'pkg:pypi/robot-telemetry@0.3.0');
  assert.equal(edge(inv, root.purl, 'pkg:pypi/requests@2.31.0')!.kind, 'runtime');
  assert.equal(edge(inv, root.purl, 'pkg:pypi/pytest@8.1.1')!.kind, 'dev');
  assert.equal(inv.components.find((c) => c.name === 'urllib3')!.depth, 2);
  assert.equal(inv.components.find((c) => c.name === 'pluggy')!.kind, 'dev');
  // colorama is only for win32 and not in the lock: poetry leaves it out; so does Marque, visibly.
  assert.deepEqual(inv.unresolved.map((u) => u.key), ['colorama']);
});

test('poetry.lock (Poetry\'s own, lock 2.1): the extras the project asks for (pbs-installer[download,install], cachecontrol[filecache]) ship their packages; every package\'s scope is the one Poetry\'s solver wrote in its `groups`', async () => {
  const dir = join(L, 'poetry-poetry');
  const inv = await buildInventory({ target: dir });
  // The oracle: Poetry 2 writes, for each locked package, the project's groups that need it, and
  // `optional = true` when only the project's own extras do. main → runtime (optional), any other → dev.
  const lock = parseToml(readFileSync(join(dir, 'poetry.lock'), 'utf8')) as { package: { name: string; version: string; groups: string[]; optional: boolean }[] };
  const kind = new Map(inv.components.map((c) => [c.name, c.kind]));
  const expected = lock.package.map((p) => `${p.name} ${p.groups.includes('main') ? (p.optional ? 'optional' : 'runtime') : 'dev'}`);
  assert.deepEqual(lock.package.map((p) => `${p.name} ${kind.get(p.name.toLowerCase())}`), expected);
  assert.equal(lock.package.length, 78);
  // Before, httpx, zstandard and what httpx brings (anyio, httpcore, h11, exceptiongroup) read optional.
  for (const n of ['httpx', 'zstandard', 'anyio', 'httpcore', 'h11', 'exceptiongroup']) assert.equal(kind.get(n), 'runtime', n);
  const pbs = inv.components.find((c) => c.name === 'pbs-installer')!;
  assert.deepEqual(inv.dependencies.filter((d) => d.from === pbs.purl).map((d) => `${d.to} ${d.kind} ${d.condition}`).sort(), [
    'pkg:pypi/httpx@0.28.1 optional extra == "download"', 'pkg:pypi/httpx@0.28.1 runtime extra == "download"',
    'pkg:pypi/zstandard@0.25.0 optional extra == "install"', 'pkg:pypi/zstandard@0.25.0 runtime extra == "install"',
  ]);
  assert.deepEqual([inv.unresolved, inv.problems], [[], []]);
  // poetry-core comes from git ("poetry-core @ git+https://…"): its repository and the commit locked are its provenance.
  assert.deepEqual(inv.components.find((c) => c.name === 'poetry-core')!.provenance, { type: 'git', url: 'https://github.com/python-poetry/poetry-core.git', version: 'e3998b0e111dc03e4aa721fd054c48e5c7de6fc5' });
});

test('uv.lock: a package locked from git (pydantic-ai\'s strict-no-cover, its block verbatim) has its repository and commit as provenance', () => {
  const text = [
    'version = 1', 'revision = 3', 'requires-python = ">=3.10"', '',
    '[[package]]', 'name = "strict-no-cover"', 'version = "0.1.1"',
    'source = { git = "https://github.com/pydantic/strict-no-cover.git?rev=7fc59da2c4dff919db2095a0f0e47101b657131d#7fc59da2c4dff919db2095a0f0e47101b657131d" }',
    'dependencies = [', '    { name = "pydantic" },', ']', '',
  ].join('\n');
  const project: PythonProject = { component: { purl: 'pkg:generic/p', name: 'p', version: '', ecosystem: 'generic', licenses: [], root: true }, groups: new Map() };
  const f = parseUvLock(text, 'uv.lock', project);
  assert.deepEqual(f.components.find((c) => c.name === 'strict-no-cover')!.provenance, { type: 'git', url: 'https://github.com/pydantic/strict-no-cover.git', version: '7fc59da2c4dff919db2095a0f0e47101b657131d' });
});

test('uv.lock: editable project is the root, markers kept as conditions', async () => {
  const inv = await buildInventory({ target: join(L, 'uv') });
  const root = inv.components.find((c) => c.root)!;
  assert.equal(root.purl, 'pkg:pypi/mission-planner@0.1.0');
  assert.equal(edge(inv, 'pkg:pypi/anyio', 'pkg:pypi/exceptiongroup')!.condition, "python_full_version < '3.11'");
  assert.equal(inv.components.find((c) => c.name === 'ruff')!.kind, 'dev');
  assert.equal(inv.components.find((c) => c.name === 'anyio')!.hashes![0]!.alg, 'SHA-256');
});

test('Pipfile.lock default and develop; the project installed from its own folder (path ".") is the project, no gap', async () => {
  const inv = await buildInventory({ target: join(L, 'pipfile') });
  assert.equal(inv.components.find((c) => c.name === 'pyyaml')!.version, '6.0.1');
  assert.equal(inv.components.find((c) => c.name === 'pytest')!.kind, 'dev');
  assert.deepEqual(inv.unresolved, []);
  assert.ok(!inv.components.some((c) => c.name === 'local-tool'));
});

test('Pipfile.lock (rmf-web): an editable folder of the product is its own code, first-party, no gap; develop packages under undecided markers are not said to ship', async () => {
  const inv = await buildInventory({ target: join(L, 'pipfile-rmf-web') });
  assert.deepEqual(inv.unresolved, [], 'a path dependency was a gap');
  const api = inv.components.find((c) => c.name === 'api-server')!;
  assert.deepEqual([api.purl, api.kind, api.firstParty, api.properties?.['marque:version']], ['pkg:pypi/api-server', 'dev', true, 'unknown: the product\'s own folder ./packages/api-server, installed from its source (editable); Pipfile.lock records no version for it']);
  assert.equal(inv.components.find((c) => c.name === 'ros-translator')!.firstParty, true);
  // Everything is in [dev-packages]: markers on Python versions that stay undecided keep the packages, dev.
  assert.deepEqual(inv.components.filter((c) => !c.firstParty).map((c) => `${c.name}@${c.version} ${c.kind}`).sort(), ['aiofiles@25.1.0 dev', 'black@26.5.1 dev', 'fastapi@0.141.1 dev', 'starlette@1.6.0 dev']);
  assert.ok(!inv.notes.some((n) => /counted as shipping/.test(n)), inv.notes.join('\n'));
  // A git checkout: its repository and commit, no version (a stated gap); a folder outside the scanned one: a gap.
  const dir = mkdtempSync(join(tmpdir(), 'marque-pipfile-'));
  writeFileSync(join(dir, 'Pipfile.lock'), JSON.stringify({ _meta: { requires: {} }, default: { 'rmf-client': { git: 'https://github.com/open-rmf/rmf-client.git', ref: '0123456789abcdef0123456789abcdef01234567' }, shared: { path: '../shared' }, requests: { version: '==2.32.3', markers: "sys_platform == 'linux'" } }, develop: {} }));
  try {
    const other = await buildInventory({ target: dir });
    const git = other.components.find((c) => c.name === 'rmf-client')!;
    assert.deepEqual([git.purl, git.kind, git.firstParty, git.provenance], ['pkg:pypi/rmf-client', 'runtime', undefined, { type: 'git', url: 'https://github.com/open-rmf/rmf-client.git', version: '0123456789abcdef0123456789abcdef01234567' }]);
    assert.deepEqual(other.unresolved.map((u) => [u.key, u.reason]), [['shared', 'a folder outside the scanned folder ("../shared"): not read, no version']]);
    // A runtime package under an undecided marker is still named as counted as shipping.
    assert.ok(other.notes.some((n) => /1 package\(s\) are installed under markers Marque cannot decide .*kept, counted as shipping.*requests 2\.32\.3/.test(n)), other.notes.join('\n'));
  } finally { rmSync(dir, { recursive: true, force: true }); }
});

test('requirements.txt: pins become components; line numbers point at the file', async () => {
  const inv = await buildInventory({ target: join(EXAMPLE, 'tools/fleet-provisioner') });
  const root = inv.components.find((c) => c.root)!;
  assert.equal(root.purl, 'pkg:pypi/courier-fleet-provisioner@1.4.0');
  assert.equal(inv.components.filter((c) => !c.root).length, 10);
  assert.equal(inv.components.find((c) => c.name === 'requests')!.version, '2.31.0');
});

test('Cargo.lock: workspace member as root, versioned dependency strings', async () => {
  const inv = await buildInventory({ target: join(L, 'cargo') });
  assert.equal(inv.components.find((c) => c.root)!.purl, 'pkg:cargo/motor-fw-tool@0.2.0');
  assert.ok(edge(inv, 'pkg:cargo/serialport@4.3.0', 'pkg:cargo/thiserror@1.0.58'));
  assert.equal(inv.components.find((c) => c.purl === 'pkg:cargo/thiserror@2.0.3')!.depth, null, 'unused copy is unreachable');
  assert.equal(inv.components.find((c) => c.name === 'cfg-if')!.hashes![0]!.value.length, 64);
});

test('dpkg status of a real Debian 12 image: installed packages, distro, manual roots', async () => {
  const inv = await buildInventory({ target: join(FIXTURES, 'image') });
  assert.ok(inv.components.length > 800);
  const bash = inv.components.find((c) => c.name === 'bash')!;
  assert.match(bash.purl, /^pkg:deb\/debian\/bash@[^?]+\?arch=amd64&distro=debian-12$/);
  assert.ok(inv.components.some((c) => c.root), 'packages installed by hand are roots');
  const libc = inv.components.find((c) => c.name === 'libc6')!;
  assert.ok(libc.depth !== null && libc.depth >= 1);
  assert.ok(inv.dependencies.length > 1000);
  // Essential and required packages are the system itself: roots with a scope, kept by --kind runtime.
  assert.equal(bash.depth, 0);
  assert.equal(bash.kind, 'runtime');
  assert.equal(bash.properties?.['deb:essential'], 'yes');
  const runtime = await buildInventory({ target: join(FIXTURES, 'image'), kinds: ['runtime'] });
  for (const name of ['base-files', 'dash', 'grep', 'gzip', 'login', 'ncurses-base']) assert.ok(runtime.components.some((c) => c.name === name), name);
  assert.equal(inv.components.filter((c) => c.depth === null).length, 0);
});

test('dpkg oracle: dpkg-query (Debian\'s dpkg, reading the image\'s status file as its database) lists the same 827 installed packages at the same versions and architectures; every Depends/Pre-Depends on one installed package is an edge, and every edge is one the package declares', async (t) => {
  if (spawnSync('dpkg-query', ['--version']).error) { missingTool(t, 'dpkg-query (the oracle)', 'it comes with dpkg'); return; }
  const admin = mkdtempSync(join(tmpdir(), 'marque-dpkg-'));
  mkdirSync(join(admin, 'updates'));
  mkdirSync(join(admin, 'info'));
  cpSync(join(FIXTURES, 'image/var/lib/dpkg/status'), join(admin, 'status'));
  const r = spawnSync('dpkg-query', [`--admindir=${admin}`, '-W', '-f', '${Package}\t${Version}\t${Architecture}\t${db:Status-Abbrev}\t${Pre-Depends}, ${Depends}, ${Recommends}\t${Provides}\n'], { encoding: 'utf8', maxBuffer: 16 << 20 });
  assert.equal(r.status, 0, r.stderr);
  const rows = r.stdout.split('\n').filter(Boolean).map((l) => l.split('\t')).filter((f) => f[3]!.trim() === 'ii');
  const inv = await buildInventory({ target: join(FIXTURES, 'image') });
  const debs = inv.components.filter((c) => c.ecosystem === 'deb');
  const ours = new Map(debs.map((c) => [c.name, c]));
  assert.equal(rows.length, 827);
  assert.deepEqual(rows.filter(([n, v, a]) => ours.get(n!)?.version !== v || !ours.get(n!)!.purl.includes(`arch=${a}`)).map(([n]) => n), []);
  assert.equal(debs.length, rows.length);
  const installed = new Set(rows.map(([n]) => n!));
  const provides = new Map(rows.map(([n, , , , , p]) => [n!, new Set((p ?? '').split(',').map((x) => x.trim().split(/[\s(]/)[0]!).filter(Boolean))]));
  const nameOf = new Map(debs.map((c) => [c.purl, c.name]));
  const edges = new Set(inv.dependencies.map((d) => `${nameOf.get(d.from)} ${nameOf.get(d.to)}`));
  const missing: string[] = [];
  const undeclared: string[] = [];
  let simple = 0;
  for (const [n, , , , rel] of rows) {
    const groups = rel!.split(',').map((g) => g.trim()).filter(Boolean).map((g) => g.split('|').map((x) => x.trim().split(/[\s(:]/)[0]!));
    // One installed package, no alternative: dpkg needs exactly it.
    for (const g of groups) if (g.length === 1 && installed.has(g[0]!) && g[0] !== n) { simple++; if (!edges.has(`${n} ${g[0]}`)) missing.push(`${n} → ${g[0]}`); }
    const named = new Set(groups.flat());
    for (const d of inv.dependencies.filter((x) => nameOf.get(x.from) === n)) {
      const to = nameOf.get(d.to)!;
      if (!named.has(to) && ![...(provides.get(to) ?? [])].some((p) => named.has(p))) undeclared.push(`${n} → ${to}`);
    }
  }
  assert.deepEqual([missing, undeclared], [[], []]);
  assert.equal(simple, 2789, 'relations naming one installed package, all edges (of 2,851 edges in all)');
});

test('SBOM import: CycloneDX 1.4 and SPDX 2.3 from other tools', async () => {
  const cdx = await buildInventory({ target: join(FIXTURES, 'sboms/laravel-7.12.0.cdx.json') });
  assert.equal(cdx.components.filter((c) => c.ecosystem === 'composer' && !c.root).length, 62);
  assert.ok(cdx.dependencies.length >= 60);
  const spdx = await buildInventory({ target: join(FIXTURES, 'sboms/example11.spdx.json') });
  assert.ok(spdx.components.length >= 1);
  assert.ok(spdx.components.some((c) => c.root));
});

test('the example robot: ROS, rosdep, rosdistro, npm and Python in one graph', async () => {
  const inv = await buildInventory({ target: EXAMPLE });
  const ros = inv.components.filter((c) => c.ecosystem === 'ros');
  assert.deepEqual(ros.map((c) => c.name).sort(), ['courier_bringup', 'courier_description', 'courier_fleet_client', 'courier_motor_bridge', 'courier_msgs', 'courier_navigation']);
  const rclcpp = inv.components.find((c) => c.name === 'ros-jazzy-rclcpp')!;
  assert.match(rclcpp.purl, /^pkg:deb\/ubuntu\/ros-jazzy-rclcpp@\d+\.\d+\.\d+-\d+\?distro=ubuntu-24\.04$/);
  assert.equal(rclcpp.depth, 1);
  assert.equal(inv.components.find((c) => c.name === 'libeigen3-dev')!.kind, 'build');
  assert.equal(inv.components.find((c) => c.name === 'python3-requests')!.kind, 'runtime');
  // The humble-only dependency is out; foxglove_bridge (not humble) is in.
  assert.ok(!inv.components.some((c) => c.name === 'python3-yaml'));
  assert.ok(inv.components.some((c) => c.name === 'ros-jazzy-foxglove-bridge'));
  // .repos provenance with the pinned commit.
  const bridge = inv.components.find((c) => c.name === 'courier_motor_bridge')!;
  assert.deepEqual(bridge.provenance, { type: 'git', url: 'https://git.example-robotics.invalid/courier/courier_drivers.git', version: '3f9c2b1e8a7d6c5b4a39281706f5e4d3c2b1a098' });
  // Group dependency: courier_fleet_client gets courier_msgs as build and exec.
  assert.ok(inv.dependencies.some((d) => d.from.includes('courier_fleet_client') && d.to.includes('courier_msgs') && d.kind === 'build'));
  // Unresolvable keys are listed with package, file and line; none dropped.
  const pin = inv.unresolved.find((u) => u.key === 'courier_cert_pinning')!;
  assert.deepEqual([pin.package, pin.file, pin.line], ['courier_fleet_client', 'src/courier/courier_fleet_client/package.xml', 17]);
  // Ambiguous licence kept as declared.
  assert.deepEqual(inv.components.find((c) => c.name === 'courier_description')!.licenses, ['BSD']);
  assert.deepEqual(inv.problems, []);
});

test('platform decides rosdep answers; an unreleased platform leaves ROS keys unresolved with the reason', async () => {
  const inv = await buildInventory({ target: EXAMPLE, platform: { os: 'ubuntu', codename: 'resolute' } });
  const rclcpp = inv.unresolved.find((u) => u.key === 'rclcpp')!;
  assert.match(rclcpp.reason, /jazzy is not released for ubuntu:resolute/);
  const rolling = await buildInventory({ target: EXAMPLE, rosdistro: 'rolling', platform: { os: 'ubuntu', codename: 'resolute' } });
  assert.ok(rolling.components.some((c) => c.name === 'ros-rolling-rclcpp'));
});

test('an unresolved <depend> is listed once, with the kind that ships (exec), not its first expansion (build)', async () => {
  // PX4/px4_ros_com: <depend>px4_msgs</depend>, px4_msgs built from source beside it, not released.
  const dir = mkdtempSync(join(tmpdir(), 'marque-depend-'));
  writeFileSync(join(dir, 'package.xml'), '<?xml version="1.0"?>\n<package format="3">\n  <name>px4_ros_com</name>\n  <version>0.1.0</version>\n  <description>d</description>\n  <maintainer email="a@b.c">a</maintainer>\n  <license>BSD-3-Clause</license>\n  <buildtool_depend>ament_cmake</buildtool_depend>\n  <depend>px4_msgs</depend>\n  <test_depend>not_a_key_either</test_depend>\n</package>\n');
  const inv = await buildInventory({ target: dir });
  assert.deepEqual(inv.unresolved.map((u) => [u.key, u.kind, u.line]), [['px4_msgs', 'exec', 9], ['not_a_key_either', 'test', 10]]);
});

test('without --platform, a distribution not released for ubuntu:noble is read for its own Ubuntu (humble: jammy), not left unresolved', async () => {
  // linorobot2's humble branch, `marque inventory --rosdistro humble`: every ROS key was "not released for ubuntu:noble".
  const humble = await buildInventory({ target: EXAMPLE, rosdistro: 'humble' });
  assert.ok(!humble.unresolved.some((u) => /not released for/.test(u.reason)), humble.unresolved.map((u) => u.reason).join('\n'));
  assert.ok(humble.components.some((c) => c.purl.startsWith('pkg:deb/ubuntu/ros-humble-rclcpp@') && c.purl.endsWith('?distro=ubuntu-22.04')));
  const rolling = await buildInventory({ target: EXAMPLE, rosdistro: 'rolling' });
  assert.ok(rolling.components.some((c) => c.purl.startsWith('pkg:deb/ubuntu/ros-rolling-rclcpp@') && c.purl.endsWith('?distro=ubuntu-26.04')));
  // jazzy targets noble: the default stays.
  const jazzy = await buildInventory({ target: EXAMPLE });
  assert.ok(jazzy.components.some((c) => c.purl.startsWith('pkg:deb/ubuntu/ros-jazzy-rclcpp@') && c.purl.endsWith('?distro=ubuntu-24.04')));
});

test('kind filter keeps only runtime dependencies', async () => {
  const inv = await buildInventory({ target: EXAMPLE, kinds: ['runtime'] });
  assert.ok(!inv.components.some((c) => c.name === 'libeigen3-dev'));
  assert.ok(!inv.components.some((c) => c.name === 'eslint-config-prettier'));
  assert.ok(inv.components.some((c) => c.name === 'express'));
  assert.ok(inv.dependencies.every((d) => ['exec', 'build_export', 'buildtool_export', 'runtime', 'peer'].includes(d.kind)));
});

test("a package's provenance is the .repos entry with the longest path holding its folder, the first of equal paths", async () => {
  const root = mkdtempSync(join(tmpdir(), 'marque-repos-provenance-'));
  const pkg = (dir: string, name: string) => {
    mkdirSync(join(root, dir), { recursive: true });
    writeFileSync(join(root, dir, 'package.xml'), `<package format="3"><name>${name}</name><version>1.0.0</version><description>d</description><maintainer email="m@example.com">m</maintainer><license>MIT</license></package>\n`);
  };
  pkg('src/outer/p', 'p');
  pkg('src/outer/inner/q', 'q');
  pkg('src/outer-sibling/r', 'r');
  pkg('src/elsewhere/s', 's');
  writeFileSync(join(root, 'ws.repos'), [
    'repositories:',
    '  outer: {type: git, url: https://example.com/outer.git, version: v1}',
    '  outer/inner: {type: git, url: https://example.com/inner.git, version: v2}',
    '  outer/inner/: {type: git, url: https://example.com/inner-again.git, version: v3}',
    '  outer-sib: {type: git, url: https://example.com/not-a-prefix.git}',
    '',
  ].join('\n'));
  const inv = await buildInventory({ target: root });
  const url = (name: string) => inv.components.find((c) => c.name === name)!.provenance?.url;
  assert.equal(url('p'), 'https://example.com/outer.git');
  assert.equal(url('q'), 'https://example.com/inner.git');
  assert.equal(url('r'), undefined, "a path that is a prefix of the folder's name only");
  assert.equal(url('s'), undefined);
});

test('.repos files with no repositories are valid, as vcstool reads them', async () => {
  const { parseReposFile } = await import('../src/sources/ros/repos.ts');
  const problems: { message: string }[] = [];
  assert.deepEqual(parseReposFile('repositories:\n#  foo:\n#    type: git\n#    url: https://example.com/foo.git\n', 'x.repos', problems as never), []);
  assert.deepEqual(parseReposFile('# nothing released yet\n', 'y.repos', problems as never), []);
  assert.equal(problems.length, 0);
  assert.throws(() => parseReposFile('foo: bar\n', 'z.repos', problems as never), /not a \.repos file/);
});

test('uv.lock: a reference with a version means that version, with its own marker (pydantic, rpds-py at two versions)', async () => {
  const inv = await buildInventory({ target: join(FIXTURES, 'lockfiles/uv-versioned-refs') });
  const edges = inv.dependencies.filter((d) => d.from === 'pkg:pypi/jsonschema@4.26.0' && d.to.startsWith('pkg:pypi/rpds-py@'));
  assert.deepEqual(edges.map((d) => [d.to, d.condition]).sort(), [
    ['pkg:pypi/rpds-py@0.30.0', "python_full_version < '3.11'"],
    ['pkg:pypi/rpds-py@2026.6.3', "python_full_version >= '3.11'"],
  ]);
  for (const v of ['0.30.0', '2026.6.3']) {
    const c = inv.components.find((x) => x.purl === `pkg:pypi/rpds-py@${v}`)!;
    assert.ok(c.depth !== null && c.kind !== null, `rpds-py ${v} has depth and scope`);
  }
  assert.equal(inv.unresolved.length, 0);
});

test('npm scopes follow the lockfile\'s own dev/optional flags (Theia, 2,197 packages: npm is the oracle)', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'marque-theia-'));
  const text = gunzipSync(readFileSync(join(FIXTURES, 'npm-theia/package-lock.json.gz'))).toString('utf8');
  writeFileSync(join(dir, 'package-lock.json'), text);
  const lock = JSON.parse(text) as { packages: Record<string, { name?: string; version?: string; dev?: boolean; optional?: boolean; devOptional?: boolean; link?: boolean }> };
  // npm flags each location; one name@version at several locations ships if any of them does.
  const want = new Map<string, number>();
  for (const [loc, e] of Object.entries(lock.packages)) {
    if (!loc.includes('node_modules/') || e.link) continue;
    const key = `${e.name ?? loc.slice(loc.lastIndexOf('node_modules/') + 13)}@${e.version}`;
    want.set(key, Math.min(want.get(key) ?? 2, e.dev ? 2 : e.optional || e.devOptional ? 1 : 0));
  }
  const inv = await buildInventory({ target: dir });
  const byKey = new Map(inv.components.map((c) => [`${c.name}@${c.version}`, c]));
  let compared = 0;
  for (const [key, s] of want) {
    const c = byKey.get(key);
    if (!c) continue;
    compared++;
    assert.equal(c.kind, ['runtime', 'optional', 'dev'][s], key);
  }
  assert.ok(compared > 2000, `${compared} packages compared`);
  assert.equal(byKey.get('@types/react@18.3.31')?.kind, 'dev', 'a peer satisfied by a root devDependency is dev, as npm says');
  const runtime = await buildInventory({ target: dir, kinds: ['runtime'] });
  assert.ok(!runtime.components.some((c) => c.kind === 'dev'));
  // why on a real npm tree: the 10 shortest paths, the rest counted, no recursion.
  const w = why(inv, 'semver');
  assert.equal(w.paths.length, 10);
  assert.ok(w.total > 10n && w.truncated);
  assert.ok(w.paths.every((p, i) => i === 0 || p.length >= w.paths[i - 1]!.length));
});

test('uv.lock (full-stack-fastapi-template): extras the app asks for are needed as the app is (fastapi[standard], psycopg[binary], pwdlib[argon2,bcrypt]); the workspace root\'s groups are dev', async () => {
  const inv = await buildInventory({ target: join(FIXTURES, 'lockfiles/uv-fastapi-template') });
  assert.deepEqual(inv.unresolved, []);
  const kind = (n: string) => inv.components.find((c) => c.name === n)?.kind;
  // Hand-checked against the lock (uv does not install here): what `uv sync --no-dev` installs.
  for (const n of ['uvicorn', 'uvloop', 'httptools', 'watchfiles', 'websockets', 'fastapi-cli', 'fastapi-cloud-cli', 'psycopg-binary', 'bcrypt', 'argon2-cffi', 'argon2-cffi-bindings', 'cffi', 'pycparser', 'pydantic-extra-types', 'typer']) assert.equal(kind(n), 'runtime', n);
  assert.equal(inv.components.find((c) => c.name === 'uvicorn')!.depth, 2, 'through fastapi, not beside it');
  const fastapi = inv.components.find((c) => c.name === 'fastapi')!;
  assert.ok(inv.dependencies.some((d) => d.from === fastapi.purl && d.to.startsWith('pkg:pypi/uvicorn@') && d.kind === 'runtime' && d.condition === 'extra == "standard"'));
  // `[manifest.dependency-groups]` of the virtual workspace root and the app's dev-dependencies: what only `uv sync` adds.
  assert.deepEqual(inv.components.filter((c) => c.kind === 'dev').map((c) => c.name).sort(), ['ast-serialize', 'coverage', 'iniconfig', 'librt', 'mypy', 'mypy-extensions', 'packaging', 'pathspec', 'pluggy', 'prek', 'pytest', 'ruff', 'smokeshow', 'ty', 'zizmor']);
  assert.equal(inv.components.find((c) => c.name === 'zizmor')!.depth, 1);
  assert.equal(inv.components.filter((c) => c.kind === 'optional').length, 0);
});

test('Cargo.lock with its manifests (ripgrep): dev-dependencies are dev, optional ones off by default are optional, fuzz/ is test; hand-checked against the Cargo.toml files', async () => {
  const inv = await buildInventory({ target: join(FIXTURES, 'cargo/ripgrep') });
  assert.deepEqual(inv.unresolved, []);
  assert.deepEqual(inv.problems, []);
  const kinds = (n: string) => inv.components.filter((c) => c.name === n && c.sourceFile === 'Cargo.lock').map((c) => c.kind);
  // [dev-dependencies] only: glob (globset), crossbeam-channel (ignore), regex (grep-matcher, grep-searcher).
  for (const n of ['glob', 'crossbeam-channel', 'regex']) assert.deepEqual(kinds(n), ['dev'], n);
  // In dev-dependencies somewhere but shipped by another crate: serde (grep-printer's default feature), walkdir (ignore), memmap2 (renamed "memmap").
  for (const n of ['serde', 'serde_json', 'walkdir', 'memmap2', 'termcolor', 'bstr']) assert.deepEqual(kinds(n), ['runtime'], n);
  // globset's `arbitrary` feature is not a default one.
  assert.deepEqual(kinds('arbitrary'), ['optional']);
  // fuzz/ has its own lock (cargo-fuzz): what only it brings is test.
  assert.equal(inv.components.find((c) => c.name === 'libfuzzer-sys')!.kind, 'test');
  assert.ok(inv.notes.some((n) => /fuzz\/Cargo\.lock/.test(n)));
});

test('Cargo oracle: `cargo metadata --no-deps --offline` (Cargo itself, reading the same Cargo.toml files) gives every own package\'s dependencies with their kind; Marque\'s edges have the same kinds, optional ones on only by default features runtime; fuzz/ is its own workspace, test', async (t) => {
  if (spawnSync('cargo', ['--version']).error) { missingTool(t, 'cargo (cargo metadata is the oracle)', 'rustup or apt-get install cargo'); return; }
  const dir = mkdtempSync(join(tmpdir(), 'marque-cargo-oracle-'));
  cpSync(join(FIXTURES, 'cargo/ripgrep'), dir, { recursive: true });
  // Cargo wants each target's source file to exist; empty ones do (the fixture holds manifests only).
  for (const m of ['Cargo.toml', 'fuzz/Cargo.toml', ...readdirSync(join(dir, 'crates')).map((c) => `crates/${c}/Cargo.toml`)]) {
    const folder = join(dir, m, '..');
    for (const p of ['src/lib.rs', ...[...readFileSync(join(dir, m), 'utf8').matchAll(/^path\s*=\s*"([^"]+)"/gm)].map((x) => x[1]!)]) { mkdirSync(join(folder, p, '..'), { recursive: true }); writeFileSync(join(folder, p), ''); }
  }
  type Dep = { name: string; kind: 'dev' | 'build' | null; optional: boolean; rename: string | null };
  type Pkg = { name: string; version: string; manifest_path: string; dependencies: Dep[]; features: Record<string, string[]> };
  const metadata = (cwd: string) => {
    const r = spawnSync('cargo', ['metadata', '--no-deps', '--offline', '--format-version', '1'], { cwd, encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    return (JSON.parse(r.stdout) as { packages: Pkg[] }).packages;
  };
  // Cargo's default features, followed: "dep:x", "x" and "x/f" turn an optional dependency x on ("x?/f" does not).
  const onByDefault = (p: Pkg) => {
    const on = new Set<string>();
    const seen = new Set<string>();
    const visit = (f: string) => {
      if (seen.has(f)) return;
      seen.add(f);
      for (const x of p.features[f] ?? []) {
        if (x.startsWith('dep:')) on.add(x.slice(4));
        else if (x.includes('?/')) continue;
        else if (x.includes('/')) on.add(x.slice(0, x.indexOf('/')));
        else { if (!p.features[x]) on.add(x); visit(x); }
      }
    };
    visit('default');
    return on;
  };
  const inv = await buildInventory({ target: dir });
  const byPurl = new Map(inv.components.map((c) => [c.purl, c]));
  let compared = 0;
  for (const [cwd, lock] of [[dir, 'Cargo.lock'], [join(dir, 'fuzz'), 'fuzz/Cargo.lock']] as const) {
    for (const p of metadata(cwd)) {
      // A member is declared by its own Cargo.toml (crates/*), the workspace's root package by the lock.
      const from = inv.components.find((c) => c.name === p.name && c.version === p.version && c.root && (c.sourceFile === lock || c.sourceFile === `${p.manifest_path.slice(dir.length + 1)}`))!;
      assert.ok(from, `${p.name}@${p.version} in ${lock}`);
      const on = onByDefault(p);
      const want = new Map<string, Set<string>>();
      for (const d of p.dependencies) {
        const kind = lock.startsWith('fuzz/') ? 'test' : d.kind ?? (d.optional && !on.has(d.rename ?? d.name) ? 'optional' : 'runtime');
        if (!want.has(d.name)) want.set(d.name, new Set());
        want.get(d.name)!.add(kind);
      }
      const got = new Map<string, Set<string>>();
      for (const d of inv.dependencies.filter((x) => x.from === from.purl)) {
        const n = byPurl.get(d.to)!.name;
        if (!got.has(n)) got.set(n, new Set());
        got.get(n)!.add(lock.startsWith('fuzz/') ? byPurl.get(d.to)!.kind! : d.kind);
      }
      for (const [n, kinds] of want) { compared++; assert.deepEqual([...(got.get(n) ?? [])].sort(), [...kinds].sort(), `${p.name} → ${n}`); }
      assert.deepEqual([...got.keys()].filter((n) => !want.has(n)), [], `${p.name}: edges Cargo does not declare`);
    }
  }
  assert.equal(compared, 81, "dependency declarations of the 11 own packages and fuzz/");
});

test('Cargo workspace members under examples/ (foxglove-sdk): each is declared by its own Cargo.toml, so it and what only it brings are test; an example excluded from the workspace keeps its own lock', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'marque-cargo-foxglove-'));
  cpSync(join(FIXTURES, 'cargo/foxglove-sdk'), dir, { recursive: true });
  for (const gz of ['Cargo.lock.gz', 'rust/examples/rgb_camera_visualization/Cargo.lock.gz']) { writeFileSync(join(dir, gz.slice(0, -3)), gunzipSync(readFileSync(join(dir, gz)))); rmSync(join(dir, gz)); }
  try {
    const inv = await buildInventory({ target: dir });
    const kind = (purl: string) => inv.components.find((c) => c.purl === purl)?.kind;
    const members = inv.components.filter((c) => c.root && c.ecosystem === 'cargo');
    // "rust/examples/*" are workspace members: 19 examples, test; the library and the bindings ship.
    const examples = members.filter((c) => /^rust\/examples\/[^/]+\/Cargo\.toml$/.test(c.sourceFile!));
    assert.equal(examples.length, 19);
    assert.deepEqual([...new Set(examples.map((c) => c.kind))], ['test']);
    for (const p of ['pkg:cargo/foxglove@0.26.0', 'pkg:cargo/foxglove_c@0.26.0', 'pkg:cargo/foxglove-sdk-python@0.26.0']) assert.equal(kind(p), 'runtime', p);
    assert.equal(inv.components.find((c) => c.purl === 'pkg:cargo/foxglove@0.26.0')!.sourceFile, 'rust/foxglove/Cargo.toml');
    // What only the examples need no longer ships (it did, through example roots read as the product's).
    for (const p of ['pkg:cargo/ctrlc@3.5.2', 'pkg:cargo/quaternion@2.0.0', 'pkg:cargo/vecmath@1.0.0', 'pkg:cargo/strum@0.27.2']) assert.equal(kind(p), 'test', p);
    assert.equal(kind('pkg:cargo/tokio@1.53.0'), 'runtime', 'the library needs it too');
    // exclude = ["rust/examples/rgb_camera_visualization"]: its own workspace, its own lock, read.
    assert.equal(kind('pkg:cargo/foxglove@0.25.3'), 'test');
    assert.equal(kind('pkg:cargo/example_rgb_camera_visualization@0.0.0'), 'test');
    assert.ok(!inv.notes.some((n) => /not read/.test(n)), inv.notes.join('\n'));
    // Cargo itself agrees on which packages are the workspace's members.
    if (!spawnSync('cargo', ['--version']).error) {
      for (const m of readdirSync(dir, { recursive: true, withFileTypes: true }).filter((e) => e.name === 'Cargo.toml')) {
        mkdirSync(join(m.parentPath, 'src'), { recursive: true }); writeFileSync(join(m.parentPath, 'src/lib.rs'), '');
      }
      const r = spawnSync('cargo', ['metadata', '--no-deps', '--offline', '--format-version', '1'], { cwd: dir, encoding: 'utf8' });
      assert.equal(r.status, 0, r.stderr);
      const cargoMembers = (JSON.parse(r.stdout) as { packages: { name: string; manifest_path: string }[] }).packages.map((p) => `${p.name} ${p.manifest_path.slice(dir.length + 1)}`).sort();
      assert.deepEqual(members.filter((c) => c.sourceFile!.endsWith('/Cargo.toml')).map((c) => `${c.name} ${c.sourceFile}`).sort(), cargoMembers);
    }
  } finally { rmSync(dir, { recursive: true, force: true }); }
});

test('A Cargo.lock in a workspace member\'s folder is not read: Cargo builds members with the workspace\'s lock (as RustDesk\'s libs/portable/Cargo.lock); an excluded folder\'s lock is', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'marque-cargo-member-lock-'));
  const write = (rel: string, text: string) => { mkdirSync(join(dir, rel, '..'), { recursive: true }); writeFileSync(join(dir, rel), text); };
  const pkg = (name: string, version: string, deps: string[] = [], source = true) => `[[package]]\nname = "${name}"\nversion = "${version}"\n${source ? 'source = "registry+https://github.com/rust-lang/crates.io-index"\n' : ''}${deps.length ? `dependencies = [${deps.map((d) => `"${d}"`).join(', ')}]\n` : ''}`;
  write('Cargo.toml', '[workspace]\nmembers = ["libs/scrap", "libs/portable"]\nexclude = ["vdi/host"]\n\n[package]\nname = "rustdesk"\nversion = "1.4.9"\nedition = "2021"\n\n[dependencies]\nscrap = { path = "libs/scrap" }\n');
  write('Cargo.lock', `version = 4\n\n${pkg('brotli', '3.5.0')}\n${pkg('rustdesk', '1.4.9', ['scrap'], false)}\n${pkg('rustdesk-portable-packer', '1.4.9', ['brotli'], false)}\n${pkg('scrap', '0.5.0', [], false)}`);
  write('libs/portable/Cargo.toml', '[package]\nname = "rustdesk-portable-packer"\nversion = "1.4.9"\nedition = "2021"\n\n[dependencies]\nbrotli = "3.4"\n');
  write('libs/portable/Cargo.lock', `version = 3\n\n${pkg('brotli', '3.3.4')}\n${pkg('rustdesk-portable-packer', '0.1.0', ['brotli'], false)}`);
  write('libs/scrap/Cargo.toml', '[package]\nname = "scrap"\nversion = "0.5.0"\nedition = "2021"\n');
  write('vdi/host/Cargo.toml', '[package]\nname = "qemu-display-host"\nversion = "0.1.0"\nedition = "2021"\n\n[dependencies]\nlog = "0.4"\n');
  write('vdi/host/Cargo.lock', `version = 3\n\n${pkg('log', '0.4.17')}\n${pkg('qemu-display-host', '0.1.0', ['log'], false)}`);
  try {
    const inv = await buildInventory({ target: dir });
    assert.deepEqual(inv.components.map((c) => c.purl).sort(), ['pkg:cargo/brotli@3.5.0', 'pkg:cargo/log@0.4.17', 'pkg:cargo/qemu-display-host@0.1.0', 'pkg:cargo/rustdesk-portable-packer@1.4.9', 'pkg:cargo/rustdesk@1.4.9', 'pkg:cargo/scrap@0.5.0']);
    assert.ok(inv.notes.includes('libs/portable/Cargo.lock: not read: its folder is a member of the workspace Cargo.toml, and Cargo builds members with the workspace\'s Cargo.lock (Cargo.lock), not this one'), inv.notes.join('\n'));
    // Without the workspace's lock (not committed), the member's is the only record: read, and said.
    rmSync(join(dir, 'Cargo.lock'));
    const noRoot = await buildInventory({ target: dir });
    assert.ok(noRoot.components.some((c) => c.purl === 'pkg:cargo/brotli@3.3.4'));
    assert.ok(noRoot.notes.some((n) => n.startsWith('libs/portable/Cargo.lock: read, but its folder is a member of the workspace Cargo.toml')), noRoot.notes.join('\n'));
    // The scanned folder is the member itself: nothing above it is looked at, and its lock is read.
    const alone = await buildInventory({ target: join(dir, 'libs/portable') });
    assert.ok(alone.components.some((c) => c.purl === 'pkg:cargo/brotli@3.3.4'));
    // Cargo's own answer: the workspace each folder builds in.
    if (spawnSync('cargo', ['--version']).error) { missingTool(t, 'cargo (cargo locate-project is the oracle)', 'rustup or apt-get install cargo'); return; }
    for (const f of ['src/main.rs', 'libs/portable/src/main.rs', 'libs/scrap/src/lib.rs', 'vdi/host/src/main.rs']) write(f, '');
    const workspaceOf = (cwd: string) => spawnSync('cargo', ['locate-project', '--workspace', '--message-format', 'plain', '--offline'], { cwd: join(dir, cwd), encoding: 'utf8' }).stdout.trim().slice(dir.length + 1);
    assert.equal(workspaceOf('libs/portable'), 'Cargo.toml');
    assert.equal(workspaceOf('vdi/host'), 'vdi/host/Cargo.toml');
  } finally { rmSync(dir, { recursive: true, force: true }); }
});

test('Cargo manifests: build-dependencies, target tables, workspace inheritance with a rename, features that turn an optional dependency on', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'marque-cargo-'));
  mkdirSync(join(dir, 'app'));
  writeFileSync(join(dir, 'Cargo.toml'), '[workspace]\nmembers = ["app"]\n[workspace.dependencies]\nwire = { package = "serde", version = "1" }\n');
  writeFileSync(join(dir, 'app', 'Cargo.toml'), '[package]\nname = "app"\nversion = "0.1.0"\n[dependencies]\nwire = { workspace = true }\nlog = { version = "0.4", optional = true }\nlibc = { version = "0.2", optional = true }\n[features]\ndefault = ["fast"]\nfast = ["dep:libc"]\n[build-dependencies]\ncc = "1"\n[target.\'cfg(windows)\'.dev-dependencies]\ntempfile = "3"\n');
  const pkg = (n: string, v: string) => `[[package]]\nname = "${n}"\nversion = "${v}"\nsource = "registry+https://github.com/rust-lang/crates.io-index"\n`;
  writeFileSync(join(dir, 'Cargo.lock'), `version = 4\n\n[[package]]\nname = "app"\nversion = "0.1.0"\ndependencies = ["cc", "libc", "log", "serde", "tempfile"]\n\n${['cc 1.2.0', 'libc 0.2.170', 'log 0.4.27', 'serde 1.0.219', 'tempfile 3.20.0'].map((x) => pkg(...(x.split(' ') as [string, string]))).join('\n')}`);
  const inv = await buildInventory({ target: dir });
  assert.deepEqual(inv.components.filter((c) => !c.root).map((c) => `${c.name} ${c.kind}`).sort(), ['cc build', 'libc runtime', 'log optional', 'serde runtime', 'tempfile dev']);
});

test('Cargo: a git dependency is named by its vcs_url, apart from the crates.io release of the same version; Cargo\'s "(source)" picks the edge', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'marque-cargo-git-'));
  // As Cargo writes a fork patched in beside the crates.io release (both locked at 1.11.0).
  writeFileSync(join(dir, 'Cargo.lock'), `version = 3

[[package]]
name = "app"
version = "0.1.0"
dependencies = [
 "smallvec 1.11.0 (git+https://github.com/someone/rust-smallvec?branch=fix#0123456789abcdef0123456789abcdef01234567)",
 "smallvec 1.11.0 (registry+https://github.com/rust-lang/crates.io-index)",
]

[[package]]
name = "smallvec"
version = "1.11.0"
source = "git+https://github.com/someone/rust-smallvec?branch=fix#0123456789abcdef0123456789abcdef01234567"

[[package]]
name = "smallvec"
version = "1.11.0"
source = "registry+https://github.com/rust-lang/crates.io-index"
checksum = "62bb4feee49fdd9f707ef802e22365a35de4b7b299de4763d44bfea899442ff9"
`);
  const inv = await buildInventory({ target: dir });
  const fork = 'pkg:cargo/smallvec@1.11.0?vcs_url=git%2Bhttps%3A%2F%2Fgithub.com%2Fsomeone%2Frust-smallvec%400123456789abcdef0123456789abcdef01234567';
  assert.deepEqual(inv.components.map((c) => c.purl).sort(), ['pkg:cargo/app@0.1.0', 'pkg:cargo/smallvec@1.11.0', fork]);
  assert.deepEqual(inv.dependencies.map((d) => d.to).sort(), ['pkg:cargo/smallvec@1.11.0', fork]);
  assert.deepEqual(inv.unresolved, []);
});
