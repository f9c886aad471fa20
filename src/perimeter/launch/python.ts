// Python launch files, read statically: parsed with a real Python grammar (@lezer/python) and
// evaluated by a small interpreter that knows the launch and launch_ros API, plain values (strings,
// numbers, lists, dicts, tuples, comprehensions), local variables and functions, and the local
// modules a launch file imports from its own folder. Nothing is executed; what depends on code
// Marque does not model becomes a gap with its line, never a guess. Every evaluation is bounded in
// steps, calls and the size of the values it builds (EVAL_LIMITS): a hostile file ends with a note.
import { basename, dirname } from 'node:path';
import { parser } from '@lezer/python';
import type { SyntaxNode } from '@lezer/common';
import { parseYaml } from '../../util/yaml.ts';
import { EVAL_LIMITS, gap, lit, newBudget, type Action, type Budget, type Composable, type Condition, type ReadLaunch, type Site, type Txt } from './action.ts';

/** A source file being evaluated: the launch file itself, or a local module it imports. */
interface Unit { text: string; name: string; path: string | undefined; lineStarts: number[] }

type V =
  | { t: 'str'; s: string }
  | { t: 'num'; n: number; /** a Python float (1.0), which str() prints with its point; else an int */ f?: true }
  | { t: 'bool'; b: boolean }
  | { t: 'none' }
  /** `py`: a Python list as written or built (`[…]`, list(), a slice of one…), which str() prints; tuples, sets, ranges and views are not. */
  | { t: 'list'; items: V[]; py?: true }
  | { t: 'dict'; keys: V[]; vals: V[] }
  /**
   * A launch substitution, or (`str`) a Python string whose text is known only at launch (`os.getenv('X')`,
   * `LaunchConfiguration('x').perform(context)` of an argument without a value): a substitution object is always
   * true, such a string is true or false only at launch.
   */
  | { t: 'txt'; txt: Txt; str?: true }
  /** `foreign`: made by a function Marque does not know (another package's helper): its truth is unknown. */
  | { t: 'obj'; cls: string; pos: V[]; kw: Map<string, V>; line: number; unit: Unit; actions?: V[]; foreign?: boolean }
  /**
   * `self`: a method bound to an instance (or, for a classmethod, to its class); `kind`: how a class body's decorator
   * makes it bind (staticmethod: never; classmethod: to the class; property: called when read).
   */
  | { t: 'fn'; node: SyntaxNode; closure: Env; lambda?: boolean; self?: V; kind?: 'static' | 'class' | 'property' }
  /**
   * A class the launch file defines (go2_ros2_sdk's Go2LaunchConfig, Go2NodeFactory): its attributes and methods, its
   * bases that are classes of the file; `foreignBase`: a base from another package, whose attributes are not known.
   */
  | { t: 'class'; name: string; attrs: Map<string, V>; bases: Extract<V, { t: 'class' }>[]; foreignBase?: string; line: number; unit: Unit }
  /** An instance of such a class: the attributes set on it (self.x = …). */
  | { t: 'inst'; cls: Extract<V, { t: 'class' }>; attrs: Map<string, V> }
  | { t: 'module'; name: string; env: Env }
  /** The launch context an OpaqueFunction is given: the launch arguments' values when they are known. */
  | { t: 'ctx'; config: ReadonlyMap<string, string> | undefined }
  | { t: 'name'; path: string }
  | { t: 'unknown'; why: string; line: number; unit: Unit };

const NONE: V = { t: 'none' };

/**
 * repr() of a plain value, as Python writes it: printable ASCII strings (single quotes, or double when the text has
 * a single quote and no double one), booleans, None, and Python lists of these. Anything else (a number, which may
 * have been a float: 1.0 is 1 here; a tuple; a substitution) is undefined.
 */
/** A number; `float`: a Python float, else an int. */
function num(n: number, float?: boolean): V {
  return float ? { t: 'num', n, f: true } : { t: 'num', n };
}

/**
 * A float as Python's str() prints it (1.0, 0.5, inf), where its text is JavaScript's plus a point: both print the
 * shortest text that reads back, but switch to exponents at other sizes, so those are not known statically.
 */
export function pyFloat(n: number): string | undefined {
  if (Number.isNaN(n)) return 'nan';
  if (!Number.isFinite(n)) return n > 0 ? 'inf' : '-inf';
  const a = Math.abs(n);
  if (a >= 1e16 || (a !== 0 && a < 1e-4)) return undefined;
  if (Object.is(n, -0)) return '-0.0';
  return Number.isInteger(n) ? `${n}.0` : String(n);
}

function pyRepr(v: V, depth = 0): string | undefined {
  if (depth > 64) return undefined;
  switch (v.t) {
    case 'str': {
      if (!/^[\x20-\x7e]*$/.test(v.s)) return undefined;
      const q = v.s.includes("'") && !v.s.includes('"') ? '"' : "'";
      return `${q}${v.s.replace(/\\/g, '\\\\').replace(q === "'" ? /'/g : /"/g, `\\${q}`)}${q}`;
    }
    case 'bool': return v.b ? 'True' : 'False';
    case 'none': return 'None';
    case 'list': {
      if (!v.py) return undefined;
      const items: string[] = [];
      for (const x of v.items) { const r = pyRepr(x, depth + 1); if (r === undefined) return undefined; items.push(r); }
      return `[${items.join(', ')}]`;
    }
    default: return undefined;
  }
}
const BREAK = Symbol('break');
const CONTINUE = Symbol('continue');
type Flow = V | typeof BREAK | typeof CONTINUE | undefined;
/**
 * The values `raise` gives (unknown, with the line): a path that raises ends there, and at launch the description fails
 * to load, so it starts nothing; under an if decided at launch, the other branches are what may run.
 */
const RAISED = new WeakSet<object>();

class Env {
  private vars = new Map<string, V>();
  readonly unit: Unit;
  readonly parent: Env | undefined;
  constructor(unit: Unit, parent?: Env) { this.unit = unit; this.parent = parent; }
  get(name: string): V | undefined { return this.vars.get(name) ?? this.parent?.get(name); }
  set(name: string, v: V): void { this.vars.set(name, v); }
  entries(): IterableIterator<[string, V]> { return this.vars.entries(); }
  /** This scope's own variables, to read the branches of an if decided only at launch each from the same start. */
  snapshot(): Map<string, V> { return new Map(this.vars); }
  restore(vars: Map<string, V>): void { this.vars = new Map(vars); }
}

/** The text of a string literal: prefixes, triple quotes and the common escapes. */
export function stringLiteral(src: string): string {
  const m = /^([rRbBuU]{0,2})('''|"""|'|")/.exec(src);
  if (!m) return src;
  const raw = /r/i.test(m[1]!);
  const body = src.slice(m[0].length, src.length - m[2]!.length);
  if (raw) return body;
  return body.replace(/\\(\r?\n|[\\'"abfnrtv0]|x[0-9a-fA-F]{2}|u[0-9a-fA-F]{4})/g, (_e, c: string) => {
    const simple: Record<string, string> = { '\\': '\\', "'": "'", '"': '"', a: '\x07', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t', v: '\v', '0': '\0' };
    if (c[0] === 'x' || c[0] === 'u') return String.fromCharCode(parseInt(c.slice(1), 16));
    if (c === '\n' || c === '\r\n') return '';
    return simple[c] ?? c;
  });
}

const LAUNCH_SOURCES = new Set(['PythonLaunchDescriptionSource', 'AnyLaunchDescriptionSource', 'FrontendLaunchDescriptionSource', 'XMLLaunchDescriptionSource', 'YAMLLaunchDescriptionSource', 'LaunchDescriptionSource']);
/** Actions that launch nothing and change nothing the architecture shows. */
const INERT = new Set(['SetParameter', 'SetParametersFromFile', 'SetRemap', 'SetUseSimTime', 'LogInfo', 'Shutdown', 'EmitEvent', 'SetROSLogDir', 'UnsetEnvironmentVariable', 'AppendEnvironmentVariable', 'ResetEnvironment', 'ResetLaunchConfigurations', 'RosTimer', 'UnsetLaunchConfiguration']);
/** Actions whose arguments may hold further actions (timers, event handlers): searched for them. */
const CONTAINERS_OF_ACTIONS = new Set(['TimerAction', 'RegisterEventHandler', 'OnProcessExit', 'OnProcessStart', 'OnProcessIO', 'OnExecutionComplete', 'OnShutdown', 'OnStateTransition', 'EventHandler']);
/** Keyword arguments of those that are not actions they hold: the condition (already applied) and the action an event handler watches (launched elsewhere). */
const NOT_HELD = new Set(['condition', 'target_action', 'target_lifecycle_node', 'matcher']);
/** What the launch and launch_ros API make: objects of these classes are what they say, not a guess. */
const LAUNCH_CLASSES = new Set([...LAUNCH_SOURCES, ...INERT, ...CONTAINERS_OF_ACTIONS, 'LaunchDescription', 'ForEach', 'Node', 'LifecycleNode', 'ComposableNodeContainer', 'ComposableNode', 'LoadComposableNodes', 'GroupAction', 'PushRosNamespace', 'PushROSNamespace', 'SetEnvironmentVariable', 'DeclareLaunchArgument', 'DeclareBooleanLaunchArg', 'DeclareBooleanLaunchArgument', 'SetLaunchConfiguration', 'IncludeLaunchDescription', 'ExecuteProcess', 'OpaqueFunction', 'IfCondition', 'UnlessCondition', 'LaunchConfigurationEquals', 'LaunchConfigurationNotEquals', 'ParameterFile', 'ParameterValue', 'Command', 'FindExecutable']);
/** The constructs that start processes or bring in other launch files: each written one is accounted for. */
export const SITE_CLASSES = new Set(['Node', 'LifecycleNode', 'ComposableNode', 'ComposableNodeContainer', 'LoadComposableNodes', 'ExecuteProcess', 'IncludeLaunchDescription']);
/** Modules of Python, launch and ROS that are never a launch file's own helper: not looked for on disk. */
const KNOWN_MODULES = new Set(['launch', 'launch_ros', 'launch_xml', 'launch_yaml', 'launch_testing', 'ament_index_python', 'os', 'sys', 'yaml', 'json', 'copy', 'pathlib', 'typing', 'tempfile', 'subprocess', 'shutil', 're', 'math', 'xacro', 'nav2_common', 'moveit_configs_utils', 'rclpy', 'logging', 'time', 'datetime', 'collections', 'functools', 'itertools', 'glob', 'io', 'enum', 'dataclasses', 'warnings', 'platform', 'socket']);
const PUNCT = new Set(['(', ')', '[', ']', '{', '}', ',', ':', '.']);
const MAX_NESTING = 200;
const MAX_MODULE_DEPTH = 8;

/** A local module a launch file imports: found next to it, read through the same file access as launch files. */
export interface LoadedModule { text: string; path: string; name: string }
export interface PythonOptions {
  /** The file's real path: where `__file__` points and local modules are looked for. */
  path?: string;
  /**
   * Reads `import name` from the launch file's own folder, or from a folder the file added to
   * sys.path (`sys.path.append(os.path.join(get_package_share_directory('p'), 'launch'))`); undefined when there is none.
   */
  loadModule?: (module: string, from: string, searchPath: readonly Txt[]) => LoadedModule | undefined;
  /**
   * Environment variables whose value the product declares (marque.yaml ros.environment; ROS_DISTRO from
   * inventory.rosdistro, which the ROS setup script sets): os.getenv('ROS_DISTRO') is then that value.
   */
  environment?: ReadonlyMap<string, string>;
}

const fmt = (n: number) => n.toLocaleString('en-GB');
export const MAX_BRACKETS = 500;

/** The deepest bracket nesting of a text, and where it passes MAX_BRACKETS (brackets in strings counted too: a bound, not a parse). */
export function bracketDepth(text: string): { depth: number; at: number } {
  let d = 0, max = 0, at = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 40 || c === 91 || c === 123) { if (++d > max) { max = d; if (d === MAX_BRACKETS + 1) at = i; } } else if ((c === 41 || c === 93 || c === 125) && d > 0) d--;
  }
  return { depth: max, at };
}

export function readPythonLaunch(text: string, file: string, opts: PythonOptions = {}): ReadLaunch {
  let notes: string[] = [];
  let budget: Budget = newBudget();
  const files: string[] = [];
  const modules = new Map<string, V>();
  /** Folders the file adds to sys.path, where `import x` may find a module. */
  const searchPath: Txt[] = [];
  let moduleDepth = 0;
  let nesting = 0;
  /**
   * An environment variable read: its declared value, else what launch reads at run time. `str`: read by os.getenv or
   * os.environ, a Python string (or None) whose truth is known only then, not an EnvironmentVariable substitution.
   */
  const envVar = (name: string, dflt?: V, str?: boolean): V => {
    const known = opts.environment?.get(name);
    return known !== undefined ? { t: 'str', s: known } : { t: 'txt', txt: [{ env: name, ...(dflt ? { dflt: toTxt(dflt) } : {}) }], ...(str ? { str: true as const } : {}) };
  };

  const makeUnit = (t: string, name: string, path: string | undefined): Unit => {
    const lineStarts = [0];
    for (let i = t.indexOf('\n'); i !== -1; i = t.indexOf('\n', i + 1)) lineStarts.push(i + 1);
    return { text: t, name, path, lineStarts };
  };
  const lineAt = (u: Unit, pos: number) => {
    let lo = 0, hi = u.lineStarts.length - 1;
    while (lo < hi) { const mid = (lo + hi + 1) >> 1; if (u.lineStarts[mid]! <= pos) lo = mid; else hi = mid - 1; }
    return lo + 1;
  };
  const src = (u: Unit, n: SyntaxNode) => u.text.slice(n.from, n.to);
  const short = (u: Unit, n: SyntaxNode) => { const s = src(u, n).replace(/\s+/g, ' '); return s.length > 60 ? `${s.slice(0, 60)}…` : s; };
  const kids = (n: SyntaxNode): SyntaxNode[] => { const out: SyntaxNode[] = []; for (let c = n.firstChild; c; c = c.nextSibling) if (c.name !== 'Comment') out.push(c); return out; };
  const unknown = (why: string, line: number, unit: Unit): V => ({ t: 'unknown', why, line, unit });
  const note = (u: Unit, line: number, what: string) => { notes.push(`${u.name}:${line}: ${what}`); };

  // ---- bounds ----
  /** Counts what a value is built of; false once the budget is spent (the evaluation then stops). */
  const spend = (n: number): boolean => {
    budget.cells += n;
    if (budget.cells > EVAL_LIMITS.cells) budget.exhausted ??= `values of more than ${fmt(EVAL_LIMITS.cells)} characters, items and parts built`;
    return budget.exhausted === undefined;
  };
  const tooBig = (what: string, line: number, u: Unit): V => {
    const why = `${what} is over Marque's bound for one value; not evaluated`;
    note(u, line, why);
    return unknown(why, line, u);
  };
  const mkStr = (s: string, line: number, u: Unit): V => {
    if (s.length > EVAL_LIMITS.string) return tooBig(`a string of ${fmt(s.length)} characters`, line, u);
    return spend(s.length) ? { t: 'str', s } : unknown(budget.exhausted!, line, u);
  };
  const mkList = (items: V[], line: number, u: Unit): V => {
    if (items.length > EVAL_LIMITS.list) return tooBig(`a list of ${fmt(items.length)} items`, line, u);
    return spend(items.length) ? { t: 'list', items } : unknown(budget.exhausted!, line, u);
  };
  /** A value that is a Python list (str() prints it as Python does); anything else mkList makes stays a sequence. */
  const pyList = (v: V): V => (v.t === 'list' ? { ...v, py: true } : v);
  const isPyList = (v: V): boolean => v.t === 'list' && v.py === true;
  const mkTxt = (txt: Txt, line: number, u: Unit): V => {
    if (txt.length > EVAL_LIMITS.list) return tooBig(`a substitution of ${fmt(txt.length)} parts`, line, u);
    return spend(txt.length) ? { t: 'txt', txt } : unknown(budget.exhausted!, line, u);
  };
  /** Room for one more item in a list that grows in place (append, extend). */
  const room = (l: V[], more: number, line: number, u: Unit): boolean => {
    if (l.length + more > EVAL_LIMITS.list) { tooBig(`a list of more than ${fmt(EVAL_LIMITS.list)} items`, line, u); return false; }
    return spend(more);
  };

  /** Python's own truthiness, when it is known without running anything. */
  const truthy = (v: V): boolean | undefined => {
    switch (v.t) {
      case 'str': return v.s !== '';
      case 'num': return v.n !== 0;
      case 'bool': return v.b;
      case 'none': return false;
      case 'list': return v.items.length > 0;
      case 'dict': return v.keys.length > 0;
      case 'obj': return v.foreign ? undefined : true; // a substitution object is truthy, whatever it resolves to
      case 'txt': return v.str ? undefined : true;
      case 'fn': case 'module': case 'ctx': case 'class': case 'inst': return true;
      default: return undefined;
    }
  };

  /** Equality of plain values; undefined when either side is known only at launch. Bounded in depth and work. */
  const eq = (a: V, b: V, depth = 0): boolean | undefined => {
    if (depth > EVAL_LIMITS.depth || !spend(1)) return undefined;
    if (a.t === 'num' && b.t === 'bool') return a.n === Number(b.b);
    if (a.t === 'bool' && b.t === 'num') return Number(a.b) === b.n;
    const plain = (v: V) => v.t === 'str' || v.t === 'num' || v.t === 'bool' || v.t === 'none' || v.t === 'list' || v.t === 'dict';
    if (!plain(a) || !plain(b)) return undefined;
    if (a.t !== b.t) return false;
    switch (a.t) {
      case 'str': return a.s === (b as { s: string }).s;
      case 'num': return a.n === (b as { n: number }).n;
      case 'bool': return a.b === (b as { b: boolean }).b;
      case 'none': return true;
      case 'list': {
        const bi = (b as { items: V[] }).items;
        if (a.items.length !== bi.length) return false;
        for (let i = 0; i < bi.length; i++) { const e = eq(a.items[i]!, bi[i]!, depth + 1); if (e !== true) return e; }
        return true;
      }
      case 'dict': {
        const d = b as { keys: V[]; vals: V[] };
        if (a.keys.length !== d.keys.length) return false;
        for (let i = 0; i < a.keys.length; i++) {
          const j = lookup(d, a.keys[i]!);
          if (j === undefined) return undefined;
          if (j < 0) return false;
          const e = eq(a.vals[i]!, d.vals[j]!, depth + 1);
          if (e !== true) return e;
        }
        return true;
      }
      default: return undefined;
    }
  };
  /**
   * Index of a key in a dict: -1 when absent, undefined when a key is not known statically. As Python's dict does, a key
   * is the same key first by identity, then by ==: a substitution used as a key (panther's multi-robot launch keys its
   * robots by LaunchConfiguration("namespace")) is found again when iterated and looked up.
   */
  const lookup = (d: { keys: V[] }, key: V): number | undefined => {
    let unsure = false;
    for (let i = d.keys.length - 1; i >= 0; i--) { if (d.keys[i] === key) return i; const e = eq(d.keys[i]!, key); if (e === true) return i; if (e === undefined) unsure = true; }
    return unsure ? undefined : -1;
  };
  const dictSet = (d: { keys: V[]; vals: V[] }, key: V, val: V) => {
    const i = lookup(d, key);
    if (i !== undefined && i >= 0) d.vals[i] = val; else { d.keys.push(key); d.vals.push(val); }
  };

  /** A copy of a value: `copy.deepcopy` and `dict(d)`; bounded like any other value built. */
  const copyOf = (v: V, deep: boolean, line: number, u: Unit, depth = 0): V => {
    if (depth > EVAL_LIMITS.depth) return unknown('a value nested too deeply to copy', line, u);
    if (v.t === 'list') { const items = v.items.map((x) => (deep ? copyOf(x, true, line, u, depth + 1) : x)); const c = mkList(items, line, u); return v.py ? pyList(c) : c; }
    if (v.t === 'dict') { if (!spend(v.keys.length)) return unknown(budget.exhausted!, line, u); return { t: 'dict', keys: [...v.keys], vals: v.vals.map((x) => (deep ? copyOf(x, true, line, u, depth + 1) : x)) }; }
    return v;
  };

  const iterate = (v: V, line: number, u: Unit): V[] | undefined => {
    if (v.t === 'list') return v.items;
    if (v.t === 'dict') return v.keys;
    if (v.t === 'str') return v.s.length <= EVAL_LIMITS.list && spend(v.s.length) ? [...v.s].map((c) => ({ t: 'str', s: c })) : (tooBig(`iteration over ${fmt(v.s.length)} characters`, line, u), undefined);
    return undefined;
  };

  /** Why a value is known only at launch, in words: the environment variable or launch argument it depends on. */
  const reasonOf = (v: V): string | undefined => {
    if (v.t === 'unknown') return v.why;
    if (v.t === 'txt') {
      for (const p of v.txt) if ('env' in p) return `environment variable ${p.env} is read at launch time`;
      for (const p of v.txt) if ('conf' in p) return `launch argument "${p.conf}" is known only at launch`;
      return 'a substitution resolved at launch';
    }
    if (v.t === 'obj' && v.foreign) return `${v.cls}(…) is not evaluated statically`;
    if (v.t === 'name') return `${v.path} is not known statically`;
    return undefined;
  };

  /**
   * What an unknown value is, when its reason names it ("attribute .system of X(…)" of "… is not known
   * statically"): an attribute or method of it is then named through it, and the reason said once.
   */
  const unknownSubject = (v: Extract<V, { t: 'unknown' }>): string | undefined => / is not (known|evaluated) statically$/.test(v.why) ? v.why.replace(/ is not (known|evaluated) statically$/, '') : undefined;

  const describe = (v: V): string => {
    switch (v.t) {
      case 'obj': return `${v.cls}(…)`;
      case 'name': return v.path;
      case 'unknown': return unknownSubject(v) ?? v.why;
      case 'fn': return 'a function';
      case 'txt': return 'a substitution';
      case 'module': return `module ${v.name}`;
      case 'class': return `class ${v.name}`;
      case 'inst': return `${v.cls.name}(…)`;
      default: return `a ${v.t === 'list' ? 'list' : v.t === 'dict' ? 'dict' : v.t === 'str' ? 'string' : v.t === 'num' ? 'number' : v.t === 'bool' ? 'boolean' : v.t === 'ctx' ? 'launch context' : 'None'} value`;
    }
  };

  // ---- expressions ----
  function ev(n: SyntaxNode, env: Env, depth: number): V {
    const u = env.unit;
    if (++nesting > MAX_NESTING) { nesting--; return unknown('an expression nested too deeply', lineAt(u, n.from), u); }
    try { return evInner(n, env, depth); } finally { nesting--; }
  }

  function evInner(n: SyntaxNode, env: Env, depth: number): V {
    const u = env.unit;
    const line = lineAt(u, n.from);
    switch (n.name) {
      case 'String': return { t: 'str', s: stringLiteral(src(u, n)) };
      case 'ContinuedString': return cat(kids(n).map((k) => ev(k, env, depth)), line, u);
      case 'FormatString': {
        const parts: V[] = [];
        let at = n.from;
        const whole = src(u, n);
        at += /^[a-zA-Z]*('''|"""|'|")/.exec(whole)![0].length;
        for (const r of kids(n).filter((k) => k.name === 'FormatReplacement')) {
          if (r.from > at) parts.push({ t: 'str', s: u.text.slice(at, r.from) });
          const inner = kids(r).find((k) => !PUNCT.has(k.name) && k.name !== 'FormatSpec' && k.name !== 'FormatConversion');
          parts.push(inner ? str(ev(inner, env, depth), line, u) : unknown('empty f-string replacement', line, u));
          at = r.to;
        }
        const close = /('''|"""|'|")$/.exec(whole)![0].length;
        if (n.to - close > at) parts.push({ t: 'str', s: u.text.slice(at, n.to - close) });
        return cat(parts, line, u);
      }
      case 'Number': { const text = src(u, n).replace(/_/g, ''); return num(Number(text), !/^0[xob]/i.test(text) && /[.eE]/.test(text)); }
      case 'Boolean': return { t: 'bool', b: src(u, n) === 'True' };
      case 'None': return NONE;
      case 'VariableName': {
        const name = src(u, n);
        return env.get(name) ?? { t: 'name', path: name };
      }
      case 'ParenthesizedExpression': { const inner = kids(n).filter((k) => !PUNCT.has(k.name)); return inner.length === 1 ? ev(inner[0]!, env, depth) : unknown('parenthesised expression', line, u); }
      case 'TupleExpression': case 'ArrayExpression': case 'SetExpression': {
        const items: V[] = [];
        const list = kids(n).filter((k) => !PUNCT.has(k.name));
        for (let i = 0; i < list.length; i++) {
          if (list[i]!.name === '*' && list[i + 1]) { const s = ev(list[++i]!, env, depth); const it = iterate(s, line, u); if (it) items.push(...it); else items.push(unknown(`*${short(u, list[i]!)} is not known statically`, line, u)); continue; }
          items.push(ev(list[i]!, env, depth));
        }
        return n.name === 'ArrayExpression' ? pyList(mkList(items, line, u)) : mkList(items, line, u);
      }
      case 'DictionaryExpression': {
        const items = kids(n).filter((k) => !PUNCT.has(k.name));
        const d: V = { t: 'dict', keys: [], vals: [] };
        for (let i = 0; i < items.length; i++) {
          if (items[i]!.name === '**' && items[i + 1]) { const o = ev(items[++i]!, env, depth); if (o.t === 'dict') o.keys.forEach((k, j) => dictSet(d, k, o.vals[j]!)); else note(u, line, `**${short(u, items[i]!)} is not known statically; its entries are not read`); continue; }
          if (!items[i + 1]) break;
          dictSet(d, ev(items[i]!, env, depth), ev(items[i + 1]!, env, depth));
          i++;
        }
        return spend(d.keys.length) ? d : unknown(budget.exhausted!, line, u);
      }
      case 'ArrayComprehensionExpression': return pyList(comprehension(kids(n).filter((k) => !PUNCT.has(k.name)), false, env, depth, line));
      case 'SetComprehensionExpression': case 'ComprehensionExpression':
        return comprehension(kids(n).filter((k) => !PUNCT.has(k.name)), false, env, depth, line);
      case 'DictionaryComprehensionExpression': return comprehension(kids(n).filter((k) => !PUNCT.has(k.name)), true, env, depth, line);
      case 'MemberExpression': return member(n, env, depth);
      case 'BinaryExpression': return binary(n, env, depth);
      case 'UnaryExpression': {
        const [op, x] = kids(n);
        if (!op || !x) return unknown('unary expression', line, u);
        const v = ev(x, env, depth);
        if (src(u, op) === 'not') { const t = truthy(v); return t === undefined ? unknown(reasonOf(v) ?? `"${short(u, n)}" depends on values known only at launch`, line, u) : { t: 'bool', b: !t }; }
        if (v.t === 'num') return num(src(u, op) === '-' ? -v.n : src(u, op) === '~' ? ~v.n : v.n, v.f);
        return unknown(`"${short(u, n)}" is not evaluated statically`, line, u);
      }
      case 'ConditionalExpression': {
        const [a, , c, , b] = kids(n);
        if (!a || !c || !b) return unknown('conditional expression', line, u);
        const t = truthy(ev(c, env, depth));
        return t === undefined ? unknown(`"${short(u, n)}" chooses at launch time`, line, u) : ev(t ? a : b, env, depth);
      }
      case 'CallExpression': return call(n, env, depth);
      case 'LambdaExpression': return { t: 'fn', node: n, closure: env, lambda: true };
      default: return unknown(`${n.name} is not evaluated statically`, line, u);
    }
  }

  /** Concatenation, as `a + b` and f-strings are: plain text when every part is, a substitution list otherwise. */
  function cat(parts: V[], line: number, u: Unit): V {
    if (parts.every((p) => p.t === 'str')) return mkStr(parts.map((p) => (p as { s: string }).s).join(''), line, u);
    const txt: Txt = [];
    for (const p of parts) for (const x of toTxt(p)) txt.push(x);
    const v = mkTxt(txt, line, u);
    // Strings joined are a string: os.getenv('HOME') + '/maps' is as true or false as it is at launch.
    return v.t === 'txt' && parts.every((p) => p.t === 'str' || (p.t === 'txt' && p.str)) ? { ...v, str: true } : v;
  }

  /** One "%" conversion of printf-style formatting: %s as str(), %d and %f of a number as Python writes them. */
  function formatted(conversion: string, v: V, line: number, u: Unit): V {
    if (v.t === 'num' && conversion === '%d') return { t: 'str', s: String(Math.trunc(v.n)) };
    if (v.t === 'num' && conversion === '%f' && Number.isFinite(v.n) && Math.abs(v.n) < 1e16) return { t: 'str', s: v.n.toFixed(6) };
    if (conversion === '%d' || conversion === '%f') return v.t === 'num' ? unknown(`"${conversion}" of ${v.n} is not known statically`, line, u) : v.t === 'unknown' || v.t === 'txt' ? v : unknown(`"${conversion}" of ${describe(v)} is not known statically`, line, u);
    if (conversion === '%r' && v.t !== 'num') { const r = pyRepr(v); return r !== undefined ? { t: 'str', s: r } : v.t === 'unknown' ? v : unknown(`"%r" of ${describe(v)} is not known statically`, line, u); }
    return str(v, line, u);
  }

  /** str(x): the text Python would print for plain values; a substitution stays one. */
  function str(v: V, line: number, u: Unit): V {
    switch (v.t) {
      case 'str': case 'txt': case 'unknown': return v;
      case 'num': { const text = v.f ? pyFloat(v.n) : String(v.n); return text === undefined ? unknown(`str() of the float ${v.n} is not known statically`, line, u) : { t: 'str', s: text }; }
      case 'bool': return { t: 'str', s: v.b ? 'True' : 'False' };
      case 'none': return { t: 'str', s: 'None' };
      case 'obj': return LAUNCH_CLASSES.has(v.cls) ? v : unknown(`str() of ${v.cls}(…) is not known statically`, line, u);
      // linorobot2: `"oakd" in str(['oakd', 'oakdlite'])`: a list of plain values prints as Python prints it.
      case 'list': { const r = isPyList(v) ? pyRepr(v) : undefined; return r === undefined ? unknown(`str() of ${describe(v)} is not known statically`, line, u) : mkStr(r, line, u); }
      default: return unknown(`str() of ${describe(v)} is not known statically`, line, u);
    }
  }

  function comprehension(items: SyntaxNode[], dict: boolean, env: Env, depth: number, line: number): V {
    const u = env.unit;
    const firstFor = items.findIndex((x) => x.name === 'for');
    if (firstFor < 1) return unknown('a comprehension Marque does not read', line, u);
    const elem = items.slice(0, firstFor);
    type Clause = { kind: 'for'; targets: SyntaxNode[]; iter: SyntaxNode } | { kind: 'if'; cond: SyntaxNode };
    const clauses: Clause[] = [];
    for (let i = firstFor; i < items.length;) {
      const x = items[i]!;
      if (x.name === 'for') {
        const inAt = items.findIndex((y, j) => j > i && y.name === 'in');
        if (inAt < 0 || !items[inAt + 1]) return unknown('a comprehension Marque does not read', line, u);
        clauses.push({ kind: 'for', targets: items.slice(i + 1, inAt), iter: items[inAt + 1]! });
        i = inAt + 2;
      } else if (x.name === 'if' && items[i + 1]) { clauses.push({ kind: 'if', cond: items[i + 1]! }); i += 2; } else i++;
    }
    const scope = new Env(u, env);
    const out: V[] = [];
    const d: V = { t: 'dict', keys: [], vals: [] };
    let failed: V | undefined;
    const run = (ci: number): void => {
      if (failed) return;
      if (ci === clauses.length) {
        if (!spend(1)) { failed = unknown(budget.exhausted!, line, u); return; }
        if (dict) { if (elem[1]) dictSet(d, ev(elem[0]!, scope, depth), ev(elem[1], scope, depth)); } else out.push(ev(elem[0]!, scope, depth));
        if (out.length > EVAL_LIMITS.list || d.keys.length > EVAL_LIMITS.list) failed = tooBig(`a comprehension of more than ${fmt(EVAL_LIMITS.list)} items`, line, u);
        return;
      }
      const c = clauses[ci]!;
      if (c.kind === 'if') {
        const t = truthy(ev(c.cond, scope, depth));
        if (t === undefined) note(u, line, `"if ${short(u, c.cond)}" in a comprehension is decided at launch time; its items are counted in, to be safe`);
        if (t !== false) run(ci + 1);
        return;
      }
      const seq = iterate(ev(c.iter, scope, depth), line, u);
      if (!seq) { failed = unknown(`a comprehension over ${short(u, c.iter)}, which is not known statically`, line, u); return; }
      for (const item of [...seq]) {
        if (++budget.steps > EVAL_LIMITS.steps) { budget.exhausted ??= `more than ${fmt(EVAL_LIMITS.steps)} statements evaluated`; failed = unknown(budget.exhausted, line, u); return; }
        assignTargets(c.targets, item, scope, line);
        run(ci + 1);
        if (failed) return;
      }
    };
    run(0);
    if (failed) return failed;
    return dict ? d : { t: 'list', items: out };
  }

  function member(n: SyntaxNode, env: Env, depth: number): V {
    const u = env.unit;
    const line = lineAt(u, n.from);
    const k = kids(n);
    const o = ev(k[0]!, env, depth);
    const prop = k.find((x) => x.name === 'PropertyName');
    if (prop) return attribute(o, src(u, prop), line, u);
    const inner = k.slice(1).filter((x) => x.name !== '[' && x.name !== ']');
    if (inner.some((x) => x.name === ':')) {
      // A slice a[i:j]: plain integers only.
      const colon = inner.findIndex((x) => x.name === ':');
      const at = (x: SyntaxNode | undefined) => (x && x.name !== ':' ? ev(x, env, depth) : undefined);
      const from = at(inner[colon - 1]), to = at(inner[colon + 1]);
      const seq = o.t === 'list' ? o.items : o.t === 'str' ? o.s : undefined;
      if (seq === undefined || (from && from.t !== 'num') || (to && to.t !== 'num') || inner.length > 3) return unknown(`slice ${short(u, n)} is not known statically`, line, u);
      const a = from?.t === 'num' ? from.n : undefined, b = to?.t === 'num' ? to.n : undefined;
      return typeof seq === 'string' ? { t: 'str', s: seq.slice(a, b) } : isPyList(o) ? pyList(mkList(seq.slice(a, b), line, u)) : mkList(seq.slice(a, b), line, u);
    }
    if (inner.length !== 1) return unknown(`subscript ${short(u, n)} is not known statically`, line, u);
    return subscript(o, ev(inner[0]!, env, depth), line, u, short(u, n));
  }

  /** An attribute of a class, its own or its bases' (depth first, as single inheritance reads it). */
  function classAttr(c: Extract<V, { t: 'class' }>, name: string, depth = 0): { v: V; foreign?: string } | undefined {
    const own = c.attrs.get(name);
    if (own) return { v: own };
    if (depth > 16) return undefined;
    for (const b of c.bases) { const found = classAttr(b, name, depth + 1); if (found) return found; }
    return c.foreignBase ? { v: unknown(`attribute .${name} of ${c.name}, a class based on ${c.foreignBase} (from another package), is not known statically`, c.line, c.unit), foreign: c.foreignBase } : undefined;
  }

  function attribute(o: V, name: string, line: number, u: Unit): V {
    if (o.t === 'module') return o.env.get(name) ?? { t: 'name', path: `${o.name}.${name}` };
    if (o.t === 'inst' || o.t === 'class') {
      const own = o.t === 'inst' ? o.attrs.get(name) : undefined;
      if (own) return own;
      const c = o.t === 'inst' ? o.cls : o;
      const found = classAttr(c, name);
      if (!found) return unknown(`${describe(o)} has no attribute .${name} Marque knows of`, line, u);
      const f = found.v;
      if (f.t !== 'fn' || f.self || f.kind === 'static') return f;
      if (f.kind === 'class') return { ...f, self: c };
      if (o.t === 'class') return f; // a plain function read from the class: called with the instance given
      if (f.kind === 'property') return callLocal({ ...f, self: o }, [], new Map(), 0, line);
      return { ...f, self: o };
    }
    // math's constants (moveit's camera poses: f"{math.pi/2}").
    if (o.t === 'name' && o.path === 'math' && (name === 'pi' || name === 'e' || name === 'tau' || name === 'inf')) return num({ pi: Math.PI, e: Math.E, tau: 2 * Math.PI, inf: Infinity }[name], true);
    // The launch context's environment is the process environment: context.environment.get("X") reads X at launch.
    if (o.t === 'ctx' && name === 'environment') return { t: 'name', path: 'os.environ' };
    if (o.t === 'name') return { t: 'name', path: `${o.path}.${name}` };
    if (o.t === 'ctx' && name === 'launch_configurations') {
      if (!o.config) return unknown('the launch arguments are known only at launch time', line, u);
      const d: V = { t: 'dict', keys: [], vals: [] };
      for (const [k, v] of o.config) { d.keys.push({ t: 'str', s: k }); d.vals.push({ t: 'str', s: v }); }
      return d;
    }
    // pathlib: Path(__file__).parent
    if (o.t === 'str' && name === 'parent') return { t: 'str', s: dirname(o.s) };
    if (o.t === 'unknown' && !unknownSubject(o)) return unknown(o.why, line, u);
    return unknown(`attribute .${name} of ${describe(o)} is not known statically`, line, u);
  }

  function subscript(o: V, key: V, line: number, u: Unit, text: string): V {
    if ((o.t === 'list' || o.t === 'str') && key.t === 'num') {
      const len = o.t === 'list' ? o.items.length : o.s.length;
      const i = key.n < 0 ? len + key.n : key.n;
      if (i < 0 || i >= len || !Number.isInteger(i)) return unknown(`index ${key.n} of ${text} is out of range`, line, u);
      return o.t === 'list' ? o.items[i]! : { t: 'str', s: o.s[i]! };
    }
    if (o.t === 'dict') {
      const i = lookup(o, key);
      if (i === undefined) return unknown(`the key of ${text} is not known statically`, line, u);
      if (i < 0) return unknown(`${key.t === 'str' ? `"${key.s}"` : 'the key'} is not in the dict (${text})`, line, u);
      return o.vals[i]!;
    }
    // os.environ['NAME']
    if (o.t === 'name' && /(^|\.)environ$/.test(o.path) && key.t === 'str') return envVar(key.s, undefined, true);
    return unknown(`subscript ${text} is not known statically`, line, u);
  }

  function binary(n: SyntaxNode, env: Env, depth: number): V {
    const u = env.unit;
    const line = lineAt(u, n.from);
    const k = kids(n);
    const l = k[0], r = k[k.length - 1];
    if (!l || !r || k.length < 3) return unknown('expression', line, u);
    const o = k.slice(1, -1).map((x) => src(u, x)).join(' ');
    const a = ev(l, env, depth);
    if (o === 'and' || o === 'or') {
      const ta = truthy(a);
      if (ta === undefined) return unknown(reasonOf(a) ?? `"${short(u, n)}" depends on values known only at launch`, line, u);
      return o === 'and' ? (ta ? ev(r, env, depth) : a) : (ta ? a : ev(r, env, depth));
    }
    const b = ev(r, env, depth);
    const launchTime = () => unknown(reasonOf(a) ?? reasonOf(b) ?? `"${short(u, n)}" is decided at launch time`, line, u);
    switch (o) {
      case '+':
        if (a.t === 'num' && b.t === 'num') return num(a.n + b.n, a.f || b.f);
        if (a.t === 'list' && b.t === 'list') { const l = mkList([...a.items, ...b.items], line, u); return isPyList(a) && isPyList(b) ? pyList(l) : l; }
        // A list joined with what is not known (another package's helper): the known part is kept, the rest is a named gap.
        if (a.t === 'list' && (b.t === 'unknown' || b.t === 'obj' || b.t === 'name')) return mkList([...a.items, b.t === 'unknown' ? b : unknown(`${describe(b)} added to a list is not known statically`, line, u)], line, u);
        if (b.t === 'list' && (a.t === 'unknown' || a.t === 'obj' || a.t === 'name')) return mkList([a.t === 'unknown' ? a : unknown(`${describe(a)} added to a list is not known statically`, line, u), ...b.items], line, u);
        if (a.t === 'dict' || b.t === 'dict' || a.t === 'list' || b.t === 'list') return unknown(`"${short(u, n)}" is not evaluated statically`, line, u);
        return cat([a, b], line, u);
      case '*': {
        const [seq, times] = a.t === 'num' ? [b, a] : [a, b];
        if (seq.t === 'num' && times.t === 'num') return num(seq.n * times.n, seq.f || times.f);
        if (times.t !== 'num' || !Number.isInteger(times.n)) return launchTime();
        const count = Math.max(0, times.n);
        if (seq.t === 'list') { if (seq.items.length * count > EVAL_LIMITS.list) return tooBig(`a list of ${fmt(seq.items.length * count)} items`, line, u); const l = mkList(Array.from({ length: count }, () => seq.items).flat(), line, u); return isPyList(seq) ? pyList(l) : l; }
        if (seq.t === 'str') { if (seq.s.length * count > EVAL_LIMITS.string) return tooBig(`a string of ${fmt(seq.s.length * count)} characters`, line, u); return mkStr(seq.s.repeat(count), line, u); }
        return launchTime();
      }
      case '-': case '//': case '**':
        if (a.t === 'num' && b.t === 'num') return num(o === '-' ? a.n - b.n : o === '//' ? Math.floor(a.n / b.n) : a.n ** b.n, a.f || b.f || (o === '**' && b.n < 0));
        return launchTime();
      case '%':
        if (a.t === 'num' && b.t === 'num') return num(a.n % b.n, a.f || b.f);
        if (a.t === 'str') {
          const args = b.t === 'list' ? b.items : [b];
          let i = 0;
          const parts: V[] = [];
          let rest = a.s;
          for (let m = /%[sdfr]/.exec(rest); m; m = /%[sdfr]/.exec(rest)) { parts.push({ t: 'str', s: rest.slice(0, m.index) }, formatted(m[0], args[i++] ?? NONE, line, u)); rest = rest.slice(m.index + 2); }
          parts.push({ t: 'str', s: rest });
          return cat(parts, line, u);
        }
        return launchTime();
      case '/':
        if (a.t === 'num' && b.t === 'num') return num(a.n / b.n, true);
        // PathSubstitution(...) / "dir" / "file": a path join.
        if ((a.t === 'txt' || a.t === 'str') && (b.t === 'txt' || b.t === 'str')) return { t: 'txt', txt: [{ join: [toTxt(a), toTxt(b)] }] };
        return launchTime();
      case '==': case '!=': { const e = eq(a, b); return e === undefined ? launchTime() : { t: 'bool', b: o === '==' ? e : !e }; }
      case '<': case '>': case '<=': case '>=': {
        if (!((a.t === 'num' && b.t === 'num') || (a.t === 'str' && b.t === 'str'))) return launchTime();
        const x = a.t === 'num' ? a.n : (a as { s: string }).s, y = b.t === 'num' ? b.n : (b as { s: string }).s;
        return { t: 'bool', b: o === '<' ? x < y : o === '>' ? x > y : o === '<=' ? x <= y : x >= y };
      }
      case 'in': case 'not in': {
        let found: boolean | undefined;
        if (a.t === 'str' && b.t === 'str') found = b.s.includes(a.s);
        else if (b.t === 'dict') { const i = lookup(b, a); found = i === undefined ? undefined : i >= 0; } else if (b.t === 'list') {
          found = false;
          for (const x of b.items) { const e = eq(x, a); if (e === true) { found = true; break; } if (e === undefined) found = undefined; }
        }
        return found === undefined ? launchTime() : { t: 'bool', b: o === 'in' ? found : !found };
      }
      case 'is': case 'is not': {
        const known = (v: V) => v.t === 'none' || v.t === 'bool' || v.t === 'str' || v.t === 'num' || v.t === 'list' || v.t === 'dict' || (v.t === 'obj' && !v.foreign) || v.t === 'inst' || v.t === 'class';
        if (!known(a) || !known(b)) return launchTime();
        const same = a.t === 'none' || b.t === 'none' ? a.t === b.t : a === b || (a.t === 'bool' && b.t === 'bool' && a.b === b.b);
        return { t: 'bool', b: o === 'is' ? same : !same };
      }
      default: return launchTime();
    }
  }

  function args(n: SyntaxNode, env: Env, depth: number): { pos: V[]; kw: Map<string, V> } {
    const u = env.unit;
    const list = kids(n).filter((k) => !PUNCT.has(k.name));
    const pos: V[] = [];
    const kw = new Map<string, V>();
    // f(x for x in xs): one generator argument.
    if (list.some((k) => k.name === 'for')) return { pos: [comprehension(list, false, env, depth, lineAt(u, n.from))], kw };
    for (let i = 0; i < list.length; i++) {
      const k = list[i]!;
      if (k.name === 'VariableName' && list[i + 1]?.name === 'AssignOp' && list[i + 2]) { kw.set(src(u, k), ev(list[i + 2]!, env, depth)); i += 2; continue; }
      if (k.name === '*' || k.name === '**') {
        const spread = list[i + 1] ? ev(list[i + 1]!, env, depth) : NONE;
        const items = k.name === '*' ? iterate(spread, lineAt(u, k.from), u) : undefined;
        if (items) pos.push(...items);
        else if (k.name === '**' && spread.t === 'dict') spread.keys.forEach((key, j) => { if (key.t === 'str') kw.set(key.s, spread.vals[j]!); });
        else note(u, lineAt(u, k.from), `${k.name}${list[i + 1] ? short(u, list[i + 1]!) : ''} is not known statically; its arguments are not read`);
        i++;
        continue;
      }
      pos.push(ev(k, env, depth));
    }
    return { pos, kw };
  }

  /** LaunchConfiguration(…).perform(context): the argument's value when the context knows it, else its own default. */
  const performed = (v: V, ctx: V | undefined): V => {
    if (v.t !== 'txt') return v;
    // What .perform() gives is a string at launch: true or false only then when its text is not known here.
    if (ctx?.t !== 'ctx' || !ctx.config) return { ...v, str: true };
    const config = ctx.config;
    const known = (t: Txt, depth: number): string | undefined => {
      if (depth > 8) return undefined;
      let s = '';
      for (const p of t) {
        if ('lit' in p) s += p.lit;
        else if ('conf' in p) {
          const x = config.get(p.conf) ?? (p.dflt ? known(p.dflt, depth + 1) : undefined);
          if (x === undefined) return undefined;
          const b = p.asBool ? x.trim().toLowerCase() : undefined;
          s += b === 'true' || b === '1' ? 'True' : b === 'false' || b === '0' ? 'False' : x;
        } else return undefined;
      }
      return s;
    };
    const s = known(v.txt, 0);
    return s === undefined ? { ...v, str: true } : { t: 'str', s };
  };

  /** Launch objects handed to something Marque cannot follow: named, never dropped. */
  const handedOff = (values: V[], to: string, line: number, u: Unit) => {
    const launched = values.flatMap((v) => (v.t === 'list' ? v.items : [v])).filter((v) => v.t === 'obj' && SITE_CLASSES.has(v.cls));
    for (const v of launched) note(u, line, `${describe(v)} is handed to ${to}, which is not evaluated statically; what it launches is not analysed`);
  };

  function method(obj: V, name: string, pos: V[], kw: Map<string, V>, line: number, u: Unit, text: string): V {
    const a0 = pos[0];
    if (obj.t === 'obj' && obj.cls === 'LaunchDescription') {
      if (name === 'add_action' || name === 'add_entity') { (obj.actions ??= []).push(...pos.slice(0, 1)); return NONE; }
      if (name === 'add_actions') { for (const p of pos) (obj.actions ??= []).push(...(p.t === 'list' ? p.items : [p])); return NONE; }
    }
    if (name === 'perform') return performed(obj, a0);
    // IfCondition(x).evaluate(context): x performed, then read as launch reads a condition ("true"/"1", "false"/"0").
    if (name === 'evaluate' && obj.t === 'obj' && (obj.cls === 'IfCondition' || obj.cls === 'UnlessCondition')) {
      const p = obj.kw.get('predicate_expression') ?? obj.pos[0] ?? NONE;
      const v = performed(p.t === 'list' ? cat(p.items, line, u) : p.t === 'str' ? p : { t: 'txt', txt: toTxt(p) }, a0);
      const b = v.t === 'str' ? ({ true: true, '1': true, false: false, '0': false } as Record<string, boolean>)[v.s.trim().toLowerCase()] : undefined;
      if (b === undefined) return unknown(v.t === 'str' ? `${text}: "${v.s}" is neither true nor false (launch stops there)` : reasonOf(v) ?? `${text} is decided at launch time`, line, u);
      return { t: 'bool', b: obj.cls === 'IfCondition' ? b : !b };
    }
    if (obj.t === 'ctx' && name === 'perform_substitution') return a0 ? performed(a0.t === 'list' ? cat(a0.items, line, u) : a0, obj) : NONE;
    if (obj.t === 'list') {
      switch (name) {
        case 'append': if (room(obj.items, 1, line, u)) obj.items.push(a0 ?? NONE); return NONE;
        case 'extend': { const it = a0 ? iterate(a0, line, u) : []; if (!it) { obj.items.push(unknown(`extend with ${describe(a0!)}, which is not known statically`, line, u)); return NONE; } if (room(obj.items, it.length, line, u)) obj.items.push(...it); return NONE; }
        case 'insert': if (room(obj.items, 1, line, u)) obj.items.splice(a0?.t === 'num' ? a0.n : obj.items.length, 0, pos[1] ?? NONE); return NONE;
        case 'remove': { const i = obj.items.findIndex((x) => eq(x, a0 ?? NONE) === true); if (i >= 0) obj.items.splice(i, 1); else if (a0 && a0.t !== 'str' && a0.t !== 'num') note(u, line, `${text}: what is removed is not known statically; nothing is removed`); return NONE; }
        case 'pop': { if (!obj.items.length) return unknown('pop from an empty list', line, u); const i = a0?.t === 'num' ? (a0.n < 0 ? obj.items.length + a0.n : a0.n) : obj.items.length - 1; return obj.items.splice(i, 1)[0] ?? NONE; }
        case 'copy': return copyOf(obj, false, line, u);
        case 'index': { const i = obj.items.findIndex((x) => eq(x, a0 ?? NONE) === true); return i >= 0 ? { t: 'num', n: i } : unknown(`${text} is not known statically`, line, u); }
        case 'count': return { t: 'num', n: obj.items.filter((x) => eq(x, a0 ?? NONE) === true).length };
        default: break;
      }
    }
    if (obj.t === 'dict') {
      switch (name) {
        case 'items': return mkList(obj.keys.map((k, i) => ({ t: 'list', items: [k, obj.vals[i]!] })), line, u);
        case 'keys': return mkList([...obj.keys], line, u);
        case 'values': return mkList([...obj.vals], line, u);
        case 'get': { const i = lookup(obj, a0 ?? NONE); return i === undefined ? unknown(`${text}: the key is not known statically`, line, u) : i >= 0 ? obj.vals[i]! : (pos[1] ?? NONE); }
        case 'setdefault': { const i = lookup(obj, a0 ?? NONE); if (i === undefined) return unknown(`${text}: the key is not known statically`, line, u); if (i >= 0) return obj.vals[i]!; dictSet(obj, a0 ?? NONE, pos[1] ?? NONE); return pos[1] ?? NONE; }
        case 'pop': { const i = lookup(obj, a0 ?? NONE); if (i === undefined || i < 0) return i === undefined ? unknown(`${text}: the key is not known statically`, line, u) : (pos[1] ?? unknown(`${text}: no such key`, line, u)); const v = obj.vals[i]!; obj.keys.splice(i, 1); obj.vals.splice(i, 1); return v; }
        case 'update': {
          if (a0?.t === 'dict') { if (!spend(a0.keys.length)) return NONE; a0.keys.forEach((k, i) => dictSet(obj, k, a0.vals[i]!)); } else if (a0) note(u, line, `${text}: the entries added are not known statically`);
          for (const [k, v] of kw) dictSet(obj, { t: 'str', s: k }, v);
          return NONE;
        }
        case 'copy': return copyOf(obj, false, line, u);
        default: break;
      }
    }
    if (obj.t === 'str') {
      const s = obj.s;
      const sArg = (i: number) => (pos[i]?.t === 'str' ? (pos[i] as { s: string }).s : undefined);
      switch (name) {
        case 'absolute': case 'resolve': case 'as_posix': return obj; // pathlib, on a path already known
        case 'lower': return mkStr(s.toLowerCase(), line, u);
        case 'upper': return mkStr(s.toUpperCase(), line, u);
        case 'strip': case 'lstrip': case 'rstrip': {
          const chars = sArg(0);
          const set = chars === undefined ? undefined : new Set(chars);
          const drop = (c: string) => (set ? set.has(c) : /\s/.test(c));
          let a = 0, b = s.length;
          if (name !== 'rstrip') while (a < b && drop(s[a]!)) a++;
          if (name !== 'lstrip') while (b > a && drop(s[b - 1]!)) b--;
          return { t: 'str', s: s.slice(a, b) };
        }
        case 'startswith': case 'endswith': {
          const opts = a0?.t === 'list' ? a0.items : a0 ? [a0] : [];
          if (!opts.length || opts.some((x) => x.t !== 'str')) return unknown(`${text} is not known statically`, line, u);
          return { t: 'bool', b: opts.some((x) => (name === 'startswith' ? s.startsWith((x as { s: string }).s) : s.endsWith((x as { s: string }).s))) };
        }
        case 'replace': { const f = sArg(0), t = sArg(1); return f === undefined || t === undefined ? unknown(`${text} is not known statically`, line, u) : mkStr(s.split(f).join(t), line, u); }
        case 'split': { const sep = sArg(0); const parts = sep === undefined ? s.split(/\s+/).filter(Boolean) : s.split(sep); return pyList(mkList(parts.map((p) => ({ t: 'str', s: p })), line, u)); }
        case 'find': case 'index': { const x = sArg(0); return x === undefined ? unknown(`${text} is not known statically`, line, u) : { t: 'num', n: s.indexOf(x) }; }
        case 'join': { const it = a0 ? iterate(a0, line, u) : undefined; if (!it) return unknown(`${text} is not known statically`, line, u); const parts: V[] = []; it.forEach((x, i) => { if (i) parts.push(obj); parts.push(x); }); return cat(parts, line, u); }
        case 'format': {
          let i = 0;
          const parts: V[] = [];
          let rest = s;
          for (let m = /\{([^{}]*)\}/.exec(rest); m; m = /\{([^{}]*)\}/.exec(rest)) {
            const key = m[1]!.split(/[:!]/)[0]!;
            const v = key === '' ? pos[i++] : /^\d+$/.test(key) ? pos[Number(key)] : kw.get(key);
            parts.push({ t: 'str', s: rest.slice(0, m.index) }, v ? str(v, line, u) : unknown(`${text}: {${key}} is not given`, line, u));
            rest = rest.slice(m.index + m[0].length);
          }
          parts.push({ t: 'str', s: rest });
          return cat(parts, line, u);
        }
        default: break;
      }
    }
    // launch_ros's FindPackageShare(…).find(name) is get_package_share_directory(name) (the Nav2 tutorials' sam_bot
    // display.launch.py); FindPackagePrefix(…).find(name) the package's prefix.
    if (name === 'find' && obj.t === 'txt' && obj.txt.length === 1 && a0 && kw.size === 0) {
      const part = obj.txt[0]!;
      if (typeof part === 'object' && 'share' in part) return { t: 'txt', txt: [{ share: toTxt(a0) }] };
      if (typeof part === 'object' && 'prefix' in part) return { t: 'txt', txt: [{ prefix: toTxt(a0) }] };
    }
    handedOff([...pos, ...kw.values()], `.${name}()`, line, u);
    if (obj.t === 'unknown' && !unknownSubject(obj)) return unknown(obj.why, line, u);
    return unknown(`.${name}() of ${describe(obj)} is not evaluated statically`, line, u);
  }

  function call(n: SyntaxNode, env: Env, depth: number): V {
    const u = env.unit;
    const line = lineAt(u, n.from);
    const [calleeNode, argList] = kids(n);
    if (!calleeNode || !argList) return unknown('call', line, u);
    if (++budget.calls > EVAL_LIMITS.calls) { budget.exhausted ??= `more than ${fmt(EVAL_LIMITS.calls)} calls evaluated`; return unknown(budget.exhausted, line, u); }
    // Method calls on values: ld.add_action(x), nodes.append(x), {...}.items(), x.perform(context).
    if (calleeNode.name === 'MemberExpression') {
      const [objNode, , propNode] = kids(calleeNode);
      if (objNode && propNode?.name === 'PropertyName') {
        const obj = ev(objNode, env, depth);
        if (obj.t === 'inst' || obj.t === 'class') {
          const m = attribute(obj, src(u, propNode), line, u);
          const { pos, kw } = args(argList, env, depth);
          if (m.t === 'fn') return callLocal(m, pos, kw, depth, line);
          if (m.t === 'class') return instantiate(m, pos, kw, depth, line);
          handedOff([...pos, ...kw.values()], short(u, calleeNode), line, u);
          return m.t === 'unknown' ? unknown(m.why, line, u) : unknown(`call of ${short(u, calleeNode)} is not evaluated statically`, line, u);
        }
        if (obj.t !== 'name' && obj.t !== 'module') {
          const { pos, kw } = args(argList, env, depth);
          return method(obj, src(u, propNode), pos, kw, line, u, short(u, n));
        }
      }
    }
    const callee = ev(calleeNode, env, depth);
    const { pos, kw } = args(argList, env, depth);
    if (callee.t === 'fn') return callLocal(callee, pos, kw, depth, line);
    if (callee.t === 'class') return instantiate(callee, pos, kw, depth, line);
    if (callee.t !== 'name') { handedOff([...pos, ...kw.values()], short(u, calleeNode), line, u); return unknown(`call of ${short(u, calleeNode)} is not evaluated statically`, line, u); }
    const name = callee.path.split('.').pop()!;
    const arg = (i: number, k: string) => kw.get(k) ?? pos[i];
    const path = callee.path;
    // Files made or removed (nav2's temporary world file, removed at shutdown): returns None, launches nothing.
    if (/^(os\.(remove|unlink|makedirs|mkdir|rmdir)|shutil\.rmtree)$/.test(path)) return NONE;
    if (path === 'sys.path.append' || path === 'sys.path.insert') { const dir = path.endsWith('append') ? pos[0] : pos[1]; if (dir) searchPath.push(toTxt(dir)); return NONE; }
    const builtin = !path.includes('.') ? name : undefined;
    switch (builtin) {
      case 'len': { const v = pos[0]; return v?.t === 'list' ? { t: 'num', n: v.items.length } : v?.t === 'dict' ? { t: 'num', n: v.keys.length } : v?.t === 'str' ? { t: 'num', n: v.s.length } : unknown(`${short(u, n)} is not known statically`, line, u); }
      case 'str': return pos[0] ? str(pos[0], line, u) : { t: 'str', s: '' };
      case 'int': case 'float': { const v = pos[0]; const x = v?.t === 'num' ? v.n : v?.t === 'str' && v.s.trim() !== '' && Number.isFinite(Number(v.s)) ? Number(v.s) : v?.t === 'bool' ? Number(v.b) : undefined; return x === undefined ? unknown(`${short(u, n)} is not known statically`, line, u) : name === 'int' ? num(Math.trunc(x)) : num(x, true); }
      case 'bool': { const t = pos[0] ? truthy(pos[0]) : false; return t === undefined ? unknown(`${short(u, n)} is decided at launch time`, line, u) : { t: 'bool', b: t }; }
      case 'list': case 'tuple': case 'set': case 'frozenset': case 'sorted': case 'reversed': {
        if (!pos[0]) return mkList([], line, u);
        const it = iterate(pos[0], line, u);
        if (!it) return unknown(`${short(u, n)} is not known statically`, line, u);
        let items = [...it];
        if (name === 'reversed') items.reverse();
        if (name === 'sorted') { if (!items.every((x) => x.t === 'str') && !items.every((x) => x.t === 'num')) return unknown(`${short(u, n)} is not known statically`, line, u); items = items.sort((a, b) => (a.t === 'num' && b.t === 'num' ? a.n - b.n : (a as { s: string }).s < (b as { s: string }).s ? -1 : 1)); }
        if (name === 'set' || name === 'frozenset') items = items.filter((x, i) => items.findIndex((y) => eq(x, y) === true) === i);
        return name === 'list' || name === 'sorted' ? pyList(mkList(items, line, u)) : mkList(items, line, u);
      }
      case 'dict': {
        const d: V = { t: 'dict', keys: [], vals: [] };
        const src0 = pos[0];
        if (src0?.t === 'dict') src0.keys.forEach((k, i) => dictSet(d, k, src0.vals[i]!));
        else if (src0) {
          const it = iterate(src0, line, u);
          if (!it) return unknown(`${short(u, n)} is not known statically`, line, u);
          for (const p of it) { if (p.t !== 'list' || p.items.length !== 2) return unknown(`${short(u, n)}: an item that is not a pair`, line, u); dictSet(d, p.items[0]!, p.items[1]!); }
        }
        for (const [k, v] of kw) dictSet(d, { t: 'str', s: k }, v);
        return spend(d.keys.length) ? d : unknown(budget.exhausted!, line, u);
      }
      case 'range': {
        const nums = pos.map((p) => (p.t === 'num' ? p.n : NaN));
        if (!nums.length || nums.some((x) => !Number.isInteger(x))) return unknown(`${short(u, n)} is not known statically`, line, u);
        const [start, stop, step] = nums.length === 1 ? [0, nums[0]!, 1] : [nums[0]!, nums[1]!, nums[2] ?? 1];
        if (step === 0) return unknown('range() with a step of 0', line, u);
        const count = Math.max(0, Math.ceil((stop - start) / step));
        if (count > EVAL_LIMITS.list) return tooBig(`a range of ${fmt(count)} numbers`, line, u);
        return mkList(Array.from({ length: count }, (_, i) => ({ t: 'num', n: start + i * step })), line, u);
      }
      case 'enumerate': { const it = pos[0] ? iterate(pos[0], line, u) : undefined; const s0 = pos[1]?.t === 'num' ? pos[1].n : 0; return it ? mkList(it.map((x, i) => ({ t: 'list', items: [{ t: 'num', n: s0 + i }, x] })), line, u) : unknown(`${short(u, n)} is not known statically`, line, u); }
      case 'zip': { const its = pos.map((p) => iterate(p, line, u)); if (its.some((x) => !x)) return unknown(`${short(u, n)} is not known statically`, line, u); const len = Math.min(...its.map((x) => x!.length)); return mkList(Array.from({ length: len }, (_, i) => ({ t: 'list', items: its.map((x) => x![i]!) })), line, u); }
      case 'any': case 'all': { const it = pos[0] ? iterate(pos[0], line, u) : undefined; if (!it) return unknown(`${short(u, n)} is not known statically`, line, u); const ts = it.map(truthy); if (ts.some((x) => x === undefined)) return unknown(`${short(u, n)} is decided at launch time`, line, u); return { t: 'bool', b: name === 'any' ? ts.some(Boolean) : ts.every(Boolean) }; }
      case 'print': return NONE;
      default: break;
    }
    switch (path === 'os.path.join' ? 'os.path.join' : path === 'os.path.dirname' ? 'dirname' : path === 'os.path.basename' ? 'os.path.basename' : /(^|\.)deepcopy$/.test(path) ? 'deepcopy' : path === 'copy.copy' ? 'copy' : name) {
      case 'LaunchConfiguration': case 'LaunchConfigAsBool': {
        const nm = arg(0, 'variable_name');
        if (nm?.t !== 'str') return unknown('LaunchConfiguration whose name is not known statically', line, u);
        const d = arg(1, 'default');
        return { t: 'txt', txt: [{ conf: nm.s, ...(d ? { dflt: toTxt(d) } : {}), ...(name === 'LaunchConfigAsBool' ? { asBool: true } : {}) }] };
      }
      case 'FindPackageShare': case 'get_package_share_directory': case 'get_package_share_path': return { t: 'txt', txt: [{ share: toTxt(arg(0, 'package') ?? NONE) }] };
      case 'FindPackagePrefix': case 'get_package_prefix': return { t: 'txt', txt: [{ prefix: toTxt(arg(0, 'package') ?? NONE) }] };
      case 'os.path.join': return { t: 'txt', txt: [{ join: pos.map(toTxt) }] };
      case 'PathJoinSubstitution': { const l = arg(0, 'substitutions'); return { t: 'txt', txt: [{ join: l?.t === 'list' ? l.items.map(toTxt) : [toTxt(l ?? NONE)] }] }; }
      case 'dirname': {
        // os.path.dirname(__file__): the launch file's own folder ($(dirname)); a module's, as a path.
        const p = pos[0];
        if (p?.t === 'str' && u === main && p.s === (u.path ?? u.name)) return { t: 'txt', txt: [{ thisdir: true }] };
        return p?.t === 'str' ? { t: 'str', s: dirname(p.s) } : unknown('os.path.dirname of a value not known statically', line, u);
      }
      // os.path.basename(__file__): the launch file's name, the same installed as in the source tree (sick_scan_xd's
      // launch files name the configuration they pass to the driver after themselves).
      case 'os.path.basename': return pos[0]?.t === 'str' ? { t: 'str', s: basename(pos[0].s) } : unknown('os.path.basename of a value not known statically', line, u);
      case 'Path': case 'PurePath': return pos[0]?.t === 'str' || pos[0]?.t === 'txt' ? pos[0] : unknown(`${short(u, n)} is not known statically`, line, u);
      case 'PathSubstitution': return { t: 'txt', txt: [{ join: [toTxt(arg(0, 'path') ?? NONE)] }] };
      case 'ExecutableInPackage': return { t: 'txt', txt: [{ execIn: { pkg: toTxt(arg(0, 'package') ?? NONE), exec: toTxt(arg(1, 'executable') ?? NONE) } }] };
      case 'ThisLaunchFileDir': return { t: 'txt', txt: [{ thisdir: true }] };
      case 'PythonExpression': return { t: 'txt', txt: [{ pyexpr: toTxt(arg(0, 'expression') ?? NONE) }] };
      case 'NotSubstitution': return { t: 'txt', txt: [{ bool: 'not', args: [toTxt(arg(0, 'value') ?? NONE)] }] };
      case 'AndSubstitution': return { t: 'txt', txt: [{ bool: 'and', args: [toTxt(arg(0, 'left') ?? NONE), toTxt(arg(1, 'right') ?? NONE)] }] };
      case 'OrSubstitution': return { t: 'txt', txt: [{ bool: 'or', args: [toTxt(arg(0, 'left') ?? NONE), toTxt(arg(1, 'right') ?? NONE)] }] };
      case 'EqualsSubstitution': return { t: 'txt', txt: [{ bool: 'equals', args: [toTxt(arg(0, 'left') ?? NONE), toTxt(arg(1, 'right') ?? NONE)] }] };
      case 'NotEqualsSubstitution': return { t: 'txt', txt: [{ bool: 'notequals', args: [toTxt(arg(0, 'left') ?? NONE), toTxt(arg(1, 'right') ?? NONE)] }] };
      case 'TextSubstitution': return arg(0, 'text') ?? { t: 'str', s: '' };
      case 'EnvironmentVariable': case 'getenv': case 'get': {
        if (name === 'get' && !/environ\.get$/.test(path)) break;
        const nm = arg(0, 'name');
        const d = arg(1, name === 'EnvironmentVariable' ? 'default_value' : 'default');
        return nm?.t === 'str' ? envVar(nm.s, d, name !== 'EnvironmentVariable') : unknown('environment variable whose name is not known statically', line, u);
      }
      case 'deepcopy': case 'copy': return pos[0] ? copyOf(pos[0], name === 'deepcopy' || path.endsWith('deepcopy'), line, u) : NONE;
      default: break;
    }
    const o: V = { t: 'obj', cls: name, pos, kw, line, unit: u, ...(LAUNCH_CLASSES.has(name) ? {} : { foreign: true }) };
    if (name === 'LaunchDescription') { const l = arg(0, 'initial_entities'); o.actions = l === undefined || l.t === 'none' ? [] : l.t === 'list' ? [...l.items] : [l]; }
    return o;
  }

  /** A class called: an instance, its __init__ (its own or a base's of the file) run on it. */
  function instantiate(c: Extract<V, { t: 'class' }>, pos: V[], kw: Map<string, V>, depth: number, line: number): V {
    const inst: V = { t: 'inst', cls: c, attrs: new Map() };
    const init = classAttr(c, '__init__');
    if (init?.v.t === 'fn') callLocal({ ...init.v, self: inst }, pos, kw, depth, line);
    return inst;
  }

  /** Runs a function defined in the launch file or a local module, with its arguments bound as Python binds them. */
  function callLocal(fn: Extract<V, { t: 'fn' }>, pos: V[], kw: Map<string, V>, depth: number, line: number): V {
    const u = fn.closure.unit;
    if (depth > 32) return unknown('functions nested too deeply', line, u);
    if (fn.self) pos = [fn.self, ...pos];
    const local = new Env(u, fn.closure);
    const parts = kids(fn.node);
    const plist = parts.find((k) => k.name === 'ParamList');
    const params = plist ? kids(plist) : [];
    const named = new Set<string>();
    let i = 0;
    let star: string | undefined, starStar: string | undefined, keywordOnly = false;
    for (let p = 0; p < params.length; p++) {
      const k = params[p]!;
      if (k.name === '*' || k.name === '**') {
        const next = params[p + 1];
        if (next?.name === 'VariableName' && !u.text.slice(k.to, next.from).includes(',')) { if (k.name === '*') star = src(u, next); else starStar = src(u, next); p++; }
        if (k.name === '*') keywordOnly = true;
        continue;
      }
      if (k.name !== 'VariableName') continue;
      const name = src(u, k);
      let q = p + 1;
      if (params[q]?.name === 'TypeDef') q++;
      let dflt: SyntaxNode | undefined;
      if (params[q]?.name === 'AssignOp') { dflt = params[q + 1]; q += 2; }
      p = q - 1;
      named.add(name);
      const given = kw.get(name) ?? (keywordOnly ? undefined : pos[i]);
      if (!keywordOnly) i++;
      local.set(name, given ?? (dflt ? ev(dflt, fn.closure, depth) : unknown(`parameter ${name} not given`, line, u)));
    }
    if (star) local.set(star, { t: 'list', items: pos.slice(i) });
    if (starStar) { const rest = [...kw].filter(([key]) => !named.has(key)); local.set(starStar, { t: 'dict', keys: rest.map(([key]) => ({ t: 'str', s: key })), vals: rest.map(([, v]) => v) }); }
    if (fn.lambda) { const body = parts[parts.length - 1]; return body ? ev(body, local, depth + 1) : NONE; }
    const body = parts.find((k) => k.name === 'Body');
    const frame: Frame = { pending: [] };
    const r = body ? exec(kids(body), local, depth + 1, frame) : undefined;
    const last = r === undefined || r === BREAK || r === CONTINUE ? NONE : r;
    // A function that may return in a branch decided at launch and raises otherwise returns what it may return.
    if (frame.pending.length && RAISED.has(last)) return mergeReturns(frame.pending, line, u);
    return frame.pending.length ? mergeReturns([...frame.pending, last], line, u) : last;
  }

  /** A function that returns in a branch decided at launch time returns either value: actions of both count. */
  function mergeReturns(values: V[], line: number, u: Unit): V {
    const lists = values.filter((v) => v.t !== 'none');
    if (lists.every((v) => v.t === 'list' || (v.t === 'obj' && v.cls === 'LaunchDescription'))) {
      const ld: V = { t: 'obj', cls: 'LaunchDescription', pos: [], kw: new Map(), line, unit: u, actions: [] };
      for (const v of lists) ld.actions!.push(...(v.t === 'list' ? v.items : [v]));
      return ld;
    }
    const first = lists[0];
    if (first && lists.every((v) => eq(v, first) === true)) return first;
    return unknown('the function returns one of several values, chosen at launch time', line, u);
  }

  /**
   * The variables after an if decided only at launch, from the branches' own (`orStart`: no branch may run
   * at all). A value every path agrees on stays, and a path whose value is not known anyway adds nothing
   * (rosbot's robot list); lists of launch actions keep the actions of every path, as either may run;
   * names, numbers and strings that differ are one of several values (turtlebot3's lidar package,
   * depthai's log level); any other value is the last branch's, as launch objects cannot be "one of".
   */
  function mergePaths(start: Map<string, V>, paths: Map<string, V>[], orStart: boolean, line: number, u: Unit): Map<string, V> {
    const out = new Map(start);
    const all = orStart ? [...paths, start] : paths;
    for (const name of new Set(paths.flatMap((p) => [...p.keys()]))) {
      const vals = all.map((p) => p.get(name)).filter((v): v is V => v !== undefined);
      const known = vals.filter((v) => v.t !== 'unknown');
      const first = known[0] ?? vals[0]!;
      if (known.every((v) => v === first || eq(v, first) === true)) out.set(name, first);
      else if (known.every((v) => v.t === 'list' && v.items.every((x) => x.t === 'obj'))) {
        const items: V[] = [];
        for (const v of known) for (const x of (v as Extract<V, { t: 'list' }>).items) if (!items.includes(x)) items.push(x);
        out.set(name, mkList(items, line, u));
      } else if (known.every((v) => v.t === 'str' || v.t === 'num' || v.t === 'bool' || v.t === 'none' || v.t === 'txt')) {
        out.set(name, unknown(`${name} is one of several values, chosen at launch time (the if at line ${line})`, line, u));
      } else {
        const changed = paths.map((p) => p.get(name)).filter((v) => v !== undefined && v !== start.get(name));
        out.set(name, changed.at(-1) ?? first);
      }
    }
    return out;
  }

  // ---- statements ----
  interface Frame { pending: V[] }
  let stopNoted = false;
  /** Whether the budget is spent; said once, where the evaluation stopped. */
  const halted = (u: Unit, line: number): boolean => {
    if (!budget.exhausted) return false;
    if (!stopNoted) { stopNoted = true; note(u, line, `${budget.exhausted}; the rest of the file is not read`); }
    return true;
  };

  /** Runs statements; returns the value of a `return` reached, or break/continue. */
  function exec(stmts: SyntaxNode[], env: Env, depth: number, frame: Frame): Flow {
    const u = env.unit;
    for (const s of stmts) {
      const line = lineAt(u, s.from);
      if (++budget.steps > EVAL_LIMITS.steps) budget.exhausted ??= `more than ${fmt(EVAL_LIMITS.steps)} statements evaluated`;
      if (halted(u, line)) return undefined;
      switch (s.name) {
        case 'ImportStatement': importStatement(s, env); break;
        case 'FunctionDefinition': { const nm = kids(s).find((k) => k.name === 'VariableName'); if (nm) env.set(src(u, nm), { t: 'fn', node: s, closure: env }); break; }
        case 'DecoratedStatement': {
          const inner = kids(s).find((k) => k.name === 'FunctionDefinition' || k.name === 'ClassDefinition');
          if (!inner) break;
          exec([inner], env, depth, frame);
          // In a class body, @staticmethod, @classmethod and @property say how the method binds.
          const nm = kids(inner).find((k) => k.name === 'VariableName');
          const made = nm ? env.get(src(u, nm)) : undefined;
          const deco = kids(s).filter((k) => k.name === 'Decorator').map((d) => src(u, d).replace(/^@|\s+$/g, ''));
          const kind = deco.includes('staticmethod') ? 'static' : deco.includes('classmethod') ? 'class' : deco.some((d) => /^(functools\.)?(cached_)?property$/.test(d)) ? 'property' : undefined;
          if (made?.t === 'fn' && kind) env.set(src(u, nm!), { ...made, kind });
          break;
        }
        case 'ClassDefinition': {
          const k = kids(s);
          const nm = k.find((x) => x.name === 'VariableName');
          const body = k.find((x) => x.name === 'Body');
          if (!nm || !body) break;
          const argList = k.find((x) => x.name === 'ArgList');
          const bases: Extract<V, { t: 'class' }>[] = [];
          let foreignBase: string | undefined;
          if (argList) {
            for (const b of args(argList, env, depth).pos) {
              if (b.t === 'class') bases.push(b);
              else if (!(b.t === 'name' && b.path === 'object')) foreignBase ??= b.t === 'name' ? b.path : describe(b);
            }
          }
          // The body runs in a namespace of its own; its functions see the enclosing scope, not the class's names.
          const scope = new Env(u, env);
          const r = exec(kids(body), scope, depth, { pending: [] });
          if (typeof r === 'object' && RAISED.has(r)) break;
          const attrs = new Map<string, V>();
          for (const [key, v] of scope.entries()) attrs.set(key, v.t === 'fn' && v.closure === scope ? { ...v, closure: env } : v);
          env.set(src(u, nm), { t: 'class', name: src(u, nm), attrs, bases, ...(foreignBase ? { foreignBase } : {}), line, unit: u });
          break;
        }
        case 'AssignStatement': {
          // `a = b = v`, and tuples without brackets on either side: `x, y = pose.values()`, `a, b = 1, 2`.
          const groups: SyntaxNode[][] = [[]];
          for (const x of kids(s)) { if (x.name === 'TypeDef') continue; if (x.name === 'AssignOp') groups.push([]); else groups[groups.length - 1]!.push(x); }
          const tuple = (g: SyntaxNode[]) => g.some((x) => x.name === ',');
          const parts = (g: SyntaxNode[]) => g.filter((x) => x.name !== ',');
          const valueGroup = groups.pop()!;
          if (!valueGroup.length) break;
          const value = tuple(valueGroup) ? mkList(parts(valueGroup).map((x) => ev(x, env, depth)), line, u) : ev(valueGroup[0]!, env, depth);
          for (const g of groups) if (g.length) { if (tuple(g)) assignTargets(parts(g), value, env, line, true); else assign(g[0]!, value, env, line); }
          break;
        }
        case 'UpdateStatement': {
          const [target, op, valueNode] = kids(s);
          if (!target || !op || !valueNode) break;
          const opText = src(u, op);
          const old = target.name === 'VariableName' ? env.get(src(u, target)) ?? unknown(`${src(u, target)} is not known`, line, u) : ev(target, env, depth);
          const v = ev(valueNode, env, depth);
          let next: V;
          if (opText === '+=' && old.t === 'list') {
            const it = iterate(v, line, u);
            if (it) { if (room(old.items, it.length, line, u)) old.items.push(...it); break; } // in place, as Python extends a list
            next = mkList([...old.items, unknown(`+= with ${describe(v)}, which is not known statically`, line, u)], line, u);
          } else if (opText === '+=') next = old.t === 'num' && v.t === 'num' ? num(old.n + v.n, old.f || v.f) : cat([old, v], line, u);
          else if (opText === '|=' && old.t === 'dict' && v.t === 'dict') { v.keys.forEach((key, i) => dictSet(old, key, v.vals[i]!)); break; } else if ((opText === '-=' || opText === '*=') && old.t === 'num' && v.t === 'num') next = num(opText === '-=' ? old.n - v.n : old.n * v.n, old.f || v.f);
          else next = unknown(`${opText} is not evaluated statically`, line, u);
          assign(target, next, env, line);
          break;
        }
        case 'ExpressionStatement': {
          const e = kids(s)[0];
          if (!e) break;
          // A function from another package handed the launch description (or a list of actions) may add
          // actions to it: what it adds is not known here, and that must be said, not dropped.
          if (e.name === 'CallExpression') {
            const [calleeNode, argList] = kids(e);
            const callee = calleeNode && calleeNode.name === 'VariableName' ? env.get(src(u, calleeNode)) ?? { t: 'name' as const, path: src(u, calleeNode) } : undefined;
            if (callee?.t === 'name' && argList) {
              const given = args(argList, env, depth).pos;
              if (given.some((a) => (a.t === 'obj' && a.cls === 'LaunchDescription') || a.t === 'list')) {
                note(u, line, `${callee.path.split('.').pop()}(…) is given the launch description and may add actions to it; what it adds is not analysed`);
                break;
              }
            }
          }
          ev(e, env, depth);
          break;
        }
        case 'ReturnStatement': { const e = kids(s).filter((k) => k.name !== 'return')[0]; return e ? ev(e, env, depth) : NONE; }
        case 'RaiseStatement': { const r = unknown(`raises an exception (line ${line})`, line, u); RAISED.add(r); return r; }
        case 'BreakStatement': return BREAK;
        case 'ContinueStatement': return CONTINUE;
        case 'IfStatement': {
          // if / elif / else: the first branch whose condition is known true; when a condition is not
          // known, every remaining branch is read (both may run, so both count) and a note says so.
          // Once unsure, each remaining branch starts from the variables as they were, and the variables
          // after the if are what every path agrees on (lists: all their items; else one of several values).
          const k = kids(s);
          let unsure = false;
          let start: Map<string, V> | undefined;
          const paths: Map<string, V>[] = [];
          let certain = false; // a branch that runs whenever the undecided ones before it do not
          let read = 0, raised: V | undefined, allRaise = true; // branches read once unsure; whether each raised
          const branch = (body: SyntaxNode): Flow => {
            if (start) env.restore(start);
            const r = exec(kids(body), env, depth, frame);
            const raises = typeof r === 'object' && RAISED.has(r);
            if (start) { read++; if (raises) raised ??= r; else allRaise = false; }
            // A branch that raises goes no further: its variables do not reach what follows the if.
            if (start && !raises) paths.push(env.snapshot());
            return r;
          };
          const isRaise = (r: Flow) => typeof r === 'object' && RAISED.has(r);
          for (let j = 0; j < k.length; j++) {
            const kw = k[j]!.name;
            if (kw === 'if' || kw === 'elif') {
              const cond = ev(k[j + 1]!, env, depth);
              const body = k[j + 2]!;
              const t = truthy(cond);
              j += 2;
              if (t === false) continue;
              if (t === undefined) {
                if (!unsure) start = env.snapshot();
                unsure = true;
                note(u, lineAt(u, k[j - 2]!.from), `"${short(u, k[j - 1]!)}" is decided at launch time (${reasonOf(cond) ?? describe(cond)}); every branch of this if is read`);
              }
              const r = branch(body);
              if (r !== undefined) { if (!unsure) return r; if (r !== BREAK && r !== CONTINUE && !isRaise(r)) frame.pending.push(r); }
              if (t === true) { certain = true; break; }
            } else if (kw === 'else') {
              const r = branch(k[j + 1]!);
              if (r !== undefined) { if (!unsure) return r; if (r !== BREAK && r !== CONTINUE && !isRaise(r)) frame.pending.push(r); }
              certain = true;
              j++;
            }
          }
          // Every branch that may run raises: so does the if.
          if (start && certain && read > 0 && allRaise && raised) return raised;
          if (start) env.restore(mergePaths(start, paths, !certain, lineAt(u, s.from), u));
          break;
        }
        case 'ForStatement': {
          const k = kids(s);
          const iterAt = k.findIndex((x) => x.name === 'in');
          const targets = k.slice(1, iterAt).filter((x) => !PUNCT.has(x.name));
          const seqNode = k[iterAt + 1];
          const body = k.find((x) => x.name === 'Body');
          const seq = seqNode ? iterate(ev(seqNode, env, depth), line, u) : undefined;
          if (!seq || !body || !targets.length) { note(u, line, `a loop over ${seqNode ? short(u, seqNode) : '?'}, which is not known statically; what it launches is not read`); break; }
          let r: Flow;
          for (const item of [...seq]) {
            assignTargets(targets, item, env, line);
            r = exec(kids(body), env, depth, frame);
            if (r === BREAK) break;
            if (r === CONTINUE) continue;
            if (r !== undefined) return r;
            if (halted(u, line)) return undefined;
          }
          break;
        }
        case 'TryStatement': case 'WithStatement': { const body = kids(s).find((k) => k.name === 'Body'); if (body) { const r = exec(kids(body), env, depth, frame); if (r !== undefined) return r; } break; }
        case 'WhileStatement': note(u, line, 'a while loop is not evaluated statically'); break;
        case 'MatchStatement': note(u, line, 'a match statement is not evaluated statically'); break;
        default: break;
      }
    }
    return undefined;
  }

  function importStatement(s: SyntaxNode, env: Env): void {
    const u = env.unit;
    const k = kids(s);
    const fromIdx = k.findIndex((x) => x.name === 'import');
    const moduleName = k[0]?.name === 'from' ? k.slice(1, fromIdx).map((x) => src(u, x)).join('') : '';
    const names = k.slice(fromIdx + 1).filter((x) => x.name === 'VariableName' || x.name === 'as' || x.name === '.' || x.name === '*');
    const local = moduleName && !moduleName.startsWith('.') ? loadLocal(moduleName, u, lineAt(u, s.from)) : undefined;
    if (local && names.some((x) => x.name === '*')) { for (const [key, v] of local.env.entries()) if (!key.startsWith('_')) env.set(key, v); return; }
    for (let j = 0; j < names.length; j++) {
      if (names[j]!.name !== 'VariableName') continue;
      let original = src(u, names[j]!);
      while (names[j + 1]?.name === '.') { original += `.${src(u, names[j + 2]!)}`; j += 2; }
      const aliased = names[j + 1]?.name === 'as';
      const alias = aliased ? src(u, names[j + 2]!) : original.split('.')[0]!;
      if (aliased) j += 2;
      if (local) { env.set(alias, local.env.get(original) ?? loadLocal(`${moduleName}.${original}`, u, lineAt(u, s.from)) ?? { t: 'name', path: `${moduleName}.${original}` }); continue; }
      if (!moduleName) {
        // import x / import x.y as z: a local module when the launch file's folder holds one.
        const mod = loadLocal(original, u, lineAt(u, s.from));
        if (mod) { env.set(alias, aliased || !original.includes('.') ? mod : { t: 'name', path: alias }); continue; }
      }
      env.set(alias, { t: 'name', path: moduleName ? `${moduleName}.${original}` : (aliased ? original : alias) });
    }
  }

  /** A module next to the launch file, evaluated once (as Python imports once); undefined when there is none. */
  function loadLocal(name: string, from: Unit, line: number): Extract<V, { t: 'module' }> | undefined {
    if (!opts.loadModule || !from.path || KNOWN_MODULES.has(name.split('.')[0]!)) return undefined;
    let found: LoadedModule | undefined;
    // A module that is there but refused (a link out of the workspace, a FIFO) is named, never read.
    try { found = opts.loadModule(name, from.path, searchPath); } catch (e) { note(from, line, `import ${name}: ${(e as Error).message}; its names are not known`); return undefined; }
    if (!found) return undefined;
    const cached = modules.get(found.path);
    if (cached) return cached.t === 'module' ? cached : undefined;
    if (moduleDepth >= MAX_MODULE_DEPTH) { note(from, line, `imports nested more than ${MAX_MODULE_DEPTH} deep; ${name} is not read`); return undefined; }
    const unit = makeUnit(found.text, found.name, found.path);
    const mod: Extract<V, { t: 'module' }> = { t: 'module', name, env: new Env(unit) };
    modules.set(found.path, mod);
    files.push(found.path);
    const tree = parser.parse(found.text);
    let bad: number | undefined;
    tree.iterate({ enter: (n) => { if (bad === undefined && n.type.isError) bad = n.from; } });
    if (bad !== undefined) { note(unit, lineAt(unit, bad), `not valid Python; module ${name}, imported at ${from.name}:${line}, is not read`); return mod; }
    mod.env.set('__file__', { t: 'str', s: found.path });
    mod.env.set('__name__', { t: 'str', s: name });
    moduleDepth++;
    try { exec(kids(tree.topNode), mod.env, 0, { pending: [] }); } finally { moduleDepth--; }
    return mod;
  }

  function assignTargets(targets: SyntaxNode[], value: V, env: Env, line: number, tuple = targets.length > 1): void {
    if (!tuple) { assign(targets[0]!, value, env, line); return; }
    const items = value.t === 'list' && value.items.length === targets.length ? value.items : undefined;
    // Why the value is not known, said once with it: spot's `spot_name, tf_prefix = get_name_and_prefix(params)`.
    const why = items ? undefined : reasonOf(value);
    targets.forEach((t, i) => assign(t, items ? items[i]! : unknown(`unpacking of a value not known statically${why ? ` (${why})` : ''}`, line, env.unit), env, line));
  }

  function assign(target: SyntaxNode, value: V, env: Env, line: number): void {
    const u = env.unit;
    if (target.name === 'VariableName') { env.set(src(u, target), value); return; }
    if (target.name === 'TupleExpression' || target.name === 'ArrayExpression' || target.name === 'ParenthesizedExpression') { assignTargets(kids(target).filter((k) => !PUNCT.has(k.name)), value, env, line); return; }
    if (target.name === 'MemberExpression') {
      const k = kids(target);
      const prop = k.find((x) => x.name === 'PropertyName');
      if (prop) {
        // self.x = value on an instance (or a class) of the file; attributes of other objects are not modelled.
        const o = ev(k[0]!, env, 0);
        if (o.t === 'inst' || o.t === 'class') o.attrs.set(src(u, prop), value);
        return;
      }
      const container = ev(k[0]!, env, 0);
      const inner = k.slice(1).filter((x) => x.name !== '[' && x.name !== ']');
      if (inner.length !== 1) return;
      const key = ev(inner[0]!, env, 0);
      if (container.t === 'dict') dictSet(container, key, value);
      else if (container.t === 'list' && key.t === 'num') { const i = key.n < 0 ? container.items.length + key.n : key.n; if (i >= 0 && i < container.items.length) container.items[i] = value; }
    }
  }

  // ---- from values to launch actions ----
  function toTxt(v: V, depth = 0): Txt {
    if (depth > EVAL_LIMITS.depth) return gap('a value nested too deeply');
    if (!spend(1)) return gap(budget.exhausted!);
    switch (v.t) {
      case 'str': return lit(v.s);
      case 'num': return lit(String(v.n));
      case 'bool': return lit(v.b ? 'True' : 'False');
      case 'none': return lit('');
      case 'txt': return v.txt;
      case 'list': { const out: Txt = []; for (const x of v.items) { for (const p of toTxt(x, depth + 1)) out.push(p); if (out.length > EVAL_LIMITS.list) return gap(`a substitution of more than ${fmt(EVAL_LIMITS.list)} parts`); } return out; } // a substitution list: its parts concatenated
      case 'obj':
        if (v.cls === 'ComposableNodeContainer' || v.cls === 'Node') return [{ node: { ns: v.kw.has('namespace') ? toTxt(v.kw.get('namespace')!, depth + 1) : undefined, name: toTxt(v.kw.get('name') ?? NONE, depth + 1) } }];
        return gap(`${v.cls}(…) at line ${v.line} is not text Marque can resolve`);
      case 'unknown': return gap(`line ${v.line}: ${v.why}`);
      case 'name': return gap(`${v.path} is not known statically`);
      default: return gap(`${describe(v)} is not text`);
    }
  }

  const txtList = (v: V | undefined): Txt[] => (v === undefined || v.t === 'none' ? [] : v.t === 'list' ? v.items.map((x) => toTxt(x)) : [toTxt(v)]);

  function conditionOf(v: V | undefined): Condition | undefined {
    if (!v || v.t === 'none') return undefined;
    if (v.t === 'obj' && v.cls === 'IfCondition') return { if: toTxt(v.kw.get('predicate_expression') ?? v.pos[0] ?? NONE) };
    if (v.t === 'obj' && v.cls === 'UnlessCondition') return { unless: toTxt(v.kw.get('predicate_expression') ?? v.pos[0] ?? NONE) };
    if (v.t === 'obj' && (v.cls === 'LaunchConfigurationEquals' || v.cls === 'LaunchConfigurationNotEquals')) {
      const name = v.kw.get('launch_configuration_name') ?? v.pos[0];
      if (name?.t !== 'str') return { gap: `${v.cls} whose name is not known statically (line ${v.line})` };
      return { equals: name.s, value: toTxt(v.kw.get('expected_value') ?? v.pos[1] ?? NONE), negate: v.cls === 'LaunchConfigurationNotEquals' };
    }
    return { gap: `condition ${describe(v)} is not evaluated statically` };
  }

  const opt = (v: V | undefined): Txt | undefined => (v === undefined || v.t === 'none' ? undefined : toTxt(v));
  const fileOf = (unit: Unit) => (unit === main || !unit.path ? {} : { file: unit.path });
  const composables = (v: V | undefined): Composable[] => (v?.t === 'list' ? v.items : v ? [v] : []).flatMap((c): Composable[] => {
    if (c.t !== 'obj' || c.cls !== 'ComposableNode') {
      const where = c.t === 'obj' || c.t === 'unknown' ? c : undefined;
      notes.push(`${where ? `${where.unit.name}:${where.line}` : main.name}: a composable node description that is not read statically (${describe(c)})`);
      return [];
    }
    const cond = conditionOf(c.kw.get('condition'));
    return [{ pkg: toTxt(c.kw.get('package') ?? NONE), plugin: opt(c.kw.get('plugin')), name: opt(c.kw.get('name')), namespace: opt(c.kw.get('namespace')), line: c.line, ...(cond ? { condition: cond } : {}) }];
  });

  /**
   * The launch descriptions being turned into actions, outermost first. launch visits a LaunchDescription's own
   * list of entities, so what an OpaqueFunction inside it adds to it (spot_driver's `launch_setup(context, ld)`,
   * run by `OpaqueFunction(function=launch_setup, args=[ld])`, ends in `ld.add_action(node)`) is launched too.
   */
  const enclosing: V[] = [];

  /** `at`: the line of what holds the value, for values that have none of their own. */
  function toActions(v: V, seen: Set<V>, depth = 0, at = 0): Action[] {
    if (depth > EVAL_LIMITS.depth) return [{ a: 'gap', why: 'launch actions nested too deeply', line: v.t === 'obj' || v.t === 'unknown' ? v.line : at }];
    if (!spend(1)) return [{ a: 'gap', why: budget.exhausted!, line: at }];
    if (v.t === 'list') {
      if (seen.has(v)) return [];
      seen.add(v);
      return v.items.flatMap((x) => toActions(x, seen, depth + 1, at));
    }
    if (v.t === 'none') return [];
    if (v.t === 'unknown') return [{ a: 'gap', why: v.why, line: v.line, ...fileOf(v.unit) }];
    if (v.t !== 'obj') return [{ a: 'gap', why: `${describe(v)} where a launch action is expected is not read`, line: at }];
    if (seen.has(v)) return []; // the same object added twice launches once
    seen.add(v);
    const line = v.line;
    const kwOr = (k: string, i: number) => v.kw.get(k) ?? v.pos[i];
    const condition = conditionOf(v.kw.get('condition'));
    const base = { line, ...fileOf(v.unit), ...(condition ? { condition } : {}) };
    const inner = (x: V) => toActions(x, seen, depth + 1, line);
    switch (v.cls) {
      case 'LaunchDescription': { enclosing.push(v); try { return (v.actions ?? []).flatMap(inner); } finally { enclosing.pop(); } }
      case 'Node': case 'LifecycleNode': case 'ComposableNodeContainer': {
        const g = (a: string, b?: string) => opt(v.kw.get(a) ?? (b ? v.kw.get(b) : undefined));
        return [{
          a: 'node', ...base, kind: v.cls === 'Node' ? 'node' : v.cls === 'LifecycleNode' ? 'lifecycle' : 'container',
          pkg: toTxt(v.kw.get('package') ?? NONE), exec: g('executable', 'node_executable'), name: g('name', 'node_name'), namespace: g('namespace', 'node_namespace'),
          args: [...txtList(v.kw.get('arguments')), ...txtList(v.kw.get('ros_arguments'))],
          composables: composables(v.kw.get('composable_node_descriptions')),
        }];
      }
      case 'LoadComposableNodes': return [{ a: 'load', ...base, target: toTxt(v.kw.get('target_container') ?? NONE), composables: composables(v.kw.get('composable_node_descriptions')) }];
      case 'GroupAction': {
        const acts = kwOr('actions', 0);
        const scoped = v.kw.get('scoped');
        const sets = v.kw.get('launch_configurations');
        return [{ a: 'group', ...base, actions: acts ? inner(acts) : [], scoped: scoped?.t !== 'bool' || scoped.b, sets: sets?.t === 'dict' ? sets.keys.flatMap((k, i): [string, Txt][] => (k.t === 'str' ? [[k.s, toTxt(sets.vals[i]!)]] : [])) : [] }];
      }
      case 'PushRosNamespace': case 'PushROSNamespace': return [{ a: 'push-ns', ...base, ns: toTxt(kwOr('namespace', 0) ?? NONE) }];
      case 'SetEnvironmentVariable': return [{ a: 'set-env', ...base, name: toTxt(kwOr('name', 0) ?? NONE), value: toTxt(kwOr('value', 1) ?? NONE) }];
      // moveit_configs_utils' DeclareBooleanLaunchArg is DeclareLaunchArgument with str(default_value); so is launch's own
      // DeclareBooleanLaunchArgument (and synchros2's, spot_ros2's, which writes "true"/"false": the same to a condition).
      case 'DeclareLaunchArgument': case 'DeclareBooleanLaunchArg': case 'DeclareBooleanLaunchArgument': {
        const name = kwOr('name', 0);
        if (name?.t !== 'str') return [{ a: 'gap', ...base, why: 'DeclareLaunchArgument whose name is not known statically' }];
        const d = v.kw.get('default_value') ?? v.pos[1];
        return [{ a: 'declare', ...base, name: name.s, ...(d ? { dflt: toTxt(d) } : {}) }];
      }
      case 'SetLaunchConfiguration': {
        const name = kwOr('name', 0);
        return name?.t === 'str' ? [{ a: 'set-config', ...base, name: name.s, value: toTxt(kwOr('value', 1) ?? NONE) }] : [{ a: 'gap', ...base, why: 'SetLaunchConfiguration whose name is not known statically' }];
      }
      case 'IncludeLaunchDescription': {
        let source = kwOr('launch_description_source', 0) ?? NONE;
        if (source.t === 'obj' && LAUNCH_SOURCES.has(source.cls)) source = source.kw.get('launch_file_path') ?? source.pos[0] ?? NONE;
        const la = v.kw.get('launch_arguments');
        const pairs: [string, Txt][] = [];
        if (la?.t === 'dict') la.keys.forEach((k, i) => { if (k.t === 'str') pairs.push([k.s, toTxt(la.vals[i]!)]); });
        else if (la?.t === 'list') for (const p of la.items) { if (p.t === 'list' && p.items[0]?.t === 'str') pairs.push([p.items[0].s, toTxt(p.items[1] ?? NONE)]); }
        else if (la && la.t !== 'none') notes.push(`${v.unit.name}:${line}: launch arguments of this include are not known statically (${describe(la)})`);
        return [{ a: 'include', ...base, path: toTxt(source), args: pairs }];
      }
      case 'ExecuteProcess': return [{ a: 'process', ...base, cmd: txtList(v.kw.get('cmd') ?? v.pos[0]) }];
      case 'OpaqueFunction': {
        const fn = v.kw.get('function') ?? v.pos[0];
        const extra = v.kw.get('args') ?? v.pos[1];
        const kwargs = v.kw.get('kwargs') ?? v.pos[2];
        if (fn?.t !== 'fn') return [{ a: 'gap', ...base, why: `OpaqueFunction whose function (${fn ? describe(fn) : 'none'}) is not defined in this file or a module next to it` }];
        const kwMap = new Map<string, V>();
        if (kwargs?.t === 'dict') kwargs.keys.forEach((k, i) => { if (k.t === 'str') kwMap.set(k.s, kwargs.vals[i]!); });
        else if (kwargs && kwargs.t !== 'none') notes.push(`${v.unit.name}:${line}: the keyword arguments of this OpaqueFunction are not known statically (${describe(kwargs)})`);
        const positional = extra?.t === 'list' ? extra.items : [];
        const within = [...enclosing];
        return [{ a: 'opaque', ...base, run: (config, b) => runOpaque(fn, positional, kwMap, config, b, line, v.unit, within) }];
      }
      case 'ForEach': {
        // launch's ForEach: its function runs once per ";"-separated YAML value of a launch argument.
        const input = kwOr('input_values', 0);
        const fn = v.kw.get('function') ?? v.pos[1];
        if (fn?.t !== 'fn' || !input) return [{ a: 'gap', ...base, why: 'ForEach whose function is not defined in this file or a module next to it' }];
        return [{ a: 'opaque', ...base, run: (config, b) => runForEach(fn, input, config, b, line, v.unit) }];
      }
      default:
        if (CONTAINERS_OF_ACTIONS.has(v.cls)) return [...v.pos, ...[...v.kw].filter(([k]) => !NOT_HELD.has(k)).map(([, x]) => x)].filter((x) => x.t === 'obj' || x.t === 'list' || x.t === 'unknown').flatMap(inner).map((x) => (condition && !x.condition ? { ...x, condition } : x));
        if (INERT.has(v.cls)) return [];
        return [{ a: 'gap', ...base, why: `${v.cls}(…) is not a launch action Marque knows (a helper from another package?)` }];
    }
  }

  /**
   * An OpaqueFunction's body, run with the launch context the interpreter gives it. `within`: the launch descriptions
   * it sits in; what it adds to them runs after what it returns (launch reaches it later in the same list).
   */
  function runOpaque(fn: Extract<V, { t: 'fn' }>, positional: V[], kw: Map<string, V>, config: ReadonlyMap<string, string>, b: Budget, line: number, u: Unit, within: V[] = []): ReadLaunch {
    const saved = { notes, budget, stopNoted };
    notes = [];
    budget = b;
    stopNoted = false;
    const before = within.map((x) => (x.t === 'obj' ? x.actions?.length ?? 0 : 0));
    let added: V[] = [];
    try {
      let r: V;
      // Taken out again, so that running the function once more (another include of the file) starts from the same list.
      try { r = callLocal(fn, [{ t: 'ctx', config }, ...positional], kw, 0, line); } finally { added = within.flatMap((x, i) => (x.t === 'obj' && x.actions ? x.actions.splice(before[i]!) : [])); }
      const seen = new Set<V>();
      const actions = r.t === 'unknown' ? [{ a: 'gap' as const, why: r.why, line: r.line, ...fileOf(r.unit) }] : toActions(r, seen, 0, line);
      for (const x of added) actions.push(...toActions(x, seen, 0, line));
      return { actions, notes, files: [...files] };
    } catch (e) {
      // Deep recursion in a hostile file: the engine's own limit, said as a note.
      if (e instanceof RangeError) return { actions: [], notes: [...notes, `${u.name}:${line}: evaluation nested too deeply; not analysed`] };
      throw e;
    } finally { notes = saved.notes; budget = saved.budget; stopNoted = saved.stopNoted; }
  }

  /** A parsed YAML value as a Python value. */
  function fromJs(x: unknown, line: number, u: Unit, depth = 0): V {
    if (depth > EVAL_LIMITS.depth || !spend(1)) return unknown('a value nested too deeply', line, u);
    if (typeof x === 'string') return { t: 'str', s: x };
    if (typeof x === 'number') return { t: 'num', n: x };
    if (typeof x === 'boolean') return { t: 'bool', b: x };
    if (x === null || x === undefined) return NONE;
    if (Array.isArray(x)) return { t: 'list', items: x.map((y) => fromJs(y, line, u, depth + 1)) };
    if (typeof x === 'object') { const e = Object.entries(x as Record<string, unknown>); return { t: 'dict', keys: e.map(([k]) => ({ t: 'str', s: k })), vals: e.map(([, y]) => fromJs(y, line, u, depth + 1)) }; }
    return unknown('a value Marque does not read', line, u);
  }

  function runForEach(fn: Extract<V, { t: 'fn' }>, input: V, config: ReadonlyMap<string, string>, b: Budget, line: number, u: Unit): ReadLaunch {
    const saved = { notes, budget, stopNoted };
    notes = [];
    budget = b;
    stopNoted = false;
    try {
      const value = performed(input, { t: 'ctx', config });
      if (value.t !== 'str') return { actions: [{ a: 'gap', why: `ForEach over ${describe(input)}, whose value is decided at launch time`, line, ...fileOf(u) }], notes };
      const actions: Action[] = [];
      for (const item of value.s.split(';').map((x) => x.trim()).filter(Boolean)) {
        let parsed: unknown;
        try { parsed = parseYaml(item, u.name); } catch { actions.push({ a: 'gap', why: `ForEach value "${item.slice(0, 60)}" is not YAML`, line, ...fileOf(u) }); continue; }
        const d = fromJs(parsed, line, u);
        if (d.t !== 'dict') { actions.push({ a: 'gap', why: `ForEach value "${item.slice(0, 60)}" is not a mapping`, line, ...fileOf(u) }); continue; }
        const kw = new Map<string, V>();
        d.keys.forEach((k, i) => { if (k.t === 'str') kw.set(k.s, d.vals[i]!); });
        const r = callLocal(fn, [], kw, 0, line);
        actions.push(...(r.t === 'unknown' ? [{ a: 'gap' as const, why: r.why, line: r.line, ...fileOf(r.unit) }] : toActions(r, new Set(), 0, line)));
        if (budget.exhausted) break;
      }
      return { actions, notes, files: [...files] };
    } catch (e) {
      if (e instanceof RangeError) return { actions: [], notes: [...notes, `${u.name}:${line}: evaluation nested too deeply; not analysed`] };
      throw e;
    } finally { notes = saved.notes; budget = saved.budget; stopNoted = saved.stopNoted; }
  }

  // ---- the file itself ----
  const main = makeUnit(text, file, opts.path);
  // The grammar's error recovery takes seconds on brackets nested thousands deep; no launch file nests so.
  const deep = bracketDepth(text);
  if (deep.depth > MAX_BRACKETS) return { actions: [], notes: [`${file}:${lineAt(main, deep.at)}: brackets nested more than ${MAX_BRACKETS} deep; the launch file was not analysed`] };
  const tree = parser.parse(text);
  // One pass over the tree: the first syntax error, and every launch construct the file writes (so that
  // one the evaluation never reaches is named).
  let syntaxError: number | undefined;
  const sites: Site[] = [];
  tree.iterate({
    enter: (n) => {
      if (n.type.isError) { syntaxError ??= n.from; return false; }
      if (n.name !== 'CallExpression') return;
      const callee = n.node.firstChild;
      const nameNode = callee?.name === 'MemberExpression' ? callee.lastChild : callee;
      const what = nameNode && (nameNode.name === 'VariableName' || nameNode.name === 'PropertyName') ? text.slice(nameNode.from, nameNode.to) : '';
      if (SITE_CLASSES.has(what)) sites.push({ line: lineAt(main, n.from), what: `${what}(…)` });
    },
  });
  if (syntaxError !== undefined) return { actions: [], notes: [`${file}:${lineAt(main, syntaxError)}: not valid Python; the launch file was not analysed`] };
  const module = new Env(main);
  module.set('__file__', { t: 'str', s: opts.path ?? file });
  // launch loads a launch file as a module of its own name, never as __main__.
  module.set('__name__', { t: 'str', s: file.split('/').pop()!.replace(/\.py$/, '') });
  try {
    exec(kids(tree.topNode), module, 0, { pending: [] });
    const gen = module.get('generate_launch_description');
    // With launch constructs written, the interpreter's note names them with this reason; without, this note says it.
    if (gen?.t !== 'fn') return { actions: [], notes: sites.length ? notes : [...notes, `${file}: no generate_launch_description() function; nothing to read`], sites, files, unread: 'the file defines no generate_launch_description(), so ros2 launch does not run it (a launch_testing test or a script)' };
    const ld = callLocal(gen, [], new Map(), 0, lineAt(main, gen.node.from));
    const actions = ld.t === 'unknown' ? [{ a: 'gap' as const, why: ld.why, line: ld.line, ...fileOf(ld.unit) }] : toActions(ld, new Set(), 0, lineAt(main, gen.node.from));
    return { actions, notes, sites, files };
  } catch (e) {
    if (e instanceof RangeError) return { actions: [], notes: [...notes, `${file}: evaluation nested too deeply; the launch file was not analysed`], sites, files };
    throw e;
  }
}
