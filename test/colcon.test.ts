// Packages colcon builds without a package.xml (src/sources/ros/colcon.ts): plain CMake packages
// (colcon-cmake) and Python packages (colcon-core's setup.cfg, colcon-python-setup-py's setup.py), found
// where colcon's crawl finds them, checked against colcon itself (colcon list, colcon info, colcon-cmake's
// own functions) and CMake's configure; and a dependency key naming such a package resolving to it, never
// to the released binary of the same name (the ROS 2 core's urdfdom_headers).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, posix } from 'node:path';
import { buildInventory, resolveOptions } from '../src/api/inventory.ts';
import { repositoryOf } from '../src/advisories/match.ts';
import { walk } from '../src/sources/walk.ts';
import { rosExtractor } from '../src/sources/ros/extractor.ts';
import { cmakeDependencies, cmakeProjectName, locatePackages, removeComments } from '../src/sources/ros/colcon.ts';
import { readSetupCfg, readSetupPy } from '../src/parsers/setup-py.ts';
import { FileAccess } from '../src/util/file-access.ts';
import type { ExtractContext } from '../src/sources/extractor.ts';
import type { Component, Problem } from '../src/model/inventory.ts';
import { python, skipReason } from './helpers/oracle.ts';
import { FIXTURES } from './helpers/paths.ts';
import { missingTool } from './helpers/tools.ts';

const WS = join(FIXTURES, 'colcon-workspace');
const CTX = { ROS_VERSION: '2', ROS_DISTRO: 'jazzy', ROS_PYTHON_VERSION: '3' };
// colcon writes logs where it runs unless told otherwise; keep them out of the fixtures.
const LOGS = mkdtempSync(join(tmpdir(), 'marque-colcon-log-'));

type Inventory = Awaited<ReturnType<typeof buildInventory>>;
let inventory: Promise<Inventory> | undefined;
const fixture = () => (inventory ??= buildInventory({ target: WS }));

/** The workspace's own packages as `colcon list` prints them: name, folder, type. */
function listed(inv: Inventory): string[] {
  return inv.components.filter((c) => c.root && c.firstParty).map((c) => {
    const type = c.properties?.['ros:build_type'] ? `ros.${c.properties['ros:build_type']}` : c.properties?.['colcon:type'];
    return `${c.name} ${posix.dirname(c.sourceFile!)} (${type})`;
  }).sort();
}

const named = (inv: Inventory, name: string) => inv.components.find((c) => c.name === name && c.firstParty);

test('the packages colcon finds without a package.xml are in the inventory, and only those', async () => {
  const inv = await fixture();
  assert.deepEqual(listed(inv), [
    'cfg_tool src/tools/cfg_tool (python)',
    'plain_lib src/demo/plain_lib (cmake)',
    'py_tool src/tools/py_tool (python)',
    'urdf_user src/ros/urdf_user (ros.ament_cmake)',
    'urdfdom_headers src/ros/urdfdom_headers (cmake)',
  ]);
  // Not packages for colcon: catkin_make's top-level file (src/CMakeLists.txt), a folder both CMake and
  // Python claim (ignored with what it holds), a hidden folder, a rosbuild package, a COLCON_IGNOREd one,
  // and a package.xml inside a CMake package.
  for (const name of ['Project', 'both_cmake', 'both_python', 'inside_ignored', 'hidden_pkg', 'rosbuild_pkg', 'ignored_pkg', 'nested_in_plain']) assert.equal(named(inv, name), undefined, name);
  assert.ok(inv.problems.some((p) => p.file === 'src/tools/both' && /colcon ignores this folder/.test(p.message)));
});

test('colcon list finds the same packages, folders and types (colcon is the oracle)', async (t) => {
  const skip = skipReason('colcon');
  if (skip) { t.skip(skip); return; }
  const r = spawnSync('colcon', ['--log-base', LOGS, 'list', '--base-paths', '.'], { cwd: WS, encoding: 'utf8', env: { ...process.env, ...CTX } });
  assert.equal(r.status, 0, r.stderr);
  const theirs = r.stdout.trim().split('\n').map((l) => l.split('\t').join(' ')).sort();
  assert.deepEqual(listed(await fixture()), theirs);
});

test("colcon info's dependencies and versions of the CMake and Python packages are Marque's", async (t) => {
  const skip = skipReason('colcon');
  if (skip) { t.skip(skip); return; }
  const r = spawnSync('colcon', ['--log-base', LOGS, 'info', '--base-paths', '.'], { cwd: WS, encoding: 'utf8', env: { ...process.env, ...CTX } });
  assert.equal(r.status, 0, r.stderr);
  const theirs = new Map<string, { type: string; deps: Record<string, string[]>; version?: string }>();
  let current: { type: string; deps: Record<string, string[]>; version?: string } | undefined;
  let type = '';
  for (const line of r.stdout.split('\n')) {
    const ty = /^  type: (.+)$/.exec(line);
    if (ty) { type = ty[1]!; continue; }
    const name = /^  name: (.+)$/.exec(line);
    if (name) { current = { type, deps: { build: [], run: [], test: [] } }; theirs.set(name[1]!, current); continue; }
    const dep = /^    (build|run|test): (.*)$/.exec(line);
    if (dep && current) current.deps[dep[1]!] = dep[2]!.split(' ').filter(Boolean);
    const version = /^    version: (.+)$/.exec(line);
    if (version && current) current.version = version[1]!;
  }
  const inv = await fixture();
  const byPurl = new Map(inv.components.map((c) => [c.purl, c]));
  let compared = 0;
  for (const [name, info] of theirs) {
    if (info.type !== 'cmake' && info.type !== 'python') continue;
    const c = named(inv, name)!;
    assert.ok(c, name);
    // Python names compare as PyPI compares them (colcon prints them as written: PyYAML).
    const norm = (n: string) => (info.type === 'python' ? n.toLowerCase().replace(/[-_.]+/g, '-') : n);
    const ours: Record<string, Set<string>> = { build: new Set(), run: new Set(), test: new Set() };
    for (const d of inv.dependencies) {
      if (d.from !== c.purl) continue;
      const bucket = d.kind === 'runtime' ? 'run' : d.kind;
      ours[bucket]!.add(norm(byPurl.get(d.to)!.name));
    }
    for (const n of (c.properties?.['cmake:find_package'] ?? '').split(' ').filter(Boolean)) { ours['build']!.add(n); ours['run']!.add(n); }
    for (const k of ['build', 'run', 'test']) {
      if (info.type === 'cmake' && k === 'test') continue;
      assert.deepEqual([...ours[k]!].sort(), info.deps[k]!.map(norm).sort(), `${name} ${k}`);
    }
    if (info.type === 'python') assert.equal(c.version, info.version, `${name} version`);
    compared++;
  }
  assert.equal(compared, 4);
});

test("a key naming a workspace package resolves to it, not to the released package of that name (rosdep's skip-keys)", async () => {
  const inv = await fixture();
  const headers = named(inv, 'urdfdom_headers')!;
  // Its version from its CMake files (the VERSION its package version file is written with), its repository from ws.repos.
  assert.equal(headers.version, '1.1.2');
  assert.equal(headers.ecosystem, 'generic');
  assert.equal(headers.purl, 'pkg:generic/urdfdom_headers@1.1.2?vcs_url=git%2Bhttps%3A%2F%2Fgithub.com%2Fros%2Furdfdom_headers.git%401.1.2');
  assert.deepEqual(headers.provenance, { type: 'git', url: 'https://github.com/ros/urdfdom_headers.git', version: '1.1.2' });
  assert.match(headers.properties!['colcon:version-from']!, /write_basic_config_version_file\(\) at src\/ros\/urdfdom_headers\/CMakeLists.txt:48/);
  // Advisories on its repository are matched at its version.
  assert.deepEqual(repositoryOf(headers), { repos: ['github.com/ros/urdfdom_headers'], version: '1.1.2' });
  const user = named(inv, 'urdf_user')!;
  const to = inv.dependencies.filter((d) => d.from === user.purl).map((d) => `${d.to} ${d.kind}`);
  for (const kind of ['build', 'build_export', 'exec']) assert.ok(to.includes(`${headers.purl} ${kind}`), kind);
  assert.equal(inv.components.find((c) => c.name === 'ros-jazzy-urdfdom-headers'), undefined, 'the released binary is not in the inventory');
  assert.equal(headers.properties!['colcon:shadows'], 'ros-jazzy-urdfdom-headers 1.1.3-1 (released in jazzy)');
  assert.ok(inv.notes.some((n) => /rosdep install --skip-keys/.test(n) && /urdfdom_headers \(src\/ros\/urdfdom_headers, 1\.1\.2\) instead of ros-jazzy-urdfdom-headers 1\.1\.3-1/.test(n)));
  // A branch in the .repos file pins nothing: the vcs_url names the repository alone.
  const lib = named(inv, 'plain_lib')!;
  assert.equal(lib.purl, 'pkg:generic/plain_lib@0.4.1?vcs_url=git%2Bhttps%3A%2F%2Fgitlab.example.org%2Fdemo%2Fdemo.git');
  assert.equal(lib.dependenciesComplete, false);
  assert.equal(lib.properties!['cmake:find_package'], 'Boost PkgConfig TinyXML2 libzstd yaml-0.1');
  // Python packages: pkg:pypi, as a Python project; a requirement that is no workspace package is the PyPI package, version unknown.
  assert.equal(named(inv, 'py_tool')!.purl, 'pkg:pypi/py-tool@0.3.0');
  const yaml = inv.components.find((c) => c.purl === 'pkg:pypi/pyyaml')!;
  assert.equal(yaml.version, '');
  assert.match(yaml.properties!['marque:version']!, /^unknown: /);
  assert.ok(inv.dependencies.some((d) => d.from === 'pkg:pypi/py-tool@0.3.0' && d.to === 'pkg:pypi/pyyaml' && d.kind === 'runtime' && d.constraint === '>=5.1'));
  assert.ok(inv.dependencies.some((d) => d.from === 'pkg:pypi/cfg-tool@2.0.1' && d.to === 'pkg:pypi/py-tool@0.3.0' && d.kind === 'runtime'));
});

test("CMake's own configure writes urdfdom_headers's package version file with the version Marque reads", async (t) => {
  if (spawnSync('cmake', ['--version']).status !== 0 || spawnSync('cc', ['--version']).status !== 0 || spawnSync('c++', ['--version']).status !== 0) {
    missingTool(t, 'cmake with C and C++ compilers (the oracle)', 'apt-get install cmake g++; .ci/run installs them');
    return;
  }
  // A copy: configure writes nothing into the fixture.
  const copy = join(mkdtempSync(join(tmpdir(), 'marque-src-')), 'urdfdom_headers');
  cpSync(join(WS, 'src/ros/urdfdom_headers'), copy, { recursive: true });
  const build = mkdtempSync(join(tmpdir(), 'marque-cmake-'));
  const r = spawnSync('cmake', ['-S', copy, '-B', build, '-Wno-dev'], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  const theirs = /set\(PACKAGE_VERSION "([^"]+)"\)/.exec(readFileSync(join(build, 'urdfdom_headers-config-version.cmake'), 'utf8'))?.[1];
  assert.equal(theirs, '1.1.2');
  assert.equal(named(await fixture(), 'urdfdom_headers')!.version, theirs);
});

test("colcon-cmake's own functions name every CMake file's project and dependencies as Marque does", (t) => {
  const skip = skipReason('colcon');
  if (skip) { t.skip(skip); return; }
  const texts: string[] = [
    'project("quoted" VERSION 1)', 'PROJECT ( spaced )', 'my_project(sub)', 'project(${VAR})\nproject(second)', 'project(a # comment )\n)', 'project(x"y)',
    'find_package(A)find_package("B" REQUIRED)\nFIND_PACKAGE(C\n  COMPONENTS x)\n# find_package(D)\nset(X "# not a comment") find_package(E)',
    'find_package(${X})', 'pkg_check_modules(P REQUIRED QUIET a>=1 b<2 c=3)\npkg_search_module(Q d)', 'pkg_check_modules(R required e)', 'message("unclosed # x)\nfind_package(F)',
  ];
  const gather = (dir: string) => {
    for (const e of readdirSync(dir)) {
      const p = join(dir, e);
      if (statSync(p).isDirectory()) gather(p);
      else if (e === 'CMakeLists.txt' || e.endsWith('.cmake')) texts.push(readFileSync(p, 'utf8'));
    }
  };
  gather(join(FIXTURES, 'cmake'));
  gather(WS);
  const theirs = JSON.parse(python(`
import json, sys
from colcon_cmake.package_identification.cmake import _remove_cmake_comments, extract_project_name, extract_dependencies
out = []
for text in json.load(sys.stdin):
    content = _remove_cmake_comments(text)
    out.append([extract_project_name(content), sorted(extract_dependencies(content))])
print(json.dumps(out))`, JSON.stringify(texts))) as [string | null, string[]][];
  assert.ok(texts.length > 40);
  texts.forEach((text, i) => {
    const content = removeComments(text);
    assert.deepEqual([cmakeProjectName(content), [...cmakeDependencies(content)].sort()], theirs[i], text.slice(0, 200));
  });
});

// ---- setup.py and setup.cfg, read without running them ---------------------------------------------

test('setup.py: literal arguments and names bound to literals are read, anything else is unknown with the reason', () => {
  const ament = readSetupPy(readFileSync(join(WS, 'src/tools/py_tool/setup.py'), 'utf8'));
  assert.equal(ament.cfgSufficient, false);
  assert.deepEqual(ament.keywords['name'], { value: 'py_tool' });
  assert.deepEqual(ament.keywords['install_requires'], { value: ['setuptools', 'PyYAML>=5.1'] });
  assert.deepEqual(ament.keywords['tests_require'], { value: ['pytest'] });
  const computed = readSetupPy([
    "import os",
    "NAME = os.environ['PKG']",
    "def helper():",
    "    version = '9.9'",
    "requirements = open('requirements.txt').read().split()",
    "setuptools.setup(name=NAME, version=f'{1}.0', install_requires=requirements, description='''a",
    "multi-line ( text''', **extra)",
  ].join('\n'));
  assert.ok(computed.call);
  assert.match((computed.keywords['name'] as { unknown: string }).unknown, /computed|not a literal/);
  assert.ok('unknown' in computed.keywords['version']!);
  assert.ok('unknown' in computed.keywords['install_requires']!);
  assert.deepEqual(computed.keywords['description'], { value: 'a\nmulti-line ( text' });
  assert.ok('**' in computed.keywords);
  assert.equal(readSetupPy('from setuptools import setup\nsetup()\n').cfgSufficient, true);
  const cfg = readSetupCfg('[metadata]\nname = x\nversion: 1.0 ; comment\n\n[options]\ninstall-requires =\n    a>=1\n\n    b\n# c\n');
  assert.deepEqual(cfg.sections['metadata'], { name: 'x', version: '1.0' });
  assert.equal(cfg.sections['options']!['install_requires'], 'a>=1\n\nb');
});

/** A throwaway workspace with these files. */
function workspace(files: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), 'marque-colcon-'));
  for (const [rel, text] of Object.entries(files)) {
    mkdirSync(join(root, posix.dirname(rel)), { recursive: true });
    writeFileSync(join(root, rel), text);
  }
  return root;
}

const PKG = (name: string) => `<?xml version="1.0"?><package format="3"><name>${name}</name><version>1.0.0</version><description>d</description><maintainer email="m@example.com">M</maintainer><license>MIT</license><export><build_type>ament_cmake</build_type></export></package>\n`;

test('a Python package whose name only running setup.py tells is said, not invented; its folder is still a package for the crawl', async () => {
  const root = workspace({
    'src/ros_pkg/package.xml': PKG('ros_pkg'),
    'src/computed/setup.py': "import os\nfrom setuptools import setup\nsetup(name=os.environ['X'])\n",
    'src/computed/inner/CMakeLists.txt': 'project(inner_pkg)\n',
  });
  const inv = await buildInventory({ target: root });
  assert.deepEqual(inv.components.filter((c) => c.firstParty).map((c) => c.name), ['ros_pkg']);
  const p = inv.problems.find((x) => x.file === 'src/computed/setup.py')!;
  assert.equal(p.severity, 'error');
  assert.match(p.message, /running setup\.py; setup\(\)'s name is not a literal.*not in the inventory/);
});

test('a CMake project at the scanned root is the CMake extractor\'s, and no plain package is looked for below it', async () => {
  const root = workspace({
    'CMakeLists.txt': 'project(superbuild VERSION 3.0.0)\n',
    'src/ros_pkg/package.xml': PKG('ros_pkg'),
    'src/tool/CMakeLists.txt': 'project(tool VERSION 1.0)\n',
  });
  const inv = await buildInventory({ target: root });
  assert.deepEqual(inv.components.filter((c) => c.firstParty).map((c) => c.name).sort(), ['ros_pkg', 'superbuild']);
});

test('what a folder says is kept for an installed build: a second run reads nothing, a changed file is read again', async () => {
  const root = workspace({
    'src/ros_pkg/package.xml': PKG('ros_pkg'),
    'src/lib/CMakeLists.txt': 'project(lib)\nset(lib_VERSION_STRING 2.3.4)\ninclude(cmake/deps.cmake)\n',
    'src/lib/cmake/deps.cmake': 'find_package(ros_pkg)\n',
  });
  const { files } = await walk(root, rosExtractor.claims);
  const access = FileAccess.within(root);
  // Fresh files have not settled: give them the stamps the walk gives a settled file.
  for (const f of files) f.stamp = access.stamp(f.path);
  const run = async (build: string | undefined) => {
    const read: string[] = [];
    const counted: string[] = [];
    const problems: Problem[] = [];
    const ctx: ExtractContext = {
      root, options: resolveOptions({}), files: access, problem: (p) => problems.push(p), catalogs: () => { throw new Error('not needed'); },
      countInput: (path) => { counted.push(path); },
      read: async (f) => { read.push(f.rel); return access.readTextSync(f.path); },
      beside: () => undefined,
    };
    const located = await locatePackages(files, ctx, build);
    return { located, read: read.sort(), counted, problems };
  };
  const first = await run('build-1');
  assert.deepEqual(first.located.plain.map((p) => [p.name, p.version, p.versionFrom, p.depends.map((d) => `${d.name} ${d.kind}`)]), [['lib', '2.3.4', 'lib_VERSION_STRING in src/lib/CMakeLists.txt', ['ros_pkg build', 'ros_pkg run']]]);
  assert.deepEqual(first.read, ['src/lib/CMakeLists.txt', 'src/lib/cmake/deps.cmake']);
  const again = await run('build-1');
  assert.deepEqual(again.located, first.located);
  assert.deepEqual(again.read, [], 'nothing read: the kept reading was used');
  assert.equal(again.counted.length, 2, 'counted among the inputs as the first run read them');
  assert.deepEqual((await run('build-2')).read, first.read, 'another build reads again');
  assert.deepEqual((await run(undefined)).read, first.read, 'a clone keeps nothing');
  writeFileSync(join(root, 'src/lib/cmake/deps.cmake'), 'find_package(other)\n');
  for (const f of files) f.stamp = access.stamp(f.path);
  const changed = await run('build-1');
  assert.deepEqual(changed.read, first.read);
  assert.deepEqual(changed.located.plain[0]!.depends.map((d) => d.name), ['other', 'other']);
});

test('the components of plain packages carry no invented version', async () => {
  const root = workspace({
    'src/ros_pkg/package.xml': PKG('ros_pkg'),
    'src/noversion/CMakeLists.txt': 'cmake_minimum_required(VERSION 3.16)\nproject(noversion LANGUAGES C)\n',
  });
  const inv = await buildInventory({ target: root });
  const c = inv.components.find((x) => x.name === 'noversion') as Component;
  assert.equal(c.version, '');
  assert.equal(c.purl, 'pkg:generic/noversion');
  assert.match(c.properties!['marque:version']!, /^unknown: src\/noversion\/CMakeLists.txt declares no version/);
});

test('hostile CMake and setup.py files cost linear time: a call left open, lists nested a million deep', () => {
  // colcon's own pattern for pkg_check_modules() tries every split of an unclosed call's options (2^n).
  const open = `find_package(A)\npkg_check_modules(X${' REQUIRED'.repeat(40)}`;
  assert.deepEqual([...cmakeDependencies(removeComments(open))], ['A']);
  const spaces = `project(a${' '.repeat(200_000)}`;
  assert.equal(cmakeProjectName(spaces), null);
  const nested = readSetupPy(`setup(name='x', install_requires=${'['.repeat(1_000_000)}${']'.repeat(1_000_000)})`);
  assert.deepEqual(nested.keywords['name'], { value: 'x' });
  assert.deepEqual(nested.keywords['install_requires'], { unknown: 'a nested list' });
});

test('a COLCON_IGNORE in the scanned folder: colcon lists nothing, and Marque takes no folder without a package.xml for a package (rmf-web); its package.xml packages are read as before, with a note', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'marque-colcon-ignored-root-'));
  cpSync(WS, dir, { recursive: true });
  writeFileSync(join(dir, 'COLCON_IGNORE'), '');
  const inv = await buildInventory({ target: dir });
  // plain_lib no longer a package, the package.xml folder below it is one of the ROS packages read.
  assert.deepEqual(listed(inv), ['nested_in_plain src/demo/plain_lib/nested (ros.ament_cmake)', 'urdf_user src/ros/urdf_user (ros.ament_cmake)']);
  assert.ok(inv.notes.some((n) => n.startsWith('the scanned folder holds COLCON_IGNORE, so colcon builds nothing in it')), inv.notes.join('\n'));
  const skip = skipReason('colcon');
  if (skip) { t.skip(skip); return; }
  const r = spawnSync('colcon', ['--log-base', LOGS, 'list', '--base-paths', '.'], { cwd: dir, encoding: 'utf8', env: { ...process.env, ...CTX } });
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stdout.trim(), '', 'colcon finds no package');
});
