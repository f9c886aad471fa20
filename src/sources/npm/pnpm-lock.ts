// pnpm-lock.yaml, lockfile versions 6 (pnpm 8) to 9 (pnpm 9 and 10), read with the `yaml` parser.
// `importers` are the project and its workspaces with their direct dependencies; v6 keeps every
// package under `packages` ("/name@version(peers)", with dev/optional flags); v9 splits metadata
// (`packages`, "name@version") from the dependency graph (`snapshots`, "name@version(peers)").
// pnpm's own lockfile packages pull in much of pnpm; the format is plain YAML, read here with js-yaml
// (a 50,000-package lock in a fraction of a second). The dependencies walked are counted: a lock whose
// YAML aliases make one map stand for thousands is refused, not walked for minutes.
// pnpm 11 may write two YAML documents: first the "env" lock (the package manager itself and the config
// dependencies it installs with), then the project's lock, which pnpm reads alone; see envDocument().
import { npmPurl } from '../../model/purl.ts';
import { InputError } from '../../util/errors.ts';
import { FragmentBuilder, parseDigest } from '../common/fragment.ts';
import type { InventoryFragment } from '../extractor.ts';
import { SCOPE_ORDER, scopeOfKind } from '../../model/inventory.ts';
import type { Component, DependencyKind } from '../../model/inventory.ts';
import { isRecord, parseYamlFast } from '../../util/yaml.ts';
import { readPnpmYaml } from './pnpm-yaml.ts';
import { pnpmGitProvenance } from './git-source.ts';
import { posix } from 'node:path';

const MAX_EDGES = 5_000_000;

type Deps = Record<string, string | { specifier?: string; version?: string }>;
interface Importer { dependencies?: Deps; devDependencies?: Deps; optionalDependencies?: Deps; packageManagerDependencies?: Deps; configDependencies?: Deps }
interface Snapshot { resolution?: { integrity?: string; tarball?: string; directory?: string; type?: string; repo?: string; commit?: string }; dependencies?: Record<string, string>; optionalDependencies?: Record<string, string>; dev?: boolean; optional?: boolean; version?: string; name?: string }

/** "7.1.0(supports-color@8.1.1)" → "7.1.0": the peer suffix names a variant, not a version. */
const bare = (v: string) => { const i = v.indexOf('('); return i < 0 ? v : v.slice(0, i); };

/** A lock key's name and version: "/@babel/core@7.21.0(x@1)", "@babel/core@7.21.0", v5's "/@babel/core/7.21.0". */
function nameVersion(key: string): [string, string] {
  const k = key.startsWith('/') ? key.slice(1) : key;
  const at = k.indexOf('@', 1);
  if (at > 0) return [k.slice(0, at), k.slice(at + 1)];
  const slash = k.lastIndexOf('/');
  return [k.slice(0, slash), k.slice(slash + 1)];
}

/** A top-level dependency section as an object, as an importer's are. */
const topDeps = (v: unknown): Deps | undefined => (v instanceof Map ? Object.fromEntries(v) as Deps : isRecord(v) ? v as Deps : undefined);

/** A top-level section as a Map: pnpm's style gives one; a general YAML parser gives an object. */
const section = <T>(v: unknown): Map<string, T> => (v instanceof Map ? v as Map<string, T> : new Map(isRecord(v) ? Object.entries(v) as [string, T][] : []));

/**
 * A lock pnpm 11 writes as two documents ("---" first, the env lock, "---" again, the project's lock): the
 * env document and the project's, with the line the project's starts on. pnpm's own reader
 * (lockfile/fs, extractMainDocument) splits the same way and reads the second alone.
 */
export function envDocument(text: string): { env?: string; main: string; offset: number } {
  const first = /^\uFEFF?---\r?\n/.exec(text);
  if (!first) return { main: text, offset: 0 };
  const sep = /\n---\r?\n/g;
  sep.lastIndex = first[0].length - 1;
  const m = sep.exec(text);
  if (!m) return { main: text, offset: 0 };
  const start = m.index + m[0].length;
  let offset = 0;
  for (let i = text.indexOf('\n'); i >= 0 && i < start; i = text.indexOf('\n', i + 1)) offset++;
  return { env: text.slice(first[0].length, m.index + 1), main: text.slice(start), offset };
}

/**
 * `project(path)`: the name and version of an importer's package.json, when there is one; `patchFiles`: the
 * patch files pnpm-workspace.yaml's (or package.json's) patchedDependencies name, by the same keys.
 */
export function parsePnpmLock(text: string, file: string, project: (path: string) => { name?: string; version?: string } | undefined = () => undefined, patchFiles: Record<string, string> = {}): InventoryFragment {
  const { env, main, offset } = envDocument(text);
  const b = new FragmentBuilder();
  try {
    readLock(main, file, project, b, patchFiles);
  } catch (e) {
    // A line in the project's document is a line of the file.
    throw e instanceof InputError && e.line !== undefined && offset > 0 ? new InputError(e.message, e.file, e.line + offset, e.column) : e;
  }
  // The env document's packages (pnpm itself, the config dependencies) are what the product is installed
  // with: build tools of the root project, not parts of it.
  if (env !== undefined) readLock(env, file, project, b, patchFiles);
  return b.build();
}

function readLock(text: string, file: string, project: (path: string) => { name?: string; version?: string } | undefined, b: FragmentBuilder, patchFiles: Record<string, string>): void {
  // The lock as pnpm writes it is read line by line; any other YAML by a YAML parser (errors with their line).
  const doc: unknown = readPnpmYaml(text) ?? parseYamlFast(text, file);
  if (!isRecord(doc)) throw new InputError('not a pnpm-lock.yaml: the top level is not a map', file, 1);
  const version = Number.parseFloat(String(doc['lockfileVersion'] ?? ''));
  if (!(version >= 6 && version < 10)) throw new InputError(`pnpm lockfileVersion ${String(doc['lockfileVersion'] ?? '?')} is not read; Marque reads versions 6 to 9 (pnpm 8 and later): regenerate it with a current pnpm`, file, 1);
  const v9 = version >= 9;
  const importers = doc['importers'] instanceof Map || isRecord(doc['importers']) ? section<Importer>(doc['importers'])
    // A single-project v6 lock keeps the project's dependencies at the top level (a section: a Map as pnpm writes it).
    : new Map([['.', { dependencies: topDeps(doc['dependencies']), devDependencies: topDeps(doc['devDependencies']), optionalDependencies: topDeps(doc['optionalDependencies']) } as Importer]]);
  const packages = section<Snapshot>(doc['packages']);
  const snapshots = v9 ? section<Snapshot>(doc['snapshots']) : packages;
  let work = 0;
  const count = (n: number) => { if ((work += n) > MAX_EDGES) throw new InputError(`more than ${MAX_EDGES} dependency entries; not read (YAML aliases repeating one map?)`, file); };
  // Counted before anything is resolved: a lock whose aliases blow up is refused at once, not after millions of lookups.
  const size = (o: unknown) => { let n = 0; if (typeof o === 'object' && o !== null) for (const _ in o) n++; return n; };
  for (const imp of importers.values()) if (isRecord(imp)) count(size(imp.dependencies) + size(imp.devDependencies) + size(imp.optionalDependencies) + size(imp.packageManagerDependencies) + size(imp.configDependencies));
  for (const snap of snapshots.values()) if (isRecord(snap)) count(size(snap.dependencies) + size(snap.optionalDependencies));
  const purlOf = new Map<string, string>(); // snapshot key → purl
  const firstOf = new Map<string, Component>(); // purl → the component its first variant made
  const flagOf = new Map<string, 'runtime' | 'optional' | 'dev'>(); // purl → its strongest variant's v6 flag
  // patchedDependencies: pnpm 9 writes { hash, path } by the configured key ("chokidar@3.6.0", "chokidar"), pnpm 10
  // and later only the hash ("nitropack@2.13.4": <sha256>), the path staying in pnpm-workspace.yaml. A key may
  // be a range (pnpm 10): the snapshot's "(patch_hash=…)" says which patch a package got, the key is the fallback.
  const patched = section<unknown>(doc['patchedDependencies']);
  const patchFile = (key: string, v: unknown) => (isRecord(v) && typeof v['path'] === 'string' ? v['path'] : patchFiles[key]);
  const patchByHash = new Map<string, string>();
  for (const [key, v] of patched) {
    const hash = typeof v === 'string' ? v : isRecord(v) && typeof v['hash'] === 'string' ? v['hash'] : undefined;
    if (hash !== undefined) patchByHash.set(hash, patchFile(key, v) ?? 'patched');
  }
  for (const [key, snap] of snapshots) {
    if (!isRecord(snap)) throw new InputError(`package "${key.slice(0, 80)}" is not a map`, file);
    const [name0, ver0] = nameVersion(key);
    const meta: Snapshot = (v9 ? packages.get(bare(key)) ?? packages.get(key) : snap) ?? {};
    // Packages from git or a tarball carry their own name and version fields.
    const name = typeof meta.name === 'string' ? meta.name : name0;
    // A `file:` folder is the project's own code: its package.json has the version, if any.
    const directory = typeof meta.resolution?.directory === 'string' ? meta.resolution.directory : undefined;
    const ver = typeof meta.version === 'string' ? meta.version : directory !== undefined ? project(posix.normalize(directory))?.version ?? '' : bare(ver0);
    const purl = npmPurl(name, ver);
    const c: Component = { purl, name, version: ver, ecosystem: 'npm', licenses: [], sourceFile: file, dependenciesComplete: true };
    if (directory !== undefined) c.properties = { 'npm:localPath': directory };
    // patchedDependencies ("chokidar@3.6.0" or "chokidar"): the code is the package's with a patch applied.
    if (patched.size > 0) {
      // The key's own first suffix, not one inside a peer's ("a@1.0.0(b@2.0.0(patch_hash=…))" is b's patch).
      const byHash = /^[^(]*\(patch_hash=([^)]+)\)/.exec(key)?.[1];
      const patchKey = patched.has(`${name}@${ver}`) ? `${name}@${ver}` : patched.has(name) ? name : undefined;
      const patch = (byHash !== undefined ? patchByHash.get(byHash) : undefined) ?? (patchKey !== undefined ? patchFile(patchKey, patched.get(patchKey)) ?? 'patched' : undefined);
      if (patch !== undefined) c.properties = { ...c.properties, 'npm:patch': patch };
    }
    const hash = parseDigest(meta.resolution?.integrity, `${file} resolution.integrity`);
    if (hash) c.hashes = [hash];
    if (meta.resolution?.tarball && /^https?:/.test(meta.resolution.tarball)) c.distribution = meta.resolution.tarball;
    const git = pnpmGitProvenance(meta.resolution);
    if (git) c.provenance = git;
    // v6 flags: dev only through devDependencies, optional only through optional ones (v9 dropped them: the graph says).
    // They are a variant's ("/debug@4.4.3(supports-color@8.1.1)"): the package is dev only if every variant is.
    const flag = v9 ? undefined : snap.dev === true ? 'dev' : snap.optional === true ? 'optional' : 'runtime';
    if (flag !== undefined) { const had = flagOf.get(purl); if (had === undefined || SCOPE_ORDER.indexOf(flag) < SCOPE_ORDER.indexOf(had)) flagOf.set(purl, flag); }
    if (!firstOf.has(purl)) firstOf.set(purl, c);
    b.component(c);
    purlOf.set(key, purl);
  }
  for (const [purl, f] of flagOf) { const c = firstOf.get(purl)!; if (f !== 'runtime') c.declaredScope = f; }
  // A dependency's value is its version (with peers), "link:../path", or an alias "npm:real@1.0.0"/"real@1.0.0".
  // Importers are the project's own folders. Two that share a package name and version (vite's
  // playground copies) stay two roots: each is then named by its folder, its package name kept aside.
  const importerPurl = new Map<string, string>();
  const infoOf = new Map<string, { name?: string; version?: string } | undefined>();
  const info = (path: string) => { if (!infoOf.has(path)) infoOf.set(path, project(path)); return infoOf.get(path); };
  const claimed = new Map<string, number>();
  for (const path of importers.keys()) { const i = info(path); if (i?.name) claimed.set(`${i.name}@${i.version ?? ''}`, (claimed.get(`${i.name}@${i.version ?? ''}`) ?? 0) + 1); }
  const projectPurl = (path: string, dep?: string) => {
    let p = importerPurl.get(path);
    if (!p) {
      const i = info(path) ?? {};
      if (!importers.has(path)) {
        // A link to a folder that is no importer (vitest's test/browser/bundled-lib): a local folder, as Yarn's
        // link: is, reached through the edges that name it (their scope), not another root of the product.
        const name = i.name ?? dep ?? path;
        p = b.component({ purl: npmPurl(name, i.version ?? ''), name, version: i.version ?? '', ecosystem: 'npm', licenses: [], sourceFile: file, dependenciesComplete: false, properties: { 'npm:localPath': path } });
      } else {
        const shared = i.name !== undefined && (claimed.get(`${i.name}@${i.version ?? ''}`) ?? 0) > 1;
        const name = i.name !== undefined && !shared ? i.name : path === '.' ? 'root' : path;
        p = b.component({ purl: npmPurl(name, i.version ?? ''), name, version: i.version ?? '', ecosystem: 'npm', licenses: [], sourceFile: file, dependenciesComplete: true, root: true, firstParty: true, ...(shared ? { properties: { 'npm:packageName': i.name! } } : {}) });
      }
      importerPurl.set(path, p);
    }
    return p;
  };
  /** The snapshot key a dependency's reference names (not a link). */
  const keyOf = (dep: string, ref: string): string | undefined => {
    // Most references are a version (with peers): the v9 key first, then v6's and v5's.
    const c0 = ref.charCodeAt(0);
    if (c0 >= 48 && c0 <= 57) {
      let k = `${dep}@${ref}`;
      if (purlOf.has(k) || purlOf.has(k = `/${dep}@${ref}`) || purlOf.has(k = `/${dep}/${ref}`) || purlOf.has(k = ref)) return k;
      return undefined;
    }
    for (const k of aliasCandidates(dep, ref)) if (purlOf.has(k)) return k;
    return undefined;
  };
  const aliasCandidates = (dep: string, ref: string): string[] => {
    // An alias ("npm:real@1.0.0", "real@1.0.0(peer@2)") names another package; "file:…(peer@2)" and
    // other protocols are keyed as written. The peer suffix may hold "@": it is not part of the name.
    const alias = /^[a-z+]+:/.test(ref) && !ref.startsWith('npm:') ? null : /^(?:npm:)?(@?[^@(]+)@(.+)$/.exec(ref);
    return alias && !/^\d/.test(ref) ? [`${alias[1]}@${alias[2]}`, `/${alias[1]}@${alias[2]}`] : [`${dep}@${ref}`, `/${dep}@${ref}`, `/${dep}/${ref}`, ref];
  };
  const resolve = (dep: string, ref: string, fromImporter?: string): string | undefined => {
    // A link is relative to the importer that declares it; in a snapshot, to the lockfile's folder.
    if (ref.startsWith('link:')) return projectPurl(posix.normalize(posix.join(fromImporter ?? '.', ref.slice(5))), dep);
    const k = keyOf(dep, ref);
    return k === undefined ? undefined : purlOf.get(k);
  };
  // The scope each variant ("debug@4.4.3(supports-color@8.1.1)") is installed in, as pnpm installs it: from
  // the importers' dependency groups along the variants' own edges (the weakest edge of a path, the
  // strongest path; index in SCOPE_ORDER). One package's variants are one component, so their edges meet:
  // a weaker variant's edges are weakened below.
  const seeds: [string, number][] = [];
  for (const [path, imp0] of importers) {
    if (!isRecord(imp0)) continue;
    const imp = imp0 as Importer;
    const from = projectPurl(path);
    // The env document's importer: the package manager and config dependencies pnpm installs with.
    const groups: [Deps | undefined, DependencyKind][] = [[imp.dependencies, 'runtime'], [imp.optionalDependencies, 'optional'], [imp.devDependencies, 'dev'], [imp.packageManagerDependencies, 'build'], [imp.configDependencies, 'build']];
    for (const [deps, kind] of groups) {
      for (const [dep, spec] of Object.entries(deps ?? {})) {
        const ref = typeof spec === 'string' ? spec : String(spec?.version ?? '');
        const to = resolve(dep, ref, path);
        const constraint = typeof spec === 'string' ? undefined : spec?.specifier;
        if (to) {
          b.edge(from, to, kind, constraint ? { constraint } : {});
          if (!ref.startsWith('link:')) seeds.push([keyOf(dep, ref)!, SCOPE_ORDER.indexOf(scopeOfKind(kind))]);
          continue;
        }
        if (kind !== 'optional') b.missing({ key: `${dep}@${ref}`, package: path, from, file, kind, reason: `"${dep}@${ref}" of importer "${path}" is not in pnpm-lock.yaml` });
      }
    }
  }
  const level = new Map<string, number>(); // snapshot key → its scope's index in SCOPE_ORDER
  const OPTIONAL = SCOPE_ORDER.indexOf('optional');
  const weakest = Math.max(-1, ...new Set(seeds.map(([, sl]) => sl)));
  for (let l = 0; l <= weakest; l++) {
    for (const [k, sl] of seeds) if (sl <= l && !level.has(k)) level.set(k, l);
    const stack = [...level.keys()];
    while (stack.length) {
      const snap = snapshots.get(stack.pop()!);
      if (!isRecord(snap)) continue;
      for (const [deps, el] of [[snap.dependencies, 0], [snap.optionalDependencies, OPTIONAL]] as const) {
        if (el > l || !isRecord(deps)) continue;
        for (const dep in deps) {
          const ref = String(deps[dep]);
          const k = ref.startsWith('link:') ? undefined : keyOf(dep, ref);
          if (k !== undefined && !level.has(k)) { level.set(k, l); stack.push(k); }
        }
      }
    }
  }
  const best = new Map<string, number>(); // purl → its strongest variant's level
  const mixed = new Set<string>(); // purls whose variants have different levels
  for (const [k, l] of level) { const p = purlOf.get(k)!; const had = best.get(p); if (had !== undefined && had !== l) mixed.add(p); if (!(had! <= l)) best.set(p, l); }
  // A variant weaker than its package's strongest (debug@4.4.3(supports-color@8.1.1), reached from dev
  // dependencies only, while debug@4.4.3(supports-color@10.2.2) ships) gives its edges no stronger a kind
  // than its own scope, named by a condition: what only it depends on (supports-color@8.1.1) is not shipped
  // through the shipping variant. An edge the component already has as strong is not repeated.
  const KIND_AT: DependencyKind[] = ['runtime', 'optional', 'build', 'dev', 'test', 'doc'];
  const weaker: { from: string; to: string; l: number; key: string }[] = [];
  const strongest = new Map<string, number>(); // "from to" of a package with weaker variants → its strongest edge's level
  // for…in, not Object.entries: no array of pairs per snapshot (a lock has 100,000s of dependency entries).
  const snapshotEdges = (key: string, from: string, deps: unknown, kind: 'runtime' | 'optional', lv: number | undefined, track: boolean) => {
    if (!isRecord(deps)) return;
    const el = kind === 'runtime' ? 0 : OPTIONAL;
    for (const dep in deps) {
      const ref = String(deps[dep]);
      const to = resolve(dep, ref);
      if (to) {
        const l = Math.max(el, lv ?? el);
        if (track && l > el && l > best.get(from)!) { weaker.push({ from, to, l, key }); continue; }
        b.edge(from, to, kind);
        if (track) { const pair = `${from} ${to}`; if (!(strongest.get(pair)! <= el)) strongest.set(pair, el); }
        continue;
      }
      if (kind !== 'optional') b.missing({ key: `${dep}@${ref}`, package: key, from, file, kind, reason: `"${dep}@${ref}" is not in pnpm-lock.yaml` });
    }
  };
  for (const [key, snap] of snapshots) {
    const from = purlOf.get(key)!;
    const lv = level.get(key);
    const track = mixed.has(from);
    snapshotEdges(key, from, snap.dependencies, 'runtime', lv, track);
    snapshotEdges(key, from, snap.optionalDependencies, 'optional', lv, track);
  }
  for (const e of weaker.sort((x, y) => x.l - y.l)) {
    const pair = `${e.from} ${e.to}`;
    if (strongest.get(pair)! <= e.l) continue;
    strongest.set(pair, e.l);
    b.edge(e.from, e.to, KIND_AT[e.l]!, { condition: `pnpm variant ${e.key.startsWith('/') ? e.key.slice(1) : e.key}` });
  }
}
