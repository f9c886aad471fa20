// Import of SBOMs made by other tools: CycloneDX 1.4–1.6 JSON and SPDX 2.2/2.3 JSON.
import { ecosystemOfPurl, makePurl } from '../../model/purl.ts';
import { InputError } from '../../util/errors.ts';
import { mapLicenses } from '../../util/license.ts';
import { FragmentBuilder } from '../common/fragment.ts';
import { parseLockfiles } from '../common/lockfiles.ts';
import type { Component, DependencyKind, Hash } from '../../model/inventory.ts';
import type { Extractor, InventoryFragment } from '../extractor.ts';

const HASH_ALGS: Record<string, Hash['alg']> = { 'SHA-1': 'SHA-1', 'SHA-256': 'SHA-256', 'SHA-384': 'SHA-384', 'SHA-512': 'SHA-512', MD5: 'MD5', SHA1: 'SHA-1', SHA256: 'SHA-256', SHA384: 'SHA-384', SHA512: 'SHA-512' };

function fallbackPurl(name: string, version: string | undefined): string {
  return makePurl({ type: 'generic', name: name || 'unnamed', version });
}

type Json = Record<string, unknown>;

interface CdxComponent {
  'bom-ref'?: string; name?: string; version?: string; purl?: string; group?: string; description?: string;
  licenses?: { license?: { id?: string; name?: string }; expression?: string }[];
  hashes?: { alg?: string; content?: string }[]; components?: CdxComponent[]; scope?: string;
  supplier?: { name?: string; url?: string[] }; author?: string;
  externalReferences?: { type?: string; url?: string }[];
  pedigree?: { ancestors?: { purl?: string }[] };
}

function cdxComponent(c: CdxComponent, file: string): Component {
  const name = c.group ? `${c.group}/${c.name ?? ''}` : c.name ?? '';
  const purl = c.purl ?? fallbackPurl(name, c.version);
  const declared = (c.licenses ?? []).map((l) => l.expression ?? l.license?.id ?? l.license?.name).filter((x): x is string => !!x);
  const lic = mapLicenses(declared);
  const out: Component = {
    purl, name, version: c.version ?? '', ecosystem: ecosystemOfPurl(purl),
    licenses: [...lic.spdx, ...lic.raw], sourceFile: file, description: c.description,
  };
  const hashes = (c.hashes ?? []).filter((h) => h.alg && h.content && HASH_ALGS[h.alg]).map((h) => ({ alg: HASH_ALGS[h.alg!]!, value: h.content! }));
  if (hashes.length) out.hashes = hashes;
  if (c.supplier?.name) out.supplier = { name: c.supplier.name, url: c.supplier.url?.[0] };
  const vcs = c.externalReferences?.find((r) => r.type === 'vcs');
  if (vcs?.url) out.provenance = { type: 'git', url: vcs.url };
  // A pedigree ancestor is what this component was derived from: a renamed or forked package.
  const ancestors = (c.pedigree?.ancestors ?? []).map((a) => a.purl).filter((x): x is string => !!x);
  if (ancestors.length) out.properties = { ...out.properties, 'marque:derivedFrom': ancestors.join(' ') };
  return out;
}

export function parseCycloneDx(doc: Json, file: string): InventoryFragment {
  const spec = String(doc['specVersion'] ?? '');
  if (!/^1\.[2-7]$/.test(spec)) throw new InputError(`CycloneDX specVersion "${spec}" is not supported (1.4–1.6 are)`, file, 1);
  const b = new FragmentBuilder();
  const byRef = new Map<string, string>();
  const scopes = new Map<string, string>();
  const visit = (c: CdxComponent, parent?: string) => {
    const comp = cdxComponent(c, file);
    const purl = b.component(comp);
    if (c['bom-ref']) byRef.set(c['bom-ref'], purl);
    if (c.scope) scopes.set(purl, c.scope);
    if (parent) b.edge(parent, purl, 'runtime'); // nested = contained in its parent
    for (const child of c.components ?? []) visit(child, purl);
  };
  const meta = (doc['metadata'] ?? {}) as { component?: CdxComponent };
  let root: string | undefined;
  if (meta.component) {
    const rc = cdxComponent(meta.component, file);
    rc.root = true;
    root = b.component(rc);
    if (meta.component['bom-ref']) byRef.set(meta.component['bom-ref'], root);
  }
  for (const c of (doc['components'] ?? []) as CdxComponent[]) visit(c);
  const deps = (doc['dependencies'] ?? []) as { ref?: string; dependsOn?: string[] }[];
  const kindOf = (purl: string): DependencyKind => (scopes.get(purl) === 'optional' ? 'optional' : 'runtime');
  for (const d of deps) {
    const from = d.ref ? byRef.get(d.ref) : undefined;
    if (!from) continue;
    for (const ref of d.dependsOn ?? []) {
      const to = byRef.get(ref);
      if (to) b.edge(from, to, kindOf(to));
      else b.missing({ key: ref, package: from, from, file, reason: 'dependsOn names a bom-ref that is not in the SBOM' });
    }
  }
  if (root && deps.length === 0) {
    // No dependency graph in the SBOM: everything hangs off the described component, depth unknown beyond 1.
    for (const c of b.build().components) if (c.purl !== root) b.edge(root, c.purl, kindOf(c.purl));
  }
  return b.build();
}

interface SpdxPackage {
  SPDXID: string; name?: string; versionInfo?: string; supplier?: string; downloadLocation?: string;
  licenseConcluded?: string; licenseDeclared?: string; description?: string; homepage?: string;
  externalRefs?: { referenceType?: string; referenceLocator?: string }[];
  checksums?: { algorithm?: string; checksumValue?: string }[];
}

const SPDX_KIND: Record<string, [DependencyKind, boolean]> = {
  // [kind, reversed]: X_OF relationships point from the dependency to its dependent.
  DEPENDS_ON: ['runtime', false], DEPENDENCY_OF: ['runtime', true], CONTAINS: ['runtime', false], CONTAINED_BY: ['runtime', true],
  DEV_DEPENDENCY_OF: ['dev', true], TEST_DEPENDENCY_OF: ['test', true], BUILD_DEPENDENCY_OF: ['build', true],
  OPTIONAL_DEPENDENCY_OF: ['optional', true], RUNTIME_DEPENDENCY_OF: ['runtime', true], PROVIDED_DEPENDENCY_OF: ['runtime', true],
  DEV_TOOL_OF: ['dev', true], BUILD_TOOL_OF: ['build', true], TEST_TOOL_OF: ['test', true], DOCUMENTATION_OF: ['doc', true],
  PREREQUISITE_FOR: ['runtime', true], HAS_PREREQUISITE: ['runtime', false],
};

export function parseSpdx(doc: Json, file: string): InventoryFragment {
  const version = String(doc['spdxVersion'] ?? '');
  if (!/^SPDX-2\.[23]$/.test(version)) throw new InputError(`"${version}" is not supported (SPDX-2.2 and SPDX-2.3 JSON are)`, file, 1);
  const b = new FragmentBuilder();
  const byId = new Map<string, string>();
  for (const p of (doc['packages'] ?? []) as SpdxPackage[]) {
    const purlRef = p.externalRefs?.find((r) => r.referenceType === 'purl')?.referenceLocator;
    const purl = purlRef ?? fallbackPurl(p.name ?? p.SPDXID, p.versionInfo);
    const declared = [p.licenseDeclared, p.licenseConcluded].find((l) => l && l !== 'NOASSERTION' && l !== 'NONE');
    const lic = mapLicenses(declared ? [declared] : []);
    const c: Component = {
      purl, name: p.name ?? '', version: p.versionInfo ?? '', ecosystem: ecosystemOfPurl(purl),
      licenses: [...lic.spdx, ...lic.raw], sourceFile: file, description: p.description,
    };
    const hashes = (p.checksums ?? []).filter((h) => h.algorithm && HASH_ALGS[h.algorithm]).map((h) => ({ alg: HASH_ALGS[h.algorithm!]!, value: h.checksumValue! }));
    if (hashes.length) c.hashes = hashes;
    if (p.supplier && p.supplier !== 'NOASSERTION') c.supplier = { name: p.supplier.replace(/^(Organization|Person):\s*/, '') };
    if (p.homepage && p.homepage !== 'NOASSERTION') c.homepage = p.homepage;
    if (p.downloadLocation && /^https?:/.test(p.downloadLocation)) c.distribution = p.downloadLocation;
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
  for (const id of described) {
    const purl = byId.get(id);
    if (purl) b.markRoot(purl);
  }
  return b.build();
}

/** Recognise the SBOM format from its content, not its name. */
export function parseSbom(text: string, file: string): InventoryFragment {
  let doc: Json;
  try {
    doc = JSON.parse(text) as Json;
  } catch (e) {
    throw new InputError(`malformed JSON: ${(e as Error).message}`, file);
  }
  if (doc['bomFormat'] === 'CycloneDX') return parseCycloneDx(doc, file);
  if (typeof doc['spdxVersion'] === 'string') return parseSpdx(doc, file);
  throw new InputError('neither a CycloneDX JSON SBOM (bomFormat) nor an SPDX JSON document (spdxVersion)', file, 1);
}

export function isSbomName(name: string): boolean {
  return /(^|[._-])(bom|sbom|cdx|cyclonedx|spdx)(\.[a-z0-9]+)?\.json$/i.test(name) || /\.(cdx|spdx)\.json$/i.test(name);
}

export const sbomExtractor: Extractor = {
  id: 'sbom',
  claims: (_rel, name) => isSbomName(name),
  extract: (files, ctx) => parseLockfiles(files, ctx, (text, f) => parseSbom(text, f.rel)),
};
