// Rows as the domain's types, and the writes several parts of the repository share.
import { matcherFields, originOf, type Release, type ReleaseComponent, type ReleaseFacts, type ReleaseUnlisted } from '../../model/portfolio.ts';
import type { Row, Sql } from './sql.ts';
import { componentPackageKeys } from '../../advisories/changes.ts';
import { vendoredOf, type UpstreamDeclaration } from '../../advisories/vendored.ts';
import type { Component, InventoryComponent } from '../../model/inventory.ts';

export const now = (): string => new Date().toISOString();
export const str = (v: unknown): string | null => (v === null || v === undefined ? null : String(v));

export const asRelease = (r: Row): Release => ({
  id: String(r['id']), productId: String(r['product_id']), version: String(r['version']), placedOnMarket: str(r['placed_on_market']),
  supportEnd: str(r['support_end']), status: r['status'] as Release['status'], componentCount: Number(r['component_count']), createdAt: String(r['created_at']),
  facts: r['facts'] ? JSON.parse(String(r['facts'])) as ReleaseFacts : null,
  ...(r['unlisted'] ? { unlisted: JSON.parse(String(r['unlisted'])) as ReleaseUnlisted } : {}),
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
  await tx.run('insert into release (id, product_id, version, placed_on_market, support_end, status, component_count, created_at, facts, content_digest, unlisted) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
    [r.id, r.productId, r.version, r.placedOnMarket, r.supportEnd, r.status, r.componentCount, r.createdAt, r.facts ? JSON.stringify(r.facts) : null, contentDigest, r.unlisted ? JSON.stringify(r.unlisted) : null]);
  await insertRows(tx, 'release_component', COMPONENT_COLUMNS, components.map((c) => [r.id, c.purl, c.name, c.version, c.ecosystem, c.depth, c.scope, originOf(c), c.vcsUrl ?? null, c.properties ? JSON.stringify(c.properties) : null]));
  await indexPackages(tx, r.id, components, r.facts?.upstreams);
}

type Indexed = Pick<ReleaseComponent, 'purl' | 'name' | 'version' | 'ecosystem' | 'vcsUrl' | 'properties'>;

/**
 * The upstreams a release's vendor packages are matched as (marque.yaml inventory.upstreams, pushed with its
 * facts), chosen by the matcher's own rule (advisories/vendored.ts).
 */
export function upstreamTargets(components: readonly Indexed[], upstreams: readonly UpstreamDeclaration[] | undefined): InventoryComponent[] {
  if (!upstreams?.length) return [];
  const targets = new Map<string, InventoryComponent>();
  for (const c of components) {
    const target = vendoredOf({ ...c, ...matcherFields(c) } as unknown as Component, upstreams)?.target;
    if (target) targets.set(target.purl, target);
  }
  return [...targets.values()];
}

/**
 * The package → releases index rows of a release: every key its components are matched by, and those of the
 * upstreams its vendor packages are matched as, so that an advisory on yaml-cpp re-matches the release whose
 * yaml_cpp_vendor builds it.
 */
export async function indexPackages(tx: Sql, releaseId: string, components: readonly Indexed[], upstreams?: readonly UpstreamDeclaration[]): Promise<void> {
  await indexKeys(tx, releaseId, [...components.map((c) => ({ ...c, ...matcherFields(c) })), ...upstreamTargets(components, upstreams)]);
}

/** The index rows of the upstreams a release's vendor packages build (its declarations changed). */
export async function indexUpstreams(tx: Sql, releaseId: string, components: readonly Indexed[], upstreams: readonly UpstreamDeclaration[] | undefined): Promise<void> {
  await indexKeys(tx, releaseId, upstreamTargets(components, upstreams));
}

async function indexKeys(tx: Sql, releaseId: string, matched: readonly Parameters<typeof componentPackageKeys>[0][]): Promise<void> {
  const keys = [...new Set(matched.flatMap((c) => componentPackageKeys(c)))];
  await insertRows(tx, 'release_package', [['pkg', 'text[]'], ['release_id', 'text[]']], keys.map((k) => [k, releaseId]), 'on conflict do nothing');
}
