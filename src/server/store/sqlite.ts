// The embedded adapter: node:sqlite in one file under the data directory; nothing to install.
// One connection, shared by every request and background task of the process: a transaction holds
// it alone. Statements of the transaction's own async flow (AsyncLocalStorage tells) run in it;
// every other flow's statements and transactions wait until it ends, so two flows never mix their
// writes into one transaction or see each other's uncommitted rows.
import { DatabaseSync } from 'node:sqlite';
import { AsyncLocalStorage } from 'node:async_hooks';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Row, Sql } from './sql.ts';

export function sqliteSql(path: string): Sql {
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  const db = new DatabaseSync(path);
  // WAL with synchronous=normal: a crash of the process never loses a commit, a power cut may lose the last
  // ones but never corrupts; without it every event of a re-match would wait for its own fsync.
  db.exec('pragma foreign_keys = on; pragma journal_mode = wal; pragma synchronous = normal; pragma busy_timeout = 5000');
  const inTransaction = new AsyncLocalStorage<boolean>();
  let current: Promise<unknown> = Promise.resolve();
  let open = false;
  /** Outside the transaction's flow while one is open: wait for it (and any queued after it). */
  const settle = async () => { while (open && !inTransaction.getStore()) await current.catch(() => {}); };
  const sql: Sql = {
    dialect: 'sqlite',
    all: async (q, params = []) => { await settle(); return db.prepare(q).all(...(params as never[])) as Row[]; },
    run: async (q, params = []) => { await settle(); return Number(db.prepare(q).run(...(params as never[])).changes); },
    exec: async (q) => { await settle(); db.exec(q); },
    transaction<T>(fn: (tx: Sql) => Promise<T>): Promise<T> {
      // Nested in the same flow: part of the outer transaction.
      if (inTransaction.getStore()) return fn(sql);
      const previous = current;
      const mine = (async () => {
        await previous.catch(() => {});
        await settle();
        open = true;
        try {
          return await inTransaction.run(true, async () => {
            db.exec('begin immediate');
            try {
              const result = await fn(sql);
              db.exec('commit');
              return result;
            } catch (e) {
              db.exec('rollback');
              throw e;
            }
          });
        } finally {
          open = false;
        }
      })();
      current = mine;
      return mine;
    },
    close: async () => { await current.catch(() => {}); db.close(); },
  };
  return sql;
}
