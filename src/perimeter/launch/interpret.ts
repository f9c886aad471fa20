// Runs launch actions the way `ros2 launch` would resolve them — launch arguments and their
// defaults, namespaces pushed by groups, conditions, includes with the arguments they pass — but
// without starting anything. What cannot be decided statically is kept (to be safe) and named.
import { readdirSync, statSync } from 'node:fs';
import { basename, dirname, isAbsolute, join, relative, resolve } from 'node:path';
import { parser } from '@lezer/python';
import type { SyntaxNode } from '@lezer/common';
import { FileAccess, LIMITS, OutsideRootsError } from '../../util/file-access.ts';
import { InputError } from '../../util/errors.ts';
import { newBudget, type Action, type Budget, type Composable, type Condition, type ReadLaunch, type Site, type Txt } from './action.ts';
import { bracketDepth, MAX_BRACKETS, readPythonLaunch, stringLiteral } from './python.ts';
import { readXmlLaunch, readYamlLaunch } from './frontend.ts';

export interface LaunchNode {
  kind: 'node' | 'lifecycle' | 'container' | 'composable';
  pkg: string; exec?: string; plugin?: string;
  /** Fully qualified node name, "/namespace/name". */
  fullName: string; name: string; namespace: string;
  enclave?: string;
  /** For a composable node: the full name of the container process it is loaded into. */
  container?: string;
  file: string; line: number;
  /** Whether the launch file names the node; an unnamed one is told apart from others by its file and line. */
  named: boolean;
  /** Its command-line arguments as resolved (ports, enclaves, transports are read from them). */
  args?: string[];
  /** Why this node may not be launched at all (a condition decided only at launch time). */
  conditional?: string;
}
export interface LaunchEnv { name: string; value: string; file: string; line: number; conditional?: string }
export interface LaunchReading { nodes: LaunchNode[]; env: LaunchEnv[]; notes: string[]; files: string[] }
/**
 * Where included files are looked for: the workspace's packages (name → source folder), then install prefixes.
 * `files`: what may be read (default: the workspace and the install prefixes); every launch file is read through it.
 */
/** `environment`: variables whose value the product declares (marque.yaml ros.environment, ROS_DISTRO from inventory.rosdistro). */
export interface LaunchWorkspace { root: string; packages: Map<string, string>; installPrefixes: string[]; files?: FileAccess; environment?: ReadonlyMap<string, string> }

interface Resolved { s: string; gaps: string[] }
/** What an include leaves set after it in the including file: launch configurations it changed, in order, and the namespace. */
interface Leaves { config: [string, Resolved][]; ns: string }
/** `evaluated`: characters of $(eval …) / PythonExpression parsed so far in this reading, shared by every scope of it. */
interface Scope { ns: string; config: Map<string, Resolved>; file: string; conditional?: string; stack: string[]; evaluated: { chars: number }; environment?: ReadonlyMap<string, string> }

/** Characters of expressions parsed in one reading: the parser's time grows with them, and includes may resolve one expression many times. */
const MAX_EVALUATED = 200_000; // autoware_launch's whole stack parses about 20,000

const MAX_FILES = 5_000;
const MAX_DEPTH = 40;
/**
 * Bounds on the work across includes (a file including the next twice, thirty levels deep, is 2^30
 * includes): each (file, arguments, namespace) is walked once, and the walk as a whole stops, with a
 * note, after this many includes followed or actions walked.
 */
const MAX_INCLUDES = 10_000;
const MAX_ACTIONS = 200_000;
/** Longest value a launch argument may take: a value that doubles at each level ends with a note. */
const MAX_VALUE = 1_000_000;
const TOO_LONG = `a value longer than ${MAX_VALUE.toLocaleString('en-GB')} characters is not resolved`;
/** What stands for such a value: once too long, whatever holds it is too (no doubling back under the bound). */
const TOO_LONG_VALUE = '$(value too long)';
/** A command quoted in a note is quoted whole, unless it is longer than this. */
const MAX_QUOTE = 2_000;

/**
 * `name`: how messages name the file (relative to the workspace); `files`: what may be read (every
 * launch file and every local module a Python launch file imports goes through it); `root`, `packages` and
 * `installPrefixes`: where a module named on sys.path through a package's share folder is looked for.
 */
export function readLaunchFileActions(path: string, name: string, files: FileAccess, options: { root?: string; packages?: ReadonlyMap<string, string>; environment?: ReadonlyMap<string, string>; installPrefixes?: readonly string[] } = {}): ReadLaunch {
  const text = files.readTextSync(path, LIMITS.manifest);
  if (path.endsWith('.py')) {
    return readPythonLaunch(text, name, {
      path,
      ...(options.environment ? { environment: options.environment } : {}),
      // `import helpers` next to the launch file (realsense's rs_multi_camera_launch.py imports rs_launch),
      // or in a folder it added to sys.path; read only where launch files may be read.
      loadModule: (module, from, searchPath) => {
        if (!/^[A-Za-z_][\w.]*$/.test(module)) return undefined;
        const share = (pkg: string) => options.packages?.get(pkg) ?? options.installPrefixes?.map((p) => join(shareOf(p), pkg)).find((d) => files.exists(d));
        const added = searchPath.map((t) => ({ t, dir: searchDir(t, from, share) }));
        const dirs = [dirname(from), ...added.flatMap((x) => (x.dir ? [x.dir] : []))];
        for (const dir of dirs) {
          const candidate = join(dir, `${module.replace(/\./g, '/')}.py`);
          if (!files.exists(candidate)) continue;
          const real = files.resolve(candidate); // a module that leads out is refused, named, never read
          return { text: files.readTextSync(real, LIMITS.manifest), path: real, name: options.root ? relative(options.root, real) || real : real };
        }
        // Not next to the file, nor in a folder it added to sys.path that Marque can read: when it added one it cannot
        // (ai_worker's camera_realsense.launch.py adds realsense2_camera's launch folder and imports rs_launch from it),
        // the module may well be there, and what uses it must not be blamed on itself: said here, once per import.
        const unread = added.filter((x) => !x.dir);
        if (unread.length) throw new Error(`no such module next to the launch file, and the folder${unread.length > 1 ? 's' : ''} it adds to sys.path, ${unread.map((x) => folderText(x.t, options.packages)).join(', ')}, cannot be read`);
        return undefined;
      },
    });
  }
  if (/\.ya?ml$/.test(path)) return readYamlLaunch(text, name);
  // Only what looks like XML is parsed as XML: a parser's message about another file would quote it.
  if (!/^\uFEFF?\s*</.test(text) || (path.endsWith('.launch') && !text.includes('<launch'))) return { actions: [], notes: [`${name}: not a launch file Marque reads (neither Python, XML nor YAML launch)`] };
  return readXmlLaunch(text, name);
}

/** A folder added to sys.path, when it is plain text, the launch file's folder or a package's share folder (the workspace's, else an installed one). */
function searchDir(t: Txt, from: string, share: (pkg: string) => string | undefined): string | undefined {
  const one = (x: Txt): string | undefined => {
    let s = '';
    for (const p of x) {
      if ('lit' in p) s += p.lit;
      else if ('thisdir' in p) s += dirname(from);
      else if ('share' in p) { const name = one(p.share); const dir = name === undefined ? undefined : share(name); if (!dir) return undefined; s += dir; } else if ('join' in p) { const parts = p.join.map(one); if (parts.some((y) => y === undefined)) return undefined; s += join(...(parts as string[])); } else return undefined;
    }
    return s;
  };
  const dir = one(t);
  return dir === undefined ? undefined : isAbsolute(dir) ? dir : resolve(dirname(from), dir);
}

/** A folder added to sys.path, in words: `$(find-pkg-share realsense2_camera)/launch (package realsense2_camera is neither in the workspace nor installed here)`. */
function folderText(t: Txt, packages: ReadonlyMap<string, string> | undefined): string {
  const missing: string[] = [];
  const one = (x: Txt): string => x.map((p) => {
    if ('lit' in p) return p.lit;
    if ('thisdir' in p) return '$(dirname)';
    if ('share' in p) { const name = one(p.share); if (!name.includes('$(') && !packages?.has(name)) missing.push(name); return `$(find-pkg-share ${name})`; }
    if ('join' in p) return p.join.map(one).join('/');
    if ('env' in p) return `$(env ${p.env})`;
    if ('conf' in p) return `$(var ${p.conf})`;
    return '$(?)';
  }).join('');
  const text = one(t);
  return missing.length ? `${text} (package ${[...new Set(missing)].join(', ')}: neither in the workspace nor installed here)` : text;
}

/** Normalised namespace: "" for the root, otherwise "/a/b". */
export function combineNamespace(outer: string, inner: string): string {
  const clean = (s: string) => s.split('/').filter(Boolean).join('/');
  if (!inner || inner === '/') return inner === '/' ? '' : outer;
  return inner.startsWith('/') ? (clean(inner) ? `/${clean(inner)}` : '') : `${outer}/${clean(inner)}`.replace(/\/+$/, '');
}

/**
 * Real expressions are a few lines (autoware's longest: 1,086 characters): a longer or deeper one is not
 * parsed, as the parser's time grows faster than the length (6,000 characters: about 90 ms) and past some
 * depth its tree cannot be walked.
 */
const MAX_EXPRESSION = 4_000;

/** Why an expression is over the bounds of pythonExpression, if it is. */
export function expressionOverBound(expr: string): string | undefined {
  if (expr.length > MAX_EXPRESSION) return `${expr.length.toLocaleString('en-GB')} characters, over Marque's bound of ${MAX_EXPRESSION.toLocaleString('en-GB')}`;
  if (bracketDepth(expr).depth > MAX_BRACKETS) return `brackets nested more than ${MAX_BRACKETS} deep`;
  return undefined;
}

const safeInt = (v: number): number | undefined => (Number.isSafeInteger(v) ? v : undefined);

/** A tiny evaluator for PythonExpression / $(eval): booleans, strings, numbers, not/and/or, ==, !=, in, not in (of a string, or a tuple, list or set of literals), + of strings, + - * of whole numbers, int() and str(), x if c else y. */
export function pythonExpression(expr: string): string | undefined {
  if (expressionOverBound(expr)) return undefined;
  const tree = parser.parse(expr);
  let bad = false;
  try { tree.iterate({ enter: (n) => { if (n.type.isError) bad = true; } }); } catch { return undefined; } // a tree the parser could not finish
  const stmt = tree.topNode.firstChild;
  if (bad || !stmt || stmt.name !== 'ExpressionStatement' || stmt.nextSibling) return undefined;
  type P = string | number | boolean | null;
  const src = (n: SyntaxNode) => expr.slice(n.from, n.to);
  const kids = (n: SyntaxNode) => { const o: SyntaxNode[] = []; for (let c = n.firstChild; c; c = c.nextSibling) o.push(c); return o; };
  const truth = (v: P) => v !== null && v !== false && v !== 0 && v !== '';
  // Python's ==: True == 1 and False == 0 (bool is a number there); nothing else of two types is equal.
  const same = (a: P, b: P) => (typeof a === 'boolean' || typeof a === 'number') && (typeof b === 'boolean' || typeof b === 'number') ? Number(a) === Number(b) : a === b;
  // `x in y`: a substring of a string, or an item of a tuple, list or set of literals (interbotix's
  // PythonExpression(['"', hardware_type, '"', " in ('actual', 'fake')"])). Undefined when not known.
  const member = (a: P, container: SyntaxNode): boolean | undefined => {
    if (container.name === 'TupleExpression' || container.name === 'ArrayExpression' || container.name === 'SetExpression') {
      const items = kids(container).filter((x) => !['(', ')', '[', ']', '{', '}', ','].includes(x.name)).map(ev);
      if (items.some((x) => x === undefined)) return undefined;
      return (items as P[]).some((x) => same(a, x));
    }
    const b = ev(container);
    return typeof a === 'string' && typeof b === 'string' ? b.includes(a) : undefined;
  };
  const ev = (n: SyntaxNode): P | undefined => {
    switch (n.name) {
      case 'Boolean': return src(n) === 'True';
      case 'None': return null;
      // A float whose text JavaScript would write otherwise (1.0 prints 1) is not evaluated: Python writes 1.0.
      case 'Number': { const t = src(n).replace(/_/g, ''); const v = Number(t); return Number.isNaN(v) || (/[.eE]/.test(t) && !/^0x/i.test(t) && String(v) !== t) ? undefined : v; }
      // int('0') and str(1): mavros's multi_uas.launch numbers its vehicles with $(eval '1 + int(\'$(var id)\')').
      case 'CallExpression': {
        const [fn, argList] = kids(n);
        const args = argList ? kids(argList).filter((x) => x.name !== '(' && x.name !== ')' && x.name !== ',') : [];
        if (!fn || fn.name !== 'VariableName' || args.length !== 1) return undefined;
        const v = ev(args[0]!);
        if (v === undefined) return undefined;
        if (src(fn) === 'int') return typeof v === 'string' && /^\s*[+-]?\d+(?:_\d+)*\s*$/.test(v) ? safeInt(Number(v.replace(/_/g, ''))) : typeof v === 'number' ? safeInt(Math.trunc(v)) : typeof v === 'boolean' ? (v ? 1 : 0) : undefined;
        if (src(fn) === 'str') return typeof v === 'string' ? v : typeof v === 'number' && Number.isSafeInteger(v) ? String(v) : typeof v === 'boolean' ? (v ? 'True' : 'False') : v === null ? 'None' : undefined;
        return undefined;
      }
      case 'String': return stringLiteral(src(n));
      case 'ParenthesizedExpression': { const k = kids(n).filter((x) => x.name !== '(' && x.name !== ')'); return k.length === 1 ? ev(k[0]!) : undefined; }
      case 'UnaryExpression': { const [op, x] = kids(n); if (!op || !x || src(op) !== 'not') return undefined; const v = ev(x); return v === undefined ? undefined : !truth(v); }
      // "a" if cond else "b": rosbot's and image_pipeline's namespaces and container names.
      case 'ConditionalExpression': {
        const [a, , cond, , b] = kids(n);
        if (!a || !cond || !b) return undefined;
        const c = ev(cond);
        return c === undefined ? undefined : truth(c) ? ev(a) : ev(b);
      }
      case 'BinaryExpression': {
        const k = kids(n);
        if (k.length === 4 && k[1]!.name === 'not' && k[2]!.name === 'in') {
          const a = ev(k[0]!);
          const m = a === undefined ? undefined : member(a, k[3]!);
          return m === undefined ? undefined : !m;
        }
        const [l, op, r] = k;
        if (!l || !op || !r) return undefined;
        const a = ev(l);
        if (a === undefined) return undefined;
        const o = src(op);
        if (o === 'and') return truth(a) ? ev(r) : a;
        if (o === 'or') return truth(a) ? a : ev(r);
        if (o === 'in') return member(a, r);
        const b = ev(r);
        if (b === undefined) return undefined;
        if (o === '==') return same(a, b);
        if (o === '!=') return !same(a, b);
        if (o === '+' && typeof a === 'string' && typeof b === 'string') return a + b; // no longer than the expression's own literals
        // Whole numbers only: a float's text differs between Python and JavaScript.
        if ((o === '+' || o === '-' || o === '*') && Number.isSafeInteger(a) && Number.isSafeInteger(b)) return safeInt(o === '+' ? (a as number) + (b as number) : o === '-' ? (a as number) - (b as number) : (a as number) * (b as number));
        return undefined;
      }
      default: return undefined;
    }
  };
  const v = ev(stmt.firstChild!);
  if (v === undefined) return undefined;
  return v === true ? 'True' : v === false ? 'False' : v === null ? 'None' : String(v);
}

const boolText = (s: string): boolean | undefined => {
  const l = s.trim().toLowerCase();
  return l === 'true' || l === '1' ? true : l === 'false' || l === '0' ? false : undefined;
};

function pathJoin(parts: string[]): string {
  let acc = '';
  for (const p of parts) {
    if (!p) continue;
    acc = p.startsWith('/') || p.startsWith('$(find-pkg-') || !acc ? p : `${acc.replace(/\/+$/, '')}/${p}`;
  }
  return acc;
}

export function resolveTxt(txt: Txt, scope: Scope): Resolved {
  let s = '';
  const gaps: string[] = [];
  const sub = (t: Txt) => { const r = resolveTxt(t, scope); gaps.push(...r.gaps); return r.s; };
  for (const p of txt) {
    // A value that doubles at each include or `let` would reach JavaScript's string limit: bounded, and said.
    if (s.length > MAX_VALUE) return { s: TOO_LONG_VALUE, gaps: [...new Set([...gaps, TOO_LONG])] };
    if ('lit' in p) s += p.lit;
    else if ('conf' in p) {
      const v = scope.config.get(p.conf);
      let r: Resolved | undefined = v;
      if (!r && p.dflt) r = resolveTxt(p.dflt, scope);
      if (!r) { gaps.push(`launch argument "${p.conf}" has no value and no default`); s += `$(var ${p.conf})`; continue; }
      gaps.push(...r.gaps);
      const b = p.asBool ? boolText(r.s) : undefined;
      s += b === undefined ? r.s : b ? 'True' : 'False';
    } else if ('share' in p) s += `$(find-pkg-share ${sub(p.share)})`;
    else if ('prefix' in p) s += `$(find-pkg-prefix ${sub(p.prefix)})`;
    else if ('join' in p) s += pathJoin(p.join.map(sub));
    else if ('env' in p) {
      const known = scope.environment?.get(p.env);
      if (known !== undefined) s += known;
      else { gaps.push(`environment variable ${p.env} is read at launch time`); s += `$(env ${p.env})`; }
    }
    else if ('pyexpr' in p) {
      const r = resolveTxt(p.pyexpr, scope);
      if (r.gaps.length) { gaps.push(...r.gaps); s += `$(eval ${r.s})`; continue; }
      const spent = (scope.evaluated.chars += r.s.length) > MAX_EVALUATED;
      const v = spent ? undefined : pythonExpression(r.s);
      if (v === undefined) { const over = spent ? `more than ${MAX_EVALUATED.toLocaleString('en-GB')} characters of expressions evaluated in all` : expressionOverBound(r.s); gaps.push(`the expression "${r.s.slice(0, 80)}" is not evaluated statically${over ? ` (${over})` : ''}`); s += `$(eval ${r.s})`; } else s += v;
    } else if ('bool' in p) {
      const vals = p.args.map((a) => resolveTxt(a, scope));
      const g = vals.flatMap((v) => v.gaps);
      if (g.length) { gaps.push(...g); s += `$(${p.bool} …)`; continue; }
      const bs = vals.map((v) => boolText(v.s));
      let out: boolean | undefined;
      if (p.bool === 'equals' || p.bool === 'notequals') out = (vals[0]!.s === vals[1]!.s) === (p.bool === 'equals');
      else if (bs.every((b) => b !== undefined)) out = p.bool === 'not' ? !bs[0] : p.bool === 'and' ? bs[0]! && bs[1]! : bs[0]! || bs[1]!;
      if (out === undefined) { gaps.push(`$(${p.bool}) of values that are not booleans`); s += `$(${p.bool} …)`; } else s += out ? 'true' : 'false';
    } else if ('thisdir' in p) s += dirname(scope.file);
    else if ('node' in p) {
      const ns = p.node.ns ? combineNamespace(scope.ns, sub(p.node.ns)) : scope.ns;
      s += `${ns}/${sub(p.node.name)}`;
    } else if ('execIn' in p) s += `$(exec-in-package ${sub(p.execIn.exec)} ${sub(p.execIn.pkg)})`;
    else { gaps.push(p.gap); s += '$(?)'; }
  }
  if (s.length > MAX_VALUE || gaps.includes(TOO_LONG)) return { s: TOO_LONG_VALUE, gaps: [...new Set([...gaps, TOO_LONG])] };
  return { s, gaps: [...new Set(gaps)] };
}

function decide(c: Condition | undefined, scope: Scope): { run: boolean | undefined; why?: string } {
  if (!c) return { run: true };
  if ('gap' in c) return { run: undefined, why: c.gap };
  if ('equals' in c) {
    const v = scope.config.get(c.equals);
    const want = resolveTxt(c.value, scope);
    if (!v || v.gaps.length || want.gaps.length) return { run: undefined, why: `launch argument "${c.equals}" is not known statically` };
    return { run: (v.s === want.s) !== c.negate };
  }
  const r = resolveTxt('if' in c ? c.if : c.unless, scope);
  if (r.gaps.length) return { run: undefined, why: r.gaps.join('; ') };
  const b = boolText(r.s);
  if (b === undefined) return { run: undefined, why: `condition "${r.s}" is not a boolean` };
  return { run: 'if' in c ? b : !b };
}

/** The enclave a node's arguments give it: "--enclave X", "-e X" or "--enclave=X" after --ros-args. */
function enclaveOf(args: string[]): string | undefined {
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a.startsWith('--enclave=')) return a.slice(10);
    if ((a === '--enclave' || a === '-e') && args[i + 1]) return args[i + 1];
  }
  return undefined;
}

/**
 * The command line of `ros2 launch` (ros2launch's LaunchCommand), after "ros2 launch": the launch file it runs and the
 * `name:=value` arguments it gives. `pkg file` finds the file by name in the package's share folder; a first word that
 * is a path (ros2launch tests whether it is a file; a package name has no `/`) is the file itself, and every word after
 * it an argument. `-p`/`-s` print the description or its arguments and launch nothing.
 */
export function ros2LaunchCommand(words: string[]): { path: string; args: [string, string][]; printsOnly: boolean } | undefined {
  const positional: string[] = [];
  let printsOnly = false;
  for (let i = 0; i < words.length; i++) {
    const w = words[i]!;
    if (w === '--launch-prefix' || w === '--launch-prefix-filter') { i++; continue; }
    if (/^-(p|s)$|^--(print|print-description|show-args|show-arguments)$/.test(w)) { printsOnly = true; continue; }
    if (w.startsWith('-') && !w.includes(':=')) continue; // -n, -d, -a, --launch-prefix=…: no bearing on what is launched
    positional.push(w);
  }
  const [first, second] = positional;
  if (!first) return undefined;
  const single = first.includes('/');
  if (!single && (!second || second.includes(':='))) return undefined;
  const path = single ? first : `$(find-pkg-share ${first})/${second}`;
  const args = positional.slice(single ? 1 : 2).flatMap((w): [string, string][] => { const i = w.indexOf(':='); return i > 0 ? [[w.slice(0, i), w.slice(i + 2)]] : []; });
  return { path, args, printsOnly };
}

/**
 * A command line's words, split at white space (a shell=True command is one string) but never inside a substitution
 * left as text: "$(find-pkg-share robot_sensors)/launch/a.launch.py" is one word.
 */
function commandWords(s: string): string[] {
  const out: string[] = [];
  let w = '';
  let depth = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s[i]!;
    if (c === '$' && s[i + 1] === '(') { depth++; w += '$('; i++; continue; }
    if (depth > 0 && c === '(') depth++;
    else if (depth > 0 && c === ')') depth--;
    else if (depth === 0 && /\s/.test(c)) { if (w) out.push(w); w = ''; continue; }
    w += c;
  }
  if (w) out.push(w);
  return out;
}

/** Files already parsed, kept across calls so files that several entry files include are read once. */
export type LaunchParses = Map<string, ReadLaunch | InputError>;

const quote = (s: string) => (s.length > MAX_QUOTE ? `${s.slice(0, MAX_QUOTE)}… (${(s.length - MAX_QUOTE).toLocaleString('en-GB')} more characters)` : s);

export function readLaunchTree(entry: string, ws: LaunchWorkspace, args: Map<string, string> = new Map(), parsed: LaunchParses = new Map()): LaunchReading {
  const out: LaunchReading = { nodes: [], env: [], notes: [], files: [] };
  const files = ws.files ?? FileAccess.within(ws.root, ...ws.installPrefixes.map(shareOf));
  let reads = 0;
  const budget: Budget = newBudget();
  const work = { includes: 0, actions: 0, stopped: false };
  /**
   * Each (file, arguments, namespace) include walked, with the processes it started and what it leaves set in the
   * including file (an include is not scoped): walked once, however often it is included, its settings applied each time.
   */
  const walked = new Map<string, { processes: number; leaves?: Leaves }>();
  let processes = 0;
  /** Per launch file read: the constructs it writes, the processes its tree starts, and which of its constructs were reached. */
  const sites = new Map<string, Site[]>();
  const yielded = new Map<string, number>();
  const reached = new Map<string, string>(); // "file:line" → what became of it ("" when it started something)
  const rel = (file: string) => relative(ws.root, file) || file;
  const where = (file: string, line: number) => `${rel(file)}:${line}`;
  const fileSeen = new Set<string>();
  const unread = new Map<string, string>(); // file → why none of its constructs is followed
  const addFile = (f: string) => { if (!fileSeen.has(f)) { fileSeen.add(f); out.files.push(f); } };

  const load = (file: string): ReadLaunch | undefined => {
    let r = parsed.get(file);
    if (!r) {
      if (++reads > MAX_FILES) { out.notes.push(`${file}: more than ${MAX_FILES} launch files read; the rest is not analysed`); return undefined; }
      const name = rel(file);
      try { r = readLaunchFileActions(file, name, files, { root: ws.root, packages: ws.packages, installPrefixes: ws.installPrefixes, ...(ws.environment ? { environment: ws.environment } : {}) }); } catch (e) { r = e instanceof InputError ? e : new InputError((e as Error).message, name); }
      parsed.set(file, r);
    }
    if (r instanceof InputError) { out.notes.push(`${where(isAbsolute(r.file) ? r.file : resolve(ws.root, r.file), r.line ?? 0).replace(/:0$/, '')}: ${r.message}; not analysed`); return undefined; }
    if (!fileSeen.has(file)) { for (const n of r.notes) out.notes.push(n); if (r.sites?.length) sites.set(file, r.sites); if (r.unread) unread.set(file, r.unread); }
    addFile(file);
    for (const f of r.files ?? []) addFile(f);
    return r;
  };

  const locate = (path: string, from: string, line: number): string | undefined => {
    const share = /^\$\(find-pkg-share ([^)\s]+)\)\/?(.*)$/.exec(path);
    let candidate: string | undefined;
    if (share) {
      const [, pkg, rest] = share as unknown as [string, string, string];
      const dir = ws.packages.get(pkg);
      if (dir) {
        const direct = join(dir, rest);
        if (files.exists(direct)) candidate = direct;
        else {
          // The install rule may move files (install(DIRECTORY launch/ DESTINATION share/${PROJECT_NAME})): look for the name in the package.
          const found = findByName(dir, basename(rest), 4);
          if (found.length !== 1) { out.notes.push(`${where(from, line)}: includes ${rest} of package ${pkg}; ${found.length ? `${found.length} files of that name in its source folder, none at that path` : 'no such file in its source folder'}; not analysed`); return undefined; }
          candidate = found[0]!;
        }
      } else {
        for (const prefix of ws.installPrefixes) { const installed = join(prefix, 'share', pkg, rest); if (files.exists(installed)) { candidate = installed; break; } }
        if (!candidate) { out.notes.push(`${where(from, line)}: includes ${rest} of package ${pkg}, which is neither in the workspace nor installed here${ws.installPrefixes.length ? '' : ' (with inventory.rosdistro naming an installed distribution, /opt/ros/<distro>/share is read too)'}; the nodes it launches are not analysed`); return undefined; }
      }
    } else if (path.startsWith('$(')) { out.notes.push(`${where(from, line)}: include path ${path} is not resolved statically; not analysed`); return undefined; }
    else candidate = isAbsolute(path) ? path : resolve(dirname(from), path);
    // Every include, whichever way it is written ($(find-pkg-share p)/../.., a symlink in a package, os.path.join(…, '..')),
    // is followed to its real path by the confinement layer; only files of the workspace or of a named ROS installation are read.
    try { return files.resolve(candidate); } catch (e) {
      if (e instanceof OutsideRootsError) out.notes.push(`${where(from, line)}: included file ${path} leads outside the workspace; not read`);
      else out.notes.push(`${where(from, line)}: included file ${path} does not exist; not analysed`);
      return undefined;
    }
  };

  const count = (scope: Scope, n = 1) => { processes += n; for (const f of scope.stack) yielded.set(f, (yielded.get(f) ?? 0) + n); };
  const mark = (file: string, line: number, what: string) => { const k = `${file}:${line}`; if (reached.get(k) !== '') reached.set(k, what); };

  const node = (scope: Scope, a: Extract<Action, { a: 'node' }> | Composable, kind: LaunchNode['kind'], file: string, container?: string, conditional?: string) => {
    const gaps: string[] = [];
    const r = (t: Txt | undefined) => { if (!t) return undefined; const v = resolveTxt(t, scope); gaps.push(...v.gaps); return v.s; };
    const pkg = r(a.pkg) ?? '';
    const exec = 'exec' in a ? r(a.exec) : undefined;
    const plugin = 'plugin' in a ? r(a.plugin) : undefined;
    const given = r(a.name);
    const namespace = combineNamespace(scope.ns, r(a.namespace) ?? '');
    const name = given || exec || plugin?.split('::').pop() || pkg;
    if (!given) out.notes.push(`${where(file, a.line)}: ${kind} of ${pkg} has no name in the launch file; named "${name}" after its ${exec ? 'executable' : plugin ? 'plugin' : 'package'}, which may differ from the name it gives itself`);
    const argv = 'args' in a ? a.args.map((t) => r(t) ?? '') : [];
    if (gaps.length) out.notes.push(`${where(file, a.line)}: ${namespace}/${name}: ${[...new Set(gaps)].join('; ')}`);
    const enclave = enclaveOf(argv);
    out.nodes.push({ kind, pkg, ...(exec ? { exec } : {}), ...(plugin ? { plugin } : {}), name, namespace: namespace || '/', fullName: `${namespace}/${name}`, ...(enclave ? { enclave } : {}), ...(container ? { container } : {}), file: rel(file), line: a.line, named: Boolean(given), ...(argv.length ? { args: argv } : {}), ...(conditional ? { conditional } : {}) });
    mark(file, a.line, '');
    count(scope);
  };

  /** What a false condition leaves out, named for the file's no-process note: the action and all it holds. */
  const skipped = (a: Action, file: string, why: string) => {
    if (a.a === 'node' || a.a === 'include' || a.a === 'process' || a.a === 'load') mark(file, a.line, why);
    if (a.a === 'node' || a.a === 'load') for (const c of a.composables) mark(a.file ?? file, c.line, why);
    if (a.a === 'group') for (const x of a.actions) skipped(x, x.file ?? file, a.condition ? 'in a group whose condition is false with the arguments given' : why);
  };

  const stop = (scope: Scope, line: number): boolean => {
    if (++work.actions <= MAX_ACTIONS && work.includes <= MAX_INCLUDES) return false;
    if (!work.stopped) { work.stopped = true; out.notes.push(`${where(scope.file, line)}: more than ${MAX_INCLUDES.toLocaleString('en-GB')} includes or ${MAX_ACTIONS.toLocaleString('en-GB')} launch actions walked in all; the rest is not analysed`); }
    return true;
  };

  /**
   * What an include leaves set in the including file (ros2/launch's IncludeLaunchDescription is not scoped: the
   * arguments it passes, the defaults its file declares, its SetLaunchConfiguration and PushRosNamespace stay in
   * effect after it, up to the nearest scoped group). Under a condition decided only at launch, each value it would
   * change is not known after it, and says so.
   */
  const leave = (scope: Scope, leaves: Leaves, file: string, line: number, undecided: string | undefined, what = 'the include') => {
    for (const [k, v] of leaves.config) {
      if (undecided === undefined) { scope.config.set(k, v); continue; }
      const old = scope.config.get(k);
      if (old && !old.gaps.length && !v.gaps.length && old.s === v.s) continue;
      const shown = (x: Resolved) => `"${x.s.length > 120 ? `${x.s.slice(0, 120)}…` : x.s}"`;
      scope.config.set(k, { s: `$(var ${k})`, gaps: [...new Set([`launch argument "${k}" is one of several values after ${what} at ${where(file, line)}: ${shown(v)} if it runs, else ${old ? shown(old) : 'unset'}; whether it runs is decided at launch time (${undecided})`, ...v.gaps, ...(old?.gaps ?? [])])] });
    }
    if (leaves.ns === scope.ns) return;
    if (undecided === undefined) scope.ns = leaves.ns;
    else out.notes.push(`${where(file, line)}: ${what} pushes the namespace ${leaves.ns || '/'}, in effect after it only if it runs, which is decided at launch time (${undecided}); what follows is read in ${scope.ns || '/'}, and may be in ${leaves.ns || '/'}`);
  };
  /** The launch configurations of `after` that differ from `before`. */
  const changed = (before: ReadonlyMap<string, Resolved>, after: ReadonlyMap<string, Resolved>): [string, Resolved][] =>
    [...after].filter(([k, v]) => { const b = before.get(k); return !b || b.s !== v.s || b.gaps.join('\0') !== v.gaps.join('\0'); });

  const walk = (actions: Action[], scope: Scope): void => {
    // Declared arguments first: a default holds wherever in the description it is declared, unless an includer passed a value.
    for (const a of actions) if (a.a === 'declare' && !scope.config.has(a.name) && a.dflt) scope.config.set(a.name, resolveTxt(a.dflt, scope));
    for (const a of actions) {
      if (stop(scope, a.line)) return;
      const file = a.file ?? scope.file;
      const d = decide(a.condition, scope);
      if (d.run === false) { skipped(a, file, 'its condition is false with the arguments given'); continue; }
      const conditional = d.run === undefined ? `${where(file, a.line)}: ${d.why}` : scope.conditional;
      if (d.run === undefined && a.a !== 'declare') out.notes.push(`${where(file, a.line)}: launched only if a condition holds that is decided at launch time (${d.why}); counted in, to be safe`);
      const here: Scope = conditional === scope.conditional ? scope : { ...scope, conditional };
      switch (a.a) {
        case 'node': {
          node(here, a, a.kind, file, undefined, conditional);
          if (a.kind === 'container') {
            const c = out.nodes[out.nodes.length - 1]!;
            for (const cn of a.composables) composableNode(here, cn, c.fullName, file, conditional);
          }
          break;
        }
        case 'load': {
          const t = resolveTxt(a.target, here);
          const target = t.s.startsWith('/') ? t.s : `/${t.s}`;
          if (t.gaps.length) out.notes.push(`${where(file, a.line)}: target container ${target}: ${t.gaps.join('; ')}`);
          mark(file, a.line, 'its composable nodes are not launched');
          for (const cn of a.composables) composableNode(here, cn, target, file, conditional);
          break;
        }
        case 'group': {
          // An unscoped group decided only at launch leaves what it sets as one of several values, as an include does.
          const inner: Scope = a.scoped || d.run === undefined ? { ...here, config: new Map(here.config) } : here;
          for (const [k, v] of a.sets) inner.config.set(k, resolveTxt(v, here));
          walk(a.actions, inner);
          if (!a.scoped && d.run === undefined) leave(scope, { config: changed(here.config, inner.config), ns: inner.ns }, file, a.line, d.why ?? 'a condition', 'the group');
          else if (!a.scoped) scope.ns = inner.ns;
          break;
        }
        case 'opaque': {
          // The function runs now, as it would at launch: the launch arguments known here are its context.
          const known = new Map<string, string>();
          for (const [k, v] of here.config) if (!v.gaps.length) known.set(k, v.s);
          const r = a.run(known, budget);
          for (const n of r.notes) out.notes.push(n);
          for (const f of r.files ?? []) addFile(f);
          const inner: Scope = d.run === undefined ? { ...here, config: new Map(here.config) } : { ...here };
          walk(r.actions, inner);
          if (d.run === undefined) leave(scope, { config: changed(here.config, inner.config), ns: inner.ns }, file, a.line, d.why ?? 'a condition', 'the OpaqueFunction');
          else scope.ns = inner.ns;
          break;
        }
        case 'push-ns': {
          const r = resolveTxt(a.ns, here);
          if (r.gaps.length) out.notes.push(`${where(file, a.line)}: pushed namespace ${r.s}: ${r.gaps.join('; ')}`);
          scope.ns = combineNamespace(scope.ns, r.s);
          break;
        }
        case 'set-env': {
          const n = resolveTxt(a.name, here), v = resolveTxt(a.value, here);
          out.env.push({ name: n.s, value: v.s, file: rel(file), line: a.line, ...(conditional ? { conditional } : {}) });
          if (v.gaps.length) out.notes.push(`${where(file, a.line)}: ${n.s}=${v.s}: ${v.gaps.join('; ')}`);
          break;
        }
        case 'declare': break;
        case 'set-config': {
          const v = resolveTxt(a.value, here);
          // Set only if a condition decided at launch holds: the value after it is one of two.
          if (d.run === undefined) leave(scope, { config: [[a.name, v]], ns: scope.ns }, file, a.line, d.why ?? 'a condition', 'the SetLaunchConfiguration');
          else scope.config.set(a.name, v);
          break;
        }
        case 'include': {
          // As IncludeLaunchDescription.execute does: one SetLaunchConfiguration per argument, in order, so an
          // argument's value sees the arguments before it (mavros's multi_uas.launch: namespace from tgt_system).
          // They are set in the including file's context: they stay set after the include, whether or not its file is read.
          const undecided = d.run === undefined ? d.why ?? 'a condition' : undefined;
          const config = new Map(here.config);
          const passing: Scope = { ...here, config };
          for (const [k, v] of a.args) config.set(k, resolveTxt(v, passing));
          const argsOnly = (): Leaves => ({ config: changed(here.config, config), ns: here.ns });
          const p = resolveTxt(a.path, here);
          if (p.gaps.length) { out.notes.push(`${where(file, a.line)}: include of ${p.s}: ${p.gaps.join('; ')}; not analysed`); mark(file, a.line, 'its path is not known statically'); leave(scope, argsOnly(), file, a.line, undecided); break; }
          const target = locate(p.s, scope.file, a.line);
          if (!target) { mark(file, a.line, 'the file it includes is not read'); leave(scope, argsOnly(), file, a.line, undecided); break; }
          if (scope.stack.includes(target)) { out.notes.push(`${where(file, a.line)}: include cycle ${[...scope.stack, target].map(rel).join(' → ')}; not followed again`); mark(file, a.line, 'it closes an include cycle'); leave(scope, argsOnly(), file, a.line, undecided); break; }
          if (scope.stack.length >= MAX_DEPTH) { out.notes.push(`${where(file, a.line)}: includes nested more than ${MAX_DEPTH} deep; not followed`); mark(file, a.line, `includes are nested more than ${MAX_DEPTH} deep`); leave(scope, argsOnly(), file, a.line, undecided); break; }
          // The same file with the same arguments in the same namespace launches the same processes and leaves the
          // same settings: walked once, its settings applied again each time it is met.
          const key = `${target}\0${here.ns}\0${here.conditional ?? ''}\0${[...config].sort(([x], [y]) => (x < y ? -1 : 1)).map(([k, v]) => `${k}=${v.s}`).join('\0')}`;
          const before = walked.get(key);
          if (before !== undefined) {
            // Its processes are already in the reading; the files including it again start them too.
            if (before.processes > 0) { mark(file, a.line, ''); for (const f of scope.stack) yielded.set(f, (yielded.get(f) ?? 0) + before.processes); } else mark(file, a.line, 'the file it includes starts no process');
            leave(scope, before.leaves ?? argsOnly(), file, a.line, undecided);
            break;
          }
          walked.set(key, { processes: 0 });
          work.includes++;
          const r = load(target);
          mark(file, a.line, 'the file it includes starts no process');
          const started = processes;
          const inner: Scope = { ns: here.ns, config, file: target, conditional, stack: [...scope.stack, target], evaluated: scope.evaluated, ...(scope.environment ? { environment: scope.environment } : {}) };
          if (r) walk(r.actions, inner);
          const leaves: Leaves = { config: changed(here.config, config), ns: inner.ns };
          walked.set(key, { processes: processes - started, leaves });
          if (processes > started) mark(file, a.line, '');
          leave(scope, leaves, file, a.line, undecided);
          break;
        }
        case 'process': {
          const resolvedCmd = a.cmd.map((t) => resolveTxt(t, here));
          const cmd = resolvedCmd.map((r) => r.s);
          const inPackage = /^\$\(exec-in-package (\S+) (\S+)\)$/.exec(cmd[0] ?? '');
          // "ros2 run pkg exe …" and ExecutableInPackage(exe, pkg) start a package's executable: a node.
          const run = cmd[0] === 'ros2' && cmd[1] === 'run' && cmd[2] && cmd[3] ? { pkg: cmd[2], exe: cmd[3], argv: cmd.slice(4) } : inPackage ? { pkg: inPackage[2]!, exe: inPackage[1]!, argv: cmd.slice(1) } : undefined;
          // "ros2 launch pkg file …" (one word or several, with shell=True): another launch, in a process of its own.
          // A substitution left as text ("$(find-pkg-share pkg)", "$(var x)") is one word, with the gaps of its value.
          const words: string[] = [];
          const gapsOf = new Map<string, string[]>();
          for (const r of resolvedCmd) for (const w of commandWords(r.s)) { words.push(w); if (r.gaps.length && w.includes('$(')) gapsOf.set(w, r.gaps); }
          const launch = !run && words[0] === 'ros2' && words[1] === 'launch' ? ros2LaunchCommand(words.slice(2)) : undefined;
          mark(file, a.line, '');
          count(here);
          if (launch) {
            // A launch of its own: its file is read as launched from that command line, with the arguments it gives
            // and their defaults; no launch argument and no namespace of this file passes to it.
            const shown = `${where(file, a.line)}: runs the process "${quote(words.join(' '))}"`;
            if (launch.printsOnly) { out.notes.push(`${shown}, which prints a launch description and launches nothing`); break; }
            out.notes.push(`${shown}, a launch of its own: its file is read with the arguments that command line gives (no launch argument or namespace of this file passes to it)`);
            const pathGaps = [...new Set(words.filter((w) => gapsOf.has(w) && launch.path.includes(w)).flatMap((w) => gapsOf.get(w)!))];
            if (pathGaps.length) { out.notes.push(`${where(file, a.line)}: the launch file ${launch.path} it runs: ${pathGaps.join('; ')}; not analysed`); break; }
            const target = locate(launch.path, scope.file, a.line);
            if (!target) break;
            if (scope.stack.includes(target)) { out.notes.push(`${where(file, a.line)}: launch cycle ${[...scope.stack, target].map(rel).join(' → ')}; not followed again`); break; }
            if (scope.stack.length >= MAX_DEPTH) { out.notes.push(`${where(file, a.line)}: launch files nested more than ${MAX_DEPTH} deep; not followed`); break; }
            const config = new Map(launch.args.map(([k, v]): [string, Resolved] => [k, { s: v, gaps: gapsOf.get(`${k}:=${v}`) ?? [] }]));
            const key = `ros2 launch\0${target}\0${conditional ?? ''}\0${[...config].sort(([x], [y]) => (x < y ? -1 : 1)).map(([k, v]) => `${k}=${v.s}`).join('\0')}`;
            const before = walked.get(key);
            if (before !== undefined) { for (const f of scope.stack) yielded.set(f, (yielded.get(f) ?? 0) + before.processes); break; }
            walked.set(key, { processes: 0 });
            work.includes++;
            const r = load(target);
            const started = processes;
            if (r) walk(r.actions, { ns: '', config, file: target, ...(conditional ? { conditional } : {}), stack: [...scope.stack, target], evaluated: scope.evaluated, ...(scope.environment ? { environment: scope.environment } : {}) });
            walked.set(key, { processes: processes - started });
            break;
          }
          if (run) {
            const argv = run.argv;
            const nameIdx = argv.findIndex((x, i) => x === '-r' && /^__node:=/.test(argv[i + 1] ?? ''));
            const name = nameIdx >= 0 ? argv[nameIdx + 1]!.slice(8) : run.exe;
            const enclave = enclaveOf(argv);
            out.nodes.push({ kind: 'node', pkg: run.pkg, exec: run.exe, name, namespace: here.ns || '/', fullName: `${here.ns}/${name}`, ...(enclave ? { enclave } : {}), file: rel(file), line: a.line, named: nameIdx >= 0, ...(argv.length ? { args: argv } : {}), ...(conditional ? { conditional } : {}) });
          } else out.notes.push(`${where(file, a.line)}: runs the process "${quote(cmd.join(' '))}", which is not a ROS node Marque can place; describe it in marque.yaml if it handles external data`);
          break;
        }
        case 'gap': out.notes.push(`${where(file, a.line)}: ${a.why}; not analysed`); break;
      }
    }
  };

  const composableNode = (scope: Scope, c: Composable, container: string, file: string, conditional?: string) => {
    const d = decide(c.condition, scope);
    if (d.run === false) { mark(file, c.line, `its condition is false${d.why ? ` (${d.why})` : ''} with the arguments given`); return; }
    node(scope, c, 'composable', file, container, d.run === undefined ? `${where(file, c.line)}: ${d.why}` : conditional);
  };

  let real: string;
  try { real = files.resolve(entry); } catch (e) {
    // Named as marque.yaml names it (relative to the product's folder), like every other note.
    const named = relative(ws.root, entry).startsWith('..') ? entry : rel(entry);
    out.notes.push(e instanceof OutsideRootsError ? `${named}: the launch file leads outside the workspace; not read` : `${named}: launch file not found; nothing it would start is in the model`);
    return out;
  }
  const r = load(real);
  if (r) walk(r.actions, { ns: '', config: new Map([...args].map(([k, v]) => [k, { s: v, gaps: [] }])), file: real, stack: [real], evaluated: { chars: 0 }, ...(ws.environment ? { environment: ws.environment } : {}) });

  // Never silent: a launch file that writes launch constructs but starts no process says which, and why.
  for (const [file, written] of sites) {
    if ((yielded.get(file) ?? 0) > 0) continue;
    const whole = unread.get(file);
    if (whole) {
      out.notes.push(`${where(file, written[0]!.line)}: this launch file starts no process: ${whole}; it writes ${written.slice(0, 3).map((s) => `${s.what} at line ${s.line}`).join(', ')}${written.length > 3 ? ` and ${written.length - 3} more` : ''}`);
      continue;
    }
    const why = written.map((s) => ({ ...s, why: reached.get(`${file}:${s.line}`) ?? 'not reached: in a branch not taken with these arguments, in code Marque does not evaluate, or in a value it could not follow (see the notes above)' }));
    const shown = why.slice(0, 3).map((s) => `${s.what} at line ${s.line}: ${s.why || 'launched, but what it starts is counted elsewhere'}`);
    out.notes.push(`${where(file, written[0]!.line)}: this launch file starts no process Marque could follow; ${shown.join('; ')}${why.length > 3 ? `; and ${why.length - 3} more` : ''}`);
  }
  if (r && !processes && r.sites?.length === 0) out.notes.push(`${rel(real)}: this launch file starts no process: it writes no node, container, process or include`);
  out.notes = [...new Set(out.notes)];
  return out;
}

function findByName(dir: string, name: string, depth: number): string[] {
  const out: string[] = [];
  const visit = (d: string, left: number) => {
    let entries;
    try { entries = readdirSync(d, { withFileTypes: true }); } catch { return; }
    for (const e of entries) {
      if (e.name.startsWith('.') || e.name === 'node_modules') continue;
      const p = join(d, e.name);
      if (e.isFile() && e.name === name) out.push(p);
      else if (e.isDirectory() && left > 0) visit(p, left - 1);
    }
  };
  visit(dir, depth);
  return out;
}

/** Installed ROS distributions on this machine (/opt/ros/<distro>), where included launch files of binary packages live. */
/**
 * The installed ROS distribution the product names (inventory.rosdistro), where included launch files of
 * binary packages live: /opt/ros/<distro>, when it is there. Only a named one: another installed
 * distribution is not the product's.
 */
export function rosInstallPrefixes(distro: string | undefined): string[] {
  if (!distro || !/^[a-z][a-z0-9_-]*$/.test(distro)) return [];
  const prefix = join('/opt/ros', distro);
  try { return statSync(prefix).isDirectory() ? [prefix] : []; } catch { return []; }
}

/** What of an install prefix launch files may be read from: its share folder. */
export const shareOf = (prefix: string) => join(prefix, 'share');
