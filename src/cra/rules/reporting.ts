// Article 14 of Regulation (EU) 2024/2847 as data: what must be reported about an actively
// exploited vulnerability, by when, and with what content. Every entry carries its citation.

export const REGULATION = 'Regulation (EU) 2024/2847 (Cyber Resilience Act)';

export const ACTIVELY_EXPLOITED_VULNERABILITY = {
  definition: 'a vulnerability for which there is reliable evidence that a malicious actor has exploited it in a system without permission of the system owner',
  cite: 'Art. 3(42)',
} as const;

export const ARTICLE_14_APPLIES_FROM = { date: '2026-09-11', cite: 'Art. 71(2); Art. 69(3) for products placed on the market before 11 December 2027' } as const;

export interface ReportingStage {
  id: 'early-warning' | 'notification' | 'final-report';
  title: string;
  /** Hours after awareness; or, for the final report, days after a corrective or mitigating measure is available. */
  dueHoursAfterAwareness?: number;
  dueDaysAfterMeasure?: number;
  content: string[];
  cite: string;
}

export const VULNERABILITY_REPORTING: readonly ReportingStage[] = [
  {
    id: 'early-warning', title: 'Early warning', dueHoursAfterAwareness: 24,
    content: ['where applicable, the Member States on whose territory the product has been made available'],
    cite: 'Art. 14(2)(a)',
  },
  {
    id: 'notification', title: 'Vulnerability notification', dueHoursAfterAwareness: 72,
    content: [
      'general information, as available, about the product with digital elements concerned',
      'the general nature of the exploit and of the vulnerability concerned',
      'any corrective or mitigating measures taken',
      'corrective or mitigating measures that users can take',
      'how sensitive the manufacturer considers the notified information to be',
    ],
    cite: 'Art. 14(2)(b)',
  },
  {
    id: 'final-report', title: 'Final report', dueDaysAfterMeasure: 14,
    content: [
      'a description of the vulnerability, including its severity and impact',
      'where available, information concerning any malicious actor that has exploited or is exploiting the vulnerability',
      'details about the security update or other corrective measures that have been made available to remedy the vulnerability',
    ],
    cite: 'Art. 14(2)(c)',
  },
];

/**
 * When the Art. 14(2) clock starts. The Regulation says "of the manufacturer becoming aware" and does
 * not define that moment (Art. 3 has no definition; the Commission's FAQ 5.1 says the CRA does not
 * specify how a manufacturer becomes aware). Marque takes the earliest moment its own system holds
 * the evidence — a release's component matched to an advisory the KEV catalogue (or the team) marks
 * exploited — and records it once, when the server first stores that finding; it is never moved later
 * and never set by someone opening a page. A later reading (after a person has confirmed that the
 * vulnerability is exploitable in the product, cf. FAQ 5.4) is not offered as a setting: the text gives
 * no rule to compute it, and what the team concludes is recorded as a VEX decision beside the moment.
 */
export const AWARENESS = {
  text: 'The 24-hour, 72-hour and final-report deadlines run from the manufacturer becoming aware of the actively exploited vulnerability; the moment is not defined by the Regulation',
  marque: 'recorded when the team server first stores an exploited finding of a release (the system that holds the evidence became aware), never by a page view; the earliest recorded for the vulnerability in any release of the product (a new version does not make the manufacturer unaware); never moved later',
  cite: 'Art. 14(1), Art. 14(2)(a)-(c); Commission FAQ on the CRA, 5.1 and 5.4',
} as const;

export const REPORTING_CHANNEL = {
  text: 'Notify simultaneously the CSIRT designated as coordinator of the Member State of main establishment and ENISA, via the single reporting platform',
  cite: 'Art. 14(1), Art. 14(7), Art. 16',
} as const;

export const INFORM_USERS = {
  text: 'After becoming aware, inform the impacted users (and where appropriate all users) of the vulnerability and, where necessary, of risk mitigation and corrective measures, where appropriate in a structured, machine-readable format',
  cite: 'Art. 14(8)',
} as const;

export const SME_EARLY_WARNING_FINES = {
  text: 'Micro and small enterprises are not fined for missing the 24-hour early-warning deadline',
  cite: 'Art. 64(10)(a)',
} as const;
