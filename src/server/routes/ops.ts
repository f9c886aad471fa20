// For whoever runs the server: liveness (the process answers), readiness (its store answers and
// its schema is current: send it traffic) and /metrics in Prometheus's text format. No token: they
// say nothing of any team (counts over every team, advisory sources, queue depths).
import type { FastifyPluginAsync } from 'fastify';
import type { PortfolioStore } from '../store/store.ts';
import type { ServerMetrics } from '../metrics.ts';
import type { ServerAdvisoryData } from '../advisory-data.ts';
import { monthOf } from '../rematch.ts';

export function opsRoutes(store: PortfolioStore, metrics: ServerMetrics | undefined, data: ServerAdvisoryData | undefined): FastifyPluginAsync {
  return async (app) => {
    app.get('/healthz', { config: { public: true }, schema: { hide: true } }, async () => ({ status: 'alive' }));
    app.get('/readyz', { config: { public: true }, schema: { hide: true } }, async (req, reply) => {
      try {
        const queue = await store.queueDepth(monthOf(new Date()));
        const db = data?.open();
        db?.close();
        return { status: 'ready', queue, advisoryData: db ? 'present' : 'missing' };
      } catch (e) {
        req.log.error({ err: e }, 'not ready: the store does not answer');
        return reply.code(503).send({ status: 'not ready', reason: 'the store does not answer' });
      }
    });
    if (metrics) {
      app.get('/metrics', { config: { public: true }, schema: { hide: true } }, async (_req, reply) =>
        reply.type(metrics.registry.contentType).send(await metrics.registry.metrics()));
    }
  };
}
