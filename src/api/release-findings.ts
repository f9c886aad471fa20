// The findings of a release the server holds: its stored components matched against the advisory
// database, its VEX decisions (the latest per finding) applied, and for each exploited finding the
// Art. 14(2) clock from the recorded moment of awareness (the earliest for the vulnerability in any
// release of the product, save-match.ts) — with the stages whose report was sent (for any release of
// the product) taken off the overdue list, so "overdue" means "not sent in time". Reading records
// nothing: awareness is recorded when the server's match first stores an exploited finding.
// marque.yaml's vex: statements, pushed with the release's facts, are applied by the rule "marque
// vulns" applies them with, after the decisions recorded on the server: the latest decision recorded
// for a finding on the server is the later word on that release, and its origin says what it supersedes.
import type { AdvisoryDb } from '../advisories/store.ts';
import type { Coverage, Finding } from '../model/advisory.ts';
import { reportingClock, type AwarenessEvidence } from '../cra/clock.ts';
import { matcherFields, type PushedVexStatement, type ReleaseComponent, type ReleaseUnlisted, type ReportSent, type VexDecision } from '../model/portfolio.ts';
import type { ProductInfo } from '../model/product.ts';
import { applies, checkStatement, type VexStatement } from '../vex/statements.ts';
import type { InventoryComponent } from '../model/inventory.ts';
import { findVulnerabilities, type UpstreamDeclaration } from './vulns.ts';
import type { Unlisted } from '../advisories/coverage.ts';
import type { matchComponent } from '../advisories/match.ts';

export interface ReleaseFindingsInput {
  components: ReleaseComponent[];
  db: AdvisoryDb;
  product: ProductInfo;
  decisions: VexDecision[];
  /** Reports sent for the vulnerability in any release of the product: the reports are of the vulnerability in the product (Art. 14(1)). */
  reports: ReportSent[];
  /** The release these findings are of: a report sent for another release of the product says which. */
  releaseId?: string;
  /** Since when the server's record of the product runs (its first release): nothing before it is known. */
  recordSince?: Date;
  /** The recorded moment of awareness of a finding, if the server recorded one. */
  awareAt(component: string, vulnerability: string): Date | undefined;
  now: Date;
  maxAgeDays?: number;
  /** marque.yaml inventory.upstreams as pushed with the release (its facts): vendor packages matched as "marque vulns" matches them. */
  upstreams?: UpstreamDeclaration[];
  /** marque.yaml vex: as pushed with the release (its facts): applied as "marque vulns" applies them, after the server's decisions. */
  statements?: PushedVexStatement[];
  /**
   * What the release's inventory names without listing it (pushed with it, or the SBOM's marque:notAnalysed marks):
   * coverage counts those that would ship as "marque vulns" counts them. None when absent (nothing named so, or a
   * release placed before the server kept it), so that coverage.unlisted is there as on the command line.
   */
  unlisted?: ReleaseUnlisted;
  /** Shared by the releases of one re-match: a component in 1,000 releases is matched once. */
  matchCache?: Map<string, ReturnType<typeof matchComponent>>;
}

/** A release's unlisted names as coverage takes them (the inventory's own shapes, without what it does not read). */
function unlistedOf(u: ReleaseUnlisted | undefined): Unlisted {
  return {
    unresolved: (u?.unresolved ?? []).map((x) => ({ ...x, package: x.key, reason: '' })),
    notAnalysed: (u?.notAnalysed ?? []).map((f) => ({ ...f, ecosystem: '', reason: '' })),
  };
}

/**
 * `awareness`: "recorded" when the clock runs from the server's recorded moment, "pending" for an
 * exploited finding the server's match has not stored yet (its clock starts when it does).
 * `measureAvailableAt`: when a corrective or mitigating measure became available, as the statement in force says
 * (its final report is due 14 days after it, Art. 14(2)(c)).
 */
export type ReleaseFinding = Finding & { reportsSent: SentReport[]; awareness?: 'recorded' | 'pending'; measureAvailableAt?: string };

/** Where a pushed marque.yaml statement comes from, as a finding's `statusSource` names it. */
export const pushedSource = (i: number): string => `marque.yaml#vex[${i}], pushed with the release`;

/** The statements marque.yaml's vex: gave, as pushed, checked as "marque vulns" checks them (InputError otherwise). */
export function pushedStatements(statements: readonly PushedVexStatement[] | undefined): VexStatement[] {
  return (statements ?? []).map((s, i) => checkStatement({ ...s, ...(s.products ? { products: [...s.products] } : {}), source: pushedSource(i) }, `facts.vex[${i}]`));
}

/** A report stage sent; `releaseId` when it was recorded for another release of the product. */
export interface SentReport { stage: string; sentAt: string; sentBy: string; releaseId?: string }

/**
 * `evidence`: for each finding with a clock (its moment recorded or pending), what that moment rests on, keyed
 * "component\0advisory": the KEV listing and publication dates, which a pending finding's (null) clock cannot carry,
 * for the event that announces it and the stored finding the portfolio reads.
 */
export async function releaseFindings(i: ReleaseFindingsInput): Promise<{ findings: ReleaseFinding[]; coverage: Coverage; evidence: Map<string, AwarenessEvidence> }> {
  // A release stored before origins were kept marks none: its roots (depth 0) are the SBOM's subject.
  const legacy = !i.components.some((c) => c.subject || c.firstParty);
  const components: InventoryComponent[] = i.components.map((c) => ({
    purl: c.purl, name: c.name, version: c.version, ecosystem: c.ecosystem as InventoryComponent['ecosystem'], licenses: [],
    depth: c.depth, kind: c.scope as InventoryComponent['kind'], ...(c.depth === 0 ? { root: true } : {}),
    ...(c.firstParty ? { firstParty: true } : {}), ...(c.subject || (legacy && c.depth === 0) ? { subject: true } : {}), ...matcherFields(c),
  }));
  // The latest decision on each (vulnerability, component) is the one in force; the rest is history.
  const latest = new Map<string, VexDecision>();
  for (const d of i.decisions) latest.set(`${d.vulnerability}\0${d.component}`, d);
  const vex: VexStatement[] = [...latest.values()].map((d) => ({
    vulnerability: d.vulnerability, products: [d.component], status: d.status,
    ...(d.justification ? { justification: d.justification } : {}), ...(d.impact ? { impact: d.impact } : {}),
    source: `decision ${d.id} by ${d.decidedBy} at ${d.decidedAt}`,
  }));
  // The server's decisions first: the first statement that applies is the one in force (api/vulns.ts).
  const pushed = pushedStatements(i.statements);
  const { findings, coverage } = findVulnerabilities({ components, unlisted: unlistedOf(i.unlisted), db: i.db, product: i.product, vex: [...vex, ...pushed], awareAt: i.now, now: i.now, maxAgeDays: i.maxAgeDays, matchCache: i.matchCache, upstreams: i.upstreams });
  const out: ReleaseFinding[] = [];
  const evidence = new Map<string, AwarenessEvidence>();
  for (const found of findings) {
    const ids = [found.advisory, ...found.aliases];
    const inForce = [...vex, ...pushed].find((s) => applies(s, found.component, ids));
    // A decision recorded on the server over a marque.yaml statement: both are said, the one in force first.
    const over = inForce && !pushed.includes(inForce) ? pushed.find((s) => applies(s, found.component, ids)) : undefined;
    const f = over ? { ...found, statusSource: `${found.statusSource}, over ${over.source} (${over.status})` } : found;
    const measure = inForce?.measureAvailableAt;
    const sent = sentFor(i.reports, ids, i.releaseId);
    if (f.clock) {
      // Awareness is of the vulnerability, under whichever id was recorded first: a second advisory aliasing
      // the same CVE must not restart the clock.
      const aware = ids.map((id) => i.awareAt(f.component, id)).filter((d): d is Date => d !== undefined).sort((a, b) => a.getTime() - b.getTime())[0];
      const e = evidenceOf(f, i.recordSince);
      evidence.set(`${f.component}\0${f.advisory}`, e);
      out.push({ ...f, clock: aware ? clockOf(aware, sent, i.now, e, measure) : null, reportsSent: sent, awareness: aware ? 'recorded' : 'pending', ...(measure ? { measureAvailableAt: measure } : {}) });
    } else out.push({ ...f, reportsSent: sent });
  }
  return { findings: out, coverage, evidence };
}

/** The reports sent for a vulnerability, under any of its ids; one recorded for another release than `releaseId` names it. */
export function sentFor(reports: ReportSent[], ids: string[], releaseId?: string): SentReport[] {
  const set = new Set(ids);
  return reports.filter((r) => set.has(r.vulnerability))
    .map((r) => ({ stage: r.stage, sentAt: r.sentAt, sentBy: r.sentBy, ...(releaseId && r.releaseId !== releaseId ? { releaseId: r.releaseId } : {}) }));
}

/**
 * What a recorded moment rests on: the server's record of the product, and when the vulnerability was public or
 * listed exploited (a finding still pending, whose moment the match records now, has no clock but its KEV date).
 */
export function evidenceOf(f: Finding, recordSince: Date | undefined): AwarenessEvidence {
  const a = f.clock?.awareness;
  const exploitedSince = a?.exploitedSince ?? f.kev?.dateAdded;
  return { basis: 'recorded', ...(recordSince ? { recordSince } : {}), ...(a?.publicSince ? { publicSince: a.publicSince } : {}), ...(exploitedSince ? { exploitedSince } : {}) };
}

/**
 * The Art. 14(2) clock from a moment of awareness, a stage already reported never overdue (nor in the deadlines
 * from an earlier moment); `measureAvailableAt` (a VEX statement's) starts the final report's.
 */
export function clockOf(awareAt: Date, sent: { stage: string }[], now: Date, evidence?: AwarenessEvidence, measureAvailableAt?: string): ReturnType<typeof reportingClock> {
  const clock = reportingClock(awareAt, measureAvailableAt ? new Date(measureAvailableAt) : null, now, evidence);
  const notSent = (stage: string) => !sent.some((s) => s.stage === stage);
  clock.overdue = clock.overdue.filter(notSent);
  if (clock.awareness?.ifAwareFrom) clock.awareness.ifAwareFrom.overdue = clock.awareness.ifAwareFrom.overdue.filter(notSent);
  return clock;
}
