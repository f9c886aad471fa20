// bench/ab: two or more builds of Marque (or any commands) run in turn, in fresh processes, the order
// reversed every round so that a change of the machine's load falls on all of them alike; medians of
// the wall time and of the CPU time. On a machine shared with other work the CPU time varies much less
// than the wall time: it is taken from `perf stat` (task-clock, every thread of the process, to the
// tenth of a millisecond) where perf runs, else from /usr/bin/time (10 ms steps). Each command runs
// twice first with its own cache folder ($MARQUE_CACHE_DIR), so what is timed is a warm run.
//
//   node bench/ab.ts [--rounds N] NAME=COMMAND NAME=COMMAND ... -- ARGS...
//   node bench/ab.ts base=/tmp/a/prefix/node_modules/.bin/marque new=/tmp/b/prefix/node_modules/.bin/marque -- inventory /tmp/marque-ros2-core --json
//
// (Installs to compare: node scripts/pack-install.ts DIR, in each checkout.) The outputs of the last
// warm runs are compared and a difference is said: a faster build must give the same answer.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';

const { values, positionals } = parseArgs({ options: { rounds: { type: 'string', default: '15' } }, allowPositionals: true });
const rounds = Number(values.rounds);
const cut = process.argv.indexOf('--');
const named = positionals.filter((p) => /^[\w.-]+=/.test(p) && (cut < 0 || process.argv.indexOf(p) < cut));
const args = cut < 0 ? [] : process.argv.slice(cut + 1);
if (named.length < 1) {
  process.stderr.write('usage: node bench/ab.ts [--rounds N] NAME=COMMAND NAME=COMMAND ... -- ARGS...\n');
  process.exit(2);
}
const commands = named.map((n) => { const at = n.indexOf('='); return { name: n.slice(0, at), cmd: n.slice(at + 1), cache: mkdtempSync(join(tmpdir(), `marque-ab-${n.slice(0, at)}-`)) }; });
const perf = spawnSync('perf', ['stat', '-x,', '-e', 'task-clock', 'true'], { encoding: 'utf8' }).status === 0;
const time = spawnSync('/usr/bin/time', ['-f', '%U', 'true'], { encoding: 'utf8' }).status === 0;
const scratch = mkdtempSync(join(tmpdir(), 'marque-ab-'));

interface Sample { wall: number; cpu: number | null; out: string }
function once(c: (typeof commands)[number]): Sample {
  const report = join(scratch, `${c.name}.txt`);
  const argv = perf ? ['perf', 'stat', '-x,', '-e', 'task-clock', '-o', report, c.cmd, ...args] : time ? ['/usr/bin/time', '-f', '%U %S', '-o', report, c.cmd, ...args] : [c.cmd, ...args];
  const started = performance.now();
  const r = spawnSync(argv[0]!, argv.slice(1), { env: { ...process.env, MARQUE_CACHE_DIR: c.cache }, encoding: 'utf8', maxBuffer: 256 << 20 });
  const wall = performance.now() - started;
  if (r.status !== 0) throw new Error(`${c.name}: exited ${r.status}: ${r.stderr.slice(-2000)}`);
  let cpu: number | null = null;
  if (perf) cpu = Number(readFileSync(report, 'utf8').split('\n').find((l) => l.includes('task-clock'))!.split(',')[0]);
  else if (time) cpu = readFileSync(report, 'utf8').trim().split('\n').pop()!.split(' ').map(Number).reduce((a, b) => a + b, 0) * 1000;
  return { wall, cpu, out: r.stdout };
}

const median = (xs: number[]) => { const s = [...xs].sort((a, b) => a - b); return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2; };
const before = loadavg()[0]!;
const outputs = new Map(commands.map((c) => { once(c); return [c.name, once(c).out] as const; }));
const samples = new Map(commands.map((c) => [c.name, [] as Sample[]]));
for (let r = 0; r < rounds; r++) for (const c of r % 2 ? [...commands].reverse() : commands) samples.get(c.name)!.push(once(c));

process.stdout.write(`bench/ab: ${rounds} rounds of ${args.join(' ') || '(no arguments)'}; CPU from ${perf ? 'perf stat (task-clock)' : time ? '/usr/bin/time' : 'nothing (neither perf nor /usr/bin/time)'}; load average ${before.toFixed(2)} -> ${loadavg()[0]!.toFixed(2)}\n\n`);
process.stdout.write('| command | median wall | fastest | median CPU | least CPU |\n|---|---|---|---|---|\n');
for (const c of commands) {
  const s = samples.get(c.name)!;
  const cpus = s.map((x) => x.cpu).filter((x): x is number => x !== null);
  const ms = (x: number) => `${x.toFixed(0)} ms`;
  process.stdout.write(`| ${c.name} | ${ms(median(s.map((x) => x.wall)))} | ${ms(Math.min(...s.map((x) => x.wall)))} | ${cpus.length ? ms(median(cpus)) : '-'} | ${cpus.length ? ms(Math.min(...cpus)) : '-'} |\n`);
}
const first = commands[0]!;
for (const c of commands.slice(1)) if (outputs.get(c.name) !== outputs.get(first.name)) process.stdout.write(`\nthe output of ${c.name} differs from ${first.name}'s\n`);
