// Lockfiles and manifests Marque recognises but cannot read yet. Finding one is never silent: each
// is listed as "not analysed", the product's dependency list is then not complete, and check counts it.
import type { NotAnalysed } from '../model/inventory.ts';

interface UnreadFormat { ecosystem: string; format: string; names: readonly string[] }

const UNREAD: readonly UnreadFormat[] = [
  { ecosystem: 'npm', format: 'bun lockfile', names: ['bun.lock', 'bun.lockb'] },
  { ecosystem: 'pub', format: 'pubspec.lock', names: ['pubspec.lock'] },
  { ecosystem: 'hex', format: 'mix.lock', names: ['mix.lock'] },
  { ecosystem: 'swift', format: 'Package.resolved', names: ['Package.resolved'] },
  { ecosystem: 'cocoapods', format: 'Podfile.lock', names: ['Podfile.lock'] },
  { ecosystem: 'conda', format: 'conda environment lock', names: ['conda-lock.yml', 'pixi.lock'] },
];

/** By file name: the walk asks about every file of a tree. */
const BY_NAME = new Map(UNREAD.flatMap((f) => f.names.map((n) => [n, f] as const)));

export function unreadFormat(name: string): UnreadFormat | undefined {
  return BY_NAME.get(name);
}

export function notAnalysed(rel: string, name: string): NotAnalysed | undefined {
  const f = unreadFormat(name);
  return f && { file: rel, ecosystem: f.ecosystem, format: f.format, reason: `Marque cannot read ${f.format} yet: the ${f.ecosystem} components it locks are not in this inventory` };
}
