// The rosdistro cache (format version 2, as rosdistro's DistributionCache writes it): the
// distribution file plus the package.xml of every released package, keyed by package name.
// Marque keeps of each package.xml what ships with the binary package: the dependencies bloom
// writes into the deb's Depends (exec, build_export, buildtool_export; REP 140), unevaluated, so
// that conditions are decided for the distribution at use.
import type { Person } from '../model/inventory.ts';
import { parsePackageXml } from '../parsers/package-xml.ts';
import { InputError } from '../util/errors.ts';
import { isRecord, parseYaml } from '../util/yaml.ts';
import { mapLicenses } from '../util/license.ts';

export type ShippedKind = 'exec' | 'build_export' | 'buildtool_export';

export interface ShippedDependency { name: string; kind: ShippedKind; condition?: string; constraint?: string }

/** What Marque keeps of one released package.xml. */
export interface ReleasedManifest {
  name: string;
  /** The package.xml version (the upstream version of the release). */
  version: string;
  format: number;
  licenses: string[];
  licensesDeclared: string[];
  maintainers: Person[];
  urls: { type: string; url: string }[];
  buildType: string;
  depends: ShippedDependency[];
}

export interface RosCache {
  distro: string;
  packages: ReleasedManifest[];
  /** Released package.xml files that could not be read: left out, each with the reason. */
  skipped: { file: string; message: string }[];
}

/** catkin_pkg's normalisation, restricted to what a binary package depends on (REP 140). */
const SHIPPED: Record<string, ShippedKind[]> = {
  exec_depend: ['exec'],
  build_export_depend: ['build_export'],
  buildtool_export_depend: ['buildtool_export'],
  depend: ['build_export', 'exec'],
  run_depend: ['build_export', 'exec'],
};

export function parseRosCache(text: string, file: string): RosCache {
  // Identical package.xml strings are written as YAML aliases of each other; allow them, bounded.
  const data = parseYaml(text, file, 100_000);
  if (!isRecord(data) || data['type'] !== 'cache') throw new InputError('not a rosdistro cache (expected "type: cache")', file, 1);
  if (Number(data['version']) !== 2) throw new InputError(`rosdistro cache format version ${String(data['version'])} is not supported (version 2 is)`, file, 1);
  const distro = typeof data['name'] === 'string' ? data['name'] : undefined;
  if (!distro) throw new InputError('rosdistro cache without a "name"', file, 1);
  const xmls = data['release_package_xmls'];
  if (!isRecord(xmls)) throw new InputError('rosdistro cache without "release_package_xmls"', file, 1);
  const packages: ReleasedManifest[] = [];
  const skipped: RosCache['skipped'] = [];
  for (const [name, xml] of Object.entries(xmls)) {
    if (typeof xml !== 'string') {
      skipped.push({ file: `${file}#${name}`, message: 'not a package.xml string' });
      continue;
    }
    try {
      packages.push(compact(name, xml, `${file}#${name}`));
    } catch (e) {
      skipped.push({ file: `${file}#${name}`, message: (e as Error).message });
    }
  }
  return { distro, packages, skipped };
}

/** Warnings about a released package.xml (e.g. a maintainer without email) are its maintainers' to fix; the package is kept. */
function compact(name: string, xml: string, where: string): ReleasedManifest {
  const { manifest: m } = parsePackageXml(xml, where);
  const lic = mapLicenses(m.licenses.map((l) => l.name));
  const depends: ShippedDependency[] = [];
  for (const d of m.declared) {
    for (const kind of SHIPPED[d.tag] ?? []) {
      const s: ShippedDependency = { name: d.name, kind };
      if (d.condition !== undefined) s.condition = d.condition;
      if (d.constraint) s.constraint = d.constraint;
      depends.push(s);
    }
  }
  return {
    name, version: m.version, format: m.format,
    licenses: [...lic.spdx, ...lic.raw], licensesDeclared: m.licenses.map((l) => l.name),
    maintainers: m.maintainers, urls: m.urls,
    buildType: m.buildTypes.find((b) => b.condition === undefined)?.value ?? m.buildTypes[0]?.value ?? 'catkin',
    depends,
  };
}

/** A rosdistro cache by its content; PyYAML sorts keys, so `distribution_file` comes first and `type: cache` last. */
export function looksLikeRosCache(text: string): boolean {
  return /^distribution_file:/.test(text.slice(0, 64)) || /^type:\s*cache\s*$/m.test(text.slice(0, 4096)) || /^type:\s*cache\s*$/m.test(text.slice(-256));
}
