// Findings: severity against exploitation, the decisions, and the Art. 14(2) clock of every
// actively exploited vulnerability (due, sent, overdue, and what its moment of awareness rests on,
// in the words of "marque vulns"). The dashboard adds its triage controls.
import { html } from 'htm/preact';
import type { Finding } from '../../src/model/advisory.ts';
import type { DossierFindings } from '../../src/model/dossier.ts';
import { allComponentsText, countVulnerabilities, COUNTED, inComponentsText, vulnerabilitiesText } from '../../src/model/counting.ts';
import { Cite, Gap } from './profile.ts';
import { countdown, day, RATINGS, rating, score, time } from './format.ts';
import { awarenessBasisText, awarenessNote } from '../../src/formats/awareness-note.ts';

export interface Sent { stage: string; sentAt: string; sentBy: string }
const STAGES = [
  { id: 'early-warning', label: 'Early warning', due: (f: Finding) => f.clock?.earlyWarningDue ?? null, cite: 'Art. 14(2)(a)' },
  { id: 'notification', label: 'Notification', due: (f: Finding) => f.clock?.notificationDue ?? null, cite: 'Art. 14(2)(b)' },
  { id: 'final-report', label: 'Final report', due: (f: Finding) => f.clock?.finalReportDue ?? null, cite: 'Art. 14(2)(c)' },
] as const;

export const isOpen = (f: Finding) => f.status === 'affected' || f.status === 'under_investigation';

export function SeverityMatrix({ findings }: { findings: Finding[] }) {
  const cell = (r: string, exploited: boolean) => findings.filter((f) => rating(f) === r && f.exploited === exploited && isOpen(f)).length;
  return html`<table class="matrix"><caption>Open findings by severity and exploitation</caption>
    <thead><tr><th scope="col">Severity</th><th scope="col">Actively exploited</th><th scope="col">Not known exploited</th></tr></thead>
    <tbody>${RATINGS.map((r) => html`<tr><th scope="row">${r}</th><td class=${`num ${cell(r, true) ? 'hot' : ''}`}>${cell(r, true)}</td><td class="num">${cell(r, false)}</td></tr>`)}</tbody></table>`;
}

export function ClockTimeline({ finding, sent = [], now }: { finding: Finding; sent?: Sent[]; now: Date }) {
  if (!finding.clock) return null;
  const basis = awarenessBasisText(finding.clock.awareness);
  // Never a bare "due in 23 h" for a vulnerability listed as exploited long before the record began.
  const note = awarenessNote(finding.clock);
  const earlier = finding.clock.awareness?.ifAwareFrom;
  return html`<ol class="clock" aria-label=${`Art. 14(2) reporting clock of ${finding.advisory}`}>
    <li class="aware"><span class="stage">Aware</span><span>${time(finding.clock.awareAt)}</span>${basis ? html`<span class="basis">${basis}</span>` : null}</li>
    ${STAGES.map((s) => {
      const due = s.due(finding);
      const done = sent.find((x) => x.stage === s.id);
      const overdue = !done && finding.clock!.overdue.includes(s.id);
      const state = done ? 'sent' : overdue ? 'overdue' : due ? 'due' : 'waiting';
      return html`<li class=${state}><span class="stage">${s.label} <${Cite} c=${s.cite} /></span>
        <span>${due ? `due ${time(due)}` : 'due 14 days after a corrective measure is available'}</span>
        <span class="state">${done ? `sent ${time(done.sentAt)} by ${done.sentBy}` : overdue ? `OVERDUE (${countdown(due!, now)})` : due ? countdown(due, now) : 'not started'}</span></li>`;
    })}
  </ol>${note ? html`<p class=${`note clock-note${earlier?.overdue.length ? ' warn-box' : ''}`}>${note}</p>` : null}`;
}

export function FindingsTable({ findings, actions }: { findings: Finding[]; actions?: (f: Finding) => unknown }) {
  if (!findings.length) return null;
  const sorted = [...findings].sort((a, b) => Number(b.exploited) - Number(a.exploited) || Number(isOpen(b)) - Number(isOpen(a)) || (score(b) ?? -1) - (score(a) ?? -1));
  return html`<table class="findings"><thead><tr><th scope="col">Vulnerability</th><th scope="col">Component</th><th scope="col">Severity</th><th scope="col">Exploited</th><th scope="col">Decision</th>${actions ? html`<th scope="col">Triage</th>` : null}</tr></thead>
    <tbody>${sorted.map((f) => html`<tr class=${f.exploited && isOpen(f) ? 'hot' : ''}>
      <td><strong>${f.advisory}</strong>${f.aliases.length ? html`<div class="muted">${f.aliases.slice(0, 3).join(', ')}</div>` : null}${f.summary ? html`<div>${f.summary}</div>` : null}</td>
      <td><code>${f.component}</code>${f.fixedIn.length ? html`<div class="muted">fixed in ${f.fixedIn.join(', ')}</div>` : null}</td>
      <td class="nowrap"><span class=${`sev sev-${rating(f)}`}>${rating(f)}</span>${score(f) !== null ? ` ${score(f)}` : ''}</td>
      <td>${f.exploited ? html`<span class="exploited">yes</span>${f.kev ? html`<div class="muted">KEV ${f.kev.dateAdded}</div>` : null}` : 'not known'}</td>
      <td><span class=${`status status-${f.status}`}>${f.status.replace('_', ' ')}</span>${f.justification ? html`<div class="muted">${f.justification.replaceAll('_', ' ')}</div>` : null}${f.statusSource ? html`<div class="muted">${f.statusSource}</div>` : null}</td>
      ${actions ? html`<td>${actions(f)}</td>` : null}
    </tr>`)}</tbody></table>`;
}

/** Components not covered, grouped by why (most first), each with a few of its purls: what "marque vulns" lists. */
function gapGroups(c: DossierFindings['coverage']): { reason: string; components: string[] }[] {
  const by = new Map<string, string[]>();
  for (const g of c.gaps) by.set(g.reason, [...(by.get(g.reason) ?? []), g.component]);
  return [...by].map(([reason, components]) => ({ reason, components })).sort((a, b) => b.components.length - a.components.length);
}

/** The sources, one line each with its ecosystems, complete or partial, and its data date. */
function sourceLines(c: DossierFindings['coverage']): string[] {
  const by = new Map<string, DossierFindings['coverage']['sources']>();
  for (const s of c.sources) by.set(s.source, [...(by.get(s.source) ?? []), s]);
  return [...by].map(([name, list]) => {
    const dates = [...new Set(list.map((s) => (s.dataDate ? day(s.dataDate) : 'undated')))].join(', ');
    return `${name}: ${list.map((s) => `${s.ecosystem}${s.complete === undefined ? '' : s.complete ? ' (complete)' : ' (partial)'}`).join(', ')}; data of ${dates}${list.some((s) => s.stale) ? ', stale' : ''}`;
  });
}

export function CoverageBlock({ c, dataDate }: { c: DossierFindings['coverage']; dataDate: string | null }) {
  const groups = gapGroups(c);
  const lines = sourceLines(c);
  return html`<div class="coverage">
    <p>Advisory coverage: <strong>${c.coveredFresh} of ${c.components}</strong> ${COUNTED} are covered by complete advisory sources no older than ${c.maxAgeDays} days${c.all === undefined ? '' : ` (${allComponentsText(c)})`}${c.restsOn?.length ? ` (${c.restsOn.map((r) => `${r.source}: ${r.ecosystem} as of ${r.dataDate ? day(r.dataDate) : 'an unknown date'}${r.vouched ? ', complete only as vouched for at import (--complete)' : ''}`).join('; ')})` : ''}${c.coveredFresh === c.components ? '.' : html`; <${Gap}>${c.components - c.coveredFresh} ${c.components - c.coveredFresh === 1 ? 'is' : 'are'} not checked</${Gap}>:`}</p>
    ${groups.length ? html`<ul class="gaps">${groups.map((g) => html`<li><strong>${g.components.length}</strong> × ${g.reason} <span class="muted">(${g.components.slice(0, 3).join(', ')}${g.components.length > 3 ? ', …' : ''})</span></li>`)}</ul>` : null}
    <p class="muted">Data as of ${dataDate ? day(dataDate) : 'an unknown date'}. ${lines.length ? 'Sources (a partial source\'s findings count, its coverage does not):' : 'No advisory source.'}</p>
    ${lines.length ? html`<ul class="sources muted">${lines.map((l) => html`<li>${l}</li>`)}</ul>` : null}
  </div>`;
}

export function FindingsSection({ data, now, sentFor }: { data: DossierFindings; now: Date; sentFor?: (f: Finding) => Sent[] }) {
  const open = data.items.filter(isOpen);
  const clocks = data.items.filter((f) => f.exploited && f.clock);
  const c = data.coverage;
  return html`<div>
    <p class="lead">${vulnerabilitiesText(countVulnerabilities(data.items))}${data.items.length ? `; open: ${inComponentsText(countVulnerabilities(open))}, ${countVulnerabilities(open).exploited} of them actively exploited` : ''}. <${Cite} c="Annex I, Part II (2); Art. 14(1)" /></p>
    <${CoverageBlock} c=${c} dataDate=${data.dataDate} />
    ${c.closure?.length ? html`<p><${Gap}>The dependency closure was not followed everywhere, so what these packages pull in was not checked: ${c.closure.map((g) => `${g.reason} (${g.components.length} package(s); fix: ${g.fix})`).join('; ')}.</${Gap}></p>` : null}
    ${c.unlisted && (c.unlisted.unresolved || c.unlisted.notAnalysed) ? html`<p><${Gap}>What the inventory names but does not list as components was not checked: ${[c.unlisted.unresolved ? `${c.unlisted.unresolved} dependenc${c.unlisted.unresolved === 1 ? 'y' : 'ies'} that would ship with no version Marque could resolve` : '', c.unlisted.notAnalysed ? `${c.unlisted.notAnalysed} lockfile${c.unlisted.notAnalysed === 1 ? '' : 's'} not read` : ''].filter(Boolean).join(' and ')} (${c.unlisted.examples.join(', ')}${c.unlisted.unresolved + c.unlisted.notAnalysed > c.unlisted.examples.length ? ', …' : ''}).</${Gap}></p>` : null}
    ${!data.items.length ? html`<p>No known vulnerability in the components covered above${c.complete ? '' : '; the components not covered were not checked'}.</p>` : html`
      <${SeverityMatrix} findings=${data.items} />
      ${clocks.length ? html`<h3>Reporting clocks (Art. 14(2))</h3>
        <p class="muted">Stages count from the moment of awareness. ${sentFor ? 'Reports sent are as recorded on the team server.' : 'Reports sent are recorded on the team server ("marque serve"); this file cannot know them, so a stage past due here may have been sent.'}</p>
        ${clocks.map((f) => html`<div class="clock-block"><h4>${f.advisory} in <code>${f.component}</code></h4><${ClockTimeline} finding=${f} sent=${sentFor?.(f) ?? []} now=${now} /></div>`)}` : null}
      <h3>All findings</h3>
      <${FindingsTable} findings=${data.items} />`}
  </div>`;
}
