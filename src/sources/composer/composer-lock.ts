// composer.lock: `packages` (what ships) and `packages-dev`, each with its `require`; the project's
// own composer.json beside it names its direct requirements. Platform requirements (php, ext-*,
// lib-*, composer-*) are the runtime's, not packages: they are left out. A requirement is met, as
// Composer's solver meets it, by the package of that name or by one that `replace`s it
// (laravel/framework replaces the illuminate/* packages) or `provide`s it (a virtual package such
// as psr/log-implementation is met by monolog/monolog); checked against `composer show --locked --tree`.
import { join, dirname, basename } from 'node:path';
import { parseJsonText } from '../../util/json.ts';
import type { ReadBeside } from '../extractor.ts';
import { InputError } from '../../util/errors.ts';
import { makePurl } from '../../model/purl.ts';
import { mapLicenses } from '../../util/license.ts';
import { FragmentBuilder } from '../common/fragment.ts';
import type { InventoryFragment } from '../extractor.ts';
import type { DependencyKind } from '../../model/inventory.ts';

interface ComposerPackage { name: string; version: string; require?: Record<string, string>; replace?: Record<string, string>; provide?: Record<string, string>; license?: string[]; dist?: { url?: string; shasum?: string }; source?: { url?: string; reference?: string } }
// Platform packages (php, ext-json, lib-curl, composer-plugin-api) are the only names without a vendor.
const platform = (name: string) => !name.includes('/');

const isMap = (v: unknown): Record<string, unknown> => (v && typeof v === 'object' && !Array.isArray(v) ? v as Record<string, unknown> : {});

export function composerPurl(name: string, version: string): string {
  const [vendor, pkg] = name.split('/') as [string, string];
  return makePurl({ type: 'composer', namespace: vendor, name: pkg, version });
}

export function parseComposerLock(text: string, file: string, manifest?: { name?: string; version?: string; require?: Record<string, string>; 'require-dev'?: Record<string, string>; replace?: Record<string, string>; provide?: Record<string, string> }, project = basename(dirname(file))): InventoryFragment {
  const lock = parseJsonText(text, file) as { packages?: ComposerPackage[]; 'packages-dev'?: ComposerPackage[] };
  if (!lock || typeof lock !== 'object' || !Array.isArray(lock.packages)) throw new InputError('not a composer.lock: no "packages" list', file, 1);
  const b = new FragmentBuilder();
  const byName = new Map<string, string>();
  for (const [list, dev] of [[lock.packages, false], [lock['packages-dev'] ?? [], true]] as const) {
    for (const p of list) {
      if (!p || typeof p.name !== 'string' || typeof p.version !== 'string') throw new InputError(`a package without a name or version in ${dev ? 'packages-dev' : 'packages'}`, file);
      const lic = mapLicenses(p.license ?? []);
      const purl = b.component({
        purl: composerPurl(p.name, p.version), name: p.name, version: p.version, ecosystem: 'composer', licenses: [...lic.spdx, ...lic.raw], sourceFile: file, dependenciesComplete: true,
        ...(dev ? { declaredScope: 'dev' as const } : {}), ...(p.dist?.url ? { distribution: p.dist.url } : {}),
        ...(p.source?.url ? { provenance: { type: 'git' as const, url: p.source.url, ...(p.source.reference ? { version: p.source.reference } : {}) } } : {}),
      });
      byName.set(p.name.toLowerCase(), purl);
    }
  }
  // Names a locked package answers to besides its own, and names the project itself replaces or provides.
  const standIns = new Map<string, string[]>();
  for (const p of [...lock.packages, ...(lock['packages-dev'] ?? [])]) {
    for (const n of [...Object.keys(isMap(p.replace)), ...Object.keys(isMap(p.provide))]) {
      const key = n.toLowerCase();
      if (!byName.has(key)) standIns.set(key, [...(standIns.get(key) ?? []), byName.get(p.name.toLowerCase())!]);
    }
  }
  const projectCovers = new Set([...Object.keys(isMap(manifest?.replace)), ...Object.keys(isMap(manifest?.provide))].map((n) => n.toLowerCase()));
  /** The packages that meet a requirement; [] when the project itself does; undefined when nothing locked does. */
  const meet = (dep: string): string[] | undefined => {
    const key = dep.toLowerCase();
    const own = byName.get(key);
    return own ? [own] : standIns.get(key) ?? (projectCovers.has(key) ? [] : undefined);
  };
  for (const p of [...lock.packages, ...(lock['packages-dev'] ?? [])]) {
    const from = byName.get(p.name.toLowerCase())!;
    for (const [dep, constraint] of Object.entries(p.require ?? {})) {
      if (platform(dep)) continue;
      const to = meet(dep);
      if (to) for (const t of to) b.edge(from, t, 'runtime', { constraint });
      else b.missing({ key: `${dep}:${constraint}`, package: p.name, from, file, reason: `"${dep}" is not in composer.lock, and no locked package replaces or provides it` });
    }
  }
  const name = manifest?.name ?? (project || 'project');
  const root = b.component({ purl: name.includes('/') ? composerPurl(name, manifest?.version ?? '') : makePurl({ type: 'generic', name }), name, version: manifest?.version ?? '', ecosystem: 'composer', licenses: [], sourceFile: file, dependenciesComplete: Boolean(manifest), root: true, firstParty: true });
  if (manifest) {
    for (const [deps, kind] of [[manifest.require, 'runtime'], [manifest['require-dev'], 'dev']] as [Record<string, string> | undefined, DependencyKind][]) {
      for (const [dep, constraint] of Object.entries(deps ?? {})) {
        if (platform(dep)) continue;
        const to = meet(dep);
        if (to) for (const t of to) b.edge(root, t, kind, { constraint });
        else b.missing({ key: `${dep}:${constraint}`, package: name, from: root, file, kind, reason: `"${dep}" from composer.json is not in composer.lock, and no locked package replaces or provides it` });
      }
    }
  } else {
    // Without composer.json, what nothing else requires is taken as required by the project.
    const required = new Set(b.build().dependencies.map((d) => d.to));
    for (const [n, purl] of byName) if (!required.has(purl)) b.edge(root, purl, (lock['packages-dev'] ?? []).some((p) => p.name.toLowerCase() === n) ? 'dev' : 'runtime');
  }
  return b.build();
}

export function readComposerManifest(lockPath: string, beside: ReadBeside): Parameters<typeof parseComposerLock>[2] {
  const text = beside(join(dirname(lockPath), 'composer.json'));
  try { return text === undefined ? undefined : parseJsonText(text, 'composer.json') as never; } catch { return undefined; }
}
