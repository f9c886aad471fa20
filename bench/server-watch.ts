// bench/server-watch: the team server's targets over HTTP (issue 24), on the embedded store and on
// PostgreSQL. A portfolio of N releases × M components, each release drawing its own M distinct
// packages (with their own versions) from a pool of P packages, and advisories for one package in
// 50 of the pool; then, against a real listening server with its background work running:
//   - full match of every release (all pending, as after a matcher upgrade)  target on PostgreSQL < 5 min
//   - a new advisory affecting one release, imported with POST /advisories: time to the stored
//     finding, the SSE event and the signed webhook delivery                 target < 60 s
//   - a KEV entry for it: time to finding.exploited (SSE)                     target < 60 s
//   - GET /portfolio of a team of 1,000 releases × 25 findings, median        target < 200 ms
//   - a 5,000-component push (POST /releases, one request)                   target < 2 s
// Usage: node bench/server-watch.ts [--store sqlite|postgres|both] [--releases 10000] [--components 500] [--pool 50000]
import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import type { AddressInfo } from 'node:net';
import pg from 'pg';
import { importAdvisories } from '../src/api/advisories.ts';
import { portfolioStore } from '../src/server/store/portfolio.ts';
import { sqliteSql } from '../src/server/store/sqlite.ts';
import { postgresSql } from '../src/server/store/postgres.ts';
import type { PortfolioStore } from '../src/server/store/store.ts';
import { teamServer } from '../src/server/team-server.ts';
import type { ReleaseComponent } from '../src/model/portfolio.ts';
import type { Sql } from '../src/server/store/sql.ts';
import { insertRelease } from '../src/server/store/rows.ts';
import { randomUUID } from 'node:crypto';
import { follow } from '../test/helpers/serve.ts';

const { values } = parseArgs({ options: { store: { type: 'string', default: 'both' }, releases: { type: 'string', default: '10000' }, components: { type: 'string', default: '500' }, pool: { type: 'string', default: '50000' } } });
const N = Number(values.releases);
const M = Number(values.components);
const P = Number(values.pool);
const PG_URL = process.env['MARQUE_TEST_DATABASE_URL'] ?? 'postgres://postgres@127.0.0.1:5432/test';

/** A small seeded generator: the same portfolio every run. */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => { s = (s + 0x6d2b79f5) >>> 0; let t = s; t = Math.imul(t ^ (t >>> 15), t | 1); t ^= t + Math.imul(t ^ (t >>> 7), t | 61); return ((t ^ (t >>> 14)) >>> 0) / 4294967296; };
}
const name = (i: number) => `bench-pkg-${i.toString(36)}`;

function releaseComponents(r: number): ReleaseComponent[] {
  const rand = rng(r + 1);
  const chosen = new Set<number>();
  while (chosen.size < M) chosen.add(Math.floor(rand() * P));
  return [...chosen].map((i) => {
    const version = `${1 + (i % 3)}.${Math.floor(rand() * 20)}.${Math.floor(rand() * 10)}`;
    return { purl: `pkg:npm/${name(i)}@${version}`, name: name(i), version, ecosystem: 'npm', depth: 1 + Math.floor(rand() * 5), scope: 'runtime' };
  });
}

async function advisoryDb(dir: string): Promise<string> {
  const osv = join(dir, 'osv');
  mkdirSync(osv, { recursive: true });
  // One package in 50 has an advisory for versions below 2.5.0: about five findings per release.
  const records = [];
  for (let i = 0; i < P; i += 50) records.push({ id: `BENCH-${i}`, modified: '2026-11-01T00:00:00Z', aliases: [`CVE-2026-${10000 + i}`], affected: [{ package: { ecosystem: 'npm', name: name(i) }, ranges: [{ type: 'SEMVER', events: [{ introduced: '0' }, { fixed: '2.5.0' }] }] }] });
  writeFileSync(join(osv, 'all.json'), JSON.stringify(records));
  const db = join(dir, 'advisories.sqlite');
  await importAdvisories(db, [join(osv, 'all.json')]);
  return db;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

const figures: string[] = [];
const figure = (label: string, what: string, value: string, target: string) => { figures.push(`| ${label} | ${what} | ${value} | ${target} |`); console.log(`${label}: ${what}: ${value} (target ${target})`); };

async function run(label: string, store: PortfolioStore, sql: Sql, dir: string): Promise<void> {
  await store.migrate();
  const db = await advisoryDb(dir);
  const team = await store.createTeam('bench');
  const admin = (await store.createToken(team.id, 'admin', 'bench')).token;
  let t = performance.now();
  const product = await store.createProduct(team.id, 'robot');
  // Set-up, not measured: the releases stored directly, 50 to a transaction (as the push route stores one).
  for (let r0 = 0; r0 < N; r0 += 50) {
    await sql.transaction(async (tx) => {
      for (let r = r0; r < Math.min(N, r0 + 50); r++) {
        const components = releaseComponents(r);
        // Release 0 also holds a package no other release holds: the new advisory below affects it alone.
        if (r === 0) components.push({ purl: 'pkg:npm/only-in-release-zero@1.0.0', name: 'only-in-release-zero', version: '1.0.0', ecosystem: 'npm', depth: 1, scope: 'runtime' });
        await insertRelease(tx, { id: randomUUID(), productId: product.id, version: `1.0.${r}`, placedOnMarket: null, supportEnd: '2031-12', status: 'on-market', componentCount: components.length, createdAt: new Date(Date.UTC(2026, 0, 1) + r).toISOString(), facts: null }, components);
      }
    });
    if (r0 % 1000 === 0 && r0) console.log(`${label}: … ${r0} releases stored (${((performance.now() - t) / 1000).toFixed(0)} s)`);
  }
  console.log(`${label}: stored ${N} releases × ${M} components (pool ${P}) in ${((performance.now() - t) / 1000).toFixed(0)} s`);

  const received: { body: string; at: number }[] = [];
  const receiver = createServer((rq, rs) => { let b = ''; rq.on('data', (c: Buffer) => { b += c.toString(); }); rq.on('end', () => { received.push({ body: b, at: performance.now() }); rs.writeHead(204); rs.end(); }); });
  await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
  const server = await teamServer(store, { advisoryDb: db, offline: true, allowHosts: new Set(['127.0.0.1']) });
  const address = await server.app.listen({ port: 0, host: '127.0.0.1' });
  const auth = { authorization: `Bearer ${admin}` };
  const api = async (method: string, path: string, body?: string, type = 'application/json') => {
    const r = await fetch(`${address}${path}`, { method, headers: { ...auth, ...(body ? { 'content-type': type } : {}) }, body });
    if (!r.ok) throw new Error(`${method} ${path}: ${r.status} ${await r.text()}`);
    return r.json() as Promise<unknown>;
  };
  try {
    // Full match: every release is pending; the server's background work takes them.
    t = performance.now();
    await server.start();
    for (let k = 0; ; k++) {
      const ready = await api('GET', '/readyz') as { queue: { releases: number } };
      if (ready.queue.releases === 0) break;
      if (k % 120 === 119) console.log(`${label}: … ${N - ready.queue.releases} of ${N} matched (${((performance.now() - t) / 1000).toFixed(0)} s, load average ${loadavg()[0]!.toFixed(1)})`);
      await new Promise((r) => setTimeout(r, 500));
    }
    const full = (performance.now() - t) / 1000;
    const events = (await store.counts()).events['finding.new'] ?? 0;
    figure(label, `full match of ${N.toLocaleString('en')} releases × ${M} (until /readyz shows none pending; ${events.toLocaleString('en')} findings announced)`, `${full.toFixed(0)} s (${(full * 1000 / N).toFixed(0)} ms a release)`, label === 'postgres' ? '< 300 s' : '(on PostgreSQL: < 300 s)');
    // The webhook comes after the full match: its tens of thousands of events are not sent anywhere (that
    // would time the receiver), while the new advisory's event below is.
    await api('POST', '/api/v1/webhooks', JSON.stringify({ url: `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook` }));

    // A new advisory affecting release 0 alone, through the API.
    const stream = follow(`${address}/api/v1/events/stream?from=now`, admin);
    const sse = stream.events;
    await new Promise((r) => setTimeout(r, 1500));
    const seen = received.length;
    t = performance.now();
    await api('POST', '/api/v1/advisories?name=new-advisory.json', JSON.stringify({ id: 'BENCH-NEW', modified: '2026-12-01T00:00:00Z', aliases: ['CVE-2026-99999'], affected: [{ package: { ecosystem: 'npm', name: 'only-in-release-zero' }, ranges: [{ type: 'SEMVER', events: [{ introduced: '0' }, { fixed: '1.0.1' }] }] }] }));
    const imported = performance.now() - t;
    const until = async (cond: () => boolean | Promise<boolean>) => { while (!(await cond())) { if (performance.now() - t > 120_000) return NaN; await new Promise((r) => setTimeout(r, 25)); } return performance.now() - t; };
    const toStored = await until(async () => (await store.counts()).events['finding.new'] === events + 1);
    const toSse = await until(() => sse.some((e) => e.kind === 'finding.new' && JSON.stringify(e.data).includes('BENCH-NEW')));
    const toHook = await until(() => received.slice(seen).some((d) => d.body.includes('BENCH-NEW')));
    figure(label, `new advisory affecting 1 of ${N.toLocaleString('en')} releases (POST /advisories answered in ${imported.toFixed(0)} ms) → stored finding, SSE event, signed webhook`, `${(toStored / 1000).toFixed(1)} s, ${(toSse / 1000).toFixed(1)} s, ${(toHook / 1000).toFixed(1)} s`, '< 60 s');
    t = performance.now();
    await api('POST', '/api/v1/advisories?name=known_exploited_vulnerabilities.json', JSON.stringify({ catalogVersion: '2026.12.01', dateReleased: '2026-12-01T00:00:00Z', vulnerabilities: [{ cveID: 'CVE-2026-99999', dateAdded: '2026-12-01', vendorProject: 'bench', product: 'bench', vulnerabilityName: 'bench', dueDate: '2026-12-22', knownRansomwareCampaignUse: 'Unknown', requiredAction: 'update' }] }));
    const toExploited = await until(() => sse.some((e) => e.kind === 'finding.exploited' && JSON.stringify(e.data).includes('BENCH-NEW')));
    figure(label, 'KEV entry → `finding.exploited` (SSE)', `${(toExploited / 1000).toFixed(1)} s`, '< 60 s');
    stream.close();

    // The portfolio view: a team of 1,000 releases with 25 findings each.
    const small = await store.createTeam('portfolio');
    const viewer = (await store.createToken(small.id, 'viewer', 'v')).token;
    const p = await store.createProduct(small.id, 'panel');
    const comps = releaseComponents(0).slice(0, 25);
    for (let r = 0; r < 1000; r++) {
      const rel = await store.createRelease(small.id, { productId: p.id, version: `2.0.${r}`, supportEnd: '2031-12', components: comps });
      await store.saveFindings(small.id, rel.id, comps.map((c, k) => ({ component: c.purl, vulnerability: `CVE-2026-${k}`, exploited: k === 0 && r % 10 === 0, status: 'under_investigation' as const })), new Date());
      if (r % 10 === 0) await store.awareness(small.id, rel.id, comps[0]!.purl, 'CVE-2026-0', new Date(Date.now() - r * 60_000));
    }
    const times: number[] = [];
    for (let k = 0; k < 21; k++) {
      const t0 = performance.now();
      const r = await fetch(`${address}/api/v1/portfolio`, { headers: { authorization: `Bearer ${viewer}` } });
      const rows = await r.json() as unknown[];
      times.push(performance.now() - t0);
      if (rows.length !== 1000) throw new Error(`${rows.length} rows`);
    }
    figure(label, '`GET /portfolio`, 1,000 releases × 25 findings, median of 21', `${median(times).toFixed(0)} ms`, '< 200 ms');

    // A 5,000-component push in one request.
    const sbom = { bomFormat: 'CycloneDX', specVersion: '1.6', version: 1, metadata: { component: { type: 'application', 'bom-ref': 'app', name: 'big', version: '9.0.0' } },
      components: Array.from({ length: 5000 }, (_, i) => ({ type: 'library', 'bom-ref': `c${i}`, name: name(i), version: '1.0.0', purl: `pkg:npm/${name(i)}@1.0.0` })),
      dependencies: [{ ref: 'app', dependsOn: Array.from({ length: 5000 }, (_, i) => `c${i}`) }] };
    const body = JSON.stringify({ product: 'big', supportEnd: '2031-12', sbom });
    const pushes: number[] = [];
    for (const v of ['9.0.0', '9.0.1', '9.0.2']) {
      t = performance.now();
      await api('POST', '/api/v1/releases', body.replace('"version":"9.0.0"', `"version":"${v}"`));
      pushes.push(performance.now() - t);
      // The pushed release's match runs in the background: each push is timed without the last one's.
      for (;;) { const q = await api('GET', '/readyz') as { queue: { releases: number } }; if (q.queue.releases === 0) break; await new Promise((r) => setTimeout(r, 250)); }
    }
    figure(label, `push of a 5,000-component release (${(body.length / 1e6).toFixed(1)} MB, one request), three pushes, each after the last one's match`, pushes.map((x) => `${(x / 1000).toFixed(2)} s`).join(', '), '< 2 s');
  } finally {
    await server.stop();
    receiver.close();
    await store.close();
  }
}

const machine = () => `${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, ${(totalmem() / 2 ** 30).toFixed(1)} GiB, load average ${loadavg().map((x) => x.toFixed(1)).join(' ')}`;
const loads = [machine()];
console.log(`machine: ${loads[0]}`);
if (values.store !== 'postgres') {
  const sql = sqliteSql(join(mkdtempSync(join(tmpdir(), 'marque-bench-watch-')), 'marque.sqlite'));
  await run('embedded', portfolioStore(sql), sql, mkdtempSync(join(tmpdir(), 'marque-bench-watch-db-')));
  loads.push(machine());
}
if (values.store !== 'sqlite') {
  const schema = `marque_bench_watch_${process.pid}`;
  try {
    const sql = await postgresSql(PG_URL, schema);
    await run('postgres', portfolioStore(sql), sql, mkdtempSync(join(tmpdir(), 'marque-bench-watch-db-')));
  } finally {
    const c = new pg.Client({ connectionString: PG_URL });
    await c.connect().then(() => c.query(`drop schema if exists ${schema} cascade; drop schema if exists ${schema}_jobs cascade`)).catch(() => {}).finally(() => c.end().catch(() => {}));
  }
  loads.push(machine());
}
console.log(`\nmachine, at each start and at the end: ${loads.join(' → ')}\n\n| store | what | figure | target |\n|---|---|---|---|\n${figures.join('\n')}`);
