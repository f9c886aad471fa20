// rosdistro distribution.yaml (REP 141/143/153): which ROS packages a distribution releases,
// at which version, for which platforms.
import { LIMITS, type FileAccess } from '../../util/file-access.ts';

import { InputError } from '../../util/errors.ts';
import { bundledIndex, bundledIndexText, isRecord, parseYamlCached } from '../../util/yaml.ts';
import type { LookupTable } from '../../util/lookup-table.ts';
import type { Platform } from '../../model/platforms.ts';

export interface ReleasedPackage {
  name: string;
  repository: string;
  /** Release version "X.Y.Z-N"; undefined when registered but not released. */
  version?: string;
  releaseUrl?: string;
  sourceUrl?: string;
  sourceVersion?: string;
  status?: string;
}

export interface Distribution {
  name: string;
  releasePlatforms: Record<string, string[]>;
  packages: ReleasedPackages;
  files: string[];
}

/**
 * A distribution's released packages by name, one layer per file (REP 143: a later file overrides
 * an earlier one). A bundled file's layer is its lookup table, whose rows become objects only when
 * asked for: a product names a few dozen of some 4,000 packages.
 */
export class ReleasedPackages {
  private readonly layers: (Map<string, ReleasedPackage> | LookupTable)[] = [];

  /** A new layer over the ones before, for a file read from YAML. */
  addLayer(): Map<string, ReleasedPackage> {
    const layer = new Map<string, ReleasedPackage>();
    this.layers.push(layer);
    return layer;
  }

  addTable(table: LookupTable): void { this.layers.push(table); }

  get(name: string): ReleasedPackage | undefined {
    for (let i = this.layers.length - 1; i >= 0; i--) {
      const layer = this.layers[i]!;
      if (layer instanceof Map) {
        const p = layer.get(name);
        if (p) return p;
        continue;
      }
      const row = layer.get(name);
      if (row !== undefined) return releasedFromRow(name, JSON.parse(row) as string[]);
    }
    return undefined;
  }
}

const newDistribution = (name: string): Distribution => ({ name, releasePlatforms: {}, packages: new ReleasedPackages(), files: [] });

function str(v: unknown): string | undefined {
  return typeof v === 'string' ? v : typeof v === 'number' ? String(v) : undefined;
}

/**
 * The platforms a distribution file targets (REP 143 release_platforms), read from its head only:
 * the block comes before the repositories, so the multi-megabyte rest is not parsed for this.
 */
export function releasePlatformsOf(file: string, access: FileAccess): Record<string, string[]> {
  const bundled = bundledIndex(file);
  if (bundled) return (bundled.header as DistributionHeader).releasePlatforms;
  // A file the user named (--distribution): read as every input is, so a FIFO or a link out is refused.
  const text = access.readTextSync(file, LIMITS.rosIndex);
  const end = text.search(/^repositories:/m);
  const data = parseYamlCached(end < 0 ? text : text.slice(0, end), file);
  const out: Record<string, string[]> = {};
  if (isRecord(data) && isRecord(data['release_platforms'])) {
    for (const [os, codenames] of Object.entries(data['release_platforms'])) if (Array.isArray(codenames)) out[os] = codenames.map(String);
  }
  return out;
}

/** Merge one distribution file into `into`; later files override earlier ones (REP 143). */
export function addDistributionFile(into: Distribution, text: string, file: string): void {
  addParsedDistribution(into, parseYamlCached(text, file), file);
}

function addParsedDistribution(into: Distribution, data: unknown, file: string): Map<string, ReleasedPackage> {
  if (!isRecord(data) || data['type'] !== 'distribution') {
    throw new InputError('not a rosdistro distribution file (expected "type: distribution")', file, 1);
  }
  if (isRecord(data['release_platforms'])) {
    for (const [os, codenames] of Object.entries(data['release_platforms'])) {
      if (Array.isArray(codenames)) into.releasePlatforms[os] = codenames.map(String);
    }
  }
  const repos = isRecord(data['repositories']) ? data['repositories'] : {};
  const layer = into.packages.addLayer();
  for (const [repoName, repo] of Object.entries(repos)) {
    if (!isRecord(repo)) continue;
    const release = isRecord(repo['release']) ? repo['release'] : undefined;
    if (!release) continue;
    const source = isRecord(repo['source']) ? repo['source'] : undefined;
    // "If no package is specified, one package with the name of the repository is assumed" (REP 141).
    const names = Array.isArray(release['packages']) ? release['packages'].map(String) : [repoName];
    // The same row the bundled lookup table holds, so both forms make a package the same way.
    const row = [repoName, str(release['version']) ?? '', str(release['url']) ?? '', str(source?.['url']) ?? '', str(source?.['version']) ?? '', str(repo['status']) ?? ''];
    for (const name of names) layer.set(name, releasedFromRow(name, row));
  }
  into.files.push(file);
  return layer;
}

/**
 * A distribution file reduced to what Marque looks up (written for bundled files by
 * scripts/prepare-data.ts, read through bundledIndex): the release platforms as the header, and a
 * lookup table of one row per released package, by name: the JSON array
 * [repository, version, releaseUrl, sourceUrl, sourceVersion, status], "" for absent.
 */
export interface DistributionHeader { releasePlatforms: Record<string, string[]> }

export function distributionIndex(text: string, file: string): string {
  const d = newDistribution('');
  const rows = [...addParsedDistribution(d, parseYamlCached(text, file), file).values()];
  const header: DistributionHeader = { releasePlatforms: d.releasePlatforms };
  return bundledIndexText(header, rows.map((p) => [p.name, JSON.stringify([p.repository, p.version ?? '', p.releaseUrl ?? '', p.sourceUrl ?? '', p.sourceVersion ?? '', p.status ?? ''])]));
}

function releasedFromRow(name: string, [repository, version, releaseUrl, sourceUrl, sourceVersion, status]: string[]): ReleasedPackage {
  const p: ReleasedPackage = { name, repository: repository! };
  if (version) p.version = version;
  if (releaseUrl) p.releaseUrl = releaseUrl;
  if (sourceUrl) p.sourceUrl = sourceUrl;
  if (sourceVersion) p.sourceVersion = sourceVersion;
  if (status) p.status = status;
  return p;
}

function addIndexedDistribution(into: Distribution, header: DistributionHeader, table: LookupTable, file: string): void {
  Object.assign(into.releasePlatforms, header.releasePlatforms);
  into.packages.addTable(table);
  into.files.push(file);
}

export function releasesFor(d: Distribution, p: Platform): boolean {
  return (d.releasePlatforms[p.os] ?? []).includes(p.codename);
}

/** Debian package name bloom gives a released ROS package: ros-<distro>-<name with _ → ->. */
export function debianName(distro: string, pkg: string): string {
  return `ros-${distro}-${pkg}`.replace(/_/g, '-');
}

const loaded = new Map<string, Promise<Distribution>>();

export function loadDistribution(name: string, files: readonly string[], access: FileAccess): Promise<Distribution> {
  const cacheKey = `${name}\0${files.join('\0')}`;
  let d = loaded.get(cacheKey);
  if (!d) {
    d = (async () => {
      const dist = newDistribution(name);
      const bundled = files.map((f) => bundledIndex(f));
      const texts = await Promise.all(files.map((f, i) => (bundled[i] ? undefined : access.readText(f, LIMITS.rosIndex))));
      texts.forEach((t, i) => (t === undefined ? addIndexedDistribution(dist, bundled[i]!.header as DistributionHeader, bundled[i]!.table, files[i]!) : addDistributionFile(dist, t, files[i]!)));
      return dist;
    })();
    loaded.set(cacheKey, d);
    d.catch(() => loaded.delete(cacheKey));
  }
  return d;
}
