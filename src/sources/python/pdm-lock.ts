// pdm.lock, PDM's own lockfile (TOML), as PDM writes it since lock_version 3 (and its first, of 2020) and reads it back.
//
// Each [[package]] has its name, version and `dependencies` (PEP 508 strings); a package asked for with extras
// (`httpx[socks]`) has a second entry with `extras = ["socks"]`, whose dependencies are the package itself and what
// those extras add. With the `inherit_metadata` strategy (PDM's default since 2.11) each entry also has `groups`,
// the project's groups that need it ("default" is [project] dependencies), and the `marker` under which it is
// installed. PDM does not lock the project itself: what it asks for comes from pyproject.toml.
import { checkShape } from '../common/shape.ts';
import { parseDigest } from '../common/fragment.ts';
import { SCOPE_ORDER, scopeOfKind, type Component, type DependencyKind, type Hash, type Provenance, type Scope } from '../../model/inventory.ts';
import type { InventoryFragment } from '../extractor.ts';
import { activateExtras, ANY_TARGET, extraCondition, KIND_OF_SCOPE, kindOfGroup, linkRoot, localProjectFile, pypi, toml, type UvDep } from './lockfiles.ts';
import { ConditionalBuilder, LockMarkers, pythonRange, type MarkerTarget } from './markers.ts';
import { normaliseName, requirementExtras, requirementName, type PythonProject } from './project.ts';

interface PdmFile { file?: string; url?: string; hash?: string }
interface PdmPackage {
  name: string; version?: string; extras?: string[];
  /** `sections` in PDM's first lockfiles (2020). */
  groups?: string[]; sections?: string[]; marker?: string;
  /** PEP 508 strings; a table of name → specifier (or { version, marker }) in PDM's first lockfiles. */
  dependencies?: string[] | Record<string, unknown>;
  files?: PdmFile[];
  git?: string; hg?: string; svn?: string; bzr?: string; ref?: string; revision?: string;
  path?: string; url?: string; editable?: boolean;
}
interface PdmLock { metadata?: { groups?: string[]; files?: Record<string, PdmFile[]>; requires_python?: unknown }; package?: PdmPackage[] }

/** "anyio>=4.9.0; python_version < \"3.11\"" → its name, the extras it asks for, an exact `==` pin, its marker. */
export function pdmRequirement(req: string): UvDep | undefined {
  const name = requirementName(req);
  if (!name) return undefined;
  const semi = req.indexOf(';');
  const spec = (semi < 0 ? req : req.slice(0, semi)).slice(name.length).replace(/^\s*\[[^\]]*\]/, '').trim();
  const pin = /^===?\s*([^\s,;*]+)$/.exec(spec)?.[1];
  const extra = requirementExtras(req);
  return { name, ...(pin ? { version: pin } : {}), ...(extra.length ? { extra } : {}), ...(semi >= 0 ? { marker: req.slice(semi + 1).trim() } : {}) };
}

/** The dependencies of an entry, in either form PDM wrote. */
function requirementsOf(p: PdmPackage): UvDep[] {
  if (Array.isArray(p.dependencies)) return p.dependencies.map((d) => pdmRequirement(String(d))).filter((d): d is UvDep => !!d);
  return Object.entries(p.dependencies ?? {}).map(([name, spec]) => {
    const marker = typeof spec === 'object' && spec !== null ? (spec as { marker?: unknown }).marker : undefined;
    return { name, ...(typeof marker === 'string' ? { marker } : {}) };
  });
}

/** Where a package came from when not from an index: a VCS commit, a local folder (the project's own code), a URL. */
function origin(p: PdmPackage, file: string): Partial<Component> {
  for (const type of ['git', 'hg', 'svn', 'bzr'] as const) {
    const url = p[type];
    if (typeof url === 'string') {
      const provenance: Provenance = { type, url, ...(p.revision ?? p.ref ? { version: p.revision ?? p.ref } : {}) };
      return { provenance };
    }
  }
  // A local file (a wheel or sdist on disk) is a package like any other; a local folder is a project of the product.
  const local = typeof p.path === 'string' ? p.path : typeof p.url === 'string' && p.url.startsWith('file:///${PROJECT_ROOT}/') ? p.url.slice('file:///${PROJECT_ROOT}/'.length) : undefined;
  if (local !== undefined && !/\.(whl|zip|tar\.gz|tgz|tar\.bz2|tar)$/i.test(local)) {
    const declared = localProjectFile(file, local);
    return { root: true, firstParty: true, ...(declared ? { sourceFile: declared } : {}) };
  }
  return typeof p.url === 'string' && !p.url.startsWith('file:') ? { distribution: p.url } : {};
}

/** The project's groups by the name PDM gives them in the lock: "default" for [project] dependencies. */
function pdmGroupName(group: string): string {
  return group === 'main' ? 'default' : normaliseName(group.replace(/^(extra|group):/, ''));
}

/**
 * The kind of a locked package's edge to another, by PDM's groups (the `inherit_metadata` strategy): the edge holds
 * in the groups both are in. Where that is none, the edge's marker excludes every target the lock was made for
 * (virtualenv's `importlib-metadata; python_version < "3.8"` in a lock for Python >= 3.10): optional, its condition
 * kept. Where it holds only in development groups or extras, it is theirs. Without groups, it holds as written.
 */
function edgeKind(from: string[] | undefined, to: string[] | undefined, scopeOfGroup: ReadonlyMap<string, Scope>): DependencyKind {
  if (!from?.length || !to?.length) return 'runtime';
  const common = from.map(normaliseName).filter((g) => to.some((t) => normaliseName(t) === g));
  if (!common.length) return 'optional';
  const scopes = common.map((g) => scopeOfGroup.get(g) ?? 'runtime');
  return KIND_OF_SCOPE[SCOPE_ORDER[Math.min(...scopes.map((x) => SCOPE_ORDER.indexOf(x)))]!];
}

export function parsePdmLock(text: string, file: string, project: PythonProject, target: MarkerTarget = ANY_TARGET): InventoryFragment {
  const data = toml(text, file) as PdmLock;
  checkShape('pdm.lock', data, file);
  const b = new ConditionalBuilder();
  const markers = new LockMarkers(target, pythonRange(data.metadata?.requires_python) ?? pythonRange(project.requiresPython), file);
  const root = b.component(project.component);
  const pkgs = data.package ?? [];
  // The lock's group names as pyproject.toml defines them: "default" ships, an extra is optional, the rest dev.
  const scopeOfGroup = new Map<string, Scope>([['default', 'runtime'], ...[...project.groups.keys()].map((g) => [pdmGroupName(g), scopeOfKind(kindOfGroup(g))] as const)]);
  // Before lock_version 4.4 the files were kept apart, by "name version": in [metadata.files], and in [metadata] itself before that.
  const oldFiles = new Map<string, PdmFile[]>();
  for (const [k, v] of [...Object.entries(data.metadata ?? {}), ...Object.entries(data.metadata?.files ?? {})]) if (k.includes(' ') && Array.isArray(v)) oldFiles.set(k, v as PdmFile[]);
  // One component per name and version: an entry with extras is the same release.
  const versions = new Map<string, { version: string; purl: string }[]>();
  const purlOf = new Map<PdmPackage, string>();
  // The extras entries PDM locked, by package name: "socks" for httpx[socks], "a,b" for an entry with both.
  const entriesOf = new Map<string, Set<string>>();
  const keyOf = (p: PdmPackage) => (p.extras ?? []).map(normaliseName).sort().join(',');
  // An entry with extras is the same release: its groups are the release's too.
  const groupsOf = new Map<string, string[]>();
  for (const p of pkgs) {
    const k = `${normaliseName(p.name)} ${p.version ?? ''}`;
    groupsOf.set(k, [...(groupsOf.get(k) ?? []), ...(p.groups ?? p.sections ?? [])]);
  }
  for (const p of pkgs) {
    const version = p.version ?? '';
    const files = [...(p.files ?? []), ...(oldFiles.get(`${p.name} ${version}`) ?? [])];
    // Every file of the release with its hash; which one is installed is not said.
    const candidates = files.map((f) => parseDigest(f.hash, `${file} files: ${f.file ?? f.url ?? '?'}`)).filter((h): h is Hash => !!h);
    const purl = b.component(pypi(p.name, version, file, { dependenciesComplete: true, ...(candidates.length ? { candidateHashes: candidates } : {}), ...origin(p, file) }));
    purlOf.set(p, purl);
    const name = normaliseName(p.name);
    const known = versions.get(name) ?? [];
    if (!known.some((v) => v.purl === purl)) versions.set(name, [...known, { version, purl }]);
    if (p.extras?.length) entriesOf.set(name, (entriesOf.get(name) ?? new Set()).add(keyOf(p)));
  }
  // A request for extras ("httpx[socks]") means the entry PDM locked for exactly those, else the entries of each one.
  const entryKeys = (name: string, asked: string[]): string[] => {
    const locked = entriesOf.get(normaliseName(name)) ?? new Set<string>();
    const all = [...new Set(asked)].sort();
    return locked.has(all.join(',')) ? [all.join(',')] : all.filter((x) => locked.has(x));
  };
  const resolve = (d: UvDep): { version: string; purl: string }[] => {
    const all = versions.get(normaliseName(d.name)) ?? [];
    const pinned = d.version === undefined ? [] : all.filter((v) => v.version === d.version);
    return pinned.length ? pinned : all;
  };
  const purls = (d: UvDep) => resolve(d).map((v) => v.purl);
  // The project is not locked: a locked package's dependency on it (a plugin's on its host) is met by the project.
  const own = project.component.ecosystem === 'pypi' ? normaliseName(project.component.name) : undefined;
  const requests: { from: string; to: string; extras: string[]; kind: DependencyKind }[] = [];
  const extrasOf = new Map<string, Record<string, UvDep[]>>();
  for (const p of pkgs) {
    const from = purlOf.get(p)!;
    const key = keyOf(p);
    const deps = requirementsOf(p).map((d) => (d.extra ? { ...d, extra: entryKeys(d.name, d.extra) } : d));
    // An extras entry's requirements hold where its extras are asked for, in the asker's scope (activateExtras).
    if (key) extrasOf.set(from, { ...extrasOf.get(from), [key]: deps });
    for (const d of deps) {
      const targets = resolve(d);
      if (!key) {
        for (const to of targets) {
          const kind = edgeKind(groupsOf.get(`${normaliseName(p.name)} ${p.version ?? ''}`), groupsOf.get(`${normaliseName(d.name)} ${to.version}`), scopeOfGroup);
          b.edge(from, to.purl, kind, { condition: d.marker });
          if (d.extra?.length) requests.push({ from, to: to.purl, extras: d.extra, kind });
        }
      }
      if (!targets.length && normaliseName(d.name) !== own && d.marker && markers.excludes(d.marker)) markers.leftOut(`${p.name} → ${d.name}`, d.marker);
      else if (!targets.length && normaliseName(d.name) !== own) {
        const why = d.marker && markers.holds(d.marker) === undefined ? ` (its marker, ${d.marker}, could not be decided for ${markers.describe()})` : '';
        b.missing({ key: d.name, package: p.name, from, file, kind: key ? 'optional' : 'runtime', reason: `dependency "${d.name}" of ${p.name} is not in the lockfile${why}` });
      }
    }
  }
  // Only the groups PDM locked ([metadata] groups, written since PDM 2.5; every group before).
  const locked = new Set((data.metadata?.groups ?? []).map(normaliseName));
  const groups = new Map([...project.groups].filter(([g]) => !locked.size || locked.has(pdmGroupName(g))));
  const byName = new Map([...versions].map(([k, v]) => [k, v[0]!.purl]));
  // Without pyproject groups, what nothing in the lock depends on was asked for, in its lock groups: "default" ships;
  // another may be an extra or a development group, which only pyproject.toml tells: optional, counted as shipping.
  const fallback = pkgs.filter((p) => !p.extras?.length).map((p) => {
    const g = p.groups ?? p.sections;
    return { name: normaliseName(p.name), group: !g || g.includes('default') ? 'main' : g.includes('dev') ? 'dev' : 'extra:?' };
  });
  linkRoot(b, root, { ...project, groups }, byName, fallback, file);
  for (const r of project.extras ?? []) {
    const to = byName.get(r.name);
    if (to && groups.has(r.group)) requests.push({ from: root, to, extras: entryKeys(r.name, r.extras), kind: kindOfGroup(r.group) });
  }
  const activated = activateExtras(b, requests, extrasOf, purls);
  // PDM locks an extras entry because something asked for it; where Marque finds no asker (a request under a
  // group that was not locked, a marker), the entry's packages stay optional, never dropped.
  for (const [from, table] of extrasOf) {
    for (const [key, deps] of Object.entries(table)) {
      if (activated.has(`${from} ${key}`)) continue;
      for (const d of deps) for (const to of purls(d)) b.edge(from, to, 'optional', { condition: extraCondition(key, d.marker) });
    }
  }
  const out = markers.apply(b.build());
  const unlocked = [...project.groups.keys()].filter((g) => !groups.has(g)).map(pdmGroupName);
  if (unlocked.length) {
    out.notes = [...(out.notes ?? []), `${file}: pyproject.toml's group(s) ${unlocked.join(', ')} are not among the lock's [metadata] groups: PDM did not lock them, and what they ask for is not in this inventory`];
  }
  return out;
}
