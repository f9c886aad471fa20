// PEP 508 environment markers (packaging.python.org "Dependency specifiers", with PEP 751's `extras` and
// `dependency_groups` for lock files), parsed and evaluated in three values: true, false, or undefined where
// what the marker asks is not known (a platform_machine nobody declared, a Python version inside the range a
// lock allows). No maintained JavaScript library that evaluates markers was found (the npm registry's package
// list has none for PEP 508), so this is a small one; version comparisons are @renovatebot/pep440's, as
// packaging's are its Specifier's.
//
// Comparisons follow packaging's `_eval_op`: when the operator and the right-hand side make a valid PEP 440
// specifier and the left-hand side is a version, they compare as versions; otherwise `==`, `!=`, `<`, `<=`,
// `>`, `>=`, `in` and `not in` compare the strings (`in`: a substring, or a member of a set variable). The
// names `extra`, `extras` and `dependency_groups` hold are compared normalised (PEP 503), as packaging does.
// `python_version` and `python_full_version` are decided over every Python release a version range allows
// (2.0–2.7 and 3.0 onwards; Python 4 does not exist and is not considered): the marker holds when it holds
// for each, fails when it fails for each, and is undecided otherwise.
import { createRequire } from 'node:module';
import { pep503Name } from '../model/package-names.ts';

export class MarkerError extends Error {}

type Value = { var: string } | { str: string };
export type Marker =
  | { op: 'and' | 'or'; args: Marker[] }
  | { op: 'cmp'; lhs: Value; cmp: string; rhs: Value };

/** The variables PEP 508 and PEP 751 define, and the dotted spellings packaging still accepts for some. */
const VARIABLES = new Set([
  'python_version', 'python_full_version', 'os_name', 'sys_platform', 'platform_release', 'platform_system', 'platform_version',
  'platform_machine', 'platform_python_implementation', 'implementation_name', 'implementation_version', 'extra', 'extras', 'dependency_groups',
]);
const ALIASES: Record<string, string> = {
  'os.name': 'os_name', 'sys.platform': 'sys_platform', 'platform.version': 'platform_version', 'platform.machine': 'platform_machine',
  'platform.python_implementation': 'platform_python_implementation', python_implementation: 'platform_python_implementation',
};
const OPERATORS = ['===', '==', '!=', '<=', '>=', '~=', '<', '>'];
/** Bounded: a marker is one line of a lockfile; a longer one is not a marker any tool wrote. */
const MAX_LENGTH = 10_000;
const MAX_DEPTH = 100;

type Token = { t: 'var' | 'str' | 'op' | 'word' | '(' | ')'; v: string };

function tokenize(src: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  while (i < src.length) {
    const c = src[i]!;
    if (/\s/.test(c)) { i++; continue; }
    if (c === '(' || c === ')') { out.push({ t: c, v: c }); i++; continue; }
    if (c === '"' || c === "'") {
      const end = src.indexOf(c, i + 1);
      if (end < 0) throw new MarkerError(`unterminated string at ${i + 1}`);
      out.push({ t: 'str', v: src.slice(i + 1, end) });
      i = end + 1;
      continue;
    }
    const op = OPERATORS.find((o) => src.startsWith(o, i));
    if (op) { out.push({ t: 'op', v: op }); i += op.length; continue; }
    const word = /^[A-Za-z_][A-Za-z0-9_.]*/.exec(src.slice(i, i + 64))?.[0];
    if (!word) throw new MarkerError(`unexpected ${JSON.stringify(c)} at ${i + 1}`);
    i += word.length;
    if (word === 'and' || word === 'or' || word === 'in' || word === 'not') { out.push({ t: 'word', v: word }); continue; }
    const name = ALIASES[word] ?? word;
    if (!VARIABLES.has(name)) throw new MarkerError(`unknown variable "${word}"`);
    out.push({ t: 'var', v: name });
  }
  return out;
}

/** Parse a marker ("python_version < '3.11' and sys_platform == 'win32'"); MarkerError when it is not one. */
export function parseMarker(text: string): Marker {
  if (text.length > MAX_LENGTH) throw new MarkerError(`longer than ${MAX_LENGTH} characters`);
  const tokens = tokenize(text);
  let at = 0;
  const peek = () => tokens[at];
  const value = (): Value => {
    const t = tokens[at++];
    if (t?.t === 'var') return { var: t.v };
    if (t?.t === 'str') return { str: t.v };
    throw new MarkerError(t ? `expected a variable or a string, found ${JSON.stringify(t.v)}` : 'unexpected end');
  };
  const atom = (depth: number): Marker => {
    if (depth > MAX_DEPTH) throw new MarkerError(`nested more than ${MAX_DEPTH} deep`);
    if (peek()?.t === '(') {
      at++;
      const inner = or(depth + 1);
      if (tokens[at++]?.t !== ')') throw new MarkerError('missing ")"');
      return inner;
    }
    const lhs = value();
    const t = tokens[at++];
    let cmp: string;
    if (t?.t === 'op') cmp = t.v;
    else if (t?.t === 'word' && t.v === 'in') cmp = 'in';
    else if (t?.t === 'word' && t.v === 'not' && tokens[at]?.v === 'in') { at++; cmp = 'not in'; }
    else throw new MarkerError(t ? `expected an operator, found ${JSON.stringify(t.v)}` : 'unexpected end');
    return { op: 'cmp', lhs, cmp, rhs: value() };
  };
  const and = (depth: number): Marker => {
    const args = [atom(depth)];
    while (peek()?.t === 'word' && peek()!.v === 'and') { at++; args.push(atom(depth)); }
    return args.length === 1 ? args[0]! : { op: 'and', args };
  };
  const or = (depth: number): Marker => {
    const args = [and(depth)];
    while (peek()?.t === 'word' && peek()!.v === 'or') { at++; args.push(and(depth)); }
    return args.length === 1 ? args[0]! : { op: 'or', args };
  };
  const m = or(0);
  if (at !== tokens.length) throw new MarkerError(`unexpected ${JSON.stringify(tokens[at]!.v)}`);
  return m;
}

/** The variables a marker reads. */
export function markerVariables(m: Marker, out = new Set<string>()): Set<string> {
  if (m.op === 'cmp') { for (const v of [m.lhs, m.rhs]) if ('var' in v) out.add(v.var); }
  else for (const a of m.args) markerVariables(a, out);
  return out;
}

/**
 * What is known of the environment a marker is evaluated in. A variable absent from `values` is unknown,
 * and so is every comparison on it.
 */
export interface MarkerEnvironment {
  /** Values of the string variables (sys_platform, os_name, platform_system, …). */
  values?: Readonly<Record<string, string>>;
  /** The Python versions allowed, a PEP 440 specifier set (a lock's requires-python, ">=3.10"); absent: any. */
  requiresPython?: string;
  /** PEP 751's sets, as an installer fills them (the extras and dependency groups asked for); absent: unknown. */
  extras?: ReadonlySet<string>;
  dependencyGroups?: ReadonlySet<string>;
  /** The `extra` a requirement's marker names is the one asked for (the edge exists because it was): `extra == "x"` holds. */
  extraAsked?: boolean;
}

type Pep440 = typeof import('@renovatebot/pep440');
let pep440Lib: Pep440 | undefined;
/** Loaded on first use: most scans evaluate no marker. */
const pep440 = (): Pep440 => (pep440Lib ??= createRequire(import.meta.url)('@renovatebot/pep440') as Pep440);

const normalise = pep503Name;
const VERSION_OPS = new Set(['===', '==', '!=', '<=', '>=', '~=', '<', '>']);

// Answers kept across markers: a lock compares the same few versions thousands of times. Bounded.
const MEMO_LIMIT = 100_000;
const compared = new Map<string, boolean | undefined>();
const candidatesFor = new Map<string, string[]>();
function memo<T>(map: Map<string, T>, key: string, make: () => T): T {
  if (map.has(key)) return map.get(key)!;
  if (map.size >= MEMO_LIMIT) map.clear();
  const v = make();
  map.set(key, v);
  return v;
}

/** packaging's `_eval_op` on two known values. */
function compare(lhs: string, cmp: string, rhs: string): boolean | undefined {
  return memo(compared, `${lhs}\u0000${cmp}\u0000${rhs}`, () => compareNow(lhs, cmp, rhs));
}

function compareNow(lhs: string, cmp: string, rhs: string): boolean | undefined {
  const p = pep440();
  if (cmp !== '===' && VERSION_OPS.has(cmp) && p.validRange(`${cmp}${rhs}`) && rhs.trim() !== '' && p.valid(lhs) !== null) return p.satisfies(lhs, `${cmp}${rhs}`);
  switch (cmp) {
    case '==': case '===': return lhs === rhs;
    case '!=': return lhs !== rhs;
    case '<': return lhs < rhs;
    case '<=': return lhs <= rhs;
    case '>': return lhs > rhs;
    case '>=': return lhs >= rhs;
    case 'in': return rhs.includes(lhs);
    case 'not in': return !rhs.includes(lhs);
    default: return undefined; // ~= on strings that are not versions: packaging raises UndefinedComparison
  }
}

type Known = (name: string) => string | ReadonlySet<string> | undefined;

function evalCmp(m: Extract<Marker, { op: 'cmp' }>, known: Known, env: MarkerEnvironment): boolean | undefined {
  const side = (v: Value) => ('var' in v ? known(v.var) : v.str);
  const name = 'var' in m.lhs ? m.lhs.var : 'var' in m.rhs ? m.rhs.var : undefined;
  if (name === 'extra' && env.extraAsked) return m.cmp === '==' || m.cmp === '===' ? true : undefined;
  const l = side(m.lhs);
  const r = side(m.rhs);
  if (l === undefined || r === undefined) return undefined;
  const named = name === 'extra' || name === 'extras' || name === 'dependency_groups';
  if (typeof r !== 'string') {
    // A set (PEP 751): only membership is defined.
    if (typeof l !== 'string') return undefined;
    if (m.cmp === 'in') return r.has(normalise(l));
    if (m.cmp === 'not in') return !r.has(normalise(l));
    return undefined;
  }
  if (typeof l !== 'string') return undefined;
  return named ? compare(normalise(l), m.cmp, normalise(r)) : compare(l, m.cmp, r);
}

function evalWith(m: Marker, known: Known, env: MarkerEnvironment): boolean | undefined {
  if (m.op === 'cmp') return evalCmp(m, known, env);
  let unknown = false;
  for (const a of m.args) {
    const r = evalWith(a, known, env);
    if (r === undefined) unknown = true;
    else if (r === (m.op === 'or')) return r; // or: one true decides; and: one false decides
  }
  return unknown ? undefined : m.op === 'and';
}

/** The version strings a marker compares python_version or python_full_version with. */
function pythonLiterals(m: Marker, out: string[] = []): string[] {
  if (m.op === 'cmp') {
    const vars = [m.lhs, m.rhs].filter((v): v is { var: string } => 'var' in v).map((v) => v.var);
    if (vars.some((v) => v === 'python_version' || v === 'python_full_version')) for (const v of [m.lhs, m.rhs]) if ('str' in v) out.push(v.str);
  } else for (const a of m.args) pythonLiterals(a, out);
  return out;
}

/**
 * Python releases standing for every version a marker and a range can tell apart: each minor release of 2 and
 * 3 (3.x up to one past the highest named, and at least 3.16), and within a minor its .0, each micro named,
 * the one after it, and a late one. Between two of these, no comparison the texts name can change its answer.
 */
function pythonCandidates(literals: string[]): string[] {
  const micros = new Map<string, Set<number>>();
  let top = 16;
  for (const text of literals) {
    const n = /^\s*(\d+)(?:\.(\d+))?(?:\.(\d+))?/.exec(text);
    if (!n) continue;
    const [major, minor, micro] = [Number(n[1]), Number(n[2] ?? 0), n[3] === undefined ? undefined : Number(n[3])];
    if (major === 3 && minor < 1000) top = Math.max(top, minor + 1);
    if (micro !== undefined && micro < 1000) {
      const key = `${major}.${minor}`;
      const set = micros.get(key) ?? new Set<number>();
      set.add(micro).add(micro + 1);
      micros.set(key, set);
    }
  }
  const out: string[] = [];
  const minors = [...Array.from({ length: 8 }, (_, i) => `2.${i}`), ...Array.from({ length: top + 1 }, (_, i) => `3.${i}`)];
  for (const mm of minors) for (const micro of new Set([0, ...(micros.get(mm) ?? []), 999])) out.push(`${mm}.${micro}`);
  return out;
}

/**
 * Evaluate a parsed marker: true where it holds in every environment `env` allows, false where it holds in
 * none, undefined where that depends on what is not known.
 */
export function evaluateMarker(m: Marker, env: MarkerEnvironment): boolean | undefined {
  const base: Known = (name) => {
    if (name === 'extras') return env.extras;
    if (name === 'dependency_groups') return env.dependencyGroups;
    return env.values?.[name];
  };
  const vars = markerVariables(m);
  if (!vars.has('python_version') && !vars.has('python_full_version')) return evalWith(m, base, env);
  const p = pep440();
  const range = env.requiresPython?.trim();
  const usable = range && p.validRange(range) ? range : undefined;
  const rangeLiterals = usable ? [...usable.matchAll(/\d+(?:\.\d+)*/g)].map((x) => x[0]) : [];
  const literals = [...new Set([...pythonLiterals(m), ...rangeLiterals])].sort();
  const candidates = memo(candidatesFor, `${usable ?? ''}\u0000${literals.join('\u0000')}`, () => pythonCandidates(literals).filter((v) => !usable || p.satisfies(v, usable)));
  if (!candidates.length) return evalWith(m, base, env); // a range no release meets: Python is not known
  let seen: boolean | undefined | null = null;
  for (const full of candidates) {
    const short = full.split('.').slice(0, 2).join('.');
    const r = evalWith(m, (name) => (name === 'python_full_version' ? full : name === 'python_version' ? short : base(name)), env);
    if (r === undefined) return undefined;
    if (seen === null) seen = r;
    else if (seen !== r) return undefined;
  }
  return seen ?? undefined;
}
