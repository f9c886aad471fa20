// Whether one import of OSV records is a complete export of an ecosystem. Coverage rests only on
// complete sources: a database holding *some* records of an ecosystem says nothing about the
// packages it holds no record of. Complete is what an import can show: OSV's per-ecosystem archive
// (all.zip, named after its ecosystem, every record naming that ecosystem: the download "db update"
// makes, the GIT dump, a Debian or Ubuntu release dump), or a mirror the user vouches for by name at
// import (--complete ECOSYSTEM). Anything else is partial: its findings count, its coverage does not.
// A name and a uniform content are easy to fake: a zip named PyPI/all.zip holding one record would
// make every PyPI component "covered". So an archive must also hold at least the floor of records
// data/osv-exports.json keeps for that ecosystem's export (with the figures it rests on, cited);
// below it, it is partial, whether imported from a file or downloaded by "db update" (OSV's bucket
// has served empty and stale archives: google/osv.dev issues 451 and 2708).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Advisory } from '../model/advisory.ts';
import { InputError } from '../util/errors.ts';
import { PACKAGE_ROOT } from '../util/package.ts';
import { coverageEcosystem } from './ecosystems.ts';

/** What an import was: how a source was brought in, kept with the source. */
export interface SourceOrigin {
  /** The command and place, e.g. "db update https://…/PyPI/all.zip", "db import /data/vulns". */
  how: string;
  /** The ecosystems the user vouches this import is a complete mirror of (db import --complete). */
  vouched?: string[];
}

/** The advisory ecosystems one record speaks of, in coverage form ("Debian:12", "PyPI", "GIT"). */
export function recordEcosystems(a: Advisory): Set<string> {
  const out = new Set<string>();
  for (const aff of a.affected) {
    const e = aff.package ? coverageEcosystem(aff.package.ecosystem) : undefined;
    if (e) out.add(e);
    if ((aff.ranges ?? []).some((r) => r.type === 'GIT' && r.repo)) out.add('GIT');
  }
  return out;
}

/** The family of a coverage ecosystem: "Debian:12" → "Debian"; what an archive named "Debian" holds. */
const family = (e: string) => e.split(':')[0]!;

/** Counts what one import brought, record by record, to decide afterwards whether it is complete. */
export class SourceTally {
  records = 0;
  newest: string | null = null;
  /** Coverage ecosystem → records naming it. */
  readonly ecosystems = new Map<string, number>();
  private readonly families = new Map<string, number>();

  add(a: Advisory): void {
    this.records++;
    if (!this.newest || a.modified > this.newest) this.newest = a.modified;
    const es = recordEcosystems(a);
    for (const e of es) this.ecosystems.set(e, (this.ecosystems.get(e) ?? 0) + 1);
    for (const f of new Set([...es].map(family))) this.families.set(f, (this.families.get(f) ?? 0) + 1);
  }

  /** Records naming this ecosystem: a family ("Debian") or one release of it ("Debian:12"). */
  naming(ecosystem: string): number {
    return ecosystem.includes(':') ? this.ecosystems.get(coverageEcosystem(ecosystem) ?? ecosystem) ?? 0 : this.families.get(ecosystem) ?? 0;
  }

  /** The one family every record names (GIT ranges beside a package's ecosystem aside), if there is one. */
  soleFamily(): string | undefined {
    let all = [...this.families].filter(([, n]) => n === this.records).map(([f]) => f);
    if (all.length > 1) all = all.filter((f) => f !== 'GIT');
    return all.length === 1 ? all[0] : undefined;
  }

  /** The coverage ecosystems an archive of `ecosystem` (a family, or one release) makes complete. */
  coveredBy(ecosystem: string): string[] {
    if (ecosystem.includes(':')) return [coverageEcosystem(ecosystem) ?? ecosystem];
    return [...this.ecosystems.keys()].filter((e) => family(e) === ecosystem).sort();
  }

  /** "npm 1, Maven 4" */
  describe(): string {
    return [...this.families].sort((a, b) => b[1] - a[1]).map(([f, n]) => `${f} ${n}`).join(', ') || 'no ecosystem';
  }
}

export interface Completeness {
  /** Coverage ecosystems this import is a complete export of; empty when it is partial. */
  complete: string[];
  /** Why, in words a person reads in "db status". */
  basis: string;
}

/**
 * The ecosystem names OSV defines (ossf/osv-schema ecosystems.json, Apache-2.0), and GIT (osv.dev's
 * bucket of records whose ranges name a repository): a folder named so is a claim about its archive.
 */
const OSV_DEFINED_ECOSYSTEMS = new Set(['AlmaLinux', 'Alpaquita', 'Alpine', 'Android', 'Azure Linux', 'BellSoft Hardened Containers', 'Bioconductor', 'Bitnami', 'Chainguard', 'CleanStart', 'ConanCenter', 'CRAN', 'crates.io', 'Debian', 'Docker Hardened Images', 'Echo', 'FreeBSD', 'GHC', 'GitHub Actions', 'Go', 'Hackage', 'Hex', 'Julia', 'Kubernetes', 'Linux', 'Mageia', 'Maven', 'MinimOS', 'npm', 'NuGet', 'opam', 'openEuler', 'openSUSE', 'OSS-Fuzz', 'Packagist', 'Photon OS', 'Pub', 'PyPI', 'Red Hat', 'Rocky Linux', 'Root', 'RubyGems', 'SUSE', 'SwiftURL', 'TuxCare', 'Ubuntu', 'VSCode', 'Wolfi', 'GIT']);

/** The ecosystem an archive is named after: ".../PyPI/all.zip", "PyPI-all.zip", "Debian%3A12/all.zip". */
export function archiveEcosystem(origin: string): { named: boolean; ecosystem?: string } {
  const parts = origin.replace(/[?#].*$/, '').split(/[/\\]/).filter(Boolean).map((p) => { try { return decodeURIComponent(p); } catch { return p; } });
  const last = parts.at(-1) ?? '';
  if (last === 'all.zip') {
    const dir = parts.at(-2);
    return { named: true, ecosystem: dir && OSV_DEFINED_ECOSYSTEMS.has(family(dir)) ? dir : undefined };
  }
  // A saved copy keeps the ecosystem in its name: "PyPI-all.zip", "Debian:12_all.zip".
  const m = /^([A-Za-z][\w.: -]*?)[-_]all\.zip$/.exec(last);
  return m && OSV_DEFINED_ECOSYSTEMS.has(family(m[1]!)) ? { named: true, ecosystem: m[1] } : { named: last === 'all.zip' };
}

export type Container = 'archive' | 'folder' | 'file';

/** What data/osv-exports.json says of one ecosystem's export: the floor, and the figure it rests on when one was found. */
export interface ExportSize {
  /** Fewer records than this, and an archive is not taken for OSV's export of the ecosystem. */
  floor: number;
  /** Records the export held (or at least held, `atLeast`) on `heldOn`, by `sources`; absent: no published count was found. */
  held?: number;
  heldOn?: string;
  atLeast?: boolean;
  sources: string[];
}

let exportSizes: Record<string, ExportSize> | undefined;

/** The floor for OSV's export of `ecosystem` ("PyPI", "Debian", "Debian:12"): its own entry, its family's release entry ("Debian:*"), else the default. */
export function exportSize(ecosystem: string): ExportSize {
  exportSizes ??= (JSON.parse(readFileSync(join(PACKAGE_ROOT, 'data', 'osv-exports.json'), 'utf8')) as { exports: Record<string, ExportSize> }).exports;
  const s = exportSizes;
  return s[ecosystem] ?? (ecosystem.includes(':') ? s[`${family(ecosystem)}:*`] : undefined) ?? s['default']!;
}

const count = (n: number) => n.toLocaleString('en-US');

/** Why an archive that looks like OSV's export of `ecosystem` but holds `n` records is partial; undefined when it holds enough. */
function belowFloor(ecosystem: string, n: number, o: SourceOrigin): string | undefined {
  const size = exportSize(ecosystem);
  if (n >= size.floor) return undefined;
  const held = size.held === undefined
    ? `no published count of OSV's ${ecosystem} export was found, and Marque requires at least ${count(size.floor)} records of it (a conservative floor)`
    : `OSV's ${ecosystem} export held ${size.atLeast ? 'at least' : 'about'} ${count(size.held)} ${/^\d{4}$/.test(size.heldOn ?? '') ? 'in' : 'on'} ${size.heldOn}, and Marque requires at least ${count(size.floor)}`;
  // A download is vouched for by importing the saved file: "db update" takes no --complete.
  const vouch = o.how.startsWith('db update') ? `save it and vouch with "marque db import --complete ${ecosystem} FILE"` : `vouch with --complete ${ecosystem}`;
  return `named as OSV's ${ecosystem} export, but too small to be it: holds ${count(n)} record${n === 1 ? '' : 's'}; ${held}; if this really is a full mirror, ${vouch}`;
}

/** The opening words of the basis of a vouched source: what coverage text looks for to say a figure rests on a vouch. */
export const VOUCHED_BASIS = 'vouched for as a complete mirror of';

/** Whether a source is complete on the user's word (db import --complete, ?complete= on the server) rather than by what its data shows. */
export function isVouched(s: { basis?: string | null; how?: string | null }): boolean {
  return Boolean(s.basis?.startsWith(VOUCHED_BASIS) || (s.how && /(?:^|\s)--complete\s|\(complete=/.test(s.how)));
}

/**
 * Complete or partial, and why. An archive named after one ecosystem whose every record names that
 * ecosystem, with nothing skipped and at least the floor of records for that ecosystem's export, is
 * complete for it; a plain "all.zip" is complete for the one ecosystem every record names, on the same
 * floor. A vouched import is complete for the ecosystem vouched for, whatever its size: the user said so.
 */
export function completeness(t: SourceTally, container: Container, origin: string, o: SourceOrigin, skipped: number): Completeness {
  if (o.vouched?.length) {
    const v = o.vouched;
    return { complete: [...new Set(v.flatMap((e) => t.coveredBy(e)))].sort(), basis: `${VOUCHED_BASIS} ${v.join(', ')} (${v.map((e) => `${t.naming(e)} of ${t.records} records name ${e}`).join('; ')})` };
  }
  const vouch = 'vouch for a full mirror with "marque db import --complete ECOSYSTEM PATH"';
  if (container !== 'archive') {
    return { complete: [], basis: `${container === 'folder' ? 'a folder of records' : 'a single file of records'}, not an export Marque recognises as complete; ${vouch}` };
  }
  const name = archiveEcosystem(origin);
  if (!name.named) return { complete: [], basis: `an archive not named as OSV names its per-ecosystem export (ECOSYSTEM/all.zip); ${vouch}` };
  if (!t.records) return { complete: [], basis: 'an archive holding no OSV record' };
  if (skipped) return { complete: [], basis: `${skipped} record(s) of the archive could not be read` };
  if (name.ecosystem) {
    const n = t.naming(name.ecosystem);
    if (n !== t.records) return { complete: [], basis: `named after ${name.ecosystem}, but ${t.records - n} of its ${t.records} records do not name it (${t.describe()}); an OSV per-ecosystem archive holds records of its ecosystem only` };
    const small = belowFloor(name.ecosystem, n, o);
    return small ? { complete: [], basis: small } : { complete: t.coveredBy(name.ecosystem), basis: `OSV's ${name.ecosystem} archive: all ${t.records} records name ${name.ecosystem}` };
  }
  const sole = t.soleFamily();
  if (!sole) return { complete: [], basis: `an all.zip mixing ecosystems (${t.describe()}): an OSV per-ecosystem archive holds records of one` };
  const small = belowFloor(sole, t.records, o);
  return small ? { complete: [], basis: small } : { complete: t.coveredBy(sole), basis: `an OSV all.zip whose ${t.records} records all name ${sole}` };
}

/** A vouched import must hold records of what it vouches for: a mirror of Debian:12 without one is a mistake. */
export function checkVouch(t: SourceTally, o: SourceOrigin, path: string): void {
  for (const e of o.vouched ?? []) {
    if (!t.naming(e)) throw new InputError(`--complete ${e}: none of its ${t.records} records name ${e} (${t.describe()}); nothing was imported`, path);
  }
}
