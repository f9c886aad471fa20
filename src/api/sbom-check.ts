// Library entry point of "marque sbom check": an SBOM file (any format Marque reads) or the SBOM
// Marque makes of a product, checked against a profile (BSI TR-03183-2, NTIA minimum elements).
import { FileAccess } from '../util/file-access.ts';
import { UsageError } from '../util/errors.ts';
import { sbomFactsOfJson, sbomFactsOfText } from '../formats/sbom-check/read.ts';
import { checkSbomFacts, PROFILES, type SbomCheckResult } from '../formats/sbom-check/check.ts';
import type { SbomProfile } from '../formats/sbom-check/profiles/profile.ts';
import type { ProductInfo } from '../model/product.ts';
import type { CheckInput } from '../cra/check.ts';
import type { ProductInventory } from '../model/inventory.ts';
import { renderSbom } from './sbom.ts';

export type { SbomCheckResult } from '../formats/sbom-check/check.ts';

export function sbomProfile(id: string): SbomProfile {
  const p = PROFILES[id];
  if (!p) throw new UsageError(`--profile must be one of ${Object.keys(PROFILES).join(', ')} (got "${id}")`);
  return p;
}

export async function checkSbomFile(path: string, profile: string, label = path): Promise<SbomCheckResult> {
  return checkSbomFacts(sbomFactsOfText(await FileAccess.within(path).readText(path), label) /* a file the user named */, sbomProfile(profile));
}

/** An SBOM document already in memory (one Marque has just written). */
export function checkSbomDocument(doc: Record<string, unknown>, profile: string, label: string): SbomCheckResult {
  return checkSbomFacts(sbomFactsOfJson(doc, label), sbomProfile(profile));
}

/**
 * What "check" needs of a product's inventory for Annex I Part II (1): its size, its input errors,
 * what was not analysed, and whether the CycloneDX SBOM Marque makes of it meets the mandatory
 * requirements of BSI TR-03183-2 (the profile market surveillance is expected to read).
 */
export function inventoryEvidence(inv: ProductInventory, product: ProductInfo): NonNullable<CheckInput['inventory']> {
  const doc = renderSbom(inv, 'cyclonedx', product);
  const r = checkSbomDocument(doc, 'tr-03183-2', 'marque sbom');
  // The composition as the SBOM states it: components whose own dependencies are "unknown".
  const compositions = (Array.isArray(doc['compositions']) ? doc['compositions'] : []) as { aggregate?: string; dependencies?: string[] }[];
  return {
    components: inv.components.length,
    unknownComposition: compositions.filter((c) => c.aggregate !== 'complete').flatMap((c) => c.dependencies ?? []),
    unresolved: inv.unresolved.map((u) => `${u.key} (${u.package}${u.line ? `, ${u.file}:${u.line}` : ''}: ${u.reason})`),
    errors: inv.problems.filter((p) => p.severity === 'error').length,
    notAnalysed: inv.notAnalysed.map((f) => `${f.file} (${f.format})`),
    sbomProfile: { profile: r.profile.title, failed: r.failed.map((id) => `${id} (${r.requirements.find((q) => q.id === id)!.field})`), failedUnexplained: r.failedUnexplained },
    // A ROS workspace runs on the distribution and platform its inventory was resolved for.
    ...(inv.components.some((c) => c.purl.startsWith('pkg:ros/')) ? { rosdistro: inv.options.rosdistro, platform: `${inv.options.platform.os}:${inv.options.platform.codename}` } : {}),
  };
}
