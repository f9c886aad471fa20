// SPDX 3.0 JSON-LD: a @graph of elements. software_Package elements (with their packageUrl
// external identifier), Relationship elements (from, relationshipType, to[]) and the SpdxDocument's
// rootElement, read into the shape of SPDX 2.3 JSON so one reader serves both.
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

export function spdx3ToJson(doc: El, file: string): El {
  const graph = doc['@graph'];
  if (!Array.isArray(graph)) throw new InputError('SPDX 3 JSON-LD without a @graph', file, 1);
  const id = (e: El) => String(e['spdxId'] ?? e['@id'] ?? '');
  const type = (e: El) => String(e['type'] ?? e['@type'] ?? '');
  const packages: El[] = [];
  const relationships: El[] = [];
  const describes: string[] = [];
  for (const e of graph as El[]) {
    const t = type(e);
    // software_Package and its profiles' subclasses (ai_AIPackage, dataset_DatasetPackage).
    if (/(^|_)\w*Package$/.test(t)) {
      const purl = (e['externalIdentifier'] as El[] | undefined)?.find((x) => x['externalIdentifierType'] === 'packageUrl')?.['identifier'] ?? e['software_packageUrl'];
      packages.push({
        SPDXID: id(e), name: e['name'], versionInfo: e['software_packageVersion'],
        ...(typeof purl === 'string' ? { externalRefs: [{ referenceCategory: 'PACKAGE-MANAGER', referenceType: 'purl', referenceLocator: purl }] } : {}),
        ...(typeof e['software_downloadLocation'] === 'string' ? { downloadLocation: e['software_downloadLocation'] } : {}),
        ...(typeof e['software_homePage'] === 'string' ? { homepage: e['software_homePage'] } : {}),
        ...(typeof e['description'] === 'string' ? { description: e['description'] } : {}),
      });
    } else if (t === 'Relationship' || t === 'LifecycleScopedRelationship') {
      // A lifecycle scope on dependsOn says for what the dependency is needed (SPDX 3 LifecycleScopeType).
      const scoped = e['relationshipType'] === 'dependsOn' ? SCOPED[String(e['scope'] ?? '')] : undefined;
      const spec = scoped ? [scoped, true] as [string, boolean] : REL[String(e['relationshipType'])];
      if (!spec) continue;
      for (const to of (Array.isArray(e['to']) ? e['to'] : [e['to']]) as unknown[]) {
        if (typeof to !== 'string' || typeof e['from'] !== 'string') continue;
        // SPDX 2's names for the reversed relationships point from the dependency to its user.
        relationships.push(spec[1] ? { spdxElementId: to, relationshipType: spec[0], relatedSpdxElement: e['from'] } : { spdxElementId: e['from'], relationshipType: spec[0], relatedSpdxElement: to });
      }
    } else if (t === 'SpdxDocument') {
      for (const r of (e['rootElement'] ?? []) as unknown[]) if (typeof r === 'string') describes.push(r);
    } else if (t === 'software_Sbom') {
      for (const r of (e['rootElement'] ?? []) as unknown[]) if (typeof r === 'string') describes.push(r);
    }
  }
  return { spdxVersion: 'SPDX-2.3', SPDXID: 'SPDXRef-DOCUMENT', packages, relationships, documentDescribes: describes };
}
