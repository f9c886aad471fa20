// A pull-request comment for a diff.
import type { DiffResult } from '../api/diff.ts';

export function diffMarkdown(d: DiffResult): string {
  const l: string[] = [`### Marque: ${d.old} → ${d.new}`, '', `**${d.verdict}**`, ''];
  if (d.findings?.introduced.length) {
    l.push('#### Vulnerabilities introduced', '', '| advisory | component | exploited | fixed in |', '|---|---|---|---|');
    for (const f of d.findings.introduced) l.push(`| ${f.advisory} | \`${f.component}\` | ${f.exploited ? `**yes** (report by ${f.clock?.earlyWarningDue ?? '?'}, Art. 14(2)(a))` : 'no'} | ${f.fixedIn.join(', ') || '—'} |`);
    l.push('');
  }
  if (d.findings?.fixed.length) l.push(`#### Vulnerabilities fixed`, '', ...d.findings.fixed.map((f) => `- ${f.advisory} in \`${f.component}\``), '');
  if (d.components.added.length) {
    l.push('#### Components added', '', '| component | depth | scope | brought in by |', '|---|---|---|---|');
    for (const c of d.components.added) l.push(`| \`${c.purl}\` | ${c.depth ?? '—'} | ${c.kind ?? '—'} | ${c.paths[0] ? c.paths[0].slice(0, -1).map((p) => `\`${p}\``).join(' → ') || '(root)' : '—'} |`);
    l.push('');
  }
  if (d.components.removed.length) l.push('#### Components removed', '', ...d.components.removed.map((c) => `- \`${c.purl}\``), '');
  if (d.components.changed.length) {
    l.push('#### Components changed', '', '| from | to | changes |', '|---|---|---|');
    for (const c of d.components.changed) l.push(`| \`${c.from}\` | \`${c.to}\` | ${c.changes.map((x) => (x.type === 'version' ? `version ${x.direction}` : `${x.type}: ${JSON.stringify(x.from)} → ${JSON.stringify(x.to)}`)).join('; ')} |`);
    l.push('');
  }
  if (d.classification?.changed) {
    l.push('#### CRA profile', '', `Class ${d.classification.from.class} → ${d.classification.to.class}; role ${d.classification.from.role} → ${d.classification.to.role}.`, '');
  }
  if (d.reassess.length) l.push(`#### To re-assess (${d.reassess.length})`, '', ...d.reassess.slice(0, 50).map((r) => `- \`${r.purl}\` (${r.reason}, depth ${r.depth ?? '—'}, ${r.kind ?? 'unreachable'})`), ...(d.reassess.length > 50 ? [`- … and ${d.reassess.length - 50} more`] : []), '');
  return l.join('\n');
}
