// The CMake reading's file reads, through the scan's confinement (ctx.files): the CMake files the
// reading reaches, and beside them the few files of a git checkout that say a submodule's commit
// (.git/index, a submodule's HEAD and tags). Absent reads as absent; a file that is there but refused
// (a link out of the tree, a FIFO, too large) is a problem naming it, and reads as absent.
import { join, relative } from 'node:path';
import type { ExtractContext } from '../extractor.ts';

export interface TreeAccess {
  text(path: string, limit: number): string | undefined;
  bytes(path: string, limit?: number): Buffer | undefined;
  isFolder(path: string): boolean;
  /** Files below a folder (relative names), at most `depth` levels. */
  listFiles(dir: string, depth: number): string[];
}

export function scannedTree(ctx: ExtractContext): TreeAccess {
  const files = ctx.files;
  const refused = (path: string, e: unknown) => {
    ctx.problem({ file: relative(ctx.root, path) || path, message: (e as Error).message, severity: 'warning' });
    return undefined;
  };
  return {
    text: (path, limit) => ctx.beside(path, limit),
    bytes: (path, limit) => {
      if (!files.exists(path)) return undefined;
      try { return files.readBytesSync(path, limit === undefined ? {} : { limit }); } catch (e) { return refused(path, e); }
    },
    isFolder: (path) => files.isFolder(path),
    listFiles: (dir, depth) => {
      const out: string[] = [];
      const visit = (d: string, prefix: string, left: number) => {
        if (left < 0 || !files.isFolder(d)) return;
        let entries;
        try { entries = files.list(d); } catch (e) { refused(d, e); return; }
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
