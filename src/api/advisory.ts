// Library entry point of "marque advisory draft": the manufacturer's CSAF advisory for one
// vulnerability of one product version, from what Marque knows of it (the inventory, the
// advisory database, the VEX decisions of marque.yaml and --vex files), and the release that
// fixes it: a later version of the product (its folder or SBOM) whose findings no longer carry it.
import { AdvisoryDb } from '../advisories/store.ts';
import { draftAdvisory, type CsafCategory } from '../formats/csaf/advisory.ts';
import type { Finding } from '../model/advisory.ts';
import type { ProductInfo } from '../model/product.ts';
import { manifestStatements, type VexStatement } from '../vex/statements.ts';
import { UsageError } from '../util/errors.ts';
import { VERSION } from './defaults.ts';
import { buildInventory } from './inventory.ts';
import { productRequest, requireIdentity, type SourceFlags } from './request.ts';
import { findVulnerabilities } from './vulns.ts';
import { call, type ServerRequest } from './push.ts';
import type { Manifest } from '../manifest/manifest.ts';

export interface AdvisoryRequest {
  vulnerability: string;
  /** The product version's folder or SBOM. */
  target: string;
  /** A later version's folder or SBOM: the fixed release when the vulnerability is gone from it. */
  fixed?: string;
  flags: SourceFlags;
  db: AdvisoryDb;
  vex?: VexStatement[];
  categories: CsafCategory[];
  baseUrl?: string;
  now: Date;
}

const OPEN = new Set(['affected', 'under_investigation']);
const matches = (f: Finding, id: string) => f.advisory === id || f.aliases.includes(id);

async function productFindings(target: string, flags: SourceFlags, db: AdvisoryDb, vex: VexStatement[], now: Date): Promise<{ product: ProductInfo; findings: Finding[] }> {
  const pr = await productRequest(target, flags);
  requireIdentity(pr, 'marque advisory draft');
  if (pr.identity === 'folder') throw new UsageError(`${target}: no marque.yaml names this product: give --product NAME@VERSION`);
  const inv = await buildInventory(pr.request);
  const r = findVulnerabilities({ components: inv.components, unlisted: inv, db, product: pr.product, vex: [...manifestStatements(pr.manifest), ...vex], now });
  return { product: pr.product, findings: r.findings };
}

export async function draftAdvisories(req: AdvisoryRequest): Promise<{ category: CsafCategory; document: Record<string, unknown> }[]> {
  const { product, findings } = await productFindings(req.target, req.flags, req.db, req.vex ?? [], req.now);
  const mine = findings.filter((f) => matches(f, req.vulnerability));
  if (!mine.length) throw new UsageError(`${req.vulnerability} is not a finding of ${product.name} ${product.version} (marque vulns lists its findings)`);
  let fixedRelease: { version: string; how: string } | undefined;
  if (req.fixed) {
    // Only the product's own identity carries over: the later release names its own version.
    const later = await productFindings(req.fixed, { ...req.flags, product: undefined }, req.db, req.vex ?? [], req.now);
    if (later.product.name !== product.name) throw new UsageError(`--fixed ${req.fixed} is ${later.product.name}, not ${product.name}`);
    const still = later.findings.filter((f) => matches(f, req.vulnerability) && OPEN.has(f.status));
    if (still.length) throw new UsageError(`${product.name} ${later.product.version} still carries ${req.vulnerability} (${still.map((f) => f.component).join(', ')}): it is no fixed release`);
    const gone = mine.map((f) => f.component);
    const fixedBy = later.findings.filter((f) => matches(f, req.vulnerability) && f.status === 'fixed').map((f) => f.component);
    fixedRelease = { version: later.product.version, how: fixedBy.length ? `it carries the fix (${fixedBy.join(', ')})` : `its components no longer include the affected ${gone.length === 1 ? 'version' : 'versions'} (${gone.join(', ')})` };
  }
  const advisory = req.db.advisory(mine[0]!.advisory);
  return req.categories.map((category) => ({ category, document: draftAdvisory({ category, product, vulnerability: req.vulnerability, findings: mine, advisory, fixedRelease, baseUrl: req.baseUrl, toolVersion: VERSION, now: req.now }) }));
}

/** Sends a CSAF document to the team server, which finalises, validates, signs and serves it. */
export async function publishAdvisory(req: ServerRequest & { document: Record<string, unknown> }): Promise<{ trackingId: string; url: string; sha512: string; fingerprint: string; warnings: string[] }> {
  return call(req, 'POST', '/csaf/documents', req.document);
}

/**
 * security.txt (RFC 9116) from marque.yaml: Contact (security.contact, else the manufacturer's
 * email), Expires (required, §2.5.5; a year from now unless given), CSAF (CSAF 2.0 §7.1.8: the
 * provider-metadata.json), Policy (security.disclosurePolicy when it is a URL), Canonical.
 */
export function securityTxt(manifest: Manifest, providerUrl: string, now: Date, expires?: Date): string {
  const contact = manifest.security?.contact ?? (manifest.product.manufacturer?.email ? `mailto:${manifest.product.manufacturer.email}` : undefined);
  if (!contact) throw new UsageError(`${manifest.file}: security.txt needs a contact: set security.contact (RFC 9116 §2.5.3)`);
  const origin = providerUrl.replace(/\/+$/, '');
  if (!/^https:\/\//.test(origin)) throw new UsageError('the provider URL must begin with https:// (CSAF 2.0 §7.1.8)');
  const until = expires ?? new Date(now.getTime() + 365 * 86_400_000);
  const policy = manifest.security?.disclosurePolicy;
  return [
    `# security.txt of ${manifest.product.manufacturer?.name ?? manifest.product.name}, made by Marque from marque.yaml (RFC 9116)`,
    `Contact: ${/^[a-z]+:/.test(contact) ? contact : `mailto:${contact}`}`,
    `Expires: ${until.toISOString().replace(/\.\d{3}Z$/, 'Z')}`,
    `CSAF: ${origin}/.well-known/csaf/provider-metadata.json`,
    ...(policy && /^https:\/\//.test(policy) ? [`Policy: ${policy}`] : []),
    `Canonical: ${origin}/.well-known/security.txt`,
    'Preferred-Languages: en',
    '',
  ].join('\n');
}
