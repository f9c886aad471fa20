// OpenVEX 0.2 (openvex/spec): one statement per finding.
import { randomUUID } from 'node:crypto';
import { findingsSummary, isoSeconds, type VexExportInput } from './common.ts';
import { coverageSentence } from '../../advisories/coverage.ts';

export function toOpenVex(input: VexExportInput): Record<string, unknown> {
  const timestamp = isoSeconds(input.timestamp ?? new Date());
  return {
    '@context': 'https://openvex.dev/ns/v0.2.0',
    '@id': input.documentId ?? `https://openvex.dev/docs/public/marque-${randomUUID()}`,
    author: input.product.manufacturer?.name ?? 'manufacturer not stated',
    role: 'manufacturer',
    timestamp,
    version: 1,
    // OpenVEX has no field for coverage; its free-text tooling line carries it.
    tooling: `marque ${input.toolVersion}; ${findingsSummary(input).text}${input.coverage ? `; ${coverageSentence(input.coverage)}` : ''}`,
    statements: input.findings.map((f) => {
      const s: Record<string, unknown> = {
        vulnerability: { name: f.advisory, ...(f.aliases.length ? { aliases: f.aliases } : {}) },
        products: [{ '@id': f.component, identifiers: { purl: f.component } }],
        status: f.status,
        timestamp,
      };
      if (f.status === 'not_affected') {
        if (f.justification) s['justification'] = f.justification;
        else s['impact_statement'] = 'Decided not affected; see the manufacturer\'s VEX decision.';
      }
      if (f.status === 'affected') {
        s['action_statement'] = f.fixedIn.length ? `Update to ${f.fixedIn.join(' or ')} or later.` : 'No fixed version is known; apply mitigations and follow the manufacturer\'s advisory.';
      }
      if (f.status === 'under_investigation') s['status_notes'] = 'Known vulnerability matched by version; the manufacturer has not decided yet.';
      return s;
    }),
  };
}
