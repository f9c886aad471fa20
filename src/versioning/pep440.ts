// PEP 440 ordering (PyPI) through @renovatebot/pep440. Versions PEP 440 cannot parse still exist
// on PyPI and in advisories; they are ordered as packaging's LegacyVersion did (before every valid
// version, then by its legacy key), as OSV's own PyPI comparison does.
import { compare, valid } from '@renovatebot/pep440';
import type { VersionScheme } from './scheme.ts';

const LEGACY_PART = /(\d+|[a-z]+|\.|-)/;
const LEGACY_REPLACE: Record<string, string> = { pre: 'c', preview: 'c', '-': 'final-', rc: 'c', dev: '@' };

function legacyKey(version: string): string[] {
  const parts: string[] = [];
  const raw = version.toLowerCase().split(LEGACY_PART).map((p) => LEGACY_REPLACE[p] ?? p).filter((p) => p && p !== '.');
  const items = raw.map((p) => (/^\d/.test(p) ? p.padStart(8, '0') : `*${p}`));
  items.push('*final');
  for (const part of items) {
    if (part.startsWith('*')) {
      if (part < '*final') while (parts.at(-1) === '*final-') parts.pop();
      while (parts.at(-1) === '00000000') parts.pop();
    }
    parts.push(part);
  }
  return parts;
}

function compareLegacy(a: string, b: string): number {
  const x = legacyKey(a);
  const y = legacyKey(b);
  for (let i = 0; i < Math.min(x.length, y.length); i++) if (x[i] !== y[i]) return x[i]! < y[i]! ? -1 : 1;
  return x.length - y.length;
}

// packaging strips surrounding whitespace before parsing (Version(" 1.0 ") == Version("1.0")); the
// library refuses it, which would order " 1.0 " as a legacy version below every valid one. A legacy
// version keeps its whitespace, as LegacyVersion did.
export const pep440Scheme: VersionScheme = {
  id: 'pep440',
  isValid: (v) => valid(v.trim()) !== null,
  // A release PyPI accepted before PEP 440 ("0.9-doduo", "a3"): OSV orders it as LegacyVersion, below every valid one.
  ordersInvalid: (v) => /^\S*\d\S*$/.test(v.trim()),
  compare(a, b) {
    const va = valid(a.trim()) !== null;
    const vb = valid(b.trim()) !== null;
    if (va && vb) return compare(a.trim(), b.trim());
    if (va !== vb) return va ? 1 : -1;
    return compareLegacy(a, b);
  },
};
