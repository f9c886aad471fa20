// From an image to the files Marque's readers take: which paths to keep while the layers stream
// by, the kept files laid out for the readers, each component's layer, and the Go binaries found.
import { statSync } from 'node:fs';
import { FileAccess } from '../../util/file-access.ts';
import { fsPromises } from '../../util/lazy.ts';
import { tmpdir } from 'node:os';
import { dirname, join, posix } from 'node:path';
import { EXTRACTORS } from '../index.ts';
import { FragmentBuilder } from '../common/fragment.ts';
import { goPurl } from '../golang/go-mod.ts';
import { goReleaseSemver, stdlibComponent } from '../golang/stdlib.ts';
import type { InventoryFragment } from '../extractor.ts';
import type { Component } from '../../model/inventory.ts';
import { isTar, readImage, type ImageRoot } from './layers.ts';
import type { ArtefactFile, Digests } from '../artefacts/attach.ts';

const ALG_OF: Record<string, keyof Digests> = { sha512: 'SHA-512', sha256: 'SHA-256', sha1: 'SHA-1' };

/** The image's package files (.deb, .whl, .jar, ...), with the digests computed as their layers streamed by. */
export function imageArtefacts(image: ImageRoot): ArtefactFile[] {
  return image.packageFiles.map((f) => ({
    name: posix.basename(f.path),
    where: `/${f.path} in layer ${f.layer}`,
    // What was computed as the layer streamed by (a pin in another algorithm is then not checked).
    digests: async () => Object.fromEntries(Object.entries(f.digests).map(([a, v]) => [ALG_OF[a]!, v])) as Digests,
  }));
}

/** Files beside a claimed one that readers consult (distribution, apt's records, a lock's manifest). */
const SIBLINGS = new Set(['etc/os-release', 'usr/lib/os-release', 'etc/alpine-release', 'var/lib/apt/extended_states']);
const MANIFESTS = new Set(['go.sum', 'composer.json', 'pnpm-workspace.yaml', 'package.json']);

/**
 * What to keep from an image. Installed packages are the package database's business: package.xml
 * files under /opt/ros or /usr (installed ROS packages) and anything under node_modules are not a
 * product's own projects.
 */
export function keptInImage(path: string): boolean {
  if (SIBLINGS.has(path)) return true;
  if (/(^|\/)node_modules\//.test(path) || /^(proc|sys|dev)\//.test(path)) return false;
  const name = posix.basename(path);
  if (name === 'package.xml' && /^(opt\/ros|usr)\//.test(path)) return false;
  return MANIFESTS.has(name) || EXTRACTORS.some((x) => x.claims(path, name));
}

/** Whether a path is an image: an OCI layout folder, or a file that is a tar stream (plain or gzip). */
export async function isImage(path: string): Promise<boolean> {
  // Asked of every folder scanned: synchronously, as the first asynchronous call loads node:fs/promises.
  const stat = (p: string) => { try { return statSync(p); } catch { return undefined; } };
  const s = stat(path);
  if (!s) return false;
  if (s.isDirectory()) return Boolean(stat(join(path, 'oci-layout')));
  if (!s.isFile() || s.size < 512) return false; // a FIFO or a device is refused by the reader, not opened here
  const fh = await FileAccess.within(path).openHandle(path);
  try {
    const head = Buffer.alloc(262);
    await fh.read(head, 0, 262, 0);
    return (head[0] === 0x1f && head[1] === 0x8b && /\.(tgz|tar\.gz)$/.test(path)) || isTar(head);
  } finally { await fh.close(); }
}

export interface ImageForReaders { root: string; image: ImageRoot; cleanup(): Promise<void> }

/** Reads the image and lays the kept files out in a private folder for the readers (removed by cleanup). */
export async function layOutImage(path: string): Promise<ImageForReaders> {
  const image = await readImage(path, keptInImage);
  const root = await fsPromises().mkdtemp(join(tmpdir(), 'marque-image-'));
  try {
    for (const [p, f] of image.files) {
      await fsPromises().mkdir(join(root, dirname(p)), { recursive: true, mode: 0o700 });
      await fsPromises().writeFile(join(root, p), f.data, { mode: 0o600 });
    }
  } catch (e) { await fsPromises().rm(root, { recursive: true, force: true }); throw e; }
  return { root, image, cleanup: () => fsPromises().rm(root, { recursive: true, force: true }) };
}

/** Components of the Go binaries: each main module, its dependencies (replacements applied), and the Go standard library it was built with. */
export function goBinaryFragment(image: ImageRoot): InventoryFragment {
  const b = new FragmentBuilder();
  for (const bin of image.goBinaries) {
    const props = { 'image:layer': bin.layer, 'go:binary': `/${bin.path}` };
    const version = (v: string) => (v === '(devel)' ? '' : v);
    const main = bin.info.main ?? { path: bin.info.path ?? posix.basename(bin.path), version: '' };
    // The binary is the deployed file: its SHA-512 was computed as its layer streamed by.
    const hashes = bin.sha512 ? [{ alg: 'SHA-512' as const, value: bin.sha512, source: `computed from /${bin.path} in layer ${bin.layer} as read` }] : undefined;
    const root = b.component({ purl: goPurl(main.path, version(main.version)), name: main.path, version: version(main.version), ecosystem: 'golang', licenses: [], sourceFile: `/${bin.path}`, dependenciesComplete: true, root: true, ...(hashes ? { hashes } : {}), properties: { ...props, 'go:version': bin.info.goVersion } });
    // Named as go.mod's standard library is (golang/stdlib.ts), at the release OSV's stdlib ranges write ("go1.20" is 1.20.0).
    const std = goReleaseSemver(bin.info.goVersion);
    const stdlib = b.component(stdlibComponent(std, `/${bin.path}`, { ...props, ...(std ? {} : { 'marque:version': `unknown: built by ${bin.info.goVersion}, not a Go release` }) }));
    b.edge(root, stdlib, 'runtime');
    for (const d of bin.info.deps) {
      // Replaced by another module: that module is what was linked. Replaced by a local folder ("./lib",
      // version "(devel)"): the code is the folder's, named by the module it stands in for.
      const local = d.replacedBy && (d.replacedBy.version === '' || d.replacedBy.version === '(devel)' || /^[./]/.test(d.replacedBy.path));
      const m = d.replacedBy && !local ? d.replacedBy : d;
      const c: Component = { purl: goPurl(m.path, m.version), name: m.path, version: m.version, ecosystem: 'golang', licenses: [], sourceFile: `/${bin.path}`, dependenciesComplete: false, properties: { ...props, ...(d.sum ? { 'go:sum': d.sum } : {}), ...(m !== d ? { 'go:replaces': `${d.path}@${d.version}` } : {}), ...(local ? { 'go:localPath': d.replacedBy!.path } : {}) } };
      b.edge(root, b.component(c), 'runtime');
    }
  }
  const notes = image.goBinaries.length ? [`${image.goBinaries.length} Go binar${image.goBinaries.length === 1 ? 'y' : 'ies'} found by their embedded build information; a binary lists the modules linked into it without their graph, so they hang from its main module`] : [];
  return { ...b.build(), notes };
}
