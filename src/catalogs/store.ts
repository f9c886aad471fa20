// Catalogs in SQLite: the released ROS package.xml files of a distribution and apt's package
// indexes of a platform. The same tables live in the advisory database (`marque db import`) and
// in a per-file cache for files given on the command line, so a second run reads rows on demand
// instead of parsing megabytes of YAML or deb822 again.
import type { DatabaseSync } from 'node:sqlite';
import { hasTable } from '../util/sqlite.ts';
import type { AptPackage } from './apt-index.ts';
import type { ReleasedManifest } from './rosdistro-cache.ts';

export const CATALOG_SCHEMA = `
create table if not exists catalog(name text primary key, kind text not null, scope text not null, records integer not null, origin text not null, imported_at text not null, data_date text);
create table if not exists ros_release(distro text not null, name text not null, manifest text not null, origin text not null, primary key(distro, name));
create table if not exists apt_package(platform text not null, name text not null, data text not null, origin text not null);
create index if not exists apt_package_name on apt_package(platform, name);
create index if not exists apt_package_origin on apt_package(origin);
create table if not exists apt_provides(platform text not null, virtual text not null, provider text not null, data text not null, origin text not null);
create index if not exists apt_provides_virtual on apt_provides(platform, virtual);
create index if not exists apt_provides_origin on apt_provides(origin);
`;

export type CatalogKind = 'rosdistro-cache' | 'apt-index';

export interface CatalogStatus { name: string; kind: CatalogKind; scope: string; records: number; origin: string; importedAt: string; dataDate: string | null }

export function platformKey(p: { os: string; codename: string }): string {
  return `${p.os}:${p.codename}`;
}

export class CatalogStore {
  readonly db: DatabaseSync;
  private readonly statements = new Map<string, ReturnType<DatabaseSync['prepare']>>();
  private readonly present: boolean;

  constructor(db: DatabaseSync, create: boolean) {
    this.db = db;
    if (create) db.exec(CATALOG_SCHEMA);
    // A database from before catalogs existed has no such tables: it simply holds no catalog.
    this.present = hasTable(db, 'catalog');
  }

  private stmt(sql: string): ReturnType<DatabaseSync['prepare']> {
    let st = this.statements.get(sql);
    if (!st) { st = this.db.prepare(sql); this.statements.set(sql, st); }
    return st;
  }

  putRosCache(distro: string, origin: string, packages: ReleasedManifest[], dataDate: string | null): CatalogStatus {
    this.stmt('delete from ros_release where distro = ?').run(distro);
    const ins = this.stmt('insert or replace into ros_release(distro, name, manifest, origin) values (?, ?, ?, ?)');
    for (const p of packages) ins.run(distro, p.name, JSON.stringify(p), origin);
    return this.record({ name: `rosdistro-cache:${distro}`, kind: 'rosdistro-cache', scope: distro, records: packages.length, origin, dataDate });
  }

  putAptIndex(platform: string, origin: string, packages: AptPackage[], dataDate: string | null, name: string): CatalogStatus {
    this.stmt('delete from apt_package where origin = ?').run(origin);
    this.stmt('delete from apt_provides where origin = ?').run(origin);
    const ins = this.stmt('insert into apt_package(platform, name, data, origin) values (?, ?, ?, ?)');
    const prov = this.stmt('insert into apt_provides(platform, virtual, provider, data, origin) values (?, ?, ?, ?, ?)');
    for (const p of packages) {
      const data = JSON.stringify(p);
      ins.run(platform, p.name, data, origin);
      if (p.provides) {
        for (const v of p.provides.split(',')) {
          const virtual = v.trim().replace(/\s*\(.*$/, '').replace(/:\w+$/, '');
          if (virtual) prov.run(platform, virtual, p.name, data, origin);
        }
      }
    }
    return this.record({ name, kind: 'apt-index', scope: platform, records: packages.length, origin, dataDate });
  }

  private record(s: Omit<CatalogStatus, 'importedAt'>): CatalogStatus {
    const status = { ...s, importedAt: new Date().toISOString() };
    this.stmt('insert or replace into catalog(name, kind, scope, records, origin, imported_at, data_date) values (?, ?, ?, ?, ?, ?, ?)')
      .run(status.name, status.kind, status.scope, status.records, status.origin, status.importedAt, status.dataDate);
    return status;
  }

  catalogs(): CatalogStatus[] {
    if (!this.present) return [];
    return (this.stmt('select name, kind, scope, records, origin, imported_at, data_date from catalog order by name').all() as Record<string, unknown>[])
      .map((r) => ({ name: String(r['name']), kind: r['kind'] as CatalogKind, scope: String(r['scope']), records: Number(r['records']), origin: String(r['origin']), importedAt: String(r['imported_at']), dataDate: (r['data_date'] as string | null) ?? null }));
  }

  hasRos(distro: string): boolean {
    return this.present && Boolean(this.stmt('select 1 from ros_release where distro = ? limit 1').get(distro));
  }

  rosRelease(distro: string, name: string): ReleasedManifest | undefined {
    if (!this.present) return undefined;
    const r = this.stmt('select manifest from ros_release where distro = ? and name = ?').get(distro, name) as { manifest: string } | undefined;
    return r ? JSON.parse(r.manifest) as ReleasedManifest : undefined;
  }

  hasApt(platform: string): boolean {
    return this.present && Boolean(this.stmt('select 1 from apt_package where platform = ? limit 1').get(platform));
  }

  aptPackages(platform: string, name: string): AptPackage[] {
    if (!this.present) return [];
    return (this.stmt('select data from apt_package where platform = ? and name = ?').all(platform, name) as { data: string }[]).map((r) => JSON.parse(r.data) as AptPackage);
  }

  aptProviders(platform: string, virtual: string): AptPackage[] {
    if (!this.present) return [];
    return (this.stmt('select data from apt_provides where platform = ? and virtual = ?').all(platform, virtual) as { data: string }[]).map((r) => JSON.parse(r.data) as AptPackage);
  }
}
