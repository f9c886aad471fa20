// The advisory data a team server owns: its database file (--db), updated on a schedule with the
// same downloads and rules as "marque db update" (KEV hourly, OSV and EPSS daily by default; HTTPS,
// size caps, atomic), fed by imports through the API, and watched on disk, so that a "marque db
// import" by someone else is picked up too (the server reads the database's change log every few
// seconds). An import or update here calls onChange at once: the server then re-matches what it affected.
import { statSync } from 'node:fs';
import { AdvisoryDb, updateAtomically } from '../advisories/store.ts';
import { dataId } from '../advisories/changes.ts';
import { importAdvisories, updateAdvisories } from '../api/advisories.ts';
import type { ImportReport } from '../advisories/import.ts';
import { DEFAULT_SOURCES } from '../advisories/download.ts';

export type SourceKind = 'osv' | 'kev' | 'epss';

/** Minutes between scheduled updates per kind of source (0: never). */
export type UpdateSchedule = Record<SourceKind, number>;
export const DEFAULT_SCHEDULE: UpdateSchedule = { kev: 60, osv: 24 * 60, epss: 24 * 60 };

/** What a download URL is, by its name: the KEV catalogue, an EPSS CSV, or (anything else) OSV records. */
export function sourceKind(url: string): SourceKind {
  const path = url.replace(/[?#].*$/, '').toLowerCase();
  if (/known_exploited_vulnerabilities[^/]*\.json$|\/kev[^/]*\.json$/.test(path)) return 'kev';
  if (/\.csv(\.gz)?$/.test(path)) return 'epss';
  return 'osv';
}

/** After a failed download, the next try waits this long (or the schedule's interval, if shorter). */
const RETRY_MS = 15 * 60_000;

export interface AdvisoryDataOptions {
  sources?: readonly string[];
  schedule?: UpdateSchedule;
  /** No scheduled downloads: imports (API, files) only. */
  offline?: boolean;
  log: (level: 'info' | 'warn' | 'error', msg: string, details?: Record<string, unknown>) => void;
  onChange: () => void;
}

export class ServerAdvisoryData {
  readonly path: string;
  private readonly o: AdvisoryDataOptions;
  private readonly failedAt = new Map<SourceKind, number>();

  constructor(path: string, o: AdvisoryDataOptions) {
    this.path = path;
    this.o = o;
  }

  /** A handle of its own (the caller closes it): an update replaces the file, and the next open sees the new data. */
  open(): AdvisoryDb | undefined {
    return AdvisoryDb.openForRead(this.path);
  }

  private current: { db: AdvisoryDb; version: string; users: number; stale: boolean } | undefined;

  /**
   * Runs `fn` on the database as the file is now, through one handle kept open while the file is
   * unchanged (its page cache and per-package lookups stay warm across matches and change-log reads);
   * a new version of the file (updates replace it) gets a new handle, the old one closes when its
   * last user is done. Undefined when there is no database.
   */
  async use<T>(fn: (db: AdvisoryDb) => Promise<T>): Promise<T | undefined> {
    const version = fileVersion(this.path);
    if (!version) return undefined;
    if (this.current?.version !== version) {
      const old = this.current;
      this.current = undefined;
      if (old) { old.stale = true; if (!old.users) old.db.close(); }
      const db = this.open();
      if (!db) return undefined;
      this.current = { db, version, users: 0, stale: false };
    }
    const c = this.current!;
    c.users++;
    try {
      return await fn(c.db);
    } finally {
      c.users--;
      if (c.stale && !c.users) c.db.close();
    }
  }

  /** Closes the kept handle (the server stops; nothing uses it any more). */
  close(): void {
    const c = this.current;
    this.current = undefined;
    if (c && !c.users) c.db.close();
    else if (c) c.stale = true;
  }

  /**
   * A database written before changes were logged gets its change log (an empty atomic update adds
   * it); the releases are then matched in full once, as after a matcher upgrade.
   */
  async prepare(): Promise<void> {
    const db = this.open();
    if (!db) return;
    const id = dataId(db);
    db.close();
    if (id) return;
    this.o.log('info', 'adding a change log to the advisory database', { db: this.path });
    await updateAtomically(this.path, async () => {});
  }

  /** Imports files (an upload through the API), all or none, then tells onChange. */
  async importFiles(files: string[], names: string[], vouched?: string[]): Promise<ImportReport[]> {
    const reports = await importAdvisories(this.path, files, undefined, names, undefined, { via: 'upload', vouched });
    this.o.onChange();
    return reports;
  }

  /** Downloads each kind of source whose interval has passed since its last import (by the database's own record). */
  async updateDue(now = new Date()): Promise<void> {
    if (this.o.offline) return;
    const schedule = this.o.schedule ?? DEFAULT_SCHEDULE;
    const urls = this.o.sources ?? DEFAULT_SOURCES;
    const imported = new Map<SourceKind, number>();
    const db = this.open();
    try {
      for (const s of db?.sources() ?? []) {
        const kind = s.kind as SourceKind;
        if (kind !== 'osv' && kind !== 'kev' && kind !== 'epss') continue;
        const at = Date.parse(s.importedAt);
        // The oldest source of a kind decides: every OSV ecosystem is updated together.
        imported.set(kind, Math.min(imported.get(kind) ?? Infinity, at));
      }
    } finally {
      db?.close();
    }
    for (const kind of ['kev', 'osv', 'epss'] as const) {
      const minutes = schedule[kind];
      const mine = urls.filter((u) => sourceKind(u) === kind);
      if (!(minutes > 0) || !mine.length) continue;
      const last = imported.get(kind);
      const failed = this.failedAt.get(kind);
      if (last !== undefined && now.getTime() - last < minutes * 60_000) continue;
      if (failed !== undefined && now.getTime() - failed < Math.min(RETRY_MS, minutes * 60_000)) continue;
      try {
        const t0 = Date.now();
        const reports = await updateAdvisories(this.path, mine);
        this.failedAt.delete(kind);
        this.o.log('info', `advisory update: ${kind}`, { sources: reports.map((r) => `${r.source} ${r.records}`), ms: Date.now() - t0 });
        this.o.onChange();
      } catch (e) {
        this.failedAt.set(kind, now.getTime());
        this.o.log('warn', `advisory update failed: ${kind}; the data stays as it was`, { reason: (e as Error).message });
      }
    }
  }

  /** Each source's last import, for /metrics. */
  sources(): { name: string; kind: string; importedAt: string; dataDate: string | null }[] {
    const db = this.open();
    try { return db?.sources() ?? []; } finally { db?.close(); }
  }
}

/** Which version of the file is there: a replaced file has another inode (and time). */
function fileVersion(path: string): string | undefined {
  try {
    const st = statSync(path);
    return `${st.ino}:${st.mtimeMs}:${st.size}`;
  } catch {
    return undefined;
  }
}
