// Maven version ordering (Maven's "Version Order Specification", as ComparableVersion implements
// it and OSV applies it). Written by hand: no maintained JavaScript package implements it.
// A version is split at "." and "-" and at every digit/non-digit transition (a transition counts as
// "-"); each token keeps the separator before it, which orders ".qualifier" < "-qualifier" <
// "-number" < ".number". Trailing null tokens (0, "", final, ga, release) are trimmed before each "-".
import type { VersionScheme } from './scheme.ts';

interface Token { sep: string; value: string; isNull?: boolean }

const KEYWORDS = ['alpha', 'beta', 'milestone', 'rc', 'snapshot', '', 'sp'];
const NUMBER = /^\d+$/;

function normaliseToken(raw: string, followedByDigit: boolean): string {
  let v = raw.toLowerCase() || '0';
  if (v === 'cr') v = 'rc';
  if (v === 'ga' || v === 'final' || v === 'release') v = '';
  if (followedByDigit) v = ({ a: 'alpha', b: 'beta', m: 'milestone' } as Record<string, string>)[v] ?? v;
  if (NUMBER.test(v)) v = BigInt(v).toString();
  return v;
}

export function tokenizeMaven(version: string): Token[] {
  const tokens: Token[] = [];
  const parts = version.split(/([.-])/);
  for (let i = 0; i < parts.length; i += 2) {
    const part = parts[i]!;
    const sep = i === 0 ? '' : parts[i - 1]!;
    // Split at digit/non-digit transitions.
    const pieces = part.match(/\d+|\D+/g) ?? [''];
    pieces.forEach((p, j) => tokens.push({ sep: j === 0 ? sep : '-', value: normaliseToken(p, j < pieces.length - 1) }));
  }
  // Trim trailing nulls, then repeat before each remaining "-", from the end to the start.
  const isNullValue = (v: string) => v === '0' || v === '';
  let i = tokens.length - 1;
  while (i > 0) {
    if (isNullValue(tokens[i]!.value)) { tokens.splice(i, 1); i--; continue; }
    while (i >= 0 && tokens[i]!.sep !== '-') i--;
    i--;
  }
  return tokens;
}

function sepOrder(t: Token): number {
  const num = NUMBER.test(t.value);
  if (t.sep === '-') return num ? 2 : 1;
  return num ? 3 : 0; // "." and the first token
}

function keyword(v: string): number {
  const i = KEYWORDS.indexOf(v);
  return i < 0 ? KEYWORDS.length : i;
}

function compareToken(a: Token, b: Token): number {
  const sa = a.sep === '' ? '.' : a.sep;
  const sb = b.sep === '' ? '.' : b.sep;
  if (sa !== sb) return sepOrder({ ...a, sep: sa }) < sepOrder({ ...b, sep: sb }) ? -1 : 1;
  const an = NUMBER.test(a.value);
  const bn = NUMBER.test(b.value);
  if (an && bn) { const x = BigInt(a.value), y = BigInt(b.value); return x < y ? -1 : x > y ? 1 : 0; }
  // Numbers sort after qualifiers, unless the number is padding.
  if (an && !a.isNull) return 1;
  if (bn && !b.isNull) return -1;
  // Padding against a qualifier weighs as the release (""), as ComparableVersion's StringItem.compareTo(null):
  // 1.0.Final.1 > 1.0.Final, 1.0.Final.redhat-00001 > 1.0.Final.
  const ka = a.isNull ? keyword('') : keyword(a.value);
  const kb = b.isNull ? keyword('') : keyword(b.value);
  if (ka === KEYWORDS.length && kb === KEYWORDS.length) return a.value < b.value ? -1 : a.value > b.value ? 1 : 0;
  return ka < kb ? -1 : ka > kb ? 1 : 0;
}

/** Padding for the shorter version: 0 after ".", "" after "-" ("" before "sp", which ranks above release). */
function padFor(t: Token): Token {
  const sep = t.sep === '' ? '.' : t.sep;
  if (sep === '.') return { sep: '.', value: t.value === 'sp' ? '' : '0', isNull: true };
  return { sep: '-', value: '', isNull: true };
}

export function compareMaven(a: string, b: string): number {
  const x = tokenizeMaven(a);
  const y = tokenizeMaven(b);
  const same = (p: Token, q: Token) => (p.sep === '' ? '.' : p.sep) === (q.sep === '' ? '.' : q.sep) && p.value === q.value;
  if (x.length === y.length && x.every((t, i) => same(t, y[i]!))) return 0;
  for (let i = 0; i < Math.max(x.length, y.length); i++) {
    const l = x[i] ?? padFor(y[i]!);
    const r = y[i] ?? padFor(x[i]!);
    if (same(l, r)) continue;
    const c = compareToken(l, r);
    if (c) return c;
  }
  return 0;
}

export const mavenScheme: VersionScheme = {
  id: 'maven',
  isValid: (v) => v.trim().length > 0,
  compare: compareMaven,
};
