// What marque.yaml's architecture names must exist in the model: a flow between names that are no
// compartment is never followed, so a misspelt or mis-namespaced node would leave what it reaches
// outside the perimeter without a word. Each such name gets a note, with the launched process it
// probably means (same node name, another namespace, or an unnamed node's file:line id).
import type { ArchitectureModel } from './model.ts';

/** The node name of a `node:/ns/name` id, without the `@file:line` an unnamed node carries. */
const nodeName = (id: string): string | undefined => /^node:.*\/([^/]+)$/.exec(id.split('@')[0]!)?.[1];

/** Compartments the author probably meant by an id that is none: same node name, or the same id up to case. */
export function likelyMeant(id: string, ids: readonly string[]): string[] {
  const name = nodeName(id);
  const lower = id.toLowerCase();
  return ids.filter((x) => x !== id && (x.toLowerCase() === lower || (name !== undefined && nodeName(x) === name)));
}

/** "; the model has …": what an unknown id probably means, or nothing. */
export function meantText(id: string, ids: readonly string[]): string {
  const m = likelyMeant(id, ids);
  if (!m.length) return '';
  return `; the model has ${m.slice(0, 3).join(', ')}${m.length > 3 ? `, … (${m.length - 3} more)` : ''}`;
}

/** Notes for every name a flow, an interface or a parent gives that is no compartment (or, for a flow's source, interface) of the model. */
export function unknownReferences(model: ArchitectureModel): string[] {
  const compartments = model.compartments.map((c) => c.id);
  const known = new Set(compartments);
  const interfaces = new Set(model.interfaces.map((i) => i.id));
  const notes: string[] = [];
  for (const i of model.interfaces) {
    if (!known.has(i.into)) notes.push(`interface ${i.id} enters unknown compartment ${i.into}: no compartment of the model has that id, so the analysis does not follow it${meantText(i.into, compartments)}`);
  }
  for (const f of model.flows) {
    const bad = [f.from, f.to].filter((x, k) => !known.has(x) && !(k === 0 && interfaces.has(x)));
    for (const x of new Set(bad)) notes.push(`flow ${f.from} → ${f.to}${f.protocol ? ` (${f.protocol})` : ''}: ${x} is no compartment${x === f.from ? ' or interface' : ''} of the model, so this flow is not followed${meantText(x, compartments)}`);
  }
  // Every launched process takes ros.compartment as its parent: one note per missing parent, not per child.
  const orphans = new Map<string, string[]>();
  for (const c of model.compartments) if (c.parent && !known.has(c.parent)) orphans.set(c.parent, [...(orphans.get(c.parent) ?? []), c.id]);
  for (const [parent, children] of orphans) {
    notes.push(`${children.length === 1 ? `compartment ${children[0]} names` : `${children.length} compartments (${children.slice(0, 3).join(', ')}${children.length > 3 ? ', …' : ''}) name`} parent ${parent}, which is no compartment of the model: what reaches it does not reach them${meantText(parent, compartments)}`);
  }
  return notes;
}
