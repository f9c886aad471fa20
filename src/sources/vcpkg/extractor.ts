// vcpkg manifests (vcpkg.json). Dependencies are port names, with `overrides` pinning exact versions
// and `version>=` a minimum. Features are opt-in, except the top-level manifest's `default-features`,
// which `vcpkg install` turns on unless told not to (--x-no-default-features), and the features those
// turn on in turn (a feature's dependency on the project itself, `{"name": <own name>, "features": […]}`).
// Anything else gets its version from the `builtin-baseline` commit of
// the vcpkg registry, which is not in the product's folder: those components say their version is
// unknown. When `vcpkg install` has run, vcpkg_installed/vcpkg/status (a control file, one paragraph
// per installed port and feature) names the exact versions, and wins.
import { basename, dirname, join } from 'node:path';
import { parseJsonText } from '../../util/json.ts';
import { InputError } from '../../util/errors.ts';
import { makePurl } from '../../model/purl.ts';
import { FragmentBuilder } from '../common/fragment.ts';
import { parseLockfiles } from '../common/lockfiles.ts';
import { parseControl } from '../../parsers/deb-control.ts';
import type { Extractor, InventoryFragment } from '../extractor.ts';
import type { DependencyKind } from '../../model/inventory.ts';

type Dep = string | { name: string; host?: boolean; features?: unknown[]; platform?: string; 'version>='?: string; 'default-features'?: boolean };
type FeatureRef = string | { name: string; platform?: string };
interface Manifest { name?: string; version?: string; 'version-string'?: string; 'version-semver'?: string; 'version-date'?: string; dependencies?: Dep[]; features?: Record<string, { dependencies?: Dep[] }>; 'default-features'?: FeatureRef[]; overrides?: { name: string; version?: string; 'version-string'?: string; 'version-semver'?: string; 'version-date'?: string; 'port-version'?: number }[]; 'builtin-baseline'?: string }

const portPurl = (name: string, version: string) => makePurl({ type: 'generic', namespace: 'vcpkg', name, ...(version ? { version } : {}) });

/** vcpkg's installed-ports database, a deb-control file: Package, Version, Port-Version, Architecture, Depends, Feature, Status. */
export function parseVcpkgStatus(text: string): Map<string, { version: string; triplet?: string; depends: string[] }> {
  const out = new Map<string, { version: string; triplet?: string; depends: string[] }>();
  for (const f of parseControl(text)) {
    const name = f.get('package');
    if (!name || !/install ok installed/.test(f.get('status') ?? '')) continue;
    const deps = (f.get('depends') ?? '').split(',').map((d) => d.trim().split(/[:[(\s]/)[0]!).filter(Boolean);
    const prev = out.get(name);
    if (f.has('feature')) { if (prev) prev.depends.push(...deps); continue; } // a feature paragraph adds dependencies to its port
    const pv = f.get('port-version');
    out.set(name, { version: `${f.get('version') ?? ''}${pv && pv !== '0' ? `#${pv}` : ''}`, triplet: f.get('architecture'), depends: [...(prev?.depends ?? []), ...deps] });
  }
  return out;
}

export function parseVcpkgManifest(text: string, file: string, project = basename(dirname(file)) || 'project', status?: ReturnType<typeof parseVcpkgStatus>): InventoryFragment {
  const m = parseJsonText(text, file) as Manifest;
  if (!m || typeof m !== 'object' || Array.isArray(m)) throw new InputError('not a vcpkg.json', file, 1);
  const b = new FragmentBuilder();
  const version = m.version ?? m['version-string'] ?? m['version-semver'] ?? m['version-date'] ?? '';
  const root = b.component({ purl: makePurl({ type: 'generic', name: m.name ?? project, ...(version ? { version } : {}) }), name: m.name ?? project, version, ecosystem: 'generic', licenses: [], sourceFile: file, root: true, firstParty: true, dependenciesComplete: Boolean(status) });
  const pinned = new Map((m.overrides ?? []).map((o) => [o.name, `${o.version ?? o['version-string'] ?? o['version-semver'] ?? o['version-date'] ?? ''}${o['port-version'] ? `#${o['port-version']}` : ''}`]));
  const notes: string[] = [];
  const unknown: string[] = [];
  const port = (name: string, minimum?: string): string => {
    const v = status?.get(name)?.version ?? pinned.get(name) ?? '';
    if (!v) unknown.push(name);
    return b.component({ purl: portPurl(name, v), name, version: v, ecosystem: 'generic', licenses: [], sourceFile: file, dependenciesComplete: Boolean(status?.has(name)), properties: { 'vcpkg:port': name, ...(minimum && !v ? { 'vcpkg:versionAtLeast': minimum } : {}), ...(status?.get(name)?.triplet ? { 'vcpkg:triplet': status.get(name)!.triplet! } : {}) } });
  };
  const self = m.name;
  // JSON.parse keeps no positions: a field's line is that of its first mention, if any.
  const lineOf = (key: string): number | undefined => { const i = text.indexOf(key); return i < 0 ? undefined : text.slice(0, i).split('\n').length; };
  const both = (a: string | undefined, b: string | undefined) => (a && b ? `(${a}) & (${b})` : a ?? b);
  // The features `vcpkg install` turns on: the default ones, then those a turned-on feature asks of the
  // project itself, each with the platform under which it is on (undefined: always).
  // Each feature on, with the platforms it is on under (undefined: always).
  const onUnder = new Map<string, Set<string> | undefined>();
  // A chain of features turning each other on is at most as long as the list of features: past that it is a
  // cycle, whose conditions only narrow what is already on.
  const deepest = Object.keys(m.features ?? {}).length + 1;
  const turnOn = (refs: unknown, platform: string | undefined, depth = 0) => {
    if (refs === undefined || depth > deepest) return;
    if (!Array.isArray(refs)) throw new InputError('"default-features" and a dependency\'s "features" must be arrays of feature names', file, lineOf('"default-features"'));
    for (const r of refs as FeatureRef[]) {
      const name = typeof r === 'string' ? r : r && typeof r === 'object' ? r.name : undefined;
      if (typeof name !== 'string') throw new InputError('a feature without a name in "default-features" or a dependency\'s "features"', file, lineOf('"default-features"'));
      if (name === 'core') continue; // vcpkg's name for "no features"
      const cond = both(platform, typeof r === 'object' ? r.platform : undefined);
      // Already on always, or under this platform: nothing to add. Under another: on under either.
      if (onUnder.has(name)) {
        const under = onUnder.get(name);
        if (under === undefined || (cond !== undefined && under.has(cond))) continue;
        if (cond === undefined) onUnder.set(name, undefined); else under.add(cond);
      } else onUnder.set(name, cond === undefined ? undefined : new Set([cond]));
      for (const d of m.features?.[name]?.dependencies ?? []) {
        if (typeof d === 'object' && d && d.name === self && self) turnOn(d.features ?? [], both(cond, d.platform), depth + 1);
      }
    }
  };
  turnOn(m['default-features'], undefined);
  const on = new Map([...onUnder].map(([name, under]) => [name, under === undefined ? undefined : under.size === 1 ? [...under][0]! : [...under].map((c) => `(${c})`).join(' | ')]));
  const edges = new Map<string, { to: string; kind: DependencyKind; condition?: string; constraint?: string }>();
  const link = (deps: Dep[] | undefined, kind: DependencyKind, feature?: string, platform?: string) => {
    for (const d of deps ?? []) {
      const name = typeof d === 'string' ? d : d?.name;
      if (typeof name !== 'string') throw new InputError('a dependency without a name', file);
      if (self && name === self) continue; // a feature turning on other features of the project: not a port
      const host = typeof d === 'object' && d.host === true; // a host dependency is a build tool
      const condition = both(platform, typeof d === 'object' ? d.platform : undefined);
      const to = port(name, typeof d === 'object' ? d['version>='] : undefined);
      const k = host ? 'build' : kind;
      // The same port named twice for different platforms (colmap's curl: with sspi on windows, with
      // openssl on !windows) is needed on either: one edge whose condition is their union.
      const prev = edges.get(`${k} ${to}`);
      if (prev) { prev.condition = prev.condition === undefined || condition === undefined ? undefined : prev.condition === condition ? condition : `(${prev.condition}) | (${condition})`; continue; }
      edges.set(`${k} ${to}`, { to, kind: k, condition, constraint: feature ? `feature ${feature}${on.has(feature) ? ' (default)' : ''}` : undefined });
    }
  };
  link(m.dependencies, 'runtime');
  // Features are opt-in: their dependencies ship only when the feature is chosen; a default feature's always do.
  for (const [feature, f] of Object.entries(m.features ?? {})) {
    if (on.has(feature)) link(f.dependencies, 'runtime', feature, on.get(feature));
    else link(f.dependencies, 'optional', feature);
  }
  for (const e of edges.values()) b.edge(root, e.to, e.kind, { ...(e.condition ? { condition: e.condition } : {}), ...(e.constraint ? { constraint: e.constraint } : {}) });
  // Installed ports' own dependencies, when vcpkg install has recorded them.
  for (const [name] of status ?? []) port(name);
  for (const [name, s] of status ?? []) { const from = portPurl(name, s.version); for (const d of s.depends) if (status!.has(d)) b.edge(from, portPurl(d, status!.get(d)!.version), 'runtime'); }
  if (unknown.length) notes.push(`${file}: ${unknown.length} port(s) (${[...new Set(unknown)].slice(0, 8).join(', ')}) get their version from the builtin-baseline ${m['builtin-baseline'] ?? '(none)'} of the vcpkg registry, which is not in this folder; run vcpkg install and keep vcpkg_installed/vcpkg/status beside vcpkg.json for exact versions`);
  if (!status) notes.push(`${file}: the ports' own dependencies are in the registry, not in vcpkg.json; without vcpkg_installed/vcpkg/status they are not in this inventory`);
  return { ...b.build(), notes };
}

export const vcpkgExtractor: Extractor = {
  id: 'vcpkg',
  claims: (_rel, name) => name === 'vcpkg.json',
  extract: (files, ctx) => parseLockfiles(files, ctx, (text, f) => {
    const statusText = ctx.beside(join(dirname(f.path), 'vcpkg_installed', 'vcpkg', 'status'));
    let status: ReturnType<typeof parseVcpkgStatus> | undefined;
    try { status = statusText === undefined ? undefined : parseVcpkgStatus(statusText); } catch { status = undefined; }
    return parseVcpkgManifest(text, f.rel, basename(dirname(f.path)), status);
  }),
};
