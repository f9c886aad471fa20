// The sbom check report as text: one line per requirement with its counts and citation, then
// what misses each unmet one, the writer's own reasons first.
import type { SbomCheckResult } from './check.ts';

const MARK = { met: 'met', 'not-met': 'NOT MET', 'not-applicable': 'n/a' } as const;

export function sbomCheckText(r: SbomCheckResult): string {
  const out: string[] = [];
  out.push(`${r.file}: ${r.format} ${r.specVersion} (${r.encoding}), ${r.components} component(s), checked against ${r.profile.title}`);
  if (r.logicalComponents.count) out.push(`  ${r.logicalComponents.count} logical component(s), for which file fields do not apply: ${r.logicalComponents.reasons.map((x) => `${x.count} ${x.reason}`).join('; ')}`);
  out.push('');
  for (const q of r.requirements) {
    // SBOM-level rows have no counts: the field and its citation only, no dangling colon.
    const counts = q.scope === 'component' ? `: ${q.met}/${q.applicable} components` : '';
    out.push(`  ${MARK[q.status].padEnd(7)} [${q.level}] ${q.field}${counts}  (${q.cite})`);
    if (q.status !== 'not-met') continue;
    for (const e of q.explained) out.push(`            ${e.count} cannot be given, the SBOM says: ${e.reason}`);
    for (const p of q.problems) out.push(`            ${p.name ? `${p.name} (${p.ref})` : p.ref}: ${p.problem}`);
    if (q.unexplained > q.problems.length) out.push(`            … ${q.unexplained - q.problems.length} more`);
  }
  for (const n of r.notes) out.push(`  note: ${n}`);
  out.push('');
  out.push(r.conforms
    ? `conforms to ${r.profile.title}: every required data field is present${r.requirements.some((q) => q.level === 'additional' && q.status === 'not-met') ? ' (some additional fields are missing: they are required where the data exists)' : ''}`
    : `does not conform to ${r.profile.title}: ${r.failed.length} required requirement(s) not met (${r.failed.join(', ')})${r.failedUnexplained.length
      ? `; ${r.failedUnexplained.length} of them for reasons the SBOM does not give (${r.failedUnexplained.join(', ')})`
      : '; every miss is one the SBOM explains: the data is not in what was read, and the lines above say what input would supply it'}`);
  return `${out.join('\n')}\n`;
}
