// The team server's repository layer: one suite, run against both adapters — node:sqlite (the
// embedded default) and PostgreSQL (127.0.0.1:5432 in CI, its own schema per run, dropped after).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { ReleaseComponent } from '../src/model/portfolio.ts';
import { buildServer } from '../src/server/app.ts';
import { Conflict } from '../src/server/store/errors.ts';
import { PG_URL, storeAdapters } from './helpers/postgres.ts';

const { reachable, adapters: ADAPTERS } = await storeAdapters();

const comp = (i: number): ReleaseComponent => ({ purl: `pkg:npm/c${i}@1.0.${i}`, name: `c${i}`, version: `1.0.${i}`, ecosystem: 'npm', depth: i % 5, scope: i % 7 ? 'runtime' : 'dev' });

for (const [name, open] of ADAPTERS) {
  test(`${name}: migrations, teams, products and releases with their components; tenants never see each other`, async (t) => {
    if (name === 'postgres' && !reachable) { t.skip(`PostgreSQL not reachable at ${PG_URL} (.ci/run starts it)`); return; }
    const store = await open();
    try {
      await store.migrate();
      await store.migrate(); // idempotent
      const a = await store.createTeam('acme');
      const b = await store.createTeam('other');
      const p = await store.createProduct(a.id, `courier-${name}`);
      const components = Array.from({ length: 1200 }, (_, i) => comp(i));
      const r = await store.createRelease(a.id, { productId: p.id, version: '1.4.0', placedOnMarket: '2026-11-01', supportEnd: '2031-12', components });
      assert.equal(r.componentCount, 1200);
      assert.equal((await store.components(a.id, r.id)).length, 1200);
      assert.deepEqual((await store.releases(a.id)).map((x) => x.version), ['1.4.0']);
      // Another team: not found, nothing listed, nothing written.
      assert.equal(await store.release(b.id, r.id), undefined);
      assert.equal(await store.product(b.id, p.id), undefined);
      assert.deepEqual(await store.releases(b.id), []);
      assert.deepEqual(await store.components(b.id, r.id), []);
      assert.equal(await store.setReleaseStatus(b.id, r.id, 'withdrawn'), false);
      assert.equal(await store.decide(b.id, { releaseId: r.id, vulnerability: 'X', component: 'c', status: 'fixed', decidedBy: 'mallory' }), undefined);
      await assert.rejects(store.createRelease(b.id, { productId: p.id, version: '9', components: [] }), /no product/);
      assert.equal(await store.setReleaseStatus(a.id, r.id, 'withdrawn'), true);
      assert.equal((await store.release(a.id, r.id))!.status, 'withdrawn');
    } finally {
      await store.close();
    }
  });

  test(`${name}: a release lands whole or not at all`, async (t) => {
    if (name === 'postgres' && !reachable) { t.skip(`PostgreSQL not reachable at ${PG_URL}`); return; }
    const store = await open();
    try {
      await store.migrate();
      const a = await store.createTeam('acme');
      const p = await store.createProduct(a.id, `robot-${name}`);
      // The same purl twice violates the key halfway through: nothing of the release may remain.
      const bad = [...Array.from({ length: 700 }, (_, i) => comp(i)), comp(3)];
      await assert.rejects(store.createRelease(a.id, { productId: p.id, version: '2.0.0', components: bad }));
      assert.deepEqual(await store.releases(a.id, { productId: p.id }), []);
      const ok = await store.createRelease(a.id, { productId: p.id, version: '2.0.0', components: bad.slice(0, 700) });
      assert.equal((await store.components(a.id, ok.id)).length, 700);
    } finally {
      await store.close();
    }
  });

  test(`${name}: the first moment of awareness is kept; VEX decisions are history; a report stage is recorded once`, async (t) => {
    if (name === 'postgres' && !reachable) { t.skip(`PostgreSQL not reachable at ${PG_URL}`); return; }
    const store = await open();
    try {
      await store.migrate();
      const a = await store.createTeam('acme');
      const p = await store.createProduct(a.id, `panel-${name}`);
      const r = await store.createRelease(a.id, { productId: p.id, version: '0.9.0', components: [comp(1)] });
      const first = await store.awareness(a.id, r.id, comp(1).purl, 'CVE-2021-21315', new Date('2026-11-20T08:00:00Z'));
      const again = await store.awareness(a.id, r.id, comp(1).purl, 'CVE-2021-21315', new Date('2026-11-25T08:00:00Z'));
      assert.equal(first!.toISOString(), '2026-11-20T08:00:00.000Z');
      assert.equal(again!.toISOString(), first!.toISOString(), 'awareness never moves later (Art. 14(2))');
      await store.decide(a.id, { releaseId: r.id, vulnerability: 'CVE-2021-21315', component: comp(1).purl, status: 'under_investigation', decidedBy: 'psirt@acme', at: new Date('2026-11-20T09:00:00Z') });
      await store.decide(a.id, { releaseId: r.id, vulnerability: 'CVE-2021-21315', component: comp(1).purl, status: 'not_affected', justification: 'vulnerable_code_not_in_execute_path', decidedBy: 'lead@acme', at: new Date('2026-11-21T09:00:00Z') });
      const history = await store.decisions(a.id, r.id, 'CVE-2021-21315');
      assert.deepEqual(history.map((d) => [d.status, d.decidedBy]), [['under_investigation', 'psirt@acme'], ['not_affected', 'lead@acme']]);
      const sent = await store.recordReport(a.id, { releaseId: r.id, vulnerability: 'CVE-2021-21315', stage: 'early-warning', sentBy: 'psirt@acme', at: new Date('2026-11-20T20:00:00Z') });
      const twice = await store.recordReport(a.id, { releaseId: r.id, vulnerability: 'CVE-2021-21315', stage: 'early-warning', sentBy: 'someone', at: new Date('2026-11-22T20:00:00Z') });
      assert.deepEqual(twice, sent);
      assert.equal((await store.reports(a.id, r.id)).length, 1);
    } finally {
      await store.close();
    }
  });

  test(`${name}: stored findings keep when they were first seen; events are numbered per store and listed per team`, async (t) => {
    if (name === 'postgres' && !reachable) { t.skip(`PostgreSQL not reachable at ${PG_URL}`); return; }
    const store = await open();
    try {
      await store.migrate();
      const a = await store.createTeam('acme');
      const b = await store.createTeam('other');
      const p = await store.createProduct(a.id, `watch-${name}`);
      const r = await store.createRelease(a.id, { productId: p.id, version: '1.0.0', supportEnd: '2031-12', components: [comp(1)] });
      await store.createRelease(a.id, { productId: p.id, version: '0.1.0', supportEnd: '2020-01', components: [comp(2)] });
      const watched = await store.releasesToWatch('2026-11');
      assert.deepEqual(watched.filter((w) => w.productName === `watch-${name}`).map((w) => w.release.version), ['1.0.0'], 'a release past its support end is not watched');
      await store.saveFindings(a.id, r.id, [{ component: comp(1).purl, vulnerability: 'CVE-1', exploited: false, status: 'under_investigation' }], new Date('2026-11-01T00:00:00Z'));
      await store.saveFindings(a.id, r.id, [{ component: comp(1).purl, vulnerability: 'CVE-1', exploited: true, status: 'under_investigation' }, { component: comp(1).purl, vulnerability: 'CVE-2', exploited: false, status: 'affected' }], new Date('2026-11-02T00:00:00Z'));
      const stored = await store.storedFindings(a.id, r.id);
      assert.deepEqual(stored.map((f) => [f.vulnerability, f.exploited, f.firstSeen.slice(0, 10), f.lastSeen.slice(0, 10)]), [['CVE-1', true, '2026-11-01', '2026-11-02'], ['CVE-2', false, '2026-11-02', '2026-11-02']]);
      assert.deepEqual(await store.storedFindings(b.id, r.id), []);
      const e1 = await store.addEvent(a.id, r.id, 'finding.new', { vulnerability: 'CVE-2' }, new Date());
      const e2 = await store.addEvent(a.id, r.id, 'finding.exploited', { vulnerability: 'CVE-1' }, new Date());
      assert.ok(e2.seq > e1.seq);
      assert.deepEqual((await store.events(a.id, e1.seq, 10)).map((e) => e.kind), ['finding.exploited']);
      assert.deepEqual(await store.events(b.id, 0, 10), []);
    } finally {
      await store.close();
    }
  });

  test(`${name}: webhook deliveries are queued per event, due by time, and logged per attempt`, async (t) => {
    if (name === 'postgres' && !reachable) { t.skip(`PostgreSQL not reachable at ${PG_URL}`); return; }
    const store = await open();
    try {
      await store.migrate();
      const a = await store.createTeam('acme');
      const w = await store.addWebhook(a.id, 'https://hooks.example/a');
      const e = await store.addEvent(a.id, null, 'finding.new', { vulnerability: 'CVE-9' }, new Date('2026-11-20T00:00:00Z'));
      assert.equal(await store.queueDeliveries(e, new Date('2026-11-20T00:00:00Z')), 1);
      assert.equal(await store.queueDeliveries(e, new Date('2026-11-20T00:00:00Z')), 1, 'queued twice, kept once');
      const due = await store.dueDeliveries(new Date('2026-11-20T00:00:01Z'), 10);
      assert.equal(due.filter((d) => d.delivery.webhookId === w.id).length, 1);
      assert.equal(due.find((d) => d.delivery.webhookId === w.id)!.secret, w.secret);
      await store.recordAttempt({ webhookId: w.id, eventSeq: e.seq, ok: false, code: 503, error: 'HTTP 503', at: new Date('2026-11-20T00:00:01Z'), nextAt: new Date('2026-11-20T00:01:01Z') });
      assert.equal((await store.dueDeliveries(new Date('2026-11-20T00:00:30Z'), 10)).filter((d) => d.delivery.webhookId === w.id).length, 0);
      await store.recordAttempt({ webhookId: w.id, eventSeq: e.seq, ok: true, code: 200, error: null, at: new Date('2026-11-20T00:01:02Z'), nextAt: null });
      const [log] = await store.deliveries(a.id, w.id);
      assert.deepEqual([log!.status, log!.attempts, log!.lastCode], ['delivered', 2, 200]);
    } finally {
      await store.close();
    }
  });

  test(`${name}: the portfolio counts open vulnerabilities and the components they are in apart from findings`, async (t) => {
    if (name === 'postgres' && !reachable) { t.skip(`PostgreSQL not reachable at ${PG_URL}`); return; }
    const store = await open();
    try {
      await store.migrate();
      const a = await store.createTeam('acme');
      const p = await store.createProduct(a.id, `counts-${name}`);
      const r = await store.createRelease(a.id, { productId: p.id, version: '1.0.0', components: [comp(1), comp(2)] });
      // One advisory in two components (a GIT advisory on a repository that releases both) and one more, exploited.
      await store.saveFindings(a.id, r.id, [
        { component: comp(1).purl, vulnerability: 'GHSA-rclcpp', exploited: false, status: 'under_investigation' },
        { component: comp(2).purl, vulnerability: 'GHSA-rclcpp', exploited: false, status: 'under_investigation' },
        { component: comp(1).purl, vulnerability: 'CVE-8', exploited: true, status: 'affected' },
      ], new Date('2026-11-20T00:00:00Z'), []);
      const row = (await store.portfolio(a.id)).find((x) => x.release.id === r.id)!;
      assert.deepEqual([row.openFindings, row.openVulnerabilities, row.openComponents, row.openExploited, row.exploitedVulnerabilities], [3, 2, 2, 1, 1]);
    } finally {
      await store.close();
    }
  });

  test(`${name}: open exploited findings with their awareness and reports; a deadline notice is given once`, async (t) => {
    if (name === 'postgres' && !reachable) { t.skip(`PostgreSQL not reachable at ${PG_URL}`); return; }
    const store = await open();
    try {
      await store.migrate();
      const a = await store.createTeam('acme');
      const p = await store.createProduct(a.id, `deadline-${name}`);
      const r = await store.createRelease(a.id, { productId: p.id, version: '1.0.0', components: [comp(1)] });
      const cov = { components: 1, covered: 1, fresh: 0, dataDate: '2026-11-01T00:00:00Z', at: '2026-11-20T00:00:00.000Z' };
      await store.saveFindings(a.id, r.id, [{ component: comp(1).purl, vulnerability: 'CVE-7', exploited: true, status: 'affected' }], new Date('2026-11-20T00:00:00Z'), [], cov);
      await store.awareness(a.id, r.id, comp(1).purl, 'CVE-7', new Date('2026-11-20T00:00:00Z'));
      const row = (await store.portfolio(a.id)).find((x) => x.release.id === r.id)!;
      assert.deepEqual(row.coverage, cov, 'what the last re-match could check is kept with the release');
      assert.deepEqual([row.nextDeadline?.stage, row.nextDeadline?.due], ['early-warning', '2026-11-21T00:00:00.000Z'], 'due 24 hours after awareness (Art. 14(2)(a))');
      await store.recordReport(a.id, { releaseId: r.id, vulnerability: 'CVE-7', stage: 'early-warning', sentBy: 'psirt' });
      const open7 = (await store.exploitedOpen()).filter((f) => f.releaseId === r.id);
      assert.deepEqual(open7.map((f) => [f.vulnerability, f.awareAt.slice(0, 10), f.sent]), [['CVE-7', '2026-11-20', ['early-warning']]]);
      assert.equal(await store.noteDeadline(r.id, 'CVE-7', 'notification', 'soon', new Date()), true);
      assert.equal(await store.noteDeadline(r.id, 'CVE-7', 'notification', 'soon', new Date()), false);
    } finally {
      await store.close();
    }
  });
  test(`${name}: the assessment registry keeps an envelope once per team, by component; trusted keys are replaced by keyid`, async (t) => {
    if (name === 'postgres' && !reachable) { t.skip(`PostgreSQL not reachable at ${PG_URL}`); return; }
    const store = await open();
    try {
      await store.migrate();
      const a = await store.createTeam('acme');
      const b = await store.createTeam('other');
      const env = { payloadType: 'x', payload: 'eA==', signatures: [{ keyid: 'k', sig: 'cw==' }] };
      await store.putAssessment(a.id, 'sha256:1', 'pkg:npm/a', env);
      await store.putAssessment(a.id, 'sha256:1', 'pkg:npm/a', env);
      await store.putAssessment(a.id, 'sha256:2', 'pkg:npm/b', env);
      assert.deepEqual((await store.assessments(a.id)).map((x) => x.digest), ['sha256:1', 'sha256:2']);
      assert.deepEqual((await store.assessments(a.id, 'pkg:npm/b')).map((x) => [x.digest, x.envelope]), [['sha256:2', env]]);
      assert.equal((await store.assessments(b.id)).length, 0);
      const key = { keyid: 'k1', name: 'wg', publicKey: 'PEM', components: ['pkg:*'], uses: [], until: null, createdAt: new Date().toISOString() };
      await store.putSigningKey(a.id, key);
      assert.equal((await store.signingKeys(a.id))[0]!.until, null);
      await store.putSigningKey(a.id, { ...key, name: 'wg-renamed', uses: ['ros2-jazzy'], until: '2027-12-11T00:00:00Z' });
      assert.deepEqual((await store.signingKeys(a.id)).map((k) => [k.name, k.uses, k.until]), [['wg-renamed', ['ros2-jazzy'], '2027-12-11T00:00:00Z']]);
      assert.equal(await store.deleteSigningKey(b.id, 'k1'), false, 'another team cannot remove it');
      assert.equal(await store.deleteSigningKey(a.id, 'k1'), true);
      assert.equal((await store.signingKeys(a.id)).length, 0);
    } finally {
      await store.close();
    }
  });

  test(`${name}: tokens are listed without secrets, expire, note their last use, and a revoked one is refused by the next request (API too); product names conflict`, async (t) => {
    if (name === 'postgres' && !reachable) { t.skip(`PostgreSQL not reachable at ${PG_URL}`); return; }
    const store = await open();
    try {
      await store.migrate();
      const a = await store.createTeam('acme');
      const b = await store.createTeam('other');
      const ci = await store.createToken(a.id, 'editor', 'ci@acme');
      const lead = await store.createToken(a.id, 'admin', 'lead@acme', new Date('2099-01-01T00:00:00Z'));
      const other = await store.createToken(b.id, 'viewer', 'x@other');
      const at = new Date();
      assert.equal((await store.tokenOwner(ci.token, at))!.role, 'editor');
      const listed = (await store.tokens(a.id)).sort((x, y) => x.name.localeCompare(y.name));
      assert.deepEqual(listed.map((x) => [x.name, x.expiresAt, x.revokedAt]), [['ci@acme', null, null], ['lead@acme', '2099-01-01T00:00:00.000Z', null]]);
      assert.equal(listed[0]!.lastUsedAt, at.toISOString());
      assert.ok(!JSON.stringify(listed).includes(ci.token));
      assert.equal(await store.tokenOwner(lead.token, new Date('2099-01-01T00:00:01Z')), undefined, 'expired');
      assert.equal(await store.revokeToken(ci.id, b.id), false, 'another team cannot revoke it');
      const app = await buildServer(store);
      const get = (token: string) => app.inject({ method: 'GET', url: '/api/v1/products', headers: { authorization: `Bearer ${token}` } });
      assert.equal((await get(ci.token)).statusCode, 200);
      assert.equal((await app.inject({ method: 'DELETE', url: `/api/v1/tokens/${ci.id}`, headers: { authorization: `Bearer ${lead.token}` } })).statusCode, 204);
      assert.equal((await get(ci.token)).statusCode, 401, 'refused at once');
      assert.equal(await store.tokenOwner(ci.token), undefined);
      assert.ok((await store.tokens(a.id)).find((x) => x.id === ci.id)!.revokedAt);
      assert.equal(await store.revokeToken(other.id), true, 'the CLI revokes any team\'s token by id');
      assert.equal((await get(other.token)).statusCode, 401);
      await app.close();
      await store.createProduct(a.id, `dup-${name}`);
      await assert.rejects(store.createProduct(a.id, `dup-${name}`), Conflict);
      const racing = await Promise.allSettled(Array.from({ length: 4 }, () => store.createProduct(a.id, `race-${name}`)));
      assert.deepEqual(racing.map((r) => r.status).sort(), ['fulfilled', 'rejected', 'rejected', 'rejected']);
      assert.ok(racing.every((r) => r.status === 'fulfilled' || r.reason instanceof Conflict));
      await store.createProduct(b.id, `dup-${name}`); // another team may use the name
    } finally {
      await store.close();
    }
  });

  test(`${name}: a push lands in one transaction: the same content again is recognised, concurrent pushes place one release, other content conflicts`, async (t) => {
    if (name === 'postgres' && !reachable) { t.skip(`PostgreSQL not reachable at ${PG_URL}`); return; }
    const store = await open();
    try {
      await store.migrate();
      const a = await store.createTeam('acme');
      const components = Array.from({ length: 1200 }, (_, i) => comp(i));
      const push = { product: `pushed-${name}`, version: '3.0.0', supportEnd: '2031-12', facts: null, components, dossier: { dossier: { digest: 'd1' }, digest: 'd1' } };
      const racing = await Promise.all(Array.from({ length: 5 }, () => store.placeRelease(a.id, push, 'ci')));
      assert.deepEqual(racing.map((r) => r.outcome).sort(), ['created', 'unchanged', 'unchanged', 'unchanged', 'unchanged']);
      assert.equal(new Set(racing.map((r) => r.release.id)).size, 1);
      assert.equal((await store.products(a.id)).filter((p) => p.name === push.product).length, 1);
      const id = racing[0]!.release.id;
      assert.equal((await store.components(a.id, id)).length, 1200);
      assert.equal((await store.placeRelease(a.id, { ...push, components: [...components].reverse() }, 'ci')).outcome, 'unchanged', 'the order of components does not matter');
      await assert.rejects(store.placeRelease(a.id, { ...push, components: components.slice(1) }, 'ci'), Conflict);
      // A failure halfway (a purl twice) leaves neither the release nor a product made for it.
      await assert.rejects(store.placeRelease(a.id, { ...push, product: `half-${name}`, components: [...components, comp(3)] }, 'ci'));
      assert.ok(!(await store.products(a.id)).some((p) => p.name === `half-${name}`));
    } finally {
      await store.close();
    }
  });
}
