// What an SBOM says, in the words of the guidelines that judge it (BSI TR-03183-2 §5.2, NTIA
// minimum elements), read out of CycloneDX, SPDX 2 or SPDX 3 by one reader per format. The
// profiles test these facts; nothing here decides whether a value is good enough.

/** Who made something, as the SBOM says: emails and URLs are what BSI TR-03183-2 asks for. */
export interface Party { names: string[]; emails: string[]; urls: string[]; /** where in the document it was found */ from?: string }

export type Completeness = 'complete' | 'incomplete' | 'unknown' | 'not stated';

export interface ComponentFacts {
  /** bom-ref, spdxId or SPDXID: how the report points at it. */
  ref: string;
  name?: string;
  version?: string;
  /** The SBOM's subject (CycloneDX metadata.component, SPDX root element). */
  primary: boolean;
  /** CycloneDX component type or SPDX primary purpose, as written. */
  type?: string;
  creator: Party;
  /** Supplier (vendor, §3.2.9: not the creator), for NTIA's "Supplier Name". */
  supplier: Party;
  filename?: string;
  /** Direct dependencies and contained components, by ref. */
  dependsOn: string[];
  /** Whether the SBOM lists this component's dependencies at all (an empty list counts). */
  dependenciesListed: boolean;
  completeness: Completeness;
  distributionLicences: string[];
  originalLicences: string[];
  /** Licences without acknowledgement (CycloneDX) or of unknown role. */
  otherLicences: string[];
  effectiveLicence?: string;
  /** Hashes of the deployable form (CycloneDX distribution reference, SPDX 3 distribution artefact, SPDX 2 package checksum). */
  deployableHashes: { alg: string; value: string }[];
  /** Hashes given elsewhere (the component's own hashes in CycloneDX). */
  otherHashes: { alg: string; value: string }[];
  executable?: string;
  archive?: string;
  structured?: string;
  sourceUri?: string;
  /** A version-control URL: a source location, but not the source-distribution reference §8.2 Table 11 maps the source code URI to. */
  vcsUri?: string;
  deployableUri?: string;
  identifiers: { purl?: string; cpe?: string; swid?: string };
  securityTxt?: string;
  sourceHash?: boolean;
  /** Why the SBOM's writer could not fill a field, keyed by field id (Marque's own "marque:unavailable" notes). */
  unavailable: Record<string, string>;
}

export interface SbomFacts {
  file: string;
  format: 'CycloneDX' | 'SPDX';
  specVersion: string;
  encoding: 'json' | 'xml' | 'tag-value' | 'json-ld';
  creator: Party;
  /** Tools named as makers of the SBOM (NTIA counts them as authors of the SBOM data). */
  tools: string[];
  timestamp?: string;
  uri?: string;
  /** Vulnerability records inside the SBOM (BSI TR-03183-2 §3.1 forbids them). */
  vulnerabilities: number;
  components: ComponentFacts[];
  /** What the reader could not take in (unknown references, malformed entries). */
  notes: string[];
}

export const emptyParty = (): Party => ({ names: [], emails: [], urls: [] });

export function newComponent(ref: string): ComponentFacts {
  return {
    ref, primary: false, creator: emptyParty(), supplier: emptyParty(), dependsOn: [], dependenciesListed: false, completeness: 'not stated',
    distributionLicences: [], originalLicences: [], otherLicences: [], deployableHashes: [], otherHashes: [], identifiers: {}, unavailable: {},
  };
}

/** Names of Marque's note saying why a field is missing: `marque:unavailable:<field>` = the reason. */
export const UNAVAILABLE_PREFIX = 'marque:unavailable:';
