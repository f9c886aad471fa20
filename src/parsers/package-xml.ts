// package.xml formats 1, 2 and 3 (REP 127, REP 140, REP 149), read completely, and the
// dependency normalisation catkin_pkg applies (depend → build + build_export + exec;
// format 1 run_depend → build_export + exec).
import { quote } from '../util/text.ts';
import { InputError } from '../util/errors.ts';
import { asArray, attrOf, parseXml, startTagLines, textOf, type XmlNode } from '../util/xml.ts';
import { evaluateCondition, ConditionError, type ConditionContext } from './condition.ts';
import type { DependencyKind, Person, Problem } from '../model/inventory.ts';

export const DEPENDENCY_TAGS = [
  'build_depend', 'build_export_depend', 'buildtool_depend', 'buildtool_export_depend',
  'exec_depend', 'depend', 'doc_depend', 'test_depend', 'run_depend',
] as const;
export type DependencyTag = typeof DEPENDENCY_TAGS[number];

/** Which tags each format allows (REP 127/140/149). */
const TAGS_BY_FORMAT: Record<1 | 2 | 3, ReadonlySet<string>> = {
  1: new Set(['build_depend', 'buildtool_depend', 'run_depend', 'test_depend']),
  2: new Set(['build_depend', 'build_export_depend', 'buildtool_depend', 'buildtool_export_depend', 'exec_depend', 'depend', 'doc_depend', 'test_depend']),
  3: new Set(['build_depend', 'build_export_depend', 'buildtool_depend', 'buildtool_export_depend', 'exec_depend', 'depend', 'doc_depend', 'test_depend']),
};

const VERSION_ATTRS = [['version_gte', '>='], ['version_gt', '>'], ['version_eq', '=='], ['version_lte', '<='], ['version_lt', '<']] as const;

export interface DeclaredDependency {
  tag: DependencyTag | 'group_depend' | 'member_of_group' | 'conflict' | 'replace';
  name: string;
  /** e.g. ">=1.11.2,<2.0"; undefined when unconstrained. */
  constraint?: string;
  condition?: string;
  line?: number;
}

export interface PackageManifest {
  file: string;
  format: 1 | 2 | 3;
  name: string;
  version: string;
  versionCompatibility?: string;
  description: string;
  maintainers: Person[];
  authors: Person[];
  licenses: { name: string; file?: string }[];
  urls: { type: string; url: string }[];
  declared: DeclaredDependency[];
  /** <export><build_type> entries with their conditions; default "catkin" (REP 149). */
  buildTypes: { value: string; condition?: string }[];
  metapackage: boolean;
  deprecated?: string;
  line: number;
}

const ARRAY_TAGS = new Set<string>([
  ...DEPENDENCY_TAGS, 'group_depend', 'member_of_group', 'conflict', 'replace',
  'maintainer', 'author', 'license', 'url', 'build_type',
]);

function persons(nodes: unknown): Person[] {
  return asArray(nodes).map((n) => {
    const p: Person = { name: textOf(n).replace(/\s+/g, ' ').trim() };
    const email = attrOf(n, 'email');
    if (email) p.email = email;
    return p;
  });
}

function constraintOf(node: unknown): string | undefined {
  const parts: string[] = [];
  for (const [attr, op] of VERSION_ATTRS) {
    const v = attrOf(node, attr);
    if (v !== undefined) parts.push(`${op}${v}`);
  }
  return parts.length ? parts.join(',') : undefined;
}

/**
 * Parse one package.xml. Fatal problems (not XML, no <package>, no name) throw InputError with
 * file and line; recoverable ones (missing maintainer, odd version) are returned as warnings.
 */
export function parsePackageXml(text: string, file: string): { manifest: PackageManifest; warnings: Problem[] } {
  const doc = parseXml(text, file, { arrays: ARRAY_TAGS });
  const pkg = doc['package'];
  const rootLine = startTagLines(text, 'package')[0] ?? 1;
  if (!pkg || typeof pkg !== 'object' || Array.isArray(pkg)) {
    throw new InputError('no <package> root element', file, 1);
  }
  const root = pkg as XmlNode;
  const warnings: Problem[] = [];
  const warn = (message: string, line = rootLine) => warnings.push({ file, line, message, severity: 'warning' });

  const formatAttr = attrOf(root, 'format');
  const format = formatAttr === undefined ? 1 : Number(formatAttr);
  if (format !== 1 && format !== 2 && format !== 3) {
    throw new InputError(`unsupported package format "${formatAttr}" (expected 1, 2 or 3)`, file, rootLine);
  }
  if (Array.isArray(root['name']) && root['name'].length > 1) throw new InputError(`package.xml has ${root['name'].length} <name> elements; REP 149 allows exactly one`, file, rootLine);
  const name = textOf(root['name']).trim();
  if (!name) throw new InputError('package.xml has no <name>', file, rootLine);
  const versionNode = root['version'];
  const version = textOf(versionNode).trim();
  if (!version) throw new InputError(`package "${name}" has no <version>`, file, startTagLines(text, 'version')[0] ?? rootLine);
  if (!/^(0|[1-9][0-9]*)(\.(0|[1-9][0-9]*)){2}$/.test(version)) {
    warn(`version "${version}" is not MAJOR.MINOR.PATCH (REP 149)`, startTagLines(text, 'version')[0]);
  }

  const maintainers = persons(root['maintainer']);
  if (maintainers.length === 0) warn(`package "${name}" declares no <maintainer>`);
  const licenseNodes = asArray(root['license']);
  const licenses = licenseNodes.map((n) => {
    const l: { name: string; file?: string } = { name: textOf(n).trim() };
    const f = attrOf(n, 'file');
    if (f) l.file = f;
    return l;
  }).filter((l) => l.name);
  if (licenses.length === 0) warn(`package "${name}" declares no <license>`);

  const urls = asArray(root['url']).map((n) => ({ type: attrOf(n, 'type') ?? 'website', url: textOf(n).trim() })).filter((u) => u.url);

  const declared: DeclaredDependency[] = [];
  const allowed = TAGS_BY_FORMAT[format];
  const extraTags = format === 3 ? ['group_depend', 'member_of_group'] : [];
  for (const tag of [...DEPENDENCY_TAGS, ...extraTags, 'conflict', 'replace'] as DeclaredDependency['tag'][]) {
    const nodes = asArray(root[tag]);
    if (nodes.length === 0) continue;
    const lines = startTagLines(text, tag);
    if (!allowed.has(tag) && (DEPENDENCY_TAGS as readonly string[]).includes(tag)) {
      warn(`<${tag}> is not part of package format ${format}; ignored as catkin_pkg does`, lines[0]);
      continue;
    }
    nodes.forEach((n, i) => {
      const depName = textOf(n).trim();
      const line = lines[i];
      if (!depName) { warn(`empty <${tag}>`, line); return; }
      const d: DeclaredDependency = { tag, name: depName, line };
      const c = constraintOf(n);
      if (c) d.constraint = c;
      const cond = attrOf(n, 'condition');
      if (cond !== undefined) d.condition = cond;
      declared.push(d);
    });
  }
  // group_depend/member_of_group in format < 3 are invalid: say so rather than drop silently.
  if (format < 3) {
    for (const tag of ['group_depend', 'member_of_group']) {
      if (root[tag] !== undefined) warn(`<${tag}> requires package format 3; ignored`, startTagLines(text, tag)[0]);
    }
  }

  const exp = (root['export'] && typeof root['export'] === 'object' ? root['export'] : {}) as XmlNode;
  const buildTypes = asArray(exp['build_type']).map((n) => {
    const b: { value: string; condition?: string } = { value: textOf(n).trim() };
    const cond = attrOf(n, 'condition');
    if (cond !== undefined) b.condition = cond;
    return b;
  });
  const manifest: PackageManifest = {
    file, format, name, version,
    description: textOf(root['description']).replace(/\s+/g, ' ').trim(),
    maintainers, authors: persons(root['author']), licenses, urls, declared, buildTypes,
    metapackage: exp['metapackage'] !== undefined,
    line: rootLine,
  };
  const compat = attrOf(versionNode, 'compatibility');
  if (compat) manifest.versionCompatibility = compat;
  if (exp['deprecated'] !== undefined) manifest.deprecated = textOf(exp['deprecated']).trim() || 'deprecated';
  return { manifest, warnings };
}

export interface EvaluatedDependency {
  kind: DependencyKind;
  name: string;
  constraint?: string;
  condition?: string;
  line?: number;
}

export interface EvaluatedPackage {
  manifest: PackageManifest;
  buildType: string;
  dependencies: EvaluatedDependency[];
  groupDepends: DeclaredDependency[];
  memberOfGroups: string[];
}

const NORMALISED: Record<DependencyTag, DependencyKind[]> = {
  build_depend: ['build'],
  build_export_depend: ['build_export'],
  buildtool_depend: ['buildtool'],
  buildtool_export_depend: ['buildtool_export'],
  exec_depend: ['exec'],
  depend: ['build', 'build_export', 'exec'],
  doc_depend: ['doc'],
  test_depend: ['test'],
  run_depend: ['build_export', 'exec'],
};

/**
 * Evaluate conditions for a context (ROS_VERSION, ROS_DISTRO, ROS_PYTHON_VERSION, ...) and
 * normalise dependency tags into kinds. A malformed condition is reported and the dependency
 * kept out, exactly where the problem is.
 */
export function evaluatePackage(manifest: PackageManifest, ctx: ConditionContext, problems: Problem[]): EvaluatedPackage {
  const holds = (cond: string | undefined, line: number | undefined): boolean => {
    try {
      return evaluateCondition(cond, ctx);
    } catch (e) {
      if (!(e instanceof ConditionError)) throw e;
      problems.push({ file: manifest.file, line, message: `invalid condition ${quote(cond ?? "")}: ${e.message}`, severity: 'error' });
      return false;
    }
  };
  const dependencies: EvaluatedDependency[] = [];
  const groupDepends: DeclaredDependency[] = [];
  const memberOfGroups: string[] = [];
  for (const d of manifest.declared) {
    if (d.tag === 'conflict' || d.tag === 'replace') continue;
    if (!holds(d.condition, d.line)) continue;
    if (d.tag === 'group_depend') { groupDepends.push(d); continue; }
    if (d.tag === 'member_of_group') { memberOfGroups.push(d.name); continue; }
    for (const kind of NORMALISED[d.tag]) {
      const e: EvaluatedDependency = { kind, name: d.name };
      if (d.constraint) e.constraint = d.constraint;
      if (d.condition !== undefined) e.condition = d.condition;
      if (d.line !== undefined) e.line = d.line;
      dependencies.push(e);
    }
  }
  const active = manifest.buildTypes.filter((b) => holds(b.condition, undefined));
  if (active.length > 1) {
    problems.push({ file: manifest.file, line: manifest.line, message: `more than one active <build_type> (${active.map((b) => b.value).join(', ')})`, severity: 'error' });
  }
  return { manifest, buildType: active[0]?.value ?? 'catkin', dependencies, groupDepends, memberOfGroups };
}

/**
 * Dependencies of each package with its group dependencies expanded: colcon adds every
 * workspace member of a group as a build and run dependency (REP 149: source builds only).
 */
export function expandGroups(packages: readonly EvaluatedPackage[], problems: Problem[]): Map<string, EvaluatedDependency[]> {
  const members = new Map<string, string[]>();
  for (const p of packages) for (const g of p.memberOfGroups) members.set(g, [...(members.get(g) ?? []), p.manifest.name]);
  const out = new Map<string, EvaluatedDependency[]>();
  for (const p of packages) {
    const deps = [...p.dependencies];
    for (const g of p.groupDepends) {
      const names = (members.get(g.name) ?? []).filter((n) => n !== p.manifest.name);
      if (names.length === 0) {
        problems.push({ file: p.manifest.file, line: g.line, message: `group "${g.name}" has no member in the workspace (groups apply to source builds only, REP 149)`, severity: 'warning' });
      }
      for (const name of names) {
        for (const kind of ['build', 'exec'] as const) {
          const d: EvaluatedDependency = { kind, name };
          if (g.condition !== undefined) d.condition = g.condition;
          if (g.line !== undefined) d.line = g.line;
          deps.push(d);
        }
      }
    }
    out.set(p.manifest.name, deps);
  }
  return out;
}
