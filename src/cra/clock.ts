// The Art. 14(2) reporting clock of one actively exploited finding, and what its moment of awareness
// rests on: Marque's record of a product starts when Marque first checked it (on this machine, or
// on the server), and a vulnerability public or known exploited before then may have been known to
// the manufacturer before Marque's record says (Art. 14(2) counts from the manufacturer becoming aware).
// In words, for every view: src/formats/awareness-note.ts.
import type { AwarenessBasis, ReportingClock } from '../model/advisory.ts';
import { VULNERABILITY_REPORTING } from './rules/reporting.ts';

const HOUR = 3_600_000;

/** What the moment of awareness rests on, as the caller knows it; the clock works out `ifAwareFrom`. */
export interface AwarenessEvidence {
  basis: AwarenessBasis['basis'];
  recordSince?: Date;
  storeStarted?: Date;
  recordedFor?: string;
  publicSince?: string;
  exploitedSince?: string;
}

const hoursAfter = (at: Date, id: string): Date | null => {
  const stage = VULNERABILITY_REPORTING.find((s) => s.id === id)!;
  return stage.dueHoursAfterAwareness === undefined ? null : new Date(at.getTime() + stage.dueHoursAfterAwareness * HOUR);
};

export function reportingClock(awareAt: Date, measureAvailableAt: Date | null, now: Date, evidence?: AwarenessEvidence): ReportingClock {
  const due = (id: string): Date | null => {
    const stage = VULNERABILITY_REPORTING.find((s) => s.id === id)!;
    if (stage.dueHoursAfterAwareness !== undefined) return hoursAfter(awareAt, id);
    return measureAvailableAt ? new Date(measureAvailableAt.getTime() + stage.dueDaysAfterMeasure! * 24 * HOUR) : null;
  };
  const early = due('early-warning')!;
  const notification = due('notification')!;
  const final = due('final-report');
  const overdue: string[] = [];
  if (now > early) overdue.push('early-warning');
  if (now > notification) overdue.push('notification');
  if (final && now > final) overdue.push('final-report');
  return {
    awareAt: awareAt.toISOString(),
    earlyWarningDue: early.toISOString(),
    notificationDue: notification.toISOString(),
    finalReportDue: final ? final.toISOString() : null,
    overdue,
    cite: VULNERABILITY_REPORTING.map((s) => s.cite).join(', '),
    ...(evidence ? { awareness: awarenessBasis(awareAt, evidence, now) } : {}),
  };
}

/** A date or time as an instant: a KEV `dateAdded` (YYYY-MM-DD) is its day's start, UTC. */
const instant = (t: string): Date => new Date(/^\d{4}-\d{2}-\d{2}$/.test(t) ? `${t}T00:00:00Z` : t);

/**
 * What the moment rests on. When the vulnerability was known exploited (its KEV listing), or for a
 * finding exploited by the team's own evidence public (its advisory's publication), before Marque's
 * record of the product began — or nothing records the moment at all — Marque cannot rule out that the
 * manufacturer knew then: `ifAwareFrom` gives the deadlines from that day. A moment given for the run
 * (--aware-at) is the user's statement and gets none.
 */
export function awarenessBasis(awareAt: Date, e: AwarenessEvidence, now: Date): AwarenessBasis {
  const out: AwarenessBasis = {
    basis: e.basis,
    ...(e.recordSince ? { recordSince: e.recordSince.toISOString() } : {}),
    ...(e.storeStarted ? { storeStarted: e.storeStarted.toISOString() } : {}),
    ...(e.recordedFor ? { recordedFor: e.recordedFor } : {}),
    ...(e.publicSince ? { publicSince: e.publicSince } : {}),
    ...(e.exploitedSince ? { exploitedSince: e.exploitedSince } : {}),
  };
  const from = e.exploitedSince ?? e.publicSince;
  if (e.basis === 'given' || !from || Number.isNaN(instant(from).getTime())) return out;
  // Marque's record says nothing of the time before it began; with nothing recorded, of the time before now.
  const limit = e.basis === 'unrecorded' ? awareAt : (e.recordSince && e.recordSince < awareAt ? e.recordSince : awareAt);
  const since = instant(from);
  if (since >= limit) return out;
  const early = hoursAfter(since, 'early-warning')!;
  const notification = hoursAfter(since, 'notification')!;
  out.ifAwareFrom = {
    since: since.toISOString(), why: e.exploitedSince ? 'exploited' : 'public',
    earlyWarningDue: early.toISOString(), notificationDue: notification.toISOString(),
    overdue: [...(now > early ? ['early-warning'] : []), ...(now > notification ? ['notification'] : [])],
  };
  return out;
}
