// Known vulnerabilities as a pull-request comment: what is open and exploited first, each Art. 14
// clock once with what its moment of awareness rests on, what was not checked said plainly. Escaped,
// and bounded like every comment.
import type { Coverage, Finding } from '../../model/advisory.ts';
import { coverageSentence, gapSummary } from '../../advisories/coverage.ts';
import { countVulnerabilities, inComponentsText, vulnerabilitiesText } from '../../model/counting.ts';
import type { NotAnalysed } from '../../model/inventory.ts';
import type { ProductInfo } from '../../model/product.ts';
import { boundedComment, mdCode, mdText, type Section } from './comment.ts';
import { awarenessNote } from '../awareness-note.ts';

export interface FindingsComment {
  product: ProductInfo; findings: Finding[]; coverage: Coverage; notAnalysed?: NotAnalysed[]; score: (f: Finding) => number;
  /** Say how to state the moment of awareness (--aware-at): a local run, not a server's record. */
  awareAtHint?: boolean;
}

const FULL = 'All of them: `marque vulns --json`.';

export function findingsMarkdown(c: FindingsComment, limit?: number): string {
  const open = c.findings.filter((f) => f.status === 'affected' || f.status === 'under_investigation');
  const exploited = open.filter((f) => f.exploited);
  const name = `${c.product.name}${c.product.version ? ` ${c.product.version}` : ''}`;
  const n = (k: number, one: string, many: string) => `${k} ${k === 1 ? one : many}`;
  const openCount = countVulnerabilities(open);
  const intro = [
    `### Marque: known vulnerabilities of ${mdText(name)}`, '',
    `**${vulnerabilitiesText(countVulnerabilities(c.findings))}; open: ${inComponentsText(openCount)}.**`, '',
    mdText(coverageSentence(c.coverage)), '',
  ];
  const clocks = new Map<string, Finding[]>();
  for (const f of exploited) if (f.clock) {
    const key = `${f.advisory}\0${f.clock.awareAt}`;
    const g = clocks.get(key);
    if (g) g.push(f); else clocks.set(key, [f]);
  }
  // What each moment rests on, in the words of "marque vulns": a column when any clock has something to say.
  const notes = new Map([...clocks].map(([key, g]) => [key, awarenessNote(g[0]!.clock!, { awareAtHint: c.awareAtHint })]));
  const noted = [...notes.values()].some(Boolean);
  const sections: Section[] = [
    {
      title: '#### Actively exploited: Art. 14 reporting clock', more: FULL,
      head: noted
        ? ['| advisory | components | aware since | early warning due | notification due | what the moment rests on |', '|---|---|---|---|---|---|']
        : ['| advisory | components | aware since | early warning due | notification due |', '|---|---|---|---|---|'],
      rows: [...clocks].map(([key, g]) => {
        const k = g[0]!.clock!;
        const due = (at: string, stage: string) => `${at}${k.overdue.includes(stage) ? ' **OVERDUE**' : ''}`;
        const note = notes.get(key);
        return `| ${mdText(g[0]!.advisory)} | ${g.map((f) => mdCode(f.component)).join(', ')} | ${k.awareAt} | ${due(k.earlyWarningDue, 'early-warning')} | ${due(k.notificationDue, 'notification')} |${noted ? ` ${note ? mdText(note) : '—'} |` : ''}`;
      }),
    },
    {
      title: '#### Open findings', more: FULL,
      head: ['| score | advisory | component | scope | status | fixed in |', '|---|---|---|---|---|---|'],
      rows: [...open].sort((a, b) => Number(b.exploited) - Number(a.exploited) || c.score(b) - c.score(a))
        .map((f) => `| ${c.score(f) >= 0 ? c.score(f) : '—'} | ${mdText(f.advisory)}${f.exploited ? ' (exploited)' : ''} | ${mdCode(f.component)} | ${f.scope ?? '—'} | ${f.status} | ${mdText(f.fixedIn.join(', ')) || '—'} |`),
    },
    { title: '#### Not checked', head: [], rows: [...gapSummary(c.coverage).map((g) => `- ${mdText(g)}`), ...(c.notAnalysed ?? []).map((f) => `- ${mdCode(f.file)}: ${mdText(f.reason)}`)] },
  ];
  const decided = c.findings.length - open.length;
  const outro = decided ? [`${n(decided, 'finding is', 'findings are')} decided not_affected or fixed (VEX).`] : [];
  return boundedComment(intro, sections, outro, limit);
}
