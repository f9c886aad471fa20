// The certification perimeter: every component that attacker-controlled data can reach from an
// external interface. Propagation follows data flows and compartment nesting; a flow that is
// authenticated and encrypted by an assessed mechanism stops the attacker model there, and that
// mechanism joins the perimeter, because it must then be certified itself.
import type { Dependency, InventoryComponent, Unresolved } from '../model/inventory.ts';
import type { ArchitectureModel, Compartment } from './model.ts';
import { compileGlob } from '../util/glob.ts';
import { unknownReferences } from './references.ts';

export interface Boundary { kind: 'flow' | 'isolation'; between: [string, string]; mechanism: string; assessed: boolean; stopsAttacker: boolean }

/**
 * Why a component is in the perimeter. `reached`: a compartment it runs in is reached by data from an
 * external interface (`via` is the path). `counted-in`: no compartment of the model places it, so
 * Marque cannot show that external data does not reach it; it is counted in, to be safe, and `via` is empty.
 */
export type PerimeterBasis = 'reached' | 'counted-in';
export const COUNTED_IN_REASON = 'in no compartment of the architecture model: Marque cannot show that no external interface reaches it, so it is counted in, to be safe';

/** The perimeter's numbers, each with its own definition: they add up to the components analysed. */
export interface PerimeterCounts { reached: number; countedIn: number; outside: number; interfaces: number }

export interface PerimeterEntry {
  component: string; compartment: string | null; via: string[];
  /** Where the component's own pattern puts it, when it is in the perimeter because a reached process loads it. */
  placedIn?: string;
  basis: PerimeterBasis;
  /** The reason in words: the path from the interface, or why it is counted in. */
  reason: string;
}

export interface PerimeterResult {
  perimeter: PerimeterEntry[];
  counts: PerimeterCounts;
  mechanisms: { mechanism: string; where: string }[];
  outside: { component: string; compartment: string | null; reason: string }[];
  boundaries: Boundary[];
  reachedCompartments: string[];
  notes: string[];
}

const glob = compileGlob;

interface Matcher { compartment: string; depth: number; process: boolean; pattern?: string; test: (c: InventoryComponent) => boolean }

/**
 * Where a component runs. First its own compartment: the most specific (deepest) one whose patterns
 * match, or, for a runtime dependency that matches none, the compartment of what needs it. Then every
 * process that loads it: a process runs its packages' whole runtime closure (message packages,
 * libraries), so that closure is in the process even when a broader pattern places it elsewhere.
 */
export function assignComponents(model: ArchitectureModel, components: readonly InventoryComponent[], deps: readonly Dependency[]): Map<string, string[]> {
  const byId = new Map(model.compartments.map((c) => [c.id, c]));
  const depthOf = new Map<string, number>();
  const depth = (c: Compartment, guard = 0): number => {
    let d = depthOf.get(c.id);
    if (d === undefined) {
      const parent = c.parent ? byId.get(c.parent) : undefined;
      d = parent && guard < 64 ? 1 + depth(parent, guard + 1) : 0;
      depthOf.set(c.id, d);
    }
    return d;
  };
  // Patterns are indexed by their literal prefix (the text before the first "*"), so each component
  // looks only at the patterns that can match it, not at every compartment.
  const purlIndex = new Map<string, Matcher[]>();
  const rosIndex = new Map<string, Matcher[]>();
  for (const c of model.compartments) {
    for (const p of c.components ?? []) {
      const isRos = p.startsWith('ros:');
      const pattern = isRos ? p.slice(4) : p;
      const re = glob(pattern);
      const m: Matcher = {
        compartment: c.id, depth: depth(c), process: c.kind === 'process', pattern,
        // "ros:<package>" names a ROS package whether built in the workspace or installed as ros-<distro>-*.
        test: isRos ? (comp) => { const n = comp.ecosystem === 'ros' ? comp.name : comp.properties?.['ros:package']; return n !== undefined && re.test(n); } : (comp) => re.test(comp.purl),
      };
      const key = pattern.split('*')[0]!;
      const index = isRos ? rosIndex : purlIndex;
      index.set(key, [...(index.get(key) ?? []), m]);
    }
  }
  const lengths = new Map<Map<string, Matcher[]>, number[]>();
  const lengthsOf = (index: Map<string, Matcher[]>) => {
    let l = lengths.get(index);
    if (!l) lengths.set(index, (l = [...new Set([...index.keys()].map((k) => k.length))]));
    return l;
  };
  const candidates = (index: Map<string, Matcher[]>, text: string | undefined): Matcher[] => {
    if (text === undefined) return [];
    const out: Matcher[] = [];
    // Only the prefix lengths some pattern has: a long name costs one slice per length, not per character.
    for (const n of lengthsOf(index)) if (n <= text.length) for (const m of index.get(text.slice(0, n)) ?? []) out.push(m);
    return out;
  };
  const primary = new Map<string, string | null>();
  const processes = new Map<string, string[]>(); // process compartment → components matched by name
  for (const comp of components) {
    const rosName = comp.ecosystem === 'ros' ? comp.name : comp.properties?.['ros:package'];
    const hits = [...candidates(purlIndex, comp.purl), ...candidates(rosIndex, rosName)].filter((m) => m.test(comp));
    const best = hits.sort((a, b) => b.depth - a.depth)[0];
    primary.set(comp.purl, best?.compartment ?? null);
    for (const h of hits) if (h.process && !/[*?]/.test(h.pattern ?? '')) { const l = processes.get(h.compartment); if (l) l.push(comp.purl); else processes.set(h.compartment, [comp.purl]); }
  }
  // A runtime dependency with no compartment of its own runs where what needs it runs (it is linked or loaded there).
  const runtime = new Set(['exec', 'runtime', 'build_export', 'buildtool_export', 'peer', 'optional']);
  const next = new Map<string, string[]>();
  for (const d of deps) if (runtime.has(d.kind)) { const l = next.get(d.from); if (l) l.push(d.to); else next.set(d.from, [d.to]); }
  const queue = [...primary].filter(([, c]) => c !== null).map(([p]) => p);
  while (queue.length) {
    const from = queue.pop()!;
    for (const to of next.get(from) ?? []) {
      if (primary.get(to) === null) { primary.set(to, primary.get(from)!); queue.push(to); }
    }
  }
  const out = new Map<string, string[]>();
  for (const [purl, c] of primary) out.set(purl, c === null ? [] : [c]);
  for (const [proc, roots] of processes) {
    const seen = new Set<string>(roots);
    const stack = [...roots];
    while (stack.length) {
      const from = stack.pop()!;
      const l = out.get(from);
      if (l && !l.includes(proc)) l.push(proc);
      for (const to of next.get(from) ?? []) if (!seen.has(to)) { seen.add(to); stack.push(to); }
    }
  }
  return out;
}

export function analysePerimeter(model: ArchitectureModel, components: readonly InventoryComponent[], deps: readonly Dependency[], unresolved: readonly Unresolved[] = []): PerimeterResult {
  const byId = new Map(model.compartments.map((c) => [c.id, c]));
  const flowsFrom = new Map<string, typeof model.flows>();
  // Lists grow in place: copying them per element made thousands of flows quadratic.
  for (const f of model.flows) { const l = flowsFrom.get(f.from); if (l) l.push(f); else flowsFrom.set(f.from, [f]); }
  const childrenOf = new Map<string, Compartment[]>();
  for (const c of model.compartments) if (c.parent) { const l = childrenOf.get(c.parent); if (l) l.push(c); else childrenOf.set(c.parent, [c]); }
  // A name that is no compartment is not followed: each says so (a silent drop would shrink the perimeter).
  const notes: string[] = unknownReferences(model);
  const boundaries: Boundary[] = [];
  const mechanisms = new Map<string, string>();
  const via = new Map<string, string[]>(); // compartment → path of ids that reached it
  const queue: string[] = [];
  const reach = (id: string, path: string[]) => { if (!via.has(id) && byId.has(id)) { via.set(id, path); queue.push(id); } };

  for (const i of model.interfaces) {
    if (byId.has(i.into)) reach(i.into, [i.id, i.into]);
  }
  // Flows out of an interface also carry attacker data from the start.
  const sources = new Set(model.interfaces.map((i) => i.id));
  while (queue.length || sources.size) {
    const nodes = [...sources, ...queue.splice(0)];
    sources.clear();
    for (const node of nodes) {
      const path = via.get(node) ?? [node];
      for (const f of flowsFrom.get(node) ?? []) {
        const protectedFlow = Boolean(f.authenticated && f.encrypted && f.mechanism);
        const stops = protectedFlow && Boolean(f.mechanismAssessed);
        boundaries.push({ kind: 'flow', between: [f.from, f.to], mechanism: f.mechanism ?? '(none)', assessed: Boolean(f.mechanismAssessed), stopsAttacker: stops });
        if (stops) { mechanisms.set(f.mechanism!, `${f.from} → ${f.to}`); continue; }
        reach(f.to, [...path, f.to]);
      }
      // Nested compartments: reaching a parent reaches a child unless an assessed isolation mechanism stands between.
      for (const child of childrenOf.get(node) ?? []) {
        const stops = Boolean(child.isolation && child.isolationAssessed);
        boundaries.push({ kind: 'isolation', between: [node, child.id], mechanism: child.isolation ?? '(none)', assessed: Boolean(child.isolationAssessed), stopsAttacker: stops });
        if (stops) { mechanisms.set(child.isolation!, `${node} ⊃ ${child.id}`); continue; }
        reach(child.id, [...path, child.id]);
      }
    }
  }
  const where = assignComponents(model, components, deps);
  // A launched process whose package the inventory does not hold: what runs there is not in the SBOM.
  const placed = new Set<string>();
  for (const places of where.values()) for (const p of places) placed.add(p);
  for (const c of model.compartments) {
    if (c.kind !== 'process' || placed.has(c.id)) continue;
    const pkgs = (c.components ?? []).filter((x) => x.startsWith('ros:') && !/[*?]/.test(x)).map((x) => x.slice(4));
    // A package the product depends on but that did not resolve (linorobot2_bringup's micro_ros_agent, not released
    // for jazzy) is not missing an exec_depend: say which dependency names it and why it was not resolved.
    const declared = pkgs.filter((p) => unresolved.some((u) => u.key === p));
    const undeclared = pkgs.filter((p) => !declared.includes(p));
    if (undeclared.length) notes.push(`${c.id} runs ${undeclared.join(', ')}, which the inventory does not hold: no package of the product depends on ${undeclared.length === 1 ? 'it' : 'them'} (add an exec_depend to the bringup package), so what runs there is not in the SBOM`);
    for (const p of declared) {
      const u = unresolved.find((x) => x.key === p)!;
      notes.push(`${c.id} runs ${p}, which the inventory does not hold: ${u.package} depends on it (${u.file}${u.line ? `:${u.line}` : ''}) but it is not resolved (${u.reason}), so what runs there is not in the SBOM`);
    }
  }
  const stoppedAt = new Map<string, string[]>();
  for (const b of boundaries) if (b.stopsAttacker) stoppedAt.set(b.between[1], [...new Set([...(stoppedAt.get(b.between[1]) ?? []), `${b.mechanism} (assessed)`])]);
  const perimeter: PerimeterResult['perimeter'] = [];
  const outside: PerimeterResult['outside'] = [];
  for (const c of components) {
    const places = where.get(c.purl) ?? [];
    const comp = places[0] ?? null;
    // In the perimeter when any place it runs in is reached: a message package is (de)serialised in every process that uses it.
    const hit = places.find((p) => via.has(p));
    // Build, test, doc and dev dependencies do not ship, whatever compartment their project runs in.
    if (c.kind !== 'runtime' && c.kind !== 'optional') outside.push({ component: c.purl, compartment: comp, reason: `not shipped at runtime (scope ${c.kind ?? 'unreachable from the product\'s roots'})` });
    else if (comp === null) perimeter.push({ component: c.purl, compartment: null, via: [], basis: 'counted-in', reason: COUNTED_IN_REASON });
    else if (hit !== undefined) {
      const path = via.get(hit)!;
      perimeter.push({ component: c.purl, compartment: hit, via: path, ...(hit !== comp ? { placedIn: comp } : {}), basis: 'reached', reason: `reached from ${path[0]} through ${path.slice(1).join(' → ')}${hit !== comp ? ` (loaded by that process; placed in ${comp})` : ''}` });
    }
    else {
      const stopped = [...new Set(places.flatMap((p) => stoppedAt.get(p) ?? []))];
      const inWhat = places.length > 1 ? `${comp} and the processes that load it (${places.slice(1).join(', ')})` : comp;
      outside.push({ component: c.purl, compartment: comp, reason: stopped.length ? `in ${inWhat}, behind ${stopped.join(', ')}` : `in ${inWhat}, which no data flow from an external interface reaches` });
    }
  }
  const reachedCount = perimeter.filter((p) => p.basis === 'reached').length;
  return {
    perimeter, outside, notes,
    counts: { reached: reachedCount, countedIn: perimeter.length - reachedCount, outside: outside.length, interfaces: model.interfaces.length },
    mechanisms: [...mechanisms].map(([mechanism, w]) => ({ mechanism, where: w })),
    boundaries: dedupe(boundaries),
    reachedCompartments: [...via.keys()],
  };
}

function dedupe(bs: Boundary[]): Boundary[] {
  const seen = new Set<string>();
  return bs.filter((b) => { const k = `${b.kind}|${b.between.join('>')}`; if (seen.has(k)) return false; seen.add(k); return true; });
}
