// A reporting deadline about to pass, or passed without the report, is an event: the person on call
// hears of it before the Art. 14(2) clock runs out, not after. Each notice is given once.
import { reportingClock } from '../cra/clock.ts';
import type { PortfolioEvent, ReportStage } from '../model/portfolio.ts';
import type { PortfolioStore } from './store/store.ts';

/** How long before a due time "soon" is announced. */
export const SOON_HOURS = 6;

export async function deadlineEvents(store: PortfolioStore, now: Date, soonHours = SOON_HOURS): Promise<PortfolioEvent[]> {
  const out: PortfolioEvent[] = [];
  for (const f of await store.exploitedOpen()) {
    const clock = reportingClock(new Date(f.awareAt), null, now);
    for (const [stage, due] of [['early-warning', clock.earlyWarningDue], ['notification', clock.notificationDue]] as [ReportStage, string][]) {
      if (f.sent.includes(stage)) continue;
      const left = Date.parse(due) - now.getTime();
      const kind = left <= 0 ? 'overdue' : left <= soonHours * 3_600_000 ? 'soon' : undefined;
      if (!kind || !(await store.noteDeadline(f.releaseId, f.vulnerability, stage, kind, now))) continue;
      const event = await store.addEvent(f.teamId, f.releaseId, kind === 'soon' ? 'deadline.soon' : 'deadline.overdue',
        { release: f.releaseId, product: f.product, version: f.version, vulnerability: f.vulnerability, component: f.component, stage, due, cite: clock.cite }, now);
      await store.queueDeliveries(event, now);
      out.push(event);
    }
  }
  return out;
}
