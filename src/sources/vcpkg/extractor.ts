// vcpkg manifests (vcpkg.json). Dependencies are port names, with `overrides` pinning exact versions
// and `version>=` a minimum. Features are opt-in, except the top-level manifest's `default-features`,
// which `vcpkg install` turns on unless told not to (--x-no-default-features), and the features those
// turn on in turn (a feature's dependency on the project itself, `{"name": <own name>, "features": […]}`).
// A port found among the configuration's `overlay-ports` (vcpkg-configuration.json beside the manifest,
// or its `vcpkg-configuration` field) is that port, whatever overrides and the baseline say (vcpkg:
// overlay > overrides > version>= > baseline): its own vcpkg.json gives its version, licence and
// dependencies. A vcpkg.json beside a portfile.cmake is such a port recipe, not a project.
// Anything else gets its version from the baseline commit of
// the vcpkg registry, which is not in the product's folder: those components say their version is
// unknown. When `vcpkg install` has run, vcpkg_installed/vcpkg/status (a control file, one paragraph
// per installed port and feature) names the exact versions, and wins.
import { basename, dirname, join, relative, resolve, sep } from 'node:path';
import { parseJsonText } from '../../util/json.ts';
import { InputError, problemOf } from '../../util/errors.ts';
import { mapLicenses } from '../../util/license.ts';
import { insideRoot } from '../common/folders.ts';
import { makePurl } from '../../model/purl.ts';
import { FragmentBuilder } from '../common/fragment.ts';
import { parseLockfiles } from '../common/lockfiles.ts';
import { parseControl } from '../../parsers/deb-control.ts';
import type { ExtractContext, Extractor, FoundFile, InventoryFragment } from '../extractor.ts';
import type { DependencyKind } from '../../model/inventory.ts';

type Dep = string | { name: string; host?: boolean; features?: unknown[]; platform?: string; 'version>='?: string; 'default-features'?: boolean };
type FeatureRef = string | { name: string; platform?: string };
interface Configuration { 'default-registry'?: { baseline?: unknown } | null; 'overlay-ports'?: unknown }
interface Manifest { name?: string; version?: string; 'version-string'?: string; 'version-semver'?: string; 'version-date'?: string; 'port-version'?: number; license?: unknown; dependencies?: Dep[]; features?: Record<string, { dependencies?: Dep[] }>; 'default-features'?: FeatureRef[]; overrides?: { name: string; version?: string; 'version-string'?: string; 'version-semver'?: string; 'version-date'?: string; 'port-version'?: number }[]; 'builtin-baseline'?: string; 'vcpkg-configuration'?: Configuration }
/** An overlay port: its manifest, and where it is (the path of its vcpkg.json from the scanned folder). */
export interface OverlayPort { manifest: Manifest; file: string }
/** The overlay port of this name, as vcpkg finds it among the configuration's overlay-ports; undefined when none has it. */
export type OverlayLookup = (name: string) => OverlayPort | undefined;

/** A manifest's or override's version as vcpkg writes it in its status file: the port version after "#" when not 0. */
const versionOf = (m: { version?: string; 'version-string'?: string; 'version-semver'?: string; 'version-date'?: string; 'port-version'?: number }) => {
  const v = m.version ?? m['version-string'] ?? m['version-semver'] ?? m['version-date'] ?? '';
  return v && m['port-version'] ? `${v}#${m['port-version']}` : v;
};

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

/**
 * `more.overlay`: the overlay ports the manifest's configuration names (the extractor finds them on disk);
 * `more.configuration`: vcpkg-configuration.json beside the manifest, when the manifest embeds none.
 */
export function parseVcpkgManifest(text: string, file: string, project = basename(dirname(file)) || 'project', status?: ReturnType<typeof parseVcpkgStatus>, more: { overlay?: OverlayLookup; configuration?: Configuration } = {}): InventoryFragment {
  const m = parseJsonText(text, file) as Manifest;
  if (!m || typeof m !== 'object' || Array.isArray(m)) throw new InputError('not a vcpkg.json', file, 1);
  const b = new FragmentBuilder();
  const version = m.version ?? m['version-string'] ?? m['version-semver'] ?? m['version-date'] ?? '';
  const root = b.component({ purl: makePurl({ type: 'generic', name: m.name ?? project, ...(version ? { version } : {}) }), name: m.name ?? project, version, ecosystem: 'generic', licenses: [], sourceFile: file, root: true, firstParty: true, dependenciesComplete: Boolean(status) });
  const pinned = new Map((m.overrides ?? []).map((o) => [o.name, versionOf(o)]));
  const configuration = m['vcpkg-configuration'] ?? more.configuration;
  const registryBaseline = configuration?.['default-registry']?.baseline;
  // The registry's commit the versions come from: the manifest's builtin-baseline, else the configuration's default registry's.
  const baseline = m['builtin-baseline'] !== undefined ? `builtin-baseline ${m['builtin-baseline']}` : typeof registryBaseline === 'string' ? `baseline ${registryBaseline} (the configuration's default registry)` : 'builtin-baseline (none)';
  const notes: string[] = [];
  const unknown = new Set<string>();
  const fromRegistry = new Set<string>();
  // Installed ports are what they are; otherwise an overlay port wins over overrides and the baseline.
  const overlayOf = (name: string) => (status?.has(name) ? undefined : more.overlay?.(name));
  const port = (name: string, minimum?: string): string => {
    const overlay = overlayOf(name);
    const v = status?.get(name)?.version ?? (overlay ? versionOf(overlay.manifest) : pinned.get(name)) ?? '';
    if (!overlay && !status?.has(name)) fromRegistry.add(name);
    if (!v) unknown.add(name);
    const declared = overlay && typeof overlay.manifest.license === 'string' ? [overlay.manifest.license] : [];
    const lic = mapLicenses(declared);
    return b.component({
      purl: portPurl(name, v), name, version: v, ecosystem: 'generic', licenses: [...lic.spdx, ...lic.raw], ...(declared.length ? { licensesDeclared: declared } : {}),
      sourceFile: overlay?.file ?? file, dependenciesComplete: Boolean(status?.has(name) || overlay),
      properties: { 'vcpkg:port': name, ...(overlay ? { 'vcpkg:overlay': posixDir(overlay.file) } : {}), ...(minimum && !v ? { 'vcpkg:versionAtLeast': minimum } : {}), ...(status?.get(name)?.triplet ? { 'vcpkg:triplet': status.get(name)!.triplet! } : {}) },
    });
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
  const edges = new Map<string, { from: string; to: string; kind: DependencyKind; condition?: string; constraint?: string }>();
  // What is asked of overlay ports: their features (and whether their default features) under a condition.
  const asked: { name: string; features: unknown; defaults: boolean; condition?: string }[] = [];
  const link = (from: string, owner: string | undefined, deps: Dep[] | undefined, kind: DependencyKind, feature?: string, platform?: string, featureOn = false) => {
    for (const d of deps ?? []) {
      const name = typeof d === 'string' ? d : d?.name;
      if (typeof name !== 'string') throw new InputError('a dependency without a name', file);
      const condition = both(platform, typeof d === 'object' ? d.platform : undefined);
      const features = typeof d === 'object' ? d.features : undefined;
      if (owner && name === owner) { // a feature turning on other features of the project or port itself: not a port
        if (from !== root) asked.push({ name, features: features ?? [], defaults: false, condition });
        continue;
      }
      const host = typeof d === 'object' && d.host === true; // a host dependency is a build tool
      const to = port(name, typeof d === 'object' ? d['version>='] : undefined);
      asked.push({ name, features: features ?? [], defaults: !(typeof d === 'object' && d['default-features'] === false), condition });
      const k = host ? 'build' : kind;
      // The same port named twice for different platforms (colmap's curl: with sspi on windows, with
      // openssl on !windows) is needed on either: one edge whose condition is their union.
      const key = `${from} ${k} ${to}`;
      const prev = edges.get(key);
      if (prev) { prev.condition = prev.condition === undefined || condition === undefined ? undefined : prev.condition === condition ? condition : `(${prev.condition}) | (${condition})`; continue; }
      edges.set(key, { from, to, kind: k, condition, constraint: feature ? `feature ${feature}${featureOn ? ' (default)' : ''}` : undefined });
    }
  };
  link(root, self, m.dependencies, 'runtime');
  // Features are opt-in: their dependencies ship only when the feature is chosen; a default feature's always do.
  for (const [feature, f] of Object.entries(m.features ?? {})) {
    if (on.has(feature)) link(root, self, f.dependencies, 'runtime', feature, on.get(feature), true);
    else link(root, self, f.dependencies, 'optional', feature);
  }
  // An overlay port's own dependencies are in its vcpkg.json: its core ones, those of the features asked of
  // it (and its default features, unless every asker says "default-features": false), in turn for theirs.
  const seen = new Set<string>();
  for (let i = 0; i < asked.length && seen.size < 10_000; i++) {
    const a = asked[i]!;
    const overlay = overlayOf(a.name);
    if (!overlay) continue;
    const from = port(a.name);
    const pm = overlay.manifest;
    const wanted: [string, string | undefined][] = [['core', undefined]];
    if (a.defaults) for (const r of Array.isArray(pm['default-features']) ? pm['default-features'] : []) wanted.push([typeof r === 'string' ? r : r?.name, typeof r === 'object' ? r?.platform : undefined]);
    for (const r of Array.isArray(a.features) ? a.features as FeatureRef[] : []) wanted.push([typeof r === 'string' ? r : r?.name, typeof r === 'object' ? r?.platform : undefined]);
    for (const [feature, platform] of wanted) {
      if (typeof feature !== 'string') continue;
      const condition = feature === 'core' ? undefined : both(a.condition, platform);
      const key = `${a.name}\n${feature}\n${condition ?? ''}`;
      if (seen.has(key)) continue;
      seen.add(key);
      const deps = feature === 'core' ? pm.dependencies : pm.features?.[feature]?.dependencies;
      link(from, a.name, deps, 'runtime', feature === 'core' ? undefined : feature, condition);
    }
  }
  for (const e of edges.values()) b.edge(e.from, e.to, e.kind, { ...(e.condition ? { condition: e.condition } : {}), ...(e.constraint ? { constraint: e.constraint } : {}) });
  // Installed ports' own dependencies, when vcpkg install has recorded them.
  for (const [name] of status ?? []) port(name);
  for (const [name, s] of status ?? []) { const from = portPurl(name, s.version); for (const d of s.depends) if (status!.has(d)) b.edge(from, portPurl(d, status!.get(d)!.version), 'runtime'); }
  const names = (set: Set<string>) => `${[...set].slice(0, 8).join(', ')}${set.size > 8 ? ', …' : ''}`;
  if (unknown.size) notes.push(`${file}: ${unknown.size} port(s) (${names(unknown)}) get their version from the ${baseline} of the vcpkg registry, which is not in this folder; run vcpkg install and keep vcpkg_installed/vcpkg/status beside vcpkg.json for exact versions`);
  if (!status && fromRegistry.size) notes.push(`${file}: the ports' own dependencies are in the registry, not in vcpkg.json; without vcpkg_installed/vcpkg/status they are not in this inventory`);
  return { ...b.build(), notes };
}

const posixDir = (rel: string) => rel.split('/').slice(0, -1).join('/') || '.';
const slashed = (p: string) => p.split(sep).join('/');

/**
 * The overlay ports a configuration names, found as vcpkg finds them: each location in order is either a
 * port itself (its vcpkg.json names it) or a folder of ports, one subfolder per port name; a port is a
 * folder with a vcpkg.json and a portfile.cmake. Locations are relative to the configuration's folder;
 * one that leads outside the scanned folder is not read (said in `notes`).
 */
function overlayLookup(configuration: Configuration | undefined, configDir: string, configFile: string, ctx: ExtractContext, used: Set<string>, notes: string[]): OverlayLookup | undefined {
  const entries = configuration?.['overlay-ports'];
  if (!Array.isArray(entries) || !entries.length) return undefined;
  const locations: string[] = [];
  for (const e of entries) {
    if (typeof e !== 'string' || !e) continue;
    const dir = resolve(configDir, e);
    if (!insideRoot(ctx.root, dir)) { notes.push(`${configFile}: the overlay-ports location "${e.slice(0, 200)}" lies outside the scanned folder: not read, so the ports it may hold are taken from the registry here`); continue; }
    locations.push(dir);
  }
  const portAt = new Map<string, OverlayPort | null>();
  const read = (dir: string): OverlayPort | null => {
    if (portAt.has(dir)) return portAt.get(dir)!;
    let found: OverlayPort | null = null;
    const path = join(dir, 'vcpkg.json');
    if (ctx.files.exists(path) && ctx.files.exists(join(dir, 'portfile.cmake'))) {
      const rel = slashed(relative(ctx.root, path));
      const text = ctx.beside(path);
      try {
        const manifest = text === undefined ? undefined : parseJsonText(text, rel) as Manifest;
        if (manifest && typeof manifest === 'object' && !Array.isArray(manifest) && typeof manifest.name === 'string') found = { manifest, file: rel };
      } catch (e) { ctx.problem(problemOf(e, rel)); }
    }
    portAt.set(dir, found);
    return found;
  };
  return (name) => {
    for (const dir of locations) {
      const single = read(dir);
      const p = single ? (single.manifest.name === name ? single : null) : read(join(dir, name));
      if (p && p.manifest.name === name) { used.add(p.file); return p; }
    }
    return undefined;
  };
}

/** vcpkg-configuration.json beside the manifest (when the manifest embeds no configuration). */
function configurationBeside(f: FoundFile, ctx: ExtractContext): Configuration | undefined {
  const path = join(dirname(f.path), 'vcpkg-configuration.json');
  const text = ctx.beside(path);
  if (text === undefined) return undefined;
  const rel = slashed(relative(ctx.root, path));
  try {
    const c = parseJsonText(text, rel) as Configuration;
    return c && typeof c === 'object' && !Array.isArray(c) ? c : undefined;
  } catch (e) { ctx.problem(problemOf(e, rel)); return undefined; }
}

export const vcpkgExtractor: Extractor = {
  id: 'vcpkg',
  claims: (_rel, name) => name === 'vcpkg.json',
  extract: async (files, ctx) => {
    // A vcpkg.json beside a portfile.cmake is a port's recipe (an overlay port, or a registry's), not a project.
    const isPort = (f: FoundFile) => ctx.files.exists(join(dirname(f.path), 'portfile.cmake'));
    const ports = files.filter(isPort);
    const used = new Set<string>();
    const out = await parseLockfiles(files.filter((f) => !isPort(f)), ctx, (text, f) => {
      const statusText = ctx.beside(join(dirname(f.path), 'vcpkg_installed', 'vcpkg', 'status'));
      let status: ReturnType<typeof parseVcpkgStatus> | undefined;
      try { status = statusText === undefined ? undefined : parseVcpkgStatus(statusText); } catch { status = undefined; }
      // The configuration: the manifest's own field, else vcpkg-configuration.json beside it.
      let embedded: Configuration | undefined;
      try { const m = JSON.parse(text) as Manifest; embedded = m && typeof m === 'object' && !Array.isArray(m) && m['vcpkg-configuration'] && typeof m['vcpkg-configuration'] === 'object' ? m['vcpkg-configuration'] : undefined; } catch { embedded = undefined; } // parseVcpkgManifest says what is wrong
      const configuration = embedded ?? configurationBeside(f, ctx);
      const notes: string[] = [];
      const overlay = overlayLookup(configuration, dirname(f.path), embedded ? f.rel : slashed(join(dirname(f.rel), 'vcpkg-configuration.json')), ctx, used, notes);
      const part = parseVcpkgManifest(text, f.rel, basename(dirname(f.path)), status, { ...(overlay ? { overlay } : {}), ...(configuration ? { configuration } : {}) });
      return { ...part, notes: [...notes, ...(part.notes ?? [])] };
    });
    const unused = ports.filter((p) => !used.has(p.rel)).map((p) => p.rel).sort();
    if (unused.length) out.notes!.push(`${unused.length} vcpkg port recipe(s) (a vcpkg.json beside a portfile.cmake) are read only as the overlay ports a project's configuration names, and none here names them: ${unused.slice(0, 5).join(', ')}${unused.length > 5 ? ', …' : ''}`);
    return out;
  },
};
