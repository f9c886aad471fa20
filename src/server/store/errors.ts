// What a database error means, in both engines' words: a unique key already taken (a duplicate,
// answered 409), a full disk (answered 507) and a database that cannot be reached (answered 503),
// each recognised by its code, not its message (but for node-postgres's own connection errors,
// which have no code: by their fixed wording).

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

/** The system's words for a database server that cannot be reached, or whose connection broke. */
const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'EHOSTDOWN', 'ENETDOWN', 'ENOTFOUND', 'EAI_AGAIN', 'EPIPE', 'ECONNABORTED']);
/**
 * PostgreSQL's: class 08 (connection exception), 57P01–57P03 (the backend terminated by an administrator or a
 * shutdown, or the server not accepting connections yet: a restart, a failover) and 53300 (too many connections).
 */
const UNAVAILABLE_SQLSTATES = /^(08[0-9A-Z]{3}|57P0[123]|53300)$/;
/** node-postgres gives its own connection errors no code: these are all of them (pg 8, pg-pool 3). */
const PG_CONNECTION_ERRORS = /^(Connection terminated( unexpectedly| due to connection timeout)?|timeout expired|Client has encountered a connection error and is not queryable|timeout exceeded when trying to connect|Cannot use a pool after calling end on the pool)$/;

/**
 * Whether an error says the database cannot be reached now (down, restarting, unreachable, or the
 * connection cut mid-request), as opposed to what a request did: the server answers 503 with
 * Retry-After, and what the request asked for was not stored (its transaction did not commit).
 */
export function isDatabaseUnavailable(e: unknown, depth = 0): boolean {
  const err = e as { code?: unknown; message?: unknown; cause?: unknown; errors?: unknown } | null;
  if (!err || typeof err !== 'object' || depth > 5) return false;
  if (typeof err.code === 'string' && (NETWORK_CODES.has(err.code) || UNAVAILABLE_SQLSTATES.test(err.code))) return true;
  if (err.code === undefined && typeof err.message === 'string' && PG_CONNECTION_ERRORS.test(err.message)) return true;
  // Node's connect to a name with several addresses fails with all of them at once.
  if (Array.isArray(err.errors) && err.errors.length && err.errors.every((x) => isDatabaseUnavailable(x, depth + 1))) return true;
  return err.cause !== undefined && err.cause !== e && isDatabaseUnavailable(err.cause, depth + 1);
}

/** The per-team limits a store checks in the transaction of the insert (limits.ts names them and says how to raise them). */
export type CountLimit = 'products' | 'releasesPerProduct' | 'tokens' | 'webhooks' | 'assessments';

/** An insert refused because the team (or the product) holds as many as its limit allows. */
export class LimitReached extends Error {
  readonly limit: CountLimit;
  readonly max: number;
  constructor(limit: CountLimit, max: number, message: string) { super(message); this.limit = limit; this.max = max; }
}

/**
 * Counts a team's (or a product's) rows and refuses past `max`, in the caller's transaction. On PostgreSQL the owning
 * row is locked first (FOR NO KEY UPDATE: foreign-key inserts elsewhere are not blocked), so that two inserts at once
 * count one after the other: without it both read N − 1 under READ COMMITTED and both insert (12 at once against a
 * limit of 3 stored 10). SQLite's transactions are already one writer at a time (BEGIN IMMEDIATE).
 */
export async function checkCount(tx: { dialect: 'sqlite' | 'postgres'; all(q: string, p?: unknown[]): Promise<Record<string, unknown>[]> },
  o: { limit: CountLimit; max: number | undefined; lock: { table: 'team' | 'product'; id: string }; count: string; params: unknown[]; what: string }): Promise<void> {
  if (o.max === undefined) return;
  if (tx.dialect === 'postgres') await tx.all(`select id from ${o.lock.table} where id = ? for no key update`, [o.lock.id]);
  const [r] = await tx.all(o.count, o.params);
  const n = Number(r?.['n'] ?? 0);
  if (n >= o.max) throw new LimitReached(o.limit, o.max, `${o.what} holds ${n}, its limit is ${o.max}`);
}
