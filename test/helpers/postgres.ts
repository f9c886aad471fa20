// PostgreSQL for tests: the server CI starts (127.0.0.1:5432), whether it answers, and a schema of
// the test's own, dropped when the file's tests end.
import { after } from 'node:test';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { portfolioStore } from '../../src/server/store/portfolio.ts';
import { postgresSql } from '../../src/server/store/postgres.ts';
import { sqliteSql } from '../../src/server/store/sqlite.ts';
import type { PortfolioStore } from '../../src/server/store/store.ts';

export const PG_URL = process.env['MARQUE_TEST_DATABASE_URL'] ?? 'postgres://postgres@127.0.0.1:5432/test';

/** Whether PostgreSQL answers; under CI it must (.ci/run starts it). */
export async function postgresReachable(): Promise<boolean> {
  // A server that is down refuses at once; one that is up but slow (a loaded 2-core machine, two
  // suites at once) gets time and a second try, so a busy machine does not count as a missing server.
  let up = false;
  for (let attempt = 0; attempt < 3 && !up; attempt++) {
    const c = new pg.Client({ connectionString: PG_URL, connectionTimeoutMillis: 10_000 });
    try { await c.connect(); await c.end(); up = true; } catch (e) {
      await c.end().catch(() => {});
      if ((e as NodeJS.ErrnoException).code === 'ECONNREFUSED') break;
    }
  }
  if (!up && process.env['CI']) throw new Error(`PostgreSQL is not reachable at ${PG_URL}; CI needs it`);
  return up;
}

/** Drops the schema, and its servers' job queue ("<schema>_jobs", pg-boss), after the file's tests, when PostgreSQL was there. */
export function dropSchemaAfter(schema: string, reachable: boolean): void {
  after(async () => {
    if (!reachable) return;
    const c = new pg.Client({ connectionString: PG_URL });
    await c.connect();
    await c.query(`drop schema if exists ${schema} cascade`);
    await c.query(`drop schema if exists ${schema}_jobs cascade`);
    await c.end();
  });
}

/**
 * The team store's two adapters, for tests that run the same checks against both: a fresh SQLite
 * file, and PostgreSQL in a schema of the test file's own (dropped after). The PostgreSQL one is
 * made only when called, so a file skips it when `reachable` is false.
 */
export async function storeAdapters(): Promise<{ reachable: boolean; adapters: [string, () => Promise<PortfolioStore>][] }> {
  const schema = `marque_test_${process.pid}_${Math.random().toString(36).slice(2, 8)}`;
  const reachable = await postgresReachable();
  dropSchemaAfter(schema, reachable);
  return {
    reachable,
    adapters: [
      ['sqlite', async () => portfolioStore(sqliteSql(join(mkdtempSync(join(tmpdir(), 'marque-store-')), 'marque.sqlite')))],
      ['postgres', async () => portfolioStore(await postgresSql(PG_URL, schema))],
    ],
  };
}
