// Builds container images for tests: a `docker save` tarball or an OCI layout folder, from layers
// given as lists of entries (files, whiteouts, symbolic links), each layer plain, gzip or zstd.
import { createHash } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync, zstdCompressSync } from 'node:zlib';
import { pack } from 'tar-stream';

export interface Entry { name: string; data?: Buffer | string; mode?: number; type?: 'file' | 'symlink' | 'directory'; linkname?: string }

export async function tarOf(entries: Entry[]): Promise<Buffer> {
  const p = pack();
  const chunks: Buffer[] = [];
  p.on('data', (c) => { chunks.push(c as Buffer); });
  const done = new Promise<void>((r) => p.on('end', () => r()));
  for (const e of entries) {
    if (e.type === 'symlink') p.entry({ name: e.name, type: 'symlink', linkname: e.linkname });
    else if (e.type === 'directory') p.entry({ name: e.name, type: 'directory' });
    else p.entry({ name: e.name, mode: e.mode ?? 0o644 }, typeof e.data === 'string' ? Buffer.from(e.data) : e.data ?? Buffer.alloc(0));
  }
  p.finalize();
  await done;
  return Buffer.concat(chunks);
}

const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');
const compress = (b: Buffer, c?: 'gzip' | 'zstd') => (c === 'gzip' ? gzipSync(b) : c === 'zstd' ? zstdCompressSync(b) : b);

/** A `docker save` tarball: one folder per layer with layer.tar, and manifest.json naming them in order. */
export async function dockerSave(layers: { entries: Entry[]; compress?: 'gzip' | 'zstd' }[], extra: Entry[] = []): Promise<{ tar: Buffer; layerIds: string[] }> {
  const files: Entry[] = [];
  const ids: string[] = [];
  for (const l of layers) {
    const blob = compress(await tarOf(l.entries), l.compress);
    const id = sha(blob);
    ids.push(`${id}/layer.tar`);
    files.push({ name: `${id}/layer.tar`, data: blob }, { name: `${id}/VERSION`, data: '1.0' });
  }
  files.push({ name: 'manifest.json', data: JSON.stringify([{ Config: 'config.json', RepoTags: ['robot:1.0'], Layers: ids }]) }, { name: 'config.json', data: '{"architecture":"amd64","os":"linux"}' }, ...extra);
  return { tar: await tarOf(files), layerIds: ids };
}

/** An OCI image layout folder: oci-layout, index.json, a manifest, a config, and the layer blobs. */
export async function ociLayout(dir: string, layers: { entries: Entry[]; compress?: 'gzip' | 'zstd' }[]): Promise<string[]> {
  mkdirSync(join(dir, 'blobs', 'sha256'), { recursive: true });
  const put = (b: Buffer) => { const h = sha(b); writeFileSync(join(dir, 'blobs', 'sha256', h), b); return { digest: `sha256:${h}`, size: b.length }; };
  const blobs = [];
  for (const l of layers) blobs.push({ mediaType: `application/vnd.oci.image.layer.v1.tar${l.compress === 'gzip' ? '+gzip' : l.compress === 'zstd' ? '+zstd' : ''}`, ...put(compress(await tarOf(l.entries), l.compress)) });
  const config = put(Buffer.from('{"architecture":"amd64","os":"linux","rootfs":{"type":"layers","diff_ids":[]}}'));
  const manifest = put(Buffer.from(JSON.stringify({ schemaVersion: 2, mediaType: 'application/vnd.oci.image.manifest.v1+json', config: { mediaType: 'application/vnd.oci.image.config.v1+json', ...config }, layers: blobs })));
  writeFileSync(join(dir, 'oci-layout'), '{"imageLayoutVersion":"1.0.0"}');
  writeFileSync(join(dir, 'index.json'), JSON.stringify({ schemaVersion: 2, manifests: [{ mediaType: 'application/vnd.oci.image.manifest.v1+json', ...manifest }] }));
  return blobs.map((b) => b.digest);
}
