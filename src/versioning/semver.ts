// SemVer 2.0.0 ordering as OSV reads it (SEMVER ranges, npm, crates.io, Go): a leading "v" is
// ignored, missing minor/patch count as 0, numbers have no size limit, components after the
// third belong to build metadata, and build metadata never orders (SemVer §10–11).
// The `semver` package refuses partial and oversized versions that real advisories contain, so the
// ordering is implemented here and checked against osv-scalibr's vectors.
import type { VersionScheme } from './scheme.ts';

interface Parsed { core: [bigint, bigint, bigint]; pre: string[] }

const SHAPE = /^v?(\d+)(?:\.(\d+))?(?:\.(\d+))?((?:\.\d+)*)(?:-([0-9A-Za-z.-]+))?(?:\+([0-9A-Za-z.-]+))?$/;

function parse(v: string): Parsed | undefined {
  const m = SHAPE.exec(v.trim());
  if (!m) return undefined;
  return { core: [BigInt(m[1]!), BigInt(m[2] ?? 0), BigInt(m[3] ?? 0)], pre: m[5] ? m[5].split('.') : [] };
}

function cmpIdent(a: string, b: string): number {
  const an = /^\d+$/.test(a);
  const bn = /^\d+$/.test(b);
  if (an && bn) { const x = BigInt(a); const y = BigInt(b); return x < y ? -1 : x > y ? 1 : 0; }
  if (an) return -1; // numeric identifiers sort before alphanumeric ones
  if (bn) return 1;
  return a < b ? -1 : a > b ? 1 : 0;
}

export function compareSemver(a: string, b: string): number {
  const x = parse(a);
  const y = parse(b);
  if (!x || !y) throw new Error(`not a SemVer version: ${!x ? a : b}`);
  for (let i = 0; i < 3; i++) if (x.core[i] !== y.core[i]) return x.core[i]! < y.core[i]! ? -1 : 1;
  if (!x.pre.length || !y.pre.length) return (y.pre.length ? 1 : 0) - (x.pre.length ? 1 : 0);
  for (let i = 0; i < Math.max(x.pre.length, y.pre.length); i++) {
    if (x.pre[i] === undefined) return -1;
    if (y.pre[i] === undefined) return 1;
    const c = cmpIdent(x.pre[i]!, y.pre[i]!);
    if (c) return c;
  }
  return 0;
}

export const semverScheme: VersionScheme = {
  id: 'semver',
  isValid: (v) => parse(v) !== undefined,
  compare: compareSemver,
};
