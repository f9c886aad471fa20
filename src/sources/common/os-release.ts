// os-release (freedesktop.org): which distribution and release an image root is, read the way
// every package-database reader needs it (etc/os-release, else usr/lib/os-release).
import { join } from 'node:path';
import { LIMITS } from '../../util/file-access.ts';
import type { ReadBeside } from '../extractor.ts';

export function parseOsRelease(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of text.split('\n')) {
    const m = /^([A-Z_]+)=("?)(.*)\2\s*$/.exec(line.trim());
    if (m) out[m[1]!] = m[3]!;
  }
  return out;
}

/** The os-release of an image root, or undefined when it has none. */
export function osReleaseAt(root: string, beside: ReadBeside): Record<string, string> | undefined {
  for (const p of ['etc/os-release', 'usr/lib/os-release']) {
    const text = beside(join(root, p), LIMITS.small);
    if (text !== undefined) return parseOsRelease(text);
  }
  return undefined;
}
