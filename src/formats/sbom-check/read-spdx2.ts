// SPDX 2.2/2.3 (JSON, or tag-value read into the JSON shape) as facts. BSI TR-03183-2 v2.1.0 §4
// no longer allows SPDX 2; its fields are still read, by the SPDX 2.3 field that means the same
// (creators, created, documentNamespace; packageFileName, originator, checksums, downloadLocation,
// licenseConcluded/licenseDeclared, externalRefs), so that the report says what else is missing.
import { emptyParty, newComponent, type ComponentFacts, type Party, type SbomFacts } from './facts.ts';

type Json = Record<string, unknown>;
const str = (v: unknown): string | undefined => (typeof v === 'string' && v.trim() && v !== 'NOASSERTION' && v !== 'NONE' ? v.trim() : undefined);
const arr = (v: unknown): Json[] => (Array.isArray(v) ? v.filter((x): x is Json => !!x && typeof x === 'object') : []);

/** "Organization: Name (email)" or "Person: Name (email)" (SPDX 2.3 §6.8, §7.5); tools are not parties. */
export function spdx2Actor(text: string | undefined, from: string): Party | undefined {
  const m = text ? /^(Organization|Person)\s*:\s*([^()]*?)\s*(?:\(([^()]*)\))?\s*$/.exec(text) : null;
  if (!m) return undefined;
  const p: Party = { ...emptyParty(), from };
  if (m[2]) p.names.push(m[2]);
  const contact = m[3]?.trim();
  if (contact && /@/.test(contact)) p.emails.push(contact);
  else if (contact && /^https?:\/\//.test(contact)) p.urls.push(contact);
  return p;
}

const ALG: Record<string, string> = { SHA1: 'SHA-1', SHA256: 'SHA-256', SHA384: 'SHA-384', SHA512: 'SHA-512', MD5: 'MD5', 'SHA3-512': 'SHA3-512', BLAKE2b512: 'BLAKE2b-512' };

/** Relationships that say A depends on or contains B, with whether they are written from B's side. */
const DEPENDENCY: Record<string, boolean> = Object.assign(Object.create(null) as Record<string, boolean>, {
  DEPENDS_ON: false, CONTAINS: false, HAS_PREREQUISITE: false, STATIC_LINK: false, DYNAMIC_LINK: false,
  DEPENDENCY_OF: true, CONTAINED_BY: true, RUNTIME_DEPENDENCY_OF: true, BUILD_DEPENDENCY_OF: true, DEV_DEPENDENCY_OF: true,
  OPTIONAL_DEPENDENCY_OF: true, PROVIDED_DEPENDENCY_OF: true, TEST_DEPENDENCY_OF: true, PREREQUISITE_FOR: true,
});

export function spdx2Facts(doc: Json, file: string, encoding: 'json' | 'tag-value'): SbomFacts {
  const info = (doc['creationInfo'] ?? {}) as Json;
  const creators = Array.isArray(info['creators']) ? (info['creators'] as unknown[]).filter((c): c is string => typeof c === 'string') : [];
  const creator: Party = { ...emptyParty(), from: 'creationInfo.creators' };
  for (const c of creators) { const p = spdx2Actor(c, ''); if (p) { creator.names.push(...p.names); creator.emails.push(...p.emails); creator.urls.push(...p.urls); } }
  const byId = new Map<string, ComponentFacts>();
  const components: ComponentFacts[] = [];
  const described = new Set<string>(Array.isArray(doc['documentDescribes']) ? (doc['documentDescribes'] as string[]) : []);
  for (const r of arr(doc['relationships'])) if (r['relationshipType'] === 'DESCRIBES' && r['spdxElementId'] === doc['SPDXID'] && typeof r['relatedSpdxElement'] === 'string') described.add(r['relatedSpdxElement']);
  for (const p of arr(doc['packages'])) {
    const id = String(p['SPDXID'] ?? `packages#${components.length + 1}`);
    const f = newComponent(id);
    f.primary = described.has(id);
    f.name = str(p['name']);
    f.version = str(p['versionInfo']);
    f.type = str(p['primaryPackagePurpose']);
    f.creator = spdx2Actor(str(p['originator']), 'originator') ?? { ...emptyParty(), from: 'originator' };
    f.supplier = spdx2Actor(str(p['supplier']), 'supplier') ?? { ...emptyParty(), from: 'supplier' };
    f.filename = str(p['packageFileName']);
    const concluded = str(p['licenseConcluded']);
    const declared = str(p['licenseDeclared']);
    if (concluded) f.distributionLicences.push(concluded);
    if (declared) f.originalLicences.push(declared);
    // A package's checksums are of its package file: the deployable form when one is named.
    for (const c of arr(p['checksums'])) { const alg = ALG[String(c['algorithm'])] ?? String(c['algorithm']); if (str(c['checksumValue'])) f.deployableHashes.push({ alg, value: str(c['checksumValue'])! }); }
    const download = str(p['downloadLocation']);
    if (download && /^git\+|^(svn|hg|bzr)\+/.test(download)) f.vcsUri = download;
    else if (download) f.deployableUri = download;
    const source = str(p['sourceInfo']);
    if (source && /^[a-z][a-z0-9+.-]*:\/\//i.test(source)) f.sourceUri = source;
    for (const r of arr(p['externalRefs'])) {
      const t = String(r['referenceType'] ?? '');
      const loc = str(r['referenceLocator']);
      if (!loc) continue;
      if (t === 'purl') f.identifiers.purl ??= loc;
      else if (t === 'cpe23Type' || t === 'cpe22Type') f.identifiers.cpe ??= loc;
      else if (t === 'swid') f.identifiers.swid ??= loc;
    }
    components.push(f);
    byId.set(id, f);
  }
  for (const r of arr(doc['relationships'])) {
    const type = String(r['relationshipType'] ?? '');
    if (!(type in DEPENDENCY)) continue;
    const reversed = DEPENDENCY[type]!;
    const a = String(r['spdxElementId'] ?? '');
    const z = String(r['relatedSpdxElement'] ?? '');
    // "A DEPENDS_ON NONE" says A has none (complete); NOASSERTION says it is not known (SPDX 2.3 §11).
    if (!reversed && (z === 'NONE' || z === 'NOASSERTION')) {
      const f = byId.get(a);
      if (f) { f.dependenciesListed = true; f.completeness = z === 'NONE' ? 'complete' : 'unknown'; }
      continue;
    }
    const [from, to] = reversed ? [z, a] : [a, z];
    const f = byId.get(from);
    if (!f) continue;
    f.dependenciesListed = true;
    if (!f.dependsOn.includes(to)) f.dependsOn.push(to);
  }
  return {
    file, format: 'SPDX', specVersion: String(doc['spdxVersion'] ?? '').replace(/^SPDX-/, ''), encoding,
    creator, tools: creators.filter((c) => c.startsWith('Tool:')).map((c) => c.slice(5).trim()),
    timestamp: str(info['created']), uri: str(doc['documentNamespace']),
    vulnerabilities: 0, components, notes: [],
  };
}
