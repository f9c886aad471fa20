// The server's background work: re-matching releases and delivering webhooks. On PostgreSQL it runs
// on pg-boss, so several "marque serve" processes on one database share it, each job runs once,
// and a job of a killed process is retried; the embedded server runs the same work on timers.
import PgBoss from 'pg-boss';

export type JobName = 'rematch' | 'deliver';
export type Handlers = Record<JobName, () => Promise<void>>;

export interface JobRunner {
  start(): Promise<void>;
  /** Asks for a run now (a PostgreSQL job, or the next tick in process). */
  trigger(name: JobName): Promise<void>;
  stop(): Promise<void>;
}

const QUEUE: Record<JobName, string> = { rematch: 'marque-rematch', deliver: 'marque-deliver' };

/** Timers in this process: one run of each job at a time. */
export function inProcessJobs(handlers: Handlers, every: Record<JobName, number>): JobRunner {
  const timers: NodeJS.Timeout[] = [];
  const busy = new Set<JobName>();
  const run = async (name: JobName) => {
    if (busy.has(name)) return;
    busy.add(name);
    try { await handlers[name](); } finally { busy.delete(name); }
  };
  return {
    async start() {
      for (const name of Object.keys(every) as JobName[]) {
        if (every[name] <= 0) continue;
        const t = setInterval(() => { void run(name).catch(() => {}); }, every[name]);
        t.unref();
        timers.push(t);
      }
    },
    trigger: (name) => run(name),
    async stop() { for (const t of timers) clearInterval(t); },
  };
}

/**
 * pg-boss on the same PostgreSQL as the store: cron schedules (pg-boss runs a schedule once however
 * many servers there are), stately queues so a run asked for twice is queued once and never runs
 * twice at a time, retries for a job whose process died (pg-boss expires it and hands it on).
 */
export function pgBossJobs(url: string, handlers: Handlers, cron: Record<JobName, string | null>, schema = 'marque_jobs'): JobRunner {
  // How long a running job may go without finishing before it counts as its process's death and is
  // handed on: longer than any re-match (18.7 s for 1,001 releases x 2,000 components, bench/server.ts).
  const expireInSeconds = jobExpirySeconds();
  const boss = new PgBoss({ connectionString: url, schema, max: 4, retryLimit: 3, retryDelay: 30, expireInSeconds, maintenanceIntervalSeconds: Math.min(120, Math.max(1, Math.floor(expireInSeconds / 2))) });
  return {
    async start() {
      await boss.start();
      for (const name of Object.keys(QUEUE) as JobName[]) {
        // "stately": at most one waiting and one running per queue, across every server on the database.
        const options = { name: QUEUE[name], policy: 'stately' as const, expireInSeconds, retryLimit: 3, retryDelay: 1 };
        await boss.createQueue(QUEUE[name], options);
        await boss.updateQueue(QUEUE[name], options); // a queue made by an earlier version takes today's settings
        await boss.work(QUEUE[name], { pollingIntervalSeconds: 0.5, batchSize: 1 }, async () => { await handlers[name](); });
        const c = cron[name];
        if (c) await boss.schedule(QUEUE[name], c, {}, { singletonKey: name });
      }
    },
    async trigger(name) { await boss.send(QUEUE[name], {}, { singletonKey: name }); },
    async stop() { await boss.stop({ graceful: true, wait: true }); },
  };
}

/** $MARQUE_JOB_EXPIRE_SECONDS, default 15 minutes. */
export function jobExpirySeconds(): number {
  const v = Number(process.env['MARQUE_JOB_EXPIRE_SECONDS'] ?? 900);
  return Number.isFinite(v) && v >= 1 ? Math.floor(v) : 900;
}
