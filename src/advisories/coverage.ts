// Coverage: which components a vulnerability answer actually looked at. "No known
// vulnerabilities" means nothing unless it says for which components, against which source, as
// of which date. A component is covered when it has a version, an advisory ecosystem that fits it,
// and a *complete* source of that ecosystem is in the database (sources.ts: a partial source's
// findings count, its coverage does not); it is covered freshly when that source's data is recent.
// Coverage is complete only when every counted component is covered freshly and the dependency
// closure was followed: a released ROS package left a leaf, or an OS package without a version,
// hides components nobody checked.
import type { ClosureGap, Coverage, CoverageSource } from '../model/advisory.ts';
import { scopeOfKind, type Component, type NotAnalysed, type Scope, type Unresolved } from '../model/inventory.ts';
import { allComponentsText, countComponents, COUNTED, isCounted, ships } from '../model/counting.ts';
import { parsePurl } from '../model/purl.ts';
import { osvPackagesOf, repositoryOf, undecidedAdvisories, withdrawnExploited } from './match.ts';
import { applies, type VexStatement } from '../vex/statements.ts';
import { vendoredOf, type UpstreamDeclaration } from './vendored.ts';
import type { AdvisoryDb } from './store.ts';
import { freshnessWindowProblem } from '../model/freshness.ts';
import { isVouched } from './sources.ts';
import { DOWNLOADED_OSV_ECOSYSTEMS, OSV_ARCHIVE } from './download.ts';

/**
 * `components`: all of the product's; the counted ones (model/counting.ts) are checked. `vex`: the decisions that
 * settle what Marque cannot. `upstreams`: what vendor packages build (marque.yaml inventory.upstreams).
 */
export interface CoverageInput {
  components: (Component & { kind?: Scope | null })[]; db: AdvisoryDb; now: Date; maxAgeDays: number; vex?: VexStatement[]; upstreams?: readonly UpstreamDeclaration[];
  /** The inventory's unresolved dependencies and unread lockfiles; undefined only where the caller has no inventory (an SBOM's release on the server). */
  unlisted: Unlisted | undefined;
}

/** What an inventory names without listing it as a component. */
export interface Unlisted { unresolved: readonly Unresolved[]; notAnalysed: readonly NotAnalysed[] }

/** The unresolved dependencies that would ship, and the lockfiles not read: none of it was checked. */
function unlistedOf(u: Unlisted, components: readonly (Component & { kind?: Scope | null })[]): NonNullable<Coverage['unlisted']> {
  const byPurl = new Map(components.map((c) => [c.purl, c]));
  // A kind's scope as every edge's (model/inventory.ts; a kind it does not know, from a push, counts as shipping).
  const unresolved = u.unresolved.filter((x) => (!x.kind || ships({ kind: scopeOfKind(x.kind) })) && (!x.from || !byPurl.has(x.from) || ships(byPurl.get(x.from)!)));
  const examples = [...new Set([...unresolved.map((x) => `${x.key} (${x.file}${x.line ? `:${x.line}` : ''})`), ...u.notAnalysed.map((f) => `${f.file} (${f.format}, not read)`)])];
  return { unresolved: unresolved.length, notAnalysed: u.notAnalysed.length, examples: examples.slice(0, 5) };
}

/** The advisory ecosystem a component needs, or why it has none. */
export function neededEcosystem(c: Component): { ecosystem: string } | { reason: string } {
  if (!c.version) return { reason: unversioned(c) };
  if (c.properties?.['ros:package'] || c.ecosystem === 'ros' || c.purl.startsWith('pkg:github/')) {
    return repositoryOf(c) ? { ecosystem: 'GIT' } : { reason: 'no source repository to match advisories by' };
  }
  const ref = osvPackagesOf(c)[0];
  if (!ref) return { reason: `no advisory ecosystem for ${purlTypeOf(c.purl) ?? c.ecosystem} components` };
  if (ref.base === 'Debian' || ref.base === 'Ubuntu') {
    return ref.releaseId ? { ecosystem: `${ref.base}:${ref.releaseId}` } : { reason: 'no distribution release in its purl' };
  }
  return { ecosystem: ref.base };
}

/** The purl type ("swift", "pub"): what a component is, where its ecosystem reads "generic" for every type Marque does not read. */
function purlTypeOf(purl: string): string | undefined {
  try { return parsePurl(purl).type; } catch { return undefined; }
}

/** Days from a data date (ISO 8601) to `now`. */
export function ageInDays(date: string, now: Date): number {
  return (now.getTime() - new Date(date).getTime()) / 86_400_000;
}

/** Why a component has no version, with what gives it one. */
function unversioned(c: Component): string {
  const why = c.properties?.['marque:version'];
  if (c.ecosystem === 'deb') return `no version (${why ?? 'no apt index and no dpkg status read'}; give --apt-index FILE, import apt's Packages index with "marque db import", or scan the image's var/lib/dpkg/status)`;
  return why ? `no version (${why})` : 'no version';
}

/**
 * Released ROS packages whose own dependencies were not followed: what ships with them is not in
 * the inventory, so not checked. The rosdistro cache of their distribution follows them.
 */
export function closureGaps(components: Component[]): ClosureGap[] {
  const groups = new Map<string, ClosureGap>();
  for (const c of components) {
    const closure = c.properties?.['marque:closure'];
    if (!closure || closure === 'followed' || !c.properties?.['ros:package']) continue;
    const distro = c.properties['ros:distro'] ?? 'DISTRO';
    const cache = closure.startsWith('not followed');
    const reason = cache
      ? `the dependencies of released ROS packages were not followed: no rosdistro cache of ${distro}`
      : `released ROS packages have no package.xml in the rosdistro cache of ${distro}: their dependencies are not known`;
    const fix = cache ? `marque db update --rosdistro-cache ${distro} (or give --rosdistro-cache ${distro}-cache.yaml.gz)` : `marque db update --rosdistro-cache ${distro} (a newer cache), or list those dependencies in the SBOM`;
    const g = groups.get(reason) ?? { reason, fix, components: [] };
    g.components.push(c.purl);
    groups.set(reason, g);
  }
  return [...groups.values()];
}

export function computeCoverage(input: CoverageInput): Coverage {
  // However the window came (--max-age, an API caller): marque.yaml's is refused at load, with its line.
  const window = freshnessWindowProblem(input.maxAgeDays);
  if (window) throw new RangeError(`freshness window (--max-age, advisories.maxAgeDays): ${window}`);
  const sources: CoverageSource[] = input.db.coverageSources().map((s) => ({
    ...s, stale: !s.dataDate || ageInDays(s.dataDate, input.now) > input.maxAgeDays,
  }));
  const byEcosystem = new Map<string, CoverageSource[]>();
  for (const s of sources) byEcosystem.set(s.ecosystem, [...(byEcosystem.get(s.ecosystem) ?? []), s]);
  const counts = countComponents(input.components);
  const c: Coverage = { components: 0, all: counts.all, notShipped: counts.notShipped, versioned: 0, covered: 0, coveredFresh: 0, firstParty: counts.firstParty, maxAgeDays: input.maxAgeDays, sources, uncovered: [], gaps: [], complete: false };
  const restsOn = new Map<string, NonNullable<Coverage['restsOn']>[number]>();
  /** Why `comp` was not checked, or the complete sources of its ecosystem; VEX decisions are read for `vexPurl`, the component findings are reported on. */
  const checkOne = (comp: Component, vexPurl: string): { reason: string } | { ecosystem: string; have: CoverageSource[] } => {
    const need = neededEcosystem(comp);
    if ('reason' in need) return need;
    const held = byEcosystem.get(need.ecosystem) ?? [];
    const have = held.filter((s) => s.complete);
    if (!have.length) {
      // Some records of the ecosystem say nothing about the packages they do not name.
      return { reason: held.length
        ? `only partial ${need.ecosystem} advisory data (${held.map((s) => s.source).join(', ')}): its findings count, its coverage does not; ${fetchHint(need.ecosystem)} or vouch for a complete mirror with "marque db import --complete ${need.ecosystem} PATH"`
        : `no ${need.ecosystem} advisory data in the database; ${fetchHint(need.ecosystem)}` };
    }
    // A GIT advisory on this repository that lists no affected tags names commits only, which
    // Marque cannot place without a clone: the component is then not checked, whatever else matched.
    const undecidable = need.ecosystem === 'GIT' ? commitOnlyAdvisories(input.db, comp) : [];
    if (undecidable.length) return { reason: `GIT advisories on its repository name commits only, not releases: ${undecidable.join(', ')}` };
    // An advisory on its package that could not be evaluated for its version ("latest", a commit id, an
    // ecosystem without a version ordering) found nothing, which does not mean it does not apply.
    const unplaced = need.ecosystem === 'GIT' ? untaggedAdvisories(input.db, comp) : undecidedAdvisories(input.db, comp);
    if (unplaced.length) return { reason: undecidedReason(unplaced) };
    // A withdrawn advisory never matches; one whose CVE KEV lists as exploited is a contradiction a person settles (VEX).
    const retracted = withdrawnExploited(input.db, comp).filter((w) => !input.vex?.some((s) => applies(s, vexPurl, w.ids)));
    if (retracted.length) return { reason: `an advisory on its version was withdrawn, but CISA lists its CVE as exploited (${retracted.map((w) => `${w.id}: ${w.cve}`).join(', ')}): decide it with a VEX statement` };
    return { ecosystem: need.ecosystem, have };
  };
  for (const comp of input.components) {
    if (!isCounted(comp)) continue;
    c.components++;
    if (comp.version) c.versioned++;
    const checked = [checkOne(comp, comp.purl)];
    // A vendor package ships its upstream: checked only when the upstream is, at the version marque.yaml declares.
    const v = 'reason' in checked[0]! ? undefined : vendoredOf(comp, input.upstreams);
    if (v && !v.declared) checked.push({ reason: `it builds ${v.upstream}, whose version Marque cannot know: declare it in marque.yaml (inventory.upstreams) to match its advisories` });
    else if (v && !v.target) checked.push({ reason: `its declared upstream ${v.declared} is not a purl with a version` });
    else if (v?.target) { const u = checkOne(v.target, comp.purl); checked.push('reason' in u ? { reason: `its upstream ${v.target.purl}: ${u.reason}` } : u); }
    const gap = checked.find((x): x is { reason: string } => 'reason' in x);
    if (gap) { c.uncovered.push(comp.purl); c.gaps.push({ component: comp.purl, reason: gap.reason }); continue; }
    c.covered++;
    const all = checked as { ecosystem: string; have: CoverageSource[] }[];
    const stale = all.find((x) => !x.have.some((s) => !s.stale));
    for (const s of all.flatMap((x) => x.have.filter((h) => !h.stale))) restsOn.set(`${s.source}\0${s.ecosystem}`, { source: s.source, ecosystem: s.ecosystem, dataDate: s.dataDate, how: s.how, ...(isVouched(s) ? { vouched: true } : {}) });
    if (!stale) c.coveredFresh++;
    else { c.uncovered.push(comp.purl); c.gaps.push({ component: comp.purl, reason: `${stale.ecosystem} advisory data is older than ${input.maxAgeDays} days (data date ${stale.have.map((s) => s.dataDate ?? 'unknown').join(', ')})` }); }
  }
  c.restsOn = [...restsOn.values()];
  c.closure = closureGaps(input.components);
  if (input.unlisted) c.unlisted = unlistedOf(input.unlisted, input.components);
  c.complete = c.coveredFresh === c.components && !c.closure.length && !c.unlisted?.unresolved && !c.unlisted?.notAnalysed;
  return c;
}

/** One line a person reads next to any vulnerability count. */
export function coverageSentence(c: Coverage): string {
  const dates = restsOnText(c);
  // Coverage kept before `all` was recorded (a server's stored figures) says only what it knew.
  const all = c.all === undefined ? '' : ` (${allComponentsText(c)})`;
  return `Checked ${c.coveredFresh} of ${c.components} ${COUNTED} against fresh advisory data${dates}; ${c.components - c.coveredFresh} not checked${all}${closureText(c)}${unlistedText(c)}.`;
}

/** How to bring OSV's archive of an ecosystem: "db update" downloads most; the RPM distributions' are named with --source. */
function fetchHint(ecosystem: string): string {
  const family = ecosystem.split(':')[0]!;
  return DOWNLOADED_OSV_ECOSYSTEMS.includes(family)
    ? `run "marque db update" (OSV's ${family} archive)`
    : `add OSV's ${family} archive, which "marque db update" does not download by default: "marque db update --source ${OSV_ARCHIVE(family)}" with the default sources ("marque db update --help" lists them)`;
}

/** The sources a figure rests on: the complete, fresh ones that covered a component. */
export function restsOnText(c: Coverage): string {
  // Coverage kept before sources were told apart (a server's stored figures) names only dates.
  if (!c.restsOn) {
    const fresh = c.sources.filter((s) => !s.stale);
    return fresh.length ? ` (data as of ${[...new Set(fresh.map((s) => `${s.ecosystem} ${s.dataDate?.slice(0, 10)}`))].join(', ')})` : '';
  }
  const bySource = new Map<string, string[]>();
  for (const r of c.restsOn) {
    // Complete on the user's word (db import --complete), not by what the data shows: every figure says so.
    const vouched = r.vouched ?? isVouched({ how: r.how, basis: c.sources.find((s) => s.source === r.source && s.ecosystem === r.ecosystem)?.basis });
    bySource.set(r.source, [...(bySource.get(r.source) ?? []), `${r.ecosystem} as of ${r.dataDate?.slice(0, 10) ?? 'an unknown date'}${vouched ? ', complete only as vouched for at import (--complete)' : ''}`]);
  }
  return bySource.size ? ` from complete sources (${[...bySource].map(([s, e]) => `${s}: ${e.join(', ')}`).join('; ')})` : ' (no complete, fresh source covers them)';
}

/** "; 3 dependencies have no version … and 1 lockfile was not read …", or nothing. */
function unlistedText(c: Coverage): string {
  const u = c.unlisted;
  if (!u || (!u.unresolved && !u.notAnalysed)) return '';
  const parts = [u.unresolved ? `${u.unresolved} dependenc${u.unresolved === 1 ? 'y' : 'ies'} that would ship could not be resolved to a version` : '', u.notAnalysed ? `${u.notAnalysed} lockfile${u.notAnalysed === 1 ? ' was' : 's were'} not read` : ''].filter(Boolean);
  return `; ${parts.join(' and ')}, so what ${u.unresolved + u.notAnalysed === 1 ? 'it names' : 'they name'} was not checked (${u.examples.join(', ')}${u.unresolved + u.notAnalysed > u.examples.length ? ', …' : ''})`;
}

/** "; the closure was not followed past N package(s) …", or nothing (gapSummary says why and the fix). */
function closureText(c: Coverage): string {
  const n = new Set((c.closure ?? []).flatMap((g) => g.components)).size;
  return n ? `; the dependency closure was not followed past ${n} package(s), so what they pull in was not checked` : '';
}

/** The first few gaps, grouped by reason, for text output. */
export function gapSummary(c: Coverage, limit = 3): string[] {
  const byReason = new Map<string, string[]>();
  for (const g of c.gaps) byReason.set(g.reason, [...(byReason.get(g.reason) ?? []), g.component]);
  const list = (purls: string[]) => `${purls.slice(0, limit).join(', ')}${purls.length > limit ? ', …' : ''}`;
  return [
    ...[...byReason].sort((a, b) => b[1].length - a[1].length).map(([reason, purls]) => `${purls.length} × ${reason}: ${list(purls)}`),
    // What the closure did not reach is not listed at all: said with the packages it stops at, and the fix.
    ...(c.closure ?? []).map((g) => `what ${g.components.length} package(s) pull in (${g.reason}; fix: ${g.fix}): ${list(g.components)}`),
  ];
}

/** The coverage statement in words, with the first gaps: what every document carrying findings says. */
export function coverageText(c: Coverage): string {
  const gaps = gapSummary(c, 3);
  return `${coverageSentence(c)}${gaps.length ? ` Not checked: ${gaps.join('; ')}.` : ''}`;
}

/** Why advisories on a component could not decide its version, in a wording shared by every component it applies to. */
function undecidedReason(list: { id: string; why: string }[]): string {
  return [...new Set(list.map((u) => u.why))].join('; ');
}

/** A commit id or a branch name, not a release: a version with no digit ("main", "latest"), or 7–40 hexadecimal digits with a letter. */
const notARelease = (v: string) => !/\d/.test(v) || /^(?=[0-9]*[a-f])[0-9a-f]{7,40}$/i.test(v);

/**
 * GIT advisories on the component's repository that its version cannot be looked up in: Marque
 * matches a repository's advisories by the release tags they list, and a commit id or a branch is
 * none of them, though the commit may lie in an affected range.
 */
function untaggedAdvisories(db: AdvisoryDb, c: Component): { id: string; why: string }[] {
  const r = repositoryOf(c);
  if (!r || !notARelease(r.version)) return [];
  const ids = new Set<string>();
  for (const repo of r.repos) for (const row of db.affectedForRepo(repo)) if (!row.advisory.withdrawn) ids.add(row.advisory.id);
  return [...ids].sort().map((id) => ({ id, why: 'its version is a commit or a branch, not a release tag: advisories on its repository list affected tags, and a commit cannot be placed without a clone' }));
}

/** Advisories (not withdrawn) whose GIT ranges name the component's repository without enumerating affected tags. */
function commitOnlyAdvisories(db: AdvisoryDb, c: Component): string[] {
  const ids = new Set<string>();
  for (const repo of repositoryOf(c)?.repos ?? []) {
    for (const row of db.affectedForRepo(repo)) if (!row.advisory.withdrawn && !row.affected.versions?.length) ids.add(row.advisory.id);
  }
  return [...ids].sort();
}
