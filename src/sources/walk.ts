// Directory walk shared by every extractor: one pass over the tree, honouring the ignore markers
// that colcon honours, never looping on symlinks, never stopping on an unreadable folder.
import { readdir, realpath, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { Problem } from '../model/inventory.ts';
import type { FoundFile } from './extractor.ts';
import { fileKind, isUnder } from '../util/file-access.ts';

/** A folder holding one of these is skipped with all it contains (colcon-core, colcon-ros). */
export const IGNORE_MARKERS = ['COLCON_IGNORE', 'AMENT_IGNORE', 'CATKIN_IGNORE'];
/** colcon-ros also skips catkin/ament install spaces, recognised by these files. */
const INSTALL_SPACE_MARKERS = ['_setup_util.py', '_order_isolated_packages.py'];
/** Never part of a product's source; node_modules is described by the lockfile instead. */
const SKIP_DIRS = new Set(['.git', '.hg', '.svn', 'node_modules', '__pycache__', '.marque', '.tox', '.mypy_cache']);

export interface WalkResult { files: FoundFile[]; problems: Problem[] }

/** `excluded`: paths (files or whole folders) the user asked not to scan. */
export async function walk(root: string, claims: (rel: string, name: string) => boolean, excluded: (rel: string) => boolean = () => false): Promise<WalkResult> {
  const files: FoundFile[] = [];
  const problems: Problem[] = [];
  const seen = new Set<string>();
  // Links are followed only while they stay inside the scanned tree: a link to /proc/self/environ or
  // /etc must not turn a scan into a read of the machine.
  let realRoot: string;
  try { realRoot = await realpath(root); } catch { realRoot = root; }
  const inside = (p: string) => isUnder(p, realRoot);

  async function visit(dir: string, rel: string): Promise<void> {
    let real: string;
    try {
      real = await realpath(dir);
    } catch (e) {
      problems.push({ file: rel || '.', message: `cannot resolve folder: ${(e as Error).message}`, severity: 'warning' });
      return;
    }
    if (seen.has(real)) return; // symlink loop or a folder reached twice
    seen.add(real);
    let entries;
    try {
      entries = await readdir(dir, { withFileTypes: true });
    } catch (e) {
      problems.push({ file: rel || '.', message: `cannot read folder: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`, severity: 'warning' });
      return;
    }
    const names = new Set(entries.map((e) => e.name));
    if (rel !== '' && (IGNORE_MARKERS.some((m) => names.has(m)) || INSTALL_SPACE_MARKERS.some((m) => names.has(m)))) return;
    const subdirs: Promise<void>[] = [];
    for (const entry of entries) {
      const childRel = rel ? `${rel}/${entry.name}` : entry.name;
      if (excluded(childRel)) continue;
      const childPath = join(dir, entry.name);
      let isDir = entry.isDirectory();
      let isFile = entry.isFile();
      let kind: Parameters<typeof fileKind>[0] = entry;
      if (entry.isSymbolicLink()) {
        try {
          const target = await realpath(childPath);
          if (!inside(target)) {
            problems.push({ file: childRel, message: 'symbolic link leads outside the scanned folder; not followed', severity: 'warning' });
            continue;
          }
          const s = await stat(childPath);
          isDir = s.isDirectory();
          isFile = s.isFile();
          kind = s;
        } catch {
          continue; // dangling link: nothing to read
        }
      }
      if (isDir) {
        if (!SKIP_DIRS.has(entry.name)) subdirs.push(visit(childPath, childRel));
      } else if (!isFile) {
        // A FIFO named like a lockfile would hang a read: said, never opened.
        if (claims(childRel, entry.name)) problems.push({ file: childRel, message: `is ${fileKind(kind)}, not a regular file; not read`, severity: 'warning' });
      } else if (claims(childRel, entry.name)) {
        try {
          const s = await stat(childPath);
          files.push({ path: childPath, rel: childRel, name: entry.name, size: s.size });
        } catch (e) {
          problems.push({ file: childRel, message: `cannot stat: ${(e as Error).message}`, severity: 'warning' });
        }
      }
    }
    await Promise.all(subdirs);
  }

  await visit(root, '');
  files.sort((a, b) => (a.rel < b.rel ? -1 : a.rel > b.rel ? 1 : 0));
  return { files, problems };
}
