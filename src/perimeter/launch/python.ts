// Python launch files, read statically: parsed with a real Python grammar (@lezer/python) and
// evaluated by a small interpreter that knows the launch and launch_ros API, plain values (strings,
// lists, dicts, tuples), local variables and functions. Nothing is executed; what depends on code
// Marque does not model becomes a gap with its line, never a guess.
import { parser } from '@lezer/python';
import type { SyntaxNode } from '@lezer/common';
import { gap, lit, type Action, type Composable, type Condition, type ReadLaunch, type Txt } from './action.ts';

type V =
  | { t: 'str'; s: string }
  | { t: 'num'; n: number }
  | { t: 'bool'; b: boolean }
  | { t: 'none' }
  | { t: 'list'; items: V[] }
  | { t: 'dict'; keys: V[]; vals: V[] }
  | { t: 'txt'; txt: Txt }
  | { t: 'obj'; cls: string; pos: V[]; kw: Map<string, V>; line: number; actions?: V[] }
  | { t: 'fn'; node: SyntaxNode; closure: Env }
  | { t: 'name'; path: string }
  | { t: 'unknown'; why: string; line: number };

const NONE: V = { t: 'none' };
const unknown = (why: string, line: number): V => ({ t: 'unknown', why, line });

class Env {
  private vars = new Map<string, V>();
  readonly parent: Env | undefined;
  constructor(parent?: Env) { this.parent = parent; }
  get(name: string): V | undefined { return this.vars.get(name) ?? this.parent?.get(name); }
  set(name: string, v: V): void { this.vars.set(name, v); }
}

/** Python's own truthiness, when it is known without running anything. */
function truthy(v: V): boolean | undefined {
  switch (v.t) {
    case 'str': return v.s !== '';
    case 'num': return v.n !== 0;
    case 'bool': return v.b;
    case 'none': return false;
    case 'list': return v.items.length > 0;
    case 'dict': return v.keys.length > 0;
    case 'obj': case 'fn': case 'txt': return true; // a substitution object is truthy, whatever it resolves to
    default: return undefined;
  }
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
/** Actions whose arguments may hold further actions (timers, event handlers): searched for them. */
/** Actions that launch nothing and change nothing the architecture shows. */
const INERT = new Set(['SetParameter', 'SetParametersFromFile', 'SetRemap', 'SetUseSimTime', 'LogInfo', 'Shutdown', 'EmitEvent', 'SetROSLogDir', 'UnsetEnvironmentVariable', 'AppendEnvironmentVariable', 'ResetEnvironment', 'ResetLaunchConfigurations', 'RosTimer']);
/** Bounds on static evaluation: a launch file is data here, never a program that may run long. */
const MAX_STEPS = 1_000_000;
const CONTAINERS_OF_ACTIONS = new Set(['TimerAction', 'RegisterEventHandler', 'OnProcessExit', 'OnProcessStart', 'OnProcessIO', 'OnExecutionComplete', 'OnShutdown', 'OnStateTransition', 'EventHandler']);

export function readPythonLaunch(text: string, file: string): ReadLaunch {
  const tree = parser.parse(text);
  const lineStarts = [0];
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) lineStarts.push(i + 1);
  const lineAt = (pos: number) => {
    let lo = 0, hi = lineStarts.length - 1;
    while (lo < hi) { const mid = (lo + hi + 1) >> 1; if (lineStarts[mid]! <= pos) lo = mid; else hi = mid - 1; }
    return lo + 1;
  };
  let syntaxError: number | undefined;
  tree.iterate({ enter: (n) => { if (syntaxError === undefined && n.type.isError) syntaxError = n.from; } });
  if (syntaxError !== undefined) return { actions: [], notes: [`${file}:${lineAt(syntaxError)}: not valid Python; the launch file was not analysed`] };

  const notes: string[] = [];
  const src = (n: SyntaxNode) => text.slice(n.from, n.to);
  const kids = (n: SyntaxNode): SyntaxNode[] => { const out: SyntaxNode[] = []; for (let c = n.firstChild; c; c = c.nextSibling) if (c.name !== 'Comment') out.push(c); return out; };
  const PUNCT = new Set(['(', ')', '[', ']', '{', '}', ',', ':', '.']);
  let calls = 0;
  let steps = 0;

  // ---- expressions ----
  function ev(n: SyntaxNode, env: Env, depth: number): V {
    const line = lineAt(n.from);
    switch (n.name) {
      case 'String': return { t: 'str', s: stringLiteral(src(n)) };
      case 'ContinuedString': return cat(kids(n).map((k) => ev(k, env, depth)));
      case 'FormatString': {
        const parts: V[] = [];
        let at = n.from;
        const open = /^[a-zA-Z]*('''|"""|'|")/.exec(src(n))![0].length;
        at += open;
        for (const r of kids(n).filter((k) => k.name === 'FormatReplacement')) {
          if (r.from > at) parts.push({ t: 'str', s: text.slice(at, r.from) });
          const inner = kids(r).find((k) => !PUNCT.has(k.name) && k.name !== 'FormatSpec' && k.name !== 'FormatConversion');
          parts.push(inner ? ev(inner, env, depth) : unknown('empty f-string replacement', line));
          at = r.to;
        }
        const close = /('''|"""|'|")$/.exec(src(n))![0].length;
        if (n.to - close > at) parts.push({ t: 'str', s: text.slice(at, n.to - close) });
        return cat(parts);
      }
      case 'Number': return { t: 'num', n: Number(src(n).replace(/_/g, '')) };
      case 'Boolean': return { t: 'bool', b: src(n) === 'True' };
      case 'None': return NONE;
      case 'VariableName': {
        const name = src(n);
        if (name === '__file__') return { t: 'str', s: file };
        return env.get(name) ?? { t: 'name', path: name };
      }
      case 'ParenthesizedExpression': { const inner = kids(n).filter((k) => !PUNCT.has(k.name)); return inner.length === 1 ? ev(inner[0]!, env, depth) : unknown('parenthesised expression', line); }
      case 'TupleExpression': case 'ArrayExpression': return { t: 'list', items: kids(n).filter((k) => !PUNCT.has(k.name)).map((k) => ev(k, env, depth)) };
      case 'DictionaryExpression': {
        const items = kids(n).filter((k) => !PUNCT.has(k.name));
        const d: V = { t: 'dict', keys: [], vals: [] };
        for (let i = 0; i + 1 < items.length; i += 2) { d.keys.push(ev(items[i]!, env, depth)); d.vals.push(ev(items[i + 1]!, env, depth)); }
        return d;
      }
      case 'MemberExpression': {
        const [obj, , prop] = kids(n);
        if (!obj || !prop) return unknown('member expression', line);
        const o = ev(obj, env, depth);
        if (prop.name === 'PropertyName') return o.t === 'name' ? { t: 'name', path: `${o.path}.${src(prop)}` } : { t: 'unknown', why: `attribute .${src(prop)} is not known statically`, line };
        // Subscript: a[0], d['k']
        const key = ev(prop, env, depth);
        if (o.t === 'list' && key.t === 'num') return o.items[key.n < 0 ? o.items.length + key.n : key.n] ?? unknown('index out of range', line);
        if (o.t === 'dict' && key.t === 'str') { const i = o.keys.findIndex((k) => k.t === 'str' && k.s === key.s); return i >= 0 ? o.vals[i]! : unknown(`key "${key.s}" is not in the dict`, line); }
        return unknown(`subscript ${src(n).slice(0, 60)} is not known statically`, line);
      }
      case 'BinaryExpression': {
        const [l, op, r] = kids(n);
        if (!l || !op || !r) return unknown('expression', line);
        const a = ev(l, env, depth), b = ev(r, env, depth);
        const o = src(op);
        if (o === '+') {
          if (a.t === 'list' && b.t === 'list') return { t: 'list', items: [...a.items, ...b.items] };
          if (a.t === 'num' && b.t === 'num') return { t: 'num', n: a.n + b.n };
          return cat([a, b]);
        }
        // PathSubstitution(...) / "dir" / "file": a path join.
        if (o === '/' && (a.t === 'txt' || a.t === 'str') && (b.t === 'txt' || b.t === 'str')) return { t: 'txt', txt: [{ join: [toTxt(a), toTxt(b)] }] };
        if (o === 'and' || o === 'or') {
          const ta = truthy(a);
          if (ta === undefined) return unknown(`"${src(n).slice(0, 60)}" depends on values known only at launch`, line);
          return o === 'and' ? (ta ? b : a) : (ta ? a : b);
        }
        if (o === '==' || o === '!=') {
          if ((a.t === 'str' || a.t === 'num' || a.t === 'bool' || a.t === 'none') && a.t === b.t) {
            const same = JSON.stringify(a) === JSON.stringify(b);
            return { t: 'bool', b: o === '==' ? same : !same };
          }
        }
        return unknown(`"${src(n).slice(0, 60)}" is not evaluated statically`, line);
      }
      case 'UnaryExpression': {
        const [op, x] = kids(n);
        if (op && x && src(op) === 'not') { const t = truthy(ev(x, env, depth)); return t === undefined ? unknown(`"${src(n).slice(0, 60)}" depends on values known only at launch`, line) : { t: 'bool', b: !t }; }
        if (op && x && src(op) === '-') { const v = ev(x, env, depth); return v.t === 'num' ? { t: 'num', n: -v.n } : unknown('negation', line); }
        return unknown('unary expression', line);
      }
      case 'ConditionalExpression': {
        const [a, , c, , b] = kids(n);
        if (!a || !c || !b) return unknown('conditional expression', line);
        const t = truthy(ev(c, env, depth));
        return t === undefined ? unknown(`"${src(n).slice(0, 60)}" chooses at launch time`, line) : ev(t ? a : b, env, depth);
      }
      case 'CallExpression': return call(n, env, depth);
      default: return unknown(`${n.name} is not evaluated statically`, line);
    }
  }

  /** Concatenation, as `a + b` and f-strings are: plain text when every part is, a substitution list otherwise. */
  function cat(parts: V[]): V {
    if (parts.every((p) => p.t === 'str')) return { t: 'str', s: parts.map((p) => (p as { s: string }).s).join('') };
    return { t: 'txt', txt: parts.flatMap((p) => toTxt(p)) };
  }

  function args(n: SyntaxNode, env: Env, depth: number): { pos: V[]; kw: Map<string, V> } {
    const list = kids(n).filter((k) => !PUNCT.has(k.name));
    const pos: V[] = [];
    const kw = new Map<string, V>();
    for (let i = 0; i < list.length; i++) {
      const k = list[i]!;
      if (k.name === 'VariableName' && list[i + 1]?.name === 'AssignOp' && list[i + 2]) { kw.set(src(k), ev(list[i + 2]!, env, depth)); i += 2; continue; }
      if (k.name === '*' || k.name === '**') {
        const spread = list[i + 1] ? ev(list[i + 1]!, env, depth) : NONE;
        if (k.name === '*' && spread.t === 'list') pos.push(...spread.items);
        else if (k.name === '**' && spread.t === 'dict') spread.keys.forEach((key, j) => { if (key.t === 'str') kw.set(key.s, spread.vals[j]!); });
        else notes.push(`${file}:${lineAt(k.from)}: ${k.name}${list[i + 1] ? src(list[i + 1]!) : ''} is not known statically; its arguments are not read`);
        i++;
        continue;
      }
      pos.push(ev(k, env, depth));
    }
    return { pos, kw };
  }

  function call(n: SyntaxNode, env: Env, depth: number): V {
    const line = lineAt(n.from);
    const [calleeNode, argList] = kids(n);
    if (!calleeNode || !argList) return unknown('call', line);
    if (++calls > 200_000) return unknown('evaluation budget exhausted', line);
    // Method calls on values: ld.add_action(x), nodes.append(x), {...}.items(), x.perform(context).
    if (calleeNode.name === 'MemberExpression') {
      const [objNode, , propNode] = kids(calleeNode);
      if (objNode && propNode?.name === 'PropertyName') {
        const obj = ev(objNode, env, depth);
        const method = src(propNode);
        if (obj.t !== 'name') {
          const { pos } = args(argList, env, depth);
          if (obj.t === 'obj' && obj.cls === 'LaunchDescription' && (method === 'add_action' || method === 'add_entity')) { (obj.actions ??= []).push(...pos.slice(0, 1)); return NONE; }
          if (obj.t === 'obj' && obj.cls === 'LaunchDescription' && method === 'add_actions') { for (const p of pos) if (p.t === 'list') (obj.actions ??= []).push(...p.items); return NONE; }
          if (obj.t === 'list' && method === 'append') { obj.items.push(pos[0] ?? NONE); return NONE; }
          if (obj.t === 'list' && method === 'extend') { if (pos[0]?.t === 'list') obj.items.push(...pos[0].items); else obj.items.push(unknown('extend with a value not known statically', line)); return NONE; }
          if (obj.t === 'list' && method === 'insert') { obj.items.splice(pos[0]?.t === 'num' ? pos[0].n : obj.items.length, 0, pos[1] ?? NONE); return NONE; }
          if (obj.t === 'dict' && method === 'items') return { t: 'list', items: obj.keys.map((k, i) => ({ t: 'list', items: [k, obj.vals[i]!] })) };
          if (obj.t === 'dict' && method === 'get') { const i = obj.keys.findIndex((k) => JSON.stringify(k) === JSON.stringify(pos[0])); return i >= 0 ? obj.vals[i]! : (pos[1] ?? NONE); }
          if (obj.t === 'dict' && method === 'update') { const o = pos[0]; if (o?.t === 'dict') o.keys.forEach((k, i) => { obj.keys.push(k); obj.vals.push(o.vals[i]!); }); return NONE; }
          if (method === 'perform') return obj; // LaunchConfiguration(...).perform(context): the same value, resolved later
          if (obj.t === 'str' && method === 'lower') return { t: 'str', s: obj.s.toLowerCase() };
          if (obj.t === 'str' && method === 'strip') return { t: 'str', s: obj.s.trim() };
          return unknown(`.${method}() is not evaluated statically`, line);
        }
      }
    }
    const callee = ev(calleeNode, env, depth);
    const { pos, kw } = args(argList, env, depth);
    if (callee.t === 'fn') return callLocal(callee, pos, kw, depth, line);
    if (callee.t !== 'name') return unknown(`call of ${src(calleeNode).slice(0, 60)} is not evaluated statically`, line);
    const name = callee.path.split('.').pop()!;
    const arg = (i: number, k: string) => kw.get(k) ?? pos[i];
    switch (callee.path === 'os.path.join' ? 'os.path.join' : name) {
      case 'LaunchConfiguration': case 'LaunchConfigAsBool': {
        const nm = arg(0, 'variable_name');
        if (nm?.t !== 'str') return unknown('LaunchConfiguration whose name is not a literal', line);
        const d = arg(1, 'default');
        return { t: 'txt', txt: [{ conf: nm.s, ...(d ? { dflt: toTxt(d) } : {}), ...(name === 'LaunchConfigAsBool' ? { asBool: true } : {}) }] };
      }
      case 'FindPackageShare': case 'get_package_share_directory': case 'get_package_share_path': return { t: 'txt', txt: [{ share: toTxt(arg(0, 'package') ?? NONE) }] };
      case 'FindPackagePrefix': case 'get_package_prefix': return { t: 'txt', txt: [{ prefix: toTxt(arg(0, 'package') ?? NONE) }] };
      case 'os.path.join': return { t: 'txt', txt: [{ join: pos.map(toTxt) }] };
      case 'PathJoinSubstitution': { const l = arg(0, 'substitutions'); return { t: 'txt', txt: [{ join: l?.t === 'list' ? l.items.map(toTxt) : [toTxt(l ?? NONE)] }] }; }
      case 'dirname': return pos[0]?.t === 'str' && pos[0].s === file ? { t: 'txt', txt: [{ thisdir: true }] } : unknown('os.path.dirname of a value other than __file__', line);
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
        if (name === 'get' && !/environ\.get$/.test(callee.path)) return unknown(`${callee.path}() is not evaluated statically`, line);
        const nm = arg(0, 'name');
        const d = arg(1, name === 'EnvironmentVariable' ? 'default_value' : 'default');
        return nm?.t === 'str' ? { t: 'txt', txt: [{ env: nm.s, ...(d ? { dflt: toTxt(d) } : {}) }] } : unknown('environment variable whose name is not a literal', line);
      }
      case 'str': return pos[0] ?? { t: 'str', s: '' };
      case 'OpaqueFunction': {
        // Its function runs at launch with a context; read statically, its body is evaluated like
        // any other function, LaunchConfiguration(...).perform(context) standing for the value.
        const fn = arg(0, 'function');
        const extra = arg(1, 'args');
        const out: V = { t: 'obj', cls: name, pos, kw, line };
        if (fn?.t === 'fn') {
          const r = callLocal(fn, [unknown('launch context', line), ...(extra?.t === 'list' ? extra.items : [])], kw.get('kwargs')?.t === 'dict' ? new Map() : new Map(), depth, line);
          out.actions = r.t === 'list' ? r.items : r.t === 'none' ? [] : [r];
        } else out.actions = [unknown('OpaqueFunction whose function is not defined in this file', line)];
        return out;
      }
      default: {
        const o: V = { t: 'obj', cls: name, pos, kw, line };
        if (name === 'LaunchDescription') { const l = arg(0, 'initial_entities'); o.actions = l === undefined || l.t === 'none' ? [] : l.t === 'list' ? [...l.items] : [l]; }
        return o;
      }
    }
  }

  function callLocal(fn: Extract<V, { t: 'fn' }>, pos: V[], kw: Map<string, V>, depth: number, line: number): V {
    if (depth > 32) return unknown('functions nested too deeply', line);
    const local = new Env(fn.closure);
    const params = kids(kids(fn.node).find((k) => k.name === 'ParamList')!).filter((k) => !PUNCT.has(k.name));
    let i = 0;
    for (let p = 0; p < params.length; p++) {
      const k = params[p]!;
      if (k.name === '*' || k.name === '**') {
        const named = new Set(params.filter((x) => x.name === 'VariableName').map(src));
        const rest = [...kw].filter(([key]) => !named.has(key));
        if (params[p + 1]) local.set(src(params[p + 1]!), k.name === '*' ? { t: 'list', items: pos.slice(i) } : { t: 'dict', keys: rest.map(([key]) => ({ t: 'str', s: key })), vals: rest.map(([, v]) => v) });
        p++;
        continue;
      }
      if (k.name !== 'VariableName') continue;
      const name = src(k);
      const hasDefault = params[p + 1]?.name === 'AssignOp';
      const given = kw.get(name) ?? pos[i];
      local.set(name, given ?? (hasDefault ? ev(params[p + 2]!, fn.closure, depth) : unknown(`parameter ${name} not given`, line)));
      i++;
      if (hasDefault) p += 2;
      else if (params[p + 1]?.name === 'TypeDef') p++;
    }
    const body = kids(fn.node).find((k) => k.name === 'Body');
    return (body ? exec(kids(body), local, depth + 1) : undefined) ?? NONE;
  }

  // ---- statements ----
  /** Runs statements; returns the value of a `return`, if one was reached. */
  function exec(stmts: SyntaxNode[], env: Env, depth: number): V | undefined {
    for (const s of stmts) {
      const line = lineAt(s.from);
      // Nested loops over long literal lists would otherwise run for as long as they like.
      if (++steps > MAX_STEPS) { if (steps === MAX_STEPS + 1) notes.push(`${file}:${line}: more than ${MAX_STEPS} statements evaluated; the rest of the file is not read`); return undefined; }
      switch (s.name) {
        case 'ImportStatement': {
          const k = kids(s);
          const fromIdx = k.findIndex((x) => x.name === 'import');
          const module = k[0]?.name === 'from' ? k.slice(1, fromIdx).map(src).join('') : '';
          const names = k.slice(fromIdx + 1).filter((x) => x.name === 'VariableName' || x.name === 'as' || x.name === '.');
          for (let j = 0; j < names.length; j++) {
            if (names[j]!.name !== 'VariableName') continue;
            let original = src(names[j]!);
            while (names[j + 1]?.name === '.') { original += `.${src(names[j + 2]!)}`; j += 2; }
            const alias = names[j + 1]?.name === 'as' ? src(names[j + 2]!) : original.split('.')[0]!;
            env.set(alias, { t: 'name', path: module ? `${module}.${original}` : (names[j + 1]?.name === 'as' ? original : alias) });
            if (names[j + 1]?.name === 'as') j += 2;
          }
          break;
        }
        case 'FunctionDefinition': { const nm = kids(s).find((k) => k.name === 'VariableName'); if (nm) env.set(src(nm), { t: 'fn', node: s, closure: env }); break; }
        case 'DecoratedStatement': { const inner = kids(s).find((k) => k.name === 'FunctionDefinition'); if (inner) exec([inner], env, depth); break; }
        case 'AssignStatement': {
          const k = kids(s).filter((x) => x.name !== 'TypeDef');
          const value = ev(k[k.length - 1]!, env, depth);
          for (let j = 0; j < k.length - 1; j++) if (k[j + 1]?.name === 'AssignOp') assign(k[j]!, value, env, line);
          break;
        }
        case 'UpdateStatement': {
          const [target, op, valueNode] = kids(s);
          if (!target || !op || !valueNode || target.name !== 'VariableName') break;
          const old = env.get(src(target)) ?? unknown(`${src(target)} is not known`, line);
          const v = ev(valueNode, env, depth);
          if (src(op) === '+=') {
            if (old.t === 'list' && v.t === 'list') { old.items.push(...v.items); break; }
            env.set(src(target), old.t === 'list' ? { t: 'list', items: [...old.items, unknown('+= with a value not known statically', line)] } : cat([old, v]));
          } else env.set(src(target), unknown(`${src(op)} is not evaluated statically`, line));
          break;
        }
        case 'ExpressionStatement': {
          const e = kids(s)[0];
          if (!e) break;
          // A function from another package handed the launch description (or a list of actions) may add
          // actions to it: what it adds is not known here, and that must be said, not dropped.
          if (e.name === 'CallExpression') {
            const [calleeNode, argList] = kids(e);
            const callee = calleeNode && calleeNode.name === 'VariableName' ? env.get(src(calleeNode)) ?? { t: 'name' as const, path: src(calleeNode) } : undefined;
            if (callee?.t === 'name' && argList && args(argList, env, depth).pos.some((a) => (a.t === 'obj' && a.cls === 'LaunchDescription') || a.t === 'list')) {
              notes.push(`${file}:${line}: ${callee.path.split('.').pop()}(…) is given the launch description and may add actions to it; what it adds is not analysed`);
              break;
            }
          }
          ev(e, env, depth);
          break;
        }
        case 'ReturnStatement': { const e = kids(s).filter((k) => k.name !== 'return')[0]; return e ? ev(e, env, depth) : NONE; }
        case 'IfStatement': {
          // if / elif / else: the first branch whose condition is known true; when a condition is not
          // known, every remaining branch is read (both may run, so both count) and a note says so.
          const k = kids(s);
          let decided = false;
          for (let j = 0; j < k.length && !decided; j++) {
            const kw = k[j]!.name;
            if (kw === 'if' || kw === 'elif') {
              const cond = ev(k[j + 1]!, env, depth);
              const body = k[j + 2]!;
              const t = truthy(cond);
              if (t === false) { j += 2; continue; }
              if (t === undefined) notes.push(`${file}:${lineAt(k[j]!.from)}: "${src(k[j + 1]!).slice(0, 60)}" is decided at launch time; every branch of this if is read`);
              const r = exec(kids(body), env, depth);
              if (r !== undefined && t === true) return r;
              if (t === true) decided = true;
              j += 2;
            } else if (kw === 'else') {
              const r = exec(kids(k[j + 1]!), env, depth);
              if (r !== undefined) return r;
              j++;
            }
          }
          break;
        }
        case 'ForStatement': {
          const k = kids(s);
          const target = k[1];
          const iter = k.findIndex((x) => x.name === 'in');
          const seq = ev(k[iter + 1]!, env, depth);
          const body = k.find((x) => x.name === 'Body');
          if (seq.t === 'list' && body && target) {
            for (const item of seq.items.slice(0, 10_000)) {
              assign(target, item, env, line);
              const r = exec(kids(body), env, depth);
              if (r !== undefined) return r;
            }
          } else notes.push(`${file}:${line}: a loop over ${src(k[iter + 1]!).slice(0, 60)}, which is not known statically; what it launches is not read`);
          break;
        }
        case 'TryStatement': case 'WithStatement': { const body = kids(s).find((k) => k.name === 'Body'); if (body) { const r = exec(kids(body), env, depth); if (r !== undefined) return r; } break; }
        case 'WhileStatement': notes.push(`${file}:${line}: a while loop is not evaluated statically`); break;
        default: break;
      }
    }
    return undefined;
  }

  function assign(target: SyntaxNode, value: V, env: Env, line: number): void {
    if (target.name === 'VariableName') { env.set(src(target), value); return; }
    if (target.name === 'TupleExpression' || target.name === 'ArrayExpression' || target.name === 'ParenthesizedExpression') {
      const names = kids(target).filter((k) => !PUNCT.has(k.name));
      names.forEach((nm, i) => assign(nm, value.t === 'list' && value.items.length === names.length ? value.items[i]! : unknown('unpacking of a value not known statically', line), env, line));
    }
  }

  // ---- from values to launch actions ----
  function toTxt(v: V): Txt {
    switch (v.t) {
      case 'str': return lit(v.s);
      case 'num': return lit(String(v.n));
      case 'bool': return lit(v.b ? 'True' : 'False');
      case 'none': return lit('');
      case 'txt': return v.txt;
      case 'list': return v.items.flatMap(toTxt); // a substitution list: its parts concatenated
      case 'obj':
        if (v.cls === 'ComposableNodeContainer' || v.cls === 'Node') return [{ node: { ns: v.kw.has('namespace') ? toTxt(v.kw.get('namespace')!) : undefined, name: toTxt(v.kw.get('name') ?? NONE) } }];
        return gap(`${v.cls}(…) at line ${v.line} is not text Marque can resolve`);
      case 'unknown': return gap(`line ${v.line}: ${v.why}`);
      case 'name': return gap(`${v.path} is not known statically`);
      default: return gap('a value that is not text');
    }
  }

  const txtList = (v: V | undefined): Txt[] => (v === undefined || v.t === 'none' ? [] : v.t === 'list' ? v.items.map(toTxt) : [toTxt(v)]);

  function conditionOf(v: V | undefined): Condition | undefined {
    if (!v || v.t === 'none') return undefined;
    if (v.t === 'obj' && v.cls === 'IfCondition') return { if: toTxt(v.kw.get('predicate_expression') ?? v.pos[0] ?? NONE) };
    if (v.t === 'obj' && v.cls === 'UnlessCondition') return { unless: toTxt(v.kw.get('predicate_expression') ?? v.pos[0] ?? NONE) };
    if (v.t === 'obj' && (v.cls === 'LaunchConfigurationEquals' || v.cls === 'LaunchConfigurationNotEquals')) {
      const name = v.kw.get('launch_configuration_name') ?? v.pos[0];
      if (name?.t !== 'str') return { gap: `${v.cls} whose name is not a literal (line ${v.line})` };
      return { equals: name.s, value: toTxt(v.kw.get('expected_value') ?? v.pos[1] ?? NONE), negate: v.cls === 'LaunchConfigurationNotEquals' };
    }
    return { gap: `condition ${v.t === 'obj' ? v.cls : v.t} is not evaluated statically` };
  }

  const composables = (v: V | undefined): Composable[] => (v?.t === 'list' ? v.items : v ? [v] : []).flatMap((c): Composable[] => {
    if (c.t !== 'obj' || c.cls !== 'ComposableNode') { notes.push(`${file}:${c.t === 'obj' || c.t === 'unknown' ? c.line : '?'}: a composable node description that is not read statically`); return []; }
    const cond = conditionOf(c.kw.get('condition'));
    return [{ pkg: toTxt(c.kw.get('package') ?? NONE), plugin: opt(c.kw.get('plugin')), name: opt(c.kw.get('name')), namespace: opt(c.kw.get('namespace')), line: c.line, ...(cond ? { condition: cond } : {}) }];
  });
  const opt = (v: V | undefined): Txt | undefined => (v === undefined || v.t === 'none' ? undefined : toTxt(v));

  function toActions(v: V, seen: Set<V>): Action[] {
    if (v.t === 'list') return v.items.flatMap((x) => toActions(x, seen));
    if (v.t === 'none') return [];
    if (v.t === 'unknown') return [{ a: 'gap', why: v.why, line: v.line }];
    if (v.t !== 'obj') return [];
    if (seen.has(v)) return []; // the same object added twice launches once
    seen.add(v);
    const line = v.line;
    const kwOr = (k: string, i: number) => v.kw.get(k) ?? v.pos[i];
    const condition = conditionOf(v.kw.get('condition'));
    const base = { line, ...(condition ? { condition } : {}) };
    switch (v.cls) {
      case 'LaunchDescription': return (v.actions ?? []).flatMap((x) => toActions(x, seen));
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
        const inner = kwOr('actions', 0);
        const scoped = v.kw.get('scoped');
        const sets = v.kw.get('launch_configurations');
        return [{ a: 'group', ...base, actions: inner ? toActions(inner, seen) : [], scoped: scoped?.t !== 'bool' || scoped.b, sets: sets?.t === 'dict' ? sets.keys.flatMap((k, i): [string, Txt][] => (k.t === 'str' ? [[k.s, toTxt(sets.vals[i]!)]] : [])) : [] }];
      }
      case 'PushRosNamespace': case 'PushROSNamespace': return [{ a: 'push-ns', ...base, ns: toTxt(kwOr('namespace', 0) ?? NONE) }];
      case 'SetEnvironmentVariable': return [{ a: 'set-env', ...base, name: toTxt(kwOr('name', 0) ?? NONE), value: toTxt(kwOr('value', 1) ?? NONE) }];
      // moveit_configs_utils' DeclareBooleanLaunchArg is DeclareLaunchArgument with str(default_value).
      case 'DeclareLaunchArgument': case 'DeclareBooleanLaunchArg': {
        const name = kwOr('name', 0);
        if (name?.t !== 'str') return [{ a: 'gap', line, why: 'DeclareLaunchArgument whose name is not a literal' }];
        const d = v.kw.get('default_value') ?? v.pos[1];
        return [{ a: 'declare', ...base, name: name.s, ...(d ? { dflt: toTxt(d) } : {}) }];
      }
      case 'SetLaunchConfiguration': {
        const name = kwOr('name', 0);
        return name?.t === 'str' ? [{ a: 'set-config', ...base, name: name.s, value: toTxt(kwOr('value', 1) ?? NONE) }] : [{ a: 'gap', line, why: 'SetLaunchConfiguration whose name is not a literal' }];
      }
      case 'IncludeLaunchDescription': {
        let source = kwOr('launch_description_source', 0) ?? NONE;
        if (source.t === 'obj' && LAUNCH_SOURCES.has(source.cls)) source = source.kw.get('launch_file_path') ?? source.pos[0] ?? NONE;
        const la = v.kw.get('launch_arguments');
        const pairs: [string, Txt][] = [];
        if (la?.t === 'dict') la.keys.forEach((k, i) => { if (k.t === 'str') pairs.push([k.s, toTxt(la.vals[i]!)]); });
        else if (la?.t === 'list') for (const p of la.items) { if (p.t === 'list' && p.items[0]?.t === 'str') pairs.push([p.items[0].s, toTxt(p.items[1] ?? NONE)]); }
        else if (la && la.t !== 'none') notes.push(`${file}:${line}: launch arguments of this include are not known statically`);
        return [{ a: 'include', ...base, path: toTxt(source), args: pairs }];
      }
      case 'ExecuteProcess': return [{ a: 'process', ...base, cmd: txtList(v.kw.get('cmd') ?? v.pos[0]) }];
      case 'OpaqueFunction': return [{ a: 'group', ...base, actions: (v.actions ?? []).flatMap((x) => toActions(x, seen)), scoped: false, sets: [] }];
      default:
        if (CONTAINERS_OF_ACTIONS.has(v.cls)) return [...v.pos, ...v.kw.values()].flatMap((x) => toActions(x, seen)).map((x) => (condition && !x.condition ? { ...x, condition } : x));
        if (INERT.has(v.cls)) return [];
        return [{ a: 'gap', line, why: `${v.cls}(…) is not a launch action Marque knows (a helper from another package?)` }];
    }
  }

  const module = new Env();
  exec(kids(tree.topNode), module, 0);
  const gen = module.get('generate_launch_description');
  if (gen?.t !== 'fn') return { actions: [], notes: [...notes, `${file}: no generate_launch_description() function; nothing to read`] };
  const ld = callLocal(gen, [], new Map(), 0, lineAt(gen.node.from));
  const actions = ld.t === 'unknown' ? [{ a: 'gap' as const, why: ld.why, line: ld.line }] : toActions(ld, new Set());
  return { actions, notes };
}

