// The product an SBOM describes: CycloneDX metadata.component (with metadata.manufacturer or the
// component's supplier), SPDX documentDescribes / DESCRIBES. Never the file's name: two files
// called bom.json are not the same product.
import type { ProductInfo } from '../../model/product.ts';

type Json = Record<string, unknown>;
const str = (v: unknown) => (typeof v === 'string' && v.trim() ? v.trim() : undefined);

function org(v: unknown): ProductInfo['manufacturer'] {
  if (!v || typeof v !== 'object') return undefined;
  const o = v as { name?: unknown; url?: unknown; contact?: { email?: unknown }[] };
  const name = str(o.name);
  if (!name) return undefined;
  const url = Array.isArray(o.url) ? str(o.url[0]) : str(o.url);
  const email = Array.isArray(o.contact) ? str(o.contact[0]?.email) : undefined;
  return { name, ...(url ? { url } : {}), ...(email ? { email } : {}) };
}

/** The described product, or undefined when the SBOM does not say (the caller then asks for --product). */
export function sbomSubject(doc: Json): ProductInfo | undefined {
  if (doc['bomFormat'] === 'CycloneDX') {
    const meta = (doc['metadata'] ?? {}) as Json;
    const c = meta['component'] as Json | undefined;
    const name = str(c?.['name']);
    if (!c || !name) return undefined;
    const p: ProductInfo = { name, version: str(c['version']) ?? '' };
    const group = str(c['group']);
    if (group) p.group = group;
    const purl = str(c['purl']);
    if (purl) p.purl = purl;
    const description = str(c['description']);
    if (description) p.description = description;
    // 1.6 metadata.manufacturer, 1.4-1.5 metadata.manufacture, else the component's own manufacturer or supplier.
    const mf = org(meta['manufacturer']) ?? org(meta['manufacture']) ?? org(c['manufacturer']) ?? org(c['supplier']);
    if (mf) p.manufacturer = mf;
    return p;
  }
  if (typeof doc['spdxVersion'] === 'string') {
    const described = new Set<string>(Array.isArray(doc['documentDescribes']) ? (doc['documentDescribes'] as string[]) : []);
    for (const r of (Array.isArray(doc['relationships']) ? doc['relationships'] : []) as Json[]) {
      if (r['relationshipType'] === 'DESCRIBES' && r['spdxElementId'] === doc['SPDXID'] && typeof r['relatedSpdxElement'] === 'string') described.add(r['relatedSpdxElement']);
    }
    const packages = (Array.isArray(doc['packages']) ? doc['packages'] : []) as Json[];
    const subjects = packages.filter((p) => described.has(String(p['SPDXID'])));
    // Several described packages have no single identity; the user names the product.
    if (subjects.length !== 1) return undefined;
    const s = subjects[0]!;
    const name = str(s['name']);
    if (!name) return undefined;
    const p: ProductInfo = { name, version: str(s['versionInfo']) ?? '' };
    const purl = ((s['externalRefs'] ?? []) as Json[]).find((r) => r['referenceType'] === 'purl')?.['referenceLocator'];
    if (typeof purl === 'string') p.purl = purl;
    const supplier = str(s['supplier']);
    if (supplier && supplier !== 'NOASSERTION') p.manufacturer = { name: supplier.replace(/^(Organization|Person):\s*/, '') };
    return p;
  }
  return undefined;
}
