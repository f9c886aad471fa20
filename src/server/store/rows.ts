// Rows as the domain's types, and the writes several parts of the repository share.
import type { Release, ReleaseComponent, ReleaseFacts } from '../../model/portfolio.ts';
import type { Row, Sql } from './sql.ts';
import { componentPackageKeys } from '../../advisories/changes.ts';

export const now = (): string => new Date().toISOString();
export const str = (v: unknown): string | null => (v === null || v === undefined ? null : String(v));

export const asRelease = (r: Row): Release => ({
  id: String(r['id']), productId: String(r['product_id']), version: String(r['version']), placedOnMarket: str(r['placed_on_market']),
  supportEnd: str(r['support_end']), status: r['status'] as Release['status'], componentCount: Number(r['component_count']), createdAt: String(r['created_at']),
  facts: r['facts'] ? JSON.parse(String(r['facts'])) as ReleaseFacts : null,
});

/** Rows per insert statement: large SBOMs go in batches, well under both engines' parameter limits. */
export const BATCH = 500;

/** A release row and its component rows, inside the caller's transaction. */
export async function insertRelease(tx: Sql, r: Release, components: readonly ReleaseComponent[], contentDigest: string | null = null): Promise<void> {
  await tx.run('insert into release (id, product_id, version, placed_on_market, support_end, status, component_count, created_at, facts, content_digest) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
    [r.id, r.productId, r.version, r.placedOnMarket, r.supportEnd, r.status, r.componentCount, r.createdAt, r.facts ? JSON.stringify(r.facts) : null, contentDigest]);
  for (let i = 0; i < components.length; i += BATCH) {
    const batch = components.slice(i, i + BATCH);
    await tx.run(`insert into release_component (release_id, purl, name, version, ecosystem, depth, scope) values ${batch.map(() => '(?, ?, ?, ?, ?, ?, ?)').join(', ')}`,
      batch.flatMap((c) => [r.id, c.purl, c.name, c.version, c.ecosystem, c.depth, c.scope]));
  }
  await indexPackages(tx, r.id, components);
}

/** The package → releases index rows of a release: every key its components are matched by. */
export async function indexPackages(tx: Sql, releaseId: string, components: readonly Pick<ReleaseComponent, 'purl' | 'name' | 'version' | 'ecosystem'>[]): Promise<void> {
  const keys = [...new Set(components.flatMap((c) => componentPackageKeys(c)))];
  for (let i = 0; i < keys.length; i += BATCH) {
    const batch = keys.slice(i, i + BATCH);
    await tx.run(`insert into release_package (pkg, release_id) values ${batch.map(() => '(?, ?)').join(', ')} on conflict do nothing`, batch.flatMap((k) => [k, releaseId]));
  }
}
