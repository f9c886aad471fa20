// Small formatting helpers shared by the dossier and the dashboard.
import type { Finding } from '../../src/model/advisory.ts';

export const day = (iso: string | null | undefined): string => (iso ? iso.slice(0, 10) : '—');
export const time = (iso: string | null | undefined): string => (iso ? `${iso.slice(0, 16).replace('T', ' ')} UTC` : '—');
export const plural = (n: number, one: string, many = `${one}s`): string => `${n.toLocaleString('en')} ${n === 1 ? one : many}`;

/** The highest CVSS base score of a finding, or null when no advisory gives one. */
export function score(f: Pick<Finding, 'severity'>): number | null {
  const s = Math.max(-1, ...f.severity.map((x) => x.baseScore ?? -1));
  return s < 0 ? null : s;
}

/** CVSS v3/v4 qualitative rating from the base score; "unscored" when there is none. */
export function rating(f: Pick<Finding, 'severity'>): 'critical' | 'high' | 'medium' | 'low' | 'none' | 'unscored' {
  const s = score(f);
  if (s === null) {
    const r = f.severity.map((x) => x.rating?.toLowerCase()).find((x) => x && ['critical', 'high', 'medium', 'moderate', 'low'].includes(x));
    return r === 'moderate' ? 'medium' : (r as 'critical' | 'high' | 'medium' | 'low' | undefined) ?? 'unscored';
  }
  return s >= 9 ? 'critical' : s >= 7 ? 'high' : s >= 4 ? 'medium' : s > 0 ? 'low' : 'none';
}

export const RATINGS = ['critical', 'high', 'medium', 'low', 'none', 'unscored'] as const;

/** Whole days and hours from now until a due time, negative when past: the countdown of a clock. */
export function countdown(due: string, now: Date): string {
  const ms = new Date(due).getTime() - now.getTime();
  const h = Math.round(Math.abs(ms) / 3_600_000);
  const text = h >= 48 ? `${Math.floor(h / 24)} d ${h % 24} h` : `${h} h`;
  return ms < 0 ? `${text} overdue` : `in ${text}`;
}
