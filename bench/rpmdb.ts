// bench/rpmdb: RPM's Berkeley DB "Packages" read by Marque's own page reader (src/parsers/bdb-hash.ts)
// and the header parser: the test fixtures (real RHEL 8 libuuid, 79 KB on 20 overflow pages; the 16
// packages Berkeley DB 5.3 wrote big-endian at 512-byte pages and little-endian at 8 KiB; SUSE's NDB
// Packages.db of SLE 15 BCI, 35 packages, read by src/sources/rpm/ndb.ts), then a
// generated database of --packages headers of 79 KB each (libuuid's, renamed), 4 KiB pages, the size
// of a large installation. When Debian's rpm is here, its bdb_ro backend lists the generated
// database too (told not to check the renamed headers' digests), so the figure is of a database rpm reads. Usage: node bench/rpmdb.ts [--packages 600]
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { gunzipSync } from 'node:zlib';
import { readBdbHash } from '../src/parsers/bdb-hash.ts';
import { readRpmBdb, readRpmNdb } from '../src/sources/rpm/extractor.ts';
import { readNdb } from '../src/sources/rpm/ndb.ts';

const { values } = parseArgs({ options: { packages: { type: 'string', default: '600' } } });
const N = Number(values.packages);
const rpm = join(import.meta.dirname, '..', 'test', 'fixtures', 'rpm');

/** Median of 5 runs after one not counted (code compiled, data in memory). */
function time(f: () => unknown): number {
  const runs: number[] = [];
  for (let k = -1; k < 5; k++) { const t = performance.now(); f(); if (k >= 0) runs.push(performance.now() - t); }
  return runs.sort((a, b) => a - b)[2]!;
}

for (const f of ['Packages_epoch', 'Packages_libuuid', 'bdb-made/Packages.be512', 'bdb-made/Packages.le8k']) {
  const data = readFileSync(join(rpm, f));
  const components = readRpmBdb(data, f).components.length;
  console.log(`bench/rpmdb ${f}: ${(data.length / 1024).toFixed(0)} KiB, ${components} packages; pages ${time(() => readBdbHash(data, f)).toFixed(2)} ms, pages and headers ${time(() => readRpmBdb(data, f)).toFixed(2)} ms (median of 5)`);
}

const sle = gunzipSync(readFileSync(join(rpm, 'Packages_sle15.db.gz')));
console.log(`bench/rpmdb Packages_sle15.db (NDB): ${(sle.length / 1024).toFixed(0)} KiB, ${readRpmNdb(sle, 'sle').components.length} packages; slots and blobs ${time(() => readNdb(sle, 'sle')).toFixed(2)} ms, with the headers ${time(() => readRpmNdb(sle, 'sle')).toFixed(2)} ms (median of 5)`);

/** A little-endian hash database of `values` under keys 0..n-1 (4-byte header numbers), as Berkeley DB lays one out. */
function writeBdb(values: Buffer[], pageSize = 4096): Buffer {
  const hash = (k: Buffer) => { let h = 0; for (const c of k) h = (Math.imul(h, 16777619) ^ c) >>> 0; return h; };
  let buckets = 2;
  while (buckets * 40 < values.length) buckets *= 2;
  const pages: Buffer[] = [Buffer.alloc(pageSize)];
  const newPage = (type: number) => { const p = Buffer.alloc(pageSize); p.writeUInt32LE(pages.length, 8); p[25] = type; pages.push(p); return p; };
  const bucketPages = Array.from({ length: buckets }, () => newPage(13));
  const items: [Buffer, Buffer][][] = Array.from({ length: buckets }, () => []);
  values.forEach((v, i) => {
    const key = Buffer.alloc(5); key[0] = 1; key.writeUInt32LE(i, 1);
    let item: Buffer;
    if (v.length <= pageSize / 4) item = Buffer.concat([Buffer.from([1]), v]);
    else {
      // An overflow chain: each page holds its part after the header; entries (the reference count) 1, the part's length at 22.
      const first = pages.length;
      for (let at = 0; at < v.length; at += pageSize - 26) {
        const p = newPage(7);
        const part = v.subarray(at, at + pageSize - 26);
        part.copy(p, 26); p.writeUInt16LE(1, 20); p.writeUInt16LE(part.length, 22);
        if (at > 0) p.writeUInt32LE(pages.length - 2, 12);
        if (at + part.length < v.length) p.writeUInt32LE(pages.length, 16);
      }
      item = Buffer.alloc(12); item[0] = 3; item.writeUInt32LE(first, 4); item.writeUInt32LE(v.length, 8);
    }
    items[hash(key.subarray(1)) & (buckets - 1)]!.push([key, item]);
  });
  items.forEach((pairs, b) => {
    let p = bucketPages[b]!, n = 0, free = pageSize;
    for (const [k, v] of pairs) {
      if (26 + 2 * (n + 2) > free - k.length - v.length) { const next = newPage(13); p.writeUInt32LE(pages.length - 1, 16); next.writeUInt32LE(p.readUInt32LE(8), 12); p = next; n = 0; free = pageSize; }
      for (const it of [k, v]) { free -= it.length; it.copy(p, free); p.writeUInt16LE(free, 26 + 2 * n); n++; }
      p.writeUInt16LE(n, 20); p.writeUInt16LE(free, 22);
    }
  });
  const meta = pages[0]!;
  meta.writeUInt32LE(0x061561, 12); meta.writeUInt32LE(9, 16); meta.writeUInt32LE(pageSize, 20); meta[25] = 8;
  meta.writeUInt32LE(pages.length - 1, 32); meta.writeUInt32LE(buckets - 1, 72); meta.writeUInt32LE(buckets - 1, 76); meta.writeUInt32LE(buckets / 2 - 1, 80);
  meta.writeUInt32LE(values.length, 88); meta.writeUInt32LE(hash(Buffer.from('%$sniglet^&\0')), 92);
  // Bucket b is on page b + 1: the spare pages of every doubling are 1.
  for (let i = 0; i < 32; i++) meta.writeUInt32LE(i <= Math.log2(buckets) ? 1 : 0, 96 + 4 * i);
  return Buffer.concat(pages);
}

// libuuid's header, renamed p000001, p000002, ...: the name is the string at tag 1000's offset in the data store.
const libuuid = readBdbHash(readFileSync(join(rpm, 'Packages_libuuid')), 'libuuid').entries.find((e) => e.key.readUInt32LE(0) !== 0)!.value;
const il = libuuid.readUInt32BE(0);
let nameAt = -1;
for (let i = 0; i < il; i++) if (libuuid.readUInt32BE(8 + 16 * i) === 1000) nameAt = 8 + 16 * il + libuuid.readUInt32BE(8 + 16 * i + 8);
const headers = Array.from({ length: N }, (_, i) => { const h = Buffer.from(libuuid); h.write(`p${String(i + 1).padStart(6, '0')}`, nameAt, 'latin1'); return h; });
const next = Buffer.alloc(4); next.writeUInt32LE(N + 1);
const big = writeBdb([next, ...headers]);
const components = readRpmBdb(big, 'Packages').components.length;
const pages = time(() => readBdbHash(big, 'Packages')), all = time(() => readRpmBdb(big, 'Packages'));
console.log(`bench/rpmdb generated: ${N} headers of ${(libuuid.length / 1024).toFixed(0)} KB, ${(big.length / 2 ** 20).toFixed(1)} MiB of 4 KiB pages → ${components} packages; pages ${pages.toFixed(0)} ms, pages and headers ${all.toFixed(0)} ms (median of 5), heap ${Math.round(process.memoryUsage().heapUsed / 2 ** 20)} MB`);
if (spawnSync('rpm', ['--version']).status === 0) {
  const dir = mkdtempSync(join(tmpdir(), 'marque-bench-rpmdb-'));
  try {
    mkdirSync(join(dir, 'db'));
    writeFileSync(join(dir, 'db', 'Packages'), big);
    // The renamed headers no longer match their digests and signature: rpm is told not to check them.
    const r = spawnSync('rpm', ['-qa', '--nodigest', '--nosignature', '--dbpath', join(dir, 'db'), '--define', '_db_backend bdb_ro', '--qf', '%{NAME}\\n'], { encoding: 'utf8', maxBuffer: 1 << 26 });
    const listed = r.stdout.trim().split('\n').filter(Boolean).length;
    console.log(`bench/rpmdb generated, rpm's bdb_ro: ${listed} packages listed${listed === components ? ', as read' : `, NOT the ${components} read`}`);
  } finally { rmSync(dir, { recursive: true, force: true }); }
}
