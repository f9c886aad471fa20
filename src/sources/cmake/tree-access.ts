// Reads of files the walk does not hand over (a checkout's .git folder), confined to the scanned
// folder: a path whose real location lies outside it is not read.
import { lstatSync, readdirSync, readFileSync, realpathSync, statSync } from 'node:fs';
import { isAbsolute, join, relative } from 'node:path';
import type { ExtractContext } from '../extractor.ts';

export interface TreeAccess {
  /** Text of a regular file inside the tree, undefined when absent, outside or too large. */
  text(path: string, limit: number): string | undefined;
  bytes(path: string, limit?: number): Buffer | undefined;
  isFolder(path: string): boolean;
  /** Files below a folder (relative names), at most `depth` levels. */
  listFiles(dir: string, depth: number): string[];
}

const MAX_BYTES = 256 * 1024 * 1024;

export function scannedTree(ctx: ExtractContext): TreeAccess {
  let rootReal: string;
  try { rootReal = realpathSync(ctx.root); } catch { rootReal = ctx.root; }
  const inside = (p: string): string | undefined => {
    let real: string;
    try { real = realpathSync(p); } catch { return undefined; }
    const rel = relative(rootReal, real);
    return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel)) ? real : undefined;
  };
  const regular = (p: string, limit: number): string | undefined => {
    const real = inside(p);
    if (!real) return undefined;
    try {
      const st = statSync(real);
      if (!st.isFile()) return undefined;
      if (st.size > limit) {
        ctx.problem({ file: relative(ctx.root, p), message: `file is ${st.size} bytes, over the ${limit}-byte limit; not read`, severity: 'warning' });
        return undefined;
      }
    } catch { return undefined; }
    return real;
  };
  return {
    text: (p, limit) => { const r = regular(p, limit); return r ? readFileSync(r, 'utf8') : undefined; },
    bytes: (p, limit = MAX_BYTES) => { const r = regular(p, limit); return r ? readFileSync(r) : undefined; },
    isFolder: (p) => { const r = inside(p); try { return !!r && lstatSync(r).isDirectory(); } catch { return false; } },
    listFiles: (dir, depth) => {
      const out: string[] = [];
      const visit = (d: string, prefix: string, left: number) => {
        const r = inside(d);
        if (!r || left < 0) return;
        let entries;
        try { entries = readdirSync(r, { withFileTypes: true }); } catch { return; }
        for (const e of entries) {
          if (e.isDirectory()) visit(join(d, e.name), `${prefix}${e.name}/`, left - 1);
          else if (e.isFile()) out.push(`${prefix}${e.name}`);
        }
      };
      visit(dir, '', depth);
      return out;
    },
  };
}
