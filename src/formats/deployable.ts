// What BSI TR-03183-2 v2.1.0 §5.2.2 and §5.2.4 ask of each component that Marque can know from
// what it read: the deployable form's filename, URI and SHA-512 (a lockfile's integrity field, an
// apt index's SHA512, or the registry's file-naming convention for the URI), the executable,
// archive and structured properties of that form (§8.1.4–8.1.7, from the ecosystem's packaging),
// the source code URI, the creator with an email or URL. What cannot be known is said, with why,
// as "marque:unavailable:<field>" (the writers put it beside the field; sbom check reports it).
// Nothing is invented: no hash is computed from another algorithm's value, no URL guessed where
// the registry's convention does not name one file.
import { parsePurl } from '../model/purl.ts';
import type { Component, Hash, Person } from '../model/inventory.ts';

export interface DeployableFacts {
  filename?: string;
  uri?: string;
  sha512?: string;
  /** Where the SHA-512 comes from (a lockfile's field, the file as read): every hash says. */
  sha512Source?: string;
  /** Other hashes of the same file (a lockfile's SHA-256), each with its source. */
  hashes: Hash[];
  executable?: 'executable' | 'non-executable';
  archive?: 'archive' | 'no archive';
  structured?: 'structured' | 'unstructured';
  sourceUri?: string;
  /** The source archive read (a ROS release tarball): where it is published, its name and SHA-512 (§5.2.5 "hash value of the source code"). */
  sourceArchive?: { uri?: string; filename: string; sha512: Hash };
  /** Why a field is missing, by the field keys sbom check uses (filename, hash, executable, ...). */
  unavailable: Record<string, string>;
}

type Properties = Pick<DeployableFacts, 'executable' | 'archive' | 'structured'>;
/** A package archive (.tgz, .deb, .crate, .nupkg, ...): §8.1.7 Table 7 "rpm package": not executable, archive, structured. */
const PACKAGE: Properties = { executable: 'non-executable', archive: 'archive', structured: 'structured' };
/** A .jar is run by the Java runtime (§3.2.6: code "executed ... by a runtime system"), an archive with its manifest. */
const JAR: Properties = { executable: 'executable', archive: 'archive', structured: 'structured' };
/** §8.1.7 Table 7 "Firmware image": executable, not structured. */
const FIRMWARE: Properties = { executable: 'executable', archive: 'no archive', structured: 'unstructured' };
/** A Go binary carries its module list (build information): Table 7 "Binary with integrated SBOM". */
const GO_BINARY: Properties = { executable: 'executable', archive: 'no archive', structured: 'structured' };

const LOCKFILE_ECOSYSTEMS = new Set(['npm', 'pypi', 'cargo', 'gem', 'composer', 'golang', 'maven', 'nuget', 'hex', 'pub']);
const basename = (u: string) => decodeURIComponent(new URL(u).pathname.split('/').filter(Boolean).pop() ?? '');
const https = (u: string | undefined) => (u && /^https?:\/\//.test(u) ? u : undefined);

/** The registry file of a component by its ecosystem's layout, where one file is meant. */
/** noFile: there is no such file at all (the project itself, a module linked into a binary), so no hash of one either. */
function registryFile(c: Component): { uri?: string; filename?: string; props?: Properties; sourceIsDeployable?: boolean; why?: string; noFile?: boolean } {
  if (!c.version) return { why: 'its version is not known, so neither is its file' };
  // A lockfile's root is the project itself, built where it was scanned: no registry holds its file.
  // (An OS package database's roots are packages a person asked for: they have files.)
  if (c.root && LOCKFILE_ECOSYSTEMS.has(c.ecosystem) && !c.distribution && !c.hashes?.length) return { why: 'the project itself (its lockfile\'s root): built from the scanned sources, not downloaded from a registry', noFile: true };
  let p;
  try { p = parsePurl(c.purl); } catch { return { why: 'its package URL cannot be read' }; }
  const name = p.name;
  const v = c.version;
  switch (c.ecosystem) {
    case 'npm': {
      // npm's registry layout: /<name>/-/<name without scope>-<version>.tgz (what a lockfile's "resolved" holds).
      const full = p.namespace ? `${p.namespace}/${name}` : name;
      // A package the lock fetched from git (npm packs it from the commit): no registry file, and the lock's integrity is not the registry's.
      if (!https(c.distribution) && c.provenance?.type === 'git') return { props: PACKAGE, why: `fetched from git (${c.provenance.url}${c.provenance.version ? ` at ${c.provenance.version}` : ''}), not from the registry: no registry file` };
      return { uri: https(c.distribution) ?? `https://registry.npmjs.org/${full}/-/${name}-${v}.tgz`, props: PACKAGE, sourceIsDeployable: true };
    }
    case 'cargo':
      // Only crates.io crates carry a checksum in Cargo.lock; git and path dependencies have no registry file.
      if (!c.hashes?.length) return { why: 'not a crates.io crate (Cargo.lock gives no checksum): no registry file' };
      return { uri: `https://static.crates.io/crates/${name}/${name}-${v}.crate`, props: PACKAGE, sourceIsDeployable: true };
    case 'gem':
      return { uri: `https://rubygems.org/downloads/${name}-${v}.gem`, props: PACKAGE, sourceIsDeployable: true };
    case 'nuget': {
      const id = name.toLowerCase();
      const ver = v.toLowerCase();
      return { uri: `https://api.nuget.org/v3-flatcontainer/${id}/${ver}/${id}.${ver}.nupkg`, props: PACKAGE };
    }
    case 'maven': {
      if (!p.namespace) return { why: 'no groupId' };
      const ext = p.qualifiers?.['type'] ?? 'jar';
      return { uri: `https://repo.maven.apache.org/maven2/${p.namespace.replace(/\./g, '/')}/${name}/${v}/${name}-${v}${p.qualifiers?.['classifier'] ? `-${p.qualifiers['classifier']}` : ''}.${ext}`, props: ext === 'jar' || ext === 'war' ? JAR : PACKAGE };
    }
    case 'golang': {
      if (c.properties?.['go:binary']) return { why: 'a module linked into a Go binary: the binary is the deployable form, not the module', noFile: true };
      // The module proxy protocol: capital letters escaped as "!" + lower case.
      const path = `${p.namespace ? `${p.namespace}/` : ''}${name}`.replace(/[A-Z]/g, (m) => `!${m.toLowerCase()}`);
      return { uri: `https://proxy.golang.org/${path}/@v/${v}.zip`, filename: `${v}.zip`, props: PACKAGE, sourceIsDeployable: true };
    }
    case 'hex':
      // Hex's repository layout (a private organisation's packages under /repos/<org>); mix.lock's checksum is the tarball's SHA-256.
      if (p.qualifiers?.['vcs_url']) return { why: `fetched from git (${p.qualifiers['vcs_url']}), not from Hex: no registry file` };
      return { uri: `https://repo.hex.pm/${p.namespace ? `repos/${encodeURIComponent(p.namespace)}/` : ''}tarballs/${name}-${v}.tar`, props: PACKAGE, sourceIsDeployable: true };
    case 'pub':
      // pub.dev's archive URL; another repository (repository_url) says its own in its API.
      if (p.qualifiers?.['repository_url']) return { props: PACKAGE, why: `hosted by ${p.qualifiers['repository_url']}, whose archive URL its own API gives` };
      return { uri: `https://pub.dev/api/archives/${name}-${v}.tar.gz`, props: PACKAGE, sourceIsDeployable: true };
    case 'composer':
      return https(c.distribution) ? { uri: c.distribution, filename: undefined, props: PACKAGE, sourceIsDeployable: true, why: 'a Packagist dist URL (a GitHub zipball) names no file' } : { why: 'composer.lock gives no dist URL' };
    case 'pypi': {
      const dist = https(c.distribution);
      if (dist) return { uri: dist, props: PACKAGE, sourceIsDeployable: /\.(tar\.gz|zip)$/.test(dist) };
      return { props: PACKAGE, why: 'the lockfile does not say which distribution file (wheel or sdist) is installed' };
    }
    case 'deb': {
      const pool = c.properties?.['deb:filename'];
      if (pool) return { filename: pool.split('/').pop(), props: PACKAGE, why: 'the apt index names the .deb\'s pool path, not the mirror it comes from' };
      // Installed packages (a dpkg database, an image's): their files are on disk, the .deb they came from is not.
      const installed = /(^|\/)var\/lib\/dpkg\/status(\.d\/[^/]+)?$/.test(c.sourceFile ?? '');
      return { props: PACKAGE, why: c.properties?.['ros:package'] ? 'a released ROS package named by rosdistro: its .deb was not read (give --apt-index with the ROS repository\'s Packages index, or --artefacts DIR with the .deb)' : installed ? 'installed from a .deb that is not there: the dpkg database lists the installed files, not the package file (give --apt-index with the index it came from, or --artefacts DIR with the .deb)' : 'no apt index or .deb was read (give --apt-index or --artefacts DIR, or scan the image)' };
    }
    case 'apk':
      return { filename: `${name}-${v}.apk`, props: PACKAGE, why: 'the apk database names no repository URL' };
    case 'rpm':
      // An rpm's file name has no epoch: name-version-release.arch.rpm.
      return p.qualifiers?.['arch'] ? { filename: `${name}-${v.replace(/^\d+:/, '')}.${p.qualifiers['arch']}.rpm`, props: PACKAGE, why: 'the rpm database names no repository URL' } : { props: PACKAGE, why: 'the rpm database gives no architecture' };
    default:
      return { why: `no registry convention for ${c.ecosystem} components` };
  }
}

/**
 * The GitHub archive of a released ROS package's tag in its release repository,
 * release/<distro>/<package>/<version> (bloom's tag layout), when the repository is on GitHub.
 */
function rosReleaseArchive(c: Component): string | undefined {
  const repo = c.properties?.['ros:release-repository'];
  const pkg = c.properties?.['ros:package'];
  const distro = c.properties?.['ros:distro'];
  const gh = repo ? /^https:\/\/github\.com\/([^/]+)\/([^/]+?)(\.git)?\/?$/.exec(repo) : null;
  return gh && pkg && distro && c.version ? `https://github.com/${gh[1]}/${gh[2]}/archive/refs/tags/release/${distro}/${pkg}/${c.version}.tar.gz` : undefined;
}

/** Why no SHA-512 of the component's file is known, and what input would give one. */
function noHashReason(c: Component): string {
  const give = 'give --artefacts DIR with the file to hash it';
  const other = [...new Set(c.hashes?.map((h) => h.alg))].join(', ');
  if (other) return `the input records ${other} of the file, not SHA-512 (never converted from another algorithm); the file itself was not read (${give})`;
  const candidates = c.candidateHashes ?? [];
  if (candidates.length) return `the lockfile accepts ${candidates.length} files of this release (${[...new Set(candidates.map((h) => h.alg))].join(', ')}) without saying which is installed; the file itself was not read (${give})`;
  return `the input records no hash of the file, and the file itself was not read (${give})`;
}

/** "git+URL@version" (the SPDX download-location form for a VCS), or the repository itself when no version is known (§5.2.4 allows it). */
function vcsUri(url: string, version?: string): string {
  const u = /^[a-z]+\+/.test(url) ? url : `git+${url}`;
  return version ? `${u}@${version}` : url;
}

/** The source package's page in its distribution's archive, by source name and version. */
function debSource(c: Component): string | undefined {
  const src = c.properties?.['deb:source'];
  const ver = c.properties?.['deb:source-version'];
  if (!src || !ver) return undefined;
  const os = parsePurl(c.purl).namespace;
  if (os === 'ubuntu') return `https://launchpad.net/ubuntu/+source/${src}/${ver}`;
  if (os === 'debian') return `https://sources.debian.org/src/${src}/${ver}/`;
  return undefined;
}

export function deployableFacts(c: Component): DeployableFacts {
  const out: DeployableFacts = { hashes: (c.hashes ?? []).filter((h) => h.alg !== 'SHA-512'), unavailable: {} };
  const why = out.unavailable;
  const firstParty = c.root && (c.ecosystem === 'ros' || c.ecosystem === 'generic' || !c.version || c.properties?.['marque:subsystemRoot']);
  if (c.properties?.['marque:subsystemRoot']) {
    for (const k of ['filename', 'hash', 'executable', 'archive', 'structured', 'deployable-uri']) why[k] = 'a subsystem: its parts are listed under it as components; it is not one file';
  } else if (c.type === 'firmware') {
    Object.assign(out, FIRMWARE);
    for (const k of ['filename', 'hash', 'deployable-uri']) why[k] = 'firmware named in marque.yaml; its image was not read';
  } else if (c.ecosystem === 'golang' && c.properties?.['go:binary'] && c.root) {
    Object.assign(out, GO_BINARY);
    out.filename = c.properties['go:binary'].split('/').pop();
    // The SHA-512 is of the binary as its layer streamed by (src/sources/image/layers.ts).
    if (!c.hashes?.some((h) => h.alg === 'SHA-512')) why['hash'] = 'the binary was read from the image\'s layer for its build information without hashing it';
    why['deployable-uri'] = 'a file inside the image, not a download';
  } else if (c.ecosystem === 'ros' && firstParty) {
    for (const k of ['filename', 'hash', 'executable', 'archive', 'structured', 'deployable-uri']) why[k] = 'a workspace package built from source: Marque read its sources, not what the build installs';
  } else {
    const reg = registryFile(c);
    if (reg.props) Object.assign(out, reg.props);
    else for (const k of ['executable', 'archive', 'structured']) why[k] = reg.why ?? 'the form it ships in is not known';
    out.uri = reg.uri;
    if (reg.noFile && !c.hashes?.length) why['hash'] = reg.why!;
    out.filename = reg.filename ?? (reg.uri && !reg.why ? basename(reg.uri) : undefined);
    if (!out.uri) why['deployable-uri'] = reg.why ?? 'not known';
    if (!out.filename) why['filename'] = reg.why ?? 'not known';
    if (reg.sourceIsDeployable && reg.uri) out.sourceUri = reg.uri;
    // A package file that was read (--artefacts, an image's layer): its name is the file's own.
    const read = c.properties?.['marque:artefact'];
    if (read) {
      out.filename = read.split('/').pop()!.replace(/ in layer .*$/, '');
      delete why['filename'];
      if (!out.uri) why['deployable-uri'] = `the file was read (${read}); where it is published is not known`;
      if (reg.props) for (const k of ['executable', 'archive', 'structured']) delete why[k];
    }
  }
  const sha512 = c.hashes?.find((h) => h.alg === 'SHA-512');
  if (sha512 && !why['hash']) { out.sha512 = sha512.value; if (sha512.source) out.sha512Source = sha512.source; }
  else if (!why['hash']) why['hash'] = noHashReason(c);
  const sourceSha512 = c.sourceHashes?.find((h) => h.alg === 'SHA-512');
  const sourceRead = c.properties?.['marque:source-artefact'];
  if (sourceSha512 && sourceRead) {
    const filename = sourceRead.split('/').pop()!;
    out.sourceArchive = { filename, sha512: sourceSha512, ...(rosReleaseArchive(c) ? { uri: rosReleaseArchive(c) } : {}) };
    if (out.sourceArchive.uri) out.sourceUri ??= out.sourceArchive.uri;
  }
  if (c.provenance) out.sourceUri ??= vcsUri(c.provenance.url, c.provenance.version);
  out.sourceUri ??= c.ecosystem === 'deb' ? debSource(c) : undefined;
  if (!out.sourceUri) why['source-uri'] = c.ecosystem === 'deb' ? 'the source package is not known (no apt index or dpkg status field names it)' : 'the input names no source repository or source archive';
  return out;
}

/** The component's creator with an email or URL (§5.2.2): its authors, else its maintainers, else its supplier. */
export function creatorOf(c: Component): { creator?: Person; why?: string } {
  const reachable = (p: Person) => !!(p.email || p.url);
  const found = (c.authors ?? []).find(reachable) ?? (c.maintainers ?? []).find(reachable) ?? (c.supplier && reachable(c.supplier) ? c.supplier : undefined);
  if (found) return { creator: found };
  const named = c.authors?.[0] ?? c.maintainers?.[0] ?? c.supplier;
  if (named?.name) return { creator: named, why: `the input names "${named.name}" without an email address or URL` };
  return { why: `the input does not name who made it (${c.sourceFile ? `${c.sourceFile.split('/').pop()} records none` : 'no author, maintainer or supplier'})` };
}
