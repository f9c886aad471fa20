// What a match of a release found, stored in one transaction under a lock on the release: the
// findings (all of them, or only those of the advisories a change was about), the events for what
// is new or newly exploited (or no longer exploited) and for what is gone (its advisory withdrawn or
// no longer naming the component's version: never a silent disappearance), each queued to every webhook of the team, the
// moment of awareness of each exploited finding the first time it is stored (the earliest already
// recorded for the vulnerability in any release of the product), and the release's coverage. Two servers matching one release at once serialise on the lock: each finding is
// announced once, and the second run finds nothing new.
import type { PortfolioEvent, PortfolioRow, VexStatusValue } from '../../model/portfolio.ts';
import { BATCH, insertRows, type Column } from './rows.ts';

export const FINDING_COLUMNS: readonly Column[] = [['release_id', 'text[]'], ['component', 'text[]'], ['vulnerability', 'text[]'], ['exploited', 'int[]'], ['status', 'text[]'], ['first_seen', 'text[]'], ['last_seen', 'text[]'], ['aliases', 'text[]'], ['evidence', 'text[]']];
import type { Sql } from './sql.ts';

export interface MatchedFinding {
  component: string;
  vulnerability: string;
  aliases: readonly string[];
  exploited: boolean;
  status: VexStatusValue;
  /** Whether an Art. 14(2) clock runs for it (exploited and not decided not_affected): its awareness is recorded. */
  clock: boolean;
  /** With a clock: what its moment rests on besides the server's record (kept with the finding, migration 22). */
  evidence?: StoredEvidence;
}

/**
 * What a finding's clock rests on besides the server's record of the product: when the vulnerability was listed as
 * exploited (KEV) and when it was published, as the match found them, and the measure a VEX statement dates (the
 * final report's clock). The portfolio works its deadlines out from them with the findings page's clockOf.
 */
export interface StoredEvidence { exploitedSince?: string; publicSince?: string; measureAvailableAt?: string }

export interface MatchResult {
  findings: MatchedFinding[];
  at: Date;
  /** Only findings of these advisory ids (or with one as an alias) are replaced; undefined: all of the release's. */
  scope?: ReadonlySet<string>;
  coverage?: PortfolioRow['coverage'];
  /** Set for a full match: the matcher version it was made with (the release is no longer pending). */
  matchedWith?: string;
  /** The event payload for a finding, given its moment of awareness (null when no clock runs). */
  payload: (f: MatchedFinding, awareAt: Date | null) => Record<string, unknown>;
  /** The payload of a finding.gone event: a stored finding this match no longer finds (why, from the advisory data). */
  gone: (f: GoneFinding) => Record<string, unknown>;
}

/** A stored finding a match no longer finds, as it was stored. */
export interface GoneFinding { component: string; vulnerability: string; exploited: boolean; status: VexStatusValue; firstSeen: string; awareAt: Date | null }

export async function saveMatch(sql: Sql, teamId: string, releaseId: string, m: MatchResult): Promise<PortfolioEvent[]> {
  const at = m.at.toISOString();
  return sql.transaction(async (tx) => {
    // The lock: PostgreSQL's row lock; SQLite's transactions are already one writer at a time.
    const lock = tx.dialect === 'postgres' ? ' for update' : '';
    if (!(await tx.all(`select id from release where id = ?${lock}`, [releaseId])).length) return [];
    const inScope = (f: { vulnerability: string; aliases?: readonly string[] }) => !m.scope || m.scope.has(f.vulnerability) || (f.aliases ?? []).some((a) => m.scope!.has(a));
    const stored = new Map((await tx.all('select component, vulnerability, exploited, status, first_seen, aliases from finding where release_id = ?', [releaseId]))
      .map((r) => [`${String(r['component'])}\0${String(r['vulnerability'])}`, { vulnerability: String(r['vulnerability']), exploited: Number(r['exploited']) === 1, status: r['status'] as VexStatusValue, firstSeen: String(r['first_seen']), aliases: r['aliases'] ? JSON.parse(String(r['aliases'])) as string[] : [] }]));
    const aware = new Map((await tx.all('select component, vulnerability, aware_at from awareness where release_id = ?', [releaseId]))
      .map((r) => [`${String(r['component'])}\0${String(r['vulnerability'])}`, new Date(String(r['aware_at']))]));
    const found = m.findings.filter(inScope);
    const keys = new Set(found.map((f) => `${f.component}\0${f.vulnerability}`));
    // What this match no longer finds, among what it looked at, goes; the rest of the release's findings stay.
    const gone = [...stored.entries()].filter(([k, s]) => !keys.has(k) && inScope(s)).map(([k, s]) => ({ key: k, component: k.split('\0')[0]!, ...s }));
    // A finding now named by another advisory of the same vulnerability (a GHSA preferred to the PYSEC record
    // matched before) is the same finding renamed: neither new nor gone.
    const renamed = new Map<string, (typeof gone)[number]>();
    for (const f of found) {
      const key = `${f.component}\0${f.vulnerability}`;
      if (stored.has(key)) continue;
      const ids = new Set([f.vulnerability, ...f.aliases]);
      const before = gone.find((g) => g.component === f.component && !renamed.has(g.key) && [g.vulnerability, ...g.aliases].some((id) => ids.has(id)));
      if (before) renamed.set(key, before);
    }
    const renamedFrom = new Set([...renamed.values()].map((g) => g.key));
    // Each goes with an event saying so and why: an exploited finding with a running clock must not vanish unannounced.
    const events: { kind: PortfolioEvent['kind']; payload: Record<string, unknown> }[] = [];
    for (const g of gone) {
      await tx.run('delete from finding where release_id = ? and component = ? and vulnerability = ?', [releaseId, g.component, g.vulnerability]);
      if (!renamedFrom.has(g.key)) events.push({ kind: 'finding.gone', payload: m.gone({ component: g.component, vulnerability: g.vulnerability, exploited: g.exploited, status: g.status, firstSeen: g.firstSeen, awareAt: aware.get(g.key) ?? null }) });
    }
    await insertRows(tx, 'finding', FINDING_COLUMNS, found.map((f) => {
      const key = `${f.component}\0${f.vulnerability}`;
      return [releaseId, f.component, f.vulnerability, f.exploited ? 1 : 0, f.status, renamed.get(key)?.firstSeen ?? at, at, JSON.stringify(f.aliases), f.evidence ? JSON.stringify(f.evidence) : null];
    }), 'on conflict (release_id, component, vulnerability) do update set exploited = excluded.exploited, status = excluded.status, last_seen = excluded.last_seen, aliases = excluded.aliases, evidence = excluded.evidence');
    // Awareness is a decision the system makes when it first stores an exploited finding (Art. 14(2)),
    // not the moment someone opens a page; it is never moved later. It is of the vulnerability in the
    // product (Art. 14(1)): one already recorded under any of its ids (the same CVE in an advisory matched
    // earlier), in any component and any release of the product, is this finding's too, so neither a second
    // advisory nor a new version restarts the clock. It is copied under this release and id, so that the
    // deadlines and the portfolio, which join by them, read the same moment; a later one is moved to it.
    // This release's findings renamed or gone in this match are no longer stored: their aliases as they were read.
    const recorded = (found.some((f) => f.clock) ? await productAwareness(tx, releaseId) : [])
      .map((r) => (r.releaseId === releaseId && !r.aliases.length ? { ...r, aliases: stored.get(`${r.component}\0${r.vulnerability}`)?.aliases ?? [] } : r));
    for (const f of found) {
      const key = `${f.component}\0${f.vulnerability}`;
      let awareAt = aware.get(key) ?? null;
      if (f.clock) {
        const earliest = earliestFor(recorded, [f.vulnerability, ...f.aliases]);
        if (!awareAt) {
          awareAt = earliest ?? m.at;
          await tx.run('insert into awareness (release_id, component, vulnerability, aware_at) values (?, ?, ?, ?) on conflict do nothing', [releaseId, f.component, f.vulnerability, awareAt.toISOString()]);
        } else if (earliest && earliest < awareAt) {
          awareAt = earliest;
          await tx.run('update awareness set aware_at = ? where release_id = ? and component = ? and vulnerability = ?', [awareAt.toISOString(), releaseId, f.component, f.vulnerability]);
        }
      }
      const old = stored.get(key) ?? renamed.get(key);
      const kind = !old ? 'finding.new' : old.exploited !== f.exploited ? 'finding.exploited' : undefined;
      if (kind) events.push({ kind, payload: m.payload(f, f.clock ? awareAt : null) });
    }
    const sets: string[] = [];
    const params: unknown[] = [];
    if (m.coverage) { sets.push('coverage = ?'); params.push(JSON.stringify(m.coverage)); }
    if (m.matchedWith) { sets.push('matched_with = ?'); params.push(m.matchedWith); }
    if (sets.length) await tx.run(`update release set ${sets.join(', ')} where id = ?`, [...params, releaseId]);
    return addEvents(tx, teamId, releaseId, events, m.at);
  });
}

/** A recorded moment of awareness with the ids its finding is known by (the finding's aliases, when it is still stored). */
export interface RecordedAwareness { releaseId: string; component: string; vulnerability: string; aliases: string[]; at: Date }

/** The moments of awareness recorded for every release of a release's product, with their findings' aliases. */
export async function productAwareness(tx: Sql, releaseId: string): Promise<RecordedAwareness[]> {
  const rows = await tx.all(`select a.release_id, a.component, a.vulnerability, a.aware_at, f.aliases from awareness a
    join release r on r.id = a.release_id
    left join finding f on f.release_id = a.release_id and f.component = a.component and f.vulnerability = a.vulnerability
    where r.product_id = (select product_id from release where id = ?)`, [releaseId]);
  return rows.map((r) => ({
    releaseId: String(r['release_id']), component: String(r['component']), vulnerability: String(r['vulnerability']),
    aliases: r['aliases'] ? JSON.parse(String(r['aliases'])) as string[] : [], at: new Date(String(r['aware_at'])),
  }));
}

/** The earliest moment recorded under any of a vulnerability's ids (a record's own id, or one of its finding's aliases). */
export function earliestFor(recorded: readonly RecordedAwareness[], ids: readonly string[]): Date | undefined {
  const set = new Set(ids);
  let first: Date | undefined;
  for (const r of recorded) {
    if ((set.has(r.vulnerability) || r.aliases.some((a) => set.has(a))) && (!first || r.at < first)) first = r.at;
  }
  return first;
}

/** Events and their deliveries to every webhook of the team, in the caller's transaction: two statements, whatever the count. */
export async function addEvents(tx: Sql, teamId: string, releaseId: string | null, events: { kind: PortfolioEvent['kind']; payload: Record<string, unknown> }[], at: Date): Promise<PortfolioEvent[]> {
  if (!events.length) return [];
  const when = at.toISOString();
  const added: PortfolioEvent[] = [];
  for (let i = 0; i < events.length; i += BATCH) {
    const batch = events.slice(i, i + BATCH);
    const rows = await tx.all(`insert into event (team_id, release_id, kind, payload, at) values ${batch.map(() => '(?, ?, ?, ?, ?)').join(', ')} returning seq`,
      batch.flatMap((e) => [teamId, releaseId, e.kind, JSON.stringify(e.payload), when]));
    // Sequence numbers are drawn in the order the rows are inserted: the smallest is the first event's.
    const seqs = rows.map((r) => Number(r['seq'])).sort((a, b) => a - b);
    batch.forEach((e, k) => added.push({ seq: seqs[k]!, teamId, releaseId, kind: e.kind, payload: e.payload, at: when }));
    await tx.run(`insert into webhook_delivery (webhook_id, event_seq, attempts, status, next_at) select w.id, e.seq, 0, 'pending', ? from webhook w join event e on e.team_id = w.team_id
      where w.team_id = ? and e.seq in (${seqs.map(() => '?').join(', ')}) on conflict do nothing`, [when, teamId, ...seqs]);
  }
  return added;
}
