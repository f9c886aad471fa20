// What the CRA says of a product, as data: its profile (scope, role, class, routes, obligations,
// dates; src/cra/classify.ts decides it) and the Annex I checklist (src/cra/check.ts fills it).
// The rules themselves, with their citations, live in src/cra/rules/.

/** The product's class (Art. 7, Art. 8; Annex III and IV). */
export type ProductClass = 'default' | 'important-I' | 'important-II' | 'critical';

/** The economic operator's role (definitions in Art. 3; src/cra/rules/scope.ts cites them). */
export type Role = 'manufacturer' | 'open-source-steward' | 'importer' | 'distributor';

export interface Cited { text: string; cite: string }

export interface CraProfile {
  scope: { inScope: boolean; reasons: Cited[] };
  role: Role | 'out-of-scope';
  class: ProductClass;
  categories: { annex: string; point: string; title: string; id: string }[];
  conformityRoutes: { module: string; conditions: string; cite: string }[];
  obligations: { id: string; text: string; cite: string; appliesFrom: string; status: 'in-force' | 'upcoming' }[];
  /** What would change the outcome (e.g. for a maintainer deciding whether to sell support). */
  wouldChange: Cited[];
  uncertainties: Cited[];
  notes: Cited[];
  dates: { id: string; date: string; text: string; cite: string; passed: boolean }[];
  penalties: Cited[];
}

export type CheckStatus = 'met' | 'declared' | 'not-met' | 'needs-evidence';

export interface CheckItem { id: string; text: string; cite: string; status: CheckStatus; evidence: string[]; source?: string; guidance?: string }
