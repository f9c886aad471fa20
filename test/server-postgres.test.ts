// A real "marque serve" process on PostgreSQL, end to end: an upload is matched at once, and its
// findings reach a webhook receiver within seconds, signed, each once.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createServer } from 'node:http';
import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import pg from 'pg';
import { PG_URL, postgresReachable } from './helpers/postgres.ts';
import { importAdvisories } from '../src/api/advisories.ts';
import { verifySignature } from './helpers/webhook.ts';
import { BIN, startServer, stop, syntheticSbom, until } from './helpers/serve.ts';

const SCHEMA = `marque_serve_pg_${process.pid}`;
const pgUp = await postgresReachable();
after(async () => {
  if (!pgUp) return;
  const c = new pg.Client({ connectionString: PG_URL });
  await c.connect();
  await c.query(`drop schema if exists ${SCHEMA} cascade; drop schema if exists ${SCHEMA}_jobs cascade`);
  await c.end();
});

test('postgres: "marque serve" matches an uploaded release at once and delivers each new finding to a webhook, signed, once', async (t) => {
  if (!pgUp) { t.skip(`PostgreSQL not reachable at ${PG_URL} (.ci/run starts it)`); return; }
  const cache = mkdtempSync(join(tmpdir(), 'marque-serve-pg-'));
  const osv = join(cache, 'osv');
  mkdirSync(osv);
  for (let i = 0; i < 100; i += 10) writeFileSync(join(osv, `W-${i}.json`), JSON.stringify({ id: `W-${i}`, modified: '2026-11-01T00:00:00Z', affected: [{ package: { ecosystem: 'npm', name: `pkg${i}` }, ranges: [{ type: 'SEMVER', events: [{ introduced: '0' }, { fixed: '2.0.0' }] }] }] }));
  const advisories = join(cache, 'advisories.sqlite');
  await importAdvisories(advisories, [osv]);
  const where = ['--database', PG_URL, '--schema', SCHEMA];
  const env = { ...process.env, MARQUE_CACHE_DIR: cache };
  const made = spawnSync(process.execPath, [BIN, 'token', 'create', '--team', 'acme', '--role', 'admin', ...where], { encoding: 'utf8', env });
  assert.equal(made.status, 0, made.stderr);
  const headers = { authorization: `Bearer ${made.stdout.trim()}`, 'content-type': 'application/json' };
  const received: { body: string; headers: Record<string, string | string[] | undefined> }[] = [];
  const receiver = createServer((rq, rs) => {
    let body = '';
    rq.on('data', (c: Buffer) => { body += c.toString(); });
    rq.on('end', () => { received.push({ body, headers: rq.headers }); rs.writeHead(204); rs.end(); });
  });
  await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
  const server = await startServer([...where, '--db', advisories, '--webhook-allow-host', '127.0.0.1'], env);
  try {
    const api = async (method: string, path: string, body?: unknown) => {
      const r = await fetch(`${server.address}/api/v1${path}`, { method, headers: body === undefined ? { authorization: headers.authorization } : headers, body: body === undefined ? undefined : JSON.stringify(body) });
      assert.ok(r.ok, `${method} ${path}: ${r.status} ${await r.clone().text()}`);
      return r.json() as Promise<Record<string, unknown>>;
    };
    const hook = await api('POST', '/webhooks', { url: `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/marque` });
    const product = await api('POST', '/products', { name: 'robot' });
    // The pushed release is matched at once: ten findings, ten events, ten deliveries.
    await api('POST', `/products/${product['id']}/releases?supportEnd=2031-12`, syntheticSbom(100, '1.0.0'));
    assert.ok(await until(() => received.length >= 10, 15_000, 100), `${received.length} of 10 deliveries arrived`);
    await new Promise((res) => setTimeout(res, 500)); // time for a duplicate, if there were one
    assert.equal(received.length, 10);
    for (const d of received) assert.ok(verifySignature(String(hook['secret']), d.body, String(d.headers['x-marque-signature'])), 'signed with a timestamp');
    assert.deepEqual(new Set(received.map((d) => JSON.parse(d.body).payload.vulnerability)).size, 10);
    const log = await fetch(`${server.address}/api/v1/webhooks/${hook['id']}/deliveries`, { headers }).then((x) => x.json()) as { status: string }[];
    assert.deepEqual([...new Set(log.map((d) => d.status))], ['delivered']);
  } finally {
    await stop(server);
    receiver.close();
  }
});
