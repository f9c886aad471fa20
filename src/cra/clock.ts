// The Art. 14(2) reporting clock of one actively exploited finding.
import type { ReportingClock } from '../model/advisory.ts';
import { VULNERABILITY_REPORTING } from './rules/reporting.ts';

const HOUR = 3_600_000;

export function reportingClock(awareAt: Date, measureAvailableAt: Date | null, now: Date): ReportingClock {
  const due = (id: string): Date | null => {
    const stage = VULNERABILITY_REPORTING.find((s) => s.id === id)!;
    if (stage.dueHoursAfterAwareness !== undefined) return new Date(awareAt.getTime() + stage.dueHoursAfterAwareness * HOUR);
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
  };
}
