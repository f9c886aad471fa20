// marque.yaml vex: statements on the team server: "marque push" sends them with the release's facts, and the
// server decides the release's findings as "marque vulns" does (the same decided and open findings, the same
// clocks: a not_affected statement stops the KEV clock, a statement of exploitation starts one, its measure dates
// the final report), on both stores, at request time, in its stored match and in the portfolio. A decision recorded
// on the server is the later word on the release and says what it supersedes. A release an older client pushed
// without them is completed by a push of the same content with them; an older client cannot silently take them
// away (409); facts recorded with other statements (PATCH) match the release again.
// Real records: GHSA-2m8v-572m-ff2v (systeminformation < 5.3.1, CVE-2021-21315, in CISA's KEV catalogue since
// 2022-01-18); two hand-made records on the same package (not real vulnerabilities).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { cpSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FIXTURES, ROOT } from './helpers/paths.ts';
import { PG_URL, storeAdapters } from './helpers/postgres.ts';
import { buildServer } from '../src/server/app.ts';
import { AdvisoryDb } from '../src/advisories/store.ts';
import { matchPending, MATCHER_VERSION, monthOf } from '../src/server/rematch.ts';
import { productRequest } from '../src/api/request.ts';
import { buildInventory } from '../src/api/inventory.ts';
import { renderSbom } from '../src/api/sbom.ts';
import { pushRelease, releaseFacts } from '../src/api/push.ts';

const { reachable, adapters: ADAPTERS } = await storeAdapters();

const BIN = join(ROOT, 'bin/marque.js');
const marque = (args: string[], env: Record<string, string> = {}) => new Promise<{ code: number | null; out: string; err: string }>((resolve) => {
  execFile(process.execPath, [BIN, ...args], { encoding: 'utf8', env: { ...process.env, ...env }, maxBuffer: 64 * 1024 * 1024 }, (e, out, err) => resolve({ code: e ? (typeof e.code === 'number' ? e.code : 1) : 0, out, err }));
});

const GHSA = 'GHSA-2m8v-572m-ff2v';
const SI = 'pkg:npm/systeminformation@5.3.0';
const MEASURE = '2026-11-02T09:00:00Z';

// The panel (systeminformation 5.3.0), and what marque.yaml decides about it: the KEV-listed vulnerability, named by its
// CVE, not affected; one hand-made advisory fixed; the other affected and exploited by the team's own evidence, a
// measure available since MEASURE.
const dir = mkdtempSync(join(tmpdir(), 'marque-server-vex-'));
cpSync(join(FIXTURES, 'npm-exploited'), dir, { recursive: true });
writeFileSync(join(dir, 'marque.yaml'), `product:
  name: panel
  version: "0.9.0"
  manufacturer:
    name: Example Panels SA
    email: psirt@panels.invalid
support:
  periodEnd: "2031-06"
vex:
  - vulnerability: CVE-2021-21315
    products: [pkg:npm/systeminformation]
    status: not_affected
    justification: vulnerable_code_not_in_execute_path
  - vulnerability: MARQUE-TEST-SI-FIXED
    status: fixed
  - vulnerability: MARQUE-TEST-SI-EXPLOITED
    products: [${SI}]
    status: affected
    exploited: true
    evidence: seen in a honeypot
    measureAvailableAt: "${MEASURE}"
`);

const modified = new Date(Date.now() - 3600_000).toISOString().replace(/\.\d+Z$/, 'Z');
const record = (id: string) => JSON.stringify({
  schema_version: '1.6.0', id, modified, published: modified, summary: 'Test record on systeminformation (not a real vulnerability)',
  affected: [{ package: { ecosystem: 'npm', name: 'systeminformation' }, ranges: [{ type: 'SEMVER', events: [{ introduced: '0' }, { fixed: '5.3.1' }] }] }],
});

interface Found { component: string; advisory: string; status: string; justification: string | null; exploited: boolean; statusSource?: string; clock: { finalReportDue: string | null } | null }
/** What a view decides of each finding: the same for the command line and the server. */
const decided = (findings: Found[]) => findings.map((f) => `${f.advisory} ${f.component} ${f.status} ${f.justification ?? '-'} exploited=${f.exploited} clock=${f.clock ? `final ${f.clock.finalReportDue}` : 'none'}`).sort();

for (const [name, open] of ADAPTERS) {
  test(`${name}: marque.yaml's VEX statements decide the pushed release's findings as "marque vulns" decides them`, async (t) => {
    if (name === 'postgres' && !reachable) { t.skip(`PostgreSQL not reachable at ${PG_URL}`); return; }
    const osv = mkdtempSync(join(tmpdir(), 'marque-server-vex-osv-'));
    writeFileSync(join(osv, 'MARQUE-TEST-SI-FIXED.json'), record('MARQUE-TEST-SI-FIXED'));
    writeFileSync(join(osv, 'MARQUE-TEST-SI-EXPLOITED.json'), record('MARQUE-TEST-SI-EXPLOITED'));
    const dbPath = join(mkdtempSync(join(tmpdir(), 'marque-server-vex-db-')), 'advisories.sqlite');
    const imported = await marque(['db', 'import', osv, join(FIXTURES, 'osv/ghsa/GHSA-2m8v-572m-ff2v.json'), join(FIXTURES, 'kev/known_exploited_vulnerabilities.json'), '--db', dbPath]);
    assert.equal(imported.code, 0, imported.err);

    // The command line's answer: the KEV-listed vulnerability decided not_affected (no clock), one fixed, one
    // exploited by the team's evidence with its final report due 14 days after the measure.
    const cli = await marque(['vulns', dir, '--db', dbPath, '--json']);
    assert.equal(cli.code, 0, cli.err);
    const local = JSON.parse(cli.out) as { findings: Found[] };
    assert.deepEqual(decided(local.findings), [
      `${GHSA} ${SI} not_affected vulnerable_code_not_in_execute_path exploited=true clock=none`,
      `MARQUE-TEST-SI-EXPLOITED ${SI} affected - exploited=true clock=final 2026-11-16T09:00:00.000Z`,
      `MARQUE-TEST-SI-FIXED ${SI} fixed - exploited=false clock=none`,
    ]);

    const store = await open();
    const db = AdvisoryDb.openForRead(dbPath)!;
    const app = await buildServer(store, { advisoryDb: dbPath });
    try {
      await store.migrate();
      const team = await store.createTeam('panels');
      const token = (await store.createToken(team.id, 'editor', 'psirt@panels')).token;
      const server = (await app.listen({ port: 0, host: '127.0.0.1' })).replace('localhost', '127.0.0.1');
      const call = async (method: string, path: string, body?: unknown) => {
        const res = await fetch(`${server}/api/v1${path}`, { method, headers: { authorization: `Bearer ${token}`, ...(body ? { 'content-type': 'application/json' } : {}) }, body: body ? JSON.stringify(body) : undefined });
        return { status: res.status, body: await res.json() };
      };
      const findings = async (id: string) => ((await call('GET', `/releases/${id}/findings`)).body as { findings: Found[] }).findings;
      const row = async (id: string) => (await store.portfolio(team.id)).find((r) => r.release.id === id)!;

      // An older client: facts without the statements. Accepted; the server knows nothing of them, and its KEV clock runs.
      const pr = await productRequest(dir, {});
      const inv = await buildInventory(pr.request);
      const facts = releaseFacts(pr.manifest!);
      assert.deepEqual(facts.vex?.map((s) => [s.vulnerability, s.status]), [['CVE-2021-21315', 'not_affected'], ['MARQUE-TEST-SI-FIXED', 'fixed'], ['MARQUE-TEST-SI-EXPLOITED', 'affected']]);
      const { vex: _, ...olderFacts } = facts;
      const older = { server, token, product: 'panel', version: '0.9.0', supportEnd: '2031-06', sbom: renderSbom(inv, 'cyclonedx', pr.product), facts: olderFacts };
      const placed = await pushRelease(older);
      assert.equal(placed.outcome, 'created');
      const id = placed.release.id;
      await matchPending(store, db, () => new Date());
      assert.deepEqual((await findings(id)).filter((f) => f.status !== 'under_investigation'), [], 'nothing decided without the statements');
      assert.deepEqual([(await row(id)).exploitedVulnerabilities, (await row(id)).nextDeadline?.vulnerability], [1, GHSA], 'the KEV clock runs');

      // "marque push" now: the same release completed with the statements, and matched again in full.
      const pushed = await marque(['push', dir, '--server', server, '--db', dbPath, '--json'], { MARQUE_TOKEN: token });
      assert.equal(pushed.code, 0, pushed.err);
      const out = JSON.parse(pushed.out) as { id: string; outcome: string; facts: { vex?: unknown } };
      assert.deepEqual([out.id, out.outcome], [id, 'completed']);
      assert.deepEqual(out.facts.vex, facts.vex, 'kept with the release\'s facts, as marque.yaml has them');
      assert.deepEqual(await store.pendingReleaseIds(MATCHER_VERSION, monthOf(new Date()), { ids: [id] }), [id], 'pending a full match with its statements');
      await matchPending(store, db, () => new Date());

      // The server's findings (at request time and as stored), their clocks, and the portfolio: the command line's.
      const now = await findings(id);
      assert.deepEqual(decided(now), decided(local.findings), 'the same decided and open findings, the same clocks');
      assert.equal(now.find((f) => f.advisory === GHSA)!.statusSource, 'marque.yaml#vex[0], pushed with the release');
      assert.deepEqual((await store.storedFindings(team.id, id)).map((f) => `${f.vulnerability} ${f.status} ${f.exploited}`).sort(),
        [`${GHSA} not_affected true`, 'MARQUE-TEST-SI-EXPLOITED affected true', 'MARQUE-TEST-SI-FIXED fixed false']);
      const decidedRow = await row(id);
      assert.deepEqual([decidedRow.openVulnerabilities, decidedRow.exploitedVulnerabilities, decidedRow.nextDeadline?.vulnerability], [1, 1, 'MARQUE-TEST-SI-EXPLOITED'],
        'the not_affected statement stopped the KEV clock; the statement of exploitation started one');
      // Exploited by the team's evidence, public (the record's publication) before the server's record of panel began.
      assert.deepEqual([decidedRow.ifAwareFrom?.vulnerability, decidedRow.ifAwareFrom?.why, decidedRow.ifAwareFrom?.since], ['MARQUE-TEST-SI-EXPLOITED', 'public', new Date(modified).toISOString()]);

      // Pushed again: unchanged. By the older client: refused, saying why, rather than the statements dropped.
      assert.match((await marque(['push', dir, '--server', server, '--db', dbPath, '--json'], { MARQUE_TOKEN: token })).out, /"outcome": "unchanged"/);
      await assert.rejects(pushRelease(older), /HTTP 409: panel 0\.9\.0 is already on the market with other VEX statements \(marque\.yaml vex: this push states none, as a client older than them does\)/);
      await assert.rejects(pushRelease({ ...older, facts: { ...facts, vex: facts.vex!.slice(1) } }), /HTTP 409: .* with other VEX statements \(marque\.yaml vex: these differ from the kept ones\)/);

      // A decision recorded on the server is the later word on the release, and says what it supersedes.
      const decision = await call('POST', `/releases/${id}/decisions`, { vulnerability: GHSA, component: SI, status: 'affected' });
      assert.equal(decision.status, 201);
      await store.markReleasesPending([id]);
      await matchPending(store, db, () => new Date());
      const over = (await findings(id)).find((f) => f.advisory === GHSA)!;
      assert.equal(over.status, 'affected');
      assert.ok(over.clock, 'its KEV clock runs again');
      assert.match(over.statusSource!, /^decision [0-9a-f-]+ by psirt@panels at \S+, over marque\.yaml#vex\[0\], pushed with the release \(not_affected\)$/);
      assert.equal((await row(id)).exploitedVulnerabilities, 2);

      // Facts recorded with other statements (PATCH): matched again at once; without the server decision's finding.
      const patched = await call('PATCH', `/releases/${id}`, { facts: { ...out.facts, vex: facts.vex!.slice(0, 2) } });
      assert.equal(patched.status, 200, JSON.stringify(patched.body));
      assert.deepEqual(await store.pendingReleaseIds(MATCHER_VERSION, monthOf(new Date()), { ids: [id] }), [id]);
      await matchPending(store, db, () => new Date());
      assert.equal((await findings(id)).find((f) => f.advisory === 'MARQUE-TEST-SI-EXPLOITED')!.status, 'under_investigation');

      // A statement that decides nothing is refused, as "marque vulns" refuses it: a not_affected without a justification.
      const bad = await call('PATCH', `/releases/${id}`, { facts: { ...out.facts, vex: [{ vulnerability: GHSA, status: 'not_affected' }] } });
      assert.equal(bad.status, 400);
      assert.match((bad.body as { detail: string }).detail, /^body\/facts\/vex: a not_affected statement for GHSA-2m8v-572m-ff2v needs a justification/);
    } finally {
      db.close();
      await app.close();
      await store.close();
    }
  });
}

test('the OpenAPI document states the VEX statements a release\'s facts may carry; a server older than the client is named', async () => {
  const { portfolioStore } = await import('../src/server/store/portfolio.ts');
  const { sqliteSql } = await import('../src/server/store/sqlite.ts');
  const store = portfolioStore(sqliteSql(':memory:'));
  await store.migrate();
  const app = await buildServer(store);
  try {
    const doc = (await app.inject({ method: 'GET', url: '/api/v1/openapi.json' })).json();
    assert.match(JSON.stringify(doc.components.schemas.ReleaseFacts ?? doc.components.schemas), /"vex":\{"type":"array"/);
  } finally {
    await app.close();
    await store.close();
  }
  // A server before them refuses the field (400, a field its schema does not know): the client says to upgrade it.
  const refuse: typeof fetch = async () => new Response(JSON.stringify({ title: 'Bad Request', status: 400, detail: 'body/facts must NOT have additional properties' }), { status: 400, headers: { 'content-type': 'application/problem+json' } });
  const facts = { class: null, categories: [], conformityRoutes: [], manufacturer: null, contact: null, mainEstablishment: null, memberStates: [], vex: [{ vulnerability: GHSA, status: 'fixed' as const }] };
  await assert.rejects(pushRelease({ server: 'http://127.0.0.1:9', token: 't', product: 'panel', sbom: {}, facts, fetchImpl: refuse }), /does not take marque\.yaml's vex: statements; upgrade the server/);
});
