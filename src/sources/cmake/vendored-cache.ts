// What the CMake reading of a workspace found (vendored.ts), kept between runs. The reading is a
// function of the files it reads: the reading records each question it asked the tree (a file's
// text, a folder's presence or listing) with the answer (the SHA-256 of the text), and a later run
// asks the same questions again, silently: when every answer is the same, so is the reading, and
// what was kept is returned without interpreting any CMake. A file whose stamp (device, inode, size,
// modification and change times: FileAccess.stamp) is what it was when it was read, reached through
// real folders only, has the same text: its answer stands without reading it, as git trusts an index
// entry's stat data. A stamp is kept only when the file had settled before it was read (its change
// time more than the time stamps' grain before: settledStamp) and did not change while it was read;
// a file reached through a link is read again. Checking costs a stat of each file the reading read,
// not the interpreting (a third of the ROS 2 core workspace's inventory) nor the reading.
//
// Safe by construction: kept only by an installed build and for that build (a clone's code changes
// between runs); keyed by everything else the reading is given (the walk's file list with sizes,
// the entries, the package folders, the platform); the entry's body carries its own SHA-256, so a
// damaged file is ignored; written atomically; a reading that met a file it could not read (a link
// out of the tree, a FIFO: said as problems) is not kept. One file per workspace, holding the last
// reading, under $MARQUE_CACHE_DIR/cmake/.
import { createHash, hash } from 'node:crypto';
import { join } from 'node:path';
import type { Problem } from '../../model/inventory.ts';
import type { Platform } from '../../model/platforms.ts';
import { FileAccess, settledStamp } from '../../util/file-access.ts';
import { loadKept, saveKept } from '../../util/kept.ts';
import { cacheDir } from '../../util/yaml.ts';
import type { ExtractContext, FoundFile } from '../extractor.ts';
import { listFiles, scannedTree, type TreeAccess } from './tree-access.ts';

const FORMAT = 2;

/** What the reading is given besides the files it reads. */
export interface ReadingInputs {
  /** The build (BUILD_ID): nothing is kept across builds. */
  build: string;
  root: string;
  platform: Platform;
  entries: readonly { dir: string; purl: string }[];
  files: readonly FoundFile[];
  packageDirs: ReadonlySet<string>;
}

/**
 * A question asked of the tree and its answer: text (t), a walk's file (r), bytes (b), folder (d),
 * listing (l). A file's answer may carry the file's settled stamp (null: check it by its content).
 */
type Op =
  | ['t', string, number, string | null, string | null]
  | ['r', string, string, string | null]
  | ['b', string, number | null, string | null, string | null]
  | ['d', string, boolean]
  | ['l', string, number, string[]];

interface Kept { ops: Op[]; problems: Problem[]; result: unknown }

const sha256 = (data: string | Uint8Array) => hash('sha256', data, 'hex');

/** The key of the inputs (not of the files read: those are checked one by one). */
export function inputsKey(i: ReadingInputs): string {
  const h = createHash('sha256');
  h.update(JSON.stringify([FORMAT, i.build, i.root, i.platform, i.entries.map((e) => [e.dir, e.purl]), [...i.packageDirs].sort()]));
  // One text for all the files: a call into the hash per file cost more than the hashing.
  let files = '';
  for (const f of i.files) files += `\n${f.rel}\0${f.path}\0${f.size}`;
  return h.update(files).digest('hex');
}

/** Where a workspace's reading is kept. */
export function keptPath(root: string): string {
  return join(cacheDir(), 'cmake', `${sha256(root).slice(0, 32)}.json`);
}

/**
 * `compute` run with a tree that records what it reads, or its kept result when every recorded
 * answer still holds. `compute` must ask nothing of the disk but through the tree it is given, and
 * report problems through the context it is given.
 */
export async function cachedReading<T>(inputs: ReadingInputs, ctx: ExtractContext, compute: (tree: TreeAccess, ctx: ExtractContext) => Promise<T>, now: () => number = Date.now): Promise<T> {
  const key = inputsKey(inputs);
  const path = keptPath(inputs.root);
  const kept = load(path, inputs.build, key);
  const since = now();
  const checked = kept && stillHolds(kept.ops, ctx, since, walkStamps(inputs.files));
  if (kept && checked) {
    for (const op of kept.ops) if ((op[0] === 't' && op[3] !== null) || op[0] === 'r') ctx.countInput(op[1], op[0] === 't' ? op[3]! : op[2]);
    for (const p of kept.problems) ctx.problem(p);
    // Files checked by their content that have settled since: kept with their stamps, so that the next check need not read them.
    if (checked.stamped) save(path, inputs.build, key, { ...kept, ops: checked.ops });
    return kept.result as T;
  }

  const ops = new Map<string, Op>();
  const problems: Problem[] = [];
  let refusals = 0;
  const reading: ExtractContext = { ...ctx, problem: (p) => { problems.push(p); ctx.problem(p); } };
  const tree = scannedTree(reading, () => { refusals++; });
  const note = (id: string, op: Op) => { if (!ops.has(id)) ops.set(id, op); };
  const { stampBefore, stampAfter } = stamps(ctx.files, since);
  const recording: TreeAccess = {
    text: (p, limit) => {
      const before = stampBefore(p);
      const t = tree.text(p, limit);
      note(`t\0${p}\0${limit}`, ['t', p, limit, t === undefined ? null : sha256(t), t === undefined ? null : stampAfter(p, before)]);
      return t;
    },
    read: async (f) => {
      const before = stampBefore(f.path);
      const t = await tree.read(f);
      if (t !== undefined) note(`r\0${f.path}`, ['r', f.path, sha256(t), stampAfter(f.path, before)]);
      return t;
    },
    bytes: (p, limit) => {
      const before = stampBefore(p);
      const b = tree.bytes(p, limit);
      note(`b\0${p}\0${limit}`, ['b', p, limit ?? null, b === undefined ? null : sha256(b), b === undefined ? null : stampAfter(p, before)]);
      return b;
    },
    isFolder: (p) => { const d = tree.isFolder(p); note(`d\0${p}`, ['d', p, d]); return d; },
    listFiles: (dir, depth) => { const l = tree.listFiles(dir, depth); note(`l\0${dir}\0${depth}`, ['l', dir, depth, l]); return l; },
  };
  const result = await compute(recording, reading);
  // Kept as it is now: the caller may change the objects it gets.
  if (!refusals) save(path, inputs.build, key, { ops: [...ops.values()], problems, result });
  return result;
}

function load(path: string, build: string, key: string): Kept | undefined {
  const kept = loadKept(path, { format: FORMAT, build, key }) as Kept | undefined;
  return kept && Array.isArray(kept.ops) && Array.isArray(kept.problems) && kept.result !== undefined ? kept : undefined;
}

function save(path: string, build: string, key: string, kept: Kept): void {
  saveKept(path, { format: FORMAT, build, key }, kept);
}

/**
 * A file's stamp taken around a read of it: stampAfter gives it when the file had settled before
 * `since`, did not change while it was read and is reached through real folders only; `same` says
 * whether a kept stamp still stands for the file.
 */
function stamps(files: FileAccess, since: number, walked: ReadonlyMap<string, string> = new Map()) {
  const plain = files.plainPaths();
  return {
    stampBefore: (p: string): string | null => { const s = files.stamp(p); return settledStamp(s, since) && s.id.startsWith('f:') ? s.id : null; },
    stampAfter: (p: string, before: string | null): string | null => (before !== null && files.stamp(p)?.id === before && plain(p) ? before : null),
    // A file the walk saw settled, through real folders only, is known by the stamp it saw: no second lstat.
    same: (p: string, stamp: string | null): boolean => {
      if (stamp === null) return false;
      const seen = walked.get(p);
      return seen !== undefined ? seen === stamp : files.stamp(p)?.id === stamp && plain(p);
    },
  };
}

/** The stamps the walk saw (FoundFile.stamp), by path. */
function walkStamps(found: readonly FoundFile[]): Map<string, string> {
  const m = new Map<string, string>();
  for (const f of found) if (f.stamp) m.set(f.path, f.stamp.id);
  return m;
}

/**
 * Whether every recorded question gets the same answer now, asked without a word to the scan: the
 * ops, with the stamps of files checked by their content that have settled since (`stamped`), or
 * undefined.
 */
function stillHolds(ops: readonly Op[], ctx: ExtractContext, since: number, walked: ReadonlyMap<string, string>): { ops: Op[]; stamped: boolean } | undefined {
  const files = ctx.files;
  const { stampBefore, stampAfter, same } = stamps(files, since, walked);
  let stamped = false;
  /** Whether the file at `p` has the kept text: by its kept stamp, else by its content (and then its stamp is taken). */
  const holds = (p: string, stamp: string | null, sha: string, read: () => string | Buffer): [boolean, string | null] => {
    if (same(p, stamp)) return [true, stamp];
    const before = stampBefore(p);
    if (sha256(read()) !== sha) return [false, null];
    const after = stampAfter(p, before);
    if (after !== null) stamped = true;
    return [true, after];
  };
  const out: Op[] = [];
  try {
    for (const op of ops) {
      switch (op[0]) {
        // A file that was there is read (a file gone or refused now throws); one that was not must still not be.
        case 't': {
          if (op[3] === null) { if (files.exists(op[1])) return undefined; out.push(op); break; }
          const [ok, stamp] = holds(op[1], op[4], op[3], () => files.readTextSync(op[1], op[2]));
          if (!ok) return undefined;
          out.push(['t', op[1], op[2], op[3], stamp]);
          break;
        }
        case 'r': {
          const [ok, stamp] = holds(op[1], op[3], op[2], () => files.readTextSync(op[1]));
          if (!ok) return undefined;
          out.push(['r', op[1], op[2], stamp]);
          break;
        }
        case 'b': {
          if (op[3] === null) { if (files.exists(op[1])) return undefined; out.push(op); break; }
          const [ok, stamp] = holds(op[1], op[4], op[3], () => files.readBytesSync(op[1], op[2] === null ? {} : { limit: op[2] }));
          if (!ok) return undefined;
          out.push(['b', op[1], op[2], op[3], stamp]);
          break;
        }
        case 'd': if (files.isFolder(op[1]) !== op[2]) return undefined; out.push(op); break;
        case 'l': if (listFiles(files, op[1], op[2], (_, e) => { throw e; }).join('\n') !== op[3].join('\n')) return undefined; out.push(op); break;
        default: return undefined;
      }
    }
    return { ops: out, stamped };
  } catch {
    return undefined; // refused or gone now: the reading says why
  }
}
