// What changed in an advisory database, for readers that act on changes (the team server's
// incremental re-match): every import logs the advisories it added or altered and the KEV entries
// it added or removed (change_log, written in the same atomic update as the data), and names the
// packages an advisory is about, so that only the releases holding them are matched again.
import { normaliseName, type AdvisoryDb } from './store.ts';
import { osvPackagesOf, repositoryOf } from './match.ts';
import type { Component } from '../model/inventory.ts';
import { hasTable } from '../util/sqlite.ts';

export interface AdvisoryChanges {
  /** The database's identity (kept through updates); a reader's position is per identity. */
  dataId: string;
  /** The last change read: the position to continue from. */
  upTo: number;
  /** Advisories added or altered (withdrawn ones included). */
  advisories: string[];
  /** CVE ids added to or removed from the KEV catalogue. */
  kev: string[];
}

/** The identity of the database, or undefined for one written before changes were logged. */
export function dataId(db: AdvisoryDb): string | undefined {
  if (!hasTable(db.db, 'meta')) return undefined;
  return (db.db.prepare("select value from meta where key = 'id'").get() as { value: string } | undefined)?.value;
}

/** The position of the newest change (0: none yet). */
export function logEnd(db: AdvisoryDb): number {
  if (!hasTable(db.db, 'change_log')) return 0;
  return Number((db.db.prepare('select max(seq) as seq from change_log').get() as { seq: number | null }).seq ?? 0);
}

/** Changes after position `after` (0: from the start), at most `limit` of them. */
export function changesSince(db: AdvisoryDb, after: number, limit = 100_000): AdvisoryChanges | undefined {
  const id = dataId(db);
  if (!id || !hasTable(db.db, 'change_log')) return undefined;
  const rows = db.db.prepare('select seq, kind, key from change_log where seq > ? order by seq limit ?').all(after, limit) as { seq: number; kind: string; key: string }[];
  const advisories = new Set<string>();
  const kev = new Set<string>();
  for (const r of rows) (r.kind === 'kev' ? kev : advisories).add(r.key);
  return { dataId: id, upTo: rows.length ? Number(rows.at(-1)!.seq) : after, advisories: [...advisories], kev: [...kev] };
}

/**
 * The advisories a set of changes is about, with every advisory linked to them by id or alias
 * (findings are kept under one id of each such group), and the advisories of changed KEV CVEs.
 */
export function relatedAdvisories(db: AdvisoryDb, changes: Pick<AdvisoryChanges, 'advisories' | 'kev'>): Set<string> {
  const ids = new Set<string>(changes.advisories);
  const names = new Set<string>([...changes.advisories, ...changes.kev]);
  const aliasesOf = db.db.prepare('select aliases from advisory where id = ?');
  for (const id of changes.advisories) {
    const r = aliasesOf.get(id) as { aliases: string } | undefined;
    if (r) for (const a of JSON.parse(r.aliases) as string[]) names.add(a);
  }
  const byAlias = db.db.prepare('select advisory_id from alias where alias = ?');
  const byId = db.db.prepare('select id from advisory where id = ?');
  for (const n of names) {
    if (byId.get(n)) ids.add(n);
    for (const r of byAlias.all(n) as { advisory_id: string }[]) ids.add(r.advisory_id);
  }
  // One more hop: the aliases of what was found (a GHSA record and the CVE record it names).
  for (const id of [...ids]) {
    const r = aliasesOf.get(id) as { aliases: string } | undefined;
    if (r) for (const a of JSON.parse(r.aliases) as string[]) { if (byId.get(a)) ids.add(a); for (const x of byAlias.all(a) as { advisory_id: string }[]) ids.add(x.advisory_id); }
  }
  return ids;
}

/**
 * The package keys (see packageKey) the advisories name: OSV packages by ecosystem family and
 * name, and repositories of GIT ranges.
 */
export function packagesOf(db: AdvisoryDb, advisoryIds: Iterable<string>): Set<string> {
  const keys = new Set<string>();
  const pkgs = db.db.prepare('select base, name from affected where advisory_id = ?');
  const repos = hasTable(db.db, 'affected_repo') ? db.db.prepare('select repo from affected_repo where advisory_id = ?') : undefined;
  for (const id of advisoryIds) {
    for (const r of pkgs.all(id) as { base: string; name: string }[]) keys.add(packageKey(r.base, r.name));
    for (const r of (repos?.all(id) ?? []) as { repo: string }[]) keys.add(repoKey(r.repo));
  }
  return keys;
}

/** One OSV package, as the matcher looks it up (the name already normalised the ecosystem's way). */
/** "npm:lodash": an ecosystem family never holds a colon ("Debian:12" is family Debian). */
export const packageKey = (base: string, normalisedName: string): string => `${base}:${normalisedName}`;
export const repoKey = (normalisedRepo: string): string => `repo ${normalisedRepo}`;

/** The package keys a component is looked up by when matched: what the package → releases index holds. */
export function componentPackageKeys(c: { purl: string; version: string; ecosystem: string; properties?: Record<string, string>; provenance?: { url: string } }): string[] {
  const keys = new Set<string>();
  const component = c as unknown as Component;
  for (const ref of osvPackagesOf(component)) keys.add(packageKey(ref.base, normaliseName(ref.base, ref.name)));
  for (const repo of repositoryOf(component)?.repos ?? []) keys.add(repoKey(repo));
  return [...keys];
}
