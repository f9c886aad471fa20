// Debian version ordering (Debian Policy §5.6.12): [epoch:]upstream[-revision], compared part by
// part with dpkg's verrevcmp, where "~" sorts before everything, even the end of the string.
// Written by hand: no maintained JavaScript package implements it.
import type { VersionScheme } from './scheme.ts';

interface DebVersion { epoch: number; upstream: string; revision: string }

const VALID = /^(?:(\d+):)?([0-9][A-Za-z0-9.+~:-]*?)(?:-([A-Za-z0-9.+~]+))?$/;

export function parseDebian(v: string): DebVersion | undefined {
  const m = VALID.exec(v.trim());
  if (!m) return undefined;
  // An upstream part may contain "-" only when a revision follows; the lazy match above keeps the last "-" for it.
  return { epoch: m[1] ? Number(m[1]) : 0, upstream: m[2]!, revision: m[3] ?? '0' };
}

function order(c: string | undefined): number {
  if (c === undefined) return 0;
  if (c === '~') return -1;
  if (/[0-9]/.test(c)) return 0;
  if (/[A-Za-z]/.test(c)) return c.charCodeAt(0);
  return c.charCodeAt(0) + 256;
}

/** dpkg's verrevcmp. */
function verrevcmp(a: string, b: string): number {
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    let firstDiff = 0;
    while ((i < a.length && !/[0-9]/.test(a[i]!)) || (j < b.length && !/[0-9]/.test(b[j]!))) {
      const ac = order(a[i]);
      const bc = order(b[j]);
      if (ac !== bc) return ac - bc;
      i++;
      j++;
    }
    while (a[i] === '0') i++;
    while (b[j] === '0') j++;
    while (i < a.length && /[0-9]/.test(a[i]!) && j < b.length && /[0-9]/.test(b[j]!)) {
      if (!firstDiff) firstDiff = a.charCodeAt(i) - b.charCodeAt(j);
      i++;
      j++;
    }
    if (i < a.length && /[0-9]/.test(a[i]!)) return 1;
    if (j < b.length && /[0-9]/.test(b[j]!)) return -1;
    if (firstDiff) return firstDiff;
  }
  return 0;
}

export const dpkgScheme: VersionScheme = {
  id: 'dpkg',
  isValid: (v) => parseDebian(v) !== undefined,
  compare(a, b) {
    const x = parseDebian(a);
    const y = parseDebian(b);
    if (!x || !y) throw new Error(`not a Debian version: ${!x ? a : b}`);
    if (x.epoch !== y.epoch) return x.epoch - y.epoch;
    return verrevcmp(x.upstream, y.upstream) || verrevcmp(x.revision, y.revision);
  },
};
