// Packagist (Composer) versions, ordered as OSV evaluates Packagist advisories: PHP's
// version_compare idea (canonical dotted parts, special forms dev < a(lpha) < b(eta) < RC/rc < a
// number < p(l)) after Composer's removal of a leading "v", with OSV's rules for unknown forms (weighed
// as "dev") and for a longer version (a number next means higher). Written by hand: no maintained
// JavaScript package implements it.
import type { VersionScheme } from './scheme.ts';

export function canonicalize(v: string): string[] {
  return v.replace(/^v/, '').replace(/^V/, '')
    .replace(/[-_+]/g, '.')
    .replace(/([^\d.])(\d)/g, '$1.$2')
    .replace(/(\d)([^\d.])/g, '$1.$2')
    .split('.');
}

const SPECIALS = ['dev', 'a', 'b', 'rc', '#', 'p'];
function weight(part: string): number {
  if (part.startsWith('RC')) return 3;
  const i = SPECIALS.findIndex((s) => part.startsWith(s));
  return i < 0 ? 0 : i;
}
const isNumber = (s: string) => /^\d+$/.test(s);
const cmpBig = (a: string, b: string) => { const x = BigInt(a), y = BigInt(b); return x < y ? -1 : x > y ? 1 : 0; };

function compareParts(a: string[], b: string[]): number {
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    const x = a[i]!, y = b[i]!;
    const nx = isNumber(x), ny = isNumber(y);
    const c = nx && ny ? cmpBig(x, y) : Math.sign(weight(nx ? '#' : x) - weight(ny ? '#' : y));
    if (c) return c;
  }
  // The longer one: higher when a number comes next; otherwise its next form is weighed against a number.
  const small = (s: string) => isNumber(s) && s.length <= 18;
  if (a.length > b.length) return small(a[b.length]!) ? 1 : compareParts(a.slice(b.length), ['#']);
  if (a.length < b.length) return small(b[a.length]!) ? -1 : compareParts(['#'], b.slice(a.length));
  return 0;
}

export const packagistScheme: VersionScheme = {
  id: 'packagist',
  isValid: (v) => /^[vV]?\d/.test(v.trim()),
  compare: (a, b) => compareParts(canonicalize(a.trim()), canonicalize(b.trim())),
};
