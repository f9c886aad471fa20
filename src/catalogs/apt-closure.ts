// What apt would install for a package on a fresh system, without recommends: the candidate
// version (the highest one, all sources being at apt's default pin) and the Pre-Depends/Depends
// closure, alternatives taken in order and virtual packages resolved to a provider as apt's
// CompareProviders prefers them (essential, then by Priority, then by name).
import type { Component, Dependency, Unresolved } from '../model/inventory.ts';
import { distroQualifier } from '../model/platforms.ts';
import { makePurl } from '../model/purl.ts';
import type { Platform } from '../model/platforms.ts';
import { dpkgScheme } from '../versioning/dpkg.ts';
import type { AptPackage } from './apt-index.ts';
import type { AptCatalog } from './open.ts';

export interface Relation { name: string; op?: string; version?: string }

const RELATION = /^([a-z0-9][a-z0-9+.-]*)(?::[a-z0-9-]+)?\s*(?:\(\s*(<<|<=|>=|>>|=|<|>)\s*([^\s)]+)\s*\))?\s*(?:\[[^\]]*\])?\s*(?:<[^>]*>\s*)*$/i;

/** "a (>= 1) | b, c" → [[a >= 1, b], [c]]; architecture and build-profile restrictions dropped. */
export function parseRelations(field: string | undefined): Relation[][] {
  if (!field) return [];
  const out: Relation[][] = [];
  for (const group of field.split(',')) {
    const alts: Relation[] = [];
    for (const alt of group.split('|')) {
      const m = RELATION.exec(alt.trim());
      if (!m) continue;
      const r: Relation = { name: m[1]!.toLowerCase() };
      if (m[2]) { r.op = m[2]; r.version = m[3]!; }
      alts.push(r);
    }
    if (alts.length) out.push(alts);
  }
  return out;
}

export function satisfies(version: string, r: Relation): boolean {
  if (!r.op || !r.version) return true;
  const c = dpkgScheme.compare(version, r.version);
  switch (r.op) {
    case '<<': return c < 0;
    case '<=': case '<': return c <= 0; // "<" and ">" are the deprecated forms of "<=" and ">="
    case '=': return c === 0;
    case '>=': case '>': return c >= 0;
    case '>>': return c > 0;
    default: return false;
  }
}

const PRIORITY_RANK: Record<string, number> = { required: 1, important: 2, standard: 3, optional: 4, extra: 5 };

export class AptResolver {
  private readonly candidates = new Map<string, AptPackage | null>();
  private readonly catalog: AptCatalog;
  constructor(catalog: AptCatalog) { this.catalog = catalog; }

  /** The version apt would install of a real package: the highest one in the indexes. */
  candidate(name: string): AptPackage | undefined {
    let c = this.candidates.get(name);
    if (c === undefined) {
      c = null;
      for (const p of this.catalog.packages(name)) if (!c || dpkgScheme.compare(p.version, c.version) > 0) c = p;
      this.candidates.set(name, c);
    }
    return c ?? undefined;
  }

  /** The package one alternative would bring in, or undefined when it cannot be satisfied. */
  satisfy(r: Relation): AptPackage | undefined {
    const real = this.candidate(r.name);
    if (real && satisfies(real.version, r)) return real;
    const providers: AptPackage[] = [];
    for (const p of this.catalog.providers(r.name)) {
      const cand = this.candidate(p.name);
      if (!cand || cand.version !== p.version) continue; // apt considers candidate versions only
      const provided = parseRelations(cand.provides).flat().find((x) => x.name === r.name);
      // A versioned dependency is satisfied only by a versioned Provides (Policy §7.5).
      if (r.op && !(provided?.op === '=' && provided.version && satisfies(provided.version, r))) continue;
      if (!providers.some((x) => x.name === cand.name)) providers.push(cand);
    }
    providers.sort((a, b) => Number(Boolean(b.essential)) - Number(Boolean(a.essential))
      || (PRIORITY_RANK[a.priority ?? ''] ?? 9) - (PRIORITY_RANK[b.priority ?? ''] ?? 9)
      || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    return providers[0];
  }

  /** What is already selected for installation, and the names it provides. */
  private readonly selected = new Map<string, AptPackage>();
  private readonly provided = new Map<string, AptPackage[]>();

  select(p: AptPackage): void {
    if (this.selected.has(p.name)) return;
    this.selected.set(p.name, p);
    for (const v of parseRelations(p.provides).flat()) this.provided.set(v.name, [...(this.provided.get(v.name) ?? []), p]);
  }

  /** A package already selected that satisfies the alternative: apt does not install a second one. */
  private alreadySatisfied(r: Relation): AptPackage | undefined {
    const real = this.selected.get(r.name);
    if (real && satisfies(real.version, r)) return real;
    return (this.provided.get(r.name) ?? []).find((p) => {
      if (!r.op) return true;
      const v = parseRelations(p.provides).flat().find((x) => x.name === r.name);
      return v?.op === '=' && v.version !== undefined && satisfies(v.version, r);
    });
  }

  /** The package a dependency group brings in: one already selected, else the first alternative apt can install. */
  resolveGroup(group: Relation[]): AptPackage | undefined {
    let to: AptPackage | undefined;
    for (const alt of group) if ((to = this.alreadySatisfied(alt))) return to;
    for (const alt of group) if ((to = this.satisfy(alt))) return to;
    return undefined;
  }
}

export function groupsOf(p: AptPackage): Relation[][] {
  return [...parseRelations(p.preDepends), ...parseRelations(p.depends)];
}

function groupText(group: Relation[]): string {
  return group.map((a) => `${a.name}${a.op ? ` (${a.op} ${a.version})` : ''}`).join(' | ');
}

/** The purl of an apt package on a platform, in the form dpkg status scans use. */
export function aptPurl(p: AptPackage, platform: Platform): string {
  const qualifiers: Record<string, string> = { distro: distroQualifier(platform) };
  if (p.arch) qualifiers['arch'] = p.arch;
  return makePurl({ type: 'deb', namespace: platform.os, name: p.name, version: p.version, qualifiers });
}

function aptComponent(p: AptPackage, platform: Platform, origin: string): Component {
  const c: Component = {
    purl: aptPurl(p, platform), name: p.name, version: p.version, ecosystem: 'deb', licenses: [],
    sourceFile: origin, dependenciesComplete: true,
    properties: { 'deb:source': p.source, 'deb:source-version': p.sourceVersion, 'marque:version': `apt candidate from ${origin}` },
  };
  const maint = p.maintainer ? /^(.*?)\s*<([^>]+)>/.exec(p.maintainer) : null;
  if (maint) c.supplier = { name: maint[1]!, email: maint[2]! };
  else if (p.maintainer) c.supplier = { name: p.maintainer };
  if (p.homepage) c.homepage = p.homepage;
  // The index's hashes are of the .deb it names (its Filename in the pool): the deployable form.
  const hashes = [...(p.sha512 ? [{ alg: 'SHA-512' as const, value: p.sha512, source: `apt index ${origin} SHA512` }] : []), ...(p.sha256 ? [{ alg: 'SHA-256' as const, value: p.sha256, source: `apt index ${origin} SHA256` }] : [])];
  if (hashes.length) c.hashes = hashes;
  if (p.filename) c.properties!['deb:filename'] = p.filename;
  if (p.essential) c.properties!['deb:essential'] = 'yes';
  if (p.priority) c.properties!['deb:priority'] = p.priority;
  return c;
}

export interface OsCompletion { components: Component[]; dependencies: Dependency[]; unresolved: Unresolved[]; notes: string[] }

/**
 * Give OS packages named without a version (rosdep keys) the version apt would install and follow
 * their Depends. Purls change to carry the version; edges are rewritten to match.
 */
export function completeOsPackages(
  inv: { components: Component[]; dependencies: Dependency[] }, catalog: AptCatalog | undefined, platform: Platform,
): OsCompletion {
  const unversioned = inv.components.filter((c) => c.ecosystem === 'deb' && !c.version && isOnPlatform(c.purl, platform));
  if (!unversioned.length) return { ...inv, unresolved: [], notes: [] };
  const renamed = new Map<string, string>();
  const byPurl = new Map(inv.components.map((c) => [c.purl, c]));
  // What the image's dpkg status says is installed wins over what apt would pick.
  const installed = new Map<string, Component>();
  for (const c of inv.components) if (c.ecosystem === 'deb' && c.version && isOnPlatform(c.purl, platform) && !installed.has(c.name)) installed.set(c.name, c);
  const pending: Component[] = [];
  for (const c of unversioned) {
    const hit = installed.get(c.name);
    if (!hit) { pending.push(c); continue; }
    renamed.set(c.purl, hit.purl);
    byPurl.delete(c.purl);
    hit.properties = { ...c.properties, ...hit.properties };
    if (c.root) hit.root = true;
    if (c.firstParty) hit.firstParty = true;
  }
  const rewrite = (deps: Dependency[]) => deps.map((d) => (renamed.has(d.from) || renamed.has(d.to) ? { ...d, from: renamed.get(d.from) ?? d.from, to: renamed.get(d.to) ?? d.to } : d));
  if (!pending.length) return { components: [...byPurl.values()], dependencies: rewrite(inv.dependencies), unresolved: [], notes: [] };
  if (!catalog) {
    return { components: [...byPurl.values()], dependencies: rewrite(inv.dependencies), unresolved: [], notes: [`${pending.length} OS package(s) named through rosdep have no version and no dependencies of their own: give --apt-index FILE (apt's Packages index of ${platform.os}:${platform.codename}), import one with "marque db import", or scan the image's var/lib/dpkg/status.`] };
  }
  const origin = catalog.origins.length === 1 ? catalog.origins[0]! : `apt indexes of ${catalog.platform}`;
  const resolver = new AptResolver(catalog);
  const edges: Dependency[] = [];
  const unresolved: Unresolved[] = [];
  const notFound: string[] = [];
  // apt-get marks every requested package first, then installs the dependencies of each in
  // turn, depth first; a group already satisfied by something marked is not resolved again.
  const seen = new Set<string>();
  const roots: AptPackage[] = [];
  for (const c of pending) {
    const p = resolver.candidate(c.name) ?? resolver.satisfy({ name: c.name });
    if (!p) { notFound.push(c.name); c.properties = { ...c.properties, 'marque:version': `not in the apt index of ${catalog.platform}` }; continue; }
    resolver.select(p);
    roots.push(p);
    const purl = aptPurl(p, platform);
    renamed.set(c.purl, purl);
    byPurl.delete(c.purl);
    const full = aptComponent(p, platform, origin);
    full.properties = { ...c.properties, ...full.properties };
    if (c.root) full.root = true;
    if (c.firstParty) full.firstParty = true;
    const existing = byPurl.get(purl);
    if (existing) { existing.properties = { ...full.properties, ...existing.properties }; continue; }
    byPurl.set(purl, full);
  }
  // An explicit stack: a hostile index with a very long chain must not overflow the call stack.
  const stack: { p: AptPackage; from: string; groups: Relation[][]; i: number; complete: boolean }[] = [];
  const enter = (p: AptPackage): void => {
    resolver.select(p);
    const from = aptPurl(p, platform);
    if (seen.has(from)) return;
    seen.add(from);
    stack.push({ p, from, groups: groupsOf(p), i: 0, complete: true });
  };
  for (const root of roots) {
    enter(root);
    while (stack.length) {
      const f = stack[stack.length - 1]!;
      if (f.i >= f.groups.length) {
        const c = byPurl.get(f.from);
        if (c) c.dependenciesComplete = f.complete;
        stack.pop();
        continue;
      }
      const group = f.groups[f.i++]!;
      const to = resolver.resolveGroup(group);
      if (!to) {
        f.complete = false;
        unresolved.push({ key: groupText(group), package: f.p.name, from: f.from, file: origin, kind: 'runtime', reason: `no package in the apt index of ${catalog.platform} satisfies it` });
        continue;
      }
      const target = aptPurl(to, platform);
      if (!byPurl.has(target)) byPurl.set(target, aptComponent(to, platform, origin));
      if (target !== f.from) edges.push({ from: f.from, to: target, kind: 'runtime', constraint: groupText(group) });
      enter(to);
    }
  }
  const dependencies = rewrite(inv.dependencies);
  const notes = notFound.length ? [`${notFound.length} OS package(s) are not in the apt index of ${catalog.platform} and keep no version: ${notFound.slice(0, 5).join(', ')}${notFound.length > 5 ? ', …' : ''}`] : [];
  return { components: [...byPurl.values()], dependencies: [...dependencies, ...edges], unresolved, notes };
}

function isOnPlatform(purl: string, platform: Platform): boolean {
  // Called for every OS package of a product: read the two parts it needs, not the whole purl.
  const prefix = `pkg:deb/${platform.os}/`;
  if (!purl.startsWith(prefix)) return false;
  const q = purl.indexOf('?');
  if (q < 0) return true;
  const distro = purl.slice(q + 1).split('#')[0]!.split('&').find((kv) => kv.startsWith('distro='));
  if (!distro) return true;
  try { return decodeURIComponent(distro.slice('distro='.length)) === distroQualifier(platform); } catch { return false; }
}
