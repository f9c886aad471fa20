// Per-team limits: what keeps one team (or one leaked token) from starving the others on a shared
// server. Counts (products, releases per product, tokens, webhooks) are checked by the store in the
// insert's own transaction; open event streams and requests per minute to the expensive routes are
// counted here, per server process. Each refusal names its limit and how the operator raises it.
import type { StoreCaps } from './store/store.ts';
import type { CountLimit } from './store/errors.ts';

export interface TeamLimits {
  /** Products per team. */
  products: number;
  /** Releases (versions) per product. */
  releasesPerProduct: number;
  /** Valid (neither revoked nor expired) API tokens per team. */
  tokens: number;
  /** Webhooks per team. */
  webhooks: number;
  /** Signed assessments kept per team. */
  assessments: number;
  /** Event streams (GET /events/stream) open at once per team, on one server process. */
  streamsPerTeam: number;
  /** Event streams open at once per token, on one server process. */
  streamsPerToken: number;
  /** Requests per minute per token to the routes that compute at request time (a release's findings, the portfolio); 0: no limit. */
  expensivePerMinute: number;
}

/**
 * Generous: far above what a real team uses, low enough that one team cannot fill the disk or the pool.
 * - products 1,000: a manufacturer with a large catalogue has hundreds; a product row is cheap but its releases are not.
 * - releases per product 5,000: a nightly release for over thirteen years; each holds its components (an SBOM of 50,000
 *   is about 40 MB stored), so products × releases bounds what one team stores.
 * - tokens 500: one per person and per CI job of a large team; a valid token is one more secret to leak.
 * - webhooks 50: each receives every event of the team (a delivery row per event and webhook), four at a time.
 * - assessments 20,000: one per component (or range) a team has assessed; a large product has a few thousand
 *   components, and an envelope may be as large as a request body.
 * - event streams 20 per team, 5 per token: each polls the store every second (one pooled connection, briefly); the
 *   PostgreSQL pool holds 10, so one team's 20 streams are 20 short queries a second, not a held pool; a browser tab
 *   of the dashboard holds one stream.
 * - 120 requests a minute per token to a release's findings and the portfolio: the dashboard reads them as a person
 *   clicks; a script that reads every release's findings goes at two a second.
 */
export const DEFAULT_LIMITS: TeamLimits = {
  products: 1_000, releasesPerProduct: 5_000, tokens: 500, webhooks: 50, assessments: 20_000, streamsPerTeam: 20, streamsPerToken: 5, expensivePerMinute: 120,
};

/** Each limit's "marque serve" flag and environment variable. */
export const LIMIT_SETTINGS: Record<keyof TeamLimits, { flag: string; env: string; what: string }> = {
  products: { flag: 'max-products', env: 'MARQUE_MAX_PRODUCTS', what: 'products per team' },
  releasesPerProduct: { flag: 'max-releases', env: 'MARQUE_MAX_RELEASES', what: 'releases per product' },
  tokens: { flag: 'max-tokens', env: 'MARQUE_MAX_TOKENS', what: 'valid API tokens per team' },
  webhooks: { flag: 'max-webhooks', env: 'MARQUE_MAX_WEBHOOKS', what: 'webhooks per team' },
  assessments: { flag: 'max-assessments', env: 'MARQUE_MAX_ASSESSMENTS', what: 'signed assessments per team' },
  streamsPerTeam: { flag: 'max-streams', env: 'MARQUE_MAX_STREAMS', what: 'open event streams per team' },
  streamsPerToken: { flag: 'max-streams-per-token', env: 'MARQUE_MAX_STREAMS_PER_TOKEN', what: 'open event streams per token' },
  expensivePerMinute: { flag: 'max-expensive-per-minute', env: 'MARQUE_MAX_EXPENSIVE_PER_MINUTE', what: 'requests per minute per token to findings and the portfolio' },
};

/** How the operator raises a limit, as a refusal says it. */
export const howToRaise = (limit: keyof TeamLimits) => `the server's operator raises it with "marque serve --${LIMIT_SETTINGS[limit].flag} N" (or ${LIMIT_SETTINGS[limit].env})`;

export const storeCaps = (l: TeamLimits): StoreCaps => ({ products: l.products, releasesPerProduct: l.releasesPerProduct, tokens: l.tokens, webhooks: l.webhooks, assessments: l.assessments });

/** What a team frees to make room, by count limit. */
export const MAKE_ROOM: Record<CountLimit, string> = {
  products: 'a product is never deleted: ask the operator',
  releasesPerProduct: 'a release is never deleted (withdrawn ones count): ask the operator, or place the releases under another product name',
  tokens: 'revoke a token (DELETE /api/v1/tokens/{id}) to make room',
  webhooks: 'delete a webhook (DELETE /api/v1/webhooks/{id}) to make room',
  assessments: 'an assessment is never deleted: ask the operator',
};

/** The extension members of a limit's problem+json (RFC 9457 §3.2): which limit, its value, how to raise it. */
export const limitMembers = (limit: keyof TeamLimits, max: number) => ({ limit, max, raise: `marque serve --${LIMIT_SETTINGS[limit].flag} N (or ${LIMIT_SETTINGS[limit].env})` });

/**
 * Requests per window per key, in a fixed window: simple and exact enough for a guard (at most twice the rate across a
 * window's edge). The map is swept when it grows, as the failed-authentication counter is.
 */
export class RateCounter {
  private readonly seen = new Map<string, { count: number; since: number }>();
  readonly max: number;
  readonly windowMs: number;
  constructor(max: number, windowMs = 60_000) { this.max = max; this.windowMs = windowMs; }
  /** Counts a request; undefined when it may go on, else the seconds until the window ends. */
  take(key: string, now = Date.now()): number | undefined {
    const s = this.seen.get(key);
    if (!s || now - s.since >= this.windowMs) {
      this.seen.set(key, { count: 1, since: now });
      if (this.seen.size > 10_000) for (const [k, v] of this.seen) if (now - v.since >= this.windowMs) this.seen.delete(k);
      return undefined;
    }
    if (s.count >= this.max) return Math.max(1, Math.ceil((s.since + this.windowMs - now) / 1000));
    s.count++;
    return undefined;
  }
}
