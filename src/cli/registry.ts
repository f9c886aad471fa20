// The commands Marque has, with what "marque help" says of each. A command's module (and the
// libraries it needs) is loaded only when that command runs, so "marque --help" or a small
// command does not pay for every format library.
import type { Command } from './command.ts';

export interface CommandEntry { name: string; summary: string; load(): Promise<Command> }

export const COMMANDS: readonly CommandEntry[] = [
  { name: 'init', summary: 'write a commented marque.yaml (asks on a terminal, takes flags otherwise)', load: async () => (await import('./commands/init.ts')).initCommand },
  { name: 'classify', summary: 'CRA profile: scope, role, class, conformity routes, obligations and dates, each with its citation', load: async () => (await import('./commands/classify.ts')).classifyCommand },
  { name: 'check', summary: 'the Annex I checklist, with evidence gathered automatically where Marque can', load: async () => (await import('./commands/check.ts')).checkCommand },
  { name: 'docs', summary: 'draft the EU declaration of conformity (Annex V), user information (Annex II) and technical documentation outline (Annex VII)', load: async () => (await import('./commands/docs.ts')).docsCommand },
  { name: 'inventory', summary: 'list every component of a product, how deep it sits and why it is there', load: async () => (await import('./commands/inventory.ts')).inventoryCommand },
  { name: 'sbom', summary: 'write a CycloneDX 1.6, SPDX 2.3 or SPDX 3.0.1 SBOM of a product; sbom check: an SBOM against BSI TR-03183-2 or NTIA', load: async () => (await import('./commands/sbom.ts')).sbomCommand },
  { name: 'why', summary: 'show the paths that bring a component into the product, shortest first', load: async () => (await import('./commands/why.ts')).whyCommand },
  { name: 'vulns', summary: 'known vulnerabilities of a product, which are exploited, and the Art. 14 reporting clock', load: async () => (await import('./commands/vulns.ts')).vulnsCommand },
  { name: 'advisory', summary: 'draft, publish and point to the manufacturer\'s own CSAF 2.0 advisories (security advisory and VEX), and security.txt', load: async () => (await import('./commands/advisory.ts')).advisoryCommand },
  { name: 'report-clock', summary: 'draft the Art. 14(2) early warning, notification and final report for an exploited finding', load: async () => (await import('./commands/report-clock.ts')).reportClockCommand },
  { name: 'diff', summary: 'what changed between two versions of a product: components, vulnerabilities, re-assessment scope, CRA profile', load: async () => (await import('./commands/diff.ts')).diffCommand },
  { name: 'attest', summary: 'create, sign, verify and apply reusable component assessments (in-toto + DSSE + Ed25519)', load: async () => (await import('./commands/attest.ts')).attestCommand },
  { name: 'keys', summary: 'generate an Ed25519 key pair for signing assessments', load: async () => (await import('./commands/attest.ts')).keysCommand },
  { name: 'report', summary: 'the release dossier: one self-contained HTML (or PDF) file an auditor can open years later', load: async () => (await import('./commands/report.ts')).reportCommand },
  { name: 'perimeter', summary: 'the certification perimeter: what attacker-controlled data can reach, and what isolation keeps out', load: async () => (await import('./commands/perimeter.ts')).perimeterCommand },
  { name: 'serve', summary: 'the team server: every release on the market, its SBOM, findings and decisions, over an HTTP API', load: async () => (await import('./commands/serve.ts')).serveCommand },
  { name: 'push', summary: 'send a release (its SBOM and marque.yaml facts) to a team server', load: async () => (await import('./commands/push.ts')).pushCommand },
  { name: 'token', summary: 'create an API token for a team of the server (shown once)', load: async () => (await import('./commands/token.ts')).tokenCommand },
  { name: 'db', summary: 'manage the offline advisory database (import local OSV, KEV and EPSS files; status)', load: async () => (await import('./commands/db.ts')).dbCommand },
];
