// The packages of a workspace as colcon finds them: not only those with a package.xml (colcon-ros), but
// also plain CMake packages (colcon-cmake: a folder with a CMakeLists.txt) and Python packages
// (colcon-core: setup.py with setup.cfg; colcon-python-setup-py: setup.py), with colcon's rules:
//
// - the crawl (colcon-recursive-crawl) goes depth first from the workspace and does not look inside a
//   package, nor into a folder whose name starts with "." or that holds an ignore marker (walk.ts);
// - identification by priority: package.xml (150), then CMakeLists.txt and setup.py+setup.cfg (100), then
//   setup.py (90). Two at the same priority that disagree make colcon ignore the folder and everything in
//   it; a folder with a ROS 1 manifest.xml and no package.xml is ignored likewise (colcon-ros);
// - a CMake package's name is the first project() colcon's regular expression finds in its
//   CMakeLists.txt, comments removed, else the folder's name; its dependencies are the first argument of
//   every find_package(), pkg_check_modules() and pkg_search_module() in its CMake files (colcon-cmake's
//   extract_data); a CMakeLists.txt with project(Project) and a catkin_workspace() line is catkin_make's
//   top-level file, not a package;
// - a Python package's name and dependencies are setup.cfg's when setup.py calls setup() bare, else
//   setup()'s arguments (which colcon learns by running setup.py: here read, never run: parsers/setup-py.ts).
//
// A pyproject.toml alone makes no package: colcon-core and colcon-python-setup-py need a setup.py
// (colcon-python-project, which reads pyproject.toml, is a prototype outside colcon-common-extensions).
//
// What a CMake package's files say, and the version the CMake reading finds in them, is kept between runs
// of an installed build (like the package.xml parses: manifest-cache.ts), by the stamps of the files it
// was read from, so that a warm inventory reads none of them and loads no CMake reader.
import { hash } from 'node:crypto';
import { dirname, join, posix } from 'node:path';
import type { Problem } from '../../model/inventory.ts';
import { BUILD_ID } from '../../util/package.ts';
import { loadKept, saveKept } from '../../util/kept.ts';
import { cacheDir } from '../../util/yaml.ts';
import type { Literal, SetupCfg, SetupPy } from '../../parsers/setup-py.ts';
import type { DeclaredVersion } from '../cmake/package-version.ts';
import type { ExtractContext, FoundFile } from '../extractor.ts';
import { IGNORE_MARKERS } from '../walk.ts';

/** The files that make a folder a package, or keep colcon out of it (a setup.cfg is read beside its setup.py). */
const MARKERS = new Set(['package.xml', 'CMakeLists.txt', 'setup.py', 'manifest.xml']);
export const isPackageMarker = (name: string): boolean => MARKERS.has(name);

export type PlainKind = 'cmake' | 'python';

export interface PlainDependency {
  name: string;
  /** colcon's kinds: a CMake package's are build and run at once. */
  kind: 'build' | 'run' | 'test';
  /** A Python requirement's version constraint ("≥5.1"), as written. */
  constraint?: string;
}

/** A package colcon builds without a package.xml. */
export interface PlainPackage {
  kind: PlainKind;
  dir: string;
  /** CMakeLists.txt or setup.py: where the package is declared. */
  file: FoundFile;
  name: string;
  version: string;
  /** Where the version was read, or why it is not known. */
  versionFrom?: string;
  unknownVersion?: string;
  depends: PlainDependency[];
  /** Dependencies declared in a way Marque cannot read without running code (setup.py's install_requires=read_requirements()). */
  unreadDepends?: string[];
}

export interface Located {
  /** package.xml of each ROS package colcon finds, shallowest first. */
  manifests: FoundFile[];
  plain: PlainPackage[];
  /** What the crawl did not do, and why (a COLCON_IGNORE in the scanned folder). */
  notes: string[];
}

/** What a folder's CMake files say, as colcon reads them, with the version they declare: kept between runs. */
interface CMakeReading {
  cmake?: { name: string | null; catkin: boolean; depends: string[]; version?: DeclaredVersion };
  problems: Problem[];
}

/** What a folder's files say. */
interface Reading extends CMakeReading {
  setupPy?: SetupPy;
  setupCfg?: SetupCfg;
}

/** The setup.py and setup.cfg reader, loaded when a folder has a setup.py (a ROS 2 workspace rarely has one outside a package). */
type SetupReader = typeof import('../../parsers/setup-py.ts');

/** The folder of a path relative to the root ("." for the root's own files), as posix.dirname gives it. */
const parentOf = (rel: string) => { const at = rel.lastIndexOf('/'); return at < 0 ? '.' : rel.slice(0, at); };
const depthOf = (dir: string) => {
  if (dir === '.') return 0;
  let n = 1;
  for (let i = 0; i < dir.length; i++) if (dir.charCodeAt(i) === 47) n++;
  return n;
};
const hidden = (dir: string) => dir !== '.' && (dir.startsWith('.') || dir.includes('/.'));

/**
 * The packages colcon finds among the walk's files. Files are read only for folders the crawl reaches
 * that have a CMakeLists.txt or a setup.py and no package.xml. `rootProject`: the scanned folder itself
 * holds a CMakeLists.txt or setup.py (and no package.xml); it is the CMake or Python project the other
 * extractors read, and no plain package is looked for below it (colcon would find it the only package).
 * `build`: the installed build whose readings are kept (none: nothing is kept).
 */
export async function locatePackages(files: readonly FoundFile[], ctx: ExtractContext, build: string | undefined = BUILD_ID): Promise<Located> {
  // (Indexed loops and the folder cut by hand: this runs on every inventory of a workspace, mostly before
  // the code is optimised, over a thousand files in the ROS 2 core.)
  const byDir = new Map<string, Map<string, FoundFile>>();
  for (let i = 0; i < files.length; i++) {
    const f = files[i]!;
    if (!MARKERS.has(f.name)) continue;
    const dir = parentOf(f.rel);
    const m = byDir.get(dir);
    if (m) m.set(f.name, f); else byDir.set(dir, new Map([[f.name, f]]));
  }
  // Shallowest first, so that a package's folder is known before anything below it (each depth counted once).
  const dirs = [...byDir.keys()].map((dir) => ({ dir, depth: depthOf(dir) }))
    .sort((a, b) => a.depth - b.depth || (a.dir < b.dir ? -1 : a.dir > b.dir ? 1 : 0));
  const stopped = new Set<string>();
  const inside = (dir: string) => {
    if (stopped.has('.')) return true;
    for (let d = parentOf(dir); d !== '.'; d = parentOf(d)) if (stopped.has(d)) return true;
    return false;
  };
  const manifests: FoundFile[] = [];
  const plain: PlainPackage[] = [];
  let plainBelow = true;
  const notes: string[] = [];
  // colcon finds nothing in a folder that holds COLCON_IGNORE (rmf-web's, a web project beside ROS messages):
  // the package.xml packages are still read, as before, but no plain package is looked for.
  const ignoredBy = plainBelow && dirs.some((d) => d.dir !== '.') ? IGNORE_MARKERS.find((m) => ctx.beside(join(ctx.root, m)) !== undefined) : undefined;
  if (ignoredBy) { plainBelow = false; notes.push(`the scanned folder holds ${ignoredBy}, so colcon builds nothing in it: folders with a CMakeLists.txt or setup.py and no package.xml are not taken for packages`); }
  let kept: KeptReadings | undefined;
  let setup: SetupReader | undefined;
  for (let i = 0; i < dirs.length; i++) {
    const dir = dirs[i]!.dir;
    if (hidden(dir) || (dir !== '.' && inside(dir))) continue;
    const here = byDir.get(dir)!;
    const manifest = here.get('package.xml');
    if (manifest) { manifests.push(manifest); stopped.add(dir); continue; }
    // A rosbuild (ROS 1 "dry") package: colcon-ros ignores its folder, lest it be taken for a CMake package.
    if (here.has('manifest.xml')) { stopped.add(dir); continue; }
    const cmake = here.get('CMakeLists.txt');
    const setupPy = here.get('setup.py');
    if (!cmake && !setupPy) continue;
    if (dir === '.') { plainBelow = false; continue; }
    if (!plainBelow) continue;
    kept ??= new KeptReadings(ctx.root, build);
    if (setupPy) setup ??= await import('../../parsers/setup-py.ts');
    const reading = await readFolder(dir, here, files, ctx, kept, setup);
    reading.problems.forEach((p) => ctx.problem(p));
    const decided = identify(dir, here, reading, setup);
    if (decided === undefined) continue; // catkin_make's top-level CMakeLists.txt: the crawl goes on below
    stopped.add(dir);
    if ('ignored' in decided) ctx.problem({ file: dir, message: decided.ignored, severity: 'warning' });
    else if ('unnamed' in decided) ctx.problem({ file: `${dir}/setup.py`, message: decided.unnamed, severity: 'error' });
    else plain.push(decided);
  }
  kept?.save();
  return { manifests, plain, notes };
}

/** colcon's identification of a folder without a package.xml, by priority; undefined: not a package. */
function identify(dir: string, here: Map<string, FoundFile>, r: Reading, setup: SetupReader | undefined): PlainPackage | { ignored: string } | { unnamed: string } | undefined {
  const cmake = here.get('CMakeLists.txt') && r.cmake && !r.cmake.catkin ? r.cmake : undefined;
  const py = r.setupPy;
  const cfg = r.setupCfg;
  // colcon-core (priority 100): setup.py calling setup() bare, and setup.cfg naming the package.
  const cfgName = cfg ? setup?.cfgMetadata(cfg, 'name') : undefined;
  const corePython = py?.cfgSufficient && cfg && cfgName !== undefined;
  if (cmake && corePython) {
    return { ignored: 'colcon ignores this folder and all it holds: its CMakeLists.txt and its setup.cfg both identify a package, with different types (colcon-cmake and colcon-core at the same priority)' };
  }
  if (cmake) {
    const name = cmake.name ?? posix.basename(dir);
    const v = cmake.version ?? { unknown: 'not read' };
    return {
      kind: 'cmake', dir, file: here.get('CMakeLists.txt')!, name,
      ...('version' in v ? { version: v.version, versionFrom: v.from } : { version: '', unknownVersion: `unknown: ${v.unknown}` }),
      depends: cmake.depends.filter((d) => d !== name).flatMap((d) => [{ name: d, kind: 'build' as const }, { name: d, kind: 'run' as const }]),
    };
  }
  if (!py || !setup) return undefined;
  const { cfgList, cfgMetadata, requirementParts, REQUIRES } = setup;
  const setupPy = here.get('setup.py')!;
  const unread: string[] = [];
  const requirements = (from: 'cfg' | 'py'): PlainDependency[] => {
    const out: PlainDependency[] = [];
    const add = (req: string, kind: PlainDependency['kind']) => {
      const parts = requirementParts(req);
      if (parts) out.push({ name: parts.name, kind, ...(parts.constraint ? { constraint: parts.constraint } : {}) });
    };
    for (const [option, kind] of REQUIRES) {
      const fromCfg = cfgList(cfg?.sections['options']?.[option]);
      if (from === 'cfg') { fromCfg.forEach((x) => add(x, kind)); continue; }
      const lit = py.keywords[option];
      if (lit && 'unknown' in lit) unread.push(`${option} (${lit.unknown})`);
      else if (lit) (Array.isArray(lit.value) ? lit.value : [lit.value]).forEach((x) => add(x, kind));
      else fromCfg.forEach((x) => add(x, kind));
    }
    // colcon-core reads setup.cfg's test extras as test dependencies.
    if (from === 'cfg') for (const extra of ['test', 'tests', 'testing']) cfgList(cfg?.sections['options.extras_require']?.[extra]).forEach((x) => add(x, 'test'));
    return out;
  };
  const version = (candidates: [Literal | undefined, string][]): Pick<PlainPackage, 'version' | 'versionFrom' | 'unknownVersion'> => {
    for (const [lit, file] of candidates) {
      if (!lit) continue;
      if ('unknown' in lit) return { version: '', unknownVersion: `unknown: ${lit.unknown}` };
      if (typeof lit.value === 'string' && lit.value) return { version: lit.value, versionFrom: file };
      return { version: '', unknownVersion: `unknown: the version in ${file} is not a string` };
    }
    return { version: '', unknownVersion: `unknown: neither ${dir}/setup.py nor a setup.cfg names a version` };
  };
  if (corePython && cfgName) {
    if ('unknown' in cfgName) return { unnamed: `colcon takes this Python package's name from setup.cfg, where ${cfgName.unknown}; Marque does not run code, and the package is not in the inventory` };
    return { kind: 'python', dir, file: setupPy, name: cfgName.value as string, ...version([[cfgMetadata(cfg, 'version'), `${dir}/setup.cfg`]]), depends: requirements('cfg') };
  }
  // colcon-python-setup-py (priority 90) runs setup.py; setup.cfg's metadata fills what setup() does not say.
  const named = py.keywords['name'] ?? cfgName;
  if (!named || 'unknown' in named || typeof named.value !== 'string' || !named.value) {
    const why = !py.call ? 'no setup() call was found' : named && 'unknown' in named ? `setup()'s name is not a literal: ${named.unknown}` : 'setup() names no package';
    return { unnamed: `colcon identifies this folder as a Python package by running setup.py; ${why}. Marque does not run code, and the package is not in the inventory` };
  }
  const depends = requirements('py');
  const pkg: PlainPackage = { kind: 'python', dir, file: setupPy, name: named.value, ...version([[py.keywords['version'], `${dir}/setup.py`], [cfg ? cfgMetadata(cfg, 'version') : undefined, `${dir}/setup.cfg`]]), depends };
  if (py.keywords['**']) unread.push('setup(**…) arguments');
  if (unread.length) pkg.unreadDepends = unread;
  return pkg;
}

/** The CMake files colcon reads for a CMake package: every CMakeLists.txt and *.cmake below its folder, but in folders whose name starts with ".". */
function cmakeFiles(dir: string, files: readonly FoundFile[]): FoundFile[] {
  const out: FoundFile[] = [];
  // The walk's files are sorted by path: those below the folder are one run of them.
  const prefix = `${dir}/`;
  let lo = 0, hi = files.length;
  while (lo < hi) { const mid = (lo + hi) >>> 1; if (files[mid]!.rel < prefix) lo = mid + 1; else hi = mid; }
  for (let i = lo; i < files.length && files[i]!.rel.startsWith(prefix); i++) {
    const f = files[i]!;
    if ((f.name === 'CMakeLists.txt' || f.name.endsWith('.cmake')) && !f.rel.slice(prefix.length).split('/').slice(0, -1).some((d) => d.startsWith('.'))) out.push(f);
  }
  return out;
}

async function readFolder(dir: string, here: Map<string, FoundFile>, files: readonly FoundFile[], ctx: ExtractContext, kept: KeptReadings, setup: SetupReader | undefined): Promise<Reading> {
  const reading: Reading = { problems: [] };
  const top = here.get('CMakeLists.txt');
  if (top) {
    const c = await readCMake(dir, top, files, ctx, kept);
    if (c.cmake) reading.cmake = c.cmake;
    reading.problems.push(...c.problems);
  }
  // setup.py and the setup.cfg beside it: read each time (a few, small, parsed without the CMake reading).
  const py = here.get('setup.py');
  if (py && setup) {
    const text = await ctx.read(py);
    if (text !== undefined) reading.setupPy = setup.readSetupPy(text);
    const cfg = ctx.beside(join(dirname(py.path), 'setup.cfg'));
    if (cfg !== undefined) reading.setupCfg = setup.readSetupCfg(cfg);
  }
  return reading;
}

/** What a CMake package's files say as colcon reads them, and its version (package-version.ts); kept between runs. */
async function readCMake(dir: string, top: FoundFile, files: readonly FoundFile[], ctx: ExtractContext, kept: KeptReadings): Promise<CMakeReading> {
  const inputs = cmakeFiles(dir, files);
  const hit = kept.get(dir, inputs, ctx);
  if (hit) return hit;
  const texts = new Map<string, string>();
  const stamps: string[] = [];
  let complete = true;
  for (const f of inputs) {
    const stamp = f.stamp;
    const text = await ctx.read(f);
    if (text === undefined) { complete = false; stamps.push(''); continue; }
    texts.set(f.rel, text);
    // Kept with its stamp only when the file had settled and did not change while it was read.
    stamps.push(stamp && ctx.files.stamp(f.path)?.id === stamp.id ? stamp.id : '');
  }
  const reading: CMakeReading = { problems: [] };
  const text = texts.get(top.rel);
  if (text !== undefined) {
    const name = cmakeProjectName(removeComments(text));
    const catkin = name === 'Project' && text.split(/\r?\n/).includes('catkin_workspace()');
    const depends = new Set<string>();
    for (const t of texts.values()) for (const d of cmakeDependencies(removeComments(t))) depends.add(d);
    reading.cmake = { name, catkin, depends: [...depends].sort() };
    if (!catkin) {
      // The CMake reading is loaded only here: a warm inventory finds what it read kept.
      const { declaredVersion } = await import('../cmake/package-version.ts');
      reading.cmake.version = declaredVersion(ctx.root, dir, name ?? posix.basename(dir), texts, ctx.options.platform, reading.problems);
    }
  }
  if (complete) kept.set(dir, inputs, stamps, texts, reading);
  return reading;
}

// ---- colcon-cmake's reading of CMake files (package_identification/cmake.py) -----------------------

/** colcon's _remove_cmake_comments: per line, "#" to the end of the line outside double-quoted strings (and a quote left open). */
export function removeComments(text: string): string {
  const lines = text.split(/\r\n|\r|\n/);
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (!line.includes('#') && !line.includes('"')) continue;
    let out = '';
    for (let j = 0; j < line.length;) {
      const c = line[j]!;
      if (c === '"') {
        const close = line.indexOf('"', j + 1);
        if (close < 0) { j++; continue; } // an unclosed quote is dropped, as colcon's findall drops it
        out += line.slice(j, close + 1);
        j = close + 1;
      } else if (c === '#') break;
      else { out += c; j++; }
    }
    lines[i] = out;
  }
  return lines.join('\n');
}

/** Case-insensitive letters of a command name, the rest of the expression as written (colcon's (?i:…) groups). */
const ci = (word: string) => word.replace(/[a-z]/g, (c) => `[${c}${c.toUpperCase()}]`);
// colcon writes (\s+[^\)]*)?\) : the same text as (\s[^)]*)?\) , which cannot backtrack quadratically.
const PROJECT = new RegExp(`${ci('project')}\\s*\\(\\s*("?)([a-zA-Z0-9_-]+)\\1(\\s[^)]*)?\\)`);
const FIND_PACKAGE = new RegExp(`${ci('find_package')}\\s*\\(\\s*("?)([a-zA-Z0-9_-]+)\\1(\\s[^)]*)?\\)`, 'g');
const PKG_CONFIG = new RegExp(`(?:${ci('pkg_check_modules')}|${ci('pkg_search_module')})\\s*\\(\\s*("?)[a-zA-Z0-9_]+\\1(?:\\s+(?:REQUIRED|QUIET|NO_CMAKE_PATH|NO_CMAKE_ENVIRONMENT_PATH))*([^)]+)\\)`, 'g');

/** colcon's extract_project_name: the first project() whose first argument is a literal name; null when none. */
export function cmakeProjectName(content: string): string | null {
  return PROJECT.exec(closed(content))?.[2] ?? null;
}

/**
 * The text up to its last ")": no match of these expressions ends later, and a call left open at the end
 * of a hostile file would make the engine try every way of splitting it (pkg_check_modules' options).
 */
const closed = (content: string) => content.slice(0, content.lastIndexOf(')') + 1);

/** colcon's extract_dependencies: find_package() names and pkg-config module names (without their version). */
export function cmakeDependencies(content: string): Set<string> {
  const out = new Set<string>();
  const text = closed(content);
  for (const m of text.matchAll(FIND_PACKAGE)) out.add(m[2]!);
  for (const m of text.matchAll(PKG_CONFIG)) {
    for (let module of m[2]!.trim().split(/\s+/)) {
      for (const c of ['>', '=', '<']) { const at = module.indexOf(c); if (at >= 0) module = module.slice(0, at); }
      out.add(module);
    }
  }
  return out;
}

// ---- kept readings -------------------------------------------------------------------------------

/** Where a workspace's readings are kept. */
export function keptReadingsPath(root: string): string {
  return join(cacheDir(), 'colcon', `${hash('sha256', root, 'hex').slice(0, 32)}.json`);
}

/** A folder's entry: each file it was read from (path, the stamp it was read with, the SHA-256 of its text), and the reading. */
type Entry = [files: [rel: string, stamp: string, sha256: string][], reading: CMakeReading];
const FORMAT = 1;

/**
 * Readings of an installed build, kept for that build (what the CMake reading makes of a file changes
 * with the code) and used when every file a folder's reading came from has the stamp it was read with.
 */
class KeptReadings {
  private readonly path: string | undefined;
  private readonly build: string;
  private readonly old = new Map<string, Entry>();
  private readonly used = new Map<string, Entry>();
  private changed = false;

  constructor(root: string, build: string | undefined) {
    this.build = build ?? '';
    if (!build) return; // a clone's code changes between runs: nothing kept
    this.path = keptReadingsPath(root);
    const data = loadKept(this.path, { format: FORMAT, build, key: 'colcon' }) as { entries?: Record<string, Entry> } | undefined;
    if (data?.entries && typeof data.entries === 'object') for (const [k, v] of Object.entries(data.entries)) if (Array.isArray(v) && v.length === 2 && Array.isArray(v[0])) this.old.set(k, v);
  }

  get(dir: string, inputs: readonly FoundFile[], ctx: ExtractContext): CMakeReading | undefined {
    const e = this.old.get(dir);
    if (!e || e[0].length !== inputs.length) return undefined;
    for (let i = 0; i < inputs.length; i++) {
      const f = inputs[i]!, k = e[0][i]!;
      if (k[0] !== f.rel || !k[1] || f.stamp?.id !== k[1]) return undefined;
    }
    for (let i = 0; i < inputs.length; i++) ctx.countInput(inputs[i]!.path, e[0][i]![2]);
    this.used.set(dir, e);
    return e[1];
  }

  /** `stamps`: each file's stamp when it was settled and unchanged while read, else "". */
  set(dir: string, inputs: readonly FoundFile[], stamps: readonly string[], texts: ReadonlyMap<string, string>, reading: CMakeReading): void {
    if (!this.path) return;
    this.used.set(dir, [inputs.map((f, i) => [f.rel, stamps[i]!, hash('sha256', texts.get(f.rel)!, 'hex')]), reading]);
    this.changed = true;
  }

  save(): void {
    if (!this.path || (!this.changed && this.used.size === this.old.size)) return;
    saveKept(this.path, { format: FORMAT, build: this.build, key: 'colcon' }, { entries: Object.fromEntries(this.used) });
  }
}
