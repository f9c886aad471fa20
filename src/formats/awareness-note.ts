// What an Art. 14(2) clock's moment of awareness rests on, in words: one wording for every view that
// shows the clock ("marque vulns" text, its Markdown comment, the report drafts, the dossier and the
// dashboard), from the clock's `awareness` (src/cra/clock.ts works it out). Here, below cra/ and the
// views, so that each can use it: never a silent "due in 23 hours" for a vulnerability exploited for
// months before Marque first looked.
import type { AwarenessBasis, ReportingClock } from '../model/advisory.ts';

const day = (t: string) => t.slice(0, 10);
/** A moment within a sentence: "2022-01-19 00:00 UTC", as the dashboard writes them. */
const minute = (t: string) => (/^\d{4}-\d\d-\d\dT\d\d:\d\d/.test(t) ? `${t.slice(0, 10)} ${t.slice(11, 16)} UTC` : t);
const STAGE_NAMES: Record<string, string> = { 'early-warning': 'the early warning', notification: 'the notification' };

/** What a user of the command line can do about it: state the moment (not offered where no --aware-at exists). */
export const AWARE_AT_HINT = 'Give the moment the manufacturer became aware with --aware-at.';

/** The basis of a moment, as a phrase: "Moment of awareness: T (first recorded for the vulnerability in this product)". */
export function awarenessBasisText(a: AwarenessBasis | undefined): string | null {
  switch (a?.basis) {
    case 'recorded': return 'first recorded for the vulnerability in this product';
    case 'given': return 'given for this run with --aware-at';
    case 'unrecorded': return 'not recorded';
    default: return null;
  }
}

/**
 * What a reader of the clock must know about its moment, in words (null when there is nothing to say).
 * `awareAtHint`: end with how to state the moment, where the reader can (a local run, not a server's record).
 */
export function awarenessNote(c: Pick<ReportingClock, 'awareness'>, o: { awareAtHint?: boolean } = {}): string | null {
  const a = c.awareness;
  if (!a) return null;
  const out: string[] = [];
  if (a.recordedFor) out.push(`The moment was recorded for ${a.recordedFor}: awareness of a vulnerability in the product does not start again with a new release.`);
  if (a.ifAwareFrom) {
    const f = a.ifAwareFrom;
    if (a.basis === 'unrecorded') out.push('Nothing records this moment: the clock starts now.');
    else if (a.recordSince) out.push(`Marque's record of this product begins ${day(a.recordSince)}${a.storeStarted ? ` (its awareness store was started ${day(a.storeStarted)})` : ''}: it cannot tell whether the manufacturer knew earlier.`);
    const overdue = f.overdue.map((s) => STAGE_NAMES[s] ?? s);
    out.push(`The vulnerability has been ${f.why === 'exploited' ? 'listed as exploited (KEV)' : 'public'} since ${day(f.since)}: if the manufacturer knew then, the early warning was due ${minute(f.earlyWarningDue)} and the notification ${minute(f.notificationDue)}${overdue.length ? ` (${overdue.join(' and ')} now overdue)` : ''}.`);
    if (o.awareAtHint) out.push(AWARE_AT_HINT);
  }
  return out.length ? out.join(' ') : null;
}
