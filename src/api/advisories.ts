// Library entry points for the advisory database: import local files, report status and freshness.
import { resolve } from 'node:path';
import { AdvisoryDb, defaultDbPath, updateAtomically, type SourceStatus } from '../advisories/store.ts';
import { importPath, type ImportReport } from '../advisories/import.ts';
import type { SourceOrigin } from '../advisories/sources.ts';
import { DEFAULT_SOURCES, downloadAll } from '../advisories/download.ts';
import { rm } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { AwarenessStore } from '../advisories/awareness.ts';
import { cacheDir } from '../util/yaml.ts';
import { DEFAULT_MAX_AGE_DAYS } from './vulns.ts';
import { ageInDays } from '../advisories/coverage.ts';
import type { CatalogStatus } from '../catalogs/store.ts';
import type { Platform } from '../model/platforms.ts';

export { DEFAULT_MAX_AGE_DAYS };

export function dbPath(flag?: string): string {
  return flag ? resolve(flag) : defaultDbPath();
}

/** How files came to be imported: "db import" (optionally vouched complete), "db update" (downloads), or an upload to the server. */
export interface ImportWay { via?: 'import' | 'update' | 'upload'; vouched?: string[] }

function sourceOrigin(way: ImportWay, origin: string): SourceOrigin {
  if (way.via === 'update') return { how: `db update ${origin}` };
  const v = way.vouched?.length ? way.vouched.join(',') : undefined;
  if (way.via === 'upload') return { how: `POST /api/v1/advisories ${origin}${v ? ` (complete=${v})` : ''}`, vouched: way.vouched };
  return { how: `db import ${v ? `--complete ${v} ` : ''}${origin}`, vouched: way.vouched };
}

/** Import local files in one atomic update: all of them land, or none. */
export async function importAdvisories(path: string, inputs: string[], onProgress?: (msg: string) => void, origins?: readonly string[], platform?: Platform, way: ImportWay = {}): Promise<ImportReport[]> {
  return updateAtomically(path, async (db) => {
    const reports: ImportReport[] = [];
    for (const [i, input] of inputs.entries()) {
      const origin = origins?.[i] ?? resolve(input);
      onProgress?.(`importing ${origin}`);
      reports.push(await importPath(db, resolve(input), (n) => onProgress?.(`importing ${input}: ${n} records`), origin, platform, sourceOrigin(way, origin)));
    }
    return reports;
  }, (pid) => onProgress?.(`waiting for process ${pid}, which is updating ${path}`));
}

export interface DbStatus {
  path: string;
  exists: boolean;
  counts?: ReturnType<AdvisoryDb['counts']>;
  sources: (SourceStatus & { ageDays: number; stale: boolean })[];
  /** rosdistro caches and apt indexes imported into the database. */
  catalogs: CatalogStatus[];
}

export function advisoryStatus(path: string, maxAgeDays = DEFAULT_MAX_AGE_DAYS, now = new Date()): DbStatus {
  const db = AdvisoryDb.openForRead(path);
  if (!db) return { path, exists: false, sources: [], catalogs: [] };
  try {
    // Age is the data's own date (its newest record), not when it was imported: an old dump
    // imported today is still old. KEV and EPSS carry their release date as data date.
    const sources = db.sources().map((s) => {
      const ageDays = ageInDays(s.dataDate ?? s.importedAt, now);
      return { ...s, ageDays: Math.round(ageDays * 10) / 10, stale: ageDays > maxAgeDays };
    });
    return { path, exists: true, counts: db.counts(), sources, catalogs: db.catalogs().catalogs() };
  } finally {
    db.close();
  }
}

/**
 * Download the configured sources and import them in one atomic update. Any failed download,
 * short read or bad record leaves the previous database in place.
 */
export async function updateAdvisories(path: string, urls: readonly string[] = DEFAULT_SOURCES, onProgress?: (msg: string) => void, platform?: Platform): Promise<ImportReport[]> {
  const { dir, files } = await downloadAll(urls, onProgress);
  try {
    // Sources are named by where they came from, not by the temporary file.
    return await importAdvisories(path, files, onProgress, urls, platform, { via: 'update' });
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** When each finding was first seen is kept beside the advisory database, apart from it (updates replace the database). */
/**
 * The awareness store beside the advisory database; when that folder is read-only (a shared
 * mirror), the user's own cache folder; when neither can be written, none, and `note` says why.
 */
export function awarenessStoreFor(dbFile: string, onNote?: (note: string) => void): AwarenessStore | undefined {
  const beside = join(dirname(dbFile), 'awareness.sqlite');
  try { return new AwarenessStore(beside); } catch (e) {
    const own = join(cacheDir(), 'awareness.sqlite');
    if (own !== beside) {
      try {
        const store = new AwarenessStore(own);
        onNote?.(`cannot write ${beside} (${(e as Error).message}); moments of awareness are kept in ${own}`);
        return store;
      } catch { /* below */ }
    }
    onNote?.(`cannot write ${beside} (${(e as Error).message}): the moment of awareness is not recorded; Art. 14 clocks start now`);
    return undefined;
  }
}
