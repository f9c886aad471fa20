// The JSON Schema of a dossier as the team server accepts it from "marque push": every array and
// object the views walk is required to be one, so that a stored dossier always renders. (A nullable
// array is one type list, not an anyOf: Fastify's type coercion would turn a one-item array into null.)
const str = { type: 'string' } as const;
const strOrNull = { type: ['string', 'null'] } as const;
const arr = (items: object = { type: 'object' }) => ({ type: 'array', maxItems: 100_000, items });
const missing = { type: 'object', required: ['missing'], properties: { missing: str } };
const cited = { type: 'object', required: ['text', 'cite'], properties: { text: str, cite: str } };
const finding = {
  type: 'object', required: ['component', 'advisory', 'aliases', 'severity', 'fixedIn', 'exploited', 'status'],
  properties: { component: str, advisory: str, aliases: arr(str), severity: arr(), fixedIn: arr(str), exploited: { type: 'boolean' }, status: { enum: ['affected', 'not_affected', 'fixed', 'under_investigation'] }, justification: strOrNull },
};

export const DOSSIER_SCHEMA = {
  $id: 'Dossier', type: 'object',
  required: ['generatedAt', 'generator', 'product', 'profile', 'support', 'sbom', 'findings', 'checklist', 'perimeter', 'assessments', 'inputs', 'digest'],
  properties: {
    generatedAt: { type: 'string', format: 'date-time' }, generator: str,
    product: { type: 'object', required: ['name', 'version'], properties: { name: str, version: str } },
    contact: { type: ['object', 'null'], required: ['address', 'source'], properties: { address: str, source: str } },
    profile: {
      type: 'object', required: ['scope', 'role', 'class', 'categories', 'conformityRoutes', 'obligations', 'uncertainties', 'dates'],
      properties: {
        scope: { type: 'object', required: ['reasons'], properties: { reasons: arr(cited) } }, role: str, class: str,
        categories: arr(), conformityRoutes: arr({ type: 'object', required: ['module', 'conditions', 'cite'] }), obligations: arr({ type: 'object', required: ['text', 'cite', 'appliesFrom'] }),
        uncertainties: arr(cited), dates: arr({ type: 'object', required: ['date', 'text', 'cite'] }),
      },
    },
    support: { type: 'object', required: ['periodEnd', 'placedOnMarket', 'platforms'], properties: { periodEnd: strOrNull, placedOnMarket: strOrNull, platforms: arr() } },
    sbom: { oneOf: [missing, { type: 'object', required: ['total', 'byEcosystem', 'byDepth', 'licences', 'notAnalysed', 'deepest'], properties: { byEcosystem: arr(), byDepth: arr(), licences: { type: ['array', 'null'], maxItems: 100_000, items: { type: 'object' } }, notAnalysed: arr(), deepest: arr() } }] },
    findings: { oneOf: [missing, { type: 'object', required: ['items', 'coverage'], properties: { items: arr(finding), coverage: { type: 'object', required: ['sources', 'gaps'], properties: { sources: arr(), gaps: arr() } } } }] },
    checklist: arr({ type: 'object', required: ['id', 'text', 'cite', 'status', 'evidence'], properties: { evidence: arr(str) } }),
    perimeter: { oneOf: [missing, { type: 'object', required: ['svg', 'compartments', 'perimeter', 'outside', 'properties'], properties: {
      svg: { anyOf: [str, missing] }, compartments: arr(), perimeter: arr({ type: 'object', required: ['component', 'reason'], properties: { component: str, compartment: strOrNull, reason: str, basis: { enum: ['reached', 'counted-in'] } } }), outside: arr(), properties: arr(), interfaces: arr(), dds: { type: ['object', 'null'] }, notes: arr(str),
      counts: { type: 'object', required: ['reached', 'countedIn', 'outside', 'interfaces'], properties: { reached: { type: 'integer', minimum: 0 }, countedIn: { type: 'integer', minimum: 0 }, outside: { type: 'integer', minimum: 0 }, interfaces: { type: 'integer', minimum: 0 } } },
      launch: { type: ['object', 'null'], properties: { declared: arr(str), found: arr(str) } },
    } }] },
    assessments: { oneOf: [missing, { type: 'object', required: ['covered', 'rejected', 'figures'], properties: { covered: arr(), rejected: arr() } }] },
    inputs: arr({ type: 'object', required: ['name', 'sha256'], properties: { name: str, sha256: { type: 'string', pattern: '^[0-9a-f]{64}$' } } }),
    digest: { type: 'string', pattern: '^[0-9a-f]{64}$' },
  },
} as const;

/**
 * An SVG from elsewhere is shown only if it can carry no script: no script or foreignObject element,
 * no event handler attribute, no javascript: or external reference. (The pages' CSP forbids inline
 * scripts as well; this keeps the stored data clean.)
 */
export function unsafeSvg(svg: string): string | undefined {
  if (!/^<svg[\s>]/.test(svg.trimStart())) return 'the perimeter picture is not an SVG document';
  if (/<\s*(script|foreignObject|iframe|object|embed)\b/i.test(svg)) return 'the perimeter picture contains an active element';
  if (/\son[a-z]+\s*=/i.test(svg)) return 'the perimeter picture contains an event handler';
  if (/(javascript:|(href|src)\s*=\s*["']\s*(https?:|\/\/|data:text))/i.test(svg)) return 'the perimeter picture refers to a script or an outside resource';
  return undefined;
}
