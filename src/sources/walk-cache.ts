// What the walk found in each folder, kept between runs (walk.ts): a folder whose stamp (device,
// inode, modification and change times: FileAccess.stamp) is what it was when it was listed has the
// same entries, since adding, removing or renaming an entry changes its folder's times; so it is not
// listed again, and of its entries only what the walk keeps is kept: the folders, the links and the
// other entries to look at, and the files it claimed. Listing 3,800 folders and asking each
// extractor about their 17,000 files was most of the ROS 2 core workspace's inventory.
//
// Safe by construction: kept by an installed build only and for that build and that use of the walk
// (what a file's name claims is the build's code), and for that real root; a folder's entries are
// kept only when the folder had settled (its change time more than the time stamps' grain before
// the walk began: settledStamp), so a change within the grain cannot hide; a folder reached through
// a link and whatever the walk could not list are never kept; links are resolved at every walk.
// The file carries its own SHA-256 and is written atomically (util/kept.ts).
import { hash } from 'node:crypto';
import { join } from 'node:path';
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

interface Kept { folders: Record<string, [stamp: string, marker: 0 | 1, names: string[], kinds: string]> }

export interface WalkCache {
  /** The time the walk began, in ms: folders listed are kept only if they had settled before it. */
  since: number;
  /** What the folder at `rel` held when its stamp was `stamp`, if known. */
  get(rel: string, stamp: string): FolderEntries | undefined;
  /** What the folder at `rel` holds, listed now (its stamp settled) or known by its stamp. */
  put(rel: string, stamp: string, entries: FolderEntries): void;
  /** Writes what changed. */
  save(): void;
}

export function walkCachePath(realRoot: string, use: string): string {
  return join(cacheDir(), 'walk', `${hash('sha256', `${use}\0${realRoot}`, 'hex').slice(0, 32)}.json`);
}

export function openWalkCache(realRoot: string, memo: WalkMemo): WalkCache {
  const path = walkCachePath(realRoot, memo.use);
  const header = { format: FORMAT, build: memo.build, key: `${memo.use}\0${realRoot}` };
  const kept = loadKept(path, header) as Kept | undefined;
  // Maps, not objects: a folder may be named __proto__.
  const before = new Map(kept && typeof kept.folders === 'object' && kept.folders !== null ? Object.entries(kept.folders) : []);
  const now = new Map<string, Kept['folders'][string]>();
  let changed = false;
  return {
    since: (memo.now ?? Date.now)(),
    get(rel, stamp) {
      const k = before.get(rel);
      if (!Array.isArray(k) || k[0] !== stamp || !Array.isArray(k[2]) || typeof k[3] !== 'string' || k[2].length !== k[3].length) return undefined;
      return { marker: k[1] === 1, names: k[2], kinds: k[3] };
    },
    put(rel, stamp, e) {
      now.set(rel, [stamp, e.marker ? 1 : 0, e.names, e.kinds]);
      if (before.get(rel)?.[0] !== stamp) changed = true;
    },
    save() {
      // A folder gone (or not walked this time) is dropped too.
      if (changed || before.size !== now.size) saveKept(path, header, { folders: Object.fromEntries(now) });
    },
  };
}
