// The server's background work, in this process: each task runs at most once at a time, on its
// period and whenever it is asked for (a push, an advisory change, new events). Work that several
// servers on one PostgreSQL database share is taken in the store itself under leases (releases
// pending a match, deliveries due): a server killed with kill -9 holds its lease until it runs out
// (LEASE_SECONDS), then another server's next run takes the work. So a job resumes within a minute
// on either store, and each piece of work is done by one server at a time.

export type TaskName = 'match' | 'changes' | 'deliver' | 'deadlines' | 'updates';

export interface Task {
  run(): Promise<void>;
  /** Milliseconds between runs when nothing asks for one; 0: only when asked. */
  everyMs: number;
}

/** How long a server holds work it took (renewed while it works on it): a dead server's work is free again after this. */
export function leaseSeconds(): number {
  const v = Number(process.env['MARQUE_LEASE_SECONDS'] ?? 30);
  return Number.isFinite(v) && v >= 1 ? Math.floor(v) : 30;
}

export class Jobs {
  private readonly timers: NodeJS.Timeout[] = [];
  private readonly running = new Map<TaskName, Promise<void>>();
  private readonly again = new Set<TaskName>();
  private stopped = false;

  private readonly tasks: Partial<Record<TaskName, Task>>;
  private readonly onError: (task: TaskName, e: Error) => void;
  constructor(tasks: Partial<Record<TaskName, Task>>, onError: (task: TaskName, e: Error) => void) {
    this.tasks = tasks;
    this.onError = onError;
  }

  start(): void {
    for (const [name, task] of Object.entries(this.tasks) as [TaskName, Task][]) {
      void this.trigger(name);
      if (task.everyMs > 0) {
        const t = setInterval(() => { void this.trigger(name); }, task.everyMs);
        t.unref();
        this.timers.push(t);
      }
    }
  }

  /** Runs a task now, or once more after the run in progress (asked for twice meanwhile: once). */
  trigger(name: TaskName): Promise<void> {
    const task = this.tasks[name];
    if (!task || this.stopped) return Promise.resolve();
    const current = this.running.get(name);
    if (current) { this.again.add(name); return current; }
    const run = (async () => {
      try {
        do {
          this.again.delete(name);
          try { await task.run(); } catch (e) { this.onError(name, e as Error); }
        } while (this.again.has(name) && !this.stopped);
      } finally {
        this.running.delete(name);
      }
    })();
    this.running.set(name, run);
    return run;
  }

  /** No new runs; waits for the ones in progress. */
  async stop(): Promise<void> {
    this.stopped = true;
    for (const t of this.timers) clearInterval(t);
    await Promise.all(this.running.values());
  }

  get stopping(): boolean { return this.stopped; }
}
