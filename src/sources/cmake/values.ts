// What a variable or an argument holds, as far as reading the files (never running CMake) can tell:
// one value, a few candidates (set differently on paths whose condition is not known), or unknown
// with the reason. Variable references and escapes are evaluated as cmake-language(7) says.
import type { ArgKind, RawArg } from './lexer.ts';

/** Candidates; `null` stands for "not set on some path". */
export type Val = { values: (string | null)[] } | { unknown: string };

const MAX_REF_NESTING = 32;

/** More candidates than this and a value is called unknown: the configurations multiply. */
export const MAX_CANDIDATES = 8;

export const known = (v: string): Val => ({ values: [v] });
export const UNSET: Val = { values: [null] };
export const isKnown = (v: Val): v is { values: (string | null)[] } => 'values' in v;

/** The one value a Val has, ignoring paths where it is not set; undefined when there are several or none. */
export function single(v: Val): string | undefined {
  if (!isKnown(v)) return undefined;
  if (v.values.length === 1) return v.values[0] ?? '';
  const set = [...new Set(v.values.filter((x): x is string => x !== null))];
  return set.length === 1 ? set[0] : set.length === 0 ? '' : undefined;
}

/** Distinct candidates that are set (an unset path counts only when nothing else is known). */
export function candidates(v: Val): string[] {
  if (!isKnown(v)) return [];
  if (v.values.length === 1) return [v.values[0] ?? ''];
  const set = [...new Set(v.values.filter((x): x is string => x !== null))];
  return set.length ? set : [''];
}

export function union(a: Val | undefined, b: Val | undefined): Val {
  if (!a) a = UNSET;
  if (!b) b = UNSET;
  if (!isKnown(a)) return a;
  if (!isKnown(b)) return b;
  const values = [...new Set([...a.values, ...b.values])];
  return values.length > MAX_CANDIDATES ? { unknown: `too many possible values (${values.length})` } : { values };
}

export interface Lookup {
  /** A variable's value; undefined when it is not set in the files read (then it may come from outside). */
  get(name: string): Val | undefined;
  /** Why an unset variable is unknown, or its value when CMake defines it for the platform. */
  external(name: string): Val;
}

/** Lookup of a variable reference: not set in what was read means unknown, unless the platform defines it. */
function deref(name: string, vars: Lookup): Val {
  const v = vars.get(name);
  if (v === undefined) return vars.external(name);
  return v;
}

/** Cross product of candidate pieces, bounded. */
function concat(parts: Val[]): Val {
  let acc: string[] = [''];
  for (const p of parts) {
    if (!isKnown(p)) return p;
    const next: string[] = [];
    for (const a of acc) for (const b of candidates(p)) next.push(a + b);
    acc = [...new Set(next)];
    if (acc.length > MAX_CANDIDATES) return { unknown: `too many possible values (${acc.length})` };
  }
  return { values: acc };
}

/**
 * The value of an argument's text: `${name}` (nested), `$ENV{name}`, `$CACHE{name}` and escapes.
 * Returns the candidates of the whole text.
 */
export function expand(text: string, kind: ArgKind, vars: Lookup): Val {
  if (kind === 'bracket' || (!text.includes('$') && !text.includes('\\'))) return known(text);
  const [val] = expandFrom(text, 0, vars, false, 0);
  return val;
}

/** Expands from `start`; when `inRef`, stops at the matching '}' and returns the index after it. */
function expandFrom(text: string, start: number, vars: Lookup, inRef: boolean, depth: number): [Val, number] {
  if (depth > MAX_REF_NESTING) return [{ unknown: `variable references nested deeper than ${MAX_REF_NESTING}` }, text.length];
  const parts: Val[] = [];
  let lit = '';
  let i = start;
  while (i < text.length) {
    const c = text[i]!;
    if (inRef && c === '}') {
      if (lit) parts.push(known(lit));
      return [concat(parts), i + 1];
    }
    if (c === '\\' && i + 1 < text.length) {
      const e = text[i + 1]!;
      lit += e === 't' ? '\t' : e === 'n' ? '\n' : e === 'r' ? '\r' : e === ';' ? '\\;' : e;
      i += 2;
      continue;
    }
    if (c === '$') {
      const m = /^\$(ENV|CACHE)?\{/.exec(text.slice(i, i + 8));
      if (m) {
        const [nameVal, next] = expandFrom(text, i + m[0].length, vars, true, depth + 1);
        if (next <= i) break;
        if (lit) { parts.push(known(lit)); lit = ''; }
        const name = single(nameVal);
        if (name === undefined) parts.push(isKnown(nameVal) ? { unknown: 'a variable whose name has several possible values' } : nameVal);
        else if (m[1] === 'ENV') parts.push({ unknown: `environment variable "${name}" at build time` });
        else parts.push(deref(name, vars));
        i = next;
        continue;
      }
    }
    lit += c;
    i++;
  }
  if (inRef) return [{ unknown: 'an unclosed variable reference' }, text.length];
  if (lit) parts.push(known(lit));
  return [concat(parts), i];
}

/** Splits a list value on unescaped ';' (an unquoted argument becomes that many arguments). */
export function splitList(value: string): string[] {
  if (value === '') return [];
  if (!value.includes('[') && !value.includes('\\')) return value.split(';');
  const out: string[] = [];
  let cur = '';
  let depth = 0; // ';' inside [...] does not split (cmake-language(7), "Lists")
  for (let i = 0; i < value.length; i++) {
    const c = value[i]!;
    if (c === '\\' && value[i + 1] === ';') { cur += ';'; i++; continue; }
    if (c === '[') depth++;
    else if (c === ']' && depth > 0) depth--;
    if (c === ';' && depth === 0) { out.push(cur); cur = ''; continue; }
    cur += c;
  }
  out.push(cur);
  return out;
}

/** One argument after evaluation; `raw` keeps the text as written, for messages. */
export interface Arg { val: Val; kind: ArgKind; raw: string }

/**
 * Arguments as the command receives them: an unquoted argument is split into list elements and
 * disappears when empty; a quoted or bracket argument is one argument. An argument with several
 * candidates or none known stays one argument.
 */
export function evaluateArgs(raw: readonly RawArg[], vars: Lookup): Arg[] {
  const out: Arg[] = [];
  for (const a of raw) {
    const val = expand(a.text, a.kind, vars);
    if (a.kind !== 'unquoted' || !isKnown(val)) { out.push({ val, kind: a.kind, raw: a.text }); continue; }
    const cands = candidates(val);
    if (cands.length !== 1) { out.push({ val, kind: a.kind, raw: a.text }); continue; }
    for (const item of splitList(cands[0]!)) out.push({ val: known(item), kind: a.kind, raw: a.text });
  }
  return out;
}

/** The single known text of an argument, or undefined. */
export const textOf = (a: Arg | undefined): string | undefined => (a ? single(a.val) : undefined);

/** Why an argument is not known, for a message. */
export function whyUnknown(a: Arg): string {
  if (!isKnown(a.val)) return a.val.unknown;
  return `${JSON.stringify(a.raw)} has several possible values (${candidates(a.val).map((c) => JSON.stringify(c)).join(', ')}) depending on the configuration`;
}

const ABSENT: Val = { unknown: '\0absent' };

/**
 * A variable scope that copies nothing: a branch, a function or a subdirectory is a fork whose own
 * changes overlay its base. Reading an unknown branch's two sides and merging them then costs what
 * they change, not the size of the scope (a ROS package's CMake scope holds hundreds of variables).
 */
export class Vars {
  private readonly own = new Map<string, Val>();
  private readonly base: Vars | undefined;
  constructor(base?: Vars, entries?: Iterable<[string, Val]>) {
    this.base = base;
    if (entries) for (const [k, v] of entries) this.own.set(k, v);
  }
  get(name: string): Val | undefined {
    for (let s: Vars | undefined = this; s; s = s.base) {
      const v = s.own.get(name);
      if (v !== undefined) return v === ABSENT ? undefined : v;
    }
    return undefined;
  }
  set(name: string, value: Val): void { this.own.set(name, value); }
  /** Keep the current value here, so that a later change of the base does not show through (PARENT_SCOPE). */
  pin(name: string): void { if (!this.own.has(name)) this.own.set(name, this.get(name) ?? ABSENT); }
  fork(): Vars { return new Vars(this); }
  /** The names this scope itself set (not its base's). */
  ownNames(): IterableIterator<string> { return this.own.keys(); }
}
