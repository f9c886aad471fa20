// bench/hostile: each hostile input of test/hostile/inputs.ts at size n and 2n, each run in a fresh
// process; prints the times, their ratio and the ratio of the input sizes. Work linear in the input
// gives a time ratio no larger than the input ratio (≤ 2.5 for inputs that double; start-up, about
// 0.3 s, is part of both times, so small cases show less). A nested npm lock grows by 4 when n doubles.
// Usage: node bench/hostile.ts [--only ID] [--scale F]
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { parseArgs } from 'node:util';
import { CASES } from '../test/hostile/inputs.ts';

const { values } = parseArgs({ options: { only: { type: 'string' }, scale: { type: 'string', default: '1' } } });
const bin = join(import.meta.dirname, '..', 'bin', 'marque.js');
const scale = Number(values.scale);

function run(args: string[]): number {
  const t = performance.now();
  const r = spawnSync(process.execPath, [bin, ...args], { stdio: ['ignore', 'ignore', 'pipe'], encoding: 'utf8', maxBuffer: 1 << 30 });
  if (r.status !== 0 && r.status !== 2) throw new Error(`${args.join(' ')}: exit ${r.status} ${r.stderr.slice(0, 300)}`);
  return (performance.now() - t) / 1000;
}

/** Bytes of input written: some inputs grow faster than n (nested locations), time is judged against them. */
function bytes(dir: string): number {
  let total = 0;
  for (const e of readdirSync(dir, { withFileTypes: true, recursive: true })) if (e.isFile()) total += statSync(join(e.parentPath, e.name)).size;
  return total;
}

console.log('case                   n        t(n) s   t(2n) s  time ratio  input ratio');
for (const c of CASES.filter((x) => !values.only || x.id === values.only)) {
  const n = Math.round(c.size * scale);
  const runs = [n, 2 * n].map((size) => {
    const dir = mkdtempSync(join(tmpdir(), `marque-hostile-${c.id}-`));
    try { const args = c.write(dir, size); return { t: run(args), b: bytes(dir) }; } finally { rmSync(dir, { recursive: true, force: true }); }
  });
  const [a, b] = runs as [{ t: number; b: number }, { t: number; b: number }];
  console.log(`${c.id.padEnd(22)} ${String(n).padEnd(8)} ${a.t.toFixed(2).padStart(7)}  ${b.t.toFixed(2).padStart(7)}  ${(b.t / a.t).toFixed(2).padStart(10)}  ${(b.b / a.b).toFixed(2).padStart(11)}`);
}
