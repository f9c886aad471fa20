// Library entry point: the certification perimeter of a product, from its architecture model.
import type { Problem } from '../model/inventory.ts';
import { ensureManifest } from './cra.ts';
import { buildInventory } from './inventory.ts';
import { productRequest } from './request.ts';
import { findVulnerabilities } from './vulns.ts';
import { analysePerimeter, type PerimeterResult } from '../perimeter/analyse.ts';
import { buildModel } from '../perimeter/build.ts';
import type { ArchitectureModel } from '../perimeter/model.ts';
import { sevenProperties, type PropertyResult } from '../perimeter/seven.ts';
import type { AdvisoryDb } from '../advisories/store.ts';
import { manifestStatements } from '../vex/statements.ts';

export interface VexSuggestion { component: string; vulnerability: string; status: 'not_affected'; justification: 'vulnerable_code_cannot_be_controlled_by_adversary'; impact: string; confirmedBy: null }

export interface PerimeterReport extends PerimeterResult {
  model: ArchitectureModel;
  vexSuggestions: VexSuggestion[];
  sevenProperties: PropertyResult[];
  /** What the inventory could not read: the perimeter is then drawn over part of the product. */
  problems: Problem[];
}

export async function perimeterReport(dir: string, db?: AdvisoryDb): Promise<PerimeterReport> {
  const { request, product, manifest: found } = await productRequest(dir, {});
  const manifest = ensureManifest(found, dir);
  const model = buildModel(manifest);
  const inv = await buildInventory(request);
  const result = analysePerimeter(model, inv.components, inv.dependencies);
  const vexSuggestions: VexSuggestion[] = [];
  if (db) {
    const reason = new Map(result.outside.map((o) => [o.component, o]));
    const { findings } = findVulnerabilities({ components: inv.components.filter((c) => reason.has(c.purl)), db, product, vex: manifestStatements(manifest) });
    for (const f of findings.filter((x) => x.status === 'under_investigation' || x.status === 'affected')) {
      const o = reason.get(f.component)!;
      vexSuggestions.push({
        component: f.component, vulnerability: f.advisory, status: 'not_affected', justification: 'vulnerable_code_cannot_be_controlled_by_adversary',
        impact: `${f.component} runs ${o.reason}; no data flow from an external interface reaches it, so an adversary cannot supply the input the vulnerability needs. To be confirmed by a person.`,
        confirmedBy: null,
      });
    }
  }
  return { ...result, model, vexSuggestions, sevenProperties: sevenProperties(model, result, manifest, inv.components.length), problems: inv.problems };
}

// DOT quoted string: a backslash escapes the next character, so backslashes are doubled first
// (an id ending in "\" would otherwise swallow the closing quote); newlines become \n.
const q = (s: string) => `"${s.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\r?\n/g, '\\n')}"`;

/** Graphviz: compartments as nested clusters, interfaces as red entry points, the perimeter in red. */
export function perimeterDot(r: PerimeterReport): string {
  const reached = new Set(r.reachedCompartments);
  const lines = ['digraph perimeter {', '  rankdir=LR; node [fontname="sans-serif" fontsize=10]; edge [fontname="sans-serif" fontsize=8];'];
  const children = (parent: string | undefined): string[] => r.model.compartments.filter((c) => c.parent === parent).flatMap((c) => {
    const inside = children(c.id);
    const count = r.perimeter.filter((p) => p.compartment === c.id).length + r.outside.filter((o) => o.compartment === c.id).length;
    return [`  subgraph ${q(`cluster_${c.id}`)} {`, `    label=${q(`${c.id} (${c.kind}${c.isolation ? `; ${c.isolation}${c.isolationAssessed ? ', assessed' : ''}` : ''})`)}; color=${reached.has(c.id) ? 'red' : 'darkgreen'};`,
      `    ${q(c.id)} [shape=box style=filled fillcolor=${reached.has(c.id) ? '"#fde0dc"' : '"#e0f2e9"'} label=${q(`${c.id}\n${count} component(s)`)}];`, ...inside, '  }'];
  });
  for (const x of children(undefined)) lines.push(x);
  for (const i of r.model.interfaces) lines.push(`  ${q(i.id)} [shape=cds style=filled fillcolor="#ff8a80" label=${q(`${i.id}\n${i.kind}${i.port ? ` :${i.port}` : ''}`)}];`, `  ${q(i.id)} -> ${q(i.into)} [color=red];`);
  for (const f of r.model.flows) {
    const stop = f.authenticated && f.encrypted && f.mechanismAssessed;
    lines.push(`  ${q(f.from)} -> ${q(f.to)} [label=${q(f.mechanism ?? f.protocol ?? '')} color=${stop ? 'darkgreen' : reached.has(f.from) || r.model.interfaces.some((i) => i.id === f.from) ? 'red' : 'gray'}${stop ? ' style=bold' : ''}];`);
  }
  lines.push('}');
  return lines.join('\n') + '\n';
}
