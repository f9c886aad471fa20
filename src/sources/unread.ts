// Lockfiles and manifests Marque recognises but cannot read yet. Finding one is never silent: each
// is listed as "not analysed", the product's dependency list is then not complete, and check counts it.
import type { NotAnalysed } from '../model/inventory.ts';

interface UnreadFormat { ecosystem: string; format: string; match: (name: string) => boolean }

const named = (...names: string[]) => (n: string) => names.includes(n);

const UNREAD: readonly UnreadFormat[] = [
  { ecosystem: 'npm', format: 'bun lockfile', match: named('bun.lock', 'bun.lockb') },
  { ecosystem: 'pub', format: 'pubspec.lock', match: named('pubspec.lock') },
  { ecosystem: 'hex', format: 'mix.lock', match: named('mix.lock') },
  { ecosystem: 'swift', format: 'Package.resolved', match: named('Package.resolved') },
  { ecosystem: 'cocoapods', format: 'Podfile.lock', match: named('Podfile.lock') },
  { ecosystem: 'conda', format: 'conda environment lock', match: (n) => n === 'conda-lock.yml' || n === 'pixi.lock' },
];

export function unreadFormat(name: string): UnreadFormat | undefined {
  return UNREAD.find((f) => f.match(name));
}

export function notAnalysed(rel: string, name: string): NotAnalysed | undefined {
  const f = unreadFormat(name);
  return f && { file: rel, ecosystem: f.ecosystem, format: f.format, reason: `Marque cannot read ${f.format} yet: the ${f.ecosystem} components it locks are not in this inventory` };
}
