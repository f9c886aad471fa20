// The embedded adapter: node:sqlite in one file under the data directory; nothing to install.
import { DatabaseSync } from 'node:sqlite';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Row, Sql } from './sql.ts';

export function sqliteSql(path: string): Sql {
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  const db = new DatabaseSync(path);
  // WAL with synchronous=normal: a crash of the process never loses a commit, a power cut may lose the last
  // ones but never corrupts; without it every event of a re-match would wait for its own fsync.
  db.exec('pragma foreign_keys = on; pragma journal_mode = wal; pragma synchronous = normal; pragma busy_timeout = 5000');
  let depth = 0;
  const sql: Sql = {
    dialect: 'sqlite',
    all: async (q, params = []) => db.prepare(q).all(...(params as never[])) as Row[],
    run: async (q, params = []) => Number(db.prepare(q).run(...(params as never[])).changes),
    exec: async (q) => { db.exec(q); },
    async transaction(fn) {
      // node:sqlite is synchronous and single-connection: nested calls join the outer transaction.
      if (depth++ > 0) { try { return await fn(sql); } finally { depth--; } }
      db.exec('begin immediate');
      try {
        const result = await fn(sql);
        db.exec('commit');
        return result;
      } catch (e) {
        db.exec('rollback');
        throw e;
      } finally {
        depth--;
      }
    },
    close: async () => { db.close(); },
  };
  return sql;
}
