// CVSS base scores from OSV severity vectors, through ae-cvss-calculator (CVSS 2.0, 3.0, 3.1, 4.0).
import cvss from 'ae-cvss-calculator';
import type { OsvSeverity, Severity } from '../model/advisory.ts';

const Calculators = cvss as unknown as Record<string, new (v: string) => { calculateScores(): { base?: number } }>;

const CLASS_OF: Record<string, string> = { CVSS_V2: 'Cvss2', CVSS_V3: 'Cvss3P1', CVSS_V4: 'Cvss4P0' };

/** Qualitative rating of a CVSS v3/v4 base score (FIRST CVSS v3.1 specification §5). */
export function rating(score: number | null): string | null {
  if (score === null) return null;
  if (score === 0) return 'none';
  if (score < 4) return 'low';
  if (score < 7) return 'medium';
  if (score < 9) return 'high';
  return 'critical';
}

const LABELS: Record<string, string> = { LOW: 'low', MODERATE: 'medium', MEDIUM: 'medium', HIGH: 'high', CRITICAL: 'critical' };

const scored = new Map<string, Severity>();

/** Scores are memoised per vector: the same few vectors recur across thousands of advisories. */
export function scoreSeverity(s: OsvSeverity): Severity {
  const key = `${s.type} ${s.score}`;
  let r = scored.get(key);
  if (!r) { r = computeSeverity(s); scored.set(key, r); }
  return r;
}

function computeSeverity(s: OsvSeverity): Severity {
  if (s.type === 'LABEL') return { type: 'LABEL', vector: s.score, baseScore: null, rating: LABELS[s.score.toUpperCase()] ?? null };
  let cls = CLASS_OF[s.type];
  if (s.type === 'CVSS_V3' && s.score.startsWith('CVSS:3.0/')) cls = 'Cvss3P0';
  let baseScore: number | null = null;
  if (cls) {
    try {
      baseScore = new Calculators[cls]!(s.score).calculateScores().base ?? null;
    } catch {
      baseScore = null; // an unparsable vector is shown as given, never scored by guess
    }
  }
  return { type: s.type, vector: s.score, baseScore, rating: s.type === 'CVSS_V2' ? null : rating(baseScore) };
}
