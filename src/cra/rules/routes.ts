// Conformity assessment procedures per class of product (Art. 32, Annex VIII).
import type { ProductClass } from '../../model/cra.ts';

export interface Route { module: string; conditions: string; cite: string }

const A: Route = { module: 'A', conditions: 'internal control (Annex VIII, Part I)', cite: 'Art. 32(1)(a)' };
const BC: Route = { module: 'B+C', conditions: 'EU-type examination by a notified body (Annex VIII, Part II) followed by conformity to type based on internal production control (Part III)', cite: 'Art. 32(1)(b)' };
const H: Route = { module: 'H', conditions: 'conformity based on full quality assurance, under notified-body surveillance (Annex VIII, Part IV)', cite: 'Art. 32(1)(c)' };
const SCHEME: Route = { module: 'EUCC', conditions: 'a European cybersecurity certification scheme pursuant to Art. 27(9), where available and applicable', cite: 'Art. 32(1)(d)' };

export const ROUTES: Readonly<Record<ProductClass, readonly Route[]>> = {
  default: [A, BC, H, SCHEME],
  'important-I': [
    { ...A, conditions: 'only where harmonised standards, common specifications or a European cybersecurity certification scheme at assurance level at least "substantial" covering the essential requirements have been applied in full', cite: 'Art. 32(2)' },
    { ...BC, cite: 'Art. 32(2)(a)' },
    { ...H, cite: 'Art. 32(2)(b)' },
  ],
  'important-II': [
    { ...BC, cite: 'Art. 32(3)(a)' },
    { ...H, cite: 'Art. 32(3)(b)' },
    { ...SCHEME, conditions: 'a European cybersecurity certification scheme at assurance level at least "substantial", where available and applicable', cite: 'Art. 32(3)(c)' },
  ],
  critical: [
    { module: 'EU certificate', conditions: 'a European cybersecurity certificate at assurance level at least "substantial" under the scheme the Commission sets by delegated act under Art. 8(1)', cite: 'Art. 32(4)(a); Art. 8(1)' },
    { ...BC, conditions: `${BC.conditions}; where the Art. 8(1) conditions are not met`, cite: 'Art. 32(4)(b); Art. 32(3)(a)' },
    { ...H, conditions: `${H.conditions}; where the Art. 8(1) conditions are not met`, cite: 'Art. 32(4)(b); Art. 32(3)(b)' },
  ],
};

/** Free and open-source software in Annex III may use any Art. 32(1) procedure if its technical documentation is public. */
export const FOSS_ANNEX_III_ROUTE: Route = {
  module: 'A', conditions: 'free and open-source software in an Annex III category: any Art. 32(1) procedure, including internal control, provided the technical documentation (Art. 31) is made available to the public when the product is placed on the market',
  cite: 'Art. 32(5)',
};
