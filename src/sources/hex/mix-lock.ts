// mix.lock (Elixir's Mix, Hex packages of Elixir and Erlang): one Elixir map, the app name of each locked
// dependency to how it was fetched. `{:hex, :package, "version", "inner checksum", [managers], [deps],
// "repo", "outer checksum"}` (older locks stop after the deps, or after the repo) is a Hex release: its
// purl is pkg:hex/<package>@<version> (purl-spec's hex type: lower case, the organisation of a private
// package, "hexpm:acme", as namespace), its deps are app names with their requirement and options
// (`hex:` the package, `optional:`), and the outer checksum is the SHA-256 of the release tarball.
// `{:git, "url", "commit", [opts]}` is a checkout: mix.lock records no release version for it, so it has
// none here and says why (Hex advisories name releases, and cannot place a commit), and the
// dependencies of a git checkout are in its own mix.exs, not in the lock. Path dependencies are not
// in mix.lock at all: the project's mix.exs names them (mix-exs.ts).
import { basename, dirname } from 'node:path';
import { InputError } from '../../util/errors.ts';
import { makePurl } from '../../model/purl.ts';
import type { Component, DependencyKind } from '../../model/inventory.ts';
import { FragmentBuilder } from '../common/fragment.ts';
import type { InventoryFragment } from '../extractor.ts';
import { atom, keyword, lineFinder, str, TermReader, tokenize, type Term } from './terms.ts';
import type { MixProject } from './mix-exs.ts';

export interface HexRelease { kind: 'hex'; app: string; name: string; version: string; repo: string; outer?: string; deps: { app: string; requirement?: string; optional: boolean; line: number }[]; line: number }
export interface GitCheckout { kind: 'git'; app: string; url: string; commit: string; ref?: string; line: number }
/** A dependency fetched by an SCM other than Hex and git (a Mix SCM a project installs): named, not read. */
export interface OtherScm { kind: 'other'; app: string; scm: string; line: number }
export type LockEntry = HexRelease | GitCheckout | OtherScm;

/** The entries of a mix.lock, by app name. */
export function readMixLock(text: string, file: string): LockEntry[] {
  const tokens = tokenize(text, file);
  const reader = new TermReader(tokens, text, file, true);
  if (!tokens.length || tokens[0]!.k !== 'open' || tokens[0]!.v !== '%{') throw new InputError('not a mix.lock: it is not an Elixir map (%{…})', file, 1);
  const top = reader.term();
  if (!reader.done) throw new InputError('not a mix.lock: text after its map', file);
  if (top.t !== 'map') throw new InputError('not a mix.lock: it is not an Elixir map (%{…})', file, 1);
  const lineOfAt = lineFinder(text);
  let from = 0;
  // The line of `"app":` (the reader keeps no positions in terms): found by its text, as mix writes it, after the previous key's.
  const keyLine = (app: string) => {
    const at = text.indexOf(`"${app}":`, from);
    if (at < 0) return undefined;
    from = at + 1;
    return lineOfAt(at);
  };
  const out: LockEntry[] = [];
  for (const [k, v] of top.entries) {
    const app = str(k) ?? atom(k);
    if (app === undefined) throw new InputError('a mix.lock key that is not a name', file);
    const line = keyLine(app) ?? 1;
    if (v.t !== 'tuple' || !v.items.length) throw new InputError(`"${app}" is not locked as a tuple`, file, line);
    const scm = atom(v.items[0]);
    if (scm === 'hex') out.push(hexEntry(app, v.items, file, line));
    else if (scm === 'git') {
      const url = str(v.items[1]);
      const commit = str(v.items[2]);
      if (!url || !commit) throw new InputError(`"${app}": a git entry without its URL and commit`, file, line);
      const opts = v.items[3];
      const ref = ['tag', 'branch', 'ref'].map((key) => str(keyword(opts, key))).find((x) => x !== undefined);
      out.push({ kind: 'git', app, url, commit, ...(ref ? { ref } : {}), line });
    } else if (scm) out.push({ kind: 'other', app, scm, line });
    else throw new InputError(`"${app}" is locked as something that is not {:scm, …}`, file, line);
  }
  return out;
}

function hexEntry(app: string, items: Term[], file: string, line: number): HexRelease {
  const name = atom(items[1]) ?? str(items[1]);
  const version = str(items[2]);
  if (!name || !version) throw new InputError(`"${app}": a hex entry without its package and version`, file, line);
  const depsTerm = items[5];
  if (depsTerm !== undefined && depsTerm.t !== 'list') throw new InputError(`"${app}": its dependencies are not a list`, file, line);
  const deps = (depsTerm?.items ?? []).map((d) => {
    const depApp = d.t === 'tuple' ? atom(d.items[0]) : undefined;
    if (!depApp || d.t !== 'tuple') throw new InputError(`"${app}": a dependency that is not {:app, requirement, options}`, file, line);
    const opts = d.items[2];
    return { app: depApp, ...(str(d.items[1]) ? { requirement: str(d.items[1])! } : {}), optional: atom(keyword(opts, 'optional')) === 'true', line };
  });
  const outer = str(items[7]);
  return { kind: 'hex', app, name, version, repo: str(items[6]) ?? 'hexpm', ...(outer ? { outer } : {}), deps, line };
}

/** hexpm → public hex.pm; "hexpm:acme" → the organisation acme's private packages; anything else a repository mix was told of. */
function repoParts(repo: string): { namespace?: string; other?: string } {
  if (repo === 'hexpm') return {};
  const org = /^hexpm:(.+)$/.exec(repo);
  return org ? { namespace: org[1]!.toLowerCase() } : { other: repo };
}

export function hexPurl(name: string, version: string, repo = 'hexpm'): string {
  const { namespace } = repoParts(repo);
  return makePurl({ type: 'hex', namespace, name, version });
}

function component(e: LockEntry, file: string): Component {
  if (e.kind === 'other') {
    return {
      purl: makePurl({ type: 'hex', name: e.app }), name: e.app, version: '', ecosystem: 'hex', licenses: [], sourceFile: file, dependenciesComplete: false,
      properties: { 'marque:version': `unknown: locked by the :${e.scm} SCM, whose entries Marque does not read (Mix's own are :hex and :git)` },
    };
  }
  if (e.kind === 'git') {
    return {
      purl: makePurl({ type: 'hex', name: e.app, qualifiers: { vcs_url: `git+${e.url}@${e.commit}` } }), name: e.app, version: '', ecosystem: 'hex', licenses: [], sourceFile: file,
      // What a git checkout depends on is in its own mix.exs: mix.lock lists those packages, not the edges.
      dependenciesComplete: false,
      provenance: { type: 'git', url: e.url, version: e.commit },
      properties: { 'marque:version': `unknown: a git dependency (${e.url} at ${e.commit}${e.ref ? `, ${e.ref}` : ''}); mix.lock records no release version for it, and Hex advisories name releases` },
    };
  }
  const { namespace, other } = repoParts(e.repo);
  const c: Component = {
    purl: hexPurl(e.name, e.version, e.repo), name: e.name, version: e.version, ecosystem: 'hex', licenses: [], sourceFile: file, dependenciesComplete: true,
    ...(e.outer ? { hashes: [{ alg: 'SHA-256' as const, value: e.outer.toLowerCase(), source: `${file} outer checksum (the release tarball)` }] } : {}),
    // The Hex repository's layout (hex.pm's own docs: /tarballs/NAME-VERSION.tar, an organisation's under /repos/ORG).
    ...(other ? {} : { distribution: `https://repo.hex.pm/${namespace ? `repos/${namespace}/` : ''}tarballs/${e.name}-${e.version}.tar` }),
  };
  const props: Record<string, string> = {};
  if (e.app !== e.name) props['hex:app'] = e.app;
  if (other) props['hex:repo'] = other;
  if (Object.keys(props).length) c.properties = props;
  return c;
}

export function parseMixLock(text: string, file: string, project?: MixProject, folder = basename(dirname(file)) || 'project'): InventoryFragment {
  const entries = readMixLock(text, file);
  const b = new FragmentBuilder();
  const byApp = new Map<string, string>();
  for (const e of entries) byApp.set(e.app, b.component(component(e, file)));
  const notes: string[] = [];
  const required = new Set<string>();
  for (const e of entries) {
    if (e.kind !== 'hex') continue;
    const from = byApp.get(e.app)!;
    for (const d of e.deps) {
      const to = byApp.get(d.app);
      // An optional dependency nothing else asks for is not fetched, and not in the lock: nothing is missing.
      if (!to) { if (!d.optional) b.missing({ key: `${d.app}:${d.requirement ?? ''}`, package: e.name, from, file, line: d.line, reason: `"${d.app}" is not in mix.lock` }); continue; }
      b.edge(from, to, d.optional ? 'optional' : 'runtime', d.requirement ? { constraint: d.requirement } : {});
      required.add(d.app);
    }
  }
  const appName = project?.app ?? folder;
  const root = b.component({
    purl: makePurl({ type: 'hex', name: appName, version: project?.version ?? '' }), name: appName, version: project?.version ?? '', ecosystem: 'hex', licenses: [], sourceFile: file,
    dependenciesComplete: Boolean(project && !project.unknown.length), root: true, firstParty: true,
  });
  if (project) {
    // An umbrella's apps are the product's own: each a root with its mix.exs deps; `in_umbrella: true` names a sibling.
    const apps = (project.apps ?? []).map((app) => {
      const name = app.app ?? basename(dirname(app.file));
      const purl = b.component({ purl: makePurl({ type: 'hex', name, version: app.version ?? '' }), name, version: app.version ?? '', ecosystem: 'hex', licenses: [], sourceFile: app.file, dependenciesComplete: !app.unknown.length, root: true, firstParty: true });
      byApp.set(name, purl);
      return [app, purl] as const;
    });
    for (const [app, purl] of apps) {
      linkDeps(b, purl, app.deps, byApp, file, app.file);
      notes.push(...app.notes);
      if (app.unknown.length) notes.push(`${app.file}: ${app.unknown.join('; ')}`);
    }
    linkDeps(b, root, project.deps, byApp, file, project.file);
    notes.push(...project.notes);
    if (project.unknown.length) notes.push(`${project.file}: ${project.unknown.join('; ')}`);
  } else {
    // Without mix.exs, what nothing in the lock requires is taken as the project's own dependency; which of them
    // are only for :dev or :test (credo, ex_doc) is in mix.exs, so every one counts as shipping.
    for (const e of entries) if (!required.has(e.app)) b.edge(root, byApp.get(e.app)!, 'runtime');
    notes.push(`${file}: no mix.exs read beside it: the packages nothing in the lock requires are taken as the project's dependencies, and all count as shipping (mix.exs says which are only: :dev or :test)`);
  }
  const other = entries.filter((e) => e.kind === 'other');
  if (other.length) notes.push(`${file}: ${other.map((e) => `${e.app} (:${e.scm})`).join(', ')} locked by an SCM Marque does not read: no version, and what ${other.length === 1 ? 'it depends' : 'they depend'} on is not known`);
  const git = entries.filter((e) => e.kind === 'git');
  if (git.length) notes.push(`${file}: ${git.length} git dependenc${git.length === 1 ? 'y has' : 'ies have'} no release version (${git.map((g) => g.app).join(', ')}): Hex advisories cannot be placed on ${git.length === 1 ? 'it' : 'them'}, and what ${git.length === 1 ? 'it depends' : 'they depend'} on is in ${git.length === 1 ? 'its' : 'their'} own mix.exs, not in the lock`);
  return { ...b.build(), notes };
}

/** A dependency of mix.exs (the project's or an umbrella app's): its kind by `only:` and `runtime:`. */
export interface MixDep { app: string; requirement?: string; kind: DependencyKind; path?: string; inUmbrella?: boolean; git?: string; line: number }

function linkDeps(b: FragmentBuilder, from: string, deps: MixDep[], byApp: Map<string, string>, lockFile: string, exsFile: string): void {
  for (const d of deps) {
    let to = byApp.get(d.app);
    if (!to && d.path !== undefined && !d.inUmbrella) {
      // A path dependency: code in a folder, not a Hex release; mix.lock does not list it, and its version is whatever its folder says.
      to = b.component({
        purl: makePurl({ type: 'hex', name: d.app }), name: d.app, version: '', ecosystem: 'hex', licenses: [], sourceFile: exsFile, dependenciesComplete: false,
        properties: { 'marque:version': `unknown: a path dependency (${d.path}), not a Hex release; Hex advisories name releases`, 'hex:path': d.path },
      });
      byApp.set(d.app, to);
    }
    if (!to) {
      if (!d.inUmbrella) b.missing({ key: `${d.app}:${d.requirement ?? ''}`, package: d.app, from, file: exsFile, line: d.line, kind: d.kind, reason: `"${d.app}" from mix.exs is not in ${lockFile} (run mix deps.get)` });
      continue;
    }
    b.edge(from, to, d.kind, d.requirement ? { constraint: d.requirement } : {});
  }
}

export type { MixProject };
