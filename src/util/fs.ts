// Writes of user data: atomic, so a crash or a full disk never leaves a half-written file behind and
// never damages the file that was there. Reads of input files go through FileAccess (file-access.ts).
import { closeSync, fsyncSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';

/**
 * Every byte of `data` written to `fd`: writeSync may write fewer bytes than asked (a nearly full disk).
 * With `untilBlocked` (the command's own output), a full non-blocking pipe ends the loop: the bytes written are returned.
 */
export function writeAllSync(fd: number, data: string | Uint8Array, options: { untilBlocked?: boolean } = {}): number {
  const buf = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
  for (let off = 0; off < buf.length;) {
    let n: number;
    try { n = writeSync(fd, buf, off, buf.length - off); }
    catch (e) {
      // A non-blocking descriptor that is full: the caller finishes the write another way.
      if (options.untilBlocked && (e as NodeJS.ErrnoException).code === 'EAGAIN') return off;
      throw e;
    }
    // A write that makes no progress is a full disk the system did not name.
    if (n <= 0) throw Object.assign(new Error('no space left on device'), { code: 'ENOSPC' });
    off += n;
  }
  return buf.length;
}

/** The file written whole under a temporary name, flushed, then renamed over `path`. */
function atomically(path: string, mode: number, write: (fd: number) => void): void {
  // node:crypto taken on first write, not at load: most commands write nothing, and it costs ~10 ms to load.
  const tmp = join(dirname(path), `.${basename(path)}.${process.getBuiltinModule('node:crypto').randomBytes(6).toString('hex')}.tmp`);
  let fd: number | undefined;
  try {
    fd = openSync(tmp, 'wx', mode);
    write(fd);
    // Flushed before the rename: a full disk found only at write-back must not replace the old file.
    fsyncSync(fd);
    closeSync(fd);
    fd = undefined;
    renameSync(tmp, path);
  } catch (e) {
    if (fd !== undefined) { try { closeSync(fd); } catch { /* already failing */ } }
    rmSync(tmp, { force: true });
    const err = e as NodeJS.ErrnoException;
    throw new Error(`cannot write ${path}: ${err.code === 'ENOSPC' || err.code === 'EDQUOT' ? 'the disk is full' : err.message}; nothing was changed`);
  }
}

export function writeFileAtomic(path: string, data: string | Uint8Array, mode = 0o644): void {
  atomically(path, mode, (fd) => writeAllSync(fd, data));
}

/** writeFileAtomic for output made in pieces (a large SBOM): never held whole in memory. */
export function writeChunksAtomic(path: string, chunks: Iterable<string>, mode = 0o644): void {
  atomically(path, mode, (fd) => { for (const c of chunks) writeAllSync(fd, c); });
}

/** Map with at most `limit` calls in flight: reading 20,000 files at once runs out of file descriptors. */
export async function mapLimit<T, R>(items: readonly T[], limit: number, fn: (item: T, i: number) => Promise<R>): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  const worker = async () => { for (let i = next++; i < items.length; i = next++) out[i] = await fn(items[i]!, i); };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}
