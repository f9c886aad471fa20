// Hostile requests to the team server, on both stores: each is a clear 4xx in problem+json that says
// what is wrong, stores nothing, and never hangs. Found by red-teaming a running server: a NUL
// character anywhere (an id in the path, a product name, a component name of an SBOM) was a 500 on
// PostgreSQL, whose text cannot hold one; an offset or event sequence past what the databases'
// integers hold was a 500; a 1 MB advisory id in a decision broke PostgreSQL's index (500); a
// Last-Event-ID past the sequence numbers left the event stream open and silent for good; a product name
// with a zero-width space or a bidirectional override was a second product looking like the first (or
// reading backwards), and "café" composed and decomposed two products.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { connect } from 'node:net';
import { buildServer, REQUEST_TIMEOUT_MS } from '../src/server/app.ts';
import { portfolioStore } from '../src/server/store/portfolio.ts';
import { sqliteSql } from '../src/server/store/sqlite.ts';
import { existsSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { sweepStaleImports } from '../src/server/routes/advisories.ts';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { PortfolioStore } from '../src/server/store/store.ts';
import { PG_URL, storeAdapters } from './helpers/postgres.ts';
import { syntheticSbom } from './helpers/serve.ts';

const { reachable, adapters } = await storeAdapters();

for (const [name, open] of adapters) {
  test(`${name}: hostile input is a 400 naming the problem, never a 500, and stores nothing`, async (t) => {
    if (name === 'postgres' && !reachable) { t.skip(`PostgreSQL not reachable at ${PG_URL} (.ci/run starts it)`); return; }
    const store = await open();
    await store.migrate();
    const team = await store.createTeam(`acme-${name}`);
    const admin = (await store.createToken(team.id, 'admin', 'lead@acme')).token;
    const app = await buildServer(store);
    const call = async (method: string, url: string, payload?: unknown) => {
      const r = await app.inject({ method: method as 'GET', url, headers: { authorization: `Bearer ${admin}` }, payload: payload as never });
      return { status: r.statusCode, type: String(r.headers['content-type']), detail: String((r.json() as { detail?: string }).detail) };
    };
    try {
      const placed = await call('POST', '/api/v1/releases', { product: 'courier', sbom: syntheticSbom(3, '1.0.0') });
      assert.equal(placed.status, 201);
      const release = (await store.releases(team.id))[0]!;
      const sbom = syntheticSbom(3, '2.0.0');
      (sbom['components'] as { name: string }[])[1]!.name = 'evil\u0000name';
      const hostile: [string, string, unknown, RegExp][] = [
        ['GET', '/api/v1/releases/a%00b', undefined, /path holds a NUL character \(U\+0000\) at releaseId/],
        ['GET', '/api/v1/releases/%00/components', undefined, /path holds a NUL/],
        ['POST', '/api/v1/products/%00/releases', syntheticSbom(1, '9'), /path holds a NUL/],
        ['POST', '/api/v1/products', { name: 'a\u0000b' }, /body holds a NUL character \(U\+0000\) at name/],
        ['POST', '/api/v1/releases', { product: 'courier', sbom }, /at sbom › components › 1 › name/],
        ['POST', '/api/v1/releases', { product: 'courier', version: 'v\u00001', sbom: syntheticSbom(1, '3') }, /at version/],
        ['POST', '/api/v1/tokens', { role: 'viewer', name: 'x\u0000' }, /at name/],
        ['POST', `/api/v1/releases/${release.id}/decisions`, { vulnerability: 'CVE\u0000', component: 'c', status: 'affected' }, /at vulnerability/],
        ['GET', '/api/v1/assessments?component=pkg:npm/%00@1', undefined, /query holds a NUL/],
        ['GET', '/api/v1/releases?offset=1e20', undefined, /offset must be <= 9007199254740991/],
        ['GET', '/api/v1/releases?offset=99999999999999999999', undefined, /offset must be <=/],
        ['GET', '/api/v1/events?after=1e20', undefined, /after must be <=/],
        ['GET', '/api/v1/events?after=9223372036854775808', undefined, /after must be <=/],
        ['POST', `/api/v1/releases/${release.id}/decisions`, { vulnerability: 'x'.repeat(1_000_000), component: 'c', status: 'affected' }, /vulnerability must NOT have more than 256 characters/],
        ['POST', `/api/v1/releases/${release.id}/reports`, { vulnerability: 'x'.repeat(10_000), stage: 'early-warning' }, /vulnerability must NOT have more than 256/],
        ['POST', `/api/v1/releases/${release.id}/reports`, { vulnerability: 'CVE-2021-21315', stage: 'early-warning', sentAt: '2999-01-01T00:00:00Z' }, /sentAt 2999-01-01T00:00:00Z is in the future/],
        ['GET', '/api/v1/releases/%ff', undefined, /not a valid url component/],
        // Names that look like another, or read backwards.
        ['POST', '/api/v1/releases', { product: 'courier\u200b', sbom: syntheticSbom(1, '4') }, /product holds an invisible or control character \(U\+200B\) at 7/],
        ['POST', '/api/v1/releases', { product: '\u202ereiruoc', sbom: syntheticSbom(1, '4') }, /U\+202E\) at 0/],
        ['POST', '/api/v1/products', { name: 'cour\u00adier' }, /name holds an invisible or control character \(U\+00AD\)/],
        ['POST', '/api/v1/releases', { product: 'courier', version: '1.0.0\u2066', sbom: syntheticSbom(1, '4') }, /version holds an invisible/],
      ];
      for (const [method, url, body, why] of hostile) {
        const r = await call(method, url, body);
        assert.equal(r.status, 400, `${method} ${url.slice(0, 60)}: ${r.status} ${r.detail}`);
        assert.equal(r.type, 'application/problem+json; charset=utf-8', `${method} ${url.slice(0, 60)}`);
        assert.match(r.detail, why, `${method} ${url.slice(0, 60)}`);
      }
      const long = await call('GET', `/api/v1/releases/${'x'.repeat(5000)}`);
      assert.deepEqual([long.status, long.type], [414, 'application/problem+json; charset=utf-8']);
      // Nothing of any of them was stored.
      assert.deepEqual((await store.products(team.id)).map((p) => p.name), ['courier']);
      assert.deepEqual((await store.releases(team.id)).map((r) => r.version), ['1.0.0']);
      // One name in its two Unicode spellings (composed; decomposed, as macOS writes file names) is one product, kept composed.
      assert.equal((await call('POST', '/api/v1/products', { name: 'cafe\u0301' })).status, 201);
      assert.equal((await call('POST', '/api/v1/products', { name: 'caf\u00e9' })).status, 409);
      const composed = await call('POST', '/api/v1/releases', { product: 'caf\u00e9', sbom: syntheticSbom(1, '1.0.0') });
      const decomposed = await call('POST', '/api/v1/releases', { product: 'cafe\u0301', sbom: syntheticSbom(1, '1.0.0') });
      assert.deepEqual([composed.status, decomposed.status], [201, 200], 'the second push is the same release');
      assert.deepEqual((await store.products(team.id)).map((p) => p.name).sort(), ['caf\u00e9', 'courier']);
      assert.deepEqual(await store.decisions(team.id, release.id), []);
      assert.deepEqual(await store.reports(team.id, release.id), []);
      assert.equal((await store.tokens(team.id)).length, 1);
      // What is fine still is: the largest offset, a report sent now.
      assert.equal((await call('GET', `/api/v1/releases?offset=${Number.MAX_SAFE_INTEGER}`)).status, 200);
      assert.equal((await call('POST', `/api/v1/releases/${release.id}/reports`, { vulnerability: 'CVE-2021-21315', stage: 'early-warning', sentAt: new Date().toISOString() })).status, 201);
    } finally {
      await app.close();
      await store.close();
    }
  });

  test(`${name}: the event stream refuses a Last-Event-ID it cannot use, and ends (so the client reconnects) when the store fails`, async (t) => {
    if (name === 'postgres' && !reachable) { t.skip(`PostgreSQL not reachable at ${PG_URL}`); return; }
    const store = await open();
    await store.migrate();
    const team = await store.createTeam(`stream-${name}`);
    const viewer = (await store.createToken(team.id, 'viewer', 'auditor@acme')).token;
    let failing = false;
    // The same store, whose event reads fail on demand (a database gone away).
    const flaky: PortfolioStore = Object.assign(Object.create(store) as PortfolioStore, {
      events: (teamId: string, after: number, limit: number) => (failing ? Promise.reject(new Error('the database went away')) : store.events(teamId, after, limit)),
    });
    const app = await buildServer(flaky, { logger: false });
    const address = await app.listen({ port: 0, host: '127.0.0.1' });
    /** The stream's text until it ends, or what came within `ms` if it does not. */
    const read = async (headers: Record<string, string>, ms: number) => {
      const ac = new AbortController();
      const timer = setTimeout(() => ac.abort(), ms);
      const r = await fetch(`${address}/api/v1/events/stream`, { headers: { authorization: `Bearer ${viewer}`, ...headers }, signal: ac.signal });
      let text = '';
      let ended = false;
      try {
        const reader = r.body!.getReader();
        for (;;) { const { value, done } = await reader.read(); if (done) { ended = true; break; } text += Buffer.from(value).toString(); }
      } catch { /* aborted: it did not end */ }
      clearTimeout(timer);
      return { status: r.status, text, ended };
    };
    try {
      for (const id of ['99999999999999999999999', '1e23', '-1', 'abc']) {
        const r = await read({ 'last-event-id': id }, 5_000);
        assert.equal(r.status, 400, `Last-Event-ID ${id}: ${r.text}`);
        assert.match(r.text, /Last-Event-ID must be an event's sequence number/);
      }
      const good = await read({ 'last-event-id': '0' }, 1_500);
      assert.deepEqual([good.status, good.ended], [200, false], 'a good stream stays open');
      failing = true;
      const broken = await read({}, 10_000);
      assert.equal(broken.status, 200);
      assert.ok(broken.ended, `the stream ends when the store fails (got ${JSON.stringify(broken.text)})`);
    } finally {
      await app.close();
      await store.close();
    }
  });
}

test('a request body sent a byte at a time does not hold its connection: refused, it closes at once; accepted, it ends at the request time limit', async () => {
  // Fastify's default is no limit (and its requestTimeout alone was never enforced by Node): a client
  // sending a byte every few seconds kept a connection for good, after its 401 too. (The HTTP layer: one store.)
  const store = portfolioStore(sqliteSql(join(mkdtempSync(join(tmpdir(), 'marque-slow-')), 'marque.sqlite')));
  await store.migrate();
  const team = await store.createTeam('slow');
  const admin = (await store.createToken(team.id, 'admin', 'lead@slow')).token;
  const app = await buildServer(store, { requestTimeoutMs: 1000 });
  const port = Number(new URL(await app.listen({ port: 0, host: '127.0.0.1' })).port);
  /** Sends headers and the start of a body, then a byte a second; what came back and after how long the server closed. */
  const trickle = (headers: string, limitMs: number) => new Promise<{ answer: string; closedAfterMs: number | null }>((resolve) => {
    const t0 = Date.now();
    let answer = '';
    const socket = connect(port, '127.0.0.1', () => socket.write(`POST /api/v1/products HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100000\r\n${headers}\r\n{"name":"`));
    const drip = setInterval(() => { if (!socket.destroyed) socket.write('a'); }, 1000);
    socket.on('error', () => {});
    socket.on('data', (d: Buffer) => { answer += d.toString(); });
    socket.on('close', () => { clearInterval(drip); clearTimeout(give); resolve({ answer: answer.split('\r\n')[0]!, closedAfterMs: Date.now() - t0 }); });
    const give = setTimeout(() => { clearInterval(drip); socket.destroy(); resolve({ answer: answer.split('\r\n')[0]!, closedAfterMs: null }); }, limitMs);
  });
  try {
    assert.equal(REQUEST_TIMEOUT_MS, 15 * 60_000);
    const [refused, accepted] = await Promise.all([trickle('', 10_000), trickle(`Authorization: Bearer ${admin}\r\n`, 60_000)]);
    assert.equal(refused.answer, 'HTTP/1.1 401 Unauthorized');
    assert.ok(refused.closedAfterMs !== null && refused.closedAfterMs < 5_000, `refused: closed after ${refused.closedAfterMs} ms`);
    // Node looks for requests past their time limit every 30 s.
    assert.equal(accepted.answer, 'HTTP/1.1 408 Request Timeout');
    assert.ok(accepted.closedAfterMs !== null, 'the trickling request was ended');
    assert.deepEqual(await store.products(team.id), [], 'nothing was stored');
  } finally {
    await app.close();
    await store.close();
  }
});

test('the upload of an advisory import a killed server left behind is removed when a server starts; a live server\'s is not', async () => {
  // kill -9 during POST /advisories left /tmp/marque-import-…/big2.json (12 MB there; up to the 4 GiB cap) for good.
  const dir = mkdtempSync(join(tmpdir(), 'marque-sweep-'));
  const dead = spawnSync(process.execPath, ['-e', 'console.log(process.pid)'], { encoding: 'utf8' }).stdout.trim();
  for (const name of [`marque-import-${dead}-AbC123`, `marque-import-${process.pid}-XyZ789`, 'marque-import-Qq1234', 'other']) {
    mkdirSync(join(dir, name));
    writeFileSync(join(dir, name, 'PyPI-all.zip'), 'x');
  }
  assert.deepEqual(await sweepStaleImports(dir), [`marque-import-${dead}-AbC123`]);
  assert.deepEqual([`marque-import-${dead}-AbC123`, `marque-import-${process.pid}-XyZ789`, 'marque-import-Qq1234', 'other'].map((n) => existsSync(join(dir, n))), [false, true, true, true]);
});
