// SPDX 2.x tag-value ("Tag: Value" lines, <text>…</text> blocks), read into the shape of SPDX JSON
// so one reader serves both. Packages start at PackageName; files, snippets and licences are skipped.
import { InputError } from '../../util/errors.ts';

export function spdxTagValueToJson(text: string, file: string): Record<string, unknown> {
  const doc: Record<string, unknown> = { packages: [] as unknown[], relationships: [] as unknown[], documentDescribes: [] as string[] };
  const packages = doc['packages'] as Record<string, unknown>[];
  const relationships = doc['relationships'] as Record<string, unknown>[];
  let pkg: Record<string, unknown> | undefined;
  let section: 'document' | 'package' | 'other' = 'document';
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!.replace(/\r$/, '');
    if (!line.trim() || line.startsWith('#')) continue;
    const m = /^([A-Za-z][A-Za-z0-9]*)\s*:\s?(.*)$/.exec(line);
    if (!m) throw new InputError(`malformed SPDX tag-value line "${line.slice(0, 60)}"`, file, i + 1);
    const tag = m[1]!;
    let value = m[2]!;
    if (value.startsWith('<text>')) {
      // A multi-line value runs to the closing </text>.
      let v = value.slice(6);
      while (!v.includes('</text>') && i + 1 < lines.length) v += `\n${lines[++i]}`;
      if (!v.includes('</text>')) throw new InputError(`<text> of ${tag} is not closed`, file, i + 1);
      value = v.slice(0, v.indexOf('</text>'));
    }
    value = value.trim();
    if (tag === 'PackageName') { pkg = { name: value, externalRefs: [], checksums: [] }; packages.push(pkg); section = 'package'; continue; }
    if (tag === 'FileName' || tag === 'SnippetSPDXID' || tag === 'LicenseID') { section = 'other'; pkg = undefined; continue; }
    if (tag === 'Relationship') {
      const [a, type, z] = value.split(/\s+/);
      if (a && type && z) relationships.push({ spdxElementId: a, relationshipType: type, relatedSpdxElement: z });
      continue;
    }
    if (section === 'document') {
      if (tag === 'SPDXVersion') doc['spdxVersion'] = value;
      else if (tag === 'SPDXID') doc['SPDXID'] = value;
      else if (tag === 'DocumentName') doc['name'] = value;
      else if (tag === 'DocumentNamespace') doc['documentNamespace'] = value;
      else if (tag === 'Creator') ((doc['creationInfo'] ??= { creators: [] }) as { creators: string[] }).creators.push(value);
      else if (tag === 'Created') ((doc['creationInfo'] ??= { creators: [] }) as Record<string, unknown>)['created'] = value;
      continue;
    }
    if (section !== 'package' || !pkg) continue;
    switch (tag) {
      case 'SPDXID': pkg['SPDXID'] = value; break;
      case 'PackageVersion': pkg['versionInfo'] = value; break;
      case 'PackageSupplier': pkg['supplier'] = value; break;
      case 'PackageOriginator': pkg['originator'] = value; break;
      case 'PackageFileName': pkg['packageFileName'] = value; break;
      case 'PackageSourceInfo': pkg['sourceInfo'] = value; break;
      case 'PrimaryPackagePurpose': pkg['primaryPackagePurpose'] = value; break;
      case 'PackageDownloadLocation': pkg['downloadLocation'] = value; break;
      case 'PackageHomePage': pkg['homepage'] = value; break;
      case 'PackageLicenseConcluded': pkg['licenseConcluded'] = value; break;
      case 'PackageLicenseDeclared': pkg['licenseDeclared'] = value; break;
      case 'PackageDescription': pkg['description'] = value; break;
      case 'PackageChecksum': { const [alg, sum] = value.split(/:\s*/); if (alg && sum) (pkg['checksums'] as unknown[]).push({ algorithm: alg.trim(), checksumValue: sum.trim() }); break; }
      case 'ExternalRef': { const [category, type, locator] = value.split(/\s+/); if (category && type && locator) (pkg['externalRefs'] as unknown[]).push({ referenceCategory: category, referenceType: type, referenceLocator: locator }); break; }
      default: break;
    }
  }
  if (typeof doc['spdxVersion'] !== 'string') throw new InputError('not an SPDX tag-value document (no SPDXVersion)', file, 1);
  return doc;
}
