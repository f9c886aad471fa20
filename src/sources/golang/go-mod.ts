// go.mod (the module's requirements, Go's own line grammar: single directives and parenthesised
// blocks, "// indirect" comments, replace and exclude) with go.sum beside it. Since Go 1.17 go.mod
// lists every module the build needs; which module needs an indirect one is not written anywhere
// in the module's own files, so indirect requirements hang from the main module, marked, and a note says so.
import { InputError } from '../../util/errors.ts';
import { compareSemver } from '../../versioning/semver.ts';
import { makePurl } from '../../model/purl.ts';
import { FragmentBuilder } from '../common/fragment.ts';
import type { InventoryFragment } from '../extractor.ts';
import type { Component } from '../../model/inventory.ts';
import { DECLARE_GO, goReleaseSemver, stdlibComponent } from './stdlib.ts';

export interface GoRequirement { path: string; version: string; indirect: boolean; line: number }
export interface GoReplace { from: string; fromVersion?: string; to: string; toVersion?: string; line: number }
export interface GoMod { module?: string; go?: string; toolchain?: string; require: GoRequirement[]; replace: GoReplace[]; exclude: { path: string; version: string }[] }
/** go.work: the workspace's modules (`use`, folders relative to go.work) and its replacements, which win over those of its modules' go.mod files. */
export interface GoWork { go?: string; toolchain?: string; use: { dir: string; line: number }[]; replace: GoReplace[] }
/** A go.mod read as one module of a go.work workspace: the workspace's modules by path (their folders, relative to the scanned root) and its replacements. */
export interface GoWorkspace {
  file: string; modules: Map<string, string>; replace: GoReplace[];
  /** go.work's go and toolchain lines: in workspace mode they, not the modules' own, choose the toolchain. */
  go?: string; toolchain?: string;
  /**
   * The workspace's build list as its modules' go.mod files give it: for each module path, the highest
   * version any module of the workspace requires (minimal version selection over one graph), and the
   * go.mod that requires it. What the requirements' own go.mod files raise further is not on disk.
   */
  selected: Map<string, { version: string; by: string }>;
  /** go.work.sum beside go.work: the checksums of modules the workspace needs beyond its modules' go.sum files. */
  sum?: Map<string, string>;
}

/** Whether a is a higher Go module version than b (false when either is not one). */
export function higher(a: string, b: string): boolean {
  try { return compareSemver(a, b) > 0; } catch { return false; }
}

/** Go's lexical rules for go.mod: words are space-separated, "quoted" or `raw`; "//" starts a comment. */
function tokens(line: string): { words: string[]; comment: string } {
  const words: string[] = [];
  let i = 0;
  while (i < line.length) {
    const c = line[i]!;
    if (c === ' ' || c === '\t' || c === '\r') { i++; continue; }
    if (line.startsWith('//', i)) return { words, comment: line.slice(i + 2).trim() };
    if (c === '"' || c === '`') {
      const end = line.indexOf(c, i + 1);
      if (end < 0) throw new Error('unterminated string');
      words.push(c === '"' ? JSON.parse(line.slice(i, end + 1)) as string : line.slice(i + 1, end));
      i = end + 1;
      continue;
    }
    let j = i;
    while (j < line.length && !/[\s]/.test(line[j]!) && !line.startsWith('//', j)) j++;
    words.push(line.slice(i, j));
    i = j;
  }
  return { words, comment: '' };
}

export function parseGoMod(text: string, file: string): GoMod {
  const out = parseGoLines(text, file, 'go.mod');
  if (!out.module) throw new InputError('not a go.mod: no module directive', file, 1);
  return out;
}

/** go.work: the same grammar as go.mod, with `use` (a folder, or a block of them) in place of module, require and exclude. */
export function parseGoWork(text: string, file: string): GoWork {
  const out = parseGoLines(text, file, 'go.work');
  return { ...(out.go ? { go: out.go } : {}), ...(out.toolchain ? { toolchain: out.toolchain } : {}), use: out.use, replace: out.replace };
}

function parseGoLines(text: string, file: string, kind: 'go.mod' | 'go.work'): GoMod & { use: { dir: string; line: number }[] } {
  const out: GoMod & { use: { dir: string; line: number }[] } = { require: [], replace: [], exclude: [], use: [] };
  const only = (verb: string, where: 'go.mod' | 'go.work', line: number) => { if (kind !== where) throw new InputError(`malformed ${kind}: "${verb}" belongs in ${where}`, file, line); };
  let block: string | undefined;
  let blockLine = 0;
  text.split('\n').forEach((raw, idx) => {
    const line = idx + 1;
    let t;
    try { t = tokens(raw); } catch (e) { throw new InputError(`malformed ${kind}: ${(e as Error).message}`, file, line); }
    let { words } = t;
    const bad = `malformed ${kind}`;
    if (!words.length) return;
    if (block && words[0] === ')') { block = undefined; return; }
    let verb = block;
    if (!block) {
      verb = words[0]!;
      words = words.slice(1);
      if (words[0] === '(' && words.length === 1) { block = verb; blockLine = line; return; }
    }
    const directive = (): void => {
      switch (verb) {
        case 'module': only('module', 'go.mod', line); out.module = words[0]; break;
        case 'use':
          only('use', 'go.work', line);
          if (words.length !== 1) throw new InputError(`${bad}: use needs one folder, got "${raw.trim()}"`, file, line);
          out.use.push({ dir: words[0]!, line });
          break;
        case 'go': out.go = words[0]; break;
        case 'require':
          only('require', 'go.mod', line);
          if (words.length !== 2) throw new InputError(`${bad}: require needs a module path and a version, got "${raw.trim()}"`, file, line);
          out.require.push({ path: words[0]!, version: words[1]!, indirect: /^indirect\b/.test(t.comment), line });
          break;
        case 'replace': {
          const arrow = words.indexOf('=>');
          if (arrow < 1 || arrow > 2 || words.length < arrow + 2) throw new InputError(`${bad}: replace needs "old [version] => new [version]", got "${raw.trim()}"`, file, line);
          out.replace.push({ from: words[0]!, ...(arrow === 2 ? { fromVersion: words[1]! } : {}), to: words[arrow + 1]!, ...(words[arrow + 2] ? { toVersion: words[arrow + 2]! } : {}), line });
          break;
        }
        case 'exclude': if (words.length === 2) out.exclude.push({ path: words[0]!, version: words[1]! }); break;
        case 'toolchain': out.toolchain = words[0]; break;
        case 'retract': case 'godebug': case 'tool': case 'ignore': break;
        default: throw new InputError(`${bad}: unknown directive "${verb}"`, file, line);
      }
    };
    directive();
  });
  if (block) throw new InputError(`malformed ${kind}: the ${block} block that opens on this line is not closed`, file, blockLine);
  return out;
}

/** "github.com/a/b/v2" → pkg:golang/github.com/a/b/v2@v1.2.3 (namespace: all but the last element). */
export function goPurl(path: string, version: string): string {
  const slash = path.lastIndexOf('/');
  return makePurl({ type: 'golang', ...(slash > 0 ? { namespace: path.slice(0, slash) } : {}), name: slash > 0 ? path.slice(slash + 1) : path, ...(version ? { version } : {}) });
}

/** go.sum: "path version h1:hash" and "path version/go.mod h1:hash" lines; the first kind says the module's code was fetched. */
export function parseGoSum(text: string): Map<string, string> {
  const sums = new Map<string, string>();
  for (const l of text.split('\n')) {
    const [path, version, hash] = l.trim().split(/\s+/);
    if (path && version && hash && !version.endsWith('/go.mod')) sums.set(`${path} ${version}`, hash);
  }
  return sums;
}

/**
 * The least toolchain a build of this module accepts, and where that is said: in a workspace go.work's
 * lines, else go.mod's; the toolchain line, else the go line (since Go 1.21 a minimum the go command
 * enforces, before it advisory). Undefined when neither is written.
 */
export function goMinimum(mod: GoMod, file: string, work?: GoWorkspace): { version: string; text: string } | undefined {
  const [lines, where] = work ? [work, work.file] : [mod, file];
  const toolchain = lines.toolchain && lines.toolchain !== 'default' ? goReleaseSemver(lines.toolchain) : undefined;
  if (toolchain) return { version: toolchain, text: `${lines.toolchain} (${where}'s toolchain line)` };
  const go = lines.go ? goReleaseSemver(lines.go) : undefined;
  return go ? { version: go, text: `go${lines.go} (${where}'s go line)` } : undefined;
}

/** Why the standard library has no version: what go.mod says of it, and how the product says more. */
export function stdlibUnknown(minimum: string | undefined): string {
  return `unknown: ${minimum ? `at least ${minimum}` : 'go.mod names no Go version'}; the toolchain that builds the product decides which standard library is compiled in: declare it (${DECLARE_GO}, e.g. go: "1.23.4") or scan the built binary`;
}

/**
 * Go's standard library, compiled into every binary of the module: one component per build (a
 * workspace's modules share it, its source file the go.work), hung from the main module. Its version is
 * the declared toolchain's (`declared`, marque.yaml inventory.toolchains.go), else unknown: go.mod gives
 * only the least toolchain that may build it.
 */
function addStdlib(b: FragmentBuilder, root: string, mod: GoMod, file: string, work: GoWorkspace | undefined, declared: string | undefined, notes: string[]): void {
  const min = goMinimum(mod, file, work);
  const version = declared ? goReleaseSemver(declared) : undefined;
  const props: Record<string, string> = min ? { 'go:minimum': min.text } : {};
  if (version) props['go:versionFrom'] = DECLARE_GO;
  else props['marque:version'] = stdlibUnknown(min?.text);
  if (version && min && compareSemver(version, min.version) < 0) {
    notes.push(`${work?.file ?? file}: the Go toolchain declared (${DECLARE_GO}: ${declared}) is older than the least this build accepts, ${min.text}: the go command would not build it with that toolchain (it switches to a newer one or refuses); the declaration is used as given`);
  }
  b.edge(root, b.component(stdlibComponent(version, work?.file ?? file, props)), 'runtime');
}

export function goModFragment(mod: GoMod, file: string, sum: Map<string, string> | undefined, work?: GoWorkspace, toolchain?: string): InventoryFragment {
  const b = new FragmentBuilder();
  const root = b.component({ purl: goPurl(mod.module!, ''), name: mod.module!, version: '', ecosystem: 'golang', licenses: [], sourceFile: file, dependenciesComplete: true, root: true, firstParty: true, ...(mod.go ? { properties: { 'go:version': mod.go } } : {}) });
  const notes: string[] = [];
  let indirect = 0;
  // In a workspace, go.work's replacements win over the module's own for the same module (or module
  // version), and a module of the workspace is built from its folder, whatever version is required.
  const replaces = work ? [...work.replace, ...mod.replace.filter((x) => !work.replace.some((w) => w.from === x.from && (!w.fromVersion || w.fromVersion === x.fromVersion)))] : mod.replace;
  let inWorkspace = 0;
  const raisedBy: string[] = [];
  for (const r of mod.require) {
    const member = work?.modules.get(r.path);
    if (member !== undefined && r.path !== mod.module) {
      const purl = b.component({ purl: goPurl(r.path, ''), name: r.path, version: '', ecosystem: 'golang', licenses: [], sourceFile: file, dependenciesComplete: false, root: true, firstParty: true, properties: { 'go:localPath': member || '.', 'go:workspace': work!.file } });
      b.edge(root, purl, 'runtime', { constraint: r.version, ...(r.indirect ? { condition: 'indirect' } : {}) });
      inWorkspace++;
      continue;
    }
    // The workspace builds every module with one build list: another module's higher requirement wins.
    const chosen = work?.selected.get(r.path);
    const raised = chosen && higher(chosen.version, r.version) ? chosen : undefined;
    const selected = raised?.version ?? r.version;
    if (raised) raisedBy.push(`${r.path} ${r.version} → ${raised.version} (${raised.by})`);
    // A replace directive swaps the module (or one version of it) for another module or a local folder.
    const rep = replaces.find((x) => x.from === r.path && (!x.fromVersion || x.fromVersion === selected));
    const local = rep && !rep.toVersion;
    const path = rep && !local ? rep.to : r.path;
    const version = rep && !local ? rep.toVersion! : selected;
    const c: Component = { purl: goPurl(path, local ? '' : version), name: path, version: local ? '' : version, ecosystem: 'golang', licenses: [], sourceFile: file, dependenciesComplete: false };
    const props: Record<string, string> = {};
    if (r.indirect) props['go:indirect'] = 'true';
    if (rep) props['go:replaces'] = `${r.path}@${selected}`;
    if (rep && work?.replace.includes(rep)) props['go:replacedIn'] = work.file;
    if (local) props['go:localPath'] = rep!.to;
    const h = sum?.get(`${path} ${version}`) ?? work?.sum?.get(`${path} ${version}`);
    if (h) props['go:sum'] = h;
    else if (sum && !local) notes.push(`${file}: ${path}@${version} is required but has no go.sum line for its code`);
    c.properties = props;
    if (local) { c.root = true; c.firstParty = true; }
    const purl = b.component(c);
    b.edge(root, purl, 'runtime', { constraint: r.version, ...(r.indirect ? { condition: 'indirect' } : {}) });
    if (r.indirect) indirect++;
  }
  if (raisedBy.length) notes.push(`${file}: built in the workspace ${work!.file}, where other modules require higher versions: ${raisedBy.length} requirement(s) raised, as minimal version selection does over the workspace (${raisedBy.slice(0, 5).join('; ')}${raisedBy.length > 5 ? '; …' : ''}); the edge's constraint keeps the version this go.mod asks for`);
  if (inWorkspace) notes.push(`${file}: a module of the workspace ${work!.file}: ${inWorkspace} requirement(s) on other modules of the workspace are built from their folders, not from the versions required`);
  addStdlib(b, root, mod, file, work, toolchain, notes);
  if (indirect) notes.push(`${file}: ${indirect} indirect requirement(s): go.mod does not say which module needs each, so they hang from ${mod.module} (depth 1 where it is at least 2), marked go:indirect; their own requirements are not in this folder`);
  else if (mod.require.length && mod.go && compareGo(mod.go, '1.17') < 0) notes.push(`${file}: go ${mod.go} predates module graph pruning (1.17): go.mod lists direct requirements only, so indirect ones are missing here`);
  return { ...b.build(), notes };
}

function compareGo(a: string, b: string): number {
  const pa = a.split('.').map(Number), pb = b.split('.').map(Number);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) { const d = (pa[i] ?? 0) - (pb[i] ?? 0); if (d) return d; }
  return 0;
}
