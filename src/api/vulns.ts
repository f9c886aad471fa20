// Library entry point: the known vulnerabilities of a product, which are exploited, and the
// Art. 14(2) clock of each exploited one.
import type { Advisory, Coverage, Finding, KevEntry } from '../model/advisory.ts';
import { productKey, type ProductInfo } from '../model/product.ts';
import { matchComponent } from '../advisories/match.ts';
import { scoreSeverity } from '../advisories/severity.ts';
import type { AdvisoryDb } from '../advisories/store.ts';
import type { AwarenessStore } from '../advisories/awareness.ts';
import { reportingClock, type AwarenessEvidence } from '../cra/clock.ts';
import { applies, type VexStatement } from '../vex/statements.ts';
import type { InventoryComponent } from '../model/inventory.ts';
import { vendoredOf, type UpstreamDeclaration } from '../advisories/vendored.ts';
import { computeCoverage, type Unlisted } from '../advisories/coverage.ts';

/** Advisory data whose newest record is older than this many days is stale. */
export const DEFAULT_MAX_AGE_DAYS = 7;

export interface VulnsRequest {
  components: InventoryComponent[];
  db: AdvisoryDb;
  product: ProductInfo;
  vex?: VexStatement[];
  upstreams?: UpstreamDeclaration[];
  awareness?: AwarenessStore;
  /** Overrides the stored moment of awareness for every exploited finding. */
  awareAt?: Date;
  now?: Date;
  /** Advisory data older than this (by its data date) does not count as fresh coverage. */
  maxAgeDays?: number;
  /**
   * The inventory's unresolved dependencies and unread lockfiles: coverage is complete only without them. Required, so
   * that no caller forgets it; undefined only where there is no inventory (a release read from an SBOM on the server).
   */
  unlisted: Unlisted | undefined;
  /** Matches by purl, shared across calls on one database (a re-match of many releases with common components). */
  matchCache?: Map<string, ReturnType<typeof matchComponent>>;
}

export type { UpstreamDeclaration } from '../advisories/vendored.ts';

export interface VulnsResult {
  findings: Finding[];
  unknownVersions: number;
  /** Vendor packages and what they vendor; `declared` says whether its version is known to Marque. */
  vendored: { component: string; upstream: string; declared: string | null }[];
  /** What the findings are about: never "no vulnerabilities" without this. */
  coverage: Coverage;
}

/** Advisories about the same vulnerability (linked by id or alias) become one finding. */
function groupByAlias(advisories: Advisory[]): Advisory[][] {
  const parent = new Map<string, string>();
  const find = (x: string): string => { let r = x; while (parent.get(r) !== r) r = parent.get(r)!; parent.set(x, r); return r; };
  const add = (x: string) => { if (!parent.has(x)) parent.set(x, x); };
  for (const a of advisories) {
    add(a.id);
    for (const al of a.aliases) { add(al); parent.set(find(al), find(a.id)); }
  }
  const groups = new Map<string, Advisory[]>();
  for (const a of advisories) groups.set(find(a.id), [...(groups.get(find(a.id)) ?? []), a]);
  return [...groups.values()];
}

/** The id a finding is known by: an ecosystem advisory (GHSA, PYSEC, RUSTSEC, …) before a bare CVE record. */
function representative(group: Advisory[]): Advisory {
  return [...group].sort((a, b) => Number(a.id.startsWith('CVE-')) - Number(b.id.startsWith('CVE-')) || (a.id < b.id ? -1 : 1))[0]!;
}

export function findVulnerabilities(req: VulnsRequest): VulnsResult {
  const now = req.now ?? new Date();
  // Marque's record of the product begins with its first check, whatever that check finds.
  if (!req.awareAt) req.awareness?.checked(req.product, now);
  const findings: Finding[] = [];
  let unknownVersions = 0;
  const vendored: VulnsResult['vendored'] = [];
  for (const c of req.components) {
    const v = vendoredOf(c, req.upstreams);
    if (v) vendored.push({ component: c.purl, upstream: v.upstream, declared: v.declared });
    if (c.version) findings.push(...findingsOf(req, c, c, undefined, now));
    else unknownVersions++;
    // A vendor package also carries its upstream's vulnerabilities.
    if (v?.target) findings.push(...findingsOf(req, c, v.target, v.target.purl, now));
  }
  findings.sort((a, b) => Number(b.exploited) - Number(a.exploited) || maxScore(b) - maxScore(a) || (a.advisory < b.advisory ? -1 : 1));
  const coverage = computeCoverage({ components: req.components, db: req.db, now, maxAgeDays: req.maxAgeDays ?? DEFAULT_MAX_AGE_DAYS, vex: req.vex, upstreams: req.upstreams, unlisted: req.unlisted });
  return { findings, unknownVersions, vendored, coverage };
}

/** Findings of one component, matched as itself or (`via`) as the upstream it vendors. */
function findingsOf(req: VulnsRequest, c: InventoryComponent, target: InventoryComponent, via: string | undefined, now: Date): Finding[] {
  let matches = req.matchCache?.get(target.purl);
  if (!matches) { matches = matchComponent(req.db, target); req.matchCache?.set(target.purl, matches); }
  if (!matches.length) return [];
  const key = productKey(req.product);
  const fixedOf = new Map(matches.map((m) => [m.advisory.id, m.fixedIn]));
  return groupByAlias(matches.map((m) => m.advisory)).map((group) => {
    const main = representative(group);
    const ids = [...new Set(group.flatMap((a) => [a.id, ...a.aliases]))];
    // KEV lists CVE ids; an advisory derived from an exploited upstream CVE is the same vulnerability.
    let kev: KevEntry | undefined;
    for (const id of ids) if (id.startsWith('CVE-')) kev ??= req.db.kev(id);
    const statement = req.vex?.find((s) => applies(s, c.purl, ids));
    const exploited = Boolean(kev) || Boolean(statement?.exploited);
    const status = statement?.status ?? 'under_investigation';
    let clock = null;
    if (exploited && status !== 'not_affected') {
      // What the moment rests on: a time given for the run, Marque's record of the product, or nothing (the clock
      // starts now); and when the vulnerability was public or known exploited, which the record may postdate.
      const published = group.map((a) => a.published).filter((p): p is string => Boolean(p)).sort()[0];
      const dates = { ...(published ? { publicSince: published } : {}), ...(kev ? { exploitedSince: kev.dateAdded } : {}) };
      const record = req.awareAt ? undefined : req.awareness?.awareAt(req.product, c.purl, [main.id, ...ids.filter((i) => i !== main.id)], now);
      const aware = req.awareAt ?? record?.at ?? now;
      const evidence: AwarenessEvidence = req.awareAt ? { basis: 'given', ...dates }
        : record ? { basis: 'recorded', recordSince: record.recordSince, storeStarted: record.storeStarted, ...(record.recordedFor !== key ? { recordedFor: record.recordedFor } : {}), ...dates }
          : { basis: 'unrecorded', ...dates };
      const measure = statement?.measureAvailableAt ? new Date(statement.measureAvailableAt) : null;
      clock = reportingClock(aware, measure, now, evidence);
    }
    return {
      component: c.purl,
      scope: c.kind,
      ...(via ? { via } : {}),
      advisory: main.id,
      aliases: ids.filter((i) => i !== main.id).sort(),
      summary: main.summary ?? group.find((a) => a.summary)?.summary,
      severity: group.flatMap((a) => a.severity.map(scoreSeverity)),
      fixedIn: [...new Set(group.flatMap((a) => fixedOf.get(a.id) ?? []))],
      exploited,
      kev: kev ? { dateAdded: kev.dateAdded } : null,
      epss: ids.filter((i) => i.startsWith('CVE-')).map((i) => req.db.epss(i)).find(Boolean) ?? null,
      status,
      justification: statement?.justification ?? null,
      ...(statement ? { statusSource: statement.source } : {}),
      clock,
    };
  });
}

export function maxScore(f: Finding): number {
  return Math.max(-1, ...f.severity.map((s) => s.baseScore ?? -1));
}

export type FailOn = 'critical' | 'high' | 'exploited';

/** Findings that break a --fail-on policy; decided not_affected or fixed findings, and what does not ship, never do. */
/** Scopes of what does not ship with the product: a policy on the product does not fail on them. */
const NOT_SHIPPED = new Set(['build', 'test', 'doc', 'dev']);

export function policyFailures(findings: Finding[], policy: FailOn[]): Finding[] {
  const rated = (f: Finding, ratings: string[]) => f.severity.some((s) => s.rating !== null && ratings.includes(s.rating));
  return findings.filter((f) => f.status !== 'not_affected' && f.status !== 'fixed' && !NOT_SHIPPED.has(f.scope ?? '') && policy.some((p) =>
    p === 'exploited' ? f.exploited
      : p === 'critical' ? maxScore(f) >= 9 || rated(f, ['critical'])
        : maxScore(f) >= 7 || rated(f, ['high', 'critical'])));
}
