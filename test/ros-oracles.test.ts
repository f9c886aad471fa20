// Marque's ROS semantics against the reference implementations: colcon's package discovery
// and dependency view, and catkin_pkg's parsing and condition evaluation, on the example robot
// and on every real package.xml of rclcpp, demos and navigation2.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, posix } from 'node:path';
import { walk } from '../src/sources/walk.ts';
import { outermostPackages } from '../src/sources/ros/extractor.ts';
import { evaluatePackage, expandGroups, parsePackageXml, type EvaluatedPackage } from '../src/parsers/package-xml.ts';
import { python, skipReason } from './helpers/oracle.ts';
import { EXAMPLE, ROS_PACKAGES } from './helpers/paths.ts';

const CTX = { ROS_VERSION: '2', ROS_DISTRO: 'jazzy', ROS_PYTHON_VERSION: '3' };
const WORKSPACES = [EXAMPLE, ROS_PACKAGES];
// colcon writes logs where it runs unless told otherwise; keep them out of the fixtures.
const LOGS = mkdtempSync(join(tmpdir(), 'marque-colcon-log-'));

async function marquePackages(root: string): Promise<{ rel: string; pkg: EvaluatedPackage }[]> {
  const { files } = await walk(root, (_rel, name) => name === 'package.xml');
  return outermostPackages(files).map((f) => {
    const { manifest } = parsePackageXml(readFileSync(f.path, 'utf8'), f.rel);
    return { rel: f.rel, pkg: evaluatePackage(manifest, CTX, []) };
  });
}

for (const ws of WORKSPACES) {
  test(`colcon finds the same packages, paths and types: ${posix.basename(ws)}`, async (t) => {
    const skip = skipReason('colcon');
    if (skip) { t.skip(skip); return; }
    const r = spawnSync('colcon', ['--log-base', LOGS, 'list', '--base-paths', '.'], { cwd: ws, encoding: 'utf8', env: { ...process.env, ...CTX } });
    assert.equal(r.status, 0, r.stderr);
    const theirs = r.stdout.trim().split('\n').map((l) => l.split('\t').join(' ')).sort();
    const ours = (await marquePackages(ws)).map(({ rel, pkg }) => `${pkg.manifest.name} ${posix.dirname(rel)} (ros.${pkg.buildType})`).sort();
    assert.ok(ours.length > 5);
    assert.deepEqual(ours, theirs);
  });

  test(`colcon's build/run/test dependencies equal Marque's evaluated ones: ${posix.basename(ws)}`, async (t) => {
    const skip = skipReason('colcon');
    if (skip) { t.skip(skip); return; }
    const r = spawnSync('colcon', ['--log-base', LOGS, 'info', '--base-paths', '.'], { cwd: ws, encoding: 'utf8', env: { ...process.env, ...CTX }, maxBuffer: 64 * 1024 * 1024 });
    assert.equal(r.status, 0, r.stderr);
    const theirs = new Map<string, Record<string, string[]>>();
    let current: Record<string, string[]> | undefined;
    for (const line of r.stdout.split('\n')) {
      const name = /^  name: (.+)$/.exec(line);
      if (name) { current = { build: [], run: [], test: [] }; theirs.set(name[1]!, current); continue; }
      const dep = /^    (build|run|test): (.*)$/.exec(line);
      if (dep && current) current[dep[1]!] = dep[2]!.split(' ').filter(Boolean).sort();
    }
    const packages = await marquePackages(ws);
    const expanded = expandGroups(packages.map((p) => p.pkg), []);
    const bucket: Record<string, 'build' | 'run' | 'test' | undefined> = {
      build: 'build', buildtool: 'build', build_export: 'run', buildtool_export: 'run', exec: 'run', test: 'test', doc: undefined,
    };
    for (const { pkg } of packages) {
      const ours: Record<string, Set<string>> = { build: new Set(), run: new Set(), test: new Set() };
      for (const d of expanded.get(pkg.manifest.name)!) {
        const b = bucket[d.kind];
        if (b) ours[b]!.add(d.name);
      }
      const mine = Object.fromEntries(Object.entries(ours).map(([k, v]) => [k, [...v].sort()]));
      assert.deepEqual(mine, theirs.get(pkg.manifest.name), pkg.manifest.name);
    }
  });

  test(`catkin_pkg parses and evaluates every package.xml the same: ${posix.basename(ws)}`, async (t) => {
    const skip = skipReason('catkinPkg');
    if (skip) { t.skip(skip); return; }
    const packages = await marquePackages(ws);
    const script = `
import json, sys
from catkin_pkg.package import parse_package
ctx, paths = json.load(sys.stdin)
out = []
kinds = ['build_depends', 'build_export_depends', 'buildtool_depends', 'buildtool_export_depends', 'exec_depends', 'test_depends', 'doc_depends']
for path in paths:
    p = parse_package(path, warnings=[])
    p.evaluate_conditions(ctx)
    d = {k: sorted(set(x.name for x in getattr(p, k) if x.evaluated_condition)) for k in kinds}
    d['group_depends'] = sorted(g.name for g in p.group_depends if g.evaluated_condition)
    d['member_of_groups'] = sorted(g.name for g in p.member_of_groups if g.evaluated_condition)
    d['name'] = p.name
    d['version'] = p.version
    d['format'] = p.package_format
    d['build_type'] = p.get_build_type()
    d['licenses'] = [str(l) for l in p.licenses]
    d['maintainers'] = [m.email for m in p.maintainers]
    d['version_constraints'] = sorted('%s %s' % (x.name, ','.join('%s%s' % (op, getattr(x, a)) for a, op in [('version_gte', '>='), ('version_gt', '>'), ('version_eq', '=='), ('version_lte', '<='), ('version_lt', '<')] if getattr(x, a) is not None)) for k in kinds for x in getattr(p, k) if x.evaluated_condition and any(getattr(x, a) for a in ['version_gte','version_gt','version_eq','version_lte','version_lt']))
    out.append(d)
print(json.dumps(out))`;
    const theirs = JSON.parse(python(script, JSON.stringify([CTX, packages.map((p) => join(ws, p.rel))]))) as Record<string, unknown>[];
    const kindOf: Record<string, string> = {
      build: 'build_depends', build_export: 'build_export_depends', buildtool: 'buildtool_depends',
      buildtool_export: 'buildtool_export_depends', exec: 'exec_depends', test: 'test_depends', doc: 'doc_depends',
    };
    packages.forEach(({ pkg }, i) => {
      const m = pkg.manifest;
      const ours: Record<string, unknown> = Object.fromEntries(Object.values(kindOf).map((k) => [k, [] as string[]]));
      const constraints = new Set<string>();
      for (const d of pkg.dependencies) {
        const list = ours[kindOf[d.kind]!] as string[];
        if (!list.includes(d.name)) list.push(d.name);
        if (d.constraint) constraints.add(`${d.name} ${d.constraint}`);
      }
      for (const k of Object.values(kindOf)) (ours[k] as string[]).sort();
      Object.assign(ours, {
        group_depends: pkg.groupDepends.map((g) => g.name).sort(), member_of_groups: [...pkg.memberOfGroups].sort(),
        name: m.name, version: m.version, format: m.format, build_type: pkg.buildType,
        licenses: m.licenses.map((l) => l.name), maintainers: m.maintainers.map((p) => p.email),
        version_constraints: [...constraints].sort(),
      });
      // catkin_pkg lists a constraint once per tag; depend → 3 tags, so compare as sets.
      theirs[i]!['version_constraints'] = [...new Set(theirs[i]!['version_constraints'] as string[])].sort();
      assert.deepEqual(ours, theirs[i], m.name);
    });
  });
}
