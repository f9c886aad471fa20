// if()/elseif()/while() conditions (cmake-commands(7) "if", with policies CMP0012 and CMP0054 NEW),
// evaluated to true, false or unknown: a condition on something only the build machine knows
// (find_package results, the compiler, files) is unknown, and both of its branches are read.
import type { RawArg } from './lexer.ts';
import { candidates, isKnown, single, type Arg, type Lookup } from './values.ts';

export type Truth = true | false | undefined;

const MAX_PARENS = 100;

const TRUE_CONST = /^(1|ON|YES|TRUE|Y)$/i;
const FALSE_CONST = /^(0|OFF|NO|FALSE|N|IGNORE|NOTFOUND|)$/i;

const UNARY = new Set(['EXISTS', 'COMMAND', 'DEFINED', 'TARGET', 'POLICY', 'TEST', 'IS_DIRECTORY', 'IS_SYMLINK', 'IS_ABSOLUTE', 'IS_READABLE', 'IS_WRITABLE', 'IS_EXECUTABLE']);
const BINARY = new Set([
  'STREQUAL', 'STRLESS', 'STRLESS_EQUAL', 'STRGREATER', 'STRGREATER_EQUAL',
  'EQUAL', 'LESS', 'LESS_EQUAL', 'GREATER', 'GREATER_EQUAL',
  'VERSION_EQUAL', 'VERSION_LESS', 'VERSION_LESS_EQUAL', 'VERSION_GREATER', 'VERSION_GREATER_EQUAL',
  'MATCHES', 'IN_LIST', 'IS_NEWER_THAN', 'PATH_EQUAL',
]);

function isFalseConstant(s: string): boolean {
  return FALSE_CONST.test(s) || s.endsWith('-NOTFOUND');
}

/** A constant's truth, or undefined when the text is not a constant. */
function constant(s: string): Truth {
  if (TRUE_CONST.test(s)) return true;
  if (isFalseConstant(s)) return false;
  if (/^[+-]?(\d+\.?\d*|\.\d+)$/.test(s)) return Number(s) !== 0;
  return undefined;
}

/** The truth of a variable's value: defined and not a false constant. */
function truthOfValue(v: ReturnType<Lookup['get']>, vars: Lookup, name: string): Truth {
  const val = v ?? vars.external(name);
  if (!isKnown(val)) return undefined;
  const outcomes = new Set(val.values.map((x) => (x === null ? false : !isFalseConstant(x))));
  return outcomes.size === 1 ? [...outcomes][0] : undefined;
}

interface Token { text: string | undefined; quoted: boolean; arg: Arg }

export interface ConditionHelpers extends Lookup {
  /** Whether a command (built-in or defined so far) exists; undefined when not known. */
  command?(name: string): Truth;
}

/** Evaluates a condition; the arguments are already expanded (${...} done). */
export function evaluateCondition(args: readonly Arg[], vars: ConditionHelpers): Truth {
  const tokens: Token[] = args.map((a) => ({ text: single(a.val) ?? undefined, quoted: a.kind !== 'unquoted', arg: a }));
  if (tokens.length === 0) return false;
  let pos = 0;
  let nesting = 0;
  const peek = (): string | undefined => { const t = tokens[pos]; return t && !t.quoted ? t.text : undefined; };

  /** A bare operand in `if(<x>)`: a constant, or a variable name to look up (a quoted string is only a constant). */
  const operandTruth = (t: Token): Truth => {
    if (t.text === undefined) return undefined;
    const c = constant(t.text);
    if (c !== undefined) return c;
    if (t.quoted) return false;
    return truthOfValue(vars.get(t.text), vars, t.text);
  };

  /** The value an operand of a binary test stands for: a variable's value when it names one. */
  const operandValue = (t: Token): string[] | undefined => {
    if (t.text === undefined) return undefined;
    if (t.quoted) return [t.text];
    const v = vars.get(t.text);
    if (v !== undefined) return isKnown(v) ? candidates(v) : undefined;
    // Not set in what was read: a name the build may define, or a plain word.
    if (/^[A-Za-z_][A-Za-z0-9_]*$/.test(t.text) && /[A-Z_]/.test(t.text)) {
      const ext = vars.external(t.text);
      return isKnown(ext) ? candidates(ext) : undefined;
    }
    return [t.text];
  };

  const binary = (op: string, l: string, r: string): Truth => {
    switch (op) {
      case 'STREQUAL': return l === r;
      case 'STRLESS': return l < r;
      case 'STRLESS_EQUAL': return l <= r;
      case 'STRGREATER': return l > r;
      case 'STRGREATER_EQUAL': return l >= r;
      case 'EQUAL': case 'LESS': case 'LESS_EQUAL': case 'GREATER': case 'GREATER_EQUAL': {
        const a = Number(l), b = Number(r);
        if (!/^[+-]?\d+(\.\d*)?$/.test(l.trim()) || !/^[+-]?\d+(\.\d*)?$/.test(r.trim())) return false;
        return op === 'EQUAL' ? a === b : op === 'LESS' ? a < b : op === 'LESS_EQUAL' ? a <= b : op === 'GREATER' ? a > b : a >= b;
      }
      case 'VERSION_EQUAL': return compareVersions(l, r) === 0;
      case 'VERSION_LESS': return compareVersions(l, r) < 0;
      case 'VERSION_LESS_EQUAL': return compareVersions(l, r) <= 0;
      case 'VERSION_GREATER': return compareVersions(l, r) > 0;
      case 'VERSION_GREATER_EQUAL': return compareVersions(l, r) >= 0;
      case 'PATH_EQUAL': return l.replace(/\/+/g, '/') === r.replace(/\/+/g, '/');
      default: return undefined; // MATCHES (a regular expression from input is not run), IS_NEWER_THAN
    }
  };

  const primary = (): Truth => {
    const t = tokens[pos];
    if (!t) return undefined;
    const word = peek();
    if (word === '(') {
      // Deeper than any condition anyone writes: unknown, rather than overflow the stack.
      if (++nesting > MAX_PARENS) { pos = tokens.length; return undefined; }
      pos++;
      const v = orExpr();
      nesting--;
      if (peek() === ')') pos++;
      return v;
    }
    if (word && UNARY.has(word) && tokens[pos + 1]) {
      const operand = tokens[pos + 1]!;
      pos += 2;
      if (word === 'DEFINED') {
        if (operand.text === undefined) return undefined;
        const m = /^(?:ENV|CACHE)\{(.*)\}$/.exec(operand.text);
        if (m && operand.text.startsWith('ENV')) return undefined;
        const name = m ? m[1]! : operand.text;
        const v = vars.get(name) ?? vars.external(name);
        if (!isKnown(v)) return undefined;
        const set = new Set(v.values.map((x) => x !== null));
        return set.size === 1 ? [...set][0] : undefined;
      }
      if (word === 'COMMAND' && operand.text !== undefined) return vars.command?.(operand.text);
      if (word === 'IS_ABSOLUTE' && operand.text !== undefined) return operand.text.startsWith('/') || /^[A-Za-z]:[\\/]/.test(operand.text);
      return undefined; // files, targets, policies and tests exist only at build time
    }
    const next = tokens[pos + 1];
    const op = next && !next.quoted ? next.text : undefined;
    if (op && BINARY.has(op) && tokens[pos + 2]) {
      const right = tokens[pos + 2]!;
      pos += 3;
      if (op === 'IN_LIST') {
        const item = operandValue(t);
        const listName = right.text;
        if (!item || item.length !== 1 || listName === undefined) return undefined;
        const list = vars.get(listName) ?? vars.external(listName);
        if (!isKnown(list)) return undefined;
        const outcomes = new Set(candidates(list).map((l) => l.split(';').includes(item[0]!)));
        return outcomes.size === 1 ? [...outcomes][0] : undefined;
      }
      const l = operandValue(t), r = operandValue(right);
      if (!l || !r) return undefined;
      const outcomes = new Set<Truth>();
      for (const a of l) for (const b of r) outcomes.add(binary(op, a, b));
      return outcomes.size === 1 ? [...outcomes][0] : undefined;
    }
    pos++;
    return operandTruth(t);
  };

  const notExpr = (): Truth => {
    let nots = 0;
    while (peek() === 'NOT') { pos++; nots++; }
    const v = primary();
    return v === undefined || nots % 2 === 0 ? v : !v;
  };

  /** A run of `word` (AND or OR) over `operand`s, in three-valued logic: `dominant` decides alone (false for AND, true for OR). */
  const run = (word: 'AND' | 'OR', operand: () => Truth): Truth => {
    const dominant = word === 'OR';
    let v = operand();
    while (peek() === word) {
      pos++;
      const r = operand();
      v = v === dominant || r === dominant ? dominant : v === !dominant && r === !dominant ? !dominant : undefined;
    }
    return v;
  };
  const andExpr = (): Truth => run('AND', notExpr);
  const orExpr = (): Truth => run('OR', andExpr);

  const result = orExpr();
  // Words left over: a form this reader does not know; say unknown rather than guess.
  return pos < tokens.length ? undefined : result;
}

/** CMake's version comparison: up to four numeric components, missing ones are zero. */
export function compareVersions(a: string, b: string): number {
  const parts = (s: string) => s.split('.').slice(0, 4).map((x) => parseInt(x, 10) || 0);
  const x = parts(a), y = parts(b);
  for (let i = 0; i < Math.max(x.length, y.length); i++) {
    const d = (x[i] ?? 0) - (y[i] ?? 0);
    if (d) return d < 0 ? -1 : 1;
  }
  return 0;
}

/** A condition as written, for the properties of what it guards. */
export function conditionText(args: readonly RawArg[]): string {
  return args.map((a) => (a.kind === 'quoted' ? JSON.stringify(a.text) : a.kind === 'bracket' ? `[[${a.text}]]` : a.text)).join(' ').replace(/\( /g, '(').replace(/ \)/g, ')');
}
