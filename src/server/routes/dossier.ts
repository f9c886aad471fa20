// A release's dossier on the server: pushed from the product folder ("marque push" sends what
// "marque report" renders), shown by the dashboard's release page, and downloadable as the same
// self-contained HTML file. Validated before it is kept, so that a stored dossier always renders.
import type { FastifyPluginAsync } from 'fastify';
import { unsafeSvg } from '../../model/dossier-schema.ts';
import type { Dossier } from '../../model/dossier.ts';
import { dossierPage, withSafePicture } from '../../report/dossier-html.ts';
import { HttpProblem } from '../problem.ts';
import { ref } from '../schemas.ts';
import type { PortfolioStore } from '../store/store.ts';

const errors = { 400: ref('Problem'), 401: ref('Problem'), 403: ref('Problem'), 404: ref('Problem') };
const params = { type: 'object', required: ['releaseId'], properties: { releaseId: { type: 'string' } } };

/** A dossier as it may be kept (one place for every route that stores one), or a 400 saying why not. */
export function dossierToKeep(d: Dossier): Dossier {
  const perimeter = d.perimeter as { svg?: unknown };
  if (typeof perimeter.svg === 'string') {
    const why = unsafeSvg(perimeter.svg);
    if (why) throw new HttpProblem(400, `${why}; it is not kept`);
  }
  // What is kept has its picture rebuilt under the SVG allow-list (a <meta refresh> or a <form> passes the check above).
  return withSafePicture(d);
}

export function dossierRoutes(store: PortfolioStore): FastifyPluginAsync {
  return async (app) => {
    app.put<{ Params: { releaseId: string }; Body: Dossier }>('/releases/:releaseId/dossier', {
      config: { write: true },
      schema: { summary: 'Keep the release dossier made from the product folder ("marque report --format json"; "marque push" sends it)', params, body: { $ref: 'Dossier#' }, response: { 204: { type: 'null' }, ...errors } },
    }, async (req, reply) => {
      const d = dossierToKeep(req.body);
      if (!(await store.putDossier(req.auth!.teamId, req.params.releaseId, d, req.auth!.name))) throw new HttpProblem(404, `no release ${req.params.releaseId}`);
      return reply.code(204).send();
    });

    app.get<{ Params: { releaseId: string } }>('/releases/:releaseId/dossier', {
      schema: { summary: 'The release dossier as pushed, with who pushed it and when', params, response: { 200: { type: 'object', additionalProperties: true }, ...errors } },
    }, async (req) => {
      if (!(await store.release(req.auth!.teamId, req.params.releaseId))) throw new HttpProblem(404, `no release ${req.params.releaseId}`);
      const d = await store.dossier(req.auth!.teamId, req.params.releaseId);
      if (!d) throw new HttpProblem(404, 'no dossier was pushed for this release ("marque push" from the product folder sends it)');
      // A dossier kept before pictures were rebuilt is rebuilt on the way out (the dashboard shows it).
      return { ...d, dossier: withSafePicture(d.dossier as Dossier) };
    });

    app.get<{ Params: { releaseId: string } }>('/releases/:releaseId/dossier.html', {
      schema: { summary: 'The release dossier as one self-contained HTML file (the file "marque report" writes)', params, response: { 200: { type: 'string' }, ...errors } },
    }, async (req, reply) => {
      const d = await store.dossier(req.auth!.teamId, req.params.releaseId);
      if (!d) throw new HttpProblem(404, `no dossier for release ${req.params.releaseId}`);
      const page = dossierPage(d.dossier as Dossier);
      const name = `${(d.dossier as Dossier).product.name}-${(d.dossier as Dossier).product.version}-dossier.html`.replace(/[^A-Za-z0-9._-]/g, '_');
      return reply.type('text/html; charset=utf-8').header('content-disposition', `attachment; filename="${name}"`).header('x-content-type-options', 'nosniff')
        .header('content-security-policy', page.csp).header('referrer-policy', 'no-referrer').send(page.html);
    });
  };
}
