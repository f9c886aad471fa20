// Reads and writes of user data: reads are bounded (pipes and devices too), writes are atomic so a
// crash never leaves a half-written file behind.
import { randomBytes } from 'node:crypto';
import { closeSync, fstatSync, openSync, readSync, renameSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { InputError } from './errors.ts';
import { basename, dirname, join } from 'node:path';

export function writeFileAtomic(path: string, data: string | Uint8Array, mode = 0o644): void {
  const tmp = join(dirname(path), `.${basename(path)}.${randomBytes(6).toString('hex')}.tmp`);
  try {
    writeFileSync(tmp, data, { mode });
    renameSync(tmp, path);
  } catch (e) {
    // A full disk or a missing folder leaves neither a partial file nor the old one damaged.
    rmSync(tmp, { force: true });
    const err = e as NodeJS.ErrnoException;
    throw new Error(`cannot write ${path}: ${err.code === 'ENOSPC' ? 'the disk is full' : err.message}; nothing was changed`);
  }
}

/** writeFileAtomic for output made in pieces (a large SBOM): never held whole in memory. */
export function writeChunksAtomic(path: string, chunks: Iterable<string>, mode = 0o644): void {
  const tmp = join(dirname(path), `.${basename(path)}.${randomBytes(6).toString('hex')}.tmp`);
  let fd: number | undefined;
  try {
    fd = openSync(tmp, 'w', mode);
    for (const c of chunks) writeSync(fd, c);
    closeSync(fd);
    fd = undefined;
    renameSync(tmp, path);
  } catch (e) {
    if (fd !== undefined) closeSync(fd);
    rmSync(tmp, { force: true });
    const err = e as NodeJS.ErrnoException;
    throw new Error(`cannot write ${path}: ${err.code === 'ENOSPC' ? 'the disk is full' : err.message}; nothing was changed`);
  }
}

/** Inputs larger than this are refused before they are read (MARQUE_MAX_INPUT_BYTES raises it). */
export function maxInputBytes(): number {
  return Number(process.env['MARQUE_MAX_INPUT_BYTES']) || 256 * 1024 * 1024;
}

/** Limits for inputs that are small by nature: a manifest or a policy of megabytes is not one. */
export const LIMITS = { manifest: 4 * 1024 * 1024, policy: 16 * 1024 * 1024, rosIndex: 32 * 1024 * 1024, small: 64 * 1024 } as const;

const CHUNK = 1 << 16;

function tooBig(path: string, limit: number, size?: number): InputError {
  return new InputError(size !== undefined
    ? `file is ${size} bytes, over the ${limit}-byte limit; not read (MARQUE_MAX_INPUT_BYTES raises the general limit)`
    : `more than ${limit} bytes (a device or an endless stream?); not read`, path);
}

/**
 * Text of a file, read with a limit that holds for pipes and devices too: the size is checked
 * before reading when the file has one, and the read stops at the limit when it has not
 * (/dev/zero, a FIFO), so no input makes Marque allocate without bound.
 */
export function readTextSync(path: string, limit = maxInputBytes()): string {
  const fd = openSync(path, 'r');
  try {
    const st = fstatSync(fd);
    if (st.isDirectory()) throw new InputError('is a folder, not a file', path);
    if (st.isFile() && st.size > limit) throw tooBig(path, limit, st.size);
    const chunks: Buffer[] = [];
    let total = 0;
    // A regular file is read in one buffer of its size (plus one byte, to see it grow); others in chunks.
    const first = st.isFile() ? Math.min(st.size + 1, limit + 1) : Math.min(CHUNK, limit + 1);
    for (;;) {
      const buf = Buffer.allocUnsafe(chunks.length ? Math.min(CHUNK, limit + 1 - total) : first);
      const n = readSync(fd, buf, 0, buf.length, null);
      if (n === 0) break;
      total += n;
      if (total > limit) throw tooBig(path, limit);
      chunks.push(n === buf.length ? buf : buf.subarray(0, n));
    }
    return Buffer.concat(chunks, total).toString('utf8');
  } finally {
    closeSync(fd);
  }
}

/** The same, without blocking the event loop. */
export async function readText(path: string, limit = maxInputBytes()): Promise<string> {
  const fh = await open(path, 'r');
  try {
    const st = await fh.stat();
    if (st.isDirectory()) throw new InputError('is a folder, not a file', path);
    if (st.isFile() && st.size > limit) throw tooBig(path, limit, st.size);
    const chunks: Buffer[] = [];
    let total = 0;
    const first = st.isFile() ? Math.min(st.size + 1, limit + 1) : Math.min(CHUNK, limit + 1);
    for (;;) {
      const buf = Buffer.allocUnsafe(chunks.length ? Math.min(CHUNK, limit + 1 - total) : first);
      const { bytesRead } = await fh.read(buf, 0, buf.length, null);
      if (bytesRead === 0) break;
      total += bytesRead;
      if (total > limit) throw tooBig(path, limit);
      chunks.push(bytesRead === buf.length ? buf : buf.subarray(0, bytesRead));
    }
    return Buffer.concat(chunks, total).toString('utf8');
  } finally {
    await fh.close();
  }
}

/** Map with at most `limit` calls in flight: reading 20,000 files at once runs out of file descriptors. */
export async function mapLimit<T, R>(items: readonly T[], limit: number, fn: (item: T, i: number) => Promise<R>): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  const worker = async () => { for (let i = next++; i < items.length; i = next++) out[i] = await fn(items[i]!, i); };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}
