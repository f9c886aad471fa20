// A whole team server: the HTTP API, its advisory data (scheduled updates, imports, a watched
// file), and the background work that turns data into findings and findings into events and
// deliveries. "marque serve" is this plus a port; tests and benches build it in process.
import type { FastifyInstance } from 'fastify';
import { buildServer, type ServerOptions } from './app.ts';
import { ServerAdvisoryData, type UpdateSchedule } from './advisory-data.ts';
import { Jobs, type TaskName } from './jobs.ts';
import { SharedWork, UNAVAILABLE_SAID_MS } from './queue.ts';
import { isDatabaseUnavailable } from './store/errors.ts';
import { serverMetrics } from './metrics.ts';
import { deliverDue } from './webhooks.ts';
import type { PortfolioStore } from './store/store.ts';
import { MATCHER_VERSION, matchChanges, matchPending, matchRelease, matchReleases, monthOf, type Failed } from './rematch.ts';
import { deadlineEvents } from './deadlines.ts';
import { cycloneDx16Schema, spdx23Schema } from '../formats/official-schemas.ts';

export interface TeamServerOptions extends Omit<ServerOptions, 'advisoryData' | 'metrics' | 'onEvents' | 'onPlaced' | 'onDecided'> {
  advisoryDb: string;
  /** Download URLs (default: those of "marque db update"). */
  sources?: readonly string[];
  schedule?: UpdateSchedule;
  /** No scheduled downloads. */
  offline?: boolean;
  /** Periods of the background tasks in ms (tests shorten them); 0: only when asked. */
  periods?: Partial<Record<TaskName, number>>;
}

export interface TeamServer {
  app: FastifyInstance; jobs: Jobs; data: ServerAdvisoryData;
  /** The pg-boss queue the servers on one PostgreSQL database share; undefined on the embedded store. */
  shared?: SharedWork;
  /** Starts the background work (the pg-boss workers first, on PostgreSQL). */
  start(): Promise<void>;
  stop(): Promise<void>;
}

/** How often each task runs when nothing asks for it; on PostgreSQL "match" is the sweep that queues pending releases. */
const PERIODS: Record<TaskName, number> = { match: 5_000, changes: 2_000, deliver: 5_000, deadlines: 60_000, updates: 60_000 };
const SWEEP_MS = 30_000;

export async function teamServer(store: PortfolioStore, o: TeamServerOptions): Promise<TeamServer> {
  let jobs: Jobs | undefined;
  let shared: SharedWork | undefined;
  /** Work asked for now: on PostgreSQL a pg-boss job (whichever server takes it), embedded a run in this process. */
  const ask = (name: TaskName, releaseId?: string) => {
    if (!shared) { void jobs?.trigger(name); return; }
    const asked = name === 'deliver' ? shared.deliver() : name === 'match' && releaseId ? shared.match([releaseId]) : jobs?.trigger(name);
    void asked?.catch((e: Error) => log?.error({ task: name, reason: e.message }, 'background work could not be queued; the next sweep asks again'));
  };
  let log: FastifyInstance['log'] | undefined;
  const data = new ServerAdvisoryData(o.advisoryDb, {
    sources: o.sources, schedule: o.schedule, offline: o.offline,
    log: (level, msg, details) => log?.[level](details ?? {}, msg),
    onChange: () => ask('changes'),
  });
  const metrics = serverMetrics(store, data);
  // After a VEX decision the release is matched in full here, in the request: its stored findings (status, open
  // counts, deadlines, awareness) follow the decision at once. On PostgreSQL the lock on the release orders it with any job.
  const onDecided = async (teamId: string, releaseId: string) => {
    const events = await data.use(async (db) => {
      const w = await store.watchedRelease(releaseId);
      return w && w.teamId === teamId ? matchRelease(store, db, w, new Date(), { full: true }) : [];
    });
    if (events?.length) ask('deliver');
  };
  // Who may import advisory data on a server of several teams: the operator's choice (app.ts, advisoryTeams).
  const advisoryTeams = o.advisoryTeams ?? process.env['MARQUE_ADVISORY_TEAMS']?.split(',').map((x) => x.trim()).filter(Boolean);
  const app = await buildServer(store, { ...o, advisoryTeams, advisoryData: data, metrics, onEvents: () => ask('deliver'), onPlaced: (_team, release) => ask('match', release), onDecided });
  log = app.log;
  const failed: Failed = (release, e) => app.log.error({ release, reason: e.message }, 'a release could not be matched; it stays pending a full match');
  await data.prepare().catch((e: Error) => app.log.error({ reason: e.message }, 'the advisory database could not be prepared for change tracking'));
  const now = () => new Date();
  const timed = async (kind: 'pending' | 'changes', work: () => Promise<{ releases: number; events: unknown[] }>) => {
    const t0 = performance.now();
    const r = await work();
    if (r.releases) {
      metrics.matchRun(kind, (performance.now() - t0) / 1000, r.releases);
      app.log.info({ releases: r.releases, events: r.events.length, ms: Math.round(performance.now() - t0) }, kind === 'pending' ? 'matched pending releases' : 'matched what the advisory change affects');
    }
    if (r.events.length) ask('deliver');
  };
  const withDb = async (fn: (db: NonNullable<ReturnType<ServerAdvisoryData['open']>>) => Promise<void>) => { await data.use(fn); };
  const deliver = async () => { await deliverDue(store, new Date(), { allowHosts: o.allowHosts, log: (msg, d) => app.log.warn(d, msg), onOutcome: (x) => metrics.delivery(x) }); };
  const deadlines = async () => { if ((await deadlineEvents(store, new Date())).length) ask('deliver'); };
  if (store.postgres) {
    // A release's match and the deliveries run on pg-boss, each job on one server; matching needs this
    // server's advisory data, which every server of a deployment keeps alike (docs/server.md).
    shared = new SharedWork(store.postgres, {
      match: (ids) => withDb((db) => timed('pending', () => matchReleases(store, db, ids, now))),
      deliver, deadlines,
    }, (level, msg, details) => app.log[level](details, msg));
  }
  const periods = { ...PERIODS, ...(shared ? { match: SWEEP_MS } : {}), ...o.periods };
  const sweep = async () => {
    // Releases pending a full match (new, or the matcher changed) that no job holds any more are asked for again.
    const ids = await store.pendingReleaseIds(MATCHER_VERSION, monthOf(new Date()));
    if (ids.length) await shared!.match(ids);
  };
  const unavailableSaid = new Map<TaskName, number>();
  jobs = new Jobs({
    match: { everyMs: periods.match, run: shared ? sweep : () => withDb((db) => timed('pending', () => matchPending(store, db, now, { stop: () => jobs!.stopping, onFailed: failed }))) },
    changes: {
      everyMs: periods.changes,
      // Every few seconds: the change log of the database on disk says whether anything changed, whoever changed it.
      run: () => withDb((db) => timed('changes', async () => {
        const r = await matchChanges(store, db, now, { onFailed: failed });
        if (r.pending) ask('match');
        return r;
      })),
    },
    // On PostgreSQL: a delivery job when something is due (new events ask at once; retries come due with time).
    deliver: { everyMs: periods.deliver, run: shared ? async () => { if (await store.hasDueDeliveries(new Date())) await shared!.deliver(); } : deliver },
    // On PostgreSQL the deadline check is a pg-boss schedule, once a minute for every server.
    ...(shared ? {} : { deadlines: { everyMs: periods.deadlines, run: deadlines } }),
    ...(o.offline ? {} : { updates: { everyMs: periods.updates, run: () => data.updateDue() } }),
  }, (task, e) => {
    // A database that does not answer fails every run (the advisory watcher's every 2 s): said once a minute per task.
    if (isDatabaseUnavailable(e)) {
      const now = Date.now();
      if (now - (unavailableSaid.get(task) ?? -Infinity) < UNAVAILABLE_SAID_MS) return;
      unavailableSaid.set(task, now);
      app.log.error({ task, reason: e.message }, 'background task: the database is unavailable; it runs again at its next period and resumes when the database answers');
      return;
    }
    app.log.error({ task, reason: e.message }, 'background task failed; it runs again at its next period');
  });
  return {
    app, jobs, data, shared,
    async start() {
      await shared?.start();
      jobs!.start();
      // The official SBOM schemas are compiled once (a second or more): now, not during the first push.
      setTimeout(() => { cycloneDx16Schema(); spdx23Schema(); }, 50).unref();
    },
    async stop() { await jobs!.stop(); await shared?.stop(); await app.close(); data.close(); },
  };
}
