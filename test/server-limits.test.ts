// Per-team limits, on both stores. Nothing bounded a team's products, releases, tokens, webhooks or open event
// streams, nor how often a token asked for what is computed at request time: one team (or a leaked token) could fill
// the disk (then every team gets 507) or take the connection pool with event streams. Counts are checked in the
// insert's own transaction (two requests at once cannot pass a limit of N with N + 1: PostgreSQL locks the team's or
// the product's row first), streams and rates are counted per server; each refusal is problem+json naming the limit,
// its value and the "marque serve" flag that raises it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildServer } from '../src/server/app.ts';
import { LimitReached } from '../src/server/store/errors.ts';
import type { PortfolioStore } from '../src/server/store/store.ts';
import { PG_URL, storeAdapters } from './helpers/postgres.ts';
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { ROOT } from './helpers/paths.ts';
import { generateKeyPairSync } from 'node:crypto';
import { PAYLOAD_TYPE, toStatement, type Assessment } from '../src/attest/assessment.ts';
import { signEnvelope } from '../src/attest/dsse.ts';

const { reachable, adapters } = await storeAdapters();

const sbom = (version: string) => ({ bomFormat: 'CycloneDX', specVersion: '1.6', version: 1, metadata: { component: { type: 'application', name: 'app', version } }, components: [] });

const settled = async <T,>(ps: Promise<T>[]) => {
  const all = await Promise.allSettled(ps);
  const refused = all.filter((r) => r.status === 'rejected');
  for (const r of refused) assert.ok((r as PromiseRejectedResult).reason instanceof LimitReached, String((r as PromiseRejectedResult).reason));
  return { ok: all.length - refused.length, refused: refused.length };
};

for (const [name, open] of adapters) {
  const skip = (t: { skip(m: string): void }) => { if (name === 'postgres' && !reachable) { t.skip(`PostgreSQL not reachable at ${PG_URL}`); return true; } return false; };
  let shared: PortfolioStore | undefined;
  const store = async () => { if (!shared) { shared = await open(); await shared.migrate(); } return shared; };

  test(`${name}: twelve inserts at once against a limit of 3 store exactly 3 (products, releases of a product, tokens, webhooks, assessments)`, async (t) => {
    if (skip(t)) return;
    const s = await store();
    const team = await s.createTeam(`parallel-${name}`);
    const caps = { products: 3, releasesPerProduct: 3, tokens: 3, webhooks: 3, assessments: 3 };
    const n = Array.from({ length: 12 }, (_, i) => i);

    assert.deepEqual(await settled(n.map((i) => s.createProduct(team.id, `p${i}`, caps))), { ok: 3, refused: 9 }, 'createProduct');
    assert.equal((await s.products(team.id)).length, 3);
    // A push of a new product counts too: the team is full.
    await assert.rejects(s.placeRelease(team.id, { product: 'another', version: '1', components: [] }, 'ci', caps), LimitReached);

    const [product] = await s.products(team.id);
    assert.deepEqual(await settled(n.map((i) => s.placeRelease(team.id, { product: product!.name, version: `1.${i}`, components: [] }, 'ci', caps))), { ok: 3, refused: 9 }, 'placeRelease');
    assert.equal((await s.releases(team.id, { productId: product!.id })).length, 3);
    // The same content pushed again is the release it was, not a fourth.
    const again = await s.placeRelease(team.id, { product: product!.name, version: (await s.releases(team.id, { productId: product!.id }))[0]!.version, components: [] }, 'ci', caps);
    assert.equal(again.outcome, 'unchanged');
    const other = (await s.products(team.id))[1]!;
    assert.deepEqual(await settled(n.map((i) => s.createRelease(team.id, { productId: other.id, version: `2.${i}`, components: [] }, caps))), { ok: 3, refused: 9 }, 'createRelease');

    assert.deepEqual(await settled(n.map((i) => s.createToken(team.id, 'viewer', `t${i}`, null, caps))), { ok: 3, refused: 9 }, 'createToken');
    // A revoked token makes room; an expired one too.
    const [first] = await s.tokens(team.id);
    assert.ok(await s.revokeToken(first!.id, team.id));
    await s.createToken(team.id, 'viewer', 'replacement', null, caps);
    await assert.rejects(s.createToken(team.id, 'viewer', 'one more', null, caps), LimitReached);

    assert.deepEqual(await settled(n.map((i) => s.addWebhook(team.id, `https://hooks.example.com/${i}`, caps))), { ok: 3, refused: 9 }, 'addWebhook');
    assert.equal((await s.webhooks(team.id)).length, 3);

    // Assessments: the same envelope again counts once.
    assert.deepEqual(await settled(n.map((i) => s.putAssessment(team.id, `sha256:${i}`, 'pkg:npm/a', { i }, caps))), { ok: 3, refused: 9 }, 'putAssessment');
    const kept = await s.assessments(team.id);
    assert.equal(kept.length, 3);
    await s.putAssessment(team.id, kept[0]!.digest, 'pkg:npm/a', kept[0]!.envelope, caps);

    // Another team is not affected by this one being full; without caps (the operator's CLI) nothing is refused.
    const other2 = await s.createTeam(`parallel-other-${name}`);
    await s.createProduct(other2.id, 'p0', caps);
    await s.createToken(team.id, 'admin', 'made by the operator');
  });

  test(`${name}: over HTTP, a count past its limit is 403 problem+json naming the limit and the flag that raises it; a name taken is still 409`, async (t) => {
    if (skip(t)) return;
    const s = await store();
    const team = await s.createTeam(`http-${name}`);
    const admin = (await s.createToken(team.id, 'admin', 'lead')).token;
    const app = await buildServer(s, { logger: false, limits: { products: 2, releasesPerProduct: 1, tokens: 2, webhooks: 1, assessments: 1 } });
    const call = (method: 'POST' | 'GET', url: string, payload?: unknown) => app.inject({ method, url, headers: { authorization: `Bearer ${admin}` }, ...(payload ? { payload: payload as object } : {}) });
    try {
      assert.equal((await call('POST', '/api/v1/products', { name: 'one' })).statusCode, 201);
      assert.equal((await call('POST', '/api/v1/releases', { product: 'two', sbom: sbom('1.0') })).statusCode, 201);
      assert.equal((await call('POST', '/api/v1/products', { name: 'one' })).statusCode, 409, 'a name taken is a conflict, not a full team');
      const full = await call('POST', '/api/v1/products', { name: 'three' });
      assert.equal(full.statusCode, 403, full.body);
      assert.match(full.headers['content-type'] as string, /application\/problem\+json/);
      const body = full.json();
      assert.deepEqual({ limit: body.limit, max: body.max, raise: body.raise, status: body.status }, { limit: 'products', max: 2, raise: 'marque serve --max-products N (or MARQUE_MAX_PRODUCTS)', status: 403 });
      assert.match(body.detail, /per-team limit reached: the team's products holds 2, its limit is 2; .*--max-products N/);
      assert.equal((await call('POST', '/api/v1/releases', { product: 'four', sbom: sbom('1.0') })).statusCode, 403, 'a push of a new product');

      const second = await call('POST', '/api/v1/releases', { product: 'two', sbom: sbom('2.0') });
      assert.equal(second.statusCode, 403, second.body);
      assert.equal(second.json().limit, 'releasesPerProduct');
      assert.equal((await call('POST', '/api/v1/releases', { product: 'two', sbom: sbom('1.0') })).statusCode, 200, 'the same release again is answered, not refused');
      const one = (await s.products(team.id)).find((p) => p.name === 'one')!;
      assert.equal((await call('POST', `/api/v1/products/${one.id}/releases?version=1.0`, sbom('1.0'))).statusCode, 201);
      assert.equal((await call('POST', `/api/v1/products/${one.id}/releases?version=1.1`, sbom('1.1'))).json().limit, 'releasesPerProduct');

      assert.equal((await call('POST', '/api/v1/tokens', { role: 'viewer', name: 'ci' })).statusCode, 201);
      const tokens = await call('POST', '/api/v1/tokens', { role: 'viewer', name: 'ci2' });
      assert.equal(tokens.statusCode, 403);
      assert.match(tokens.json().detail, /revoke a token .* to make room; .*--max-tokens N/);

      assert.equal((await call('POST', '/api/v1/webhooks', { url: 'https://hooks.example.com/a' })).statusCode, 201);
      const hooks = await call('POST', '/api/v1/webhooks', { url: 'https://hooks.example.com/b' });
      assert.equal(hooks.statusCode, 403);
      assert.equal(hooks.json().raise, 'marque serve --max-webhooks N (or MARQUE_MAX_WEBHOOKS)');

      // Signed assessments: the same envelope again is kept once, not refused; another one is past the limit of 1.
      const auditor = generateKeyPairSync('ed25519');
      const signed = (from: string) => signEnvelope(PAYLOAD_TYPE, Buffer.from(JSON.stringify(toStatement({
        component: 'pkg:npm/left-pad', range: { from, before: '9.0.0' }, context: 'test', uses: ['test'], method: ['review'],
        checks: [{ name: 'reviewed', result: 'pass', annexI: ['I.2.a'] }], assessor: { name: 'auditor' }, date: '2026-10-01T00:00:00Z', expires: '2099-10-01T00:00:00Z',
      } as Assessment))), auditor.privateKey);
      assert.equal((await call('POST', '/api/v1/keys', { name: 'auditor', publicKey: auditor.publicKey.export({ type: 'spki', format: 'pem' }) })).statusCode, 201);
      assert.equal((await call('POST', '/api/v1/assessments', signed('1.0.0'))).statusCode, 201);
      assert.equal((await call('POST', '/api/v1/assessments', signed('1.0.0'))).statusCode, 201, 'the same envelope again');
      const assessment = await call('POST', '/api/v1/assessments', signed('2.0.0'));
      assert.equal(assessment.statusCode, 403, assessment.body);
      assert.equal(assessment.json().limit, 'assessments');
    } finally {
      await app.close();
    }
  });

  test(`${name}: a token past its rate on findings and the portfolio gets 429 with Retry-After; another token and other routes are not affected`, async (t) => {
    if (skip(t)) return;
    const s = await store();
    const team = await s.createTeam(`rate-${name}`);
    const a = (await s.createToken(team.id, 'viewer', 'a')).token;
    const b = (await s.createToken(team.id, 'viewer', 'b')).token;
    const app = await buildServer(s, { logger: false, limits: { expensivePerMinute: 2 } });
    const get = (token: string, url: string) => app.inject({ method: 'GET', url, headers: { authorization: `Bearer ${token}` } });
    try {
      assert.equal((await get(a, '/api/v1/portfolio')).statusCode, 200);
      assert.equal((await get(a, '/api/v1/portfolio')).statusCode, 200);
      const r = await get(a, '/api/v1/portfolio');
      assert.equal(r.statusCode, 429, r.body);
      assert.ok(Number(r.headers['retry-after']) >= 1 && Number(r.headers['retry-after']) <= 60, String(r.headers['retry-after']));
      assert.equal(r.json().limit, 'expensivePerMinute');
      assert.match(r.json().detail, /--max-expensive-per-minute N/);
      assert.equal((await get(a, '/api/v1/releases/00000000-0000-0000-0000-000000000000/findings')).statusCode, 429, 'the findings page shares the count');
      assert.equal((await get(a, '/api/v1/products')).statusCode, 200, 'a cheap route is not limited');
      assert.equal((await get(b, '/api/v1/portfolio')).statusCode, 200, 'another token has its own count');
    } finally {
      await app.close();
    }
  });

  test(`${name}: event streams past their limit per token and per team get 429; one closed makes room`, async (t) => {
    if (skip(t)) return;
    const s = await store();
    const team = await s.createTeam(`streams-${name}`);
    const tokens = await Promise.all(['a', 'b', 'c'].map(async (n) => (await s.createToken(team.id, 'viewer', n)).token));
    const other = await s.createTeam(`streams-other-${name}`);
    const outsider = (await s.createToken(other.id, 'viewer', 'x')).token;
    const app = await buildServer(s, { logger: false, limits: { streamsPerTeam: 2, streamsPerToken: 1 } });
    const address = await app.listen({ port: 0, host: '127.0.0.1' });
    const opened: AbortController[] = [];
    const follow = async (token: string) => {
      const ac = new AbortController();
      opened.push(ac);
      const r = await fetch(`${address}/api/v1/events/stream?from=now`, { headers: { authorization: `Bearer ${token}` }, signal: ac.signal });
      return { status: r.status, body: r.status === 200 ? undefined : await r.json() as Record<string, unknown>, retryAfter: r.headers.get('retry-after'), stop: () => ac.abort() };
    };
    try {
      const first = await follow(tokens[0]!);
      assert.equal(first.status, 200);
      const sameToken = await follow(tokens[0]!);
      assert.equal(sameToken.status, 429);
      assert.equal(sameToken.body!['limit'], 'streamsPerToken');
      assert.equal(sameToken.retryAfter, '30');
      assert.match(String(sameToken.body!['detail']), /--max-streams-per-token N/);
      assert.equal((await follow(tokens[1]!)).status, 200);
      const team3 = await follow(tokens[2]!);
      assert.equal(team3.status, 429);
      assert.equal(team3.body!['limit'], 'streamsPerTeam');
      assert.equal((await follow(outsider)).status, 200, 'another team has its own streams');
      first.stop();
      const until = Date.now() + 10_000;
      let again = await follow(tokens[2]!);
      while (again.status !== 200 && Date.now() < until) { await new Promise((r) => setTimeout(r, 200)); again = await follow(tokens[2]!); }
      assert.equal(again.status, 200, 'a closed stream makes room');
    } finally {
      for (const ac of opened) ac.abort();
      await app.close();
    }
  });

  test(`${name}: the OpenAPI document lists the limits' answers`, async (t) => {
    if (skip(t)) return;
    const app = await buildServer(await store(), { logger: false });
    try {
      const doc = (await app.inject({ method: 'GET', url: '/api/v1/openapi.json' })).json() as { paths: Record<string, Record<string, { responses: Record<string, unknown> }>> };
      for (const [path, method] of [['/api/v1/products', 'post'], ['/api/v1/releases', 'post'], ['/api/v1/products/{productId}/releases', 'post'], ['/api/v1/tokens', 'post'], ['/api/v1/webhooks', 'post'], ['/api/v1/assessments', 'post']] as const) {
        assert.ok(doc.paths[path]![method]!.responses['403'], `${method} ${path} 403`);
      }
      for (const path of ['/api/v1/portfolio', '/api/v1/releases/{releaseId}/findings', '/api/v1/events/stream']) assert.ok(doc.paths[path]!['get']!.responses['429'], `${path} 429`);
      assert.equal(doc.paths['/api/v1/products']!['get']!.responses['429'], undefined);
    } finally {
      await app.close();
      if (name === 'postgres' || name === 'sqlite') { /* the store is closed by the last test */ }
    }
  });

  test(`${name}: close`, async (t) => { if (skip(t)) return; await shared?.close(); });
}

test('marque serve takes each limit as a flag or from the environment, and refuses one that is not a whole number', async () => {
  const serve = (args: string[], env: Record<string, string> = {}) => new Promise<{ code: number | null; out: string; err: string }>((resolve) => {
    execFile(process.execPath, [join(ROOT, 'bin/marque.js'), 'serve', '--offline', ...args], { encoding: 'utf8', env: { ...process.env, ...env } }, (e, out, err) => resolve({ code: e ? (typeof e.code === 'number' ? e.code : 1) : 0, out, err }));
  });
  const flag = await serve(['--max-products', '0']);
  assert.notEqual(flag.code, 0);
  assert.match(flag.err, /--max-products \(or MARQUE_MAX_PRODUCTS\) takes a whole number of products per team, 1 or more \(got "0"\)/);
  const env = await serve([], { MARQUE_MAX_STREAMS: 'many' });
  assert.notEqual(env.code, 0);
  assert.match(env.err, /--max-streams \(or MARQUE_MAX_STREAMS\) takes a whole number of open event streams per team/);
  const help = await serve(['--help']);
  assert.match(help.out + help.err, /--max-expensive-per-minute N[\s\S]*MARQUE_MAX_EXPENSIVE_PER_MINUTE/);
});
