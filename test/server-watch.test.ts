// The server watches its advisory data, on both stores: an advisory imported through the API, a
// KEV catalogue changed on disk, a KEV entry removed — each becomes a stored finding (or a flip of
// "exploited"), an SSE event and a signed webhook delivery within seconds, matching only the
// releases that hold the package; the moment of awareness is recorded when the server stores an
// exploited finding, never by a page view. Real records: GHSA-2m8v-572m-ff2v (systeminformation,
// CVE-2021-21315) and the CISA KEV catalogue of 2025-08-25; real SBOMs (dropwizard, laravel).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import type { AddressInfo } from 'node:net';
import { importAdvisories } from '../src/api/advisories.ts';
import { portfolioStore } from '../src/server/store/portfolio.ts';
import { sqliteSql } from '../src/server/store/sqlite.ts';
import { postgresSql } from '../src/server/store/postgres.ts';
import type { PortfolioStore } from '../src/server/store/store.ts';
import { teamServer } from '../src/server/team-server.ts';
import { matchPending } from '../src/server/rematch.ts';
import { AdvisoryDb } from '../src/advisories/store.ts';
import { productRequest } from '../src/api/request.ts';
import { buildInventory } from '../src/api/inventory.ts';
import { renderSbom } from '../src/api/sbom.ts';
import { FIXTURES } from './helpers/paths.ts';
import { BIN, follow, startServer, stop, until } from './helpers/serve.ts';
import { dropSchemaAfter, PG_URL, postgresReachable } from './helpers/postgres.ts';
import { verifySignature } from './helpers/webhook.ts';

const SCHEMA = `marque_watch_${process.pid}`;
const pgUp = await postgresReachable();
dropSchemaAfter(SCHEMA, pgUp);
dropSchemaAfter(`${SCHEMA}_aware`, pgUp);

const GHSA = join(FIXTURES, 'osv/ghsa/GHSA-2m8v-572m-ff2v.json');
const KEV = join(FIXTURES, 'kev/known_exploited_vulnerabilities.json');
const LOG4J = join(FIXTURES, 'osv/ghsa/GHSA-jfh8-c2jp-5v3q.json');

/** The KEV catalogue without one entry (as when CISA removes one). */
function kevWithout(cve: string): string {
  const kev = JSON.parse(readFileSync(KEV, 'utf8')) as { vulnerabilities: { cveID: string }[] };
  kev.vulnerabilities = kev.vulnerabilities.filter((v) => v.cveID !== cve);
  const file = join(mkdtempSync(join(tmpdir(), 'marque-kev-')), 'known_exploited_vulnerabilities.json');
  writeFileSync(file, JSON.stringify(kev));
  return file;
}

async function panelSbom(): Promise<unknown> {
  const { request } = await productRequest(join(FIXTURES, 'npm-exploited'), {});
  return renderSbom(await buildInventory(request), 'cyclonedx', { name: 'panel', version: '0.9.0' });
}

async function openStore(adapter: 'sqlite' | 'postgres', schema: string): Promise<PortfolioStore> {
  const store = adapter === 'sqlite' ? portfolioStore(sqliteSql(join(mkdtempSync(join(tmpdir(), 'marque-watch-')), 'marque.sqlite'))) : portfolioStore(await postgresSql(PG_URL, schema));
  await store.migrate();
  return store;
}

for (const adapter of ['sqlite', 'postgres'] as const) {
  test(`${adapter}: an advisory import, a KEV change on disk and a KEV removal each reach the stored findings, the SSE stream and a signed webhook within seconds, matching only the release that holds the package`, async (t) => {
    if (adapter === 'postgres' && !pgUp) { t.skip(`PostgreSQL not reachable at ${PG_URL} (.ci/run starts it)`); return; }
    const dir = mkdtempSync(join(tmpdir(), 'marque-watch-db-'));
    const advisoryDb = join(dir, 'advisories.sqlite');
    await importAdvisories(advisoryDb, [LOG4J]); // some data, none about the releases below
    const store = await openStore(adapter, SCHEMA);
    const team = await store.createTeam('acme');
    const admin = (await store.createToken(team.id, 'admin', 'lead@acme')).token;
    const viewer = (await store.createToken(team.id, 'viewer', 'auditor@acme')).token;
    const received: { body: string; signature: string; at: number }[] = [];
    const receiver = createServer((rq, rs) => { let b = ''; rq.on('data', (c: Buffer) => { b += c.toString(); }); rq.on('end', () => { received.push({ body: b, signature: String(rq.headers['x-marque-signature']), at: Date.now() }); rs.writeHead(204); rs.end(); }); });
    await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
    const server = await teamServer(store, { advisoryDb, offline: true, allowHosts: new Set(['127.0.0.1']), periods: { match: 500, changes: 500, deliver: 500, deadlines: 0 } });
    const address = await server.app.listen({ port: 0, host: '127.0.0.1' });
    await server.start();
    let stream: ReturnType<typeof follow> | undefined;
    try {
      const api = async (method: string, path: string, body?: unknown, token = admin, type = 'application/json') => {
        const r = await fetch(`${address}/api/v1${path}`, { method, headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': type }) }, body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body) });
        const text = await r.text();
        assert.ok(r.ok, `${method} ${path}: ${r.status} ${text}`);
        return text ? JSON.parse(text) : undefined;
      };
      const hook = await api('POST', '/webhooks', { url: `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/marque` });
      const panel = (await api('POST', '/releases', { product: 'panel', supportEnd: '2031-12', sbom: await panelSbom() })).release;
      await api('POST', '/releases', { product: 'dropwizard', supportEnd: '2031-12', sbom: JSON.parse(readFileSync(join(FIXTURES, 'sboms/dropwizard-1.3.15.bom.json'), 'utf8')) });
      await api('POST', '/releases', { product: 'laravel', version: '7.12.0', supportEnd: '2031-12', sbom: JSON.parse(readFileSync(join(FIXTURES, 'sboms/laravel-7.12.0.cdx.json'), 'utf8')) });
      // Pushed releases are matched at once (nothing affects them yet).
      assert.ok(await until(async () => (await api('GET', '/portfolio')).every((r: { coverage: unknown }) => r.coverage !== null), 30_000, 100), 'every pushed release matched');
      stream = follow(`${address}/api/v1/events/stream?from=now`, viewer);
      const matched = async () => Number(/marque_releases_matched_total\{kind="changes"\} (\d+)/.exec(await (await fetch(`${address}/metrics`)).text())?.[1] ?? 0);
      const before = await matched();

      // 1. A new advisory through the API: a finding of the panel, an event, a delivery.
      const t0 = Date.now();
      const imported = await api('POST', '/advisories?name=GHSA-2m8v-572m-ff2v.json', readFileSync(GHSA, 'utf8'));
      assert.deepEqual(imported.imported.map((r: { source: string; records: number }) => r.records), [1]);
      const isNew = (e: { kind: string; data: Record<string, unknown> }) => e.kind === 'finding.new' && (e.data['payload'] as { vulnerability: string }).vulnerability === 'GHSA-2m8v-572m-ff2v';
      assert.ok(await until(() => stream!.events.some(isNew) && received.some((d) => d.body.includes('GHSA-2m8v-572m-ff2v')), 30_000, 50), 'the event streamed and delivered');
      const stored = (await api('GET', '/portfolio')).find((r: { release: { id: string } }) => r.release.id === panel.id);
      assert.equal(stored.openFindings, 1);
      const delivery = received.find((d) => d.body.includes('GHSA-2m8v-572m-ff2v'))!;
      assert.ok(verifySignature(hook.secret, delivery.body, delivery.signature));
      t.diagnostic(`import → SSE ${stream.events.find(isNew)!.at - t0} ms, webhook ${delivery.at - t0} ms`);
      assert.equal(await matched() - before, 1, 'only the release holding systeminformation was matched');
      assert.equal((await api('GET', `/releases/${panel.id}/findings`, undefined, viewer)).findings[0].exploited, false);
      // One record is a partial source: its finding counts, its coverage does not, until an admin vouches for it.
      assert.deepEqual([imported.imported[0].complete, imported.imported[0].basis], [[], 'a single file of records, not an export Marque recognises as complete; vouch for a full mirror with "marque db import --complete ECOSYSTEM PATH"']);
      const partial = await api('GET', `/releases/${panel.id}/findings`, undefined, viewer);
      assert.equal(partial.coverage.coveredFresh, 0);
      assert.match(partial.statement, /\(no complete, fresh source covers them\)/);
      const vouched = await api('POST', '/advisories?name=GHSA-2m8v-572m-ff2v.json&complete=npm', readFileSync(GHSA, 'utf8'));
      assert.deepEqual(vouched.imported[0].complete, ['npm']);
      const covered = await api('GET', `/releases/${panel.id}/findings`, undefined, viewer);
      const npm = covered.coverage.sources.find((x: { ecosystem: string }) => x.ecosystem === 'npm');
      assert.deepEqual([npm.source, npm.complete, npm.how], ['osv:GHSA-2m8v-572m-ff2v.json', true, 'POST /api/v1/advisories GHSA-2m8v-572m-ff2v.json (complete=npm)']);
      // Complete now, but the record is from 2023: covered, not fresh, and the gap says so.
      assert.deepEqual([partial.coverage.covered, covered.coverage.covered, covered.coverage.coveredFresh], [0, covered.coverage.components, 0]);
      assert.match(covered.coverage.gaps[0].reason, /^npm advisory data is older than 7 days/);

      // 2. The KEV catalogue imported on disk by someone else ("marque db import"): the finding is now exploited.
      const t1 = Date.now();
      await importAdvisories(advisoryDb, [KEV]);
      const flipped = (e: { kind: string; data: Record<string, unknown> }) => e.kind === 'finding.exploited' && (e.data['payload'] as { exploited: boolean }).exploited;
      assert.ok(await until(() => stream!.events.some(flipped) && received.some((d) => JSON.parse(d.body).kind === 'finding.exploited'), 30_000, 50), 'the flip streamed and delivered');
      const exploited = stream.events.find(flipped)!;
      const clock = (exploited.data['payload'] as { clock: { awareAt: string; earlyWarningDue: string } }).clock;
      t.diagnostic(`KEV on disk → finding.exploited ${exploited.at - t1} ms`);
      assert.ok(Date.parse(clock.awareAt) >= t1 - 1000 && Date.parse(clock.awareAt) <= exploited.at, 'awareness recorded when the server stored the exploited finding');
      assert.equal(Date.parse(clock.earlyWarningDue) - Date.parse(clock.awareAt), 24 * 3_600_000, 'Art. 14(2)(a): 24 hours');
      for (let i = 0; i < 2; i++) {
        const seen = (await api('GET', `/releases/${panel.id}/findings`, undefined, viewer)).findings[0];
        assert.deepEqual([seen.exploited, seen.awareness, seen.clock.awareAt], [true, 'recorded', clock.awareAt], 'a page view changes nothing');
      }
      const row = (await api('GET', '/portfolio?exploited=true'))[0];
      assert.deepEqual([row.release.id, row.openExploited, row.nextDeadline.stage], [panel.id, 1, 'early-warning']);

      // 3. CISA removes the entry: the finding is no longer exploited (announced), its awareness stays.
      await api('POST', '/advisories?name=known_exploited_vulnerabilities.json', readFileSync(kevWithout('CVE-2021-21315'), 'utf8'));
      const unflipped = (e: { kind: string; data: Record<string, unknown> }) => e.kind === 'finding.exploited' && !(e.data['payload'] as { exploited: boolean }).exploited;
      assert.ok(await until(() => stream!.events.some(unflipped), 30_000, 50), 'the removal streamed');
      assert.equal((await api('GET', '/portfolio?exploited=true')).length, 0);
      assert.equal((await store.awarenessOf(team.id, panel.id)).size, 1, 'the moment of awareness is kept');
      // Each change announced once.
      const all = await api('GET', '/events?limit=1000');
      assert.deepEqual(all.map((e: { kind: string }) => e.kind), ['finding.new', 'finding.exploited', 'finding.exploited']);
      // Refused: not an admin; not an advisory file.
      const asViewer = await fetch(`${address}/api/v1/advisories?name=x.json`, { method: 'POST', headers: { authorization: `Bearer ${viewer}`, 'content-type': 'application/json' }, body: '[]' });
      assert.equal(asViewer.status, 403);
      const junk = await fetch(`${address}/api/v1/advisories?name=x.json`, { method: 'POST', headers: { authorization: `Bearer ${admin}`, 'content-type': 'application/json' }, body: '{"id": 1' });
      assert.equal(junk.status, 422, await junk.clone().text());
      assert.ok(!(await junk.text()).includes(tmpdir()), 'the server\'s temporary path is not shown');
    } finally {
      stream?.close();
      await server.stop();
      await store.close();
      receiver.close();
    }
  });

  test(`${adapter}: a viewer opening an exploited finding starts no clock; the server's match records the moment of awareness (Art. 14(2))`, async (t) => {
    if (adapter === 'postgres' && !pgUp) { t.skip(`PostgreSQL not reachable at ${PG_URL}`); return; }
    const advisoryDb = join(mkdtempSync(join(tmpdir(), 'marque-aware-')), 'advisories.sqlite');
    await importAdvisories(advisoryDb, [GHSA, KEV]);
    const store = await openStore(adapter, `${SCHEMA}_aware`);
    // No background work: only the page views below, then the match, act.
    const server = await teamServer(store, { advisoryDb, offline: true });
    try {
      const team = await store.createTeam('acme');
      const viewer = (await store.createToken(team.id, 'viewer', 'auditor@acme')).token;
      const { release } = await store.placeRelease(team.id, { product: 'panel', version: '0.9.0', supportEnd: '2031-12', components: [{ purl: 'pkg:npm/systeminformation@5.3.0', name: 'systeminformation', version: '5.3.0', ecosystem: 'npm', depth: 1, scope: 'runtime' }] }, 'ci');
      const get = async () => (await server.app.inject({ method: 'GET', url: `/api/v1/releases/${release.id}/findings`, headers: { authorization: `Bearer ${viewer}` } })).json().findings[0];
      const seen = await get();
      assert.deepEqual([seen.exploited, seen.awareness, seen.clock], [true, 'pending', null]);
      await get();
      assert.equal((await store.awarenessOf(team.id, release.id)).size, 0, 'page views record nothing');
      const before = new Date();
      const db = AdvisoryDb.openForRead(advisoryDb)!;
      try { await matchPending(store, db, () => new Date()); } finally { db.close(); }
      const after = await get();
      assert.equal(after.awareness, 'recorded');
      assert.ok(Date.parse(after.clock.awareAt) >= before.getTime() - 1);
      const events = await store.events(team.id, 0, 10);
      assert.deepEqual(events.map((e) => [e.kind, (e.payload as { clock: { awareAt: string } }).clock.awareAt]), [['finding.new', after.clock.awareAt]], 'the event carries the same moment');
    } finally {
      await server.stop();
      await store.close();
    }
  });
}

test('the server updates its advisory data on schedule (KEV from a local mirror) and takes "marque db import --server"; both become events', async () => {
  const cache = mkdtempSync(join(tmpdir(), 'marque-update-'));
  const advisoryDb = join(cache, 'advisories.sqlite');
  await importAdvisories(advisoryDb, [GHSA]);
  // A local mirror of the KEV feed: the download rules of "db update" (plain HTTP only on loopback).
  let served = 0;
  const mirror = createServer((rq, rs) => {
    if (rq.url !== '/feeds/known_exploited_vulnerabilities.json') { rs.writeHead(404); rs.end(); return; }
    served++;
    const body = readFileSync(KEV);
    rs.writeHead(200, { 'content-type': 'application/json', 'content-length': body.length });
    rs.end(body);
  });
  await new Promise<void>((r) => mirror.listen(0, '127.0.0.1', r));
  const kevUrl = `http://127.0.0.1:${(mirror.address() as AddressInfo).port}/feeds/known_exploited_vulnerabilities.json`;
  const env = { ...process.env, MARQUE_CACHE_DIR: cache, MARQUE_OFFLINE: '0' };
  const made = spawnSync(process.execPath, [BIN, 'token', 'create', '--team', 'acme', '--role', 'admin'], { encoding: 'utf8', env });
  assert.equal(made.status, 0, made.stderr);
  const token = made.stdout.trim();
  const server = await startServer(['--db', advisoryDb, '--source', kevUrl, '--update-kev', '60', '--update-osv', '0', '--update-epss', '0', '--rematch-every', '60'], env);
  try {
    const auth = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
    const push = await fetch(`${server.address}/api/v1/releases`, { method: 'POST', headers: auth, body: JSON.stringify({ product: 'panel', supportEnd: '2031-12', sbom: await panelSbom() }) });
    assert.equal(push.status, 201, await push.text());
    const events = async () => (await (await fetch(`${server.address}/api/v1/events`, { headers: auth })).json()) as { kind: string; payload: { exploited: boolean; vulnerability: string } }[];
    assert.ok(await until(async () => (await events()).some((e) => e.kind === 'finding.exploited' || (e.kind === 'finding.new' && e.payload.exploited)), 60_000, 200), `the scheduled KEV download made the finding exploited: ${JSON.stringify(await events())}`);
    assert.equal(served, 1, 'downloaded once: the next is due in an hour');
    const metrics = await (await fetch(`${server.address}/metrics`)).text();
    assert.match(metrics, /marque_advisory_age_seconds\{source="kev",kind="kev"\} \d/);
    assert.match(metrics, /marque_queue_depth\{queue="releases"\} 0/);
    assert.equal((await fetch(`${server.address}/healthz`)).status, 200);
    assert.deepEqual(await (await fetch(`${server.address}/readyz`)).json(), { status: 'ready', queue: { releases: 0, deliveries: 0 }, advisoryData: 'present' });
    // "marque db import --server": a folder of OSV records (log4j's, which the panel does not hold) and
    // one record file; imported on the server, each named by its source.
    const sent = spawnSync(process.execPath, [BIN, 'db', 'import', join(FIXTURES, 'osv/ghsa'), LOG4J, '--server', server.address, '--json'], { encoding: 'utf8', env: { ...env, MARQUE_TOKEN: token } });
    assert.equal(sent.status, 0, sent.stderr);
    const reports = JSON.parse(sent.stdout).imported as { source: string; records: number }[];
    assert.deepEqual(reports.map((r) => [r.source, r.records]), [['osv:ghsa', 5], ['osv:GHSA-jfh8-c2jp-5v3q.json', 1]]);
    const refused = spawnSync(process.execPath, [BIN, 'db', 'import', LOG4J, '--server', server.address], { encoding: 'utf8', env: { ...env, MARQUE_TOKEN: 'mq_wrong' } });
    assert.equal(refused.status, 2);
    assert.match(refused.stderr, /HTTP 401/);
    // The request log: on by default, one JSON line per request with its id, no token.
    const log = server.stdout();
    assert.match(log, /"reqId":"[0-9a-f-]{36}"/);
    assert.ok(!log.includes(token), 'no token in the log');
    assert.match(log, /"msg":"release pushed"/);
    assert.match(server.stderr(), /--rematch-every is deprecated and ignored/);
    assert.doesNotMatch(server.stderr(), /DeprecationWarning|FSTDEP/, 'no deprecation warning of a library');
  } finally {
    await stop(server);
    mirror.close();
  }
});
