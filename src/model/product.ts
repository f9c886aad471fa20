// The product an inventory describes, as its manifest (marque.yaml) declares it.
export interface Organisation { name: string; email?: string; url?: string; address?: string }

export interface ProductInfo {
  name: string;
  /** Empty when nobody said which version (never invented). */
  version: string;
  /** Namespace, e.g. a Maven groupId, kept apart from the name. */
  group?: string;
  /** Package URL the product's own SBOM gave it. */
  purl?: string;
  description?: string;
  manufacturer?: Organisation;
  /** URL of the product's security.txt (RFC 9116), where the manufacturer publishes one. */
  securityTxt?: string;
  /** The product's own licence (SPDX expression), as marque.yaml declares it. */
  license?: string;
  intendedPurpose?: string;
  dataConnection?: boolean;
}

/** Where the product's identity came from. "folder" is a guess: nothing that records or reports relies on it. */
export type IdentitySource = 'manifest' | 'flag' | 'sbom' | 'folder';

/** The key under which awareness and reports of one product version are kept. */
export function productKey(p: ProductInfo): string {
  return `${p.group ? `${p.group}/` : ''}${p.name}@${p.version}`;
}
