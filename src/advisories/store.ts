// The advisory database: an index of OSV records, the KEV catalogue and EPSS scores in node:sqlite.
// Updates are atomic: they are written into a copy that replaces the database only when complete,
// so a failed or killed update leaves the previous database usable.
import { DatabaseSync } from 'node:sqlite';
import { closeSync, copyFileSync, existsSync, mkdirSync, openSync, readdirSync, readFileSync, renameSync, rmSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { randomUUID } from 'node:crypto';
import type { Advisory, KevEntry, StoredCoverageSource } from '../model/advisory.ts';
import { cacheDir } from '../util/yaml.ts';
import { CatalogStore } from '../catalogs/store.ts';
import { hasColumn, hasTable, isStorageError } from '../util/sqlite.ts';
import { FileAccess } from '../util/file-access.ts';
import { InputError } from '../util/errors.ts';

export { isStorageError };
import { coverageEcosystem, normaliseRepoUrl } from './ecosystems.ts';
import { pep503Name } from '../model/package-names.ts';

const SCHEMA = `
create table if not exists source(name text primary key, kind text not null, records integer not null, imported_at text not null, origin text not null, data_date text, ecosystems text, complete text, basis text, how text);
create table if not exists advisory(id text primary key, modified text not null, published text, withdrawn text, summary text, aliases text not null, json text not null);
create table if not exists affected(advisory_id text not null, ecosystem text not null, base text not null, name text not null, data text not null);
create index if not exists affected_pkg on affected(base, name);
create index if not exists affected_adv on affected(advisory_id);
create table if not exists alias(alias text not null, advisory_id text not null);
create index if not exists alias_idx on alias(alias);
create index if not exists alias_adv on alias(advisory_id);
create table if not exists affected_repo(advisory_id text not null, repo text not null, data text not null);
create index if not exists affected_repo_idx on affected_repo(repo);
create index if not exists affected_repo_adv on affected_repo(advisory_id);
create table if not exists coverage_source(ecosystem text not null, source text not null, data_date text, records integer not null);
create table if not exists kev(cve text primary key, data text not null, date_added text not null);
create table if not exists epss(cve text primary key, score real not null, percentile real not null, date text);
create table if not exists change_log(seq integer primary key autoincrement, kind text not null, key text not null);
create table if not exists meta(key text primary key, value text not null);
`;

export { defaultDbPath } from './db-path.ts';

/** Names are compared as the ecosystem compares them: PyPI by PEP 503, the rest as written. */
export function normaliseName(base: string, name: string): string {
  return base === 'PyPI' ? pep503Name(name) : name;
}

export function ecosystemBase(ecosystem: string): string {
  return ecosystem.split(':')[0]!;
}

export interface SourceStatus {
  name: string; kind: string; records: number; importedAt: string; origin: string; dataDate: string | null;
  /** OSV sources: the coverage ecosystems its records name, each with how many; null for KEV, EPSS and sources imported before Marque counted them. */
  ecosystems: Record<string, number> | null;
  /** The ecosystems it is a complete export of (empty: partial; its findings count, its coverage does not). */
  complete: string[];
  /** Why complete or partial. */
  basis: string | null;
  /** How it was imported: "db update URL", "db import PATH", "db import --complete ECOSYSTEM PATH". */
  how: string | null;
}

/** Sources recorded before Marque decided completeness are partial until imported again. */
const BEFORE_COMPLETENESS = 'imported before Marque recorded whether a source is complete: partial until imported again ("marque db update", or "marque db import")';

export class AdvisoryDb {
  readonly db: DatabaseSync;
  readonly path: string;
  private readonly readOnly: boolean;
  constructor(path: string, readOnly = false) {
    this.path = path;
    this.readOnly = readOnly;
    // A FIFO or a device named as the database is refused before SQLite opens it.
    if (existsSync(path)) FileAccess.within(path).regularFile(path);
    this.db = new DatabaseSync(path, { readOnly });
    // An empty file opens as a database without tables: say what it is not, rather than fail on the first lookup.
    if (readOnly && !hasTable(this.db, 'advisory')) { this.db.close(); throw new Error('it holds no advisory table'); }
    if (!readOnly) {
      this.db.exec(SCHEMA);
      // Which database this is (kept through updates, which copy it): a reader's place in change_log is per id.
      this.db.prepare("insert or ignore into meta(key, value) values ('id', ?)").run(randomUUID());
      // Databases from before sources were recorded per advisory gain the column.
      if (!hasColumn(this.db, 'advisory', 'source')) this.db.exec('alter table advisory add column source text');
      // And sources gain what coverage rests on: their ecosystems, complete or partial, why, how imported.
      for (const col of ['ecosystems', 'complete', 'basis', 'how']) if (!hasColumn(this.db, 'source', col)) this.db.exec(`alter table source add column ${col} text`);
    }
    this.catalogStore = new CatalogStore(this.db, !readOnly);
  }

  private readonly catalogStore: CatalogStore;
  /** The rosdistro caches and apt indexes imported into this database. */
  catalogs(): CatalogStore { return this.catalogStore; }

  static openForRead(path: string): AdvisoryDb | undefined {
    if (!existsSync(path)) return undefined;
    try {
      return new AdvisoryDb(path, true);
    } catch (e) {
      if (e instanceof InputError) throw e;
      throw new Error(`${path}: ${(e as Error).message} (is it an advisory database? "marque db import" writes one)`);
    }
  }

  close(): void { this.db.close(); }

  private readonly statements = new Map<string, ReturnType<DatabaseSync['prepare']>>();
  /** Prepared once per database: preparing per call dominated imports and lookups. */
  private stmt(sql: string): ReturnType<DatabaseSync['prepare']> {
    let st = this.statements.get(sql);
    if (!st) { st = this.db.prepare(sql); this.statements.set(sql, st); }
    return st;
  }

  putAdvisory(a: Advisory, source: string | null = null): void {
    // An unchanged record is left as it is: a daily re-import of a whole dump changes only what changed,
    // and change_log (which the team server re-matches from) names only those.
    const json = JSON.stringify(a);
    const old = this.stmt('select json, source from advisory where id = ?').get(a.id) as { json: string; source: string | null } | undefined;
    if (old && old.json === json && old.source === source) return;
    if (!old || old.json !== json) this.stmt("insert into change_log(kind, key) values ('advisory', ?)").run(a.id);
    this.deleteAdvisory(a.id);
    this.stmt('insert into advisory(id, modified, published, withdrawn, summary, aliases, json, source) values (?, ?, ?, ?, ?, ?, ?, ?)')
      .run(a.id, a.modified, a.published ?? null, a.withdrawn ?? null, a.summary ?? null, JSON.stringify(a.aliases), json, source);
    // GIT ranges name a repository: indexed by its normalised URL, matched by tag (OSV "versions").
    const repo = this.stmt('insert into affected_repo(advisory_id, repo, data) values (?, ?, ?)');
    for (const aff of a.affected) {
      const repos = new Set((aff.ranges ?? []).filter((r) => r.type === 'GIT' && r.repo).map((r) => normaliseRepoUrl(r.repo!)));
      for (const r of repos) repo.run(a.id, r, JSON.stringify(aff));
    }
    const ins = this.stmt('insert into affected(advisory_id, ecosystem, base, name, data) values (?, ?, ?, ?, ?)');
    for (const aff of a.affected) {
      if (!aff.package) continue;
      const base = ecosystemBase(aff.package.ecosystem);
      ins.run(a.id, aff.package.ecosystem, base, normaliseName(base, aff.package.name), JSON.stringify(aff));
    }
    const al = this.stmt('insert into alias(alias, advisory_id) values (?, ?)');
    for (const x of a.aliases) al.run(x, a.id);
  }

  /** An advisory by its id or one of its aliases (a CVE names the OSV record that aliases it). */
  advisory(idOrAlias: string): Advisory | undefined {
    const row = (this.stmt('select json from advisory where id = ?').get(idOrAlias)
      ?? this.stmt('select a.json as json from alias x join advisory a on a.id = x.advisory_id where x.alias = ?').get(idOrAlias)) as { json: string } | undefined;
    return row ? JSON.parse(row.json) as Advisory : undefined;
  }

  private deleteAdvisory(id: string): void {
    this.stmt('delete from affected_repo where advisory_id = ?').run(id);
    this.stmt('delete from affected where advisory_id = ?').run(id);
    this.stmt('delete from alias where advisory_id = ?').run(id);
    this.stmt('delete from advisory where id = ?').run(id);
  }

  putKev(entries: KevEntry[]): void {
    // Entries added and removed go to change_log: each flips "exploited" on the findings of its CVE.
    const before = new Set((this.db.prepare('select cve from kev').all() as { cve: string }[]).map((r) => r.cve));
    const after = new Set(entries.map((k) => k.cve));
    const log = this.db.prepare("insert into change_log(kind, key) values ('kev', ?)");
    for (const cve of after) if (!before.has(cve)) log.run(cve);
    for (const cve of before) if (!after.has(cve)) log.run(cve);
    this.db.exec('delete from kev');
    const ins = this.db.prepare('insert or replace into kev(cve, data, date_added) values (?, ?, ?)');
    for (const k of entries) ins.run(k.cve, JSON.stringify(k), k.dateAdded);
  }

  putEpss(rows: { cve: string; score: number; percentile: number }[], date: string | null): void {
    this.db.exec('delete from epss');
    const ins = this.db.prepare('insert or replace into epss(cve, score, percentile, date) values (?, ?, ?, ?)');
    for (const r of rows) ins.run(r.cve, r.score, r.percentile, date);
  }

  recordSource(s: Omit<SourceStatus, 'importedAt' | 'ecosystems' | 'complete' | 'basis' | 'how'> & Partial<SourceStatus>): void {
    this.db.prepare('insert or replace into source(name, kind, records, imported_at, origin, data_date, ecosystems, complete, basis, how) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)')
      .run(s.name, s.kind, s.records, s.importedAt ?? new Date().toISOString(), s.origin, s.dataDate, s.ecosystems ? JSON.stringify(s.ecosystems) : null, JSON.stringify(s.complete ?? []), s.basis ?? null, s.how ?? null);
  }

  sources(): SourceStatus[] {
    // A database written before completeness was recorded (and opened read-only) lacks the columns.
    const recorded = hasColumn(this.db, 'source', 'complete');
    const cols = recorded ? ', ecosystems, complete, basis, how' : '';
    return (this.db.prepare(`select name, kind, records, imported_at, origin, data_date${cols} from source order by name`).all() as Record<string, unknown>[])
      .map((r) => {
        const osv = String(r['kind']) === 'osv';
        const known = recorded && r['complete'] !== null && r['complete'] !== undefined;
        return {
          name: String(r['name']), kind: String(r['kind']), records: Number(r['records']), importedAt: String(r['imported_at']), origin: String(r['origin']), dataDate: (r['data_date'] as string | null) ?? null,
          ecosystems: r['ecosystems'] ? JSON.parse(String(r['ecosystems'])) as Record<string, number> : null,
          complete: known ? JSON.parse(String(r['complete'])) as string[] : [],
          basis: (r['basis'] as string | null | undefined) ?? (osv && !known ? BEFORE_COMPLETENESS : null),
          how: (r['how'] as string | null | undefined) ?? null,
        };
      });
  }

  counts(): { advisories: number; affected: number; kev: number; epss: number } {
    const n = (t: string) => Number((this.db.prepare(`select count(*) as n from ${t}`).get() as { n: number }).n);
    return { advisories: n('advisory'), affected: n('affected'), kev: n('kev'), epss: n('epss') };
  }

  /**
   * Read-only databases keep what they looked up per package name (a few entries per name, mostly
   * none): a team server matching thousands of releases looks each name up once, not once per
   * release. The file does not change under an open read-only handle (updates replace the file).
   */
  private readonly memo = new Map<string, unknown>();
  private memoised<T>(key: string, read: () => T): T {
    if (!this.readOnly) return read();
    let v = this.memo.get(key) as T | undefined;
    if (v === undefined) {
      if (this.memo.size >= 500_000) this.memo.clear();
      this.memo.set(key, v = read());
    }
    return v;
  }

  /** Affected entries for one package name in one ecosystem family, with their advisories. */
  affectedFor(base: string, name: string): { advisory: Advisory; affected: import('../model/advisory.ts').OsvAffected; ecosystem: string }[] {
    return this.memoised(`p\0${base}\0${name}`, () => {
      const rows = this.stmt('select a.json as json, f.data as data, f.ecosystem as ecosystem from affected f join advisory a on a.id = f.advisory_id where f.base = ? and f.name = ?')
        .all(base, normaliseName(base, name)) as { json: string; data: string; ecosystem: string }[];
      const cache = new Map<string, Advisory>();
      return rows.map((r) => {
        let adv = cache.get(r.json);
        if (!adv) { adv = JSON.parse(r.json) as Advisory; cache.set(r.json, adv); }
        return { advisory: adv, affected: JSON.parse(r.data), ecosystem: r.ecosystem };
      });
    });
  }

  /** Affected entries whose GIT ranges name this repository (normalised URL). */
  affectedForRepo(repo: string): { advisory: Advisory; affected: import('../model/advisory.ts').OsvAffected }[] {
    if (!this.hasTable('affected_repo')) return [];
    return this.memoised(`r\0${repo}`, () => {
      const rows = this.stmt('select a.json as json, r.data as data from affected_repo r join advisory a on a.id = r.advisory_id where r.repo = ?')
        .all(repo) as { json: string; data: string }[];
      return rows.map((r) => ({ advisory: JSON.parse(r.json) as Advisory, affected: JSON.parse(r.data) }));
    });
  }

  private readonly tables = new Map<string, boolean>();
  private hasTable(name: string): boolean {
    let t = this.tables.get(name);
    if (t === undefined) this.tables.set(name, t = hasTable(this.db, name));
    return t;
  }

  /**
   * What the database holds per advisory ecosystem and source: records, data date (the newest
   * \`modified\`, not the import time), and whether that source is a complete export of the
   * ecosystem. Only a complete source makes coverage; a partial one's findings still count.
   */
  coverageSources(): StoredCoverageSource[] {
    const osv = this.sources().filter((s) => s.kind === 'osv');
    const out: StoredCoverageSource[] = [];
    for (const s of osv) {
      for (const [ecosystem, records] of Object.entries(s.ecosystems ?? {})) {
        out.push({ ecosystem, source: s.name, dataDate: s.dataDate, records, complete: s.complete.includes(ecosystem), how: s.how, basis: s.basis });
      }
    }
    // Sources from before ecosystems were counted per import: what the database holds of them, partial.
    const counted = new Set(osv.filter((s) => s.ecosystems).map((s) => s.name));
    for (const r of this.heldBySource()) if (!counted.has(r.source)) out.push({ ...r, complete: false, how: null, basis: BEFORE_COMPLETENESS });
    return out.sort((a, b) => (a.ecosystem < b.ecosystem ? -1 : a.ecosystem > b.ecosystem ? 1 : a.source < b.source ? -1 : 1));
  }

  /** Records held per ecosystem and source, whatever the sources say of themselves. Kept up to date by every update. */
  private heldBySource(): { ecosystem: string; source: string; dataDate: string | null; records: number }[] {
    if (this.hasTable('coverage_source')) {
      const rows = this.stmt('select ecosystem, source, data_date, records from coverage_source order by ecosystem, source').all() as Record<string, unknown>[];
      if (rows.length || !this.counts().advisories) return rows.map((r) => ({ ecosystem: String(r['ecosystem']), source: String(r['source']), dataDate: (r['data_date'] as string | null) ?? null, records: Number(r['records']) }));
    }
    return this.computeCoverageSources();
  }

  private computeCoverageSources(): { ecosystem: string; source: string; dataDate: string | null; records: number }[] {
    const src = hasColumn(this.db, 'advisory', 'source') ? "coalesce(a.source, 'osv')" : "'osv'";
    const rows = this.db.prepare(`select f.ecosystem as ecosystem, ${src} as source, max(a.modified) as data_date, count(distinct a.id) as records from affected f join advisory a on a.id = f.advisory_id group by f.ecosystem, ${src}`).all() as Record<string, unknown>[];
    if (this.hasTable('affected_repo')) {
      for (const x of this.db.prepare(`select 'GIT' as ecosystem, ${src} as source, max(a.modified) as data_date, count(distinct a.id) as records from affected_repo r join advisory a on a.id = r.advisory_id group by ${src}`).all() as Record<string, unknown>[]) rows.push(x);
    }
    const merged = new Map<string, { ecosystem: string; source: string; dataDate: string | null; records: number }>();
    for (const r of rows) {
      const ecosystem = coverageEcosystem(String(r['ecosystem']));
      if (!ecosystem) continue;
      const key = `${ecosystem}\0${String(r['source'])}`;
      const prev = merged.get(key);
      const dataDate = (r['data_date'] as string | null) ?? null;
      if (!prev) merged.set(key, { ecosystem, source: String(r['source']), dataDate, records: Number(r['records']) });
      else { prev.records += Number(r['records']); if (dataDate && (!prev.dataDate || dataDate > prev.dataDate)) prev.dataDate = dataDate; }
    }
    return [...merged.values()].sort((a, b) => (a.ecosystem < b.ecosystem ? -1 : a.ecosystem > b.ecosystem ? 1 : a.source < b.source ? -1 : 1));
  }

  /** Recompute the coverage summary; part of every atomic update. */
  refreshCoverageSources(): void {
    const rows = this.computeCoverageSources();
    this.db.exec('delete from coverage_source');
    const ins = this.db.prepare('insert into coverage_source(ecosystem, source, data_date, records) values (?, ?, ?, ?)');
    for (const r of rows) ins.run(r.ecosystem, r.source, r.dataDate, r.records);
  }

  kev(cve: string): KevEntry | undefined {
    const r = this.stmt('select data from kev where cve = ?').get(cve) as { data: string } | undefined;
    return r ? JSON.parse(r.data) : undefined;
  }

  epss(cve: string): { score: number; percentile: number } | undefined {
    return this.stmt('select score, percentile from epss where cve = ?').get(cve) as { score: number; percentile: number } | undefined;
  }
}

/**
 * Run `work` against a copy of the database and put the copy in place only when it succeeds.
 * The rename is atomic on POSIX file systems; a crash leaves at most a stray temporary file.
 */

const alive = (pid: number) => { try { process.kill(pid, 0); return true; } catch (e) { return (e as NodeJS.ErrnoException).code === 'EPERM'; } };

/**
 * One writer at a time: a lock file holding the writer's PID, taken with O_EXCL. A lock whose
 * process is gone is taken over; a live one is waited for (another import of the same database).
 */
async function takeLock(path: string, onWait?: (pid: number) => void): Promise<() => void> {
  const lock = `${path}.lock`;
  const deadline = Date.now() + 30 * 60_000;
  for (let told = false; ;) {
    try {
      const fd = openSync(lock, 'wx');
      writeSync(fd, String(process.pid));
      closeSync(fd);
      return () => rmSync(lock, { force: true });
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    }
    let pid = NaN;
    try { pid = Number(readFileSync(lock, 'utf8')); } catch { /* removed meanwhile */ }
    if (Number.isInteger(pid) && pid > 0 && !alive(pid)) { rmSync(lock, { force: true }); continue; }
    if (Date.now() > deadline) throw new Error(`${path} is being updated by process ${pid} for over 30 minutes; remove ${lock} if that process is gone`);
    if (!told) { onWait?.(pid); told = true; }
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** Copies left by a writer that was killed (kill -9 cannot be caught): removed when their process is gone. */
function removeLeftovers(path: string): void {
  const dir = dirname(path);
  const prefix = `${basename(path)}.update-`;
  let names: string[] = [];
  try { names = readdirSync(dir); } catch { return; }
  for (const n of names) {
    if (!n.startsWith(prefix)) continue;
    const pid = Number(n.slice(prefix.length).split('-')[0]);
    if (Number.isInteger(pid) && !alive(pid)) rmSync(join(dir, n), { force: true });
  }
}

/**
 * All of an update or nothing: the database is copied, the copy changed in one transaction and
 * renamed over the original only when everything succeeded. Writers take turns (a lock), copies
 * of killed writers are cleaned up, and Ctrl-C or SIGTERM removes this writer's copy.
 */
export async function updateAtomically<T>(path: string, work: (db: AdvisoryDb) => Promise<T>, onWait?: (pid: number) => void): Promise<T> {
  mkdirSync(dirname(path), { recursive: true });
  const unlock = await takeLock(path, onWait);
  removeLeftovers(path);
  const tmp = `${path}.update-${process.pid}-${Date.now()}`;
  const cleanup = () => { for (const f of [tmp, `${tmp}-journal`, `${tmp}-wal`, `${tmp}-shm`]) rmSync(f, { force: true }); };
  const onSignal = (signal: NodeJS.Signals) => { cleanup(); unlock(); process.exit(signal === 'SIGINT' ? 130 : 143); };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  let db: AdvisoryDb | undefined;
  try {
    if (existsSync(path)) copyFileSync(path, tmp);
    db = new AdvisoryDb(tmp);
    db.db.exec('begin');
    const result = await work(db);
    db.refreshCoverageSources();
    db.db.exec('commit');
    db.close();
    renameSync(tmp, path);
    return result;
  } catch (e) {
    try { db?.close(); } catch { /* already closed */ }
    cleanup();
    if (isStorageError(e)) throw new Error(`${path}: ${(e as Error).message}; the database was left as it was`, { cause: e });
    throw e;
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    unlock();
  }
}
