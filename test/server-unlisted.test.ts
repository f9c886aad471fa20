// What an inventory names without listing it as a component (a requirement with no resolvable version,
// requests==2.32.*; a lockfile Marque cannot read) keeps coverage from being complete on the command line
// (3ac41fc). "marque push" sends it beside the SBOM, the server keeps it with the release and counts it as "marque
// vulns" does: the findings page, the stored match and the portfolio say the same, on both stores. A release an
// older client pushed (the SBOM's marque:notAnalysed marks only) is completed by the same content with the names,
// and matched again; an older client cannot take them away, nor another set replace them (409). A release uploaded
// as an SBOM alone counts the SBOM's marque:unresolved and marque:notAnalysed marks: the same coverage as the push.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT } from './helpers/paths.ts';
import { PG_URL, storeAdapters } from './helpers/postgres.ts';
import { buildServer } from '../src/server/app.ts';
import { AdvisoryDb } from '../src/advisories/store.ts';
import { matchPending, MATCHER_VERSION, monthOf } from '../src/server/rematch.ts';
import { productRequest } from '../src/api/request.ts';
import { buildInventory } from '../src/api/inventory.ts';
import { renderSbom } from '../src/api/sbom.ts';
import { pushRelease, releaseFacts, releaseUnlisted } from '../src/api/push.ts';
import { ingestSbom } from '../src/api/ingest.ts';

const { reachable, adapters: ADAPTERS } = await storeAdapters();

const BIN = join(ROOT, 'bin/marque.js');
const marque = (args: string[], env: Record<string, string> = {}) => new Promise<{ code: number | null; out: string; err: string }>((resolve) => {
  execFile(process.execPath, [BIN, ...args], { encoding: 'utf8', env: { ...process.env, ...env }, maxBuffer: 64 * 1024 * 1024 }, (e, out, err) => resolve({ code: e ? (typeof e.code === 'number' ? e.code : 1) : 0, out, err }));
});

// A Python tool: flask pinned, requests with no version Marque can resolve, and a SwiftPM lockfile it cannot read.
const dir = mkdtempSync(join(tmpdir(), 'marque-unlisted-'));
writeFileSync(join(dir, 'marque.yaml'), 'product:\n  name: tool\n  version: "1.0"\n');
writeFileSync(join(dir, 'requirements.txt'), 'flask==3.0.0\nrequests==2.32.*\n');
writeFileSync(join(dir, 'Package.resolved'), '{"pins": [], "version": 2}\n');

// One fresh PyPI record, the data vouched for as complete: every listed component is checked.
const osv = mkdtempSync(join(tmpdir(), 'marque-unlisted-osv-'));
writeFileSync(join(osv, 'PYSEC-2099-3.json'), JSON.stringify({ id: 'PYSEC-2099-3', modified: new Date().toISOString(), affected: [{ package: { ecosystem: 'PyPI', name: 'requests' }, ranges: [{ type: 'ECOSYSTEM', events: [{ introduced: '0' }, { fixed: '9.0' }] }] }] }));

interface Cov { components: number; coveredFresh: number; complete: boolean; unlisted?: { unresolved: number; notAnalysed: number; examples: string[] } }
const UNLISTED = { unresolved: 1, notAnalysed: 1, examples: ['requests (requirements.txt:2)', 'Package.resolved (Package.resolved, not read)'] };

/** The SBOM an older client wrote: without the marque:unresolved marks (only its marque:notAnalysed ones). */
function withoutUnresolvedMarks(bom: Record<string, unknown>): Record<string, unknown> {
  const copy = structuredClone(bom) as { metadata: { component: { properties?: { name: string }[] } }; components?: { properties?: { name: string }[] }[] };
  for (const c of [copy.metadata.component, ...(copy.components ?? [])]) if (c.properties) c.properties = c.properties.filter((p) => p.name !== 'marque:unresolved');
  return copy as unknown as Record<string, unknown>;
}

test('the SBOM\'s marque:unresolved and marque:notAnalysed marks are read back (CycloneDX and SPDX 2) as "marque push" sends them, and releaseUnlisted is absent when the inventory names nothing unlisted', async () => {
  const pr = await productRequest(dir, {});
  const inv = await buildInventory(pr.request);
  const pushed = releaseUnlisted(inv)!;
  assert.deepEqual(pushed, { unresolved: [{ key: 'requests', file: 'requirements.txt', line: 2, from: pushed.unresolved[0]!.from }], notAnalysed: [{ file: 'Package.resolved', format: 'Package.resolved' }] });
  assert.ok(pushed.unresolved[0]!.from, 'declared by the project');
  for (const format of ['cyclonedx', 'spdx'] as const) assert.deepEqual(ingestSbom(renderSbom(inv, format, pr.product)).unlisted, pushed, format);
  assert.deepEqual(ingestSbom(withoutUnresolvedMarks(renderSbom(inv, 'cyclonedx', pr.product))).unlisted, { unresolved: [], notAnalysed: [{ file: 'Package.resolved', format: 'Package.resolved' }] }, 'an older client\'s SBOM: the lockfiles only');
  assert.equal(ingestSbom(renderSbom({ ...inv, notAnalysed: [], unresolved: [] }, 'cyclonedx', pr.product)).unlisted, undefined);
  assert.deepEqual(releaseUnlisted(inv)?.unresolved.map((u) => u.key), ['requests']);
  assert.equal(releaseUnlisted({ unresolved: [], notAnalysed: [] }), undefined);
});

for (const [name, open] of ADAPTERS) {
  test(`${name}: the server's coverage counts what the inventory names without listing it, as "marque vulns" does`, async (t) => {
    if (name === 'postgres' && !reachable) { t.skip(`PostgreSQL not reachable at ${PG_URL}`); return; }
    const dbPath = join(mkdtempSync(join(tmpdir(), 'marque-unlisted-db-')), 'advisories.sqlite');
    const imported = await marque(['db', 'import', '--complete', 'PyPI', osv, '--db', dbPath]);
    assert.equal(imported.code, 0, imported.err);
    const cli = await marque(['vulns', dir, '--db', dbPath, '--json']);
    const local = JSON.parse(cli.out) as { coverage: Cov };
    assert.deepEqual([local.coverage.coveredFresh, local.coverage.components, local.coverage.complete], [1, 1, false]);
    assert.deepEqual(local.coverage.unlisted, UNLISTED);
    // "marque vulns bom.json" of the SBOM "marque sbom" writes: the same coverage, from the SBOM's marks.
    const bomFile = join(mkdtempSync(join(tmpdir(), 'marque-unlisted-bom-')), 'tool.cdx.json');
    const written = await marque(['sbom', dir, '-o', bomFile]);
    assert.equal(written.code, 0, written.err);
    const fromBom = JSON.parse((await marque(['vulns', bomFile, '--db', dbPath, '--json'])).out) as { coverage: Cov };
    assert.deepEqual([fromBom.coverage.complete, fromBom.coverage.unlisted], [false, UNLISTED]);

    const store = await open();
    const db = AdvisoryDb.openForRead(dbPath)!;
    const app = await buildServer(store, { advisoryDb: dbPath });
    try {
      await store.migrate();
      const team = await store.createTeam('acme');
      const token = (await store.createToken(team.id, 'editor', 'ci')).token;
      const server = (await app.listen({ port: 0, host: '127.0.0.1' })).replace('localhost', '127.0.0.1');
      const get = async (path: string) => (await fetch(`${server}/api/v1${path}`, { headers: { authorization: `Bearer ${token}` } })).json();

      // An older client: its SBOM (the marque:notAnalysed marks, no marque:unresolved ones) and facts, no names beside
      // them. The SBOM's marque:notAnalysed mark counts.
      const pr = await productRequest(dir, {});
      const inv = await buildInventory(pr.request);
      const older = { server, token, product: 'tool', version: '1.0', sbom: withoutUnresolvedMarks(renderSbom(inv, 'cyclonedx', pr.product)), facts: releaseFacts(pr.manifest!) };
      const placed = await pushRelease(older);
      assert.equal(placed.outcome, 'created');
      const releaseId = placed.release.id;
      assert.deepEqual(placed.release.unlisted, { unresolved: [], notAnalysed: [{ file: 'Package.resolved', format: 'Package.resolved' }] });
      assert.equal((await matchPending(store, db, () => new Date())).releases, 1);
      const before = await get(`/releases/${releaseId}/findings`) as { coverage: Cov; statement: string };
      assert.equal(before.coverage.complete, false);
      assert.deepEqual(before.coverage.unlisted, { unresolved: 0, notAnalysed: 1, examples: ['Package.resolved (Package.resolved, not read)'] });

      // "marque push" now: the same release completed with what its inventory names unlisted, and matched again.
      const pushed = await marque(['push', dir, '--server', server, '--db', dbPath, '--json'], { MARQUE_TOKEN: token });
      assert.equal(pushed.code, 0, pushed.err);
      const out = JSON.parse(pushed.out) as { id: string; outcome: string; unlisted?: { unresolved: { key: string }[] } };
      assert.deepEqual([out.id, out.outcome], [releaseId, 'completed']);
      assert.deepEqual(out.unlisted?.unresolved.map((u) => u.key), ['requests']);
      assert.deepEqual(await store.pendingReleaseIds(MATCHER_VERSION, monthOf(new Date())), [releaseId], 'pending a full match');
      assert.equal((await matchPending(store, db, () => new Date())).releases, 1);

      // The findings page, the stored match (the portfolio) and the command line: the same coverage.
      const now = await get(`/releases/${releaseId}/findings`) as { coverage: Cov; statement: string };
      assert.deepEqual([now.coverage.coveredFresh, now.coverage.components, now.coverage.complete], [1, 1, false]);
      assert.deepEqual(now.coverage.unlisted, local.coverage.unlisted);
      assert.match(now.statement, /1 dependency that would ship could not be resolved to a version and 1 lockfile was not read, so what they name was not checked \(requests \(requirements\.txt:2\), Package\.resolved \(Package\.resolved, not read\)\)/);
      const row = (await store.portfolio(team.id)).find((r) => r.release.id === releaseId)!;
      assert.deepEqual(row.coverage!.unlisted, local.coverage.unlisted);

      // The same push again: unchanged. An older client's (no names): refused, saying why, rather than the names dropped.
      assert.match((await marque(['push', dir, '--server', server, '--db', dbPath, '--json'], { MARQUE_TOKEN: token })).out, /"outcome": "unchanged"/);
      await assert.rejects(pushRelease(older), /HTTP 409: tool 1\.0 is already on the market with other names it does not list as components \(unresolved dependencies: this push names none, as a client older than them does\)/);
      // Another set for the same components is another product: refused too.
      const other = releaseUnlisted({ ...inv, unresolved: [{ ...inv.unresolved[0]!, key: 'urllib3' }] });
      await assert.rejects(pushRelease({ ...older, unlisted: other }), /HTTP 409: .*\(unresolved dependencies: these differ from the kept ones\)/);

      // An SBOM uploaded alone: its marque:unresolved and marque:notAnalysed marks are what the server knows of it, and
      // give the coverage "marque vulns" and the push give. An older client's SBOM (no marque:unresolved marks): the lockfile only.
      const product = (await get('/products') as { id: string; name: string }[]).find((p) => p.name === 'tool')!;
      const upload = async (version: string, sbom: Record<string, unknown>) => {
        const bare = await fetch(`${server}/api/v1/products/${product.id}/releases?version=${version}`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify(sbom) });
        assert.equal(bare.status, 201, await bare.clone().text());
        return (await get(`/releases/${(await bare.json() as { id: string }).id}/findings`) as { coverage: Cov }).coverage;
      };
      const bareCov = await upload('2.0', renderSbom(inv, 'cyclonedx', pr.product));
      assert.deepEqual([bareCov.coveredFresh, bareCov.components, bareCov.complete, bareCov.unlisted], [1, 1, false, local.coverage.unlisted]);
      const olderCov = await upload('2.1', older.sbom);
      assert.deepEqual([olderCov.complete, olderCov.unlisted], [false, { unresolved: 0, notAnalysed: 1, examples: ['Package.resolved (Package.resolved, not read)'] }]);
    } finally {
      db.close();
      await app.close();
      await store.close();
    }
  });
}

test('a server older than the client (its push body knows no unlisted) is named, not ignored', async () => {
  const fetchImpl = (async () => new Response(JSON.stringify({ status: 400, title: 'Bad Request', detail: 'body must NOT have additional properties' }), { status: 400 })) as typeof fetch;
  await assert.rejects(pushRelease({ server: 'http://127.0.0.1:1', token: 't', product: 'p', version: '1', sbom: {}, unlisted: { unresolved: [{ key: 'requests', file: 'requirements.txt' }], notAnalysed: [] }, fetchImpl }),
    /the server is older than this client and does not take what the inventory names without listing it/);
});

test('the kept lists do not depend on their order: an SBOM groups unresolved names by the component that declared each, a push keeps the inventory\'s order, and the same content is the same release', async () => {
  const { contentDigest } = await import('../src/server/store/place-release.ts');
  const a = { key: 'requests', package: 'tool', file: 'requirements.txt', line: 2, from: 'pkg:pypi/tool@1.0', reason: 'not pinned' };
  const b = { key: 'courier_cert_pinning', package: 'fleet', file: 'src/fleet/package.xml', line: 17, kind: 'exec', from: 'pkg:ros/fleet@1.0', reason: 'no package' };
  const base = { components: [], facts: null };
  const one = contentDigest({ ...base, unlisted: { unresolved: [a, b], notAnalysed: [{ file: 'Package.resolved', format: 'Package.resolved' }] } } as never);
  const other = contentDigest({ ...base, unlisted: { unresolved: [b, a], notAnalysed: [{ file: 'Package.resolved', format: 'Package.resolved' }] } } as never);
  assert.equal(one, other);
  assert.notEqual(one, contentDigest({ ...base, unlisted: { unresolved: [a], notAnalysed: [] } } as never), 'another set is another content');
});
