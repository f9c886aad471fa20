// Library entry point: the known vulnerabilities of a product, which are exploited, and the
// Art. 14(2) clock of each exploited one.
import type { Advisory, Finding, KevEntry } from '../model/advisory.ts';
import type { ProductInfo } from '../model/product.ts';
import { matchComponent } from '../advisories/match.ts';
import { scoreSeverity } from '../advisories/severity.ts';
import type { AdvisoryDb } from '../advisories/store.ts';
import type { AwarenessStore } from '../advisories/awareness.ts';
import { reportingClock } from '../cra/clock.ts';
import { applies, type VexStatement } from '../vex/statements.ts';
import type { InventoryComponent } from './inventory.ts';

export interface VulnsRequest {
  components: InventoryComponent[];
  db: AdvisoryDb;
  product: ProductInfo;
  vex?: VexStatement[];
  awareness?: AwarenessStore;
  /** Overrides the stored moment of awareness for every exploited finding. */
  awareAt?: Date;
  now?: Date;
}

export interface VulnsResult { findings: Finding[]; unknownVersions: number }

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
  const findings: Finding[] = [];
  let unknownVersions = 0;
  const productKey = `${req.product.name}@${req.product.version}`;
  for (const c of req.components) {
    if (!c.version) { unknownVersions++; continue; }
    const matches = matchComponent(req.db, c);
    if (!matches.length) continue;
    const fixedOf = new Map(matches.map((m) => [m.advisory.id, m.fixedIn]));
    for (const group of groupByAlias(matches.map((m) => m.advisory))) {
      const main = representative(group);
      const ids = [...new Set(group.flatMap((a) => [a.id, ...a.aliases]))];
      // KEV lists CVE ids; an advisory derived from an exploited upstream CVE is the same vulnerability.
      let kev: KevEntry | undefined;
      for (const id of ids) if (id.startsWith('CVE-')) kev ??= req.db.kev(id);
      const statement = req.vex?.find((s) => applies(s, c.purl, ids));
      const exploited = Boolean(kev) || Boolean(statement?.exploited);
      const status = statement?.status ?? 'under_investigation';
      const severity = group.flatMap((a) => a.severity.map(scoreSeverity));
      const epss = ids.filter((i) => i.startsWith('CVE-')).map((i) => req.db.epss(i)).find(Boolean) ?? null;
      let clock = null;
      if (exploited && status !== 'not_affected') {
        const aware = req.awareAt ?? req.awareness?.awareAt(productKey, c.purl, main.id, now) ?? now;
        const measure = statement?.measureAvailableAt ? new Date(statement.measureAvailableAt) : null;
        clock = reportingClock(aware, measure, now);
      }
      findings.push({
        component: c.purl,
        advisory: main.id,
        aliases: ids.filter((i) => i !== main.id).sort(),
        summary: main.summary ?? group.find((a) => a.summary)?.summary,
        severity,
        fixedIn: [...new Set(group.flatMap((a) => fixedOf.get(a.id) ?? []))],
        exploited,
        kev: kev ? { dateAdded: kev.dateAdded } : null,
        epss,
        status,
        justification: statement?.justification ?? null,
        ...(statement ? { statusSource: statement.source } : {}),
        clock,
      });
    }
  }
  findings.sort((a, b) => Number(b.exploited) - Number(a.exploited) || maxScore(b) - maxScore(a) || (a.advisory < b.advisory ? -1 : 1));
  return { findings, unknownVersions };
}

export function maxScore(f: Finding): number {
  return Math.max(-1, ...f.severity.map((s) => s.baseScore ?? -1));
}

export type FailOn = 'critical' | 'high' | 'exploited';

/** Findings that break a --fail-on policy; decided not_affected or fixed findings never do. */
export function policyFailures(findings: Finding[], policy: FailOn[]): Finding[] {
  const rated = (f: Finding, ratings: string[]) => f.severity.some((s) => s.rating !== null && ratings.includes(s.rating));
  return findings.filter((f) => f.status !== 'not_affected' && f.status !== 'fixed' && policy.some((p) =>
    p === 'exploited' ? f.exploited
      : p === 'critical' ? maxScore(f) >= 9 || rated(f, ['critical'])
        : maxScore(f) >= 7 || rated(f, ['high', 'critical'])));
}
