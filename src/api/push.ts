// A release sent to a team server in one request: the product (found or made by name), the SBOM,
// what marque.yaml states (support end, placed on the market, CRA facts) and the dossier. HTTPS, or
// plain HTTP on loopback only, as for advisory downloads.
import { checkUrl } from '../advisories/download.ts';
import type { PushedVexStatement, Release, ReleaseFacts, ReleaseUnlisted } from '../model/portfolio.ts';
import type { NotAnalysed, Unresolved } from '../model/inventory.ts';
import type { Manifest } from '../manifest/manifest.ts';
import type { Dossier } from '../model/dossier.ts';
import { classify } from '../cra/classify.ts';
import type { Coverage, Finding } from '../model/advisory.ts';
import { manifestStatements } from '../vex/statements.ts';

export interface ServerRequest { server: string; token: string; fetchImpl?: typeof fetch }
export interface PushRequest extends ServerRequest { product: string; version?: string; sbom: unknown; supportEnd?: string; placedOnMarket?: string; facts?: ReleaseFacts; unlisted?: ReleaseUnlisted; dossier?: Dossier }

export async function call<T>(req: ServerRequest, method: string, path: string, body?: unknown): Promise<T> {
  const base = checkUrl(req.server).href.replace(/\/+$/, '');
  const res = await (req.fetchImpl ?? fetch)(`${base}/api/v1${path}`, {
    method, headers: { authorization: `Bearer ${req.token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body), redirect: 'error',
  });
  const text = await res.text();
  if (!res.ok) {
    let detail = text.slice(0, 300);
    try { detail = (JSON.parse(text) as { detail?: string }).detail ?? detail; } catch { /* not problem+json */ }
    throw new Error(`${method} ${path}: HTTP ${res.status}: ${detail}`);
  }
  return (text ? JSON.parse(text) : undefined) as T;
}

export type PushOutcome = 'created' | 'unchanged' | 'completed' | 'dossier';

/**
 * One request, stored by the server in one transaction: a push interrupted at any point (client or
 * server killed) leaves the release whole or absent, and pushing again finishes the job.
 */
export async function pushRelease(req: PushRequest): Promise<{ release: Release; outcome: PushOutcome }> {
  try {
    return await call(req, 'POST', '/releases', {
      product: req.product, ...(req.version ? { version: req.version } : {}), ...(req.supportEnd ? { supportEnd: req.supportEnd } : {}),
      ...(req.placedOnMarket ? { placedOnMarket: req.placedOnMarket } : {}), ...(req.facts ? { facts: req.facts } : {}), ...(req.unlisted ? { unlisted: req.unlisted } : {}), sbom: req.sbom, ...(req.dossier ? { dossier: req.dossier } : {}),
    });
  } catch (e) {
    // The same for what the inventory names without listing it: without it the server's coverage would read as complete.
    if (req.unlisted && /HTTP 400: body must NOT have additional properties/.test((e as Error).message)) {
      throw new Error(`${(e as Error).message}: the server is older than this client and does not take what the inventory names without listing it (unresolved dependencies, lockfiles not read), without which its coverage would read as complete where "marque vulns" says it is not; upgrade the server`, { cause: e });
    }
    // A server older than this client refuses the field it does not know; dropping the declarations (or the VEX
    // statements) would have it match the vendor packages, or decide the findings, otherwise than "marque vulns"
    // does, without a word.
    if ((req.facts?.upstreams || req.facts?.vex) && /HTTP 400: body\/facts must NOT have additional properties/.test((e as Error).message)) {
      const what = [req.facts.upstreams ? 'inventory.upstreams' : '', req.facts.vex ? 'vex: statements' : ''].filter(Boolean).join(' and ');
      throw new Error(`${(e as Error).message}: the server is older than this client and does not take marque.yaml's ${what}; upgrade the server`, { cause: e });
    }
    throw e;
  }
}

/**
 * What the server keeps of marque.yaml for a release: the classification's class and routes, who and where, what
 * vendor packages build, and the VEX statements (checked as "marque vulns" checks them: a not_affected without a
 * justification or impact is refused here, not on the server).
 */
export function releaseFacts(m: Manifest, today = new Date()): ReleaseFacts {
  const p = classify(m, today);
  // Placeholders ("TODO: …") were removed when marque.yaml was read: what is left was given.
  const given = (v: string | undefined) => v ?? null;
  return {
    class: p.role === 'out-of-scope' ? null : p.class, categories: p.categories.map((c) => `Annex ${c.annex} ${c.point}: ${c.title}`),
    conformityRoutes: p.conformityRoutes.map((r) => r.module), manufacturer: given(m.product.manufacturer?.name),
    contact: given(m.security?.contact) ?? given(m.product.manufacturer?.email), mainEstablishment: given(m.market?.mainEstablishment),
    memberStates: m.market?.memberStates ?? [],
    // What vendor packages build, as declared: the server matches them as "marque vulns" does (absent when none,
    // so that a release without them is the same content it was for older clients and servers).
    ...(m.inventory?.upstreams?.length ? { upstreams: m.inventory.upstreams.map((u) => ({ component: u.component, upstream: u.upstream })) } : {}),
    // The decisions marque.yaml records (vex:), applied by the server as "marque vulns" applies them; absent when
    // none, for the same reason.
    ...(m.vex?.length ? { vex: pushedStatements(m) } : {}),
  };
}

/**
 * What the inventory names but does not list as a component (coverage's `unlisted`: unresolved dependencies, lockfiles
 * not read), as the server takes it with the release: every unresolved dependency with its kind and the component
 * that declared it, so that the server counts those that would ship by the rule "marque vulns" counts them with.
 * Undefined when there is none, so that such a release is the same request it was for older servers.
 */
export function releaseUnlisted(inv: { unresolved: readonly Unresolved[]; notAnalysed?: readonly NotAnalysed[] }): ReleaseUnlisted | undefined {
  const notAnalysed = inv.notAnalysed ?? [];
  if (!inv.unresolved.length && !notAnalysed.length) return undefined;
  return {
    unresolved: inv.unresolved.map((u) => ({ key: u.key, file: u.file, ...(u.line ? { line: u.line } : {}), ...(u.kind ? { kind: u.kind } : {}), ...(u.from ? { from: u.from } : {}) })),
    notAnalysed: notAnalysed.map((f) => ({ file: f.file, format: f.format })),
  };
}

/** marque.yaml's vex: statements as the server takes them: checked, in their order, without the local file's name. */
function pushedStatements(m: Manifest): PushedVexStatement[] {
  return manifestStatements(m).map((s) => ({
    vulnerability: s.vulnerability, ...(s.products?.length ? { products: [...s.products] } : {}), status: s.status,
    ...(s.justification !== undefined ? { justification: s.justification } : {}), ...(s.impact !== undefined ? { impact: s.impact } : {}),
    ...(s.exploited !== undefined ? { exploited: s.exploited } : {}), ...(s.evidence !== undefined ? { evidence: s.evidence } : {}),
    ...(s.measureAvailableAt !== undefined ? { measureAvailableAt: s.measureAvailableAt } : {}),
  }));
}

/** The findings the server holds for one release (product name and version), with their clocks and reports. */
export async function serverFindings(req: ServerRequest & { product: string; version: string }): Promise<{ findings: Finding[]; coverage: Coverage }> {
  const product = (await call<{ id: string; name: string }[]>(req, 'GET', '/products')).find((p) => p.name === req.product);
  if (!product) throw new Error(`the server has no product ${req.product}; "marque push" places one`);
  for (let offset = 0; ; offset += 1000) {
    const page = await call<Release[]>(req, 'GET', `/releases?limit=1000&offset=${offset}`);
    const release = page.find((r) => r.productId === product.id && r.version === req.version);
    if (release) return call(req, 'GET', `/releases/${encodeURIComponent(release.id)}/findings`);
    if (page.length < 1000) throw new Error(`the server has no release ${req.product} ${req.version}; "marque push" places it`);
  }
}
