// Package URL construction and parsing, through packageurl-js (the purl-spec reference library).
import { PackageURL } from 'packageurl-js';
import type { Ecosystem } from './inventory.ts';

export interface PurlParts {
  type: string;
  namespace?: string;
  name: string;
  version?: string;
  qualifiers?: Record<string, string>;
}

export function makePurl(parts: PurlParts): string {
  const qualifiers = parts.qualifiers && Object.keys(parts.qualifiers).length > 0 ? parts.qualifiers : undefined;
  return new PackageURL(parts.type, parts.namespace, parts.name, parts.version || undefined, qualifiers, undefined).toString();
}

// The same purls are parsed again and again (platform checks, matching): remember the answers.
const parsed = new Map<string, PurlParts>();

export function parsePurl(purl: string): PurlParts {
  const hit = parsed.get(purl);
  if (hit) return { ...hit, qualifiers: hit.qualifiers && { ...hit.qualifiers } };
  const p = PackageURL.fromString(purl);
  const qualifiers = p.qualifiers ? { ...(p.qualifiers as Record<string, string>) } : undefined;
  const parts: PurlParts = { type: p.type, namespace: p.namespace ?? undefined, name: p.name, version: p.version ?? undefined, qualifiers };
  if (parsed.size > 100_000) parsed.clear();
  parsed.set(purl, parts);
  return { ...parts, qualifiers: qualifiers && { ...qualifiers } };
}

/** Identity of a component across versions: the purl without version (and without qualifiers). */
export function purlIdentity(purl: string): string {
  const p = parsePurl(purl);
  return makePurl({ type: p.type, namespace: p.namespace, name: p.name });
}

/** npm names carry their scope in the name ("@scope/name"); purl keeps the scope as namespace. */
export function npmPurl(name: string, version: string): string {
  const slash = name.startsWith('@') ? name.indexOf('/') : -1;
  return slash > 0
    ? makePurl({ type: 'npm', namespace: name.slice(0, slash), name: name.slice(slash + 1), version })
    : makePurl({ type: 'npm', name, version });
}

const ECOSYSTEM_OF_TYPE: Record<string, Ecosystem> = {
  ros: 'ros', npm: 'npm', pypi: 'pypi', cargo: 'cargo', deb: 'deb', golang: 'golang', maven: 'maven',
  gem: 'gem', nuget: 'nuget', composer: 'composer', github: 'github',
};

export function ecosystemOfPurl(purl: string): Ecosystem {
  try {
    return ECOSYSTEM_OF_TYPE[parsePurl(purl).type] ?? 'generic';
  } catch {
    return 'generic';
  }
}
