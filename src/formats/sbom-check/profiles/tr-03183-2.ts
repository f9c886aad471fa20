// BSI TR-03183-2 "Cyber Resilience Requirements for Manufacturers and Products – Part 2: Software
// Bill of Materials (SBOM)", version 2.1.0 of 2025-08-20 (https://bsi.bund.de/dok/TR-03183-en):
// §4 formats, §3.1 no vulnerability information, §5.2.1–5.2.5 data fields (Tables 2–6), mapped
// to CycloneDX 1.6 and SPDX 3.0.1 as §8.2 (Tables 8–12) says. Page numbers are the PDF's.
import { isSpdxExpression } from '../../../util/license.ts';
import { unreachableContact } from '../../../util/answers.ts';
import type { ComponentFacts, Party } from '../facts.ts';
import { met, missing, type Outcome, type SbomProfile, type SbomRequirement } from './profile.ts';

const TR = 'BSI TR-03183-2 v2.1.0';
const EMAIL = /^[^@\s]+@[^@\s]+\.[^@\s]+$/;
const URL_RE = /^[a-z][a-z0-9+.-]*:\/\/\S+$/i;
const URI_RE = /^[a-z][a-z0-9+.-]*:\S+$/i;

/** §5.2.1/§5.2.2: an email address, else a URL; a name alone is not enough, nor an address at a domain reserved for examples. */
function contactOutcome(p: Party, what: string): Outcome {
  const given = [...p.emails.filter((e) => EMAIL.test(e.replace(/^mailto:/, ''))), ...p.urls.filter((u) => URL_RE.test(u))];
  const reachable = given.filter((x) => !unreachableContact(x));
  if (reachable.length) return met;
  if (given.length) return missing(`${what}: ${unreachableContact(given[0]!)}`);
  if (p.emails.length || p.urls.length) return missing(`${what}: "${[...p.emails, ...p.urls][0]}" is neither an email address nor a URL`);
  return missing(p.names.length ? `${what} "${p.names[0]}" has no email address or URL` : `no ${what}${p.from ? ` (${p.from})` : ''}`);
}

/** §6.1: SPDX identifiers or expressions (LicenseRef-… included); licence text or free names are not. */
function licenceOutcome(list: string[], what: string): Outcome {
  if (!list.length) return missing(`no ${what}`);
  const bad = list.find((l) => !isSpdxExpression(l));
  return bad ? missing(`${what} "${bad.length > 60 ? `${bad.slice(0, 57)}...` : bad}" is not an SPDX licence identifier or expression (§6.1)`) : met;
}

/** SHA-512 of the empty string: what a hash of a file that was never read, or a sample value, holds. */
const SHA512_OF_NOTHING = 'cf83e1357eefb8bdf1542850d66d8007d620e4050b5715dc83f4a921d36ce9ce47d0d13c5d85f2b0ff8318d2877eec2f63b931bd47417a81a538327af927da3e';

const fileFacts = (c: ComponentFacts) => !!(c.filename || c.executable || c.archive || c.structured || c.deployableHashes.length);

const REQUIREMENTS: SbomRequirement[] = [
  {
    id: '4/format', field: 'SBOM format: CycloneDX 1.6 or higher, or SPDX 3.0.1 or higher, as JSON or XML', level: 'required', scope: 'sbom', cite: `${TR} §4 (p. 11)`,
    sbom(f) {
      const [maj, min, patch] = f.specVersion.split('.').map(Number) as [number, number, number | undefined];
      if (f.encoding === 'tag-value') return missing(`SPDX ${f.specVersion} tag-value: neither JSON nor XML`);
      if (f.format === 'CycloneDX') return maj > 1 || (maj === 1 && min >= 6) ? met : missing(`CycloneDX ${f.specVersion}: 1.6 or higher is required`);
      return maj > 3 || (maj === 3 && (min > 0 || (patch ?? 0) >= 1)) ? met : missing(`SPDX ${f.specVersion}: 3.0.1 or higher is required (SPDX 2 is no longer allowed)`);
    },
  },
  {
    id: '3.1/no-vulnerabilities', field: 'No vulnerability information in the SBOM', level: 'required', scope: 'sbom', cite: `${TR} §3.1 (p. 7), §8.1.14 (p. 21)`,
    sbom: (f) => (f.vulnerabilities ? missing(`${f.vulnerabilities} vulnerability record(s) inside the SBOM; give them as CSAF or VEX instead`) : met),
  },
  {
    id: '5.2.1/creator', field: 'Creator of the SBOM (email address, else URL)', level: 'required', scope: 'sbom', key: 'creator', cite: `${TR} §5.2.1 Table 2 (p. 12); §8.2 Table 8 (p. 22)`,
    sbom: (f) => contactOutcome(f.creator, 'SBOM creator'),
  },
  {
    id: '5.2.1/timestamp', field: 'Timestamp of the SBOM data compilation', level: 'required', scope: 'sbom', cite: `${TR} §5.2.1 Table 2 (p. 12); §8.2 Table 8 (p. 22)`,
    sbom: (f) => (!f.timestamp ? missing('no timestamp') : Number.isNaN(Date.parse(f.timestamp)) ? missing(`timestamp "${f.timestamp}" is not a date and time`) : met),
  },
  {
    id: '5.2.3/sbom-uri', field: 'SBOM-URI', level: 'additional', scope: 'sbom', key: 'sbom-uri', cite: `${TR} §5.2.3 Table 4 (p. 14); §8.2 Table 10 (p. 29)`,
    sbom: (f) => (!f.uri ? missing('no SBOM-URI (CycloneDX serialNumber, SPDX 3 software_Sbom spdxId)') : URI_RE.test(f.uri) ? met : missing(`SBOM-URI "${f.uri}" is not a URI`)),
  },
  {
    id: '5.2.2/creator', field: 'Component creator (email address, else URL)', level: 'required', scope: 'component', key: 'creator', logical: true, cite: `${TR} §5.2.2 Table 3 (p. 13); §8.1.8; §8.2 Table 9 (p. 23)`,
    component: (c) => contactOutcome(c.creator, 'component creator'),
  },
  {
    id: '5.2.2/name', field: 'Component name', level: 'required', scope: 'component', logical: true, cite: `${TR} §5.2.2 Table 3 (p. 13); §8.2 Table 9 (p. 23)`,
    component: (c) => (c.name ? met : missing('no name')),
  },
  {
    id: '5.2.2/version', field: 'Component version (else the file\'s modification date, RFC 3339)', level: 'required', scope: 'component', key: 'version', logical: true, cite: `${TR} §5.2.2 Table 3 (p. 13); §8.1.9; §8.2 Table 9 (p. 24)`,
    component: (c) => (c.version ? met : missing('no version')),
  },
  {
    id: '5.2.2/filename', field: 'Filename of the component (not its path)', level: 'required', scope: 'component', key: 'filename', cite: `${TR} §5.2.2 Table 3 (p. 13); §8.2 Table 9 (p. 24): bsi:component:filename`,
    component: (c) => (!c.filename ? missing('no filename') : /[/\\]/.test(c.filename) ? missing(`filename "${c.filename}" is a path`) : met),
  },
  {
    id: '5.2.2/dependencies', field: 'Dependencies on other components, with the completeness of the enumeration clearly indicated', level: 'required', scope: 'component', key: 'dependencies', logical: true, cite: `${TR} §5.2.2 Table 3 (p. 13); §3.2.7; §8.2 Table 9 (p. 25)`,
    component(c, f) {
      if (!c.dependenciesListed) return missing(f.format === 'CycloneDX' ? 'no entry in dependencies[] (a component without dependencies is an empty entry)' : 'no dependsOn or contains relationship');
      if (c.completeness === 'not stated') return missing(f.format === 'CycloneDX' ? 'the completeness of its dependencies is not stated (compositions[])' : 'the completeness of its dependencies is not stated (Relationship completeness)');
      return met;
    },
  },
  {
    id: '5.2.2/distribution-licences', field: 'Distribution licences (SPDX identifiers or expressions)', level: 'required', scope: 'component', key: 'distribution-licences', logical: true, cite: `${TR} §5.2.2 Table 3 (p. 13); §3.2.8; §6.1; §8.1.13; §8.2 Table 9 (p. 26): acknowledgement "concluded"`,
    component: (c) => licenceOutcome(c.distributionLicences, 'distribution licence'),
  },
  {
    id: '5.2.2/hash', field: 'SHA-512 hash of the deployable component', level: 'required', scope: 'component', key: 'hash', cite: `${TR} §5.2.2 Table 3 (p. 14); §8.2 Table 9 (p. 26): distribution reference with SHA-512`,
    component(c) {
      const h = c.deployableHashes.find((x) => /^SHA-?512$/i.test(x.alg));
      if (h && h.value.toLowerCase() === SHA512_OF_NOTHING) return missing('the SHA-512 of zero bytes: an empty file was hashed, not the component');
      if (h) return /^[0-9a-f]{128}$/i.test(h.value) ? met : missing('the SHA-512 value is not 128 hexadecimal digits');
      if (c.otherHashes.some((x) => /^SHA-?512$/i.test(x.alg))) return missing('a SHA-512 is given for the component, not for its deployable form (distribution reference)');
      return missing(c.deployableHashes.length ? `deployable form hashed with ${c.deployableHashes.map((x) => x.alg).join(', ')}, not SHA-512` : 'no SHA-512 of the deployable form');
    },
  },
  {
    id: '5.2.2/executable', field: 'Executable property ("executable" or "non-executable")', level: 'required', scope: 'component', key: 'executable', cite: `${TR} §5.2.2 Table 3 (p. 14); §8.1.4; §8.2 Table 9 (p. 27)`,
    component: (c) => (!c.executable ? missing('no executable property') : ['executable', 'non-executable'].includes(c.executable) ? met : missing(`executable property "${c.executable}"`)),
  },
  {
    id: '5.2.2/archive', field: 'Archive property ("archive" or "no archive")', level: 'required', scope: 'component', key: 'archive', cite: `${TR} §5.2.2 Table 3 (p. 14); §8.1.5; §8.2 Table 9 (p. 27)`,
    component: (c) => (!c.archive ? missing('no archive property') : ['archive', 'no archive'].includes(c.archive) ? met : missing(`archive property "${c.archive}"`)),
  },
  {
    id: '5.2.2/structured', field: 'Structured property ("structured" or "unstructured")', level: 'required', scope: 'component', key: 'structured', cite: `${TR} §5.2.2 Table 3 (p. 14); §8.1.6; §8.2 Table 9 (p. 28)`,
    component: (c) => (!c.structured ? missing('no structured property') : ['structured', 'unstructured'].includes(c.structured) ? met : missing(`structured property "${c.structured}"`)),
  },
  {
    id: '5.2.4/source-uri', field: 'Source code URI', level: 'additional', scope: 'component', key: 'source-uri', cite: `${TR} §5.2.4 Table 5 (p. 14); §8.2 Table 11 (p. 29): source-distribution`,
    component: (c) => (c.sourceUri ? (URI_RE.test(c.sourceUri) ? met : missing(`source code URI "${c.sourceUri}" is not a URI`)) : missing(c.vcsUri ? `only a version-control reference (${c.vcsUri}), no source-distribution reference` : 'no source code URI')),
  },
  {
    id: '5.2.4/deployable-uri', field: 'URI of the deployable form of the component', level: 'additional', scope: 'component', key: 'deployable-uri', cite: `${TR} §5.2.4 Table 5 (p. 14); §8.2 Table 11 (p. 30): distribution`,
    component: (c) => (c.deployableUri ? (URI_RE.test(c.deployableUri) ? met : missing(`"${c.deployableUri}" is not a URI`)) : missing('no URI of the deployable form')),
  },
  {
    id: '5.2.4/identifiers', field: 'Other unique identifiers (CPE, purl, SWID)', level: 'additional', scope: 'component', key: 'identifiers', logical: true, cite: `${TR} §5.2.4 Table 5 (p. 14); §8.2 Table 11 (p. 30)`,
    component: (c) => (c.identifiers.purl || c.identifiers.cpe || c.identifiers.swid ? met : missing('no purl, CPE or SWID tag')),
  },
  {
    id: '5.2.4/original-licences', field: 'Original licences (SPDX identifiers or expressions)', level: 'additional', scope: 'component', key: 'original-licences', logical: true, cite: `${TR} §5.2.4 Table 5 (p. 14); §3.2.8; §6.1; §8.2 Table 11 (p. 31): acknowledgement "declared"`,
    component: (c) => licenceOutcome(c.originalLicences, 'original licence'),
  },
  {
    id: '5.2.5/effective-licence', field: 'Effective licence', level: 'optional', scope: 'component', key: 'effective-licence', logical: true, cite: `${TR} §5.2.5 Table 6 (p. 15); §8.2 Table 12 (p. 31)`,
    component: (c) => (c.effectiveLicence ? licenceOutcome([c.effectiveLicence], 'effective licence') : missing('no effective licence')),
  },
  {
    id: '5.2.5/source-hash', field: 'Hash value of the source code', level: 'optional', scope: 'component', cite: `${TR} §5.2.5 Table 6 (p. 15): algorithm not yet determined; §8.2 Table 12 (p. 32)`,
    component: (c) => (c.sourceHash ? met : missing('no hash of the source code')),
  },
  {
    id: '5.2.5/security-txt', field: 'URL of the security.txt (RFC 9116)', level: 'optional', scope: 'component', key: 'security-txt', logical: true, cite: `${TR} §5.2.5 Table 6 (p. 15); §8.2 Table 12 (p. 32): rfc-9116`,
    component: (c) => (c.securityTxt ? met : missing('no security.txt URL')),
  },
];

/** Component types that name something abstract, not a file (§8.1.3: "an operating system, application, framework, container, etc."). */
const LOGICAL_TYPES = new Set(['operating-system', 'operatingSystem', 'platform', 'device', 'OPERATING-SYSTEM', 'DEVICE']);

export const TR_03183_2: SbomProfile = {
  id: 'tr-03183-2',
  title: 'BSI TR-03183-2 v2.1.0 (2025-08-20)',
  source: 'BSI TR-03183: Cyber Resilience Requirements for Manufacturers and Products, Part 2: Software Bill of Materials (SBOM), version 2.1.0, 2025-08-20, https://bsi.bund.de/dok/TR-03183-en',
  requirements: REQUIREMENTS,
  logical(c) {
    // A component described by file facts is a file, whatever its type.
    if (fileFacts(c)) return undefined;
    if (c.type && LOGICAL_TYPES.has(c.type)) return `type ${c.type} (§8.1.3)`;
    if (c.primary) return 'the primary component, described by no file facts (§3.2.1, §3.2.2)';
    return undefined;
  },
};
