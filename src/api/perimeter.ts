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
import { escapeHtmlAttr } from '../util/html.ts';
import { findLaunchFiles, workspacePackages } from '../perimeter/launch/workspace.ts';
import type { CheckInput } from '../cra/check.ts';
import type { Manifest } from '../manifest/manifest.ts';
import { basename, resolve } from 'node:path';
import { quote } from '../util/text.ts';

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
  const result = analysePerimeter(model, inv.components, inv.dependencies, inv.unresolved);
  const vexSuggestions: VexSuggestion[] = [];
  if (db) {
    const reason = new Map(result.outside.map((o) => [o.component, o]));
    const { findings } = findVulnerabilities({ components: inv.components.filter((c) => reason.has(c.purl)), unlisted: inv, db, product, vex: manifestStatements(manifest) });
    for (const f of findings.filter((x) => x.status === 'under_investigation' || x.status === 'affected')) {
      const o = reason.get(f.component)!;
      vexSuggestions.push({
        component: f.component, vulnerability: f.advisory, status: 'not_affected', justification: 'vulnerable_code_cannot_be_controlled_by_adversary',
        impact: `${f.component} runs ${o.reason}; no data flow from an external interface reaches it, so an adversary cannot supply the input the vulnerability needs. To be confirmed by a person.`,
        confirmedBy: null,
      });
    }
  }
  return { ...result, model, vexSuggestions, sevenProperties: sevenProperties(model, result, manifest, inv.components.length), problems: [...declaredLaunchMissing(manifest), ...inv.problems] };
}

/**
 * A declared launch file that is not there (a typo, a file not checked out) is an input error, with its line in
 * marque.yaml: the perimeter would otherwise be drawn without what it starts, and look smaller than it is.
 */
function declaredLaunchMissing(manifest: Manifest): Problem[] {
  return (manifest.architecture?.ros?.launch ?? []).flatMap((f, i) => {
    const path = resolve(manifest.dir, f);
    if (!manifest.files.allows(path) || manifest.files.exists(path)) return []; // a link out is refused where the file is read
    const line = manifest.pathLines[`architecture.ros.launch.${i}`];
    return [{ file: basename(manifest.file), ...(line ? { line } : {}), message: `architecture.ros.launch: ${quote(f)} not found; nothing it would start is in the perimeter`, severity: 'error' as const }];
  });
}

/**
 * Whether a product has a perimeter to compute: an architecture in marque.yaml, or a ROS workspace with launch
 * files (what "marque perimeter" then says of it: its launch files to declare, what is counted in).
 */
export function hasPerimeter(dir: string, manifest: Manifest): boolean {
  return Boolean(manifest.architecture) || findLaunchFiles(dir, workspacePackages(dir), { limit: 1 }).length > 0;
}

/** What "check" and the dossier show of the perimeter for Annex I, Part I (2)(j). */
export function perimeterEvidenceOf(r: PerimeterReport): NonNullable<CheckInput['perimeter']> {
  return { interfaces: r.model.interfaces.map((i) => ({ id: i.id, kind: i.kind, probable: Boolean(i.probable) })), reached: r.counts.reached, countedIn: r.counts.countedIn, notes: r.model.notes.length + r.notes.length };
}

/** The perimeter evidence of "check": only for a product that has a perimeter; a failure is said, not hidden. */
export async function perimeterEvidence(dir: string, manifest: Manifest): Promise<CheckInput['perimeter']> {
  if (!hasPerimeter(dir, manifest)) return undefined;
  try {
    return perimeterEvidenceOf(await perimeterReport(dir));
  } catch (e) {
    return { missing: `the perimeter could not be computed: ${(e as Error).message}` };
  }
}

// DOT quoted string: a backslash escapes the next character, so backslashes are doubled first
// (an id ending in "\" would otherwise swallow the closing quote); newlines become \n.
const q = (s: string) => `"${s.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\r?\n/g, '\\n')}"`;

/**
 * Graphviz: compartments that hold others as nested clusters, the others as one box each (no box
 * inside a box), DDS buses as small ellipses, interfaces as red entry points, the perimeter in red,
 * and a legend under the picture. Kept readable at its natural size: short labels (the isolation
 * mechanism is in the tooltip and the lists), parallel flows drawn once with a count, no label on
 * every edge. A large model collapses the compartments no attacker data reaches, per parent, into one box.
 */
export function perimeterDot(r: PerimeterReport, options: { collapseOver?: number } = {}): string {
  const reached = new Set(r.reachedCompartments);
  const collapse = r.model.compartments.length > (options.collapseOver ?? 40);
  const lines = ['digraph perimeter {', '  rankdir=TB; nodesep=0.15; ranksep=0.35; fontname="sans-serif"; fontsize=12; newrank=false;',
    '  node [fontname="sans-serif" fontsize=11 margin="0.08,0.03"]; edge [fontname="sans-serif" fontsize=9 arrowsize=0.6];'];
  const counts = new Map<string, number>();
  for (const x of [...r.perimeter, ...r.outside]) if (x.compartment) counts.set(x.compartment, (counts.get(x.compartment) ?? 0) + 1);
  const kids = new Map<string | undefined, typeof r.model.compartments>();
  for (const c of r.model.compartments) { const l = kids.get(c.parent); if (l) l.push(c); else kids.set(c.parent, [c]); }
  // Edges to a collapsed compartment are drawn to its group's box.
  const drawnAs = new Map<string, string>();
  const label = (c: (typeof r.model.compartments)[number]) => {
    const n = counts.get(c.id) ?? 0;
    // A process the launch file does not name: its name, then where it is launched (file name and line), on two lines.
    const unnamed = /^(node:[^@]+)@(?:.*\/)?([^/]+)$/.exec(c.id);
    return `${unnamed ? `${unnamed[1]}\n${unnamed[2]}` : c.id}\n${c.kind}${c.isolation ? ` · isolated${c.isolationAssessed ? ' (assessed)' : ''}` : ''} · ${n} component${n === 1 ? '' : 's'}`;
  };
  const box = (c: (typeof r.model.compartments)[number], indent: string) => {
    const hot = reached.has(c.id);
    if (c.kind === 'bus') return `${indent}${q(c.id)} [shape=ellipse style=filled fillcolor=${hot ? '"#fde0dc"' : '"#eef3f8"'} color=${hot ? 'red' : 'gray50'} fontsize=10 label=${q(c.id.replace(/^dds-(topic|service|action):/, '$1 '))} tooltip=${q(c.id)}];`;
    return `${indent}${q(c.id)} [shape=box style="filled,rounded" color=${hot ? 'red' : 'darkgreen'} penwidth=${hot ? 2 : 1} fillcolor=${hot ? '"#fde0dc"' : '"#e0f2e9"'} label=${q(label(c))} tooltip=${q(c.isolation ?? c.kind)}];`;
  };
  const draw = (parent: string | undefined, indent: string): string[] => {
    const list = kids.get(parent) ?? [];
    const out: string[] = [];
    const quiet = collapse ? list.filter((c) => !reached.has(c.id) && !kids.has(c.id)) : [];
    if (quiet.length > 1) {
      const id = `collapsed:${parent ?? 'top'}`;
      for (const c of quiet) drawnAs.set(c.id, id);
      const n = quiet.reduce((a, c) => a + (counts.get(c.id) ?? 0), 0);
      out.push(`${indent}${q(id)} [shape=box3d style=filled fillcolor="#e0f2e9" color=darkgreen label=${q(`${quiet.length} compartments no external data reaches\n${n} components`)} tooltip=${q(quiet.slice(0, 50).map((c) => c.id).join(', '))}];`);
    }
    for (const c of list) {
      if (quiet.length > 1 && quiet.includes(c)) continue;
      if (!kids.has(c.id)) { out.push(box(c, indent)); continue; }
      const hot = reached.has(c.id);
      out.push(`${indent}subgraph ${q(`cluster_${c.id}`)} {`,
        `${indent}  label=${q(`${c.id} · ${c.kind}${c.isolation ? ` · isolated${c.isolationAssessed ? ' (assessed)' : ''}` : ''}`)}; tooltip=${q(c.isolation ?? c.kind)}; color=${hot ? 'red' : 'darkgreen'}; penwidth=${hot ? 2 : 1}; style=rounded; fontsize=11;`,
        // The compartment's own components (and the end of flows that name it): one box inside its cluster.
        `${indent}  ${q(c.id)} [shape=box style="filled,rounded" fillcolor=${hot ? '"#fde0dc"' : '"#e0f2e9"'} label=${q(`${counts.get(c.id) ?? 0} component${counts.get(c.id) === 1 ? '' : 's'}`)} tooltip=${q(c.id)}];`,
        ...draw(c.id, `${indent}  `), `${indent}}`);
    }
    return out;
  };
  for (const x of draw(undefined, '  ')) lines.push(x);
  const end = (id: string) => drawnAs.get(id) ?? id;
  for (const i of r.model.interfaces) lines.push(`  ${q(i.id)} [shape=cds style=${i.probable ? '"filled,dashed"' : 'filled'} fillcolor="#ff8a80" label=${q(`${i.id}\n${i.kind}${i.port ? ` :${i.port}` : ''}${i.probable ? ' (probable)' : ''}`)} tooltip=${q(i.description ?? i.id)}];`, `  ${q(i.id)} -> ${q(end(i.into))} [color=red];`);
  // Parallel flows (same ends, same verdict) are one arrow with a count.
  const edges = new Map<string, { from: string; to: string; color: string; bold: boolean; n: number }>();
  const mechanisms = new Set<string>();
  for (const f of r.model.flows) {
    const stop = Boolean(f.authenticated && f.encrypted && f.mechanismAssessed);
    if (stop && f.mechanism) mechanisms.add(f.mechanism);
    const color = stop ? 'darkgreen' : reached.has(f.from) || r.model.interfaces.some((i) => i.id === f.from) ? 'red' : 'gray';
    const from = end(f.from), to = end(f.to);
    if (from === to) continue;
    const key = `${from}\0${to}\0${color}`;
    const e = edges.get(key) ?? { from, to, color, bold: stop, n: 0 };
    e.n++;
    edges.set(key, e);
  }
  for (const e of edges.values()) lines.push(`  ${q(e.from)} -> ${q(e.to)} [color=${e.color}${e.bold ? ' style=bold' : ''}${e.n > 1 ? ` label=${q(`×${e.n}`)}` : ''}];`);
  // The legend is the graph's own label, under the picture: it widens nothing.
  lines.push(`  labelloc=b; labeljust=l; label=<<table border="0" cellborder="0" cellspacing="1" cellpadding="1">
    <tr><td colspan="6" align="left"><b>Legend</b></td></tr>
    <tr><td bgcolor="#fde0dc" border="1" color="red" width="14"> </td><td align="left">reached from an external interface: in the perimeter</td><td width="10"> </td>
        <td bgcolor="#e0f2e9" border="1" color="darkgreen" width="14"> </td><td align="left">no external data reaches it</td><td> </td></tr>
    <tr><td bgcolor="#ff8a80" width="14"> </td><td align="left">external interface (dashed: probable, not declared)</td><td> </td>
        <td><font color="red">→</font></td><td align="left">data flow an attacker can drive (unauthenticated or not assessed)</td><td> </td></tr>
    <tr><td><font color="darkgreen"><b>→</b></font></td><td align="left" colspan="4">authenticated, encrypted, assessed: stops the attacker${mechanisms.size ? ` (${escapeHtmlAttr([...mechanisms].join('; '))})` : ''}</td><td> </td></tr>
    <tr><td><font color="gray">→</font></td><td align="left">other data flow; ×N: N flows</td><td> </td><td>◯</td><td align="left">DDS bus (domain, topic, service, action)</td><td> </td></tr>
  </table>>;`);
  lines.push('}');
  return lines.join('\n') + '\n';
}
