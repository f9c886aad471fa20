// SPDX 3.0.1 JSON-LD (https://spdx.github.io/spdx-spec/v3.0.1/), written by hand: no maintained
// JavaScript library writes SPDX 3. Classes used (model namespaces Core, Software, SimpleLicensing,
// Extension): CreationInfo, Organization/SoftwareAgent (Agent), Tool, SpdxDocument, software_Sbom,
// software_Package, software_File (a package's distribution artefact), Relationship and
// LifecycleScopedRelationship, simplelicensing_LicenseExpression, ExternalIdentifier, ExternalRef,
// Hash, extension_CdxPropertiesExtension, Annotation (Marque's marks). BSI TR-03183-2 v2.1.0 §8.2 says where its fields go:
// originatedBy (creator), hasDistributionArtifact → software_File (filename, SHA-512,
// software_additionalPurpose for executable/archive/container|firmware), hasConcludedLicense /
// hasDeclaredLicense, dependsOn/contains with completeness, the Sbom's spdxId as SBOM-URI.
import { randomUUID } from 'node:crypto';
import type { DependencyKind, Person } from '../../model/inventory.ts';
import { isSpdxExpression } from '../../util/license.ts';
import { productPurl, type BomInput } from '../cyclonedx/write.ts';
import { creatorOf, deployableFacts } from '../deployable.ts';
import { UNAVAILABLE_PREFIX } from '../sbom-check/facts.ts';
import { FIRST_PARTY_PROPERTY } from '../../model/counting.ts';
import { READ_BACK_PROPERTIES } from '../../model/inventory.ts';
import { markAnnotation } from '../../model/sbom-marks.ts';
import { placeUnresolved, unresolvedAnnotation } from '../../sources/sbom/unresolved-mark.ts';

type El = Record<string, unknown>;
const CI = '_:creationinfo';

/** Dependency kinds that SPDX 3 scopes by lifecycle (LifecycleScopeType); runtime ones are plain dependsOn. */
const SCOPE: Partial<Record<DependencyKind, string>> = { build: 'build', buildtool: 'build', test: 'test', doc: 'development', dev: 'development', optional: 'runtime' };
const PURPOSE = { library: 'library', application: 'application', framework: 'framework', container: 'container', 'operating-system': 'operatingSystem', device: 'device', firmware: 'firmware' } as const;
const HASH: Record<string, string> = { 'SHA-1': 'sha1', 'SHA-256': 'sha256', 'SHA-384': 'sha384', 'SHA-512': 'sha512', MD5: 'md5' };

export function toSpdx3(input: BomInput): Record<string, unknown> {
  const created = (input.timestamp ?? new Date()).toISOString().replace(/\.\d{3}Z$/, 'Z');
  const uuid = input.serialNumber?.replace(/^urn:uuid:/, '') ?? randomUUID();
  const p = input.product;
  // The SPDX 2 convention for tools without a namespace of their own, as Marque's SPDX 2.3 uses.
  const base = `https://spdx.org/spdxdocs/${encodeURIComponent(p.name)}${p.version ? `-${encodeURIComponent(p.version)}` : ''}-${uuid}/`;
  const graph: El[] = [];
  const el = (type: string, id: string, fields: El): string => { graph.push({ type, spdxId: id, creationInfo: CI, ...fields }); return id; };
  let n = 0;
  const next = (kind: string) => `${base}${kind}/${++n}`;

  const agents = new Map<string, string>();
  /** An agent with the TR's identifiers: email, else a URL (§8.2 Table 8: urlScheme; Table 9: other). */
  const agent = (who: Person, kind: 'Organization' | 'Person', urlType: 'urlScheme' | 'other'): string => {
    const key = `${who.name}|${who.email}|${who.url}`;
    const known = agents.get(key);
    if (known) return known;
    const ids = [...(who.email ? [{ type: 'ExternalIdentifier', externalIdentifierType: 'email', identifier: who.email }] : []), ...(who.url ? [{ type: 'ExternalIdentifier', externalIdentifierType: urlType, identifier: who.url }] : [])];
    const id = el(kind, next('agent'), { ...(who.name ? { name: who.name } : {}), ...(ids.length ? { externalIdentifier: ids } : {}) });
    agents.set(key, id);
    return id;
  };
  const tool = el('Tool', `${base}tool/marque`, { name: `marque ${input.toolVersion}` });
  const creator = p.manufacturer ? agent(p.manufacturer, 'Organization', 'urlScheme') : el('SoftwareAgent', `${base}agent/marque`, { name: 'marque' });
  graph.unshift({ type: 'CreationInfo', '@id': CI, specVersion: '3.0.1', created, createdBy: [creator], createdUsing: [tool] });

  const relationships: El[] = [];
  const relate = (from: string, type: string, to: string[], extra: El = {}) => {
    relationships.push({ type: extra['scope'] ? 'LifecycleScopedRelationship' : 'Relationship', spdxId: next('relationship'), creationInfo: CI, from, relationshipType: type, to, ...extra });
  };
  const licences = new Map<string, string>();
  const licence = (expr: string) => licences.get(expr) ?? (licences.set(expr, el('simplelicensing_LicenseExpression', next('licence'), { simplelicensing_licenseExpression: expr })), licences.get(expr)!);
  const withLicences = (id: string, declared: string[], unavailable: Record<string, string>) => {
    const spdx = declared.filter((l) => isSpdxExpression(l));
    if (spdx.length && spdx.length === declared.length) {
      const expr = spdx.length > 1 ? spdx.map((l) => (/\s/.test(l) ? `(${l})` : l)).join(' AND ') : spdx[0]!;
      // Original licence as declared; the distribution licence is the same (Marque does not relicense).
      relate(id, 'hasDeclaredLicense', [licence(expr)]);
      relate(id, 'hasConcludedLicense', [licence(expr)]);
    } else {
      unavailable['distribution-licences'] = unavailable['original-licences'] = declared.length ? `the declared licence "${declared.find((l) => !isSpdxExpression(l))}" is no SPDX identifier, and Marque assigns no LicenseRef on its own (§6.1)` : 'the input declares no licence';
    }
  };
  const extension = (unavailable: Record<string, string>) => (Object.keys(unavailable).length
    ? { extension: [{ type: 'extension_CdxPropertiesExtension', extension_cdxProperty: Object.entries(unavailable).map(([k, v]) => ({ type: 'extension_CdxPropertyEntry', extension_cdxPropName: `${UNAVAILABLE_PREFIX}${k}`, extension_cdxPropValue: v })) }] }
    : {});

  // The product: the Sbom's root, a logical component (§3.2.2).
  const rootPurl = productPurl(p);
  const productUnavailable: Record<string, string> = {};
  const productFields: El = {
    name: p.group ? `${p.group}:${p.name}` : p.name, ...(p.version ? { software_packageVersion: p.version } : {}), software_packageUrl: rootPurl,
    externalIdentifier: [{ type: 'ExternalIdentifier', externalIdentifierType: 'packageUrl', identifier: rootPurl }],
    software_primaryPurpose: 'application', ...(p.description ? { description: p.description } : {}),
    ...(p.manufacturer ? { originatedBy: [creator], suppliedBy: creator } : {}),
    ...(p.securityTxt ? { externalRef: [{ type: 'ExternalRef', externalRefType: 'securityOther', locator: [p.securityTxt] }] } : {}),
  };
  const productId = `${base}package/product`;
  withLicences(productId, p.license ? [p.license] : [], productUnavailable);
  if (!p.license) productUnavailable['distribution-licences'] = productUnavailable['original-licences'] = 'marque.yaml declares no product.license';
  const productEl: El = { type: 'software_Package', spdxId: productId, creationInfo: CI, ...productFields };
  graph.push(productEl);

  const ids = new Map<string, string>([[rootPurl, productId]]);
  // What could not be turned into a component, on the package that declared it (else the product): an "other"
  // Annotation each, as Marque's other marks are.
  const unresolvedOn = placeUnresolved(input.unresolved ?? [], new Set(input.components.map((c) => c.purl)), rootPurl);
  const unresolvedMarks = (purl: string, id: string) => { for (const v of unresolvedOn.get(purl) ?? []) el('Annotation', next('annotation'), { annotationType: 'other', subject: id, statement: unresolvedAnnotation(v) }); };
  unresolvedMarks(rootPurl, productId);
  for (const c of input.components) {
    if (c.purl === rootPurl) continue;
    const id = next('package');
    ids.set(c.purl, id);
    const unavailable: Record<string, string> = {};
    const d = deployableFacts(c);
    Object.assign(unavailable, d.unavailable);
    const who = creatorOf(c);
    if (who.why) unavailable['creator'] = who.why;
    if (!c.version) unavailable['version'] = c.properties?.['marque:version'] ?? 'the input gives no version';
    const refs: El[] = [];
    if (c.provenance) refs.push({ type: 'ExternalRef', externalRefType: 'vcs', locator: [c.provenance.url], ...(c.provenance.version ? { comment: `version ${c.provenance.version}` } : {}) });
    if (d.sourceUri) refs.push({ type: 'ExternalRef', externalRefType: 'sourceArtifact', locator: [d.sourceUri] });
    const pkg: El = {
      type: 'software_Package', spdxId: id, creationInfo: CI, name: c.group ? `${c.group}:${c.name}` : c.name,
      ...(c.version ? { software_packageVersion: c.version } : {}),
      software_packageUrl: c.purl,
      externalIdentifier: [{ type: 'ExternalIdentifier', externalIdentifierType: 'packageUrl', identifier: c.purl }],
      software_primaryPurpose: PURPOSE[c.type ?? 'library'],
      ...(d.uri ? { software_downloadLocation: d.uri } : {}),
      ...(c.homepage && /^https?:\/\//.test(c.homepage) ? { software_homePage: c.homepage } : {}),
      ...(c.description ? { description: c.description } : {}),
      ...(who.creator ? { originatedBy: [agent(who.creator, c.ecosystem === 'ros' ? 'Person' : 'Organization', 'other')] } : {}),
      ...(c.supplier ? { suppliedBy: agent(c.supplier, c.ecosystem === 'ros' ? 'Person' : 'Organization', 'other') } : {}),
      ...(refs.length ? { externalRef: refs } : {}),
    };
    graph.push(pkg);
    // Marque's marks (first-party, what GIT advisories match a ROS package by, the closure, the source package Debian
    // and Alpine advisories name), as SPDX 2.3 carries them: one Annotation of type "other" per mark, its subject the
    // package, its statement "name=value", read back by Marque's SPDX 3 reader.
    const marks = [...(c.firstParty ? [[FIRST_PARTY_PROPERTY, 'true']] : []), ...READ_BACK_PROPERTIES.filter((k) => c.properties?.[k]).map((k) => [k, c.properties![k]!])];
    for (const [k, v] of marks) el('Annotation', next('annotation'), { annotationType: 'other', subject: id, statement: markAnnotation(k!, v!) });
    unresolvedMarks(c.purl, id);
    withLicences(id, c.licenses, unavailable);
    // The deployable form as a software_File (§8.2 Table 9): its name, SHA-512 and purposes.
    if (d.filename) {
      const purposes = [d.executable === 'executable' && 'executable', d.archive === 'archive' && 'archive', d.structured === 'structured' ? 'container' : d.structured === 'unstructured' ? 'firmware' : false].filter((x): x is string => !!x);
      // Each Hash says where its value comes from (IntegrityMethod's comment): a lockfile's field or the file as read.
      const hashes = [...(d.sha512 ? [{ alg: 'SHA-512', value: d.sha512, source: d.sha512Source }] : []), ...d.hashes].filter((h) => HASH[h.alg]).map((h) => ({ type: 'Hash', algorithm: HASH[h.alg]!, hashValue: h.value, ...(h.source ? { comment: h.source } : {}) }));
      const file = el('software_File', next('file'), {
        name: d.filename, ...(purposes.length ? { software_additionalPurpose: purposes } : {}), ...(hashes.length ? { verifiedUsing: hashes } : {}),
        ...(d.uri ? { externalRef: [{ type: 'ExternalRef', externalRefType: 'binaryArtifact', locator: [d.uri] }] } : {}),
        comment: 'software_additionalPurpose states the properties of BSI TR-03183-2 v2.1.0 §5.2.2: executable, archive, container (structured) or firmware (unstructured); a purpose left out does not hold',
      });
      relate(id, 'hasDistributionArtifact', [file], { completeness: 'complete' });
    } else {
      if (d.sha512) unavailable['hash'] = 'the SHA-512 of its file is known, but not the file\'s name (SPDX 3 states it on the distribution artefact, a software_File)';
      // Known from the packaging, but SPDX 3 states them on the distribution artefact, which needs a name.
      for (const k of ['executable', 'archive', 'structured'] as const) if (d[k]) unavailable[k] = `${d[k]}, but SPDX 3 states it on the distribution artefact (software_File), and the file's name is not known: ${unavailable['filename'] ?? 'not known'}`;
    }
    // The source archive read (a ROS release tarball): a software_File that generates the package, with its SHA-512 (§8.2 Table 12).
    if (d.sourceArchive) {
      const h = d.sourceArchive.sha512;
      const src = el('software_File', next('file'), {
        name: d.sourceArchive.filename, software_primaryPurpose: 'source',
        verifiedUsing: [{ type: 'Hash', algorithm: 'sha512', hashValue: h.value, ...(h.source ? { comment: h.source } : {}) }],
        ...(d.sourceArchive.uri ? { externalRef: [{ type: 'ExternalRef', externalRefType: 'sourceArtifact', locator: [d.sourceArchive.uri] }] } : {}),
      });
      relate(src, 'generates', [id], { completeness: 'complete' });
    }
    Object.assign(pkg, extension(unavailable));
  }
  Object.assign(productEl, extension(productUnavailable));

  // Dependencies, grouped per component and lifecycle scope, each group with its completeness
  // (§5.2.2: "the completeness of this enumeration MUST be clearly indicated").
  const groups = new Map<string, { from: string; scope?: string; to: Set<string> }>();
  for (const dep of input.dependencies) {
    const a = ids.get(dep.from);
    const b = ids.get(dep.to);
    if (!a || !b) continue;
    const scope = SCOPE[dep.kind];
    const key = `${a} ${scope ?? ''}`;
    (groups.get(key) ?? groups.set(key, { from: a, scope, to: new Set() }).get(key)!).to.add(b);
  }
  // Subsystems contain what was read from their source; the product contains its roots.
  const subsystemId = new Map(input.components.filter((c) => c.properties?.['marque:subsystemRoot']).map((c) => [c.properties!['marque:subsystemRoot']!, ids.get(c.purl)!]));
  const contains = new Map<string, string[]>();
  for (const c of input.components) {
    const sub = c.properties?.['marque:subsystem'];
    if (sub && !c.properties?.['marque:subsystemRoot'] && subsystemId.has(sub)) (contains.get(subsystemId.get(sub)!) ?? contains.set(subsystemId.get(sub)!, []).get(subsystemId.get(sub)!)!).push(ids.get(c.purl)!);
  }
  const complete = new Map(input.components.map((c) => [ids.get(c.purl) ?? productId, c.dependenciesComplete === true]));
  const productComplete = !input.notAnalysed?.length && (input.components.find((c) => c.purl === rootPurl)?.dependenciesComplete ?? true);
  complete.set(productId, productComplete);
  const roots = input.components.filter((c) => c.root && c.purl !== rootPurl).map((c) => ids.get(c.purl)!);
  if (roots.length) relate(productId, 'dependsOn', roots, { completeness: productComplete ? 'complete' : 'noAssertion' });
  const listed = new Set<string>(roots.length ? [productId] : []);
  for (const g of groups.values()) {
    relate(g.from, 'dependsOn', [...g.to], { ...(g.scope ? { scope: g.scope } : {}), completeness: complete.get(g.from) ? 'complete' : 'noAssertion' });
    listed.add(g.from);
  }
  for (const [from, to] of contains) relate(from, 'contains', to, { completeness: 'complete' });
  // A component with no dependency says so: NoneElement when its list is complete, NoAssertionElement otherwise.
  for (const [id, done] of complete) if (!listed.has(id) && !contains.has(id)) relate(id, 'dependsOn', [done ? 'NoneElement' : 'NoAssertionElement'], { completeness: done ? 'complete' : 'noAssertion' });

  const sbomId = `${base}sbom`;
  const elements = [...graph.filter((e) => e['spdxId']).map((e) => e['spdxId'] as string), ...relationships.map((r) => r['spdxId'] as string)];
  graph.push(...relationships);
  graph.push({ type: 'software_Sbom', spdxId: sbomId, creationInfo: CI, rootElement: [productId], element: elements, ...(input.notAnalysed?.length ? { comment: `Not analysed (their components are missing): ${input.notAnalysed.map((f) => `${f.file} (${f.format})`).join('; ')}` } : {}) });
  graph.push({ type: 'SpdxDocument', spdxId: `${base}document`, creationInfo: CI, name: p.version ? `${p.name}-${p.version}` : p.name, rootElement: [sbomId], element: [sbomId, ...elements], profileConformance: ['core', 'software', 'simpleLicensing', 'extension'] });
  return { '@context': 'https://spdx.org/rdf/3.0.1/spdx-context.jsonld', '@graph': graph };
}
