// bench/startup: how long a user waits for Marque, measured end to end from an installed copy (the
// packed tarball installed into a temporary folder, compiled JavaScript), not from the clone.
// Each case runs once to warm the caches (Node's compile cache, Marque's parse caches and kept walk), then
// --runs times in a fresh process; medians printed. With /usr/bin/time on the machine, the CPU
// time (user + system) is printed too: on a shared machine it varies less than the wall time.
// The ROS 2 core is also run with an empty cache folder each time: a first run, nothing kept.
//
//   node bench/startup.ts [--runs N] [--installed DIR] [--workspace DIR] [--mirror DIR] [--clone | --bin FILE]
//
// --installed DIR   reuse an install made by "node scripts/pack-install.ts DIR" (else packs anew)
// --workspace DIR   the ROS 2 core workspace (default /tmp/marque-ros2-core, made by
//                   bench/ros2-core.ts from the git snapshots under --mirror when missing)
// --clone           measure the clone's bin/marque.js (TypeScript sources) instead, for comparison
// --bin FILE        measure another checkout's bin/marque.js (e.g. an earlier commit's worktree)
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { parseArgs } from 'node:util';
import { packAndInstall } from '../scripts/pack-install.ts';
import { DEFAULT_TAG, materialise } from './ros2-core.ts';

const { values } = parseArgs({ options: {
  runs: { type: 'string', default: '10' }, installed: { type: 'string' }, workspace: { type: 'string', default: '/tmp/marque-ros2-core' },
  mirror: { type: 'string', default: '/work/.mirror' }, clone: { type: 'boolean', default: false }, bin: { type: 'string' },
} });
const runs = Number(values.runs);
const root = join(import.meta.dirname, '..');

let marque: string[];
if (values.bin) marque = [process.execPath, values.bin];
else if (values.clone) marque = [process.execPath, join(root, 'bin', 'marque.js')];
else if (values.installed) marque = [join(values.installed, 'prefix', 'node_modules', '.bin', 'marque')];
else {
  const dir = mkdtempSync(join(tmpdir(), 'marque-startup-'));
  process.stderr.write(`packing and installing into ${dir} …\n`);
  const i = packAndInstall(dir);
  process.stderr.write(`tarball ${(i.bytes / 1024).toFixed(0)} KB, ${i.files.length} files\n`);
  marque = [i.bin];
}

const workspace = values.workspace!;
if (!existsSync(join(workspace, 'MATERIALISED.txt')) && existsSync(join(values.mirror!, 'ros2+ros2'))) {
  process.stderr.write(`materialising the ROS 2 core workspace (${DEFAULT_TAG}) into ${workspace} …\n`);
  materialise(values.mirror!, DEFAULT_TAG, workspace);
}
const haveWorkspace = existsSync(join(workspace, 'MATERIALISED.txt'));
const time = existsSync('/usr/bin/time') ? '/usr/bin/time' : null;
const cache = mkdtempSync(join(tmpdir(), 'marque-startup-cache-'));
const env = { ...process.env, PATH: `${dirname(process.execPath)}:${process.env['PATH'] ?? ''}`, MARQUE_CACHE_DIR: cache };

interface Sample { wall: number; cpu: number | null; out: string }
function once(cmd: string[], cwd: string, cold = false): Sample {
  const argv = time ? [time, '-f', '%U %S', ...cmd] : cmd;
  // Cold: an empty cache folder, as at a first run (nothing compiled, parsed or kept yet).
  const runEnv = cold ? { ...env, MARQUE_CACHE_DIR: mkdtempSync(join(tmpdir(), 'marque-startup-cold-')) } : env;
  const started = performance.now();
  const r = spawnSync(argv[0]!, argv.slice(1), { cwd, env: runEnv, encoding: 'utf8', maxBuffer: 256 << 20 });
  const wall = performance.now() - started;
  if (r.status !== 0) throw new Error(`${cmd.join(' ')} exited ${r.status}: ${r.stderr.slice(-2000)}`);
  const cpuLine = time ? r.stderr.trim().split('\n').pop()! : '';
  const cpu = time ? cpuLine.split(' ').map(Number).reduce((a, b) => a + b, 0) * 1000 : null;
  return { wall, cpu, out: r.stdout };
}

const median = (xs: number[]) => { const s = [...xs].sort((a, b) => a - b); return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2; };

interface Case { name: string; cmd: string[]; cwd: string; target?: number; note?: (s: Sample) => string; cold?: boolean }
const cases: Case[] = [
  // Node's own start, the floor under every figure below: what is left above it is Marque's.
  { name: 'node -e 0 (Node itself, for comparison)', cmd: [process.execPath, '-e', '0'], cwd: root },
  { name: 'marque --help', cmd: [...marque, '--help'], cwd: root, target: 60 },
  { name: 'marque inventory examples/courier-robot --json', cmd: [...marque, 'inventory', 'examples/courier-robot', '--json'], cwd: root, target: 150, note: (s) => `${JSON.parse(s.out).components.length} components` },
];
if (haveWorkspace) {
  cases.push({ name: 'marque inventory <ROS 2 core> --json', cmd: [...marque, 'inventory', workspace, '--json'], cwd: root, target: 300, note: (s) => { const j = JSON.parse(s.out) as { components: { purl: string }[]; dependencies: unknown[] }; return `${j.components.filter((c) => c.purl.startsWith('pkg:ros/')).length} workspace packages, ${j.components.length} components, ${j.dependencies.length} edges`; } });
  // The same at a first run: what the kept walk, CMake reading and parses save (and what a new user waits once).
  cases.push({ name: 'the same, first run (empty cache folder)', cmd: [...marque, 'inventory', workspace, '--json'], cwd: root, cold: true });
  // No log folder: colcon would otherwise write one into the workspace at every run, and the walk would list it.
  if (spawnSync('colcon', ['--help']).status === 0) cases.push({ name: 'colcon list (same tree, for comparison)', cmd: ['colcon', '--log-base', '/dev/null', 'list'], cwd: workspace, note: (s) => `${s.out.trim().split('\n').length} packages` });
}

process.stdout.write(`bench/startup: ${values.bin ? values.bin : values.clone ? 'the clone (TypeScript sources)' : 'the installed package'}; ${runs} warm runs each; ${cpus().length} cores, load average ${loadavg().map((l) => l.toFixed(2)).join(' ')}\n`);
if (haveWorkspace) process.stdout.write(`ROS 2 core workspace: ${readFileSync(join(workspace, 'MATERIALISED.txt'), 'utf8').split('\n')[0]} (${workspace})\n`);
else process.stdout.write(`ROS 2 core workspace: not measured (no ${workspace} and no git snapshots under ${values.mirror}; see bench/ros2-core.ts)\n`);
process.stdout.write(`\n| case | median wall | fastest | median CPU | target | |\n|---|---|---|---|---|---|\n`);
for (const c of cases) {
  const warm = once(c.cmd, c.cwd, c.cold);
  const samples = Array.from({ length: c.cold ? Math.min(runs, 5) : runs }, () => once(c.cmd, c.cwd, c.cold));
  const wall = median(samples.map((s) => s.wall));
  const cpu = time ? median(samples.map((s) => s.cpu!)) : null;
  const verdict = c.target === undefined ? '' : wall < c.target ? `< ${c.target} ms: met` : `< ${c.target} ms: not met`;
  process.stdout.write(`| ${c.name} | ${wall.toFixed(0)} ms | ${Math.min(...samples.map((s) => s.wall)).toFixed(0)} ms | ${cpu === null ? '-' : `${cpu.toFixed(0)} ms`} | ${verdict} | ${c.note?.(warm) ?? ''} |\n`);
}
process.stdout.write(`\nload average after: ${loadavg().map((l) => l.toFixed(2)).join(' ')}\n`);
