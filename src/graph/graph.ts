// The inventory as a graph: depth ("degrees of separation" from the product's roots), the
// scope each component is needed in, and the paths that bring a component in ("why").
import { SCOPE_ORDER, scopeOfKind, type Dependency, type Inventory, type Scope } from '../model/inventory.ts';

export type EdgeFilter = (d: Dependency) => boolean;

export const ALL_EDGES: EdgeFilter = () => true;

/** A filter from words users type: scopes (runtime, build, test, …) or raw kinds (exec, build_export, …). */
export function edgeFilter(words: readonly string[] | undefined): EdgeFilter {
  if (!words || words.length === 0) return ALL_EDGES;
  const set = new Set(words);
  for (const w of set) {
    if (!(SCOPE_ORDER as readonly string[]).includes(w) && !KINDS.has(w)) {
      throw new Error(`unknown dependency kind "${w}" (scopes: ${SCOPE_ORDER.join(', ')}; kinds: ${[...KINDS].join(', ')})`);
    }
  }
  return (d) => set.has(d.kind) || set.has(scopeOfKind(d.kind));
}

const KINDS = new Set<string>(['build', 'build_export', 'buildtool', 'buildtool_export', 'exec', 'test', 'doc', 'runtime', 'dev', 'optional', 'peer']);

export class DependencyGraph {
  readonly out = new Map<string, Dependency[]>();
  readonly in = new Map<string, Dependency[]>();
  readonly roots: string[];

  constructor(inv: Pick<Inventory, 'components' | 'dependencies'>) {
    for (const c of inv.components) { this.out.set(c.purl, []); this.in.set(c.purl, []); }
    for (const d of inv.dependencies) {
      this.out.get(d.from)?.push(d);
      this.in.get(d.to)?.push(d);
    }
    this.roots = inv.components.filter((c) => c.root).map((c) => c.purl);
  }

  private allDepths?: Map<string, number>;

  /** Shortest distance from any root along edges the filter keeps; unreachable components are absent. */
  depths(filter: EdgeFilter = ALL_EDGES): Map<string, number> {
    // The unfiltered answer is asked for once per "why" query: compute it once.
    if (filter === ALL_EDGES) return (this.allDepths ??= this.computeDepths(filter));
    return this.computeDepths(filter);
  }

  private computeDepths(filter: EdgeFilter): Map<string, number> {
    const depth = new Map<string, number>();
    let frontier = this.roots.filter((r) => !depth.has(r));
    for (const r of frontier) depth.set(r, 0);
    for (let d = 1; frontier.length; d++) {
      const next: string[] = [];
      for (const node of frontier) {
        for (const e of this.out.get(node) ?? []) {
          if (!depth.has(e.to) && filter(e)) { depth.set(e.to, d); next.push(e.to); }
        }
      }
      frontier = next;
    }
    return depth;
  }

  /**
   * The scope each component is needed in: a path is as weak as its weakest edge (a runtime
   * dependency of a test dependency is still test-only); a component takes its strongest path.
   */
  scopes(): Map<string, Scope> {
    const scope = new Map<string, Scope>();
    for (const r of this.roots) scope.set(r, 'runtime');
    SCOPE_ORDER.forEach((s, level) => {
      const stack = [...scope.keys()];
      while (stack.length) {
        const node = stack.pop()!;
        for (const e of this.out.get(node) ?? []) {
          if (scope.has(e.to)) continue;
          if (SCOPE_ORDER.indexOf(scopeOfKind(e.kind)) > level) continue;
          // The path so far must also be within this level.
          if (SCOPE_ORDER.indexOf(scope.get(node)!) > level) continue;
          scope.set(e.to, s);
          stack.push(e.to);
        }
      }
    });
    return scope;
  }

  /**
   * Paths from a root to `target`, shortest first, at most `limit` of them. Breadth-first over
   * partial paths walking edges backwards; no path visits a component twice.
   */
  paths(target: string, limit = Infinity, filter: EdgeFilter = ALL_EDGES): { paths: string[][]; truncated: boolean } {
    const reachable = this.depths(filter);
    if (!reachable.has(target)) return { paths: [], truncated: false };
    const rootSet = new Set(this.roots);
    const result: string[][] = [];
    type Partial = { node: string; prev?: Partial; len: number };
    const onPath = (p: Partial, n: string) => { for (let q: Partial | undefined = p; q; q = q.prev) if (q.node === n) return true; return false; };
    let queue: Partial[] = [{ node: target, len: 1 }];
    let budget = 2_000_000; // bounds work on pathological graphs; reported as truncated
    while (queue.length && result.length < limit) {
      const next: Partial[] = [];
      for (const p of queue) {
        if (rootSet.has(p.node)) {
          const path: string[] = [];
          for (let q: Partial | undefined = p; q; q = q.prev) path.push(q.node);
          result.push(path);
          if (result.length >= limit) break;
        }
        const seenFrom = new Set<string>();
        for (const e of this.in.get(p.node) ?? []) {
          if (!filter(e) || seenFrom.has(e.from) || !reachable.has(e.from) || onPath(p, e.from)) continue;
          seenFrom.add(e.from);
          if (--budget < 0) return { paths: result, truncated: true };
          next.push({ node: e.from, prev: p, len: p.len + 1 });
        }
      }
      queue = next;
    }
    return { paths: result, truncated: result.length >= limit && queue.length > 0 };
  }
}
