// Sources a C/C++ build pulls in, as components under the package or project that pulls them:
// downloads its CMake files declare (ExternalProject_Add, FetchContent, ament_vendor, CPM), folders
// of other projects' code it builds with add_subdirectory or keeps under third_party/, and git
// submodules. A version that cannot be known without running the build is said, with the reason.
import { posix } from 'node:path';
import type { Component, DependencyKind, Problem } from '../../model/inventory.ts';
import { makePurl } from '../../model/purl.ts';
import { mapLimit } from '../../util/fs.ts';
import { scannedTree, type TreeAccess } from './tree-access.ts';
import { mapLicenses } from '../../util/license.ts';
import { problemOf } from '../../util/errors.ts';
import { FragmentBuilder } from '../common/fragment.ts';
import type { ExtractContext, FoundFile, InventoryFragment } from '../extractor.ts';
import type { Platform } from '../../model/platforms.ts';
import { parsePackageXml } from '../../parsers/package-xml.ts';
import { classifyRef, githubRepository, identifyPull, repositoryKey, type Identity } from './identity.ts';
import { allOf, CMakeReader, negate, type Pull, type ReadResult } from './interpret.ts';
import { isLicenseFile, isVersionFile, mainHeaderCandidates, splitFolderName, THIRD_PARTY_DIR, versionFromFile, versionFromHeader, versionFromVariables } from './folder.ts';
import { parseGitmodules, readGitIndex, type Submodule } from './gitmodules.ts';
import { tokenize } from './lexer.ts';
import { structure, type Node } from './script.ts';
import { single, textOf, type Val } from './values.ts';
import { evaluateCondition } from './condition.ts';
import { checkoutOrigin, openGitFiles, type CheckoutOrigin, type GitFiles } from './git-files.ts';

/** Words without which a package's own CMake files download nothing (command names are case-insensitive). */
const PULLS_SOMETHING = /externalproject_add|fetchcontent_(declare|populate)|ament_vendor|cpm(add|declare|find)package|\.\.\//i;

/** A CMake file of megabytes is not a build file. */
const MAX_CMAKE_BYTES = 4 * 1024 * 1024;

/** A folder whose CMakeLists.txt is read, and the component that pulls what its build pulls. */
export interface VendoringEntry { dir: string; purl: string }

const TEST_PATH = /(^|\/)(test|tests|testing|testdata|test_data|fixtures|examples?|samples?|benchmarks?)(\/|$)/i;

/** Variables CMake defines for a Linux target (the platforms ROS releases for); other systems' are unset. */
export function platformVariables(p: Platform): Map<string, string> {
  const windows = /^windows/i.test(p.os);
  const mac = /^(osx|macos|darwin)$/i.test(p.os);
  const system = windows ? 'Windows' : mac ? 'Darwin' : 'Linux';
  const m = new Map<string, string>([['CMAKE_SYSTEM_NAME', system], ['CMAKE_HOST_SYSTEM_NAME', system]]);
  const set = (names: string[], on: boolean) => { for (const n of names) m.set(n, on ? '1' : '\0'); };
  set(['WIN32', 'CMAKE_HOST_WIN32'], windows);
  set(['APPLE', 'CMAKE_HOST_APPLE'], mac);
  set(['UNIX', 'CMAKE_HOST_UNIX'], !windows);
  set(['LINUX', 'CMAKE_HOST_LINUX'], !windows && !mac);
  set(['ANDROID', 'IOS', 'CYGWIN', 'MINGW', 'MSYS', 'QNX', 'EMSCRIPTEN', 'WINCE', 'WINDOWS_PHONE', 'WINDOWS_STORE', 'BORLAND', 'WATCOM', 'XCODE'], false);
  if (!windows) set(['MSVC', 'MSVC_IDE', 'MSVC_VERSION', 'MSVC_TOOLSET_VERSION', 'CLANG_CL'], false);
  return m;
}

interface FolderUse {
  rel: string;
  method: string;
  declaredAt?: string;
  conditions: string[];
  test: boolean;
  /** The vendored folder (rel) or undefined: the entry. */
  owner?: string;
  entry: VendoringEntry;
  submodule?: { module: Submodule; gitmodules: string; commit?: string; tag?: string; checkedOut?: string; unknown?: string };
}

export interface VendoredStats { entries: number; commands: number; pulls: number; folders: number; submodules: number; unknownVersions: number; notFollowed: number; skipped: number }

// The entry point, which checks a kept reading before loading this module: vendored-sources.ts.
export { vendoredSources } from './vendored-sources.ts';

export type VendoredResult = InventoryFragment & { stats: VendoredStats };

/** vendoredSources, every file read through `tree`. */
export async function readVendored(entries: VendoringEntry[], files: FoundFile[], ctx: ExtractContext, packageDirs: ReadonlySet<string>, tree: TreeAccess): Promise<VendoredResult> {
  const out = new FragmentBuilder();
  const stats: VendoredStats = { entries: entries.length, commands: 0, pulls: 0, folders: 0, submodules: 0, unknownVersions: 0, notFollowed: 0, skipped: 0 };
  const notes: string[] = [];
  if (!entries.length) return { ...out.build(), notes, stats };
  const root = ctx.root;
  const byRel = new Map(files.map((f) => [f.rel, f]));
  const dirNames = new Map<string, string[]>();
  for (const f of files) {
    const d = posix.dirname(f.rel);
    const l = dirNames.get(d);
    if (l) l.push(f.name); else dirNames.set(d, [f.name]);
  }
  const inside = (rel: string, dir: string) => dir === '.' || rel === dir || rel.startsWith(`${dir}/`);
  const entryDirs = new Set(entries.map((e) => e.dir));
  const within = (rel: string) => {
    if (entryDirs.has('.')) return true;
    for (let d = posix.dirname(rel); d !== '.'; d = posix.dirname(d)) if (entryDirs.has(d)) return true;
    return false;
  };

  // CMake files are read when the reading reaches them (most of a big tree's never are), once, and parsed once.
  const texts = new Map<string, string>();
  const readCMake = (rel: string): string | undefined => {
    if (texts.has(rel)) return texts.get(rel);
    const f = byRel.get(rel);
    if (!f || !within(rel)) return undefined;
    const text = tree.text(f.path, MAX_CMAKE_BYTES);
    if (text !== undefined) texts.set(rel, text);
    return text;
  };
  const parsed = new Map<string, Node[] | null>();
  // Paths the reader makes are joined and normalised from the root: a prefix says whether one is inside.
  const prefix = root.endsWith('/') ? root : `${root}/`;
  const toRel = (abs: string): string | undefined => (abs === root ? '.' : abs.startsWith(prefix) ? abs.slice(prefix.length) : undefined);
  const load = (abs: string): Node[] | undefined => {
    const rel = toRel(abs);
    if (!rel) return undefined;
    const hit = parsed.get(rel);
    if (hit !== undefined) return hit ?? undefined;
    const text = readCMake(rel);
    if (text === undefined) { parsed.set(rel, null); return undefined; }
    try {
      const problems: Problem[] = [];
      const nodes = structure(tokenize(text, rel), rel, problems);
      problems.forEach((p) => ctx.problem(p));
      parsed.set(rel, nodes);
      return nodes;
    } catch (e) {
      ctx.problem(problemOf(e, rel));
      parsed.set(rel, null);
      return undefined;
    }
  };

  const submodules = readSubmodules(files, ctx, tree);
  const submoduleAt = new Map<string, FolderUse['submodule']>();
  for (const s of await submodules) submoduleAt.set(s.rel, s.info);

  /** The folder of other projects' code `rel` lies in (below `stop`), if any. */
  const vendoredRoot = (rel: string, stop: string): string | undefined => {
    for (let d = rel; d !== stop && d !== '.' && inside(d, stop); d = posix.dirname(d)) {
      if (submoduleAt.has(d)) return d;
      if (THIRD_PARTY_DIR.test(posix.basename(posix.dirname(d)))) return d;
      const names = dirNames.get(d) ?? [];
      if (names.some(isLicenseFile) && (names.includes('package.xml') || names.includes('CMakeLists.txt'))) return d;
    }
    return undefined;
  };

  /**
   * Whether a folder of the tree a pull builds from (SOURCE_DIR) is other people's code: it, or a folder
   * above it below the nearest package, is a submodule, a child of a third-party folder, or has its own
   * licence file and build file. Else it is the product's own.
   */
  const othersCode = (rel: string): boolean => {
    for (let d = rel; d !== '.' && !packageDirs.has(d) && !entryDirs.has(d); d = posix.dirname(d)) {
      if (submoduleAt.has(d) || THIRD_PARTY_DIR.test(posix.basename(posix.dirname(d)))) return true;
      const names = dirNames.get(d) ?? [];
      if (names.some(isLicenseFile) && (names.includes('package.xml') || names.includes('CMakeLists.txt'))) return true;
    }
    return false;
  };

  const folders = new Map<string, FolderUse>();
  const folderVersions = new Map<string, { version: string; from: string }>();
  const readings: { entry: VendoringEntry; result: ReadResult }[] = [];
  const platform = platformVariables(ctx.options.platform);
  // A package whose CMake files name no download and no file above its folder, and that holds no folder an
  // add_subdirectory() could make vendored, pulls nothing in: its files are read, not interpreted (most ROS
  // packages: their add_subdirectory(test) enters their own code).
  const entryOf = (rel: string): string | undefined => {
    for (let d = rel; ; d = posix.dirname(d)) { if (entryDirs.has(d)) return d; if (d === '.') return undefined; }
  };
  const cmakeOf = new Map<string, string[]>();
  for (const f of files) {
    if (f.name !== 'CMakeLists.txt' && !f.name.endsWith('.cmake')) continue;
    const e = entryOf(posix.dirname(f.rel));
    if (e !== undefined) { const l = cmakeOf.get(e); if (l) l.push(f.rel); else cmakeOf.set(e, [f.rel]); }
  }
  const withCandidates = new Set<string>();
  for (const [d, names] of dirNames) {
    if (d === '.' || entryDirs.has(d)) continue;
    const candidate = submoduleAt.has(d) || THIRD_PARTY_DIR.test(posix.basename(posix.dirname(d))) || (names.some(isLicenseFile) && (names.includes('package.xml') || names.includes('CMakeLists.txt')));
    const e = candidate ? entryOf(posix.dirname(d)) : undefined;
    if (e !== undefined) withCandidates.add(e);
  }
  const mayPull = (entry: VendoringEntry) => withCandidates.has(entry.dir) || (cmakeOf.get(entry.dir) ?? []).some((rel) => PULLS_SOMETHING.test(readCMake(rel) ?? ''));
  for (const entry of entries) {
    if (!mayPull(entry)) continue;
    const abs = entry.dir === '.' ? root : posix.join(root, entry.dir);
    const reader = new CMakeReader({
      load,
      isFolder: (p) => { const rel = toRel(p); return rel !== undefined && dirNames.has(rel); },
      enterSubdirectory: (dir, from) => {
        const rel = toRel(dir);
        if (!rel) return false;
        // Another package's folder is read as that package.
        for (let d = rel; d !== '.'; d = posix.dirname(d)) if (d !== entry.dir && packageDirs.has(d)) return false;
        const v = vendoredRoot(rel, entry.dir);
        if (!v) return {};
        if (!folders.has(v)) {
          folders.set(v, { rel: v, method: 'add_subdirectory', declaredAt: `${from.file}:${from.line}`, conditions: from.conditions, test: from.test || TEST_PATH.test(v.slice(entry.dir.length)), owner: from.owner, entry, submodule: submoduleAt.get(v) });
        }
        return { owner: v };
      },
      leftSubdirectory: (dir, get) => {
        const rel = toRel(dir);
        if (!rel || !folders.has(rel) || folderVersions.has(rel)) return;
        const value = (n: string) => { const v = get(n); return v ? single(v) : undefined; };
        const name = value('PROJECT_NAME');
        if (!name || value('PROJECT_SOURCE_DIR') !== dir) return;
        const found = value('PROJECT_VERSION') ? undefined : versionFromVariables(name, value);
        if (found) folderVersions.set(rel, { version: found.version, from: `${found.variable} in ${rel}/CMakeLists.txt` });
      },
      platform,
      show: (p) => toRel(p) ?? p,
    });
    const result = reader.read(abs);
    readings.push({ entry, result });
    stats.commands += result.commands;
    stats.notFollowed += result.notFollowed.length;
    stats.skipped += result.skipped.length;
    result.problems.forEach((p) => ctx.problem(p));
  }

  // Submodules and third_party/ children inside an entry that no add_subdirectory() named.
  const ownerEntry = (rel: string): VendoringEntry | undefined => {
    let best: VendoringEntry | undefined;
    for (const e of entries) if (inside(rel, e.dir) && rel !== e.dir && (!best || e.dir.length > best.dir.length || best.dir === '.')) best = e;
    return best;
  };
  const holdsPackage = (rel: string) => [...packageDirs].some((p) => inside(p, rel));
  for (const [rel, sub] of submoduleAt) {
    const entry = ownerEntry(rel);
    if (!entry || folders.has(rel) || holdsPackage(rel)) continue; // a submodule holding ROS packages is part of the workspace
    folders.set(rel, { rel, method: 'git submodule', declaredAt: `${sub!.gitmodules}:${sub!.module.line}`, conditions: [], test: TEST_PATH.test(rel.slice(entry.dir.length)), entry, submodule: sub });
  }
  for (const f of files) {
    const parts = f.rel.split('/');
    for (let i = 0; i < parts.length - 2; i++) {
      if (!THIRD_PARTY_DIR.test(parts[i]!)) continue;
      const rel = parts.slice(0, i + 2).join('/');
      const entry = ownerEntry(rel);
      if (!entry || folders.has(rel) || holdsPackage(rel) || !inside(rel, entry.dir)) break;
      // Inside an already known vendored folder: that folder's own third-party code.
      const outer = [...folders.keys()].find((k) => inside(rel, k) && k !== rel);
      folders.set(rel, { rel, method: 'third-party folder', conditions: [], test: TEST_PATH.test(rel.slice(entry.dir.length)), entry, owner: outer });
      break;
    }
  }

  // Folder components first: pulls inside them point to them.
  const folderPurl = new Map<string, string>();
  const projects = new Map<string, { name: string; version?: string }>();
  for (const { result } of readings) for (const p of result.projects) { const rel = toRel(p.dir); if (rel && !projects.has(rel)) projects.set(rel, p); }
  // The files three levels at most below each folder, found in one pass.
  const below = new Map<string, FoundFile[]>();
  for (const f of files) {
    let d = posix.dirname(f.rel);
    for (let i = 0; i < 3 && d !== '.'; i++, d = posix.dirname(d)) {
      if (!folders.has(d)) continue;
      const l = below.get(d);
      if (l) l.push(f); else below.set(d, [f]);
    }
  }
  const uses = [...folders.values()];
  const identities = await mapLimit(uses, 16, (u) => folderComponent(u, { byRel, dirNames, projects, ctx, tree, readCMake, folderVersions, below }));

  // The product's own code pulled in: a download of the repository the pulling package's checkout was
  // cloned from (foxglove_bridge fetching a release of foxglove-sdk, the repository it lives in). The
  // same owner/repo, never only the same name: a fork elsewhere is someone else's code. It stays a
  // component, its version matched against advisories, but first-party. The remote is read only when
  // something pulled names a repository, once per package.
  const origins = new Map<string, CheckoutOrigin | null>();
  const ownRepository = (c: Component, entry: VendoringEntry): void => {
    const url = c.provenance && c.provenance.type !== 'url' ? c.provenance.url : undefined;
    const key = url ? repositoryKey(url) : undefined;
    if (!key) return;
    if (!origins.has(entry.dir)) origins.set(entry.dir, checkoutOrigin(tree, root, entry.dir) ?? null);
    const origin = origins.get(entry.dir);
    if (!origin || repositoryKey(origin.url) !== key) return;
    c.firstParty = true;
    c.properties!['vendored:first-party'] = `the product's own repository: the checkout holding ${entry.dir === '.' ? 'the project' : entry.dir} was cloned from it (remote "${origin.remote}" in ${origin.config}: ${origin.url})`;
  };
  identities.forEach((c, i) => ownRepository(c, uses[i]!.entry));
  for (const c of identities) {
    folderPurl.set(c.properties!['vendored:path']!, c.purl);
    out.component(c);
    stats.folders++;
    if (c.properties!['vendored:method'] === 'git submodule') stats.submodules++;
    if (!c.version) stats.unknownVersions++;
  }
  const kindOf = (test: boolean): DependencyKind => (test ? 'test' : 'runtime');
  // One edge per (from, to, kind): pulled on several paths, it holds when any of their conditions does.
  const edges = new Map<string, { from: string; to: string; kind: DependencyKind; any: Set<string> | null }>();
  const edge = (from: string, to: string, kind: DependencyKind, conditions: string[]) => {
    const key = `${from}\0${to}\0${kind}`;
    const e = edges.get(key) ?? { from, to, kind, any: new Set<string>() };
    edges.set(key, e);
    if (!conditions.length) e.any = null;
    else e.any?.add(allOf(conditions));
  };
  for (const u of folders.values()) {
    const from = u.owner ? folderPurl.get(u.owner) : u.entry.purl;
    const to = folderPurl.get(u.rel);
    if (from && to) edge(from, to, kindOf(u.test), u.conditions);
  }

  const unknown: string[] = [];
  for (const { entry, result } of readings) {
    for (const pull of result.pulls) {
      stats.pulls++;
      const from = pull.owner ? folderPurl.get(pull.owner) ?? entry.purl : entry.purl;
      const c = pullComponent(pull, entry, { toRel, root, folderPurl, dirNames, platform, othersCode });
      if (!c) continue;
      if (c === 'satisfied') continue;
      ownRepository(c.component, entry);
      out.component(c.component);
      if (!c.component.version) { stats.unknownVersions++; unknown.push(`${c.component.name} (${pull.file}:${pull.line}: ${c.component.properties!['marque:version']})`); }
      edge(from, c.component.purl, kindOf(pull.test || TEST_PATH.test(pull.file.slice(entry.dir.length))), c.conditions);
    }
  }
  // The condition is said on the component too (CycloneDX has no conditional edge): when every pull of it has one.
  const whenPulled = new Map<string, string[] | null>();
  for (const e of edges.values()) {
    const any = e.any ? [...e.any] : [];
    const condition = any.length === 1 ? any[0]! : any.map((c) => `(${c})`).join(' OR ');
    out.edge(e.from, e.to, e.kind, any.length ? { condition } : {});
    const prev = whenPulled.get(e.to);
    whenPulled.set(e.to, prev === null || !any.length ? null : [...(prev ?? []), condition]);
  }
  for (const c of out.build().components) {
    const when = whenPulled.get(c.purl);
    if (when?.length) c.properties!['vendored:condition'] = when.length === 1 ? when[0]! : when.map((x) => `(${x})`).join(' OR ');
  }
  for (const c of identities) if (!c.version) unknown.push(`${c.name} (${c.properties!['vendored:path']}: ${c.properties!['marque:version']})`);
  if (unknown.length) {
    notes.push(`${unknown.length} source(s) the C/C++ build pulls in have no version known without running the build, so no advisory can be matched to them and their composition is unknown: ${unknown.slice(0, 4).join('; ')}${unknown.length > 4 ? '; …' : ''} (property "marque:version")`);
  }
  const skipped = readings.flatMap((r) => r.result.skipped);
  if (skipped.length) {
    notes.push(`${skipped.length} download(s) in the CMake files are not made in the default configuration (an option off, another platform) and are not listed: ${skipped.slice(0, 4).map((s) => `${s.command} at ${s.file}:${s.line} (when ${s.condition})`).join('; ')}${skipped.length > 4 ? '; …' : ''}`);
  }
  const notFollowed = readings.flatMap((r) => r.result.notFollowed);
  if (notFollowed.length) {
    notes.push(`${notFollowed.length} include() or add_subdirectory() in the CMake files could not be followed, so what they pull in may be missing: ${notFollowed.slice(0, 4).map((n) => `${n.what} at ${n.file}:${n.line} (${n.reason})`).join('; ')}${notFollowed.length > 4 ? '; …' : ''}`);
  }
  return { ...out.build(), notes, stats };
}

const CLOSURE_FETCHED = 'not followed: fetched at build time; its own build files were not read';
const CLOSURE_FOLDER = 'not followed: what its own build needs from the system (find_package) is not resolved';

function pullComponent(
  pull: Pull, entry: VendoringEntry,
  env: { toRel: (abs: string) => string | undefined; root: string; folderPurl: Map<string, string>; dirNames: Map<string, string[]>; platform: Map<string, string>; othersCode: (rel: string) => boolean },
): { component: Component; conditions: string[] } | 'satisfied' | undefined {
  const conditions = [...pull.conditions];
  // ament_vendor builds only when the system does not satisfy the need (ament_vendor.cmake: NOT SATISFIED OR FORCE_BUILD_VENDOR_PKG).
  if (pull.method === 'ament_vendor') {
    const sat = pull.keys.get('SATISFIED')?.[0];
    if (sat) {
      const lookup = { get: () => undefined, external: (n: string) => ({ unknown: n }) as Val };
      const truth = textOf(sat) !== undefined ? evaluateCondition([sat], lookup) : undefined;
      if (truth === true) return 'satisfied';
      if (truth === undefined) conditions.push(negate(sat.raw.replace(/^\$\{([A-Za-z0-9_.+-]+)\}$/, '$1')));
    }
  }
  if (pull.keys.has('FIND_PACKAGE_ARGS') || pull.method === 'CPMFindPackage') conditions.push(`NOT ${pull.name ?? '?'}_FOUND`);
  const id = identifyPull(pull);
  const props: Record<string, string> = {
    'vendored:method': pull.method,
    'vendored:declared-at': `${pull.file}:${pull.line}`,
  };
  if (pull.keys.has('PATCHES') || pull.keys.has('PATCH_COMMAND')) props['vendored:patched'] = `yes (${pull.keys.has('PATCHES') ? 'PATCHES' : 'PATCH_COMMAND'}): the built source differs from upstream`;
  if ('local' in id) {
    // A folder of the tree: the project itself, or a vendored folder already listed.
    const abs = posix.isAbsolute(id.local) ? id.local : posix.join(env.root, entry.dir, id.local);
    const rel = env.toRel(posix.normalize(abs));
    if (!rel || rel === entry.dir || rel === '.') return undefined;
    if (env.folderPurl.has(rel)) return undefined;
    const name = posix.basename(rel);
    const split = splitFolderName(name);
    const component: Component = {
      purl: makePurl({ type: 'generic', name: split.name, version: split.version }), name: split.name, version: split.version ?? '', ecosystem: 'generic', type: 'library',
      licenses: [], sourceFile: pull.file, root: false, dependenciesComplete: false,
      properties: { ...props, 'vendored:path': rel, 'vendored:closure': CLOSURE_FOLDER, ...(split.version ? {} : { 'marque:version': `unknown: ${rel} is built from the tree and names no version` }) },
    };
    // A folder of the scanned tree that shows no sign of being other people's code is the product's own.
    if (!env.othersCode(rel)) {
      component.firstParty = true;
      component.properties!['vendored:first-party'] = `built from ${rel}, a folder of the scanned tree with no sign of other people's code (no submodule, third-party folder or licence file of its own)`;
    }
    return { component, conditions };
  }
  if (id.alternatives?.length) props['vendored:alternatives'] = `one of ${id.alternatives.join(', ')} (depending on the build machine)`;
  return { component: identityComponent(id, pull.file, props, CLOSURE_FETCHED), conditions };
}

function identityComponent(id: Identity, sourceFile: string, props: Record<string, string>, closure: string): Component {
  const c: Component = {
    purl: id.purl, name: id.name, version: id.version, ecosystem: id.ecosystem, type: 'library',
    licenses: [], sourceFile, root: false, dependenciesComplete: false,
    properties: { ...props, 'vendored:closure': closure },
  };
  if (id.ref !== undefined) c.properties!['vendored:ref'] = id.ref;
  if (id.pin) c.properties!['vendored:pin'] = id.pin;
  if (id.unknownVersion) c.properties!['marque:version'] = `unknown: ${id.unknownVersion}`;
  if (id.provenance) c.provenance = id.provenance;
  if (id.distribution) c.distribution = id.distribution;
  if (id.hashes?.length) c.hashes = id.hashes;
  if (id.distribution && !id.hashes?.length) c.properties!['vendored:integrity'] = 'no URL_HASH: the downloaded bytes are not pinned';
  return c;
}

// ---- folders ------------------------------------------------------------------------------------

async function folderComponent(u: FolderUse, env: { byRel: Map<string, FoundFile>; dirNames: Map<string, string[]>; projects: Map<string, { name: string; version?: string }>; ctx: ExtractContext; tree: TreeAccess; readCMake: (rel: string) => string | undefined; folderVersions: Map<string, { version: string; from: string }>; below: Map<string, FoundFile[]> }): Promise<Component> {
  const { byRel, ctx, tree } = env;
  const props: Record<string, string> = { 'vendored:method': u.method, 'vendored:path': u.rel };
  if (u.declaredAt) props['vendored:declared-at'] = u.declaredAt;
  if (u.method !== 'add_subdirectory') props['vendored:built-by'] = 'no add_subdirectory() in the CMake files read names it (header-only code used by path, or not built)';
  const names = env.dirNames.get(u.rel) ?? [];
  const license = names.find(isLicenseFile);
  if (license) props['vendored:license-file'] = `${u.rel}/${license}`;
  let licenses: string[] = [];
  let licensesDeclared: string[] | undefined;
  // Why this folder is taken as other people's code (--exclude it when it is the product's own).
  const evidence = [
    ...(u.submodule ? ['a git submodule'] : []),
    ...(THIRD_PARTY_DIR.test(posix.basename(posix.dirname(u.rel))) ? [`inside ${posix.dirname(u.rel)}/`] : []),
    ...(license ? [`its own licence file (${license})`] : []),
    ...(names.includes('package.xml') ? ['its own package.xml'] : names.includes('CMakeLists.txt') ? ['its own CMakeLists.txt'] : []),
  ];
  props['vendored:evidence'] = evidence.join('; ');

  // What the folder says about itself: package.xml, project(), a version file or header, its name.
  let name: string | undefined;
  let version: string | undefined;
  let from: string | undefined;
  const pkg = byRel.get(`${u.rel}/package.xml`);
  if (pkg) {
    const text = await tree.read(pkg);
    try {
      if (text !== undefined) {
        const m = parsePackageXml(text, pkg.rel).manifest;
        name = m.name; version = m.version; from = `${pkg.rel}`;
        const lic = mapLicenses(m.licenses.map((l) => l.name));
        licenses = [...lic.spdx, ...lic.raw];
        licensesDeclared = m.licenses.map((l) => l.name);
      }
    } catch (e) { ctx.problem(problemOf(e, pkg.rel)); }
  }
  const project = env.projects.get(u.rel) ?? literalProject(env.readCMake(`${u.rel}/CMakeLists.txt`));
  if (project) {
    name ??= project.name;
    if (!version && project.version) { version = project.version; from = `project() in ${u.rel}/CMakeLists.txt`; }
  }
  const fromVariables = env.folderVersions.get(u.rel);
  if (!version && fromVariables) { version = fromVariables.version; from = fromVariables.from; }
  if (!version) {
    const found = await versionInFolder(u.rel, env.below.get(u.rel) ?? [], tree);
    if (found) { version = found.version; from = found.file; }
  }
  const split = splitFolderName(posix.basename(u.rel));
  name ??= split.name;
  if (!version && split.version) { version = split.version; from = `the folder's name`; }
  if (!licenses.length && license) {
    const f = byRel.get(`${u.rel}/${license}`);
    const text = f ? await tree.read(f) : undefined;
    const spdx = text ? /SPDX-License-Identifier:\s*([A-Za-z0-9.+()\s-]+?)\s*(?:\*\/|-->|$)/m.exec(text.slice(0, 4096))?.[1] : undefined;
    if (spdx) licenses = [spdx];
  }

  let c: Component;
  if (u.submodule) {
    const s = u.submodule;
    const commit = s.checkedOut ?? s.commit;
    const ref = s.tag ?? commit;
    const gh = githubRepository(s.module.url);
    const repoName = gh ? gh.repo.toLowerCase() : (s.module.url.replace(/\.git$/, '').split(/[/:]/).pop() || name);
    const purl = gh
      ? makePurl({ type: 'github', namespace: gh.owner.toLowerCase(), name: repoName, version: ref })
      : makePurl({ type: 'generic', name: repoName, version: ref, qualifiers: { vcs_url: `git+${s.module.url}${ref ? `@${ref}` : ''}` } });
    c = {
      purl, name: repoName, version: ref ?? '', ecosystem: gh ? 'github' : 'generic', type: 'library', licenses, sourceFile: s.gitmodules, root: false, dependenciesComplete: false,
      provenance: { type: 'git', url: s.module.url, ...(commit ? { version: commit } : {}) },
      properties: { ...props, 'vendored:closure': CLOSURE_FOLDER },
    };
    if (commit) c.properties!['vendored:commit'] = commit;
    if (s.tag) c.properties!['vendored:ref'] = s.tag;
    c.properties!['vendored:pin'] = s.tag ? 'tag' : commit ? 'commit' : 'unknown';
    if (s.checkedOut && s.commit && s.checkedOut !== s.commit) c.properties!['vendored:recorded-commit'] = `${s.commit} (the superproject records this; ${s.checkedOut} is checked out)`;
    if (!ref) c.properties!['marque:version'] = `unknown: ${s.unknown ?? 'the commit the superproject records is not known'}`;
    if (version) c.properties!['vendored:declared-version'] = `${version} (${from})`;
  } else {
    c = {
      purl: makePurl({ type: 'generic', name, version }), name, version: version ?? '', ecosystem: 'generic', type: 'library', licenses, sourceFile: license ? `${u.rel}/${license}` : u.rel, root: false, dependenciesComplete: false,
      properties: { ...props, 'vendored:closure': CLOSURE_FOLDER },
    };
    if (from) c.properties!['vendored:version-from'] = from;
    else c.properties!['marque:version'] = `unknown: ${u.rel} declares no version (no project() VERSION, version file or header, or version in its name)`;
  }
  if (licensesDeclared) c.licensesDeclared = licensesDeclared;
  return c;
}

/** project(NAME [VERSION x]) written with literal arguments, for a folder no add_subdirectory() read. */
function literalProject(text: string | undefined): { name: string; version?: string } | undefined {
  if (!text) return undefined;
  let calls;
  try { calls = tokenize(text, 'CMakeLists.txt'); } catch { return undefined; }
  const p = calls.find((c) => c.name === 'project');
  if (!p || !p.args[0] || p.args[0].text.includes('$')) return undefined;
  const at = p.args.findIndex((a) => a.kind === 'unquoted' && a.text === 'VERSION');
  const v = at >= 0 ? p.args[at + 1]?.text : undefined;
  return { name: p.args[0].text, ...(v && !v.includes('$') ? { version: v } : {}) };
}

/** A version file or header in the folder (three levels at most), or the header named like the folder. */
async function versionInFolder(rel: string, below: readonly FoundFile[], tree: TreeAccess): Promise<{ version: string; file: string } | undefined> {
  const depth = (r: string) => r.split('/').length - rel.split('/').length;
  const main = mainHeaderCandidates(posix.basename(rel));
  // Where libraries keep their version: a version file, a *_version/_global/_config header, the main header.
  const rank = (name: string) => (isVersionFile(name) ? 0 : /(version|global|config)/i.test(name) ? 1 : /^[^_-]+\.[a-z]+$/i.test(name) ? 2 : 3);
  const candidates = below
    .filter((f) => isVersionFile(f.name) || main.test(f.name))
    .sort((a, b) => rank(a.name) - rank(b.name) || depth(a.rel) - depth(b.rel))
    .slice(0, 8);
  for (const f of candidates) {
    if (f.size > 4 * 1024 * 1024) continue;
    const text = await tree.read(f);
    if (text === undefined) continue;
    const v = /^(version|version\.txt|\.version)$/i.test(f.name) ? versionFromFile(text) : versionFromHeader(text.slice(0, 256 * 1024));
    if (v) return { version: v, file: f.rel };
  }
  return undefined;
}

// ---- submodules ---------------------------------------------------------------------------------

async function readSubmodules(files: FoundFile[], ctx: ExtractContext, tree: TreeAccess): Promise<{ rel: string; info: NonNullable<FolderUse['submodule']> }[]> {
  const out: { rel: string; info: NonNullable<FolderUse['submodule']> }[] = [];
  for (const f of files.filter((x) => x.name === '.gitmodules')) {
    const text = await tree.read(f);
    if (text === undefined) continue;
    let modules: Submodule[];
    try { modules = parseGitmodules(text, f.rel); } catch (e) { ctx.problem(problemOf(e, f.rel)); continue; }
    if (!modules.length) continue;
    const base = posix.dirname(f.rel);
    const git: GitFiles = openGitFiles(tree, ctx.root, base);
    let links: Map<string, string> | undefined;
    let why: string | undefined;
    if (!git.gitDir) why = git.why;
    else {
      try {
        const buf = git.bytes('index');
        if (!buf) why = 'the git checkout has no index';
        else links = readGitIndex(buf, `${git.show}/index`, git.hashBytes).gitlinks;
      } catch (e) {
        ctx.problem(problemOf(e, `${git.show}/index`));
        why = `its git index could not be read (${(e as Error).message})`;
      }
    }
    for (const m of modules) {
      const rel = base === '.' ? m.path : `${base}/${m.path}`;
      const info: NonNullable<FolderUse['submodule']> = { module: m, gitmodules: f.rel };
      const commit = links?.get(m.path);
      if (commit) {
        info.commit = commit;
        const own = git.module(m.name, m.path);
        if (own) {
          const head = own.head();
          if (head && /^[0-9a-f]{40,64}$/.test(head)) info.checkedOut = head;
          const tags = own.tagsOf(info.checkedOut ?? commit);
          const tag = tags.find((t) => classifyRef(t).kind === 'tag') ?? tags[0];
          if (tag) info.tag = tag;
        }
      } else info.unknown = links ? `the git index records no commit for ${m.path}` : `${why ?? 'not a git checkout'}: the commit the superproject records for ${m.path} is not known`;
      out.push({ rel, info });
    }
  }
  return out;
}
