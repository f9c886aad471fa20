// Every release still in its support period matched again against the advisory database (after an
// update): what is new, and what became exploited, becomes an event; an exploited finding's moment
// of awareness is recorded when the re-match first sees it, which starts its Art. 14(2) clock.
import type { AdvisoryDb } from '../advisories/store.ts';
import type { PortfolioEvent } from '../model/portfolio.ts';
import type { PortfolioStore } from '../server/store/store.ts';
import { releaseFindings } from './release-findings.ts';
import type { matchComponent } from '../advisories/match.ts';

export interface RematchSummary { releases: number; findings: number; events: PortfolioEvent[] }

export async function rematch(store: PortfolioStore, db: AdvisoryDb, now: Date, teamId?: string): Promise<RematchSummary> {
  const month = now.toISOString().slice(0, 7);
  const watched = await store.releasesToWatch(month, teamId);
  const events: PortfolioEvent[] = [];
  let total = 0;
  const matchCache = new Map<string, ReturnType<typeof matchComponent>>();
  for (const { teamId: team, release, productName } of watched) {
    const before = new Map((await store.storedFindings(team, release.id)).map((f) => [`${f.component}\0${f.vulnerability}`, f]));
    const { findings, coverage } = await releaseFindings({
      components: await store.components(team, release.id), db, product: { name: productName, version: release.version },
      decisions: await store.decisions(team, release.id), reports: await store.reports(team, release.id),
      awareness: (component, vulnerability, at) => store.awareness(team, release.id, component, vulnerability, at), now, matchCache,
    });
    total += findings.length;
    const news: { kind: PortfolioEvent['kind']; payload: Record<string, unknown> }[] = [];
    for (const f of findings) {
      const old = before.get(`${f.component}\0${f.advisory}`);
      const payload = { release: release.id, product: productName, version: release.version, vulnerability: f.advisory, aliases: f.aliases, component: f.component, exploited: f.exploited, status: f.status, clock: f.clock };
      const kind = !old ? 'finding.new' : f.exploited && !old.exploited ? 'finding.exploited' : undefined;
      if (kind) news.push({ kind, payload });
    }
    // Queued to every webhook of the team with the findings, sent by the delivery loop.
    const dates = coverage.sources.map((s) => s.dataDate).filter((d): d is string => Boolean(d)).sort();
    const covered = { components: coverage.components, covered: coverage.covered, fresh: coverage.coveredFresh, dataDate: dates.at(-1) ?? null, at: now.toISOString() };
    events.push(...await store.saveFindings(team, release.id, findings.map((f) => ({ component: f.component, vulnerability: f.advisory, exploited: f.exploited, status: f.status })), now, news, covered));
  }
  return { releases: watched.length, findings: total, events };
}
