// The catalogs an inventory uses: files named on the command line or in marque.yaml first, else
// what `marque db import` put into the database. A file is read once: its rows are kept in a
// per-content SQLite cache, so the next run looks packages up instead of parsing again.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { FileAccess, LIMITS } from '../util/file-access.ts';
import { DatabaseSync } from 'node:sqlite';
import type { Problem } from '../model/inventory.ts';
import type { Platform } from '../model/platforms.ts';
import { InputError, problemOf } from '../util/errors.ts';
import { cacheDir } from '../util/yaml.ts';
import { looksLikePackagesIndex, parsePackagesIndex, platformOfListFile, type AptPackage } from './apt-index.ts';
import { readCapped, readCatalogText, unpackCatalog } from './read.ts';
import { looksLikeRosCache, parseRosCache, type ReleasedManifest } from './rosdistro-cache.ts';
import { CatalogStore, platformKey, type CatalogStatus } from './store.ts';
import { isStorageError } from '../util/sqlite.ts';

export interface RosCatalog { distro: string; origins: string[]; dataDate: string | null; get(name: string): ReleasedManifest | undefined }
export interface AptCatalog { platform: string; origins: string[]; dataDate: string | null; packages(name: string): AptPackage[]; providers(name: string): AptPackage[] }

export interface CatalogSet { ros?: RosCatalog; apt?: AptCatalog; problems: Problem[] }

export interface CatalogRequest {
  rosdistro: string;
  platform: Platform;
  rosdistroCaches?: string[];
  aptIndexes?: string[];
  /** A database `marque db import` wrote catalogs into; used when no file is given. */
  db?: string;
}

/** The date the data was published: an apt list's InRelease Date, else the file's modification time. */
function dataDateOf(path: string): string | null {
  const inRelease = /_Packages(\.\w+)?$/.test(path) ? path.replace(/_[^_]+_binary-[^_]+_Packages(\.\w+)?$/, '_InRelease') : undefined;
  // InRelease sits beside the list apt keeps (/var/lib/apt/lists): read from the list's own folder, as any input.
  const text = inRelease && inRelease !== path ? (() => { try { return FileAccess.within(dirname(path)).readIfPresentSync(inRelease, LIMITS.policy); } catch { return undefined; } })() : undefined;
  if (text !== undefined) {
    const m = /^Date:\s*(.+)$/m.exec(text.slice(0, 8192));
    const d = m ? new Date(m[1]!) : undefined;
    if (d && !Number.isNaN(d.getTime())) return d.toISOString();
  }
  try { return statSync(path).mtime.toISOString(); } catch { return null; }
}

/**
 * Import one catalog file into a store: a rosdistro cache or an apt Packages index, told by
 * content. `platform` names the index's platform when its file name does not.
 */
export async function importCatalogFile(store: CatalogStore, path: string, platform?: Platform, origin = path): Promise<CatalogImport> {
  return importCatalogText(store, await readCatalogText(path), path, platform, origin);
}

/** What an import stored, and the entries it had to leave out (never dropped silently). */
export interface CatalogImport { status: CatalogStatus; skipped: { file: string; message: string }[] }

function importCatalogText(store: CatalogStore, text: string, path: string, platform?: Platform, origin = path): CatalogImport {
  if (looksLikeRosCache(text)) {
    const cache = parseRosCache(text, path);
    return { status: store.putRosCache(cache.distro, origin, cache.packages, dataDateOf(path)), skipped: cache.skipped };
  }
  if (looksLikePackagesIndex(text)) {
    const p = platformOfListFile(origin.includes('://') ? origin : basename(origin)) ?? platformOfListFile(basename(path)) ?? platform;
    if (!p) throw new InputError('an apt Packages index whose platform Marque cannot tell from its name; give --platform OS:CODENAME', path);
    return { status: store.putAptIndex(platformKey(p), origin, parsePackagesIndex(text), dataDateOf(path), `apt:${platformKey(p)}:${basename(origin)}`), skipped: [] };
  }
  throw new InputError('neither a rosdistro cache nor an apt Packages index', path, 1);
}

export function isCatalogFileName(name: string): boolean {
  return /(^|[_/])Packages(\.(gz|xz|lz4))?$/.test(name) || /-cache\.ya?ml(\.gz)?$/.test(name);
}

const opened = new Map<string, Promise<CatalogStore>>();

/** A file's own store, built once per content and platform, then reused. */
function storeForFile(path: string, platform: Platform, problems: Problem[]): Promise<CatalogStore> {
  const key = `${path}\0${platformKey(platform)}`;
  let p = opened.get(key);
  if (!p) {
    p = (async () => {
      const raw = await readCapped(path);
      const digest = createHash('sha256').update(raw).update(platformKey(platform)).update('catalog-v1').digest('hex');
      const dir = join(cacheDir(), 'catalogs');
      const file = join(dir, `${digest}.sqlite`);
      if (existsSync(file)) {
        try {
          const store = new CatalogStore(new DatabaseSync(file, { readOnly: true }), false);
          if (store.catalogs().length) return store;
        } catch { /* a damaged cache entry is rebuilt below */ }
      }
      // A cache folder that cannot be written (read-only, full) only costs speed: the store is then
      // built in memory, and no partial cache file is left behind.
      const build = (target: string): CatalogStore => {
        const db = new DatabaseSync(target);
        const store = new CatalogStore(db, true);
        try {
          db.exec('begin');
          // Reported when the store is built; a later run reads the store and finds those packages absent (leaves).
          const skipped = importCatalogText(store, unpackCatalog(raw, path), path, platform).skipped;
          db.exec('commit');
          for (const s of skipped) problems.push({ file: s.file, message: `left out: ${s.message}`, severity: 'warning' });
          return store;
        } catch (e) {
          db.close();
          throw e;
        }
      };
      const tmp = `${file}.${process.pid}.tmp`;
      try {
        mkdirSync(dir, { recursive: true });
        build(tmp).db.close();
        renameSync(tmp, file);
        return new CatalogStore(new DatabaseSync(file, { readOnly: true }), false);
      } catch (e) {
        rmSync(tmp, { force: true });
        if (!isStorageError(e) && !['EACCES', 'EROFS', 'ENOSPC', 'EPERM', 'ENOENT'].includes((e as NodeJS.ErrnoException).code ?? '')) throw e;
        return build(':memory:');
      }
    })();
    opened.set(key, p);
    p.catch(() => opened.delete(key));
  }
  return p;
}

function newest(dates: (string | null)[]): string | null {
  return dates.filter((d): d is string => !!d).sort().at(-1) ?? null;
}

export async function openCatalogs(req: CatalogRequest): Promise<CatalogSet> {
  const problems: Problem[] = [];
  const platform = platformKey(req.platform);
  const fileStores = async (files: string[] | undefined) => {
    const out: CatalogStore[] = [];
    for (const f of files ?? []) {
      try { out.push(await storeForFile(f, req.platform, problems)); } catch (e) { problems.push(problemOf(e, f)); }
    }
    return out;
  };
  const rosStores = (await fileStores(req.rosdistroCaches)).filter((s) => {
    if (s.hasRos(req.rosdistro)) return true;
    const other = s.catalogs().find((c) => c.kind === 'rosdistro-cache');
    problems.push({ file: other?.origin ?? '.', message: other ? `this is the rosdistro cache of ${other.scope}, not of ${req.rosdistro}; not used` : 'not a rosdistro cache; not used', severity: 'error' });
    return false;
  });
  const aptStores = (await fileStores(req.aptIndexes)).filter((s) => {
    if (s.hasApt(platform)) return true;
    const other = s.catalogs().find((c) => c.kind === 'apt-index');
    problems.push({ file: other?.origin ?? '.', message: other ? `this apt index is for ${other.scope}, not for ${platform}; not used` : 'not an apt Packages index; not used', severity: 'error' });
    return false;
  });
  let dbStore: CatalogStore | undefined;
  if (req.db && existsSync(req.db) && (!rosStores.length || !aptStores.length)) {
    try { dbStore = new CatalogStore(new DatabaseSync(req.db, { readOnly: true }), false); } catch (e) { problems.push(problemOf(e, req.db)); }
  }
  if (!rosStores.length && dbStore?.hasRos(req.rosdistro)) rosStores.push(dbStore);
  if (!aptStores.length && dbStore?.hasApt(platform)) aptStores.push(dbStore);

  const set: CatalogSet = { problems };
  if (rosStores.length) {
    const cats = rosStores.flatMap((s) => s.catalogs().filter((c) => c.kind === 'rosdistro-cache' && c.scope === req.rosdistro));
    const memo = new Map<string, ReleasedManifest | undefined>();
    set.ros = {
      distro: req.rosdistro, origins: cats.map((c) => c.origin), dataDate: newest(cats.map((c) => c.dataDate)),
      get(name) {
        if (!memo.has(name)) memo.set(name, rosStores.map((s) => s.rosRelease(req.rosdistro, name)).find(Boolean));
        return memo.get(name);
      },
    };
  }
  if (aptStores.length) {
    const cats = aptStores.flatMap((s) => s.catalogs().filter((c) => c.kind === 'apt-index' && c.scope === platform));
    set.apt = {
      platform, origins: cats.map((c) => c.origin), dataDate: newest(cats.map((c) => c.dataDate)),
      packages: (name) => aptStores.flatMap((s) => s.aptPackages(platform, name)),
      providers: (name) => aptStores.flatMap((s) => s.aptProviders(platform, name)),
    };
  }
  return set;
}

