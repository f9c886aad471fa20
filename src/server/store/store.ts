// One repository interface for the team server's state, with two adapters: node:sqlite for the
// embedded default (nothing to install) and PostgreSQL for teams. The same test suite runs against
// both (test/portfolio-store.test.ts).
import type { ApiToken, ReleaseFacts, ReleaseUnlisted, SigningKey, Webhook, WebhookDelivery, PortfolioEvent, PortfolioRow, Product, Release, ReleaseComponent, ReportSent, ReportStage, Role, StoredFinding, Team, VexDecision, VexStatusValue } from '../../model/portfolio.ts';

import type { PushOutcome, ReleasePush } from './place-release.ts';
import type { MatchResult } from './save-match.ts';

export interface NewRelease { productId: string; version: string; placedOnMarket?: string | null; supportEnd?: string | null; facts?: ReleaseFacts | null; components: ReleaseComponent[]; unlisted?: ReleaseUnlisted }
export interface ReleaseChange { status?: Release['status']; placedOnMarket?: string | null; supportEnd?: string | null; facts?: ReleaseFacts | null }
export interface NewDecision { releaseId: string; vulnerability: string; component: string; status: VexStatusValue; justification?: string | null; impact?: string | null; decidedBy: string; at?: Date }

/**
 * Per-team limits on what a request may add (marque serve; limits.ts): each is checked in the insert's own
 * transaction, so parallel requests cannot pass it together. Unset: no limit (the operator's CLI, tests).
 */
export interface StoreCaps { products?: number; releasesPerProduct?: number; tokens?: number; webhooks?: number; assessments?: number }

export interface PortfolioStore {
  /** The PostgreSQL database the store is in (its job queue lives beside it); undefined for the embedded store. */
  readonly postgres?: { url: string; schema?: string };
  /** Applies the migrations that have not run yet; safe to call on every start. */
  migrate(): Promise<void>;
  close(): Promise<void>;

  createTeam(name: string): Promise<Team>;
  createProduct(teamId: string, name: string, caps?: StoreCaps): Promise<Product>;
  /** Products of a team only: a product of another team is not found (tenant isolation). */
  product(teamId: string, productId: string): Promise<Product | undefined>;
  products(teamId: string): Promise<Product[]>;

  /** A release and its components, all or nothing; a version the product has already is a Conflict. */
  createRelease(teamId: string, r: NewRelease, caps?: StoreCaps): Promise<Release>;
  /** A whole push (product by name, release, components, dates, facts, dossier) in one transaction; see place-release.ts. */
  placeRelease(teamId: string, push: ReleasePush, by: string, caps?: StoreCaps): Promise<{ release: Release; outcome: PushOutcome }>;
  release(teamId: string, releaseId: string): Promise<Release | undefined>;
  /** Keeps (or replaces) a release's dossier; false when the team has no such release. */
  putDossier(teamId: string, releaseId: string, dossier: unknown, pushedBy: string): Promise<boolean>;
  dossier(teamId: string, releaseId: string): Promise<{ dossier: unknown; pushedBy: string; pushedAt: string } | undefined>;
  /** Withdraws a release, corrects its dates, or records its CRA facts; undefined when the team has no such release. */
  updateRelease(teamId: string, releaseId: string, change: ReleaseChange): Promise<Release | undefined>;
  releases(teamId: string, opts?: { productId?: string; limit?: number; offset?: number }): Promise<Release[]>;
  components(teamId: string, releaseId: string): Promise<ReleaseComponent[]>;
  setReleaseStatus(teamId: string, releaseId: string, status: Release['status']): Promise<boolean>;

  /** The first moment of awareness is kept: later calls return it unchanged (Art. 14(2)). */
  awareness(teamId: string, releaseId: string, component: string, vulnerability: string, now: Date): Promise<Date | undefined>;

  /** Appends a decision; earlier ones stay as history. */
  decide(teamId: string, d: NewDecision): Promise<VexDecision | undefined>;
  /** Every decision on a finding, oldest first. */
  decisions(teamId: string, releaseId: string, vulnerability?: string): Promise<VexDecision[]>;

  /** A new API token for a team, valid until `expiresAt` (null: until revoked); the returned secret is never stored, only its hash. */
  createToken(teamId: string, role: Role, name: string, expiresAt?: Date | null, caps?: StoreCaps): Promise<{ id: string; token: string }>;
  /** Who a presented token is, or undefined when it is unknown, revoked or expired; notes its use. */
  tokenOwner(token: string, at?: Date): Promise<{ teamId: string; role: Role; name: string; tokenId: string } | undefined>;
  /** The tokens of a team (or of every team), revoked ones included, never their secrets. */
  tokens(teamId?: string): Promise<ApiToken[]>;
  /** Revokes a token (of that team, when given) at once; false when there is no such token still valid. */
  revokeToken(id: string, teamId?: string): Promise<boolean>;
  teamByName(name: string): Promise<Team | undefined>;
  /** How many teams the server holds. */
  teamCount(): Promise<number>;
  team(teamId: string): Promise<Team | undefined>;
  /** The sequence number of the team's newest event (0 when none). */
  lastEventSeq(teamId: string): Promise<number>;
  /** The team's releases that contain a component (purl without version), with the version they contain. */
  releasesWith(teamId: string, identity: string): Promise<{ releaseId: string; product: string; version: string; purl: string; componentVersion: string }[]>;

  /** Every release on the market whose support period has not ended (YYYY-MM compared), of every team. */
  releasesToWatch(month: string, teamId?: string): Promise<{ teamId: string; release: Release; productName: string }[]>;
  storedFindings(teamId: string, releaseId: string): Promise<StoredFinding[]>;
  /** Replaces what the last re-match found for a release; first_seen survives for findings seen before. */
  /** Replaces a release's stored findings, keeping first-seen times; the events given are added, and queued to every webhook, in the same transaction. */
  saveFindings(teamId: string, releaseId: string, findings: { component: string; vulnerability: string; exploited: boolean; status: VexStatusValue }[], at: Date,
    events?: { kind: PortfolioEvent['kind']; payload: Record<string, unknown> }[], coverage?: PortfolioRow['coverage']): Promise<PortfolioEvent[]>;
  /** What a match of a release found, with its events and awareness, in one transaction under a lock on the release (save-match.ts). */
  saveMatch(teamId: string, releaseId: string, m: MatchResult): Promise<PortfolioEvent[]>;
  /** The recorded moments of awareness of a release's findings, by "component\0vulnerability"; read only (a page view records nothing). */
  awarenessOf(teamId: string, releaseId: string): Promise<Map<string, Date>>;
  /** Releases in their support period holding any of these package keys (the package → releases index). */
  releasesHolding(packages: string[], month: string): Promise<{ teamId: string; releaseId: string }[]>;
  /** Releases in their support period with a stored finding under any of these advisory ids. */
  releasesWithFindings(vulnerabilities: string[], month: string): Promise<{ teamId: string; releaseId: string }[]>;
  watchedRelease(releaseId: string): Promise<{ teamId: string; release: Release; productName: string } | undefined>;
  /** Releases in their support period pending a full match with this matcher version (of `ids` only, when given), oldest first. */
  pendingReleaseIds(matcher: string, month: string, o?: { ids?: string[]; limit?: number }): Promise<string[]>;
  /** Makes the releases of a team (or all) pending a full match again; returns how many. */
  markPending(teamId?: string): Promise<number>;
  /** Makes these releases pending a full match again (their match failed); returns how many. */
  markReleasesPending(releaseIds: string[]): Promise<number>;
  /**
   * A full re-match of the team asked for by POST /rematch (one at a time per team, across the servers of one
   * database): the claim, or when the one that holds it began. A claim whose holder has not said it is alive for
   * staleMs (its server died) is taken over.
   */
  claimRematch(teamId: string, at: Date, staleMs: number): Promise<{ claim: string } | { runningSince: string }>;
  /** The holder of a claim is alive (every few seconds while it runs). */
  beatRematch(teamId: string, claim: string, at: Date): Promise<void>;
  endRematch(teamId: string, claim: string): Promise<void>;
  /** How far the re-match has read an advisory database's change log (undefined: never). */
  advisoryCursor(dataId: string): Promise<number | undefined>;
  setAdvisoryCursor(dataId: string, seq: number): Promise<void>;
  /** Releases waiting for a full match and deliveries waiting to be sent. */
  queueDepth(month: string): Promise<{ releases: number; deliveries: number }>;
  /** Events by kind and deliveries by status, of every team. */
  counts(): Promise<{ events: Record<string, number>; deliveries: Record<string, number> }>;
  addEvent(teamId: string, releaseId: string | null, kind: PortfolioEvent['kind'], payload: Record<string, unknown>, at: Date): Promise<PortfolioEvent>;
  /** Events of a team after a sequence number, oldest first. */
  events(teamId: string, after: number, limit: number): Promise<PortfolioEvent[]>;

  /** Every release of a team with its open and exploited findings (as last re-matched) and nearest report due. */
  portfolio(teamId: string): Promise<PortfolioRow[]>;

  /** A webhook; its secret (for HMAC-SHA256 signatures) is returned once and kept to sign. */
  addWebhook(teamId: string, url: string, caps?: StoreCaps): Promise<Webhook & { secret: string }>;
  webhooks(teamId: string): Promise<Webhook[]>;
  /** Removes a webhook of the team and its delivery log; false when the team has none by that id. */
  deleteWebhook(teamId: string, webhookId: string): Promise<boolean>;
  /** Deliveries of an event to every webhook of its team, created pending. */
  queueDeliveries(event: PortfolioEvent, at: Date): Promise<number>;
  /** Pending deliveries due now, with what is needed to send them (one delivery run at a time sends them); not those of `skipWebhooks` (set aside for this run). */
  dueDeliveries(now: Date, limit: number, skipWebhooks?: string[]): Promise<{ delivery: WebhookDelivery; url: string; secret: string; event: PortfolioEvent }[]>;
  /** Whether any delivery is due now (a cheap look before asking for a delivery run). */
  hasDueDeliveries(now: Date): Promise<boolean>;
  recordAttempt(d: { webhookId: string; eventSeq: number; ok: boolean; code: number | null; error: string | null; at: Date; nextAt: Date | null }): Promise<void>;
  deliveries(teamId: string, webhookId: string): Promise<WebhookDelivery[]>;

  /** Open exploited findings with their moment of awareness and the stages already reported, of every team (withdrawn releases included). */
  exploitedOpen(): Promise<{ teamId: string; releaseId: string; product: string; version: string; component: string; vulnerability: string; awareAt: string; sent: ReportStage[] }[]>;
  /** Records that a deadline notice was given; false when it had been given already. */
  noteDeadline(releaseId: string, vulnerability: string, stage: ReportStage, kind: 'soon' | 'overdue', at: Date): Promise<boolean>;

  /** Keeps a signed assessment in the team's registry; storing it again is harmless. */
  putAssessment(teamId: string, digest: string, component: string, envelope: unknown, caps?: StoreCaps): Promise<void>;
  /** The team's assessments, of one component (purl without version) or all. */
  assessments(teamId: string, component?: string): Promise<{ digest: string; component: string; envelope: unknown; createdAt: string }[]>;

  /** Registers (or replaces) a public key the team trusts for the components and uses given. */
  putSigningKey(teamId: string, k: SigningKey): Promise<void>;
  signingKeys(teamId: string): Promise<SigningKey[]>;
  deleteSigningKey(teamId: string, keyid: string): Promise<boolean>;

  recordReport(teamId: string, r: { releaseId: string; vulnerability: string; stage: ReportStage; sentBy: string; at?: Date }): Promise<ReportSent | undefined>;
  reports(teamId: string, releaseId: string): Promise<ReportSent[]>;
  /**
   * What the server knows of a release's product for its Art. 14(2) clocks: since when it holds a release of it (its
   * record says nothing of the time before), and the reports sent for any of its releases (a report is of the
   * vulnerability in the product, Art. 14(1)); undefined when the team has no such release.
   */
  productRecord(teamId: string, releaseId: string): Promise<{ since: Date; reports: ReportSent[] } | undefined>;

  /** Stores (or replaces, by tracking id) a published CSAF document with its hashes and signature. */
  putCsafDocument(teamId: string, d: CsafDocumentRow): Promise<void>;
  /** The team's CSAF documents, newest release first. */
  csafDocuments(teamId: string): Promise<CsafDocumentRow[]>;
  csafKey(teamId: string): Promise<CsafKeyRow | undefined>;
  /** Keeps the first key stored for the team; returns the key that is kept. */
  putCsafKey(teamId: string, k: CsafKeyRow): Promise<CsafKeyRow>;
}

export interface CsafDocumentRow { trackingId: string; filename: string; year: string; tlp: string; text: string; sha256: string; sha512: string; signature: string; currentReleaseDate: string; publishedAt: string }
export interface CsafKeyRow { privateKey: string; publicKey: string; fingerprint: string; createdAt: string }
