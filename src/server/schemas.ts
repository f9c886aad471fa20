// JSON Schemas of what the API sends and accepts; the routes use them for validation and the
// OpenAPI document is generated from them.
import { DOSSIER_SCHEMA } from '../model/dossier-schema.ts';
export const problem = {
  $id: 'Problem', type: 'object', description: 'RFC 9457 problem details',
  properties: {
    type: { type: 'string' }, title: { type: 'string' }, status: { type: 'integer' }, detail: { type: 'string' },
    // A per-team limit's refusal (403 a count, 429 a rate or open streams) names it, its value and how the operator raises it.
    limit: { type: 'string', description: 'the per-team limit that refused the request' }, max: { type: 'integer', description: 'its value on this server' },
    raise: { type: 'string', description: 'how the server\'s operator raises it' },
  },
  required: ['title', 'status'],
} as const;

export const product = {
  $id: 'Product', type: 'object', required: ['id', 'name', 'createdAt'],
  properties: { id: { type: 'string' }, name: { type: 'string' }, createdAt: { type: 'string' } },
} as const;

export const release = {
  $id: 'Release', type: 'object', required: ['id', 'productId', 'version', 'status', 'componentCount', 'createdAt'],
  properties: {
    id: { type: 'string' }, productId: { type: 'string' }, version: { type: 'string' },
    placedOnMarket: { type: ['string', 'null'] }, supportEnd: { type: ['string', 'null'] },
    status: { type: 'string', enum: ['on-market', 'withdrawn'] }, componentCount: { type: 'integer' }, createdAt: { type: 'string' },
    facts: { anyOf: [{ type: 'null' }, { $ref: 'ReleaseFacts#' }] },
    unlisted: { $ref: 'ReleaseUnlisted#' },
  },
} as const;

/**
 * What a release's inventory names without listing it as a component, as "marque push" sends it beside the SBOM
 * (absent when none) and a release keeps it (absent when none, and on releases placed before servers kept it).
 */
export const releaseUnlisted = {
  $id: 'ReleaseUnlisted', type: 'object', additionalProperties: false, required: ['unresolved', 'notAnalysed'],
  description: 'What the inventory names but does not list, so that no advisory was matched to it: coverage.unlisted counts it, and coverage is then not complete, as "marque vulns" says',
  properties: {
    unresolved: {
      type: 'array', maxItems: 100_000,
      description: 'Dependencies with no version Marque could resolve (requests==2.32.*, a ROS key of no package): those that would ship count (not of build, buildtool, test, doc or dev kind, not declared by a component that does not ship)',
      items: {
        type: 'object', additionalProperties: false, required: ['key', 'file'],
        properties: {
          key: { type: 'string', minLength: 1, maxLength: 4096 }, file: { type: 'string', maxLength: 4096 }, line: { type: 'integer', minimum: 1 },
          kind: { type: 'string', maxLength: 40 }, from: { type: 'string', maxLength: 4096 },
        },
      },
    },
    notAnalysed: {
      type: 'array', maxItems: 10_000, description: 'Lockfiles Marque found but cannot read: what they lock is not in the SBOM',
      items: { type: 'object', additionalProperties: false, required: ['file', 'format'], properties: { file: { type: 'string', maxLength: 4096 }, format: { type: 'string', maxLength: 200 } } },
    },
  },
} as const;

/** A release's CRA facts, as "marque push" sends them from marque.yaml and the classification. */
export const releaseFacts = {
  $id: 'ReleaseFacts', type: 'object', additionalProperties: false,
  required: ['class', 'categories', 'conformityRoutes', 'manufacturer', 'contact', 'mainEstablishment', 'memberStates'],
  properties: {
    class: { type: ['string', 'null'], maxLength: 100 }, categories: { type: 'array', maxItems: 50, items: { type: 'string', maxLength: 300 } },
    conformityRoutes: { type: 'array', maxItems: 20, items: { type: 'string', maxLength: 300 } },
    manufacturer: { type: ['string', 'null'], maxLength: 500 }, contact: { type: ['string', 'null'], maxLength: 500 },
    mainEstablishment: { type: ['string', 'null'], maxLength: 10 }, memberStates: { type: 'array', maxItems: 40, items: { type: 'string', maxLength: 10 } },
    // Optional: a client before it sends none, and its releases are matched as they were.
    upstreams: {
      type: 'array', maxItems: 1000, description: 'marque.yaml inventory.upstreams: the upstream (a purl with its version) each vendor package builds, matched as "marque vulns" matches it',
      items: { type: 'object', additionalProperties: false, required: ['component', 'upstream'], properties: { component: { type: 'string', minLength: 1, maxLength: 4096 }, upstream: { type: 'string', minLength: 1, maxLength: 4096 } } },
    },
    // Optional too: releases an older client pushed have none, and their findings are decided on the server alone.
    vex: {
      type: 'array', maxItems: 10_000,
      description: 'marque.yaml vex: the VEX statements as written there, in their order, applied as "marque vulns" applies them (by any id or alias of a finding; a purl without version covers every version, no products every component), after the decisions recorded on the server for the release. A not_affected statement needs a justification or an impact statement',
      items: {
        type: 'object', additionalProperties: false, required: ['vulnerability', 'status'],
        properties: {
          vulnerability: { type: 'string', minLength: 1, maxLength: 256 },
          products: { type: 'array', maxItems: 1000, items: { type: 'string', pattern: '^pkg:', maxLength: 4096 } },
          status: { type: 'string', enum: ['affected', 'not_affected', 'fixed', 'under_investigation'] },
          justification: { type: 'string', maxLength: 100 }, impact: { type: 'string', maxLength: 10_000 },
          exploited: { type: 'boolean' }, evidence: { type: 'string', maxLength: 10_000 },
          measureAvailableAt: { type: 'string', format: 'date-time', description: 'when a corrective or mitigating measure became available: the final report is due 14 days after (Art. 14(2)(c))' },
        },
      },
    },
  },
} as const;

export const component = {
  $id: 'Component', type: 'object', required: ['purl', 'name', 'version', 'ecosystem'],
  properties: { purl: { type: 'string' }, name: { type: 'string' }, version: { type: 'string' }, ecosystem: { type: 'string' }, depth: { type: ['integer', 'null'] }, scope: { type: ['string', 'null'] }, firstParty: { type: 'boolean' }, subject: { type: 'boolean' }, vcsUrl: { type: 'string' }, properties: { type: 'object', additionalProperties: { type: 'string' } } },
} as const;

export const decision = {
  $id: 'VexDecision', type: 'object', required: ['id', 'vulnerability', 'component', 'status', 'decidedBy', 'decidedAt'],
  properties: {
    id: { type: 'string' }, releaseId: { type: 'string' }, vulnerability: { type: 'string' }, component: { type: 'string' },
    status: { type: 'string', enum: ['affected', 'not_affected', 'fixed', 'under_investigation'] },
    justification: { type: ['string', 'null'] }, impact: { type: ['string', 'null'] }, decidedBy: { type: 'string' }, decidedAt: { type: 'string' },
  },
} as const;

export const SCHEMAS = [problem, product, releaseFacts, releaseUnlisted, release, component, decision, DOSSIER_SCHEMA];
export const ref = (id: string) => ({ $ref: `${id}#` });
