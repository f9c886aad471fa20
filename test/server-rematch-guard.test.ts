// POST /api/v1/rematch matches a whole team in the request. One at a time per team (across the servers of one
// database, through the store's claim): asked again while one runs, 409, saying since when; another team is not
// held up; a claim whose server died (no word for a minute) is taken over. Between releases the event loop answers
// other requests (on the embedded store no query yields to them otherwise).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PG_URL, storeAdapters } from './helpers/postgres.ts';
import { buildServer } from '../src/server/app.ts';
import { AdvisoryDb } from '../src/advisories/store.ts';
import type { PortfolioStore } from '../src/server/store/store.ts';
import { REMATCH_STALE_MS } from '../src/server/rematch.ts';

const { reachable, adapters: ADAPTERS } = await storeAdapters();

/** An advisory database with no records: the re-match has data to open, and finds nothing. */
function emptyDb(): string {
  const file = join(mkdtempSync(join(tmpdir(), 'marque-rematch-guard-')), 'advisories.sqlite');
  new AdvisoryDb(file).db.close();
  return file;
}

const sbom = (version: string, n: number) => ({
  bomFormat: 'CycloneDX', specVersion: '1.6', version: 1,
  metadata: { component: { type: 'application', name: 'tool', version, 'bom-ref': 'root' } },
  components: Array.from({ length: n }, (_, i) => ({ type: 'library', name: `left-pad-${i}`, version: '1.0.0', purl: `pkg:npm/left-pad-${i}@1.0.0`, 'bom-ref': `c${i}` })),
});

for (const [name, open] of ADAPTERS) {
  test(`${name}: a second POST /rematch of a team while one runs is a 409; another team's, or one after it, is answered`, async (t) => {
    if (name === 'postgres' && !reachable) { t.skip(`PostgreSQL not reachable at ${PG_URL}`); return; }
    const store = await open();
    // The first re-match waits at a gate once it holds the claim: the second arrives while it runs, whatever the timing.
    let gate: (() => void) | undefined;
    let reached: (() => void) | undefined;
    const atGate = new Promise<void>((r) => { reached = r; });
    const gated: PortfolioStore = Object.create(store, {
      releasesToWatch: {
        value: async (...a: Parameters<PortfolioStore['releasesToWatch']>) => {
          if (gate === undefined) { const open = new Promise<void>((r) => { gate = r; }); reached!(); await open; }
          return store.releasesToWatch(...a);
        },
      },
    }) as PortfolioStore;
    const app = await buildServer(gated, { advisoryDb: emptyDb() });
    try {
      await store.migrate();
      const acme = await store.createTeam('acme');
      const other = await store.createTeam('other');
      const admin = (await store.createToken(acme.id, 'admin', 'lead@acme')).token;
      const otherAdmin = (await store.createToken(other.id, 'admin', 'lead@other')).token;
      const p = await store.createProduct(acme.id, 'tool');
      assert.equal((await app.inject({ method: 'POST', url: `/api/v1/products/${p.id}/releases`, headers: { authorization: `Bearer ${admin}` }, payload: sbom('1.0', 3) })).statusCode, 201);
      const rematch = (token: string) => app.inject({ method: 'POST', url: '/api/v1/rematch', headers: { authorization: `Bearer ${token}` } });

      const first = rematch(admin);
      await atGate;
      const second = await rematch(admin);
      assert.equal(second.statusCode, 409, second.body);
      assert.match(second.json().detail, /^a re-match of this team is running since \d{4}-\d\d-\d\dT[\d:.]+Z; ask again when it has answered/);
      // Another team is not held up by it.
      assert.equal((await rematch(otherAdmin)).statusCode, 200);
      gate!();
      const done = await first;
      assert.equal(done.statusCode, 200, done.body);
      assert.equal(done.json().releases, 1);
      // Once it has answered, the team may ask again.
      assert.equal((await rematch(admin)).statusCode, 200);

      // A claim whose server died (no word for longer than REMATCH_STALE_MS) is taken over; a live one is not.
      const live = await store.claimRematch(acme.id, new Date(), REMATCH_STALE_MS);
      assert.ok('claim' in live);
      assert.equal((await rematch(admin)).statusCode, 409);
      await store.beatRematch(acme.id, live.claim, new Date(Date.now() - REMATCH_STALE_MS - 1000));
      assert.equal((await rematch(admin)).statusCode, 200, 'the stale claim was taken over');
      assert.ok('claim' in await store.claimRematch(acme.id, new Date(), REMATCH_STALE_MS), 'and let go when it answered');
    } finally {
      await app.close();
      await store.close();
    }
  });
}

test('sqlite: while one team\'s re-match runs, another request is answered between its releases', async () => {
  const [, open] = ADAPTERS.find(([n]) => n === 'sqlite')!;
  const store = await open();
  let asked: Promise<number> | undefined;
  let server = '';
  let otherToken = '';
  let answeredAt = 0;
  // Once the re-match has its releases, another team's request goes out; it is answered before the re-match ends only
  // if the re-match lets the event loop run between releases (the embedded store's queries never do).
  const probing: PortfolioStore = Object.create(store, {
    releasesToWatch: {
      value: async (...a: Parameters<PortfolioStore['releasesToWatch']>) => {
        const list = await store.releasesToWatch(...a);
        asked ??= fetch(`${server}/api/v1/products`, { headers: { authorization: `Bearer ${otherToken}` } }).then((r) => { answeredAt = performance.now(); return r.status; });
        return list;
      },
    },
  }) as PortfolioStore;
  const app = await buildServer(probing, { advisoryDb: emptyDb() });
  try {
    await store.migrate();
    const acme = await store.createTeam('acme');
    const other = await store.createTeam('other');
    const admin = (await store.createToken(acme.id, 'admin', 'lead@acme')).token;
    otherToken = (await store.createToken(other.id, 'viewer', 'v@other')).token;
    const p = await store.createProduct(acme.id, 'tool');
    for (let i = 0; i < 40; i++) {
      assert.equal((await app.inject({ method: 'POST', url: `/api/v1/products/${p.id}/releases`, headers: { authorization: `Bearer ${admin}` }, payload: sbom(`1.${i}`, 20) })).statusCode, 201);
    }
    server = (await app.listen({ port: 0, host: '127.0.0.1' })).replace('localhost', '127.0.0.1');
    const r = await fetch(`${server}/api/v1/rematch`, { method: 'POST', headers: { authorization: `Bearer ${admin}` } });
    const endedAt = performance.now();
    assert.equal(r.status, 200, await r.text());
    assert.equal(await asked, 200);
    assert.ok(answeredAt < endedAt, `the other team's request was answered ${Math.round(answeredAt - endedAt)} ms after the re-match ended, not during it`);
  } finally {
    await app.close();
    await store.close();
  }
});
