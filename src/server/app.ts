// The team server's HTTP API under /api/v1: Fastify with JSON Schema routes, an OpenAPI 3.1
// document generated from them, bearer tokens per team with roles, and RFC 9457 errors. A thin
// layer: the portfolio lives in the store, SBOM reading in src/api/.
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import swagger from '@fastify/swagger';
import type { Role } from '../model/portfolio.ts';
import { VERSION } from '../api/defaults.ts';
import { defaultDbPath } from '../advisories/store.ts';
import { InputError } from '../util/errors.ts';
import type { PortfolioStore } from './store/store.ts';
import { SCHEMAS } from './schemas.ts';
import { portfolioRoutes } from './routes/portfolio.ts';
import { eventRoutes } from './routes/events.ts';
import { assessmentRoutes } from './routes/assessments.ts';
import { uiRoutes } from './routes/ui.ts';
import { dossierRoutes } from './routes/dossier.ts';
import { HttpProblem } from './problem.ts';

declare module 'fastify' {
  interface FastifyRequest { auth?: { teamId: string; role: Role; name: string } }
  interface FastifyContextConfig { write?: boolean; public?: boolean }
}

/** Failed authentications an address may make per window before it must wait. */
export const AUTH_FAILURES = 20;
const AUTH_WINDOW_MS = 60_000;

/** Uploads larger than this are refused before they are read (an SBOM of 50,000 components is about 40 MB). */
export const MAX_BODY_BYTES = 64 * 1024 * 1024;

const TITLES: Record<number, string> = { 429: 'Too Many Requests', 400: 'Bad Request', 401: 'Unauthorized', 403: 'Forbidden', 404: 'Not Found', 409: 'Conflict', 503: 'Service Unavailable', 413: 'Content Too Large', 415: 'Unsupported Media Type', 422: 'Unprocessable Content', 500: 'Internal Server Error' };

function send(reply: FastifyReply, status: number, detail: string): FastifyReply {
  return reply.code(status).type('application/problem+json').send({ type: 'about:blank', title: TITLES[status] ?? 'Error', status, detail });
}

/** advisoryDb: the advisory database the server matches releases against (see "marque db"). */
export async function buildServer(store: PortfolioStore, opts: { logger?: boolean; advisoryDb?: string; maxBodyBytes?: number; onEvents?: () => void } = {}): Promise<FastifyInstance> {
  // Tokens travel in the Authorization header, which Fastify's logger does not print. A field the
  // schema does not know is refused (400), not silently dropped as Fastify does by default.
  // The body is read as a stream and counted as it arrives: past the cap (declared or not) the
  // request ends with 413 before the rest is read or anything is parsed.
  const app = Fastify({ forceCloseConnections: true, logger: opts.logger ?? false, bodyLimit: opts.maxBodyBytes ?? MAX_BODY_BYTES, ajv: { customOptions: { allErrors: false, removeAdditional: false } } });
  for (const s of SCHEMAS) app.addSchema(s);
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: { title: 'Marque team server', version: VERSION, description: 'CRA operations for every product release on the market' },
      components: { securitySchemes: { token: { type: 'http', scheme: 'bearer' } } },
      security: [{ token: [] }],
    },
  });

  app.setErrorHandler((e: Error & { statusCode?: number; validation?: unknown }, _req, reply) => {
    if (e instanceof HttpProblem) return send(reply, e.status, e.message);
    if (e instanceof InputError) return send(reply, 422, `${e.where()}: ${e.message}`);
    if (e.validation) return send(reply, 400, e.message);
    if (e.statusCode && e.statusCode < 500) return send(reply, e.statusCode, e.message);
    reply.log.error(e);
    return send(reply, 500, 'the server could not complete the request');
  });
  app.setNotFoundHandler((req, reply) => send(reply, 404, `no route ${req.method} ${req.url.split('?')[0]}`));

  // Failed authentications per client address: past the limit in a window, the address waits (429)
  // before it may try again, so tokens cannot be guessed at network speed.
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

  app.addHook('onRequest', async (req: FastifyRequest, reply: FastifyReply) => {
    if (req.routeOptions.config.public) return;
    const now = Date.now();
    if (limited(req.ip, now)) return send(reply.header('retry-after', String(Math.ceil(AUTH_WINDOW_MS / 1000))), 429, 'too many failed authentications from this address; try again later');
    const header = req.headers.authorization ?? '';
    const token = /^Bearer\s+(\S+)$/i.exec(header)?.[1];
    const owner = token ? await store.tokenOwner(token) : undefined;
    if (!owner) {
      if (token) failed(req.ip, now);
      return send(reply, 401, 'a valid API token is required (Authorization: Bearer …; "marque token create")');
    }
    req.auth = owner;
    if (req.routeOptions.config.write && owner.role === 'viewer') return send(reply, 403, 'this token may read, not write');
  });

  app.get('/api/v1/openapi.json', { config: { public: true }, schema: { hide: true } }, async () => app.swagger());
  await app.register(portfolioRoutes(store, opts.advisoryDb ?? defaultDbPath()), { prefix: '/api/v1' });
  await app.register(eventRoutes(store, opts.advisoryDb ?? defaultDbPath(), opts.onEvents), { prefix: '/api/v1' });
  await app.register(assessmentRoutes(store), { prefix: '/api/v1' });
  await app.register(dossierRoutes(store), { prefix: '/api/v1' });
  await app.register(uiRoutes(store, opts.advisoryDb ?? defaultDbPath()));
  return app;
}
