// A release's components from an uploaded SBOM (CycloneDX or SPDX JSON), with depth and scope, as
// the inventory gives them: the same readers and graph as "marque inventory bom.json".
import { repositoryProperties, type ReleaseComponent, type ReleaseUnlisted } from '../model/portfolio.ts';
import type { ProductInfo } from '../model/product.ts';
import { markedUnresolved, parseCycloneDx, parseSpdx, sbomNotAnalysed } from '../sources/sbom/extractor.ts';
import { sbomSubject } from '../sources/sbom/identity.ts';
import { checkShape } from '../sources/common/shape.ts';
import { InputError } from '../util/errors.ts';
import { finish, resolveOptions } from './inventory.ts';

/**
 * `unlisted`: the dependencies the SBOM says Marque could not turn into components (its marque:unresolved marks, each
 * with its kind and the component that declared it) and the lockfiles it says Marque did not read (its
 * marque:notAnalysed marks), as "marque push" sends them; undefined when it says none: what the server's coverage
 * counts as unlisted for a release uploaded as an SBOM alone.
 */
export interface IngestedSbom { subject?: ProductInfo; components: ReleaseComponent[]; problems: string[]; unlisted?: ReleaseUnlisted }

export function ingestSbom(doc: unknown, name = 'upload'): IngestedSbom {
  if (!doc || typeof doc !== 'object' || Array.isArray(doc)) throw new InputError('neither a CycloneDX JSON SBOM nor an SPDX JSON document', name);
  const d = doc as Record<string, unknown>;
  let fragment;
  if (d['bomFormat'] === 'CycloneDX') { checkShape('CycloneDX', d, name); fragment = parseCycloneDx(d, name); }
  else if (typeof d['spdxVersion'] === 'string') { checkShape('SPDX', d, name); fragment = parseSpdx(d, name); }
  else throw new InputError('neither a CycloneDX JSON SBOM (bomFormat) nor an SPDX JSON document (spdxVersion)', name);
  const inv = finish({ components: fragment.components, dependencies: fragment.dependencies, unresolved: fragment.unresolved ?? [], problems: fragment.problems ?? [], notes: fragment.notes ?? [] }, '', resolveOptions({}));
  // As "marque push" sends them (api/push.ts releaseUnlisted).
  const unresolved = markedUnresolved(fragment).map((u) => ({ key: u.key, file: u.file, ...(u.line ? { line: u.line } : {}), ...(u.kind ? { kind: u.kind } : {}), ...(u.from ? { from: u.from } : {}) }));
  const notAnalysed = sbomNotAnalysed(d);
  const unlisted: ReleaseUnlisted | undefined = unresolved.length || notAnalysed.length ? { unresolved, notAnalysed } : undefined;
  return {
    subject: sbomSubject(d),
    components: inv.components.map((c) => {
      const properties = repositoryProperties(c);
      return {
        purl: c.purl, name: c.name, version: c.version, ecosystem: c.ecosystem, depth: c.depth, scope: c.kind, ...(c.firstParty ? { firstParty: true } : {}), ...(c.subject ? { subject: true } : {}),
        ...(c.provenance?.url ? { vcsUrl: c.provenance.url } : {}), ...(properties ? { properties } : {}),
      };
    }),
    problems: inv.problems.map((p) => p.message),
    ...(unlisted ? { unlisted } : {}),
  };
}
