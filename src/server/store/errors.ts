// What a database error means, in both engines' words: a unique key already taken (a duplicate,
// answered 409) and a full disk (answered 507), each recognised by its code, not its message.

/** SQLite's extended codes for a unique or primary key violation; PostgreSQL's SQLSTATE 23505. */
const SQLITE_UNIQUE = new Set([2067, 1555]);

export function isUniqueViolation(e: unknown): boolean {
  const err = e as { code?: string; errcode?: number } | null;
  if (!err || typeof err !== 'object') return false;
  return (err.code === 'ERR_SQLITE_ERROR' && SQLITE_UNIQUE.has(err.errcode ?? 0)) || err.code === '23505';
}

/** SQLite's SQLITE_FULL (13), PostgreSQL's disk_full (53100), or the system's ENOSPC / EDQUOT. */
export function isDiskFull(e: unknown): boolean {
  const err = e as { code?: string; errcode?: number; cause?: unknown } | null;
  if (!err || typeof err !== 'object') return false;
  if ((err.code === 'ERR_SQLITE_ERROR' && (err.errcode ?? 0) % 256 === 13) || err.code === '53100' || err.code === 'ENOSPC' || err.code === 'EDQUOT') return true;
  return err.cause !== undefined && err.cause !== e && isDiskFull(err.cause);
}

/** A name or key that is already taken (a product name in a team, a release version of a product). */
export class Conflict extends Error {}
