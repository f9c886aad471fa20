// A pull-request comment for a diff: escaped, and under GitHub's size limit however large the change.
import type { DiffResult } from './diff.ts';
import { boundedComment, mdCode, mdText, type Section } from '../formats/markdown/comment.ts';

const FULL = 'The full list: `marque diff OLD NEW --json`.';

export function diffMarkdown(d: DiffResult, limit?: number): string {
  const intro = [`### Marque: ${mdText(d.old)} → ${mdText(d.new)}`, '', `**${mdText(d.verdict)}**`, ''];
  const sections: Section[] = [];
  if (d.findings?.introduced.length) sections.push({
    title: '#### Vulnerabilities introduced', head: ['| advisory | component | exploited | fixed in |', '|---|---|---|---|'], more: FULL,
    rows: d.findings.introduced.map((f) => `| ${mdText(f.advisory)} | ${mdCode(f.component)} | ${f.exploited ? `**yes** (report by ${f.clock?.earlyWarningDue ?? '?'}, Art. 14(2)(a))` : 'no'} | ${mdText(f.fixedIn.join(', ')) || '—'} |`),
  });
  if (d.findings?.fixed.length) sections.push({ title: '#### Vulnerabilities fixed', head: [], more: FULL, rows: d.findings.fixed.map((f) => `- ${mdText(f.advisory)} in ${mdCode(f.component)}`) });
  if (d.components.added.length) sections.push({
    title: '#### Components added', head: ['| component | depth | scope | brought in by |', '|---|---|---|---|'], more: FULL,
    rows: d.components.added.map((c) => `| ${mdCode(c.purl)} | ${c.depth ?? '—'} | ${c.kind ?? '—'} | ${c.paths[0] ? c.paths[0].slice(0, -1).map(mdCode).join(' → ') || '(root)' : '—'} |`),
  });
  if (d.components.removed.length) sections.push({ title: '#### Components removed', head: [], more: FULL, rows: d.components.removed.map((c) => `- ${mdCode(c.purl)}`) });
  if (d.components.changed.length) sections.push({
    title: '#### Components changed', head: ['| from | to | changes |', '|---|---|---|'], more: FULL,
    rows: d.components.changed.map((c) => `| ${mdCode(c.from)} | ${mdCode(c.to)} | ${mdText(c.changes.map((x) => (x.type === 'version' ? `version ${x.direction}` : `${x.type}: ${JSON.stringify(x.from)} → ${JSON.stringify(x.to)}`)).join('; '))} |`),
  });
  if (d.classification?.changed) sections.push({ title: '#### CRA profile', head: [], rows: [
    `Class ${d.classification.from.class} → ${d.classification.to.class}; role ${d.classification.from.role} → ${d.classification.to.role}.`,
    ...(d.classification.obligationsAdded.length ? [`- Obligations added: ${d.classification.obligationsAdded.map(mdCode).join(', ')}.`] : []),
    ...(d.classification.obligationsRemoved.length ? [`- Obligations removed: ${d.classification.obligationsRemoved.map(mdCode).join(', ')}.`] : []),
  ] });
  if (d.reassess.length) sections.push({ title: `#### To re-assess (${d.reassess.length})`, head: [], more: FULL, rows: d.reassess.map((r) => `- ${mdCode(r.purl)} (${r.reason}, depth ${r.depth ?? '—'}, ${r.kind ?? 'unreachable'})`) });
  if (d.notRead.length) sections.push({ title: '#### Not compared (files not read)', head: ['| side | file | reason |', '|---|---|---|'], more: FULL, rows: d.notRead.map((n) => `| ${n.side} | ${mdCode(n.file)} | ${mdText(n.reason)} |`) });
  return boundedComment(intro, sections, [], limit);
}
