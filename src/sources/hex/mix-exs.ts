// mix.exs, read without running Elixir: the project's app name and version, and its `deps` list
// (the `deps` function's list as written, or a `deps: [...]` in `project`), each `{:app, requirement, opts}`
// with the options that decide whether it ships. A release (`mix release`, MIX_ENV=prod) holds the
// dependencies of the :prod environment that are runtime applications: `only: :dev` / `only: [:dev, :test]`
// keeps one out (dev; test when only :test), `runtime: false` too (build: a tool such as esbuild, not
// started and not in the release). `Mix.env() == :dev` and its kin are decided for :prod; any other
// expression is not evaluated, and the dependency then counts as shipping, with a note. An umbrella
// (`apps_path:`) keeps its apps' deps in each app's mix.exs, read by the extractor.
import type { DependencyKind } from '../../model/inventory.ts';
import { atom, keyword, lineFinder, str, TermReader, tokenize, type Term } from './terms.ts';
import type { MixDep } from './mix-lock.ts';

export interface MixProject {
  file: string;
  app?: string;
  version?: string;
  deps: MixDep[];
  /** What could not be read, so that the project's own dependency list is not known complete. */
  unknown: string[];
  notes: string[];
  /** An umbrella's folder of apps (`apps_path:`), and the apps read from it. */
  appsPath?: string;
  apps?: MixProject[];
}

/** The environment a release is built for: what `only:` and `Mix.env()` are decided against. */
const RELEASE_ENV = 'prod';

/** `Mix.env() == :dev`, `Mix.env() != :prod`, `Mix.env() in [:dev, :test]`, `Mix.env() not in [...]` for :prod; undefined for any other text. */
function envTest(text: string): boolean | undefined {
  const cmp = /^Mix\.env\(\)\s*(==|!=)\s*:(\w+)$/.exec(text);
  if (cmp) return (RELEASE_ENV === cmp[2]) === (cmp[1] === '==');
  const within = /^Mix\.env\(\)\s+(not\s+in|in)\s+\[\s*((?::\w+\s*,\s*)*:\w+)\s*\]$/.exec(text);
  if (within) {
    const envs = within[2]!.split(',').map((e) => e.trim().slice(1));
    return envs.includes(RELEASE_ENV) === (within[1] === 'in');
  }
  return undefined;
}

function atoms(t: Term | undefined): string[] | undefined {
  if (t?.t === 'atom') return [t.v];
  if (t?.t === 'list' && t.items.every((x) => x.t === 'atom')) return t.items.map((x) => (x as { v: string }).v);
  return undefined;
}

function exprText(t: Term): string {
  return t.t === 'expr' ? t.text : t.t === 'atom' ? `:${t.v}` : t.t === 'str' ? `"${t.v}"` : t.t;
}

/** The kind of one dependency from its options; `notes` gets what was not decided. */
function kindOf(app: string, opts: Term | undefined, notes: string[], file: string): DependencyKind {
  const only = keyword(opts, 'only');
  if (only) {
    const envs = atoms(only);
    if (!envs) notes.push(`${file}: ${app}'s only: ${exprText(only)} is not evaluated: it counts as shipping`);
    else if (!envs.includes(RELEASE_ENV)) return envs.includes('dev') || !envs.includes('test') ? 'dev' : 'test';
  }
  const runtime = keyword(opts, 'runtime');
  if (runtime) {
    const value = runtime.t === 'atom' ? runtime.v === 'true' : runtime.t === 'expr' ? envTest(runtime.text) : undefined;
    if (value === false) return 'build';
    if (value === undefined) notes.push(`${file}: ${app}'s runtime: ${exprText(runtime)} is not evaluated: it counts as shipping`);
  }
  return 'runtime';
}

/** `deps` as the project writes it: the list its `deps` function returns, or `deps: [...]` in `project`. */
function depsList(text: string, file: string, unknown: string[], lineOf: (at: number) => number): { list?: Term; at: number } {
  const fn = /\bdefp?\s+deps(?:\s*\(\s*\))?\s*(?:do\b|,\s*do:)/.exec(text);
  const inline = /\bdeps:\s*\[/.exec(text);
  const at = fn ? fn.index + fn[0].length : inline ? inline.index + inline[0].length - 1 : -1;
  if (at < 0) {
    if (/\bdeps:/.test(text)) unknown.push('its deps are not a list Marque can find as written (a deps function or deps: [...])');
    return { at: 0 };
  }
  const tokens = tokenize(text, file, at);
  const reader = new TermReader(tokens, text, file, false);
  const first = tokens[0];
  if (!first || first.k !== 'open' || first.v !== '[') {
    unknown.push(`its deps function does not return a list as written (line ${lineOf(at)})`);
    return { at };
  }
  const list = reader.listAt();
  const after = tokens[reader.position];
  if (after && after.k === 'other' && (after.v === '+' || after.v === '|')) unknown.push(`dependencies added to its deps list by an expression (line ${lineOf(after.at)}) are not read`);
  return { list, at };
}

export function parseMixExs(text: string, file: string): MixProject {
  const unknown: string[] = [];
  const notes: string[] = [];
  const attrs = new Map<string, string>();
  for (const m of text.matchAll(/^[ \t]*@([a-z_][A-Za-z0-9_]*)[ \t]+"([^"\\#]*)"[ \t]*$/gm)) attrs.set(m[1]!, m[2]!);
  const app = /\bapp:\s*:([A-Za-z_][A-Za-z0-9_]*)/.exec(text)?.[1];
  const v = /\bversion:\s*(?:"([^"\\#]*)"|@([a-z_][A-Za-z0-9_]*))/.exec(text);
  const version = v ? v[1] ?? attrs.get(v[2]!) : undefined;
  const appsPath = /\bapps_path:\s*"([^"\\#]*)"/.exec(text)?.[1];
  const lineOf = lineFinder(text);
  const { list, at } = depsList(text, file, unknown, lineOf);
  let from = at;
  const deps: MixDep[] = [];
  for (const item of list?.t === 'list' ? list.items : []) {
    const name = item.t === 'tuple' ? atom(item.items[0]) : undefined;
    if (item.t !== 'tuple' || !name) { unknown.push(`a dependency written as ${exprText(item).slice(0, 60)} is not read`); continue; }
    const second = item.items[1];
    const opts = second?.t === 'list' ? second : item.items[2];
    const requirement = str(second);
    const found = text.indexOf(`{:${name}`, from);
    if (found >= 0) from = found + 1;
    const line = lineOf(Math.max(0, found));
    const path = str(keyword(opts, 'path'));
    const git = str(keyword(opts, 'git')) ?? (str(keyword(opts, 'github')) ? `https://github.com/${str(keyword(opts, 'github'))}.git` : undefined);
    deps.push({
      app: name, kind: kindOf(name, opts, notes, file), line,
      ...(requirement ? { requirement } : {}), ...(path !== undefined ? { path } : {}), ...(git ? { git } : {}),
      ...(atom(keyword(opts, 'in_umbrella')) === 'true' ? { inUmbrella: true } : {}),
    });
  }
  return { file, ...(app ? { app } : {}), ...(version ? { version } : {}), deps, unknown, notes, ...(appsPath ? { appsPath } : {}) };
}
