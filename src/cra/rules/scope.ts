// Scope (Art. 2), definitions (Art. 3) and the recitals on commercial activity and free and
// open-source software (recitals 15–21), as data.

export interface Rule { id: string; text: string; cite: string }

export const SCOPE_CONDITION: Rule = {
  id: 'data-connection',
  text: 'products with digital elements made available on the market, the intended purpose or reasonably foreseeable use of which includes a direct or indirect logical or physical data connection to a device or network',
  cite: 'Art. 2(1)',
};

export const MADE_AVAILABLE: Rule = {
  id: 'made-available',
  text: "'making available on the market' means the supply of a product with digital elements for distribution or use on the Union market in the course of a commercial activity, whether in return for payment or free of charge",
  cite: 'Art. 3(22)',
};

/** Products the Regulation does not apply to. */
export const EXCLUSIONS: Readonly<Record<string, Rule>> = {
  'medical-devices': { id: 'medical-devices', text: 'products to which Regulation (EU) 2017/745 on medical devices applies', cite: 'Art. 2(2)(a)' },
  'in-vitro-diagnostics': { id: 'in-vitro-diagnostics', text: 'products to which Regulation (EU) 2017/746 on in vitro diagnostic medical devices applies', cite: 'Art. 2(2)(b)' },
  'motor-vehicles': { id: 'motor-vehicles', text: 'products to which Regulation (EU) 2019/2144 on motor vehicle type-approval applies', cite: 'Art. 2(2)(c)' },
  'civil-aviation': { id: 'civil-aviation', text: 'products certified in accordance with Regulation (EU) 2018/1139 (civil aviation)', cite: 'Art. 2(3)' },
  'marine-equipment': { id: 'marine-equipment', text: 'equipment within the scope of Directive 2014/90/EU on marine equipment', cite: 'Art. 2(4)' },
  'l-category-vehicles': { id: 'l-category-vehicles', text: 'products in the scope of Regulation (EU) No 168/2013 (two- or three-wheel vehicles and quadricycles), except L1e vehicles designed to pedal', cite: 'Art. 2(5); Delegated Regulation (EU) 2025/1535' },
  'identical-spare-parts': { id: 'identical-spare-parts', text: 'spare parts made available to replace identical components and manufactured according to the same specifications', cite: 'Art. 2(6)' },
  'national-security': { id: 'national-security', text: 'products developed or modified exclusively for national security or defence purposes, or specifically designed to process classified information', cite: 'Art. 2(7)' },
  'own-use': { id: 'own-use', text: 'products developed for own use only are not placed on the market (for a public administration: recital 16)', cite: 'Art. 3(21), Art. 3(22); recital 16' },
};

/** What makes supplying software a commercial activity (recital 15), and what does not (recitals 15, 18). */
export const MONETISATION: Readonly<Record<string, Rule>> = {
  price: { id: 'price', text: 'charging a price for the product', cite: 'recital 15' },
  'paid-support-beyond-cost': { id: 'paid-support-beyond-cost', text: 'charging a price for technical support services where this does not serve only the recuperation of actual costs', cite: 'recital 15' },
  'monetising-platform': { id: 'monetising-platform', text: 'an intention to monetise, for instance by providing a software platform through which the manufacturer monetises other services', cite: 'recital 15' },
  'personal-data': { id: 'personal-data', text: 'requiring as a condition for use the processing of personal data for reasons other than exclusively for improving the security, compatibility or interoperability of the software', cite: 'recital 15' },
  'donations-exceeding-costs': { id: 'donations-exceeding-costs', text: 'accepting donations exceeding the costs associated with the design, development and provision of the product', cite: 'recital 15' },
};

export const NOT_MONETISATION: Readonly<Record<string, Rule>> = {
  'donations-without-profit': { id: 'donations-without-profit', text: 'accepting donations without the intention of making a profit is not a commercial activity', cite: 'recital 15' },
  'support-cost-recovery': { id: 'support-cost-recovery', text: 'charging for technical support only to recover actual costs is not, on that ground alone, a commercial activity', cite: 'recital 15; recital 16' },
  'not-monetised-foss': { id: 'not-monetised-foss', text: 'free and open-source software that is not monetised by its manufacturer is not supplied in the course of a commercial activity', cite: 'recital 18' },
  'financing-irrelevant': { id: 'financing-irrelevant', text: 'how development is financed, financial support or contributions from manufacturers, and regular releases do not in themselves make the supply commercial', cite: 'recital 18' },
  'contributors': { id: 'contributors', text: 'the Regulation does not apply to persons contributing source code to free and open-source products that are not under their responsibility', cite: 'recital 18' },
  'hosting': { id: 'hosting', text: 'the sole act of hosting products on open repositories, package managers or collaboration platforms is not making available on the market', cite: 'recital 20' },
};

export const ROLES: Readonly<Record<string, Rule>> = {
  manufacturer: { id: 'manufacturer', text: 'a person who develops or manufactures products with digital elements, or has them designed, developed or manufactured, and markets them under its name or trademark, whether for payment, monetisation or free of charge', cite: 'Art. 3(13)' },
  'open-source-steward': { id: 'open-source-steward', text: 'a legal person, other than a manufacturer, that has the purpose or objective of systematically providing support on a sustained basis for the development of specific free and open-source products intended for commercial activities, and that ensures their viability', cite: 'Art. 3(14)' },
  importer: { id: 'importer', text: 'a person established in the Union who places on the market a product bearing the name or trademark of a person established outside the Union', cite: 'Art. 3(16)' },
  distributor: { id: 'distributor', text: 'a person in the supply chain, other than the manufacturer or importer, that makes a product available on the Union market without affecting its properties', cite: 'Art. 3(17)' },
  'out-of-scope': { id: 'out-of-scope', text: 'the Regulation does not apply', cite: 'Art. 2' },
};

/**
 * What check's Annex I items mean for a role other than the manufacturer's: the essential requirements are the
 * manufacturer's (Art. 13(1)); the other roles have obligations of their own.
 */
export const CHECK_FOR_ROLE: Readonly<Record<string, Rule>> = {
  'open-source-steward': { id: 'check-steward', text: "Annex I's essential requirements are the manufacturer's; a steward puts in place and documents a cybersecurity policy, cooperates with market surveillance authorities and reports as Art. 14 asks to the extent it is involved, and does not affix the CE marking: the items below show how far the software meets Annex I, for information, not obligations of the steward", cite: 'Art. 13(1); Art. 24(1)-(3); recital 19' },
  importer: { id: 'check-importer', text: 'an importer places on the market only products that comply with Annex I, and checks that the manufacturer carried out the conformity assessment, drew up the technical documentation and affixed the CE marking: the items below are what to check of the manufacturer', cite: 'Art. 19(1), 19(2)' },
  distributor: { id: 'check-distributor', text: 'a distributor verifies that the product bears the CE marking and that the manufacturer and the importer complied with their obligations: the items below are what to check of them', cite: 'Art. 20(2)' },
  'out-of-scope': { id: 'check-out-of-scope', text: 'the Regulation does not apply to this product as marque.yaml answers it ("marque classify" says why): the items below are for information', cite: 'Art. 2' },
};

export const FOSS_DEFINITION: Rule = {
  id: 'foss', text: 'software the source code of which is openly shared and which is made available under a free and open-source licence which provides for all rights to make it freely accessible, usable, modifiable and redistributable', cite: 'Art. 3(48)',
};

export const BECOMES_MANUFACTURER: Rule = {
  id: 'becomes-manufacturer', text: 'an importer or distributor that places a product on the market under its own name or trademark, or carries out a substantial modification, is considered a manufacturer', cite: 'Art. 21; Art. 22',
};
