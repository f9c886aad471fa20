// Reading a catalog file as the distributions publish it: plain, or compressed the way apt stores
// its lists (.gz, .xz, .lz4). The compression is told by the file's magic bytes, not its name, and
// both the file and what it unpacks to are capped before any byte is trusted.
import { createRequire } from 'node:module';
import { InputError } from '../util/errors.ts';
import { FileAccess } from '../util/file-access.ts';
import { gunzipBounded } from '../util/inflate.ts';

const require = createRequire(import.meta.url);

/** A rosdistro cache is ~50 MiB unpacked at most (rolling) and Debian's main Packages ~50 MiB; these leave room. */
export const MAX_CATALOG_FILE_BYTES = 256 * 1024 * 1024;
export const MAX_CATALOG_UNPACKED_BYTES = 512 * 1024 * 1024;
export const MAX_ROS_CACHE_UNPACKED_BYTES = 128 * 1024 * 1024;

/** How far a catalog may unpack, by its name: a rosdistro cache is far smaller than the largest apt index. */
export function unpackLimitOf(name: string): number {
  return /-cache\.ya?ml(\.gz)?$/.test(name) ? MAX_ROS_CACHE_UNPACKED_BYTES : MAX_CATALOG_UNPACKED_BYTES;
}

/** The bytes of a catalog file the caller names (a root in itself: a regular file, at most MAX_CATALOG_FILE_BYTES). */
export function readCapped(path: string, limit = MAX_CATALOG_FILE_BYTES): Promise<Buffer> {
  return FileAccess.within(path).readBytes(path, { limit });
}

export type Compression = 'gzip' | 'xz' | 'lz4' | 'none';

export function compressionOf(data: Uint8Array): Compression {
  if (data[0] === 0x1f && data[1] === 0x8b) return 'gzip';
  if (data[0] === 0xfd && data[1] === 0x37 && data[2] === 0x7a && data[3] === 0x58 && data[4] === 0x5a && data[5] === 0x00) return 'xz';
  if (data[0] === 0x04 && data[1] === 0x22 && data[2] === 0x4d && data[3] === 0x18) return 'lz4';
  return 'none';
}

/** The file's text, unpacked when compressed. */
export async function readCatalogText(path: string, limit = unpackLimitOf(path)): Promise<string> {
  return unpackCatalog(await readCapped(path), path, limit);
}

/** The text of a catalog's bytes (`path` names it in errors), unpacked when compressed. */
export function unpackCatalog(raw: Buffer, path: string, limit = unpackLimitOf(path)): string {
  const kind = compressionOf(raw);
  let out: Uint8Array;
  try {
    switch (kind) {
      // Counted while inflating: a bomb stops at the limit.
      case 'gzip': out = gunzipBounded(raw, limit, path); break;
      case 'xz':
        if (xzUnpackedSize(raw) > limit) throw new InputError(`unpacks to more than the ${limit}-byte limit`, path);
        out = (require('@napi-rs/lzma') as { xz: { decompressSync(b: Uint8Array): Buffer } }).xz.decompressSync(raw); break;
      case 'lz4':
        if ((require('lz4js') as { decompressBound(b: Uint8Array): number }).decompressBound(raw) > limit) throw new InputError(`may unpack to more than the ${limit}-byte limit`, path);
        out = (require('lz4js') as { decompress(b: Uint8Array, max?: number): Uint8Array }).decompress(raw); break;
      default: out = raw;
    }
  } catch (e) {
    if (e instanceof InputError) throw e;
    if ((e as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE') throw new InputError(`unpacks to more than the ${limit}-byte limit`, path);
    throw new InputError(`cannot unpack ${kind} data: ${(e as Error).message}`, path);
  }
  if (out.length > limit) throw new InputError(`unpacks to more than the ${limit}-byte limit`, path);
  let text = Buffer.from(out.buffer, out.byteOffset, out.length).toString('utf8');
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  return text;
}

/**
 * Uncompressed size an .xz file declares in the index of its last stream (xz file format 1.0.4,
 * §4 and §2.1.2), read before unpacking so that a small bomb is refused. Infinity when unreadable.
 */
export function xzUnpackedSize(data: Uint8Array): number {
  const n = data.length;
  if (n < 24 || data[n - 2] !== 0x59 || data[n - 1] !== 0x5a) return Infinity;
  const backward = (data[n - 8]! | (data[n - 7]! << 8) | (data[n - 6]! << 16) | (data[n - 5]! << 24)) >>> 0;
  const indexSize = (backward + 1) * 4;
  let p = n - 12 - indexSize;
  if (p < 12 || data[p] !== 0x00) return Infinity;
  p++;
  const varint = (): number => {
    let v = 0;
    for (let i = 0, mul = 1; i < 9; i++, mul *= 128) {
      const b = data[p++];
      if (b === undefined) return NaN;
      v += (b & 0x7f) * mul;
      if (!(b & 0x80)) return v;
    }
    return NaN;
  };
  const records = varint();
  let total = 0;
  for (let i = 0; i < records; i++) {
    varint();
    total += varint();
  }
  // Concatenated streams would declare more sizes before this one; refuse what cannot be bounded.
  return Number.isFinite(total) && n - 12 - indexSize > 12 ? total : Infinity;
}
