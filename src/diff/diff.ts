// What changed between two inventories of a product: components added, removed and changed
// (version up or down, licence, supplier, source repository, scope), matched by identity
// (the purl without version and qualifiers).
import { DependencyGraph } from '../graph/graph.ts';
import type { InventoryComponent, ProductInventory } from '../model/inventory.ts';
import { parsePurl, purlIdentity } from '../model/purl.ts';
import type { Finding } from '../model/advisory.ts';
import { schemeFor, schemeForPurlType } from '../versioning/index.ts';

export interface AddedComponent { purl: string; depth: number | null; kind: string | null; paths: string[][] }
export interface RemovedComponent { purl: string; depth: number | null; kind: string | null }
export type Change =
  | { type: 'version'; direction: 'up' | 'down' | 'unordered'; from: string; to: string }
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
  reassess: { purl: string; depth: number | null; kind: string | null; reason: 'added' | 'version-changed' }[];
  /** Components of NEW that changed but that a valid, trusted assessment still covers. */
  stillCovered: { purl: string; attestation: string }[];
  classification: ClassificationDelta | null;
  verdict: string;
}

function identity(c: InventoryComponent): string {
  try { return purlIdentity(c.purl); } catch { return c.purl; }
}

function direction(c: InventoryComponent, from: string, to: string): 'up' | 'down' | 'unordered' {
  const type = (() => { try { return parsePurl(c.purl).type; } catch { return ''; } })();
  const scheme = type === 'ros' ? schemeFor('npm') : schemeForPurlType(type);
  try {
    if (scheme && scheme.isValid(from) && scheme.isValid(to)) return scheme.compare(to, from) > 0 ? 'up' : 'down';
  } catch { /* fall through */ }
  return 'unordered';
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
    // One old and one new version left: an upgrade or downgrade. Otherwise versions come and go.
    if (rest.length === 1 && olds.length === 1) {
      changed.push({ from: olds[0]!.purl, to: rest[0]!.purl, depth: rest[0]!.depth, kind: rest[0]!.kind, changes: changesBetween(olds[0]!, rest[0]!) });
    } else {
      for (const x of rest) added.push(x);
      for (const x of olds) removed.push(x);
    }
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
