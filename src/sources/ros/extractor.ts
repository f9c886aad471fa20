// ROS 2 workspace source: packages found as colcon finds them, dependencies evaluated as
// catkin_pkg evaluates them, keys resolved as rosdep resolves them.
import { ManifestCache } from './manifest-cache.ts';
import { mapLimit } from '../../util/fs.ts';
import { quote } from '../../util/text.ts';
import { LIMITS } from '../../util/file-access.ts';
import { dirname, posix } from 'node:path';
import type { Component, Dependency, Problem, Provenance, Unresolved } from '../../model/inventory.ts';
import { distroQualifier, purlTypeOfInstaller } from '../../model/platforms.ts';
import { rosPurl } from './purl.ts';
import { mapLicenses } from '../../util/license.ts';
import { problemOf } from '../../util/errors.ts';
import type { ExtractContext, Extractor, FoundFile, InventoryFragment } from '../extractor.ts';
import { evaluateCondition, type ConditionContext } from '../../parsers/condition.ts';
import { evaluatePackage, expandGroups, parsePackageXml, type EvaluatedPackage } from '../../parsers/package-xml.ts';
import { parseReposFile, type RepositoryEntry } from './repos.ts';
import { loadRosdep, type RosdepDatabase } from './rosdep.ts';
import { debianName, loadDistribution, releasesFor, type Distribution } from './rosdistro.ts';
import { claimsCMake } from '../cmake/claims.ts';
import { classifyRef } from '../cmake/refs.ts';
import { makePurl } from '../../model/purl.ts';
import { isPackageMarker, locatePackages, type PlainPackage } from './colcon.ts';
import { pep503Name } from '../../model/package-names.ts';

/** Kinds of a ROS dependency, those that ship first (REP 140: bloom puts exec and the exports in Depends). */
const SHIPS: readonly string[] = ['exec', 'build_export', 'buildtool_export', 'build', 'buildtool', 'test', 'doc'];

export const rosExtractor: Extractor = {
  id: 'ros',
  // CMake files too: what a package's build downloads or vendors is a component under it (sources/cmake);
  // and what else makes a folder a package for colcon, or keeps colcon out of it (colcon.ts).
  claims: (rel, name) => isPackageMarker(name) || name.endsWith('.repos') || name.endsWith('.rosinstall') || claimsCMake(rel, name),
  extract: extractRos,
};

/** colcon does not look inside a package for further packages. */
export function outermostPackages(files: FoundFile[]): FoundFile[] {
  const kept = new Set<string>();
  const result: FoundFile[] = [];
  // Shallowest first, so that a package's folder is known before anything below it (each depth counted once).
  const byDepth = files.map((f) => ({ f, depth: f.rel.split('/').length }));
  byDepth.sort((a, b) => a.depth - b.depth || (a.f.rel < b.f.rel ? -1 : 1));
  for (const { f } of byDepth) {
    const dir = posix.dirname(f.rel);
    let nested = kept.has('.');
    for (let d = posix.dirname(dir); !nested && d !== '.'; d = posix.dirname(d)) nested = kept.has(d);
    if (nested && dir !== '.') continue;
    kept.add(dir);
    result.push(f);
  }
  return result;
}

export function conditionContext(ctx: ExtractContext): ConditionContext {
  return { ROS_VERSION: '2', ROS_PYTHON_VERSION: '3', ROS_DISTRO: ctx.options.rosdistro, ...ctx.options.conditionContext };
}

async function extractRos(files: FoundFile[], ctx: ExtractContext): Promise<InventoryFragment> {
  const repoFiles = files.filter((f) => f.name.endsWith('.repos') || f.name.endsWith('.rosinstall'));
  const components: Component[] = [];
  const dependencies: Dependency[] = [];
  const unresolved: Unresolved[] = [];
  // A ROS workspace has a package.xml; a tree without one is another extractor's (a CMake project: sources/cmake).
  if (!files.some((f) => f.name === 'package.xml')) return { components, dependencies, unresolved };

  const problems: Problem[] = [];
  const cond = conditionContext(ctx);
  const [rosdep, distribution, repositories, located] = await Promise.all([
    loadRosdep(ctx.options.rosdepRules, ctx.files).catch((e) => { report(ctx, e); return undefined; }),
    ctx.options.distributions.length
      ? loadDistribution(ctx.options.rosdistro, ctx.options.distributions, ctx.files).catch((e) => { report(ctx, e); return undefined; })
      : Promise.resolve(undefined),
    readRepositories(repoFiles, ctx),
    // The packages colcon finds: package.xml, and plain CMake and Python packages (colcon.ts).
    locatePackages(files, ctx),
  ]);
  const manifests = located.manifests;

  // Parse every manifest; a broken one is reported and the rest go on. One the walk saw with the
  // stamp its parse was kept with is neither read nor parsed (manifest-cache.ts).
  const parsed = new ManifestCache(ctx.root);
  // (Within the limit a read applies: a kept entry may be from a build that allowed more.)
  const kept = manifests.map((f) => (f.size <= LIMITS.manifest ? parsed.byStamp(f) : undefined));
  const texts = await mapLimit(manifests, 64, async (f, i) => (kept[i] ? undefined : ctx.read(f)));
  const packages = new Map<string, { pkg: EvaluatedPackage; file: FoundFile }>();
  manifests.forEach((f, i) => {
    const hit = kept[i];
    if (hit) ctx.countInput(f.path, hit.sha256);
    const text = texts[i];
    if (!hit && text === undefined) return;
    try {
      // Its stamp is kept only when the file did not change while it was read.
      const { manifest, warnings } = hit?.parsed ?? parsed.get(f.rel, text!, f.stamp && ctx.files.stamp(f.path)?.id === f.stamp.id ? f.stamp.id : null, () => parsePackageXml(text!, f.rel));
      warnings.forEach((w) => ctx.problem(w));
      const pkg = evaluatePackage(manifest, cond, problems);
      const previous = packages.get(manifest.name);
      if (previous) {
        ctx.problem({ file: f.rel, line: manifest.line, message: `duplicate package name "${manifest.name}" (also in ${previous.file.rel}); colcon refuses duplicates, the first is kept`, severity: 'error' });
        return;
      }
      packages.set(manifest.name, { pkg, file: f });
    } catch (e) {
      report(ctx, e, f.rel);
    }
  });
  parsed.save();

  // Packages without a package.xml, after those with one: a name colcon would see twice is kept once.
  const plain = new Map<string, PlainPackage>();
  for (const p of located.plain) {
    const previous = packages.get(p.name)?.file.rel ?? plain.get(p.name)?.file.rel;
    if (previous) { ctx.problem({ file: p.file.rel, message: `duplicate package name "${p.name}" (also in ${previous}); colcon refuses duplicates, the first is kept`, severity: 'error' }); continue; }
    plain.set(p.name, p);
  }

  const repositoriesByPath = byPath(repositories);
  const qualifiers = { distro: ctx.options.rosdistro };
  const purlOf = new Map<string, string>();
  for (const [name, { pkg }] of packages) {
    purlOf.set(name, rosPurl({ type: 'ros', name, version: pkg.manifest.version, qualifiers }));
  }
  const plainProvenance = new Map<string, Provenance>();
  for (const [name, p] of plain) {
    const prov = provenanceFor(p.file.rel, repositoriesByPath);
    if (prov) plainProvenance.set(name, prov);
    purlOf.set(name, plainPurl(p, prov));
  }

  const allDeps = expandGroups([...packages.values()].map((p) => p.pkg), problems);
  problems.forEach((p) => ctx.problem(p));

  const external = new Map<string, Component>();
  // A key outside the workspace: a rosdep rule first, then a package the distribution releases.
  const resolveExternal: ResolveExternal = (key, fallback) => {
    const viaRosdep = rosdep?.resolve(key, ctx.options.platform);
    if (viaRosdep?.ok) return { purls: viaRosdep.packages.map((p) => systemComponent(external, key, viaRosdep.installer, p, ctx)) };
    const released = distribution ? releasedComponent(external, key, distribution, ctx) : undefined;
    if (released && 'purl' in released) return { purls: [released.purl] };
    if (viaRosdep && !viaRosdep.ok) return { reason: `rosdep rule for "${key}" (${viaRosdep.reason})` };
    if (released) return { reason: released.reason };
    return { reason: fallback };
  };
  // A key is resolved once: the ROS 2 core's 4,400 dependencies name a few hundred keys, each a rule parsed from the bundled table.
  const resolvedKeys = new Map<string, Resolution>();
  const resolveKey = (key: string): Resolution => {
    const own = purlOf.get(key);
    if (own) return { purls: [own] };
    let r = resolvedKeys.get(key);
    if (!r) resolvedKeys.set(key, (r = resolveExternal(key, rosdep ? `"${key}" is neither a workspace package, a rosdep key${distribution ? ', nor a package of ' + distribution.name : ''}` : 'no rosdep rules loaded')));
    return r;
  };
  // One entry per key, package and line, found without rescanning the list. A <depend> is build, build_export
  // and exec at once: its entry keeps the kind that ships (px4_ros_com's px4_msgs is an exec dependency, not only build).
  const listed = new Map<string, Unresolved>();
  const addUnresolved = (u: Unresolved): void => {
    const id = `${u.key}\0${u.package}\0${u.line ?? ''}`;
    const seen = listed.get(id);
    if (seen) { if (u.kind && (!seen.kind || SHIPS.indexOf(u.kind) < SHIPS.indexOf(seen.kind))) seen.kind = u.kind; return; }
    listed.set(id, u);
    unresolved.push(u);
  };

  for (const [name, { pkg, file }] of packages) {
    const m = pkg.manifest;
    const from = purlOf.get(name)!;
    const lic = mapLicenses(m.licenses.map((l) => l.name));
    const c: Component = {
      purl: from, name, version: m.version, ecosystem: 'ros',
      licenses: lic.spdx.length || lic.raw.length ? [...lic.spdx, ...lic.raw] : [],
      licensesDeclared: m.licenses.map((l) => l.name),
      maintainers: m.maintainers, authors: m.authors, description: m.description, buildType: pkg.buildType,
      sourceFile: file.rel, root: true, firstParty: true, dependenciesComplete: true,
      properties: { 'ros:format': String(m.format), 'ros:build_type': pkg.buildType },
    };
    if (m.maintainers[0]) c.supplier = m.maintainers[0];
    const website = m.urls.find((u) => u.type === 'website');
    if (website) c.homepage = website.url;
    const repoUrl = m.urls.find((u) => u.type === 'repository');
    const prov = provenanceFor(file.rel, repositoriesByPath);
    if (prov) c.provenance = prov;
    else if (repoUrl) c.provenance = { type: 'git', url: repoUrl.url };
    for (const u of m.urls) c.properties![`ros:url:${u.type}`] ??= u.url;
    if (m.metapackage) c.properties!['ros:metapackage'] = 'true';
    if (m.deprecated) c.properties!['ros:deprecated'] = m.deprecated;
    components.push(c);

    // Indexed loops: 4,400 dependencies, in code that runs once (a for-of allocates an iterator's results until optimised).
    const deps = allDeps.get(name)!;
    for (let i = 0; i < deps.length; i++) {
      const d = deps[i]!;
      const r = resolveKey(d.name);
      if ('reason' in r) {
        const u: Unresolved = { key: d.name, package: name, from, file: file.rel, kind: d.kind, reason: r.reason };
        if (d.line !== undefined) u.line = d.line;
        addUnresolved(u);
        continue;
      }
      for (let j = 0; j < r.purls.length; j++) {
        const to = r.purls[j]!;
        const edge: Dependency = { from, to, kind: d.kind };
        if (d.constraint) edge.constraint = d.constraint;
        if (d.condition !== undefined) edge.condition = d.condition;
        dependencies.push(edge);
      }
    }
  }
  const plainNotes = plainComponents(plain, { purlOf, provenance: plainProvenance, components, dependencies, rosdep, distribution, ctx });
  const notes = await followReleased(external, dependencies, addUnresolved, { resolveExternal, distribution, cond, ctx });
  notes.push(...located.notes, ...plainNotes);
  for (const x of external.values()) components.push(x);
  // Sources each package's CMake build pulls in (ExternalProject, FetchContent, ament_vendor, vendored folders, submodules).
  const withCMake = new Set(files.filter((f) => f.name === 'CMakeLists.txt').map((f) => posix.dirname(f.rel)));
  const entries = [...packages.entries()].map(([name, { file }]) => ({ dir: posix.dirname(file.rel), purl: purlOf.get(name)! })).filter((e) => withCMake.has(e.dir));
  for (const [name, p] of plain) if (p.kind === 'cmake') entries.push({ dir: p.dir, purl: purlOf.get(name)! });
  const packageDirs = new Set([...manifests.map((f) => posix.dirname(f.rel)), ...[...plain.values()].map((p) => p.dir)]);
  // Loaded only when a package builds with CMake: a Python-only workspace never loads the reader.
  const vendored = entries.length
    ? await (await import('../cmake/vendored-sources.ts')).vendoredSources(entries, files, ctx, packageDirs)
    : { components: [], dependencies: [], notes: [] };
  for (const c of vendored.components) components.push(c);
  for (const d of vendored.dependencies) dependencies.push(d);
  // A *_vendor package names what it builds: the upstream read from its CMake files, or that none was seen.
  const pulled = new Map<string, string[]>();
  for (const d of vendored.dependencies) pulled.set(d.from, [...(pulled.get(d.from) ?? []), d.to]);
  const silent: string[] = [];
  for (const [name, { file }] of packages) {
    if (!name.endsWith('_vendor')) continue;
    const c = components.find((x) => x.purl === purlOf.get(name))!;
    const upstreams = pulled.get(c.purl);
    if (upstreams) c.properties!['vendored:upstream'] = upstreams.join(' ');
    else if (withCMake.has(posix.dirname(file.rel))) silent.push(name);
  }
  if (silent.length) notes.push(`${silent.length} vendor package(s) download or vendor nothing Marque can see in their CMake files (a wrapper of the system's library, like tinyxml2_vendor, or the upstream's own source, like gtest_vendor): ${silent.join(', ')}`);
  return { components, dependencies, unresolved, notes: [...notes, ...(vendored.notes ?? [])] };
}

/**
 * Through each released package, follow what ships with it: the evaluated exec, build_export and
 * buildtool_export dependencies of its package.xml from the rosdistro cache (what bloom writes into
 * the deb's Depends, REP 140), recursively. Build, test and doc dependencies of a released package
 * do not ship and are not followed. A package whose package.xml is not in the cache stays a leaf.
 */
async function followReleased(
  external: Map<string, Component>, dependencies: Dependency[], addUnresolved: (u: Unresolved) => void,
  env: { resolveExternal: ResolveExternal; distribution: Distribution | undefined; cond: ConditionContext; ctx: ExtractContext },
): Promise<string[]> {
  const { resolveExternal, distribution, cond, ctx } = env;
  const released = () => [...external.values()].filter((c) => c.properties?.['ros:package'] && !c.properties['marque:closure']);
  if (!distribution || released().length === 0) return [];
  const { ros, problems } = await ctx.catalogs();
  problems.forEach((p) => ctx.problem(p));
  if (!ros) {
    for (const c of released()) c.properties!['marque:closure'] = 'not followed: no rosdistro cache';
    return [`Depth stops at released ROS packages: their own dependencies come from the rosdistro cache of ${distribution.name}. Give --rosdistro-cache FILE (${distribution.name}-cache.yaml.gz), set inventory.rosdistroCache in marque.yaml, or run "marque db import" on the cache (or "marque db update --rosdistro-cache").`];
  }
  const origin = ros.origins[0] ?? 'rosdistro cache';
  const missing: string[] = [];
  const queue = released();
  const queued = new Set(queue.map((c) => c.purl));
  for (let i = 0; i < queue.length; i++) {
    const c = queue[i]!;
    const name = c.properties!['ros:package']!;
    const m = ros.get(name);
    if (!m) {
      c.properties!['marque:closure'] = 'leaf: package.xml not in the rosdistro cache';
      missing.push(name);
      continue;
    }
    c.properties!['marque:closure'] = 'followed';
    c.properties!['ros:upstream-version'] = m.version;
    if (!c.licenses.length) { c.licenses = m.licenses; c.licensesDeclared = m.licensesDeclared; }
    if (!c.supplier && m.maintainers[0]) c.supplier = m.maintainers[0];
    c.maintainers ??= m.maintainers;
    const repoUrl = m.urls.find((u) => u.type === 'repository');
    if (repoUrl) c.properties!['ros:url:repository'] = repoUrl.url;
    let complete = true;
    for (const d of m.depends) {
      let holds: boolean;
      try { holds = evaluateCondition(d.condition, cond); } catch {
        ctx.problem({ file: origin, message: `${name}: invalid condition ${quote(d.condition ?? '')} in its released package.xml; dependency "${d.name}" not followed`, severity: 'warning' });
        complete = false;
        continue;
      }
      if (!holds) continue;
      const r = resolveExternal(d.name, `"${d.name}" is neither a rosdep key nor a package of ${distribution.name}`);
      if ('reason' in r) {
        complete = false;
        addUnresolved({ key: d.name, package: name, from: c.purl, file: origin, kind: d.kind, reason: r.reason });
        continue;
      }
      for (const to of r.purls) {
        const target = external.get(to);
        if (target?.properties?.['ros:package'] && !queued.has(to)) { queued.add(to); queue.push(target); }
        const edge: Dependency = { from: c.purl, to, kind: d.kind };
        if (d.constraint) edge.constraint = d.constraint;
        if (d.condition !== undefined) edge.condition = d.condition;
        dependencies.push(edge);
      }
    }
    c.dependenciesComplete = complete;
  }
  if (!missing.length) return [];
  const shown = missing.slice(0, 5).join(', ');
  return [`${missing.length} released ROS package(s) have no package.xml in the rosdistro cache and stay leaves: ${shown}${missing.length > 5 ? ', …' : ''} (properties "marque:closure")`];
}

/**
 * The purl of a package built from the workspace without a package.xml. A CMake package is named as
 * sources/cmake names what is built from source (a project, a vendored folder): pkg:generic with its
 * version; the repository the .repos file checked it out from is its vcs_url (as identity.ts writes a
 * git source on another host than GitHub), pinned to the .repos version when that is a tag or a commit.
 * pkg:github is not used: it names a repository, and one repository may hold several packages. A Python
 * package is named as sources/python names a project with a declared name: pkg:pypi.
 */
function plainPurl(p: Pick<PlainPackage, 'kind' | 'name' | 'version'>, prov: Provenance | undefined): string {
  if (p.kind === 'python') return makePurl({ type: 'pypi', name: p.name, version: p.version });
  const qualifiers: Record<string, string> = {};
  if (prov && ['git', 'hg', 'svn', 'bzr'].includes(prov.type)) {
    const pinned = prov.version !== undefined && prov.version !== '' && (prov.type !== 'git' || classifyRef(prov.version).kind !== 'branch');
    qualifiers['vcs_url'] = `${prov.type}+${prov.url}${pinned ? `@${prov.version}` : ''}`;
  } else if (prov?.type === 'tar' || prov?.type === 'zip') qualifiers['download_url'] = prov.url;
  return makePurl({ type: 'generic', name: p.name, version: p.version, qualifiers });
}

/**
 * Components of the packages colcon builds without a package.xml, and their dependencies: on a
 * workspace package by its name; a Python requirement otherwise on the PyPI package of that name
 * (its version known only where it is installed); a CMake package's find_package() names otherwise
 * stay a property, as for a CMake project (sources/cmake/extractor.ts). Returns the notes.
 */
function plainComponents(
  plain: ReadonlyMap<string, PlainPackage>,
  env: { purlOf: ReadonlyMap<string, string>; provenance: ReadonlyMap<string, Provenance>; components: Component[]; dependencies: Dependency[]; rosdep: RosdepDatabase | undefined; distribution: Distribution | undefined; ctx: ExtractContext },
): string[] {
  const { purlOf, components, dependencies, rosdep, distribution, ctx } = env;
  const shadows: string[] = [];
  const notFound: string[] = [];
  const unread: string[] = [];
  const pypi = new Map<string, Component>();
  // What the name resolves to outside the workspace, as resolveExternal tries: a rosdep rule, then a released package.
  const outside = (key: string): string | undefined => {
    const r = rosdep?.resolve(key, ctx.options.platform);
    if (r?.ok) return `${r.packages.join(', ')} (rosdep's ${r.installer} rule)`;
    const rel = distribution?.packages.get(key);
    return distribution && rel?.version ? `${debianName(distribution.name, key)} ${rel.version} (released in ${distribution.name})` : undefined;
  };
  for (const [name, p] of plain) {
    const purl = purlOf.get(name)!;
    const props: Record<string, string> = { 'colcon:type': p.kind };
    if (p.kind === 'cmake') props['cmake:project'] = name;
    if (p.versionFrom) props['colcon:version-from'] = p.versionFrom;
    else props['marque:version'] = p.unknownVersion ?? 'unknown';
    const c: Component = {
      purl, name, version: p.version, ecosystem: p.kind === 'python' ? 'pypi' : 'generic', licenses: [],
      sourceFile: p.file.rel, root: true, firstParty: true, buildType: p.kind, dependenciesComplete: true, properties: props,
    };
    const prov = env.provenance.get(name);
    if (prov) c.provenance = prov;
    const shadowed = outside(name);
    if (shadowed) {
      props['colcon:shadows'] = shadowed;
      shadows.push(`${name} (${p.dir}${p.version ? `, ${p.version}` : ''}) instead of ${shadowed}`);
    }
    const unresolvedNames: string[] = [];
    for (const d of p.depends) {
      const kind = d.kind === 'run' ? 'runtime' : d.kind;
      const to = purlOf.get(d.name);
      let target = to;
      if (!target && p.kind === 'python') {
        const id = pep503Name(d.name);
        target = makePurl({ type: 'pypi', name: id });
        if (!pypi.has(target)) {
          pypi.set(target, {
            purl: target, name: id, version: '', ecosystem: 'pypi', licenses: [], dependenciesComplete: false,
            properties: { 'marque:version': 'unknown: a requirement of a workspace Python package (setup.py or setup.cfg) with no lockfile: its version is known only where it is installed' },
          });
        }
      }
      if (!target) { if (!unresolvedNames.includes(d.name)) unresolvedNames.push(d.name); continue; }
      if (target === purl) continue;
      const edge: Dependency = { from: purl, to: target, kind };
      if (d.constraint) edge.constraint = d.constraint;
      dependencies.push(edge);
    }
    if (unresolvedNames.length) {
      c.dependenciesComplete = false;
      props['cmake:find_package'] = unresolvedNames.join(' ');
      props['vendored:closure'] = 'its find_package() dependencies on installed libraries are not resolved';
      notFound.push(`${name} (${unresolvedNames.join(', ')})`);
    }
    if (p.unreadDepends) {
      c.dependenciesComplete = false;
      props['python:unread-requirements'] = p.unreadDepends.join('; ');
      unread.push(`${name} (${p.unreadDepends.join('; ')})`);
    }
    components.push(c);
  }
  for (const x of pypi.values()) components.push(x);
  const notes: string[] = [];
  const list = (xs: string[]) => `${xs.slice(0, 5).join('; ')}${xs.length > 5 ? '; …' : ''}`;
  if (shadows.length) notes.push(`${shadows.length} workspace package(s) without a package.xml have the name of a rosdep key, which rosdep cannot know the workspace builds (ROS 2's build from source passes such keys to "rosdep install --skip-keys"): what depends on them is given the workspace's own copy, not the package the key names: ${list(shadows)} (property "colcon:shadows")`);
  if (notFound.length) notes.push(`${notFound.length} workspace CMake package(s) find_package() or pkg-config names that are no workspace package; what provides them on the build machine is not resolved: ${list(notFound)} (property "cmake:find_package")`);
  if (unread.length) notes.push(`${unread.length} workspace Python package(s) pass setup() requirements Marque cannot read without running setup.py, so their dependencies are incomplete: ${list(unread)}`);
  return notes;
}

type Resolution = { purls: string[] } | { reason: string };
type ResolveExternal = (key: string, fallback: string) => Resolution;

function report(ctx: ExtractContext, e: unknown, file = '.'): void {
  ctx.problem(problemOf(e, file));
}

async function readRepositories(files: FoundFile[], ctx: ExtractContext): Promise<RepositoryEntry[]> {
  const out: RepositoryEntry[] = [];
  for (const f of files) {
    const text = await ctx.read(f);
    if (text === undefined) continue;
    const problems: Problem[] = [];
    try {
      const base = posix.dirname(f.rel);
      for (const e of parseReposFile(text, f.rel, problems)) {
        // `vcs import src < x.repos` is the custom: accept the path from the file's folder or its src/.
        for (const prefix of [base, base === '.' ? 'src' : `${base}/src`]) {
          out.push({ ...e, path: posix.normalize(prefix === '.' ? e.path : `${prefix}/${e.path}`) });
        }
      }
    } catch (e) {
      report(ctx, e);
    }
    problems.forEach((p) => ctx.problem(p));
  }
  return out;
}

/** The repository a package's folder was checked out from: the entry with the longest path that is the folder or holds it (the first of equals). */
function provenanceFor(manifestRel: string, repos: ReadonlyMap<string, RepositoryEntry>): Provenance | undefined {
  if (!repos.size) return undefined;
  // The folder, then each folder above it, looked up by path: not every entry tried for every package.
  let best: RepositoryEntry | undefined;
  for (let dir = dirname(manifestRel); !best; dir = dir.slice(0, dir.lastIndexOf('/'))) {
    best = repos.get(dir);
    if (!dir.includes('/')) break;
  }
  if (!best) return undefined;
  const { path: _path, ...provenance } = best;
  return provenance;
}

/** Entries by path, the first of each path (as the longest-path search keeps the first of equals). */
function byPath(repos: readonly RepositoryEntry[]): Map<string, RepositoryEntry> {
  const m = new Map<string, RepositoryEntry>();
  for (const r of repos) if (!m.has(r.path)) m.set(r.path, r);
  return m;
}

function systemComponent(seen: Map<string, Component>, key: string, installer: string, pkg: string, ctx: ExtractContext): string {
  const type = purlTypeOfInstaller(installer) ?? 'generic';
  const platform = ctx.options.platform;
  const qualifiers: Record<string, string> = {};
  if (type === 'deb' || type === 'rpm' || type === 'apk') qualifiers['distro'] = distroQualifier(platform);
  const namespace = type === 'deb' || type === 'rpm' || type === 'apk' ? platform.os : undefined;
  const purl = rosPurl({ type, namespace, name: pkg, qualifiers });
  if (!seen.has(purl)) {
    seen.set(purl, {
      purl, name: pkg, version: '', ecosystem: type === 'deb' ? 'deb' : type === 'pypi' ? 'pypi' : 'generic',
      licenses: [], dependenciesComplete: false,
      properties: { 'rosdep:key': key, 'rosdep:installer': installer, 'marque:version': 'unknown until installed' },
    });
  }
  return purl;
}

function releasedComponent(seen: Map<string, Component>, key: string, dist: Distribution, ctx: ExtractContext): { purl: string } | { reason: string } | undefined {
  const rel = dist.packages.get(key);
  if (!rel) return undefined;
  const platform = ctx.options.platform;
  if (!rel.version) return { reason: `"${key}" is registered in ${dist.name} but not released` };
  if (!releasesFor(dist, platform)) {
    return { reason: `"${key}" is a ${dist.name} package, but ${dist.name} is not released for ${platform.os}:${platform.codename}` };
  }
  const name = debianName(dist.name, key);
  const purl = rosPurl({ type: 'deb', namespace: platform.os, name, version: rel.version, qualifiers: { distro: distroQualifier(platform) } });
  if (!seen.has(purl)) {
    const c: Component = {
      purl, name, version: rel.version, ecosystem: 'deb', licenses: [], dependenciesComplete: false,
      properties: { 'ros:package': key, 'ros:distro': dist.name, 'ros:repository': rel.repository, 'ros:upstream-version': rel.version.replace(/-\d+$/, '') },
    };
    if (rel.sourceUrl) c.provenance = { type: 'git', url: rel.sourceUrl, ...(rel.sourceVersion ? { version: rel.sourceVersion } : {}) };
    if (rel.status) c.properties!['ros:status'] = rel.status;
    if (rel.releaseUrl) c.properties!['ros:release-repository'] = rel.releaseUrl;
    seen.set(purl, c);
  }
  return { purl };
}

