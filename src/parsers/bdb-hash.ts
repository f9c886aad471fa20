// A read-only reader of Berkeley DB hash databases, written for rpm's `Packages` file (rpm before
// 4.16: CentOS 7, RHEL/UBI 7 and 8, Amazon Linux 2, Oracle Linux 7/8). Written by hand from the
// format's published facts (rpm's bdb_ro backend and go-rpmdb read the same layout); no code copied.
//
// The layout, as far as it is read here: page 0 is the metadata page (magic 0x061561 at byte 12, in
// the byte order of the machine that wrote it; version, page size, last page number, the highest
// bucket and the "spares" that map a bucket to its page). Every other page starts with a 26-byte
// header: its own number (8), the previous and next page of its chain (12, 16), the number of items
// (20), the free-space offset, which on an overflow page is the length of its data (22), and the page
// type (25). A bucket page (type 13, or 2 for the unsorted pages of Berkeley DB before 4.x) holds an
// index of 16-bit item offsets after its header, key and value in turn, the items packed from the
// page's end: an item is a type byte and the data (1, H_KEYDATA), or a reference to an overflow chain
// (3, H_OFFPAGE: a page number at +4 and the total length at +8). Overflow pages (type 7) carry their
// part of a value after the header and name the next page of the chain.
//
// Defensive: every offset and length is checked against its page and every page number against the
// file; a page is visited at most once (a chain that loops or two chains that share a page are an
// error, as no database Berkeley DB writes has either), so the pages visited never exceed the file's
// and the bytes gathered never exceed its size. Anything else is an InputError naming the file and
// the page, never an exception of another kind, an endless loop or an allocation the file does not justify.
import { InputError } from '../util/errors.ts';

export interface BdbHashEntry { key: Buffer; value: Buffer }
export interface BdbHash {
  /** The byte order the database was written in (its numbers, rpm's header-number keys among them). */
  littleEndian: boolean;
  pageSize: number;
  /** The pairs in bucket order, the order rpm's own reader returns them in. */
  entries: BdbHashEntry[];
}
/** pages: how many pages a walk may visit; bytes: how many bytes of keys and values it may gather. */
export interface BdbLimits { pages: number; bytes: number }

const HASH_MAGIC = 0x061561, BTREE_MAGIC = 0x053162;
const PAGE_HEADER = 26;
const P_HASH_UNSORTED = 2, P_OVERFLOW = 7, P_HASH = 13;
const H_KEYDATA = 1, H_DUPLICATE = 2, H_OFFPAGE = 3, H_OFFDUP = 4;

/** Reads every key/value pair of a Berkeley DB hash database held in `data`; `file` names it in errors. */
export function readBdbHash(data: Uint8Array, file: string, limits?: Partial<BdbLimits>): BdbHash {
  const b = Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  const fail = (message: string) => new InputError(`Berkeley DB: ${message}`, file);
  if (b.length < 512) throw fail(`${b.length} bytes, shorter than the 512-byte metadata page`);
  let le: boolean;
  if (b.readUInt32LE(12) === HASH_MAGIC) le = true;
  else if (b.readUInt32BE(12) === HASH_MAGIC) le = false;
  else if (b.readUInt32LE(12) === BTREE_MAGIC || b.readUInt32BE(12) === BTREE_MAGIC) throw fail('a B-tree database, not a hash database (rpm\'s Packages is a hash)');
  else throw fail(`not a Berkeley DB hash database (magic 0x${b.readUInt32LE(12).toString(16)} at byte 12)`);
  const u32 = le ? (buf: Buffer, at: number) => buf.readUInt32LE(at) : (buf: Buffer, at: number) => buf.readUInt32BE(at);
  const u16 = le ? (buf: Buffer, at: number) => buf.readUInt16LE(at) : (buf: Buffer, at: number) => buf.readUInt16BE(at);

  const version = u32(b, 16), pageSize = u32(b, 20), lastPage = u32(b, 32), maxBucket = u32(b, 72);
  if (version < 8 || version > 10) throw fail(`hash version ${version}; versions 8 to 10 (Berkeley DB 4.x to 6.x) are read`);
  if (pageSize < 512 || pageSize > 65536 || (pageSize & (pageSize - 1)) !== 0) throw fail(`page size ${pageSize} is not a power of two from 512 to 65536`);
  if (b[24] !== 0) throw fail('the database is encrypted');
  // Pages with checksums (or encrypted) carry them after the page header, moving the item index: not a layout rpm wrote.
  if ((b[26]! & 1) !== 0) throw fail('the pages carry checksums, a layout not read');
  const pages = Math.floor(b.length / pageSize);
  if (maxBucket >= pages) throw fail(`metadata page 0 names ${maxBucket + 1} buckets, more than the file's ${pages} pages`);
  const spares: number[] = [];
  for (let i = 0; i < 32; i++) spares.push(u32(b, 96 + i * 4));
  const maxPages = Math.min(limits?.pages ?? Infinity, pages);
  const maxBytes = limits?.bytes ?? b.length;

  const visited = new Uint8Array(pages);
  let visits = 0, gathered = 0;
  /** Page `pg`, checked: inside the file and the metadata's range, not seen before, numbered as itself. */
  const page = (pg: number, what: string): Buffer => {
    if (pg === 0 || pg > lastPage) throw fail(`${what}: page ${pg} is outside the database (pages 1 to ${lastPage})`);
    if ((pg + 1) * pageSize > b.length) throw fail(`${what}: page ${pg} lies past the end of the file (${b.length} bytes, ${pages} pages of ${pageSize}): truncated`);
    if (visited[pg]) throw fail(`${what}: page ${pg} is reached a second time (a chain that loops, or two that share a page)`);
    if (++visits > maxPages) throw fail(`${what}: more than ${maxPages} pages visited; not read further`);
    visited[pg] = 1;
    const p = b.subarray(pg * pageSize, (pg + 1) * pageSize);
    if (u32(p, 8) !== pg) throw fail(`${what}: page ${pg} says it is page ${u32(p, 8)}`);
    return p;
  };
  const take = (n: number, where: string) => {
    gathered += n;
    if (gathered > maxBytes) throw fail(`${where}: keys and values add up to more than ${maxBytes} bytes; not read further`);
  };
  /** A value kept on overflow pages: the chain from `first`, `total` bytes. */
  const overflow = (first: number, total: number, where: string): Buffer => {
    if (total === 0) throw fail(`${where}: an overflow item of length 0`);
    take(total, where);
    const parts: Buffer[] = [];
    let got = 0;
    for (let pg = first; got < total;) {
      if (pg === 0) throw fail(`${where}: the overflow chain ends after ${got} of its ${total} bytes`);
      const p = page(pg, where);
      if (p[25] !== P_OVERFLOW) throw fail(`${where}: page ${pg} is of type ${p[25]}, not an overflow page`);
      const len = u16(p, 22);
      if (len === 0 || PAGE_HEADER + len > pageSize || len > total - got) throw fail(`${where}: overflow page ${pg} holds ${len} bytes, not within its page or the ${total - got} bytes still due`);
      parts.push(p.subarray(PAGE_HEADER, PAGE_HEADER + len));
      got += len;
      pg = u32(p, 16);
    }
    return parts.length === 1 ? Buffer.from(parts[0]!) : Buffer.concat(parts, total);
  };
  /** The item at `off`, `len` bytes long, on bucket page `pg`. */
  const item = (p: Buffer, pg: number, i: number, off: number, len: number, floor: number): Buffer => {
    const where = `page ${pg} item ${i}`;
    if (off < floor || len < 1 || off + len > pageSize) throw fail(`${where}: offset ${off} and length ${len} are not within the page`);
    const type = p[off]!;
    if (type === H_KEYDATA) { take(len - 1, where); return Buffer.from(p.subarray(off + 1, off + len)); }
    if (type === H_OFFPAGE) {
      if (len !== 12) throw fail(`${where}: an overflow reference of ${len} bytes, not 12`);
      return overflow(u32(p, off + 4), u32(p, off + 8), `${where} (overflow chain from page ${u32(p, off + 4)})`);
    }
    if (type === H_DUPLICATE || type === H_OFFDUP) throw fail(`${where}: duplicate values (item type ${type}), which an rpm database never holds`);
    throw fail(`${where}: unknown item type ${type}`);
  };

  const entries: BdbHashEntry[] = [];
  for (let bucket = 0; bucket <= maxBucket; bucket++) {
    // A bucket's page: its number plus the spare pages of its doubling (the number of bits of the bucket).
    const first = bucket + spares[bucket === 0 ? 0 : 32 - Math.clz32(bucket)]!;
    for (let pg = first; pg !== 0;) {
      const p = page(pg, `bucket ${bucket}`);
      if (p[25] !== P_HASH && p[25] !== P_HASH_UNSORTED) throw fail(`bucket ${bucket}: page ${pg} is of type ${p[25]}, not a hash page`);
      const n = u16(p, 20);
      const floor = PAGE_HEADER + 2 * n;
      if (n % 2 !== 0 || floor > pageSize) throw fail(`page ${pg}: ${n} items, not key and value pairs within the page`);
      for (let i = 0; i < n; i += 2) {
        const koff = u16(p, PAGE_HEADER + 2 * i), voff = u16(p, PAGE_HEADER + 2 * i + 2);
        // Items are packed from the page's end: a key ends where the item before it starts.
        const kend = i === 0 ? pageSize : u16(p, PAGE_HEADER + 2 * i - 2);
        if (kend > pageSize || koff >= kend || voff >= koff) throw fail(`page ${pg} item ${i}: offsets ${koff} and ${voff} are out of order`);
        entries.push({ key: item(p, pg, i, koff, kend - koff, floor), value: item(p, pg, i + 1, voff, koff - voff, floor) });
      }
      pg = u32(p, 16);
    }
  }
  return { littleEndian: le, pageSize, entries };
}
