// Coverage: which components a vulnerability answer actually looked at. "No known
// vulnerabilities" means nothing unless it says for which components, against which source, as
// of which date. A component is covered when it has a version, an advisory ecosystem that fits it,
// and the database holds data for that ecosystem; it is covered freshly when that data is recent.
import type { Coverage, CoverageSource } from '../model/advisory.ts';
import type { Component, Scope } from '../model/inventory.ts';
import { osvPackagesOf, repositoryOf } from './match.ts';
import type { AdvisoryDb } from './store.ts';

export interface CoverageInput { components: (Component & { kind?: Scope | null })[]; db: AdvisoryDb; now: Date; maxAgeDays: number }

/** The advisory ecosystem a component needs, or why it has none. */
export function neededEcosystem(c: Component): { ecosystem: string } | { reason: string } {
  if (!c.version) return { reason: 'no version' };
  if (c.properties?.['ros:package'] || c.ecosystem === 'ros' || c.purl.startsWith('pkg:github/')) {
    return repositoryOf(c) ? { ecosystem: 'GIT' } : { reason: 'no source repository to match advisories by' };
  }
  const ref = osvPackagesOf(c)[0];
  if (!ref) return { reason: `no advisory ecosystem for ${c.ecosystem} components` };
  if (ref.base === 'Debian' || ref.base === 'Ubuntu') {
    return ref.releaseId ? { ecosystem: `${ref.base}:${ref.releaseId}` } : { reason: 'no distribution release in its purl' };
  }
  return { ecosystem: ref.base };
}

/** Days from a data date (ISO 8601) to `now`. */
export function ageInDays(date: string, now: Date): number {
  return (now.getTime() - new Date(date).getTime()) / 86_400_000;
}

export function computeCoverage(input: CoverageInput): Coverage {
  const sources: CoverageSource[] = input.db.coverageSources().map((s) => ({
    ...s, stale: !s.dataDate || ageInDays(s.dataDate, input.now) > input.maxAgeDays,
  }));
  const byEcosystem = new Map<string, CoverageSource[]>();
  for (const s of sources) byEcosystem.set(s.ecosystem, [...(byEcosystem.get(s.ecosystem) ?? []), s]);
  const c: Coverage = { components: 0, versioned: 0, covered: 0, coveredFresh: 0, firstParty: 0, maxAgeDays: input.maxAgeDays, sources, uncovered: [], gaps: [], complete: false };
  for (const comp of input.components) {
    if (comp.root) { c.firstParty++; continue; }
    c.components++;
    if (comp.version) c.versioned++;
    const need = neededEcosystem(comp);
    if ('reason' in need) { c.uncovered.push(comp.purl); c.gaps.push({ component: comp.purl, reason: need.reason }); continue; }
    const have = byEcosystem.get(need.ecosystem);
    if (!have?.length) { c.uncovered.push(comp.purl); c.gaps.push({ component: comp.purl, reason: `no ${need.ecosystem} advisory data in the database` }); continue; }
    // A GIT advisory on this repository that lists no affected tags names commits only, which
    // Marque cannot place without a clone: the component is then not checked, whatever else matched.
    const undecidable = need.ecosystem === 'GIT' ? commitOnlyAdvisories(input.db, comp) : [];
    if (undecidable.length) {
      c.uncovered.push(comp.purl);
      c.gaps.push({ component: comp.purl, reason: `GIT advisories on its repository name commits only, not releases: ${undecidable.join(', ')}` });
      continue;
    }
    c.covered++;
    if (have.some((s) => !s.stale)) c.coveredFresh++;
    else { c.uncovered.push(comp.purl); c.gaps.push({ component: comp.purl, reason: `${need.ecosystem} advisory data is older than ${input.maxAgeDays} days (data date ${have.map((s) => s.dataDate ?? 'unknown').join(', ')})` }); }
  }
  c.complete = c.coveredFresh === c.components;
  return c;
}

/** One line a person reads next to any vulnerability count. */
export function coverageSentence(c: Coverage): string {
  const fresh = c.sources.filter((s) => !s.stale);
  const dates = fresh.length ? ` (data as of ${[...new Set(fresh.map((s) => `${s.ecosystem} ${s.dataDate?.slice(0, 10)}`))].join(', ')})` : '';
  return `Checked ${c.coveredFresh} of ${c.components} components against fresh advisory data${dates}; ${c.components - c.coveredFresh} not checked${c.firstParty ? `; ${c.firstParty} first-party component(s) are the product's own code` : ''}.`;
}

/** The first few gaps, grouped by reason, for text output. */
export function gapSummary(c: Coverage, limit = 3): string[] {
  const byReason = new Map<string, string[]>();
  for (const g of c.gaps) byReason.set(g.reason, [...(byReason.get(g.reason) ?? []), g.component]);
  return [...byReason].sort((a, b) => b[1].length - a[1].length).map(([reason, purls]) => `${purls.length} × ${reason}: ${purls.slice(0, limit).join(', ')}${purls.length > limit ? ', …' : ''}`);
}

/** The coverage statement in words, with the first gaps: what every document carrying findings says. */
export function coverageText(c: Coverage): string {
  const gaps = gapSummary(c, 3);
  return `${coverageSentence(c)}${gaps.length ? ` Not checked: ${gaps.join('; ')}.` : ''}`;
}

/** Advisories (not withdrawn) whose GIT ranges name the component's repository without enumerating affected tags. */
function commitOnlyAdvisories(db: AdvisoryDb, c: Component): string[] {
  const ids = new Set<string>();
  for (const repo of repositoryOf(c)?.repos ?? []) {
    for (const row of db.affectedForRepo(repo)) if (!row.advisory.withdrawn && !row.affected.versions?.length) ids.add(row.advisory.id);
  }
  return [...ids].sort();
}
