// The team adapter: PostgreSQL through pg. "?" placeholders become $1, $2, ...; a schema keeps
// one deployment's (or one test's) tables apart from another's.
import pg from 'pg';
import type { Row, Sql } from './sql.ts';

/** How long a new connection to PostgreSQL may take before the request that needs it fails. */
export const CONNECT_TIMEOUT_MS = 10_000;

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
  // The server sets the search path of every connection: no query can run before it. A database that does not
  // answer a new connection within 10 s fails the request (503, app.ts) rather than hold it for the system's
  // TCP timeout (minutes); keep-alive finds a connection whose peer vanished without a word.
  const pool = new pg.Pool({ connectionString: url, max: 10, connectionTimeoutMillis: CONNECT_TIMEOUT_MS, keepAlive: true, ...(schema ? { options: `-c search_path=${schema}` } : {}) });
  // An idle connection the database drops (a restart, pg_terminate_backend, a cut network) is reported here and
  // discarded by the pool; unheard, the 'error' event ended the process. The next query opens a new one, or
  // fails with the reason, which its request answers with 503 and logs.
  pool.on('error', () => {});
  const base = over(pool);
  return {
    ...base,
    postgres: { url, ...(schema ? { schema } : {}) },
    async transaction(fn) {
      const client = await pool.connect();
      // While the transaction holds it the pool does not listen to the connection: one cut between two statements
      // emits 'error' here (the next statement then fails with it), which unheard ended the process.
      const ignore = () => {};
      client.on('error', ignore);
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
        client.removeListener('error', ignore);
        client.release();
      }
    },
    close: async () => { await pool.end(); },
  };
}
