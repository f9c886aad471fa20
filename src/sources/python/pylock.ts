// pylock.toml, the standard Python lock file (PEP 751, packaging.python.org "pylock.toml Specification",
// lock-version 1.0), as `uv export --format pylock.toml`, `uv pip compile --format pylock.toml`, `pip lock`
// and PDM (`pdm export -f pylock`) write it; `pylock.NAME.toml` is the same format under a name.
//
// An installer installs each `[[packages]]` entry whose `marker` holds, with `extras` and `dependency_groups`
// set to what was asked for (by default: no extras, the `default-groups`). So the scope of a package is read
// from its marker: one that holds by default ships (runtime); one that holds only when an extra is asked for is
// optional; one that holds only for a dependency group is dev, as PEP 735 groups are in pyproject.toml. The
// marker's environment part is decided for the product (markers.ts): a package whose marker holds for no
// selection there is not installed, and is named in a note instead; one Marque cannot decide is kept.
// `dependencies` (informational, PEP 751) and PDM's `[packages.tool.pdm] dependencies` give the edges between
// packages; without them the lock is flat and every package hangs from the project, as in Pipfile.lock.
import { posix } from 'node:path';
import { InputError } from '../../util/errors.ts';
import { parseDigest } from '../common/fragment.ts';
import { SCOPE_ORDER, type Component, type Hash, type Scope } from '../../model/inventory.ts';
import { DependencyGraph } from '../../graph/graph.ts';
import type { InventoryFragment } from '../extractor.ts';
import { ANY_TARGET, KIND_OF_SCOPE, localProjectFile, pypi, toml } from './lockfiles.ts';
import { pdmRequirement } from './pdm-lock.ts';
import { ConditionalBuilder, LockMarkers, pythonRange, type MarkerTarget } from './markers.ts';
import { normaliseName, type PythonProject } from './project.ts';

/** pylock.toml, or pylock.NAME.toml (the specification's `^pylock\.([^.]+)\.toml$`). */
export function isPylock(name: string): boolean {
  return name === 'pylock.toml' || /^pylock\.[^.]+\.toml$/.test(name);
}

interface FileRef { name?: string; url?: string; path?: string; hashes?: Record<string, string> }
interface PylockDependency { name?: string; version?: string; vcs?: { url?: string; path?: string }; directory?: { path?: string }; archive?: { url?: string; path?: string } }
interface PylockPackage {
  name: string; version?: string; marker?: string; index?: string;
  dependencies?: PylockDependency[];
  vcs?: { type?: string; url?: string; path?: string; 'requested-revision'?: string; 'commit-id'?: string; subdirectory?: string };
  directory?: { path?: string; editable?: boolean; subdirectory?: string };
  archive?: FileRef; sdist?: FileRef; wheels?: FileRef[];
  tool?: { pdm?: { dependencies?: unknown } };
}
interface Pylock {
  'lock-version'?: string; environments?: string[]; 'requires-python'?: string;
  extras?: string[]; 'dependency-groups'?: string[]; 'default-groups'?: string[]; 'created-by'?: string;
  packages?: PylockPackage[];
}

/** The structure this reader relies on; a field of the wrong type is named (as common/shape.ts does for the other formats). */
function checkPylock(data: Record<string, unknown>, file: string): Pylock {
  const fail = (path: string, what: string) => { throw new InputError(`not a valid pylock.toml: ${path}: must be ${what}`, file); };
  const isTable = (v: unknown) => typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof Date);
  const str = (v: unknown, path: string) => { if (v !== undefined && typeof v !== 'string') fail(path, 'string'); };
  const strList = (v: unknown, path: string) => {
    if (v === undefined) return;
    if (!Array.isArray(v)) fail(path, 'array');
    (v as unknown[]).forEach((x, i) => str(x, `${path} › ${i}`));
  };
  const table = (v: unknown, path: string, strings: string[] = []) => {
    if (v === undefined) return;
    if (!isTable(v)) fail(path, 'table');
    for (const k of strings) str((v as Record<string, unknown>)[k], `${path} › ${k}`);
  };
  const fileRef = (v: unknown, path: string) => {
    table(v, path, ['name', 'url', 'path']);
    const h = (v as Record<string, unknown> | undefined)?.['hashes'];
    table(h, `${path} › hashes`);
    for (const [k, x] of Object.entries((h ?? {}) as Record<string, unknown>)) str(x, `${path} › hashes › ${k}`);
  };
  if (typeof data['lock-version'] !== 'string') fail('lock-version', 'string');
  strList(data['environments'], 'environments');
  for (const k of ['extras', 'dependency-groups', 'default-groups']) strList(data[k], k);
  str(data['requires-python'], 'requires-python');
  const pkgs = data['packages'];
  if (pkgs !== undefined && !Array.isArray(pkgs)) fail('packages', 'array');
  ((pkgs ?? []) as unknown[]).forEach((p, i) => {
    const at = `packages › ${i}`;
    if (!isTable(p)) fail(at, 'table');
    const q = p as Record<string, unknown>;
    if (typeof q['name'] !== 'string') fail(`${at} › name`, 'string');
    for (const k of ['version', 'marker', 'index']) str(q[k], `${at} › ${k}`);
    table(q['vcs'], `${at} › vcs`, ['type', 'url', 'path', 'commit-id', 'requested-revision']);
    table(q['directory'], `${at} › directory`, ['path']);
    fileRef(q['archive'], `${at} › archive`);
    fileRef(q['sdist'], `${at} › sdist`);
    if (q['wheels'] !== undefined && !Array.isArray(q['wheels'])) fail(`${at} › wheels`, 'array');
    ((q['wheels'] ?? []) as unknown[]).forEach((w, j) => fileRef(w, `${at} › wheels › ${j}`));
    if (q['dependencies'] !== undefined && !Array.isArray(q['dependencies'])) fail(`${at} › dependencies`, 'array');
    ((q['dependencies'] ?? []) as unknown[]).forEach((d, j) => table(d, `${at} › dependencies › ${j}`, ['name', 'version']));
    table(q['tool'], `${at} › tool`);
    const pdm = (q['tool'] as Record<string, unknown> | undefined)?.['pdm'];
    table(pdm, `${at} › tool › pdm`);
    strList((pdm as Record<string, unknown> | undefined)?.['dependencies'], `${at} › tool › pdm › dependencies`);
  });
  return data as Pylock;
}

const STRENGTH = ['sha512', 'sha384', 'sha256', 'sha1', 'md5'];

/** A file's `hashes` table ({sha256 = "…"}): its strongest digest Marque knows. */
function fileHash(ref: FileRef | undefined, source: string): Hash | undefined {
  const table = ref?.hashes ?? {};
  const alg = STRENGTH.find((a) => Object.keys(table).some((k) => k.toLowerCase() === a));
  if (!alg) return undefined;
  const key = Object.keys(table).find((k) => k.toLowerCase() === alg)!;
  return parseDigest(`${alg}:${table[key]}`, source);
}

const fileName = (ref: FileRef) => ref.name ?? (ref.url ?? ref.path ?? '?').split(/[/\\]/).pop()!;

/** What an entry's source gives its component: hashes, where it comes from, and why its version is unknown when the lock has none. */
function sourceOf(p: PylockPackage, file: string): Partial<Component> {
  if (p.vcs) {
    const url = p.vcs.url ?? p.vcs.path ?? '';
    const commit = p.vcs['commit-id'];
    const out: Partial<Component> = { provenance: { type: p.vcs.type ?? 'git', url, ...(commit ? { version: commit } : {}) } };
    if (!p.version) out.properties = { 'marque:version': `unknown: built from ${p.vcs.type ?? 'a VCS'} ${url}${commit ? ` at commit ${commit}` : ''}; ${file} records no version for it` };
    return out;
  }
  if (p.archive) {
    const h = fileHash(p.archive, `${file} archive: ${fileName(p.archive)}`);
    const where = p.archive.url ?? p.archive.path ?? '?';
    return {
      ...(h ? { hashes: [h] } : {}), ...(p.archive.url ? { distribution: p.archive.url } : {}),
      ...(p.version ? {} : { properties: { 'marque:version': `unknown: installed from the archive ${where}; ${file} records no version for it` } }),
    };
  }
  // An index's release: its sdist and wheels, each with its hashes; the installer picks the one that fits, so
  // with several files none is the component's own (candidates), with one it is.
  const files = [...(p.sdist ? [p.sdist] : []), ...(p.wheels ?? [])];
  const hashes = files.map((f) => fileHash(f, `${file} ${f === p.sdist ? 'sdist' : 'wheels'}: ${fileName(f)}`)).filter((h): h is Hash => !!h);
  const out: Partial<Component> = files.length === 1 ? (hashes.length ? { hashes } : {}) : hashes.length ? { candidateHashes: hashes } : {};
  if (files.length === 1 && files[0]!.url) out.distribution = files[0]!.url;
  else if (p.sdist?.url) out.distribution = p.sdist.url;
  if (!p.version) out.properties = { 'marque:version': `unknown: ${file} records no version for it` };
  return out;
}

const weakest = (a: Scope, b: Scope): Scope => SCOPE_ORDER[Math.max(SCOPE_ORDER.indexOf(a), SCOPE_ORDER.indexOf(b))]!;

export function parsePylock(text: string, file: string, project: PythonProject, target: MarkerTarget = ANY_TARGET): InventoryFragment {
  const data = checkPylock(toml(text, file), file);
  const version = /^(\d+)(?:\.(\d+))?/.exec(data['lock-version']!.trim());
  // "If a tool doesn't support a major version, it MUST raise an error" (PEP 751).
  if (!version || version[1] !== '1') throw new InputError(`pylock.toml lock-version ${JSON.stringify(data['lock-version'])}: Marque reads lock-version 1 (PEP 751)`, file);
  const notes: string[] = [];
  if (Number(version[2] ?? 0) > 0) notes.push(`${file}: lock-version ${data['lock-version']} is newer than 1.0: what a later version added is not read`);
  const markers = new LockMarkers(target, pythonRange(data['requires-python']) ?? pythonRange(project.requiresPython), file);
  // Made for environments the product's is not: an installer refuses the lock there (PEP 751); it is read as written.
  const envs = data.environments ?? [];
  if (target.platform && envs.length && envs.every((e) => markers.holds(e) === false)) {
    notes.push(`${file}: locked for ${envs.join('; ')}, none of which is ${markers.describe()}: an installer refuses this lock there; its packages are read as written`);
  }
  const b = new ConditionalBuilder();
  const root = b.component(project.component);
  const own = project.component.ecosystem === 'pypi' ? normaliseName(project.component.name) : undefined;
  const set = (xs: string[] | undefined) => new Set((xs ?? []).map(normaliseName));
  const extras = set(data.extras);
  const defaults = set(data['default-groups']);
  const groups = new Set([...set(data['dependency-groups']), ...defaults]);
  // What an installer installs by default, with every extra, with every extra and group: the first selection in
  // which a package's marker holds gives its scope.
  const selections: [Scope, { extras: ReadonlySet<string>; groups: ReadonlySet<string> }][] = [
    ['runtime', { extras: new Set(), groups: defaults }], ['optional', { extras, groups: defaults }], ['dev', { extras, groups }],
  ];
  const pkgs = data.packages ?? [];
  const entries: { p: PylockPackage; purl?: string; scope?: Scope }[] = [];
  const unversioned: string[] = [];
  for (const p of pkgs) {
    const label = p.version ? `${p.name} ${p.version}` : p.name;
    let scope: Scope | undefined;
    for (const [s, sel] of selections) {
      const r = markers.holds(p.marker, sel);
      if (r === false) continue;
      scope = s;
      if (r === undefined && s !== 'dev') markers.keptUndecided(label, p.marker!);
      break;
    }
    if (!scope) {
      markers.exclude(label, p.marker!);
      entries.push({ p });
      continue;
    }
    // A local source tree: the project itself, or another of the product's own projects, declared by its pyproject.toml.
    if (p.directory) {
      const declared = localProjectFile(file, p.directory.path ?? '.');
      if (normaliseName(p.name) === own || declared === posix.join(posix.dirname(file), 'pyproject.toml')) { entries.push({ p, purl: root, scope }); continue; }
      const purl = b.component(pypi(p.name, p.version ?? '', file, { firstParty: true, ...(declared ? { sourceFile: declared } : {}) }));
      entries.push({ p, purl, scope });
      continue;
    }
    if (!p.version) unversioned.push(p.name);
    entries.push({ p, purl: b.component(pypi(p.name, p.version ?? '', file, sourceOf(p, file))), scope });
  }
  if (unversioned.length) notes.push(`${file}: ${unversioned.length} package(s) have no version in the lock (a source tree, a VCS checkout or an archive whose version the locker could not vouch for): no advisory can be matched to them (property "marque:version"): ${unversioned.join(', ')}`);
  const installed = entries.filter((e): e is Required<typeof e> => e.purl !== undefined);
  const scopeOf = new Map<string, Scope>();
  for (const e of installed) {
    const was = scopeOf.get(e.purl);
    scopeOf.set(e.purl, was ? SCOPE_ORDER[Math.min(SCOPE_ORDER.indexOf(was), SCOPE_ORDER.indexOf(e.scope))]! : e.scope);
  }
  // Edges between packages, where the lock gives them: an edge never makes a package stronger than its own marker does.
  const byName = new Map<string, typeof entries>();
  for (const e of entries) byName.set(normaliseName(e.p.name), [...(byName.get(normaliseName(e.p.name)) ?? []), e]);
  let graph = false;
  const depended = new Set<string>();
  const link = (from: Required<(typeof entries)[number]>, name: string, matches: (typeof entries)[number][], marker?: string) => {
    if (marker !== undefined && markers.excludes(marker)) { markers.leftOut(`${from.p.name} → ${name}`, marker); return; }
    const to = matches.filter((m) => m.purl !== undefined);
    if (!to.length && matches.length) return; // only entries not installed here: named in the note already
    if (!to.length) {
      if (normaliseName(name) !== own) b.missing({ key: name, package: from.p.name, from: from.purl, file, kind: KIND_OF_SCOPE[from.scope], reason: `dependency "${name}" of ${from.p.name} is not in the lockfile` });
      return;
    }
    for (const t of to) {
      if (t.purl === from.purl) continue;
      depended.add(t.purl!);
      b.edge(from.purl, t.purl!, KIND_OF_SCOPE[weakest(scopeOf.get(from.purl)!, scopeOf.get(t.purl!)!)], marker ? { condition: marker } : {});
    }
  };
  for (const e of installed) {
    if (e.p.dependencies?.length) graph = true;
    for (const d of e.p.dependencies ?? []) {
      if (typeof d.name !== 'string') continue;
      // The keys given tell the entry apart (PEP 751): a version, or the source.
      const matches = (byName.get(normaliseName(d.name)) ?? []).filter((m) => (d.version === undefined || m.p.version === d.version)
        && (d.vcs?.url === undefined || m.p.vcs?.url === d.vcs.url) && (d.directory?.path === undefined || m.p.directory?.path === d.directory.path)
        && (d.archive?.url === undefined || m.p.archive?.url === d.archive.url));
      link(e, d.name, matches);
    }
    const pdm = e.p.tool?.pdm?.dependencies;
    if (Array.isArray(pdm)) {
      graph = true;
      for (const req of pdm) {
        const d = pdmRequirement(String(req));
        if (!d) continue;
        const all = byName.get(normaliseName(d.name)) ?? [];
        const pinned = d.version === undefined ? [] : all.filter((m) => m.p.version === d.version);
        link(e, d.name, pinned.length ? pinned : all, d.marker);
      }
    }
  }
  // The edge from the project says the package's marker (one entry; several entries of one release say none).
  const entriesOf = new Map<string, PylockPackage[]>();
  for (const e of installed) entriesOf.set(e.purl, [...(entriesOf.get(e.purl) ?? []), e.p]);
  const rootEdge = (purl: string) => {
    const ps = entriesOf.get(purl)!;
    b.edge(root, purl, KIND_OF_SCOPE[scopeOf.get(purl)!], ps.length === 1 && ps[0]!.marker ? { condition: ps[0]!.marker } : {});
  };
  if (!graph) {
    for (const purl of scopeOf.keys()) if (purl !== root) rootEdge(purl);
  } else {
    // The project's direct dependencies (pyproject.toml) and what nothing else asks for hang from the project;
    // then any package the graph gives a weaker scope than its marker, or none, hangs from it too.
    const direct = new Set([...project.groups.values()].flat());
    for (const [purl, ps] of entriesOf) {
      if (purl !== root && (direct.has(normaliseName(ps[0]!.name)) || !depended.has(purl))) rootEdge(purl);
    }
    const got = new DependencyGraph(b.build()).scopes();
    for (const [purl, s] of scopeOf) if (purl !== root && got.get(purl) !== s) rootEdge(purl);
  }
  const out = markers.apply(b.build(), false);
  return notes.length ? { ...out, notes: [...notes, ...(out.notes ?? [])] } : out;
}
