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
  try {
    return new PackageURL(parts.type, parts.namespace, parts.name, parts.version || undefined, qualifiers, undefined).toString();
  } catch (e) {
    // packageurl-js 2.0.1's golang check names a variable it does not have ("throws is not defined") when a
    // version starts with "v" but is no semver version (v1): say what is wrong instead.
    if (e instanceof ReferenceError) throw new Error(`not a valid ${parts.type} package URL: version "${parts.version}" starts with "v" but is no semantic version`);
    throw e;
  }
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

// The characters a purl writes as they are (no percent-encoding, no case change): a lock's 50,000 npm
// names and versions are nearly all of them, and are then written without the library.
const PLAIN_NAME = /^[a-z0-9][a-z0-9._-]*$/;
const PLAIN_VERSION = /^[0-9A-Za-z][0-9A-Za-z.+-]*$/;

/** npm names carry their scope in the name ("@scope/name"); purl keeps the scope as namespace. */
export function npmPurl(name: string, version: string): string {
  const slash = name.startsWith('@') ? name.indexOf('/') : -1;
  const scope = slash > 0 ? name.slice(1, slash) : undefined;
  const bare = slash > 0 ? name.slice(slash + 1) : name;
  if (PLAIN_NAME.test(bare) && (scope === undefined || PLAIN_NAME.test(scope)) && (version === '' || PLAIN_VERSION.test(version))) {
    return `pkg:npm/${scope === undefined ? '' : `%40${scope}/`}${bare}${version === '' ? '' : `@${version}`}`;
  }
  return slash > 0
    ? makePurl({ type: 'npm', namespace: name.slice(0, slash), name: name.slice(slash + 1), version })
    : makePurl({ type: 'npm', name, version });
}

const ECOSYSTEM_OF_TYPE: Record<string, Ecosystem> = {
  ros: 'ros', npm: 'npm', pypi: 'pypi', cargo: 'cargo', deb: 'deb', golang: 'golang', maven: 'maven',
  gem: 'gem', nuget: 'nuget', composer: 'composer', github: 'github', conan: 'conan', apk: 'apk', rpm: 'rpm',
  hex: 'hex', pub: 'pub',
};

export function ecosystemOfPurl(purl: string): Ecosystem {
  try {
    return ECOSYSTEM_OF_TYPE[parsePurl(purl).type] ?? 'generic';
  } catch {
    return 'generic';
  }
}

/**
 * The purl's version when it disagrees with a version field written beside it, else undefined. Forms
 * that say the same version are no disagreement: an `epoch` qualifier beside a version without it
 * (trivy writes them), a leading "v" (Go). The purl's comes back with its epoch.
 */
export function purlVersionDisagreeing(purl: string, given: string): string | undefined {
  let p;
  try { p = parsePurl(purl); } catch { return undefined; }
  const v = p.version;
  if (!v || v === given) return undefined;
  const epoch = p.qualifiers?.['epoch'];
  const withEpoch = epoch && !v.includes(':') ? `${epoch}:${v}` : v;
  const bare = (x: string) => x.replace(/^v(?=\d)/, '');
  return given === withEpoch || bare(given) === bare(v) ? undefined : withEpoch;
}
