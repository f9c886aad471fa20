// Who may see and change what, on both stores. An event stream opened with a token that is then revoked
// (or expires) went on sending the team's events for as long as the connection stayed open, though the
// token's next request got 401; it now gets nothing more and ends.
//
// Teams share one server and one advisory database. Every team's releases are matched
// against that database, so an import is a write into every team's findings: the admin of another
// team on the same server could import a KEV catalogue without an entry (found against a running
// server: 200, and the other team's exploited finding would have flipped to not exploited, its
// deadline notices stopping) or rewrite an advisory. Only the teams the operator names may import;
// unnamed, only the one team of a single-team server.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { importAdvisories } from '../src/api/advisories.ts';
import { AdvisoryDb } from '../src/advisories/store.ts';
import { teamServer } from '../src/server/team-server.ts';
import { buildServer } from '../src/server/app.ts';
import { FIXTURES } from './helpers/paths.ts';
import { PG_URL, storeAdapters } from './helpers/postgres.ts';

const { reachable, adapters } = await storeAdapters();
const GHSA = readFileSync(join(FIXTURES, 'osv/ghsa/GHSA-2m8v-572m-ff2v.json'), 'utf8');
const KEV = join(FIXTURES, 'kev/known_exploited_vulnerabilities.json');

for (const [name, open] of adapters) {
  test(`${name}: advisory imports: the only team's admin may; with several teams, only an admin of a team the operator names`, async (t) => {
    if (name === 'postgres' && !reachable) { t.skip(`PostgreSQL not reachable at ${PG_URL} (.ci/run starts it)`); return; }
    const advisoryDb = join(mkdtempSync(join(tmpdir(), 'marque-tenants-')), 'advisories.sqlite');
    await importAdvisories(advisoryDb, [KEV]);
    const kevCount = () => { const db = AdvisoryDb.openForRead(advisoryDb)!; try { return db.counts().kev; } finally { db.close(); } };
    const kev = kevCount();
    const store = await open();
    await store.migrate();
    // On PostgreSQL the schema is this file's own: this test's teams are all there is.
    const acme = await store.createTeam(`acme-${name}`);
    const acmeAdmin = (await store.createToken(acme.id, 'admin', 'lead@acme')).token;
    const importAs = async (server: Awaited<ReturnType<typeof teamServer>>, token: string, body: string, file: string) =>
      server.app.inject({ method: 'POST', url: `/api/v1/advisories?name=${file}`, headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, payload: body });
    let server = await teamServer(store, { advisoryDb, offline: true, logger: false });
    try {
      assert.equal((await importAs(server, acmeAdmin, GHSA, 'GHSA-2m8v-572m-ff2v.json')).statusCode, 200, 'the only team\'s admin imports');
      const other = await store.createTeam(`other-${name}`);
      const otherAdmin = (await store.createToken(other.id, 'admin', 'mallory@other')).token;
      const emptied = JSON.stringify({ catalogVersion: '2099.01.01', dateReleased: '2099-01-01T00:00:00Z', count: 0, vulnerabilities: [] });
      for (const token of [otherAdmin, acmeAdmin]) {
        const r = await importAs(server, token, emptied, 'known_exploited_vulnerabilities.json');
        assert.equal(r.statusCode, 403, r.body);
        assert.match(r.json().detail, /shared by every team on it, and this server holds several: the operator names the teams that may import it \(MARQUE_ADVISORY_TEAMS/);
      }
      assert.equal(kevCount(), kev, 'nothing was imported');
      await server.stop();
      server = await teamServer(store, { advisoryDb, offline: true, logger: false, advisoryTeams: [acme.name] });
      const refused = await importAs(server, otherAdmin, emptied, 'known_exploited_vulnerabilities.json');
      assert.equal(refused.statusCode, 403);
      assert.match(refused.json().detail, new RegExp(`only an admin of "${acme.name}" may import it`));
      assert.equal(kevCount(), kev);
      assert.equal((await importAs(server, acmeAdmin, GHSA, 'GHSA-2m8v-572m-ff2v.json')).statusCode, 200, 'the named team\'s admin imports');
    } finally {
      await server.stop();
      await store.close();
    }
  });
}

for (const [name, open] of adapters) {
  test(`${name}: an event stream ends when its token is revoked or expires, and sends nothing after`, async (t) => {
    if (name === 'postgres' && !reachable) { t.skip(`PostgreSQL not reachable at ${PG_URL}`); return; }
    const store = await open();
    await store.migrate();
    const team = await store.createTeam(`stream-${name}`);
    const app = await buildServer(store, { logger: false });
    const address = await app.listen({ port: 0, host: '127.0.0.1' });
    const follow = async (token: string) => {
      const ac = new AbortController();
      const r = await fetch(`${address}/api/v1/events/stream?from=now`, { headers: { authorization: `Bearer ${token}` }, signal: ac.signal });
      const s = { text: '', ended: false, stop: () => ac.abort() };
      const reader = r.body!.getReader();
      void (async () => { for (;;) { const { value, done } = await reader.read(); if (done) { s.ended = true; return; } s.text += Buffer.from(value).toString(); } })().catch(() => {});
      return s;
    };
    const until = async (cond: () => boolean, ms: number) => { const end = Date.now() + ms; while (!cond() && Date.now() < end) await new Promise((r) => setTimeout(r, 50)); return cond(); };
    try {
      const revoked = await store.createToken(team.id, 'viewer', 'leaving@acme');
      const expiresAt = new Date(Date.now() + 2500);
      const expiring = await store.createToken(team.id, 'viewer', 'contractor@acme', expiresAt);
      const a = await follow(revoked.token);
      const b = await follow(expiring.token);
      await store.addEvent(team.id, null, 'finding.new', { vulnerability: 'BEFORE-1' }, new Date());
      assert.ok(await until(() => a.text.includes('BEFORE-1') && b.text.includes('BEFORE-1'), 10_000), 'both streams get what comes while their token is valid');
      assert.ok(await store.revokeToken(revoked.id, team.id));
      await new Promise((r) => setTimeout(r, Math.max(0, expiresAt.getTime() + 100 - Date.now())));
      await store.addEvent(team.id, null, 'finding.new', { vulnerability: 'AFTER-1' }, new Date());
      assert.ok(await until(() => a.ended && b.ended, 10_000), `both streams end (${JSON.stringify([a.text, b.text])})`);
      assert.ok(!a.text.includes('AFTER-1') && !b.text.includes('AFTER-1'), 'nothing is sent after the token stopped being valid');
      assert.match(a.text, /the token was revoked or has expired/);
      a.stop(); b.stop();
    } finally {
      await app.close();
      await store.close();
    }
  });
}
