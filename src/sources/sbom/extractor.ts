// Import of SBOMs made by other tools: CycloneDX 1.2–1.7 JSON and XML, SPDX 2.2/2.3 JSON and
// tag-value, SPDX 3.0 JSON-LD; the XML, tag-value and JSON-LD forms are read into the JSON shapes first.
import { parseJsonText } from '../../util/json.ts';
import { checkShape } from '../common/shape.ts';
import { ecosystemOfPurl, makePurl, parsePurl, purlVersionDisagreeing } from '../../model/purl.ts';
import { InputError } from '../../util/errors.ts';
import { mapLicenses } from '../../util/license.ts';
import { FragmentBuilder } from '../common/fragment.ts';
import { parseLockfiles } from '../common/lockfiles.ts';
import { READ_BACK_PROPERTIES, type Component, type DependencyKind, type Hash, type Problem, type Unresolved } from '../../model/inventory.ts';
import type { Extractor, InventoryFragment } from '../extractor.ts';
import type { ProductInfo } from '../../model/product.ts';
import { FIRST_PARTY_PROPERTY } from '../../model/counting.ts';
import { readMarkAnnotation } from '../../model/sbom-marks.ts';
import { cycloneDxXmlToJson } from './cyclonedx-xml.ts';
import { spdxTagValueToJson } from './spdx-tag-value.ts';
import { isSpdx3, spdx3ToJson } from './spdx3.ts';
import { readUnresolvedMark, UNRESOLVED_MARK, unresolvedAnnotationValue } from './unresolved-mark.ts';

// Lookup tables keyed by input text have no prototype: "constructor" or "__proto__" finds nothing.
const HASH_ALGS: Record<string, Hash['alg']> = Object.assign(Object.create(null) as Record<string, Hash['alg']>, { 'SHA-1': 'SHA-1', 'SHA-256': 'SHA-256', 'SHA-384': 'SHA-384', 'SHA-512': 'SHA-512', MD5: 'MD5', SHA1: 'SHA-1', SHA256: 'SHA-256', SHA384: 'SHA-384', SHA512: 'SHA-512' });

function fallbackPurl(name: string, version: string | undefined, group?: string): string {
  return makePurl({ type: 'generic', namespace: group, name: name || 'unnamed', version });
}

/** The subject the user named (--product) for an SBOM that names none: a root, its list not known complete. */
function subjectComponent(p: ProductInfo, file: string): Component {
  const c: Component = { purl: p.purl ?? fallbackPurl(p.name, p.version, p.group), name: p.name, version: p.version, ecosystem: 'generic', licenses: [], sourceFile: file, root: true, subject: true, dependenciesComplete: false };
  if (p.group) c.group = p.group;
  return c;
}

/** CycloneDX scope: required (the default) ships, optional may, excluded does not ship. */
function kindOfScope(scope: string | undefined): DependencyKind {
  return scope === 'optional' ? 'optional' : scope === 'excluded' ? 'dev' : 'runtime';
}

/**
 * An SBOM whose subject has no dependency list of its own (no graph at all, or a graph that
 * starts below the subject, as CycloneDX Maven plugin 2.x writes): every component nothing
 * else depends on is a direct dependency of the subject, and that list is not known complete.
 */
function linkTopLevel(b: FragmentBuilder, root: string, kindOf: (purl: string) => DependencyKind, file: string): string[] {
  const built = b.build();
  const hasParent = new Set(built.dependencies.map((d) => d.to));
  const top = built.components.filter((c) => c.purl !== root && !hasParent.has(c.purl));
  for (const c of top) b.edge(root, c.purl, kindOf(c.purl));
  b.setComplete(root, false);
  return top.length ? [`${file}: the SBOM gives its subject no dependency list; its ${top.length} top-level component(s) are taken as direct dependencies, completeness unknown`] : [];
}

type Json = Record<string, unknown>;

/** The unresolved dependencies read from Marque's marque:unresolved marks (not those the reader finds itself: a dangling bom-ref). */
const FROM_MARKS = new WeakSet<Unresolved>();

/**
 * The unresolved dependencies an SBOM Marque wrote names with its marque:unresolved marks, among those the reader
 * gave (sources/sbom/unresolved-mark.ts): what the inventory it was written from could not turn into components.
 */
export function markedUnresolved(fragment: InventoryFragment): Unresolved[] {
  return (fragment.unresolved ?? []).filter((u) => FROM_MARKS.has(u));
}

/** Each mark (its carrier's purl, undefined for the SBOM's subject, and its value) as an unresolved dependency. */
function addUnresolvedMarks(b: FragmentBuilder, marks: [carrier: string | undefined, value: string][]): void {
  for (const [carrier, value] of marks) {
    const u = readUnresolvedMark(value, carrier);
    if (!u) continue;
    FROM_MARKS.add(u);
    b.missing(u);
  }
}

/**
 * Components without a purl are named by name and version only; two the SBOM keeps apart (different bom-refs or
 * SPDXIDs: trivy's KBOM lists the Ubuntu 22.04.2 of each of two nodes) would become one. The second and later get
 * their SBOM reference as a `ref` qualifier, so each stays a component, traceable to its entry.
 */
function keptApart(): (c: Component, ref: string | undefined, named: boolean) => void {
  const seen = new Map<string, string | undefined>();
  return (c, ref, named) => {
    if (named) return;
    if (!seen.has(c.purl)) { seen.set(c.purl, ref); return; }
    if (seen.get(c.purl) === ref || ref === undefined) return;
    const p = parsePurl(c.purl);
    c.purl = makePurl({ ...p, qualifiers: { ...p.qualifiers, ref } });
  };
}

interface CdxComponent {
  'bom-ref'?: string; name?: string; version?: string; purl?: string; group?: string; description?: string;
  licenses?: { license?: { id?: string; name?: string }; expression?: string }[];
  hashes?: { alg?: string; content?: string }[]; components?: CdxComponent[]; scope?: string;
  supplier?: { name?: string; url?: string[] }; author?: string;
  externalReferences?: { type?: string; url?: string }[];
  pedigree?: { ancestors?: { purl?: string }[] };
  properties?: { name?: string; value?: string }[];
}

/** The SBOM's purl when it is one (a string the Package URL spec accepts); otherwise a warning and a generic purl. */
function checkedPurl(given: unknown, name: string, version: string | undefined, group: string | undefined, file: string, warn: (p: Problem) => void): string {
  if (given === undefined || given === null) return fallbackPurl(name, version, group);
  let why = '';
  if (typeof given === 'string') {
    // packageurl-js says what the spec asks that the string lacks: cdxgen names a project whose groupId it does not
    // know "pkg:maven/root@latest", and the spec requires maven's and swift's namespace.
    try { parsePurl(given); return given; } catch (e) { why = ` (${String((e as Error).message).replace(/^Invalid purl: /, '')})`; }
  }
  const fallback = fallbackPurl(name, version, group);
  warn({ file, message: `component "${name}": ${JSON.stringify(given).slice(0, 80)} is not a valid package URL${why}; named ${fallback} instead, which no advisory names`, severity: 'warning' });
  return fallback;
}

/**
 * The version advisories are matched by when the SBOM gives two: its version field and its purl's version. The purl
 * wins, as it does in trivy and grype: the purl is the package's identity, the field a label (trivy's centos-7 SPDX
 * test SBOM gives bash `versionInfo` 4.2.46 beside `pkg:rpm/centos/bash@4.2.46-31.el7`; the release decides
 * whether an RPM advisory applies). A disagreement is a warning naming the package and both values; forms that
 * say the same version are none: an `epoch` qualifier beside a version without it (trivy), a leading "v" (Go).
 * A component without a version field takes its purl's silently.
 */
function purlVersion(c: Component, given: string | undefined, file: string, warn: (p: Problem) => void): void {
  let p;
  try { p = parsePurl(c.purl); } catch { return; }
  const v = p.version;
  if (!v || v === given) return;
  if (!given) { c.version = v; return; }
  const theirs = purlVersionDisagreeing(c.purl, given);
  if (theirs === undefined) return;
  c.version = v;
  warn({ file, message: `package "${c.name}" (${c.purl}): version ${given} in the SBOM, ${theirs} in its purl; the purl's is used, as advisories are matched by it`, severity: 'warning' });
}

/**
 * An OS package as other tools write it: the source package its advisories name (Debian's and Alpine's
 * name the source, not the binary: libidn2-0's are libidn2's) and its epoch. Syft puts the source in the purl's
 * `upstream` qualifier ("openssl", or "glibc@2.36-9" when the versions differ), trivy in its `SrcName` property
 * (CycloneDX) or `sourceInfo` (SPDX, "built package from: libidn2 2.0.5-1"), Marque in `deb:source`/`apk:origin`.
 * Trivy writes the epoch as the purl's `epoch` qualifier with a version without it; the component's version is
 * then `epoch:version`, as dpkg and rpm compare it and as Marque's own readers give it.
 */
function osPackage(c: Component, source: string | undefined): void {
  let p;
  try { p = parsePurl(c.purl); } catch { return; }
  if (p.type !== 'deb' && p.type !== 'apk' && p.type !== 'rpm') return;
  const key = p.type === 'deb' ? 'deb:source' : p.type === 'apk' ? 'apk:origin' : undefined;
  const upstream = p.qualifiers?.['upstream']?.replace(/@.*$/, '');
  const src = c.properties?.[key ?? ''] ?? (upstream || source);
  if (key && src && src !== c.properties?.[key]) c.properties = { ...c.properties, [key]: src };
  const epoch = p.qualifiers?.['epoch'];
  if (epoch && /^\d+$/.test(epoch) && c.version && !c.version.includes(':') && p.type !== 'apk') c.version = `${epoch}:${c.version}`;
}

const TRIVY_SOURCE = 'aquasecurity:trivy:SrcName';

function cdxComponent(c: CdxComponent, file: string, warn: (p: Problem) => void): Component {
  const name = typeof c.name === 'string' ? c.name : String(c.name ?? '');
  const version = typeof c.version === 'string' ? c.version : c.version === undefined ? undefined : String(c.version);
  const group = typeof c.group === 'string' ? c.group : undefined;
  const purl = checkedPurl(c.purl, name, version, group, file, warn);
  const declared = (c.licenses ?? []).map((l) => l.expression ?? l.license?.id ?? l.license?.name).filter((x): x is string => !!x);
  const lic = mapLicenses(declared);
  const out: Component = {
    purl, name, version: version ?? '', ecosystem: ecosystemOfPurl(purl),
    licenses: [...lic.spdx, ...lic.raw], sourceFile: file, description: c.description,
  };
  if (group) out.group = group;
  const hashes = (c.hashes ?? []).filter((h) => h.alg && h.content && HASH_ALGS[h.alg]).map((h) => ({ alg: HASH_ALGS[h.alg!]!, value: h.content!, source: `${file} (the input SBOM's component hashes)` }));
  if (hashes.length) out.hashes = hashes;
  if (c.supplier?.name) out.supplier = { name: c.supplier.name, url: c.supplier.url?.[0] };
  const vcs = c.externalReferences?.find((r) => r.type === 'vcs');
  if (vcs?.url) out.provenance = { type: 'git', url: vcs.url };
  // A released ROS package's repository and upstream release (its GIT advisories match), and whether its own
  // dependencies were followed (closure gaps), as Marque writes them.
  for (const p of Array.isArray(c.properties) ? c.properties : []) {
    if (typeof p?.value === 'string' && (READ_BACK_PROPERTIES as readonly (string | undefined)[]).includes(p.name)) out.properties = { ...out.properties, [p.name!]: p.value };
  }
  // A pedigree ancestor is what this component was derived from: a renamed or forked package.
  const ancestors = (c.pedigree?.ancestors ?? []).map((a) => a.purl).filter((x): x is string => !!x);
  if (ancestors.length) out.properties = { ...out.properties, 'marque:derivedFrom': ancestors.join(' ') };
  // Marque's own SBOMs say which components are the product's own code (FIRST_PARTY_PROPERTY).
  if (Array.isArray(c.properties) && c.properties.some((p) => p?.name === FIRST_PARTY_PROPERTY && p.value === 'true')) out.firstParty = true;
  if (purl === c.purl) purlVersion(out, version, file, warn);
  const trivySource = Array.isArray(c.properties) ? c.properties.find((p) => p?.name === TRIVY_SOURCE)?.value : undefined;
  osPackage(out, typeof trivySource === 'string' ? trivySource : undefined);
  return out;
}

/** "poetry.lock (poetry)" as Marque writes a file it did not read: the file and its format. */
function notAnalysedMark(v: string): { file: string; format: string } | undefined {
  const m = /^(.+) \(([^()]+)\)$/.exec(v.trim());
  return m ? { file: m[1]!, format: m[2]! } : undefined;
}

/**
 * The lockfiles an SBOM Marque wrote says it did not read (their components are missing from it): CycloneDX's
 * marque:notAnalysed properties of metadata.component, SPDX 2's "Not analysed (their components are missing): …"
 * comment of its first package (formats/cyclonedx/write.ts, formats/spdx/write.ts). Empty for any other SBOM.
 */
export function sbomNotAnalysed(doc: Json): { file: string; format: string }[] {
  const meta = doc['metadata'] as { component?: { properties?: unknown } } | undefined;
  const props = meta && typeof meta === 'object' && Array.isArray(meta.component?.properties) ? meta.component.properties as { name?: unknown; value?: unknown }[] : [];
  const out = props.filter((p) => p && p.name === 'marque:notAnalysed' && typeof p.value === 'string').map((p) => notAnalysedMark(p.value as string));
  const first = Array.isArray(doc['packages']) ? (doc['packages'] as { comment?: unknown }[])[0] : undefined;
  const SPDX = 'Not analysed (their components are missing): ';
  if (typeof first?.comment === 'string' && first.comment.startsWith(SPDX)) out.push(...first.comment.slice(SPDX.length).split('; ').map(notAnalysedMark));
  return out.filter((x): x is { file: string; format: string } => x !== undefined);
}

export function parseCycloneDx(doc: Json, file: string, subject?: ProductInfo): InventoryFragment {
  const spec = String(doc['specVersion'] ?? '');
  if (!/^1\.[2-7]$/.test(spec)) throw new InputError(`CycloneDX specVersion "${spec}" is not supported (JSON 1.2–1.7 are; 1.0 and 1.1 exist only as XML)`, file, 1);
  const b = new FragmentBuilder();
  const problems: Problem[] = [];
  const warn = (p: Problem) => problems.push(p);
  const byRef = new Map<string, string>();
  const scopes = new Map<string, string>();
  const apart = keptApart();
  // Marque's marque:unresolved marks: [the purl of the component that carries one (undefined: the subject), its value].
  const marks: [string | undefined, string][] = [];
  const marksOf = (c: CdxComponent, carrier: string | undefined) => {
    for (const p of Array.isArray(c.properties) ? c.properties : []) if (p?.name === UNRESOLVED_MARK && typeof p.value === 'string') marks.push([carrier, p.value]);
  };
  // Nested components in document order, with an explicit stack: nesting depth costs no call stack.
  const visit = (top: CdxComponent, under?: string) => {
    const stack: [CdxComponent, string | undefined][] = [[top, under]];
    while (stack.length) {
      const [c, parent] = stack.pop()!;
      const comp = cdxComponent(c, file, warn);
      apart(comp, typeof c['bom-ref'] === 'string' ? c['bom-ref'] : undefined, comp.purl === c.purl);
      const purl = b.component(comp);
      marksOf(c, purl);
      if (c['bom-ref']) byRef.set(c['bom-ref'], purl);
      if (c.scope) scopes.set(purl, c.scope);
      if (parent) b.edge(parent, purl, 'runtime'); // nested = contained in its parent
      const children = Array.isArray(c.components) ? c.components : [];
      for (let i = children.length - 1; i >= 0; i--) stack.push([children[i]!, purl]);
    }
  };
  const meta = (doc['metadata'] ?? {}) as { component?: CdxComponent };
  let root: string | undefined;
  if (meta.component) {
    const rc = cdxComponent(meta.component, file, warn);
    apart(rc, typeof meta.component['bom-ref'] === 'string' ? meta.component['bom-ref'] : undefined, rc.purl === meta.component.purl);
    rc.root = true;
    rc.subject = true;
    root = b.component(rc);
    marksOf(meta.component, undefined);
    if (meta.component['bom-ref']) byRef.set(meta.component['bom-ref'], root);
  } else if (subject) root = b.component(subjectComponent(subject, file));
  for (const c of (doc['components'] ?? []) as CdxComponent[]) visit(c);
  // The subject's own parts (CycloneDX: metadata.component.components) are components contained in it, as nested ones are.
  const parts = meta.component && Array.isArray(meta.component.components) ? meta.component.components : [];
  for (const c of parts) visit(c, root);
  const deps = (doc['dependencies'] ?? []) as { ref?: string; dependsOn?: string[] }[];
  const kindOf = (purl: string): DependencyKind => kindOfScope(scopes.get(purl));
  let rootListed = false;
  for (const d of deps) {
    const from = d.ref ? byRef.get(d.ref) : undefined;
    if (!from) continue;
    if (from === root && d.dependsOn?.length) rootListed = true;
    for (const ref of d.dependsOn ?? []) {
      const to = byRef.get(ref);
      if (to) b.edge(from, to, kindOf(to));
      else b.missing({ key: ref, package: from, from, file, reason: 'dependsOn names a bom-ref that is not in the SBOM' });
    }
  }
  addUnresolvedMarks(b, marks);
  const notes = root && !rootListed ? linkTopLevel(b, root, kindOf, file) : [];
  if (root && rootListed) {
    // The SBOM's own graph leaves these out (cdxgen's bom-deps: spring-jcl): kept, but where they sit is not known.
    const built = b.build();
    const hasParent = new Set(built.dependencies.map((d) => d.to));
    const orphans = built.components.filter((c) => c.purl !== root && !hasParent.has(c.purl));
    if (orphans.length) notes.push(`${file}: ${orphans.length} component(s) that nothing in the SBOM's dependency graph reaches (${orphans.slice(0, 5).map((c) => c.purl).join(', ')}${orphans.length > 5 ? ', …' : ''}): kept, with depth and scope unknown, counted as shipping`);
  }
  if (!root) notes.push(`${file}: the SBOM names no subject (metadata.component): depth and scope are unknown; give --product NAME@VERSION`);
  return { ...b.build(), notes, problems };
}

interface SpdxPackage {
  SPDXID: string; name?: string; versionInfo?: string; supplier?: string; downloadLocation?: string;
  licenseConcluded?: string; licenseDeclared?: string; description?: string; homepage?: string; sourceInfo?: string;
  externalRefs?: { referenceType?: string; referenceLocator?: string }[];
  checksums?: { algorithm?: string; checksumValue?: string }[];
  annotations?: { annotationType?: string; comment?: string }[];
}

const SPDX_KIND: Record<string, [DependencyKind, boolean]> = Object.assign(Object.create(null) as Record<string, [DependencyKind, boolean]>, {
  // [kind, reversed]: X_OF relationships point from the dependency to its dependent.
  DEPENDS_ON: ['runtime', false], DEPENDENCY_OF: ['runtime', true], CONTAINS: ['runtime', false], CONTAINED_BY: ['runtime', true],
  DEV_DEPENDENCY_OF: ['dev', true], TEST_DEPENDENCY_OF: ['test', true], BUILD_DEPENDENCY_OF: ['build', true],
  OPTIONAL_DEPENDENCY_OF: ['optional', true], RUNTIME_DEPENDENCY_OF: ['runtime', true], PROVIDED_DEPENDENCY_OF: ['runtime', true],
  DEV_TOOL_OF: ['dev', true], BUILD_TOOL_OF: ['build', true], TEST_TOOL_OF: ['test', true], DOCUMENTATION_OF: ['doc', true],
  PREREQUISITE_FOR: ['runtime', true], HAS_PREREQUISITE: ['runtime', false],
  // A links B into itself (SPDX 2.3 §11.1): B ships inside A.
  STATIC_LINK: ['runtime', false], DYNAMIC_LINK: ['runtime', false], PACKAGE_OF: ['runtime', true],
});

export function parseSpdx(doc: Json, file: string, subject?: ProductInfo): InventoryFragment {
  const version = String(doc['spdxVersion'] ?? '');
  if (!/^SPDX-2\.[23]$/.test(version)) throw new InputError(`"${version}" is not supported (SPDX-2.2 and SPDX-2.3 JSON are)`, file, 1);
  const b = new FragmentBuilder();
  const problems: Problem[] = [];
  const byId = new Map<string, string>();
  const apart = keptApart();
  // Marque's marque:unresolved annotations: [the SPDXID of the package that carries one, its value].
  const marks: [string, string][] = [];
  for (const p of (doc['packages'] ?? []) as SpdxPackage[]) {
    const purlRef = p.externalRefs?.find((r) => r.referenceType === 'purl')?.referenceLocator;
    const purl = checkedPurl(purlRef, String(p.name ?? p.SPDXID), typeof p.versionInfo === 'string' ? p.versionInfo : undefined, undefined, file, (x) => problems.push(x));
    const declared = [p.licenseDeclared, p.licenseConcluded].find((l) => l && l !== 'NOASSERTION' && l !== 'NONE');
    const lic = mapLicenses(declared ? [declared] : []);
    const c: Component = {
      purl, name: p.name ?? '', version: p.versionInfo ?? '', ecosystem: ecosystemOfPurl(purl),
      licenses: [...lic.spdx, ...lic.raw], sourceFile: file, description: p.description,
    };
    const hashes = (p.checksums ?? []).filter((h) => h.algorithm && HASH_ALGS[h.algorithm]).map((h) => ({ alg: HASH_ALGS[h.algorithm!]!, value: h.checksumValue!, source: `${file} (the input SBOM's package checksums)` }));
    if (hashes.length) c.hashes = hashes;
    if (p.supplier && p.supplier !== 'NOASSERTION') c.supplier = { name: p.supplier.replace(/^(Organization|Person):\s*/, '') };
    if (p.homepage && p.homepage !== 'NOASSERTION') c.homepage = p.homepage;
    if (p.downloadLocation && /^https?:/.test(p.downloadLocation)) c.distribution = p.downloadLocation;
    const vcs = typeof p.downloadLocation === 'string' ? gitLocation(p.downloadLocation) : undefined;
    if (vcs) c.provenance = vcs;
    // Marque's own SPDX documents carry the first-party mark and a ROS package's repository as annotations (model/sbom-marks.ts).
    for (const a of Array.isArray(p.annotations) ? p.annotations : []) {
      const unresolved = a?.annotationType === 'OTHER' ? unresolvedAnnotationValue(a.comment) : undefined;
      if (unresolved !== undefined) { marks.push([p.SPDXID, unresolved]); continue; }
      const mark = a?.annotationType === 'OTHER' ? readMarkAnnotation(a.comment) : undefined;
      if (!mark) continue;
      if (mark[0] === FIRST_PARTY_PROPERTY) { if (mark[1] === 'true') c.firstParty = true; } else c.properties = { ...c.properties, [mark[0]]: mark[1] };
    }
    if (purl === purlRef) purlVersion(c, typeof p.versionInfo === 'string' && !/^(NOASSERTION|NONE)$/.test(p.versionInfo) ? p.versionInfo : undefined, file, (x) => problems.push(x));
    osPackage(c, typeof p.sourceInfo === 'string' ? /^built package from: (\S+)/.exec(p.sourceInfo)?.[1] : undefined);
    apart(c, typeof p.SPDXID === 'string' ? p.SPDXID : undefined, purl === purlRef);
    byId.set(p.SPDXID, b.component(c));
  }
  const described = new Set<string>((doc['documentDescribes'] ?? []) as string[]);
  for (const r of (doc['relationships'] ?? []) as { spdxElementId?: string; relationshipType?: string; relatedSpdxElement?: string }[]) {
    if (r.relationshipType === 'DESCRIBES' && r.spdxElementId === doc['SPDXID'] && r.relatedSpdxElement) described.add(r.relatedSpdxElement);
    const spec = r.relationshipType ? SPDX_KIND[r.relationshipType] : undefined;
    if (!spec || !r.spdxElementId || !r.relatedSpdxElement) continue;
    const a = byId.get(r.spdxElementId);
    const z = byId.get(r.relatedSpdxElement);
    if (!a || !z) continue; // files and snippets are not components
    const [kind, reversed] = spec;
    if (reversed) b.edge(z, a, kind); else b.edge(a, z, kind);
  }
  const roots = [...described].map((id) => byId.get(id)).filter((p): p is string => !!p);
  if (!roots.length && subject) roots.push(b.component(subjectComponent(subject, file)));
  for (const purl of roots) { b.markRoot(purl); b.markSubject(purl); }
  // A mark on the subject says its own `from`; one on another package was declared by that package.
  addUnresolvedMarks(b, marks.map(([id, value]) => { const purl = byId.get(id); return [purl === undefined || roots.includes(purl) ? undefined : purl, value]; }));
  const built = b.build();
  const notes: string[] = [];
  if (roots.length === 1 && !built.dependencies.some((d) => d.from === roots[0])) notes.push(...linkTopLevel(b, roots[0]!, () => 'runtime', file));
  if (!roots.length) notes.push(`${file}: the SBOM describes no package (documentDescribes): depth and scope are unknown; give --product NAME@VERSION`);
  return { ...b.build(), notes, problems };
}

/**
 * A git repository named by an SPDX download location (SPDX 2.3 §7.7: "git+https://host/path@revision#sub/path"),
 * as CycloneDX's vcs reference names it: the URL without "git+", the revision apart.
 */
function gitLocation(location: string): { type: string; url: string; version?: string } | undefined {
  const m = /^git\+([a-z][a-z0-9+.-]*:\/\/[^#\s]+?)(?:#[^\s]*)?$/i.exec(location);
  if (!m) return undefined;
  let url = m[1]!;
  let version: string | undefined;
  // The revision follows the last "@" after the host's path (an "@" before it is ssh's user: git@github.com).
  const path = url.indexOf('/', url.indexOf('://') + 3);
  const at = url.lastIndexOf('@');
  if (path > 0 && at > path) { version = url.slice(at + 1); url = url.slice(0, at); }
  return version ? { type: 'git', url, version } : { type: 'git', url };
}

/** With the lockfiles a Marque SBOM marks as not read (their components are missing from it too). */
function withUnread(fragment: InventoryFragment, doc: Json): InventoryFragment {
  const marks = sbomNotAnalysed(doc);
  return marks.length ? { ...fragment, notAnalysed: marks.map((m) => ({ file: m.file, ecosystem: 'unknown', format: m.format, reason: `the SBOM says ${m.file} (${m.format}) was not read when it was written: the components it locks are not in it` })) } : fragment;
}

/** Recognise the SBOM format from its content, not its name; the lockfiles it says were not read stay not read. */
export function parseSbom(text: string, file: string, subject?: ProductInfo): InventoryFragment {
  const start = text.replace(/^\uFEFF/, '').trimStart();
  if (start.startsWith('<')) return parseCycloneDx(cycloneDxXmlToJson(text, file), file, subject);
  if (/^SPDXVersion\s*:/m.test(start.slice(0, 4096)) && !start.startsWith('{')) return parseSpdx(spdxTagValueToJson(text, file), file, subject);
  const doc = parseJsonText(text, file) as Json;
  if (doc && typeof doc === 'object' && !Array.isArray(doc) && isSpdx3(doc)) {
    const warnings: Problem[] = [];
    const fragment = parseSpdx(spdx3ToJson(doc, file, (message) => warnings.push({ file, message, severity: 'warning' })), file, subject);
    return { ...fragment, problems: [...warnings, ...(fragment.problems ?? [])] };
  }
  if (!doc || typeof doc !== 'object' || Array.isArray(doc)) throw new NotAnSbom('neither a CycloneDX JSON SBOM nor an SPDX JSON document: the top level is not an object', file, 1);
  if (doc['bomFormat'] === 'CycloneDX') { checkShape('CycloneDX', doc, file); return withUnread(parseCycloneDx(doc, file, subject), doc); }
  if (typeof doc['spdxVersion'] === 'string') { checkShape('SPDX', doc, file); return withUnread(parseSpdx(doc, file, subject), doc); }
  throw new NotAnSbom('neither a CycloneDX JSON SBOM (bomFormat) nor an SPDX JSON document (spdxVersion)', file, 1);
}

/** JSON that is well formed but no SBOM: found by its name in a folder (vite's has-bom.json fixture), it is skipped with a warning. */
class NotAnSbom extends InputError {}

/** What every name below ends with: one test for the thousands of files of a tree that are not SBOMs. */
const SBOM_EXTENSION = /\.(json|xml|spdx)$/i;

export function isSbomName(name: string): boolean {
  if (!SBOM_EXTENSION.test(name)) return false;
  return /(^|[._-])(bom|sbom|cdx|cyclonedx|spdx)(\.[a-z0-9]+)?\.json$/i.test(name) || /\.(cdx|spdx)\.json$/i.test(name)
    || /(^|[._-])(bom|sbom|cdx|cyclonedx)(\.[a-z0-9]+)?\.xml$/i.test(name) || /\.spdx$/i.test(name);
}

export const sbomExtractor: Extractor = {
  id: 'sbom',
  claims: (_rel, name) => isSbomName(name),
  extract: (files, ctx) => parseLockfiles(files, ctx, (text, f) => {
    try {
      return parseSbom(text, f.rel, ctx.options.subject);
    } catch (e) {
      if (!(e instanceof NotAnSbom) || f.explicit) throw e;
      return { components: [], dependencies: [], problems: [{ file: f.rel, line: e.line, message: `named like an SBOM but not one (${e.message}); not read`, severity: 'warning' }] };
    }
  }),
};
