// RPM's package database (Red Hat, Fedora, Rocky, Alma, SUSE). rpmdb.sqlite, the default since rpm
// 4.16, is read with node:sqlite (read-only); the Berkeley DB hash database "Packages" of older
// systems (CentOS 7, RHEL/UBI 7 and 8, Amazon Linux 2) with Marque's own page reader
// (src/parsers/bdb-hash.ts); the NDB database "Packages.db" of SUSE (SLE 15, Leap 15) with ndb.ts.
// Each holds one package header per record: an index of (tag, type, offset, count) entries and a
// data store, read by parseHeader and made into components alike.
import { DatabaseSync } from 'node:sqlite';
import { makePurl } from '../../model/purl.ts';
import { mapLicenses } from '../../util/license.ts';
import { InputError, problemOf } from '../../util/errors.ts';
import { readBdbHash } from '../../parsers/bdb-hash.ts';
import { readNdb } from './ndb.ts';
import { FragmentBuilder } from '../common/fragment.ts';
import { osReleaseAt } from '../common/os-release.ts';
import type { Extractor, ExtractContext, FoundFile, InventoryFragment, ReadBeside } from '../extractor.ts';
import type { Component } from '../../model/inventory.ts';

const TAG = { name: 1000, version: 1001, release: 1002, epoch: 1003, license: 1014, vendor: 1011, url: 1020, arch: 1022, sourceRpm: 1044, provideName: 1047, requireName: 1049, dirIndexes: 1116, baseNames: 1117, dirNames: 1118 } as const;
type Value = string | string[] | number[];

/** One package header (as stored in the database: no lead, no magic): tag → value. */
export function parseHeader(blob: Uint8Array): Map<number, Value> {
  const b = Buffer.from(blob.buffer, blob.byteOffset, blob.byteLength);
  if (b.length < 8) throw new Error('header shorter than its preamble');
  const il = b.readUInt32BE(0), dl = b.readUInt32BE(4);
  const store = 8 + il * 16;
  if (il > 100_000 || store + dl > b.length) throw new Error(`header claims ${il} entries and ${dl} bytes, more than it holds`);
  const out = new Map<number, Value>();
  const strings = (at: number, count: number): string[] => {
    const r: string[] = [];
    let p = store + at;
    for (let i = 0; i < count && p < store + dl; i++) { const end = b.indexOf(0, p); if (end < 0 || end > store + dl) break; r.push(b.toString('utf8', p, end)); p = end + 1; }
    return r;
  };
  for (let i = 0; i < il; i++) {
    const e = 8 + i * 16;
    const tag = b.readUInt32BE(e), type = b.readUInt32BE(e + 4), offset = b.readUInt32BE(e + 8), count = b.readUInt32BE(e + 12);
    if (offset >= dl) continue;
    if (type === 6 || type === 9) out.set(tag, strings(offset, 1)[0] ?? '');
    else if (type === 8) out.set(tag, strings(offset, Math.min(count, 1_000_000)));
    else if (type === 4) { const n: number[] = []; for (let k = 0; k < count && store + offset + k * 4 + 4 <= store + dl; k++) n.push(b.readUInt32BE(store + offset + k * 4)); out.set(tag, n); }
  }
  return out;
}

const str = (h: Map<number, Value>, t: number) => { const v = h.get(t); return typeof v === 'string' ? v : undefined; };
const list = (h: Map<number, Value>, t: number) => { const v = h.get(t); return Array.isArray(v) ? v : []; };

export function readRpmDb(path: string, file: string, distro?: { id: string; version?: string }): InventoryFragment {
  let db: DatabaseSync;
  try { db = new DatabaseSync(path, { readOnly: true }); } catch (e) { throw new InputError(`not a readable SQLite database: ${(e as Error).message}`, file); }
  try {
    let rows: { hnum: number; blob: Uint8Array }[];
    try { rows = db.prepare('SELECT hnum, blob FROM Packages').all() as typeof rows; } catch (e) { throw new InputError(`not an rpm database (no Packages table): ${(e as Error).message}`, file); }
    return fromHeaders(rows, file, distro);
  } finally { db.close(); }
}

/** A Berkeley DB "Packages" file's bytes: its records are header number (4 bytes, the database's byte order) → header. */
export function readRpmBdb(data: Uint8Array, file: string, distro?: { id: string; version?: string }): InventoryFragment {
  const db = readBdbHash(data, file);
  const rows: { hnum: number; blob: Uint8Array }[] = [];
  for (const { key, value } of db.entries) {
    if (key.length !== 4) throw new InputError(`Berkeley DB: a key of ${key.length} bytes, not a 4-byte header number: not an rpm Packages database`, file);
    const hnum = db.littleEndian ? key.readUInt32LE(0) : key.readUInt32BE(0);
    if (hnum !== 0) rows.push({ hnum, blob: value }); // record 0 holds the next header number to give, not a header
  }
  return fromHeaders(rows, file, distro);
}

/** An NDB "Packages.db" file's bytes (SUSE). */
export function readRpmNdb(data: Uint8Array, file: string, distro?: { id: string; version?: string }): InventoryFragment {
  return fromHeaders(readNdb(data, file), file, distro);
}

function fromHeaders(rows: Iterable<{ hnum: number; blob: Uint8Array }>, file: string, distro?: { id: string; version?: string }): InventoryFragment {
  const b = new FragmentBuilder();
  const byName = new Map<string, string>();
  const provides = new Map<string, string>();
  const files = new Map<string, string>();
  const requires: [string, string[]][] = [];
  for (const row of rows) {
    let h: Map<number, Value>;
    try { h = parseHeader(row.blob); } catch (e) { throw new InputError(`package header ${row.hnum}: ${(e as Error).message}`, file); }
    const name = str(h, TAG.name);
    if (!name || name === 'gpg-pubkey') continue; // imported signing keys are headers too, not packages
    const version = str(h, TAG.version) ?? '', release = str(h, TAG.release) ?? '';
    const epoch = (h.get(TAG.epoch) as number[] | undefined)?.[0];
    const arch = str(h, TAG.arch);
    const qualifiers: Record<string, string> = { ...(arch ? { arch } : {}), ...(epoch !== undefined ? { epoch: String(epoch) } : {}), ...(distro ? { distro: `${distro.id}-${distro.version ?? ''}`.replace(/-$/, '') } : {}) };
    const license = str(h, TAG.license);
    const lic = mapLicenses(license ? [license] : []);
    const c: Component = {
      purl: makePurl({ type: 'rpm', namespace: distro?.id ?? 'rpm', name, version: `${version}-${release}`, ...(Object.keys(qualifiers).length ? { qualifiers } : {}) }),
      // The version as rpm compares it: epoch:version-release.
      name, version: `${epoch !== undefined ? `${epoch}:` : ''}${version}-${release}`, ecosystem: 'rpm', licenses: [...lic.spdx, ...lic.raw], sourceFile: file, dependenciesComplete: true,
      properties: { ...(str(h, TAG.sourceRpm) ? { 'rpm:sourceRpm': str(h, TAG.sourceRpm)! } : {}), ...(str(h, TAG.vendor) ? { 'rpm:vendor': str(h, TAG.vendor)! } : {}) },
    };
    if (license) c.licensesDeclared = [license];
    if (str(h, TAG.url)) c.homepage = str(h, TAG.url);
    const purl = b.component(c);
    byName.set(name, purl);
    for (const p of list(h, TAG.provideName) as string[]) if (!provides.has(p)) provides.set(p, purl);
    const dirs = list(h, TAG.dirNames) as string[], idx = list(h, TAG.dirIndexes) as number[];
    (list(h, TAG.baseNames) as string[]).forEach((base, i) => { const d = dirs[idx[i] ?? -1]; if (d !== undefined) files.set(d + base, purl); });
    requires.push([purl, list(h, TAG.requireName) as string[]]);
  }
  const targets = new Set<string>();
  for (const [from, reqs] of requires) {
    for (const r of new Set(reqs)) {
      if (r.startsWith('rpmlib(') || r.startsWith('config(')) continue; // rpm's own features, a package's own config
      const to = byName.get(r) ?? provides.get(r) ?? files.get(r);
      if (to) { if (to !== from) { b.edge(from, to, 'runtime'); targets.add(to); } }
      else b.missing({ key: r, package: from, from, file, reason: 'not installed in the image' });
    }
  }
  for (const purl of byName.values()) if (!targets.has(purl)) b.markRoot(purl);
  return b.build();
}

function distroBeside(root: string, beside: ReadBeside): { id: string; version?: string } | undefined {
  const o = osReleaseAt(root, beside);
  return o?.['ID'] ? { id: o['ID'], version: o['VERSION_ID'] } : undefined;
}

const SQLITE = ['var/lib/rpm/rpmdb.sqlite', 'usr/lib/sysimage/rpm/rpmdb.sqlite'];
const BDB = ['var/lib/rpm/Packages', 'usr/lib/sysimage/rpm/Packages'];
const NDB = ['var/lib/rpm/Packages.db', 'usr/lib/sysimage/rpm/Packages.db'];
const ends = (rel: string, list: string[]) => list.some((p) => rel === p || (rel.endsWith(p) && rel[rel.length - p.length - 1] === '/'));
/** The names the databases have: the walk asks about every file of a tree, and most are none of these. */
const DB_NAMES = new Set([...SQLITE, ...BDB, ...NDB].map((p) => p.slice(p.lastIndexOf('/') + 1)));
const folder = (rel: string) => rel.slice(0, rel.lastIndexOf('/') + 1);

async function extract(files: FoundFile[], ctx: ExtractContext): Promise<InventoryFragment> {
  const out: InventoryFragment = { components: [], dependencies: [], unresolved: [] };
  const withSqlite = new Set(files.filter((f) => ends(f.rel, SQLITE)).map((f) => folder(f.rel)));
  for (const f of files) {
    const bdb = ends(f.rel, BDB), ndb = ends(f.rel, NDB);
    if ((bdb || ndb) && withSqlite.has(folder(f.rel))) {
      // Left over from a conversion: rpm 4.16 and later read rpmdb.sqlite, so its packages are the installed ones.
      ctx.problem({ file: f.rel, message: `${bdb ? 'a Berkeley DB' : 'an NDB'} rpm database beside rpmdb.sqlite, which rpm reads instead: not read`, severity: 'warning' });
      continue;
    }
    try {
      const root = f.path.slice(0, f.path.length - ([...SQLITE, ...BDB, ...NDB].find((p) => ends(f.rel, [p])) ?? '').length);
      const distro = distroBeside(root, ctx.beside);
      const part = bdb ? readRpmBdb(await ctx.files.readBytes(f.path), f.rel, distro)
        : ndb ? readRpmNdb(await ctx.files.readBytes(f.path), f.rel, distro)
        : readRpmDb(ctx.files.regularFile(f.path), f.rel, distro);
      for (const c of part.components) out.components.push(c);
      for (const d of part.dependencies) out.dependencies.push(d);
      for (const u of part.unresolved ?? []) out.unresolved!.push(u);
    } catch (e) { ctx.problem(problemOf(e, f.rel)); }
  }
  return out;
}

export const rpmExtractor: Extractor = {
  id: 'rpm',
  claims: (rel, name) => DB_NAMES.has(name) && (ends(rel, SQLITE) || ends(rel, BDB) || ends(rel, NDB)),
  extract,
};
