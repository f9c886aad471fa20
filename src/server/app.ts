// The team server's HTTP API under /api/v1: Fastify with JSON Schema routes, an OpenAPI 3.1
// document generated from them, bearer tokens per team with roles, and RFC 9457 errors. A thin
// layer: the portfolio lives in the store, SBOM reading in src/api/.
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import swagger from '@fastify/swagger';
import type { Role } from '../model/portfolio.ts';
import { VERSION } from '../api/defaults.ts';
import { defaultDbPath } from '../advisories/store.ts';
import { InputError } from '../util/errors.ts';
import { MAX_NESTING, nestsDeeperThan } from '../util/json.ts';
import { nulAt } from './nul.ts';
import { bearerOf } from './bearer.ts';
import type { PortfolioStore } from './store/store.ts';
import { ref, SCHEMAS } from './schemas.ts';
import { portfolioRoutes } from './routes/portfolio.ts';
import { eventRoutes } from './routes/events.ts';
import { assessmentRoutes } from './routes/assessments.ts';
import { uiRoutes } from './routes/ui.ts';
import { dossierRoutes } from './routes/dossier.ts';
import { webhookRoutes } from './routes/webhooks.ts';
import { tokenRoutes } from './routes/tokens.ts';
import { pushRoutes } from './routes/push.ts';
import { advisoryRoutes } from './routes/advisories.ts';
import { opsRoutes } from './routes/ops.ts';
import type { ServerAdvisoryData } from './advisory-data.ts';
import type { ServerMetrics } from './metrics.ts';
import { HttpProblem } from './problem.ts';
import { csafRoutes, type CsafProviderOptions } from './routes/csaf.ts';
import { Conflict, isDatabaseUnavailable, isDiskFull, LimitReached } from './store/errors.ts';
import { DEFAULT_LIMITS, howToRaise, limitMembers, MAKE_ROOM, RateCounter, storeCaps, type TeamLimits } from './limits.ts';
import { randomUUID } from 'node:crypto';

declare module 'fastify' {
  interface FastifyRequest { auth?: { teamId: string; role: Role; name: string; tokenId: string } }
  /** write: an editor or an admin; admin: an admin only; public: no token. */
  interface FastifyContextConfig { write?: boolean; admin?: boolean; public?: boolean }
}

/** Failed authentications an address may make per window; past it, more failures get 429 (a valid token never does). */
export const AUTH_FAILURES = 20;
const AUTH_WINDOW_MS = 60_000;

/** Uploads larger than this are refused before they are read (an SBOM of 50,000 components is about 40 MB). */
export const MAX_BODY_BYTES = 64 * 1024 * 1024;

/**
 * How long a client may take to send a whole request (headers and body). Fastify's default is no limit:
 * a body sent a byte every few seconds held its connection for good. 15 minutes takes a 64 MiB SBOM at
 * 75 KB/s and a 4 GiB advisory import at 4.5 MB/s; Node checks every 30 s.
 */
export const REQUEST_TIMEOUT_MS = 15 * 60_000;

/** Retry-After of a 503 when the database does not answer (a restart or a failover takes seconds to a minute). */
export const DB_RETRY_AFTER_SECONDS = 30;

const TITLES: Record<number, string> = { 429: 'Too Many Requests', 400: 'Bad Request', 401: 'Unauthorized', 403: 'Forbidden', 404: 'Not Found', 409: 'Conflict', 503: 'Service Unavailable', 507: 'Insufficient Storage', 413: 'Content Too Large', 414: 'URI Too Long', 415: 'Unsupported Media Type', 422: 'Unprocessable Content', 500: 'Internal Server Error' };

function send(reply: FastifyReply, status: number, detail: string, members: Record<string, unknown> = {}): FastifyReply {
  return reply.code(status).type('application/problem+json').send({ type: 'about:blank', title: TITLES[status] ?? 'Error', status, detail, ...members });
}

/** The routes that compute at request time (a release's findings matched now; the portfolio's clocks): a rate per token. */
const EXPENSIVE = new Set(['GET /api/v1/releases/:releaseId/findings', 'GET /api/v1/portfolio']);
/** The routes that add what a count limit bounds: 403 when the team is at it. */
const COUNTED = new Set(['POST /api/v1/products', 'POST /api/v1/products/:productId/releases', 'POST /api/v1/releases', 'POST /api/v1/tokens', 'POST /api/v1/webhooks', 'POST /api/v1/assessments']);
const STREAM = 'GET /api/v1/events/stream';

export interface ServerOptions {
  /** Fastify's logger: true (info), a level, or false. "marque serve" has it on. */
  logger?: boolean | string;
  /** Where the log goes (default standard output). */
  logStream?: NodeJS.WritableStream;
  /** The advisory database the server matches releases against (see "marque db"). */
  advisoryDb?: string;
  maxBodyBytes?: number;
  /** Called when a request made events, so that their webhook deliveries go out now. */
  onEvents?: () => void;
  /** Called when a release was placed or completed, so that it is matched at once. */
  onPlaced?: (teamId: string, releaseId: string) => void;
  /** Called (and awaited) when a VEX decision was recorded, so that the release's stored findings follow it at once. */
  onDecided?: (teamId: string, releaseId: string) => Promise<void>;
  /** The server's own advisory data (imports through POST /advisories); without it, only --db is read. */
  advisoryData?: ServerAdvisoryData;
  /** The largest advisory import (default 4 GiB). */
  maxImportBytes?: number;
  /**
   * The teams (by name) whose admins may import advisory data. The data is the server's, shared by every
   * team on it: unset, an admin may import only while the server holds one team.
   */
  advisoryTeams?: readonly string[];
  metrics?: ServerMetrics;
  /** Hosts webhooks may reach although they are not public (--webhook-allow-host). */
  allowHosts?: ReadonlySet<string>;
  /** How long a client may take to send a whole request (default REQUEST_TIMEOUT_MS). */
  requestTimeoutMs?: number;
  /** Fastify's trustProxy: the proxies (addresses or CIDRs) whose X-Forwarded-For names the client. */
  trustProxy?: string[];
  /** The CSAF provider: which team's advisories it serves, at which public URL (routes/csaf.ts). */
  csaf?: CsafProviderOptions;
  /** Per-team limits (limits.ts); each one unset takes its default. */
  limits?: Partial<TeamLimits>;
}

export async function buildServer(unlimited: PortfolioStore, opts: ServerOptions = {}): Promise<FastifyInstance> {
  const limits: TeamLimits = { ...DEFAULT_LIMITS, ...opts.limits };
  // What a request adds goes through the team's count limits, checked by the store in the insert's transaction.
  const caps = storeCaps(limits);
  const store: PortfolioStore = Object.assign(Object.create(unlimited) as PortfolioStore, {
    createProduct: (teamId: string, name: string) => unlimited.createProduct(teamId, name, caps),
    createRelease: (teamId: string, r: Parameters<PortfolioStore['createRelease']>[1]) => unlimited.createRelease(teamId, r, caps),
    placeRelease: (teamId: string, push: Parameters<PortfolioStore['placeRelease']>[1], by: string) => unlimited.placeRelease(teamId, push, by, caps),
    createToken: (teamId: string, role: Role, name: string, expiresAt?: Date | null) => unlimited.createToken(teamId, role, name, expiresAt, caps),
    addWebhook: (teamId: string, url: string) => unlimited.addWebhook(teamId, url, caps),
    putAssessment: (teamId: string, digest: string, component: string, envelope: unknown) => unlimited.putAssessment(teamId, digest, component, envelope, caps),
  });
  // A field the schema does not know is refused (400), not silently dropped as Fastify does by default.
  // The body is read as a stream and counted as it arrives: past the cap (declared or not) the
  // request ends with 413 before the rest is read or anything is parsed.
  // The logger prints method, URL, status and time of each request with its id; never a header, so
  // never a token (the redaction is a second guard should a serializer ever add headers).
  const level = opts.logger === true ? 'info' : typeof opts.logger === 'string' ? opts.logger : undefined;
  const logger = level ? { level, redact: ['req.headers.authorization', 'req.headers.cookie'], ...(opts.logStream ? { stream: opts.logStream } : {}) } : false;
  const app = Fastify({
    forceCloseConnections: true, logger, bodyLimit: opts.maxBodyBytes ?? MAX_BODY_BYTES,
    // Given to Node when the server is made as well: set only afterwards (Fastify's requestTimeout alone), Node never enforced it.
    requestTimeout: opts.requestTimeoutMs ?? REQUEST_TIMEOUT_MS, http: { requestTimeout: opts.requestTimeoutMs ?? REQUEST_TIMEOUT_MS },
    trustProxy: opts.trustProxy?.length ? opts.trustProxy : false,
    // A request id per request, sent back as X-Request-Id so that a client's report finds the log line.
    genReqId: () => randomUUID(),
    ajv: { customOptions: { allErrors: false, removeAdditional: false } },
    // A URL the router cannot read (a bad %-escape, an over-long id) is answered as problem+json too.
    frameworkErrors: (e, _req, reply) => send(reply, e.statusCode ?? 400, e.message),
  });
  app.addHook('onSend', async (req, reply) => { reply.header('x-request-id', req.id); });
  for (const s of SCHEMAS) app.addSchema(s);
  // Whatever an operation does, it reads the store (a token at least): each may answer 503 while the database does not answer.
  app.addHook('onRoute', (r) => {
    const response = r.schema?.response as Record<string, unknown> | undefined;
    if (response && !response['503']) r.schema = { ...r.schema, response: { ...response, 503: ref('Problem') } };
    // The per-team limits' answers, in the OpenAPI document of the routes they guard.
    const key = `${[r.method].flat()[0]} ${r.url}`;
    const more = { ...(COUNTED.has(key) ? { 403: ref('Problem') } : {}), ...(EXPENSIVE.has(key) || key === STREAM ? { 429: ref('Problem') } : {}) };
    if (response && Object.keys(more).length) r.schema = { ...r.schema, response: { ...(r.schema!.response as object), ...more } };
  });
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: { title: 'Marque team server', version: VERSION, description: 'CRA operations for every product release on the market' },
      components: { securitySchemes: { token: { type: 'http', scheme: 'bearer' } } },
      security: [{ token: [] }],
    },
  });

  app.setErrorHandler((e: Error & { statusCode?: number; validation?: unknown }, req, reply) => {
    if (e instanceof HttpProblem) {
      for (const [k, v] of Object.entries(e.headers)) reply.header(k, v);
      return send(reply, e.status, e.message, e.members);
    }
    // A count limit: 403, not 429 (waiting frees nothing), 409 (here: the name or version is taken, which a client
    // reads as "the same thing exists") or 413 (the body is not too large; the team is full).
    if (e instanceof LimitReached) {
      req.log.warn({ limit: e.limit, max: e.max, team: req.auth?.teamId }, 'refused: a per-team limit');
      return send(reply, 403, `per-team limit reached: ${e.message}; ${MAKE_ROOM[e.limit]}; ${howToRaise(e.limit)}`, limitMembers(e.limit, e.max));
    }
    if (e instanceof InputError) return send(reply, 422, `${e.where()}: ${e.message}`);
    if (e instanceof Conflict) {
      req.log.warn({ conflict: e.message }, 'refused: conflict');
      return send(reply, 409, e.message);
    }
    if (isDiskFull(e)) {
      req.log.error({ err: e }, 'storage full: the request was not stored');
      return send(reply.header('retry-after', '300'), 507, 'the server\'s storage is full; nothing of this request was stored. Try again once space is freed');
    }
    if (isDatabaseUnavailable(e)) {
      // The reason (host, port, the driver's words) goes to the log only: the client learns to come back.
      req.log.error({ reason: e.message, code: (e as { code?: unknown }).code }, 'the database is unavailable: the request was not completed');
      return send(reply.header('retry-after', String(DB_RETRY_AFTER_SECONDS)), 503, 'the database is unavailable; retry later');
    }
    if (e.validation) return send(reply, 400, e.message);
    if (e.statusCode && e.statusCode < 500) return send(reply, e.statusCode, e.message);
    req.log.error({ err: e }, 'request failed');
    return send(reply, 500, 'the server could not complete the request');
  });
  // Libraries walk bodies recursively (schema validation, JSON.stringify when a body is kept): a body
  // nested past what any real document needs is refused before any of them sees it.
  app.addHook('preValidation', async (req) => {
    const parsed = req.body !== null && typeof req.body === 'object' && typeof (req.body as { pipe?: unknown }).pipe !== 'function';
    if (parsed && nestsDeeperThan(req.body)) throw new HttpProblem(400, `the request body nests arrays and objects more than ${MAX_NESTING} deep; not read`);
    // PostgreSQL cannot store U+0000 (nul.ts): refused on both stores, saying where.
    for (const [part, value] of [['path', req.params], ['query', req.query], ['body', parsed || typeof req.body === 'string' ? req.body : undefined]] as const) {
      const at = nulAt(value);
      if (at !== undefined) throw new HttpProblem(400, `the request's ${part} holds a NUL character (U+0000) at ${at}; nothing was stored`);
    }
  });
  app.setNotFoundHandler((req, reply) => send(reply, 404, `no route ${req.method} ${req.url.split('?')[0]}`));

  // Failed authentications per client address (the proxy's client with --trust-proxy): past the
  // limit in a window, a bad token gets 429 instead of 401. A valid token is always checked first and
  // always let in, so that one client guessing never locks out the others behind the same address.
  // Tokens are 256-bit random: the limit keeps the store and the logs from floods, not the secret.
  const failures = new Map<string, { count: number; since: number }>();
  const limited = (ip: string, now: number) => {
    const f = failures.get(ip);
    return f !== undefined && now - f.since < AUTH_WINDOW_MS && f.count >= AUTH_FAILURES;
  };
  const failed = (ip: string, now: number) => {
    const f = failures.get(ip);
    if (!f || now - f.since >= AUTH_WINDOW_MS) failures.set(ip, { count: 1, since: now });
    else f.count++;
    if (failures.size > 10_000) for (const [k, v] of failures) if (now - v.since >= AUTH_WINDOW_MS) failures.delete(k);
  };

  const expensive = limits.expensivePerMinute > 0 ? new RateCounter(limits.expensivePerMinute) : undefined;
  app.addHook('onRequest', async (req: FastifyRequest, reply: FastifyReply) => {
    if (req.routeOptions.config.public) return;
    // A request refused here is answered before its body is read; the connection then closes, rather than wait
    // (for good) for a body nobody will read: one sent a byte at a time kept it open after the 401.
    const refuse = (r: FastifyReply) => r.header('connection', 'close');
    const now = Date.now();
    const token = bearerOf(req.headers.authorization);
    const owner = token ? await store.tokenOwner(token, new Date(now)) : undefined;
    if (!owner) {
      if (token && limited(req.ip, now)) {
        req.log.warn({ ip: req.ip }, 'failed authentication, address limited');
        return send(refuse(reply).header('retry-after', String(Math.ceil(AUTH_WINDOW_MS / 1000))), 429, 'too many failed authentications from this address; try again later');
      }
      if (token) failed(req.ip, now);
      return send(refuse(reply), 401, 'a valid API token is required (Authorization: Bearer …; "marque token create"); it may have been revoked or have expired');
    }
    req.auth = owner;
    const config = req.routeOptions.config;
    if (config.admin && owner.role !== 'admin') return send(refuse(reply), 403, 'only an admin token may do this (tokens, webhooks, trusted keys, advisory imports, re-matches)');
    if (config.write && owner.role === 'viewer') return send(refuse(reply), 403, 'this token may read, not write');
    if (expensive && EXPENSIVE.has(`${req.method} ${req.routeOptions.url}`)) {
      const wait = expensive.take(owner.tokenId, now);
      if (wait !== undefined) {
        req.log.warn({ team: owner.teamId, token: owner.tokenId, route: req.routeOptions.url }, 'refused: a per-token rate limit');
        return send(reply.header('retry-after', String(wait)), 429,
          `per-token rate limit reached: ${limits.expensivePerMinute} requests a minute to a release's findings and the portfolio (each computes at request time); retry in ${wait} s; ${howToRaise('expensivePerMinute')}`,
          limitMembers('expensivePerMinute', limits.expensivePerMinute));
      }
    }
  });

  app.get('/api/v1/openapi.json', { config: { public: true }, schema: { hide: true } }, async () => app.swagger());
  await app.register(portfolioRoutes(store, opts.advisoryDb ?? defaultDbPath(), opts.onPlaced, opts.onDecided), { prefix: '/api/v1' });
  await app.register(eventRoutes(store, opts.advisoryDb ?? defaultDbPath(), opts.onEvents, limits), { prefix: '/api/v1' });
  await app.register(assessmentRoutes(store), { prefix: '/api/v1' });
  await app.register(webhookRoutes(store, opts.allowHosts ?? new Set()), { prefix: '/api/v1' });
  await app.register(tokenRoutes(store), { prefix: '/api/v1' });
  await app.register(pushRoutes(store, opts.onPlaced), { prefix: '/api/v1' });
  await app.register(advisoryRoutes(store, opts.advisoryData, opts.maxImportBytes, opts.advisoryTeams), { prefix: '/api/v1' });
  await app.register(opsRoutes(store, opts.metrics, opts.advisoryData));
  await app.register(dossierRoutes(store), { prefix: '/api/v1' });
  await app.register(uiRoutes(store, opts.advisoryDb ?? defaultDbPath()));
  await app.register(csafRoutes(store, opts.csaf ?? {}));
  return app;
}
