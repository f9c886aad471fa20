// CycloneDX 1.6 JSON through @cyclonedx/cyclonedx-library, with the fields BSI TR-03183-2 v2.1
// asks for where Marque has the data (§5.2, mapping in §8.2). The library has no model for
// `compositions` nor for 1.6's `manufacturer`; those are added to its normalised output.
import { randomUUID } from 'node:crypto';
import * as CDX from '@cyclonedx/cyclonedx-library';
import type { Component as MComponent, Dependency, NotAnalysed } from '../../model/inventory.ts';
import type { ProductInfo } from '../../model/product.ts';
import { makePurl } from '../../model/purl.ts';
import { isSpdxExpression } from '../../util/license.ts';

export interface BomInput {
  product: ProductInfo;
  components: (MComponent & { kind?: string | null })[];
  dependencies: Dependency[];
  toolVersion: string;
  /** Lockfiles found but not read: the product's own dependency list is then not complete. */
  notAnalysed?: NotAnalysed[];
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
  bom.metadata.component = product;

  const CDX_TYPE = { library: Enums.ComponentType.Library, application: Enums.ComponentType.Application, framework: Enums.ComponentType.Framework, container: Enums.ComponentType.Container, 'operating-system': Enums.ComponentType.OperatingSystem, device: Enums.ComponentType.Device, firmware: Enums.ComponentType.Firmware } as const;
  const byPurl = new Map<string, CDX.Models.Component>();
  // An input SBOM's own subject is the product: it is metadata.component, not one of the components.
  byPurl.set(rootRef, product);
  for (const c of input.components) {
    if (c.purl === rootRef) continue;
    const comp = new Models.Component(CDX_TYPE[c.type ?? 'library'], c.name, { bomRef: c.purl, version: c.version || undefined, purl: c.purl, description: c.description || undefined, scope: scopeOf(c.kind) });
    if (c.group) comp.group = c.group;
    for (const l of c.licenses) {
      const lic = isSpdxExpression(l) ? new Models.LicenseExpression(l) : new Models.NamedLicense(l);
      lic.acknowledgement = Enums.LicenseAcknowledgement.Declared;
      comp.licenses.add(lic);
    }
    for (const h of c.hashes ?? []) comp.hashes.set(h.alg as CDX.Enums.HashAlgorithm, h.value);
    if (c.supplier) comp.supplier = entity(c.supplier);
    if (c.homepage) comp.externalReferences.add(new Models.ExternalReference(c.homepage, Enums.ExternalReferenceType.Website));
    if (c.provenance) {
      comp.externalReferences.add(new Models.ExternalReference(c.provenance.url, Enums.ExternalReferenceType.VCS, { comment: c.provenance.version ? `version ${c.provenance.version}` : undefined }));
    }
    if (c.distribution) {
      const ref = new Models.ExternalReference(c.distribution, Enums.ExternalReferenceType.Distribution);
      const sha512 = c.hashes?.find((h) => h.alg === 'SHA-512');
      if (sha512) ref.hashes.set(Enums.HashAlgorithm['SHA-512'], sha512.value);
      comp.externalReferences.add(ref);
    }
    const props: Record<string, string> = { ...c.properties };
    if (c.sourceFile) props['marque:sourceFile'] = c.sourceFile;
    if (c.kind) props['marque:scope'] = c.kind;
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

  const normalizer = new CDX.Serialize.JSON.Normalize.Factory(CDX.Spec.Spec1dot6).makeForBom();
  const json = normalizer.normalize(bom, { sortLists: false }) as unknown as Record<string, unknown>;

  // BSI TR-03183-2 §8.2: component creator as `manufacturer`, SBOM creator in metadata.manufacturer.
  const creators = new Map(input.components.filter((c) => c.supplier).map((c) => [c.purl, c.supplier!]));
  for (const jc of (json['components'] ?? []) as Record<string, unknown>[]) {
    const s = creators.get(jc['bom-ref'] as string);
    if (s) jc['manufacturer'] = orgJson(s);
  }
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
  const compositions: Record<string, unknown>[] = [];
  if (complete.length) compositions.push({ aggregate: 'complete', dependencies: complete.sort() });
  if (unknown.length) compositions.push({ aggregate: 'unknown', dependencies: unknown.sort() });
  json['compositions'] = compositions;
  return json;
}

function orgJson(p: { name?: string; email?: string; url?: string }): Record<string, unknown> {
  const o: Record<string, unknown> = {};
  if (p.name) o['name'] = p.name;
  if (p.url) o['url'] = [p.url];
  if (p.email) o['contact'] = [{ ...(p.name ? { name: p.name } : {}), email: p.email }];
  return o;
}
