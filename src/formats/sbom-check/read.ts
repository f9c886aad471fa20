// Any SBOM Marque reads, as facts for sbom check: the format is told from the content, as the
// inventory's reader does (src/sources/sbom/extractor.ts), and the same safe parsers are used.
import { parseJsonText } from '../../util/json.ts';
import { InputError } from '../../util/errors.ts';
import { cycloneDxXmlToJson } from '../../sources/sbom/cyclonedx-xml.ts';
import { spdxTagValueToJson } from '../../sources/sbom/spdx-tag-value.ts';
import { isSpdx3 } from '../../sources/sbom/spdx3.ts';
import { cycloneDxFacts } from './read-cyclonedx.ts';
import { spdx2Facts } from './read-spdx2.ts';
import { spdx3Facts } from './read-spdx3.ts';
import type { SbomFacts } from './facts.ts';

export function sbomFactsOfText(text: string, file: string): SbomFacts {
  const start = text.replace(/^\uFEFF/, '').trimStart();
  if (start.startsWith('<')) return cycloneDxFacts(cycloneDxXmlToJson(text, file), file, 'xml');
  if (/^SPDXVersion\s*:/m.test(start.slice(0, 4096)) && !start.startsWith('{')) return spdx2Facts(spdxTagValueToJson(text, file), file, 'tag-value');
  return sbomFactsOfJson(parseJsonText(text, file), file);
}

export function sbomFactsOfJson(doc: unknown, file: string): SbomFacts {
  if (!doc || typeof doc !== 'object' || Array.isArray(doc)) throw new InputError('not an SBOM: the top level is not an object', file, 1);
  const d = doc as Record<string, unknown>;
  if (isSpdx3(d)) return spdx3Facts(d, file);
  if (d['bomFormat'] === 'CycloneDX') return cycloneDxFacts(d, file, 'json');
  if (typeof d['spdxVersion'] === 'string') return spdx2Facts(d, file, 'json');
  throw new InputError('neither CycloneDX (bomFormat), SPDX 2 (spdxVersion) nor SPDX 3 JSON-LD (@context)', file, 1);
}
