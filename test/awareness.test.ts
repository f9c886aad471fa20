// The moment of awareness that starts the Art. 14(2) clock, where a missing or fresh record would fake
// it: a new release of a product (with its component at another version) keeps the moment recorded for
// an earlier one, on the command line's awareness store and on the team server (migration 21 mends the
// moments the server recorded per release before); a deleted store, or none, cannot know what came
// before it, and the clock says so with the deadlines from the vulnerability's KEV listing, instead of a
// silent "due in 23 hours"; a report sent for one release of the product counts for the others.
// Real records: GHSA-2m8v-572m-ff2v (systeminformation < 5.3.1, CVE-2021-21315, published 2021-02-16)
// and the CISA KEV catalogue, which lists CVE-2021-21315 since 2022-01-18.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { importAdvisories } from '../src/api/advisories.ts';
import { findVulnerabilities } from '../src/api/vulns.ts';
import { AwarenessStore } from '../src/advisories/awareness.ts';
import { AdvisoryDb } from '../src/advisories/store.ts';
import { awarenessNote } from '../src/formats/awareness-note.ts';
import type { InventoryComponent } from '../src/model/inventory.ts';
import { buildServer } from '../src/server/app.ts';
import { deadlineEvents } from '../src/server/deadlines.ts';
import { matchPending } from '../src/server/rematch.ts';
import { portfolioStore } from '../src/server/store/portfolio.ts';
import { postgresSql } from '../src/server/store/postgres.ts';
import { sqliteSql } from '../src/server/store/sqlite.ts';
import type { Sql } from '../src/server/store/sql.ts';
import { FIXTURES, ROOT } from './helpers/paths.ts';
import { dropSchemaAfter, PG_URL, postgresReachable } from './helpers/postgres.ts';

const HOUR = 3_600_000;
const GHSA = 'GHSA-2m8v-572m-ff2v';
const dir = mkdtempSync(join(tmpdir(), 'marque-awareness-'));
const advisories = join(dir, 'db', 'advisories.sqlite');
await importAdvisories(advisories, [join(FIXTURES, 'osv/ghsa/GHSA-2m8v-572m-ff2v.json'), join(FIXTURES, 'kev/known_exploited_vulnerabilities.json')]);

const si = (version: string): InventoryComponent => ({ purl: `pkg:npm/systeminformation@${version}`, name: 'systeminformation', version, ecosystem: 'npm', licenses: [], depth: 1, kind: 'runtime' });

/** The exploited finding of one run: `product` at `version` holding systeminformation at `component`. */
function clockOf(o: { store?: AwarenessStore; product?: string; version: string; component: string; now: Date; awareAt?: Date }) {
  const db = AdvisoryDb.openForRead(advisories)!;
  try {
    const f = findVulnerabilities({ unlisted: undefined, components: [si(o.component)], db, product: { name: o.product ?? 'panel', version: o.version }, awareness: o.store, awareAt: o.awareAt, now: o.now }).findings.find((x) => x.advisory === GHSA)!;
    assert.equal(f.exploited, true);
    return f.clock!;
  } finally {
    db.close();
  }
}

test('a new release of the product, its component at another version, keeps the moment recorded for the first; another product has its own', () => {
  const store = new AwarenessStore(join(dir, 'releases', 'awareness.sqlite'));
  const t1 = new Date('2026-11-20T08:00:00Z');
  const t2 = new Date('2026-12-01T08:00:00Z');
  try {
    assert.equal(clockOf({ store, version: '0.9.0', component: '5.3.0', now: t1 }).awareAt, t1.toISOString());
    const next = clockOf({ store, version: '1.0.0', component: '5.2.0', now: t2 });
    assert.equal(next.awareAt, t1.toISOString(), 'being aware of the vulnerability in the product does not reset with the version number');
    assert.equal(next.awareness?.recordedFor, 'panel@0.9.0');
    assert.deepEqual(next.overdue, ['early-warning', 'notification']);
    assert.match(awarenessNote(next)!, /recorded for panel@0\.9\.0/);
    assert.equal(clockOf({ store, product: 'kiosk', version: '1.0.0', component: '5.3.0', now: t2 }).awareAt, t2.toISOString(), 'another product: its own moment');
  } finally {
    store.close();
  }
});

test('a deleted awareness store: the clock says its record begins with the new store, and gives the deadlines from the KEV listing', () => {
  const path = join(dir, 'deleted', 'awareness.sqlite');
  // Recorded before CISA listed the CVE: Marque's record covers the listing, nothing to add.
  let store = new AwarenessStore(path);
  const early = clockOf({ store, version: '0.9.0', component: '5.3.0', now: new Date('2021-12-01T08:00:00Z') });
  store.close();
  assert.equal(early.awareness?.basis, 'recorded');
  assert.equal(early.awareness?.ifAwareFrom, undefined, 'a record older than the KEV listing rests on itself');
  assert.equal(awarenessNote(early), null);
  // The file is deleted (or the cache folder moved, or another machine): the next run starts a new store.
  rmSync(path);
  store = new AwarenessStore(path);
  const now = new Date('2026-11-20T08:00:00Z');
  const fresh = clockOf({ store, version: '0.9.0', component: '5.3.0', now });
  store.close();
  assert.equal(fresh.awareAt, now.toISOString(), 'Marque cannot know the moment it lost');
  assert.deepEqual(fresh.overdue, [], 'by its own record nothing is overdue…');
  assert.deepEqual(fresh.awareness, {
    basis: 'recorded', recordSince: now.toISOString(), storeStarted: now.toISOString(), publicSince: '2021-02-16T16:51:04Z', exploitedSince: '2022-01-18',
    ifAwareFrom: { since: '2022-01-18T00:00:00.000Z', why: 'exploited', earlyWarningDue: '2022-01-19T00:00:00.000Z', notificationDue: '2022-01-21T00:00:00.000Z', overdue: ['early-warning', 'notification'] },
  }, '…and the clock says what that record rests on');
  assert.match(awarenessNote(fresh)!, /record of this product begins 2026-11-20 \(its awareness store was started 2026-11-20\).*listed as exploited \(KEV\) since 2022-01-18.*early warning was due 2022-01-19 00:00 UTC.*now overdue/);
});

test('no store: nothing records the moment, and the clock says so; a moment given for the run is the user\'s statement', () => {
  const now = new Date('2026-11-20T08:00:00Z');
  const none = clockOf({ version: '0.9.0', component: '5.3.0', now });
  assert.equal(none.awareness?.basis, 'unrecorded');
  assert.equal(none.awareness?.ifAwareFrom?.since, '2022-01-18T00:00:00.000Z');
  assert.match(awarenessNote(none)!, /^Nothing records this moment: the clock starts now\./);
  const given = clockOf({ version: '0.9.0', component: '5.3.0', now, awareAt: new Date('2026-11-19T08:00:00Z') });
  assert.equal(given.awareness?.basis, 'given');
  assert.equal(given.awareness?.ifAwareFrom, undefined);
});

test('a store kept before releases shared their moment: its records serve every release, its earliest record begins its record', () => {
  const path = join(dir, 'old', 'awareness.sqlite');
  mkdirSync(join(dir, 'old'));
  const old = new DatabaseSync(path);
  old.exec('create table aware(product text not null, component text not null, vulnerability text not null, aware_at text not null, primary key(product, component, vulnerability))');
  old.prepare('insert into aware values (?, ?, ?, ?)').run('acme/panel@0.9.0', 'pkg:npm/systeminformation@5.3.0', GHSA, '2026-01-05T08:00:00.000Z');
  old.close();
  const store = new AwarenessStore(path);
  try {
    const r = store.awareAt({ group: 'acme', name: 'panel', version: '1.0.0' }, 'pkg:npm/systeminformation@5.2.0', [GHSA, 'CVE-2021-21315'], new Date('2026-11-20T08:00:00Z'));
    assert.deepEqual([r.at.toISOString(), r.recordedFor, r.recordSince.toISOString(), r.storeStarted.toISOString()],
      ['2026-01-05T08:00:00.000Z', 'acme/panel@0.9.0', '2026-01-05T08:00:00.000Z', '2026-01-05T08:00:00.000Z']);
  } finally {
    store.close();
  }
  // Opened again: migrated once.
  new AwarenessStore(path).close();
});

test('marque vulns: a second release keeps the first moment, and a new store says what the clock rests on', () => {
  const product = join(dir, 'panel');
  cpSync(join(FIXTURES, 'npm-exploited'), product, { recursive: true });
  const run = (...args: string[]) => spawnSync(process.execPath, [join(ROOT, 'bin/marque.js'), 'vulns', product, '--db', advisories, ...args], { encoding: 'utf8' });
  const first = run('--product', 'panel@0.9.0');
  assert.equal(first.status, 0, first.stderr);
  assert.match(first.stdout, /record of this product begins \d{4}-\d{2}-\d{2} \(its awareness store was started/);
  assert.match(first.stdout.replace(/\s+/g, ' '), /listed as exploited \(KEV\) since 2022-01-18: if the manufacturer knew then, the early warning was due 2022-01-19 00:00 UTC .* Give the moment the manufacturer became aware with --aware-at\./);
  const aware = (version: string) => JSON.parse(run('--product', `panel@${version}`, '--json').stdout).findings[0].clock;
  const a = aware('0.9.0');
  const b = aware('1.0.0');
  assert.equal(b.awareAt, a.awareAt, 'panel 1.0.0 is not a new moment of awareness');
  assert.equal(b.awareness.recordedFor, 'panel@0.9.0');
});

// The team server, on both stores.
const reachable = await postgresReachable();
const schema = `marque_test_aware_${process.pid}_${Math.random().toString(36).slice(2, 8)}`;
dropSchemaAfter(schema, reachable);
const sqls: [string, () => Promise<Sql>][] = [
  ['sqlite', async () => sqliteSql(join(mkdtempSync(join(tmpdir(), 'marque-aware-store-')), 'marque.sqlite'))],
  ['postgres', () => postgresSql(PG_URL, schema)],
];
const component = (version: string) => ({ purl: `pkg:npm/systeminformation@${version}`, name: 'systeminformation', version, ecosystem: 'npm', depth: 1, scope: 'runtime' });

for (const [name, open] of sqls) {
  test(`${name}: a new release of a product keeps the moment of awareness; a report sent for any release counts for every one`, async (t) => {
    if (name === 'postgres' && !reachable) { t.skip(`PostgreSQL not reachable at ${PG_URL} (.ci/run starts it)`); return; }
    const sql = await open();
    const store = portfolioStore(sql);
    await store.migrate();
    const team = await store.createTeam(`aware-${name}`);
    const token = (await store.createToken(team.id, 'admin', 'psirt@acme')).token;
    const db = AdvisoryDb.openForRead(advisories)!;
    const app = await buildServer(store, { advisoryDb: advisories });
    try {
      const t1 = new Date(Date.now() + HOUR);
      const t2 = new Date(t1.getTime() + 48 * HOUR);
      const { release: first } = await store.placeRelease(team.id, { product: 'panel', version: '0.9.0', supportEnd: '2031-12', components: [component('5.3.0')] }, 'ci');
      await matchPending(store, db, () => t1);
      assert.equal((await store.awarenessOf(team.id, first.id)).get(`pkg:npm/systeminformation@5.3.0\0${GHSA}`)?.toISOString(), t1.toISOString());
      // The early warning is sent, recorded under the CVE, for the first release.
      await store.recordReport(team.id, { releaseId: first.id, vulnerability: 'CVE-2021-21315', stage: 'early-warning', sentBy: 'psirt@acme', at: new Date(t1.getTime() + HOUR) });
      // The next release ships the component at another version, still affected; the server matches it two days later.
      const { release: next } = await store.placeRelease(team.id, { product: 'panel', version: '1.0.0', supportEnd: '2031-12', components: [component('5.2.0')] }, 'ci');
      const { release: other } = await store.placeRelease(team.id, { product: 'kiosk', version: '1.0.0', supportEnd: '2031-12', components: [component('5.2.0')] }, 'ci');
      await matchPending(store, db, () => t2);
      assert.equal((await store.awarenessOf(team.id, next.id)).get(`pkg:npm/systeminformation@5.2.0\0${GHSA}`)?.toISOString(), t1.toISOString(), 'the moment recorded for 0.9.0');
      assert.equal((await store.awarenessOf(team.id, other.id)).get(`pkg:npm/systeminformation@5.2.0\0${GHSA}`)?.toISOString(), t2.toISOString(), 'another product: its own moment');
      // Its finding.new event says what the new moment rests on: the server's record of kiosk begins today, the KEV listing years ago.
      const event = (await store.events(team.id, 0, 100)).find((e) => e.releaseId === other.id && e.kind === 'finding.new')!;
      const clock = event.payload['clock'] as { awareAt: string; awareness: { recordSince: string; ifAwareFrom: { since: string } } };
      assert.deepEqual([clock.awareAt, clock.awareness.recordSince, clock.awareness.ifAwareFrom.since], [t2.toISOString(), other.createdAt, '2022-01-18T00:00:00.000Z']);
      // The portfolio, the deadline notices and the findings page agree: the notification is what is due, from t1.
      const row = (await store.portfolio(team.id)).find((r) => r.release.id === next.id)!;
      const { awareness: rowAwareness, ...deadline } = row.nextDeadline!;
      assert.deepEqual(deadline, { vulnerability: GHSA, stage: 'notification', due: new Date(t1.getTime() + 72 * HOUR).toISOString() });
      // And from the KEV listing, which predates the server's record of panel: the notification overdue (the early warning was sent).
      assert.deepEqual(row.ifAwareFrom, { vulnerability: GHSA, stage: 'notification', due: '2022-01-21T00:00:00.000Z', since: '2022-01-18T00:00:00.000Z', why: 'exploited' });
      assert.deepEqual((await store.exploitedOpen()).filter((f) => f.releaseId === next.id).map((f) => [f.awareAt, f.sent]), [[t1.toISOString(), ['early-warning']]]);
      const notices = (await deadlineEvents(store, new Date(t1.getTime() + 70 * HOUR))).filter((e) => e.releaseId === next.id);
      assert.deepEqual(notices.map((e) => [e.kind, e.payload['stage']]), [['deadline.soon', 'notification']], 'no overdue early warning: it was sent');
      const page = (await app.inject({ method: 'GET', url: `/api/v1/releases/${next.id}/findings`, headers: { authorization: `Bearer ${token}` } })).json();
      const f = page.findings.find((x: { advisory: string }) => x.advisory === GHSA);
      assert.equal(f.clock.awareAt, t1.toISOString());
      assert.deepEqual(f.reportsSent.map((r: { stage: string; releaseId?: string }) => [r.stage, r.releaseId]), [['early-warning', first.id]], 'sent for 0.9.0, and says so');
      // The server's record of the product begins with its first release, years after the KEV listing: the page says what that means.
      assert.equal(f.clock.awareness.basis, 'recorded');
      assert.equal(f.clock.awareness.recordSince, (await store.release(team.id, first.id))!.createdAt);
      assert.equal(f.clock.awareness.ifAwareFrom.since, '2022-01-18T00:00:00.000Z');
      assert.deepEqual(f.clock.awareness.ifAwareFrom.overdue, ['notification'], 'the early warning was sent');
      assert.deepEqual(rowAwareness, f.clock.awareness, 'the portfolio\'s nearest deadline says what it rests on, as the findings page does');

      // A finding stored before what its moment rests on was kept (migration 22): its row cannot say, and does not
      // say "nothing" (ifAwareFrom absent, not null); the next match (the matcher's version changed with it) fills it.
      await sql.run('update finding set evidence = null where release_id = ?', [next.id]);
      const before = (await store.portfolio(team.id)).find((r) => r.release.id === next.id)!;
      assert.deepEqual(['ifAwareFrom' in before, before.nextDeadline?.awareness], [false, undefined]);
      assert.equal((await store.portfolio(team.id)).find((r) => r.release.id === other.id)!.ifAwareFrom?.stage, 'early-warning', 'the other releases\' rows still say');
      await store.markReleasesPending([next.id]);
      await matchPending(store, db, () => t2);
      assert.deepEqual((await store.portfolio(team.id)).find((r) => r.release.id === next.id)!.ifAwareFrom, row.ifAwareFrom);
    } finally {
      db.close();
      await app.close();
      await store.close();
    }
  });

  test(`${name}: migration 21 moves each recorded moment to the earliest for the vulnerability in any release of the product`, async (t) => {
    if (name === 'postgres' && !reachable) { t.skip(`PostgreSQL not reachable at ${PG_URL} (.ci/run starts it)`); return; }
    const sql = await open();
    const store = portfolioStore(sql);
    await store.migrate();
    const team = await store.createTeam(`aware-migration-${name}`);
    const place = async (product: string, version: string) => (await store.placeRelease(team.id, { product, version, supportEnd: '2031-12', components: [component('5.3.0')] }, 'ci')).release.id;
    const [a, b, c] = [await place('panel', '0.9.0'), await place('panel', '1.0.0'), await place('kiosk', '1.0.0')];
    try {
      // As a server recorded them before: each release its own moment; release b's finding names the CVE, and aliases the GHSA.
      const rows: [string, string, string, string][] = [
        [a, 'pkg:npm/systeminformation@5.3.0', GHSA, '2026-01-05T08:00:00.000Z'],
        [a, 'pkg:npm/other@1.0.0', 'GHSA-0000-0000-0000', '2026-02-01T00:00:00.000Z'],
        [b, 'pkg:npm/systeminformation@5.2.0', 'CVE-2021-21315', '2026-03-01T00:00:00.000Z'],
        [c, 'pkg:npm/systeminformation@5.3.0', GHSA, '2026-02-01T00:00:00.000Z'],
      ];
      for (const r of rows) await sql.run('insert into awareness (release_id, component, vulnerability, aware_at) values (?, ?, ?, ?)', r);
      await sql.run('insert into finding (release_id, component, vulnerability, exploited, status, first_seen, last_seen, aliases) values (?, ?, ?, 1, ?, ?, ?, ?)',
        [b, 'pkg:npm/systeminformation@5.2.0', 'CVE-2021-21315', 'under_investigation', '2026-03-01T00:00:00.000Z', '2026-03-01T00:00:00.000Z', JSON.stringify([GHSA])]);
      await sql.run('delete from schema_migration where id = 21');
      await store.migrate();
      const moments = async (release: string) => Object.fromEntries([...(await store.awarenessOf(team.id, release)).entries()].map(([k, v]) => [k.split('\0')[1], v.toISOString()]));
      assert.deepEqual(await moments(a), { [GHSA]: '2026-01-05T08:00:00.000Z', 'GHSA-0000-0000-0000': '2026-02-01T00:00:00.000Z' }, 'the earliest stays, another vulnerability is untouched');
      assert.deepEqual(await moments(b), { 'CVE-2021-21315': '2026-01-05T08:00:00.000Z' }, 'the later release: the moment of the earlier one, found under an alias');
      assert.deepEqual(await moments(c), { [GHSA]: '2026-02-01T00:00:00.000Z' }, 'another product keeps its own');
    } finally {
      await store.close();
    }
  });
}
