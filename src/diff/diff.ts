// What changed between two inventories of a product: components added, removed and changed
// (version up or down, licence, supplier, source repository, scope), matched by identity
// (the purl without version and qualifiers).
import { DependencyGraph } from '../graph/graph.ts';
import type { InventoryComponent, ProductInventory } from '../model/inventory.ts';
import { parsePurl, purlIdentity } from '../model/purl.ts';
import type { Finding } from '../model/advisory.ts';
import { schemeFor, schemeForPurlType } from '../versioning/index.ts';

/** `equal`: two spellings the ecosystem orders alike (PEP 440 1.0 and 1.0.0, SemVer build metadata). */
export type Direction = 'up' | 'down' | 'equal' | 'unordered';
export interface AddedComponent { purl: string; depth: number | null; kind: string | null; paths: string[][] }
export interface RemovedComponent { purl: string; depth: number | null; kind: string | null }
export type Change =
  | { type: 'version'; direction: Direction; from: string; to: string }
  | { type: 'licenses'; from: string[]; to: string[] }
  | { type: 'supplier'; from: string | null; to: string | null }
  | { type: 'source'; from: string | null; to: string | null }
  | { type: 'kind'; from: string | null; to: string | null }
  | { type: 'renamed'; from: string; to: string };
export interface ChangedComponent { from: string; to: string; depth: number | null; kind: string | null; changes: Change[] }

export interface ComponentDiff { added: AddedComponent[]; removed: RemovedComponent[]; changed: ChangedComponent[]; unchanged: number }

export interface ClassificationDelta { changed: boolean; from: { class: string; role: string; routes: string[] }; to: { class: string; role: string; routes: string[] }; obligationsAdded: string[]; obligationsRemoved: string[] }

export interface DiffResult {
  old: string;
  new: string;
  components: ComponentDiff;
  findings: { introduced: Finding[]; fixed: Finding[] } | null;
  /** Components of NEW that no assessment of OLD covers: new components and new versions. */
  reassess: { purl: string; depth: number | null; kind: string | null; reason: 'added' | 'version-changed' | 'now-ships' }[];
  /** Components of NEW that changed but that a valid, trusted assessment still covers. */
  stillCovered: { purl: string; attestation: string }[];
  classification: ClassificationDelta | null;
  /** Files of either side that could not be read (malformed, or a format Marque does not read): what they hold is not compared. */
  notRead: { side: 'old' | 'new'; file: string; reason: string }[];
  verdict: string;
}

function identity(c: InventoryComponent): string {
  try { return purlIdentity(c.purl); } catch { return c.purl; }
}

/** A purl's type, or '' for one that does not parse. */
function purlType(purl: string): string {
  try { return parsePurl(purl).type; } catch { return ''; }
}

function schemeOf(purl: string) {
  const type = purlType(purl);
  return type === 'ros' ? schemeFor('npm') : schemeForPurlType(type);
}

function compareVersions(purl: string, a: string, b: string): number | undefined {
  const scheme = schemeOf(purl);
  try {
    if (scheme && scheme.isValid(a) && scheme.isValid(b)) return scheme.compare(a, b);
  } catch { /* fall through */ }
  return undefined;
}

function direction(c: InventoryComponent, from: string, to: string): Direction {
  const r = compareVersions(c.purl, to, from);
  return r === undefined ? 'unordered' : r > 0 ? 'up' : r < 0 ? 'down' : 'equal';
}

/** The identities of the components that depend on each component. */
function dependents(inv: Pick<ProductInventory, 'dependencies'>): Map<string, Set<string>> {
  const m = new Map<string, Set<string>>();
  for (const d of inv.dependencies) {
    let s = m.get(d.to);
    if (!s) m.set(d.to, (s = new Set()));
    s.add((() => { try { return purlIdentity(d.from); } catch { return d.from; } })());
  }
  return m;
}

/**
 * Several versions of one package on either side (a workspace's second lockfile, two majors side by side):
 * each old version continues as the new version depended on by the same packages, then the same scope;
 * with nothing to tell them apart, versions pair in order when both sides have as many. What is left comes
 * and goes.
 */
function pairVersions(olds: InventoryComponent[], news: InventoryComponent[], parentsOld: Map<string, Set<string>>, parentsNew: Map<string, Set<string>>): [InventoryComponent, InventoryComponent][] {
  if (olds.length === 1 && news.length === 1) return [[olds[0]!, news[0]!]];
  const byVersion = (l: InventoryComponent[]) => [...l].sort((x, y) => compareVersions(x.purl, x.version, y.version) ?? (x.version < y.version ? -1 : x.version > y.version ? 1 : 0));
  const os = byVersion(olds);
  const ns = byVersion(news);
  const candidates: { o: number; n: number; score: number; gap: number }[] = [];
  os.forEach((o, i) => ns.forEach((n, j) => {
    const po = parentsOld.get(o.purl) ?? new Set<string>();
    const pn = parentsNew.get(n.purl) ?? new Set<string>();
    let shared = 0;
    for (const x of po) if (pn.has(x)) shared++;
    const score = shared * 2 + (o.kind !== null && o.kind === n.kind ? 1 : 0);
    candidates.push({ o: i, n: j, score, gap: Math.abs(i - j) });
  }));
  const blind = candidates.every((c) => c.score === candidates[0]!.score);
  if (blind && os.length !== ns.length) return [];
  candidates.sort((x, y) => y.score - x.score || x.gap - y.gap || x.o - y.o || x.n - y.n);
  const usedO = new Set<number>();
  const usedN = new Set<number>();
  const out: [InventoryComponent, InventoryComponent][] = [];
  for (const c of candidates) {
    if (usedO.has(c.o) || usedN.has(c.n)) continue;
    if (!blind && c.score < 2) continue; // neither a shared dependent: a version that came, another that went
    usedO.add(c.o);
    usedN.add(c.n);
    out.push([os[c.o]!, ns[c.n]!]);
  }
  return out;
}

const sameList = (a: readonly string[], b: readonly string[]) => a.length === b.length && [...a].sort().every((x, i) => x === [...b].sort()[i]);

function changesBetween(a: InventoryComponent, b: InventoryComponent): Change[] {
  const out: Change[] = [];
  if (a.version !== b.version) out.push({ type: 'version', direction: direction(b, a.version, b.version), from: a.version, to: b.version });
  if (!sameList(a.licenses, b.licenses)) out.push({ type: 'licenses', from: a.licenses, to: b.licenses });
  const sa = a.supplier?.name ?? null;
  const sb = b.supplier?.name ?? null;
  if (sa !== sb) out.push({ type: 'supplier', from: sa, to: sb });
  const pa = a.provenance?.url ?? null;
  const pb = b.provenance?.url ?? null;
  if (pa !== pb) out.push({ type: 'source', from: pa, to: pb });
  if (a.kind !== b.kind) out.push({ type: 'kind', from: a.kind, to: b.kind });
  return out;
}

export function diffComponents(oldInv: Pick<ProductInventory, 'components' | 'dependencies'>, newInv: Pick<ProductInventory, 'components' | 'dependencies'>, maxPaths = 3): ComponentDiff {
  const byId = (cs: InventoryComponent[]) => {
    const m = new Map<string, InventoryComponent[]>();
    for (const c of cs) { const k = identity(c); const l = m.get(k); if (l) l.push(c); else m.set(k, [c]); }
    return m;
  };
  const parentsOld = dependents(oldInv);
  const parentsNew = dependents(newInv);
  const before = byId(oldInv.components);
  const after = byId(newInv.components);
  const added: InventoryComponent[] = [];
  const removed: InventoryComponent[] = [];
  const changed: ChangedComponent[] = [];
  let unchanged = 0;
  for (const [id, news] of after) {
    const olds = [...(before.get(id) ?? [])];
    const rest: InventoryComponent[] = [];
    for (const n of news) {
      // The same version on both sides is the same component (it may still have changed in other ways).
      const i = olds.findIndex((o) => o.version === n.version);
      if (i < 0) { rest.push(n); continue; }
      const [o] = olds.splice(i, 1);
      const ch = changesBetween(o!, n);
      if (ch.length) changed.push({ from: o!.purl, to: n.purl, depth: n.depth, kind: n.kind, changes: ch });
      else unchanged++;
    }
    // Versions left on both sides: upgrades or downgrades, paired by what depends on them.
    const pairs = rest.length && olds.length ? pairVersions(olds, rest, parentsOld, parentsNew) : [];
    for (const [o, n] of pairs) changed.push({ from: o.purl, to: n.purl, depth: n.depth, kind: n.kind, changes: changesBetween(o, n) });
    for (const x of rest) if (!pairs.some(([, n]) => n === x)) added.push(x);
    for (const x of olds) if (!pairs.some(([o]) => o === x)) removed.push(x);
  }
  for (const [id, olds] of before) if (!after.has(id)) for (const x of olds) removed.push(x);
  // Renames the SBOM records (CycloneDX pedigree ancestors): the old identity continues under a new one.
  for (const n of [...added]) {
    const ancestors = (n.properties?.['marque:derivedFrom'] ?? '').split(' ').filter(Boolean);
    const i = removed.findIndex((o) => ancestors.some((a) => a === o.purl || (() => { try { return purlIdentity(a) === identity(o); } catch { return false; } })()));
    if (i < 0) continue;
    const [o] = removed.splice(i, 1);
    added.splice(added.indexOf(n), 1);
    changed.push({ from: o!.purl, to: n.purl, depth: n.depth, kind: n.kind, changes: [{ type: 'renamed', from: identity(o!), to: identity(n) }, ...changesBetween(o!, n)] });
  }

  // A product's own root named after its folder (a Gemfile.lock names no project): two checkouts named by
  // their tags give two names for one product. One root of a type gone and one come is that root renamed.
  const typeOf = (c: InventoryComponent) => purlType(c.purl);
  for (const t of new Set(added.filter((c) => c.root).map(typeOf))) {
    const ns = added.filter((c) => c.root && typeOf(c) === t);
    const os = removed.filter((c) => c.root && typeOf(c) === t);
    if (ns.length !== 1 || os.length !== 1) continue;
    const [o, n] = [os[0]!, ns[0]!];
    removed.splice(removed.indexOf(o), 1);
    added.splice(added.indexOf(n), 1);
    changed.push({ from: o.purl, to: n.purl, depth: n.depth, kind: n.kind, changes: [{ type: 'renamed', from: identity(o), to: identity(n) }, ...changesBetween(o, n)] });
  }

  const graph = added.length ? new DependencyGraph(newInv) : undefined;
  const order = (a: { depth: number | null; purl?: string; to?: string }, b: { depth: number | null; purl?: string; to?: string }) =>
    (a.depth ?? 1e9) - (b.depth ?? 1e9) || ((a.purl ?? a.to)! < (b.purl ?? b.to)! ? -1 : 1);
  return {
    added: added.map((c) => ({ purl: c.purl, depth: c.depth, kind: c.kind, paths: graph!.paths(c.purl, maxPaths).paths })).sort(order),
    removed: removed.map((c) => ({ purl: c.purl, depth: c.depth, kind: c.kind })).sort(order),
    changed: changed.sort(order),
    unchanged,
  };
}
