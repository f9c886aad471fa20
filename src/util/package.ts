// Where Marque's own files are (schemas, bundled data, built artefacts), whether it runs from the
// TypeScript sources of a clone or from the compiled JavaScript of an installed package: the
// nearest folder above this module that holds Marque's package.json.
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

function packageRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    if (existsSync(join(dir, 'package.json')) && existsSync(join(dir, 'schemas'))) return dir;
    const up = dirname(dir);
    if (up === dir) throw new Error(`Marque's package folder was not found above ${fileURLToPath(import.meta.url)}`);
    dir = up;
  }
}

export const PACKAGE_ROOT = packageRoot();

/** The rosdistro snapshot (distribution files, rosdep rules) Marque ships with. */
export const BUNDLED_ROSDISTRO = join(PACKAGE_ROOT, 'data', 'rosdistro');

/**
 * A clone of the repository (the sources are there), as opposed to an installed package, which
 * carries compiled JavaScript only. A clone builds missing artefacts on first use.
 */
export const SOURCE_CHECKOUT = existsSync(join(PACKAGE_ROOT, 'src', 'cli', 'main.ts'));

declare const MARQUE_BUILD_ID: string | undefined;

/**
 * Identifies the compiled build (a digest of the sources it was built from, set by
 * scripts/build.ts); undefined when running from the sources. What is cached from a run's own
 * computations (not only from its inputs) is keyed by it, so a clone, whose code changes between
 * runs, never reads such a cache.
 */
export const BUILD_ID: string | undefined = typeof MARQUE_BUILD_ID === 'string' ? MARQUE_BUILD_ID : undefined;
