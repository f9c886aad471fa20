// Python lockfiles: pinned requirements.txt, poetry.lock, uv.lock, Pipfile.lock (pdm.lock: pdm-lock.ts; pylock.toml:
// pylock.ts). Each reader decides its markers for the product's platform and Python (markers.ts).
import { posix } from 'node:path';
import { parseJsonText } from '../../util/json.ts';
import { checkShape } from '../common/shape.ts';
import type { TomlError } from 'smol-toml';
import { tomlModule } from '../../util/lazy.ts';
import { makePurl } from '../../model/purl.ts';
import { InputError } from '../../util/errors.ts';
import { quote } from '../../util/text.ts';
import { FragmentBuilder, parseDigest } from '../common/fragment.ts';
import { SCOPE_ORDER, scopeOfKind, type Component, type DependencyKind, type Hash, type Provenance, type Scope, type Unresolved } from '../../model/inventory.ts';
import { DependencyGraph } from '../../graph/graph.ts';
import type { InventoryFragment } from '../extractor.ts';
import { normaliseName, requirementExtras, requirementName, type PythonProject } from './project.ts';
import { ConditionalBuilder, LockMarkers, pythonRange, type MarkerTarget } from './markers.ts';

/** No platform declared: markers are decided for the Python versions a lock allows only. */
export const ANY_TARGET: MarkerTarget = { values: {} };

export function pypi(name: string, version: string, file: string, extra: Partial<Component> = {}): Component {
  return { purl: makePurl({ type: 'pypi', name, version }), name: normaliseName(name), version, ecosystem: 'pypi', licenses: [], sourceFile: file, ...extra };
}

/**
 * pip's --hash list (and Pipfile.lock's): one hash pins the one file pip will accept, so it is the
 * component's; several are the release's files (wheels for each platform, the sdist) and the lockfile
 * does not say which is installed, so they are candidates, never the component's own hash.
 */
function pipHashes(hashes: Hash[]): Partial<Component> {
  return hashes.length === 1 ? { hashes } : hashes.length ? { candidateHashes: hashes } : {};
}

export const KIND_OF_SCOPE: Record<Scope, DependencyKind> = { runtime: 'runtime', optional: 'optional', build: 'build', dev: 'dev', test: 'test', doc: 'doc' };

export function kindOfGroup(group: string): DependencyKind {
  return group === 'main' ? 'runtime' : group.startsWith('extra:') ? 'optional' : 'dev';
}

export function toml(text: string, file: string): Record<string, unknown> {
  try {
    return tomlModule().parse(text) as Record<string, unknown>;
  } catch (e) {
    const te = e as TomlError;
    throw new InputError(`malformed TOML: ${te.message.split('\n')[0]}`, file, te.line, te.column);
  }
}

/**
 * "name[extras] == version" (or ===), read by a scan: the equivalent regular expression has two
 * whitespace runs around an optional group and backtracks quadratically on a line of spaces.
 * `==1.26.*` is a prefix match (PEP 440), many versions, not one; `===` compares the text as it is.
 */
function exactPin(req: string): { name: string; version: string } | undefined {
  const name = /^[A-Za-z0-9][A-Za-z0-9._-]*/.exec(req)?.[0];
  if (!name) return undefined;
  let rest = req.slice(name.length).trimStart();
  if (rest.startsWith('[')) {
    const close = rest.indexOf(']');
    if (close < 0) return undefined;
    rest = rest.slice(close + 1).trimStart();
  }
  if (!rest.startsWith('==')) return undefined;
  const arbitrary = rest.startsWith('===');
  const version = rest.slice(arbitrary ? 3 : 2).trim();
  return version && !/[\s,;]/.test(version) && (arbitrary || !version.includes('*')) ? { name, version } : undefined;
}

/**
 * What an include (`-r`/`-c`) reads: the text of a file under the scanned root, by its path relative
 * to that root, or why it is not read.
 */
export type ReadInclude = (rel: string) => string | { refused: string };

/** The logical lines of a requirements file: continuations joined, comments cut, line numbers physical. */
function requirementLines(text: string): { line: number; text: string }[] {
  const out: { line: number; text: string }[] = [];
  let lineNo = 0;
  for (const raw of text.split(/(?<!\\)\r?\n/)) {
    lineNo++;
    const startLine = lineNo;
    lineNo += (raw.match(/\\\r?\n/g) ?? []).length;
    const line = raw.replace(/\\\r?\n/g, ' ').replace(/(^|\s)#.*$/, '').trim();
    if (line) out.push({ line: startLine, text: line });
  }
  return out;
}

/** pip's per-requirement options, which may follow the requirement and its marker. */
const REQUIREMENT_OPTIONS = /(?:^|\s)--(?:hash|global-option|install-option|config-settings)(?:\s*=\s*|\s+)\S+/g;

interface RequirementLine { file: string; line: number; text: string }

/**
 * The wheel a direct reference names, when its URL (a `name @ url` requirement, or a bare URL) ends in a wheel
 * file of that name: its version is the file name's second field. Anything else (an sdist, a folder, a VCS
 * URL) names no single version.
 */
function wheelOf(spec: string, name: string): { version: string; url: string } | undefined {
  const at = spec.indexOf('@');
  const url = (directName(spec) !== undefined ? spec.slice(at + 1) : spec).trim();
  if (!/^https?:\/\//i.test(url)) return undefined;
  const file = url.replace(/[?#].*$/, '').split('/').pop() ?? '';
  if (!file.endsWith('.whl')) return undefined;
  const parts = file.slice(0, -4).split('-');
  if (parts.length !== 5 && parts.length !== 6) return undefined;
  if (normaliseName(parts[0]!) !== normaliseName(name) || !/^\d/.test(parts[1]!)) return undefined;
  return { version: parts[1]!, url };
}

/** "name [extras] @ url" → name, read by a scan (a regular expression would backtrack on runs of spaces, as in exactPin). */
function directName(spec: string): string | undefined {
  const name = requirementName(spec);
  if (!name) return undefined;
  let rest = spec.slice(name.length).trimStart();
  if (rest.startsWith('[')) {
    const close = rest.indexOf(']');
    if (close < 0) return undefined;
    rest = rest.slice(close + 1).trimStart();
  }
  return rest.startsWith('@') ? name : undefined;
}

/**
 * requirements.txt as pip reads it: `-r FILE` adds that file's requirements, `-c FILE` its pins as
 * constraints (a constraint installs nothing; it fixes the version of what is required), both
 * relative to the file that names them, as pip joins them. Only `name==version` pins, from the
 * requirement or from a constraint, identify a component; anything else is listed as unresolved.
 * `scope`: what the file installs for (requirements-files.ts); what it includes is installed with it,
 * so it has the same scope, whatever the included file's own name says.
 */
export function parseRequirements(text: string, file: string, project: PythonProject, include?: ReadInclude, scope: Scope = 'runtime', target: MarkerTarget = ANY_TARGET): InventoryFragment {
  const b = new ConditionalBuilder();
  const markers = new LockMarkers(target, pythonRange(project.requiresPython), file);
  const root = b.component(project.component);
  const kind = KIND_OF_SCOPE[scope];
  const gap = (u: Omit<Unresolved, 'package' | 'from'>) => b.missing({ ...u, package: project.component.name, from: root, ...(kind === 'runtime' ? {} : { kind }) });
  const requirements: RequirementLine[] = [];
  const constraints = new Map<string, { version: string; file: string; line: number }>();
  const read = new Set<string>();
  const walk = (rel: string, body: string, constraint: boolean) => {
    read.add(`${constraint ? 'c' : 'r'} ${rel}`);
    for (const { line, text: l } of requirementLines(body)) {
      const inc = /^(--requirement|--constraint)(?:\s*=\s*|\s+)(\S.*)$/.exec(l) ?? /^-([rc])\s*(\S.*)$/.exec(l);
      if (inc) {
        const nested = inc[1] === '-c' || inc[1] === 'c' || inc[1] === '--constraint';
        const target = inc[2]!.trim().replace(/^(["'])(.*)\1$/, '$2');
        const key = `${nested ? '-c' : '-r'} ${target}`;
        const refuse = (reason: string) => gap({ key, file: rel, line, reason });
        if (/^[A-Za-z][A-Za-z0-9+.-]*:/.test(target)) { refuse('included from a URL: not fetched; its requirements are not known'); continue; }
        if (target.includes('${')) { refuse('the path names an environment variable: not followed; its requirements are not known'); continue; }
        const to = posix.normalize(posix.join(posix.dirname(rel), target));
        if (posix.isAbsolute(target) || to === '..' || to.startsWith('../')) { refuse('leads outside the scanned folder; not read'); continue; }
        if (read.has(`${nested ? 'c' : 'r'} ${to}`)) continue; // read already (a file named twice, or a loop)
        const got = include?.(to) ?? { refused: 'included files are not followed here' };
        if (typeof got !== 'string') { refuse(`${to}: ${got.refused}`); continue; }
        walk(to, got, nested);
        continue;
      }
      if (constraint) {
        // A constraints file's pins; anything else in it (ranges, options) installs nothing.
        const pin = l.startsWith('-') ? undefined : exactPin(l.replace(REQUIREMENT_OPTIONS, '').split(';', 1)[0]!.trim());
        if (pin && !constraints.has(normaliseName(pin.name))) constraints.set(normaliseName(pin.name), { version: pin.version, file: rel, line });
        continue;
      }
      if (/^(-e|--editable)(?=[\s=]|$)/.test(l) || /^-e\S/.test(l)) {
        gap({ key: l, file: rel, line, reason: 'editable install: no pinned version' });
        continue;
      }
      if (l.startsWith('-')) continue; // index options (--index-url, --extra-index-url, --hash on its own) carry no package
      requirements.push({ file: rel, line, text: l });
    }
  };
  walk(file, text, false);
  for (const r of requirements) {
    const hashes = [...r.text.matchAll(/--hash(?:\s*=\s*|\s+)(\w+:[0-9a-fA-F]+)/g)].map((m) => parseDigest(m[1], `${r.file} --hash`)).filter((h): h is Hash => !!h);
    const [spec, marker] = r.text.replace(REQUIREMENT_OPTIONS, ' ').split(';', 2).map((s) => s.trim()) as [string, string | undefined];
    // A direct reference (PEP 508 "name @ url", or pip's bare URL or path, named by "#egg=name"): no version is pinned.
    const named = directName(spec);
    const url = named !== undefined || /^([A-Za-z][A-Za-z0-9+.-]*:|\.|\/)/.test(spec);
    const name = url ? (named ?? /[#&]egg=([A-Za-z0-9._-]+)/.exec(spec)?.[1] ?? spec) : (requirementName(spec) ?? spec);
    const pin = url ? undefined : exactPin(spec);
    // A wheel names its one version in its file name (the binary distribution format: name-version-…-platform.whl),
    // and pip installs that file or fails: frigate's `tflite_runtime @ https://…/tflite_runtime-2.17.1-cp311-cp311-linux_x86_64.whl`.
    const wheel = url ? wheelOf(spec, name) : undefined;
    const constrained = pin || url ? undefined : constraints.get(normaliseName(name));
    const version = pin?.version ?? constrained?.version ?? wheel?.version;
    if (version === undefined) {
      // A requirement for another platform or Python is not installed here: no gap.
      if (marker && markers.excludes(marker)) { markers.leftOut(`${r.file}:${r.line} ${name}`, marker); continue; }
      gap({ key: name, file: r.file, line: r.line, reason: url ? `${quote(spec)} is a direct reference (URL or path): no version is pinned` : `${quote(spec)} is not pinned to one version with ==; its version cannot be known` });
      continue;
    }
    const by = constrained ? ` (constraint at ${constrained.file}:${constrained.line})` : '';
    const to = b.component(pypi(pin?.name ?? name, version, r.file, { ...pipHashes(hashes), ...(wheel ? { distribution: wheel.url } : {}) }));
    b.edge(root, to, kind, { constraint: wheel ? `@ ${wheel.url}` : `==${version}${by}`, condition: marker });
  }
  return markers.apply(b.build());
}

interface PoetryPackage {
  name: string; version: string; category?: string; optional?: boolean;
  dependencies?: Record<string, unknown>; files?: { file?: string; hash?: string }[];
  extras?: Record<string, unknown>;
  source?: { type?: string; url?: string; reference?: string; resolved_reference?: string };
}

/**
 * A package locked from git, not from the index: its repository and commit (what GIT advisories match).
 * poetry.lock: [package.source] type = "git", url, resolved_reference (the commit; reference is what was asked).
 * uv.lock: source = { git = "https://…/r.git?rev=v1#<commit>" }, the commit after "#".
 */
function poetryGit(p: PoetryPackage): Provenance | undefined {
  const src = p.source;
  if (src?.type !== 'git' || typeof src.url !== 'string') return undefined;
  const version = src.resolved_reference ?? src.reference;
  return { type: 'git', url: src.url, ...(typeof version === 'string' ? { version } : {}) };
}
function uvGit(source: Record<string, string> | undefined): Provenance | undefined {
  const git = source?.['git'];
  if (typeof git !== 'string') return undefined;
  const hash = git.indexOf('#');
  const url = (hash < 0 ? git : git.slice(0, hash)).replace(/\?.*$/, '');
  const commit = hash < 0 ? /[?&]rev=([^&#]+)/.exec(git)?.[1] : git.slice(hash + 1);
  return { type: 'git', url, ...(commit ? { version: commit } : {}) };
}

/**
 * The pyproject.toml of a local project a lockfile names by its folder (uv's `editable = "examples"`, PDM's
 * `path = "./packages/a"`), relative to the scanned folder; undefined when the folder lies outside it.
 */
export function localProjectFile(lockfile: string, folder: string): string | undefined {
  const rel = posix.normalize(posix.join(posix.dirname(lockfile), folder, 'pyproject.toml'));
  return posix.isAbsolute(folder) || rel.startsWith('../') ? undefined : rel;
}

/** A requirement of `[package.extras]` ("httpx (>=0.27.0,<1)", "pbs-installer[download,install]", "brotli ; marker") as uv writes one. */
function poetryExtraRequirement(req: string): UvDep | undefined {
  const name = requirementName(req);
  if (!name) return undefined;
  const semi = req.indexOf(';');
  const extra = requirementExtras(req);
  return { name, ...(extra.length ? { extra } : {}), ...(semi >= 0 ? { marker: req.slice(semi + 1).trim() } : {}) };
}

export function parsePoetryLock(text: string, file: string, project: PythonProject, target: MarkerTarget = ANY_TARGET): InventoryFragment {
  const data = toml(text, file);
  checkShape('poetry.lock', data, file);
  const b = new ConditionalBuilder();
  const meta = (data['metadata'] ?? {}) as { 'python-versions'?: unknown };
  const markers = new LockMarkers(target, pythonRange(meta['python-versions']) ?? pythonRange(project.requiresPython), file);
  const root = b.component(project.component);
  const pkgs = (data['package'] ?? []) as PoetryPackage[];
  const byName = new Map<string, string>();
  // Poetry does not lock the project itself: a plugin's dependency on it (Textual's textual-dev on textual) is met by the project.
  const own = project.component.ecosystem === 'pypi' ? normaliseName(project.component.name) : undefined;
  for (const p of pkgs) {
    // poetry.lock lists every file of the release with its hash; which one is installed is not said.
    const candidates = (p.files ?? []).map((f) => parseDigest(f.hash, `${file} files: ${f.file ?? '?'}`)).filter((h): h is Hash => !!h);
    const git = poetryGit(p);
    byName.set(normaliseName(p.name), b.component(pypi(p.name, p.version, file, { dependenciesComplete: true, ...(candidates.length ? { candidateHashes: candidates } : {}), ...(git ? { provenance: git } : {}) })));
  }
  // Who asks for which extras of what: a dependency's `extras = [...]`, and the project's own requests (pyproject).
  const requests: { from: string; to: string; extras: string[]; kind: DependencyKind }[] = [];
  const extrasOf = new Map<string, Record<string, UvDep[]>>();
  for (const p of pkgs) {
    const from = byName.get(normaliseName(p.name))!;
    if (p.extras && typeof p.extras === 'object') {
      const table: Record<string, UvDep[]> = {};
      for (const [x, reqs] of Object.entries(p.extras)) table[normaliseName(x)] = (Array.isArray(reqs) ? reqs : []).map((r) => poetryExtraRequirement(String(r))).filter((d): d is UvDep => !!d);
      extrasOf.set(from, table);
    }
    for (const [dep, spec] of Object.entries(p.dependencies ?? {})) {
      const to = byName.get(normaliseName(dep));
      // One constraint, or a list of them split by markers (`[{version = "<2", markers = "…"}, {…}]`).
      for (const one of Array.isArray(spec) ? spec : [spec]) {
        const s = typeof one === 'string' ? { version: one } : (one as { version?: string; optional?: boolean; markers?: string; extras?: unknown });
        if (to) {
          b.edge(from, to, s.optional ? 'optional' : 'runtime', { constraint: s.version, condition: s.markers });
          if (Array.isArray(s.extras) && s.extras.length) requests.push({ from, to, extras: s.extras.map((x) => normaliseName(String(x))), kind: s.optional ? 'optional' : 'runtime' });
        } else if (!s.optional && normaliseName(dep) !== own && s.markers && markers.excludes(s.markers)) markers.leftOut(`${p.name} → ${dep}`, s.markers);
        else if (!s.optional && normaliseName(dep) !== own) b.missing({ key: dep, package: p.name, from, file, reason: `dependency "${dep}" of ${p.name} is not in the lockfile` });
      }
    }
  }
  linkRoot(b, root, project, byName, pkgs.map((p) => ({ name: normaliseName(p.name), group: p.category === 'dev' ? 'dev' : 'main' })), file);
  for (const r of project.extras ?? []) {
    const to = byName.get(r.name);
    if (to) requests.push({ from: root, to, extras: r.extras, kind: kindOfGroup(r.group) });
  }
  activateExtras(b, requests, extrasOf, (d) => { const to = byName.get(normaliseName(d.name)); return to ? [to] : []; });
  return markers.apply(b.build());
}

/** A locked package's requirement on another: uv.lock's shape, which the other lockfiles' readers build too. */
export interface UvDep { name: string; version?: string; marker?: string; extra?: string[]; extras?: string[] }
interface UvPackage {
  name: string; version?: string; source?: Record<string, string>;
  dependencies?: UvDep[]; 'optional-dependencies'?: Record<string, UvDep[]>; 'dev-dependencies'?: Record<string, UvDep[]>;
  sdist?: { url?: string; hash?: string };
}

/**
 * uv.lock, read as uv installs it. A package's extras are optional until someone asks for them:
 * `fastapi[standard]` requested by the app makes the standard extra's packages (uvicorn, …) as needed
 * as the request itself, through fastapi, and an extra may ask for another's (fastapi-cli[standard]).
 * The workspace root's groups (`[manifest.dependency-groups]`, what `uv sync` adds by default) and
 * each package's dev-dependencies are dev.
 */
export function parseUvLock(text: string, file: string, project: PythonProject, target: MarkerTarget = ANY_TARGET): InventoryFragment {
  const data = toml(text, file);
  checkShape('uv.lock', data, file);
  const b = new ConditionalBuilder();
  const markers = new LockMarkers(target, pythonRange(data['requires-python']) ?? pythonRange(project.requiresPython), file);
  const pkgs = (data['package'] ?? []) as UvPackage[];
  // uv locks one name at several versions when markers split them (pydantic: rpds-py 0.22.3 and 0.30.0);
  // a reference then carries the version it means.
  const versions = new Map<string, { version: string; purl: string }[]>();
  const purlOf = new Map<UvPackage, string>();
  const extrasOf = new Map<string, Record<string, UvDep[]>>();
  for (const p of pkgs) {
    const local = p.source && ('editable' in p.source || 'virtual' in p.source || 'directory' in p.source);
    const extra: Partial<Component> = { dependenciesComplete: true };
    const h = parseDigest(p.sdist?.hash, `${file} sdist.hash`);
    if (h) extra.hashes = [h];
    if (p.sdist?.url) extra.distribution = p.sdist.url;
    if (local) {
      extra.root = true; extra.firstParty = true;
      // A workspace member is declared by its own pyproject.toml: one under examples/ is then an example's (folderScopes).
      const declared = localProjectFile(file, p.source!['editable'] ?? p.source!['virtual'] ?? p.source!['directory']!);
      if (declared) extra.sourceFile = declared;
    }
    const git = uvGit(p.source);
    if (git) extra.provenance = git;
    const purl = b.component(pypi(p.name, p.version ?? '', file, extra));
    purlOf.set(p, purl);
    if (p['optional-dependencies']) extrasOf.set(purl, p['optional-dependencies']);
    const key = normaliseName(p.name);
    versions.set(key, [...(versions.get(key) ?? []), { version: p.version ?? '', purl }]);
  }
  const resolve = (d: UvDep): string[] => {
    const all = versions.get(normaliseName(d.name)) ?? [];
    return d.version !== undefined ? all.filter((v) => v.version === d.version).map((v) => v.purl) : all.map((v) => v.purl);
  };
  // Who asks for which extras of what, in which kind: settled once the scopes of the askers are known.
  const requests: { from: string; to: string; extras: string[]; kind: DependencyKind }[] = [];
  const link = (from: string, p: string, deps: UvDep[] | undefined, kind: DependencyKind, condition?: (d: UvDep) => string | undefined) => {
    for (const d of deps ?? []) {
      const targets = resolve(d);
      for (const to of targets) {
        b.edge(from, to, kind, { condition: condition?.(d) ?? d.marker });
        const extras = d.extra ?? d.extras;
        if (extras?.length) requests.push({ from, to, extras, kind });
      }
      if (!targets.length && d.marker && markers.excludes(condition?.(d) ?? d.marker)) markers.leftOut(`${p} → ${d.name}`, d.marker);
      else if (!targets.length) b.missing({ key: d.version ? `${d.name}==${d.version}` : d.name, package: p, from, file, kind, reason: `dependency "${d.name}"${d.version ? ` ${d.version}` : ''} of ${p} is not in the lockfile` });
    }
  };
  for (const p of pkgs) {
    const from = purlOf.get(p)!;
    link(from, p.name, p.dependencies, 'runtime');
    for (const [x, deps] of Object.entries(p['optional-dependencies'] ?? {})) link(from, p.name, deps, 'optional', (d) => extraCondition(x, d.marker));
    for (const deps of Object.values(p['dev-dependencies'] ?? {})) link(from, p.name, deps, 'dev');
  }
  const manifest = (data['manifest'] ?? {}) as { requirements?: UvDep[]; 'dependency-groups'?: Record<string, UvDep[]> };
  const hasManifestDeps = Boolean(manifest.requirements?.length || Object.keys(manifest['dependency-groups'] ?? {}).length);
  if (hasManifestDeps) {
    // The workspace root that is no package itself (a virtual root): its requirements and groups.
    const root = b.component(project.component);
    link(root, project.component.name, manifest.requirements, 'runtime');
    for (const deps of Object.values(manifest['dependency-groups'] ?? {})) link(root, project.component.name, deps, 'dev');
  } else if (!pkgs.some((p) => p.source && ('editable' in p.source || 'virtual' in p.source))) {
    const byName = new Map([...versions].map(([k, v]) => [k, v[0]!.purl]));
    // Without pyproject groups, what nothing else in the lock depends on was asked for directly.
    linkRoot(b, b.component(project.component), project, byName, pkgs.map((p) => ({ name: normaliseName(p.name), group: 'main' })), file);
  }
  activateExtras(b, requests, extrasOf, resolve);
  return markers.apply(b.build());
}

/** `extra == "standard"` (and the dependency's own marker): the condition under which an extra's edge holds. */
export function extraCondition(extra: string, marker: string | undefined): string {
  // PDM locks a request for several extras as one entry ("a,b"): it holds when each is asked for.
  const asked = extra.split(',').map((x) => `extra == "${x}"`).join(' and ');
  return marker ? `${asked} and (${marker})` : asked;
}

/**
 * An extra asked for along a path of scope S makes its packages needed in S: an edge of that kind
 * from the package to each of them. Requests made by an extra's own packages chain, so the scopes are
 * settled again until nothing changes (a few rounds: extras of extras are shallow). Returns the extras
 * asked for along some path, as "purl extra".
 */
export function activateExtras(b: FragmentBuilder, requests: { from: string; to: string; extras: string[]; kind: DependencyKind }[], extrasOf: Map<string, Record<string, UvDep[]>>, resolve: (d: UvDep) => string[]): Set<string> {
  const done = new Set<string>();
  const activated = new Set<string>();
  for (let round = 0; round < 20; round++) {
    const scope = new DependencyGraph(b.build()).scopes();
    let changed = false;
    for (let i = 0; i < requests.length; i++) {
      const r = requests[i]!;
      const at = scope.get(r.from);
      if (!at) continue;
      const weakest = SCOPE_ORDER[Math.max(SCOPE_ORDER.indexOf(at), SCOPE_ORDER.indexOf(scopeOfKind(r.kind)))]!;
      const kind = KIND_OF_SCOPE[weakest];
      for (const x of r.extras) {
        activated.add(`${r.to} ${x}`);
        for (const d of extrasOf.get(r.to)?.[x] ?? []) {
          for (const to of resolve(d)) {
            const key = `${r.to} ${to} ${kind}`;
            if (done.has(key)) continue;
            done.add(key);
            changed = true;
            // An extra may ask for the package's own other extras (pbs-installer's all = "pbs-installer[download,install]"): no edge to itself.
            if (to !== r.to) b.edge(r.to, to, kind, { condition: extraCondition(x, d.marker) });
            const extras = d.extra ?? d.extras;
            if (extras?.length) requests.push({ from: r.to, to, extras, kind });
          }
        }
      }
    }
    if (!changed) return activated;
  }
  return activated;
}

interface PipfileEntry { version?: string; hashes?: string[]; markers?: string; path?: unknown; editable?: unknown; git?: unknown; ref?: unknown }
interface PipfileMeta { requires?: { python_version?: unknown; python_full_version?: unknown } }

export function parsePipfileLock(text: string, file: string, project: PythonProject, target: MarkerTarget = ANY_TARGET): InventoryFragment {
  const data = parseJsonText(text, file) as { _meta?: PipfileMeta; default?: Record<string, PipfileEntry>; develop?: Record<string, PipfileEntry> };
  checkShape('Pipfile.lock', data, file);
  const b = new ConditionalBuilder();
  // Pipenv locks for the one Python the Pipfile requires ("3.11", or a full version).
  const req = data._meta && typeof data._meta === 'object' ? data._meta.requires : undefined;
  const full = typeof req?.python_full_version === 'string' && /^\d+(\.\d+)*$/.test(req.python_full_version) ? `==${req.python_full_version}` : undefined;
  const minor = typeof req?.python_version === 'string' && /^\d+(\.\d+)*$/.test(req.python_version) ? `==${req.python_version}.*` : undefined;
  const markers = new LockMarkers(target, full ?? minor ?? pythonRange(project.requiresPython), file);
  const root = b.component(project.component);
  for (const [section, kind] of [['default', 'runtime'], ['develop', 'dev']] as const) {
    for (const [name, e] of Object.entries(data[section] ?? {})) {
      const version = (e.version ?? '').replace(/^==/, '');
      if (!version && e.markers && markers.excludes(e.markers)) { markers.leftOut(name, e.markers); continue; }
      if (!version) {
        // A folder of the product (rmf-web's `api-server = {editable = true, path = "./packages/api-server"}`): its own
        // code, first-party, as a uv.lock editable or a pylock.toml directory is. A git checkout: its repository and commit.
        // Neither has a version the lock vouches for.
        const local = typeof e.path === 'string' ? localProjectFile(file, e.path) : undefined;
        const git = typeof e.git === 'string' ? { type: 'git', url: e.git, ...(typeof e.ref === 'string' ? { version: e.ref } : {}) } : undefined;
        if (local === undefined && !git) {
          b.missing({ key: name, package: project.component.name, from: root, file, reason: typeof e.path === 'string' ? `a folder outside the scanned folder (${quote(e.path)}): not read, no version` : 'no pinned version (VCS or path dependency)' });
          continue;
        }
        // The lock's own folder is the project itself (Pipenv's `-e .`): nothing to add.
        if (!git && local === posix.join(posix.dirname(file), 'pyproject.toml')) continue;
        const why = git ? `built from git ${git.url}${git.version ? ` at ${git.version}` : ''}` : `the product's own folder ${e.path as string}, installed from its source${e.editable === true ? ' (editable)' : ''}`;
        const to = b.component(pypi(name, '', file, { ...(git ? { provenance: git } : { firstParty: true }), properties: { 'marque:version': `unknown: ${why}; ${file} records no version for it` } }));
        b.edge(root, to, kind, { condition: e.markers });
        continue;
      }
      const hashes = (e.hashes ?? []).map((h) => parseDigest(h, `${file} hashes`)).filter((h): h is Hash => !!h);
      const to = b.component(pypi(name, version, file, pipHashes(hashes)));
      // Pipfile.lock is flat: it does not say which package pulled which.
      b.edge(root, to, kind, { constraint: e.version, condition: e.markers });
    }
  }
  return markers.apply(b.build());
}

/** Edges from the project to its direct dependencies, or to every top-level package when unknown. */
export function linkRoot(b: FragmentBuilder, root: string, project: PythonProject, byName: Map<string, string>, fallback: { name: string; group: string }[], file: string): void {
  if (project.groups.size > 0) {
    for (const [group, names] of project.groups) {
      for (const n of names) {
        const to = byName.get(n);
        if (to) b.edge(root, to, kindOfGroup(group));
        else if (group === 'main') b.missing({ key: n, package: project.component.name, from: root, file, reason: `direct dependency "${n}" is not in the lockfile` });
      }
    }
    return;
  }
  const depended = new Set(b.build().dependencies.map((d) => d.to));
  for (const f of fallback) {
    const to = byName.get(f.name);
    if (to && !depended.has(to)) b.edge(root, to, kindOfGroup(f.group));
  }
}
