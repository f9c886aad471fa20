// Delivery of events to a team's webhooks: each body signed with HMAC-SHA256 under the webhook's
// secret (header X-Marque-Signature-256: sha256=<hex>, as GitHub signs), retried with backoff, every
// attempt logged. A receiver verifies the signature over the raw body before trusting it.
import { createHmac } from 'node:crypto';
import type { PortfolioStore } from './store/store.ts';

/** Minutes before each retry; after the last, the delivery is failed for good (and stays in the log). */
export const BACKOFF_MINUTES = [1, 5, 30, 120, 720] as const;
const TIMEOUT_MS = 10_000;

export function signature(secret: string, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
}

/** Deliveries sent at once, and the most one run sends (the rest wait for the next run). */
const PARALLEL = 8;
const BATCH = 100;
const MOST_PER_RUN = 5_000;

/**
 * Sends every delivery that is due, a batch at a time, several at once: a re-match that finds a
 * thousand new findings reaches the receivers in seconds, not a hundred per run.
 */
export async function deliverDue(store: PortfolioStore, now = new Date(), fetchImpl: typeof fetch = fetch): Promise<{ delivered: number; retrying: number; failed: number }> {
  const out = { delivered: 0, retrying: 0, failed: 0 };
  for (let sent = 0; sent < MOST_PER_RUN;) {
    const due = await store.dueDeliveries(now, BATCH);
    let next = 0;
    await Promise.all(Array.from({ length: Math.min(PARALLEL, due.length) }, async () => {
      while (next < due.length) await deliverOne(store, due[next++]!, now, fetchImpl, out);
    }));
    sent += due.length;
    if (due.length < BATCH) break;
  }
  return out;
}

type Due = Awaited<ReturnType<PortfolioStore['dueDeliveries']>>[number];

async function deliverOne(store: PortfolioStore, { delivery, url, secret, event }: Due, now: Date, fetchImpl: typeof fetch, out: { delivered: number; retrying: number; failed: number }): Promise<void> {
  const body = JSON.stringify(event);
  let code: number | null = null;
  let error: string | null = null;
  try {
    const res = await fetchImpl(url, {
      method: 'POST', body, redirect: 'error', signal: AbortSignal.timeout(TIMEOUT_MS),
      headers: { 'content-type': 'application/json', 'x-marque-event': event.kind, 'x-marque-delivery': `${delivery.webhookId}:${event.seq}`, 'x-marque-signature-256': signature(secret, body) },
    });
    code = res.status;
    await res.body?.cancel();
    if (!res.ok) error = `HTTP ${res.status}`;
  } catch (e) {
    error = (e as Error & { cause?: { code?: string } }).cause?.code ?? (e as Error).message;
  }
  const ok = error === null;
  const wait = BACKOFF_MINUTES[delivery.attempts];
  const nextAt = ok || wait === undefined ? null : new Date(now.getTime() + wait * 60_000);
  await store.recordAttempt({ webhookId: delivery.webhookId, eventSeq: event.seq, ok, code, error, at: now, nextAt });
  if (ok) out.delivered++; else if (nextAt) out.retrying++; else out.failed++;
}
