// bench/match: a synthetic 10,000-component product across ecosystems matched against a
// full-size advisory database (generated with realistic ranges: introduced/fixed pairs, some
// last_affected, some explicit version lists). Prints index build time and memory, match time
// with the index, and a naive full scan for comparison.
// Usage: node bench/match.ts [--advisories N] [--components N]
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { spawnSync } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { pipeline } from 'node:stream/promises';
import { Readable } from 'node:stream';
import yazl from 'yazl';
import { AdvisoryDb } from '../src/advisories/store.ts';
import { importAdvisories } from '../src/api/advisories.ts';
import { affects, osvPackagesOf } from '../src/advisories/match.ts';
import { findVulnerabilities } from '../src/api/vulns.ts';
import type { Advisory } from '../src/model/advisory.ts';
import type { InventoryComponent } from '../src/model/inventory.ts';

const { values } = parseArgs({ options: { advisories: { type: 'string', default: '200000' }, components: { type: 'string', default: '10000' }, 'import-child': { type: 'string', multiple: true } } });

if (values['import-child']) {
  // The streaming import alone, in its own process, so its peak memory is its own.
  const [zipFile, dbFile] = values['import-child'];
  let peakRss = process.memoryUsage().rss;
  const sampler = setInterval(() => { peakRss = Math.max(peakRss, process.memoryUsage().rss); }, 20);
  const started = performance.now();
  await importAdvisories(dbFile!, [zipFile!]);
  clearInterval(sampler);
  console.log(JSON.stringify({ ms: performance.now() - started, peakRss: Math.max(peakRss, process.memoryUsage().rss) }));
  process.exit(0);
}
const N_ADV = Number(values.advisories);
const N_COMP = Number(values.components);

// mulberry32: a small PRNG with integer arithmetic, so the data is the same on every run.
let seed = 7;
const rand = () => {
  seed = (seed + 0x6d2b79f5) | 0;
  let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
};
const int = (n: number) => Math.floor(rand() * n);

const ECOS = [
  // Name spaces sized so that a component meets advisories about as often as in real databases.
  { eco: 'npm', type: 'npm', names: 400000 }, { eco: 'PyPI', type: 'pypi', names: 300000 },
  { eco: 'crates.io', type: 'cargo', names: 100000 }, { eco: 'Debian:12', type: 'deb', names: 40000 },
] as const;
const version = () => `${int(12)}.${int(20)}.${int(30)}`;

function advisory(i: number): Advisory {
  const e = ECOS[i % ECOS.length]!;
  const name = `pkg${int(e.names)}`;
  const lo = version();
  const events = rand() < 0.2 ? [{ introduced: '0' }, { last_affected: lo }] : [{ introduced: rand() < 0.5 ? '0' : lo }, { fixed: `${12 + int(3)}.0.0` }];
  return {
    id: `BENCH-${i}`, modified: '2026-01-01T00:00:00Z', aliases: [`CVE-2026-${100000 + i}`], related: [],
    severity: [{ type: 'CVSS_V3', score: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H' }],
    affected: [{ package: { ecosystem: e.eco, name }, ranges: [{ type: 'ECOSYSTEM', events }], versions: rand() < 0.3 ? [lo] : [] }],
    references: [],
  };
}

const dir = mkdtempSync(join(tmpdir(), 'marque-bench-match-'));
const path = join(dir, 'adv.sqlite');
// The advisories as an OSV all.zip, so the index is built through the real streaming import.
const zipPath = join(dir, 'all.zip');
const zip = new yazl.ZipFile();
// Streams, not buffers: yazl then deflates one member at a time instead of all at once.
for (let i = 0; i < N_ADV; i++) zip.addReadStream(Readable.from([Buffer.from(JSON.stringify(advisory(i)))]), `BENCH-${i}.json`);
zip.end();
await pipeline(zip.outputStream, createWriteStream(zipPath));
const child = spawnSync(process.execPath, [import.meta.filename, '--import-child', zipPath, '--import-child', path], { encoding: 'utf8' });
if (child.status !== 0) throw new Error(child.stderr);
const { ms: buildMs, peakRss: peak } = JSON.parse(child.stdout) as { ms: number; peakRss: number };

const components: InventoryComponent[] = Array.from({ length: N_COMP }, (_, i) => {
  const e = ECOS[i % ECOS.length]!;
  const name = `pkg${int(e.names)}`;
  const v = version();
  const purl = e.type === 'deb' ? `pkg:deb/debian/${name}@${v}?distro=debian-12` : `pkg:${e.type}/${name}@${v}`;
  return { purl, name, version: v, ecosystem: e.type === 'deb' ? 'deb' : e.type === 'cargo' ? 'cargo' : e.type === 'pypi' ? 'pypi' : 'npm', licenses: [], depth: 1, kind: 'runtime' };
});

const db = AdvisoryDb.openForRead(path)!;
const t1 = performance.now();
const { findings } = findVulnerabilities({ unlisted: undefined, components, db, product: { name: 'bench', version: '1' } });
const matchMs = performance.now() - t1;

// Naive: every component against every advisory, no index (timed on a sample, extrapolated).
const all = (db.db.prepare('select json from advisory').all() as { json: string }[]).map((r) => JSON.parse(r.json) as Advisory);
const sample = components.slice(0, 50);
const t2 = performance.now();
let naiveHits = 0;
for (const c of sample) {
  const ref = osvPackagesOf(c)[0]!;
  for (const a of all) for (const aff of a.affected) {
    if (aff.package && aff.package.name === ref.name && aff.package.ecosystem.startsWith(ref.base) && affects(c.version, aff, aff.package.ecosystem).hit) naiveHits++;
  }
}
const naiveMs = ((performance.now() - t2) / sample.length) * N_COMP;
db.close();
rmSync(dir, { recursive: true, force: true });

console.log(`bench/match: ${N_ADV} advisories (npm, PyPI, crates.io, Debian:12), ${N_COMP} components`);
console.log(`  index build from all.zip (streaming import): ${(buildMs / 1000).toFixed(1)} s (${Math.round(N_ADV / (buildMs / 1000))} advisories/s), peak RSS ${Math.round(peak / 2 ** 20)} MiB (target < 1024 MiB)`);
console.log(`  match with index: ${matchMs.toFixed(0)} ms, ${findings.length} findings (target < 1000 ms → ${matchMs < 1000 ? 'met' : 'NOT met'})`);
console.log(`  naive full scan (no index): about ${(naiveMs / 1000).toFixed(0)} s extrapolated from ${sample.length} components (${naiveHits} hits in the sample)`);
