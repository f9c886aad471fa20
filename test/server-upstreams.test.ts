// marque.yaml inventory.upstreams on the team server: "marque push" sends the declarations with the release's
// facts, and the server matches its vendor packages as "marque vulns" does (the same findings, through the same
// upstream, and the same coverage), on both stores. A release an older client pushed without them keeps the gap
// that names inventory.upstreams until a newer client pushes the same release with them (completed, matched
// again); an older client cannot silently take them away (409); an advisory on the upstream imported later
// reaches the release through the package → releases index; facts recorded without them (PATCH) undo them.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT } from './helpers/paths.ts';
import { PG_URL, storeAdapters } from './helpers/postgres.ts';
import { buildServer } from '../src/server/app.ts';
import { AdvisoryDb } from '../src/advisories/store.ts';
import { matchChanges, matchPending, MATCHER_VERSION, monthOf } from '../src/server/rematch.ts';
import { productRequest } from '../src/api/request.ts';
import { buildInventory } from '../src/api/inventory.ts';
import { renderSbom } from '../src/api/sbom.ts';
import { pushRelease, releaseFacts } from '../src/api/push.ts';

const { reachable, adapters: ADAPTERS } = await storeAdapters();

const BIN = join(ROOT, 'bin/marque.js');
// Run without blocking: the server under test answers in this process.
const marque = (args: string[], env: Record<string, string> = {}) => new Promise<{ code: number | null; out: string; err: string }>((resolve) => {
  execFile(process.execPath, [BIN, ...args], { encoding: 'utf8', env: { ...process.env, ...env }, maxBuffer: 64 * 1024 * 1024 }, (e, out, err) => resolve({ code: e ? (typeof e.code === 'number' ? e.code : 1) : 0, out, err }));
});

// A ROS 2 product whose package depends on yaml_cpp_vendor (a released ROS package that builds yaml-cpp) and
// rclcpp; marque.yaml declares the yaml-cpp it builds.
const dir = mkdtempSync(join(tmpdir(), 'marque-upstreams-'));
mkdirSync(join(dir, 'src/robot'), { recursive: true });
writeFileSync(join(dir, 'src/robot/package.xml'), '<?xml version="1.0"?>\n<package format="3"><name>robot</name><version>1.0.0</version><description>d</description><maintainer email="m@example.com">M</maintainer><license>MIT</license><exec_depend>yaml_cpp_vendor</exec_depend><exec_depend>rclcpp</exec_depend></package>\n');
writeFileSync(join(dir, 'marque.yaml'), `product:
  name: robot
  version: 1.0.0
  manufacturer:
    name: Example Robotics
inventory:
  platform: ubuntu:noble
  rosdistro: jazzy
  upstreams:
    - component: yaml_cpp_vendor
      upstream: pkg:github/jbeder/yaml-cpp@0.8.0
`);
const YAML_CPP_VENDOR = 'pkg:deb/ubuntu/ros-jazzy-yaml-cpp-vendor@9.0.1-1?distro=ubuntu-24.04';

// GIT advisories (test records, fresh), vouched for as complete: on yaml-cpp 0.8.0 and on rclcpp.
const modified = new Date(Date.now() - 3600_000).toISOString().replace(/\.\d+Z$/, 'Z');
const record = (id: string, repo: string, versions: string[]) => JSON.stringify({
  schema_version: '1.6.0', id, modified, published: modified, summary: `Test record on ${repo} (not a real vulnerability)`,
  affected: [{ ranges: [{ type: 'GIT', repo, events: [{ introduced: '0' }] }], versions }],
});
function advisories(): string {
  const osv = mkdtempSync(join(tmpdir(), 'marque-upstreams-osv-'));
  writeFileSync(join(osv, 'MARQUE-TEST-GIT-YAMLCPP.json'), record('MARQUE-TEST-GIT-YAMLCPP', 'https://github.com/jbeder/yaml-cpp', ['0.8.0']));
  writeFileSync(join(osv, 'MARQUE-TEST-GIT-RCLCPP.json'), record('MARQUE-TEST-GIT-RCLCPP', 'https://github.com/ros2/rclcpp', ['28.1.21']));
  return osv;
}

interface Found { component: string; advisory: string; via?: string }
interface Cov { components: number; covered: number; coveredFresh: number; uncovered: string[]; gaps: { component: string; reason: string }[]; complete: boolean }
const key = (f: Found) => `${f.component} ${f.advisory} ${f.via ?? ''}`;
const coverageOf = (c: Cov) => ({ components: c.components, covered: c.covered, coveredFresh: c.coveredFresh, uncovered: [...c.uncovered].sort(), gaps: c.gaps.map((g) => `${g.component}: ${g.reason}`).sort(), complete: c.complete });

for (const [name, open] of ADAPTERS) {
  test(`${name}: a vendor package with its declared upstream is matched by the server as "marque vulns" matches it`, async (t) => {
    if (name === 'postgres' && !reachable) { t.skip(`PostgreSQL not reachable at ${PG_URL}`); return; }
    const osv = advisories();
    const dbPath = join(mkdtempSync(join(tmpdir(), 'marque-upstreams-db-')), 'advisories.sqlite');
    const imported = await marque(['db', 'import', '--complete', 'GIT', osv, '--db', dbPath]);
    assert.equal(imported.code, 0, imported.err);
    // The command line's answer: the vendor package carries yaml-cpp's advisory, through the upstream declared.
    const cli = await marque(['vulns', dir, '--db', dbPath, '--json']);
    assert.equal(cli.code, 0, cli.err);
    const local = JSON.parse(cli.out) as { findings: Found[]; coverage: Cov };
    assert.deepEqual(local.findings.map(key).sort(), [
      `pkg:deb/ubuntu/ros-jazzy-rclcpp@28.1.21-1?distro=ubuntu-24.04 MARQUE-TEST-GIT-RCLCPP `,
      `${YAML_CPP_VENDOR} MARQUE-TEST-GIT-YAMLCPP pkg:github/jbeder/yaml-cpp@0.8.0`,
    ]);
    assert.ok(!local.coverage.gaps.some((g) => g.component === YAML_CPP_VENDOR), 'the vendor package is checked, with its upstream');

    const store = await open();
    const db = AdvisoryDb.openForRead(dbPath)!;
    const app = await buildServer(store, { advisoryDb: dbPath });
    try {
      await store.migrate();
      const team = await store.createTeam('acme');
      const token = (await store.createToken(team.id, 'editor', 'ci')).token;
      const server = (await app.listen({ port: 0, host: '127.0.0.1' })).replace('localhost', '127.0.0.1');
      const get = async (path: string) => (await fetch(`${server}/api/v1${path}`, { headers: { authorization: `Bearer ${token}` } })).json();

      // An older client: the same request, its facts without the declarations. Accepted; the vendor package is the
      // gap the command line names when marque.yaml declares nothing.
      const pr = await productRequest(dir, {});
      const inv = await buildInventory(pr.request);
      const facts = releaseFacts(pr.manifest!);
      assert.deepEqual(facts.upstreams, [{ component: 'yaml_cpp_vendor', upstream: 'pkg:github/jbeder/yaml-cpp@0.8.0' }]);
      const { upstreams: _, ...olderFacts } = facts;
      const older = { server, token, product: 'robot', version: '1.0.0', sbom: renderSbom(inv, 'cyclonedx', pr.product), facts: olderFacts };
      const placed = await pushRelease(older);
      assert.equal(placed.outcome, 'created');
      const releaseId = placed.release.id;
      assert.equal((await matchPending(store, db, () => new Date())).releases, 1);
      const before = await get(`/releases/${releaseId}/findings`) as { findings: Found[]; coverage: Cov };
      assert.deepEqual(before.findings.map((f) => f.advisory), ['MARQUE-TEST-GIT-RCLCPP']);
      assert.match(before.coverage.gaps.find((g) => g.component === YAML_CPP_VENDOR)!.reason, /it builds yaml-cpp, whose version Marque cannot know: declare it in marque\.yaml \(inventory\.upstreams\)/);
      assert.deepEqual((await store.storedFindings(team.id, releaseId)).map((f) => f.vulnerability), ['MARQUE-TEST-GIT-RCLCPP']);

      // "marque push" now: the same release completed with the declarations, and matched again in full.
      const pushed = await marque(['push', dir, '--server', server, '--db', dbPath, '--json'], { MARQUE_TOKEN: token });
      assert.equal(pushed.code, 0, pushed.err);
      const out = JSON.parse(pushed.out) as { id: string; outcome: string; facts: { upstreams?: unknown } };
      assert.equal(out.id, releaseId);
      assert.equal(out.outcome, 'completed');
      assert.deepEqual(out.facts.upstreams, facts.upstreams, 'kept with the release\'s facts, and shown with it');
      assert.deepEqual(await store.pendingReleaseIds(MATCHER_VERSION, monthOf(new Date())), [releaseId], 'pending a full match with its declarations');
      assert.equal((await matchPending(store, db, () => new Date())).releases, 1);

      // The server's findings now (at request time, and as its match stored them) and coverage are the command line's.
      const now = await get(`/releases/${releaseId}/findings`) as { findings: Found[]; coverage: Cov };
      assert.deepEqual(now.findings.map(key).sort(), local.findings.map(key).sort(), 'the same findings, through the same upstream');
      assert.deepEqual(coverageOf(now.coverage), coverageOf(local.coverage), 'the same coverage');
      const stored = await store.storedFindings(team.id, releaseId);
      assert.deepEqual(stored.map((f) => `${f.component} ${f.vulnerability}`).sort(), local.findings.map((f) => `${f.component} ${f.advisory}`).sort());
      const row = (await store.portfolio(team.id)).find((r) => r.release.id === releaseId)!;
      assert.equal(row.coverage!.covered, local.coverage.covered);
      assert.equal(row.coverage!.components, local.coverage.components);

      // Pushed again: the same content. By the older client: refused, saying why, rather than the declarations dropped.
      assert.equal((await marque(['push', dir, '--server', server, '--db', dbPath, '--json'], { MARQUE_TOKEN: token })).out.includes('"outcome": "unchanged"'), true);
      await assert.rejects(pushRelease(older), /HTTP 409: robot 1\.0\.0 is already on the market with other upstream declarations \(marque\.yaml inventory\.upstreams: this push declares none, as a client older than them does\)/);

      // An advisory on yaml-cpp imported later reaches the release through the package → releases index (the
      // upstream's repository), as a change of the data, not a full match.
      await matchChanges(store, db, () => new Date());
      await matchPending(store, db, () => new Date());
      writeFileSync(join(osv, 'MARQUE-TEST-GIT-YAMLCPP-2.json'), record('MARQUE-TEST-GIT-YAMLCPP-2', 'https://github.com/jbeder/yaml-cpp', ['0.8.0']));
      assert.equal((await marque(['db', 'import', '--complete', 'GIT', osv, '--db', dbPath])).code, 0);
      db.close();
      const fresh = AdvisoryDb.openForRead(dbPath)!;
      try {
        const changed = await matchChanges(store, fresh, () => new Date());
        assert.equal(changed.releases, 1);
        assert.deepEqual(changed.events.map((e) => [e.kind, e.payload['vulnerability']]), [['finding.new', 'MARQUE-TEST-GIT-YAMLCPP-2']]);
      } finally {
        fresh.close();
      }

      // Facts recorded without the declarations (PATCH): the vendor package is a gap again, and matched anew.
      const { upstreams: _u, ...plain } = out.facts as typeof facts;
      const patched = await fetch(`${server}/api/v1/releases/${releaseId}`, { method: 'PATCH', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify({ facts: plain }) });
      assert.equal(patched.status, 200, await patched.text());
      assert.deepEqual(await store.pendingReleaseIds(MATCHER_VERSION, monthOf(new Date())), [releaseId]);
      const undone = await get(`/releases/${releaseId}/findings`) as { findings: Found[]; coverage: Cov };
      assert.deepEqual(undone.findings.map((f) => f.advisory), ['MARQUE-TEST-GIT-RCLCPP']);
    } finally {
      await app.close();
      await store.close();
    }
  });
}

test('the OpenAPI document states the upstream declarations a release\'s facts may carry', async () => {
  const { portfolioStore } = await import('../src/server/store/portfolio.ts');
  const { sqliteSql } = await import('../src/server/store/sqlite.ts');
  const store = portfolioStore(sqliteSql(':memory:'));
  await store.migrate();
  const app = await buildServer(store);
  try {
    const doc = (await app.inject({ method: 'GET', url: '/api/v1/openapi.json' })).json();
    const facts = JSON.stringify(doc.components.schemas);
    assert.match(facts, /"upstreams":\{"type":"array","maxItems":1000/);
    // A field the schema does not know is still refused (400), as every other.
    const team = await store.createTeam('acme');
    const token = (await store.createToken(team.id, 'editor', 'ci')).token;
    const sbom = { bomFormat: 'CycloneDX', specVersion: '1.6', version: 1, metadata: { component: { type: 'application', name: 'robot', version: '1.0.0' } }, components: [] };
    const bad = await app.inject({ method: 'POST', url: '/api/v1/releases', headers: { authorization: `Bearer ${token}` }, payload: { product: 'robot', sbom, facts: { class: null, categories: [], conformityRoutes: [], manufacturer: null, contact: null, mainEstablishment: null, memberStates: [], upstreams: [{ component: 'x' }] } } });
    assert.equal(bad.statusCode, 400, bad.body);
  } finally {
    await app.close();
    await store.close();
  }
});
