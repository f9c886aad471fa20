// yarn.lock, classic (v1) and Berry (v2+, `__metadata`), parsed by Yarn's own parser
// (@yarnpkg/parsers' parseSyml reads both). Entries are keyed by the descriptors that resolved to
// them ("lodash@^4.17.0, lodash@^4.17.21"); a dependency is a descriptor looked up among those keys.
// The lock holds no root: the project's package.json (and its workspaces') say what the product
// depends on directly, and which of those are dev or optional.
import { parseSyml } from '@yarnpkg/parsers';
import { npmPurl } from '../../model/purl.ts';
import { InputError } from '../../util/errors.ts';
import { FragmentBuilder, parseDigest } from '../common/fragment.ts';
import type { InventoryFragment } from '../extractor.ts';
import type { Component, DependencyKind } from '../../model/inventory.ts';
import { isRecord } from '../../util/yaml.ts';

/** A package.json as far as the lock needs it: name, version and the four dependency groups. */
export interface ProjectManifest {
  /** Folder relative to the lockfile's ("." for the project itself). */
  path: string;
  name?: string; version?: string;
  dependencies?: Record<string, string>; devDependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>; peerDependencies?: Record<string, string>;
  /** package.json's `workspaces` as written (a list of patterns, or `{ packages }`). */
  workspaces?: unknown;
}

interface Entry { version: string; resolved?: string; resolution?: string; integrity?: string; checksum?: string; dependencies?: Record<string, string>; optionalDependencies?: Record<string, string>; peerDependencies?: Record<string, string>; dependenciesMeta?: Record<string, { optional?: boolean }>; linkType?: string; languageName?: string }

/** "@scope/name@npm:^1.0.0" → ["@scope/name", "npm:^1.0.0"]: the name ends at the first "@" after its first character. */
export function splitDescriptor(d: string): [string, string] {
  const at = d.indexOf('@', 1);
  return at < 0 ? [d, ''] : [d.slice(0, at), d.slice(at + 1)];
}

export function parseYarnLock(text: string, file: string, projects: ProjectManifest[]): InventoryFragment {
  let doc: Record<string, unknown>;
  try {
    doc = parseSyml(text) as Record<string, unknown>;
  } catch (e) {
    const m = /line (\d+)/i.exec((e as Error).message);
    throw new InputError(`malformed yarn.lock: ${(e as Error).message.split('\n')[0]}`, file, m ? Number(m[1]) : undefined);
  }
  if (!isRecord(doc)) throw new InputError('not a yarn.lock', file, 1);
  const berry = isRecord(doc['__metadata']);
  const b = new FragmentBuilder();
  const byDescriptor = new Map<string, string>(); // "name@range" → purl
  const entries: [string, Entry, string][] = [];
  const workspaceAt = new Map<string, string>(); // workspace path → purl (Berry)
  for (const [key, value] of Object.entries(doc)) {
    if (key === '__metadata') continue;
    if (!isRecord(value) || typeof value['version'] !== 'string') throw new InputError(`entry "${key.slice(0, 80)}" has no version`, file);
    const e = value as unknown as Entry;
    const descriptors = key.split(/,\s*/).map((d) => d.trim()).filter(Boolean);
    const [name] = splitDescriptor(descriptors[0]!);
    const purl = npmPurl(name, e.version);
    const c: Component = { purl, name, version: e.version, ecosystem: 'npm', licenses: [], sourceFile: file, dependenciesComplete: true };
    const hash = parseDigest(e.integrity);
    if (hash) c.hashes = [hash];
    if (e.resolved && /^https?:/.test(e.resolved)) c.distribution = e.resolved.replace(/#.*$/, '');
    const workspace = berry && e.resolution ? /@workspace:(.*)$/.exec(e.resolution)?.[1] : undefined;
    if (workspace !== undefined) { c.root = true; workspaceAt.set(workspace, purl); }
    b.component(c);
    for (const d of descriptors) byDescriptor.set(d, purl);
    entries.push([key, e, purl]);
  }
  // Berry writes "dep: npm:^1.0" for "dep@npm:^1.0"; classic writes "dep ^1.0" for "dep@^1.0".
  // A Berry range without a protocol is npm's ("dep@^1.0" resolves as "dep@npm:^1.0").
  const lookup = (name: string, range: string) => byDescriptor.get(`${name}@${range}`) ?? (berry && !/^[a-z]+:/.test(range) ? byDescriptor.get(`${name}@npm:${range}`) : undefined);
  const projectAt = new Map(projects.map((p) => [p.path, p]));
  const workspaceOf = new Map<string, string>([...workspaceAt].map(([path, purl]) => [purl, path]));
  for (const [key, e, from] of entries) {
    // Berry's workspace entries list dev dependencies with the others: the workspace's package.json says which are dev.
    const ws = workspaceOf.get(from);
    const dev = new Set(Object.keys((ws !== undefined ? projectAt.get(ws)?.devDependencies : undefined) ?? {}));
    const groups: [Record<string, string> | undefined, DependencyKind][] = [[e.dependencies, 'runtime'], [e.optionalDependencies, 'optional'], [e.peerDependencies, 'peer']];
    for (const [deps, kind] of groups) {
      for (const [dep, range] of Object.entries(deps ?? {})) {
        const to = lookup(dep, String(range));
        const optional = kind === 'optional' || Boolean(e.dependenciesMeta?.[dep]?.optional);
        if (to) { b.edge(from, to, optional ? 'optional' : kind === 'runtime' && dev.has(dep) ? 'dev' : kind, { constraint: String(range) }); continue; }
        // Optional dependencies for other platforms and peers the consumer provides are not gaps.
        if (!optional && kind !== 'peer') b.missing({ key: `${dep}@${range}`, package: key.split(',')[0]!, from, file, kind, reason: `"${dep}@${range}" is not in yarn.lock` });
      }
    }
  }
  // Classic locks hold no project: package.json (the project's and each workspace's) says what it depends on.
  for (const p of projects) {
    if (workspaceAt.has(p.path)) continue;
    const purl = b.component({ purl: npmPurl(p.name ?? (p.path === '.' ? 'root' : p.path), p.version ?? ''), name: p.name ?? p.path, version: p.version ?? '', ecosystem: 'npm', licenses: [], sourceFile: file, dependenciesComplete: true, root: true });
    const groups: [Record<string, string> | undefined, DependencyKind][] = [[p.dependencies, 'runtime'], [p.optionalDependencies, 'optional'], [p.devDependencies, 'dev'], [p.peerDependencies, 'peer']];
    for (const [deps, kind] of groups) {
      for (const [dep, range] of Object.entries(deps ?? {})) {
        const to = lookup(dep, range) ?? (/^(workspace|link|portal|file):/.test(range) || projects.some((x) => x.name === dep) ? projectNamed(dep) : undefined);
        if (to) { b.edge(purl, to, kind, { constraint: range }); continue; }
        if (kind !== 'optional' && kind !== 'peer') b.missing({ key: `${dep}@${range}`, package: p.name ?? p.path, from: purl, file, kind, reason: `"${dep}@${range}" from ${p.path === '.' ? '' : `${p.path}/`}package.json is not in yarn.lock` });
      }
    }
  }
  function projectNamed(name: string): string | undefined {
    const p = projects.find((x) => x.name === name);
    return p ? (workspaceAt.get(p.path) ?? npmPurl(p.name!, p.version ?? '')) : undefined;
  }
  return b.build();
}
