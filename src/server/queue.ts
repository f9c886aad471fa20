// The work servers on one PostgreSQL database share, on pg-boss (in the schema "<store schema>_jobs",
// default "marque_jobs"): a full match per release, webhook delivery runs, and the deadline check
// once a minute. pg-boss hands each job to one server; a server killed with kill -9 stops sending the
// job's heartbeat, and the supervisor of any live server puts the job back for another within
// HEARTBEAT + SUPERVISE seconds (about 20 s). The embedded store has no pg-boss (it needs
// PostgreSQL): its server runs the same work in its own process (jobs.ts).
import { PgBoss, type Job, type Queue } from 'pg-boss';
import { isDatabaseUnavailable } from './store/errors.ts';

export type QueueLog = (level: 'warn' | 'error', msg: string, details: Record<string, unknown>) => void;

export interface SharedWorkHandlers {
  /** Full matches of these releases (each only if still pending). */
  match(releaseIds: string[]): Promise<void>;
  /** Sends every delivery that is due. */
  deliver(): Promise<void>;
  /** Turns deadlines about to pass into events. */
  deadlines(): Promise<void>;
}

/** How often an unreachable database is logged by the background work while it lasts. */
export const UNAVAILABLE_SAID_MS = 60_000;

const MATCH = 'marque-match';
const DELIVER = 'marque-deliver';
const DEADLINES = 'marque-deadlines';

/** Seconds without a heartbeat after which a job counts as its server's death ($MARQUE_JOB_HEARTBEAT_SECONDS, at least 10, pg-boss's floor). */
export function heartbeatSeconds(): number {
  const v = Number(process.env['MARQUE_JOB_HEARTBEAT_SECONDS'] ?? 15);
  return Number.isFinite(v) && v >= 10 ? Math.floor(v) : 15;
}
/** How often a server's supervisor looks for jobs whose heartbeat stopped. */
const SUPERVISE_SECONDS = 5;

/**
 * stately: per key at most one job waiting and one running, across every server; a job asked for
 * while one runs waits for it. Retried with backoff when its handler throws or its server dies; a
 * release whose retries ran out is still pending in the store, and the next sweep asks again.
 */
function queueOptions(): Omit<Queue, 'name'> {
  return { policy: 'stately', heartbeatSeconds: heartbeatSeconds(), expireInSeconds: 3600, retryLimit: 10, retryDelay: 1, retryBackoff: true, retryDelayMax: 60, deleteAfterSeconds: 3600 };
}

export class SharedWork {
  private readonly boss: PgBoss;
  private readonly handlers: SharedWorkHandlers;
  private readonly log: QueueLog;
  private started = false;
  private unavailableSaid = -Infinity;

  constructor(db: { url: string; schema?: string }, handlers: SharedWorkHandlers, log: QueueLog) {
    this.handlers = handlers;
    this.log = log;
    // A small pool of its own (the store has its pool): fetching, heartbeats and supervision share it.
    this.boss = new PgBoss({
      connectionString: db.url, schema: db.schema ? `${db.schema}_jobs` : 'marque_jobs', max: 3, application_name: 'marque-jobs',
      superviseIntervalSeconds: SUPERVISE_SECONDS, monitorIntervalSeconds: SUPERVISE_SECONDS,
    });
    // pg-boss reports database trouble as events; unheard, an 'error' event would end the process. While the database
    // does not answer every worker's poll fails (several a second, each retried at its next poll): said once a minute.
    this.boss.on('error', (e: Error) => {
      if (isDatabaseUnavailable(e)) {
        const now = Date.now();
        if (now - this.unavailableSaid < UNAVAILABLE_SAID_MS) return;
        this.unavailableSaid = now;
        this.log('error', 'job queue: the database is unavailable; its workers keep polling and resume when it answers', { reason: e.message });
        return;
      }
      this.log('error', 'job queue error', { reason: e.message });
    });
    this.boss.on('warning', (w: { message?: string }) => this.log('warn', 'job queue warning', { reason: w.message ?? String(w) }));
  }

  async start(): Promise<void> {
    await this.boss.start();
    for (const name of [MATCH, DELIVER, DEADLINES]) {
      // Made once per database; a queue made by an earlier version takes today's settings.
      const { policy: _, ...settings } = queueOptions();
      // Two servers starting at once may both try to make it: the one that finds it made goes on.
      if (!(await this.boss.getQueue(name))) await this.boss.createQueue(name, queueOptions()).catch(async (e: Error) => { if (!(await this.boss.getQueue(name))) throw e; });
      else await this.boss.updateQueue(name, settings);
    }
    // Small batches, three at a time (on PostgreSQL a match waits on round trips more than it computes): a job put back (its server died) is taken within seconds, not behind a long batch.
    // While fetches come back full, the next is fetched at once: without it each worker waited the half-second poll between
    // batches, and a full match of 1,000 releases took 42 ms a release instead of 15 (bench/server-watch.ts).
    await this.boss.work<{ release: string }>(MATCH, { batchSize: 4, localConcurrency: 3, pollingIntervalSeconds: 0.5, burstWhenBatchFull: true }, async (jobs: Job<{ release: string }>[]) => {
      await this.handlers.match(jobs.map((j) => j.data.release));
    });
    await this.boss.work(DELIVER, { pollingIntervalSeconds: 0.5 }, async () => { await this.handlers.deliver(); });
    await this.boss.work(DEADLINES, { pollingIntervalSeconds: 5 }, async () => { await this.handlers.deadlines(); });
    // pg-boss runs a schedule once per minute whatever the number of servers.
    await this.boss.schedule(DEADLINES, '* * * * *', {}, { singletonKey: 'deadlines' });
    this.started = true;
  }

  /** Asks for the full match of these releases: one job per release (a release asked for again while its job waits is not queued twice). */
  async match(releaseIds: string[]): Promise<void> {
    if (!this.started) return;
    for (let i = 0; i < releaseIds.length; i += 1000) {
      await this.boss.insert(MATCH, releaseIds.slice(i, i + 1000).map((release) => ({ data: { release }, singletonKey: release })));
    }
  }

  /** Asks for a delivery run (one waits at most, whatever the number of asks). */
  async deliver(): Promise<void> {
    if (this.started) await this.boss.send(DELIVER, {}, { singletonKey: 'deliver' });
  }

  /** Waits for this server's running jobs (a job not finished in time goes back to the queue), then closes the pool. */
  async stop(): Promise<void> {
    this.started = false;
    await this.boss.stop({ graceful: true, close: true, timeout: 10_000 });
  }
}
