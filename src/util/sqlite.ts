// Schema questions asked of databases written by earlier versions of Marque, which may lack a
// table or a column that later versions add.
import type { DatabaseSync } from 'node:sqlite';

export function hasTable(db: DatabaseSync, name: string): boolean {
  return Boolean(db.prepare("select 1 from sqlite_master where type = 'table' and name = ?").get(name));
}

export function hasColumn(db: DatabaseSync, table: string, column: string): boolean {
  return (db.prepare(`pragma table_info(${table})`).all() as { name: string }[]).some((c) => c.name === column);
}

/** A storage failure (disk full, I/O error, a corrupt file) is never a bad record: it ends the whole write. */
export function isStorageError(e: unknown): boolean {
  return typeof e === 'object' && e !== null && 'errcode' in e && (e as { code?: string }).code === 'ERR_SQLITE_ERROR';
}
