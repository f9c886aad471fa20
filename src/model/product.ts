// The product an inventory describes, as its manifest (marque.yaml) declares it.
export interface Organisation { name: string; email?: string; url?: string; address?: string }

export interface ProductInfo {
  name: string;
  version: string;
  description?: string;
  manufacturer?: Organisation;
  /** URL of the product's security.txt (RFC 9116), where the manufacturer publishes one. */
  securityTxt?: string;
  intendedPurpose?: string;
  dataConnection?: boolean;
}
