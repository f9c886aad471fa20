// A commented marque.yaml from a few answers. The comments carry the citations, so the file
// explains itself in review.
import { CATEGORIES } from '../cra/rules/categories.ts';

export interface InitAnswers {
  name: string;
  version: string;
  manufacturer?: string;
  address?: string;
  email?: string;
  contact?: string;
  intendedPurpose?: string;
  openSource?: boolean;
  /** false: the maintainer answered that none of the five monetisation facts of recital 15 applies. */
  monetised?: boolean;
  coreFunctions?: string[];
  platform?: string;
  rosdistro?: string;
  supportEnd?: string;
  updateMechanism?: string;
  mainEstablishment?: string;
}

const q = (s: string) => JSON.stringify(s);
/** A field the user answered, or the same line commented out: a value nobody gave is never written as one. */
const line = (indent: string, key: string, value: string | undefined, hint: string, comment = '') =>
  value !== undefined ? `${indent}${key}: ${value}${comment ? `   # ${comment}` : ''}\n` : `${indent}# ${key}: ${hint}${comment ? `   # ${comment}` : ''}\n`;

export function manifestTemplate(a: InitAnswers): string {
  const cats = CATEGORIES.map((c) => `#   ${c.id.padEnd(9)} ${c.cite}: ${c.title.length > 90 ? `${c.title.slice(0, 87)}...` : c.title}`).join('\n');
  const manufacturer = a.manufacturer
    ? `  manufacturer:\n    name: ${q(a.manufacturer)}\n${line('    ', 'address', a.address && q(a.address), '"street, postal code, city, country"', 'Art. 13(16)')}${a.email ? `    email: ${q(a.email)}\n` : ''}`
    : '  # manufacturer: { name: ..., address: ..., email: ..., url: ... }   (Art. 13(16))\n';
  return `# Marque product manifest: what no scanner can infer. Reviewed like code; git history is the audit trail.
# Schema: schemas/marque.schema.json. Citations refer to Regulation (EU) 2024/2847 (Cyber Resilience Act).
# A commented-out line is a question not yet answered: Marque reports it as a gap, never as a fact.
product:
  name: ${q(a.name)}
  version: ${q(a.version)}
  # Intended purpose (Art. 3(23)): decides the core functionality and so the class.
${line('  ', 'intendedPurpose', a.intendedPurpose && q(a.intendedPurpose), '"what the product is for"')}  # Direct or indirect data connection to a device or network (Art. 2(1)).
  # dataConnection: true
${manufacturer}
# Core functionality in Annex III/IV decides the class (Art. 7(1), Art. 8(1)). Integrating such a
# component does not by itself change the class: list those under "integrates".
classification:
${a.coreFunctions === undefined ? '  # coreFunctions: []            # category ids of the core functionality below, [] for none: unanswered until written\n' : `  coreFunctions: [${a.coreFunctions.join(', ')}]\n`}  integrates: []
# Categories:
${cats}

# Facts that decide scope and role (Art. 2, Art. 3(13)-(17), recitals 15-21).
commercial:
  # madeAvailableInEU: true
  # actor: manufacturer          # manufacturer | importer | distributor
${line('  ', 'openSource', a.openSource === undefined ? undefined : String(a.openSource), 'false')}${a.monetised === false ? `  # Answered: nothing monetises the software (recital 15). Donations without profit: donations: without-profit.
  price: false
  support: none                  # none | cost-recovery | beyond-cost   (recital 15)
  donations: none                # none | without-profit | exceeding-costs   (recital 15)
  monetisingPlatform: false
  personalDataCondition: false
` : `  # price: true
  # support: none                # none | cost-recovery | beyond-cost   (recital 15)
  # donations: none              # none | without-profit | exceeding-costs   (recital 15)
  # monetisingPlatform: false
  # personalDataCondition: false
`}  # steward:                     # a legal person (foundation, company) supporting this open-source project (Art. 3(14), Art. 24; recital 19)
  #   legalPerson: true
  #   sustainedSupport: true     # systematically, on a sustained basis, ensuring its viability
  #   intendedForCommercialActivities: true   # e.g. for integration into monetised products
  # enterprise: small            # micro | small | medium | large   (Art. 64(10)(a), Art. 33(5))

# Support period: at least five years unless the expected use time is shorter (Art. 13(8));
# its end, at least month and year, must be stated at purchase (Art. 13(19)).
support:
${line('  ', 'periodEnd', a.supportEnd && q(a.supportEnd), '"2032-12"')}  # expectedUseYears: 10
  # justification: why this period (Annex VII point 4)
  updates:
${line('    ', 'mechanism', a.updateMechanism && q(a.updateMechanism), '"how security updates reach users"', 'Annex I, Part II (7)')}    # automatic: true             # Annex I, Part I (2)(c)
    # separateFromFeatures: true  # Annex I, Part II (2)

security:
${line('  ', 'contact', a.contact && q(a.contact), '"mailto: or https: for vulnerability reports"', 'Art. 13(17); Annex I, Part II (6)')}  # disclosurePolicy: SECURITY.md  # coordinated vulnerability disclosure (Annex I, Part II (5))

# Where the product is sold; Art. 14 reports go to the CSIRT of the main establishment (Art. 14(7)).
market:
${line('  ', 'mainEstablishment', a.mainEstablishment, 'DE')}  memberStates: []

inventory:
${line('  ', 'platform', a.platform, 'ubuntu:noble')}${line('  ', 'rosdistro', a.rosdistro, 'jazzy')}
# VEX decisions on findings (vulnerability, products, status, justification).
vex: []
`;
}
