// bench/portfolio: the team server's repository on both adapters — ingest of one 5,000-component
// release (issue 13: < 2 s for the whole upload; this is its storage part), the release list and
// the portfolio view (open and exploited findings, nearest deadline) of 1,000 releases (< 200 ms).
// Usage: node bench/portfolio.ts [--releases N] [--components N]   (PostgreSQL: MARQUE_TEST_DATABASE_URL)
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { portfolioStore } from '../src/server/store/portfolio.ts';
import { sqliteSql } from '../src/server/store/sqlite.ts';
import { postgresSql } from '../src/server/store/postgres.ts';
import type { PortfolioStore } from '../src/server/store/store.ts';

const { values } = parseArgs({ options: { releases: { type: 'string', default: '1000' }, components: { type: 'string', default: '5000' } } });
const PG_URL = process.env['MARQUE_TEST_DATABASE_URL'] ?? 'postgres://postgres@127.0.0.1:5432/test';
const schema = `marque_bench_${process.pid}`;
const components = Array.from({ length: Number(values.components) }, (_, i) => ({ purl: `pkg:npm/c${i}@1.0.0`, name: `c${i}`, version: '1.0.0', ecosystem: 'npm', depth: i % 6, scope: 'runtime' }));

async function run(name: string, store: PortfolioStore): Promise<void> {
  await store.migrate();
  const team = await store.createTeam('bench');
  const product = await store.createProduct(team.id, 'robot');
  let t = performance.now();
  await store.createRelease(team.id, { productId: product.id, version: 'big', components });
  const ingest = performance.now() - t;
  for (let i = 0; i < Number(values.releases) - 1; i++) {
    const r = await store.createRelease(team.id, { productId: product.id, version: `1.0.${i}`, components: components.slice(0, 20) });
    // Every tenth release has an open exploited finding with a recorded awareness, as a re-match leaves them.
    await store.saveFindings(team.id, r.id, components.slice(0, 5).map((c, k) => ({ component: c.purl, vulnerability: `CVE-2026-${k}`, exploited: i % 10 === 0 && k === 0, status: 'under_investigation' as const })), new Date());
    if (i % 10 === 0) await store.awareness(team.id, r.id, components[0]!.purl, 'CVE-2026-0', new Date(Date.now() - i * 60_000));
  }
  const median = async (f: () => Promise<unknown>) => {
    const times: number[] = [];
    for (let k = 0; k < 7; k++) { t = performance.now(); await f(); times.push(performance.now() - t); }
    return times.sort((a, b) => a - b)[3]!;
  };
  const list = await median(() => store.releases(team.id, { limit: 1000 }));
  const view = await median(() => store.portfolio(team.id));
  console.log(`${name.padEnd(9)} ingest ${components.length} components: ${ingest.toFixed(0)} ms; list ${values.releases} releases: median ${list.toFixed(1)} ms; portfolio view (open, exploited, nearest deadline): median ${view.toFixed(1)} ms`);
  await store.close();
}

await run('sqlite', portfolioStore(sqliteSql(join(mkdtempSync(join(tmpdir(), 'marque-bench-')), 'marque.sqlite'))));
try {
  await run('postgres', portfolioStore(await postgresSql(PG_URL, schema)));
} catch (e) {
  console.log(`postgres  skipped: ${(e as Error).message}`);
} finally {
  const c = new pg.Client({ connectionString: PG_URL });
  await c.connect().then(() => c.query(`drop schema if exists ${schema} cascade`)).catch(() => {}).finally(() => c.end().catch(() => {}));
}
