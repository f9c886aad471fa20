// Where Marque's bundled reference data lives, and the defaults that use it.
import { join } from 'node:path';
import { existsSync, readdirSync } from 'node:fs';
import { BUNDLED_ROSDISTRO } from '../util/package.ts';

/** rosdep's default sources order (20-default.list): base, python, ruby. */
export function bundledRosdepRules(): string[] {
  return ['base.yaml', 'python.yaml', 'ruby.yaml'].map((f) => join(BUNDLED_ROSDISTRO, 'rosdep', f));
}

/** The ROS distributions whose distribution.yaml Marque bundles. */
export function bundledRosdistros(): string[] {
  return readdirSync(BUNDLED_ROSDISTRO, { withFileTypes: true }).filter((d) => d.isDirectory() && existsSync(join(BUNDLED_ROSDISTRO, d.name, 'distribution.yaml'))).map((d) => d.name).sort();
}

export function bundledDistribution(rosdistro: string): string {
  return join(BUNDLED_ROSDISTRO, rosdistro, 'distribution.yaml');
}

export const DEFAULT_PLATFORM = { os: 'ubuntu', codename: 'noble' };
export const DEFAULT_ROSDISTRO = 'jazzy';
export const VERSION = '0.1.0';
