// Background work shared by servers on one PostgreSQL: releases pending a match and deliveries due
// are taken under leases, so two servers never do one piece of work twice and a dead server's work
// is taken over; in one process, a task runs at most once at a time.
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
import { until } from './helpers/serve.ts';
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
  for (const s of servers) s.jobs.start();
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
