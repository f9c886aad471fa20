// Schema questions asked of databases written by earlier versions of Marque, which may lack a
// table or a column that later versions add.
import type { DatabaseSync } from 'node:sqlite';

export function hasTable(db: DatabaseSync, name: string): boolean {
  return Boolean(db.prepare("select 1 from sqlite_master where type = 'table' and name = ?").get(name));
}

export function hasColumn(db: DatabaseSync, table: string, column: string): boolean {
  return (db.prepare(`pragma table_info(${table})`).all() as { name: string }[]).some((c) => c.name === column);
}
