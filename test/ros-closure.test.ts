// The released ROS closure: through the rosdistro cache, every released package brings what ships
// with it. Checked against Debian's python3-rosdistro (which writes and reads the cache) and
// catkin_pkg (which parses and evaluates each released package.xml).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync, readdirSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PYTHON, skipReason } from './helpers/oracle.ts';
import { FIXTURES, ROOT, ROS_PACKAGES } from './helpers/paths.ts';

const CACHE = join(FIXTURES, 'rosdistro-cache', 'jazzy-cache.yaml.gz');
const DISTRIBUTION = join(ROOT, 'data/rosdistro/jazzy/distribution.yaml');

function marque(args: string[], env: Record<string, string> = {}) {
  const r = spawnSync(process.execPath, [join(ROOT, 'bin/marque.js'), ...args], { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024, env: { ...process.env, ...env } });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

function workspace(deps: string[]): string {
  const dir = mkdtempSync(join(tmpdir(), 'marque-closure-'));
  mkdirSync(join(dir, 'src/robot'), { recursive: true });
  writeFileSync(join(dir, 'src/robot/package.xml'), `<?xml version="1.0"?>
<package format="3">
  <name>robot</name><version>1.0.0</version><description>d</description>
  <maintainer email="m@example.com">M</maintainer><license>Apache-2.0</license>
  <buildtool_depend>ament_cmake</buildtool_depend>
${deps.map((d) => `  <exec_depend>${d}</exec_depend>`).join('\n')}
  <test_depend>ament_lint_auto</test_depend>
  <export><build_type>ament_cmake</build_type></export>
</package>
`);
  return dir;
}

function packageXmls(dir: string): string[] {
  const out: string[] = [];
  for (const e of readdirSync(dir)) {
    const p = join(dir, e);
    if (statSync(p).isDirectory()) out.push(...packageXmls(p));
    else if (e === 'package.xml') out.push(p);
  }
  return out;
}

interface Json { components: { name: string; depth: number | null; kind: string | null; properties?: Record<string, string>; dependenciesComplete?: boolean }[]; dependencies: { from: string; to: string; kind: string }[]; notes: string[]; problems: unknown[]; unresolved: { key: string; package: string }[] }

test('released closure equals python3-rosdistro + catkin_pkg on a cache rosdistro wrote from real package.xml files', (t) => {
  const skip = skipReason('rosdistro') || skipReason('catkinPkg');
  if (skip) { t.skip(skip); return; }
  const out = join(mkdtempSync(join(tmpdir(), 'marque-cache-')), 'jazzy-cache.yaml');
  const made = spawnSync(PYTHON, [join(ROOT, 'scripts/make-rosdistro-cache.py'), DISTRIBUTION, out, ...packageXmls(ROS_PACKAGES)], { encoding: 'utf8' });
  assert.equal(made.status, 0, made.stderr);
  const roots = ['nav2_bringup', 'demo_nodes_cpp', 'rclcpp_components', 'composition'];
  const ws = workspace(roots);
  const r = marque(['inventory', ws, '--rosdistro-cache', out, '--json']);
  const j = JSON.parse(r.out) as Json;
  const ours = new Map<string, number>();
  for (const c of j.components) if (c.properties?.['ros:package']) ours.set(c.properties['ros:package'], c.depth!);
  const oursKeys = new Map<string, number>();
  for (const c of j.components) {
    const key = c.properties?.['rosdep:key'];
    if (key) oursKeys.set(key, Math.min(oursKeys.get(key) ?? Infinity, c.depth!));
  }
  // The oracle: rosdistro reads the cache, catkin_pkg parses each package.xml and evaluates its
  // conditions; exec, build_export and buildtool_export are followed, breadth first.
  const oracle = spawnSync(PYTHON, ['-c', `
import json, sys, yaml
from rosdistro import DistributionCache
from catkin_pkg.package import parse_package_string
cache_file, rosdep_files, roots = sys.argv[1], sys.argv[2].split(','), sys.argv[3].split(',')
cache = DistributionCache('jazzy', yaml.safe_load(open(cache_file)))
released = cache.distribution_file.release_packages
rosdep_keys = set()
for f in rosdep_files:
    rosdep_keys |= set((yaml.safe_load(open(f)) or {}).keys())
ctx = {'ROS_VERSION': '2', 'ROS_DISTRO': 'jazzy', 'ROS_PYTHON_VERSION': '3'}
depth, keys = {}, {}
frontier = [(k, 1) for k in roots + ['ament_cmake', 'ament_lint_auto']]
while frontier:
    nxt = []
    for name, d in frontier:
        if name in rosdep_keys:
            keys[name] = min(keys.get(name, d), d); continue
        if name not in released or released[name].repository_name not in cache.distribution_file.repositories: continue
        repo = cache.distribution_file.repositories[released[name].repository_name]
        if repo.release_repository is None or repo.release_repository.version is None: continue
        if name in depth: continue
        depth[name] = d
        xml = cache.release_package_xmls.get(name)
        if xml is None: continue
        pkg = parse_package_string(xml)
        pkg.evaluate_conditions(ctx)
        for dep in pkg.exec_depends + pkg.build_export_depends + pkg.buildtool_export_depends:
            if dep.evaluated_condition:
                nxt.append((dep.name, d + 1))
    frontier = sorted(nxt, key=lambda x: x[1])
print(json.dumps({'depth': depth, 'keys': keys}))
`, out, ['base.yaml', 'python.yaml', 'ruby.yaml'].map((f) => join(ROOT, 'data/rosdistro/rosdep', f)).join(','), roots.join(',')], { encoding: 'utf8' });
  assert.equal(oracle.status, 0, oracle.stderr);
  const theirs = JSON.parse(oracle.stdout) as { depth: Record<string, number>; keys: Record<string, number> };
  assert.ok(Object.keys(theirs.depth).length > 60, `closure of ${Object.keys(theirs.depth).length} packages`);
  assert.deepEqual(Object.fromEntries([...ours].sort()), Object.fromEntries(Object.entries(theirs.depth).sort()));
  // Every rosdep key the oracle reaches is there, at the same depth (a key may name several OS packages).
  for (const [k, d] of Object.entries(theirs.keys)) assert.equal(oursKeys.get(k), d, `rosdep key ${k}`);
  assert.equal(oursKeys.size, Object.keys(theirs.keys).length);
  // Released packages found in the cache are followed; the rest are named leaves.
  const followed = j.components.filter((c) => c.properties?.['marque:closure'] === 'followed');
  assert.ok(followed.length >= 40);
  assert.ok(j.components.some((c) => c.properties?.['marque:closure']?.startsWith('leaf: package.xml not in the rosdistro cache')));
  assert.ok(j.notes.some((n) => /no package.xml in the rosdistro cache and stay leaves/.test(n)));
});

test('only what ships is followed: build, test and doc dependencies of released packages are not', () => {
  const ws = workspace(['demo_nodes_cpp']);
  const j = JSON.parse(marque(['inventory', ws, '--rosdistro-cache', CACHE, '--json']).out) as Json;
  const demo = j.components.find((c) => c.properties?.['ros:package'] === 'demo_nodes_cpp')!;
  assert.equal(demo.properties!['marque:closure'], 'followed');
  const from = j.dependencies.filter((d) => d.from.includes('ros-jazzy-demo-nodes-cpp@'));
  assert.ok(from.length > 3);
  assert.ok(from.every((d) => ['exec', 'build_export', 'buildtool_export'].includes(d.kind)), JSON.stringify(from.map((d) => d.kind)));
  // demo_nodes_cpp test_depends on ament_lint_auto/launch_testing: not followed from it.
  assert.ok(!from.some((d) => d.to.includes('launch-testing')));
  // A runtime dependency of a released runtime dependency is runtime at depth 2.
  const rclcpp = j.components.find((c) => c.properties?.['ros:package'] === 'rclcpp_components')!;
  assert.equal(rclcpp.depth, 2);
  assert.equal(rclcpp.kind, 'runtime');
});

test('without a cache the output says once that depth stops at released packages', () => {
  const ws = workspace(['demo_nodes_cpp']);
  const r = marque(['inventory', ws, '--json']);
  const j = JSON.parse(r.out) as Json;
  assert.equal(j.notes.filter((n) => /Depth stops at released ROS packages/.test(n)).length, 1);
  assert.ok(j.components.filter((c) => c.properties?.['ros:package']).every((c) => c.properties!['marque:closure'] === 'not followed: no rosdistro cache'));
  const text = marque(['inventory', ws]).out;
  assert.match(text, /Depth stops at released ROS packages/);
});

test('the cache of another distribution is refused with a clear problem', () => {
  const ws = workspace(['demo_nodes_cpp']);
  const r = marque(['inventory', ws, '--rosdistro', 'humble', '--platform', 'ubuntu:jammy', '--rosdistro-cache', CACHE, '--json']);
  assert.equal(r.code, 2);
  const j = JSON.parse(r.out) as Json;
  assert.match(JSON.stringify(j.problems), /rosdistro cache of jazzy, not of humble/);
});

test('db import stores the cache; inventory then follows the closure without a flag', () => {
  const dir = mkdtempSync(join(tmpdir(), 'marque-db-'));
  const db = join(dir, 'advisories.sqlite');
  const imp = marque(['db', 'import', CACHE, '--db', db, '--json']);
  assert.equal(imp.code, 0, imp.err + imp.out);
  assert.match(imp.out, /rosdistro-cache/);
  const ws = workspace(['demo_nodes_cpp']);
  const j = JSON.parse(marque(['inventory', ws, '--json'], { MARQUE_CACHE_DIR: dir }).out) as Json;
  assert.equal(j.components.find((c) => c.properties?.['ros:package'] === 'demo_nodes_cpp')!.properties!['marque:closure'], 'followed');
  const status = marque(['db', 'status', '--db', db]);
  assert.match(status.out, /rosdistro-cache:jazzy/);
});

test('why NAME finds a released ROS package by its ROS name, through the closure', () => {
  const ws = workspace(['demo_nodes_cpp']);
  for (const q of ['rclcpp_components', 'ros:rclcpp_components']) {
    const j = JSON.parse(marque(['why', q, ws, '--rosdistro-cache', CACHE, '--json', '--limit', '5']).out);
    assert.deepEqual(j.matches.map((m: string) => m.replace(/@.*/, '')), ['pkg:deb/ubuntu/ros-jazzy-rclcpp-components']);
    assert.deepEqual(j.paths[0].map((p: string) => p.replace(/@.*/, '')), ['pkg:ros/robot', 'pkg:deb/ubuntu/ros-jazzy-demo-nodes-cpp', 'pkg:deb/ubuntu/ros-jazzy-rclcpp-components']);
  }
});

test('a released package.xml that cannot be read is named, never dropped silently', () => {
  const dir = mkdtempSync(join(tmpdir(), 'marque-badcache-'));
  const cache = join(dir, 'jazzy-cache.yaml');
  writeFileSync(cache, 'distribution_file: []\nname: jazzy\nrelease_package_xmls:\n  demo_nodes_cpp: "<package format=\\"3\\"><name>demo_nodes_cpp</name>"\nsource_repo_package_xmls: {}\ntype: cache\nversion: 2\n');
  const inv = JSON.parse(marque(['inventory', workspace(['demo_nodes_cpp']), '--rosdistro-cache', cache, '--json']).out) as Json;
  assert.match(JSON.stringify(inv.problems), /jazzy-cache\.yaml#demo_nodes_cpp.*left out/);
  const imp = marque(['db', 'import', cache, '--db', join(dir, 'a.sqlite')]);
  assert.equal(imp.code, 2);
  assert.match(imp.err, /skipped .*jazzy-cache\.yaml#demo_nodes_cpp/);
});
