// Drafts of the Art. 14(2) reports for one actively exploited finding: each field the article
// asks for, filled from what Marque knows, or marked as a gap for a person to complete; the moment
// of awareness the deadlines count from, with what it rests on, and, when the vulnerability was
// listed as exploited (or public) before Marque's record of the product began, the deadlines from then.
import { mdText } from '../formats/markdown/comment.ts';
import { awarenessBasisText, awarenessNote } from '../formats/awareness-note.ts';
import type { Finding } from '../model/advisory.ts';
import type { ProductInfo } from '../model/product.ts';
import { INFORM_USERS, REPORTING_CHANNEL, VULNERABILITY_REPORTING, type ReportingStage } from './rules/reporting.ts';

export interface DraftField { field: string; value: string | null; gap: boolean; cite: string }
export interface ReportDraft {
  stage: ReportingStage['id']; title: string; due: string | null; overdue: boolean; cite: string; channel: { text: string; cite: string }; fields: DraftField[];
  /** The stage's due time had the manufacturer known since the vulnerability was listed as exploited (or public), when that is before Marque's record (clock.awareness.ifAwareFrom). */
  ifAwareFrom?: { since: string; why: 'exploited' | 'public'; due: string; overdue: boolean };
}

export interface DraftContext {
  product: ProductInfo;
  finding: Finding;
  mainEstablishment?: string;
  memberStates?: string[];
}

export function draftReports(ctx: DraftContext): ReportDraft[] {
  const f = ctx.finding;
  const severity = f.severity.map((s) => (s.baseScore !== null ? `${s.type} ${s.baseScore} (${s.vector})` : `${s.rating ?? 'unrated'} (${s.vector})`)).join('; ') || null;
  const fixed = f.fixedIn.length ? `fixed upstream in ${f.fixedIn.join(', ')}` : null;
  const product = `${ctx.product.name} ${ctx.product.version}${ctx.product.manufacturer ? `, ${ctx.product.manufacturer.name}` : ''}; affected component ${f.component}`;
  const gap = (field: string, cite: string): DraftField => ({ field, value: null, gap: true, cite });
  const filled = (field: string, value: string | null, cite: string): DraftField => ({ field, value, gap: value === null, cite });
  const by: Record<ReportingStage['id'], DraftField[]> = {
    'early-warning': [
      filled('Member States where the product has been made available', ctx.memberStates?.length ? ctx.memberStates.join(', ') : null, 'Art. 14(2)(a)'),
      filled('Vulnerability', `${f.advisory}${f.aliases.length ? ` (${f.aliases.join(', ')})` : ''}${f.kev ? `; listed in the CISA KEV catalogue since ${f.kev.dateAdded}` : ''}`, 'Art. 14(1)'),
      filled('Product', product, 'Art. 14(1)'),
    ],
    notification: [
      filled('General information about the product concerned', product, 'Art. 14(2)(b)'),
      filled('General nature of the exploit and of the vulnerability', f.summary ?? null, 'Art. 14(2)(b)'),
      gap('Corrective or mitigating measures taken', 'Art. 14(2)(b)'),
      filled('Corrective or mitigating measures users can take', fixed ? `Update the product once it ships the component ${fixed}.` : null, 'Art. 14(2)(b)'),
      gap('How sensitive the manufacturer considers the information', 'Art. 14(2)(b)'),
    ],
    'final-report': [
      filled('Description of the vulnerability, including its severity and impact', [f.summary, severity].filter(Boolean).join(' — ') || null, 'Art. 14(2)(c)(i)'),
      filled('Information on any malicious actor exploiting it', null, 'Art. 14(2)(c)(ii)'),
      filled('Security update or other corrective measures made available', fixed, 'Art. 14(2)(c)(iii)'),
    ],
  };
  const due: Record<ReportingStage['id'], string | null> = {
    'early-warning': f.clock?.earlyWarningDue ?? null,
    notification: f.clock?.notificationDue ?? null,
    'final-report': f.clock?.finalReportDue ?? null,
  };
  const channel = { text: `${REPORTING_CHANNEL.text}${ctx.mainEstablishment ? ` (main establishment: ${ctx.mainEstablishment})` : ' (main establishment not declared in marque.yaml: market.mainEstablishment)'}`, cite: REPORTING_CHANNEL.cite };
  const from = f.clock?.awareness?.ifAwareFrom;
  const dueFrom: Partial<Record<ReportingStage['id'], string>> = from ? { 'early-warning': from.earlyWarningDue, notification: from.notificationDue } : {};
  return VULNERABILITY_REPORTING.map((stage) => ({
    stage: stage.id, title: stage.title, due: due[stage.id], overdue: f.clock?.overdue.includes(stage.id) ?? false, cite: stage.cite, channel,
    fields: by[stage.id],
    ...(from && dueFrom[stage.id] ? { ifAwareFrom: { since: from.since, why: from.why, due: dueFrom[stage.id]!, overdue: from.overdue.includes(stage.id) } } : {}),
  }));
}

/** The moment the deadlines count from, what it rests on, and what that record cannot tell (the words of "marque vulns"). */
export function momentOfAwareness(f: Finding, o: { awareAtHint?: boolean } = {}): string {
  const c = f.clock;
  if (!c) return 'Moment of awareness: none, no reporting clock runs for this finding.';
  const basis = awarenessBasisText(c.awareness);
  const note = awarenessNote(c, o);
  return `Moment of awareness: ${c.awareAt}${basis ? ` (${basis})` : ''}.${note ? ` ${note}` : ''}`;
}

export function draftMarkdown(ctx: DraftContext, drafts: ReportDraft[], o: { awareAtHint?: boolean } = {}): string {
  const lines = [`# Art. 14 reporting: ${mdText(ctx.finding.advisory)} in ${mdText(ctx.product.name)} ${mdText(ctx.product.version)}`, '',
    `Channel: ${drafts[0]!.channel.text} (${drafts[0]!.channel.cite}).`, `Users: ${INFORM_USERS.text} (${INFORM_USERS.cite}).`, '',
    mdText(momentOfAwareness(ctx.finding, o)), ''];
  for (const d of drafts) {
    lines.push(`## ${d.title} (${d.cite})`, '', `Due: ${d.due ?? 'when a corrective or mitigating measure is available, plus 14 days'}${d.overdue ? ' — **OVERDUE**' : ''}`, '');
    // Both deadlines: the one from Marque's record, and the one had the manufacturer known since the listing.
    const a = d.ifAwareFrom;
    if (a) lines.push(`Due if the manufacturer knew when the vulnerability was ${a.why === 'exploited' ? 'listed as exploited (KEV)' : 'published'}, ${a.since.slice(0, 10)}: ${a.due}${a.overdue ? ' — **OVERDUE**' : ''}`, '');
    // Values come from advisories and SBOMs: escaped, so a summary cannot inject markup or HTML.
    for (const f of d.fields) lines.push(`- **${f.field}** (${f.cite}): ${f.gap ? '_to be completed by the manufacturer_' : mdText(String(f.value))}`);
    lines.push('');
  }
  return lines.join('\n');
}
