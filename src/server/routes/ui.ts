// The dashboard: one HTML shell and one bundled script (built by scripts/build-web.ts, no CDN),
// served without a token (they hold no data); everything it shows comes from the API with the
// token the person signs in with. Also /api/v1/me (who the token is) and the advisory data status.
import type { FastifyPluginAsync } from 'fastify';
import { advisoryStatus } from '../../api/advisories.ts';
import { webBundle } from '../../report/dossier-html.ts';
import { STYLES } from '../../../web/views/styles.ts';
import { DASHBOARD_STYLES } from '../../../web/views/dashboard-styles.ts';
import { ref } from '../schemas.ts';
import type { PortfolioStore } from '../store/store.ts';

const CSP = "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; connect-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

const SHELL = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Marque: CRA portfolio</title><link rel="icon" href="data:,"><style>${STYLES}${DASHBOARD_STYLES}</style></head>
<body><div id="app"><p class="muted" style="padding:1rem">Loading the Marque dashboard…</p></div><script src="/ui/dashboard.js"></script></body></html>
`;

export function uiRoutes(store: PortfolioStore, advisoryDb: string): FastifyPluginAsync {
  return async (app) => {
    let bundle: string | undefined;
    app.get('/', { config: { public: true }, schema: { hide: true } }, async (_req, reply) =>
      reply.type('text/html; charset=utf-8').header('content-security-policy', CSP).header('x-content-type-options', 'nosniff').header('referrer-policy', 'no-referrer').send(SHELL));
    app.get('/ui/dashboard.js', { config: { public: true }, schema: { hide: true } }, async (_req, reply) => {
      bundle ??= webBundle('dashboard');
      return reply.type('text/javascript; charset=utf-8').header('x-content-type-options', 'nosniff').header('cache-control', 'no-cache').send(bundle);
    });
    app.get('/api/v1/me', {
      schema: { summary: 'Who this token is: team, role and name (what the dashboard may offer)', response: { 200: { type: 'object', properties: { team: { type: 'object', properties: { id: { type: 'string' }, name: { type: 'string' } } }, role: { type: 'string' }, name: { type: 'string' } } }, 401: ref('Problem') } },
    }, async (req) => {
      const team = await store.team(req.auth!.teamId);
      return { team: { id: req.auth!.teamId, name: team?.name ?? '' }, role: req.auth!.role, name: req.auth!.name };
    });
    app.get('/api/v1/advisories', {
      schema: { summary: 'The advisory data releases are matched against: sources, record counts, data dates and age', response: { 200: { type: 'object', additionalProperties: true }, 401: ref('Problem') } },
    }, async () => {
      const s = advisoryStatus(advisoryDb);
      // The file's location on the server is not the client's business.
      return { exists: s.exists, sources: s.sources.map((x) => ({ name: x.name, kind: x.kind, records: x.records, dataDate: x.dataDate, ageDays: x.ageDays, stale: x.stale })) };
    });
  };
}
