// Annex I essential cybersecurity requirements, item by item, with what evidence Marque can gather
// for each (`check`) or what a person must supply (`guidance`).
export type EvidenceKind =
  | 'sbom' | 'no-known-exploitable' | 'cvd-policy' | 'contact' | 'support-period' | 'update-mechanism'
  | 'automatic-updates' | 'separate-security-updates' | 'attack-surface' | 'manual';

export interface Requirement { id: string; text: string; cite: string; evidence: EvidenceKind; guidance: string }

const P1 = (id: string, text: string, guidance: string, evidence: EvidenceKind = 'manual'): Requirement => ({ id: `I.${id}`, text, cite: `Annex I, Part I (${id.replace('2.', '2)(')})`, evidence, guidance });
const P2 = (n: number, text: string, guidance: string, evidence: EvidenceKind = 'manual'): Requirement => ({ id: `II.${n}`, text, cite: `Annex I, Part II (${n})`, evidence, guidance });

export const ANNEX_I: readonly Requirement[] = [
  { id: 'I.1', text: 'Designed, developed and produced to ensure an appropriate level of cybersecurity based on the risks', cite: 'Annex I, Part I (1)', evidence: 'manual', guidance: 'Document the cybersecurity risk assessment (Art. 13(2)) and how it shaped design and development.' },
  P1('2.a', 'Made available without known exploitable vulnerabilities', 'Import advisory data for every ecosystem the product ships (marque db update: Debian/Ubuntu, and GIT for ROS and C/C++ sources), give OS packages their versions (--apt-index or the image\'s dpkg status) and released ROS packages their closure (--rosdistro-cache), then decide every finding with VEX.', 'no-known-exploitable'),
  P1('2.b', 'Secure by default configuration, with the possibility to reset to the original state', 'Describe default credentials (none), default-closed services and the reset procedure.'),
  P1('2.c', 'Vulnerabilities can be addressed through security updates, automatic by default with opt-out where applicable', 'Declare support.updates in marque.yaml; recital 56 exempts products where users would not expect automatic updates (e.g. industrial settings).', 'automatic-updates'),
  P1('2.d', 'Protection from unauthorised access by control mechanisms, with reporting of possible unauthorised access', 'Describe authentication and access control on every external interface (ROS 2: SROS2 enclaves and policies).'),
  P1('2.e', 'Confidentiality of stored, transmitted or processed data, e.g. by state-of-the-art encryption', 'Describe encryption at rest and in transit (TLS, DDS-Security).'),
  P1('2.f', 'Integrity of data, commands, programs and configuration, with reporting of corruptions', 'Describe signed updates, secure boot and integrity checks.'),
  P1('2.g', 'Data minimisation: only data adequate, relevant and limited to the intended purpose', 'List the data processed and why each is needed.'),
  P1('2.h', 'Availability of essential and basic functions, also after an incident, including resilience against denial-of-service', 'Describe degraded modes and rate limits; for robots, safe stop behaviour.'),
  P1('2.i', 'Minimise the negative impact on the availability of services provided by other devices or networks', 'Describe network behaviour limits (discovery traffic, retries).'),
  P1('2.j', 'Limit attack surfaces, including external interfaces', 'Declare the external interfaces and compartments in marque.yaml (architecture) and run marque perimeter; justify each interface the product keeps open.', 'attack-surface'),
  P1('2.k', 'Reduce the impact of an incident using exploitation mitigation mechanisms and techniques', 'Describe compartmentalisation, hardening flags and least privilege.'),
  P1('2.l', 'Record and monitor relevant internal activity, with a user opt-out', 'Describe security logging and how users can opt out.'),
  P1('2.m', 'Users can securely and easily remove all data and settings, and transfer them securely', 'Describe the factory reset and data export.'),
  P2(1, 'Identify and document vulnerabilities and components, including an SBOM covering at least the top-level dependencies', 'marque sbom writes CycloneDX 1.6 or SPDX 2.3.', 'sbom'),
  P2(2, 'Address and remediate vulnerabilities without delay; security updates separately from functionality updates where technically feasible', 'Declare support.updates.separateFromFeatures and describe the release process.', 'separate-security-updates'),
  P2(3, 'Apply effective and regular tests and reviews of the security of the product', 'Keep test reports (Annex VII point 6): fuzzing, penetration tests, code review.'),
  P2(4, 'Once an update is available, share and publicly disclose information about fixed vulnerabilities', 'Publish security advisories (marque vulns --format csaf or openvex).'),
  P2(5, 'Put in place and enforce a policy on coordinated vulnerability disclosure', 'Add SECURITY.md (or security.disclosurePolicy in marque.yaml).', 'cvd-policy'),
  P2(6, 'Facilitate sharing of information about vulnerabilities, including by a contact address for reporting them', 'Declare security.contact and publish .well-known/security.txt (RFC 9116); an address for reports given in SECURITY.md counts as declared.', 'contact'),
  P2(7, 'Provide mechanisms to securely distribute updates', 'Declare support.updates.mechanism: signed packages, secure channel.', 'update-mechanism'),
  P2(8, 'Disseminate security updates without delay and free of charge, with advisory messages', 'Describe how users are told about updates and that security updates are free.'),
];

export const SUPPORT_PERIOD: Requirement = {
  id: 'Art.13(8)', text: 'Support period of at least five years, unless the product is expected to be in use for less', cite: 'Art. 13(8); Art. 13(19)', evidence: 'support-period',
  guidance: 'Declare support.periodEnd (YYYY-MM) and, if under five years, support.expectedUseYears with a justification.',
};
