// marque.yaml: loading and validation against the published JSON Schema, with errors that name
// file, line and the path inside the document.
import { readFile } from 'node:fs/promises';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { Ajv } from 'ajv';
import addFormatsModule from 'ajv-formats';
import { LineCounter, parseDocument, isMap, isNode, isScalar } from 'yaml';
import { InputError } from '../util/errors.ts';
import type { ProductInfo } from '../model/product.ts';
import { PACKAGE_ROOT } from '../api/defaults.ts';

export const MANIFEST_NAME = 'marque.yaml';

export interface Manifest {
  product: ProductInfo;
  inventory?: {
    platform?: string;
    rosdistro?: string;
    rosdistroCache?: string;
    aptIndexes?: string[];
    rosdepRules?: string[];
    distributions?: string[];
    conditions?: Record<string, string>;
    upstreams?: { component: string; upstream: string }[];
  };
  vex?: { vulnerability: string; products?: string[]; status: string; justification?: string; impact?: string; exploited?: boolean; evidence?: string; measureAvailableAt?: string }[];
  advisories?: { maxAgeDays?: number };
  market?: { mainEstablishment?: string; memberStates?: string[] };
  classification?: { coreFunctions?: string[]; integrates?: string[] };
  commercial?: {
    madeAvailableInEU?: boolean; actor?: 'manufacturer' | 'importer' | 'distributor'; ownNameOrTrademark?: boolean; substantialModification?: boolean;
    openSource?: boolean; price?: boolean; support?: 'none' | 'cost-recovery' | 'beyond-cost'; donations?: 'none' | 'without-profit' | 'exceeding-costs';
    monetisingPlatform?: boolean; personalDataCondition?: boolean;
    steward?: { legalPerson?: boolean; sustainedSupport?: boolean; intendedForCommercialActivities?: boolean };
    exclusions?: string[]; enterprise?: 'micro' | 'small' | 'medium' | 'large';
  };
  conformity?: { appliedInFull?: string[]; technicalDocumentationPublic?: boolean };
  support?: { periodEnd?: string; expectedUseYears?: number; justification?: string; placedOnMarket?: string; updates?: { mechanism?: string; automatic?: boolean; separateFromFeatures?: boolean } };
  security?: { contact?: string; disclosurePolicy?: string };
  trust?: { keys?: { name: string; publicKey: string; components: string[]; uses?: string[]; until?: string }[]; revoked?: string[] };
  assessments?: { store?: string; use?: string };
  architecture?: {
    compartments?: { id: string; kind: string; parent?: string; isolation?: string; isolationAssessed?: boolean; components?: string[] }[];
    interfaces?: { id: string; kind: string; description?: string; port?: number; into: string }[];
    flows?: { from: string; to: string; protocol?: string; authenticated?: boolean; encrypted?: boolean; mechanism?: string; mechanismAssessed?: boolean }[];
    trustAnchors?: { kind: string; description?: string }[];
    ros?: { compartment?: string; launch?: string[]; sros2Policy?: string; sros2Assessed?: boolean; domainExposed?: boolean };
    compose?: string[]; composeHost?: string; containerIsolationAssessed?: boolean; failureReporting?: string;
  };
  /** Folder of the manifest; relative paths in it are resolved from there. */
  dir: string;
  file: string;
}

let validator: ReturnType<Ajv['compile']> | undefined;
function validate(): ReturnType<Ajv['compile']> {
  if (!validator) {
    const ajv = new Ajv({ allErrors: true, strict: true, strictRequired: false });
    (addFormatsModule as unknown as (a: Ajv) => void)(ajv);
    validator = ajv.compile(JSON.parse(readFileSync(join(PACKAGE_ROOT, 'schemas', 'marque.schema.json'), 'utf8')));
  }
  return validator;
}

export function parseManifest(text: string, file: string): Manifest {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: true });
  if (doc.errors.length) {
    const e = doc.errors[0]!;
    const pos = e.linePos?.[0];
    throw new InputError(`malformed YAML: ${e.message.split('\n')[0]}`, file, pos?.line, pos?.col);
  }
  const data = doc.toJS() as unknown;
  const check = validate();
  if (!check(data)) {
    const err = check.errors![0]!;
    const path = err.instancePath.split('/').filter(Boolean).map((p) => (/^\d+$/.test(p) ? Number(p) : p));
    let node = doc.getIn(path, true);
    // additionalProperties: point at the offending key itself.
    if (err.keyword === 'additionalProperties') {
      const parent = path.length ? doc.getIn(path, true) : doc.contents;
      const key = (err.params as { additionalProperty: string }).additionalProperty;
      const pair = isMap(parent) ? parent.items.find((it) => isScalar(it.key) && it.key.value === key) : undefined;
      if (pair && isNode(pair.key)) node = pair.key;
    }
    const offset = isNode(node) && node.range ? node.range[0] : 0;
    const where = path.length ? path.join('.') : '(top level)';
    const detail = err.keyword === 'additionalProperties'
      ? `unknown field "${(err.params as { additionalProperty: string }).additionalProperty}"`
      : err.message ?? 'invalid';
    throw new InputError(`${where}: ${detail}`, file, lines.linePos(offset).line, lines.linePos(offset).col);
  }
  return { ...(data as Omit<Manifest, 'dir' | 'file'>), dir: dirname(resolve(file)), file };
}

/** The manifest of a product folder, or undefined when it has none. */
export async function loadManifest(dirOrFile: string): Promise<Manifest | undefined> {
  const file = dirOrFile.endsWith('.yaml') || dirOrFile.endsWith('.yml') ? dirOrFile : join(dirOrFile, MANIFEST_NAME);
  if (!existsSync(file)) return undefined;
  return parseManifest(await readFile(file, 'utf8'), file);
}
