// The certification perimeter: every component that attacker-controlled data can reach from an
// external interface. Propagation follows data flows and compartment nesting; a flow that is
// authenticated and encrypted by an assessed mechanism stops the attacker model there, and that
// mechanism joins the perimeter, because it must then be certified itself.
import type { InventoryComponent } from '../api/inventory.ts';
import type { Dependency } from '../model/inventory.ts';
import type { ArchitectureModel, Compartment } from './model.ts';

export interface Boundary { kind: 'flow' | 'isolation'; between: [string, string]; mechanism: string; assessed: boolean; stopsAttacker: boolean }
export interface PerimeterResult {
  perimeter: { component: string; compartment: string | null; via: string[] }[];
  mechanisms: { mechanism: string; where: string }[];
  outside: { component: string; compartment: string | null; reason: string }[];
  boundaries: Boundary[];
  reachedCompartments: string[];
  notes: string[];
}

const glob = (p: string) => new RegExp(`^${p.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*')}$`);

/** Which compartment runs a component: the most specific (deepest) one whose patterns match. */
export function assignComponents(model: ArchitectureModel, components: readonly InventoryComponent[], deps: readonly Dependency[]): Map<string, string | null> {
  const depth = (c: Compartment): number => (c.parent ? 1 + depth(model.compartments.find((x) => x.id === c.parent) ?? { id: '', kind: 'host' }) : 0);
  const ordered = [...model.compartments].sort((a, b) => depth(b) - depth(a));
  // "ros:<package>" names a ROS package whether built in the workspace or installed as ros-<distro>-*.
  const matches = (p: string, comp: InventoryComponent): boolean => {
    if (!p.startsWith('ros:')) return glob(p).test(comp.purl);
    const re = glob(p.slice(4));
    const rosName = comp.ecosystem === 'ros' ? comp.name : comp.properties?.['ros:package'];
    return rosName !== undefined && re.test(rosName);
  };
  const out = new Map<string, string | null>();
  for (const comp of components) {
    const hit = ordered.find((c) => (c.components ?? []).some((p) => matches(p, comp)));
    out.set(comp.purl, hit?.id ?? null);
  }
  // A runtime dependency with no compartment of its own runs where what needs it runs (it is linked or loaded there).
  let changed = true;
  while (changed) {
    changed = false;
    for (const d of deps) {
      if (!['exec', 'runtime', 'build_export', 'buildtool_export', 'peer', 'optional'].includes(d.kind)) continue;
      const from = out.get(d.from);
      if (from && out.get(d.to) === null) { out.set(d.to, from); changed = true; }
    }
  }
  return out;
}

export function analysePerimeter(model: ArchitectureModel, components: readonly InventoryComponent[], deps: readonly Dependency[]): PerimeterResult {
  const byId = new Map(model.compartments.map((c) => [c.id, c]));
  const notes: string[] = [];
  const boundaries: Boundary[] = [];
  const mechanisms = new Map<string, string>();
  const via = new Map<string, string[]>(); // compartment → path of ids that reached it
  const queue: string[] = [];
  const reach = (id: string, path: string[]) => { if (!via.has(id) && byId.has(id)) { via.set(id, path); queue.push(id); } };

  for (const i of model.interfaces) {
    if (!byId.has(i.into)) { notes.push(`interface ${i.id} enters unknown compartment ${i.into}`); continue; }
    reach(i.into, [i.id, i.into]);
  }
  // Flows out of an interface also carry attacker data from the start.
  const sources = new Set(model.interfaces.map((i) => i.id));
  while (queue.length || sources.size) {
    const nodes = [...sources, ...queue.splice(0)];
    sources.clear();
    for (const node of nodes) {
      const path = via.get(node) ?? [node];
      for (const f of model.flows.filter((x) => x.from === node)) {
        const protectedFlow = Boolean(f.authenticated && f.encrypted && f.mechanism);
        const stops = protectedFlow && Boolean(f.mechanismAssessed);
        boundaries.push({ kind: 'flow', between: [f.from, f.to], mechanism: f.mechanism ?? '(none)', assessed: Boolean(f.mechanismAssessed), stopsAttacker: stops });
        if (stops) { mechanisms.set(f.mechanism!, `${f.from} → ${f.to}`); continue; }
        reach(f.to, [...path, f.to]);
      }
      // Nested compartments: reaching a parent reaches a child unless an assessed isolation mechanism stands between.
      for (const child of model.compartments.filter((c) => c.parent === node)) {
        const stops = Boolean(child.isolation && child.isolationAssessed);
        boundaries.push({ kind: 'isolation', between: [node, child.id], mechanism: child.isolation ?? '(none)', assessed: Boolean(child.isolationAssessed), stopsAttacker: stops });
        if (stops) { mechanisms.set(child.isolation!, `${node} ⊃ ${child.id}`); continue; }
        reach(child.id, [...path, child.id]);
      }
    }
  }
  const where = assignComponents(model, components, deps);
  const perimeter: PerimeterResult['perimeter'] = [];
  const outside: PerimeterResult['outside'] = [];
  for (const c of components) {
    const comp = where.get(c.purl) ?? null;
    // Build, test, doc and dev dependencies do not ship, whatever compartment their project runs in.
    if (c.kind !== 'runtime' && c.kind !== 'optional') outside.push({ component: c.purl, compartment: comp, reason: `not shipped at runtime (scope ${c.kind ?? 'unreachable from the product\'s roots'})` });
    else if (comp === null) perimeter.push({ component: c.purl, compartment: null, via: ['not assigned to a compartment: counted in, to be safe'] });
    else if (via.has(comp)) perimeter.push({ component: c.purl, compartment: comp, via: via.get(comp)! });
    else {
      const stopped = boundaries.filter((b) => b.stopsAttacker && b.between[1] === comp).map((b) => `${b.mechanism} (assessed)`);
      outside.push({ component: c.purl, compartment: comp, reason: stopped.length ? `in ${comp}, behind ${stopped.join(', ')}` : `in ${comp}, which no data flow from an external interface reaches` });
    }
  }
  return {
    perimeter, outside, notes,
    mechanisms: [...mechanisms].map(([mechanism, w]) => ({ mechanism, where: w })),
    boundaries: dedupe(boundaries),
    reachedCompartments: [...via.keys()],
  };
}

function dedupe(bs: Boundary[]): Boundary[] {
  const seen = new Set<string>();
  return bs.filter((b) => { const k = `${b.kind}|${b.between.join('>')}`; if (seen.has(k)) return false; seen.add(k); return true; });
}
