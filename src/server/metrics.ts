// /metrics in Prometheus's text format (prom-client): how much work waits (releases pending a
// match, deliveries due), how long matches take, how old each advisory source is (time since its
// last import), events by kind and deliveries by outcome. Counts come from the store (every server
// on one database reports the same totals); durations and outcomes are this process's.
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { PortfolioStore } from './store/store.ts';
import type { ServerAdvisoryData } from './advisory-data.ts';
import { monthOf } from './rematch.ts';

export interface ServerMetrics {
  registry: Registry;
  /** A match run: its kind (pending releases, advisory changes) and how long it took. */
  matchRun(kind: 'pending' | 'changes', seconds: number, releases: number): void;
  delivery(outcome: 'delivered' | 'retrying' | 'failed'): void;
}

export function serverMetrics(store: PortfolioStore, data: ServerAdvisoryData | undefined): ServerMetrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'marque_' });
  new Gauge({
    name: 'marque_queue_depth', help: 'Work waiting: releases pending a full match, webhook deliveries pending', labelNames: ['queue'], registers: [registry],
    async collect() {
      const q = await store.queueDepth(monthOf(new Date()));
      this.set({ queue: 'releases' }, q.releases);
      this.set({ queue: 'deliveries' }, q.deliveries);
    },
  });
  new Gauge({
    name: 'marque_advisory_age_seconds', help: 'Seconds since each advisory source was last imported into this server\'s database', labelNames: ['source', 'kind'], registers: [registry],
    collect() {
      this.reset();
      const now = Date.now();
      for (const s of data?.sources() ?? []) this.set({ source: s.name, kind: s.kind }, Math.max(0, (now - Date.parse(s.importedAt)) / 1000));
    },
  });
  new Gauge({
    name: 'marque_events', help: 'Events stored, by kind (every team)', labelNames: ['kind'], registers: [registry],
    async collect() { this.reset(); for (const [k, n] of Object.entries((await store.counts()).events)) this.set({ kind: k }, n); },
  });
  new Gauge({
    name: 'marque_deliveries', help: 'Webhook deliveries stored, by status: pending (retrying), delivered, failed', labelNames: ['status'], registers: [registry],
    async collect() { this.reset(); for (const [k, n] of Object.entries((await store.counts()).deliveries)) this.set({ status: k }, n); },
  });
  const duration = new Histogram({ name: 'marque_match_duration_seconds', help: 'Duration of match runs in this process: pending releases, or the releases an advisory change affects', labelNames: ['kind'], buckets: [0.1, 0.5, 1, 5, 15, 60, 300, 900], registers: [registry] });
  const matched = new Counter({ name: 'marque_releases_matched_total', help: 'Releases matched by this process', labelNames: ['kind'], registers: [registry] });
  const outcomes = new Counter({ name: 'marque_delivery_attempts_total', help: 'Webhook delivery attempts by this process, by outcome', labelNames: ['outcome'], registers: [registry] });
  return {
    registry,
    matchRun(kind, seconds, releases) { duration.observe({ kind }, seconds); matched.inc({ kind }, releases); },
    delivery(outcome) { outcomes.inc({ outcome }); },
  };
}
