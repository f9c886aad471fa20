// rpm's NDB package database ("Packages.db": SUSE Linux Enterprise 15, openSUSE Leap 15), read-only,
// written by hand from the format's facts (rpm's lib/backend/ndb/rpmpkg.c; no code copied). All
// numbers are little-endian. A 32-byte header ("RpmP", version 0, generation, the number of 4 KiB
// slot pages); then the slot pages, 16-byte slots after the header: "Slot", the package's index, the
// offset and the length of its blob in 16-byte blocks (offset 0: a free slot). A blob: "BlbS", the
// package's index, a time stamp and the header's length; the header; padding; a 12-byte tail (an
// Adler-32, the length again, "BlbE"). Packages are listed by blob offset, as rpm lists them.
//
// Defensive: every slot's blob must lie after the slot pages and inside the file, start with its
// head naming the slot's package, end with its tail, and no two blobs overlap (the blobs read add up
// to no more than the file). Anything else is an InputError naming the file, the slot and the offset.
import { InputError } from '../../util/errors.ts';

const MAGIC = 0x506d7052, SLOT = 0x746f6c53, BLOB_HEAD = 0x53626c42, BLOB_TAIL = 0x45626c42; // "RpmP" "Slot" "BlbS" "BlbE"
const PAGE = 4096, BLK = 16, HEAD = 16, TAIL = 12;

/** The package headers of an NDB database, each with its package index, in blob order. */
export function readNdb(data: Uint8Array, file: string): { hnum: number; blob: Buffer }[] {
  const b = Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  const fail = (message: string) => new InputError(`NDB: ${message}`, file);
  if (b.length < PAGE) throw fail(`${b.length} bytes, shorter than the 4096-byte first slot page`);
  if (b.readUInt32LE(0) !== MAGIC) throw fail(`not an rpm NDB database (magic 0x${b.readUInt32LE(0).toString(16)} at byte 0, not "RpmP")`);
  if (b.readUInt32LE(4) !== 0) throw fail(`version ${b.readUInt32LE(4)}; version 0 is read`);
  const slotPages = b.readUInt32LE(12);
  if (slotPages === 0 || slotPages * PAGE > b.length) throw fail(`the header names ${slotPages} slot pages, not within the file's ${b.length} bytes: truncated?`);
  if (b.length % BLK !== 0) throw fail(`${b.length} bytes, not whole 16-byte blocks: truncated?`);
  const blocks = b.length / BLK, firstBlock = slotPages * (PAGE / BLK);
  const slots: { at: number; pkg: number; off: number; count: number }[] = [];
  for (let at = 32; at < slotPages * PAGE; at += 16) {
    if (b.readUInt32LE(at) !== SLOT) throw fail(`slot at byte ${at}: no "Slot" magic`);
    const pkg = b.readUInt32LE(at + 4), off = b.readUInt32LE(at + 8), count = b.readUInt32LE(at + 12);
    if (off === 0) continue;
    if (pkg === 0 || count === 0 || off < firstBlock || off + count > blocks) throw fail(`slot at byte ${at} (package ${pkg}): blocks ${off} to ${off + count} are not between the slot pages' end (${firstBlock}) and the file's (${blocks})`);
    slots.push({ at, pkg, off, count });
  }
  slots.sort((x, y) => x.off - y.off);
  const out: { hnum: number; blob: Buffer }[] = [];
  let end = firstBlock;
  for (const s of slots) {
    const where = `package ${s.pkg} (slot at byte ${s.at}, blob at byte ${s.off * BLK})`;
    if (s.off < end) throw fail(`${where}: overlaps the blob before it`);
    end = s.off + s.count;
    const start = s.off * BLK, stop = end * BLK;
    if (s.count * BLK < HEAD + TAIL || b.readUInt32LE(start) !== BLOB_HEAD) throw fail(`${where}: no blob head ("BlbS") there`);
    if (b.readUInt32LE(start + 4) !== s.pkg) throw fail(`${where}: the blob says it is package ${b.readUInt32LE(start + 4)}`);
    const len = b.readUInt32LE(start + 12);
    if (s.count !== Math.ceil((HEAD + len + TAIL) / BLK)) throw fail(`${where}: a blob of ${len} bytes does not fill its ${s.count} blocks`);
    if (b.readUInt32LE(stop - 4) !== BLOB_TAIL || b.readUInt32LE(stop - 8) !== len) throw fail(`${where}: the blob's tail ("BlbE" and its length) is not at its end`);
    out.push({ hnum: s.pkg, blob: Buffer.from(b.subarray(start + HEAD, start + HEAD + len)) });
  }
  return out;
}
