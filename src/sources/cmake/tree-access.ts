// The CMake reading's file reads, through the scan's confinement (ctx.files): the CMake files the
// reading reaches, and beside them the few files of a git checkout that say a submodule's commit
// (.git/index, a submodule's HEAD and tags). Absent reads as absent; a file that is there but refused
// (a link out of the tree, a FIFO, too large) is a problem naming it, and reads as absent.
import { join, relative } from 'node:path';
import type { ExtractContext, FoundFile } from '../extractor.ts';
import type { FileAccess } from '../../util/file-access.ts';

export interface TreeAccess {
  text(path: string, limit: number): string | undefined;
  bytes(path: string, limit?: number): Buffer | undefined;
  isFolder(path: string): boolean;
  /** Files below a folder (relative names), at most `depth` levels. */
  listFiles(dir: string, depth: number): string[];
  /** A file the walk found, read as the scan reads its files (ctx.read). */
  read(file: FoundFile): Promise<string | undefined>;
}

/**
 * `refused`, when given, hears of every file that is there but was not read (each is also a problem
 * of the scan): what such a reading found cannot be kept (vendored-cache.ts).
 */
export function scannedTree(ctx: ExtractContext, refused?: (path: string) => void): TreeAccess {
  const files = ctx.files;
  const refuse = (path: string, e: unknown) => {
    refused?.(path);
    ctx.problem({ file: relative(ctx.root, path) || path, message: (e as Error).message, severity: 'warning' });
    return undefined;
  };
  return {
    text: (path, limit) => {
      const text = ctx.beside(path, limit);
      // ctx.beside reads as absent both what is not there and what it refused (and said so).
      if (text === undefined && refused && files.exists(path)) refused(path);
      return text;
    },
    bytes: (path, limit) => {
      if (!files.exists(path)) return undefined;
      try { return files.readBytesSync(path, limit === undefined ? {} : { limit }); } catch (e) { return refuse(path, e); }
    },
    isFolder: (path) => files.isFolder(path),
    listFiles: (dir, depth) => listFiles(files, dir, depth, refuse),
    read: async (f) => {
      const text = await ctx.read(f);
      if (text === undefined) refused?.(f.path);
      return text;
    },
  };
}

/** Files below `dir` (relative names), at most `depth` levels; a folder that cannot be listed goes to `refuse`. */
export function listFiles(files: FileAccess, dir: string, depth: number, refuse: (path: string, e: unknown) => void): string[] {
  const out: string[] = [];
  const visit = (d: string, prefix: string, left: number) => {
    if (left < 0 || !files.isFolder(d)) return;
    let entries;
    try { entries = files.list(d); } catch (e) { refuse(d, e); return; }
    for (const e of entries) {
      if (e.isDirectory()) visit(join(d, e.name), `${prefix}${e.name}/`, left - 1);
      else if (e.isFile()) out.push(`${prefix}${e.name}`);
    }
  };
  visit(dir, '', depth);
  return out;
}
