// Background work shared by servers on one PostgreSQL: a release's match and the delivery runs are
// pg-boss jobs, so two servers never do one piece of work twice (a dead server's jobs are retried:
// test/faults.test.ts); an advisory imported through one server reaches the releases pushed through
// another, its stream and the webhooks; in one process, a task runs at most once at a time.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { Jobs } from '../src/server/jobs.ts';
import { portfolioStore } from '../src/server/store/portfolio.ts';
import { postgresSql } from '../src/server/store/postgres.ts';
import { teamServer } from '../src/server/team-server.ts';
import { importAdvisories } from '../src/api/advisories.ts';
import { follow, until } from './helpers/serve.ts';
import { verifySignature } from './helpers/webhook.ts';
import { FIXTURES } from './helpers/paths.ts';
import { readFileSync } from 'node:fs';
import { dropSchemaAfter, PG_URL, postgresReachable } from './helpers/postgres.ts';

const schema = `marque_jobs_test_${process.pid}`;
const pgUp = await postgresReachable();
dropSchemaAfter(schema, pgUp);

test('two servers on one PostgreSQL: each pending release is matched once, each delivery sent once', async (t) => {
  if (!pgUp) { t.skip(`PostgreSQL not reachable at ${PG_URL} (.ci/run starts it)`); return; }
  const dir = mkdtempSync(join(tmpdir(), 'marque-jobs-'));
  const osv = join(dir, 'osv');
  mkdirSync(osv);
  for (let i = 0; i < 50; i += 5) writeFileSync(join(osv, `J-${i}.json`), JSON.stringify({ id: `J-${i}`, modified: '2026-11-01T00:00:00Z', affected: [{ package: { ecosystem: 'npm', name: `pkg${i}` }, ranges: [{ type: 'SEMVER', events: [{ introduced: '0' }, { fixed: '2.0.0' }] }] }] }));
  const advisories = join(dir, 'advisories.sqlite');
  await importAdvisories(advisories, [osv]);
  const received: string[] = [];
  const receiver = createServer((rq, rs) => { let b = ''; rq.on('data', (c: Buffer) => { b += c.toString(); }); rq.on('end', () => { received.push(b); rs.writeHead(204); rs.end(); }); });
  await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
  const stores = [portfolioStore(await postgresSql(PG_URL, schema)), portfolioStore(await postgresSql(PG_URL, schema))];
  const servers: Awaited<ReturnType<typeof teamServer>>[] = [];
  try {
  await stores[0]!.migrate();
  await stores[1]!.migrate();
  const team = await stores[0]!.createTeam('acme');
  await stores[0]!.addWebhook(team.id, `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`);
  const product = await stores[0]!.createProduct(team.id, 'robot');
  const components = Array.from({ length: 50 }, (_, i) => ({ purl: `pkg:npm/pkg${i}@1.0.0`, name: `pkg${i}`, version: '1.0.0', ecosystem: 'npm', depth: 1, scope: 'runtime' }));
  const RELEASES = 40;
  for (let i = 0; i < RELEASES; i++) await stores[0]!.createRelease(team.id, { productId: product.id, version: `1.0.${i}`, supportEnd: '2031-12', components });
  for (const s of stores) servers.push(await teamServer(s, { advisoryDb: advisories, offline: true, allowHosts: new Set(['127.0.0.1']), periods: { match: 200, deliver: 200, changes: 0, deadlines: 0 } }));
  for (const s of servers) await s.start();
    assert.ok(await until(async () => (await stores[0]!.events(team.id, 0, 10_000)).length >= RELEASES * 10 && received.length >= RELEASES * 10, 60_000, 100), `${received.length} deliveries`);
    await new Promise((r) => setTimeout(r, 1500)); // time for a second match or delivery, if there were one
    const events = await stores[0]!.events(team.id, 0, 10_000);
    assert.equal(events.length, RELEASES * 10, 'each finding announced once');
    assert.equal(received.length, RELEASES * 10, 'each event delivered once');
    assert.equal(new Set(received.map((b) => JSON.parse(b).seq)).size, RELEASES * 10);
  } finally {
    for (const s of servers) await s.stop();
    for (const s of stores) await s.close();
    receiver.close();
  }
});

test('two servers on one PostgreSQL, each with its own advisory data: an advisory imported through one reaches a release pushed through the other, its SSE stream and the webhook, once', async (t) => {
  if (!pgUp) { t.skip(`PostgreSQL not reachable at ${PG_URL} (.ci/run starts it)`); return; }
  const schema2 = `${schema}_spread`;
  const dir = mkdtempSync(join(tmpdir(), 'marque-jobs-spread-'));
  const LOG4J = join(FIXTURES, 'osv/ghsa/GHSA-jfh8-c2jp-5v3q.json');
  const GHSA = join(FIXTURES, 'osv/ghsa/GHSA-2m8v-572m-ff2v.json'); // systeminformation, CVE-2021-21315
  // Each server its own database file (as on two hosts), both with some data about neither release.
  const files = [join(dir, 'a.sqlite'), join(dir, 'b.sqlite')];
  for (const f of files) await importAdvisories(f, [LOG4J]);
  const received: { body: string; signature: string }[] = [];
  const receiver = createServer((rq, rs) => { let b = ''; rq.on('data', (c: Buffer) => { b += c.toString(); }); rq.on('end', () => { received.push({ body: b, signature: String(rq.headers['x-marque-signature']) }); rs.writeHead(204); rs.end(); }); });
  await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
  const stores = [portfolioStore(await postgresSql(PG_URL, schema2)), portfolioStore(await postgresSql(PG_URL, schema2))];
  const servers: Awaited<ReturnType<typeof teamServer>>[] = [];
  let stream: ReturnType<typeof follow> | undefined;
  try {
    await stores[0]!.migrate();
    await stores[1]!.migrate();
    const team = await stores[0]!.createTeam('acme');
    const admin = (await stores[0]!.createToken(team.id, 'admin', 'lead@acme')).token;
    for (const [i, s] of stores.entries()) servers.push(await teamServer(s, { advisoryDb: files[i]!, offline: true, allowHosts: new Set(['127.0.0.1']), periods: { changes: 500 } }));
    const [a, b] = await Promise.all(servers.map((s) => s.app.listen({ port: 0, host: '127.0.0.1' })));
    for (const s of servers) await s.start();
    const api = async (address: string, method: string, path: string, body?: unknown) => {
      const r = await fetch(`${address}/api/v1${path}`, { method, headers: { authorization: `Bearer ${admin}`, 'content-type': 'application/json' }, body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body) });
      const text = await r.text();
      assert.ok(r.ok, `${method} ${path}: ${r.status} ${text}`);
      return text ? JSON.parse(text) : undefined;
    };
    // Through B: the webhook and the release; B's stream is followed.
    const hook = await api(b!, 'POST', '/webhooks', { url: `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/marque` });
    const { release } = await api(b!, 'POST', '/releases', { product: 'panel', version: '0.9.0', supportEnd: '2031-12', sbom: {
      bomFormat: 'CycloneDX', specVersion: '1.6', version: 1, metadata: { component: { type: 'application', 'bom-ref': 'app', name: 'panel', version: '0.9.0' } },
      components: [{ type: 'library', 'bom-ref': 'si', name: 'systeminformation', version: '5.3.0', purl: 'pkg:npm/systeminformation@5.3.0' }], dependencies: [{ ref: 'app', dependsOn: ['si'] }],
    } });
    assert.ok(await until(async () => (await api(b!, 'GET', '/portfolio'))[0]?.coverage !== null, 30_000, 100), 'the pushed release was matched (by a job, on either server)');
    stream = follow(`${b!}/api/v1/events/stream?from=now`, admin);
    await new Promise((r) => setTimeout(r, 300));
    // Through A: the advisory, into A's own database.
    const t0 = Date.now();
    await api(a!, 'POST', '/advisories?name=GHSA-2m8v-572m-ff2v.json', readFileSync(GHSA, 'utf8'));
    const isNew = (e: { kind: string; data: Record<string, unknown> }) => e.kind === 'finding.new' && (e.data['payload'] as { vulnerability: string }).vulnerability === 'GHSA-2m8v-572m-ff2v';
    assert.ok(await until(() => stream!.events.some(isNew) && received.some((d) => d.body.includes('GHSA-2m8v-572m-ff2v')), 60_000, 50), 'B streamed the finding A made, and the webhook got it');
    t.diagnostic(`import through A → B's SSE ${stream.events.find(isNew)!.at - t0} ms`);
    assert.equal((await api(b!, 'GET', '/portfolio'))[0].openFindings, 1, 'B\'s portfolio shows the stored finding');
    assert.deepEqual((await stores[1]!.storedFindings(team.id, release.id)).map((f) => f.vulnerability), ['GHSA-2m8v-572m-ff2v'], 'stored, for every server to see');
    await new Promise((r) => setTimeout(r, 1500)); // time for a second delivery, if there were one
    const delivered = received.filter((d) => d.body.includes('GHSA-2m8v-572m-ff2v'));
    assert.equal(delivered.length, 1, 'delivered once');
    assert.ok(verifySignature(hook.secret, delivered[0]!.body, delivered[0]!.signature));
  } finally {
    stream?.close();
    for (const s of servers) await s.stop();
    for (const s of stores) await s.close();
    receiver.close();
  }
});
dropSchemaAfter(`${schema}_spread`, pgUp);

test('in one process: a task runs at most once at a time; asked for during a run, it runs once more', async () => {
  let running = 0;
  let most = 0;
  let runs = 0;
  const jobs = new Jobs({ match: { everyMs: 0, run: async () => { runs++; running++; most = Math.max(most, running); await new Promise((r) => setTimeout(r, 100)); running--; } } }, () => {});
  await Promise.all([jobs.trigger('match'), jobs.trigger('match'), jobs.trigger('match')]);
  assert.equal(most, 1);
  assert.equal(runs, 2, 'the asks during the first run make one more run');
  await jobs.stop();
  await jobs.trigger('match');
  assert.equal(runs, 2, 'nothing runs after stop');
});
