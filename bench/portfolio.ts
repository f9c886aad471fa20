// bench/portfolio: the team server's repository on both adapters — ingest of one 5,000-component
// release (issue 13: < 2 s for the whole upload; this is its storage part) and the release list of
// a portfolio of 1,000 releases (< 200 ms for the portfolio view; this is its query).
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
  for (let i = 0; i < Number(values.releases) - 1; i++) await store.createRelease(team.id, { productId: product.id, version: `1.0.${i}`, components: components.slice(0, 20) });
  const times: number[] = [];
  for (let k = 0; k < 7; k++) { t = performance.now(); await store.releases(team.id, { limit: 1000 }); times.push(performance.now() - t); }
  times.sort((a, b) => a - b);
  console.log(`${name.padEnd(9)} ingest ${components.length} components: ${ingest.toFixed(0)} ms; list ${values.releases} releases: median ${times[3]!.toFixed(1)} ms`);
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
