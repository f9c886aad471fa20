// yarn.lock, classic (v1) and Berry (v2+, `__metadata`), parsed by Yarn's own parser
// (@yarnpkg/parsers' parseSyml reads both). Entries are keyed by the descriptors that resolved to
// them ("lodash@^4.17.0, lodash@^4.17.21"); a dependency is a descriptor looked up among those keys.
// The lock holds no root: the project's package.json (and its workspaces') say what the product
// depends on directly, and which of those are dev or optional.
//
// What Yarn Berry does beyond the entries, and Marque does with it (checked against `yarn info --all
// --recursive`): an entry is the package its `resolution` names, not its first descriptor (an alias
// "string-width-cjs@npm:string-width@^4.2.0" is string-width); the root package.json's `resolutions`
// replace the range a dependency asks for (prettier's "trim": "1.0.1" turns remark-parse's
// trim@0.0.1 into trim@1.0.1); `packageExtensions` of .yarnrc.yml add dependencies; `patch:` entries
// are the package they patch (marked npm:patch); `portal:`, `link:` and `file:` folders are the
// project's own code (marked npm:localPath); Yarn's built-in extensions (@yarnpkg/extensions, compiled
// into Yarn: unified@<10 gains @types/unist) apply before the project's, as Yarn 4 registers them.
import type { Range, SemVer } from 'semver';
import { semverModule, yarnParsers } from '../../util/lazy.ts';
import { posix } from 'node:path';
import { npmPurl } from '../../model/purl.ts';
import { InputError } from '../../util/errors.ts';
import { FragmentBuilder, parseDigest } from '../common/fragment.ts';
import type { InventoryFragment } from '../extractor.ts';
import type { Component, DependencyKind, Problem } from '../../model/inventory.ts';
import { isRecord } from '../../util/yaml.ts';
import { gitProvenance } from './git-source.ts';
import { BUILTIN_EXTENSIONS } from './data/yarn-extensions.ts';

/** A package.json as far as the lock needs it: name, version and the four dependency groups. */
export interface ProjectManifest {
  /** Folder relative to the lockfile's ("." for the project itself). */
  path: string;
  name?: string; version?: string;
  dependencies?: Record<string, string>; devDependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>; peerDependencies?: Record<string, string>;
  /** package.json's `workspaces` as written (a list of patterns, or `{ packages }`). */
  workspaces?: unknown;
  /** Yarn's `resolutions` (npm's `overrides`, pnpm's `pnpm.overrides` are applied by those tools in their locks). */
  resolutions?: Record<string, string>;
}

/** What a package extension adds to the packages it names (Yarn's packageExtensions). */
export interface YarnExtension { dependencies?: Record<string, string>; peerDependencies?: Record<string, string>; peerDependenciesMeta?: Record<string, { optional?: boolean }> }

/**
 * What Yarn reads beside the lock: .yarnrc.yml's packageExtensions ("name@range" → extra dependencies),
 * and its catalogs (Yarn ≥ 4.10): `catalog` the default one, `catalogs` the named ones, each "name" → range.
 */
export interface YarnSettings {
  packageExtensions?: Record<string, YarnExtension>;
  catalog?: Record<string, unknown>;
  catalogs?: Record<string, unknown>;
}

interface Entry { version: string; resolved?: string; resolution?: string; integrity?: string; checksum?: string; dependencies?: Record<string, string>; optionalDependencies?: Record<string, string>; peerDependencies?: Record<string, string>; dependenciesMeta?: Record<string, { optional?: boolean }>; linkType?: string; languageName?: string }

/** "@scope/name@npm:^1.0.0" → ["@scope/name", "npm:^1.0.0"]: the name ends at the first "@" after its first character. */
export function splitDescriptor(d: string): [string, string] {
  const at = d.indexOf('@', 1);
  return at < 0 ? [d, ''] : [d.slice(0, at), d.slice(at + 1)];
}

/** The package a descriptor really names: an npm alias "alias@npm:real@^1" names `real`. */
function aliasTarget(range: string): string | undefined {
  if (!range.startsWith('npm:')) return undefined;
  const [name, inner] = splitDescriptor(range.slice(4));
  return inner && /^(@[^/@]+\/)?[^/@]+$/.test(name) ? name : undefined;
}

/**
 * The package an npm registry's tarball URL holds, in the registry's layout ".../NAME/-/BASENAME-VERSION.tgz"
 * (npmjs.org, yarnpkg.com, and the registries that copy them), when the file is that version: a dependency given
 * as "remote": "https://registry.npmjs.org/abbrev/-/abbrev-1.1.1.tgz" is abbrev, whatever the project calls it.
 */
export function registryTarballName(url: string, version: string): string | undefined {
  let path: string;
  try { path = decodeURIComponent(new URL(url).pathname); } catch { return undefined; }
  const m = /\/((?:@[^/@]+\/)?([^/@]+))\/-\/([^/]+)\.tgz$/.exec(path);
  return m && m[3] === `${m[2]}-${version}` ? m[1] : undefined;
}

/** Local folders: the project's own code, not a registry package. */
const LOCAL = /^(portal|link|file):/;

interface Override { from?: { name: string; reference?: string }; name: string; range?: string; reference: string }

function withProtocol(range: string): string {
  return /^[a-z]+:/.test(range) ? range : `npm:${range}`;
}

/** The root package.json's `resolutions`, as Yarn's own grammar reads them; a glob pattern is refused by Yarn and named here. */
function readResolutions(resolutions: Record<string, string> | undefined, file: string, problems: Problem[]): Override[] {
  const out: Override[] = [];
  for (const [pattern, reference] of Object.entries(resolutions ?? {})) {
    try {
      const r = yarnParsers().parseResolution(pattern);
      out.push({ ...(r.from ? { from: { name: r.from.fullName, ...(r.from.description ? { reference: r.from.description } : {}) } } : {}), name: r.descriptor.fullName, ...(r.descriptor.description ? { range: r.descriptor.description } : {}), reference });
    } catch (e) {
      problems.push({ file, message: `package.json resolution "${pattern}" is not applied: ${(e as Error).message}`, severity: 'warning' });
    }
  }
  return out;
}

/**
 * Yarn's semverUtils.satisfiesWithPrereleases: the range with prereleases included, else the version
 * and the range's comparators stripped of their prerelease parts.
 */
const ranges = new Map<string, Range | null>();
function satisfiesWithPrereleases(version: string, range: string): boolean {
  const semver = semverModule();
  const parse = () => { try { return new semver.Range(range, { includePrerelease: true }); } catch { return null; } };
  let r = ranges.get(range);
  if (r === undefined) ranges.set(range, (r = parse()));
  let v: SemVer;
  try { v = new semver.SemVer(version); } catch { return false; }
  if (!r) return false;
  if (r.test(v)) return true;
  // The fallback strips prereleases in place: on a copy, never on the cached range.
  if (v.prerelease.length) v.prerelease = [];
  return parse()!.set.some((set) => { for (const c of set) if (c.semver.prerelease.length) c.semver.prerelease = []; return set.every((c) => c.test(v)); });
}

/** Extensions by package name, in the order Yarn 4 registers them: its built-in ones, then .yarnrc.yml's. */
function extensionIndex(settings: YarnSettings): Map<string, [string, YarnExtension][]> {
  const out = new Map<string, [string, YarnExtension][]>();
  for (const [descriptor, ext] of [...BUILTIN_EXTENSIONS, ...Object.entries(settings.packageExtensions ?? {})]) {
    const [name, range] = splitDescriptor(descriptor);
    let list = out.get(name);
    if (!list) out.set(name, (list = []));
    list.push([range.replace(/^npm:/, ''), ext]);
  }
  return out;
}

/**
 * What the extensions add to one locked package, as Yarn's Configuration.normalizePackage does: each
 * extension whose range the version satisfies adds a dependency (or peer) the package does not have yet,
 * so the first registered wins and a package's own dependency is never replaced.
 */
function extend(extensions: [string, YarnExtension][] | undefined, version: string, e: Entry): { dependencies: Record<string, string>; peerDependencies: Record<string, string> } | undefined {
  if (!extensions) return undefined;
  const out = { dependencies: {} as Record<string, string>, peerDependencies: {} as Record<string, string> };
  for (const [range, ext] of extensions) {
    if (!satisfiesWithPrereleases(version, range)) continue;
    for (const [dep, r] of Object.entries(ext.dependencies ?? {})) if (e.dependencies?.[dep] === undefined && e.optionalDependencies?.[dep] === undefined && out.dependencies[dep] === undefined) out.dependencies[dep] = r;
    for (const [dep, r] of Object.entries(ext.peerDependencies ?? {})) if (e.peerDependencies?.[dep] === undefined && out.peerDependencies[dep] === undefined) out.peerDependencies[dep] = r;
  }
  return out;
}

/** `folder(path)`: the package.json of a folder the lock names (relative to the lock's folder), when it is there to read. */
export function parseYarnLock(text: string, file: string, projects: ProjectManifest[], settings: YarnSettings = {}, folder: (path: string) => { name?: string; version?: string } | undefined = () => undefined): InventoryFragment {
  let doc: Record<string, unknown>;
  try {
    doc = yarnParsers().parseSyml(text) as Record<string, unknown>;
  } catch (e) {
    const m = /line (\d+)/i.exec((e as Error).message);
    throw new InputError(`malformed yarn.lock: ${(e as Error).message.split('\n')[0]}`, file, m ? Number(m[1]) : undefined);
  }
  if (!isRecord(doc)) throw new InputError('not a yarn.lock', file, 1);
  const berry = isRecord(doc['__metadata']);
  const problems: Problem[] = [];
  const b = new FragmentBuilder();
  const byDescriptor = new Map<string, string>(); // "name@range" → purl
  const entries: [string, Entry, string, string][] = []; // key, entry, purl, locator reference
  const workspaceAt = new Map<string, string>(); // workspace path → purl (Berry)
  const projectAt = new Map(projects.map((p) => [p.path, p]));
  // "portal:./lib::locator=app%40workspace%3Apackages%2Fa": a folder relative to the workspace that asked for it.
  const localFolder = (reference: string) => {
    const at = reference.indexOf('::locator=');
    const asker = at < 0 ? 'workspace:.' : splitDescriptor(decodeURIComponent(reference.slice(at + 10)))[1];
    if (!asker.startsWith('workspace:')) return undefined;
    return folder(posix.normalize(posix.join(asker.slice(10), reference.slice(reference.indexOf(':') + 1, at < 0 ? undefined : at))));
  };
  for (const [key, value] of Object.entries(doc)) {
    if (key === '__metadata') continue;
    if (!isRecord(value) || typeof value['version'] !== 'string') throw new InputError(`entry "${key.slice(0, 80)}" has no version`, file);
    const e = value as unknown as Entry;
    const descriptors = key.split(/,\s*/).map((d) => d.trim()).filter(Boolean);
    const [first, firstRange] = splitDescriptor(descriptors[0]!);
    // Berry's resolution is the locator: the real name and the protocol it came from.
    const [given, reference] = berry && typeof e.resolution === 'string' ? splitDescriptor(e.resolution) : [aliasTarget(firstRange) ?? first, firstRange];
    // A tarball URL is named in the lock by what the project calls it; the registry's layout of the URL names the package.
    const tarball = /^https?:/.test(reference) ? registryTarballName(berry ? reference : e.resolved ?? reference, e.version) : undefined;
    const name = tarball ?? given;
    const workspace = berry ? /^workspace:(.*)$/.exec(reference)?.[1] : undefined;
    const local = LOCAL.test(reference) ? reference.replace(/::.*$/, '') : undefined;
    // 0.0.0-use.local is Yarn's placeholder for a folder: the folder's package.json knows the version.
    const version = e.version !== '0.0.0-use.local' ? e.version : workspace !== undefined ? projectAt.get(workspace)?.version ?? '' : local !== undefined ? localFolder(reference)?.version ?? '' : '';
    const purl = npmPurl(name, version);
    const c: Component = { purl, name, version, ecosystem: 'npm', licenses: [], sourceFile: file, dependenciesComplete: true };
    const hash = parseDigest(e.integrity, `${file} "integrity"`);
    if (hash) c.hashes = [hash];
    if (e.resolved && /^https?:/.test(e.resolved)) c.distribution = e.resolved.replace(/#.*$/, '');
    // Classic writes where the code came from in `resolved`; Berry in the locator's reference ("https://github.com/o/r.git#commit=…").
    const git = gitProvenance(berry ? reference : e.resolved);
    if (git) c.provenance = git;
    if (reference.startsWith('patch:')) c.properties = { 'npm:patch': decodeURIComponent(reference.slice(reference.indexOf('#') + 1).replace(/::.*$/, '')) };
    if (local) c.properties = { 'npm:localPath': local.slice(local.indexOf(':') + 1) };
    // From git or a tarball of its own, the lock names the package only by what the project calls it.
    if (!tarball && !workspace && !local && (git || /^(https?|file):/.test(reference)) && !aliasTarget(firstRange)) {
      problems.push({ file, severity: 'warning', message: `"${given}@${version}" (${(git ? `${git.url} at ${git.version ?? 'an unnamed commit'}` : reference).slice(0, 120)}) is named as the project's package.json calls it: the lock does not record the package's own name, so advisories published under its own name cannot be matched to it` });
    }
    if (workspace !== undefined) { c.root = true; c.firstParty = true; workspaceAt.set(workspace, purl); }
    b.component(c);
    for (const d of descriptors) {
      byDescriptor.set(d, purl);
      // Relative protocols are bound to the workspace that asked ("portal:../x::locator=app%40workspace%3A.").
      const bound = d.indexOf('::');
      if (bound > 0) byDescriptor.set(d.slice(0, bound), purl);
    }
    entries.push([key, e, purl, reference]);
  }
  // Classic Yarn has no package extensions.
  const extensions = berry ? extensionIndex(settings) : new Map<string, [string, YarnExtension][]>();
  const overrides = berry ? readResolutions(projectAt.get('.')?.resolutions, posix.join(posix.dirname(file), 'package.json'), problems) : [];
  // Berry writes "dep: npm:^1.0" for "dep@npm:^1.0"; classic writes "dep ^1.0" for "dep@^1.0".
  // A Berry range without a protocol is npm's ("dep@^1.0" resolves as "dep@npm:^1.0").
  const lookup = (name: string, range: string) => byDescriptor.get(`${name}@${range}`) ?? (berry && !/^[a-z]+:/.test(range) ? byDescriptor.get(`${name}@npm:${range}`) : undefined);
  /** The range Yarn asks for once the root's resolutions apply (a resolution matches the same name and, when it says one, the same range and parent). */
  const override = (fromName: string, fromReference: string, dep: string, range: string): string => {
    for (const o of overrides) {
      if (o.name !== dep) continue;
      if (o.range !== undefined && withProtocol(o.range) !== withProtocol(range)) continue;
      if (o.from && (o.from.name !== fromName || (o.from.reference !== undefined && withProtocol(o.from.reference) !== withProtocol(fromReference)))) continue;
      return withProtocol(o.reference);
    }
    return range;
  };
  /**
   * A workspace's "dep": "catalog:" (or "catalog:name") is the range .yarnrc.yml's default (or named) catalog
   * gives the package, with npm: when it names no protocol, as Yarn's catalog plugin reduces it; the lock
   * keeps "catalog:" in the workspace's entry and the catalog's range among the descriptors.
   */
  const fromCatalog = (dep: string, range: string): string | { reason: string } => {
    const name = range.slice('catalog:'.length);
    const catalog = name === '' ? settings.catalog : isRecord(settings.catalogs) ? settings.catalogs[name] : undefined;
    const which = name === '' ? 'the default catalog (catalog)' : `the catalog "${name}" (catalogs.${name})`;
    if (!isRecord(catalog) || Object.keys(catalog).length === 0) return { reason: `"${dep}@${range}": ${which} is not in .yarnrc.yml or empty` };
    const r = catalog[dep];
    if (typeof r !== 'string' && typeof r !== 'number') return { reason: `"${dep}@${range}": ${which} of .yarnrc.yml has no entry for ${dep}` };
    return withProtocol(String(r));
  };
  const workspaceOf = new Map<string, string>([...workspaceAt].map(([path, purl]) => [purl, path]));
  for (const [key, e, from, reference] of entries) {
    // Berry's workspace entries list dev dependencies with the others: the workspace's package.json says which are dev.
    const ws = workspaceOf.get(from);
    const dev = new Set(Object.keys((ws !== undefined ? projectAt.get(ws)?.devDependencies : undefined) ?? {}));
    const fromName = splitDescriptor(e.resolution ?? key)[0];
    const version = e.version;
    const extra = extend(extensions.get(fromName), version, e);
    const groups: [Record<string, string> | undefined, DependencyKind][] = [[e.dependencies, 'runtime'], [e.optionalDependencies, 'optional'], [e.peerDependencies, 'peer']];
    if (extra) groups.push([extra.dependencies, 'runtime'], [extra.peerDependencies, 'peer']);
    for (const [deps, kind] of groups) {
      for (const [dep, declared] of Object.entries(deps ?? {})) {
        const catalogued = berry && String(declared).startsWith('catalog:') ? fromCatalog(dep, String(declared)) : String(declared);
        const range = typeof catalogued !== 'string' ? String(declared) : berry ? override(fromName, reference, dep, catalogued) : catalogued;
        const to = typeof catalogued === 'string' ? lookup(dep, range) : undefined;
        const optional = kind === 'optional' || Boolean(e.dependenciesMeta?.[dep]?.optional);
        const edgeKind = optional ? 'optional' : kind === 'runtime' && dev.has(dep) ? 'dev' : kind;
        if (to) { b.edge(from, to, edgeKind, { constraint: range }); continue; }
        // Optional dependencies for other platforms and peers the consumer provides are not gaps.
        if (!optional && kind !== 'peer') b.missing({ key: `${dep}@${range}`, package: key.split(',')[0]!, from, file, kind: edgeKind, reason: typeof catalogued !== 'string' ? catalogued.reason : `"${dep}@${range}" is not in yarn.lock` });
      }
    }
  }
  // Classic locks hold no project: package.json (the project's and each workspace's) says what it depends on.
  for (const p of projects) {
    if (workspaceAt.has(p.path)) continue;
    const purl = b.component({ purl: npmPurl(p.name ?? (p.path === '.' ? 'root' : p.path), p.version ?? ''), name: p.name ?? p.path, version: p.version ?? '', ecosystem: 'npm', licenses: [], sourceFile: file, dependenciesComplete: true, root: true, firstParty: true });
    const groups: [Record<string, string> | undefined, DependencyKind][] = [[p.dependencies, 'runtime'], [p.optionalDependencies, 'optional'], [p.devDependencies, 'dev'], [p.peerDependencies, 'peer']];
    for (const [deps, kind] of groups) {
      for (const [dep, range] of Object.entries(deps ?? {})) {
        const to = lookup(dep, range) ?? (/^(workspace|link|portal|file):/.test(range) || projects.some((x) => x.name === dep) ? projectNamed(dep) : undefined);
        if (to) { b.edge(purl, to, kind, { constraint: range }); continue; }
        if (kind !== 'optional' && kind !== 'peer') b.missing({ key: `${dep}@${range}`, package: p.name ?? p.path, from: purl, file, kind, reason: `"${dep}@${range}" from ${p.path === '.' ? '' : `${p.path}/`}package.json is not in yarn.lock` });
      }
    }
  }
  function projectNamed(name: string): string | undefined {
    const p = projects.find((x) => x.name === name);
    return p ? (workspaceAt.get(p.path) ?? npmPurl(p.name!, p.version ?? '')) : undefined;
  }
  return { ...b.build(), problems };
}
