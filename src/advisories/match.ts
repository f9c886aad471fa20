// Matching components against advisories: which OSV package a component is, and whether its
// version falls in an affected range (OSV schema, "Evaluation" of ranges and versions).
import type { Advisory, OsvAffected, OsvEvent } from '../model/advisory.ts';
import type { Component } from '../model/inventory.ts';
import { parsePurl } from '../model/purl.ts';
import { schemeFor, semverRanges, type VersionScheme } from '../versioning/index.ts';
import type { AdvisoryDb } from './store.ts';
import { normaliseRepoUrl } from './ecosystems.ts';

export interface OsvPackageRef {
  base: string;
  name: string;
  /** The distribution release the component belongs to, e.g. "12" for a bookworm package. */
  releaseId?: string;
  /** Keeps only the releases this component belongs to (e.g. Debian:12 for a bookworm package). */
  release?: (ecosystem: string) => boolean;
}

const SIMPLE: Record<string, string> = { npm: 'npm', pypi: 'PyPI', cargo: 'crates.io', gem: 'RubyGems', nuget: 'NuGet', hex: 'Hex', pub: 'Pub' };

/** The OSV package(s) a component is, from its purl. */
export function osvPackagesOf(c: Component): OsvPackageRef[] {
  let p;
  try { p = parsePurl(c.purl); } catch { return []; }
  const simple = SIMPLE[p.type];
  if (simple) return [{ base: simple, name: p.namespace ? `${p.namespace}/${p.name}` : p.name }];
  switch (p.type) {
    case 'golang': return [{ base: 'Go', name: p.namespace ? `${p.namespace}/${p.name}` : p.name }];
    case 'maven': return [{ base: 'Maven', name: `${p.namespace}:${p.name}` }];
    case 'composer': return [{ base: 'Packagist', name: `${p.namespace}/${p.name}` }];
    // OSV's ConanCenter records name the recipe; user/channel packages are not ConanCenter's.
    case 'conan': return p.namespace ? [] : [{ base: 'ConanCenter', name: p.name }];
    case 'deb': {
      const os = (p.namespace ?? 'debian').toLowerCase();
      const base = os === 'ubuntu' ? 'Ubuntu' : 'Debian';
      // Debian and Ubuntu advisories name source packages.
      const name = c.properties?.['deb:source'] ?? p.name;
      // Debian's OSV ecosystems name the major release ("Debian:10"); trivy writes the point release
      // of /etc/debian_version ("debian-10.2"). Ubuntu's name the release as written ("Ubuntu:22.04").
      const given = /^(?:debian|ubuntu)-(.+)$/.exec(p.qualifiers?.['distro'] ?? '')?.[1];
      const release = base === 'Debian' && given ? /^(\d+)(?:\.\d+)*$/.exec(given)?.[1] ?? given : given;
      return [{ base, name, ...(release ? { releaseId: release, release: (eco: string) => eco === `${base}:${release}` || eco.startsWith(`${base}:${release}:`) || eco === base } : {}) }];
    }
    case 'rpm': {
      // OSV's RPM ecosystems, by the distribution the purl names; their records name binary packages.
      const base = ({ rhel: 'Red Hat', redhat: 'Red Hat', almalinux: 'AlmaLinux', rocky: 'Rocky Linux', opensuse: 'openSUSE', 'opensuse-leap': 'openSUSE', sles: 'SUSE', suse: 'SUSE', openeuler: 'openEuler', mageia: 'Mageia' } as Record<string, string>)[(p.namespace ?? '').toLowerCase()];
      return base ? [{ base, name: p.name }] : [];
    }
    case 'apk': {
      // Alpine advisories name the origin (source) package, per release branch: "Alpine:v3.18".
      const name = c.properties?.['apk:origin'] ?? p.name;
      // "alpine-3.18.4" (syft, Marque), or the bare "3.10.2" trivy writes.
      const v = /^(?:alpine-)?(\d+)\.(\d+)/.exec(p.qualifiers?.['distro'] ?? '');
      const release = v ? `v${v[1]}.${v[2]}` : undefined;
      return [{ base: 'Alpine', name, ...(release ? { releaseId: release, release: (eco: string) => eco === `Alpine:${release}` } : {}) }];
    }
    default: return [];
  }
}

function eventVersion(e: OsvEvent): string {
  return e.introduced ?? e.fixed ?? e.last_affected ?? e.limit ?? '0';
}

/** OSV's evaluation of one ECOSYSTEM or SEMVER range: events in version order, "0" first. */
export function inRange(version: string, events: OsvEvent[], scheme: VersionScheme): boolean {
  const cmp = (a: string, b: string) => (a === '0' ? (b === '0' ? 0 : -1) : b === '0' ? 1 : scheme.compare(a, b));
  const limits = events.filter((e) => e.limit !== undefined && e.limit !== '*');
  if (limits.length && limits.every((e) => cmp(version, e.limit!) >= 0)) return false;
  const sorted = events.filter((e) => e.limit === undefined).slice().sort((a, b) => cmp(eventVersion(a), eventVersion(b)));
  let affected = false;
  for (const e of sorted) {
    if (e.introduced !== undefined && (e.introduced === '0' || cmp(version, e.introduced) >= 0)) affected = true;
    else if (e.fixed !== undefined && cmp(version, e.fixed) >= 0) affected = false;
    else if (e.last_affected !== undefined && cmp(version, e.last_affected) > 0) affected = false;
  }
  return affected;
}

export interface Match { advisory: Advisory; fixedIn: string[] }

/**
 * Whether `version` is affected by one `affected` entry, and the fixed versions it names. `undecided`
 * says why the entry could not decide a version it does not hit: no version ordering for a range of
 * its ecosystem, a version the ordering cannot read ("latest", a commit id for npm), an event version
 * it cannot read, or no range and no versions at all. Where the entry enumerates its affected
 * versions (osv.dev fills `versions` in from the ranges), that list decides instead of a range Marque
 * cannot evaluate; it never decides for a version that is not one.
 */
export function affects(version: string, aff: OsvAffected, ecosystem: string): { hit: boolean; fixedIn: string[]; undecided?: string } {
  const fixedIn = (aff.ranges ?? []).filter((r) => r.type !== 'GIT').flatMap((r) => r.events.filter((e) => e.fixed).map((e) => e.fixed!));
  if (aff.versions?.includes(version)) return { hit: true, fixedIn };
  const scheme = schemeFor(ecosystem);
  const listed = Boolean(aff.versions?.length);
  let undecided: string | undefined;
  const ranges = (aff.ranges ?? []).filter((r) => r.type !== 'GIT');
  for (const r of ranges) {
    const s = r.type === 'SEMVER' ? semverRanges : r.type === 'ECOSYSTEM' ? scheme : undefined;
    if (!s) { if (!listed) undecided ??= `Marque has no ${ecosystem.split(':')[0]} version ordering, so the ranges of advisories on its package cannot be evaluated`; continue; }
    // A PyPI legacy version ("0.9-doduo") is ordered as OSV orders it.
    if (!(s.isValid(version) || (r.type === 'ECOSYSTEM' && s.ordersInvalid?.(version)))) { undecided ??= `its version is not a ${r.type === 'SEMVER' ? 'SemVer' : ecosystem.split(':')[0]} version, so the ranges of advisories on its package cannot place it`; continue; }
    try {
      if (inRange(version, r.events, s)) return { hit: true, fixedIn };
    } catch {
      if (!listed) undecided ??= 'a version in the ranges of an advisory on its package cannot be read'; // this range cannot decide
    }
  }
  if (!ranges.length && !listed) undecided ??= 'an advisory on its package lists no affected version and no version range';
  return { hit: false, fixedIn, ...(undecided ? { undecided } : {}) };
}

/**
 * Advisories (not withdrawn) on the component's package that could not be decided for its version,
 * each with why: matching found nothing in them, which is not the same as "not affected".
 */
export function undecidedAdvisories(db: AdvisoryDb, c: Component): { id: string; why: string }[] {
  if (!c.version) return [];
  const out = new Map<string, string>();
  const hit = new Set<string>();
  for (const ref of osvPackagesOf(c)) {
    for (const row of db.affectedFor(ref.base, ref.name)) {
      if (row.advisory.withdrawn) continue;
      if (ref.release && !ref.release(row.ecosystem)) continue;
      const r = affects(c.version, row.affected, row.ecosystem);
      if (r.hit) hit.add(row.advisory.id);
      else if (r.undecided && !out.has(row.advisory.id)) out.set(row.advisory.id, r.undecided);
    }
  }
  return [...out].filter(([id]) => !hit.has(id)).map(([id, why]) => ({ id, why })).sort((a, b) => (a.id < b.id ? -1 : 1));
}

/**
 * Withdrawn advisories that would match the component's version and name a CVE CISA lists as exploited:
 * the database retracts what KEV confirms, and Marque cannot tell which is right for this component.
 */
export function withdrawnExploited(db: AdvisoryDb, c: Component): { id: string; ids: string[]; cve: string }[] {
  if (!c.version) return [];
  const out = new Map<string, { id: string; ids: string[]; cve: string }>();
  for (const ref of osvPackagesOf(c)) {
    for (const row of db.affectedFor(ref.base, ref.name)) {
      if (!row.advisory.withdrawn || out.has(row.advisory.id)) continue;
      if (ref.release && !ref.release(row.ecosystem)) continue;
      const ids = [row.advisory.id, ...row.advisory.aliases];
      const cve = ids.find((i) => i.startsWith('CVE-') && db.kev(i));
      if (cve && affects(c.version, row.affected, row.ecosystem).hit) out.set(row.advisory.id, { id: row.advisory.id, ids, cve });
    }
  }
  return [...out.values()];
}

/**
 * The source repository and upstream version a component was built from, when Marque knows both:
 * a released ROS package (rosdistro names the repository; release 2.14.4-1 is upstream 2.14.4), a
 * workspace package with its repository, a pkg:github purl, or a purl whose vcs_url names a git repository.
 */
export function repositoryOf(c: Component): { repos: string[]; version: string } | undefined {
  const repos = new Set<string>();
  let version: string | undefined;
  const rosRelease = c.properties?.['ros:package'] ? c.properties['ros:upstream-version'] : undefined;
  if (rosRelease || c.ecosystem === 'ros') {
    version = rosRelease ?? c.version;
    for (const u of [c.provenance?.url, c.properties?.['ros:url:repository']]) if (u) repos.add(normaliseRepoUrl(u));
  } else {
    try {
      const p = parsePurl(c.purl);
      if (p.type === 'github' && p.namespace) { repos.add(`github.com/${p.namespace}/${p.name}`.toLowerCase()); version = p.version; }
      // A git source from another host, pulled in by a build: its vcs_url (purl-spec) names the repository, "@ref" aside.
      const vcs = p.qualifiers?.['vcs_url'];
      if (vcs?.startsWith('git+') && p.version) { repos.add(normaliseRepoUrl(vcs.replace(/@[^@/]*$/, ''))); version = p.version; }
    } catch { /* not a purl: no repository */ }
  }
  return version && repos.size ? { repos: [...repos], version } : undefined;
}

/**
 * Advisories whose GIT ranges name the component's repository and whose enumerated "versions"
 * (the tags OSV lists as affected) include its upstream release, written as "2.14.4" or "v2.14.4".
 * Commit events are never evaluated: Marque has no clone to walk.
 */
function matchRepository(db: AdvisoryDb, c: Component, out: Map<string, Match>): void {
  const r = repositoryOf(c);
  if (!r) return;
  const tags = new Set([r.version, `v${r.version}`]);
  for (const repo of r.repos) {
    for (const row of db.affectedForRepo(repo)) {
      if (row.advisory.withdrawn) continue;
      if (!(row.affected.versions ?? []).some((v) => tags.has(v))) continue;
      if (!out.has(row.advisory.id)) out.set(row.advisory.id, { advisory: row.advisory, fixedIn: [] });
    }
  }
}

/** Every advisory (not withdrawn) affecting a component. */
export function matchComponent(db: AdvisoryDb, c: Component): Match[] {
  if (!c.version) return [];
  const out = new Map<string, Match>();
  matchRepository(db, c, out);
  for (const ref of osvPackagesOf(c)) {
    for (const row of db.affectedFor(ref.base, ref.name)) {
      if (row.advisory.withdrawn) continue;
      if (ref.release && !ref.release(row.ecosystem)) continue;
      const r = affects(c.version, row.affected, row.ecosystem);
      if (!r.hit) continue;
      const prev = out.get(row.advisory.id);
      if (prev) prev.fixedIn.push(...r.fixedIn.filter((f) => !prev.fixedIn.includes(f)));
      else out.set(row.advisory.id, { advisory: row.advisory, fixedIn: [...new Set(r.fixedIn)] });
    }
  }
  return [...out.values()];
}
