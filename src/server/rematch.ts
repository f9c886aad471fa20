// Matching the releases a team server holds, and turning what is new into events. Three ways in:
// a release not yet matched with this matcher version (new, pushed, or the matcher changed) gets a
// full match; a change of the advisory data (advisories added or altered, KEV entries added or
// removed) re-matches only the releases that hold a package those advisories name (found through the
// package → releases index) or already have a finding under them, and replaces only those findings;
// and an explicit re-match makes a team's releases pending again. Each release's result is stored
// in one transaction (save-match.ts), so a run killed halfway resumes without announcing twice.
import { dataAsOf } from '../model/advisory.ts';
import type { AdvisoryDb } from '../advisories/store.ts';
import { changesSince, dataId, logEnd, packagesOf, relatedAdvisories, type AdvisoryChanges } from '../advisories/changes.ts';
import type { PortfolioEvent, Release } from '../model/portfolio.ts';
import type { PortfolioStore } from './store/store.ts';
import type { MatchedFinding, StoredEvidence } from './store/save-match.ts';
import { clockOf, evidenceOf, releaseFindings, sentFor } from '../api/release-findings.ts';
import type { matchComponent } from '../advisories/match.ts';
import type { AwarenessEvidence } from '../cra/clock.ts';
import { VERSION } from '../api/defaults.ts';

/** The matcher's version: a release matched with another one is matched again in full. */
// match-2: findings keep their aliases (migration 20); every release is matched once more to fill them.
// match-3: findings keep what their moment of awareness rests on (migration 22), for the portfolio; and
// marque.yaml's vex: statements pushed with a release apply. Every release is matched once more.
export const MATCHER_VERSION = `${VERSION}/match-3`;

/** More changed advisories than this in one batch: every release is matched (cheaper than the lookups). */
const WHOLE_PORTFOLIO = 20_000;

export type MatchCache = Map<string, ReturnType<typeof matchComponent>>;

interface Watched { teamId: string; release: Release; productName: string }

export const monthOf = (d: Date): string => d.toISOString().slice(0, 7);

/** Matches one release (in full, or for the advisories of `scope`) and stores what it finds, with its events. */
export async function matchRelease(store: PortfolioStore, db: AdvisoryDb, w: Watched, now: Date, o: { scope?: ReadonlySet<string>; full?: boolean; cache?: MatchCache } = {}): Promise<PortfolioEvent[]> {
  const { teamId, release, productName } = w;
  // Read at once: on PostgreSQL four connections of the pool answer together (one round trip's wait, not four).
  const [record, aware, components, decisions] = await Promise.all([
    store.productRecord(teamId, release.id), store.awarenessOf(teamId, release.id), store.components(teamId, release.id), store.decisions(teamId, release.id),
  ]);
  // Reports sent for any release of the product count (a report is of the vulnerability in the product).
  const reports = record?.reports ?? [];
  const { findings, coverage, evidence } = await releaseFindings({
    components, db, product: { name: productName, version: release.version },
    decisions, reports, releaseId: release.id, recordSince: record?.since, awareAt: (c, v) => aware.get(`${c}\0${v}`), now, matchCache: o.cache, upstreams: release.facts?.upstreams,
    statements: release.facts?.vex, unlisted: release.unlisted,
  });
  const byKey = new Map(findings.map((f) => [`${f.component}\0${f.advisory}`, f]));
  return store.saveMatch(teamId, release.id, {
    at: now, scope: o.scope, matchedWith: o.full ? MATCHER_VERSION : undefined,
    coverage: { components: coverage.components, covered: coverage.covered, fresh: coverage.coveredFresh, dataDate: dataAsOf(db.sources()), at: now.toISOString(), restsOn: [...new Set((coverage.restsOn ?? []).map((r) => `${r.source} (${r.ecosystem}${r.vouched ? ', complete only as vouched for at import' : ''})`))], closureGaps: (coverage.closure ?? []).length, ...(coverage.unlisted ? { unlisted: coverage.unlisted } : {}) },
    // With a clock, what its moment rests on besides the record (the KEV listing, the publication): the portfolio
    // works out its deadlines from them as the findings page does (clockOf), without the advisory data.
    findings: findings.map((f): MatchedFinding => ({
      component: f.component, vulnerability: f.advisory, aliases: f.aliases, exploited: f.exploited, status: f.status, clock: f.awareness !== undefined,
      ...(f.awareness !== undefined ? { evidence: storedEvidence(evidence.get(`${f.component}\0${f.advisory}`), f.measureAvailableAt) } : {}),
    })),
    payload: (m, awareAt) => {
      const f = byKey.get(`${m.component}\0${m.vulnerability}`)!;
      return {
        release: release.id, product: productName, version: release.version, vulnerability: f.advisory, aliases: f.aliases, component: f.component,
        exploited: f.exploited, status: f.status, clock: awareAt ? clockOf(awareAt, sentFor(reports, [f.advisory, ...f.aliases], release.id), now, evidence.get(`${f.component}\0${f.advisory}`) ?? evidenceOf(f, record?.since), f.measureAvailableAt) : null,
      };
    },
    gone: (g) => ({
      release: release.id, product: productName, version: release.version, vulnerability: g.vulnerability, component: g.component,
      exploited: g.exploited, status: g.status, firstSeen: g.firstSeen, ...whyGone(db, g.vulnerability),
      // The moment of awareness stays recorded (and the reports sent): the record of what was known when.
      awareAt: g.awareAt?.toISOString() ?? null,
    }),
  });
}

/** What a finding's clock rests on besides the server's record, as stored with it (releaseFindings' evidence, without the record). */
function storedEvidence(e: AwarenessEvidence | undefined, measureAvailableAt: string | undefined): StoredEvidence {
  return { ...(e?.exploitedSince ? { exploitedSince: e.exploitedSince } : {}), ...(e?.publicSince ? { publicSince: e.publicSince } : {}), ...(measureAvailableAt ? { measureAvailableAt } : {}) };
}

/** Why a stored finding is no longer found, as far as the advisory data tells. */
export function whyGone(db: AdvisoryDb, id: string): { reason: string; withdrawn: string | null } {
  const a = db.advisory(id);
  if (a?.id === id && a.withdrawn) return { reason: `the advisory was withdrawn (${a.withdrawn})`, withdrawn: a.withdrawn };
  if (a?.id !== id) return { reason: 'the advisory is no longer in the server\'s advisory data', withdrawn: null };
  return { reason: 'the advisory no longer names this component\'s version', withdrawn: null };
}

export interface RunSummary { releases: number; events: PortfolioEvent[] }

/**
 * Full matches of the releases pending one, oldest first, in this process (the embedded store: one
 * run at a time). A release whose match fails is left pending for the next run.
 */
export async function matchPending(store: PortfolioStore, db: AdvisoryDb, now: () => Date, o: { batch?: number; cache?: MatchCache; stop?: () => boolean; onFailed?: Failed } = {}): Promise<RunSummary> {
  const out: RunSummary = { releases: 0, events: [] };
  const cache = o.cache ?? new Map();
  const tried = new Set<string>();
  for (;;) {
    if (o.stop?.()) break;
    const ids = (await store.pendingReleaseIds(MATCHER_VERSION, monthOf(now()), { limit: (o.batch ?? 20) + tried.size })).filter((id) => !tried.has(id));
    if (!ids.length) break;
    for (const id of ids) {
      tried.add(id);
      // One release that cannot be matched (its data breaks the store) stays pending, logged; the others behind it go on.
      try {
        const r = await matchReleases(store, db, [id], now, cache);
        out.events.push(...r.events);
        out.releases += r.releases;
      } catch (e) {
        o.onFailed?.(id, e as Error);
      }
    }
  }
  return out;
}

/**
 * Full matches of these releases, each only if it is still pending one (a job asked twice, or
 * retried after its server died, matches nothing twice): what a pg-boss match job runs.
 */
export async function matchReleases(store: PortfolioStore, db: AdvisoryDb, ids: string[], now: () => Date, cache: MatchCache = new Map()): Promise<RunSummary> {
  const out: RunSummary = { releases: 0, events: [] };
  const failed: string[] = [];
  let first: Error | undefined;
  for (const id of await store.pendingReleaseIds(MATCHER_VERSION, monthOf(now()), { ids })) {
    const w = await store.watchedRelease(id);
    if (!w) continue;
    // The others of the batch are matched whatever one of them does; the failure is thrown after (its job is retried).
    try {
      out.events.push(...await matchRelease(store, db, w, now(), { full: true, cache }));
      out.releases++;
    } catch (e) {
      failed.push(id);
      first ??= e as Error;
    }
  }
  if (first) throw new Error(`release${failed.length > 1 ? 's' : ''} ${failed.join(', ')} could not be matched: ${first.message}`, { cause: first });
  return out;
}

/** A release whose match failed, and why (the server logs it). */
export type Failed = (releaseId: string, e: Error) => void;

/**
 * The releases a batch of advisory changes affects, matched again for those advisories only. The
 * position in the database's change log moves on only when every affected release is stored, so a
 * server killed halfway does the batch again (storing is idempotent: nothing is announced twice).
 * A database the store has never read, or a change too large to look up piece by piece (a first
 * OSV import), makes every release pending a full match instead: the pending match (pg-boss jobs on
 * PostgreSQL, shared by the servers) does it once, and the log is read on from its end.
 */
export async function matchChanges(store: PortfolioStore, db: AdvisoryDb, now: () => Date, o: { cache?: MatchCache; onBatch?: (c: AdvisoryChanges, releases: number) => void; onFailed?: Failed } = {}): Promise<RunSummary & { pending: number }> {
  const out = { releases: 0, events: [] as PortfolioEvent[], pending: 0 };
  for (;;) {
    const id = dataId(db);
    if (!id) break;
    const from = await store.advisoryCursor(id);
    if (from === undefined) {
      const end = logEnd(db);
      out.pending += await store.markPending();
      await store.setAdvisoryCursor(id, end);
      continue;
    }
    const changes = changesSince(db, from);
    if (!changes || changes.upTo === from) break;
    const t = now();
    const month = monthOf(t);
    if (changes.advisories.length + changes.kev.length > WHOLE_PORTFOLIO) {
      out.pending += await store.markPending();
      await store.setAdvisoryCursor(id, logEnd(db));
      continue;
    }
    const scope = relatedAdvisories(db, changes);
    const targets = uniq([...await store.releasesHolding([...packagesOf(db, scope)], month), ...await store.releasesWithFindings([...scope], month)]);
    const cache: MatchCache = o.cache ?? new Map();
    const failed: string[] = [];
    for (const target of targets) {
      const w = await store.watchedRelease(target.releaseId);
      // A release that cannot be matched must not hold the change log back for every other release (a
      // record whose id PostgreSQL cannot store stopped all watching): it is left pending a full match, logged.
      try {
        if (w) out.events.push(...await matchRelease(store, db, w, now(), { scope, cache }));
      } catch (e) {
        failed.push(target.releaseId);
        o.onFailed?.(target.releaseId, e as Error);
      }
    }
    if (failed.length) out.pending += await store.markReleasesPending(failed);
    out.releases += targets.length;
    o.onBatch?.(changes, targets.length);
    await store.setAdvisoryCursor(changes.dataId, changes.upTo);
  }
  return out;
}

function uniq(list: { teamId: string; releaseId: string }[]): { teamId: string; releaseId: string }[] {
  return [...new Map(list.map((x) => [x.releaseId, x])).values()];
}

/**
 * Every release of a team (or of all teams) in its support period matched again now, in full: what
 * POST /rematch does. Returns how many releases and the events made.
 */
export async function rematch(store: PortfolioStore, db: AdvisoryDb, now: Date, teamId?: string, o: { beat?: () => Promise<void>; beatEveryMs?: number } = {}): Promise<RunSummary & { findings: number }> {
  const cache: MatchCache = new Map();
  const out: RunSummary & { findings: number } = { releases: 0, events: [], findings: 0 };
  let beaten = Date.now();
  for (const w of await store.releasesToWatch(monthOf(now), teamId)) {
    // Matching is CPU work on the event loop every team shares: between releases the other requests are answered
    // (on the embedded store no query yields to them otherwise), and the claim says its holder is alive.
    await new Promise((r) => setImmediate(r));
    if (o.beat && Date.now() - beaten >= (o.beatEveryMs ?? REMATCH_BEAT_MS)) { await o.beat(); beaten = Date.now(); }
    out.events.push(...await matchRelease(store, db, w, now, { full: true, cache }));
    out.releases++;
    out.findings += (await store.storedFindings(w.teamId, w.release.id)).length;
  }
  return out;
}

/** How often a running POST /rematch says it is alive, and after how long without a word its claim is taken over (its server died). */
export const REMATCH_BEAT_MS = 10_000;
export const REMATCH_STALE_MS = 60_000;
