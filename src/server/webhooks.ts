// Delivery of events to a team's webhooks: each body signed with HMAC-SHA256 under the webhook's
// secret over a timestamp and the body (header X-Marque-Signature: t=<unix seconds>,v1=<hex>), so
// a receiver can refuse a replayed or altered delivery; retried with backoff, every attempt logged.
// Only public destinations are reached (src/server/destination.ts); the delivery log says
// "delivery failed" and the status code, never what the network answered (no port scanning).
import { createHmac } from 'node:crypto';
import type { PortfolioStore } from './store/store.ts';
import { checkDestination, post, type AllowedHosts } from './destination.ts';

/** Minutes before each retry; after the last, the delivery is failed for good (and stays in the log). */
export const BACKOFF_MINUTES = [1, 5, 30, 120, 720] as const;
const TIMEOUT_MS = 10_000;

/** The signature header's value: t=<unix seconds>,v1=<HMAC-SHA256 of "<t>.<body>" under the secret, hex>. */
export function signature(secret: string, body: string, at: Date): string {
  const t = Math.floor(at.getTime() / 1000);
  return `t=${t},v1=${createHmac('sha256', secret).update(`${t}.${body}`).digest('hex')}`;
}

/** Deliveries sent at once to one webhook, the most one run sends (the rest wait for the next run), and how long one
 * webhook may hold a run: a receiver that does not answer must not hold back every other (one silent receiver made a
 * healthy one wait 50 s for 40 events, eight at a time each waiting out the time limit; for 1,000 events, 20 minutes). */
const PARALLEL = 4;
const BATCH = 100;
const MOST_PER_RUN = 5_000;
const WEBHOOK_BUDGET_MS = TIMEOUT_MS;

export interface DeliveryOptions {
  /** Hosts the operator allows although they are not public (--webhook-allow-host). */
  allowHosts?: AllowedHosts;
  /** Where a failure's details go (the server's log, which only operators read). */
  log?: (msg: string, details: Record<string, unknown>) => void;
  /** Counted per outcome, for /metrics. */
  onOutcome?: (outcome: 'delivered' | 'retrying' | 'failed') => void;
  /** How long a delivery may take (default 10 s; tests shorten it). */
  timeoutMs?: number;
  /** How long one webhook may hold a run in all before it waits for the next (default: timeoutMs, else the budget). */
  budgetMs?: number;
}

export type DeliveryCounts = { delivered: number; retrying: number; failed: number };

/**
 * Sends every delivery that is due, a batch at a time, each webhook's apart and several at once: a
 * re-match that finds a thousand new findings reaches the receivers in seconds, not a hundred per run.
 * A webhook that gives no answer (a network error, the time limit) or has held this run longer than
 * one time limit is set aside until the next run: its other deliveries stay due, unattempted (no
 * retry is spent on them), and every other webhook goes on.
 */
export async function deliverDue(store: PortfolioStore, now = new Date(), o: DeliveryOptions = {}): Promise<DeliveryCounts> {
  const out = { delivered: 0, retrying: 0, failed: 0 };
  const aside = new Set<string>();
  const spent = new Map<string, number>();
  const timeoutMs = o.timeoutMs ?? TIMEOUT_MS;
  const budget = o.budgetMs ?? o.timeoutMs ?? WEBHOOK_BUDGET_MS;
  for (let sent = 0; sent < MOST_PER_RUN;) {
    const due = await store.dueDeliveries(now, BATCH, [...aside]);
    const lanes = new Map<string, Due[]>();
    for (const d of due) { const lane = lanes.get(d.delivery.webhookId); if (lane) lane.push(d); else lanes.set(d.delivery.webhookId, [d]); }
    let attempted = 0;
    await Promise.all([...lanes].map(async ([webhook, lane]) => {
      let next = 0;
      await Promise.all(Array.from({ length: Math.min(PARALLEL, lane.length) }, async () => {
        while (next < lane.length && !aside.has(webhook)) {
          const t0 = Date.now();
          attempted++;
          const answered = await deliverOne(store, lane[next++]!, now, o, out, timeoutMs);
          spent.set(webhook, (spent.get(webhook) ?? 0) + Date.now() - t0);
          if (!answered || spent.get(webhook)! > budget) aside.add(webhook);
        }
      }));
    }));
    sent += attempted;
    if (due.length < BATCH || !attempted) break;
  }
  return out;
}

type Due = Awaited<ReturnType<PortfolioStore['dueDeliveries']>>[number];

/** One attempt, recorded; whether the receiver answered at all (any status). */
async function deliverOne(store: PortfolioStore, { delivery, url, secret, event }: Due, now: Date, o: DeliveryOptions, out: DeliveryCounts, timeoutMs: number): Promise<boolean> {
  const body = JSON.stringify(event);
  const allow = o.allowHosts ?? new Set<string>();
  let code: number | null = null;
  let ok = false;
  try {
    const res = await post(checkDestination(url, allow), body, {
      'content-type': 'application/json', 'x-marque-event': event.kind, 'x-marque-delivery': `${delivery.webhookId}:${event.seq}`,
      'x-marque-signature': signature(secret, body, new Date()),
    }, allow, timeoutMs);
    code = res.status;
    ok = res.status >= 200 && res.status < 300;
    if (!ok) o.log?.('webhook delivery failed', { webhook: delivery.webhookId, event: event.seq, status: res.status });
  } catch (e) {
    o.log?.('webhook delivery failed', { webhook: delivery.webhookId, event: event.seq, reason: (e as Error & { code?: string }).code ?? (e as Error).message });
  }
  const wait = BACKOFF_MINUTES[delivery.attempts];
  const nextAt = ok || wait === undefined ? null : new Date(now.getTime() + wait * 60_000);
  await store.recordAttempt({ webhookId: delivery.webhookId, eventSeq: event.seq, ok, code, error: ok ? null : 'delivery failed', at: now, nextAt });
  const outcome = ok ? 'delivered' : nextAt ? 'retrying' : 'failed';
  out[outcome]++;
  o.onOutcome?.(outcome);
  return code !== null;
}
