// What happens to a stored finding after it is found, on both stores, against a running team server:
// a VEX decision moves the portfolio, the deadlines and the moment of awareness at once (not at the
// release's next match, which may never come); a report recorded under the CVE of a GHSA finding
// counts for the deadlines and the portfolio as it does on the findings page; a withdrawn advisory
// takes its finding away with a finding.gone event saying why, the moment of awareness kept; and a
// release whose match fails no longer holds back every other release's. Real records:
// GHSA-2m8v-572m-ff2v (systeminformation, CVE-2021-21315) and the CISA KEV catalogue of 2025-08-25.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { importAdvisories } from '../src/api/advisories.ts';
import { AdvisoryDb } from '../src/advisories/store.ts';
import { teamServer } from '../src/server/team-server.ts';
import { deadlineEvents } from '../src/server/deadlines.ts';
import { matchChanges, matchPending, MATCHER_VERSION, monthOf } from '../src/server/rematch.ts';
import type { PortfolioStore } from '../src/server/store/store.ts';
import { FIXTURES } from './helpers/paths.ts';
import { PG_URL, storeAdapters } from './helpers/postgres.ts';
import { until } from './helpers/serve.ts';

const { reachable, adapters } = await storeAdapters();

const GHSA = join(FIXTURES, 'osv/ghsa/GHSA-2m8v-572m-ff2v.json');
const KEV = join(FIXTURES, 'kev/known_exploited_vulnerabilities.json');
const LOG4J = join(FIXTURES, 'osv/ghsa/GHSA-jfh8-c2jp-5v3q.json');
const SI = 'pkg:npm/systeminformation@5.3.0';
const HOUR = 3_600_000;

/** A CycloneDX SBOM of a product holding one npm package. */
const sbomOf = (product: string, version: string, purl: string) => {
  const [, name, v] = /^pkg:npm\/(.+)@(.+)$/.exec(purl)!;
  return {
    bomFormat: 'CycloneDX', specVersion: '1.6', version: 1, metadata: { component: { type: 'application', 'bom-ref': 'app', name: product, version } },
    components: [{ type: 'library', 'bom-ref': 'c', name, version: v, purl }], dependencies: [{ ref: 'app', dependsOn: ['c'] }],
  };
};

interface Row { release: { id: string }; openFindings: number; openExploited: number; nextDeadline: { vulnerability: string; stage: string; due: string } | null }
interface Event { seq: number; kind: string; releaseId: string; payload: Record<string, unknown> }

for (const [name, open] of adapters) {
  test(`${name}: decisions, reports under an alias and a withdrawn advisory reach the stored findings, the deadlines and the events at once`, async (t) => {
    if (name === 'postgres' && !reachable) { t.skip(`PostgreSQL not reachable at ${PG_URL} (.ci/run starts it)`); return; }
    const advisoryDb = join(mkdtempSync(join(tmpdir(), 'marque-lifecycle-')), 'advisories.sqlite');
    await importAdvisories(advisoryDb, [LOG4J]);
    const store = await open();
    await store.migrate();
    const team = await store.createTeam(`lifecycle-${name}`);
    const admin = (await store.createToken(team.id, 'admin', 'lead@acme')).token;
    const server = await teamServer(store, { advisoryDb, offline: true, logger: false, periods: { match: 200, changes: 200, deliver: 0, deadlines: 0 } });
    const address = await server.app.listen({ port: 0, host: '127.0.0.1' });
    await server.start();
    const api = async (method: string, path: string, body?: unknown) => {
      const r = await fetch(`${address}/api/v1${path}`, { method, headers: { authorization: `Bearer ${admin}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) }, body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body) });
      const text = await r.text();
      assert.ok(r.ok, `${method} ${path}: ${r.status} ${text}`);
      return text ? JSON.parse(text) : undefined;
    };
    const row = async (id: string): Promise<Row> => (await api('GET', '/portfolio') as Row[]).find((r) => r.release.id === id)!;
    const events = async (): Promise<Event[]> => api('GET', '/events?limit=1000');
    const decide = (release: string, status: string) => api('POST', `/releases/${release}/decisions`, { vulnerability: 'GHSA-2m8v-572m-ff2v', component: SI, status, ...(status === 'not_affected' ? { justification: 'vulnerable_code_not_in_execute_path' } : {}) });
    try {
      const panel = (await api('POST', '/releases', { product: 'panel', supportEnd: '2031-12', sbom: sbomOf('panel', '0.9.0', SI) })).release;
      const kiosk = (await api('POST', '/releases', { product: 'kiosk', supportEnd: '2031-12', sbom: sbomOf('kiosk', '2.0.0', SI) })).release;
      const other = (await api('POST', '/releases', { product: 'other', supportEnd: '2031-12', sbom: sbomOf('other', '1.0.0', 'pkg:npm/left-pad@1.3.0') })).release;
      assert.ok(await until(async () => (await api('GET', '/portfolio') as { coverage: unknown }[]).every((r) => r.coverage !== null), 30_000, 100), 'every release matched');

      await api('POST', '/advisories?name=GHSA-2m8v-572m-ff2v.json', readFileSync(GHSA, 'utf8'));
      assert.ok(await until(async () => (await events()).filter((e) => e.kind === 'finding.new').length === 2, 30_000, 100), 'panel and kiosk have the finding');
      // The kiosk's team concludes not_affected before CISA lists the CVE: no clock runs for it.
      await decide(kiosk.id, 'not_affected');
      await api('POST', '/advisories?name=known_exploited_vulnerabilities.json', readFileSync(KEV, 'utf8'));
      assert.ok(await until(async () => (await events()).filter((e) => e.kind === 'finding.exploited').length === 2, 30_000, 100), 'both findings flipped to exploited');
      const awareAt = (await store.awarenessOf(team.id, panel.id)).get(`${SI}\0GHSA-2m8v-572m-ff2v`)!;
      assert.ok(awareAt, 'the panel\'s moment of awareness is recorded');
      assert.equal((await store.awarenessOf(team.id, kiosk.id)).size, 0, 'decided not_affected: no clock, no awareness');
      assert.deepEqual([(await row(kiosk.id)).openFindings, (await row(kiosk.id)).openExploited], [0, 0]);

      // 1. The early warning, recorded under the CVE the GHSA aliases (as reporting platforms name it), is sent.
      await api('POST', `/releases/${panel.id}/reports`, { vulnerability: 'CVE-2021-21315', stage: 'early-warning' });
      const page = (await api('GET', `/releases/${panel.id}/findings`)).findings[0];
      assert.deepEqual(page.clock.overdue, []);
      assert.deepEqual((await row(panel.id)).nextDeadline, { vulnerability: 'GHSA-2m8v-572m-ff2v', stage: 'notification', due: new Date(awareAt.getTime() + 72 * HOUR).toISOString(), awareness: page.clock.awareness }, 'the portfolio agrees with the findings page, on what its moment rests on too');
      const notices = await deadlineEvents(store, new Date(awareAt.getTime() + 70 * HOUR));
      assert.deepEqual(notices.filter((e) => e.releaseId === panel.id).map((e) => [e.kind, e.payload['stage']]), [['deadline.soon', 'notification']], 'no overdue notice for the early warning already sent');

      // 2. A not_affected decision takes the panel's finding out of the open ones at once (no advisory change follows).
      await decide(panel.id, 'not_affected');
      assert.deepEqual([(await row(panel.id)).openFindings, (await row(panel.id)).openExploited, (await row(panel.id)).nextDeadline], [0, 0, null]);
      assert.deepEqual(await deadlineEvents(store, new Date(awareAt.getTime() + 80 * HOUR)), [], 'no overdue notice for a finding decided not_affected');
      await decide(panel.id, 'affected');
      assert.equal((await row(panel.id)).openExploited, 1, 'decided affected again: open again');
      assert.equal((await store.awarenessOf(team.id, panel.id)).get(`${SI}\0GHSA-2m8v-572m-ff2v`)!.toISOString(), awareAt.toISOString(), 'its moment of awareness never moves');

      // 3. The kiosk's team revises to affected: its clock starts now, when the server stores the finding so.
      const revised = Date.now();
      await decide(kiosk.id, 'affected');
      const kioskAware = (await store.awarenessOf(team.id, kiosk.id)).get(`${SI}\0GHSA-2m8v-572m-ff2v`);
      assert.ok(kioskAware && kioskAware.getTime() >= revised - 1000, `the kiosk's awareness is recorded when the decision is (${kioskAware?.toISOString()})`);
      assert.equal((await row(kiosk.id)).nextDeadline?.stage, 'early-warning');

      // 4. GitHub withdraws the advisory: both findings go, each with an event saying why; the record of awareness stays.
      const before = (await events()).at(-1)!.seq;
      const withdrawn = { ...JSON.parse(readFileSync(GHSA, 'utf8')), modified: '2026-01-01T00:00:00Z', withdrawn: '2026-01-01T00:00:00Z' };
      await api('POST', '/advisories?name=GHSA-2m8v-572m-ff2v.json', withdrawn);
      assert.ok(await until(async () => (await events()).filter((e) => e.kind === 'finding.gone').length === 2, 30_000, 100), 'each finding gone is announced');
      const gone = (await events()).filter((e) => e.seq > before);
      assert.deepEqual(gone.map((e) => e.kind), ['finding.gone', 'finding.gone']);
      assert.deepEqual(new Set(gone.map((e) => e.releaseId)), new Set([panel.id, kiosk.id]), 'the unaffected release has no event');
      const panelGone = gone.find((e) => e.releaseId === panel.id)!.payload;
      assert.deepEqual([panelGone['vulnerability'], panelGone['component'], panelGone['exploited'], panelGone['reason'], panelGone['awareAt']],
        ['GHSA-2m8v-572m-ff2v', SI, true, 'the advisory was withdrawn (2026-01-01T00:00:00Z)', awareAt.toISOString()]);
      assert.deepEqual([(await row(panel.id)).openFindings, (await row(other.id)).openFindings], [0, 0]);
      assert.equal((await store.awarenessOf(team.id, panel.id)).size, 1, 'the moment of awareness is kept');
      assert.equal((await store.reports(team.id, panel.id)).length, 1, 'and the report sent');
    } finally {
      await server.stop();
      await store.close();
    }
  });

  test(`${name}: a finding renamed by a second advisory of the same CVE is neither new nor gone, and keeps its first moment of awareness everywhere`, async (t) => {
    if (name === 'postgres' && !reachable) { t.skip(`PostgreSQL not reachable at ${PG_URL}`); return; }
    // First another database's record of CVE-2021-21315 (as OSV's own ids alias GHSA's CVEs); then GitHub's, which names the finding from then on.
    const dir = mkdtempSync(join(tmpdir(), 'marque-alias-'));
    const advisoryDb = join(dir, 'advisories.sqlite');
    writeFileSync(join(dir, 'OSV-2026-1.json'), JSON.stringify({ id: 'OSV-2026-1', modified: '2026-11-01T00:00:00Z', aliases: ['CVE-2021-21315'], affected: [{ package: { ecosystem: 'npm', name: 'systeminformation' }, ranges: [{ type: 'SEMVER', events: [{ introduced: '0' }, { fixed: '5.3.1' }] }] }] }));
    await importAdvisories(advisoryDb, [join(dir, 'OSV-2026-1.json'), KEV]);
    const store = await open();
    await store.migrate();
    const team = await store.createTeam(`alias-${name}`);
    const { release } = await store.placeRelease(team.id, { product: 'panel', version: '0.9.0', supportEnd: '2031-12', components: [{ purl: SI, name: 'systeminformation', version: '5.3.0', ecosystem: 'npm', depth: 1, scope: 'runtime' }] }, 'ci');
    try {
      let db = AdvisoryDb.openForRead(advisoryDb)!;
      await matchChanges(store, db, () => new Date());
      await matchPending(store, db, () => new Date());
      db.close();
      const before = await store.storedFindings(team.id, release.id);
      assert.deepEqual(before.map((f) => [f.vulnerability, f.exploited]), [['OSV-2026-1', true]]);
      const first = (await store.awarenessOf(team.id, release.id)).get(`${SI}\0OSV-2026-1`)!;
      await new Promise((r) => setTimeout(r, 20));
      await importAdvisories(advisoryDb, [GHSA]);
      db = AdvisoryDb.openForRead(advisoryDb)!;
      const r = await matchChanges(store, db, () => new Date());
      db.close();
      const after = await store.storedFindings(team.id, release.id);
      assert.deepEqual(after.map((f) => [f.vulnerability, f.exploited, f.firstSeen]), [['GHSA-2m8v-572m-ff2v', true, before[0]!.firstSeen]], 'renamed, first seen kept');
      assert.deepEqual(r.events.map((e) => e.kind), [], 'the same finding: neither finding.new nor finding.gone');
      assert.equal((await store.awarenessOf(team.id, release.id)).get(`${SI}\0GHSA-2m8v-572m-ff2v`)?.toISOString(), first.toISOString(), 'the first moment, under the new name');
      const row = (await store.portfolio(team.id)).find((x) => x.release.id === release.id)!;
      assert.equal(row.nextDeadline?.due, new Date(first.getTime() + 24 * HOUR).toISOString(), 'the portfolio counts from the first moment');
      assert.deepEqual((await store.exploitedOpen()).filter((x) => x.releaseId === release.id).map((x) => x.awareAt), [first.toISOString()], 'so do the deadline notices');
    } finally {
      await store.close();
    }
  });

  test(`${name}: a withdrawn release, still watched through its support period, has its deadline notices as the portfolio shows its deadlines`, async (t) => {
    if (name === 'postgres' && !reachable) { t.skip(`PostgreSQL not reachable at ${PG_URL}`); return; }
    const advisoryDb = join(mkdtempSync(join(tmpdir(), 'marque-withdrawn-')), 'advisories.sqlite');
    await importAdvisories(advisoryDb, [GHSA, KEV]);
    const store = await open();
    await store.migrate();
    const team = await store.createTeam(`withdrawn-${name}`);
    const { release } = await store.placeRelease(team.id, { product: 'panel', version: '0.8.0', supportEnd: '2031-12', components: [{ purl: SI, name: 'systeminformation', version: '5.3.0', ecosystem: 'npm', depth: 1, scope: 'runtime' }] }, 'ci');
    try {
      assert.ok(await store.updateRelease(team.id, release.id, { status: 'withdrawn' }));
      const db = AdvisoryDb.openForRead(advisoryDb)!;
      await matchPending(store, db, () => new Date());
      db.close();
      const aware = (await store.awarenessOf(team.id, release.id)).get(`${SI}\0GHSA-2m8v-572m-ff2v`)!;
      assert.equal((await store.portfolio(team.id)).find((r) => r.release.id === release.id)!.nextDeadline?.stage, 'early-warning');
      const notices = (await deadlineEvents(store, new Date(aware.getTime() + 25 * HOUR))).filter((e) => e.releaseId === release.id);
      assert.deepEqual(notices.map((e) => [e.kind, e.payload['stage']]), [['deadline.overdue', 'early-warning']]);
    } finally {
      await store.close();
    }
  });

  test(`${name}: a release whose match fails stays pending, logged, and holds back neither the change log nor the other releases`, async (t) => {
    if (name === 'postgres' && !reachable) { t.skip(`PostgreSQL not reachable at ${PG_URL}`); return; }
    const advisoryDb = join(mkdtempSync(join(tmpdir(), 'marque-isolation-')), 'advisories.sqlite');
    await importAdvisories(advisoryDb, [LOG4J]);
    const real = await open();
    await real.migrate();
    const team = await real.createTeam(`isolation-${name}`);
    const place = async (product: string, purl: string) => (await real.placeRelease(team.id, { product, version: '1.0.0', supportEnd: '2031-12', components: [{ purl, name: purl.split('/')[1]!.split('@')[0]!, version: purl.split('@')[1]!, ecosystem: 'npm', depth: 1, scope: 'runtime' }] }, 'ci')).release;
    const broken = await place('broken', SI);
    const fine = await place('fine', SI);
    // As when a record's id cannot be stored (a NUL byte on PostgreSQL): every save of the broken release fails.
    const store: PortfolioStore = Object.assign(Object.create(real) as PortfolioStore, {
      saveMatch: (teamId: string, releaseId: string, m: Parameters<PortfolioStore['saveMatch']>[2]) => (releaseId === broken.id ? Promise.reject(new Error('invalid byte sequence for encoding "UTF8": 0x00')) : real.saveMatch(teamId, releaseId, m)),
    });
    const failures: string[] = [];
    const onFailed = (id: string, e: Error) => failures.push(`${id}: ${e.message}`);
    try {
      let db = AdvisoryDb.openForRead(advisoryDb)!;
      // The first look at a database makes every release pending; the broken one stays so, the fine one is matched.
      await matchChanges(store, db, () => new Date(), { onFailed });
      await matchPending(store, db, () => new Date(), { onFailed });
      const mine = { ids: [broken.id, fine.id] };
      assert.deepEqual(await real.pendingReleaseIds(MATCHER_VERSION, monthOf(new Date()), mine), [broken.id], 'the fine release was matched behind the broken one');
      db.close();
      await importAdvisories(advisoryDb, [GHSA]);
      db = AdvisoryDb.openForRead(advisoryDb)!;
      const r = await matchChanges(store, db, () => new Date(), { onFailed });
      db.close();
      // (On PostgreSQL the schema is shared with the test above: its releases hold the package too.)
      assert.deepEqual(r.events.filter((e) => mine.ids.includes(e.releaseId!)).map((e) => [e.kind, e.releaseId]), [['finding.new', fine.id]], 'the fine release got its finding');
      assert.deepEqual((await real.storedFindings(team.id, fine.id)).map((f) => f.vulnerability), ['GHSA-2m8v-572m-ff2v']);
      assert.equal(r.pending, 1, 'the broken release is pending a full match');
      assert.deepEqual(await real.pendingReleaseIds(MATCHER_VERSION, monthOf(new Date()), mine), [broken.id]);
      assert.ok(failures.length >= 2 && failures.every((f) => f.startsWith(broken.id) && f.includes('0x00')), failures.join('\n'));
      // The change log moved on: the change is not matched again.
      db = AdvisoryDb.openForRead(advisoryDb)!;
      assert.deepEqual((await matchChanges(store, db, () => new Date(), { onFailed })).releases, 0);
      db.close();
    } finally {
      await real.close();
    }
  });
}
