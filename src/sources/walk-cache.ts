// What the walk found in each folder, kept between runs (walk.ts): a folder whose stamp (device,
// inode, modification and change times) is what it was when it was listed has the same entries,
// since adding, removing or renaming an entry changes its folder's times; so it is not listed again,
// and of its entries only what the walk keeps is kept: the folders, the links and the other entries
// to look at, and the files it claimed. Listing 3,800 folders and asking each extractor about their
// 17,000 files was most of the ROS 2 core workspace's inventory.
//
// Safe by construction: kept by an installed build only and for that build and that use of the walk
// (what a file's name claims is the build's code), and for that real root; a folder's entries are
// kept only when the folder had settled (its change time more than the time stamps' grain before
// the walk began: settledStamp), so a change within the grain cannot hide; a folder reached through
// a link and whatever the walk could not list are never kept; links are resolved at every walk.
// The file carries its own SHA-256 and is written atomically (util/kept.ts); a crafted one cannot
// lead the walk out of the tree: a kept name is a name (never "..", never with a "/"), and a kept
// folder that is not a folder now (a link) is not listed through.
//
// The folders are kept as a tree, in the walk's order: each folder's record holds the indexes of
// its subfolders' records, so no path is stored or looked up.
import { hash } from 'node:crypto';
import type { Stats } from 'node:fs';
import { join, sep } from 'node:path';
import { STAMP_GRAIN_MS } from '../util/file-access.ts';
import { loadKept, saveKept } from '../util/kept.ts';
import { cacheDir } from '../util/yaml.ts';

const FORMAT = 1;

/** One entry the walk keeps: a claimed regular file (f), a folder (d), a link (l), or anything else that was claimed (o). */
export type EntryKind = 'f' | 'd' | 'l' | 'o';

/** A folder's entries as the walk keeps them, in the order the folder listed them. */
export interface FolderEntries {
  /** The folder holds an ignore marker (COLCON_IGNORE, …): skipped with all it contains. */
  marker: boolean;
  names: string[];
  /** One EntryKind a name. */
  kinds: string;
}

/** Whose walk is kept: the build whose code claims files, and which walk of it ("inventory"). */
export interface WalkMemo { build: string; use: string; now?: () => number }

/** A folder: its stamp (device, inode, modification and change times in ms), marker, names, kinds, and the records of its subfolders in the order of its 'd' entries (-1: not kept). */
type Rec = [dev: number, ino: number, mtimeMs: number, ctimeMs: number, marker: 0 | 1, names: string[], kinds: string, children: number[]];

/** A folder's place: its record in the kept tree (-1: none), and its parent's record in this walk's tree (-1: none) with its position among the parent's subfolders. */
export interface Slot { before: number; parent: number; pos: number }

export interface WalkCache {
  /** The root folder's place. */
  readonly root: Slot;
  /** The kept entries of the folder at `slot`, if its stamp `st` is the one they were kept with. */
  entries(slot: Slot, st: Stats | undefined): FolderEntries | undefined;
  /**
   * Records the folder's entries in this walk's tree, known by its stamp (`listed` false) or listed
   * now (kept only when its stamp had settled); returns the places of its subfolders, one per 'd' entry.
   */
  record(slot: Slot, st: Stats | undefined, entries: FolderEntries, listed: boolean): Slot[];
  /** Writes this walk's tree when it differs from the kept one. */
  save(): void;
}

export function walkCachePath(realRoot: string, use: string): string {
  return join(cacheDir(), 'walk', `${hash('sha256', `${use}\0${realRoot}`, 'hex').slice(0, 32)}.json`);
}

/** An entry's name as a folder lists it: never a path ("..", "a/b"), whatever a crafted cache file says. */
const isName = (n: unknown): boolean => typeof n === 'string' && n !== '' && n !== '.' && n !== '..' && !n.includes('/') && !n.includes('\0') && (sep !== '\\' || !n.includes('\\'));
const isRec = (r: unknown): r is Rec => Array.isArray(r) && r.length === 8 && typeof r[0] === 'number' && typeof r[1] === 'number' && Array.isArray(r[5]) && typeof r[6] === 'string' && r[5].length === r[6].length && /^[fdlo]*$/.test(r[6]) && r[5].every(isName) && Array.isArray(r[7]);

export function openWalkCache(realRoot: string, memo: WalkMemo): WalkCache {
  const path = walkCachePath(realRoot, memo.use);
  const header = { format: FORMAT, build: memo.build, key: `${memo.use}\0${realRoot}` };
  const kept = loadKept(path, header) as { folders?: unknown } | undefined;
  // Each record checked once, here: a folder's record is asked for twice (its entries, then its subfolders).
  const before: (Rec | undefined)[] = Array.isArray(kept?.folders) ? kept.folders.map((r: unknown) => (isRec(r) ? r : undefined)) : [];
  const now: Rec[] = [];
  const since = (memo.now ?? Date.now)();
  let changed = false;
  const rec = (i: number): Rec | undefined => (i >= 0 ? before[i] : undefined);
  return {
    root: { before: before.length ? 0 : -1, parent: -1, pos: -1 },
    entries(slot, st) {
      const r = rec(slot.before);
      if (!r || !st || st.dev !== r[0] || st.ino !== r[1] || st.mtimeMs !== r[2] || st.ctimeMs !== r[3]) return undefined;
      return { marker: r[4] === 1, names: r[5], kinds: r[6] };
    },
    record(slot, st, e, listed) {
      if (listed) changed = true;
      const dirs: number[] = [];
      for (let i = 0; i < e.kinds.length; i++) if (e.kinds[i] === 'd') dirs.push(i);
      // Where the subfolders' records were: by position when the folder is unchanged, else by name.
      const old = rec(slot.before);
      let beforeOf: (j: number) => number = () => -1;
      if (old && !listed) beforeOf = (j) => old[7][j] ?? -1;
      else if (old) {
        const byName = new Map<string, number>();
        for (let i = 0, j = 0; i < old[6].length; i++) if (old[6][i] === 'd') byName.set(old[5][i]!, old[7][j++] ?? -1);
        beforeOf = (j) => byName.get(e.names[dirs[j]!]!) ?? -1;
      }
      // Kept only under a kept parent (or as the root), and when listed now, only once settled.
      const root = slot.parent === -1 && slot.pos === -1;
      const keep = st !== undefined && st.isDirectory() && (root ? now.length === 0 : slot.parent >= 0) && (!listed || st.ctimeMs < since - STAMP_GRAIN_MS);
      const slots = dirs.map((_, j): Slot => ({ before: beforeOf(j), parent: -1, pos: j }));
      let at = -1;
      if (keep) {
        // A folder known by its stamp keeps its record, which holds what a new one would (its subfolders'
        // places, read above, are rewritten as this walk's): half the walk's records are not made again.
        const reuse = old !== undefined && !listed && old[7].length === dirs.length;
        if (reuse) old[7].fill(-1);
        at = now.push(reuse ? old : [st.dev, st.ino, st.mtimeMs, st.ctimeMs, e.marker ? 1 : 0, e.names, e.kinds, dirs.map(() => -1)]) - 1;
        if (!root) now[slot.parent]![7][slot.pos] = at;
      }
      for (const s of slots) s.parent = at;
      return slots;
    },
    save() {
      if (changed || now.length !== before.length) saveKept(path, header, { folders: now });
    },
  };
}
