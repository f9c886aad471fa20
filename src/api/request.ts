// From a product folder, its manifest and the user's flags to one inventory request.
// Flags win over marque.yaml; marque.yaml wins over Marque's defaults.
import { resolve } from 'node:path';
import { loadManifest, type Manifest } from '../manifest/manifest.ts';
import { parsePlatform } from '../model/platforms.ts';
import type { ProductInfo } from '../model/product.ts';
import type { InventoryRequest } from './inventory.ts';
import { basename } from 'node:path';
import { statSync } from 'node:fs';

export interface SourceFlags {
  platform?: string;
  rosdistro?: string;
  rosdepRules?: string[];
  distributions?: string[];
  rosdistroCaches?: string[];
  aptIndexes?: string[];
  /** Database with imported catalogs (the advisory database). */
  db?: string;
  kinds?: string[];
}

export interface ProductRequest { request: InventoryRequest; manifest?: Manifest; product: ProductInfo }

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
    rosdistroCaches: flags.rosdistroCaches?.length ? flags.rosdistroCaches : fromManifest(inv.rosdistroCache ? [inv.rosdistroCache] : undefined),
    aptIndexes: flags.aptIndexes?.length ? flags.aptIndexes : fromManifest(inv.aptIndexes),
    catalogDb: flags.db,
    kinds: flags.kinds,
  };
  const product = manifest?.product ?? { name: basename(resolve(target)).replace(/\.[a-z]+$/i, '') || 'product', version: '0.0.0' };
  return { request, manifest, product };
}
