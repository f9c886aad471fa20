// Library entry point of "marque sbom check": an SBOM file (any format Marque reads) or the SBOM
// Marque makes of a product, checked against a profile (BSI TR-03183-2, NTIA minimum elements).
import { readText } from '../util/fs.ts';
import { UsageError } from '../util/errors.ts';
import { sbomFactsOfJson, sbomFactsOfText } from '../formats/sbom-check/read.ts';
import { checkSbomFacts, PROFILES, type SbomCheckResult } from '../formats/sbom-check/check.ts';
import type { SbomProfile } from '../formats/sbom-check/profiles/profile.ts';

export type { SbomCheckResult } from '../formats/sbom-check/check.ts';

export function sbomProfile(id: string): SbomProfile {
  const p = PROFILES[id];
  if (!p) throw new UsageError(`--profile must be one of ${Object.keys(PROFILES).join(', ')} (got "${id}")`);
  return p;
}

export async function checkSbomFile(path: string, profile: string, label = path): Promise<SbomCheckResult> {
  return checkSbomFacts(sbomFactsOfText(await readText(path), label), sbomProfile(profile));
}

/** An SBOM document already in memory (one Marque has just written). */
export function checkSbomDocument(doc: Record<string, unknown>, profile: string, label: string): SbomCheckResult {
  return checkSbomFacts(sbomFactsOfJson(doc, label), sbomProfile(profile));
}
