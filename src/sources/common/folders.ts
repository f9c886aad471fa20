// Workspace member patterns ("crates/*", "packages/*", "apps/web"), as Cargo and the JavaScript
// package managers write them, expanded to the folders that exist: a star stands for one folder name.
// "**" (any depth) is not followed: the caller says so.
import { readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { isUnder } from '../../util/file-access.ts';
import { compileGlob } from '../../util/glob.ts';

/** Folders under `base` (relative, forward slashes) matching `pattern`; a pattern without a star is returned as is. */
export function expandFolders(base: string, pattern: string): string[] {
  const clean = pattern.replace(/^\.\//, '').replace(/\/+$/, '');
  const parts = clean.split('/');
  let found = [''];
  for (const part of parts) {
    if (!part.includes('*')) { found = found.map((f) => (f ? `${f}/${part}` : part)); continue; }
    const glob = compileGlob(part);
    found = found.flatMap((f) => listDirs(join(base, f)).filter((d) => glob.test(d)).map((d) => (f ? `${f}/${d}` : d)));
  }
  return found.sort();
}

function listDirs(dir: string): string[] {
  try { return readdirSync(dir, { withFileTypes: true }).filter((e) => e.isDirectory() && e.name !== 'node_modules' && !e.name.startsWith('.')).map((e) => e.name); } catch { return []; }
}

/** Whether a path a manifest names (a `file:` folder, a Cargo path dependency, an MSBuild import) stays inside the scanned folder, as written (the confined reader then checks where links lead). */
export function insideRoot(root: string, path: string): boolean {
  return isUnder(resolve(path), resolve(root));
}
