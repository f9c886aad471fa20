// The re-match and its results: run it now for the team, list the events it produced, or follow
// them live as Server-Sent Events (resuming after Last-Event-ID).
import type { FastifyPluginAsync } from 'fastify';
import { AdvisoryDb } from '../../advisories/store.ts';
import { rematch, REMATCH_STALE_MS } from '../rematch.ts';
import { HttpProblem } from '../problem.ts';
import { ref } from '../schemas.ts';
import type { PortfolioStore } from '../store/store.ts';
import { bearerOf } from '../bearer.ts';
import { DEFAULT_LIMITS, howToRaise, limitMembers, type TeamLimits } from '../limits.ts';

const errors = { 401: ref('Problem'), 403: ref('Problem') };
/** How often a live stream looks for new events. */
const POLL_MS = 1000;

/** The Last-Event-ID a client resumes after: 0 when absent; a 400 when it is not a sequence number. */
function lastEventId(header: string | string[] | undefined): number {
  if (header === undefined || header === '') return 0;
  const v = Array.isArray(header) ? header[0]! : header;
  if (!/^\d{1,16}$/.test(v.trim()) || Number(v) > Number.MAX_SAFE_INTEGER) throw new HttpProblem(400, `Last-Event-ID must be an event's sequence number (got "${v.slice(0, 40)}")`);
  return Number(v);
}

/** onEvents: called when a request made events, so that their webhook deliveries go out now. */
export function eventRoutes(store: PortfolioStore, advisoryDb: string, onEvents: () => void = () => {}, limits: Pick<TeamLimits, 'streamsPerTeam' | 'streamsPerToken'> = DEFAULT_LIMITS): FastifyPluginAsync {
  return async (app) => {
    // Streams open on this process, per team and per token: each polls the store every second, so one team's (or one
    // leaked token's) streams without a bound would take the pool every team shares.
    const open = { team: new Map<string, number>(), token: new Map<string, number>() };
    const bump = (m: Map<string, number>, k: string, by: number) => { const n = (m.get(k) ?? 0) + by; if (n > 0) m.set(k, n); else m.delete(k); };
    // A live stream ends when the server closes, so that closing never waits for a client.
    let closing = false;
    app.addHook('onClose', async () => { closing = true; });
    app.post('/rematch', {
      config: { admin: true },
      schema: {
        summary: '(admin) Match every release of the team still in its support period again, now, in the request. One at a time per team: asked again while one runs (on any server of the deployment), 409, saying since when it runs; ask again when it has answered',
        response: { 200: { type: 'object', properties: { releases: { type: 'integer' }, findings: { type: 'integer' }, events: { type: 'integer' } } }, ...errors, 409: ref('Problem'), 503: ref('Problem') },
      },
    }, async (req) => {
      const db = AdvisoryDb.openForRead(advisoryDb);
      if (!db) throw new HttpProblem(503, 'the server has no advisory database yet; run "marque db update" on the server');
      const team = req.auth!.teamId;
      try {
        // A second full re-match of the team while one runs would only do the same work again, on the event loop
        // and the database every team shares: refused, rather than queued behind it.
        const claimed = await store.claimRematch(team, new Date(), REMATCH_STALE_MS);
        if ('runningSince' in claimed) throw new HttpProblem(409, `a re-match of this team is running since ${claimed.runningSince}; ask again when it has answered (its events are in GET /events)`);
        try {
          const r = await rematch(store, db, new Date(), team, { beat: () => store.beatRematch(team, claimed.claim, new Date()) });
          if (r.events.length) onEvents();
          return { releases: r.releases, findings: r.findings, events: r.events.length };
        } finally {
          await store.endRematch(team, claimed.claim);
        }
      } finally {
        db.close();
      }
    });

    app.get<{ Querystring: { after: number; limit: number } }>('/events', {
      schema: {
        summary: 'Events of the team (new findings, findings now exploited), oldest first after a sequence number',
        querystring: { type: 'object', properties: { after: { type: 'integer', minimum: 0, maximum: Number.MAX_SAFE_INTEGER, default: 0 }, limit: { type: 'integer', minimum: 1, maximum: 1000, default: 100 } } },
        response: { 200: { type: 'array', items: { type: 'object', additionalProperties: true } }, ...errors },
      },
    }, async (req) => store.events(req.auth!.teamId, req.query.after, req.query.limit));

    app.get<{ Querystring: { from?: 'start' | 'now' } }>('/events/stream', {
      schema: {
        summary: 'The same events, live, as Server-Sent Events (id = sequence number; Last-Event-ID resumes; ?from=now skips what happened before)',
        querystring: { type: 'object', properties: { from: { type: 'string', enum: ['start', 'now'], default: 'start' } } }, response: { 400: ref('Problem'), ...errors },
      },
    }, async (req, reply) => {
      const team = req.auth!.teamId;
      // Checked before the stream opens: a sequence number past what the database holds (1e23) made every read fail, and the stream hung open, silent.
      const resume = lastEventId(req.headers['last-event-id']);
      const tokenId = req.auth!.tokenId;
      for (const [limit, max, n] of [['streamsPerToken', limits.streamsPerToken, open.token.get(tokenId) ?? 0], ['streamsPerTeam', limits.streamsPerTeam, open.team.get(team) ?? 0]] as const) {
        if (n >= max) {
          req.log.warn({ team, token: tokenId, limit, max }, 'refused: a per-team limit on event streams');
          throw new HttpProblem(429, `per-${limit === 'streamsPerTeam' ? 'team' : 'token'} limit reached: ${n} event streams are open ${limit === 'streamsPerTeam' ? 'for this team' : 'with this token'} on this server, its limit is ${max}; close one (or retry later), or read GET /api/v1/events?after=SEQ instead; ${howToRaise(limit)}`,
            limitMembers(limit, max), { 'retry-after': '30' });
        }
      }
      // Counted at once (before any await), so that requests at once cannot all pass the check.
      bump(open.team, team, 1); bump(open.token, tokenId, 1);
      const close = () => { bump(open.team, team, -1); bump(open.token, tokenId, -1); };
      let after: number;
      try { after = resume || (req.query.from === 'now' ? await store.lastEventSeq(team) : 0); } catch (e) { close(); throw e; }
      reply.hijack();
      reply.raw.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-store', connection: 'keep-alive' });
      // A comment at once (the client knows it is connected) and every 15 s (proxies keep the line open).
      reply.raw.write(': connected\n\n');
      let quiet = 0;
      let connected = true;
      req.raw.on('close', () => { connected = false; });
      // The token is checked again before any event is sent and at every keep-alive: a token revoked (or expired)
      // while its stream is open gets nothing more, and the stream ends, as its next request would get 401. It used to
      // go on streaming the team's events for as long as the connection stayed open.
      const token = bearerOf(req.headers.authorization);
      const stillValid = async () => token !== undefined && (await store.tokenOwner(token, new Date()))?.tokenId === req.auth!.tokenId;
      try {
        while (connected && !closing) {
          const batch = await store.events(team, after, 100);
          const tick = (quiet += POLL_MS) >= 15_000;
          if ((batch.length || tick) && !(await stillValid())) { reply.raw.write(': the token was revoked or has expired\n\n'); break; }
          for (const e of batch) {
            reply.raw.write(`id: ${e.seq}\nevent: ${e.kind}\ndata: ${JSON.stringify(e)}\n\n`);
            after = e.seq;
          }
          if (tick) { reply.raw.write(': keep-alive\n\n'); quiet = 0; }
          await new Promise((r) => setTimeout(r, POLL_MS));
        }
      } catch (e) {
        // The store failed: the stream ends (the client reconnects with Last-Event-ID) rather than staying open and silent.
        req.log.error({ err: e }, 'event stream ended: the store failed');
      } finally {
        close();
        reply.raw.end();
      }
    });

    app.get<{ Querystring: { exploited?: boolean } }>('/portfolio', {
      schema: {
        summary: 'Every release of the team: open findings and open exploited ones (as last re-matched), and the nearest Art. 14(2) report not yet sent; nearest deadline first',
        querystring: { type: 'object', properties: { exploited: { type: 'boolean', description: 'only releases with an open exploited finding' } } },
        response: { 200: { type: 'array', items: { type: 'object', additionalProperties: true } }, ...errors },
      },
    }, async (req) => {
      const rows = (await store.portfolio(req.auth!.teamId)).filter((r) => !req.query.exploited || r.openExploited > 0);
      // Releases with a report due come first, the nearest at the top; the rest by product.
      return rows.sort((a, b) => (a.nextDeadline && b.nextDeadline ? a.nextDeadline.due.localeCompare(b.nextDeadline.due) : a.nextDeadline ? -1 : b.nextDeadline ? 1 : 0));
    });

  };
}
