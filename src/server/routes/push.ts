// "marque push" in one request: the release's SBOM, dates, CRA facts and dossier, stored in one
// transaction (src/server/store/place-release.ts), so a client or server killed at any moment leaves
// the release whole or absent. 201 for a new release; 200 with the existing one when the same content
// was pushed before (or when this push completed what an older client left unfinished); 409 when the
// version is on the market with other content.
import type { FastifyPluginAsync } from 'fastify';
import { ingestSbom } from '../../api/ingest.ts';
import { officialSchemaError } from '../../formats/official-schemas.ts';
import type { Dossier } from '../../model/dossier.ts';
import type { ReleaseFacts, ReleaseUnlisted } from '../../model/portfolio.ts';
import { HttpProblem } from '../problem.ts';
import { ref } from '../schemas.ts';
import type { PortfolioStore } from '../store/store.ts';
import { dossierToKeep } from './dossier.ts';
import { visibleText } from '../names.ts';
import { pushedStatements } from '../../api/release-findings.ts';
import { InputError } from '../../util/errors.ts';

/**
 * The facts' VEX statements (marque.yaml vex:) checked as "marque vulns" checks them: a not_affected statement without
 * a justification or an impact statement decides nothing, and is refused (400) rather than kept.
 */
export function checkFacts(facts: ReleaseFacts | null | undefined): void {
  try {
    pushedStatements(facts?.vex);
  } catch (e) {
    if (e instanceof InputError) throw new HttpProblem(400, `body/facts/vex: ${e.message}`);
    throw e;
  }
}

export interface PushBody { product: string; version?: string; placedOnMarket?: string; supportEnd?: string; facts?: ReleaseFacts; unlisted?: ReleaseUnlisted; sbom: Record<string, unknown>; dossier?: Dossier }

const errors = { 400: ref('Problem'), 401: ref('Problem'), 403: ref('Problem'), 409: ref('Problem'), 422: ref('Problem') };
const answer = { type: 'object', required: ['release', 'outcome'], properties: { release: ref('Release'), outcome: { type: 'string', enum: ['created', 'unchanged', 'completed', 'dossier'] } } };

/** onPlaced: called with a release that is new or changed, so that it is matched now. */
export function pushRoutes(store: PortfolioStore, onPlaced: (teamId: string, releaseId: string) => void = () => {}): FastifyPluginAsync {
  return async (app) => {
    app.post<{ Body: PushBody }>('/releases', {
      config: { write: true },
      schema: {
        summary: 'Place a release in one request: product (by name, made when new), SBOM (CycloneDX or SPDX JSON), what its inventory names without listing it (unlisted: else the SBOM\'s marque:notAnalysed marks), dates, CRA facts and dossier, stored together or not at all. 201 new; 200 the same content again (the existing release), or a release an older client left without its facts or dossier now completed; 409 the version is on the market with other content',
        body: {
          type: 'object', required: ['product', 'sbom'], additionalProperties: false,
          properties: {
            product: { type: 'string', minLength: 1, maxLength: 200 }, version: { type: 'string', minLength: 1, maxLength: 200 },
            placedOnMarket: { type: 'string', format: 'date' }, supportEnd: { type: 'string', pattern: '^\\d{4}-(0[1-9]|1[0-2])$' },
            facts: ref('ReleaseFacts'), unlisted: ref('ReleaseUnlisted'), sbom: { type: 'object' }, dossier: ref('Dossier'),
          },
        },
        response: { 200: answer, 201: answer, ...errors },
      },
    }, async (req, reply) => {
      const b = req.body;
      // Everything is checked before anything is stored.
      checkFacts(b.facts);
      const official = officialSchemaError(b.sbom);
      if (official.error) throw new HttpProblem(422, `the SBOM does not follow its official schema: ${official.error}`);
      const sbom = ingestSbom(b.sbom, 'sbom');
      const named = b.version ?? sbom.subject?.version;
      if (!named) throw new HttpProblem(422, 'neither the request nor the SBOM (metadata.component.version) names a version');
      const version = visibleText(named, b.version ? 'version' : 'the SBOM\'s version (metadata.component.version)');
      const product = visibleText(b.product, 'product');
      const dossier = b.dossier ? dossierToKeep(b.dossier) : undefined;
      const placed = await store.placeRelease(req.auth!.teamId, {
        product, version, placedOnMarket: b.placedOnMarket ?? null, supportEnd: b.supportEnd ?? null, facts: b.facts ?? null,
        // What the inventory names without listing it: as pushed beside the SBOM, or else the SBOM's own marks.
        unlisted: b.unlisted ?? sbom.unlisted ?? null,
        components: sbom.components, dossier: dossier ? { dossier, digest: dossier.digest } : null,
      }, req.auth!.name);
      req.log.info({ release: placed.release.id, outcome: placed.outcome, components: placed.release.componentCount }, 'release pushed');
      if (placed.outcome === 'created' || placed.outcome === 'completed') onPlaced(req.auth!.teamId, placed.release.id);
      return reply.code(placed.outcome === 'created' ? 201 : 200).send({ release: { ...placed.release }, outcome: placed.outcome });
    });
  };
}
