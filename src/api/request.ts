// From a product folder, its manifest and the user's flags to one inventory request.
// Flags win over marque.yaml; marque.yaml wins over Marque's defaults.
import { parseJsonText } from '../util/json.ts';
import { isAbsolute, relative, resolve } from 'node:path';
import { loadManifest, type Manifest } from '../manifest/manifest.ts';
import { parsePlatform } from '../model/platforms.ts';
import type { IdentitySource, ProductInfo } from '../model/product.ts';
import type { InventoryRequest } from './inventory.ts';
import { basename } from 'node:path';
import { statSync } from 'node:fs';
import { FileAccess } from '../util/file-access.ts';
import { sbomSubject } from '../sources/sbom/identity.ts';
import { UsageError } from '../util/errors.ts';

export interface SourceFlags {
  platform?: string;
  rosdistro?: string;
  rosdepRules?: string[];
  distributions?: string[];
  rosdistroCaches?: string[];
  aptIndexes?: string[];
  /** Folders of package files that ship (--artefacts). */
  artefacts?: string[];
  /** Database with imported catalogs (the advisory database). */
  db?: string;
  kinds?: string[];
  /** --product NAME@VERSION: who the product is, when neither marque.yaml nor the SBOM says. */
  product?: string;
  exclude?: string[];
  include?: string[];
}

/** identity: where the product's name and version came from; undefined when nothing said (an SBOM without a subject). */
export interface ProductRequest { request: InventoryRequest; manifest?: Manifest; product: ProductInfo; identity?: IdentitySource }

/** NAME@VERSION, the last "@" separating (so "@scope/name@1.0" works); a group may lead as GROUP/NAME. */
export function parseProductFlag(text: string): ProductInfo {
  const at = text.lastIndexOf('@');
  const name = at > 0 ? text.slice(0, at) : text;
  const version = at > 0 ? text.slice(at + 1) : '';
  if (!name.trim() || !version.trim()) throw new UsageError(`--product takes NAME@VERSION (got "${text}")`);
  return { name: name.trim(), version: version.trim() };
}

const SUBJECT_READ_LIMIT = 256 * 1024 * 1024;

/** The subject an SBOM file names, if the file is a JSON SBOM that names one. */
function subjectOfFile(path: string): ProductInfo | undefined {
  if (!/\.json$/i.test(path)) return undefined;
  try {
    // The file the user named: a root in itself.
    return sbomSubject(parseJsonText(FileAccess.within(path).readTextSync(path, SUBJECT_READ_LIMIT), path) as Record<string, unknown>);
  } catch {
    return undefined; // unreadable input is reported by the inventory with file and line
  }
}

/** The product identity, or a usage error saying where it could come from. For what records or reports (awareness, Art. 14, VEX). */
export function requireIdentity(pr: ProductRequest, what: string): ProductInfo {
  if (pr.identity && pr.identity !== 'folder' && pr.product.version) return pr.product;
  const target = pr.request.target;
  const why = pr.identity === 'folder' ? `${target} has no marque.yaml` : `${target} names no product (CycloneDX metadata.component, SPDX documentDescribes)${pr.product.name && !pr.product.version ? ' with a version' : ''}`;
  throw new UsageError(`${what} needs to know which product version this is: ${why}; give --product NAME@VERSION`);
}

export async function productRequest(target: string, flags: SourceFlags): Promise<ProductRequest> {
  const isDir = statSync(target, { throwIfNoEntry: false })?.isDirectory() ?? false;
  const manifest = isDir ? await loadManifest(target) : undefined;
  const inv = manifest?.inventory ?? {};
  const fromManifest = (paths: string[] | undefined) => paths?.map((p) => resolve(manifest!.dir, p));
  const platformText = flags.platform ?? inv.platform;
  const request: InventoryRequest = {
    target,
    platform: platformText ? parsePlatform(platformText) : undefined,
    rosdistro: flags.rosdistro ?? inv.rosdistro,
    rosdepRules: flags.rosdepRules?.length ? flags.rosdepRules : fromManifest(inv.rosdepRules),
    distributions: flags.distributions?.length ? flags.distributions : fromManifest(inv.distributions),
    conditionContext: inv.conditions,
    ...(inv.toolchains ? { toolchains: inv.toolchains } : {}),
    rosdistroCaches: flags.rosdistroCaches?.length ? flags.rosdistroCaches : fromManifest(inv.rosdistroCache ? [inv.rosdistroCache] : undefined),
    aptIndexes: flags.aptIndexes?.length ? flags.aptIndexes : fromManifest(inv.aptIndexes),
    ...(flags.artefacts?.length ? { artefacts: flags.artefacts } : inv.artefacts?.length ? { artefacts: fromManifest(inv.artefacts) } : {}),
    catalogDb: flags.db,
    kinds: flags.kinds,
    // Flags add to marque.yaml here: an exclusion in review stays, a one-off adds to it.
    exclude: [...(inv.exclude ?? []), ...(flags.exclude ?? [])],
    include: [...(inv.include ?? []), ...(flags.include ?? [])],
  };
  if (manifest?.subsystems?.length) {
    request.subsystems = manifest.subsystems.map((s) => ({ ...s, source: resolve(manifest.dir, s.source) }));
    // A subsystem inside the product folder is read once, as the subsystem, not also as part of the folder.
    for (const s of manifest.subsystems) { const rel = relative(manifest.dir, resolve(manifest.dir, s.source)); if (rel && !rel.startsWith('..') && !isAbsolute(rel)) request.exclude!.push(rel); }
  }
  if (manifest?.hardware?.length) request.hardware = manifest.hardware;
  let product: ProductInfo;
  let identity: IdentitySource | undefined;
  const subject = !isDir && statSync(target, { throwIfNoEntry: false })?.isFile() ? subjectOfFile(target) : undefined;
  if (flags.product) {
    // The flag names the product; what else marque.yaml or the SBOM says of it (manufacturer) stays, its old purl does not.
    const { purl: _purl, group: _group, ...rest } = manifest?.product ?? subject ?? { name: '', version: '' };
    product = { ...rest, ...parseProductFlag(flags.product) };
    identity = 'flag';
  }
  else if (manifest) { product = manifest.product; identity = 'manifest'; }
  else if (subject) { product = subject; identity = 'sbom'; }
  else if (isDir) { product = { name: basename(resolve(target)) || 'product', version: '' }; identity = 'folder'; }
  else product = { name: '', version: '' };
  if (identity === 'flag' && !isDir) request.subject = product;
  return { request, manifest, product, identity };
}
