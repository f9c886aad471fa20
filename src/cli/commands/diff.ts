import { dbPath } from '../../api/advisories.ts';
import { diffProducts, openDbForDiff } from '../../api/diff.ts';
import type { DiffResult } from '../../diff/diff.ts';
import { maxScore } from '../../api/vulns.ts';
import { diffMarkdown } from '../../diff/markdown.ts';
import { UsageError } from '../../util/errors.ts';
import { EXIT, SOURCE_OPTIONS, SOURCE_USAGE, sourceFlags, timeFlag, type Command } from '../command.ts';
import { progress } from '../io.ts';
import { table } from '../render.ts';

const POLICIES = ['new-exploited', 'new-critical', 'unassessed-runtime'] as const;

export function diffPolicyFailures(d: DiffResult, policy: string[]): string[] {
  const out: string[] = [];
  if (policy.includes('new-exploited')) for (const x of (d.findings?.introduced.filter((f) => f.exploited).map((f) => `exploited ${f.advisory} in ${f.component}`) ?? [])) out.push(x);
  if (policy.includes('new-critical')) for (const x of (d.findings?.introduced.filter((f) => maxScore(f) >= 9 || f.severity.some((s) => s.rating === 'critical')).map((f) => `critical ${f.advisory} in ${f.component}`) ?? [])) out.push(x);
  if (policy.includes('unassessed-runtime')) for (const x of d.reassess.filter((r) => r.kind === 'runtime').map((r) => `unassessed runtime component ${r.purl}`)) out.push(x);
  return out;
}

export const diffCommand: Command = {
  name: 'diff',
  usage: `marque diff OLD NEW [--db FILE] [--fail-on new-exploited|new-critical|unassessed-runtime] [--format markdown] [--json]

  OLD, NEW   a folder, an SBOM file (CycloneDX or SPDX), or git:REV[:PATH] (the current repository at REV,
             read with git archive, never touching the working tree)

${SOURCE_USAGE}`,
  options: { ...SOURCE_OPTIONS, db: { type: 'string' }, 'fail-on': { type: 'string', multiple: true }, format: { type: 'string' }, now: { type: 'string' } },
  async run(positionals, flags, io) {
    const [oldSpec, newSpec] = positionals;
    if (!oldSpec || !newSpec) throw new UsageError('marque diff needs OLD and NEW');
    const policy = ((flags['fail-on'] as string[] | undefined) ?? []).flatMap((p) => p.split(','));
    for (const p of policy) if (!(POLICIES as readonly string[]).includes(p)) throw new UsageError(`--fail-on takes ${POLICIES.join(', ')} (got "${p}")`);
    const format = flags['format'] as string | undefined;
    if (format !== undefined && format !== 'markdown') throw new UsageError(`--format takes markdown (got "${format}")`);
    const { db, awareness } = openDbForDiff(dbPath(flags['db'] as string | undefined));
    const p = progress(io, !flags['json']);
    let d: DiffResult;
    try {
      d = await diffProducts({ old: oldSpec, new: newSpec, flags: sourceFlags(flags), db, awareness, now: timeFlag(flags, 'now') });
    } finally {
      p.done();
      awareness?.close();
      db?.close();
    }
    const failures = diffPolicyFailures(d, policy);
    if (flags['json']) io.out(JSON.stringify({ ...d, policy: { failOn: policy, failed: failures } }, null, 2) + '\n');
    else if (format === 'markdown') io.out(diffMarkdown(d) + '\n');
    else {
      io.out(`${d.old} → ${d.new}\n\n`);
      const rows = [
        ...d.components.added.map((c) => ['+', c.purl, String(c.depth ?? '-'), c.kind ?? '-', c.paths[0]?.slice(0, -1).at(-1) ?? '']),
        ...d.components.removed.map((c) => ['-', c.purl, String(c.depth ?? '-'), c.kind ?? '-', '']),
        ...d.components.changed.map((c) => ['~', `${c.from} → ${c.to.replace(/^pkg:[^@]*@/, '')}`, String(c.depth ?? '-'), c.kind ?? '-', c.changes.map((x) => (x.type === 'version' ? `version ${x.direction}` : x.type)).join(', ')]),
      ];
      if (rows.length) io.out(table(rows, ['', 'COMPONENT', 'DEPTH', 'SCOPE', 'VIA / CHANGES']));
      for (const f of d.findings?.introduced ?? []) io.out(`new finding: ${f.advisory} in ${f.component}${f.exploited ? ' — ACTIVELY EXPLOITED, Art. 14 clock running' : ''}\n`);
      for (const f of d.findings?.fixed ?? []) io.out(`fixed: ${f.advisory} in ${f.component}\n`);
      for (const n of d.notRead) io.out(`not read (${n.side}): ${n.file}: ${n.reason}\n`);
      io.out(`\n${d.verdict}\n`);
      for (const f of failures) io.out(`policy: ${f}\n`);
    }
    return failures.length ? EXIT.policy : EXIT.ok;
  },
};
