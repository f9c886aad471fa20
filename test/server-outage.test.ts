// PostgreSQL gone while the team server runs: the server stays up, every request that needs the database
// answers 503 with Retry-After and a message that names no host, port or driver error (the log has the
// reason), and once the database answers again requests, the pg-boss queue (a pushed release's match) and
// the advisory watcher go on by themselves. The database is "lost" through a TCP proxy of the test's own
// (connections cut, then refused), not by stopping the PostgreSQL service other tests share.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { connect, createServer, type AddressInfo, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { dropSchemaAfter, PG_URL, postgresReachable } from './helpers/postgres.ts';
import { syntheticSbom, until } from './helpers/serve.ts';
import { importAdvisories } from '../src/api/advisories.ts';
import { postgresSql } from '../src/server/store/postgres.ts';
import { portfolioStore } from '../src/server/store/portfolio.ts';
import { isDatabaseUnavailable } from '../src/server/store/errors.ts';
import { teamServer } from '../src/server/team-server.ts';
import { MATCHER_VERSION, monthOf } from '../src/server/rematch.ts';

const reachable = await postgresReachable();
const SCHEMA = `marque_outage_${process.pid}`;
dropSchemaAfter(SCHEMA, reachable);
dropSchemaAfter(`${SCHEMA}_tx`, reachable);

/** A TCP proxy to PostgreSQL: `cut` drops every connection through it and refuses new ones; `restore` takes them again. */
async function databaseProxy(): Promise<{ url: string; cut: () => Promise<void>; restore: () => Promise<void>; close: () => Promise<void> }> {
  const target = new URL(PG_URL);
  const sockets = new Set<Socket>();
  const server = createServer((client) => {
    const pg = connect(Number(target.port || 5432), target.hostname);
    for (const s of [client, pg]) {
      sockets.add(s);
      s.on('error', () => {});
      s.on('close', () => { client.destroy(); pg.destroy(); sockets.delete(s); });
    }
    client.pipe(pg).pipe(client);
  });
  const listen = (port: number) => new Promise<number>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => { server.off('error', reject); resolve((server.address() as AddressInfo).port); });
  });
  const port = await listen(0);
  const url = new URL(PG_URL);
  url.host = `127.0.0.1:${port}`;
  const cut = async () => {
    const closed = new Promise((r) => server.close(r));
    for (const s of sockets) s.destroy();
    await closed;
  };
  return { url: url.href, cut, restore: async () => { await listen(port); }, close: cut };
}

test('postgres: a transaction whose connection is cut between two statements fails as "database unavailable"; the process lives on', async (t) => {
  if (!reachable) { t.skip(`PostgreSQL not reachable at ${PG_URL}`); return; }
  const proxy = await databaseProxy();
  const sql = await postgresSql(proxy.url, `${SCHEMA}_tx`);
  try {
    let go!: () => void;
    const gate = new Promise<void>((r) => { go = r; });
    let first!: () => void;
    const began = new Promise<void>((r) => { first = r; });
    const tx = sql.transaction(async (q) => { await q.all('select 1'); first(); await gate; return q.all('select 2'); });
    await began;
    // The connection the transaction holds is cut while it waits: pg reports it as an 'error' event on the client,
    // which unheard ended the process.
    await proxy.cut();
    await new Promise((r) => setTimeout(r, 200));
    go();
    await assert.rejects(tx, (e: Error) => isDatabaseUnavailable(e));
    await assert.rejects(sql.all('select 1'), (e: Error) => isDatabaseUnavailable(e), 'refused: unavailable too');
    await proxy.restore();
    assert.deepEqual(await sql.all('select 3 as n'), [{ n: 3 }], 'a new connection once it answers');
  } finally {
    await sql.close();
    await proxy.close();
  }
});

test('postgres: with the database gone requests get 503 and Retry-After, the server lives on, and its work resumes when the database is back', async (t) => {
  if (!reachable) { t.skip(`PostgreSQL not reachable at ${PG_URL}`); return; }
  const dir = mkdtempSync(join(tmpdir(), 'marque-outage-'));
  const osv = join(dir, 'osv');
  mkdirSync(osv);
  const advisory = (id: string, pkg: string) => writeFileSync(join(osv, `${id}.json`), JSON.stringify({ id, modified: new Date().toISOString(), affected: [{ package: { ecosystem: 'npm', name: pkg }, ranges: [{ type: 'SEMVER', events: [{ introduced: '0' }, { fixed: '2.0.0' }] }] }] }));
  advisory('OUTAGE-1', 'pkg1');
  const advisoryDb = join(dir, 'advisories.sqlite');
  await importAdvisories(advisoryDb, [osv]);

  const proxy = await databaseProxy();
  const store = portfolioStore(await postgresSql(proxy.url, SCHEMA));
  await store.migrate();
  const team = await store.createTeam('acme');
  const token = (await store.createToken(team.id, 'editor', 'ci')).token;
  let log = '';
  const logStream = new Writable({ write(chunk, _enc, done) { log += String(chunk); done(); } });
  const server = await teamServer(store, { advisoryDb, offline: true, logger: 'info', logStream, periods: { changes: 300, deliver: 0, deadlines: 0 } });
  await server.start();
  try {
    const base = await server.app.listen({ port: 0, host: '127.0.0.1' });
    const api = (method: string, path: string, body?: unknown) => fetch(`${base}${path}`, {
      method, headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) }, body: body === undefined ? undefined : JSON.stringify(body),
    });
    const stored = async (version: string) => (await store.portfolio(team.id)).find((r) => r.release.version === version && r.coverage);
    const first = await api('POST', '/api/v1/releases', { product: 'robot', sbom: syntheticSbom(3, '1.0.0') });
    assert.equal(first.status, 201, await first.text());
    assert.ok(await until(async () => (await stored('1.0.0'))?.openFindings === 1, 20_000, 100), 'the first release is matched');

    await proxy.cut();
    const cutAt = log.length;
    for (const [method, path, body] of [['GET', '/api/v1/portfolio'], ['GET', '/api/v1/releases'], ['POST', '/api/v1/releases', { product: 'robot', sbom: syntheticSbom(3, '1.1.0') }]] as const) {
      const r = await api(method, path, body);
      assert.equal(r.status, 503, `${method} ${path}`);
      assert.equal(r.headers.get('retry-after'), '30');
      assert.match(r.headers.get('content-type') ?? '', /application\/problem\+json/);
      assert.deepEqual(await r.json(), { type: 'about:blank', title: 'Service Unavailable', status: 503, detail: 'the database is unavailable; retry later' });
    }
    assert.equal((await fetch(`${base}/healthz`)).status, 200, 'the process answers');
    assert.equal((await fetch(`${base}/readyz`)).status, 503, 'not ready');
    // The background work meets the outage for a while (the advisory watcher every 300 ms, pg-boss's polls).
    await new Promise((r) => setTimeout(r, 2500));
    assert.match(log, /the database is unavailable: the request was not completed/);
    assert.match(log, /ECONNREFUSED|Connection terminated/, 'the reason is in the log');
    // Said once (a minute) by each part of the background work, not at each of its failing polls (several a second).
    const background = log.slice(cutAt).split('\n').filter(Boolean).map((l) => JSON.parse(l) as { level: number; msg: string; task?: string })
      .filter((l) => l.level >= 50 && !l.msg.startsWith('the database is unavailable: the request') && !l.msg.startsWith('not ready'));
    assert.ok(background.some((l) => l.msg.startsWith('job queue: the database is unavailable')), 'pg-boss says it');
    assert.ok(background.some((l) => l.task === 'changes' && /the database is unavailable/.test(l.msg)), 'the advisory watcher says it');
    assert.ok(background.length <= 4, background.map((l) => `${l.task ?? ''} ${l.msg}`).join('\n'));

    await proxy.restore();
    assert.ok(await until(async () => (await api('GET', '/api/v1/portfolio')).status === 200, 15_000, 200), 'requests answered again');
    // The queue goes on: a release pushed now is matched by its pg-boss job.
    const second = await api('POST', '/api/v1/releases', { product: 'robot', sbom: syntheticSbom(3, '1.1.0') });
    assert.equal(second.status, 201, await second.text());
    assert.ok(await until(async () => (await stored('1.1.0'))?.openFindings === 1, 30_000, 200), 'the release pushed after the outage is matched');
    // And the advisory watcher: an advisory imported now becomes a stored finding of both releases.
    advisory('OUTAGE-2', 'pkg2');
    await importAdvisories(advisoryDb, [osv]);
    assert.ok(await until(async () => (await stored('1.0.0'))?.openFindings === 2 && (await stored('1.1.0'))?.openFindings === 2, 30_000, 200), 'the advisory change is matched');
    assert.deepEqual(await store.pendingReleaseIds(MATCHER_VERSION, monthOf(new Date())), []);
  } finally {
    await server.stop();
    await store.close();
    await proxy.close();
  }
});

test('what counts as "the database is unavailable": the connection, not what a request did', () => {
  const coded = (code: string, message = 'x') => Object.assign(new Error(message), { code });
  for (const e of [
    coded('ECONNREFUSED', 'connect ECONNREFUSED 10.0.0.5:5432'), coded('ETIMEDOUT'), coded('ECONNRESET'), coded('ENOTFOUND', 'getaddrinfo ENOTFOUND db'),
    coded('57P01', 'terminating connection due to administrator command'), coded('57P03', 'the database system is starting up'), coded('08006'), coded('53300', 'too many clients already'),
    new Error('Connection terminated unexpectedly'), new Error('Connection terminated due to connection timeout'), new Error('Client has encountered a connection error and is not queryable'),
    new Error('timeout exceeded when trying to connect'),
    Object.assign(new AggregateError([coded('ECONNREFUSED'), coded('ECONNREFUSED')], ''), { code: undefined }),
    new Error('releases r1 could not be matched: Connection terminated unexpectedly', { cause: new Error('Connection terminated unexpectedly') }),
  ]) assert.equal(isDatabaseUnavailable(e), true, `${(e as { code?: string }).code} ${e.message}`);
  for (const e of [
    coded('23505', 'duplicate key value violates unique constraint'), coded('53100', 'could not extend file'), coded('42P01', 'relation "release" does not exist'),
    new Error('boom'), new TypeError('Cannot read properties of undefined (reading \'rows\')'), coded('22021', 'invalid byte sequence for encoding "UTF8": 0x00'),
    new Error('a message that merely mentions Connection terminated unexpectedly'), undefined, null, 'ECONNREFUSED',
  ]) assert.equal(isDatabaseUnavailable(e), false, String((e as Error | undefined)?.message ?? e));
});

test('the OpenAPI document names 503 (problem details) for every operation', async () => {
  const { buildServer } = await import('../src/server/app.ts');
  const { sqliteSql } = await import('../src/server/store/sqlite.ts');
  const store = portfolioStore(sqliteSql(':memory:'));
  await store.migrate();
  const app = await buildServer(store);
  try {
    const doc = (await app.inject({ method: 'GET', url: '/api/v1/openapi.json' })).json() as { paths: Record<string, Record<string, { responses: Record<string, unknown> }>> };
    const operations = Object.entries(doc.paths).flatMap(([path, ops]) => Object.entries(ops).map(([method, op]) => ({ at: `${method} ${path}`, responses: op.responses })));
    assert.ok(operations.length > 30, `${operations.length}`);
    assert.deepEqual(operations.filter((o) => !o.responses['503']).map((o) => o.at), []);
  } finally {
    await app.close();
    await store.close();
  }
});
