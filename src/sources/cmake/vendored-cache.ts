// What the CMake reading of a workspace found (vendored.ts), kept between runs. The reading is a
// function of the files it reads: the reading records each question it asked the tree (a file's
// text, a folder's presence or listing) with the answer (the SHA-256 of the text), and a later run
// asks the same questions again, silently: when every answer is the same, so is the reading, and
// what was kept is returned without interpreting any CMake. Checking costs one read of each file
// the reading read, not the interpreting (a third of the ROS 2 core workspace's inventory).
//
// Safe by construction: kept only by an installed build and for that build (a clone's code changes
// between runs); keyed by everything else the reading is given (the walk's file list with sizes,
// the entries, the package folders, the platform); the entry's body carries its own SHA-256, so a
// damaged file is ignored; written atomically; a reading that met a file it could not read (a link
// out of the tree, a FIFO: said as problems) is not kept. One file per workspace, holding the last
// reading, under $MARQUE_CACHE_DIR/cmake/.
import { createHash, hash } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Problem } from '../../model/inventory.ts';
import type { Platform } from '../../model/platforms.ts';
import { FileAccess } from '../../util/file-access.ts';
import { writeFileAtomic } from '../../util/fs.ts';
import { cacheDir } from '../../util/yaml.ts';
import type { ExtractContext, FoundFile } from '../extractor.ts';
import { listFiles, scannedTree, type TreeAccess } from './tree-access.ts';

const FORMAT = 1;

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

/** A question asked of the tree and its answer: text (t), a walk's file (r), bytes (b), folder (d), listing (l). */
type Op =
  | ['t', string, number, string | null]
  | ['r', string, string]
  | ['b', string, number | null, string | null]
  | ['d', string, boolean]
  | ['l', string, number, string[]];

interface Kept { ops: Op[]; problems: Problem[]; result: unknown }

const sha256 = (data: string | Uint8Array) => hash('sha256', data, 'hex');

/** The key of the inputs (not of the files read: those are checked one by one). */
export function inputsKey(i: ReadingInputs): string {
  const h = createHash('sha256');
  h.update(JSON.stringify([FORMAT, i.build, i.root, i.platform, i.entries.map((e) => [e.dir, e.purl]), [...i.packageDirs].sort()]));
  for (const f of i.files) h.update(`\n${f.rel}\0${f.path}\0${f.size}`);
  return h.digest('hex');
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
export async function cachedReading<T>(inputs: ReadingInputs, ctx: ExtractContext, compute: (tree: TreeAccess, ctx: ExtractContext) => Promise<T>): Promise<T> {
  const key = inputsKey(inputs);
  const path = keptPath(inputs.root);
  const kept = load(path, inputs.build, key);
  if (kept && stillHolds(kept.ops, ctx)) {
    for (const op of kept.ops) if ((op[0] === 't' && op[3] !== null) || op[0] === 'r') ctx.countInput(op[1], op[0] === 't' ? op[3]! : op[2]);
    for (const p of kept.problems) ctx.problem(p);
    return kept.result as T;
  }

  const ops = new Map<string, Op>();
  const problems: Problem[] = [];
  let refusals = 0;
  const reading: ExtractContext = { ...ctx, problem: (p) => { problems.push(p); ctx.problem(p); } };
  const tree = scannedTree(reading, () => { refusals++; });
  const note = (id: string, op: Op) => { if (!ops.has(id)) ops.set(id, op); };
  const recording: TreeAccess = {
    text: (p, limit) => { const t = tree.text(p, limit); note(`t\0${p}\0${limit}`, ['t', p, limit, t === undefined ? null : sha256(t)]); return t; },
    read: async (f) => { const t = await tree.read(f); if (t !== undefined) note(`r\0${f.path}`, ['r', f.path, sha256(t)]); return t; },
    bytes: (p, limit) => { const b = tree.bytes(p, limit); note(`b\0${p}\0${limit}`, ['b', p, limit ?? null, b === undefined ? null : sha256(b)]); return b; },
    isFolder: (p) => { const d = tree.isFolder(p); note(`d\0${p}`, ['d', p, d]); return d; },
    listFiles: (dir, depth) => { const l = tree.listFiles(dir, depth); note(`l\0${dir}\0${depth}`, ['l', dir, depth, l]); return l; },
  };
  const result = await compute(recording, reading);
  // Kept as it is now: the caller may change the objects it gets.
  if (!refusals) save(path, inputs.build, key, { ops: [...ops.values()], problems, result });
  return result;
}

function load(path: string, build: string, key: string): Kept | undefined {
  try {
    const text = FileAccess.within(join(path, '..')).readIfPresentSync(path);
    if (text === undefined) return undefined;
    const eol = text.indexOf('\n');
    const header = JSON.parse(text.slice(0, eol)) as { format?: unknown; build?: unknown; key?: unknown; sha256?: unknown };
    const body = text.slice(eol + 1);
    if (header.format !== FORMAT || header.build !== build || header.key !== key || header.sha256 !== sha256(body)) return undefined;
    const kept = JSON.parse(body) as Kept;
    return Array.isArray(kept.ops) && Array.isArray(kept.problems) && kept.result !== undefined ? kept : undefined;
  } catch {
    return undefined; // unreadable or damaged: read the CMake files
  }
}

function save(path: string, build: string, key: string, kept: Kept): void {
  try {
    const body = JSON.stringify(kept);
    mkdirSync(join(path, '..'), { recursive: true });
    writeFileAtomic(path, `${JSON.stringify({ format: FORMAT, build, key, sha256: sha256(body) })}\n${body}`);
  } catch {
    // a read-only or full cache only costs speed
  }
}

/** Whether every recorded question gets the same answer now, asked without a word to the scan. */
function stillHolds(ops: readonly Op[], ctx: ExtractContext): boolean {
  const files = ctx.files;
  try {
    for (const op of ops) {
      switch (op[0]) {
        // A file that was there is read (a file gone or refused now throws); one that was not must still not be.
        case 't': if (op[3] === null ? files.exists(op[1]) : sha256(files.readTextSync(op[1], op[2])) !== op[3]) return false; break;
        case 'r': if (sha256(files.readTextSync(op[1])) !== op[2]) return false; break;
        case 'b': if (op[3] === null ? files.exists(op[1]) : sha256(files.readBytesSync(op[1], op[2] === null ? {} : { limit: op[2] })) !== op[3]) return false; break;
        case 'd': if (files.isFolder(op[1]) !== op[2]) return false; break;
        case 'l': if (listFiles(files, op[1], op[2], (_, e) => { throw e; }).join('\n') !== op[3].join('\n')) return false; break;
        default: return false;
      }
    }
    return true;
  } catch {
    return false; // refused or gone now: the reading says why
  }
}
