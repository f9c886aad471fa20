// A team's API tokens over the API (admin): make one (shown once), list them with their last use,
// expiry and revocation, revoke one — refused by the very next request, as "marque token" does.
import type { FastifyPluginAsync } from 'fastify';
import type { Role } from '../../model/portfolio.ts';
import { HttpProblem } from '../problem.ts';
import { ref } from '../schemas.ts';
import type { PortfolioStore } from '../store/store.ts';

const errors = { 400: ref('Problem'), 401: ref('Problem'), 403: ref('Problem') };
const tokenOut = {
  type: 'object', required: ['id', 'role', 'name', 'createdAt'],
  properties: { id: { type: 'string' }, role: { type: 'string' }, name: { type: 'string' }, createdAt: { type: 'string' }, expiresAt: { type: ['string', 'null'] }, lastUsedAt: { type: ['string', 'null'] }, revokedAt: { type: ['string', 'null'] } },
};

export function tokenRoutes(store: PortfolioStore): FastifyPluginAsync {
  return async (app) => {
    app.get('/tokens', {
      config: { admin: true },
      schema: { summary: 'The team\'s API tokens (admin): role, name, when made, expiry, last use (to the minute), revocation; never the secrets', response: { 200: { type: 'array', items: tokenOut }, ...errors } },
    }, async (req) => (await store.tokens(req.auth!.teamId)).map(({ teamId: _t, ...t }) => t));

    app.post<{ Body: { role: Role; name: string; expiresAt?: string } }>('/tokens', {
      config: { admin: true },
      schema: {
        summary: 'Make an API token for the team (admin); the token is in the answer only',
        body: { type: 'object', required: ['role', 'name'], additionalProperties: false, properties: { role: { type: 'string', enum: ['viewer', 'editor', 'admin'] }, name: { type: 'string', minLength: 1, maxLength: 200 }, expiresAt: { type: 'string', format: 'date-time' } } },
        response: { 201: { type: 'object', properties: { id: { type: 'string' }, token: { type: 'string' }, role: { type: 'string' }, name: { type: 'string' }, expiresAt: { type: ['string', 'null'] } } }, ...errors },
      },
    }, async (req, reply) => {
      const expires = req.body.expiresAt ? new Date(req.body.expiresAt) : null;
      if (expires && expires.getTime() <= Date.now()) throw new HttpProblem(400, 'expiresAt is in the past');
      const { id, token } = await store.createToken(req.auth!.teamId, req.body.role, req.body.name, expires);
      return reply.code(201).send({ id, token, role: req.body.role, name: req.body.name, expiresAt: expires?.toISOString() ?? null });
    });

    app.delete<{ Params: { tokenId: string } }>('/tokens/:tokenId', {
      config: { admin: true },
      schema: { summary: 'Revoke a token of the team (admin): the next request with it gets 401', params: { type: 'object', required: ['tokenId'], properties: { tokenId: { type: 'string' } } }, response: { 204: { type: 'null' }, ...errors, 404: ref('Problem') } },
    }, async (req, reply) => {
      if (!(await store.revokeToken(req.params.tokenId, req.auth!.teamId))) throw new HttpProblem(404, `no valid token ${req.params.tokenId} in this team`);
      return reply.code(204).send();
    });
  };
}
