// vcpkg manifests (vcpkg.json). Dependencies are port names, with `overrides` pinning exact versions
// and `version>=` a minimum; anything else gets its version from the `builtin-baseline` commit of
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
interface Manifest { name?: string; version?: string; 'version-string'?: string; 'version-semver'?: string; 'version-date'?: string; dependencies?: Dep[]; features?: Record<string, { dependencies?: Dep[] }>; overrides?: { name: string; version?: string; 'version-string'?: string; 'version-semver'?: string; 'version-date'?: string; 'port-version'?: number }[]; 'builtin-baseline'?: string }

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
  const link = (deps: Dep[] | undefined, kind: DependencyKind, feature?: string) => {
    for (const d of deps ?? []) {
      const name = typeof d === 'string' ? d : d.name;
      if (typeof name !== 'string') throw new InputError('a dependency without a name', file);
      const host = typeof d === 'object' && d.host === true; // a host dependency is a build tool
      b.edge(root, port(name, typeof d === 'object' ? d['version>='] : undefined), host ? 'build' : kind, { ...(typeof d === 'object' && d.platform ? { condition: d.platform } : {}), ...(feature ? { constraint: `feature ${feature}` } : {}) });
    }
  };
  link(m.dependencies, 'runtime');
  // Features are opt-in: their dependencies ship only when the feature is chosen.
  for (const [feature, f] of Object.entries(m.features ?? {})) link(f.dependencies, 'optional', feature);
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
