// bench/inventory: inventory a ROS 2 source workspace the size of rolling's ros2.repos
// (about 105 repositories, 400+ packages) with rosdep resolution: the CLI a user runs, in a fresh
// process each run, timed from spawn to exit.
// The workspace is generated from the bundled rosdistro snapshot: real repository and package
// names of rolling, dependencies drawn from real rosdep keys and from the workspace itself.
// Usage: node bench/inventory.ts [--runs N] [--packages N]
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { parseArgs } from 'node:util';
import { parse } from 'yaml';
import { BUNDLED_ROSDISTRO } from '../src/util/package.ts';

const { values } = parseArgs({ options: { runs: { type: 'string', default: '7' }, packages: { type: 'string', default: '420' }, } });


// Deterministic generator.
let seed = 42;
const rand = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
const pick = <T>(xs: T[]) => xs[Math.floor(rand() * xs.length)]!;

const dist = parse(readFileSync(join(BUNDLED_ROSDISTRO, 'rolling/distribution.yaml'), 'utf8')) as { repositories: Record<string, { release?: { packages?: string[]; version?: string } }> };
const keys = [
  ...Object.keys(parse(readFileSync(join(BUNDLED_ROSDISTRO, 'rosdep/base.yaml'), 'utf8'))),
  ...Object.keys(parse(readFileSync(join(BUNDLED_ROSDISTRO, 'rosdep/python.yaml'), 'utf8'))),
];
const target = Number(values.packages);
const ws = process.env['MARQUE_BENCH_KEEP'] ?? mkdtempSync(join(tmpdir(), 'marque-bench-ws-'));
const repos: string[] = [];
const names: string[] = [];
for (const [repo, spec] of Object.entries(dist.repositories)) {
  if (names.length >= target) break;
  const pkgs = spec.release?.packages ?? (spec.release ? [repo] : []);
  if (!pkgs.length || !spec.release?.version) continue;
  repos.push(repo);
  for (const p of pkgs) {
    const dir = join(ws, 'src', repo, pkgs.length > 1 ? p : '');
    mkdirSync(dir, { recursive: true });
    const version = spec.release.version.split('-')[0];
    const deps: string[] = [];
    // Earlier workspace packages (keeps the graph acyclic), released rolling packages, rosdep keys.
    for (let i = 0; i < 4 && names.length; i++) deps.push(`  <depend>${pick(names)}</depend>`);
    for (let i = 0; i < 3; i++) deps.push(`  <exec_depend>${pick(Object.keys(dist.repositories))}</exec_depend>`);
    for (let i = 0; i < 3; i++) deps.push(`  <build_depend>${pick(keys)}</build_depend>`);
    deps.push('  <test_depend condition="$ROS_VERSION == 2">ament_lint_auto</test_depend>');
    writeFileSync(join(dir, 'package.xml'), `<?xml version="1.0"?>\n<package format="3">\n  <name>${p}</name>\n  <version>${version}</version>\n  <description>${p}</description>\n  <maintainer email="dev@example.com">Dev</maintainer>\n  <license>Apache-2.0</license>\n  <buildtool_depend>ament_cmake</buildtool_depend>\n${[...new Set(deps)].join('\n')}\n  <export><build_type>ament_cmake</build_type></export>\n</package>\n`);
    names.push(p);
  }
}
writeFileSync(join(ws, 'ros2.repos'), `repositories:\n${repos.map((r) => `  ${r}:\n    type: git\n    url: https://github.com/example/${r}.git\n    version: rolling\n`).join('')}`);

type Run = { ms: number; ros: number; components: number; dependencies: number; unresolved: number };
const bin = join(import.meta.dirname, '..', 'bin', 'marque.js');
/**
 * Each run is the command a user types, in a fresh process, timed from spawn to exit (start-up
 * included). `cold` gives each run an empty cache: no parsed rule files, no compiled modules.
 */
function measure(cold: boolean): Run[] {
  const runs: Run[] = [];
  for (let i = 0; i < Number(values.runs); i++) {
    const cache = mkdtempSync(join(tmpdir(), 'marque-bench-cache-'));
    const started = performance.now();
    const r = spawnSync(process.execPath, [bin, 'inventory', ws, '--json', '--rosdistro', 'rolling', '--platform', 'ubuntu:resolute'], { encoding: 'utf8', maxBuffer: 1 << 28, env: { ...process.env, MARQUE_CACHE_DIR: cold ? cache : warmCache } });
    const ms = performance.now() - started;
    rmSync(cache, { recursive: true, force: true });
    if (r.status !== 0) throw new Error(r.stderr);
    const inv = JSON.parse(r.stdout) as { components: { ecosystem: string }[]; dependencies: unknown[]; unresolved: unknown[] };
    runs.push({ ms, ros: inv.components.filter((c) => c.ecosystem === 'ros').length, components: inv.components.length, dependencies: inv.dependencies.length, unresolved: inv.unresolved.length });
  }
  return runs;
}
const warmCache = mkdtempSync(join(tmpdir(), 'marque-bench-warm-'));
const cold = measure(true);
measure(false); // fills the warm cache
const warm = measure(false);
if (!process.env['MARQUE_BENCH_KEEP']) rmSync(ws, { recursive: true, force: true });
rmSync(warmCache, { recursive: true, force: true });
const first = cold[0]!;
console.log(`bench/inventory: ${repos.length} repositories, ${first.ros} ROS packages, rosdistro rolling on ubuntu:resolute`);
console.log(`  components ${first.components}, dependencies ${first.dependencies}, unresolved ${first.unresolved}`);
for (const [label, runs, target] of [['cold (empty caches)', cold, 1000], ['warm (parse and compile caches filled)', warm, 300]] as const) {
  const ms = runs.map((r) => r.ms).sort((a, b) => a - b);
  const median = ms[Math.floor(ms.length / 2)]!;
  console.log(`  ${label}: median ${median.toFixed(0)} ms, min ${ms[0]!.toFixed(0)}, max ${ms.at(-1)!.toFixed(0)} over ${ms.length} fresh processes; ${(first.ros / (median / 1000)).toFixed(0)} packages/s; target < ${target} ms ${median < target ? 'met' : 'NOT met'}`);
}
