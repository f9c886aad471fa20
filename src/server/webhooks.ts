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

export async function deliverDue(store: PortfolioStore, now = new Date(), fetchImpl: typeof fetch = fetch): Promise<{ delivered: number; retrying: number; failed: number }> {
  const out = { delivered: 0, retrying: 0, failed: 0 };
  for (const { delivery, url, secret, event } of await store.dueDeliveries(now, 100)) {
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
  return out;
}
