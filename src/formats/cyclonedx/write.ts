// CycloneDX 1.6 JSON through @cyclonedx/cyclonedx-library, with the fields BSI TR-03183-2 v2.1
// asks for where Marque has the data (§5.2, mapping in §8.2). The library has no model for
// `compositions` nor for 1.6's `manufacturer`; those are added to its normalised output.
import { randomUUID } from 'node:crypto';
import * as CDX from '@cyclonedx/cyclonedx-library';
import type { Component as MComponent, Dependency, NotAnalysed, Person, Unresolved } from '../../model/inventory.ts';
import type { ProductInfo } from '../../model/product.ts';
import { makePurl } from '../../model/purl.ts';
import { FIRST_PARTY_PROPERTY } from '../../model/counting.ts';
import { isSpdxExpression } from '../../util/license.ts';
import { creatorOf, deployableFacts } from '../deployable.ts';
import { UNAVAILABLE_PREFIX } from '../sbom-check/facts.ts';
import { placeUnresolved, UNRESOLVED_MARK } from '../../sources/sbom/unresolved-mark.ts';

export interface BomInput {
  product: ProductInfo;
  components: (MComponent & { kind?: string | null })[];
  dependencies: Dependency[];
  toolVersion: string;
  /** Lockfiles found but not read: the product's own dependency list is then not complete. */
  notAnalysed?: NotAnalysed[];
  /**
   * Dependencies that could not be turned into components: each a `marque:unresolved` mark on the component that
   * declared it, else on the product (sources/sbom/unresolved-mark.ts), so that a reader knows what is missing.
   */
  unresolved?: Unresolved[];
  timestamp?: Date;
  serialNumber?: string;
}

const { Models, Enums } = CDX;

function contact(p: { name?: string; email?: string }) {
  return new Models.OrganizationalContact({ name: p.name, email: p.email });
}

function entity(p: { name?: string; email?: string; url?: string }): CDX.Models.OrganizationalEntity {
  return new Models.OrganizationalEntity({
    name: p.name,
    url: p.url ? new Set([p.url]) : undefined,
    contact: p.email ? new Models.OrganizationalContactRepository([contact(p)]) : undefined,
  });
}

export function productPurl(p: ProductInfo): string {
  return p.purl ?? makePurl({ type: 'generic', namespace: p.group, name: p.name, version: p.version });
}

/** Scope as CycloneDX words it: only components needed at run time are "required". */
function scopeOf(kind: string | null | undefined): CDX.Enums.ComponentScope | undefined {
  if (kind === 'runtime') return Enums.ComponentScope.Required;
  if (kind === 'optional') return Enums.ComponentScope.Optional;
  if (kind) return Enums.ComponentScope.Excluded; // build, test, doc, dev: not part of what ships
  return undefined;
}

export function toCycloneDx(input: BomInput): Record<string, unknown> {
  const bom = new Models.Bom();
  bom.serialNumber = input.serialNumber ?? `urn:uuid:${randomUUID()}`;
  bom.metadata.timestamp = input.timestamp ?? new Date();
  bom.metadata.tools.components.add(new Models.Component(Enums.ComponentType.Application, 'marque', { version: input.toolVersion }));
  const rootRef = productPurl(input.product);
  const product = new Models.Component(Enums.ComponentType.Application, input.product.name, {
    bomRef: rootRef, version: input.product.version || undefined, purl: rootRef, description: input.product.description,
  });
  if (input.product.group) product.group = input.product.group;
  if (input.product.manufacturer) product.supplier = entity(input.product.manufacturer);
  if (input.product.securityTxt) product.externalReferences.add(new Models.ExternalReference(input.product.securityTxt, Enums.ExternalReferenceType.RFC9116));
  // The product is a logical component (BSI TR-03183-2 §3.2.2): creator, licences, identifiers; no file fields.
  const productUnavailable: Record<string, string> = {};
  addLicences(product, input.product.license ? [input.product.license] : [], productUnavailable);
  if (!input.product.license) productUnavailable['distribution-licences'] = productUnavailable['original-licences'] = 'marque.yaml declares no product.license';
  if (!input.product.manufacturer?.email && !input.product.manufacturer?.url) productUnavailable['creator'] = 'marque.yaml gives the manufacturer no email or url';
  for (const [k, v] of Object.entries(productUnavailable)) product.properties.add(new Models.Property(`${UNAVAILABLE_PREFIX}${k}`, v));
  bom.metadata.component = product;

  const CDX_TYPE = { library: Enums.ComponentType.Library, application: Enums.ComponentType.Application, framework: Enums.ComponentType.Framework, container: Enums.ComponentType.Container, 'operating-system': Enums.ComponentType.OperatingSystem, device: Enums.ComponentType.Device, firmware: Enums.ComponentType.Firmware } as const;
  const byPurl = new Map<string, CDX.Models.Component>();
  const creators = new Map<string, Person>();
  // An input SBOM's own subject is the product: it is metadata.component, not one of the components.
  byPurl.set(rootRef, product);
  for (const c of input.components) {
    if (c.purl === rootRef) continue;
    const comp = new Models.Component(CDX_TYPE[c.type ?? 'library'], c.name, { bomRef: c.purl, version: c.version || undefined, purl: c.purl, description: c.description || undefined, scope: scopeOf(c.kind) });
    if (c.group) comp.group = c.group;
    const unavailable: Record<string, string> = {};
    addLicences(comp, c.licenses, unavailable);
    for (const h of c.hashes ?? []) comp.hashes.set(h.alg as CDX.Enums.HashAlgorithm, h.value);
    // CycloneDX hashes carry no comment: where each value comes from is a property beside them.
    const hashSources = Object.fromEntries((c.hashes ?? []).filter((h) => h.source).map((h) => [`marque:hash-source:${h.alg}`, h.source!]));
    if (c.supplier) comp.supplier = entity(c.supplier);
    if (c.homepage) comp.externalReferences.add(new Models.ExternalReference(c.homepage, Enums.ExternalReferenceType.Website));
    if (c.provenance) {
      comp.externalReferences.add(new Models.ExternalReference(c.provenance.url, Enums.ExternalReferenceType.VCS, { comment: c.provenance.version ? `version ${c.provenance.version}` : undefined }));
    }
    // BSI TR-03183-2 §5.2.2/§5.2.4 as §8.2 maps them: the deployable form (distribution, with its
    // SHA-512), the source (source-distribution), and the bsi:component:* properties.
    const d = deployableFacts(c);
    Object.assign(unavailable, d.unavailable);
    if (d.uri) {
      const ref = new Models.ExternalReference(d.uri, Enums.ExternalReferenceType.Distribution, d.sha512Source ? { comment: `SHA-512: ${d.sha512Source}` } : {});
      if (d.sha512) ref.hashes.set(Enums.HashAlgorithm['SHA-512'], d.sha512);
      for (const h of d.hashes) ref.hashes.set(h.alg as CDX.Enums.HashAlgorithm, h.value);
      comp.externalReferences.add(ref);
    } else if (d.sha512) unavailable['hash'] = `the SHA-512 of its file is known (${d.sha512Source ?? 'from the input'}), but not where the file is published (a distribution reference needs a URL): it is given in the component's hashes`;
    if (d.sourceUri) {
      // The source archive that was read (a ROS release tarball) carries its SHA-512 (§5.2.5, §8.2 Table 12);
      // so does a registry archive that is both the source and the deployable form (an npm tarball, a crate).
      const archive = d.sourceArchive?.uri === d.sourceUri ? d.sourceArchive
        : d.sha512 && d.uri === d.sourceUri ? { sha512: { alg: 'SHA-512' as const, value: d.sha512, ...(d.sha512Source ? { source: d.sha512Source } : {}) } } : undefined;
      const ref = new Models.ExternalReference(d.sourceUri, Enums.ExternalReferenceType.SourceDistribution, archive?.sha512.source ? { comment: `SHA-512: ${archive.sha512.source}` } : {});
      if (archive) ref.hashes.set(Enums.HashAlgorithm['SHA-512'], archive.sha512.value);
      comp.externalReferences.add(ref);
    }
    if (d.sourceArchive && !d.sourceArchive.uri) hashSources['marque:source-artefact:SHA-512'] = d.sourceArchive.sha512.value;
    if (!c.version) unavailable['version'] = c.properties?.['marque:version'] ?? 'the input gives no version';
    const props: Record<string, string> = {};
    if (d.filename) props['bsi:component:filename'] = d.filename;
    if (d.executable) props['bsi:component:executable'] = d.executable;
    if (d.archive) props['bsi:component:archive'] = d.archive;
    if (d.structured) props['bsi:component:structured'] = d.structured;
    Object.assign(props, c.properties, hashSources);
    if (c.candidateHashes?.length) props['marque:candidate-hashes'] = c.candidateHashes.map((h) => `${h.alg}:${h.value}`).join(' ');
    if (c.sourceFile) props['marque:sourceFile'] = c.sourceFile;
    if (c.kind) props['marque:scope'] = c.kind;
    if (c.firstParty) props[FIRST_PARTY_PROPERTY] = 'true';
    const who = creatorOf(c);
    if (who.why) unavailable['creator'] = who.why;
    if (who.creator) creators.set(c.purl, who.creator);
    for (const [k, v] of Object.entries(unavailable)) props[`${UNAVAILABLE_PREFIX}${k}`] = v;
    for (const [k, v] of Object.entries(props)) comp.properties.add(new Models.Property(k, v));
    byPurl.set(c.purl, comp);
  }
  // A subsystem's components nest under the subsystem's own component (CycloneDX nested components).
  const subsystemRef = new Map(input.components.filter((c) => c.properties?.['marque:subsystemRoot']).map((c) => [c.properties!['marque:subsystemRoot']!, c.purl]));
  for (const c of input.components) {
    if (c.purl === rootRef) continue;
    const sub = c.properties?.['marque:subsystem'];
    const parent = sub && !c.properties?.['marque:subsystemRoot'] ? byPurl.get(subsystemRef.get(sub) ?? '') : undefined;
    (parent ? parent.components : bom.components).add(byPurl.get(c.purl)!);
  }
  for (const d of input.dependencies) {
    const from = byPurl.get(d.from);
    const to = byPurl.get(d.to);
    if (from && to) from.dependencies.add(to.bomRef);
  }
  for (const c of input.components) if (c.root && c.purl !== rootRef) product.dependencies.add(byPurl.get(c.purl)!.bomRef);
  const unresolvedOn = placeUnresolved(input.unresolved ?? [], new Set(byPurl.keys()), rootRef);
  for (const [purl, values] of unresolvedOn) if (purl !== rootRef) for (const v of values) byPurl.get(purl)!.properties.add(new Models.Property(UNRESOLVED_MARK, v));

  const normalizer = new CDX.Serialize.JSON.Normalize.Factory(CDX.Spec.Spec1dot6).makeForBom();
  const json = normalizer.normalize(bom, { sortLists: false }) as unknown as Record<string, unknown>;

  // BSI TR-03183-2 §8.2 Table 9: the component creator as `manufacturer` (nested components too),
  // the SBOM creator in metadata.manufacturer (Table 8).
  const withCreators = (list: Record<string, unknown>[]) => {
    for (const jc of list) {
      const s = creators.get(jc['bom-ref'] as string);
      if (s) jc['manufacturer'] = orgJson(s);
      withCreators((jc['components'] ?? []) as Record<string, unknown>[]);
    }
  };
  withCreators((json['components'] ?? []) as Record<string, unknown>[]);
  const meta = json['metadata'] as Record<string, unknown>;
  if (input.product.manufacturer) {
    meta['manufacturer'] = orgJson(input.product.manufacturer);
    (meta['component'] as Record<string, unknown>)['manufacturer'] = orgJson(input.product.manufacturer);
  }
  // Completeness of each component's dependency list (§5.2.2 "MUST be clearly indicated").
  const self = input.components.find((c) => c.purl === rootRef);
  const others = input.components.filter((c) => c.purl !== rootRef);
  const complete = others.filter((c) => c.dependenciesComplete).map((c) => c.purl);
  const unknown = others.filter((c) => !c.dependenciesComplete).map((c) => c.purl);
  // The product's own list is complete when it was built here, or when its SBOM said so.
  (input.notAnalysed?.length || (self && !self.dependenciesComplete) ? unknown : complete).push(rootRef);
  if (input.notAnalysed?.length) {
    const props = ((meta['component'] as Record<string, unknown>)['properties'] ??= []) as { name: string; value: string }[];
    for (const f of input.notAnalysed) props.push({ name: 'marque:notAnalysed', value: `${f.file} (${f.format})` });
  }
  if (unresolvedOn.has(rootRef)) {
    const props = ((meta['component'] as Record<string, unknown>)['properties'] ??= []) as { name: string; value: string }[];
    for (const value of unresolvedOn.get(rootRef)!) props.push({ name: UNRESOLVED_MARK, value });
  }
  const compositions: Record<string, unknown>[] = [];
  if (complete.length) compositions.push({ aggregate: 'complete', dependencies: complete.sort() });
  if (unknown.length) compositions.push({ aggregate: 'unknown', dependencies: unknown.sort() });
  json['compositions'] = compositions;
  return json;
}

/**
 * Licences as BSI TR-03183-2 §8.2 maps them: the original licence (acknowledgement "declared") and
 * the distribution licence ("concluded"). Marque does not relicense: a component passes on under
 * the licence its creator declared, so both are that licence. CycloneDX 1.6 holds either licence
 * objects or one expression: a single identifier is written twice, an expression once, as the
 * (required) distribution licence. Text that is no SPDX identifier stays declared only (§6.1).
 */
function addLicences(comp: CDX.Models.Component, licences: string[], unavailable: Record<string, string>): void {
  const spdx = licences.filter((l) => isSpdxExpression(l));
  const raw = licences.filter((l) => !isSpdxExpression(l));
  // One identifier (a listed one by id, a LicenseRef- by name): declared and concluded alike.
  if (spdx.length === 1 && !raw.length && !/\s/.test(spdx[0]!)) {
    for (const ack of [Enums.LicenseAcknowledgement.Declared, Enums.LicenseAcknowledgement.Concluded]) {
      const lic = CDX.SPDX.isSupportedSpdxId(spdx[0]!) ? new Models.SpdxLicense(spdx[0]!) : new Models.NamedLicense(spdx[0]!);
      lic.acknowledgement = ack;
      comp.licenses.add(lic);
    }
    return;
  }
  if (spdx.length && !raw.length) {
    const lic = new Models.LicenseExpression(spdx.length > 1 ? spdx.map((l) => (/\s/.test(l) ? `(${l})` : l)).join(' AND ') : spdx[0]!);
    lic.acknowledgement = Enums.LicenseAcknowledgement.Concluded;
    comp.licenses.add(lic);
    unavailable['original-licences'] = 'CycloneDX 1.6 holds one licence expression per component: it is written as the distribution licence, which is the declared one';
    return;
  }
  for (const l of licences) {
    const lic = CDX.SPDX.isSupportedSpdxId(l) ? new Models.SpdxLicense(l) : new Models.NamedLicense(l);
    lic.acknowledgement = Enums.LicenseAcknowledgement.Declared;
    comp.licenses.add(lic);
  }
  unavailable['distribution-licences'] = licences.length ? `the declared licence "${raw[0]}" is no SPDX identifier, and Marque assigns no LicenseRef on its own (§6.1)` : 'the input declares no licence';
  // The original licence is written as declared (a name): what the creator said, but not an SPDX identifier either.
  unavailable['original-licences'] = licences.length ? `written as declared, "${raw[0]}", which is no SPDX identifier; Marque assigns no LicenseRef on its own (§6.1)` : 'the input declares no licence';
}

function orgJson(p: { name?: string; email?: string; url?: string }): Record<string, unknown> {
  const o: Record<string, unknown> = {};
  if (p.name) o['name'] = p.name;
  if (p.url) o['url'] = [p.url];
  if (p.email) o['contact'] = [{ ...(p.name ? { name: p.name } : {}), email: p.email }];
  return o;
}
