// bench/confinement: what the file-access layer costs per read. Reads the same N small files (a
// workspace's package.xml files) with a plain open-and-read and through FileAccess (realpath against
// the roots, O_NONBLOCK|O_NOFOLLOW open, fstat, bounded read), in alternating rounds so that machine
// load falls on both alike; prints the median of each and the difference per file.
// Usage: node bench/confinement.ts [--files N] [--rounds N]
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { FileAccess } from '../src/util/file-access.ts';
import { mapLimit } from '../src/util/fs.ts';

const { values } = parseArgs({ options: { files: { type: 'string', default: '2000' }, rounds: { type: 'string', default: '15' } } });
const n = Number(values.files), rounds = Number(values.rounds);
const root = mkdtempSync(join(tmpdir(), 'marque-bench-confine-'));
const paths: string[] = [];
for (let i = 0; i < n; i++) {
  const dir = join(root, 'src', `repo${i % 100}`, `pkg${i}`);
  mkdirSync(dir, { recursive: true });
  const p = join(dir, 'package.xml');
  writeFileSync(p, `<?xml version="1.0"?><package format="3"><name>pkg${i}</name><version>1.0.0</version><description>${'d'.repeat(1500)}</description><license>MIT</license></package>\n`);
  paths.push(p);
}
const files = FileAccess.within(root);
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const plain: number[] = [], confined: number[] = [];
for (let r = 0; r < rounds; r++) {
  let t = performance.now();
  await mapLimit(paths, 64, (p) => readFile(p, 'utf8'));
  plain.push(performance.now() - t);
  t = performance.now();
  await mapLimit(paths, 64, (p) => files.readText(p));
  confined.push(performance.now() - t);
}
rmSync(root, { recursive: true, force: true });
const a = median(plain), b = median(confined);
console.log(`bench/confinement: ${n} files, ${rounds} rounds; plain read ${a.toFixed(1)} ms, through FileAccess ${b.toFixed(1)} ms (median); ${(((b - a) / n) * 1000).toFixed(1)} µs more per file`);
