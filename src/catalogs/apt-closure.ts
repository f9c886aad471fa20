// What apt would install for a package on a fresh system, without recommends: the candidate
// version (the highest one, all sources being at apt's default pin) and the Pre-Depends/Depends
// closure, alternatives taken in order and virtual packages resolved to a provider as apt's
// CompareProviders prefers them (essential, then by Priority, then by name).
import type { Component, Dependency, Unresolved } from '../model/inventory.ts';
import { distroQualifier } from '../model/platforms.ts';
import { makePurl, parsePurl } from '../model/purl.ts';
import type { Platform } from '../sources/extractor.ts';
import { dpkgScheme } from '../versioning/index.ts';
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

  /** Each dependency group of a package resolved to one package, or left with the reason. */
  dependencies(p: AptPackage): { group: string; to?: AptPackage }[] {
    const out: { group: string; to?: AptPackage }[] = [];
    for (const group of [...parseRelations(p.preDepends), ...parseRelations(p.depends)]) {
      let to: AptPackage | undefined;
      for (const alt of group) if ((to = this.satisfy(alt))) break;
      out.push({ group: group.map((a) => `${a.name}${a.op ? ` (${a.op} ${a.version})` : ''}`).join(' | '), to });
    }
    return out;
  }
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
  if (p.sha256) c.hashes = [{ alg: 'SHA-256', value: p.sha256 }];
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
  if (!catalog) {
    return { ...inv, unresolved: [], notes: [`${unversioned.length} OS package(s) named through rosdep have no version and no dependencies of their own: give --apt-index FILE (apt's Packages index of ${platform.os}:${platform.codename}), import one with "marque db import", or scan the image's var/lib/dpkg/status.`] };
  }
  const origin = catalog.origins.length === 1 ? catalog.origins[0]! : `apt indexes of ${catalog.platform}`;
  const resolver = new AptResolver(catalog);
  const renamed = new Map<string, string>();
  const byPurl = new Map(inv.components.map((c) => [c.purl, c]));
  const edges: Dependency[] = [];
  const unresolved: Unresolved[] = [];
  const notFound: string[] = [];
  const queue: AptPackage[] = [];
  const seen = new Set<string>();
  const visit = (p: AptPackage): string => {
    const purl = aptPurl(p, platform);
    if (!seen.has(purl)) { seen.add(purl); queue.push(p); }
    return purl;
  };
  for (const c of unversioned) {
    const p = resolver.candidate(c.name) ?? resolver.satisfy({ name: c.name });
    if (!p) { notFound.push(c.name); c.properties = { ...c.properties, 'marque:version': `not in the apt index of ${catalog.platform}` }; continue; }
    const purl = visit(p);
    renamed.set(c.purl, purl);
    byPurl.delete(c.purl);
    const full = aptComponent(p, platform, origin);
    full.properties = { ...c.properties, ...full.properties };
    if (c.root) full.root = true;
    const existing = byPurl.get(purl);
    if (existing) { existing.properties = { ...full.properties, ...existing.properties }; continue; }
    byPurl.set(purl, full);
  }
  for (let i = 0; i < queue.length; i++) {
    const p = queue[i]!;
    const from = aptPurl(p, platform);
    let complete = true;
    for (const d of resolver.dependencies(p)) {
      if (!d.to) {
        complete = false;
        unresolved.push({ key: d.group, package: p.name, file: origin, kind: 'runtime', reason: `no package in the apt index of ${catalog.platform} satisfies it` });
        continue;
      }
      const to = visit(d.to);
      if (!byPurl.has(to)) { byPurl.set(to, aptComponent(d.to, platform, origin)); }
      if (to !== from) edges.push({ from, to, kind: 'runtime', constraint: d.group });
    }
    const c = byPurl.get(from);
    if (c) c.dependenciesComplete = complete;
  }
  const dependencies = inv.dependencies.map((d) => (renamed.has(d.from) || renamed.has(d.to) ? { ...d, from: renamed.get(d.from) ?? d.from, to: renamed.get(d.to) ?? d.to } : d));
  const notes = notFound.length ? [`${notFound.length} OS package(s) are not in the apt index of ${catalog.platform} and keep no version: ${notFound.slice(0, 5).join(', ')}${notFound.length > 5 ? ', …' : ''}`] : [];
  return { components: [...byPurl.values()], dependencies: [...dependencies, ...edges], unresolved, notes };
}

function isOnPlatform(purl: string, platform: Platform): boolean {
  try {
    const p = parsePurl(purl);
    return (p.namespace ?? '') === platform.os && (p.qualifiers?.['distro'] ?? distroQualifier(platform)) === distroQualifier(platform);
  } catch {
    return false;
  }
}
