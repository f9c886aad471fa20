// Runs launch actions the way `ros2 launch` would resolve them — launch arguments and their
// defaults, namespaces pushed by groups, conditions, includes with the arguments they pass — but
// without starting anything. What cannot be decided statically is kept (to be safe) and named.
import { existsSync, readdirSync, realpathSync, statSync } from 'node:fs';
import { basename, dirname, isAbsolute, join, relative, resolve } from 'node:path';
import { parser } from '@lezer/python';
import type { SyntaxNode } from '@lezer/common';
import { FileAccess, LIMITS } from '../../util/file-access.ts';
import { InputError } from '../../util/errors.ts';
import type { Action, Composable, Condition, ReadLaunch, Txt } from './action.ts';
import { readPythonLaunch, stringLiteral } from './python.ts';
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
  /** Why this node may not be launched at all (a condition decided only at launch time). */
  conditional?: string;
}
export interface LaunchEnv { name: string; value: string; file: string; line: number; conditional?: string }
export interface LaunchReading { nodes: LaunchNode[]; env: LaunchEnv[]; notes: string[]; files: string[] }
/**
 * Where included files are looked for: the workspace's packages (name → source folder), then install prefixes.
 * `files`: what may be read (default: the workspace and the install prefixes); every launch file is read through it.
 */
export interface LaunchWorkspace { root: string; packages: Map<string, string>; installPrefixes: string[]; files?: FileAccess }

interface Resolved { s: string; gaps: string[] }
interface Scope { ns: string; config: Map<string, Resolved>; file: string; conditional?: string; stack: string[] }

const MAX_FILES = 5_000;
const MAX_DEPTH = 40;

/** `name`: how messages name the file (relative to the workspace). */
export function readLaunchFileActions(path: string, name: string, files: FileAccess): ReadLaunch {
  const text = files.readTextSync(path, LIMITS.manifest);
  if (path.endsWith('.py')) return readPythonLaunch(text, name);
  if (/\.ya?ml$/.test(path)) return readYamlLaunch(text, name);
  if (path.endsWith('.launch') && !text.includes('<launch')) return { actions: [], notes: [`${name}: not a launch file Marque reads`] };
  return readXmlLaunch(text, name);
}

/** Normalised namespace: "" for the root, otherwise "/a/b". */
export function combineNamespace(outer: string, inner: string): string {
  const clean = (s: string) => s.split('/').filter(Boolean).join('/');
  if (!inner || inner === '/') return inner === '/' ? '' : outer;
  return inner.startsWith('/') ? (clean(inner) ? `/${clean(inner)}` : '') : `${outer}/${clean(inner)}`.replace(/\/+$/, '');
}

/** A tiny evaluator for PythonExpression / $(eval): booleans, strings, numbers, not/and/or, ==, !=, in. */
export function pythonExpression(expr: string): string | undefined {
  const tree = parser.parse(expr);
  let bad = false;
  tree.iterate({ enter: (n) => { if (n.type.isError) bad = true; } });
  const stmt = tree.topNode.firstChild;
  if (bad || !stmt || stmt.name !== 'ExpressionStatement' || stmt.nextSibling) return undefined;
  type P = string | number | boolean | null;
  const src = (n: SyntaxNode) => expr.slice(n.from, n.to);
  const kids = (n: SyntaxNode) => { const o: SyntaxNode[] = []; for (let c = n.firstChild; c; c = c.nextSibling) o.push(c); return o; };
  const truth = (v: P) => v !== null && v !== false && v !== 0 && v !== '';
  const ev = (n: SyntaxNode): P | undefined => {
    switch (n.name) {
      case 'Boolean': return src(n) === 'True';
      case 'None': return null;
      case 'Number': return Number(src(n));
      case 'String': return stringLiteral(src(n));
      case 'ParenthesizedExpression': { const k = kids(n).filter((x) => x.name !== '(' && x.name !== ')'); return k.length === 1 ? ev(k[0]!) : undefined; }
      case 'UnaryExpression': { const [op, x] = kids(n); if (!op || !x || src(op) !== 'not') return undefined; const v = ev(x); return v === undefined ? undefined : !truth(v); }
      case 'BinaryExpression': {
        const [l, op, r] = kids(n);
        if (!l || !op || !r) return undefined;
        const a = ev(l);
        if (a === undefined) return undefined;
        const o = src(op);
        if (o === 'and') return truth(a) ? ev(r) : a;
        if (o === 'or') return truth(a) ? a : ev(r);
        const b = ev(r);
        if (b === undefined) return undefined;
        if (o === '==') return a === b;
        if (o === '!=') return a !== b;
        if (o === 'in' && typeof a === 'string' && typeof b === 'string') return b.includes(a);
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
    else if ('env' in p) { gaps.push(`environment variable ${p.env} is read at launch time`); s += `$(env ${p.env})`; }
    else if ('pyexpr' in p) {
      const r = resolveTxt(p.pyexpr, scope);
      if (r.gaps.length) { gaps.push(...r.gaps); s += `$(eval ${r.s})`; continue; }
      const v = pythonExpression(r.s);
      if (v === undefined) { gaps.push(`the expression "${r.s.slice(0, 80)}" is not evaluated statically`); s += `$(eval ${r.s})`; } else s += v;
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

/** Files already parsed, kept across calls so files that several entry files include are read once. */
export type LaunchParses = Map<string, ReadLaunch | InputError>;

export function readLaunchTree(entry: string, ws: LaunchWorkspace, args: Map<string, string> = new Map(), parsed: LaunchParses = new Map()): LaunchReading {
  const out: LaunchReading = { nodes: [], env: [], notes: [], files: [] };
  const files = ws.files ?? FileAccess.within(ws.root, ...ws.installPrefixes);
  let reads = 0;
  const where = (file: string, line: number) => `${relative(ws.root, file) || file}:${line}`;

  const load = (file: string): ReadLaunch | undefined => {
    let r = parsed.get(file);
    if (!r) {
      if (++reads > MAX_FILES) { out.notes.push(`${file}: more than ${MAX_FILES} launch files read; the rest is not analysed`); return undefined; }
      const name = relative(ws.root, file) || file;
      try { r = readLaunchFileActions(file, name, files); } catch (e) { r = e instanceof InputError ? e : new InputError((e as Error).message, name); }
      parsed.set(file, r);
      if (!(r instanceof InputError)) { out.files.push(file); for (const n of r.notes) out.notes.push(n); }
    }
    if (r instanceof InputError) { out.notes.push(`${where(isAbsolute(r.file) ? r.file : resolve(ws.root, r.file), r.line ?? 0).replace(/:0$/, '')}: ${r.message}; not analysed`); return undefined; }
    return r;
  };

  const locate = (path: string, from: string, line: number): string | undefined => {
    const share = /^\$\(find-pkg-share ([^)\s]+)\)\/?(.*)$/.exec(path);
    if (share) {
      const [, pkg, rest] = share as unknown as [string, string, string];
      const dir = ws.packages.get(pkg);
      if (dir) {
        const direct = join(dir, rest);
        if (existsSync(direct)) return direct;
        // The install rule may move files (install(DIRECTORY launch/ DESTINATION share/${PROJECT_NAME})): look for the name in the package.
        const found = findByName(dir, basename(rest), 4);
        if (found.length === 1) return found[0];
        out.notes.push(`${where(from, line)}: includes ${rest} of package ${pkg}; ${found.length ? `${found.length} files of that name in its source folder, none at that path` : 'no such file in its source folder'}; not analysed`);
        return undefined;
      }
      for (const prefix of ws.installPrefixes) {
        const installed = join(prefix, 'share', pkg, rest);
        if (existsSync(installed)) return installed;
      }
      out.notes.push(`${where(from, line)}: includes ${rest} of package ${pkg}, which is neither in the workspace nor installed here; the nodes it launches are not analysed`);
      return undefined;
    }
    if (path.startsWith('$(')) { out.notes.push(`${where(from, line)}: include path ${path} is not resolved statically; not analysed`); return undefined; }
    const abs = isAbsolute(path) ? path : resolve(dirname(from), path);
    let real: string;
    try { real = realpathSync(abs); } catch { out.notes.push(`${where(from, line)}: included file ${path} does not exist; not analysed`); return undefined; }
    // A launch file may name any path; only files of the workspace or of a ROS installation are read.
    const inside = [ws.root, ...ws.installPrefixes].some((p) => { const rel = relative(p, real); return !rel.startsWith('..') && !isAbsolute(rel); });
    if (!inside) { out.notes.push(`${where(from, line)}: included file ${path} is outside the workspace; not read`); return undefined; }
    return real;
  };

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
    out.nodes.push({ kind, pkg, ...(exec ? { exec } : {}), ...(plugin ? { plugin } : {}), name, namespace: namespace || '/', fullName: `${namespace}/${name}`, ...(enclave ? { enclave } : {}), ...(container ? { container } : {}), file: relative(ws.root, file) || file, line: a.line, ...(conditional ? { conditional } : {}) });
  };

  const walk = (actions: Action[], scope: Scope): void => {
    // Declared arguments first: a default holds wherever in the description it is declared, unless an includer passed a value.
    for (const a of actions) if (a.a === 'declare' && !scope.config.has(a.name) && a.dflt) scope.config.set(a.name, resolveTxt(a.dflt, scope));
    for (const a of actions) {
      const d = decide(a.condition, scope);
      if (d.run === false) continue;
      const conditional = d.run === undefined ? `${where(scope.file, a.line)}: ${d.why}` : scope.conditional;
      if (d.run === undefined && a.a !== 'declare') out.notes.push(`${where(scope.file, a.line)}: launched only if a condition holds that is decided at launch time (${d.why}); counted in, to be safe`);
      const here: Scope = conditional === scope.conditional ? scope : { ...scope, conditional };
      switch (a.a) {
        case 'node': {
          node(here, a, a.kind, scope.file, undefined, conditional);
          if (a.kind === 'container') {
            const c = out.nodes[out.nodes.length - 1]!;
            for (const cn of a.composables) composableNode(here, cn, c.fullName, conditional);
          }
          break;
        }
        case 'load': {
          const t = resolveTxt(a.target, here);
          const target = t.s.startsWith('/') ? t.s : `/${t.s}`;
          if (t.gaps.length) out.notes.push(`${where(scope.file, a.line)}: target container ${target}: ${t.gaps.join('; ')}`);
          for (const cn of a.composables) composableNode(here, cn, target, conditional);
          break;
        }
        case 'group': {
          const inner: Scope = a.scoped ? { ...here, config: new Map(here.config) } : here;
          for (const [k, v] of a.sets) inner.config.set(k, resolveTxt(v, here));
          walk(a.actions, inner);
          if (!a.scoped) scope.ns = inner.ns;
          break;
        }
        case 'push-ns': {
          const r = resolveTxt(a.ns, here);
          if (r.gaps.length) out.notes.push(`${where(scope.file, a.line)}: pushed namespace ${r.s}: ${r.gaps.join('; ')}`);
          scope.ns = combineNamespace(scope.ns, r.s);
          break;
        }
        case 'set-env': {
          const n = resolveTxt(a.name, here), v = resolveTxt(a.value, here);
          out.env.push({ name: n.s, value: v.s, file: relative(ws.root, scope.file), line: a.line, ...(conditional ? { conditional } : {}) });
          if (v.gaps.length) out.notes.push(`${where(scope.file, a.line)}: ${n.s}=${v.s}: ${v.gaps.join('; ')}`);
          break;
        }
        case 'declare': break;
        case 'set-config': scope.config.set(a.name, resolveTxt(a.value, here)); break;
        case 'include': {
          const p = resolveTxt(a.path, here);
          if (p.gaps.length) { out.notes.push(`${where(scope.file, a.line)}: include of ${p.s}: ${p.gaps.join('; ')}; not analysed`); break; }
          const file = locate(p.s, scope.file, a.line);
          if (!file) break;
          if (scope.stack.includes(file)) { out.notes.push(`${where(scope.file, a.line)}: include cycle ${[...scope.stack, file].map((f) => relative(ws.root, f)).join(' → ')}; not followed again`); break; }
          if (scope.stack.length >= MAX_DEPTH) { out.notes.push(`${where(scope.file, a.line)}: includes nested more than ${MAX_DEPTH} deep; not followed`); break; }
          const config = new Map(here.config);
          for (const [k, v] of a.args) config.set(k, resolveTxt(v, here));
          const r = load(file);
          if (r) walk(r.actions, { ns: here.ns, config, file, conditional, stack: [...scope.stack, file] });
          break;
        }
        case 'process': {
          const cmd = a.cmd.map((t) => resolveTxt(t, here).s);
          const inPackage = /^\$\(exec-in-package (\S+) (\S+)\)$/.exec(cmd[0] ?? '');
          // "ros2 run pkg exe …" and ExecutableInPackage(exe, pkg) start a package's executable: a node.
          const run = cmd[0] === 'ros2' && cmd[1] === 'run' && cmd[2] && cmd[3] ? { pkg: cmd[2], exe: cmd[3], argv: cmd.slice(4) } : inPackage ? { pkg: inPackage[2]!, exe: inPackage[1]!, argv: cmd.slice(1) } : undefined;
          if (run) {
            cmd.splice(0, cmd.length, 'ros2', 'run', run.pkg, run.exe, ...run.argv);
            const argv = cmd.slice(4);
            const nameIdx = argv.findIndex((x, i) => x === '-r' && /^__node:=/.test(argv[i + 1] ?? ''));
            const name = nameIdx >= 0 ? argv[nameIdx + 1]!.slice(8) : cmd[3];
            const enclave = enclaveOf(argv);
            out.nodes.push({ kind: 'node', pkg: cmd[2], exec: cmd[3], name, namespace: here.ns || '/', fullName: `${here.ns}/${name}`, ...(enclave ? { enclave } : {}), file: relative(ws.root, scope.file), line: a.line, ...(conditional ? { conditional } : {}) });
          } else out.notes.push(`${where(scope.file, a.line)}: runs the process "${cmd.join(' ').slice(0, 100)}", which is not a ROS node Marque can place; describe it in marque.yaml if it handles external data`);
          break;
        }
        case 'gap': out.notes.push(`${where(scope.file, a.line)}: ${a.why}; not analysed`); break;
      }
    }
  };

  const composableNode = (scope: Scope, c: Composable, container: string, conditional?: string) => {
    const d = decide(c.condition, scope);
    if (d.run === false) return;
    node(scope, c, 'composable', scope.file, container, d.run === undefined ? `${where(scope.file, c.line)}: ${d.why}` : conditional);
  };

  let real: string;
  try { real = realpathSync(entry); } catch { out.notes.push(`${entry}: launch file not found`); return out; }
  const r = load(real);
  if (r) walk(r.actions, { ns: '', config: new Map([...args].map(([k, v]) => [k, { s: v, gaps: [] }])), file: real, stack: [real] });
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
export function rosInstallPrefixes(): string[] {
  try { return readdirSync('/opt/ros').map((d) => join('/opt/ros', d)).filter((p) => statSync(p).isDirectory()); } catch { return []; }
}
