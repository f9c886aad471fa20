// Where Marque's bundled reference data lives, and the defaults that use it.
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';

export const PACKAGE_ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const BUNDLED_ROSDISTRO = join(PACKAGE_ROOT, 'data', 'rosdistro');

/** rosdep's default sources order (20-default.list): base, python, ruby. */
export function bundledRosdepRules(): string[] {
  return ['base.yaml', 'python.yaml', 'ruby.yaml'].map((f) => join(BUNDLED_ROSDISTRO, 'rosdep', f));
}

export function bundledDistribution(rosdistro: string): string {
  return join(BUNDLED_ROSDISTRO, rosdistro, 'distribution.yaml');
}

export const DEFAULT_PLATFORM = { os: 'ubuntu', codename: 'noble' };
export const DEFAULT_ROSDISTRO = 'jazzy';
export const VERSION = '0.1.0';
