// NuGet's ordering (NuGet.Versioning): up to four numeric parts (missing ones are 0, leading zeros
// ignored), then a pre-release label that sorts before the release, compared part by part as
// SemVer 2.0 does but case-insensitively; build metadata after "+" is ignored. Written by hand: no
// maintained JavaScript package implements it.
import type { VersionScheme } from './scheme.ts';

interface Parsed { nums: bigint[]; pre: string[] }

function parse(v: string): Parsed | undefined {
  const m = /^\s*v?(\d+(?:\.\d+){0,3})(?:-([0-9A-Za-z.-]+))?(?:\+[0-9A-Za-z.-]*)?\s*$/.exec(v);
  if (!m) return undefined;
  const nums = m[1]!.split('.').map((x) => BigInt(x));
  while (nums.length < 4) nums.push(0n);
  return { nums, pre: m[2] ? m[2].split('.') : [] };
}

function comparePre(a: string[], b: string[]): number {
  if (!a.length || !b.length) return a.length ? -1 : b.length ? 1 : 0; // a release sorts after its pre-releases
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    const x = a[i]!, y = b[i]!;
    const nx = /^\d+$/.test(x), ny = /^\d+$/.test(y);
    let c: number;
    if (nx && ny) c = BigInt(x) < BigInt(y) ? -1 : BigInt(x) > BigInt(y) ? 1 : 0;
    else if (nx !== ny) c = nx ? -1 : 1;
    else { const lx = x.toLowerCase(), ly = y.toLowerCase(); c = lx < ly ? -1 : lx > ly ? 1 : 0; }
    if (c) return c;
  }
  return Math.sign(a.length - b.length);
}

export const nugetScheme: VersionScheme = {
  id: 'nuget',
  isValid: (v) => parse(v) !== undefined,
  compare(a, b) {
    const x = parse(a), y = parse(b);
    if (!x || !y) throw new Error(`not a NuGet version: ${!x ? a : b}`);
    for (let i = 0; i < 4; i++) if (x.nums[i] !== y.nums[i]) return x.nums[i]! < y.nums[i]! ? -1 : 1;
    return comparePre(x.pre, y.pre);
  },
};
