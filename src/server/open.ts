// Which store a server uses: PostgreSQL when a URL is given (--database or MARQUE_DATABASE_URL),
// else the embedded node:sqlite file under the data folder.
import { join } from 'node:path';
import { cacheDir } from '../util/yaml.ts';
import { portfolioStore } from './store/portfolio.ts';
import { postgresSql } from './store/postgres.ts';
import { sqliteSql } from './store/sqlite.ts';
import type { PortfolioStore } from './store/store.ts';

export interface StoreOptions { data?: string; database?: string; schema?: string }

/** The PostgreSQL schema a deployment uses (--schema or MARQUE_DATABASE_SCHEMA); its jobs go to "<schema>_jobs". */
export function schemaOf(o: StoreOptions): string | undefined {
  return o.schema ?? process.env['MARQUE_DATABASE_SCHEMA'];
}

export async function openPortfolio(o: StoreOptions): Promise<{ store: PortfolioStore; where: string }> {
  const url = o.database ?? process.env['MARQUE_DATABASE_URL'];
  if (url) {
    const store = portfolioStore(await postgresSql(url, schemaOf(o)));
    await store.migrate();
    return { store, where: url.replace(/\/\/[^@/]*@/, '//…@') }; // never print a password
  }
  const file = join(o.data ?? join(cacheDir(), 'server'), 'marque.sqlite');
  const store = portfolioStore(sqliteSql(file));
  await store.migrate();
  return { store, where: file };
}
