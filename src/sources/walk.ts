// Directory walk shared by every extractor: one pass over the tree, honouring the ignore markers
// that colcon honours, never looping on symlinks, never stopping on an unreadable folder. The file
// system is asked synchronously: for thousands of small folders, promises and the thread pool cost
// two to three times the CPU time of the calls themselves (bench/startup.ts, the ROS 2 core).
import { lstatSync, readdirSync, realpathSync, statSync, type Dirent } from 'node:fs';
import { normalize, sep } from 'node:path';
import type { Problem } from '../model/inventory.ts';
import type { FoundFile } from './extractor.ts';
import { fileKind, isUnder, settledStamp, stampOf } from '../util/file-access.ts';
import { openWalkCache, type EntryKind, type FolderEntries, type Slot, type WalkMemo } from './walk-cache.ts';

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

/**
 * A folder's entries as the walk keeps them: ignore markers, folders, links, claimed files and other
 * claimed entries, in the folder's order (unclaimed files are dropped here, once).
 */
function entriesOf(dirents: Dirent[], rel: string, claims: (rel: string, name: string) => boolean): FolderEntries {
  const names: string[] = [];
  let kinds = '';
  // The root is scanned whatever it holds; another folder with a marker is skipped, its files unasked.
  const marker = dirents.some((e) => MARKERS.has(e.name));
  if (marker && rel !== '') return { marker, names, kinds };
  for (const entry of dirents) {
    const name = entry.name;
    // A regular file, most of a tree: kept only when claimed.
    const kind: EntryKind | undefined = entry.isFile() ? (claims(rel ? `${rel}/${name}` : name, name) ? 'f' : undefined)
      : entry.isDirectory() ? 'd' : entry.isSymbolicLink() ? 'l' : claims(rel ? `${rel}/${name}` : name, name) ? 'o' : undefined;
    if (kind) { names.push(name); kinds += kind; }
  }
  return { marker, names, kinds };
}

/**
 * `excluded`: paths (files or whole folders) the user asked not to scan. `memo`: an installed build's
 * walk for one use, whose folders are kept between runs (walk-cache.ts); `claims` must then be what
 * that use of that build claims.
 */
export async function walk(root: string, claims: (rel: string, name: string) => boolean, excluded: (rel: string) => boolean = () => false, memo?: WalkMemo): Promise<WalkResult> {
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
  const cache = memo ? openWalkCache(realRoot, memo) : undefined;
  const since = (memo?.now ?? Date.now)();
  /**
   * A claimed regular file, with its size; and its stamp when it is an entry of a folder entered
   * through real folders only (`plain`) and had settled: one lstat gives both.
   */
  const found = (path: string, rel: string, name: string, plain: boolean) => {
    try {
      if (plain) {
        const st = lstatSync(path);
        if (st.isFile()) {
          const stamp = stampOf(st);
          files.push(settledStamp(stamp, since) ? { path, rel, name, size: st.size, stamp } : { path, rel, name, size: st.size });
          return;
        }
        // Swapped for a link or something else since the folder was listed: as for any other path.
      }
      files.push({ path, rel, name, size: statSync(path).size });
    } catch (e) {
      problems.push({ file: rel, message: `cannot stat: ${(e as Error).message}`, severity: 'warning' });
    }
  };
  /** The folder's entries, kept ones when its stamp is unchanged, else listed; and the places of its subfolders in the kept tree. */
  const entries = (dir: string, rel: string, viaLink: boolean, slot: Slot | undefined): [FolderEntries, Slot[] | undefined] => {
    if (!cache || !slot) return [entriesOf(readdirSync(dir, { withFileTypes: true }), rel, claims), undefined];
    // A folder entered through a link is listed at every walk: its stamp would be the link's. The
    // root is known by its real path (the cache is kept for that path).
    let st;
    if (!viaLink) try { st = lstatSync(rel === '' ? realRoot : dir, { throwIfNoEntry: false }); } catch { /* listed below, or said */ }
    // Listed as a folder (now, or in a kept listing) but a link or a file by now: never listed through it, as a link
    // out of the tree would be followed without the check links get (a folder swapped while walked, a crafted cache).
    if (st && !st.isDirectory()) throw Object.assign(new Error('not a folder'), { code: 'ENOTDIR' });
    const known = cache.entries(slot, st);
    const listing = known ?? entriesOf(readdirSync(dir, { withFileTypes: true }), rel, claims);
    return [listing, cache.record(slot, viaLink ? undefined : st, listing, !known)];
  };

  // `real` is the folder's path with every link resolved: the root's is asked for once; a folder
  // entered through a directory entry is its parent's real path plus its name (folders cannot be
  // hard-linked), and one entered through a link is the link's resolved target. So resolving costs
  // one call per link, not one per folder (a quarter of a large workspace's walk).
  // Depth first, in the order folders list their entries, with a stack rather than recursion: a
  // hostile tree thousands of folders deep cannot exhaust the call stack.
  // (Read by index, not destructured: in code not yet optimised, destructuring allocates an iterator's results.)
  const stack: [dir: string, rel: string, real: string, viaLink: boolean, slot: Slot | undefined][] = [[normalize(root), '', realRoot, false, cache?.root]];
  while (stack.length) {
    const top = stack.pop()!;
    const dir = top[0], rel = top[1], real = top[2], viaLink = top[3], slot = top[4];
    if (seen.has(real)) continue; // symlink loop or a folder reached twice
    seen.add(real);
    let listing: FolderEntries;
    let slots: Slot[] | undefined;
    try {
      const got = entries(dir, rel, viaLink, slot);
      listing = got[0];
      slots = got[1];
    } catch (e) {
      problems.push({ file: rel || '.', message: `cannot read folder: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`, severity: 'warning' });
      continue;
    }
    if (rel !== '' && listing.marker) continue;
    const subdirs: [string, string, string, boolean, Slot | undefined][] = [];
    const { names, kinds } = listing;
    for (let i = 0, d = -1; i < names.length; i++) {
      if (kinds[i] === 'd') d++;
      const name = names[i]!;
      const kind = kinds[i];
      const childRel = rel ? `${rel}/${name}` : name;
      if (excluded(childRel)) continue;
      const childPath = under(dir, name);
      if (kind === 'f') { found(childPath, childRel, name, !viaLink); continue; }
      if (kind === 'o') {
        // A FIFO named like a lockfile would hang a read: said, never opened.
        let what = 'a special file';
        try { what = fileKind(lstatSync(childPath)); } catch { /* gone since */ }
        problems.push({ file: childRel, message: `is ${what}, not a regular file; not read`, severity: 'warning' });
        continue;
      }
      if (kind === 'd') {
        if (!SKIP_DIRS.has(name)) subdirs.push([childPath, childRel, under(real, name), viaLink, slots?.[d]]);
        continue;
      }
      if (kind !== 'l') continue;
      let target: string;
      let s;
      try {
        target = realpathSync.native(childPath);
        if (!inside(target)) {
          problems.push({ file: childRel, message: 'symbolic link leads outside the scanned folder; not followed', severity: 'warning' });
          continue;
        }
        s = statSync(childPath);
      } catch {
        continue; // dangling link: nothing to read
      }
      if (s.isDirectory()) {
        if (!SKIP_DIRS.has(name)) subdirs.push([childPath, childRel, target, true, undefined]);
      } else if (!s.isFile()) {
        if (claims(childRel, name)) problems.push({ file: childRel, message: `is ${fileKind(s)}, not a regular file; not read`, severity: 'warning' });
      } else if (claims(childRel, name)) found(childPath, childRel, name, false);
    }
    for (let i = subdirs.length - 1; i >= 0; i--) stack.push(subdirs[i]!);
  }
  cache?.save();

  files.sort((a, b) => (a.rel < b.rel ? -1 : a.rel > b.rel ? 1 : 0));
  return { files, problems };
}
