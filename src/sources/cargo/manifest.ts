// The Cargo.toml files of a Cargo.lock's own packages: the workspace root beside the lock, its members
// (`[workspace] members`, globs expanded, `exclude` honoured) and the path dependencies they name.
// Cargo.lock merges every kind of dependency into one list; the manifests say which is which:
// [dependencies] ship, [dev-dependencies] serve tests, examples and benches, [build-dependencies]
// serve build.rs, in every `[target.'cfg(…)'.…]` table too. An optional dependency ships when a
// default feature enables it, else it is optional. Crates from a registry keep their lock edges as
// runtime: their own manifests are in the registry, and Cargo.lock omits their dev-dependencies anyway.
import { dirname, join, posix, relative, resolve, sep } from 'node:path';
import { LIMITS, type FileAccess } from '../../util/file-access.ts';
import { tomlModule } from '../../util/lazy.ts';
import type { DependencyKind, Problem } from '../../model/inventory.ts';
import { expandFolders, insideRoot } from '../common/folders.ts';

/** Package name → the kinds its manifest declares each dependency (by package name, renames undone) in. */
export type CargoManifests = Map<string, Map<string, Set<DependencyKind>>>;

type Table = Record<string, unknown>;
const table = (v: unknown): Table => (v && typeof v === 'object' && !Array.isArray(v) ? v as Table : {});
const SECTIONS: [string, DependencyKind][] = [['dependencies', 'runtime'], ['dev-dependencies', 'dev'], ['build-dependencies', 'build']];
const MAX_MANIFESTS = 5000;

/** Features a package's `default` turns on, and the optional dependencies they enable ("dep", "dep:dep", "dep/feature"; not "dep?/feature"). */
function enabledByDefault(features: Table): Set<string> {
  const on = new Set<string>();
  const deps = new Set<string>();
  const visit = (f: string) => {
    if (on.has(f)) return;
    on.add(f);
    const list = features[f];
    if (!Array.isArray(list)) { deps.add(f); return; } // not a feature: an optional dependency's implicit one
    for (const item of list.filter((x): x is string => typeof x === 'string')) {
      if (item.startsWith('dep:')) deps.add(item.slice(4));
      else if (/^[^/?]+\//.test(item)) deps.add(item.slice(0, item.indexOf('/')));
      else if (!item.includes('/')) visit(item);
    }
  };
  visit('default');
  return deps;
}

/**
 * `files`: the scan's confinement (a member linked from outside the tree is refused, named).
 * `folders`, when given, receives each own package's folder (relative to the lock's, forward slashes).
 */
export function readCargoManifests(files: FileAccess, lockPath: string, rel: string, problems: Problem[], root = dirname(lockPath), folders?: Map<string, string>): CargoManifests {
  const out: CargoManifests = new Map();
  const base = dirname(lockPath);
  const seen = new Set<string>();
  let workspaceDeps: Table = {};
  const queue: string[] = ['.'];
  while (queue.length && seen.size < MAX_MANIFESTS) {
    const folder = posix.normalize(queue.shift()!);
    if (seen.has(folder)) continue;
    seen.add(folder);
    // A path dependency outside the scanned folder is not read: its kinds stay unknown (runtime).
    if (!insideRoot(root, join(base, folder))) continue;
    const relFile = posix.join(posix.dirname(rel), folder, 'Cargo.toml');
    let doc: Table;
    const path = join(base, folder, 'Cargo.toml');
    // The root missing only means the lock stands alone; a member that is not on disk is named below.
    if (folder === '.' && !files.exists(path)) continue;
    try {
      doc = tomlModule().parse(files.readTextSync(path, LIMITS.manifest)) as Table;
    } catch (e) {
      problems.push({ file: relFile, message: `cannot read (${(e as Error).message.split('\n')[0]}): the kinds of its dependencies are unknown, counted as runtime`, severity: 'warning' });
      continue;
    }
    const ws = table(doc['workspace']);
    if (folder === '.') {
      workspaceDeps = table(ws['dependencies']);
      const exclude = new Set((Array.isArray(ws['exclude']) ? ws['exclude'] : []).filter((x): x is string => typeof x === 'string').map((x) => posix.normalize(x)));
      for (const m of (Array.isArray(ws['members']) ? ws['members'] : []).filter((x): x is string => typeof x === 'string')) {
        for (const f of expandFolders(base, m)) if (!exclude.has(f)) queue.push(f);
      }
    }
    const pkg = table(doc['package']);
    if (typeof pkg['name'] !== 'string') continue; // a virtual workspace root
    const defaults = enabledByDefault(table(doc['features']));
    const declared = new Map<string, Set<DependencyKind>>();
    const tables: Table[] = [doc, ...Object.values(table(doc['target'])).map(table)];
    for (const t of tables) {
      for (const [section, kind] of SECTIONS) {
        for (const [key, spec0] of Object.entries(table(t[section]))) {
          const spec = table(spec0);
          const inherited = spec['workspace'] === true ? table(workspaceDeps[key]) : {};
          const name = String(spec['package'] ?? inherited['package'] ?? key);
          const path = spec['path'] ?? inherited['path'];
          // A member's path is its own; one inherited from [workspace.dependencies] is the root's.
          if (typeof path === 'string') queue.push(spec['path'] !== undefined ? posix.join(folder, path) : path);
          const optional = spec['optional'] === true && kind === 'runtime' && !defaults.has(key);
          const set = declared.get(name) ?? new Set<DependencyKind>();
          set.add(optional ? 'optional' : kind);
          declared.set(name, set);
        }
      }
    }
    out.set(pkg['name'], declared);
    if (folders && !folders.has(pkg['name'])) folders.set(pkg['name'], folder);
  }
  return out;
}

/**
 * The workspace a package folder belongs to, found as Cargo finds it (`package.workspace`, else the nearest
 * folder above with a `[workspace]` that does not exclude it), when it lists the folder among its members:
 * the path of that workspace's Cargo.toml from the scanned root. Cargo builds a member with the workspace's
 * Cargo.lock, so a Cargo.lock in the member's folder is not read by Cargo. Never looks above `root`.
 */
export function workspaceOfMember(files: FileAccess, dir: string, root: string): string | undefined {
  const parse = (path: string): Table | undefined => {
    if (!files.exists(path)) return undefined;
    try { return tomlModule().parse(files.readTextSync(path, LIMITS.manifest)) as Table; } catch { return undefined; }
  };
  const own = parse(join(dir, 'Cargo.toml'));
  if (!own || own['workspace'] !== undefined) return undefined; // no manifest (a lock standing alone), or a workspace root itself
  const pkg = table(own['package']);
  if (typeof pkg['name'] !== 'string') return undefined;
  const member = (wsDir: string, ws: Table): boolean => {
    const relDir = relative(wsDir, dir).split(sep).join('/');
    if (!relDir || relDir.startsWith('..')) return false;
    const strings = (v: unknown) => (Array.isArray(v) ? v : []).filter((x): x is string => typeof x === 'string').map((x) => posix.normalize(x).replace(/\/+$/, ''));
    const listed = strings(ws['members']).some((m) => expandFolders(wsDir, m).includes(relDir));
    const excluded = strings(ws['exclude']).some((x) => relDir === x || relDir.startsWith(`${x}/`));
    return listed && !excluded;
  };
  const at = (wsDir: string): string | undefined => {
    const doc = parse(join(wsDir, 'Cargo.toml'));
    return doc && doc['workspace'] !== undefined && member(wsDir, table(doc['workspace'])) ? relative(root, join(wsDir, 'Cargo.toml')).split(sep).join('/') : undefined;
  };
  if (typeof pkg['workspace'] === 'string') {
    const wsDir = resolve(dir, pkg['workspace']);
    return insideRoot(root, wsDir) ? at(wsDir) : undefined;
  }
  for (let wsDir = dirname(dir); insideRoot(root, wsDir); wsDir = dirname(wsDir)) {
    const doc = parse(join(wsDir, 'Cargo.toml'));
    if (doc && doc['workspace'] !== undefined) {
      // Cargo takes the first workspace above that does not exclude the package (listing it wins over excluding it).
      const ws = table(doc['workspace']);
      const relDir = relative(wsDir, dir).split(sep).join('/');
      const excluded = (Array.isArray(ws['exclude']) ? ws['exclude'] : []).some((x) => typeof x === 'string' && (relDir === posix.normalize(x).replace(/\/+$/, '') || relDir.startsWith(`${posix.normalize(x).replace(/\/+$/, '')}/`)));
      if (!excluded || member(wsDir, ws)) return at(wsDir);
    }
    if (wsDir === dirname(wsDir)) break;
  }
  return undefined;
}
