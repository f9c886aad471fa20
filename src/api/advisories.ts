// Library entry points for the advisory database: import local files, report status and freshness.
import { resolve } from 'node:path';
import { AdvisoryDb, defaultDbPath, updateAtomically, type SourceStatus } from '../advisories/store.ts';
import { importPath, type ImportReport } from '../advisories/import.ts';

export const DEFAULT_MAX_AGE_DAYS = 7;

export function dbPath(flag?: string): string {
  return flag ? resolve(flag) : defaultDbPath();
}

/** Import local files in one atomic update: all of them land, or none. */
export async function importAdvisories(path: string, inputs: string[], onProgress?: (msg: string) => void): Promise<ImportReport[]> {
  return updateAtomically(path, async (db) => {
    const reports: ImportReport[] = [];
    for (const input of inputs) {
      onProgress?.(`importing ${input}`);
      reports.push(await importPath(db, resolve(input), (n) => onProgress?.(`importing ${input}: ${n} records`)));
    }
    return reports;
  });
}

export interface DbStatus {
  path: string;
  exists: boolean;
  counts?: ReturnType<AdvisoryDb['counts']>;
  sources: (SourceStatus & { ageDays: number; stale: boolean })[];
}

export function advisoryStatus(path: string, maxAgeDays = DEFAULT_MAX_AGE_DAYS, now = new Date()): DbStatus {
  const db = AdvisoryDb.openForRead(path);
  if (!db) return { path, exists: false, sources: [] };
  try {
    const sources = db.sources().map((s) => {
      const ageDays = (now.getTime() - new Date(s.importedAt).getTime()) / 86_400_000;
      return { ...s, ageDays: Math.round(ageDays * 10) / 10, stale: ageDays > maxAgeDays };
    });
    return { path, exists: true, counts: db.counts(), sources };
  } finally {
    db.close();
  }
}
