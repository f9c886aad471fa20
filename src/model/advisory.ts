// Advisories (OSV records), exploitation facts and findings.

export interface OsvEvent { introduced?: string; fixed?: string; last_affected?: string; limit?: string }
export interface OsvRange { type: string; repo?: string; events: OsvEvent[] }
export interface OsvAffected {
  package?: { ecosystem: string; name: string; purl?: string };
  ranges?: OsvRange[];
  versions?: string[];
}
export interface OsvSeverity { type: string; score: string }

export interface Advisory {
  id: string;
  modified: string;
  published?: string;
  withdrawn?: string;
  aliases: string[];
  related: string[];
  summary?: string;
  details?: string;
  severity: OsvSeverity[];
  affected: OsvAffected[];
  references: { type: string; url: string }[];
}

export interface KevEntry {
  cve: string;
  vendor?: string;
  product?: string;
  name?: string;
  dateAdded: string;
  dueDate?: string;
  ransomware?: string;
  requiredAction?: string;
}

export type VexStatus = 'affected' | 'not_affected' | 'fixed' | 'under_investigation';

/** The five justifications OpenVEX 0.2 and CISA's minimum requirements define for not_affected. */
export const VEX_JUSTIFICATIONS = [
  'component_not_present', 'vulnerable_code_not_present', 'vulnerable_code_not_in_execute_path',
  'vulnerable_code_cannot_be_controlled_by_adversary', 'inline_mitigations_already_exist',
] as const;
export type VexJustification = typeof VEX_JUSTIFICATIONS[number];

export interface Severity { type: string; vector: string; baseScore: number | null; rating: string | null }

export interface ReportingClock {
  awareAt: string;
  earlyWarningDue: string;
  notificationDue: string;
  /** Due 14 days after a corrective or mitigating measure is available; null until one is. */
  finalReportDue: string | null;
  overdue: string[];
  cite: string;
  /** What the moment of awareness rests on (src/cra/clock.ts); absent on clocks computed before it was kept. */
  awareness?: AwarenessBasis;
}

/**
 * What a moment of awareness rests on. Marque knows only its own record: a store started today (deleted,
 * a new machine, another cache folder) or a product first checked today cannot rule out that the
 * manufacturer knew earlier, and a clock from its record alone would claim a later moment than it can support.
 */
export interface AwarenessBasis {
  /** "recorded": Marque's first record of the vulnerability in the product (any release); "given": stated for this run (--aware-at); "unrecorded": nothing is kept, the clock starts now. */
  basis: 'recorded' | 'given' | 'unrecorded';
  /** Since when Marque's record of the product runs (its first check with this awareness store, its first release on the server): nothing before it is known. */
  recordSince?: string;
  /** When the awareness store holding the record was started (the command line's awareness.sqlite). */
  storeStarted?: string;
  /** The release (product@version) the moment was recorded for, when it is another release of the product. */
  recordedFor?: string;
  /** When the vulnerability was first published (the earliest `published` of its advisories). */
  publicSince?: string;
  /** When the KEV catalogue listed it as exploited (dateAdded). */
  exploitedSince?: string;
  /**
   * Set when the vulnerability was known exploited (KEV), or public, before Marque's record of the product began: if
   * the manufacturer knew it then, these deadlines ran from then (Art. 14(2) counts from the manufacturer becoming aware).
   */
  ifAwareFrom?: { since: string; why: 'exploited' | 'public'; earlyWarningDue: string; notificationDue: string; overdue: string[] };
}

export interface Finding {
  component: string;
  /** The component's scope in the product (runtime, test, ...); null when no path reaches it. */
  scope?: string | null;
  /** The vendored upstream the advisory is about, when the component is a vendor package. */
  via?: string;
  advisory: string;
  aliases: string[];
  summary?: string;
  severity: Severity[];
  fixedIn: string[];
  exploited: boolean;
  kev: { dateAdded: string } | null;
  epss?: { score: number; percentile: number } | null;
  status: VexStatus;
  justification: string | null;
  statusSource?: string;
  clock: ReportingClock | null;
}

/** One ecosystem of one advisory source as the database keeps it: complete or partial (src/advisories/sources.ts), and how it was imported. */
export interface StoredCoverageSource { ecosystem: string; source: string; dataDate: string | null; records: number; complete: boolean; how: string | null; basis: string | null }

/** What a vulnerability answer looked at (src/advisories/coverage.ts computes it): one ecosystem of one source, fresh or stale. */
export interface CoverageSource extends StoredCoverageSource { stale: boolean }

/** Part of the dependency closure not followed: components nobody listed, so nobody checked. */
export interface ClosureGap { reason: string; fix: string; components: string[] }

export interface Coverage {
  /** Components the answer is about: the counted ones (model/counting.ts: third-party components that ship). */
  components: number;
  /** Every component of the product, counted or not (absent in coverage kept before it was recorded). */
  all?: number;
  /** Third-party components that do not ship (build, test, doc, dev scope): not counted. */
  notShipped?: number;
  versioned: number;
  /** With a version and a complete source of their ecosystem. */
  covered: number;
  /** Covered by data no older than `maxAgeDays`. */
  coveredFresh: number;
  /** First-party components, the product's own code: not counted in coverage (no public advisory database need cover them), though matched where an advisory names them (the project's own SDK downloaded as a release). */
  firstParty: number;
  maxAgeDays: number;
  sources: CoverageSource[];
  /** The complete, fresh sources the covered components rest on ("osv:PyPI"), each with its ecosystem and date. */
  /** `vouched`: complete on the user's word at import (db import --complete), not by what the data shows. */
  restsOn?: { source: string; ecosystem: string; dataDate: string | null; how: string | null; vouched?: boolean }[];
  /** Purls not covered (or covered only by stale data), each with why. */
  uncovered: string[];
  gaps: { component: string; reason: string }[];
  /**
   * What the inventory names but does not list as components, so no advisory was matched to it: dependencies
   * with no version Marque could resolve (requests==2.32.*, a rosdep key) and lockfiles it cannot read yet.
   * Absent in coverage computed without the inventory's lists (a server's release, read from its SBOM).
   */
  unlisted?: { unresolved: number; notAnalysed: number; examples: string[] };
  /** Where the closure stops short: each a reason, the command that fixes it, and the components it concerns. */
  closure?: ClosureGap[];
  /** Every component covered by fresh, complete data, and the closure followed. */
  complete: boolean;
}

/**
 * "Data as of" for findings that rest on several advisory sources: the oldest source's date, since the findings are
 * no more current than the stalest data they rest on; unknown (null) when any source is undated.
 */
export function dataAsOf(sources: readonly { dataDate?: string | null }[]): string | null {
  const dates = sources.map((s) => s.dataDate);
  return dates.length && dates.every(Boolean) ? (dates as string[]).sort()[0]! : null;
}
