// SARIF 2.1.0 (OASIS) for code-scanning views: one rule per advisory, one result per finding,
// located at the file that declared the component.
import { bestScore, findingsSummary, type VexExportInput } from './common.ts';
import { coverageText } from '../../advisories/coverage.ts';

function level(score: number | null, exploited: boolean): 'error' | 'warning' | 'note' {
  if (exploited || (score !== null && score >= 7)) return 'error';
  if (score !== null && score >= 4) return 'warning';
  return score === null ? 'warning' : 'note';
}

export function toSarif(input: VexExportInput): Record<string, unknown> {
  const open = input.findings.filter((f) => f.status !== 'not_affected' && f.status !== 'fixed');
  const rules = new Map<string, Record<string, unknown>>();
  for (const f of open) {
    if (rules.has(f.advisory)) continue;
    const best = bestScore(f);
    rules.set(f.advisory, {
      id: f.advisory,
      shortDescription: { text: f.summary ?? f.advisory },
      helpUri: `https://osv.dev/vulnerability/${encodeURIComponent(f.advisory)}`,
      properties: { tags: ['security', ...(f.exploited ? ['actively-exploited'] : [])], ...(best.score !== null ? { 'security-severity': best.score.toFixed(1) } : {}) },
    });
  }
  return {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [{
      tool: { driver: { name: 'marque', version: input.toolVersion, informationUri: 'https://marque.invalid', rules: [...rules.values()] } },
      properties: { findings: { statement: findingsSummary(input).text, ...findingsSummary(input).counts }, ...(input.coverage ? { coverage: { statement: coverageText(input.coverage), components: input.coverage.components, covered: input.coverage.coveredFresh, complete: input.coverage.complete, uncovered: input.coverage.uncovered.length, restsOn: (input.coverage.restsOn ?? []).map((r) => `${r.source} (${r.ecosystem}, ${r.dataDate?.slice(0, 10) ?? 'undated'}${r.vouched ? ', complete only as vouched for at import' : ''})`), closureNotFollowed: (input.coverage.closure ?? []).map((g) => `${g.reason}; fix: ${g.fix}`) } } : {}) },
      results: open.map((f) => {
        const best = bestScore(f);
        const file = input.sourceFileOf?.(f.component);
        return {
          ruleId: f.advisory,
          level: level(best.score, f.exploited),
          message: { text: `${f.component} is affected by ${f.advisory}${f.aliases.length ? ` (${f.aliases.join(', ')})` : ''}${f.exploited ? '; actively exploited (CISA KEV): Art. 14 CRA reporting applies' : ''}${f.fixedIn.length ? `; fixed in ${f.fixedIn.join(', ')}` : ''}.` },
          locations: [{ physicalLocation: { artifactLocation: { uri: file ?? 'marque.yaml' } }, logicalLocations: [{ name: f.component, kind: 'package' }] }],
          partialFingerprints: { 'marque/finding': `${f.advisory}|${f.component}` },
          properties: { exploited: f.exploited, status: f.status },
        };
      }),
    }],
  };
}
