// Directory walk shared by every extractor: one pass over the tree, honouring the ignore markers
// that colcon honours, never looping on symlinks, never stopping on an unreadable folder. The file
// system is asked synchronously: for thousands of small folders, promises and the thread pool cost
// two to three times the CPU time of the calls themselves (bench/startup.ts, the ROS 2 core).
import { readdirSync, realpathSync, statSync } from 'node:fs';
import { normalize, sep } from 'node:path';
import type { Problem } from '../model/inventory.ts';
import type { FoundFile } from './extractor.ts';
import { fileKind, isUnder } from '../util/file-access.ts';

/** A folder holding one of these is skipped with all it contains (colcon-core, colcon-ros). */
export const IGNORE_MARKERS = ['COLCON_IGNORE', 'AMENT_IGNORE', 'CATKIN_IGNORE'];
/** colcon-ros also skips catkin/ament install spaces, recognised by these files. */
const INSTALL_SPACE_MARKERS = ['_setup_util.py', '_order_isolated_packages.py'];
const MARKERS = new Set([...IGNORE_MARKERS, ...INSTALL_SPACE_MARKERS]);
/** Never part of a product's source; node_modules is described by the lockfile instead. */
const SKIP_DIRS = new Set(['.git', '.hg', '.svn', 'node_modules', '__pycache__', '.marque', '.tox', '.mypy_cache']);

export interface WalkResult { files: FoundFile[]; problems: Problem[] }

/** join(dir, name) for a normalised folder and an entry's name, without normalising again. */
function under(dir: string, name: string): string {
  return dir === '.' ? name : dir.endsWith(sep) ? dir + name : dir + sep + name;
}

/** `excluded`: paths (files or whole folders) the user asked not to scan. */
export async function walk(root: string, claims: (rel: string, name: string) => boolean, excluded: (rel: string) => boolean = () => false): Promise<WalkResult> {
  const files: FoundFile[] = [];
  const problems: Problem[] = [];
  const seen = new Set<string>();
  // Links are followed only while they stay inside the scanned tree: a link to /proc/self/environ or
  // /etc must not turn a scan into a read of the machine.
  let realRoot: string;
  try {
    realRoot = realpathSync(root);
  } catch (e) {
    problems.push({ file: '.', message: `cannot resolve folder: ${(e as Error).message}`, severity: 'warning' });
    return { files, problems };
  }
  const inside = (p: string) => isUnder(p, realRoot);
  /** A claimed regular file, with its size. */
  const found = (path: string, rel: string, name: string) => {
    try {
      files.push({ path, rel, name, size: statSync(path).size });
    } catch (e) {
      problems.push({ file: rel, message: `cannot stat: ${(e as Error).message}`, severity: 'warning' });
    }
  };

  // `real` is the folder's path with every link resolved: the root's is asked for once; a folder
  // entered through a directory entry is its parent's real path plus its name (folders cannot be
  // hard-linked), and one entered through a link is the link's resolved target. So resolving costs
  // one call per link, not one per folder (a quarter of a large workspace's walk).
  // Depth first, in the order folders list their entries, with a stack rather than recursion: a
  // hostile tree thousands of folders deep cannot exhaust the call stack.
  const stack: [dir: string, rel: string, real: string][] = [[normalize(root), '', realRoot]];
  while (stack.length) {
    const [dir, rel, real] = stack.pop()!;
    if (seen.has(real)) continue; // symlink loop or a folder reached twice
    seen.add(real);
    let entries;
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch (e) {
      problems.push({ file: rel || '.', message: `cannot read folder: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`, severity: 'warning' });
      continue;
    }
    if (rel !== '' && entries.some((e) => MARKERS.has(e.name))) continue;
    const subdirs: [string, string, string][] = [];
    for (const entry of entries) {
      const childRel = rel ? `${rel}/${entry.name}` : entry.name;
      if (excluded(childRel)) continue;
      // A regular file, most of a tree: its path is made only when it is claimed.
      if (entry.isFile()) {
        if (claims(childRel, entry.name)) found(under(dir, entry.name), childRel, entry.name);
        continue;
      }
      const childPath = under(dir, entry.name);
      let isDir = entry.isDirectory();
      let isFile = false;
      let kind: Parameters<typeof fileKind>[0] = entry;
      let childReal = under(real, entry.name);
      if (entry.isSymbolicLink()) {
        try {
          const target = realpathSync.native(childPath);
          childReal = target;
          if (!inside(target)) {
            problems.push({ file: childRel, message: 'symbolic link leads outside the scanned folder; not followed', severity: 'warning' });
            continue;
          }
          const s = statSync(childPath);
          isDir = s.isDirectory();
          isFile = s.isFile();
          kind = s;
        } catch {
          continue; // dangling link: nothing to read
        }
      }
      if (isDir) {
        if (!SKIP_DIRS.has(entry.name)) subdirs.push([childPath, childRel, childReal]);
      } else if (!isFile) {
        // A FIFO named like a lockfile would hang a read: said, never opened.
        if (claims(childRel, entry.name)) problems.push({ file: childRel, message: `is ${fileKind(kind)}, not a regular file; not read`, severity: 'warning' });
      } else if (claims(childRel, entry.name)) found(childPath, childRel, entry.name);
    }
    for (let i = subdirs.length - 1; i >= 0; i--) stack.push(subdirs[i]!);
  }

  files.sort((a, b) => (a.rel < b.rel ? -1 : a.rel > b.rel ? 1 : 0));
  return { files, problems };
}
