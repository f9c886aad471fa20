// A static reading of a CMake project: the commands that set variables, include files, enter
// subdirectories, define and call functions and macros, and branch, are followed as CMake would
// follow them in the default configuration (options at their declared defaults), without running
// anything. What only the build machine knows (find_package results, the compiler, files made at
// build time) is unknown: both branches of a condition on it are read, and what they declare
// carries that condition. Every download the build makes (ExternalProject_Add, FetchContent,
// ament_vendor, CPM) is reported with its evaluated arguments.
import { dirname, isAbsolute, join, normalize, posix } from 'node:path';
import type { Problem } from '../../model/inventory.ts';
import { conditionText, evaluateCondition, type Truth } from './condition.ts';
import type { CommandCall, RawArg } from './lexer.ts';
import { parseKeywords, PULL_COMMANDS, type PullMethod } from './pulls.ts';
import type { Node } from './script.ts';
import { CMAKE_MODULES } from './data/modules.ts';
import { candidates, evaluateArgs, expand, isKnown, known, single, splitList, textOf, union, UNSET, Vars, type Arg, type Val } from './values.ts';

/** A download the build makes, as declared. */
export interface Pull {
  method: PullMethod;
  /** The declared name (target or content name); CPM names come from its NAME or its source. */
  name?: string;
  keys: Map<string, Arg[]>;
  /** Positional arguments before the first keyword (CPM's shorthand "gh:owner/repo@1.2"). */
  positional: Arg[];
  file: string;
  line: number;
  /** Conditions on the path that reaches the call whose truth is not known statically. */
  conditions: string[];
  /** Reached only when tests are built. */
  test: boolean;
  /** The vendored folder whose CMake files declared it (undefined: the project read). */
  owner?: string;
}

export interface ProjectCall { dir: string; name: string; version?: string; file: string; line: number }

export interface NotFollowed { file: string; line: number; what: string; reason: string }

/** A download in a branch the default configuration does not take. */
export interface Skipped { file: string; line: number; command: string; condition: string }

export interface ReaderHooks {
  /** The commands of a CMake file (absolute path), or undefined when there is none or it cannot be read. */
  load(path: string): Node[] | undefined;
  /** Whether the path is a folder the reader may enter. */
  isFolder(path: string): boolean;
  /**
   * A subdirectory about to be read: returns the owner for what it declares (a vendored folder
   * becomes the owner of its own downloads), or `false` to leave it unread.
   */
  enterSubdirectory(dir: string, from: { file: string; line: number; owner?: string; conditions: string[]; test: boolean }): { owner?: string } | false;
  /** A subdirectory read: its variables as they stand at its end (a vendored project's version variables). */
  leftSubdirectory?(dir: string, get: (name: string) => Val | undefined): void;
  /** Variables CMake defines for the target platform (WIN32, UNIX, CMAKE_SYSTEM_NAME, ...). */
  platform: ReadonlyMap<string, string>;
  /** A path as shown in messages (relative to the scanned root). */
  show(path: string): string;
  /** Each command read, with each argument's value as written expanded (undefined: not known); for the tests' CMake oracle. */
  trace?(file: string, line: number, name: string, values: (string | undefined)[]): void;
}

export interface ReadResult {
  pulls: Pull[];
  projects: ProjectCall[];
  notFollowed: NotFollowed[];
  skipped: Skipped[];
  problems: Problem[];
  /** Commands evaluated (for the budget and the benchmark). */
  commands: number;
}

/** Bounds that keep a hostile or generated project from running forever. */
const MAX_COMMANDS = 200_000;
const MAX_DEPTH = 48;
const MAX_LOOP_ITEMS = 1_000;
const MAX_RUN_NESTING = 400;

class Stop extends Error {}

interface Frame {
  vars: Vars;
  /** The scope PARENT_SCOPE writes to. */
  parent?: Vars;
  conditions: string[];
  test: boolean;
  owner?: string;
  file: string;
  /** Set by return() or a fatal message: nothing after it on this path runs. */
  returned: boolean;
  /** Set by break(): the loop body stops. */
  broke: boolean;
  depth: number;
  /** Arguments of the macro being expanded, replaced as text (macros do not have variables). */
  macroArgs?: Map<string, Val>;
}

interface Definition { kind: 'function' | 'macro'; params: string[]; body: Node[]; file: string }

const TEST_WORD = /(^|[^A-Za-z])(BUILD_TESTING|[A-Z0-9_]*TESTS?|[A-Z0-9_]*TESTING)([^A-Za-z0-9_]|$)/;

/**
 * The negation of a condition as text, as a person would write it: "NOT x"; "x" for "NOT x"; and by
 * De Morgan's laws, "a OR b" for "NOT a AND NOT b" and "a AND b" for "NOT a OR NOT b" (what follows
 * an if/elseif/else whose else() stops the build is reached when one of the branches was taken, which
 * read "NOT (NOT a AND NOT b)" before); else "NOT (a AND b)" where AND/OR need the parentheses.
 */
export function negate(text: string): string {
  const t = text.trim();
  if (wrapped(t)) return negate(t.slice(1, -1));
  const anyOf = topLevel(t, 'OR');
  const terms = anyOf.length > 1 ? anyOf : topLevel(t, 'AND');
  if (terms.length > 1) {
    if (!terms.every(isNegation)) return `NOT (${t})`;
    const plain = terms.map(unNegate);
    // AND binds tighter than OR: a term joined by AND needs parentheses only when it is an OR, one joined by OR is given them for the reader.
    return anyOf.length > 1
      ? plain.map((x) => (topLevel(x, 'OR').length > 1 ? `(${x})` : x)).join(' AND ')
      : plain.map((x) => (topLevel(x, 'OR').length > 1 || topLevel(x, 'AND').length > 1 ? `(${x})` : x)).join(' OR ');
  }
  if (isNegation(t)) return unNegate(t);
  return `NOT ${t}`;
}

/** "NOT x" or "NOT (…)": one negated term, nothing joined to it at the top level. */
function isNegation(term: string): boolean {
  return /^NOT\s+/.test(term) && topLevel(term, 'OR').length === 1 && topLevel(term, 'AND').length === 1;
}

/** A negated term without its NOT (and without the parentheses that held a compound under it). */
function unNegate(term: string): string {
  const rest = term.replace(/^NOT\s+/, '');
  return wrapped(rest) ? rest.slice(1, -1) : rest;
}

/**
 * The parts of a condition text joined by `word` outside parentheses, quoted strings and bracket
 * arguments (as conditionText writes them): "a AND (b OR c)" by AND is ["a", "(b OR c)"].
 */
function topLevel(t: string, word: 'AND' | 'OR'): string[] {
  const parts: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < t.length; i++) {
    const c = t[i]!;
    if (c === '"') { for (i++; i < t.length && t[i] !== '"'; i++) if (t[i] === '\\') i++; continue; }
    if (c === '[' && t[i + 1] === '[') { const end = t.indexOf(']]', i + 2); i = end < 0 ? t.length : end + 1; continue; }
    if (c === '(') depth++;
    else if (c === ')') depth = Math.max(0, depth - 1);
    else if (depth === 0 && c === ' ' && t.startsWith(`${word} `, i + 1)) {
      parts.push(t.slice(start, i).trim());
      start = i + word.length + 2;
      i = start - 1;
    }
  }
  parts.push(t.slice(start).trim());
  return parts;
}

/** Whether the whole text is one parenthesised group: "(a OR b)", not "(a) OR (b)". */
function wrapped(t: string): boolean {
  if (!t.startsWith('(') || !t.endsWith(')')) return false;
  let depth = 0;
  for (let i = 0; i < t.length; i++) {
    if (t[i] === '(') depth++;
    else if (t[i] === ')' && --depth === 0 && i < t.length - 1) return false;
  }
  return true;
}

/** Conditions joined, each once (an OR given parentheses only when joined to another). */
export function allOf(conditions: readonly string[]): string {
  const each = [...new Set(conditions)];
  if (each.length === 1) return each[0]!;
  return each.map((c) => (topLevel(c, 'OR').length > 1 ? `(${c})` : c)).join(' AND ');
}

/**
 * Whether a condition that holds means "tests are built": it names them (BUILD_TESTING, *_TESTS) and
 * is not their negation; of an OR, every part must (BUILD_TESTING OR WITH_DOCS holds without tests), of
 * an AND, one part (X AND NOT BUILD_TESTING is not one).
 */
export function isTestCondition(text: string): boolean {
  const anyOf = topLevel(text.trim(), 'OR');
  const unwrap = (x: string) => (wrapped(x) ? x.slice(1, -1) : x);
  if (anyOf.length > 1) return anyOf.every((x) => isTestCondition(unwrap(x)));
  const allOfThem = topLevel(text.trim(), 'AND');
  if (allOfThem.length > 1) return allOfThem.some((x) => isTestCondition(unwrap(x)));
  return !/^NOT\b/.test(text.trim()) && TEST_WORD.test(text);
}

export class CMakeReader {
  private readonly hooks: ReaderHooks;
  private readonly functions = new Map<string, Definition>();
  private readonly declared = new Set<string>();
  private readonly includeStack: string[] = [];
  private readonly guarded = new Set<string>();
  private nesting = 0;
  private readonly result: ReadResult = { pulls: [], projects: [], notFollowed: [], skipped: [], problems: [], commands: 0 };

  constructor(hooks: ReaderHooks) {
    this.hooks = hooks;
  }

  /**
   * Reads the project whose top CMakeLists.txt is in `dir`, owned by `owner` (undefined: the project itself).
   * `left` hears the project's variables as they stand at the end of its top CMakeLists.txt (a workspace
   * CMake package's version variables: ros/colcon.ts).
   */
  read(dir: string, options: { owner?: string; vars?: Map<string, Val>; left?: (get: (name: string) => Val | undefined) => void } = {}): ReadResult {
    const file = join(dir, 'CMakeLists.txt');
    const vars = new Vars(undefined, options.vars);
    vars.set('CMAKE_SOURCE_DIR', known(dir));
    const frame: Frame = { vars, conditions: [], test: false, owner: options.owner, file, returned: false, broke: false, depth: 0 };
    try {
      this.runFile(file, dir, frame);
      options.left?.((name) => vars.get(name));
    } catch (e) {
      if (!(e instanceof Stop)) throw e;
      this.result.problems.push({ file: this.hooks.show(file), message: `reading stopped after ${MAX_COMMANDS} CMake commands (a loop or a generated project?); what follows is not in the inventory`, severity: 'warning' });
    }
    return this.result;
  }

  // ---- variables -------------------------------------------------------------------------------

  private lookup(f: Frame) {
    return {
      get: (name: string): Val | undefined => f.macroArgs?.get(name) ?? f.vars.get(name),
      external: (name: string): Val => this.external(name),
      command: (name: string): Truth => (this.functions.has(name.toLowerCase()) || PULL_COMMANDS.has(name.toLowerCase()) ? true : undefined),
    };
  }

  /** A variable not set in the files read: defined by CMake for the platform, or unknown. */
  private external(name: string): Val {
    const p = this.hooks.platform.get(name);
    if (p !== undefined) return p === '\0' ? UNSET : known(p);
    if (/_FOUND$/.test(name)) return { unknown: `whether find_package finds ${name.slice(0, -6)} on the build machine` };
    return { unknown: `"${name}" is not set in the files read (a cache entry, the command line or a parent project sets it)` };
  }

  private args(call: CommandCall, f: Frame): Arg[] {
    const raw = f.macroArgs ? call.args.map((a) => this.substituteMacro(a, f.macroArgs!)) : call.args;
    return evaluateArgs(raw, this.lookup(f));
  }

  /** Macro parameters are replaced in the text before evaluation (cmake-commands(7) "macro"). */
  private substituteMacro(a: RawArg, params: Map<string, Val>): RawArg {
    if (a.kind === 'bracket' || !a.text.includes('${')) return a;
    const text = a.text.replace(/\$\{([A-Za-z0-9_]+)\}/g, (m, name: string) => {
      const v = params.get(name);
      if (!v) return m;
      const s = single(v);
      return s === undefined ? m : s.replace(/\$/g, '\\$');
    });
    return { ...a, text };
  }

  private set(f: Frame, name: string, value: Val, parentScope = false): void {
    if (parentScope) { f.vars.pin(name); f.parent?.set(name, value); return; }
    f.vars.set(name, value);
  }

  private setUnknown(f: Frame, name: string | undefined, why: string): void {
    if (name) f.vars.set(name, { unknown: why });
  }

  /** Arguments joined into one list value. */
  private join(args: readonly Arg[]): Val {
    // The common case, one value each: a plain join.
    const texts: string[] = [];
    for (const a of args) { if (!isKnown(a.val) || a.val.values.length !== 1) break; texts.push(a.val.values[0] ?? ''); }
    if (texts.length === args.length) return known(texts.join(';'));
    let acc: Val = known('');
    let first = true;
    for (const a of args) {
      if (!isKnown(a.val)) return a.val;
      const left = candidates(acc), right = candidates(a.val);
      const out: string[] = [];
      for (const l of left) for (const r of right) out.push(first ? r : `${l};${r}`);
      acc = union({ values: [] }, { values: [...new Set(out)] });
      if (!isKnown(acc)) return acc;
      first = false;
    }
    return acc;
  }

  // ---- execution -------------------------------------------------------------------------------

  private runFile(file: string, dir: string, f: Frame): void {
    const nodes = this.hooks.load(file);
    if (!nodes) {
      this.result.notFollowed.push({ file: this.hooks.show(f.file), line: 0, what: this.hooks.show(file), reason: 'file not found or not readable' });
      return;
    }
    const saved = { file: f.file };
    f.file = file;
    f.vars.set('CMAKE_CURRENT_SOURCE_DIR', known(dir));
    f.vars.set('CMAKE_CURRENT_LIST_DIR', known(dirname(file)));
    f.vars.set('CMAKE_CURRENT_LIST_FILE', known(file));
    this.run(nodes, f);
    f.file = saved.file;
  }

  private run(nodes: readonly Node[], f: Frame): void {
    // Blocks, calls and includes nest; past this depth the reading of that path stops, said once.
    if (this.nesting >= MAX_RUN_NESTING) {
      if (!this.result.notFollowed.some((n) => n.reason.startsWith('nested deeper'))) this.result.notFollowed.push({ file: this.hooks.show(f.file), line: 0, what: 'the rest of this path', reason: `nested deeper than ${MAX_RUN_NESTING} blocks, calls and includes` });
      return;
    }
    this.nesting++;
    try { this.runNodes(nodes, f); } finally { this.nesting--; }
  }

  private runNodes(nodes: readonly Node[], f: Frame): void {
    for (const n of nodes) {
      if (f.returned || f.broke) return;
      if (++this.result.commands > MAX_COMMANDS) throw new Stop();
      switch (n.type) {
        case 'command': this.command(n.call, f); break;
        case 'if': this.ifNode(n, f); break;
        case 'loop': this.loop(n, f); break;
        case 'define': this.define(n, f); break;
        case 'block': {
          // block(): a new variable scope, unless it says SCOPE_FOR without VARIABLES.
          const inner: Frame = { ...f, vars: f.vars.fork(), parent: f.vars, returned: false, broke: false };
          this.run(n.body, inner);
          if (inner.returned) f.returned = true;
          break;
        }
      }
    }
  }

  private cond(call: CommandCall, f: Frame): { truth: Truth; text: string } {
    const args = this.args(call, f);
    return { truth: evaluateCondition(args, this.lookup(f)), text: conditionText(call.args) };
  }

  /** Runs a body on a copy of the variables under extra conditions; the caller merges. */
  private branch(body: readonly Node[], f: Frame, conds: string[], test: boolean) {
    const sub: Frame = { ...f, vars: f.vars.fork(), conditions: [...f.conditions, ...conds], test: f.test || test, returned: false, broke: false };
    this.run(body, sub);
    return { vars: sub.vars, returned: sub.returned, broke: sub.broke, conds };
  }

  private ifNode(n: Extract<Node, { type: 'if' }>, f: Frame): void {
    const outcomes: ReturnType<CMakeReader['branch']>[] = [];
    const negations: string[] = [];
    let otherwiseReachable = true;
    for (const [i, b] of n.branches.entries()) {
      const { truth, text } = this.cond(b.head, f);
      if (truth === false) { this.skip(b.body, f, text); continue; }
      const test = isTestCondition(text);
      if (truth === true) {
        for (const later of n.branches.slice(i + 1)) this.skip(later.body, f, negate(text));
        if (n.otherwise) this.skip(n.otherwise, f, negate(text));
        if (!outcomes.length) {
          // The only path: run in place (no copy, no merge).
          const sub = f.test || !test ? f : { ...f, test: true };
          this.run(b.body, sub);
          if (sub !== f) { f.returned = sub.returned; f.broke = sub.broke; }
          return;
        }
        outcomes.push(this.branch(b.body, f, [...negations], test));
        otherwiseReachable = false;
        break;
      }
      outcomes.push(this.branch(b.body, f, [...negations, text], test));
      negations.push(negate(text));
    }
    if (otherwiseReachable) {
      if (!outcomes.length) { this.run(n.otherwise ?? [], f); return; }
      outcomes.push(this.branch(n.otherwise ?? [], f, negations, negations.some(isTestCondition)));
    }
    const going = outcomes.filter((o) => !o.returned);
    if (!going.length) { f.returned = true; return; }
    // A path that returned does not reach what follows: what follows holds when it was not taken.
    for (const o of outcomes) if (o.returned && o.conds.length) f.conditions = [...f.conditions, negate(allOf(o.conds))];
    const names = new Set<string>();
    for (const o of going) for (const k of o.vars.ownNames()) names.add(k);
    for (const k of names) {
      let v: Val | undefined;
      let firstSeen = true;
      for (const o of going) {
        const x = o.vars.get(k);
        v = firstSeen ? (x ?? UNSET) : union(v, x);
        firstSeen = false;
      }
      f.vars.set(k, v!);
    }
  }

  /** Downloads in a branch not taken (and in the files it would include by a plain path): named, so that leaving them out is said. */
  private skip(nodes: readonly Node[], f: Frame, condition: string, file = f.file, seen = new Set<string>()): void {
    for (const n of nodes) {
      if (n.type === 'command') {
        const spec = PULL_COMMANDS.get(n.call.name);
        if (spec) this.result.skipped.push({ file: this.hooks.show(file), line: n.call.line, command: `${spec.method}(${n.call.args[0]?.text ?? ''})`, condition });
        const target = n.call.name === 'include' ? n.call.args[0]?.text : undefined;
        if (target && !target.includes('$') && (target.includes('/') || target.endsWith('.cmake'))) {
          const dir = single(f.vars.get('CMAKE_CURRENT_SOURCE_DIR') ?? UNSET) ?? '';
          const path = isAbsolute(target) ? normalize(target) : join(dir, target);
          const included = seen.has(path) ? undefined : this.hooks.load(path);
          if (included) { seen.add(path); this.skip(included, f, condition, path, seen); }
        }
      } else if (n.type === 'if') {
        for (const b of n.branches) this.skip(b.body, f, condition, file, seen);
        if (n.otherwise) this.skip(n.otherwise, f, condition, file, seen);
      } else if (n.type !== 'define') this.skip(n.body, f, condition, file, seen);
    }
  }

  private loop(n: Extract<Node, { type: 'loop' }>, f: Frame): void {
    if (n.kind === 'while') {
      // Read once under its condition: a static reading cannot know how often a loop turns.
      const { truth, text } = this.cond(n.head, f);
      if (truth === false) return;
      const o = this.branch(n.body, f, truth === true ? [] : [text], isTestCondition(text));
      for (const k of o.vars.ownNames()) f.vars.set(k, union(f.vars.get(k), o.vars.get(k)));
      return;
    }
    const args = this.args(n.head, f);
    const loopVar = textOf(args[0]);
    if (!loopVar) return;
    const items = this.foreachItems(args.slice(1), f);
    if (!items) {
      // Items not known: the body is read once with the loop variable unknown.
      f.vars.set(loopVar, { unknown: `the items of foreach() at ${this.hooks.show(f.file)}:${n.head.line} are not known` });
      this.run(n.body, f);
      f.broke = false;
      return;
    }
    for (const item of items.slice(0, MAX_LOOP_ITEMS)) {
      f.vars.set(loopVar, item);
      this.run(n.body, f);
      if (f.broke) { f.broke = false; break; }
      if (f.returned) return;
    }
  }

  private foreachItems(args: Arg[], f: Frame): Val[] | undefined {
    const first = textOf(args[0]);
    if (first === 'RANGE') {
      const nums = args.slice(1).map((a) => Number(textOf(a)));
      if (nums.some((x) => !Number.isInteger(x))) return undefined;
      const [start, stop, step] = nums.length === 1 ? [0, nums[0]!, 1] : [nums[0]!, nums[1]!, nums[2] ?? 1];
      if (step <= 0 || (stop - start) / step > MAX_LOOP_ITEMS) return undefined;
      const out: Val[] = [];
      for (let i = start; i <= stop; i += step) out.push(known(String(i)));
      return out;
    }
    if (first === 'IN') {
      const out: Val[] = [];
      let mode = '';
      for (const a of args.slice(1)) {
        const t = textOf(a);
        if (t === 'LISTS' || t === 'ITEMS' || t === 'ZIP_LISTS') { mode = t; continue; }
        if (mode === 'ZIP_LISTS') return undefined;
        if (mode === 'ITEMS') { out.push(a.val); continue; }
        if (mode === 'LISTS') {
          const v = t === undefined ? undefined : this.lookup(f).get(t);
          if (!v) continue; // an unset list has no items
          const s = single(v);
          if (s === undefined) return undefined;
          for (const item of splitList(s)) out.push(known(item));
        }
      }
      return out;
    }
    return args.map((a) => a.val);
  }

  private define(n: Extract<Node, { type: 'define' }>, f: Frame): void {
    const args = this.args(n.head, f);
    const name = textOf(args[0])?.toLowerCase();
    if (!name) return;
    this.functions.set(name, { kind: n.kind, params: args.slice(1).map((a) => textOf(a) ?? ''), body: n.body, file: f.file });
  }

  private call(def: Definition, args: Arg[], call: CommandCall, f: Frame): void {
    if (f.depth >= MAX_DEPTH) {
      this.result.notFollowed.push({ file: this.hooks.show(f.file), line: call.line, what: `${call.name}()`, reason: `calls nested deeper than ${MAX_DEPTH}` });
      return;
    }
    const bound = new Map<string, Val>();
    def.params.forEach((p, i) => bound.set(p, args[i]?.val ?? UNSET));
    const argn = args.slice(def.params.length);
    bound.set('ARGC', known(String(args.length)));
    bound.set('ARGV', this.join(args));
    bound.set('ARGN', this.join(argn));
    args.forEach((a, i) => bound.set(`ARGV${i}`, a.val));
    if (def.kind === 'macro') {
      const sub: Frame = { ...f, file: def.file, macroArgs: bound, depth: f.depth + 1, returned: false };
      this.run(def.body, sub);
      // return() in a macro returns from the scope that called it.
      if (sub.returned) f.returned = true;
      return;
    }
    const vars = f.vars.fork();
    for (const [k, v] of bound) vars.set(k, v);
    const sub: Frame = { ...f, file: def.file, vars, parent: f.vars, depth: f.depth + 1, returned: false, broke: false, macroArgs: undefined };
    this.run(def.body, sub);
  }

  // ---- commands --------------------------------------------------------------------------------

  private command(call: CommandCall, f: Frame): void {
    if (this.hooks.trace) {
      const raw = f.macroArgs ? call.args.map((a) => this.substituteMacro(a, f.macroArgs!)) : call.args;
      this.hooks.trace(f.file, call.line, call.name, raw.filter((a) => !(a.kind === 'unquoted' && (a.text === '(' || a.text === ')'))).map((a) => { const v = expand(a.text, a.kind, this.lookup(f)); return isKnown(v) && v.values.length === 1 ? (v.values[0] ?? '') : undefined; }));
    }
    const pull = PULL_COMMANDS.get(call.name);
    if (pull) { this.pull(call, pull, f); return; }
    const def = this.functions.get(call.name);
    if (def) { this.call(def, this.args(call, f), call, f); return; }
    switch (call.name) {
      case 'set': return this.cmdSet(this.args(call, f), f);
      case 'unset': {
        const a = this.args(call, f);
        const name = textOf(a[0]);
        if (name) this.set(f, name, UNSET, textOf(a[1]) === 'PARENT_SCOPE');
        return;
      }
      case 'option': {
        const a = this.args(call, f);
        const name = textOf(a[0]);
        // CMP0077 NEW: option() leaves a variable that is already set alone.
        if (name && f.vars.get(name) === undefined) f.vars.set(name, a[2] ? a[2].val : known('OFF'));
        return;
      }
      case 'cmake_dependent_option': {
        const a = this.args(call, f);
        const name = textOf(a[0]);
        if (!name || f.vars.get(name) !== undefined) return;
        const depends = textOf(a[3]);
        const truth = depends === undefined ? undefined : evaluateCondition(evaluateArgs(splitList(depends).map((t) => ({ text: t, kind: 'unquoted' as const })), this.lookup(f)), this.lookup(f));
        f.vars.set(name, truth === true ? (a[2]?.val ?? known('OFF')) : truth === false ? (a[4]?.val ?? known('OFF')) : union(a[2]?.val, a[4]?.val));
        return;
      }
      case 'list': return this.cmdList(this.args(call, f), f);
      case 'string': return this.cmdString(this.args(call, f), f);
      case 'project': return this.cmdProject(this.args(call, f), call, f);
      case 'include': return this.cmdInclude(this.args(call, f), call, f);
      case 'add_subdirectory': return this.cmdSubdirectory(this.args(call, f), call, f);
      case 'return': f.returned = true; return;
      case 'break': f.broke = true; return;
      case 'message': {
        const level = textOf(this.args(call, f)[0]);
        if (level === 'FATAL_ERROR') f.returned = true;
        return;
      }
      case 'include_guard': {
        if (this.guarded.has(f.file)) f.returned = true;
        else this.guarded.add(f.file);
        return;
      }
      case 'cmake_parse_arguments': return this.cmdParseArguments(this.args(call, f), f);
      case 'get_filename_component': return this.cmdFilename(this.args(call, f), f);
      case 'fetchcontent_makeavailable': {
        for (const a of this.args(call, f)) {
          const n = textOf(a)?.toLowerCase();
          if (!n) continue;
          this.setUnknown(f, `${n}_SOURCE_DIR`, `fetched at build time (${n})`);
          this.setUnknown(f, `${n}_BINARY_DIR`, `fetched at build time (${n})`);
          f.vars.set(`${n}_POPULATED`, known('TRUE'));
        }
        return;
      }
      case 'find_package': {
        const name = textOf(this.args(call, f)[0]);
        if (!name) return;
        const why = `whether find_package finds ${name} on the build machine`;
        for (const v of [`${name}_FOUND`, `${name.toUpperCase()}_FOUND`, `${name}_VERSION`, `${name}_DIR`]) this.setUnknown(f, v, why);
        return;
      }
      case 'find_path': case 'find_library': case 'find_program': case 'find_file':
      case 'get_property': case 'get_target_property': case 'get_directory_property': case 'get_source_file_property':
      case 'get_test_property': case 'get_cmake_property': case 'try_compile': case 'try_run': case 'math':
      case 'externalproject_get_property': case 'fetchcontent_getproperties': case 'site_name': case 'cmake_host_system_information': {
        const a = this.args(call, f);
        const why = `set by ${call.name}() at build time`;
        if (call.name === 'math') this.setUnknown(f, textOf(a[1]), why);
        else if (call.name === 'externalproject_get_property') for (const p of a.slice(1)) this.setUnknown(f, textOf(p), why);
        else if (call.name === 'fetchcontent_getproperties') {
          const n = textOf(a[0])?.toLowerCase();
          if (n) for (const s of ['SOURCE_DIR', 'BINARY_DIR', 'POPULATED']) this.setUnknown(f, `${n}_${s}`, why);
        } else this.setUnknown(f, textOf(a[0]), why);
        return;
      }
      case 'execute_process': {
        const a = this.args(call, f);
        a.forEach((x, i) => { if (/^(RESULT|RESULTS|OUTPUT|ERROR)_VARIABLE$/.test(textOf(x) ?? '')) this.setUnknown(f, textOf(a[i + 1]), 'the output of a command run at build time'); });
        return;
      }
      case 'file': {
        const a = this.args(call, f);
        const sub = textOf(a[0]);
        const why = `read by file(${sub}) at build time`;
        if (sub && /^(READ|STRINGS|MD5|SHA1|SHA224|SHA256|SHA384|SHA512|SHA3_224|SHA3_256|SHA3_384|SHA3_512|TO_CMAKE_PATH|TO_NATIVE_PATH|REAL_PATH|SIZE|READ_SYMLINK|TIMESTAMP)$/.test(sub)) this.setUnknown(f, textOf(a[2]), why);
        else if (sub && /^(GLOB|GLOB_RECURSE|RELATIVE_PATH)$/.test(sub)) this.setUnknown(f, textOf(a[1]), why);
        return;
      }
      case 'cmake_path': {
        const a = this.args(call, f);
        this.setUnknown(f, textOf(a[1]), 'computed by cmake_path()');
        if (a.length > 2) this.setUnknown(f, textOf(a[a.length - 1]), 'computed by cmake_path()');
        return;
      }
      default: return; // a command that declares nothing this reader needs
    }
  }

  private cmdSet(a: Arg[], f: Frame): void {
    const name = textOf(a[0]);
    if (!name || name.startsWith('ENV{')) return;
    let values = a.slice(1);
    let parentScope = false;
    const cacheAt = values.findIndex((x) => x.kind === 'unquoted' && textOf(x) === 'CACHE');
    if (cacheAt >= 0) {
      const force = values.slice(cacheAt).some((x) => textOf(x) === 'FORCE');
      values = values.slice(0, cacheAt);
      // A cache entry does not replace a variable already set (its value is a default the user may change).
      if (!force && f.vars.get(name) !== undefined) return;
    } else if (values.length && textOf(values[values.length - 1]) === 'PARENT_SCOPE') {
      parentScope = true;
      values = values.slice(0, -1);
    }
    if (!values.length) { this.set(f, name, UNSET, parentScope); return; }
    this.set(f, name, this.join(values), parentScope);
  }

  private cmdList(a: Arg[], f: Frame): void {
    const sub = textOf(a[0]);
    const name = textOf(a[1]);
    if (!sub || !name) return;
    const current = f.vars.get(name);
    const items = (v: Val | undefined): string[] | undefined => {
      if (v === undefined) return [];
      const s = single(v);
      return s === undefined ? undefined : splitList(s);
    };
    const cur = items(current);
    const rest = a.slice(2);
    const restItems = rest.map(textOf);
    const known_ = (xs: (string | undefined)[]): xs is string[] => xs.every((x) => x !== undefined);
    const write = (v: string[] | undefined, target = name) => f.vars.set(target, v === undefined ? { unknown: `list(${sub}) of a list not known statically` } : known(v.join(';')));
    switch (sub) {
      case 'APPEND': write(cur && known_(restItems) ? [...cur, ...restItems] : undefined); return;
      case 'PREPEND': write(cur && known_(restItems) ? [...restItems, ...cur] : undefined); return;
      case 'INSERT': {
        const at = Number(restItems[0]);
        const els = restItems.slice(1);
        write(cur && Number.isInteger(at) && known_(els) ? [...cur.slice(0, at), ...els, ...cur.slice(at)] : undefined);
        return;
      }
      case 'REMOVE_ITEM': write(cur && known_(restItems) ? cur.filter((x) => !restItems.includes(x)) : undefined); return;
      case 'LENGTH': write(cur ? [String(cur.length)] : undefined, restItems[0] ?? name); return;
      case 'GET': {
        const out = restItems[restItems.length - 1];
        const idx = restItems.slice(0, -1).map(Number);
        if (!out) return;
        write(cur && idx.every((i) => Number.isInteger(i) && Math.abs(i) < cur.length + (i < 0 ? 1 : 0)) ? idx.map((i) => cur[i < 0 ? cur.length + i : i]!) : undefined, out);
        return;
      }
      case 'JOIN': if (restItems[1]) f.vars.set(restItems[1], cur && restItems[0] !== undefined ? known(cur.join(restItems[0])) : { unknown: 'list(JOIN) of a list not known statically' }); return;
      case 'POP_FRONT': case 'POP_BACK': {
        if (!cur) { write(undefined); return; }
        const outs = restItems.filter((x): x is string => x !== undefined);
        const taken = sub === 'POP_FRONT' ? cur.slice(0, Math.max(outs.length, 1)) : cur.slice(-Math.max(outs.length, 1)).reverse();
        outs.forEach((o, i) => f.vars.set(o, taken[i] === undefined ? UNSET : known(taken[i]!)));
        write(sub === 'POP_FRONT' ? cur.slice(taken.length) : cur.slice(0, cur.length - taken.length));
        return;
      }
      case 'FIND': case 'SUBLIST': write(undefined, restItems[restItems.length - 1] ?? name); return;
      default: {
        // TRANSFORM, SORT, REVERSE, FILTER, REMOVE_AT, REMOVE_DUPLICATES: the list or OUTPUT_VARIABLE changes.
        const outAt = restItems.indexOf('OUTPUT_VARIABLE');
        write(undefined, outAt >= 0 ? restItems[outAt + 1] ?? name : name);
      }
    }
  }

  private cmdString(a: Arg[], f: Frame): void {
    const sub = textOf(a[0]);
    const t = a.map(textOf);
    const unknownAt = (i: number) => this.setUnknown(f, t[i], `computed by string(${sub})`);
    switch (sub) {
      case 'TOLOWER': case 'TOUPPER':
        if (t[2]) f.vars.set(t[2], t[1] === undefined ? { unknown: 'string() of a value not known statically' } : known(sub === 'TOLOWER' ? t[1].toLowerCase() : t[1].toUpperCase()));
        return;
      case 'REPLACE': {
        const [, match, repl, out] = t;
        const input = t.slice(4);
        if (!out) return;
        f.vars.set(out, match && repl !== undefined && input.every((x) => x !== undefined) ? known(input.join('').split(match).join(repl)) : { unknown: 'string(REPLACE) of a value not known statically' });
        return;
      }
      case 'CONCAT': if (t[1]) f.vars.set(t[1], this.concat(a.slice(2))); return;
      case 'APPEND': case 'PREPEND': {
        if (!t[1]) return;
        const cur = f.vars.get(t[1]) ?? known('');
        const add = this.concat(a.slice(2));
        f.vars.set(t[1], sub === 'APPEND' ? this.concat([{ val: cur, kind: 'quoted', raw: '' }, { val: add, kind: 'quoted', raw: '' }]) : this.concat([{ val: add, kind: 'quoted', raw: '' }, { val: cur, kind: 'quoted', raw: '' }]));
        return;
      }
      case 'JOIN': if (t[2]) f.vars.set(t[2], t[1] !== undefined && t.slice(3).every((x) => x !== undefined) ? known(t.slice(3).join(t[1])) : { unknown: 'string(JOIN) of values not known statically' }); return;
      case 'STRIP': if (t[2]) f.vars.set(t[2], t[1] === undefined ? { unknown: 'string(STRIP) of a value not known statically' } : known(t[1].trim())); return;
      case 'REGEX': return unknownAt(t[1] === 'REPLACE' ? 4 : 3);
      case 'SUBSTRING': return unknownAt(4);
      case 'FIND': case 'COMPARE': return unknownAt(a.length - 1);
      case 'LENGTH': case 'MAKE_C_IDENTIFIER': case 'GENEX_STRIP': case 'HEX': case 'CONFIGURE': case 'REPEAT': return unknownAt(sub === 'REPEAT' ? 3 : 2);
      case 'TIMESTAMP': case 'RANDOM': case 'UUID': case 'JSON': return unknownAt(sub === 'RANDOM' ? a.length - 1 : 1);
      default:
        if (sub && /^(MD5|SHA1|SHA224|SHA256|SHA384|SHA512|SHA3_\d+)$/.test(sub)) unknownAt(1);
    }
  }

  private concat(args: readonly Arg[]): Val {
    let acc: string[] = [''];
    for (const a of args) {
      if (!isKnown(a.val)) return a.val;
      const next: string[] = [];
      for (const l of acc) for (const r of candidates(a.val)) next.push(l + r);
      acc = [...new Set(next)];
    }
    return union({ values: [] }, { values: acc });
  }

  private cmdProject(a: Arg[], call: CommandCall, f: Frame): void {
    const name = textOf(a[0]);
    if (!name) return;
    const dir = single(f.vars.get('CMAKE_CURRENT_SOURCE_DIR') ?? UNSET) ?? '';
    const kw = parseKeywords(a.slice(1), new Set(['VERSION', 'DESCRIPTION', 'HOMEPAGE_URL', 'LANGUAGES']));
    const version = textOf(kw.get('VERSION')?.[0]);
    f.vars.set('PROJECT_NAME', known(name));
    f.vars.set('PROJECT_SOURCE_DIR', known(dir));
    f.vars.set(`${name}_SOURCE_DIR`, known(dir));
    if (f.vars.get('CMAKE_PROJECT_NAME') === undefined) f.vars.set('CMAKE_PROJECT_NAME', known(name));
    const v = version ?? '';
    const [major = '', minor = '', patch = '', tweak = ''] = v.split('.');
    for (const [suffix, value] of [['VERSION', v], ['VERSION_MAJOR', major], ['VERSION_MINOR', minor], ['VERSION_PATCH', patch], ['VERSION_TWEAK', tweak]] as const) {
      f.vars.set(`PROJECT_${suffix}`, known(value));
      f.vars.set(`${name}_${suffix}`, known(value));
    }
    this.result.projects.push({ dir, name, ...(version ? { version } : {}), file: this.hooks.show(f.file), line: call.line });
  }

  private cmdInclude(a: Arg[], call: CommandCall, f: Frame): void {
    const target = a[0];
    if (!target) return;
    const text = textOf(target);
    const optional = a.some((x) => textOf(x) === 'OPTIONAL');
    const where = { file: this.hooks.show(f.file), line: call.line };
    if (text === undefined) {
      this.result.notFollowed.push({ ...where, what: `include(${target.raw})`, reason: isKnown(target.val) ? 'several possible files' : target.val.unknown });
      return;
    }
    const dir = single(f.vars.get('CMAKE_CURRENT_SOURCE_DIR') ?? UNSET) ?? '';
    let path: string | undefined;
    if (text.includes('/') || text.endsWith('.cmake')) path = isAbsolute(text) ? normalize(text) : join(dir, text);
    else {
      // A module: CMAKE_MODULE_PATH first; one that is not there is one of CMake's own.
      const modulePath = single(f.vars.get('CMAKE_MODULE_PATH') ?? UNSET) ?? '';
      for (const d of splitList(modulePath)) {
        const p = join(isAbsolute(d) ? d : join(dir, d), `${text}.cmake`);
        if (this.hooks.load(p)) { path = p; break; }
      }
      if (!path) {
        // One of CMake's own modules; any other name is a module the build finds elsewhere (a package's).
        if (!CMAKE_MODULES.has(text) && !optional) this.result.notFollowed.push({ ...where, what: `include(${target.raw})`, reason: `module ${text} is neither in the scanned folder's CMAKE_MODULE_PATH nor one of CMake's` });
        return;
      }
    }
    if (this.includeStack.includes(path)) return; // a file that includes itself
    if (!this.hooks.load(path)) {
      if (!optional) this.result.notFollowed.push({ ...where, what: `include(${target.raw})`, reason: `${this.hooks.show(path)} is not in the scanned folder` });
      return;
    }
    this.includeStack.push(path);
    const saved = { returned: f.returned, dir: f.vars.get('CMAKE_CURRENT_LIST_DIR'), file: f.vars.get('CMAKE_CURRENT_LIST_FILE') };
    const nodes = this.hooks.load(path)!;
    const prevFile = f.file;
    f.file = path;
    f.vars.set('CMAKE_CURRENT_LIST_DIR', known(dirname(path)));
    f.vars.set('CMAKE_CURRENT_LIST_FILE', known(path));
    this.run(nodes, f);
    // return() in an included file ends that file only.
    f.returned = saved.returned;
    f.file = prevFile;
    if (saved.dir) f.vars.set('CMAKE_CURRENT_LIST_DIR', saved.dir);
    if (saved.file) f.vars.set('CMAKE_CURRENT_LIST_FILE', saved.file);
    this.includeStack.pop();
  }

  private cmdSubdirectory(a: Arg[], call: CommandCall, f: Frame): void {
    const target = a[0];
    if (!target) return;
    const where = { file: this.hooks.show(f.file), line: call.line };
    const text = textOf(target);
    if (text === undefined) {
      // A folder only the build knows (a FetchContent source folder): what it holds was fetched, and is listed as that download.
      if (!isKnown(target.val) && target.val.unknown.startsWith('fetched at build time')) return;
      this.result.notFollowed.push({ ...where, what: `add_subdirectory(${target.raw})`, reason: isKnown(target.val) ? 'several possible folders' : target.val.unknown });
      return;
    }
    const cur = single(f.vars.get('CMAKE_CURRENT_SOURCE_DIR') ?? UNSET) ?? '';
    const dir = isAbsolute(text) ? normalize(text) : join(cur, text);
    if (this.includeStack.includes(dir) || f.depth >= MAX_DEPTH) return;
    if (!this.hooks.isFolder(dir)) {
      this.result.notFollowed.push({ ...where, what: `add_subdirectory(${target.raw})`, reason: `${this.hooks.show(dir)} is not a folder of the scanned tree` });
      return;
    }
    const entered = this.hooks.enterSubdirectory(dir, { ...where, owner: f.owner, conditions: f.conditions, test: f.test });
    if (entered === false) return;
    const sub: Frame = { ...f, vars: f.vars.fork(), parent: f.vars, owner: entered.owner ?? f.owner, returned: false, broke: false, depth: f.depth + 1 };
    this.includeStack.push(dir);
    this.runFile(join(dir, 'CMakeLists.txt'), dir, sub);
    this.includeStack.pop();
    this.hooks.leftSubdirectory?.(dir, (name) => sub.vars.get(name));
  }

  private cmdParseArguments(a: Arg[], f: Frame): void {
    const t = a.map(textOf);
    let prefix: string | undefined, lists: (string | undefined)[], values: Arg[];
    if (t[0] === 'PARSE_ARGV') {
      const start = Number(t[1]);
      prefix = t[2];
      lists = t.slice(3, 6);
      const argv = f.vars.get('ARGV') ?? f.macroArgs?.get('ARGV');
      const s = argv ? single(argv) : undefined;
      if (s === undefined || !Number.isInteger(start)) { if (prefix) this.setUnknown(f, `${prefix}_UNPARSED_ARGUMENTS`, 'arguments not known statically'); return; }
      values = splitList(s).slice(start).map((x) => ({ val: known(x), kind: 'unquoted' as const, raw: x }));
    } else {
      prefix = t[0];
      lists = t.slice(1, 4);
      values = a.slice(4);
    }
    if (!prefix) return;
    const [opts, one, multi] = lists.map((l) => new Set(splitList(l ?? '')));
    const keywords = new Set([...opts!, ...one!, ...multi!]);
    const parsed = parseKeywords(values, keywords);
    for (const k of opts!) f.vars.set(`${prefix}_${k}`, known(parsed.has(k) ? 'TRUE' : 'FALSE'));
    for (const k of [...one!, ...multi!]) {
      const got = parsed.get(k);
      if (!got || !got.length) { f.vars.set(`${prefix}_${k}`, UNSET); continue; }
      f.vars.set(`${prefix}_${k}`, one!.has(k) ? got[0]!.val : this.join(got));
    }
    const firstKeyword = values.findIndex((v) => keywords.has(textOf(v) ?? '\0'));
    const unparsed = firstKeyword < 0 ? values : values.slice(0, firstKeyword);
    f.vars.set(`${prefix}_UNPARSED_ARGUMENTS`, unparsed.length ? this.join(unparsed) : UNSET);
  }

  private cmdFilename(a: Arg[], f: Frame): void {
    const [out, file, mode] = a.map(textOf);
    if (!out) return;
    if (file === undefined || !mode) { this.setUnknown(f, out, 'get_filename_component() of a path not known statically'); return; }
    const cur = single(f.vars.get('CMAKE_CURRENT_SOURCE_DIR') ?? UNSET) ?? '';
    const p = posix;
    const abs = () => normalize(isAbsolute(file) ? file : join(cur, file));
    const value = mode === 'DIRECTORY' || mode === 'PATH' ? p.dirname(file)
      : mode === 'NAME' ? p.basename(file)
        : mode === 'NAME_WE' ? p.basename(file).replace(/\..*$/, '')
          : mode === 'EXT' ? (/\..*$/.exec(p.basename(file))?.[0] ?? '')
            : mode === 'ABSOLUTE' || mode === 'REALPATH' ? abs() : undefined;
    f.vars.set(out, value === undefined ? { unknown: `get_filename_component(${mode})` } : known(value));
  }

  private pull(call: CommandCall, spec: NonNullable<ReturnType<typeof PULL_COMMANDS.get>>, f: Frame): void {
    const a = this.args(call, f);
    const start = spec.named ? 1 : 0;
    const firstKeyword = a.findIndex((x, i) => i >= start && x.kind === 'unquoted' && spec.keywords.has(textOf(x) ?? '\0'));
    const positional = a.slice(start, firstKeyword < 0 ? a.length : firstKeyword);
    const keys = parseKeywords(a.slice(start), spec.keywords);
    const name = spec.named ? textOf(a[0]) : textOf(keys.get('NAME')?.[0]);
    // FetchContent_Populate(name) without download options populates what was declared.
    if (spec.method === 'FetchContent_Populate' && keys.size === 0) return;
    // FetchContent and CPM: the first declaration of a name wins (FetchContent(3)).
    if (name && spec.method !== 'ExternalProject_Add' && spec.method !== 'ament_vendor') {
      const id = name.toLowerCase();
      if (this.declared.has(id)) return;
      this.declared.add(id);
    }
    this.result.pulls.push({
      method: spec.method, ...(name ? { name } : {}), keys, positional,
      file: this.hooks.show(f.file), line: call.line, conditions: [...f.conditions], test: f.test,
      ...(f.owner ? { owner: f.owner } : {}),
    });
    if (name && spec.method !== 'ament_vendor') {
      const n = name.toLowerCase();
      this.setUnknown(f, `${n}_SOURCE_DIR`, `fetched at build time (${name})`);
      this.setUnknown(f, `${n}_BINARY_DIR`, `fetched at build time (${name})`);
      if (spec.method.startsWith('CPM')) this.setUnknown(f, `${name}_SOURCE_DIR`, `fetched at build time (${name})`);
    }
  }
}
