// Pub (Dart, Flutter) ordering, as pub_semver orders versions and osv.dev orders Pub advisories: SemVer
// (major.minor.patch, a pre-release after "-" sorts before its release) except that build metadata after
// "+" orders too, compared part by part like a pre-release, and a version with it comes after the same
// version without it: 1.0.0-pre < 1.0.0-pre+build < 1.0.0 < 1.0.0+1 < 1.0.0+2 < 1.0.0+a. The comparison
// is the `semver` package's (compare, then compareBuild), which orders build parts exactly so; only the
// shape of a Pub version, which `semver`'s loose mode reads more widely, is checked here.
import type { VersionScheme } from './scheme.ts';
import type { SemVer } from 'semver';
import { semverModule } from '../util/lazy.ts';

/** pub_semver's grammar (leading zeros allowed, no fourth number), and the leading "v" osv.dev's parser drops. */
const SHAPE = /^v?\d+\.\d+\.\d+(?:-[0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*)?(?:\+[0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*)?$/;

function parse(v: string): SemVer | undefined {
  const t = v.trim();
  if (!SHAPE.test(t)) return undefined;
  // Loose: numbers with leading zeros ("01"), as pub_semver's int.parse reads them. A number past 2^53 is refused.
  try { return new (semverModule().SemVer)(t, { loose: true }); } catch { return undefined; }
}

export function comparePub(a: string, b: string): number {
  const x = parse(a);
  const y = parse(b);
  if (!x || !y) throw new Error(`not a Pub version: ${!x ? a : b}`);
  return x.compare(y) || x.compareBuild(y);
}

export const pubScheme: VersionScheme = {
  id: 'pub',
  isValid: (v) => parse(v) !== undefined,
  compare: comparePub,
};
