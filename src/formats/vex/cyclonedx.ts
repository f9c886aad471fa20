// CycloneDX 1.6 vulnerabilities (VEX/VDR): the affected components and one vulnerability per
// finding. Kept apart from the SBOM, as BSI TR-03183-2 §3.1 asks ("an SBOM MUST NOT contain
// vulnerability information").
import { randomUUID } from 'node:crypto';
import { productPurl } from '../cyclonedx/write.ts';
import { findingsSummary, isoSeconds, type VexExportInput } from './common.ts';
import { coverageText } from '../../advisories/coverage.ts';

const STATE: Record<string, string> = { affected: 'exploitable', not_affected: 'not_affected', fixed: 'resolved', under_investigation: 'in_triage' };
/** OpenVEX justifications in CycloneDX's words (CycloneDX 1.6 impactAnalysisJustification). */
const JUSTIFICATION: Record<string, string> = {
  component_not_present: 'code_not_present',
  vulnerable_code_not_present: 'code_not_present',
  vulnerable_code_not_in_execute_path: 'code_not_reachable',
  vulnerable_code_cannot_be_controlled_by_adversary: 'protected_by_mitigating_control',
  inline_mitigations_already_exist: 'protected_by_mitigating_control',
};
const METHOD: Record<string, string> = { 'CVSS_V2': 'CVSSv2', 'CVSS_V3': 'CVSSv31', 'CVSS_V4': 'CVSSv4' };

export function toCycloneDxVex(input: VexExportInput): Record<string, unknown> {
  const components = [...new Set(input.findings.map((f) => f.component))].sort();
  const root = productPurl(input.product);
  return {
    bomFormat: 'CycloneDX', specVersion: '1.6', serialNumber: `urn:uuid:${input.documentId ?? randomUUID()}`, version: 1,
    metadata: {
      timestamp: isoSeconds(input.timestamp ?? new Date()),
      tools: { components: [{ type: 'application', name: 'marque', version: input.toolVersion }] },
      component: { type: 'application', 'bom-ref': root, name: input.product.name, version: input.product.version, purl: root },
      properties: [
        { name: 'marque:findings', value: findingsSummary(input).text },
        { name: 'marque:findings:vulnerabilities', value: String(findingsSummary(input).counts.vulnerabilities) },
        { name: 'marque:findings:components', value: String(findingsSummary(input).counts.components) },
        ...(input.coverage ? [{ name: 'marque:coverage', value: coverageText(input.coverage) },
        { name: 'marque:coverage:components', value: String(input.coverage.components) },
        { name: 'marque:coverage:covered', value: String(input.coverage.coveredFresh) },
        { name: 'marque:coverage:complete', value: String(input.coverage.complete) },
        ...input.coverage.sources.map((s) => ({ name: `marque:coverage:source:${s.ecosystem}`, value: `${s.source} ${s.dataDate ?? 'unknown date'}${s.stale ? ' (stale)' : ''}` }))] : []),
      ],
    },
    components: components.map((purl) => ({ type: 'library', 'bom-ref': purl, name: purl.replace(/^pkg:[^/]+\//, '').split('@')[0], purl })),
    vulnerabilities: input.findings.map((f) => {
      const v: Record<string, unknown> = {
        'bom-ref': `${f.advisory}|${f.component}`,
        id: f.advisory,
        source: { name: f.advisory.split('-')[0] },
        references: f.aliases.map((a) => ({ id: a, source: { name: a.split('-')[0] } })),
        ratings: f.severity.map((s) => (s.baseScore !== null
          ? { method: s.vector.startsWith('CVSS:3.0') ? 'CVSSv3' : METHOD[s.type] ?? 'other', vector: s.vector, score: s.baseScore, ...(s.rating ? { severity: s.rating } : {}) }
          : { method: 'other', ...(s.rating ? { severity: s.rating } : { severity: 'unknown' }), justification: `advisory label ${s.vector}` })),
        affects: [{ ref: f.component }],
        analysis: {
          state: STATE[f.status],
          ...(f.justification && JUSTIFICATION[f.justification] ? { justification: JUSTIFICATION[f.justification] } : {}),
          ...(f.fixedIn.length ? { response: ['update'], detail: `Fixed in ${f.fixedIn.join(', ')}` } : {}),
        },
        properties: [
          { name: 'marque:exploited', value: String(f.exploited) },
          ...(f.kev ? [{ name: 'marque:kev:dateAdded', value: f.kev.dateAdded }] : []),
        ],
      };
      if (f.summary) v['description'] = f.summary;
      if (!(v['references'] as unknown[]).length) delete v['references'];
      return v;
    }),
  };
}
