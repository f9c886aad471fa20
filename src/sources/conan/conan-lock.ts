// conan.lock. Conan 2 ("version": "0.5"): flat lists of references, `requires` (linked into the
// product) and `build_requires` / `python_requires` (tools of the build). Conan 1 ("0.4"): a graph,
// `graph_lock.nodes` whose "0" is the consumer. A reference is name/version[@user/channel][#rrev[%time]].
import { basename, dirname } from 'node:path';
import { parseJsonText } from '../../util/json.ts';
import { InputError } from '../../util/errors.ts';
import { makePurl } from '../../model/purl.ts';
import { FragmentBuilder } from '../common/fragment.ts';
import type { InventoryFragment } from '../extractor.ts';
import type { DependencyKind } from '../../model/inventory.ts';

export function parseConanRef(ref: string): { name: string; version: string; user?: string; channel?: string; rrev?: string } | undefined {
  const m = /^([^/@#%\s]+)\/([^/@#%\s]+)(?:@([^/#%\s]+)\/([^#%\s]+))?(?:#([^%\s]+))?(?:%\S+)?$/.exec(ref.trim());
  if (!m) return undefined;
  return { name: m[1]!, version: m[2]!, ...(m[3] && m[3] !== '_' ? { user: m[3] } : {}), ...(m[4] && m[4] !== '_' ? { channel: m[4] } : {}), ...(m[5] ? { rrev: m[5] } : {}) };
}

// The purl spec's conan type: the user is the namespace, the channel and recipe revision are qualifiers.
const purlOf = (r: NonNullable<ReturnType<typeof parseConanRef>>) => makePurl({ type: 'conan', ...(r.user ? { namespace: r.user } : {}), name: r.name, version: r.version, ...(r.channel || r.rrev ? { qualifiers: { ...(r.channel ? { channel: r.channel } : {}), ...(r.rrev ? { rrev: r.rrev } : {}) } } : {}) });

export function parseConanLock(text: string, file: string, project = basename(dirname(file)) || 'project'): InventoryFragment {
  const lock = parseJsonText(text, file) as Record<string, unknown>;
  if (!lock || typeof lock !== 'object' || Array.isArray(lock)) throw new InputError('not a conan.lock', file, 1);
  const b = new FragmentBuilder();
  const root = b.component({ purl: makePurl({ type: 'generic', name: project }), name: project, version: '', ecosystem: 'generic', licenses: [], sourceFile: file, dependenciesComplete: true, root: true, firstParty: true });
  const add = (ref: string): string => {
    const r = parseConanRef(ref);
    if (!r) throw new InputError(`"${ref.slice(0, 80)}" is not a Conan reference (name/version[@user/channel][#revision])`, file);
    return b.component({ purl: purlOf(r), name: r.name, version: r.version, ecosystem: 'conan', licenses: [], sourceFile: file, dependenciesComplete: false, properties: { 'conan:ref': ref.split('%')[0]! } });
  };
  const graph = (lock['graph_lock'] as { nodes?: Record<string, { ref?: string; requires?: string[]; build_requires?: string[]; python_requires?: string[] }> } | undefined)?.nodes;
  if (graph && typeof graph === 'object') {
    const ids = new Map<string, string>();
    for (const [id, n] of Object.entries(graph)) ids.set(id, id === '0' || !n.ref ? root : add(n.ref));
    for (const [id, n] of Object.entries(graph)) {
      for (const [list, kind] of [[n.requires, 'runtime'], [n.build_requires, 'build']] as [string[] | undefined, DependencyKind][]) {
        for (const to of list ?? []) { const t = ids.get(String(to)); if (t) b.edge(ids.get(id)!, t, kind); else b.missing({ key: String(to), package: n.ref ?? project, from: ids.get(id)!, file, reason: `node ${to} is not in graph_lock` }); }
      }
    }
    for (const c of b.build().components) if (c.purl !== root) c.dependenciesComplete = true;
    return b.build();
  }
  if (!Array.isArray(lock['requires'])) throw new InputError('not a conan.lock: neither "requires" (Conan 2) nor "graph_lock" (Conan 1)', file, 1);
  for (const [key, kind] of [['requires', 'runtime'], ['build_requires', 'build'], ['python_requires', 'build']] as [string, DependencyKind][]) {
    for (const ref of (lock[key] as unknown[] | undefined) ?? []) {
      if (typeof ref !== 'string') throw new InputError(`${key} holds something that is not a reference`, file);
      b.edge(root, add(ref), kind);
    }
  }
  return { ...b.build(), notes: [`${file}: a Conan 2 lockfile lists what the build resolved without its graph: its packages hang from the project (depth 1); requires are linked into the product, build_requires and python_requires are build tools`] };
}
