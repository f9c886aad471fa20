import { AdvisoryDb } from '../../advisories/store.ts';
import type { Finding } from '../../model/advisory.ts';
import { requireIdentity } from '../../api/request.ts';
import { advisoryStatus, awarenessStoreFor, dbPath, DEFAULT_MAX_AGE_DAYS } from '../../api/advisories.ts';
import { findVulnerabilities, maxScore, policyFailures, type FailOn, type VulnsResult } from '../../api/vulns.ts';
import { serverFindings } from '../../api/push.ts';
import { manifestStatements, readVexFile, type VexStatement } from '../../vex/statements.ts';
import { UsageError } from '../../util/errors.ts';
import { exitCode, maxAgeFlag, SOURCE_OPTIONS, SOURCE_USAGE, timeFlag, type Command } from '../command.ts';
import { plural, problemsText, table } from '../render.ts';
import { outJson, writeFileAtomic } from '../io.ts';
import { FINDING_FORMATS, renderFindings, type FindingFormat } from '../../api/vex-export.ts';
import { resolve } from 'node:path';
import { inputErrors, loadProduct } from './inventory.ts';
import { coverageSentence, gapSummary } from '../../advisories/coverage.ts';
import { findingsMarkdown } from '../../formats/markdown/findings.ts';
import { countVulnerabilities, vulnerabilitiesText } from '../../model/counting.ts';
import { awarenessNote } from '../../formats/awareness-note.ts';

const POLICIES = new Set(['critical', 'high', 'exploited']);

export const vulnsCommand: Command = {
  name: 'vulns',
  usage: `marque vulns [DIR|SBOM] [--db FILE] [--fail-on critical|high|exploited] [--vex FILE] [--aware-at TIME] [--json]

  --db FILE        advisory database (see "marque db")
  --fail-on P      exit 1 when a finding not decided not_affected/fixed is critical, high (or worse), or exploited
  --vex FILE       OpenVEX or CycloneDX VEX document with decisions (repeatable); marque.yaml "vex:" is always read
  --aware-at TIME  moment of awareness for every exploited finding (ISO 8601), instead of the stored one
  --now TIME       evaluate clocks at this time instead of now (for reports and tests)
  --server URL     the findings a team server holds for this release (its awareness, decisions and
                   reports; token in $MARQUE_TOKEN) instead of matching here
  --max-age DAYS   advisory data older than this (by its newest record) is stale (default: marque.yaml
                   advisories.maxAgeDays, else ${DEFAULT_MAX_AGE_DAYS})
  --format F       cyclonedx (1.6 vulnerabilities), openvex (0.2), sarif (2.1.0), csaf (2.0 VEX profile), or
                   markdown (a pull-request comment, under GitHub's 65,536-character limit)
  -o FILE          write the --format output to FILE (atomically) instead of standard output

${SOURCE_USAGE}`,
  options: { ...SOURCE_OPTIONS, server: { type: 'string' }, format: { type: 'string' }, output: { type: 'string', short: 'o' }, db: { type: 'string' }, 'fail-on': { type: 'string', multiple: true }, vex: { type: 'string', multiple: true }, 'aware-at': { type: 'string' }, now: { type: 'string' }, 'max-age': { type: 'string' } },
  async run(positionals, flags, io) {
    const policy = ((flags['fail-on'] as string[] | undefined) ?? []).flatMap((p) => p.split(','));
    for (const p of policy) if (!POLICIES.has(p)) throw new UsageError(`--fail-on takes critical, high or exploited (got "${p}")`);
    const format = flags['format'] as string | undefined;
    if (format !== undefined && format !== 'markdown' && !(FINDING_FORMATS as readonly string[]).includes(format)) throw new UsageError(`--format takes ${[...FINDING_FORMATS, 'markdown'].join(', ')} (got "${format}")`);
    const awareAt = timeFlag(flags, 'aware-at');
    const now = timeFlag(flags, 'now') ?? new Date();
    const path = dbPath(flags['db'] as string | undefined);
    const server = flags['server'] as string | undefined;
    const db = server ? undefined : AdvisoryDb.openForRead(path);
    if (!db && !server) throw new UsageError(`no advisory database at ${path}; import data first with "marque db import PATH..."`);
    const { inv, product, manifest, pr } = await loadProduct(positionals, flags, io);
    // VEX documents name the product, and the moment of awareness is kept per product version:
    // both need an identity someone gave (marque.yaml, the SBOM, --product), never a file name.
    if (format && format !== 'sarif' && format !== 'markdown') requireIdentity(pr, `--format ${format}`);
    // A VEX document is the manufacturer's statement: it names its author, never "unknown".
    if ((format === 'csaf' || format === 'openvex') && !product.manufacturer?.name) throw new UsageError(`--format ${format} names the manufacturer as ${format === 'csaf' ? 'publisher' : 'author'}: set product.manufacturer in marque.yaml (or metadata.manufacturer in the SBOM)`);
    if (format === 'csaf' && !product.manufacturer?.url && !product.manufacturer?.email) throw new UsageError('--format csaf needs the publisher namespace: set product.manufacturer.url (or email) in marque.yaml');
    const identified = pr.identity !== undefined && pr.identity !== 'folder' && Boolean(product.version);
    const maxAge = maxAgeFlag(flags) ?? manifest?.advisories?.maxAgeDays ?? DEFAULT_MAX_AGE_DAYS;
    // One rendering for findings matched here and findings the server holds.
    const reportFindings = (result: Pick<VulnsResult, 'findings' | 'coverage' | 'unknownVersions' | 'vendored'>, stale: string[]): number => {
      const failures = policyFailures(result.findings, policy as FailOn[]);
      if (format === 'markdown') {
        const text = findingsMarkdown({ product, findings: result.findings, coverage: result.coverage, notAnalysed: inv.notAnalysed, score: maxScore, awareAtHint: !server }) + '\n';
        const output = flags['output'] as string | undefined;
        if (output) writeFileAtomic(resolve(output), text); else io.out(text);
      } else if (format) {
        const files = new Map(inv.components.map((c) => [c.purl, c.sourceFile]));
        const text = JSON.stringify(renderFindings(format as FindingFormat, product, result.findings, (p) => files.get(p), now, result.coverage), null, 2) + '\n';
        const output = flags['output'] as string | undefined;
        if (output) writeFileAtomic(resolve(output), text); else io.out(text);
      } else if (flags['json']) {
        outJson(io, { findings: result.findings, counts: countVulnerabilities(result.findings), coverage: result.coverage, componentsWithoutVersion: result.unknownVersions, vendored: result.vendored, staleSources: stale, problems: inv.problems, notAnalysed: inv.notAnalysed, policy: { failOn: policy, failed: failures.length > 0 } });
      } else {
        if (stale.length) io.err(`warning: advisory data older than ${maxAge} days: ${stale.join(', ')}; run "marque db import" with fresh data\n`);
        if (result.findings.length) {
          io.out(table(result.findings.map((f) => [
            f.exploited ? 'EXPLOITED' : '', f.severity.length ? String(maxScore(f) >= 0 ? maxScore(f) : '?') : '-', f.advisory, f.component, f.status, f.fixedIn.join(' ') || '-',
          ]), ['', 'SCORE', 'ADVISORY', 'COMPONENT', 'STATUS', 'FIXED IN']));
        }
        // One clock per vulnerability and moment of awareness, however many components carry it.
        for (const group of clockGroups(result.findings)) {
          const [f] = group;
          const c = f!.clock!;
          const where = group.length === 1 ? f!.component : `${plural(group.length, 'component')} (${group.map((g) => g.component).join(', ')})`;
          io.out(`\n${f!.advisory} in ${where} is actively exploited${f!.kev ? ` (KEV since ${f!.kev.dateAdded})` : ''}. Reporting clock (${c.cite}), aware since ${c.awareAt}:\n`);
          io.out(`  early warning   due ${c.earlyWarningDue}${c.overdue.includes('early-warning') ? '  OVERDUE' : ''}\n`);
          io.out(`  notification    due ${c.notificationDue}${c.overdue.includes('notification') ? '  OVERDUE' : ''}\n`);
          io.out(`  final report    ${c.finalReportDue ? `due ${c.finalReportDue}${c.overdue.includes('final-report') ? '  OVERDUE' : ''}` : 'due 14 days after a corrective or mitigating measure is available'}\n`);
          // What the moment rests on: never a bare "due tomorrow" for a vulnerability exploited before Marque first looked.
          const note = awarenessNote(c, { awareAtHint: !server });
          if (note) io.out(wrap(note, '  '));
        }
        io.out(`\n${vulnerabilitiesText(countVulnerabilities(result.findings))}${result.unknownVersions ? `; ${result.unknownVersions} of all ${plural(result.coverage.all ?? inv.components.length, 'component')} have no version and could not be matched` : ''}.\n`);
        io.out(`${coverageSentence(result.coverage)}\n`);
        for (const g of gapSummary(result.coverage)) io.out(`  not checked: ${g}\n`);
        if (!result.findings.length && !result.coverage.complete) io.out('No finding does not mean no known vulnerability: the components above were not checked.\n');
        const undeclared = result.vendored.filter((v) => !v.declared);
        if (undeclared.length) io.out(`${undeclared.length} vendor package(s) build an upstream whose version Marque cannot know; declare it in marque.yaml (inventory.upstreams) to match its advisories: ${undeclared.map((v) => `${v.component} (${v.upstream})`).join(', ')}\n`);
        if (failures.length) io.out(`policy --fail-on ${policy.join(',')} failed: ${failures.length} finding(s)\n`);
        io.out(problemsText(inv.problems));
      }
      return exitCode(inputErrors(inv), failures.length > 0);
    };
    if (server) {
      // The server's findings: its advisory data, its recorded awareness and reports, its VEX history.
      const token = process.env['MARQUE_TOKEN'];
      if (!token) throw new UsageError('set MARQUE_TOKEN to a token of the server ("marque token create" there)');
      const p = requireIdentity(pr, 'vulns --server');
      const fromServer = await serverFindings({ server, token, product: p.name, version: p.version });
      return reportFindings({ findings: fromServer.findings, coverage: fromServer.coverage, unknownVersions: 0, vendored: [] }, []);
    }
    const vex: VexStatement[] = manifestStatements(manifest);
    for (const f of (flags['vex'] as string[] | undefined) ?? []) for (const s of await readVexFile(f)) vex.push(s);
    for (const s of vex.filter((x) => x.unmatched?.length)) io.err(`note: ${s.source} names ${s.unmatched!.join(', ')}: Marque matches products by purl only, so ${s.products?.length ? 'only its purls apply' : 'it applies to nothing'}\n`);
    const awareness = identified ? awarenessStoreFor(path, (n) => io.err(`note: ${n}\n`)) : undefined;
    if (!identified && !awareAt) io.err(`note: the moment of awareness is not recorded: ${pr.identity === 'folder' ? 'no marque.yaml names this product' : 'the SBOM names no product version'}; give --product NAME@VERSION to keep it (Art. 14 clocks below start now)\n`);
    let result;
    try {
      result = findVulnerabilities({ components: inv.components, unlisted: inv, db: db!, product, vex, awareness, awareAt, now, upstreams: manifest?.inventory?.upstreams, maxAgeDays: maxAge });
    } finally {
      awareness?.close();
      db!.close();
    }
    const stale = advisoryStatus(path, maxAge, now).sources.filter((s) => s.stale).map((s) => `${s.name} (data ${s.ageDays} days old)`);
    return reportFindings(result, stale);
  },
};

/** Findings with a running clock, grouped by vulnerability and moment of awareness. */
function clockGroups(findings: Finding[]): Finding[][] {
  const groups = new Map<string, Finding[]>();
  for (const f of findings) {
    if (!f.clock) continue;
    const key = `${f.advisory}\0${f.clock.awareAt}`;
    const g = groups.get(key);
    if (g) g.push(f); else groups.set(key, [f]);
  }
  return [...groups.values()];
}

/** Text in lines of at most 100 characters, each indented. */
function wrap(text: string, indent: string): string {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(' ')) {
    if (line && indent.length + line.length + 1 + word.length > 100) { lines.push(line); line = word; } else line = line ? `${line} ${word}` : word;
  }
  if (line) lines.push(line);
  return lines.map((l) => `${indent}${l}\n`).join('');
}
