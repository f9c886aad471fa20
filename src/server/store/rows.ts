// Rows as the domain's types, and the writes several parts of the repository share.
import { matcherFields, originOf, type Release, type ReleaseComponent, type ReleaseFacts } from '../../model/portfolio.ts';
import type { Row, Sql } from './sql.ts';
import { componentPackageKeys } from '../../advisories/changes.ts';

export const now = (): string => new Date().toISOString();
export const str = (v: unknown): string | null => (v === null || v === undefined ? null : String(v));

export const asRelease = (r: Row): Release => ({
  id: String(r['id']), productId: String(r['product_id']), version: String(r['version']), placedOnMarket: str(r['placed_on_market']),
  supportEnd: str(r['support_end']), status: r['status'] as Release['status'], componentCount: Number(r['component_count']), createdAt: String(r['created_at']),
  facts: r['facts'] ? JSON.parse(String(r['facts'])) as ReleaseFacts : null,
});

/** Rows per insert statement on SQLite: large SBOMs go in batches, well under its parameter limit. */
export const BATCH = 500;

/** A column of insertRows: its name and its PostgreSQL array type (text[], int[]). */
export type Column = readonly [name: string, pgArray: 'text[]' | 'int[]'];

/**
 * Rows into a table in as few statements as the engine allows: PostgreSQL takes each column as one
 * array parameter (insert … select from unnest: one statement, parsed and planned once, whatever the
 * row count), SQLite multi-row VALUES in batches (no round trip to pay). `tail`: an "on conflict …".
 */
export async function insertRows(tx: Sql, table: string, columns: readonly Column[], rows: readonly unknown[][], tail = ''): Promise<void> {
  if (!rows.length) return;
  const names = columns.map(([n]) => n).join(', ');
  if (tx.dialect === 'postgres') {
    await tx.run(`insert into ${table} (${names}) select * from unnest(${columns.map(([, t]) => `?::${t}`).join(', ')}) ${tail}`,
      columns.map((_, k) => rows.map((r) => r[k] ?? null)));
    return;
  }
  const one = `(${columns.map(() => '?').join(', ')})`;
  for (let i = 0; i < rows.length; i += BATCH) {
    const batch = rows.slice(i, i + BATCH);
    await tx.run(`insert into ${table} (${names}) values ${batch.map(() => one).join(', ')} ${tail}`, batch.flat());
  }
}

const COMPONENT_COLUMNS: readonly Column[] = [['release_id', 'text[]'], ['purl', 'text[]'], ['name', 'text[]'], ['version', 'text[]'], ['ecosystem', 'text[]'], ['depth', 'int[]'], ['scope', 'text[]'], ['origin', 'text[]'], ['vcs_url', 'text[]'], ['properties', 'text[]']];

/** A release row and its component rows, inside the caller's transaction. */
export async function insertRelease(tx: Sql, r: Release, components: readonly ReleaseComponent[], contentDigest: string | null = null): Promise<void> {
  await tx.run('insert into release (id, product_id, version, placed_on_market, support_end, status, component_count, created_at, facts, content_digest) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
    [r.id, r.productId, r.version, r.placedOnMarket, r.supportEnd, r.status, r.componentCount, r.createdAt, r.facts ? JSON.stringify(r.facts) : null, contentDigest]);
  await insertRows(tx, 'release_component', COMPONENT_COLUMNS, components.map((c) => [r.id, c.purl, c.name, c.version, c.ecosystem, c.depth, c.scope, originOf(c), c.vcsUrl ?? null, c.properties ? JSON.stringify(c.properties) : null]));
  await indexPackages(tx, r.id, components);
}

/** The package → releases index rows of a release: every key its components are matched by. */
export async function indexPackages(tx: Sql, releaseId: string, components: readonly Pick<ReleaseComponent, 'purl' | 'name' | 'version' | 'ecosystem' | 'vcsUrl' | 'properties'>[]): Promise<void> {
  const keys = [...new Set(components.flatMap((c) => componentPackageKeys({ ...c, ...matcherFields(c) })))];
  await insertRows(tx, 'release_package', [['pkg', 'text[]'], ['release_id', 'text[]']], keys.map((k) => [k, releaseId]), 'on conflict do nothing');
}
