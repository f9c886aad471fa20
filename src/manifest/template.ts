// A commented marque.yaml from a few answers. The comments carry the citations, so the file
// explains itself in review.
import { CATEGORIES } from '../cra/rules/categories.ts';

export interface InitAnswers {
  name: string;
  version: string;
  manufacturer?: string;
  email?: string;
  intendedPurpose?: string;
  openSource?: boolean;
  coreFunctions?: string[];
  platform?: string;
  rosdistro?: string;
  supportEnd?: string;
  mainEstablishment?: string;
}

const q = (s: string) => JSON.stringify(s);

export function manifestTemplate(a: InitAnswers): string {
  const cats = CATEGORIES.map((c) => `#   ${c.id.padEnd(9)} ${c.cite}: ${c.title.length > 90 ? `${c.title.slice(0, 87)}...` : c.title}`).join('\n');
  return `# Marque product manifest: what no scanner can infer. Reviewed like code; git history is the audit trail.
# Schema: schemas/marque.schema.json. Citations refer to Regulation (EU) 2024/2847 (Cyber Resilience Act).
product:
  name: ${q(a.name)}
  version: ${q(a.version)}
  # Intended purpose (Art. 3(23)): decides the core functionality and so the class.
  intendedPurpose: ${q(a.intendedPurpose ?? 'TODO: what the product is for')}
  # Direct or indirect data connection to a device or network (Art. 2(1)).
  dataConnection: true
${a.manufacturer ? `  manufacturer:\n    name: ${q(a.manufacturer)}\n${a.email ? `    email: ${q(a.email)}\n` : ''}` : '  # manufacturer: { name: ..., email: ..., url: ... }   (Art. 13(16))\n'}
# Core functionality in Annex III/IV decides the class (Art. 7(1), Art. 8(1)). Integrating such a
# component does not by itself change the class: list those under "integrates".
classification:
  coreFunctions: [${(a.coreFunctions ?? []).join(', ')}]
  integrates: []
# Categories:
${cats}

# Facts that decide scope and role (Art. 2, Art. 3(13)-(17), recitals 15-21).
commercial:
  madeAvailableInEU: true
  actor: manufacturer            # manufacturer | importer | distributor
  openSource: ${a.openSource ? 'true' : 'false'}
  price: ${a.openSource ? 'false' : 'true'}
  support: none                  # none | cost-recovery | beyond-cost   (recital 15)
  donations: none                # none | without-profit | exceeding-costs   (recital 15)
  monetisingPlatform: false
  personalDataCondition: false
  # enterprise: small            # micro | small | medium | large   (Art. 64(10)(a), Art. 33(5))

# Support period: at least five years unless the expected use time is shorter (Art. 13(8));
# its end, at least month and year, must be stated at purchase (Art. 13(19)).
support:
  periodEnd: ${q(a.supportEnd ?? 'TODO')}
  # expectedUseYears: 10
  # justification: why this period (Annex VII point 4)
  updates:
    mechanism: "TODO: how security updates reach users (Annex I, Part II (7))"
    automatic: true              # Annex I, Part I (2)(c)
    separateFromFeatures: true   # Annex I, Part II (2)

security:
  contact: "TODO: mailto: or https: for vulnerability reports (Art. 13(17); Annex I, Part II (6))"
  disclosurePolicy: SECURITY.md  # coordinated vulnerability disclosure (Annex I, Part II (5))

# Where the product is sold; Art. 14 reports go to the CSIRT of the main establishment (Art. 14(7)).
market:
${a.mainEstablishment ? `  mainEstablishment: ${a.mainEstablishment}\n` : '  # mainEstablishment: DE\n'}  memberStates: []

inventory:
  platform: ${a.platform ?? 'ubuntu:noble'}
  rosdistro: ${a.rosdistro ?? 'jazzy'}

# VEX decisions on findings (vulnerability, products, status, justification).
vex: []
`.replace('support:\n  periodEnd: "TODO"', 'support:\n  # periodEnd: "2032-12"');
}
