// npm package-lock.json, lockfileVersion 2 and 3: the `packages` map keyed by install location,
// resolved the way Node resolves modules (nearest node_modules upwards). lockfileVersion 1 (npm 5
// and 6) is turned into that map first, as npm's arborist does when it reads one.
import { parseJsonText } from '../../util/json.ts';
import { checkShape } from '../common/shape.ts';
import { npmPurl } from '../../model/purl.ts';
import { InputError } from '../../util/errors.ts';
import { mapLicenses } from '../../util/license.ts';
import { gitProvenance } from './git-source.ts';
import { FragmentBuilder, parseDigest } from '../common/fragment.ts';
import type { InventoryFragment } from '../extractor.ts';
import type { Component, DependencyKind } from '../../model/inventory.ts';
import type { ProjectManifest } from './yarn-lock.ts';

interface LockEntry {
  name?: string;
  version?: string;
  resolved?: string;
  integrity?: string;
  license?: string | { type?: string } | (string | { type?: string })[];
  link?: boolean;
  dev?: boolean;
  optional?: boolean;
  devOptional?: boolean;
  dependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
  peerDependenciesMeta?: Record<string, { optional?: boolean }>;
}

function nameAt(location: string): string {
  const i = location.lastIndexOf('node_modules/');
  return i < 0 ? location.split('/').pop()! : location.slice(i + 'node_modules/'.length);
}

/** A lockfileVersion 1 entry: a nested tree keyed by name; `requires` maps names to ranges. */
interface V1Entry {
  version?: string;
  resolved?: string;
  integrity?: string;
  dev?: boolean;
  optional?: boolean;
  requires?: Record<string, string> | boolean;
  dependencies?: Record<string, V1Entry>;
}

const isMap = (v: unknown): v is Record<string, unknown> => !!v && typeof v === 'object' && !Array.isArray(v);

/**
 * A v1 lock's nested `dependencies` tree as the v2 `packages` map: each entry at
 * node_modules/a/node_modules/b, its `requires` as dependencies, resolved by the same climb.
 * `version` may be an alias (`npm:real@1.2.3`), a git URL or `github:o/r#sha` (then it is what
 * was fetched: the package's own version is not in the lock), or a `file:` spec.
 */
function packagesOfV1(lock: { name?: string; version?: string; dependencies?: unknown }, file: string, project: ProjectManifest | undefined): Record<string, LockEntry> {
  const packages: Record<string, LockEntry> = {};
  const required = new Set<string>();
  const walk = (deps: unknown, under: string): void => {
    if (deps === undefined) return;
    if (!isMap(deps)) throw new InputError(`"dependencies" of ${under || 'the lock'} is not a map`, file, 1);
    for (const [name, raw] of Object.entries(deps)) {
      if (!isMap(raw)) throw new InputError(`package "${name}" under ${under || 'the lock'} is not a map`, file, 1);
      const e = raw as V1Entry;
      const location = `${under ? `${under}/` : ''}node_modules/${name}`;
      const entry: LockEntry = { version: typeof e.version === 'string' ? e.version : '' };
      let v = entry.version!;
      const alias = /^npm:((?:@[^/@]+\/)?[^@]+)@(.*)$/.exec(v);
      if (alias) { entry.name = alias[1]!; v = alias[2]!; }
      const github = /^github:([^/#]+)\/([^#]+?)(?:\.git)?(#.*)?$/.exec(v);
      if (github) v = `git+https://github.com/${github[1]}/${github[2]}.git${github[3] ?? ''}`;
      // Fetched from git, a tarball URL or a folder: the spec is where it came from, not a version.
      if (/^(git\+[a-z]+|git|https?|file):/i.test(v)) { entry.resolved = v; v = ''; }
      entry.version = v;
      if (typeof e.resolved === 'string' && !entry.resolved) entry.resolved = e.resolved;
      if (typeof e.integrity === 'string') entry.integrity = e.integrity;
      if (e.dev === true) entry.dev = true;
      if (e.optional === true) entry.optional = true;
      if (isMap(e.requires)) {
        entry.dependencies = Object.fromEntries(Object.entries(e.requires).filter(([, r]) => typeof r === 'string')) as Record<string, string>;
        for (const r of Object.keys(entry.dependencies)) required.add(r);
      }
      packages[location] = entry;
      walk(e.dependencies, location);
    }
  };
  walk(lock.dependencies, '');
  // The project: package.json beside the lock says what it asks for; without it, the top-level
  // packages nothing else requires are taken as the project's own, in the scope npm flagged them.
  const root: LockEntry = { name: project?.name ?? lock.name, version: project?.version ?? lock.version };
  if (project) {
    root.dependencies = project.dependencies;
    root.devDependencies = project.devDependencies;
    root.optionalDependencies = project.optionalDependencies;
  } else {
    for (const [location, e] of Object.entries(packages)) {
      const name = location.slice('node_modules/'.length);
      if (location.includes('/node_modules/') || required.has(name)) continue;
      const group = e.dev ? (root.devDependencies ??= {}) : e.optional ? (root.optionalDependencies ??= {}) : (root.dependencies ??= {});
      group[name] = e.version || e.resolved || '*';
    }
  }
  return { '': root, ...packages };
}

/** `project` is the package.json beside the lock, read only for a lockfileVersion 1 (v2 and v3 copy it into the lock). */
export function parsePackageLock(text: string, file: string, project: () => ProjectManifest | undefined = () => undefined): InventoryFragment {
  const lock = parseJsonText(text, file) as { name?: string; version?: string; lockfileVersion?: number; packages?: Record<string, LockEntry>; dependencies?: unknown };
  if (!lock || typeof lock !== 'object' || Array.isArray(lock)) throw new InputError('not a package-lock.json: the top level is not an object', file, 1);
  checkShape('package-lock.json', lock, file);
  if (!lock.packages || typeof lock.packages !== 'object') {
    if (lock.lockfileVersion !== 1 && !(lock.lockfileVersion === undefined && isMap(lock.dependencies))) {
      throw new InputError(`lockfileVersion ${lock.lockfileVersion ?? '?'} has no "packages" map; lockfileVersion 1, 2 and 3 are read`, file, 1);
    }
    lock.packages = packagesOfV1(lock, file, project());
  }
  const packages = lock.packages;
  const b = new FragmentBuilder();
  const purls = new Map<string, string>();
  const flags = new Map<string, number>();

  const target = (location: string): [string, LockEntry] | undefined => {
    const e = packages[location];
    if (!e) return undefined;
    // A workspace link points at the folder holding the real entry.
    if (e.link && e.resolved !== undefined && packages[e.resolved]) return [e.resolved, packages[e.resolved]!];
    return [location, e];
  };

  for (const [location, entry] of Object.entries(packages)) {
    if (entry.link) continue;
    const isRoot = location === '';
    const inNodeModules = location.includes('node_modules/');
    const name = entry.name ?? (isRoot ? lock.name ?? 'root' : nameAt(location));
    const version = entry.version ?? (isRoot ? lock.version ?? '' : '');
    const purl = npmPurl(name, version);
    // npm copies package.json's licence: a string, a legacy { type } object, or a legacy list of either.
    const declared = (Array.isArray(entry.license) ? entry.license : [entry.license]).map((l) => (typeof l === 'string' ? l : l?.type)).filter((l): l is string => typeof l === 'string' && l !== '');
    const lic = mapLicenses(declared);
    const c: Component = {
      purl, name, version, ecosystem: 'npm', licenses: [...lic.spdx, ...lic.raw], sourceFile: file,
      dependenciesComplete: true,
    };
    if (declared.length) c.licensesDeclared = declared;
    if (isRoot || !inNodeModules) { c.root = true; c.firstParty = true; } // the project and its workspaces
    // npm's own flags (arborist's calcDepFlags over every edge, peers included) say what ships:
    // "dev" only with devDependencies, "optional"/"devOptional" only if optional installs succeed.
    // One name@version may sit at several locations: the strongest of them decides.
    const strength = isRoot || !inNodeModules ? 0 : entry.dev ? 2 : entry.optional || entry.devOptional ? 1 : 0;
    flags.set(purl, Math.min(flags.get(purl) ?? 2, strength));
    const hash = parseDigest(entry.integrity, `${file} "integrity"`);
    if (hash) c.hashes = [hash];
    if (entry.resolved && /^https?:/.test(entry.resolved)) c.distribution = entry.resolved;
    const git = gitProvenance(entry.resolved);
    if (git) c.provenance = git;
    b.component(c);
    purls.set(location, purl);
  }

  for (const c of b.build().components) {
    const f = flags.get(c.purl);
    if (f === 2) c.declaredScope = 'dev';
    else if (f === 1) c.declaredScope = 'optional';
  }

  // Node's resolution climbs from a folder to its ancestors' node_modules. Every location gets a
  // number, its parent's number and the names installed under it, computed once: a climb is then
  // integer steps and map lookups, not string building or hashing of long paths (locations nested
  // 2,000 deep made that cubic).
  const locations = Object.keys(packages);
  const idOf = new Map<string, number>(locations.map((l, i) => [l, i]));
  const parentId: number[] = [];
  const children: (Map<string, number> | undefined)[] = [];
  const ownerOf = (location: string): string => {
    const i = location.lastIndexOf('/node_modules/');
    return i < 0 ? '' : location.slice(0, i);
  };
  const idFor = (location: string): number => {
    let id = idOf.get(location);
    if (id === undefined) { id = locations.length; locations.push(location); idOf.set(location, id); }
    return id;
  };
  const rootId = idFor('');
  for (let i = 0; i < locations.length; i++) {
    const location = locations[i]!;
    parentId[i] = location === '' ? -1 : idFor(ownerOf(location));
    const at = location.lastIndexOf('node_modules/');
    if (at < 0 || (at > 0 && location[at - 1] !== '/')) continue;
    const owner = at === 0 ? rootId : idFor(location.slice(0, at - 1));
    (children[owner] ??= new Map()).set(location.slice(at + 'node_modules/'.length), i);
  }
  const resolveFrom = (location: string, dep: string): [string, LockEntry] | undefined => {
    for (let base = idOf.get(location) ?? rootId; base >= 0; base = parentId[base]!) {
      const at = children[base]?.get(dep);
      const hit = at !== undefined ? target(locations[at]!) : undefined;
      if (hit) return hit;
    }
    return undefined;
  };

  for (const [location, entry] of Object.entries(packages)) {
    if (entry.link) continue;
    const from = purls.get(location)!;
    const isProject = !location.includes('node_modules/');
    const groups: [Record<string, string> | undefined, DependencyKind][] = [
      [entry.dependencies, 'runtime'],
      [entry.optionalDependencies, 'optional'],
      [entry.peerDependencies, 'peer'],
      // devDependencies are installed only for the project itself and its workspaces.
      [isProject ? entry.devDependencies : undefined, 'dev'],
    ];
    for (const [deps, kind] of groups) {
      for (const [dep, constraint] of Object.entries(deps ?? {})) {
        const hit = resolveFrom(location, dep);
        const to = hit ? purls.get(hit[0]) : undefined;
        const optional = kind === 'optional' || (kind === 'peer' && entry.peerDependenciesMeta?.[dep]?.optional);
        // An optional peer is used when present, never required: optional, not runtime.
        if (to) { b.edge(from, to, optional && kind === 'peer' ? 'optional' : kind, { constraint }); continue; }
        // npm leaves out optional deps for other platforms and unmet optional peers: that is not a gap.
        if (!optional && kind !== 'peer') {
          b.missing({ key: dep, package: location || (lock.name ?? 'root'), from, file, kind, reason: `"${dep}@${constraint}" is not in the lockfile` });
        }
      }
    }
  }
  return b.build();
}
