// bench/server: the team server's API in process (Fastify inject, embedded store): upload of a
// 5,000-component CycloneDX SBOM as a release (issue 13: < 2 s), and a re-match of N releases of M
// components against a synthetic advisory database (issue 13: 1,000 × 2,000 in < 60 s).
// Usage: node bench/server.ts [--components N] [--releases N] [--release-components N]
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { buildServer } from '../src/server/app.ts';
import { portfolioStore } from '../src/server/store/portfolio.ts';
import { sqliteSql } from '../src/server/store/sqlite.ts';
import { importAdvisories } from '../src/api/advisories.ts';
import { AdvisoryDb } from '../src/advisories/store.ts';
import { rematch } from '../src/server/rematch.ts';
import { writeFileSync, mkdirSync } from 'node:fs';

const { values } = parseArgs({ options: { components: { type: 'string', default: '5000' }, releases: { type: 'string', default: '1000' }, 'release-components': { type: 'string', default: '2000' } } });
const dir = mkdtempSync(join(tmpdir(), 'marque-bench-server-'));
const store = portfolioStore(sqliteSql(join(dir, 'marque.sqlite')));
await store.migrate();
const team = await store.createTeam('bench');
const token = (await store.createToken(team.id, 'admin', 'bench')).token;

// Advisories: one per tenth package name, affecting versions below 2.0.0.
const osv = join(dir, 'osv');
mkdirSync(osv);
for (let i = 0; i < Number(values['release-components']); i += 10) {
  writeFileSync(join(osv, `B-${i}.json`), JSON.stringify({ id: `B-${i}`, modified: '2026-11-01T00:00:00Z', affected: [{ package: { ecosystem: 'npm', name: `pkg${i}` }, ranges: [{ type: 'SEMVER', events: [{ introduced: '0' }, { fixed: '2.0.0' }] }] }] }));
}
const advisories = join(dir, 'advisories.sqlite');
await importAdvisories(advisories, [osv]);
const app = await buildServer(store, { advisoryDb: advisories });
const auth = { authorization: `Bearer ${token}` };

const sbom = (n: number, version: string) => ({
  bomFormat: 'CycloneDX', specVersion: '1.6', version: 1,
  metadata: { component: { type: 'application', 'bom-ref': 'app', name: 'robot', version } },
  components: Array.from({ length: n }, (_, i) => ({ type: 'library', 'bom-ref': `c${i}`, name: `pkg${i}`, version: '1.0.0', purl: `pkg:npm/pkg${i}@1.0.0` })),
  dependencies: [{ ref: 'app', dependsOn: Array.from({ length: n }, (_, i) => `c${i}`) }],
});
const product = (await app.inject({ method: 'POST', url: '/api/v1/products', headers: auth, payload: { name: 'robot' } })).json() as { id: string };
const big = JSON.stringify(sbom(Number(values.components), 'big'));
let t = performance.now();
const up = await app.inject({ method: 'POST', url: `/api/v1/products/${product.id}/releases`, headers: { ...auth, 'content-type': 'application/json' }, payload: big });
const ingest = performance.now() - t;
if (up.statusCode !== 201) throw new Error(up.body);
console.log(`upload of a ${values.components}-component CycloneDX 1.6 SBOM (${(big.length / 1e6).toFixed(1)} MB) as a release: ${ingest.toFixed(0)} ms (target < 2000 ms)`);

const m = Number(values['release-components']);
const components = Array.from({ length: m }, (_, i) => ({ purl: `pkg:npm/pkg${i}@1.0.0`, name: `pkg${i}`, version: '1.0.0', ecosystem: 'npm', depth: 1, scope: 'runtime' }));
for (let i = 0; i < Number(values.releases); i++) await store.createRelease(team.id, { productId: product.id, version: `1.0.${i}`, components });
const db = AdvisoryDb.openForRead(advisories)!;
t = performance.now();
const r = await rematch(store, db, new Date());
const took = performance.now() - t;
db.close();
console.log(`re-match of ${r.releases} releases × ${m} components: ${(took / 1000).toFixed(1)} s, ${r.findings} findings, ${r.events.length} events (target < 60 s)`);
await app.close();
await store.close();
