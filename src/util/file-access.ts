// Confinement: the one way Marque opens a file whose path came from input — a scanned tree, a path in
// marque.yaml, a launch include, a policy's XInclude, a file beside a lockfile, an image layout's blob.
//
//   const files = FileAccess.within(productDir);            // roots: folders or single files
//   const text = files.readTextSync(resolve(productDir, p)); // refused unless it lies under a root
//
// A path is resolved with realpath (every symbolic link followed) and read only when the result lies
// under one of the roots, themselves resolved with realpath. Only regular files are read: the file is
// opened without blocking (O_NONBLOCK, so a FIFO cannot hang the open) and without following a link
// planted after the check (O_NOFOLLOW), then fstat decides; a FIFO, a device, a socket or a folder is
// refused. Reads are bounded. A refusal is an InputError that names the path as given and shows
// nothing of the file — the file was never opened.
//
// Nothing else in src/ opens input files: test/confinement.test.ts fails when a module outside the
// allowed list imports a reading function of node:fs.
import { closeSync, constants, fstatSync, lstatSync, openSync, readdirSync, readSync, realpathSync, type Dirent, type Stats } from 'node:fs';
import type { FileHandle } from 'node:fs/promises';
import { createHash } from 'node:crypto';
import { isAbsolute, relative, resolve, sep } from 'node:path';
import type { Readable } from 'node:stream';
import { InputError } from './errors.ts';
import { decodeText } from './encoding.ts';
import { fsPromises } from './lazy.ts';

/** Inputs larger than this are refused before they are read (MARQUE_MAX_INPUT_BYTES raises it). */
export function maxInputBytes(): number {
  return Number(process.env['MARQUE_MAX_INPUT_BYTES']) || 256 * 1024 * 1024;
}

/** Package files hashed as a stream (never held whole) are refused past this (MARQUE_MAX_ARTEFACT_BYTES raises it). */
export function maxArtefactBytes(): number {
  return Number(process.env['MARQUE_MAX_ARTEFACT_BYTES']) || 8 * 1024 ** 3;
}

/** Limits for inputs that are small by nature: a manifest or a policy of megabytes is not one. */
export const LIMITS = { manifest: 4 * 1024 * 1024, policy: 16 * 1024 * 1024, rosIndex: 32 * 1024 * 1024, small: 64 * 1024 } as const;

/** A path that resolves outside every allowed root: named, never opened. */
export class OutsideRootsError extends InputError {
  constructor(path: string, roots: readonly string[]) {
    super(`leads outside ${roots.length === 1 ? roots[0] : `the folders Marque may read here (${roots.join(', ')})`}; not read`, path);
  }
}

/** What a non-regular file is, for the message that refuses it. */
export function fileKind(st: Pick<Stats, 'isFile' | 'isDirectory' | 'isFIFO' | 'isCharacterDevice' | 'isBlockDevice' | 'isSocket' | 'isSymbolicLink'>): string {
  return st.isFile() ? 'a file' : st.isDirectory() ? 'a folder' : st.isFIFO() ? 'a FIFO' : st.isCharacterDevice() ? 'a character device' : st.isBlockDevice() ? 'a block device' : st.isSocket() ? 'a socket' : st.isSymbolicLink() ? 'a symbolic link' : 'a special file';
}

const notRegular = (path: string, st: Stats) => new InputError(`is ${fileKind(st)}, not a regular file; not read`, path);
const missing = (path: string, e: unknown) => {
  const code = (e as NodeJS.ErrnoException).code;
  return new InputError(code === 'ENOENT' || code === 'ENOTDIR' ? 'no such file' : code === 'EACCES' || code === 'EPERM' ? 'permission denied' : code === 'ELOOP' ? 'too many levels of symbolic links' : `cannot read (${code ?? (e as Error).message})`, path);
};
const tooBig = (path: string, limit: number, size?: number) => new InputError(size !== undefined
  ? `file is ${size} bytes, over the ${limit}-byte limit; not read (MARQUE_MAX_INPUT_BYTES raises the general limit)`
  : `more than ${limit} bytes; not read`, path);

// Regular files only, opened without blocking and without following a final link.
const OPEN_FLAGS = constants.O_RDONLY | constants.O_NONBLOCK | constants.O_NOFOLLOW;

/** Whether `path` (a real path) is `root` or lies under it. */
export function isUnder(path: string, root: string): boolean {
  const rel = relative(root, path);
  return rel === '' || (!isAbsolute(rel) && rel !== '..' && !rel.startsWith(`..${sep}`));
}

function realOrResolved(p: string): string {
  try { return realpathSync.native(p); } catch { return resolve(p); }
}

const CHUNK = 1 << 16;


/**
 * The buffers of one bounded read: first one of the file's size plus one byte (to see a file that
 * grows while read), then chunks (one byte after a short read); until a read finds nothing; past
 * `limit` the read is refused, never truncated.
 */
class Bounded {
  private readonly chunks: Buffer[] = [];
  private total = 0;
  private last: Buffer | undefined;
  private done = false;
  /** The last read filled less than its buffer: the file is most likely at its end. */
  private short = false;
  private readonly path: string;
  private readonly limit: number;
  private readonly size: number;
  constructor(path: string, limit: number, size: number) {
    if (size > limit) throw tooBig(path, limit, size);
    this.path = path; this.limit = limit; this.size = size;
  }
  /** The buffer to read into next, or undefined once the end was met. */
  next(): Buffer | undefined {
    if (this.done) return undefined;
    // After a short read, one byte says whether the file is at its end (it nearly always is) without
    // a 64 KiB buffer for every file read: hundreds of files made that much garbage for nothing.
    this.last = Buffer.allocUnsafe(this.chunks.length ? Math.min(this.short ? 1 : CHUNK, this.limit + 1 - this.total) : Math.min(this.size + 1, this.limit + 1));
    return this.last;
  }
  took(n: number): void {
    if (n === 0) { this.done = true; return; }
    this.total += n;
    this.short = n < this.last!.length;
    if (this.total > this.limit) throw tooBig(this.path, this.limit);
    this.chunks.push(n === this.last!.length ? this.last! : this.last!.subarray(0, n));
  }
  bytes(): Buffer {
    return this.chunks.length === 1 ? this.chunks[0]! : Buffer.concat(this.chunks, this.total);
  }
}

/** FileAccess.stamp's answer: `id` changes when the file or folder does, once it is settled. */
export interface Stamp { id: string; ctimeMs: number }

/**
 * Time stamps have a grain (two seconds on FAT, a clock tick elsewhere): a change within the grain of
 * the last one may leave them as they were. A stamp is trusted only when its change time lies this far
 * before the moment its answer was taken (git's "racily clean" entries, the same rule).
 */
export const STAMP_GRAIN_MS = 2000;

/** The stamp of what an lstat saw (FileAccess.stamp): undefined for a link or anything but a file or a folder. */
export function stampOf(st: Stats): Stamp | undefined {
  // Milliseconds as doubles (a fraction of a microsecond lost, where BigInt stats cost twice the
  // time): two changes that close together are within the grain settledStamp already allows for.
  const kind = st.isFile() ? 'f' : st.isDirectory() ? 'd' : undefined;
  if (!kind) return undefined;
  return { id: `${kind}:${st.dev}:${st.ino}:${st.size}:${st.mtimeMs}:${st.ctimeMs}`, ctimeMs: st.ctimeMs };
}

/** Whether a stamp taken when an answer was taken, at `since` (ms since the epoch) or later, may stand for the answer. */
export function settledStamp(s: Stamp | undefined, since: number): s is Stamp {
  return s !== undefined && s.ctimeMs < since - STAMP_GRAIN_MS;
}

export interface ReadOptions {
  /** Bytes at most (default MARQUE_MAX_INPUT_BYTES, 256 MiB). */
  limit?: number;
}

/** Reads of files under a set of roots, and nothing else. Immutable: `and` makes a wider one. */
export class FileAccess {
  /** The roots as real paths (a folder and all below it, or a single file). */
  readonly roots: readonly string[];

  private constructor(roots: readonly string[]) {
    this.roots = [...new Set(roots)];
    this.prefixes = this.roots.map((r) => (r.endsWith(sep) ? r : r + sep));
  }

  /** Each root followed by the separator: what a path under it starts with. */
  private readonly prefixes: readonly string[];

  /**
   * Access to the files under `roots`: folders (the scanned tree, the product folder, an installed
   * distribution's share folder) or single files (a path the user named on the command line).
   */
  static within(...roots: string[]): FileAccess {
    return new FileAccess(roots.map(realOrResolved));
  }

  /** The same roots and these. */
  and(...roots: string[]): FileAccess {
    return new FileAccess([...this.roots, ...roots.map(realOrResolved)]);
  }

  private under(real: string): boolean {
    // Both sides are absolute and normalised (real paths, or resolved): a prefix says it, without path.relative.
    for (let i = 0; i < this.roots.length; i++) if (real === this.roots[i] || real.startsWith(this.prefixes[i]!)) return true;
    return false;
  }

  /** The real path of `path` when it exists and lies under a root; otherwise an InputError naming `path`. */
  resolve(path: string): string {
    let real: string;
    // The C library's realpath: Node's own (realpathSync) takes an lstat per path component, in
    // JavaScript, and cost the ROS 2 core workspace's ~750 resolutions 0.1 s of CPU.
    try { real = realpathSync.native(path); } catch (e) {
      // A missing file under a link that leads out is still "outside": say that, not "missing".
      const near = realOrResolved(resolve(path, '..'));
      if (!this.under(near)) throw new OutsideRootsError(path, this.roots);
      throw missing(path, e);
    }
    if (!this.under(real)) throw new OutsideRootsError(path, this.roots);
    return real;
  }

  /** The same, without throwing: undefined when the path is missing or outside the roots. */
  locate(path: string): string | undefined {
    try { return this.resolve(path); } catch { return undefined; }
  }

  /** Whether `path` may be read: it lies under a root, or would if it existed. */
  allows(path: string): boolean {
    try { this.resolve(path); return true; } catch (e) { return !(e instanceof OutsideRootsError); }
  }

  /** Whether anything is at `path` (a link is not followed): what is there may still be refused when read. */
  exists(path: string): boolean {
    try { lstatSync(path); return true; } catch { return false; }
  }

  /**
   * The real path of a regular file under a root, for the few readers that must open a file by its
   * path themselves (SQLite databases): the check is the same as for a read.
   */
  regularFile(path: string): string {
    const real = this.resolve(path);
    let st: Stats;
    try { st = lstatSync(real); } catch (e) { throw missing(path, e); }
    if (!st.isFile()) throw notRegular(path, st);
    return real;
  }

  /** Whether `path` is a regular file under a root (a FIFO or a link out is not). */
  isFile(path: string): boolean {
    const real = this.locate(path);
    if (!real) return false;
    try { return lstatSync(real).isFile(); } catch { return false; }
  }

  /**
   * What says whether a file or a folder changed, without reading it (one lstat): kind,
   * device, inode, size, modification and change times. Undefined for a link, anything but a file or
   * a folder, or nothing. A kept answer is trusted on its stamp only once it is settled (settledStamp).
   */
  stamp(path: string): Stamp | undefined {
    let st;
    try { st = lstatSync(path, { throwIfNoEntry: false }); } catch { return undefined; }
    return st && stampOf(st);
  }

  /**
   * A test of paths for one pass over a tree: whether a path lies under a root through real folders
   * only (no link on the way, each folder below the root asked once), so that what is at it is under
   * the root without resolving it. A path with a link on the way is not plain, though it may be allowed.
   */
  plainPaths(): (path: string) => boolean {
    const folders = new Map<string, boolean>();
    const folderIsPlain = (dir: string): boolean => {
      let known = folders.get(dir);
      if (known !== undefined) return known;
      if (this.roots.includes(dir)) known = true;
      else if (!this.under(dir)) known = false;
      else {
        const cut = dir.lastIndexOf(sep);
        let isFolder = false;
        try { isFolder = lstatSync(dir).isDirectory(); } catch { /* gone: not plain */ }
        known = isFolder && cut > 0 && folderIsPlain(dir.slice(0, cut));
      }
      folders.set(dir, known);
      return known;
    };
    return (path) => {
      const cut = path.lastIndexOf(sep);
      return cut > 0 && this.under(path) && folderIsPlain(path.slice(0, cut));
    };
  }

  /** Whether `path` is a folder under a root. */
  isFolder(path: string): boolean {
    const real = this.locate(path);
    if (!real) return false;
    try { return lstatSync(real).isDirectory(); } catch { return false; }
  }

  /** The entries of a folder under a root (entries are not checked: read them through this access). */
  list(dir: string): Dirent[] {
    const real = this.resolve(dir);
    let st: Stats;
    try { st = lstatSync(real); } catch (e) { throw missing(dir, e); }
    if (!st.isDirectory()) throw new InputError(`is ${fileKind(st)}, not a folder`, dir);
    try { return readdirSync(real, { withFileTypes: true }); } catch (e) { throw missing(dir, e); }
  }

  /** Bytes of a regular file under a root, at most `limit`. */
  readBytesSync(path: string, options: ReadOptions = {}): Buffer {
    const limit = options.limit ?? maxInputBytes();
    const real = this.resolve(path);
    let fd: number;
    try { fd = openSync(real, OPEN_FLAGS); } catch (e) { throw missing(path, e); }
    try {
      const st = fstatSync(fd);
      if (!st.isFile()) throw notRegular(path, st);
      const into = new Bounded(path, limit, st.size);
      for (let buf = into.next(); buf; buf = into.next()) into.took(readSync(fd, buf, 0, buf.length, null));
      return into.bytes();
    } finally {
      closeSync(fd);
    }
  }

  /** Text of a regular file under a root: UTF-8, or UTF-16/32 told by its byte order mark. */
  readTextSync(path: string, limit?: number): string {
    return decodeText(this.readBytesSync(path, { limit }));
  }

  /** The text of a file, or undefined when nothing is at `path`; a file that is there but refused still throws. */
  readIfPresentSync(path: string, limit?: number): string | undefined {
    if (!this.exists(path)) return undefined;
    return this.readTextSync(path, limit);
  }

  /** readBytesSync without blocking the event loop. */
  async readBytes(path: string, options: ReadOptions = {}): Promise<Buffer> {
    const limit = options.limit ?? maxInputBytes();
    const { fh, size: known } = await this.open(path);
    try {
      const into = new Bounded(path, limit, known);
      for (let buf = into.next(); buf; buf = into.next()) into.took((await fh.read(buf, 0, buf.length, null)).bytesRead);
      return into.bytes();
    } finally {
      await fh.close();
    }
  }

  /** readTextSync without blocking the event loop. */
  async readText(path: string, limit?: number): Promise<string> {
    return decodeText(await this.readBytes(path, { limit }));
  }

  /**
   * An opened regular file under a root, for reading as a stream (an image tarball, a layer blob).
   * `noLink`: refuse the path when it is itself a symbolic link, even one that stays inside (an OCI
   * blob is a file named by its digest, never a link).
   */
  async openHandle(path: string, options: { noLink?: boolean } = {}): Promise<FileHandle> {
    return (await this.open(path, options)).fh;
  }

  private async open(path: string, options: { noLink?: boolean } = {}): Promise<{ fh: FileHandle; size: number }> {
    if (options.noLink) {
      let st: Stats;
      try { st = lstatSync(path); } catch (e) { throw missing(path, e); }
      if (st.isSymbolicLink()) throw new InputError('is a symbolic link; not followed', path);
    }
    const real = await this.resolveAsync(path);
    let fh: FileHandle;
    try { fh = await fsPromises().open(real, OPEN_FLAGS); } catch (e) { throw missing(path, e); }
    try {
      const st = await fh.stat();
      if (!st.isFile()) throw notRegular(path, st);
      return { fh, size: st.size };
    } catch (e) {
      await fh.close();
      throw e;
    }
  }

  /**
   * Digests of a regular file under a root ("sha512", "sha256", ... as node:crypto names them), read
   * as a stream in one pass: the file is never held whole, and one that is, or grows, past `limit`
   * is refused.
   */
  async digest(path: string, algs: readonly string[], options: ReadOptions = {}): Promise<Record<string, string>> {
    const limit = options.limit ?? maxInputBytes();
    const { fh, size } = await this.open(path);
    try {
      if (size > limit) throw tooBig(path, limit, size);
      const hashes = algs.map((a) => [a, createHash(a)] as const);
      const buf = Buffer.allocUnsafe(Math.min(1 << 20, Math.max(size, 1)));
      for (let total = 0; ;) {
        const { bytesRead } = await fh.read(buf, 0, buf.length, null);
        if (bytesRead === 0) break;
        total += bytesRead;
        if (total > limit) throw tooBig(path, limit);
        const chunk = buf.subarray(0, bytesRead);
        for (const [, h] of hashes) h.update(chunk);
      }
      return Object.fromEntries(hashes.map(([a, h]) => [a, h.digest('hex')]));
    } finally {
      await fh.close();
    }
  }

  /** openHandle as a plain file descriptor, for libraries that take one (yauzl); the caller closes it. */
  openFdSync(path: string): number {
    const real = this.resolve(path);
    let fd: number;
    try { fd = openSync(real, OPEN_FLAGS); } catch (e) { throw missing(path, e); }
    const st = fstatSync(fd);
    if (!st.isFile()) { closeSync(fd); throw notRegular(path, st); }
    return fd;
  }

  /** A stream of an opened regular file under a root; the stream closes the file when it ends. */
  async openStream(path: string, options: { noLink?: boolean } = {}): Promise<{ stream: Readable; size: number }> {
    const { fh, size } = await this.open(path, options);
    return { stream: fh.createReadStream({ autoClose: true }), size };
  }

  private async resolveAsync(path: string): Promise<string> {
    let real: string;
    try { real = await fsPromises().realpath(path); } catch (e) {
      if (!this.under(realOrResolved(resolve(path, '..')))) throw new OutsideRootsError(path, this.roots);
      throw missing(path, e);
    }
    if (!this.under(real)) throw new OutsideRootsError(path, this.roots);
    return real;
  }
}
