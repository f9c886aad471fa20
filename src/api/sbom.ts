// Library entry points for SBOM output and for "why is this component here".
import { VERSION } from './defaults.ts';
import { toCycloneDx } from '../formats/cyclonedx/write.ts';
import { toSpdx } from '../formats/spdx/write.ts';
import { toSpdx3 } from '../formats/spdx3/write.ts';
import { DependencyGraph, edgeFilter } from '../graph/graph.ts';
import type { ProductInfo } from '../model/product.ts';
import type { ProductInventory } from '../model/inventory.ts';

export type SbomFormat = 'cyclonedx' | 'spdx' | 'spdx3';

export function renderSbom(inv: ProductInventory, format: SbomFormat, product: ProductInfo, at?: Date): Record<string, unknown> {
  const input = { product, components: inv.components, dependencies: inv.dependencies, notAnalysed: inv.notAnalysed, unresolved: inv.unresolved, toolVersion: VERSION, timestamp: at };
  return format === 'spdx' ? toSpdx(input) : format === 'spdx3' ? toSpdx3(input) : toCycloneDx(input);
}

/** total: paths that go deeper at every step, counted, not listed (see DependencyGraph.countPaths). */
export interface WhyResult { query: string; matches: string[]; paths: string[][]; truncated: boolean; total: bigint }

/** Without --limit, the shortest few: a real npm tree has millions of paths to a common package. */
export const WHY_DEFAULT_LIMIT = 10;

/** Every path (or the shortest `limit`) from the product's roots to the components matching `query`. */
export function why(inv: ProductInventory, query: string, limit = WHY_DEFAULT_LIMIT, kinds?: string[]): WhyResult {
  // A ROS package name (or ros:NAME) finds its workspace package and its released deb alike.
  const ros = query.startsWith('ros:') ? query.slice(4) : query;
  const matches = inv.components
    .filter((c) => c.purl === query || c.name === query || c.purl.split('?')[0] === query || c.purl.split('@')[0] === query
      || (c.ecosystem === 'ros' && c.name === ros) || c.properties?.['ros:package'] === ros)
    .map((c) => c.purl);
  const graph = new DependencyGraph(inv);
  const filter = edgeFilter(kinds);
  const paths: string[][] = [];
  let truncated = false;
  let total = 0n;
  for (const m of matches) total += graph.countPaths(m, filter);
  for (const m of matches) {
    const r = graph.paths(m, limit - paths.length, filter);
    for (const p of r.paths) paths.push(p);
    truncated ||= r.truncated;
    if (paths.length >= limit) { truncated ||= m !== matches.at(-1); break; }
  }
  paths.sort((a, b) => a.length - b.length);
  return { query, matches, paths, truncated, total };
}
