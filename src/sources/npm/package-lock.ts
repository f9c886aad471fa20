// npm package-lock.json, lockfileVersion 2 and 3: the `packages` map keyed by install location,
// resolved the way Node resolves modules (nearest node_modules upwards).
import { parseJsonText } from '../../util/json.ts';
import { checkShape } from '../common/shape.ts';
import { npmPurl } from '../../model/purl.ts';
import { InputError } from '../../util/errors.ts';
import { mapLicenses } from '../../util/license.ts';
import { gitProvenance } from './git-source.ts';
import { FragmentBuilder, parseDigest } from '../common/fragment.ts';
import type { InventoryFragment } from '../extractor.ts';
import type { Component, DependencyKind } from '../../model/inventory.ts';

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

export function parsePackageLock(text: string, file: string): InventoryFragment {
  const lock = parseJsonText(text, file) as { name?: string; version?: string; lockfileVersion?: number; packages?: Record<string, LockEntry> };
  if (!lock || typeof lock !== 'object' || Array.isArray(lock)) throw new InputError('not a package-lock.json: the top level is not an object', file, 1);
  if (!lock.packages || typeof lock.packages !== 'object') {
    throw new InputError(`lockfileVersion ${lock.lockfileVersion ?? '?'} has no "packages" map; only lockfileVersion 2 and 3 are read (regenerate with npm 7 or later)`, file, 1);
  }
  checkShape('package-lock.json', lock, file);
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
