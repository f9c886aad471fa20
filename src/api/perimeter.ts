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

/**
 * Graphviz: compartments as nested clusters, interfaces as red entry points, the perimeter in red,
 * and a legend. Kept readable at its natural size: short labels (the isolation mechanism is in the
 * tooltip and the lists), parallel flows drawn once with a count, and no label on every edge — the
 * colour says whether a flow stops the attacker and the legend names the mechanisms.
 */
export function perimeterDot(r: PerimeterReport): string {
  const reached = new Set(r.reachedCompartments);
  const lines = ['digraph perimeter {', '  rankdir=LR; nodesep=0.2; ranksep=0.5; fontname="sans-serif"; fontsize=13;',
    '  node [fontname="sans-serif" fontsize=12 margin="0.08,0.04"]; edge [fontname="sans-serif" fontsize=10 arrowsize=0.7];'];
  const children = (parent: string | undefined): string[] => r.model.compartments.filter((c) => c.parent === parent).flatMap((c) => {
    const inside = children(c.id);
    const count = r.perimeter.filter((p) => p.compartment === c.id).length + r.outside.filter((o) => o.compartment === c.id).length;
    const hot = reached.has(c.id);
    return [`  subgraph ${q(`cluster_${c.id}`)} {`,
      `    label=${q(`${c.id} · ${c.kind}${c.isolation ? ` · isolated${c.isolationAssessed ? ' (assessed)' : ''}` : ''}`)}; tooltip=${q(c.isolation ?? c.kind)}; color=${hot ? 'red' : 'darkgreen'}; penwidth=${hot ? 2 : 1}; style=rounded;`,
      `    ${q(c.id)} [shape=box style="filled,rounded" fillcolor=${hot ? '"#fde0dc"' : '"#e0f2e9"'} label=${q(`${count} component${count === 1 ? '' : 's'}`)} tooltip=${q(c.id)}];`, ...inside, '  }'];
  });
  for (const x of children(undefined)) lines.push(x);
  for (const i of r.model.interfaces) lines.push(`  ${q(i.id)} [shape=cds style=filled fillcolor="#ff8a80" label=${q(`${i.id}\n${i.kind}${i.port ? ` :${i.port}` : ''}`)}];`, `  ${q(i.id)} -> ${q(i.into)} [color=red];`);
  // Parallel flows (same ends, same verdict) are one arrow with a count.
  const edges = new Map<string, { from: string; to: string; color: string; bold: boolean; n: number }>();
  const mechanisms = new Set<string>();
  for (const f of r.model.flows) {
    const stop = Boolean(f.authenticated && f.encrypted && f.mechanismAssessed);
    if (stop && f.mechanism) mechanisms.add(f.mechanism);
    const color = stop ? 'darkgreen' : reached.has(f.from) || r.model.interfaces.some((i) => i.id === f.from) ? 'red' : 'gray';
    const key = `${f.from}\0${f.to}\0${color}`;
    const e = edges.get(key) ?? { from: f.from, to: f.to, color, bold: stop, n: 0 };
    e.n++;
    edges.set(key, e);
  }
  for (const e of edges.values()) lines.push(`  ${q(e.from)} -> ${q(e.to)} [color=${e.color}${e.bold ? ' style=bold' : ''}${e.n > 1 ? ` label=${q(`×${e.n}`)}` : ''}];`);
  const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
  lines.push(`  legend [shape=plaintext label=<<table border="0" cellborder="0" cellspacing="2" cellpadding="2">
    <tr><td colspan="2" align="left"><b>Legend</b></td></tr>
    <tr><td bgcolor="#fde0dc" border="1" color="red" width="18"> </td><td align="left">reached from an external interface: inside the perimeter</td></tr>
    <tr><td bgcolor="#e0f2e9" border="1" color="darkgreen" width="18"> </td><td align="left">no external data reaches it</td></tr>
    <tr><td bgcolor="#ff8a80" width="18"> </td><td align="left">external interface (entry point)</td></tr>
    <tr><td><font color="red">→</font></td><td align="left">data flow an attacker can drive</td></tr>
    <tr><td><font color="darkgreen"><b>→</b></font></td><td align="left">authenticated, encrypted, assessed: stops the attacker${mechanisms.size ? ` (${esc([...mechanisms].join('; '))})` : ''}</td></tr>
    <tr><td><font color="gray">→</font></td><td align="left">other data flow; ×N: N flows</td></tr>
  </table>>];`);
  lines.push('}');
  return lines.join('\n') + '\n';
}
