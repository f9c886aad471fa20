// A team's webhooks (admin): add one (a public HTTPS destination; the secret is shown once),
// list them, read a webhook's delivery log, delete one with its log.
import type { FastifyPluginAsync } from 'fastify';
import { HttpProblem } from '../problem.ts';
import { ref } from '../schemas.ts';
import { checkDestination, DestinationRefused, type AllowedHosts } from '../destination.ts';
import type { PortfolioStore } from '../store/store.ts';

const errors = { 400: ref('Problem'), 401: ref('Problem'), 403: ref('Problem') };
const webhookParams = { type: 'object', required: ['webhookId'], properties: { webhookId: { type: 'string' } } };

export function webhookRoutes(store: PortfolioStore, allowHosts: AllowedHosts): FastifyPluginAsync {
  return async (app) => {
    app.post<{ Body: { url: string } }>('/webhooks', {
      config: { admin: true },
      schema: {
        summary: 'Add a webhook (admin): every event of the team is POSTed to it, signed (X-Marque-Signature: t=<unix time>,v1=<HMAC-SHA256 of "t.body">); HTTPS to a public host; the secret is shown once',
        body: { type: 'object', required: ['url'], additionalProperties: false, properties: { url: { type: 'string', maxLength: 2000 } } },
        response: { 201: { type: 'object', properties: { id: { type: 'string' }, url: { type: 'string' }, secret: { type: 'string' }, createdAt: { type: 'string' } } }, ...errors },
      },
    }, async (req, reply) => {
      let url: URL;
      try { url = checkDestination(req.body.url, allowHosts); } catch (e) { if (e instanceof DestinationRefused) throw new HttpProblem(400, e.message); throw e; }
      const w = await store.addWebhook(req.auth!.teamId, url.href);
      return reply.code(201).send({ id: w.id, url: w.url, secret: w.secret, createdAt: w.createdAt });
    });

    app.get('/webhooks', {
      config: { admin: true },
      schema: { summary: 'Webhooks of the team (admin; secrets are never shown again)', response: { 200: { type: 'array', items: { type: 'object', additionalProperties: true } }, ...errors } },
    }, async (req) => store.webhooks(req.auth!.teamId));

    app.delete<{ Params: { webhookId: string } }>('/webhooks/:webhookId', {
      config: { admin: true },
      schema: { summary: 'Delete a webhook and its delivery log (admin); nothing more is sent to it', params: webhookParams, response: { 204: { type: 'null' }, ...errors, 404: ref('Problem') } },
    }, async (req, reply) => {
      if (!(await store.deleteWebhook(req.auth!.teamId, req.params.webhookId))) throw new HttpProblem(404, `no webhook ${req.params.webhookId}`);
      return reply.code(204).send();
    });

    app.get<{ Params: { webhookId: string } }>('/webhooks/:webhookId/deliveries', {
      config: { admin: true },
      schema: { summary: 'The delivery log of a webhook (admin): attempts, last status code, next retry', params: webhookParams, response: { 200: { type: 'array', items: { type: 'object', additionalProperties: true } }, ...errors, 404: ref('Problem') } },
    }, async (req) => {
      if (!(await store.webhooks(req.auth!.teamId)).some((w) => w.id === req.params.webhookId)) throw new HttpProblem(404, `no webhook ${req.params.webhookId}`);
      return store.deliveries(req.auth!.teamId, req.params.webhookId);
    });
  };
}
