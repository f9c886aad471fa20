// RubyGems ordering (Gem::Version): "-" means ".pre.", segments are runs of digits or letters,
// trailing zeros of the release part and of the prerelease part are dropped, a missing segment
// counts as 0, and a letter segment sorts before a number (so 1.0.a < 1.0). Written by hand.
import type { VersionScheme } from './scheme.ts';

type Segment = bigint | string;

const VALID = /^\s*[0-9]+(?:\.[0-9a-zA-Z]+)*(?:-[0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*)?\s*$/;

function canonical(version: string): Segment[] {
  const v = version.trim() || '0';
  const segs: Segment[] = (v.replace(/-/g, '.pre.').match(/[0-9]+|[a-z]+/gi) ?? []).map((s) => (/^\d/.test(s) ? BigInt(s) : s));
  const firstString = segs.findIndex((s) => typeof s === 'string');
  const release = firstString < 0 ? segs : segs.slice(0, firstString);
  const pre = firstString < 0 ? [] : segs.slice(firstString);
  const trim = (xs: Segment[]) => { const out = [...xs]; while (out.length && out.at(-1) === 0n) out.pop(); return out; };
  return [...trim(release), ...trim(pre)];
}

export function compareRubyGems(a: string, b: string): number {
  const x = canonical(a);
  const y = canonical(b);
  for (let i = 0; i < Math.max(x.length, y.length); i++) {
    const l = x[i] ?? 0n;
    const r = y[i] ?? 0n;
    if (l === r) continue;
    if (typeof l === 'string' && typeof r !== 'string') return -1;
    if (typeof l !== 'string' && typeof r === 'string') return 1;
    return l < r ? -1 : 1;
  }
  return 0;
}

export const rubygemsScheme: VersionScheme = {
  id: 'rubygems',
  isValid: (v) => VALID.test(v),
  compare: compareRubyGems,
};
