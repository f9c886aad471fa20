// The contents the Regulation prescribes for the EU declaration of conformity (Annex V), the
// information and instructions to the user (Annex II) and the technical documentation (Annex VII).
// `fill` names what Marque can fill each point from; absent means the manufacturer must write it.
export type Source =
  | 'product-identity' | 'manufacturer' | 'contact-and-policy' | 'intended-purpose' | 'support-period' | 'update-mechanism'
  | 'sbom-location' | 'class-and-route' | 'applied-standards' | 'sbom' | 'findings' | 'support-justification'
  | 'sole-responsibility' | 'conformity-statement';

export interface DocPoint { point: string; text: string; cite: string; fill?: Source }

export const ANNEX_V: readonly DocPoint[] = [
  { point: '1', text: 'Name and type and any additional information enabling the unique identification of the product with digital elements', cite: 'Annex V, point 1', fill: 'product-identity' },
  { point: '2', text: 'Name and address of the manufacturer or its authorised representative', cite: 'Annex V, point 2', fill: 'manufacturer' },
  { point: '3', text: 'A statement that the EU declaration of conformity is issued under the sole responsibility of the provider', cite: 'Annex V, point 3', fill: 'sole-responsibility' },
  { point: '4', text: 'Object of the declaration (identification allowing traceability; may include a photograph)', cite: 'Annex V, point 4', fill: 'product-identity' },
  { point: '5', text: 'A statement that the object of the declaration is in conformity with the relevant Union harmonisation legislation', cite: 'Annex V, point 5', fill: 'conformity-statement' },
  { point: '6', text: 'References to any relevant harmonised standards used or any other common specification or cybersecurity certification in relation to which conformity is declared', cite: 'Annex V, point 6', fill: 'applied-standards' },
  { point: '7', text: 'Where applicable, the name and number of the notified body, a description of the conformity assessment procedure performed and identification of the certificate issued', cite: 'Annex V, point 7', fill: 'class-and-route' },
  { point: '8', text: 'Additional information: signed for and on behalf of; place and date of issue; name, function; signature', cite: 'Annex V, point 8' },
];

export const ANNEX_II: readonly DocPoint[] = [
  { point: '1', text: 'Name, registered trade name or trademark of the manufacturer, postal address, email or other digital contact and website', cite: 'Annex II, point 1', fill: 'manufacturer' },
  { point: '2', text: 'The single point of contact where information about vulnerabilities can be reported and received, and where the coordinated vulnerability disclosure policy can be found', cite: 'Annex II, point 2', fill: 'contact-and-policy' },
  { point: '3', text: 'Name and type and any additional information enabling the unique identification of the product', cite: 'Annex II, point 3', fill: 'product-identity' },
  { point: '4', text: 'The intended purpose, including the security environment provided by the manufacturer, the essential functionalities and information about the security properties', cite: 'Annex II, point 4', fill: 'intended-purpose' },
  { point: '5', text: 'Known or foreseeable circumstances, related to intended use or reasonably foreseeable misuse, which may lead to significant cybersecurity risks', cite: 'Annex II, point 5' },
  { point: '6', text: 'Where applicable, the internet address at which the EU declaration of conformity can be accessed', cite: 'Annex II, point 6' },
  { point: '7', text: 'The type of technical security support offered and the end-date of the support period', cite: 'Annex II, point 7', fill: 'support-period' },
  { point: '8(a)', text: 'Necessary measures during initial commissioning and throughout the lifetime to ensure secure use', cite: 'Annex II, point 8(a)' },
  { point: '8(b)', text: 'How changes to the product can affect the security of data', cite: 'Annex II, point 8(b)' },
  { point: '8(c)', text: 'How security-relevant updates can be installed', cite: 'Annex II, point 8(c)', fill: 'update-mechanism' },
  { point: '8(d)', text: 'The secure decommissioning of the product, including how user data can be securely removed', cite: 'Annex II, point 8(d)' },
  { point: '8(e)', text: 'How the default setting enabling automatic installation of security updates can be turned off', cite: 'Annex II, point 8(e)' },
  { point: '8(f)', text: 'Where the product is intended for integration, the information the integrator needs to comply with Annex I and Annex VII', cite: 'Annex II, point 8(f)' },
  { point: '9', text: 'If the manufacturer makes the software bill of materials available to the user, where it can be accessed', cite: 'Annex II, point 9', fill: 'sbom-location' },
];

export const ANNEX_VII: readonly DocPoint[] = [
  { point: '1(a)', text: 'General description: intended purpose', cite: 'Annex VII, point 1(a)', fill: 'intended-purpose' },
  { point: '1(b)', text: 'Versions of software affecting compliance with essential cybersecurity requirements', cite: 'Annex VII, point 1(b)', fill: 'product-identity' },
  { point: '1(c)', text: 'For hardware: photographs or illustrations of external features, marking and internal layout', cite: 'Annex VII, point 1(c)' },
  { point: '1(d)', text: 'User information and instructions as set out in Annex II', cite: 'Annex VII, point 1(d)' },
  { point: '2(a)', text: 'Design and development, including a system architecture description showing how software components build on or feed into each other', cite: 'Annex VII, point 2(a)', fill: 'sbom' },
  { point: '2(b)', text: 'Vulnerability handling: the software bill of materials, the coordinated vulnerability disclosure policy, the contact address for reporting vulnerabilities, and the technical solutions for the secure distribution of updates', cite: 'Annex VII, point 2(b)', fill: 'findings' },
  { point: '2(c)', text: 'Production and monitoring processes and their validation', cite: 'Annex VII, point 2(c)' },
  { point: '3', text: 'The cybersecurity risk assessment (Art. 13), including how Annex I, Part I applies', cite: 'Annex VII, point 3' },
  { point: '4', text: 'Relevant information taken into account to determine the support period', cite: 'Annex VII, point 4', fill: 'support-justification' },
  { point: '5', text: 'Harmonised standards, common specifications or certification schemes applied, or the solutions adopted to meet the essential requirements', cite: 'Annex VII, point 5', fill: 'applied-standards' },
  { point: '6', text: 'Reports of the tests carried out to verify conformity with Annex I, Parts I and II', cite: 'Annex VII, point 6' },
  { point: '7', text: 'A copy of the EU declaration of conformity', cite: 'Annex VII, point 7' },
  { point: '8', text: 'Where applicable, the software bill of materials, further to a reasoned request from a market surveillance authority', cite: 'Annex VII, point 8', fill: 'sbom' },
];
