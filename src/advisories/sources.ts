// Whether one import of OSV records is a complete export of an ecosystem. Coverage rests only on
// complete sources: a database holding *some* records of an ecosystem says nothing about the
// packages it holds no record of. Complete is what an import can show: OSV's per-ecosystem archive
// (all.zip, named after its ecosystem, every record naming that ecosystem: the download "db update"
// makes, the GIT dump, a Debian or Ubuntu release dump), or a mirror the user vouches for by name at
// import (--complete ECOSYSTEM). Anything else is partial: its findings count, its coverage does not.
import type { Advisory } from '../model/advisory.ts';
import { InputError } from '../util/errors.ts';
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

/**
 * Complete or partial, and why. An archive named after one ecosystem whose every record names that
 * ecosystem, with nothing skipped, is complete for it; a plain "all.zip" is complete for the one
 * ecosystem every record names. A vouched import is complete for the ecosystem vouched for.
 */
export function completeness(t: SourceTally, container: Container, origin: string, o: SourceOrigin, skipped: number): Completeness {
  if (o.vouched?.length) {
    const v = o.vouched;
    return { complete: [...new Set(v.flatMap((e) => t.coveredBy(e)))].sort(), basis: `vouched for as a complete mirror of ${v.join(', ')} (${v.map((e) => `${t.naming(e)} of ${t.records} records name ${e}`).join('; ')})` };
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
    return n === t.records
      ? { complete: t.coveredBy(name.ecosystem), basis: `OSV's ${name.ecosystem} archive: all ${t.records} records name ${name.ecosystem}` }
      : { complete: [], basis: `named after ${name.ecosystem}, but ${t.records - n} of its ${t.records} records do not name it (${t.describe()}); an OSV per-ecosystem archive holds records of its ecosystem only` };
  }
  const sole = t.soleFamily();
  return sole
    ? { complete: t.coveredBy(sole), basis: `an OSV all.zip whose ${t.records} records all name ${sole}` }
    : { complete: [], basis: `an all.zip mixing ecosystems (${t.describe()}): an OSV per-ecosystem archive holds records of one` };
}

/** A vouched import must hold records of what it vouches for: a mirror of Debian:12 without one is a mistake. */
export function checkVouch(t: SourceTally, o: SourceOrigin, path: string): void {
  for (const e of o.vouched ?? []) {
    if (!t.naming(e)) throw new InputError(`--complete ${e}: none of its ${t.records} records name ${e} (${t.describe()}); nothing was imported`, path);
  }
}
