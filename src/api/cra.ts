// Library entry points for the CRA knowledge base.
import { loadManifest, MANIFEST_NAME, type Manifest } from '../manifest/manifest.ts';
import { classify } from '../cra/classify.ts';
import type { CraProfile } from '../model/cra.ts';
import { UsageError } from '../util/errors.ts';

/** The manifest a command cannot do without, or the usage error that says how to write one. */
export function ensureManifest(m: Manifest | undefined, path: string): Manifest {
  if (!m) throw new UsageError(`no ${MANIFEST_NAME} in ${path}; write one with "marque init"`);
  return m;
}

export async function requireManifest(path: string): Promise<Manifest> {
  return ensureManifest(await loadManifest(path), path);
}

export async function craProfile(path: string, today?: Date): Promise<{ manifest: Manifest; profile: CraProfile }> {
  const manifest = await requireManifest(path);
  return { manifest, profile: classify(manifest, today) };
}
