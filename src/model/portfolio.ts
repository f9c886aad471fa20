// The team server's portfolio, in the CRA's words: a team places products on the market as
// releases; each release has its components, the findings on them, the manufacturer's VEX
// decisions (append-only history), the moment it became aware of each exploited vulnerability
// (Art. 14(2) counts from it) and the reports it sent.
import { READ_BACK_PROPERTIES, type Component, type DependencyKind } from './inventory.ts';
import type { AwarenessBasis } from './advisory.ts';

export type Role = 'viewer' | 'editor' | 'admin';

export interface Team { id: string; name: string; createdAt: string }

/** An API token as listed: never the secret, which is shown once when it is made and kept only as a hash. */
export interface ApiToken { id: string; teamId: string; role: Role; name: string; createdAt: string; expiresAt: string | null; lastUsedAt: string | null; revokedAt: string | null }

export interface Product { id: string; teamId: string; name: string; createdAt: string }

/** A product version placed on the market. */
export interface Release {
  id: string;
  productId: string;
  version: string;
  /** When it was placed on the market (ISO date), if known. */
  placedOnMarket: string | null;
  /** End of its support period, YYYY-MM (Art. 13(8), 13(19)). */
  supportEnd: string | null;
  status: 'on-market' | 'withdrawn';
  componentCount: number;
  createdAt: string;
  /** What marque.yaml says of the product at this release (class, routes, markets, contacts), when pushed with it. */
  facts: ReleaseFacts | null;
  /**
   * What the release's inventory names without listing it as a component (coverage's `unlisted`): absent when it
   * names nothing so, and on releases placed before the server kept it.
   */
  unlisted?: ReleaseUnlisted;
}

/**
 * What an inventory names but does not list, as "marque push" sends it (or an SBOM's marque:notAnalysed marks
 * give it): its unresolved dependencies (a requirement with no version Marque could resolve, requests==2.32.*; a
 * ROS key of no package), each with its kind and the component that declared it, so that the server counts those
 * that would ship as "marque vulns" counts them; and the lockfiles Marque could not read.
 */
export interface ReleaseUnlisted {
  unresolved: { key: string; file: string; line?: number; kind?: DependencyKind; from?: string }[];
  notAnalysed: { file: string; format: string }[];
}

/** The CRA facts of a release, as the manufacturer's marque.yaml and Marque's classification gave them. */
export interface ReleaseFacts {
  class: string | null;
  categories: string[];
  conformityRoutes: string[];
  manufacturer: string | null;
  contact: string | null;
  mainEstablishment: string | null;
  memberStates: string[];
  /**
   * marque.yaml inventory.upstreams: what vendor packages build (yaml_cpp_vendor builds yaml-cpp 0.8.0), which the
   * server matches as "marque vulns" does. Absent when none is declared, and on releases pushed before it was sent.
   */
  upstreams?: { component: string; upstream: string }[];
  /**
   * marque.yaml `vex:`, the statements as written there (in their order: the first that applies to a finding is the
   * one in force), which the server applies as "marque vulns" does, after the decisions recorded on the server for
   * the release. Absent when marque.yaml has none, and on releases pushed before they were sent.
   */
  vex?: PushedVexStatement[];
}

/** One marque.yaml `vex:` statement as "marque push" sends it (src/vex/statements.ts reads and checks it). */
export interface PushedVexStatement {
  vulnerability: string;
  /** purls; one without version covers every version; none: every component with the vulnerability. */
  products?: string[];
  status: VexStatusValue;
  justification?: string;
  impact?: string;
  exploited?: boolean;
  evidence?: string;
  measureAvailableAt?: string;
}

/**
 * `firstParty`, `subject`: as the inventory's components (model/inventory.ts); absent on releases stored before they were kept.
 * `vcsUrl` (the SBOM's vcs reference) and `properties` (READ_BACK_PROPERTIES only): what GIT advisories are matched by, and closure gaps;
 * absent on releases stored before they were kept (their components are gaps of coverage, not matched).
 */
export interface ReleaseComponent { purl: string; name: string; version: string; ecosystem: string; depth: number | null; scope: string | null; firstParty?: boolean; subject?: boolean; vcsUrl?: string; properties?: Record<string, string> }

/** A release component as the matcher reads it: its vcs URL as the provenance, with the repository properties. */
/** The repository properties of an inventory component, if it has any. */
export function repositoryProperties(c: Pick<Component, 'properties'>): Record<string, string> | undefined {
  const kept = READ_BACK_PROPERTIES.filter((k) => c.properties?.[k] !== undefined).map((k) => [k, c.properties![k]!]);
  return kept.length ? Object.fromEntries(kept) : undefined;
}

export function matcherFields(c: Pick<ReleaseComponent, 'vcsUrl' | 'properties'>): Pick<Component, 'provenance' | 'properties'> {
  return { ...(c.vcsUrl ? { provenance: { type: 'git', url: c.vcsUrl } } : {}), ...(c.properties ? { properties: c.properties } : {}) };
}

/** The repository fields of a stored row (columns vcs_url and properties, JSON), absent when null. */
export function withRepository<T extends object>(c: T, vcsUrl: unknown, properties: unknown): T & Pick<ReleaseComponent, 'vcsUrl' | 'properties'> {
  return { ...c, ...(vcsUrl ? { vcsUrl: String(vcsUrl) } : {}), ...(properties ? { properties: JSON.parse(String(properties)) as Record<string, string> } : {}) };
}

/** How a release component's origin is stored (one column): the product itself, its own code, or a third party's (null). */
export function originOf(c: Pick<ReleaseComponent, 'firstParty' | 'subject'>): 'subject' | 'first-party' | null {
  return c.subject ? 'subject' : c.firstParty ? 'first-party' : null;
}

export function withOrigin<T extends object>(c: T, origin: unknown): T & Pick<ReleaseComponent, 'firstParty' | 'subject'> {
  return origin === 'subject' ? { ...c, subject: true } : origin === 'first-party' ? { ...c, firstParty: true } : c;
}

export type VexStatusValue = 'affected' | 'not_affected' | 'fixed' | 'under_investigation';

/** One decision on one finding; decisions are never edited, a later one supersedes. */
export interface VexDecision {
  id: string;
  releaseId: string;
  vulnerability: string;
  component: string;
  status: VexStatusValue;
  justification: string | null;
  impact: string | null;
  decidedBy: string;
  decidedAt: string;
}

/** The Art. 14(2) stages a report can be sent for. */
export type ReportStage = 'early-warning' | 'notification' | 'final-report';

/** What the last re-match found, kept to see what changed at the next one. */
export interface StoredFinding { releaseId: string; component: string; vulnerability: string; exploited: boolean; status: VexStatusValue; firstSeen: string; lastSeen: string }

/** A change worth a person's attention: a new finding, a finding now exploited, a finding gone (its advisory withdrawn or changed), a deadline near or past. */
export interface PortfolioEvent { seq: number; teamId: string; releaseId: string | null; kind: 'finding.new' | 'finding.exploited' | 'finding.gone' | 'deadline.soon' | 'deadline.overdue'; payload: Record<string, unknown>; at: string }

/** One line of the portfolio: a release and where it stands. */
export interface PortfolioRow {
  release: Release;
  product: string;
  /** Open (component, vulnerability) pairs: one vulnerability in two components is two findings. */
  openFindings: number;
  openExploited: number;
  /** Distinct open vulnerabilities, and the components they are in (model/counting.ts); absent from servers before them. */
  openVulnerabilities?: number;
  openComponents?: number;
  /** Distinct open vulnerabilities actively exploited. */
  exploitedVulnerabilities?: number;
  /**
   * The nearest Art. 14(2) report not yet sent for an open exploited finding: stage and due time, counted from the
   * moment the server recorded; `awareness`: what that moment rests on, the finding's `clock.awareness` as its
   * findings page gives it (absent for a finding stored before it was kept, until the release is matched again).
   */
  nextDeadline: { vulnerability: string; stage: ReportStage; due: string; awareness?: AwarenessBasis } | null;
  /**
   * The nearest report not yet sent counted from when an open exploited vulnerability was listed as exploited (KEV),
   * or made public, where that predates the server's record of the product (its clock's `awareness.ifAwareFrom`):
   * what was due, or is overdue, if the manufacturer knew then. Null when no open exploited finding has one; absent
   * when the release has an open exploited finding stored before it was kept (and from servers before it).
   */
  ifAwareFrom?: { vulnerability: string; stage: ReportStage; due: string; since: string; why: 'exploited' | 'public' } | null;
  /** How much of the release the last re-match could check: components, those with advisory data, those with fresh data, and its newest data date. */
  /** `restsOn`: the complete sources the fresh figure rests on; `closureGaps`: parts of the closure not followed (absent in rows matched before they were kept). */
  /** `unlisted`: what the inventory names without listing it (coverage.unlisted), absent in rows matched before it was kept. */
  coverage: { components: number; covered: number; fresh: number; dataDate: string | null; at: string; restsOn?: string[]; closureGaps?: number; unlisted?: { unresolved: number; notAnalysed: number; examples: string[] } } | null;
}

export interface Webhook { id: string; teamId: string; url: string; createdAt: string }

/** A public key a team trusts to sign assessments, for the components (purl globs) and uses it names. */
/** A public key a team trusts for assessments: for which components and uses, and until when (null: no end). */
export interface SigningKey { keyid: string; name: string; publicKey: string; components: string[]; uses: string[]; until: string | null; createdAt: string }

/** One event's delivery to one webhook: pending (retrying with backoff), delivered, or failed for good. */
export interface WebhookDelivery { webhookId: string; eventSeq: number; attempts: number; status: 'pending' | 'delivered' | 'failed'; lastCode: number | null; lastError: string | null; lastAt: string | null; nextAt: string | null }

export interface ReportSent { releaseId: string; vulnerability: string; stage: ReportStage; sentAt: string; sentBy: string }
