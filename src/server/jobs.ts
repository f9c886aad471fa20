// The server's background work in this process: each task runs at most once at a time, on its
// period and whenever it is asked for (a push, an advisory change, new events). On the embedded
// store this is all of it (one process owns the file). On PostgreSQL the work servers share (a
// release's match, deliveries, the deadline check) runs on pg-boss (queue.ts), and these tasks only
// look for work to queue there, read this server's advisory change log and download its updates.

export type TaskName = 'match' | 'changes' | 'deliver' | 'deadlines' | 'updates';

export interface Task {
  run(): Promise<void>;
  /** Milliseconds between runs when nothing asks for one; 0: only when asked. */
  everyMs: number;
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
