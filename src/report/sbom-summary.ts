// The SBOM at a glance, from a list of components: the same figures for a product folder (the
// dossier) and for a release on the team server (the dashboard). Pure: runs in Node and the browser.
import type { DossierSbom } from '../model/dossier.ts';

export interface SummaryComponent { purl: string; ecosystem: string; depth: number | null; kind: string | null; licenses?: string[] }

/** paths: the shortest path to a component, where the dependency edges are known. */
export function sbomSummary(components: SummaryComponent[], opts: { notAnalysed?: DossierSbom['notAnalysed']; inputErrors?: number; path?: (purl: string) => string[] } = {}): DossierSbom {
  const count = <K>(keys: K[]) => { const m = new Map<K, number>(); for (const k of keys) m.set(k, (m.get(k) ?? 0) + 1); return m; };
  // The product's own components (depth 0) are the subject, not its supply chain.
  const own = components.filter((c) => c.depth !== 0);
  const byEcosystem = [...count(own.map((c) => c.ecosystem))].map(([ecosystem, n]) => ({ ecosystem, count: n })).sort((a, b) => b.count - a.count || (a.ecosystem < b.ecosystem ? -1 : 1));
  const depths = new Map<number | null, { runtime: number; other: number }>();
  for (const c of own) {
    const d = depths.get(c.depth) ?? { runtime: 0, other: 0 };
    if (c.kind === 'runtime') d.runtime++; else d.other++;
    depths.set(c.depth, d);
  }
  const byDepth = [...depths].map(([depth, d]) => ({ depth, ...d })).sort((a, b) => (a.depth ?? Infinity) - (b.depth ?? Infinity));
  const knowsLicences = own.every((c) => c.licenses !== undefined);
  const licences = knowsLicences ? [...count(own.flatMap((c) => c.licenses!))].map(([licence, n]) => ({ licence, count: n })).sort((a, b) => b.count - a.count || (a.licence < b.licence ? -1 : 1)) : null;
  const deepest = own.filter((c) => c.kind === 'runtime' && c.depth !== null).sort((a, b) => b.depth! - a.depth! || (a.purl < b.purl ? -1 : 1)).slice(0, 5);
  return {
    total: own.length, byEcosystem, byDepth, licences, withoutLicence: knowsLicences ? own.filter((c) => !c.licenses!.length).length : null,
    notAnalysed: opts.notAnalysed ?? [], inputErrors: opts.inputErrors ?? 0,
    deepest: deepest.map((c) => ({ component: c.purl, depth: c.depth!, path: opts.path ? opts.path(c.purl) : null })),
  };
}
