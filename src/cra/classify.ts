// The CRA profile of a product: scope, role, class, conformity routes, obligations and dates.
// The rules are data in ./rules; this module only decides which of them apply, and says so with
// their citations. Where the law leaves room for interpretation, it says that too.
import type { Manifest } from '../manifest/manifest.ts';
import { CLASS_ORDER, category } from './rules/categories.ts';
import type { Cited, CraProfile, ProductClass, Role } from '../model/cra.ts';
import { milestone, MILESTONES } from './rules/dates.ts';
import { OBLIGATIONS, PENALTIES } from './rules/obligations.ts';
import { FOSS_ANNEX_III_ROUTE, ROUTES, type Route } from './rules/routes.ts';
import { BECOMES_MANUFACTURER, EXCLUSIONS, FOSS_DEFINITION, MADE_AVAILABLE, MONETISATION, NOT_MONETISATION, ROLES, SCOPE_CONDITION } from './rules/scope.ts';

type Facts = Pick<Manifest, 'product' | 'commercial' | 'classification' | 'conformity'> & Partial<Pick<Manifest, 'placeholders'>>;

export function classify(m: Facts, today: Date = new Date()): CraProfile {
  const c = m.commercial ?? {};
  const reasons: Cited[] = [];
  const wouldChange: Cited[] = [];
  const uncertainties: Cited[] = [];
  const notes: Cited[] = [];
  const cited = (r: { text: string; cite: string }, prefix = ''): Cited => ({ text: `${prefix}${r.text}`, cite: r.cite });

  // Scope (Art. 2) and role.
  let role: CraProfile['role'] = c.actor ?? 'manufacturer';
  let inScope = true;
  const outOfScope = (r: Cited) => { inScope = false; role = 'out-of-scope'; reasons.push(r); };

  for (const e of c.exclusions ?? []) outOfScope(cited(EXCLUSIONS[e]!, 'Excluded: '));
  if (m.product.dataConnection === false) outOfScope(cited(SCOPE_CONDITION, 'No data connection in intended purpose or reasonably foreseeable use; the Regulation covers '));
  if (c.madeAvailableInEU === false) outOfScope(cited(MADE_AVAILABLE, 'Not made available on the Union market: '));

  const monetised = [
    c.price && MONETISATION['price']!,
    c.support === 'beyond-cost' && MONETISATION['paid-support-beyond-cost']!,
    c.monetisingPlatform && MONETISATION['monetising-platform']!,
    c.personalDataCondition && MONETISATION['personal-data']!,
    c.donations === 'exceeding-costs' && MONETISATION['donations-exceeding-costs']!,
  ].filter((x): x is typeof MONETISATION[string] => Boolean(x));

  // What marque.yaml does not answer is assumed the way that keeps obligations, and said so.
  if (inScope && m.product.dataConnection === undefined) uncertainties.push({ text: 'marque.yaml does not say whether the product has a data connection to a device or network (product.dataConnection); assumed yes', cite: 'Art. 2(1)' });
  if (inScope && c.openSource === undefined) uncertainties.push({ text: 'marque.yaml does not say whether this is free and open-source software (commercial.openSource); assumed not', cite: 'Art. 3(48)' });
  // The five facts of recital 15 decide whether free and open-source software is supplied commercially: "not
  // monetised" is a conclusion only when each was answered, never from fields left out.
  const unanswered = (['price', 'support', 'donations', 'monetisingPlatform', 'personalDataCondition'] as const).filter((k) => c[k] === undefined).map((k) => `commercial.${k}`).join(', ');
  if (inScope && c.openSource && unanswered && !monetised.length) uncertainties.push({ text: `marque.yaml does not answer ${unanswered}; any of them could make the supply commercial, so it is assumed to be, and you the manufacturer, until they are answered`, cite: 'recital 15; Art. 3(22)' });
  if (inScope && c.openSource) {
    reasons.push(cited(FOSS_DEFINITION, 'Free and open-source software: '));
    if (monetised.length) {
      for (const r of monetised) reasons.push(cited(r, 'Commercial activity: '));
      role = 'manufacturer';
    } else if (unanswered) {
      role = 'manufacturer';
      reasons.push({ text: `Whether the software is monetised is not answered (${unanswered}): the supply is assumed to be a commercial activity, and the maintainer the manufacturer`, cite: 'recital 15; Art. 3(22)' });
      wouldChange.push({ text: `Answering ${unanswered} (none, or false) so that nothing monetises the software makes the supply non-commercial: out of scope, unless a legal person acts as its open-source software steward`, cite: 'recital 18; Art. 3(14)' });
    } else {
      reasons.push(cited(NOT_MONETISATION['not-monetised-foss']!));
      if (c.donations === 'without-profit') reasons.push(cited(NOT_MONETISATION['donations-without-profit']!));
      if (c.support === 'cost-recovery') reasons.push(cited(NOT_MONETISATION['support-cost-recovery']!));
      reasons.push(cited(NOT_MONETISATION['financing-irrelevant']!));
      const s = c.steward ?? {};
      if (s.legalPerson && s.sustainedSupport && s.intendedForCommercialActivities) {
        role = 'open-source-steward';
        reasons.push(cited(ROLES['open-source-steward']!, 'Open-source software steward: '));
        notes.push({ text: 'Stewards have no conformity assessment and do not affix the CE marking', cite: 'recital 19' });
        notes.push({ text: 'Open-source software stewards are not subject to administrative fines', cite: 'Art. 64(10)(b)' });
        uncertainties.push({ text: 'The Regulation names no steward: recital 19 says stewards include "certain foundations" and entities publishing free and open-source software in a business context; whether this legal person plays the main role in the project\'s viability is its own assessment. Commission guidance under Art. 26 was in draft in 2026', cite: 'Art. 3(14); recital 19; Art. 26' });
        uncertainties.push({ text: 'Art. 14 applies from 11 September 2026, but a steward reports under Art. 24(3), and Art. 24 applies from 11 December 2027; the reporting obligation is shown from the earlier date', cite: 'Art. 71(2); Art. 24(3)' });
      } else {
        inScope = false;
        role = 'out-of-scope';
        reasons.push({ text: 'Not monetised, so not made available on the market in the course of a commercial activity: the Regulation does not apply to this supply', cite: 'Art. 3(22); recitals 15, 18' });
        const open = (['legalPerson', 'sustainedSupport', 'intendedForCommercialActivities'] as const).filter((k) => s[k] === undefined);
        if (open.length && !(['legalPerson', 'sustainedSupport', 'intendedForCommercialActivities'] as const).some((k) => s[k] === false)) {
          uncertainties.push({ text: `marque.yaml does not answer ${open.map((k) => `commercial.steward.${k}`).join(', ')}; assumed no open-source software steward. A legal person that systematically supports the project on a sustained basis, for software intended for commercial activities, is one, with the obligations of Art. 24`, cite: 'Art. 3(14); Art. 24; recital 19' });
        }
        if (!s.legalPerson || !s.sustainedSupport || !s.intendedForCommercialActivities) {
          wouldChange.push({ text: 'If a legal person (e.g. a foundation or company) systematically supports the project on a sustained basis and it is intended for commercial activities, that legal person is an open-source software steward with the light obligations of Art. 24', cite: 'Art. 3(14); Art. 24; recital 19' });
        }
      }
      wouldChange.push({ text: 'Charging for technical support beyond the recovery of actual costs makes the supply commercial: you become the manufacturer', cite: 'recital 15' });
      wouldChange.push({ text: 'Accepting donations or sponsoring that exceed the costs of design, development and provision makes the supply commercial', cite: 'recital 15' });
      wouldChange.push({ text: 'Charging a price, monetising other services through the software, or requiring personal data beyond security, compatibility or interoperability makes the supply commercial', cite: 'recital 15' });
      wouldChange.push({ text: 'Supplying the software so as to sell something else (a company\'s driver for the hardware it sells, a service) may be "an intention to monetise", which recital 15 gives only by example; the Regulation does not settle it. The hardware itself, with the software it needs, is a product with digital elements its maker places on the market as manufacturer', cite: 'recital 15; Art. 3(1); Art. 3(13)' });
      notes.push(cited(NOT_MONETISATION['hosting']!));
      notes.push(cited(NOT_MONETISATION['contributors']!));
      notes.push({ text: 'Manufacturers who integrate this software must exercise due diligence on it', cite: 'Art. 13(5)' });
    }
    if (c.donations === 'without-profit' || c.donations === 'exceeding-costs' || c.support === 'cost-recovery') {
      uncertainties.push({ text: 'Where donations or support fees end and profit begins is not defined in the Regulation; keep records of costs. A Commission guidance under Art. 26 was in draft in 2026 (not adopted when this data was compiled)', cite: 'recital 15; Art. 26' });
    }
  } else if (inScope) {
    reasons.push(cited(SCOPE_CONDITION, 'Product with digital elements: '));
    if ((role === 'importer' || role === 'distributor') && (c.ownNameOrTrademark || c.substantialModification)) {
      reasons.push(cited(BECOMES_MANUFACTURER));
      role = 'manufacturer';
    } else {
      reasons.push(cited(ROLES[role]!, `Role: `));
    }
  }

  // Assumptions that decided an economic operator's role, said for every path that reached one (open source included).
  if (inScope && role !== 'open-source-steward' && c.madeAvailableInEU === undefined) uncertainties.push({ text: 'marque.yaml does not say whether the product is made available on the Union market (commercial.madeAvailableInEU); assumed yes', cite: 'Art. 3(22)' });
  if (inScope && role === 'manufacturer' && c.actor === undefined) uncertainties.push({ text: 'marque.yaml does not say who places the product on the market (commercial.actor); assumed the manufacturer', cite: 'Art. 3(13)' });

  // Class (Art. 7(1), Art. 8(1)): the core functionality, never an integrated component.
  const cats = (m.classification?.coreFunctions ?? []).map((id) => category(id)!).filter(Boolean);
  const cls: ProductClass = cats.reduce<ProductClass>((acc, x) => (CLASS_ORDER.indexOf(x.class) > CLASS_ORDER.indexOf(acc) ? x.class : acc), 'default');
  for (const id of m.classification?.integrates ?? []) {
    const x = category(id);
    if (x && !cats.includes(x)) notes.push({ text: `Integrating a component with the core functionality of "${x.title}" (${x.cite}) does not in itself place the product in that class`, cite: 'Art. 7(1), second subparagraph; Implementing Regulation (EU) 2025/2392, recitals 2–5' });
  }
  if (!cats.length && inScope) notes.push({ text: 'No Annex III or IV core functionality is declared (classification.coreFunctions): a default product. Classification does not reduce the risk assessment', cite: 'Art. 7(1); Art. 13(2)' });
  // "None" is an answer (coreFunctions: []); a field left out or left as a placeholder is not, and the class rests on it.
  const coreAnswered = m.classification?.coreFunctions !== undefined && !(m.placeholders ?? []).some((p) => p.path === 'classification.coreFunctions' || p.path.startsWith('classification.coreFunctions.'));
  if (!coreAnswered && inScope && !cats.length) uncertainties.push({ text: 'marque.yaml does not say whether the product\'s core functionality is in Annex III or IV (classification.coreFunctions; [] for none); assumed none, so the default class; an important or critical product has other conformity routes', cite: 'Art. 7(1); Art. 8(1); Art. 32(2)–(4)' });

  // Conformity routes (Art. 32), only for manufacturers.
  let routes: Route[] = [];
  if (role === 'manufacturer') {
    routes = [...ROUTES[cls]];
    const applied = m.conformity?.appliedInFull ?? [];
    if (cls === 'important-I') {
      if (applied.length) notes.push({ text: `Applied in full: ${applied.join(', ')}; internal control (module A) is open`, cite: 'Art. 32(2)' });
      else {
        routes = routes.filter((r) => r.module !== 'A');
        notes.push({ text: 'Without harmonised standards, common specifications or a certification scheme applied in full, module A is not open: use B+C or H', cite: 'Art. 32(2)' });
        uncertainties.push({ text: 'Harmonised standards for the CRA (prEN 40000 series and vertical standards under request M/606) had not been cited in the Official Journal when this data was compiled; check whether they exist before relying on module A', cite: 'Art. 27(1); Art. 32(2)' });
      }
    }
    if ((cls === 'important-I' || cls === 'important-II') && c.openSource) {
      if (m.conformity?.technicalDocumentationPublic) routes = [FOSS_ANNEX_III_ROUTE, ...routes.filter((r) => r.module !== 'A')];
      else notes.push({ text: 'As free and open-source software in Annex III, publishing the technical documentation at placing on the market opens every Art. 32(1) procedure, including internal control', cite: 'Art. 32(5)' });
    }
    if (cls === 'critical') uncertainties.push({ text: 'Whether the Commission has adopted the Art. 8(1) delegated act requiring certification of critical products was not verified; until it has, Art. 32(3) procedures apply', cite: 'Art. 8(1); Art. 32(4)' });
  }

  // Obligations and dates.
  const todayIso = today.toISOString().slice(0, 10);
  const obligations = role === 'out-of-scope' ? [] : OBLIGATIONS.filter((o) => o.roles.includes(role as Role)).map((o) => {
    const from = milestone(o.appliesFrom).date;
    return { id: o.id, text: o.text, cite: o.cite, appliesFrom: from, status: (todayIso >= from ? 'in-force' : 'upcoming') as 'in-force' | 'upcoming' };
  });
  if (role === 'manufacturer' && c.enterprise && (c.enterprise === 'micro' || c.enterprise === 'small')) {
    notes.push({ text: 'Micro and small enterprises are not fined for missing the 24-hour early-warning deadlines', cite: 'Art. 64(10)(a)' });
    notes.push({ text: 'Micro and small enterprises may use a simplified form of the technical documentation once the Commission sets it', cite: 'Art. 33(5)' });
  }
  if (role === 'open-source-steward') uncertainties.push({ text: 'Art. 64(10) exempts stewards "by way of derogation from paragraphs 3 to 9"; whether that also covers the fines of Art. 64(2) is a drafting question — ask counsel', cite: 'Art. 64(10)' });

  return {
    scope: { inScope, reasons },
    role,
    class: cls,
    categories: cats.map((x) => ({ id: x.id, annex: x.annex, point: x.point, title: x.title })),
    conformityRoutes: routes.map((r) => ({ module: r.module, conditions: r.conditions, cite: r.cite })),
    obligations,
    wouldChange,
    uncertainties,
    notes,
    dates: MILESTONES.map((d) => ({ ...d, passed: todayIso >= d.date })),
    penalties: role === 'manufacturer' || role === 'importer' || role === 'distributor' ? PENALTIES.map((p) => ({ text: p.text, cite: p.cite })) : [],
  };
}

