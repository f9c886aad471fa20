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
    // Each kind's level found once, and edges read by index: a large graph's 4,000 edges are looked at once a level.
    const levels = new Map<string, number>();
    const levelOf = (kind: Dependency['kind']): number => {
      let l = levels.get(kind);
      if (l === undefined) levels.set(kind, (l = SCOPE_ORDER.indexOf(scopeOfKind(kind))));
      return l;
    };
    for (let level = 0; level < SCOPE_ORDER.length; level++) {
      const s = SCOPE_ORDER[level]!;
      const stack = [...scope.keys()];
      while (stack.length) {
        const node = stack.pop()!;
        // (The path so far is within this level: every component in the map has this level or a stronger one.)
        const out = this.out.get(node);
        if (!out) continue;
        for (let i = 0; i < out.length; i++) {
          const e = out[i]!;
          if (scope.has(e.to) || levelOf(e.kind) > level) continue;
          scope.set(e.to, s);
          stack.push(e.to);
        }
      }
    }
    return scope;
  }

  /**
   * How many paths lead from the roots to `target`, counted without listing them: paths whose every
   * step goes deeper (the graph ordered by depth is acyclic, so this is well defined, and it holds
   * every shortest path). Counting all simple paths of a cyclic graph is #P-hard, so no tool can.
   */
  countPaths(target: string, filter: EdgeFilter = ALL_EDGES): bigint {
    const depth = this.depths(filter);
    const d = depth.get(target);
    if (d === undefined) return 0n;
    // Only what lies on a deeper-going path to the target matters: walk back from it, level by level.
    const count = new Map<string, bigint>();
    const byLevel: string[][] = [];
    const seen = new Set<string>([target]);
    const stack = [target];
    while (stack.length) {
      const n = stack.pop()!;
      (byLevel[depth.get(n)!] ??= []).push(n);
      for (const e of this.in.get(n) ?? []) {
        const du = depth.get(e.from);
        if (du === undefined || du >= depth.get(n)! || !filter(e) || seen.has(e.from)) continue;
        seen.add(e.from);
        stack.push(e.from);
      }
    }
    for (let level = 0; level <= d; level++) {
      for (const n of byLevel[level] ?? []) {
        if (level === 0) { count.set(n, 1n); continue; }
        let sum = 0n;
        const from = new Set<string>();
        for (const e of this.in.get(n) ?? []) {
          if (from.has(e.from) || !filter(e)) continue;
          const c = count.get(e.from);
          if (c === undefined || depth.get(e.from)! >= level) continue;
          from.add(e.from);
          sum += c;
        }
        count.set(n, sum);
      }
    }
    return count.get(target) ?? 0n;
  }

  /**
   * Paths from a root to `target` that go deeper at every step, shortest first, at most `limit` of
   * them. Breadth-first over partial paths walking edges backwards, with a work bound.
   */
  paths(target: string, limit = Infinity, filter: EdgeFilter = ALL_EDGES): { paths: string[][]; truncated: boolean } {
    const depth = this.depths(filter);
    if (!depth.has(target)) return { paths: [], truncated: false };
    // Best-first over partial paths, keyed by length so far plus the depth still to climb: depth is
    // the exact distance to a root, so complete paths come out shortest first and only the prefixes
    // of the paths asked for are ever expanded, however many paths the graph has.
    type Partial = { node: string; prev?: Partial; len: number; f: number };
    const heap: Partial[] = [];
    const push = (p: Partial) => {
      heap.push(p);
      for (let i = heap.length - 1; i > 0;) {
        const up = (i - 1) >> 1;
        if (heap[up]!.f <= heap[i]!.f) break;
        [heap[up], heap[i]] = [heap[i]!, heap[up]!];
        i = up;
      }
    };
    const pop = (): Partial => {
      const top = heap[0]!;
      const last = heap.pop()!;
      if (heap.length) {
        heap[0] = last;
        for (let i = 0; ;) {
          const l = 2 * i + 1, r = l + 1;
          let m = i;
          if (l < heap.length && heap[l]!.f < heap[m]!.f) m = l;
          if (r < heap.length && heap[r]!.f < heap[m]!.f) m = r;
          if (m === i) break;
          [heap[m], heap[i]] = [heap[i]!, heap[m]!];
          i = m;
        }
      }
      return top;
    };
    const result: string[][] = [];
    let budget = 2_000_000; // bounds work on pathological graphs; reported as truncated
    push({ node: target, len: 1, f: 1 + depth.get(target)! });
    while (heap.length && result.length < limit) {
      const p = pop();
      const d = depth.get(p.node)!;
      if (d === 0) {
        const path: string[] = [];
        for (let q: Partial | undefined = p; q; q = q.prev) path.push(q.node);
        result.push(path);
        continue;
      }
      const seenFrom = new Set<string>();
      for (const e of this.in.get(p.node) ?? []) {
        const du = depth.get(e.from);
        // Each step back goes one or more levels up: the paths countPaths counts, never a cycle.
        if (du === undefined || du >= d || !filter(e) || seenFrom.has(e.from)) continue;
        seenFrom.add(e.from);
        if (--budget < 0) return { paths: result, truncated: true };
        push({ node: e.from, prev: p, len: p.len + 1, f: p.len + 1 + du });
      }
    }
    return { paths: result, truncated: result.length >= limit && heap.length > 0 };
  }

}
