// bench/image: a generated `docker save` tarball of about --gb GiB (a base layer with the Debian 12
// package database, a layer of large binary files, a layer with a lockfile), read as `marque
// inventory image.tar` reads it. Prints the time and the peak resident memory, for a small image and
// the big one: the memory must stay flat in the image's size. Usage: node bench/image.ts [--gb 2]
import { closeSync, createWriteStream, mkdtempSync, openSync, readFileSync, readSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { parseArgs } from 'node:util';
import { pack } from 'tar-stream';
import { readImage } from '../src/sources/image/layers.ts';
import { keptInImage } from '../src/sources/image/inventory.ts';

const { values } = parseArgs({ options: { gb: { type: 'string', default: '2' } } });
const fixtures = join(import.meta.dirname, '..', 'test', 'fixtures');
const dir = mkdtempSync(join(tmpdir(), 'marque-bench-image-'));

/** Writes a tar from entries whose data is produced on the fly, never held whole. */
async function writeTar(path: string, entries: { name: string; size: number; chunks: () => Iterable<Buffer>; mode?: number }[]): Promise<void> {
  const p = pack();
  const out = pipeline(p, createWriteStream(path));
  for (const e of entries) {
    await new Promise<void>((resolve, reject) => {
      const s = p.entry({ name: e.name, size: e.size, mode: e.mode ?? 0o644 }, (err) => (err ? reject(err) : resolve()));
      (async () => { for (const c of e.chunks()) if (!s.write(c)) await new Promise<void>((r) => { s.once('drain', () => r()); }); s.end(Buffer.alloc(0)); })().catch(reject);
    });
  }
  p.finalize();
  await out;
}
const once = (b: Buffer) => () => [b];

async function makeImage(bytes: number, name: string): Promise<string> {
  const status = readFileSync(join(fixtures, 'image/var/lib/dpkg/status'));
  const lock = readFileSync(join(fixtures, 'yarn/classic-webpack/yarn.lock'));
  const block = Buffer.alloc(1 << 20);
  for (let i = 0; i < block.length; i++) block[i] = (i * 2654435761) >>> 24;
  const files = Math.max(1, Math.round(bytes / (64 << 20)));
  const each = Math.floor(bytes / files / block.length) * block.length;
  const layers = [
    [{ name: 'var/lib/dpkg/status', size: status.length, chunks: once(status) }],
    Array.from({ length: files }, (_, i) => ({ name: `opt/robot/lib/blob${i}.so`, size: each, mode: 0o755, chunks: function* () { for (let o = 0; o < each; o += block.length) yield block; } })),
    [{ name: 'srv/ui/yarn.lock', size: lock.length, chunks: once(lock) }],
  ];
  const ids: string[] = [];
  for (const [i, l] of layers.entries()) { await writeTar(join(dir, `layer${i}.tar`), l); ids.push(`l${i}/layer.tar`); }
  const manifest = Buffer.from(JSON.stringify([{ Config: 'c.json', Layers: ids }]));
  const out = join(dir, name);
  await writeTar(out, [
    ...ids.map((id, i) => { const p = join(dir, `layer${i}.tar`); return { name: id, size: statSync(p).size, chunks: () => streamFile(p) }; }),
    { name: 'manifest.json', size: manifest.length, chunks: once(manifest) },
  ]);
  for (let i = 0; i < layers.length; i++) rmSync(join(dir, `layer${i}.tar`));
  return out;
}

/** A file's content in chunks, read synchronously in 1 MiB pieces (the pack entry writes them). */
function* streamFile(path: string): Iterable<Buffer> {
  const fd = openSync(path, 'r');
  const buf = Buffer.alloc(1 << 20);
  try { for (let n = readSync(fd, buf); n > 0; n = readSync(fd, buf)) yield Buffer.from(buf.subarray(0, n)); } finally { closeSync(fd); }
}

async function measure(path: string): Promise<[number, number, number]> {
  let peak = process.memoryUsage().rss;
  const t = setInterval(() => { peak = Math.max(peak, process.memoryUsage().rss); }, 20);
  const started = performance.now();
  const r = await readImage(path, keptInImage);
  const ms = performance.now() - started;
  clearInterval(t);
  peak = Math.max(peak, process.memoryUsage().rss);
  return [ms, peak, r.files.size];
}

try {
  const small = await makeImage(256 << 20, 'small.tar');
  const big = await makeImage(Number(values.gb) * (1 << 30), 'big.tar');
  for (const [label, p] of [['small', small], ['big', big]] as const) {
    const [ms, peak, kept] = await measure(p);
    const size = statSync(p).size;
    console.log(`bench/image ${label}: ${(size / 2 ** 30).toFixed(2)} GiB tarball, ${kept} files kept; ${(ms / 1000).toFixed(1)} s (${(size / 2 ** 20 / (ms / 1000)).toFixed(0)} MiB/s), peak RSS ${(peak / 2 ** 20).toFixed(0)} MiB`);
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
