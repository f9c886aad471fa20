// Products, releases (with their SBOM), components and VEX decisions. Every handler reads the
// team from the token: another team's ids are simply not found.
import type { FastifyPluginAsync } from 'fastify';
import { ingestSbom } from '../../api/ingest.ts';
import { officialSchemaError } from '../../formats/official-schemas.ts';
import type { PortfolioStore, ReleaseChange } from '../store/store.ts';
import { HttpProblem } from '../problem.ts';
import { ref } from '../schemas.ts';
import { AdvisoryDb } from '../../advisories/store.ts';
import { releaseFindings } from '../../api/release-findings.ts';
import { coverageSentence } from '../../advisories/coverage.ts';
import { visibleText } from '../names.ts';
import { sameUpstreams, sameVex } from '../store/place-release.ts';
import { checkFacts } from './push.ts';

const idParam = (name: string) => ({ type: 'object', required: [name], properties: { [name]: { type: 'string' } } });
const errors = { 400: ref('Problem'), 401: ref('Problem'), 403: ref('Problem'), 404: ref('Problem') };
// Bounded: an offset past what either database's integers hold (1e20) was a 500.
const page = { type: 'object', properties: { limit: { type: 'integer', minimum: 1, maximum: 1000, default: 100 }, offset: { type: 'integer', minimum: 0, maximum: Number.MAX_SAFE_INTEGER, default: 0 } } };
/** Advisory ids and purls as decisions and reports name them: an unbounded id broke PostgreSQL's index on them (a 500). */
const VULNERABILITY_ID = { type: 'string', minLength: 1, maxLength: 256 } as const;
const COMPONENT_ID = { type: 'string', minLength: 1, maxLength: 4096 } as const;
/** How far ahead of the server's clock a report's sentAt may be (clocks differ a little). */
const CLOCK_SKEW_MS = 5 * 60_000;

/** onPlaced: called with a new release, so that it is matched now; onDecided: after a VEX decision, so that the stored findings follow it. */
export function portfolioRoutes(store: PortfolioStore, advisoryDb: string, onPlaced: (teamId: string, releaseId: string) => void = () => {}, onDecided: (teamId: string, releaseId: string) => Promise<void> = async () => {}): FastifyPluginAsync {
  return async (app) => {
    const team = (req: { auth?: { teamId: string } }) => req.auth!.teamId;

    app.get('/products', { schema: { summary: 'Products of the team', response: { 200: { type: 'array', items: ref('Product') }, ...errors } } },
      async (req) => store.products(team(req)));

    app.post<{ Body: { name: string } }>('/products', {
      config: { write: true },
      schema: { summary: 'Create a product (409 when the team has one by that name)', body: { type: 'object', required: ['name'], additionalProperties: false, properties: { name: { type: 'string', minLength: 1, maxLength: 200 } } }, response: { 201: ref('Product'), ...errors, 409: ref('Problem') } },
    }, async (req, reply) => reply.code(201).send(await store.createProduct(team(req), visibleText(req.body.name, 'name'))));

    app.get<{ Querystring: { limit: number; offset: number } }>('/releases', { schema: { summary: 'Releases of the team, newest first', querystring: page, response: { 200: { type: 'array', items: ref('Release') }, ...errors } } },
      async (req) => store.releases(team(req), { limit: req.query.limit, offset: req.query.offset }));

    app.post<{ Params: { productId: string }; Querystring: { version?: string; placedOnMarket?: string; supportEnd?: string }; Body: unknown }>('/products/:productId/releases', {
      config: { write: true },
      schema: {
        summary: 'Place a release on the market from its SBOM (CycloneDX or SPDX JSON in the body)',
        params: idParam('productId'),
        querystring: { type: 'object', properties: { version: { type: 'string', maxLength: 200 }, placedOnMarket: { type: 'string', format: 'date' }, supportEnd: { type: 'string', pattern: '^\\d{4}-(0[1-9]|1[0-2])$' } } },
        body: { type: 'object' },
        response: { 201: ref('Release'), ...errors, 409: ref('Problem'), 422: ref('Problem') },
      },
    }, async (req, reply) => {
      const product = await store.product(team(req), req.params.productId);
      if (!product) throw new HttpProblem(404, `no product ${req.params.productId}`);
      // Validated before anything is stored: against the official schema where Marque has that version's
      // (CycloneDX 1.6, SPDX 2.3), and against the structure its readers rely on for every version.
      const official = officialSchemaError(req.body as Record<string, unknown>);
      if (official.error) throw new HttpProblem(422, `the SBOM does not follow its official schema: ${official.error}`);
      const sbom = ingestSbom(req.body, 'upload');
      // The version is the SBOM's subject's unless the request names it; a release without one is refused.
      const named = req.query.version ?? sbom.subject?.version;
      if (!named) throw new HttpProblem(422, 'the SBOM names no version (metadata.component.version); give ?version=');
      const version = visibleText(named, req.query.version ? 'version' : 'the SBOM\'s version (metadata.component.version)');
      if ((await store.releases(team(req), { productId: product.id, limit: 1000 })).some((r) => r.version === version)) {
        throw new HttpProblem(409, `${product.name} ${version} is already on the market; a release is placed once (withdraw it, or push another version)`);
      }
      const release = await store.createRelease(team(req), { productId: product.id, version, placedOnMarket: req.query.placedOnMarket ?? null, supportEnd: req.query.supportEnd ?? null, components: sbom.components, unlisted: sbom.unlisted });
      onPlaced(team(req), release.id);
      return reply.code(201).send(release);
    });

    app.get<{ Params: { releaseId: string } }>('/releases/:releaseId', { schema: { summary: 'One release', params: idParam('releaseId'), response: { 200: ref('Release'), ...errors } } }, async (req) => {
      const r = await store.release(team(req), req.params.releaseId);
      if (!r) throw new HttpProblem(404, `no release ${req.params.releaseId}`);
      return r;
    });

    app.patch<{ Params: { releaseId: string }; Body: ReleaseChange }>('/releases/:releaseId', {
      config: { write: true },
      schema: {
        summary: 'Withdraw a release from the market, correct its dates, or record its CRA facts',
        params: idParam('releaseId'),
        body: {
          type: 'object', additionalProperties: false, minProperties: 1,
          properties: {
            status: { type: 'string', enum: ['on-market', 'withdrawn'] }, placedOnMarket: { type: ['string', 'null'], format: 'date' },
            supportEnd: { type: ['string', 'null'], pattern: '^\\d{4}-(0[1-9]|1[0-2])$' }, facts: { anyOf: [{ type: 'null' }, { $ref: 'ReleaseFacts#' }] },
          },
        },
        response: { 200: ref('Release'), ...errors },
      },
    }, async (req) => {
      checkFacts(req.body.facts);
      const before = await store.release(team(req), req.params.releaseId);
      const r = before && await store.updateRelease(team(req), req.params.releaseId, req.body);
      if (!r) throw new HttpProblem(404, `no release ${req.params.releaseId}`);
      // Facts with other upstream declarations (marque.yaml inventory.upstreams) or other VEX statements (vex:): the
      // release is matched anew, now (its vendor packages, its decided findings and their clocks).
      if (req.body.facts !== undefined && (!sameUpstreams(before.facts, r.facts) || !sameVex(before.facts, r.facts))) onPlaced(team(req), r.id);
      return r;
    });

    app.get<{ Params: { releaseId: string } }>('/releases/:releaseId/components', { schema: { summary: 'The components of a release', params: idParam('releaseId'), response: { 200: { type: 'array', items: ref('Component') }, ...errors } } }, async (req) => {
      if (!(await store.release(team(req), req.params.releaseId))) throw new HttpProblem(404, `no release ${req.params.releaseId}`);
      return store.components(team(req), req.params.releaseId);
    });

    app.get<{ Params: { releaseId: string } }>('/releases/:releaseId/decisions', { schema: { summary: 'VEX decisions of a release, oldest first (the history)', params: idParam('releaseId'), response: { 200: { type: 'array', items: ref('VexDecision') }, ...errors } } }, async (req) => {
      if (!(await store.release(team(req), req.params.releaseId))) throw new HttpProblem(404, `no release ${req.params.releaseId}`);
      return store.decisions(team(req), req.params.releaseId);
    });

    app.post<{ Params: { releaseId: string }; Body: { vulnerability: string; component: string; status: 'affected' | 'not_affected' | 'fixed' | 'under_investigation'; justification?: string; impact?: string } }>('/releases/:releaseId/decisions', {
      config: { write: true },
      schema: {
        summary: 'Record a VEX decision on a finding (appended; earlier ones stay as history)',
        params: idParam('releaseId'),
        body: {
          type: 'object', required: ['vulnerability', 'component', 'status'], additionalProperties: false,
          properties: {
            vulnerability: VULNERABILITY_ID, component: COMPONENT_ID,
            status: { type: 'string', enum: ['affected', 'not_affected', 'fixed', 'under_investigation'] },
            justification: { type: 'string', enum: ['component_not_present', 'vulnerable_code_not_present', 'vulnerable_code_not_in_execute_path', 'vulnerable_code_cannot_be_controlled_by_adversary', 'inline_mitigations_already_exist'] },
            impact: { type: 'string', maxLength: 10_000 },
          },
        },
        response: { 201: ref('VexDecision'), ...errors },
      },
    }, async (req, reply) => {
      const b = req.body;
      if (b.status === 'not_affected' && !b.justification && !b.impact) throw new HttpProblem(400, 'a not_affected decision needs a justification or an impact statement');
      const d = await store.decide(team(req), { releaseId: req.params.releaseId, vulnerability: b.vulnerability, component: b.component, status: b.status, justification: b.justification ?? null, impact: b.impact ?? null, decidedBy: req.auth!.name });
      if (!d) throw new HttpProblem(404, `no release ${req.params.releaseId}`);
      // The stored findings follow the decision now, not at the release's next match (which may never come): the
      // portfolio's open counts, the deadline notices, and the moment of awareness of an exploited finding decided
      // affected again after not_affected. The decision is kept whatever happens here.
      await onDecided(team(req), req.params.releaseId).catch((e: Error) => req.log.error({ err: e, release: req.params.releaseId }, 'the release could not be matched after the decision; its next match applies it'));
      return reply.code(201).send(d);
    });

    app.get<{ Params: { releaseId: string } }>('/releases/:releaseId/findings', {
      schema: {
        summary: 'Known vulnerabilities of a release now: matched against the server\'s advisory database, the latest VEX decision recorded on the server applied, else the marque.yaml vex: statement pushed with the release (statusSource says which), Art. 14(2) clock from the recorded awareness, stages already reported not overdue',
        params: idParam('releaseId'),
        response: { 200: { type: 'object', required: ['findings', 'coverage'], properties: { findings: { type: 'array', items: { type: 'object', additionalProperties: true } }, coverage: { type: 'object', additionalProperties: true }, statement: { type: 'string' } } }, ...errors, 503: ref('Problem') },
      },
    }, async (req) => {
      const release = await store.release(team(req), req.params.releaseId);
      if (!release) throw new HttpProblem(404, `no release ${req.params.releaseId}`);
      // Opened per request: "marque db update" replaces the file atomically, and the next request sees it.
      const db = AdvisoryDb.openForRead(advisoryDb);
      // The file's place on the server is not the client's business (the operator's log and /readyz say it).
      if (!db) throw new HttpProblem(503, 'the server has no advisory database yet; run "marque db update" (or "db import") on the server');
      try {
        const product = await store.product(team(req), release.productId);
        const now = new Date();
        // Read only: a page view never records a moment of awareness (the server's match does).
        const aware = await store.awarenessOf(team(req), release.id);
        // The reports sent for any release of the product count, and the server's record of the product begins with its first release.
        const record = await store.productRecord(team(req), release.id);
        const { findings, coverage } = await releaseFindings({
          components: await store.components(team(req), release.id), db, product: { name: product!.name, version: release.version },
          decisions: await store.decisions(team(req), release.id), reports: record?.reports ?? [], releaseId: release.id, recordSince: record?.since,
          awareAt: (component, vulnerability) => aware.get(`${component}\0${vulnerability}`), now, upstreams: release.facts?.upstreams, statements: release.facts?.vex, unlisted: release.unlisted,
        });
        return { findings, coverage, statement: coverageSentence(coverage) };
      } finally {
        db.close();
      }
    });

    app.get<{ Params: { releaseId: string } }>('/releases/:releaseId/reports', { schema: { summary: 'Art. 14(2) reports sent for a release', params: idParam('releaseId'), response: { 200: { type: 'array', items: { type: 'object', additionalProperties: true } }, ...errors } } }, async (req) => {
      if (!(await store.release(team(req), req.params.releaseId))) throw new HttpProblem(404, `no release ${req.params.releaseId}`);
      return store.reports(team(req), req.params.releaseId);
    });

    app.post<{ Params: { releaseId: string }; Body: { vulnerability: string; stage: 'early-warning' | 'notification' | 'final-report'; sentAt?: string } }>('/releases/:releaseId/reports', {
      config: { write: true },
      schema: {
        summary: 'Record that an Art. 14(2) report stage was sent (once per stage; the first record stays)',
        params: idParam('releaseId'),
        body: { type: 'object', required: ['vulnerability', 'stage'], additionalProperties: false, properties: { vulnerability: VULNERABILITY_ID, stage: { type: 'string', enum: ['early-warning', 'notification', 'final-report'] }, sentAt: { type: 'string', format: 'date-time' } } },
        response: { 201: { type: 'object', additionalProperties: true }, ...errors },
      },
    }, async (req, reply) => {
      const at = req.body.sentAt ? new Date(req.body.sentAt) : undefined;
      // A report is recorded once and then counts as sent: one "sent" in 2999 would silence its clock for good.
      if (at && at.getTime() > Date.now() + CLOCK_SKEW_MS) throw new HttpProblem(400, `sentAt ${req.body.sentAt} is in the future; record a report once it is sent`);
      const sent = await store.recordReport(team(req), { releaseId: req.params.releaseId, vulnerability: req.body.vulnerability, stage: req.body.stage, sentBy: req.auth!.name, at });
      if (!sent) throw new HttpProblem(404, `no release ${req.params.releaseId}`);
      return reply.code(201).send(sent);
    });
  };
}
