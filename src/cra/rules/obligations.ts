// What each economic operator must do, with the provision and the date from which it applies.
import type { Role } from '../../model/cra.ts';

export interface Obligation { id: string; roles: readonly Role[]; text: string; cite: string; appliesFrom: 'reporting' | 'application' }

const M: Role[] = ['manufacturer'];

export const OBLIGATIONS: readonly Obligation[] = [
  // Manufacturers (Art. 13, 14, 28, 30, 31, 32; Annex I)
  { id: 'essential-requirements', roles: M, text: 'Place the product on the market only if it meets the essential cybersecurity requirements of Annex I, Part I', cite: 'Art. 13(1); Annex I, Part I', appliesFrom: 'application' },
  { id: 'risk-assessment', roles: M, text: 'Carry out, document and keep updated a cybersecurity risk assessment, stating how each Annex I, Part I (2) requirement applies', cite: 'Art. 13(2), 13(3)', appliesFrom: 'application' },
  { id: 'due-diligence', roles: M, text: 'Exercise due diligence when integrating third-party components, including free and open-source components not made available in a commercial activity', cite: 'Art. 13(5); recital 34', appliesFrom: 'application' },
  { id: 'report-upstream', roles: M, text: 'Report vulnerabilities found in an integrated component, including an open-source one, to whoever manufactures or maintains it, and share fixes developed', cite: 'Art. 13(6)', appliesFrom: 'application' },
  { id: 'vulnerability-handling', roles: M, text: 'Handle vulnerabilities effectively and in line with Annex I, Part II for the support period, with coordinated vulnerability disclosure policies', cite: 'Art. 13(8); Annex I, Part II', appliesFrom: 'application' },
  { id: 'support-period', roles: M, text: 'Set a support period of at least five years, or the expected use time if shorter, and state its end date (at least month and year) at purchase', cite: 'Art. 13(8), 13(19)', appliesFrom: 'application' },
  { id: 'updates-available', roles: M, text: 'Keep each security update available for at least ten years after issue, or for the rest of the support period if longer', cite: 'Art. 13(9)', appliesFrom: 'application' },
  { id: 'technical-documentation', roles: M, text: 'Draw up the technical documentation (Annex VII) before placing on the market and keep it, with the EU declaration of conformity, for ten years or the support period, whichever is longer', cite: 'Art. 13(12), 13(13); Art. 31; Annex VII', appliesFrom: 'application' },
  { id: 'conformity-assessment', roles: M, text: 'Carry out the conformity assessment procedure that applies to the product\'s class', cite: 'Art. 13(12); Art. 32', appliesFrom: 'application' },
  { id: 'declaration-and-ce', roles: M, text: 'Draw up the EU declaration of conformity (Annex V) and affix the CE marking', cite: 'Art. 13(12); Art. 28; Art. 30', appliesFrom: 'application' },
  { id: 'identification-and-contact', roles: M, text: 'Mark the product with a type, batch or serial identifier, and give name, trademark, postal address, email or other digital contact and website', cite: 'Art. 13(15), 13(16)', appliesFrom: 'application' },
  { id: 'single-point-of-contact', roles: M, text: 'Designate a single point of contact for users, including for reporting vulnerabilities', cite: 'Art. 13(17)', appliesFrom: 'application' },
  { id: 'user-information', roles: M, text: 'Provide the information and instructions of Annex II, kept available for ten years or the support period, whichever is longer', cite: 'Art. 13(18); Annex II', appliesFrom: 'application' },
  { id: 'report-exploited', roles: M, text: 'Report actively exploited vulnerabilities and severe incidents: early warning within 24 h, notification within 72 h, final report within 14 days after a measure is available (vulnerabilities) or one month (incidents)', cite: 'Art. 14(1)–(4)', appliesFrom: 'reporting' },
  { id: 'inform-users', roles: M, text: 'Inform impacted users of actively exploited vulnerabilities and severe incidents, and of mitigations', cite: 'Art. 14(8)', appliesFrom: 'reporting' },
  // Open-source software stewards (Art. 24)
  { id: 'steward-policy', roles: ['open-source-steward'], text: 'Put in place and document in a verifiable manner a cybersecurity policy fostering secure development, effective vulnerability handling and voluntary reporting (Art. 15)', cite: 'Art. 24(1)', appliesFrom: 'application' },
  { id: 'steward-cooperation', roles: ['open-source-steward'], text: 'Cooperate with market surveillance authorities and provide the policy on reasoned request', cite: 'Art. 24(2)', appliesFrom: 'application' },
  { id: 'steward-reporting', roles: ['open-source-steward'], text: 'Report actively exploited vulnerabilities to the extent involved in development, and severe incidents affecting the systems provided for development', cite: 'Art. 24(3); Art. 14(1), 14(3), 14(8)', appliesFrom: 'reporting' },
  // Importers and distributors (Art. 19, 20)
  { id: 'importer-checks', roles: ['importer'], text: 'Place on the market only products that meet Annex I, after checking the conformity assessment, technical documentation, CE marking, declaration and Annex II information', cite: 'Art. 19(1), 19(2)', appliesFrom: 'application' },
  { id: 'importer-vulnerabilities', roles: ['importer'], text: 'Inform the manufacturer without undue delay of vulnerabilities identified, and keep the declaration for ten years or the support period', cite: 'Art. 19(5), 19(6)', appliesFrom: 'application' },
  { id: 'distributor-checks', roles: ['distributor'], text: 'Before making the product available, verify the CE marking and that manufacturer and importer have met their obligations', cite: 'Art. 20(2)', appliesFrom: 'application' },
  { id: 'distributor-vulnerabilities', roles: ['distributor'], text: 'Inform the manufacturer without undue delay of vulnerabilities identified', cite: 'Art. 20(4)', appliesFrom: 'application' },
];

export const PENALTIES = [
  { id: 'fine-essential', text: 'Infringing Annex I or Articles 13 and 14: fines up to EUR 15 000 000 or 2.5 % of worldwide annual turnover, whichever is higher', cite: 'Art. 64(2)' },
  { id: 'fine-other', text: 'Infringing other obligations (including Articles 18 to 23, 28, 30, 31, 32): up to EUR 10 000 000 or 2 %', cite: 'Art. 64(3)' },
  { id: 'fine-information', text: 'Incorrect, incomplete or misleading information to notified bodies or authorities: up to EUR 5 000 000 or 1 %', cite: 'Art. 64(4)' },
] as const;
