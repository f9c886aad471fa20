// Which component a package file is, by its ecosystem's file-naming convention: npm's
// name-version.tgz (npm pack's scope-name-version.tgz), PyPI's sdists and wheels (PEP 427/625,
// names compared as PEP 503 normalises them), Debian's name_version_arch.deb (the epoch dropped, or
// kept as apt's cache writes it, %3a), rpm's name-version-release.arch.rpm, Alpine's
// name-version.apk, crates.io's name-version.crate, RubyGems' name-version(-platform).gem, NuGet's
// id.version.nupkg, Maven's artifactId-version(-classifier).jar, and a ROS release repository's
// GitHub tarball <repo>-release-<distro>-<package>-<version>.tar.gz (what GitHub names the archive of
// the tag release/<distro>/<package>/<version>). A file that follows none is not guessed at.
import { parsePurl } from '../../model/purl.ts';
import type { Component, Ecosystem } from '../../model/inventory.ts';
import { pep503Name } from '../../model/package-names.ts';

/** How a file relates to a component: its deployable form, or the source archive it is built from. */
export type ArtefactRole = 'deployable' | 'source';

export interface ArtefactKey { key: string; role: ArtefactRole }

const norm = (ecosystem: Ecosystem, name: string) => (ecosystem === 'pypi' ? pep503Name(name) : ecosystem === 'nuget' ? name.toLowerCase() : name);
const keyOf = (ecosystem: Ecosystem, name: string, version: string) => `${ecosystem}|${norm(ecosystem, name)}|${ecosystem === 'nuget' || ecosystem === 'pypi' ? version.toLowerCase() : version}`;
const noEpoch = (v: string) => v.replace(/^\d+:/, '');

/** File extensions that may be a package file, by ecosystem (the walk looks at nothing else). */
const EXTENSIONS: [RegExp, Ecosystem[]][] = [
  [/\.tgz$/, ['npm']],
  [/\.whl$/, ['pypi']],
  [/\.(tar\.gz|zip)$/, ['pypi', 'ros']],
  [/\.deb$/, ['deb']],
  [/\.rpm$/, ['rpm']],
  [/\.apk$/, ['apk']],
  [/\.crate$/, ['cargo']],
  [/\.gem$/, ['gem']],
  [/\.nupkg$/, ['nuget']],
  [/\.(jar|war|aar|pom)$/, ['maven']],
];

export const looksLikePackageFile = (name: string) => EXTENSIONS.some(([re]) => re.test(name));

/** Every "name|version" split of a stem at a separator: "a-b-1.0" gives a / b-1.0 and a-b / 1.0. */
function splits(stem: string, sep: string): [string, string][] {
  const out: [string, string][] = [];
  for (let i = stem.indexOf(sep); i > 0; i = stem.indexOf(sep, i + 1)) out.push([stem.slice(0, i), stem.slice(i + 1)]);
  return out;
}

/** The keys a file name may stand for: each a component (ecosystem, name, version) and the file's role. */
export function keysOfFile(file: string): ArtefactKey[] {
  const keys: ArtefactKey[] = [];
  const add = (ecosystem: Ecosystem, name: string, version: string, role: ArtefactRole = 'deployable') => { if (name && version) keys.push({ key: keyOf(ecosystem, name, version), role }); };
  let m: RegExpExecArray | null;
  if ((m = /^(.+)\.tgz$/.exec(file))) for (const [n, v] of splits(m[1]!, '-')) add('npm', n, v);
  if ((m = /^([^-]+)-([^-]+)(-\d[^-]*)?-[^-]+-[^-]+-[^-]+\.whl$/.exec(file))) add('pypi', m[1]!, m[2]!);
  if ((m = /^(.+)\.(tar\.gz|zip)$/.exec(file))) for (const [n, v] of splits(m[1]!, '-')) add('pypi', n, v);
  if ((m = /^([^_]+)_([^_]+)_([^_]+)\.deb$/.exec(file))) {
    // The pool drops the epoch; apt's cache keeps it as %3a. Both name the same version.
    const v = decodeURIComponent(m[2]!);
    add('deb', m[1]!, noEpoch(v));
    add('deb', `${m[1]!}@${m[3]!}`, noEpoch(v));
    const ros = rosDebVersion(file);
    if (ros) { add('deb', ros.name, ros.version); add('deb', `${ros.name}@${m[3]!}`, ros.version); }
  }
  if ((m = /^(.+)\.([^.]+)\.rpm$/.exec(file))) for (const [n, v] of splits(m[1]!, '-')) { add('rpm', n, v); add('rpm', `${n}@${m[2]!}`, v); }
  if ((m = /^(.+)\.apk$/.exec(file))) for (const [n, v] of splits(m[1]!, '-')) add('apk', n, v);
  if ((m = /^(.+)\.crate$/.exec(file))) for (const [n, v] of splits(m[1]!, '-')) add('cargo', n, v);
  if ((m = /^(.+)\.gem$/.exec(file))) for (const [n, v] of splits(m[1]!, '-')) { add('gem', n, v); add('gem', n, v.split('-')[0]!); }
  if ((m = /^(.+)\.nupkg$/.exec(file))) for (const [n, v] of splits(m[1]!, '.')) add('nuget', n, v);
  if ((m = /^(.+)\.(jar|war|aar|pom)$/.exec(file))) for (const [n, v] of splits(m[1]!, '-')) add('maven', `${n}.${m[2]!}`, v);
  // A ROS release tarball from GitHub: <repo>-release-release-<distro>-<package>-<version>.tar.gz.
  if ((m = /^.+?-release-release-([a-z]+)-(.+)\.tar\.gz$/.exec(file))) for (const [p, v] of splits(m[2]!, '-')) add('ros', `${m[1]!}/${p}`, v, 'source');
  return keys;
}

/** The keys a component is found under (the inverse of keysOfFile), with the file's role. */
export function keysOfComponent(c: Component): ArtefactKey[] {
  if (!c.version) return [];
  let p;
  try { p = parsePurl(c.purl); } catch { return []; }
  const v = c.version;
  const d = (ecosystem: Ecosystem, name: string, version = v): ArtefactKey => ({ key: keyOf(ecosystem, name, version), role: 'deployable' });
  switch (c.ecosystem) {
    case 'npm': return [d('npm', p.name), ...(p.namespace ? [d('npm', `${p.namespace.replace(/^@/, '')}-${p.name}`)] : [])];
    case 'pypi': return [d('pypi', p.name)];
    case 'deb': {
      const arch = p.qualifiers?.['arch'];
      const keys = [arch ? d('deb', `${p.name}@${arch}`, noEpoch(v)) : d('deb', p.name, noEpoch(v))];
      // A released ROS package's tarball in its release repository (the source its .deb is built from).
      const ros = c.properties?.['ros:package'];
      const distro = c.properties?.['ros:distro'];
      if (ros && distro) keys.push({ key: keyOf('ros', `${distro}/${ros}`, v), role: 'source' });
      return keys;
    }
    case 'rpm': {
      const arch = p.qualifiers?.['arch'];
      return [arch ? d('rpm', `${p.name}@${arch}`, p.version ?? noEpoch(v)) : d('rpm', p.name, p.version ?? noEpoch(v))];
    }
    case 'apk': return [d('apk', p.name)];
    case 'cargo': return [d('cargo', p.name)];
    case 'gem': return [d('gem', p.name)];
    case 'nuget': return [d('nuget', p.name)];
    case 'maven': return [d('maven', `${p.name}.${p.qualifiers?.['type'] ?? 'jar'}`)];
    default: return [];
  }
}

/**
 * A released ROS package's .deb from the ROS buildfarm carries more than the rosdistro version:
 * <version><codename>.<build date> (ros-jazzy-rclcpp_28.1.0-1noble.20250110.123456_amd64.deb). The
 * version the component has is that prefix.
 */
export function rosDebVersion(file: string): { name: string; version: string } | undefined {
  const m = /^(ros-[a-z]+-[^_]+)_(.+?-\d+)[a-z]+\.\d{8}\.\d{6}_[^_]+\.deb$/.exec(file);
  return m ? { name: m[1]!, version: m[2]! } : undefined;
}

export const componentKey = keyOf;
