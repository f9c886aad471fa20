// SPDX 3.0 JSON-LD: a @graph of elements. software_Package elements (with their packageUrl
// external identifier), Relationship elements (from, relationshipType, to[]), the SpdxDocument's
// rootElement and "other" Annotations of a package (Marque's marks), read into the shape of SPDX 2.3 JSON so one reader serves both.
import { InputError } from '../../util/errors.ts';

type El = Record<string, unknown>;
const REL: Record<string, [string, boolean]> = Object.assign(Object.create(null) as Record<string, [string, boolean]>, {
  dependsOn: ['DEPENDS_ON', false], contains: ['CONTAINS', false], hasDynamicLink: ['DYNAMIC_LINK', false], hasStaticLink: ['STATIC_LINK', false],
  hasOptionalDependency: ['OPTIONAL_DEPENDENCY_OF', true], hasDevelopmentTool: ['DEV_TOOL_OF', true], hasTest: ['TEST_OF', true], hasPrerequisite: ['PREREQUISITE_FOR', true],
});

const SCOPED: Record<string, string> = Object.assign(Object.create(null) as Record<string, string>, { test: 'TEST_DEPENDENCY_OF', build: 'BUILD_DEPENDENCY_OF', development: 'DEV_DEPENDENCY_OF', runtime: 'RUNTIME_DEPENDENCY_OF' });

export function isSpdx3(doc: El): boolean {
  const ctx = doc['@context'];
  return (typeof ctx === 'string' && ctx.includes('spdx.org/rdf/3')) || (Array.isArray(ctx) && ctx.some((c) => typeof c === 'string' && c.includes('spdx.org/rdf/3')));
}

/** SPDX 2 relationship names some writers put in SPDX 3 documents (Microsoft sbom-tool): read as SPDX 2 reads them. */
const SPDX2_NAMES = /^[A-Z][A-Z_]*$/;
const LICENCE_REL: Record<string, 'licenseDeclared' | 'licenseConcluded'> = Object.assign(Object.create(null) as Record<string, 'licenseDeclared' | 'licenseConcluded'>, {
  hasDeclaredLicense: 'licenseDeclared', hasConcludedLicense: 'licenseConcluded', HAS_DECLARED_LICENSE: 'licenseDeclared', HAS_CONCLUDED_LICENSE: 'licenseConcluded',
});

/** The licence an SPDX 3 licensing element stands for, as an SPDX expression; undefined for NOASSERTION/NONE or an element that is no licence. */
function licenceOf(e: El | undefined, id: string): string | undefined {
  // The vocabulary's individuals: https://spdx.org/rdf/3.0.1/terms/Expanded/NoAssertionLicense, …/NoneLicense.
  if (/\/(NoAssertion|None)License$/.test(id)) return undefined;
  if (!e) return undefined;
  const t = String(e['type'] ?? e['@type'] ?? '');
  let v: unknown;
  if (/LicenseExpression$/.test(t)) v = e['simplelicensing_licenseExpression'];
  else if (/ListedLicense$/.test(t)) v = /\/licenses\/([^/#]+)$/.exec(id)?.[1] ?? e['name'];
  else if (/(CustomLicense|License|AnyLicenseInfo|Element)$/.test(t)) v = e['name'] ?? /\/licenses\/([^/#]+)$/.exec(id)?.[1];
  if (typeof v !== 'string' || !v.trim() || /^(NOASSERTION|NONE)$/.test(v.trim())) return undefined;
  return v.trim();
}

/**
 * @param warn told once when the document speaks SPDX 2's vocabulary where SPDX 3.0.1 has its own
 *   (relationship "DEPENDS_ON" for "dependsOn", identifier type "purl" for "packageUrl"): those are read as meant.
 */
export function spdx3ToJson(doc: El, file: string, warn: (message: string) => void = () => {}): El {
  const graph = doc['@graph'];
  if (!Array.isArray(graph)) throw new InputError('SPDX 3 JSON-LD without a @graph', file, 1);
  const id = (e: El) => String(e['spdxId'] ?? e['@id'] ?? '');
  const type = (e: El) => String(e['type'] ?? e['@type'] ?? '');
  const byId = new Map<string, El>();
  for (const e of graph as El[]) if (e && typeof e === 'object') byId.set(id(e), e);
  const spdx2Spelling = new Set<string>();
  const packages: El[] = [];
  const byPackage = new Map<string, El>();
  const relationships: El[] = [];
  const describes: string[] = [];
  const documents = new Set<string>(['SPDXRef-DOCUMENT']);
  const later: El[] = [];
  for (const e of graph as El[]) {
    if (!e || typeof e !== 'object') continue;
    const t = type(e);
    // software_Package and its profiles' subclasses (ai_AIPackage, dataset_DatasetPackage).
    if (/(^|_)\w*Package$/.test(t)) {
      // An external identifier is an object in the element; sbom-tool writes it as a separate node named by its id.
      const ids = (Array.isArray(e['externalIdentifier']) ? e['externalIdentifier'] : []).map((x) => (typeof x === 'string' ? byId.get(x) : x) as El | undefined);
      const purlId = ids.find((x) => x?.['externalIdentifierType'] === 'packageUrl') ?? ids.find((x) => x?.['externalIdentifierType'] === 'purl');
      if (purlId?.['externalIdentifierType'] === 'purl') spdx2Spelling.add('external identifier type "purl" (SPDX 3.0.1: "packageUrl")');
      const purl = purlId?.['identifier'] ?? e['software_packageUrl'];
      // Hashes of the package itself; a PackageVerificationCode is a digest of its files, not of the package.
      const checksums = (Array.isArray(e['verifiedUsing']) ? e['verifiedUsing'] : [])
        .filter((h: El) => h && type(h) !== 'PackageVerificationCode' && typeof h['algorithm'] === 'string' && typeof h['hashValue'] === 'string')
        .map((h: El) => ({ algorithm: String(h['algorithm']).toUpperCase(), checksumValue: h['hashValue'] }));
      const supplier = typeof e['suppliedBy'] === 'string' ? byId.get(e['suppliedBy']) : undefined;
      const supplierName = typeof supplier?.['name'] === 'string' && !/^((Organization|Person):\s*)?NOASSERTION$/.test(supplier['name']) ? supplier['name'] : undefined;
      const p: El = {
        SPDXID: id(e), name: e['name'], versionInfo: e['software_packageVersion'],
        ...(typeof purl === 'string' ? { externalRefs: [{ referenceCategory: 'PACKAGE-MANAGER', referenceType: 'purl', referenceLocator: purl }] } : {}),
        ...(typeof e['software_downloadLocation'] === 'string' ? { downloadLocation: e['software_downloadLocation'] } : {}),
        ...(typeof e['software_homePage'] === 'string' ? { homepage: e['software_homePage'] } : {}),
        ...(typeof e['description'] === 'string' ? { description: e['description'] } : {}),
        ...(checksums.length ? { checksums } : {}),
        ...(supplierName ? { supplier: /^(Organization|Person):/.test(supplierName) ? supplierName : `${type(supplier!) === 'Person' ? 'Person' : 'Organization'}: ${supplierName}` } : {}),
      };
      packages.push(p);
      byPackage.set(id(e), p);
    } else if (t === 'Relationship' || t === 'LifecycleScopedRelationship' || t === 'Annotation') {
      later.push(e);
    } else if (t === 'SpdxDocument' || t === 'software_Sbom') {
      documents.add(id(e));
      for (const r of (e['rootElement'] ?? []) as unknown[]) if (typeof r === 'string') describes.push(r);
    }
  }
  for (const e of later) {
    if (type(e) === 'Annotation') {
      // Marque's marks, as its SPDX 3 writer puts them: an "other" annotation of the package whose statement is "name=value",
      // read as SPDX 2's OTHER annotations are.
      const p = typeof e['subject'] === 'string' ? byPackage.get(e['subject']) : undefined;
      if (p && /(^|\/)other$/.test(String(e['annotationType'])) && typeof e['statement'] === 'string') {
        p['annotations'] = [...((p['annotations'] as El[] | undefined) ?? []), { annotationType: 'OTHER', comment: e['statement'] }];
      }
      continue;
    }
    const rt = String(e['relationshipType']);
    const from = e['from'];
    const tos = (Array.isArray(e['to']) ? e['to'] : [e['to']]).filter((x): x is string => typeof x === 'string');
    if (typeof from !== 'string') continue;
    if (SPDX2_NAMES.test(rt)) spdx2Spelling.add(`relationship type "${rt}"`);
    const licence = LICENCE_REL[rt];
    if (licence) {
      const p = byPackage.get(from);
      const exprs = tos.map((to) => licenceOf(byId.get(to), to)).filter((x): x is string => !!x);
      if (p && exprs.length && p[licence] === undefined) p[licence] = exprs.length === 1 ? exprs[0] : exprs.map((x) => `(${x})`).join(' AND ');
      continue;
    }
    if ((rt === 'describes' || rt === 'DESCRIBES') && documents.has(from)) { describes.push(...tos); continue; }
    // SPDX 2's spelling, as sbom-tool writes it: the SPDX 2 reader knows these names and their directions.
    if (SPDX2_NAMES.test(rt)) { for (const to of tos) relationships.push({ spdxElementId: from, relationshipType: rt, relatedSpdxElement: to }); continue; }
    // A lifecycle scope on dependsOn says for what the dependency is needed (SPDX 3 LifecycleScopeType).
    const scoped = rt === 'dependsOn' ? SCOPED[String(e['scope'] ?? '')] : undefined;
    const spec = scoped ? [scoped, true] as [string, boolean] : REL[rt];
    if (!spec) continue;
    for (const to of tos) {
      // SPDX 2's names for the reversed relationships point from the dependency to its user.
      relationships.push(spec[1] ? { spdxElementId: to, relationshipType: spec[0], relatedSpdxElement: from } : { spdxElementId: from, relationshipType: spec[0], relatedSpdxElement: to });
    }
  }
  if (spdx2Spelling.size) warn(`written with SPDX 2 names where SPDX 3.0.1 has its own (${[...spdx2Spelling].slice(0, 3).join(', ')}${spdx2Spelling.size > 3 ? ', …' : ''}); read as SPDX 2 means them`);
  return { spdxVersion: 'SPDX-2.3', SPDXID: 'SPDXRef-DOCUMENT', packages, relationships, documentDescribes: [...new Set(describes)] };
}
