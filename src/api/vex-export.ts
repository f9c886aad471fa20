// Library entry point: findings in the standard exchange formats.
import type { Coverage, Finding } from '../model/advisory.ts';
import type { ProductInfo } from '../model/product.ts';
import { toCycloneDxVex } from '../formats/vex/cyclonedx.ts';
import { toCsafVex } from '../formats/vex/csaf.ts';
import { toOpenVex } from '../formats/vex/openvex.ts';
import { toSarif } from '../formats/vex/sarif.ts';
import { VERSION } from './defaults.ts';

export const FINDING_FORMATS = ['cyclonedx', 'openvex', 'sarif', 'csaf'] as const;
export type FindingFormat = typeof FINDING_FORMATS[number];

export function renderFindings(format: FindingFormat, product: ProductInfo, findings: Finding[], sourceFileOf?: (purl: string) => string | undefined, timestamp?: Date, coverage?: Coverage): Record<string, unknown> {
  const input = { product, findings, toolVersion: VERSION, sourceFileOf, timestamp, coverage };
  switch (format) {
    case 'cyclonedx': return toCycloneDxVex(input);
    case 'openvex': return toOpenVex(input);
    case 'sarif': return toSarif(input);
    case 'csaf': return toCsafVex(input);
  }
}
