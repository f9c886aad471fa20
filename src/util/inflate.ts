// Decompression with a ceiling: bytes are counted while they are inflated, so a compression bomb (a
// few kB that unpack to gigabytes) ends with a message naming the file as soon as it passes the
// limit, never after the whole output was held in memory.
import { Transform } from 'node:stream';
import { InputError } from './errors.ts';

const over = (file: string, limit: number) => new InputError(`unpacks to more than the ${limit}-byte limit (a compression bomb?); not read`, file);

/** A pass-through that fails once more than `limit` bytes went through it (put it after a decompressor). */
export function byteLimit(limit: number, file: string): Transform {
  let total = 0;
  return new Transform({
    transform(chunk: Buffer, _enc, done) {
      total += chunk.length;
      if (total > limit) done(over(file, limit)); else done(null, chunk);
    },
  });
}

/** gunzip of a whole buffer: zlib stops inflating at `limit` bytes (maxOutputLength) instead of growing without bound. */
export function gunzipBounded(raw: Uint8Array, limit: number, file: string): Buffer {
  try {
    // node:zlib taken when a file is unpacked, not when this module loads (it costs ~7 ms to load).
    return process.getBuiltinModule('node:zlib').gunzipSync(raw, { maxOutputLength: limit });
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE') throw over(file, limit);
    throw new InputError(`cannot unpack gzip data: ${(e as Error).message}`, file);
  }
}
