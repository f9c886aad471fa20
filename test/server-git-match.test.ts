// GIT advisories on the team server: a release pushed with the SBOM Marque writes keeps what they are
// matched by (each component's vcs reference, a released ROS package's repository and upstream release),
// so the server finds what the local "vulns" finds; on both adapters. A release stored before those were
// kept stays matched as it was: its repository-sourced components are gaps of coverage.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FIXTURES, ROOT } from './helpers/paths.ts';
import { buildInventory } from '../src/api/inventory.ts';
import { renderSbom } from '../src/api/sbom.ts';
import { ingestSbom } from '../src/api/ingest.ts';
import { findVulnerabilities } from '../src/api/vulns.ts';
import { AdvisoryDb } from '../src/advisories/store.ts';
import { matchRelease, monthOf } from '../src/server/rematch.ts';
import { packagesOf } from '../src/advisories/changes.ts';
import { PG_URL, storeAdapters } from './helpers/postgres.ts';

const { reachable, adapters: ADAPTERS } = await storeAdapters();

const NOW = new Date('2026-12-01T00:00:00Z');
const product = { name: 'realsense-ros', version: '4.55.1' };
// The GIT record on ros2/rclcpp (test/fixtures/osv-counts), imported as "db import" does, vouched for as
// complete so that coverage counts the components it checks.
const dbPath = join(mkdtempSync(join(tmpdir(), 'marque-gitmatch-')), 'advisories.sqlite');
const imported = spawnSync(process.execPath, [join(ROOT, 'bin/marque.js'), 'db', 'import', '--complete', 'GIT', join(FIXTURES, 'osv-counts'), '--db', dbPath], { encoding: 'utf8' });
assert.equal(imported.status, 0, imported.stderr);
// A second source with another data date: the portfolio's "data as of" is the older one, as the dossier's.
const kev = spawnSync(process.execPath, [join(ROOT, 'bin/marque.js'), 'db', 'import', join(FIXTURES, 'kev/known_exploited_vulnerabilities.json'), '--db', dbPath], { encoding: 'utf8' });
assert.equal(kev.status, 0, kev.stderr);
const inv = await buildInventory({ target: join(FIXTURES, 'realsense-ros') });
const sbom = renderSbom(inv, 'cyclonedx', product) as Record<string, unknown>;
const key = (f: { component: string; vulnerability?: string; advisory?: string }) => `${f.component} ${f.vulnerability ?? f.advisory}`;

for (const [name, open] of ADAPTERS) {
  test(`${name}: a pushed ROS release is matched against GIT advisories as the local run matches it`, async (t) => {
    if (name === 'postgres' && !reachable) { t.skip(`PostgreSQL not reachable at ${PG_URL}`); return; }
    const db = AdvisoryDb.openForRead(dbPath)!;
    const store = await open();
    try {
      await store.migrate();
      const local = findVulnerabilities({ unlisted: undefined, components: inv.components, db, product, now: NOW });
      assert.equal(local.findings.length, 2, 'rclcpp and rclcpp_components');
      const team = await store.createTeam('acme');
      const { release } = await store.placeRelease(team.id, { product: product.name, version: product.version, components: ingestSbom(sbom, 'sbom').components }, 'ci');
      const stored = await store.components(team.id, release.id);
      const rclcpp = stored.find((c) => c.properties?.['ros:package'] === 'rclcpp')!;
      // The repository from the SBOM's vcs reference, the release (its tag) from the ros:upstream-version property.
      assert.equal(rclcpp.vcsUrl, 'https://github.com/ros2/rclcpp.git');
      assert.equal(rclcpp.properties!['ros:upstream-version'], '28.1.21');
      // The incremental re-match finds the release by the advisory's repository (the package → releases index).
      const holding = await store.releasesHolding([...packagesOf(db, ['MARQUE-TEST-GIT-RCLCPP'])], monthOf(NOW));
      assert.ok(holding.some((h) => h.releaseId === release.id), 'indexed by the rclcpp repository');
      await matchRelease(store, db, { teamId: team.id, release, productName: product.name }, NOW, { full: true });
      const found = await store.storedFindings(team.id, release.id);
      assert.deepEqual(found.map(key).sort(), local.findings.map(key).sort(), 'the same findings, by component and id');
      const row = (await store.portfolio(team.id)).find((x) => x.release.id === release.id)!;
      assert.equal(row.coverage!.covered, local.coverage.covered, 'the repository-sourced components are checked, not gaps');
      assert.equal(local.coverage.covered, 16);
      const dates = db.sources().map((s) => s.dataDate!).sort();
      assert.ok(dates.length === 2 && dates[0] !== dates[1], dates.join());
      assert.equal(row.coverage!.dataDate, dates[0], 'data as of the oldest source');

      // A release stored before the repository fields were kept: no GIT finding, its components reported as gaps.
      const before = await store.createRelease(team.id, { productId: release.productId, version: '4.54.0', components: stored.map(({ vcsUrl: _v, properties: _p, ...c }) => c) });
      await matchRelease(store, db, { teamId: team.id, release: before, productName: product.name }, NOW, { full: true });
      assert.deepEqual(await store.storedFindings(team.id, before.id), []);
      const old = (await store.portfolio(team.id)).find((x) => x.release.id === before.id)!;
      assert.equal(old.coverage!.covered, 0, 'nothing to match GIT advisories by');
    } finally {
      await store.close();
      db.close();
    }
  });
}
