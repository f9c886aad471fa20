// What every vulnerability export needs from a finding.
import { countVulnerabilities, vulnerabilitiesText, type VulnerabilityCounts } from '../../model/counting.ts';
import type { Coverage, Finding } from '../../model/advisory.ts';
import type { ProductInfo } from '../../model/product.ts';

export interface VexExportInput {
  product: ProductInfo;
  findings: Finding[];
  toolVersion: string;
  timestamp?: Date;
  /** Stable document id; a random one is made when absent. */
  documentId?: string;
  /** file each component was declared in (for SARIF locations) */
  sourceFileOf?: (purl: string) => string | undefined;
  /** What the findings cover; every export states it, so an empty list is never read as "no vulnerabilities". */
  coverage?: Coverage;
}

export function bestScore(f: Finding): { score: number | null; vector: string | null; type: string | null } {
  const scored = f.severity.filter((s) => s.baseScore !== null).sort((a, b) => b.baseScore! - a.baseScore!);
  const best = scored[0];
  return best ? { score: best.baseScore, vector: best.vector, type: best.type } : { score: null, vector: null, type: null };
}

export function rating(f: Finding): string | null {
  const order = ['none', 'low', 'medium', 'high', 'critical'];
  return f.severity.map((s) => s.rating).filter((r): r is string => !!r).sort((a, b) => order.indexOf(b) - order.indexOf(a))[0] ?? null;
}

export function isoSeconds(d: Date): string {
  return d.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** The summary every export states beside its findings: "3 known vulnerabilities in 4 components (…)" (model/counting.ts). */
export function findingsSummary(input: Pick<VexExportInput, 'findings'>): { text: string; counts: VulnerabilityCounts } {
  const counts = countVulnerabilities(input.findings);
  return { text: vulnerabilitiesText(counts), counts };
}
