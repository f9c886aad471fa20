// SPDX 3.0 JSON-LD as facts, by the mapping of BSI TR-03183-2 v2.1.0 §8.2: CreationInfo.createdBy
// and created; the software_Sbom's spdxId as the SBOM-URI; per software_Package originatedBy,
// its distribution artefact (a software_File through hasDistributionArtifact: name, SHA-512,
// software_additionalPurpose), the source artefact that generates it, licences by relationship
// (hasConcludedLicense, hasDeclaredLicense), dependsOn/contains with their completeness.
import { emptyParty, newComponent, UNAVAILABLE_PREFIX, type ComponentFacts, type Completeness, type Party, type SbomFacts } from './facts.ts';

type El = Record<string, unknown>;
const str = (v: unknown): string | undefined => (typeof v === 'string' && v.trim() ? v.trim() : undefined);
const arr = (v: unknown): unknown[] => (Array.isArray(v) ? v : v === undefined || v === null ? [] : [v]);
const idOf = (e: El) => String(e['spdxId'] ?? e['@id'] ?? '');
const typeOf = (e: El) => String(e['type'] ?? e['@type'] ?? '');
const PACKAGE = /(^|_)\w*Package$/;
const COMPLETENESS: Record<string, Completeness> = { complete: 'complete', incomplete: 'incomplete', noAssertion: 'unknown' };

/** External identifiers of an element; SPDX 3.0.1 names the list externalIdentifier, the TR's table "externalIdentifers". */
function identifiers(e: El): { type: string; id: string }[] {
  return [...arr(e['externalIdentifier']), ...arr(e['externalIdentifiers']), ...arr(e['externalIdentifers'])]
    .map((x) => x as El).filter((x) => x && typeof x === 'object' && str(x['identifier']))
    .map((x) => ({ type: String(x['externalIdentifierType'] ?? ''), id: str(x['identifier'])! }));
}

function refs(e: El): { type: string; locator: string }[] {
  return arr(e['externalRef']).map((x) => x as El).filter((x) => x && typeof x === 'object')
    .flatMap((x) => arr(x['locator']).map((l) => ({ type: String(x['externalRefType'] ?? ''), locator: String(l) })));
}

const sha512Of = (e: El) => arr(e['verifiedUsing']).map((h) => h as El).filter((h) => h && String(h['algorithm']).toLowerCase() === 'sha512' && str(h['hashValue'])).map((h) => ({ alg: 'SHA-512', value: str(h['hashValue'])! }));

/** SPDX 2.3's relationship types (§11), upper case: SPDX 3 names its own in lower camel case. */
const SPDX2_NAMES = new Set(['DESCRIBES', 'DESCRIBED_BY', 'CONTAINS', 'CONTAINED_BY', 'DEPENDS_ON', 'DEPENDENCY_OF', 'DEV_DEPENDENCY_OF', 'BUILD_DEPENDENCY_OF', 'RUNTIME_DEPENDENCY_OF', 'OPTIONAL_DEPENDENCY_OF', 'STATIC_LINK', 'DYNAMIC_LINK', 'PREREQUISITE_FOR', 'HAS_PREREQUISITE', 'GENERATES', 'GENERATED_FROM']);

export function spdx3Facts(doc: El, file: string): SbomFacts {
  const graph = arr(doc['@graph']).filter((e): e is El => !!e && typeof e === 'object');
  const byId = new Map<string, El>();
  for (const e of graph) { const id = idOf(e); if (id) byId.set(id, e); }
  const deref = (v: unknown): El | undefined => (typeof v === 'string' ? byId.get(v) : v && typeof v === 'object' ? v as El : undefined);

  const agent = (ids: unknown, from: string): Party => {
    const p: Party = { ...emptyParty(), from };
    for (const ref of arr(ids)) {
      const a = deref(ref);
      if (!a) continue;
      if (str(a['name'])) p.names.push(str(a['name'])!);
      for (const x of identifiers(a)) {
        if (x.type === 'email' || /^[^@\s]+@[^@\s]+$/.test(x.id)) p.emails.push(x.id.replace(/^mailto:/, ''));
        else if (/^https?:\/\//.test(x.id)) p.urls.push(x.id);
      }
    }
    return p;
  };

  const document = graph.find((e) => typeOf(e) === 'SpdxDocument');
  const info = deref(document?.['creationInfo']) ?? graph.find((e) => typeOf(e) === 'CreationInfo');
  const sbom = graph.find((e) => typeOf(e) === 'software_Sbom');
  const roots = new Set([...arr(sbom?.['rootElement']), ...arr(document?.['rootElement'])].map(String));
  // A root that is itself the software_Sbom points on to the Sbom's own roots.
  if (sbom) for (const r of arr(sbom['rootElement'])) roots.add(String(r));

  const components = new Map<string, ComponentFacts>();
  const spdx2Names = new Set<string>();
  for (const e of graph) {
    if (!PACKAGE.test(typeOf(e))) continue;
    const f = newComponent(idOf(e));
    f.primary = roots.has(f.ref);
    f.name = str(e['name']);
    f.version = str(e['software_packageVersion']);
    f.type = str(e['software_primaryPurpose']);
    f.creator = agent(e['originatedBy'], 'originatedBy');
    f.supplier = agent(e['suppliedBy'], 'suppliedBy');
    for (const x of identifiers(e)) {
      if (x.type === 'packageUrl') f.identifiers.purl ??= x.id;
      else if (x.type === 'cpe22' || x.type === 'cpe23') f.identifiers.cpe ??= x.id;
      else if (x.type === 'swid') f.identifiers.swid ??= x.id;
    }
    if (str(e['software_packageUrl'])) f.identifiers.purl ??= str(e['software_packageUrl']);
    for (const r of refs(e)) {
      if (r.type === 'securityOther' && /security\.txt$/.test(r.locator)) f.securityTxt ??= r.locator;
      else if (r.type === 'vcs') f.vcsUri ??= r.locator;
      else if (r.type === 'sourceArtifact' || r.type === 'SourceArtifact') f.sourceUri ??= r.locator;
      else if (r.type === 'binaryArtifact') f.deployableUri ??= r.locator;
    }
    if (str(e['software_downloadLocation'])) f.deployableUri ??= str(e['software_downloadLocation']);
    // Marque's reasons for what it cannot give, as CycloneDX-style properties (extension_CdxPropertiesExtension).
    for (const x of arr(e['extension'])) {
      for (const prop of arr((x as El)?.['extension_cdxProperty'])) {
        const name = str((prop as El)?.['extension_cdxPropName']);
        if (name?.startsWith(UNAVAILABLE_PREFIX)) f.unavailable[name.slice(UNAVAILABLE_PREFIX.length)] = str((prop as El)['extension_cdxPropValue']) ?? '';
      }
    }
    components.set(f.ref, f);
  }

  let vulnerabilities = 0;
  const licenceText = (v: unknown): string | undefined => {
    const l = deref(v);
    if (!l) return typeof v === 'string' ? v.replace(/^https?:\/\/spdx\.org\/licenses\//, '') : undefined;
    return str(l['simplelicensing_licenseExpression']) ?? str(l['licenseExpression']) ?? str(l['name']) ?? idOf(l).replace(/^https?:\/\/spdx\.org\/licenses\//, '');
  };
  for (const e of graph) {
    const t = typeOf(e);
    if (t.startsWith('security_') && /Vulnerability$|VulnAssessmentRelationship$/.test(t)) { vulnerabilities++; continue; }
    if (t !== 'Relationship' && t !== 'LifecycleScopedRelationship') continue;
    const rel = String(e['relationshipType'] ?? '');
    const to = arr(e['to']);
    const from = str(e['from']);
    if (rel === 'generates') {
      // The source artefact that generates a package: its SourceArtifact locator and hash (§8.2 Table 11, 12).
      const src = deref(from);
      for (const target of to) {
        const f = components.get(String(target));
        if (!f || !src) continue;
        const loc = refs(src).find((r) => /^sourceArtifact$/i.test(r.type) || r.type === 'vcs')?.locator ?? str(src['software_downloadLocation']);
        if (loc) f.sourceUri ??= loc;
        if (sha512Of(src).length) f.sourceHash = true;
      }
      continue;
    }
    const f = from ? components.get(from) : undefined;
    if (!f) continue;
    if (SPDX2_NAMES.has(rel)) spdx2Names.add(rel);
    if (rel === 'dependsOn' || rel === 'contains') {
      f.dependenciesListed = true;
      // NoneElement: it has none; NoAssertionElement: not known (SPDX 3.0.1 Core individuals).
      for (const x of to) if (x !== 'NoneElement' && x !== 'NoAssertionElement' && !f.dependsOn.includes(String(x))) f.dependsOn.push(String(x));
      const c = COMPLETENESS[String(e['completeness'] ?? '')] ?? 'not stated';
      if (f.completeness === 'not stated' || (f.completeness === 'complete' && c !== 'complete')) f.completeness = c;
    } else if (rel === 'hasConcludedLicense') {
      for (const x of to) { const l = licenceText(x); if (l) f.distributionLicences.push(l); }
    } else if (rel === 'hasDeclaredLicense') {
      for (const x of to) { const l = licenceText(x); if (l) f.originalLicences.push(l); }
    } else if (rel === 'other' && /hasEffectiveLicen[cs]e/.test(String(e['comment'] ?? ''))) {
      f.effectiveLicence = licenceText(to[0]);
    } else if (rel === 'hasDistributionArtifact') {
      for (const x of to) {
        const art = deref(x);
        if (!art) continue;
        f.filename ??= str(art['name']);
        f.deployableHashes.push(...sha512Of(art));
        for (const r of refs(art)) if (r.type === 'binaryArtifact') f.deployableUri = r.locator;
        if (str(art['software_downloadLocation'])) f.deployableUri = str(art['software_downloadLocation']);
        // §8.2 Table 9: a purpose listed means the property holds; absent means it does not.
        const purposes = new Set([...arr(art['software_additionalPurpose']), art['software_primaryPurpose']].map(String));
        f.executable = purposes.has('executable') ? 'executable' : 'non-executable';
        f.archive = purposes.has('archive') ? 'archive' : 'no archive';
        if (purposes.has('container')) f.structured = 'structured';
        else if (purposes.has('firmware')) f.structured = 'unstructured';
      }
    }
  }
  const created = info ? str(info['created']) : undefined;
  return {
    file, format: 'SPDX', specVersion: info ? String(info['specVersion'] ?? '3') : '3', encoding: 'json-ld',
    creator: agent(info?.['createdBy'], 'CreationInfo.createdBy'),
    tools: arr(info?.['createdUsing']).map((t) => str(deref(t)?.['name']) ?? String(t)),
    timestamp: created, uri: sbom ? idOf(sbom) : document ? idOf(document) : undefined,
    vulnerabilities, components: [...components.values()],
    // Microsoft sbom-tool writes SPDX 2's relationship names into SPDX 3: a conformance check counts none of them.
    notes: spdx2Names.size ? [`relationships named as in SPDX 2 (${[...spdx2Names].sort().join(', ')}) are not SPDX 3.0.1's vocabulary (dependsOn, contains, …): not counted as dependencies here (marque inventory reads them, with a warning)`] : [],
  };
}
