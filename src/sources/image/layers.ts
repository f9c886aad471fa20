// Container images, read as a stream: a `docker save` tarball, an OCI image layout (a folder, or
// a tarball of one). Layers are tar streams (plain, gzip or zstd), applied in the manifest's order
// with whiteouts (".wh.name" deletes, ".wh..wh..opq" empties a folder). Nothing of the image is
// written out: only the files Marque's readers need (package databases, lockfiles, os-release) are
// kept in memory, bounded, and executables are scanned on the fly for Go build information.
import { join, posix } from 'node:path';
import { FileAccess } from '../../util/file-access.ts';
import { Readable, type Transform } from 'node:stream';
import type { Header } from 'tar-stream';
import { fsPromises, tarModule } from '../../util/lazy.ts';
import { InputError } from '../../util/errors.ts';
import { scanGoBuildInfo, type GoBuildInfo } from './go-buildinfo.ts';
import { createHash, type Hash } from 'node:crypto';
import { looksLikePackageFile } from '../artefacts/names.ts';

export interface ImageFile { data: Buffer; layer: string }
/** sha512: of the binary's bytes as they streamed by (the deployed file, BSI TR-03183-2 §5.2.2); absent when its head did not show a Go program. */
export interface ImageGoBinary { path: string; layer: string; info: GoBuildInfo; sha512?: string }
/** A package file in the image (a .deb, .whl, .jar, ...): its digests, computed as its layer streamed by. */
export interface ImagePackageFile { path: string; layer: string; size: number; digests: Record<string, string> }
export interface ImageRoot {
  /** The image's kept files, after every layer: path (no leading "/") → content and the layer it came from. */
  files: Map<string, ImageFile>;
  goBinaries: ImageGoBinary[];
  packageFiles: ImagePackageFile[];
  layers: string[];
  notes: string[];
}

/** unpacked: what all layers may unpack to together, so a compression bomb ends with a message, not hours of draining. */
export interface ImageLimits { file: number; total: number; binary: number; metadata: number; unpacked: number }
export const IMAGE_LIMITS: ImageLimits = { file: 64 << 20, total: 512 << 20, binary: 1 << 30, metadata: 4 << 20, unpacked: 64 * 2 ** 30 };

type Change = { kind: 'file'; path: string; data: Buffer } | { kind: 'delete'; path: string } | { kind: 'opaque'; dir: string } | { kind: 'go'; path: string; info: GoBuildInfo; sha512?: string } | { kind: 'package'; path: string; size: number; digests: Record<string, string> };

/** Package databases (rpm's three formats, dpkg's status, apk's installed): kept up to the image's total cap, not one file's. */
const PACKAGE_DATABASE = /(?:^|\/)(?:var\/lib\/rpm\/(?:Packages|Packages\.db|rpmdb\.sqlite)|usr\/lib\/sysimage\/rpm\/(?:Packages|Packages\.db|rpmdb\.sqlite)|var\/lib\/dpkg\/status|lib\/apk\/db\/installed)$/;

/** How much of an executable's head is looked at for the Go build-ID note. */
const GO_HEAD = 64 * 1024;
// An ELF note: name size 4, then a description size, type 4 (NT_GO_BUILDID), name "Go\0\0"; or the build information itself.
const GO_NOTE = Buffer.from([0x04, 0, 0, 0, 0x47, 0x6f, 0, 0]);
const BUILDINFO = Buffer.from('\xff Go buildinf:', 'latin1');
const isGoProgram = (head: Buffer) => head.includes(GO_NOTE) || head.includes(BUILDINFO);

/** Digests kept of a package file in an image: those lockfiles and package indexes pin, and SHA-512. */
const PACKAGE_DIGESTS = ['sha512', 'sha256', 'sha1'] as const;
interface LayerResult { changes: Change[] }

/** Normalised path inside the image, or undefined for one that climbs out ("../", absolute games). */
export function imagePath(name: string): string | undefined {
  const p = posix.normalize(name.replace(/^\/+/, '')).replace(/\/$/, '');
  if (p === '..' || p.startsWith('../') || p.split('/').includes('..')) return undefined;
  return p === '.' ? '' : p.replace(/^\.\//, '');
}

/** Whether a layer's tar stream is compressed, from its first bytes. */
function decompressor(head: Buffer): Transform | undefined {
  // node:zlib taken for a compressed layer, not when this module loads (every inventory loads it).
  if (head[0] === 0x1f && head[1] === 0x8b) return process.getBuiltinModule('node:zlib').createGunzip();
  if (head.length >= 4 && head.readUInt32LE(0) === 0xfd2fb528) return process.getBuiltinModule('node:zlib').createZstdDecompress();
  return undefined;
}

/** Peeks at the first bytes of a stream without losing them. */
async function withHead(stream: AsyncIterable<Buffer>): Promise<[Buffer, Readable]> {
  const it = stream[Symbol.asyncIterator]();
  const chunks: Buffer[] = [];
  let size = 0;
  let done = false;
  while (size < 512) {
    const r = await it.next();
    if (r.done) { done = true; break; }
    chunks.push(r.value as Buffer);
    size += (r.value as Buffer).length;
  }
  const head = Buffer.concat(chunks);
  async function* rest() {
    yield head;
    if (done) return;
    for (let r = await it.next(); !r.done; r = await it.next()) yield r.value as Buffer;
  }
  return [head, Readable.from(rest())];
}

/** A tar entry's stream (tar-stream's streamx Readable): events and async iteration are what is used. */
type Entry = AsyncIterable<Buffer> & { on(event: 'data', f: (c: Buffer) => void): unknown; on(event: 'end', f: () => void): unknown; resume(): unknown };

export const isTar = (head: Buffer) => head.length >= 262 && head.toString('latin1', 257, 262) === 'ustar';

/** Reads one layer's tar stream; keeps what `wanted` asks for, scans executables for Go build info. */
async function readLayer(stream: AsyncIterable<Buffer>, wanted: (path: string) => boolean, limits: ImageLimits, notes: string[], layer: string, unpacked: { bytes: number }): Promise<LayerResult> {
  const [head, body] = await withHead(stream);
  const unzip = decompressor(head);
  const tarStream = unzip ? body.pipe(unzip) : body;
  tarStream.on('data', (c: Buffer) => {
    unpacked.bytes += c.length;
    if (unpacked.bytes > limits.unpacked) tarStream.destroy(new InputError(`the image's layers unpack past ${limits.unpacked} bytes (a compression bomb?); not read further`, layer));
  });
  const changes: Change[] = [];
  const ex = tarModule().extract();
  const done = new Promise<void>((resolve, reject) => { ex.on('finish', resolve); ex.on('error', reject); tarStream.on('error', reject); });
  ex.on('entry', (h: Header, source, next: () => void) => {
    const entry = source as unknown as Entry;
    const drain = () => { entry.on('end', () => next()); entry.resume(); };
    const p = imagePath(h.name);
    if (p === undefined) { notes.push(`layer ${short(layer)}: entry "${h.name.slice(0, 120)}" leads out of the image's root; skipped`); drain(); return; }
    const base = posix.basename(p);
    if (base === '.wh..wh..opq') { changes.push({ kind: 'opaque', dir: posix.dirname(p) }); drain(); return; }
    if (base.startsWith('.wh.')) { changes.push({ kind: 'delete', path: posix.join(posix.dirname(p), base.slice(4)) }); drain(); return; }
    // Anything but a regular file at a kept path replaces the file there (a link is not followed).
    if (h.type !== 'file' && h.type !== 'contiguous-file') { if (wanted(p)) changes.push({ kind: 'delete', path: p }); drain(); return; }
    const size = h.size ?? 0;
    if (wanted(p)) {
      // A package database is the image's inventory itself: a full RHEL 8 install's rpm Packages passes 64 MiB.
      const cap = PACKAGE_DATABASE.test(p) ? limits.total : limits.file;
      if (size > cap) { notes.push(`layer ${short(layer)}: ${p} is ${size} bytes, over the ${cap}-byte limit; not read`); changes.push({ kind: 'delete', path: p }); drain(); return; }
      const chunks: Buffer[] = [];
      entry.on('data', (c: Buffer) => chunks.push(c));
      entry.on('end', () => { changes.push({ kind: 'file', path: p, data: Buffer.concat(chunks) }); next(); });
      return;
    }
    if (looksLikePackageFile(base) && size <= limits.binary) {
      // Hashed as it streams by, never kept: the name says which component it may be (names.ts).
      const hashes = PACKAGE_DIGESTS.map((a) => [a, createHash(a)] as const);
      entry.on('data', (c: Buffer) => { for (const [, x] of hashes) x.update(c); });
      entry.on('end', () => { changes.push({ kind: 'package', path: p, size, digests: Object.fromEntries(hashes.map(([a, x]) => [a, x.digest('hex')])) }); next(); });
      return;
    }
    if ((h.mode ?? 0) & 0o111 && size > 1024 && size < limits.binary) {
      const scan = scanGoBuildInfo();
      // Only a Go program is hashed (hashing every executable would cost the reading's speed fourfold):
      // the gc toolchain puts its build-ID note ("Go" ELF note) in the first page, so the head decides.
      const head: Buffer[] = [];
      let headBytes = 0;
      let sha512: Hash | undefined | null; // undefined: not decided yet; null: not a Go program
      const decide = () => { const b = Buffer.concat(head); sha512 = isGoProgram(b) ? createHash('sha512').update(b) : null; head.length = 0; };
      entry.on('data', (c: Buffer) => {
        scan.push(c);
        if (sha512 === undefined) { head.push(c); headBytes += c.length; if (headBytes >= GO_HEAD) decide(); } else sha512?.update(c);
      });
      entry.on('end', () => {
        if (sha512 === undefined) decide();
        const info = scan.result();
        if (info) changes.push({ kind: 'go', path: p, info, ...(sha512 ? { sha512: sha512.digest('hex') } : {}) }); else changes.push({ kind: 'delete', path: `\0go:${p}` });
        next();
      });
      return;
    }
    // Any other file at a path that held a Go binary replaces it.
    changes.push({ kind: 'delete', path: `\0go:${p}` });
    drain();
  });
  tarStream.pipe(ex);
  await done;
  return { changes };
}

const short = (layer: string) => layer.replace(/^sha256:/, '').slice(0, 12);

/** Applies layers in order: later files replace earlier ones, whiteouts delete, opaque folders empty. */
function apply(results: [string, LayerResult][], limits: ImageLimits, notes: string[]): ImageRoot {
  const files = new Map<string, ImageFile>();
  const go = new Map<string, ImageGoBinary>();
  const packages = new Map<string, ImagePackageFile>();
  let total = 0;
  for (const [layer, r] of results) {
    for (const c of r.changes) {
      if (c.kind === 'file') {
        total += c.data.length - (files.get(c.path)?.data.length ?? 0);
        if (total > limits.total) throw new InputError(`the files Marque keeps from this image pass ${limits.total} bytes; not read further`, layer);
        files.set(c.path, { data: c.data, layer });
      } else if (c.kind === 'go') { go.set(c.path, { path: c.path, layer, info: c.info, sha512: c.sha512 }); packages.delete(c.path); }
      else if (c.kind === 'package') { packages.set(c.path, { path: c.path, layer, size: c.size, digests: c.digests }); go.delete(c.path); }
      else if (c.kind === 'delete') {
        if (c.path.startsWith('\0go:')) { go.delete(c.path.slice(4)); packages.delete(c.path.slice(4)); continue; }
        // A whiteout of a folder deletes all below it.
        for (const m of [files, go, packages]) for (const k of [...m.keys()]) if (k === c.path || k.startsWith(`${c.path}/`)) m.delete(k);
      } else {
        const prefix = c.dir === '.' ? '' : `${c.dir}/`;
        for (const m of [files, go, packages] as Map<string, { layer: string }>[]) for (const k of [...m.keys()]) if (k.startsWith(prefix) && m.get(k)!.layer !== layer) m.delete(k);
      }
    }
  }
  return { files, goBinaries: [...go.values()], packageFiles: [...packages.values()], layers: results.map(([l]) => l), notes };
}

interface Manifests { order: string[]; notes: string[] }

/** The layer order: docker save's manifest.json (paths in the tarball), or OCI index → manifest → layer digests. */
function layerOrder(meta: Map<string, Buffer>, file: string): Manifests {
  const json = (name: string) => { const b = meta.get(name); if (!b) return undefined; try { return JSON.parse(b.toString('utf8')) as unknown; } catch { throw new InputError(`${name} in the image is not JSON`, file); } };
  const docker = json('manifest.json') as { Layers?: string[] }[] | undefined;
  const notes: string[] = [];
  if (Array.isArray(docker) && docker[0]?.Layers) {
    if (docker.length > 1) notes.push(`the tarball holds ${docker.length} images; the first is read`);
    return { order: docker[0].Layers.map((l) => imagePath(l) ?? l), notes };
  }
  const index = json('index.json') as { manifests?: { digest: string; mediaType?: string }[] } | undefined;
  if (index?.manifests?.length) {
    let desc = index.manifests[0]!;
    if (index.manifests.length > 1) notes.push(`the layout holds ${index.manifests.length} manifests; the first is read`);
    for (let depth = 0; depth < 4; depth++) {
      const m = json(blobPath(desc.digest)) as { layers?: { digest: string }[]; manifests?: { digest: string; platform?: { os?: string; architecture?: string } }[] } | undefined;
      if (!m) throw new InputError(`manifest ${desc.digest} is not in the layout`, file);
      if (m.layers) return { order: m.layers.map((l) => blobPath(l.digest)), notes };
      // An image index (multi-platform): linux/amd64 when there, else the first.
      const pick = m.manifests?.find((x) => x.platform?.os === 'linux' && x.platform.architecture === 'amd64') ?? m.manifests?.[0];
      if (!pick) break;
      if ((m.manifests?.length ?? 0) > 1) notes.push(`an index of ${m.manifests!.length} platforms; ${pick.platform ? `${pick.platform.os}/${pick.platform.architecture}` : 'the first'} is read`);
      desc = pick;
    }
  }
  throw new InputError('not a container image: no docker manifest.json and no OCI index.json with a manifest', file);
}

const blobPath = (digest: string) => { const [alg, hex] = digest.split(':'); return `blobs/${alg}/${hex}`; };

/** Reads an image from a `docker save` or OCI tarball, or an OCI layout folder. */
export async function readImage(path: string, wanted: (path: string) => boolean, limits: ImageLimits = IMAGE_LIMITS): Promise<ImageRoot> {
  const notes: string[] = [];
  const meta = new Map<string, Buffer>();
  const layers = new Map<string, LayerResult>();
  const unpacked = { bytes: 0 };
  // The image is the root: nothing outside it is read, and only regular files are (a FIFO would hang).
  const files = FileAccess.within(path);
  const info = await fsPromises().stat(path);
  if (info.isDirectory()) {
    // OCI layout folder: read index.json and every manifest/config blob small enough to be metadata.
    const index = join(path, 'index.json');
    if (!files.exists(index)) throw new InputError('not an OCI image layout (no index.json)', path);
    meta.set('index.json', await files.readBytes(index, { limit: limits.metadata }));
    const blobs = join(path, 'blobs');
    for (const alg of files.isFolder(blobs) ? files.list(blobs) : []) {
      if (!alg.isDirectory()) continue;
      for (const hex of files.list(join(blobs, alg.name))) {
        const name = `blobs/${alg.name}/${hex.name}`;
        const file = join(blobs, alg.name, hex.name);
        // A blob is a file named by its digest: a link (even one that stays inside) is not followed.
        const { stream: raw, size } = await files.openStream(file, { noLink: true });
        const [head, stream] = await withHead(raw);
        if (size <= limits.metadata && head[0] === 0x7b) {
          const chunks: Buffer[] = [];
          for await (const c of stream) chunks.push(c as Buffer);
          meta.set(name, Buffer.concat(chunks));
          continue;
        }
        try {
          layers.set(name, await readLayer(stream, wanted, limits, notes, `${alg.name}:${hex.name}`, unpacked));
        } catch (e) {
          throw e instanceof InputError ? e : new InputError(`not a readable layer: ${(e as Error).message}`, file);
        }
      }
    }
  } else {
    const outer = tarModule().extract();
    const done = new Promise<void>((resolve, reject) => { outer.on('finish', resolve); outer.on('error', reject); });
    outer.on('entry', (h: Header, source, next: (e?: Error) => void) => {
      const entry = source as unknown as Entry;
      const name = imagePath(h.name);
      if (!name || h.type !== 'file') { entry.on('end', () => next()); entry.resume(); return; }
      // Small JSON is metadata (manifests, configs, index); anything else that is a tar stream is a layer.
      void withHead(entry).then(async ([head, stream]) => {
        if ((h.size ?? 0) <= limits.metadata && (head[0] === 0x7b || head[0] === 0x5b)) {
          const chunks: Buffer[] = [];
          for await (const c of stream) chunks.push(c as Buffer);
          meta.set(name, Buffer.concat(chunks));
        } else if (decompressor(head) || isTar(head)) {
          layers.set(name, await readLayer(stream, wanted, limits, notes, name.startsWith('blobs/') ? name.slice(6).replace('/', ':') : name, unpacked));
        } else { for await (const c of stream) void c; }
        next();
      }).catch((e: Error) => next(e instanceof InputError ? e : new InputError(`${name} in the image: ${e.message}`, path)));
    });
    const { stream: src } = await files.openStream(path);
    src.on('error', (e) => outer.destroy(e));
    src.pipe(outer);
    await done.catch((e: Error) => { throw e instanceof InputError ? e : new InputError(`not a readable image tarball: ${e.message}`, path); });
  }
  const { order, notes: orderNotes } = layerOrder(meta, path);
  notes.push(...orderNotes);
  const results: [string, LayerResult][] = [];
  for (const l of order) {
    const r = layers.get(l);
    if (!r) throw new InputError(`layer ${l} named by the manifest is not in the image`, path);
    results.push([l.startsWith('blobs/') ? l.slice(6).replace('/', ':') : l, r]);
  }
  return apply(results, limits, notes);
}
