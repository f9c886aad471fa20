// RPM (Red Hat, Fedora, SUSE, openEuler): epoch:version-release, each part compared by rpmvercmp:
// runs of digits (leading zeros dropped; longer is newer) or letters (byte order), separators
// ignored, "~" sorts before anything (even the end), "^" after the end but before anything else.
// The epoch is 0 when absent; the release starts at the first "-", as OSV reads Red Hat versions.
// Written by hand: no maintained JavaScript package implements it.
import type { VersionScheme } from './scheme.ts';

const isDigit = (c: string) => c >= '0' && c <= '9';
const isAlpha = (c: string) => (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');

export function rpmvercmp(a: string, b: string): number {
  if (a === b) return 0;
  if (!a || !b) return a ? 1 : -1;
  let i = 0, j = 0;
  const skip = (s: string, k: number) => { while (k < s.length && !isDigit(s[k]!) && !isAlpha(s[k]!) && s[k] !== '~' && s[k] !== '^') k++; return k; };
  for (;;) {
    i = skip(a, i); j = skip(b, j);
    const ta = a[i] === '~', tb = b[j] === '~';
    if (ta || tb) { if (ta && tb) { i++; j++; continue; } return ta ? -1 : 1; }
    const ca = a[i] === '^', cb = b[j] === '^';
    if (ca || cb) { if (ca && cb) { i++; j++; continue; } return ca ? (j >= b.length ? 1 : -1) : (i >= a.length ? -1 : 1); }
    if (i >= a.length || j >= b.length) break;
    const digits = isDigit(a[i]!);
    const run = digits ? isDigit : isAlpha;
    let ei = i; while (ei < a.length && run(a[ei]!)) ei++;
    let ej = j; while (ej < b.length && run(b[ej]!)) ej++;
    let x = a.slice(i, ei), y = b.slice(j, ej);
    i = ei; j = ej;
    if (!y) return digits ? 1 : -1;
    if (digits) {
      x = x.replace(/^0+/, ''); y = y.replace(/^0+/, '');
      if (x.length !== y.length) return x.length > y.length ? 1 : -1;
    }
    if (x !== y) return x < y ? -1 : 1;
  }
  const ra = a.length - i, rb = b.length - j;
  return ra === rb ? 0 : ra > rb ? 1 : -1;
}

function evr(v: string): [string, string, string] {
  const colon = v.indexOf(':');
  const hasEpoch = colon >= 0 && /^\d*$/.test(v.slice(0, colon));
  const rest = hasEpoch ? v.slice(colon + 1) : v;
  const dash = rest.indexOf('-');
  return [hasEpoch && v.slice(0, colon) ? v.slice(0, colon) : '0', dash < 0 ? rest : rest.slice(0, dash), dash < 0 ? '' : rest.slice(dash)];
}

export const rpmScheme: VersionScheme = {
  id: 'rpm',
  isValid: (v) => v.trim() !== '',
  compare(a, b) {
    const x = evr(a), y = evr(b);
    return rpmvercmp(x[0], y[0]) || rpmvercmp(x[1], y[1]) || rpmvercmp(x[2], y[2]);
  },
};
