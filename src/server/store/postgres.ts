// The team adapter: PostgreSQL through pg. "?" placeholders become $1, $2, ...; a schema keeps
// one deployment's (or one test's) tables apart from another's.
import pg from 'pg';
import type { Row, Sql } from './sql.ts';

const numbered = (q: string) => { let n = 0; return q.replace(/\?/g, () => `$${++n}`); };

function over(client: { query: pg.Pool['query'] }): Omit<Sql, 'transaction' | 'close'> {
  return {
    dialect: 'postgres',
    all: async (q, params = []) => (await client.query(numbered(q), params)).rows as Row[],
    run: async (q, params = []) => (await client.query(numbered(q), params)).rowCount ?? 0,
    exec: async (q) => { await client.query(q); },
  };
}

export async function postgresSql(url: string, schema?: string): Promise<Sql> {
  if (schema && !/^[a-z_][a-z0-9_]*$/.test(schema)) throw new Error(`not a schema name: ${schema}`);
  if (schema) {
    const setup = new pg.Client({ connectionString: url });
    await setup.connect();
    try { await setup.query(`create schema if not exists ${schema}`); } finally { await setup.end(); }
  }
  // The server sets the search path of every connection: no query can run before it.
  const pool = new pg.Pool({ connectionString: url, max: 10, ...(schema ? { options: `-c search_path=${schema}` } : {}) });
  const base = over(pool);
  return {
    ...base,
    postgres: { url, ...(schema ? { schema } : {}) },
    async transaction(fn) {
      const client = await pool.connect();
      try {
        await client.query('begin');
        const tx: Sql = { ...over(client), transaction: (f) => f(tx), close: async () => {} };
        const result = await fn(tx);
        await client.query('commit');
        return result;
      } catch (e) {
        await client.query('rollback').catch(() => {});
        throw e;
      } finally {
        client.release();
      }
    },
    close: async () => { await pool.end(); },
  };
}
