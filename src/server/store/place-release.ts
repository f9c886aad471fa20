// One push, one transaction: the product (found or made by name), the release with its components,
// dates and CRA facts, and its dossier land together or not at all. The same content pushed again is
// recognised by its digest and answered with the existing release; a release an older client left
// without its facts or dossier (it sent them in separate requests), or without the marque.yaml
// declarations it did not send yet (inventory.upstreams, vex:), is completed by a push of the same
// components; other content for a version already on the market is a conflict.
import { createHash, randomUUID } from 'node:crypto';
import type { Release, ReleaseComponent, ReleaseFacts, ReleaseUnlisted } from '../../model/portfolio.ts';
import { checkCount, Conflict, isUniqueViolation } from './errors.ts';
import type { StoreCaps } from './store.ts';
import { asRelease, indexUpstreams, insertRelease, now } from './rows.ts';
import { withRepository } from '../../model/portfolio.ts';
import type { Row, Sql } from './sql.ts';

export interface ReleasePush {
  product: string;
  version: string;
  placedOnMarket?: string | null;
  supportEnd?: string | null;
  facts?: ReleaseFacts | null;
  components: ReleaseComponent[];
  /** What the inventory names without listing it (pushed beside the SBOM, or the SBOM's own marks). */
  unlisted?: ReleaseUnlisted | null;
  /** The dossier and its inputs digest (a newer dossier of the same release replaces the kept one). */
  dossier?: { dossier: unknown; digest: string } | null;
}

/** created: new; unchanged: the same content was there; completed: an incomplete release got what it lacked; dossier: its dossier was replaced by a newer one. */
export type PushOutcome = 'created' | 'unchanged' | 'completed' | 'dossier';

/** JSON with object keys sorted, so that equal content has one spelling. */
function canonical(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonical).join(',')}]`;
  if (v && typeof v === 'object') return `{${Object.keys(v).sort().map((k) => `${JSON.stringify(k)}:${canonical((v as Record<string, unknown>)[k])}`).join(',')}}`;
  return JSON.stringify(v ?? null);
}

const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');

function componentsDigest(components: readonly ReleaseComponent[]): string {
  const rows = components.map((c) => [c.purl, c.name, c.version, c.ecosystem, c.depth ?? null, c.scope ?? null]).sort((a, b) => (String(a[0]) < String(b[0]) ? -1 : 1));
  // Rows of strings, numbers and nulls: JSON.stringify spells them as canonical() does, at a fraction of the cost.
  return sha256(JSON.stringify(rows));
}

/**
 * What identifies a release's content: its components, its dates and its facts (not the dossier, which is
 * regenerated). Facts without upstream declarations or VEX statements digest as they did before those were sent, so
 * a release an older client placed is the same content when a newer one pushes it without any.
 */
export function contentDigest(p: Pick<ReleasePush, 'components' | 'placedOnMarket' | 'supportEnd' | 'facts' | 'unlisted'>): string {
  const unlisted = unlistedToKeep(p.unlisted);
  return sha256(canonical({ components: componentsDigest(p.components), placedOnMarket: p.placedOnMarket ?? null, supportEnd: p.supportEnd ?? null, facts: factsToKeep(p.facts), ...(unlisted ? { unlisted } : {}) }));
}

/**
 * What the inventory names without listing it, as kept: undefined when it names nothing (the digest is then the
 * one servers before it computed). It is part of the release's content, not a declaration: the same components with
 * another set are another product (a requirement added with no version, a lockfile that cannot be read).
 */
export function unlistedToKeep(u: ReleaseUnlisted | null | undefined): ReleaseUnlisted | undefined {
  // In a stable order: an SBOM groups them by the component that declared each, a push keeps the inventory's order.
  const sorted = <T,>(xs: readonly T[]) => xs.map((x) => [canonical(x), x] as const).sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0)).map(([, x]) => x);
  return u && (u.unresolved.length || u.notAnalysed.length) ? { unresolved: sorted(u.unresolved), notAnalysed: sorted(u.notAnalysed) } : undefined;
}

const sameUnlisted = (a: ReleaseUnlisted | null | undefined, b: ReleaseUnlisted | null | undefined): boolean => canonical(unlistedToKeep(a) ?? null) === canonical(unlistedToKeep(b) ?? null);

/**
 * What marque.yaml declares that clients before a given version did not send with the facts, and how a 409 names
 * it: a release placed without them is completed by the same content with them; once kept, other ones are a conflict.
 */
const DECLARATIONS = [
  { key: 'upstreams', what: 'upstream declarations (marque.yaml inventory.upstreams', verb: 'declares' },
  { key: 'vex', what: 'VEX statements (marque.yaml vex', verb: 'states' },
] as const;
type Declaration = (typeof DECLARATIONS)[number]['key'];

/** Facts as kept: an empty list of upstream declarations or VEX statements is none (the key absent, as older clients send them). */
export function factsToKeep(f: ReleaseFacts | null | undefined): ReleaseFacts | null {
  if (!f) return null;
  const out: ReleaseFacts = { ...f };
  for (const { key } of DECLARATIONS) if (!out[key]?.length) delete out[key];
  return out;
}

/** The facts without the declarations named (those the kept facts lack). */
function without(f: ReleaseFacts | null, keys: readonly Declaration[]): ReleaseFacts | null {
  if (!f) return null;
  const out: ReleaseFacts = { ...f };
  for (const key of keys) delete out[key];
  return out;
}

/** Whether two facts declare the same upstreams (in the same order: the matcher takes the first that applies). */
export const sameUpstreams = (a: ReleaseFacts | null | undefined, b: ReleaseFacts | null | undefined): boolean => canonical(a?.upstreams ?? []) === canonical(b?.upstreams ?? []);
/** Whether two facts carry the same VEX statements (in the same order: the first that applies is in force). */
export const sameVex = (a: ReleaseFacts | null | undefined, b: ReleaseFacts | null | undefined): boolean => canonical(a?.vex ?? []) === canonical(b?.vex ?? []);

export async function placeRelease(sql: Sql, teamId: string, push: ReleasePush, by: string, caps?: StoreCaps): Promise<{ release: Release; outcome: PushOutcome }> {
  // Two pushes of one version at once: the second insert meets the unique key, and its retry finds the first.
  for (let attempt = 0; ; attempt++) {
    try {
      return await sql.transaction((tx) => placeIn(tx, teamId, push, by, caps));
    } catch (e) {
      if (attempt === 0 && isUniqueViolation(e)) continue;
      throw e;
    }
  }
}

async function placeIn(tx: Sql, teamId: string, given: ReleasePush, by: string, caps?: StoreCaps): Promise<{ release: Release; outcome: PushOutcome }> {
  const push = { ...given, facts: factsToKeep(given.facts), unlisted: unlistedToKeep(given.unlisted) };
  const at = now();
  // A new product counts against the team's limit; one the team has already does not.
  const productOf = async () => (await tx.all('select id from product where team_id = ? and name = ?', [teamId, push.product]))[0];
  if (caps?.products !== undefined && !(await productOf())) await productCap(tx, teamId, caps);
  await tx.run('insert into product (id, team_id, name, created_at) values (?, ?, ?, ?) on conflict (team_id, name) do nothing', [randomUUID(), teamId, push.product, at]);
  const product = await productOf();
  const productId = String(product!['id']);
  const digest = contentDigest(push);
  const [existing] = await tx.all('select * from release where product_id = ? and version = ?', [productId, push.version]);
  if (!existing) {
    // A new version counts against the product's limit (the same content pushed again, or completed, does not).
    await releaseCap(tx, productId, caps);
    const release: Release = {
      id: randomUUID(), productId, version: push.version, placedOnMarket: push.placedOnMarket ?? null, supportEnd: push.supportEnd ?? null,
      status: 'on-market', componentCount: push.components.length, createdAt: at, facts: push.facts ?? null, ...(push.unlisted ? { unlisted: push.unlisted } : {}),
    };
    await insertRelease(tx, release, push.components, digest);
    if (push.dossier) await keepDossier(tx, release.id, push.dossier.dossier, by, at);
    return { release, outcome: 'created' };
  }
  const release = asRelease(existing);
  let outcome: PushOutcome = 'unchanged';
  if (existing['content_digest'] !== digest) {
    const why = await incompleteButSame(tx, existing, push);
    if (why) throw new Conflict(`${push.product} ${push.version} is already on the market with other ${why}; a release is placed once (withdraw it, or push another version)`);
    // Placed by an older client (one that died between its requests, or one that sent no upstream declarations or
    // VEX statements): what it lacks is added now.
    await tx.run('update release set placed_on_market = ?, support_end = ?, facts = ?, content_digest = ?, unlisted = ? where id = ?',
      [push.placedOnMarket ?? null, push.supportEnd ?? null, push.facts ? JSON.stringify(push.facts) : null, digest, push.unlisted ? JSON.stringify(push.unlisted) : null, release.id]);
    if (!sameUpstreams(release.facts, push.facts)) await upstreamsChanged(tx, release.id, push.facts);
    // Statements now decide some of its findings, or its coverage now counts what it names without listing it:
    // matched again in full (the stored findings, their clocks, the stored coverage, the portfolio).
    else if (!sameVex(release.facts, push.facts) || !sameUnlisted(release.unlisted, push.unlisted)) await tx.run('update release set matched_with = null where id = ?', [release.id]);
    Object.assign(release, { placedOnMarket: push.placedOnMarket ?? null, supportEnd: push.supportEnd ?? null, facts: push.facts ?? null });
    if (push.unlisted) release.unlisted = push.unlisted;
    outcome = 'completed';
  }
  if (push.dossier) {
    const [kept] = await tx.all('select dossier from release_dossier where release_id = ?', [release.id]);
    const keptDigest = kept ? (JSON.parse(String(kept['dossier'])) as { digest?: string }).digest : undefined;
    if (keptDigest !== push.dossier.digest) {
      await keepDossier(tx, release.id, push.dossier.dossier, by, at);
      if (outcome === 'unchanged') outcome = kept ? 'dossier' : 'completed';
    }
  }
  return { release, outcome };
}

/**
 * Undefined when the release holds the pushed components and every date and fact it has equals the
 * pushed one (it only lacks some): it may be completed. Otherwise what differs.
 */
async function incompleteButSame(tx: Sql, existing: Row, push: ReleasePush): Promise<string | undefined> {
  const kept = existing['facts'] ? JSON.parse(String(existing['facts'])) as ReleaseFacts : null;
  // The declarations the kept facts lack: a push that adds them completes the release.
  const lacking = DECLARATIONS.map((d) => d.key).filter((key) => !kept?.[key]);
  const keptUnlisted = existing['unlisted'] ? JSON.parse(String(existing['unlisted'])) as ReleaseUnlisted : undefined;
  if (existing['content_digest']) {
    // Placed whole, without some declarations (by a client before they were sent, or before marque.yaml had them),
    // or without what its inventory names unlisted (a client or server before it was sent): the same content with
    // them completes it; other ones than those kept are other content, and said to be.
    // Each part (unresolved dependencies, lockfiles not read) the kept release lacks may be added: an older client's
    // SBOM carries only the lockfiles (marque:notAnalysed), an older server kept neither.
    const pushed = push.unlisted ?? undefined;
    const lackingUnlisted: ReleaseUnlisted = { unresolved: keptUnlisted?.unresolved.length ? pushed?.unresolved ?? [] : [], notAnalysed: keptUnlisted?.notAnalysed.length ? pushed?.notAnalysed ?? [] : [] };
    if (contentDigest({ ...push, unlisted: lackingUnlisted, facts: without(push.facts ?? null, lacking) }) === existing['content_digest']) return undefined;
    if (keptUnlisted && !sameUnlisted(lackingUnlisted, keptUnlisted)
      && contentDigest({ ...push, unlisted: keptUnlisted, facts: without(push.facts ?? null, lacking) }) === existing['content_digest']) {
      const what = { unresolved: 'unresolved dependencies', notAnalysed: 'lockfiles not read' } as const;
      const differ = (['unresolved', 'notAnalysed'] as const).filter((k) => keptUnlisted[k].length && canonical(keptUnlisted[k]) !== canonical(push.unlisted?.[k] ?? []));
      return `names it does not list as components (${differ.map((k) => (push.unlisted?.[k].length ? `${what[k]}: these differ from the kept ones` : `${what[k]}: this push names none, as a client older than them does`)).join('; ')})`;
    }
    const asKept = (f: ReleaseFacts | null): ReleaseFacts | null => {
      const out = without(f, lacking);
      if (!out) return out;
      for (const { key } of DECLARATIONS) if (kept?.[key]) Object.assign(out, { [key]: kept[key] });
      return out;
    };
    if (contentDigest({ ...push, unlisted: keptUnlisted, facts: asKept(push.facts ?? null) }) === existing['content_digest']) {
      const differ = DECLARATIONS.filter((d) => kept?.[d.key] && canonical(kept[d.key]) !== canonical(push.facts?.[d.key] ?? null));
      return differ.map((d) => `${d.what}: ${push.facts?.[d.key] ? 'these differ from the kept ones' : `this push ${d.verb} none, as a client older than them does`})`).join(' and ');
    }
    return 'content (components, dates or facts)';
  }
  const rows = await tx.all('select purl, name, version, ecosystem, depth, scope from release_component where release_id = ?', [existing['id']]);
  const stored = rows.map((c): ReleaseComponent => ({ purl: String(c['purl']), name: String(c['name']), version: String(c['version']), ecosystem: String(c['ecosystem']), depth: c['depth'] === null ? null : Number(c['depth']), scope: c['scope'] === null ? null : String(c['scope']) }));
  if (componentsDigest(stored) !== componentsDigest(push.components)) return 'components';
  const differs = (kept: unknown, pushed: unknown) => kept !== null && kept !== undefined && canonical(kept) !== canonical(pushed ?? null);
  if (differs(existing['placed_on_market'], push.placedOnMarket) || differs(existing['support_end'], push.supportEnd)) return 'dates';
  // Declarations the kept facts lack are added like the rest of what is missing.
  if (kept && differs(kept, without(push.facts ?? null, lacking))) return 'CRA facts';
  return undefined;
}

/**
 * The release is matched again in full with its new declarations (the pushed release's match picks it up), and
 * the upstreams its vendor packages now build join the package → releases index.
 */
export async function upstreamsChanged(tx: Sql, releaseId: string, facts: ReleaseFacts | null): Promise<void> {
  const rows = await tx.all('select purl, name, version, ecosystem, vcs_url, properties from release_component where release_id = ?', [releaseId]);
  const components = rows.map((c) => withRepository({ purl: String(c['purl']), name: String(c['name']), version: String(c['version']), ecosystem: String(c['ecosystem']) }, c['vcs_url'], c['properties']));
  await indexUpstreams(tx, releaseId, components, facts?.upstreams);
  await tx.run('update release set matched_with = null where id = ?', [releaseId]);
}

async function keepDossier(tx: Sql, releaseId: string, dossier: unknown, by: string, at: string): Promise<void> {
  await tx.run(`insert into release_dossier (release_id, dossier, pushed_by, pushed_at) values (?, ?, ?, ?)
    on conflict (release_id) do update set dossier = excluded.dossier, pushed_by = excluded.pushed_by, pushed_at = excluded.pushed_at`, [releaseId, JSON.stringify(dossier), by, at]);
}

/** Refuses a new product past the team's limit (in the insert's transaction; see checkCount). */
export function productCap(tx: Sql, teamId: string, caps: StoreCaps | undefined): Promise<void> {
  return checkCount(tx, { limit: 'products', max: caps?.products, lock: { table: 'team', id: teamId }, what: 'the team\'s products', count: 'select count(*) as n from product where team_id = ?', params: [teamId] });
}

/** Refuses a new release past the product's limit (in the insert's transaction; see checkCount). */
export function releaseCap(tx: Sql, productId: string, caps: StoreCaps | undefined): Promise<void> {
  return checkCount(tx, { limit: 'releasesPerProduct', max: caps?.releasesPerProduct, lock: { table: 'product', id: productId }, what: 'the product\'s releases', count: 'select count(*) as n from release where product_id = ?', params: [productId] });
}
