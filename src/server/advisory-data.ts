// The advisory data a team server owns: its database file (--db), updated on a schedule with the
// same downloads and rules as "marque db update" (KEV hourly, OSV and EPSS daily by default; HTTPS,
// size caps, atomic), fed by imports through the API, and watched on disk, so that a "marque db
// import" by someone else is picked up too (the server reads the database's change log every few
// seconds). An import or update here calls onChange at once: the server then re-matches what it affected.
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

  /** Opened per use: an update replaces the file, and the next open sees the new data. */
  open(): AdvisoryDb | undefined {
    return AdvisoryDb.openForRead(this.path);
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
  async importFiles(files: string[], names: string[]): Promise<ImportReport[]> {
    const reports = await importAdvisories(this.path, files, undefined, names);
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
