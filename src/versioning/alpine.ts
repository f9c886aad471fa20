// Alpine (apk): number{.number}[letter]{_suffix[number]}[~hash][-rN]. Numbers compare as integers,
// except that a later part starting with 0 compares as text (apk's fractional reading); no letter
// < a letter; suffixes alpha < beta < pre < rc < (none) < cvs < svn < git < hg < p, each with its
// number; then the -r build number; the hash is not ordered. Anything left over that apk would not
// accept sorts below a clean version; two invalid versions compare as text, as OSV does.
// Written by hand: no maintained JavaScript package implements it.
import type { VersionScheme } from './scheme.ts';

const SUFFIXES = ['alpha', 'beta', 'pre', 'rc', '', 'cvs', 'svn', 'git', 'hg', 'p'];
interface Apk { text: string; nums: string[]; letter: string; suffixes: [number, bigint][]; build: bigint; rest: string; invalid: boolean }

function parse(text: string): Apk {
  let s = text;
  const nums = /^(\d+\.?)*/.exec(s)![0];
  s = s.slice(nums.length);
  const letter = /^[a-z]/.test(s) ? s[0]! : '';
  s = s.slice(letter.length);
  const suffixes: [number, bigint][] = [];
  for (let m = /^_(alpha|beta|pre|rc|cvs|svn|git|hg|p)(\d*)/.exec(s); m; m = /^_(alpha|beta|pre|rc|cvs|svn|git|hg|p)(\d*)/.exec(s)) {
    suffixes.push([SUFFIXES.indexOf(m[1]!), BigInt(m[2] || '0')]);
    s = s.slice(m[0].length);
  }
  s = s.slice((/^~[0-9a-f]+/.exec(s)?.[0] ?? '').length);
  let build = 0n, invalid = false;
  if (s) {
    const m = /^-r(\d*)/.exec(s);
    if (m) { build = BigInt(m[1] || '0'); s = s.slice(m[0].length); } else invalid = true;
  }
  return { text, nums: nums ? nums.split('.').filter((x, i, all) => x !== '' || i < all.length - 1) : [], letter, suffixes, build, rest: s, invalid };
}

function compareNumber(a: string, b: string, index: number): number {
  if (index > 0 && (a[0] === '0' || b[0] === '0')) return a < b ? -1 : a > b ? 1 : 0;
  const x = BigInt(a || '0'), y = BigInt(b || '0');
  return x < y ? -1 : x > y ? 1 : 0;
}

function compare(a: Apk, b: Apk): number {
  if (a.invalid && b.invalid) return a.text < b.text ? -1 : a.text > b.text ? 1 : 0;
  for (let i = 0; i < Math.max(a.nums.length, b.nums.length); i++) {
    const c = compareNumber(a.nums[i] ?? '0', b.nums[i] ?? '0', i);
    if (c) return c;
  }
  if (a.letter !== b.letter) return !a.letter ? -1 : !b.letter ? 1 : a.letter < b.letter ? -1 : 1;
  for (let i = 0; i < Math.max(a.suffixes.length, b.suffixes.length); i++) {
    const [wa, na] = a.suffixes[i] ?? [4, 0n];
    const [wb, nb] = b.suffixes[i] ?? [4, 0n];
    if (wa !== wb) return wa < wb ? -1 : 1;
    if (na !== nb) return na < nb ? -1 : 1;
  }
  if (a.build !== b.build) return a.build < b.build ? -1 : 1;
  if (!a.rest !== !b.rest) return a.rest ? -1 : 1;
  return 0;
}

export const alpineScheme: VersionScheme = {
  id: 'alpine',
  isValid: (v) => !parse(v).invalid,
  compare: (a, b) => compare(parse(a), parse(b)),
};
