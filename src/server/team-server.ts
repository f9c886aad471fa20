// A whole team server: the HTTP API, its advisory data (scheduled updates, imports, a watched
// file), and the background work that turns data into findings and findings into events and
// deliveries. "marque serve" is this plus a port; tests and benches build it in process.
import type { FastifyInstance } from 'fastify';
import { buildServer, type ServerOptions } from './app.ts';
import { ServerAdvisoryData, type UpdateSchedule } from './advisory-data.ts';
import { Jobs, leaseSeconds, type TaskName } from './jobs.ts';
import { serverMetrics } from './metrics.ts';
import { deliverDue } from './webhooks.ts';
import type { PortfolioStore } from './store/store.ts';
import { matchChanges, matchPending } from './rematch.ts';
import { deadlineEvents } from './deadlines.ts';

export interface TeamServerOptions extends Omit<ServerOptions, 'advisoryData' | 'metrics' | 'onEvents' | 'onPlaced'> {
  advisoryDb: string;
  /** Download URLs (default: those of "marque db update"). */
  sources?: readonly string[];
  schedule?: UpdateSchedule;
  /** No scheduled downloads. */
  offline?: boolean;
  /** Periods of the background tasks in ms (tests shorten them); 0: only when asked. */
  periods?: Partial<Record<TaskName, number>>;
}

export interface TeamServer { app: FastifyInstance; jobs: Jobs; data: ServerAdvisoryData; stop(): Promise<void> }

/** How often each task runs when nothing asks for it. */
const PERIODS: Record<TaskName, number> = { match: 5_000, changes: 2_000, deliver: 5_000, deadlines: 60_000, updates: 60_000 };

export async function teamServer(store: PortfolioStore, o: TeamServerOptions): Promise<TeamServer> {
  let jobs: Jobs | undefined;
  const ask = (name: TaskName) => { void jobs?.trigger(name); };
  let log: FastifyInstance['log'] | undefined;
  const data = new ServerAdvisoryData(o.advisoryDb, {
    sources: o.sources, schedule: o.schedule, offline: o.offline,
    log: (level, msg, details) => log?.[level](details ?? {}, msg),
    onChange: () => ask('changes'),
  });
  const metrics = serverMetrics(store, data);
  const app = await buildServer(store, { ...o, advisoryData: data, metrics, onEvents: () => ask('deliver'), onPlaced: () => ask('match') });
  log = app.log;
  await data.prepare().catch((e: Error) => app.log.error({ reason: e.message }, 'the advisory database could not be prepared for change tracking'));
  const lease = leaseSeconds();
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
  const withDb = async (fn: (db: NonNullable<ReturnType<ServerAdvisoryData['open']>>) => Promise<void>) => {
    const db = data.open();
    if (!db) return;
    try { await fn(db); } finally { db.close(); }
  };
  const periods = { ...PERIODS, ...o.periods };
  jobs = new Jobs({
    match: { everyMs: periods.match, run: () => withDb((db) => timed('pending', () => matchPending(store, db, now, { leaseSeconds: lease, stop: () => jobs!.stopping }))) },
    changes: {
      everyMs: periods.changes,
      // Every few seconds: the change log of the database on disk says whether anything changed, whoever changed it.
      run: () => withDb((db) => timed('changes', () => matchChanges(store, db, now))),
    },
    deliver: { everyMs: periods.deliver, run: async () => { await deliverDue(store, new Date(), { allowHosts: o.allowHosts, log: (msg, d) => app.log.warn(d, msg), onOutcome: (x) => metrics.delivery(x) }); } },
    deadlines: { everyMs: periods.deadlines, run: async () => { if ((await deadlineEvents(store, new Date())).length) ask('deliver'); } },
    ...(o.offline ? {} : { updates: { everyMs: periods.updates, run: () => data.updateDue() } }),
  }, (task, e) => app.log.error({ task, reason: e.message }, 'background task failed; it runs again at its next period'));
  return {
    app, jobs, data,
    async stop() { await jobs!.stop(); await app.close(); },
  };
}
