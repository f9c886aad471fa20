// SPDX 2.3 JSON, written by hand: no maintained JavaScript library writes SPDX 2.3 documents.
// Field rules from the SPDX 2.3 specification (clauses 6–7, 11) and its JSON schema.
import { randomUUID } from 'node:crypto';
import { READ_BACK_PROPERTIES, type DependencyKind } from '../../model/inventory.ts';
import { FIRST_PARTY_PROPERTY } from '../../model/counting.ts';
import { markAnnotation } from '../../model/sbom-marks.ts';
import { isSpdxExpression } from '../../util/license.ts';
import { productPurl, type BomInput } from '../cyclonedx/write.ts';
import { placeUnresolved, unresolvedAnnotation } from '../../sources/sbom/unresolved-mark.ts';

/** Relationship for "A depends on B" of a kind; `reverse` when SPDX words it from B's side. */
const RELATIONSHIP: Record<DependencyKind, { type: string; reverse: boolean }> = {
  exec: { type: 'RUNTIME_DEPENDENCY_OF', reverse: true },
  runtime: { type: 'DEPENDS_ON', reverse: false },
  build_export: { type: 'DEPENDS_ON', reverse: false },
  buildtool_export: { type: 'DEPENDS_ON', reverse: false },
  peer: { type: 'DEPENDS_ON', reverse: false },
  build: { type: 'BUILD_DEPENDENCY_OF', reverse: true },
  buildtool: { type: 'BUILD_TOOL_OF', reverse: true },
  test: { type: 'TEST_DEPENDENCY_OF', reverse: true },
  doc: { type: 'DOCUMENTATION_OF', reverse: true },
  dev: { type: 'DEV_DEPENDENCY_OF', reverse: true },
  optional: { type: 'OPTIONAL_DEPENDENCY_OF', reverse: true },
};

const ALG: Record<string, string> = { 'SHA-1': 'SHA1', 'SHA-256': 'SHA256', 'SHA-384': 'SHA384', 'SHA-512': 'SHA512', MD5: 'MD5' };

function spdxId(n: number): string {
  return `SPDXRef-Package-${n}`;
}

/** "Organization: name (email)" as SPDX 2.3 §7.5 writes a supplier. */
function actor(p: { name?: string; email?: string } | undefined, kind: 'Organization' | 'Person'): string {
  if (!p?.name) return 'NOASSERTION';
  return `${kind}: ${p.name.replace(/[()]/g, '')}${p.email ? ` (${p.email})` : ''}`;
}

const SPDX_PURPOSE = { library: 'LIBRARY', application: 'APPLICATION', framework: 'FRAMEWORK', container: 'CONTAINER', 'operating-system': 'OPERATING-SYSTEM', device: 'DEVICE', firmware: 'FIRMWARE' } as const;

export function toSpdx(input: BomInput): Record<string, unknown> {
  const created = (input.timestamp ?? new Date()).toISOString().replace(/\.\d{3}Z$/, 'Z');
  const extracted = new Map<string, string>();
  const licenseRef = (text: string): string => {
    if (isSpdxExpression(text)) return text;
    const id = `LicenseRef-${text.replace(/[^A-Za-z0-9.-]+/g, '-').replace(/^-+|-+$/g, '') || 'unnamed'}`;
    extracted.set(id, text);
    return id;
  };
  const ids = new Map<string, string>();
  const rootId = 'SPDXRef-Product';
  const rootPurl = productPurl(input.product);
  const packages: Record<string, unknown>[] = [{
    SPDXID: rootId, name: input.product.group ? `${input.product.group}:${input.product.name}` : input.product.name, versionInfo: input.product.version || undefined,
    downloadLocation: 'NOASSERTION', filesAnalyzed: false, licenseConcluded: 'NOASSERTION', licenseDeclared: 'NOASSERTION',
    copyrightText: 'NOASSERTION', supplier: actor(input.product.manufacturer, 'Organization'), primaryPackagePurpose: 'APPLICATION',
    externalRefs: [{ referenceCategory: 'PACKAGE-MANAGER', referenceType: 'purl', referenceLocator: rootPurl }],
  }];
  // An input SBOM's own subject is the product package, not a second package with the same purl.
  ids.set(rootPurl, rootId);
  // What could not be turned into a component, on the package that declared it (else the product): an OTHER annotation each.
  const unresolvedOn = placeUnresolved(input.unresolved ?? [], new Set(input.components.map((c) => c.purl)), rootPurl);
  const annotation = (comment: string) => ({ annotationDate: created, annotationType: 'OTHER', annotator: `Tool: marque-${input.toolVersion}`, comment });
  if (unresolvedOn.has(rootPurl)) packages[0]!['annotations'] = unresolvedOn.get(rootPurl)!.map((v) => annotation(unresolvedAnnotation(v)));
  input.components.forEach((c, i) => {
    if (c.purl === rootPurl) return;
    const id = spdxId(i + 1);
    ids.set(c.purl, id);
    const declared = c.licenses.length ? c.licenses.map(licenseRef).map((l) => (c.licenses.length > 1 && /\s/.test(l) ? `(${l})` : l)).join(' AND ') : 'NOASSERTION';
    const p: Record<string, unknown> = {
      SPDXID: id, name: c.name, downloadLocation: c.distribution ?? (c.provenance ? `git+${c.provenance.url}${c.provenance.version ? `@${c.provenance.version}` : ''}` : 'NOASSERTION'),
      filesAnalyzed: false, licenseConcluded: 'NOASSERTION', licenseDeclared: declared, copyrightText: 'NOASSERTION',
      supplier: actor(c.supplier, c.ecosystem === 'ros' ? 'Person' : 'Organization'),
      externalRefs: [{ referenceCategory: 'PACKAGE-MANAGER', referenceType: 'purl', referenceLocator: c.purl }],
      primaryPackagePurpose: SPDX_PURPOSE[c.type ?? 'library'],
    };
    if (c.version) p['versionInfo'] = c.version;
    if (c.description) p['description'] = c.description;
    if (c.homepage) p['homepage'] = c.homepage;
    if (c.sourceFile) p['sourceInfo'] = `declared in ${c.sourceFile}`;
    const sums = (c.hashes ?? []).filter((h) => ALG[h.alg]).map((h) => ({ algorithm: ALG[h.alg]!, checksumValue: h.value }));
    if (sums.length) p['checksums'] = sums;
    // What CycloneDX carries as properties (first-party, what GIT advisories match a ROS package by), SPDX 2.3 can
    // only carry as annotations: one per mark, read back by Marque's SPDX reader (the server's upload).
    const marks = [...(c.firstParty ? [[FIRST_PARTY_PROPERTY, 'true']] : []), ...READ_BACK_PROPERTIES.filter((k) => c.properties?.[k]).map((k) => [k, c.properties![k]!])];
    const annotations = [...marks.map(([k, v]) => annotation(markAnnotation(k!, v!))), ...(unresolvedOn.get(c.purl) ?? []).map((v) => annotation(unresolvedAnnotation(v)))];
    if (annotations.length) p['annotations'] = annotations;
    packages.push(p);
  });
  const relationships: Record<string, unknown>[] = [{ spdxElementId: 'SPDXRef-DOCUMENT', relationshipType: 'DESCRIBES', relatedSpdxElement: rootId }];
  for (const c of input.components) if (c.root && c.purl !== rootPurl) relationships.push({ spdxElementId: rootId, relationshipType: 'CONTAINS', relatedSpdxElement: ids.get(c.purl)! });
  // A subsystem contains what was read from its source.
  const subsystemId = new Map(input.components.filter((c) => c.properties?.['marque:subsystemRoot']).map((c) => [c.properties!['marque:subsystemRoot']!, ids.get(c.purl)!]));
  for (const c of input.components) {
    const sub = c.properties?.['marque:subsystem'];
    if (sub && !c.properties?.['marque:subsystemRoot'] && subsystemId.has(sub)) relationships.push({ spdxElementId: subsystemId.get(sub)!, relationshipType: 'CONTAINS', relatedSpdxElement: ids.get(c.purl)! });
  }
  for (const d of input.dependencies) {
    const a = ids.get(d.from);
    const b = ids.get(d.to);
    if (!a || !b) continue;
    const r = RELATIONSHIP[d.kind];
    const rel: Record<string, unknown> = r.reverse
      ? { spdxElementId: b, relationshipType: r.type, relatedSpdxElement: a }
      : { spdxElementId: a, relationshipType: r.type, relatedSpdxElement: b };
    if (d.kind !== 'runtime') rel['comment'] = `${d.kind} dependency${d.constraint ? ` ${d.constraint}` : ''}${d.condition ? ` when ${d.condition}` : ''}`;
    relationships.push(rel);
  }
  const creators = [`Tool: marque-${input.toolVersion}`];
  if (input.product.manufacturer) creators.push(actor(input.product.manufacturer, 'Organization'));
  const doc: Record<string, unknown> = {
    spdxVersion: 'SPDX-2.3', dataLicense: 'CC0-1.0', SPDXID: 'SPDXRef-DOCUMENT',
    name: input.product.version ? `${input.product.name}-${input.product.version}` : input.product.name,
    documentNamespace: `https://spdx.org/spdxdocs/${encodeURIComponent(input.product.name)}${input.product.version ? `-${encodeURIComponent(input.product.version)}` : ''}-${input.serialNumber?.replace(/^urn:uuid:/, '') ?? randomUUID()}`,
    creationInfo: { created, creators },
    documentDescribes: [rootId],
    packages, relationships,
  };
  // SPDX 2.3 has no completeness field: say in the product's comment what is missing from it.
  if (input.notAnalysed?.length) packages[0]!['comment'] = `Not analysed (their components are missing): ${input.notAnalysed.map((f) => `${f.file} (${f.format})`).join('; ')}`;
  if (extracted.size) {
    doc['hasExtractedLicensingInfos'] = [...extracted].map(([licenseId, text]) => ({ licenseId, name: text, extractedText: `The package declares the licence "${text}", which names no single SPDX licence.` }));
  }
  return doc;
}
