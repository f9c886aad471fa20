// Importers of local advisory data: OSV records (a folder, one file, a JSON list, or OSV's
// per-ecosystem all.zip, read entry by entry), the CISA KEV catalogue (JSON) and FIRST EPSS (CSV).
import { FileAccess } from '../util/file-access.ts';
import { parseJsonText } from '../util/json.ts';
import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { byteLimit } from '../util/inflate.ts';
import { pipeline } from 'node:stream';
import yauzl from 'yauzl';
import type { KevEntry } from '../model/advisory.ts';
import { InputError } from '../util/errors.ts';
import { isRecord } from '../util/yaml.ts';
import { oneLine } from '../util/text.ts';
import { parseOsvText, toAdvisory, type OsvNote } from './osv.ts';
import { isStorageError, type AdvisoryDb } from './store.ts';
import { importCatalogFile, isCatalogFileName } from '../catalogs/open.ts';
import type { Platform } from '../model/platforms.ts';
import { checkVouch, completeness, SourceTally, type Container, type SourceOrigin } from './sources.ts';

/** An archive member larger than this is refused (the biggest real OSV record is a few MiB). */
export const MAX_ENTRY_BYTES = 64 * 1024 * 1024;
/** EPSS's daily CSV unpacks to about 10 MiB. */
const MAX_EPSS_BYTES = 256 * 1024 * 1024;
/** And an archive that unpacks to more than this in all. */
export const MAX_ARCHIVE_BYTES = 16 * 1024 * 1024 * 1024;

export interface ImportReport {
  source: string; kind: 'osv' | 'kev' | 'epss' | 'rosdistro-cache' | 'apt-index'; records: number; skipped: { file: string; message: string }[];
  /** OSV sources: the ecosystems it is a complete export of (empty: partial), and why. */
  complete?: string[]; basis?: string;
  /** OSV sources: what was left out of records that were kept (an alias that is not an id), with the file. */
  notes?: { file: string; message: string }[];
}

/** Collects the notes of an OSV import: each with its file, and the records they concern (for the source's basis). */
function noteTaker(report: ImportReport): { at: (file: string) => OsvNote; records: Set<string> } {
  const records = new Set<string>();
  return {
    records,
    at: (file) => (message, record) => {
      (report.notes ??= []).push({ file, message });
      records.add(record);
    },
  };
}

/** "osv:PyPI" for …/PyPI/all.zip, "osv:vulns" for a folder named vulns, and so on. */
export function sourceLabel(origin: string): string {
  const parts = origin.replace(/[?#].*$/, '').split('/').filter(Boolean).map((p) => { try { return decodeURIComponent(p); } catch { return p; } });
  const last = parts.at(-1) ?? origin;
  if (last === 'all.zip' && parts.length > 1) return parts.at(-2)!;
  // A saved copy of OSV's dump ("PyPI-all.zip", "PyPI.zip") is named after its ecosystem too.
  return last.replace(/(?:[-_.]all)?\.zip$/i, '') || last;
}

/**
 * Import one local file or folder; `origin` names where it came from when that is not the path (a
 * download), `from` how it was imported (kept with the source, with whether it is complete).
 */
export async function importPath(db: AdvisoryDb, path: string, onProgress?: (n: number) => void, origin = path, platform?: Platform, from: SourceOrigin = { how: `db import ${origin}` }): Promise<ImportReport> {
  const report = await importOne(db, path, onProgress, origin, platform, from);
  if (from.vouched?.length && report.kind !== 'osv') throw new InputError(`--complete vouches for OSV records; this is ${report.kind === 'kev' ? 'the KEV catalogue' : `a ${report.kind} file`}: import it without --complete`, path);
  return report;
}

async function importOne(db: AdvisoryDb, path: string, onProgress: ((n: number) => void) | undefined, origin: string, platform: Platform | undefined, from: SourceOrigin): Promise<ImportReport> {
  const info = await stat(path);
  if (info.isDirectory()) return importOsvFolder(db, path, onProgress, origin, from);
  if (/\.zip$/i.test(path)) return importOsvZip(db, path, onProgress, origin, from);
  if (/\.csv(\.gz)?$/i.test(path)) return importEpss(db, path, origin, from);
  // Catalogs (a rosdistro cache, apt Packages indexes) live in the same database.
  if (isCatalogFileName(path) || isCatalogFileName(origin)) {
    const { status, skipped } = await importCatalogFile(db.catalogs(), path, platform, origin);
    return { source: status.name, kind: status.kind, records: status.records, skipped };
  }
  // A path the user named: a root in itself (a regular file, read bounded).
  const text = await FileAccess.within(path).readText(path);
  // One file the user named: a record in it that cannot be read (an id that is not one) fails the import, naming the file.
  const report: ImportReport = { source: `osv:${sourceLabel(origin)}`, kind: 'osv', records: 0, skipped: [] };
  const notes = noteTaker(report);
  if (/\.ya?ml$/i.test(path)) return importOsvRecords(db, report, origin, [parseOsvText(text, path, notes.at(path))], from, notes.records);
  const data = parseJsonText(text, path);
  if (isRecord(data) && Array.isArray(data['vulnerabilities']) && 'catalogVersion' in data) return importKev(db, origin, data, from);
  const list = Array.isArray(data) ? data : isRecord(data) && Array.isArray(data['vulns']) ? data['vulns'] : [data];
  return importOsvRecords(db, report, origin, list.map((r) => toAdvisory(r, path, notes.at(path))), from, notes.records);
}

function importOsvRecords(db: AdvisoryDb, report: ImportReport, path: string, records: ReturnType<typeof toAdvisory>[], from: SourceOrigin, noted: Set<string>): ImportReport {
  report.records = records.length;
  const tally = new SourceTally();
  for (const r of records) { db.putAdvisory(r, report.source); tally.add(r); }
  return recordOsvSource(db, report, tally, 'file', path, from, noted);
}

/** The source an OSV import makes: its ecosystems, complete or partial and why, how it was imported. */
function recordOsvSource(db: AdvisoryDb, report: ImportReport, tally: SourceTally, container: Container, origin: string, from: SourceOrigin, noted: Set<string>): ImportReport {
  checkVouch(tally, from, origin);
  const c = completeness(tally, container, origin, from, report.skipped.length);
  // Ids dropped from records that were kept are said where the verdict is read (db import, db status).
  if (noted.size) {
    const first = [...noted].slice(0, 3).join(', ');
    c.basis += `; ${report.notes!.length} alias or related id(s) in ${noted.size} record(s) dropped as not OSV ids (${first}${noted.size > 3 ? ', …' : ''})`;
  }
  db.recordSource({ name: report.source, kind: 'osv', records: report.records, origin, dataDate: tally.newest, ecosystems: Object.fromEntries(tally.ecosystems), complete: c.complete, basis: c.basis, how: from.how });
  return Object.assign(report, c);
}

async function importOsvFolder(db: AdvisoryDb, dir: string, onProgress: ((n: number) => void) | undefined, origin: string, from: SourceOrigin): Promise<ImportReport> {
  const report: ImportReport = { source: `osv:${sourceLabel(origin)}`, kind: 'osv', records: 0, skipped: [] };
  const tally = new SourceTally();
  const notes = noteTaker(report);
  // The folder is the root: a record linked from outside it, or a FIFO, is skipped and named.
  const files = FileAccess.within(dir);
  const visit = async (d: string): Promise<void> => {
    for (const e of files.list(d)) {
      const p = join(d, e.name);
      if (e.isDirectory()) { await visit(p); continue; }
      if (!/\.(json|ya?ml)$/i.test(e.name)) continue;
      try {
        const a = parseOsvText(await files.readText(p, MAX_ENTRY_BYTES), p, notes.at(p));
        db.putAdvisory(a, report.source);
        tally.add(a);
        if (++report.records % 1000 === 0) onProgress?.(report.records);
      } catch (err) {
        if (isStorageError(err)) throw err;
        report.skipped.push({ file: p, message: err instanceof InputError ? `${err.where()}: ${err.message}` : (err as Error).message });
      }
    }
  };
  await visit(dir);
  return recordOsvSource(db, report, tally, 'folder', origin, from, notes.records);
}

/** OSV's all.zip, one member at a time: memory stays bounded by the largest record. */
export function importOsvZip(db: AdvisoryDb, path: string, onProgress?: (n: number) => void, origin = path, from: SourceOrigin = { how: `db import ${origin}` }): Promise<ImportReport> {
  const report: ImportReport = { source: `osv:${sourceLabel(origin)}`, kind: 'osv', records: 0, skipped: [] };
  const tally = new SourceTally();
  const notes = noteTaker(report);
  let total = 0;
  return new Promise((resolve, reject) => {
    let fd: number;
    try { fd = FileAccess.within(path).openFdSync(path); } catch (e) { reject(e as Error); return; }
    yauzl.fromFd(fd, { lazyEntries: true, validateEntrySizes: true, strictFileNames: true, autoClose: true }, (err, zip) => {
      if (err || !zip) return reject(new InputError(`not a readable zip archive: ${err?.message}`, path));
      const fail = (e: Error) => { zip.close(); reject(e); };
      // yauzl itself refuses unsafe member names (absolute, "..") and sizes that lie.
      zip.on('error', (e: Error) => fail(e instanceof InputError ? e : new InputError(`unsafe or corrupt archive: ${e.message}`, path)));
      zip.on('end', () => {
        try { resolve(recordOsvSource(db, report, tally, 'archive', origin, from, notes.records)); } catch (e) { reject(e as Error); }
      });
      zip.on('entry', (entry: yauzl.Entry) => {
        const name = entry.fileName;
        if (name.endsWith('/')) return zip.readEntry();
        if (name.startsWith('/') || name.split('/').includes('..')) return fail(new InputError(`archive member "${name}" escapes the archive (path traversal)`, path));
        if (entry.uncompressedSize > MAX_ENTRY_BYTES) return fail(new InputError(`archive member "${name}" is ${entry.uncompressedSize} bytes, over the ${MAX_ENTRY_BYTES}-byte limit`, path));
        total += entry.uncompressedSize;
        if (total > MAX_ARCHIVE_BYTES) return fail(new InputError(`archive unpacks to more than ${MAX_ARCHIVE_BYTES} bytes`, path));
        if (!/\.json$/i.test(name)) return zip.readEntry();
        zip.openReadStream(entry, (e2, stream) => {
          if (e2 || !stream) return fail(e2 ?? new Error('cannot read archive member'));
          const chunks: Buffer[] = [];
          stream.on('data', (c: Buffer) => chunks.push(c));
          stream.on('error', (e: Error) => fail(new InputError(`archive member "${name}": ${e.message}`, path)));
          stream.on('end', () => {
            // The member named as printable text: a name with a control character cannot repaint the terminal it is reported to.
            const member = `${path}:${oneLine(name)}`;
            try {
              const a = toAdvisory(JSON.parse(Buffer.concat(chunks).toString('utf8')), member, notes.at(member));
              db.putAdvisory(a, report.source);
              tally.add(a);
              if (++report.records % 1000 === 0) onProgress?.(report.records);
            } catch (e3) {
              if (isStorageError(e3)) return fail(e3 as Error);
              report.skipped.push({ file: member, message: (e3 as Error).message });
            }
            zip.readEntry();
          });
        });
      });
      zip.readEntry();
    });
  });
}

function importKev(db: AdvisoryDb, path: string, data: Record<string, unknown>, from: SourceOrigin): ImportReport {
  const entries: KevEntry[] = [];
  const skipped: ImportReport['skipped'] = [];
  for (const v of data['vulnerabilities'] as unknown[]) {
    if (!isRecord(v) || typeof v['cveID'] !== 'string' || typeof v['dateAdded'] !== 'string') {
      skipped.push({ file: path, message: 'KEV entry without cveID or dateAdded' });
      continue;
    }
    entries.push({
      cve: v['cveID'], dateAdded: v['dateAdded'], vendor: v['vendorProject'] as string, product: v['product'] as string,
      name: v['vulnerabilityName'] as string, dueDate: v['dueDate'] as string, ransomware: v['knownRansomwareCampaignUse'] as string,
      requiredAction: v['requiredAction'] as string,
    });
  }
  db.putKev(entries);
  db.recordSource({ name: 'kev', kind: 'kev', records: entries.length, origin: path, dataDate: String(data['dateReleased'] ?? data['catalogVersion'] ?? '') || null, how: from.how });
  return { source: 'kev', kind: 'kev', records: entries.length, skipped };
}

/** FIRST EPSS CSV: a "#model_version:…,score_date:…" comment line, then cve,epss,percentile. */
async function importEpss(db: AdvisoryDb, path: string, origin: string, from: SourceOrigin): Promise<ImportReport> {
  const { stream: input } = await FileAccess.within(path).openStream(path);
  // EPSS's daily file unpacks to ~10 MiB: a bomb is refused while inflating.
  // node:readline and node:zlib taken here, not at load: an inventory loads this module without importing EPSS.
  const { createInterface } = process.getBuiltinModule('node:readline');
  const lines = createInterface({ input: /\.gz$/i.test(path) ? pipeline(input, process.getBuiltinModule('node:zlib').createGunzip(), byteLimit(MAX_EPSS_BYTES, path), () => { /* errors reach the reader through the last stream */ }) : input, crlfDelay: Infinity });
  const rows: { cve: string; score: number; percentile: number }[] = [];
  let date: string | null = null;
  let lineNo = 0;
  for await (const line of lines) {
    lineNo++;
    if (line.startsWith('#')) { date = /score_date:([^,\s]+)/.exec(line)?.[1] ?? date; continue; }
    if (/^cve,/i.test(line) || !line.trim()) continue;
    const [cve, score, percentile] = line.split(',');
    const s = Number(score);
    const p = Number(percentile);
    // Scores and percentiles are probabilities: finite numbers written in decimal between 0 and 1.
    const prob = (t: string | undefined, n: number) => t !== undefined && /^\s*(?:0|1|0?\.\d+|[01]\.\d+|\d(?:\.\d+)?e-\d+)\s*$/i.test(t) && n >= 0 && n <= 1;
    if (!cve || !/^CVE-\d+-\d+$/.test(cve) || !prob(score, s) || !prob(percentile, p)) throw new InputError(`not an EPSS row (a CVE id, then two probabilities between 0 and 1): "${line.slice(0, 80)}"`, path, lineNo);
    rows.push({ cve, score: s, percentile: p });
  }
  db.putEpss(rows, date);
  db.recordSource({ name: 'epss', kind: 'epss', records: rows.length, origin, dataDate: date, how: from.how });
  return { source: 'epss', kind: 'epss', records: rows.length, skipped: [] };
}
