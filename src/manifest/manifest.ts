// marque.yaml: loading and validation against the published JSON Schema, with errors that name
// file, line and the path inside the document.
import { FileAccess, fileKind, LIMITS } from '../util/file-access.ts';
import { loadKept, saveKept } from '../util/kept.ts';
import { createHash } from 'node:crypto';
import { lstatSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { validator, type Validator, type ValidatorSpec } from '../util/validators.ts';
import type { Scalar } from 'yaml';
import { cacheDir, yaml, yamlProblem } from '../util/yaml.ts';
import { InputError } from '../util/errors.ts';
import { quote } from '../util/text.ts';
import type { ProductInfo } from '../model/product.ts';
import { BUILD_ID, PACKAGE_ROOT } from '../util/package.ts';
import { freshnessWindowProblem } from '../model/freshness.ts';

export const MANIFEST_NAME = 'marque.yaml';

export interface Manifest {
  product: ProductInfo;
  inventory?: {
    platform?: string;
    rosdistro?: string;
    rosdistroCache?: string;
    aptIndexes?: string[];
    /** Folders of package files that ship (like --artefacts): hashed and matched to components. */
    artefacts?: string[];
    exclude?: string[];
    include?: string[];
    rosdepRules?: string[];
    distributions?: string[];
    conditions?: Record<string, string>;
    /** The toolchains that build the product: `go` ("1.23.4") is the Go whose standard library every Go binary carries. */
    toolchains?: { go?: string };
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
    ros?: {
      compartment?: string; launch?: string[]; sros2Policy?: string; sros2Assessed?: boolean; domainExposed?: boolean;
      launchArguments?: Record<string, string | number | boolean>; environment?: Record<string, string | number | boolean>;
      processIsolation?: { mechanism: string; assessed?: boolean }; internalBridges?: string[];
    };
    compose?: string[]; composeHost?: string; containerIsolationAssessed?: boolean; failureReporting?: string;
  };
  subsystems?: { id: string; name?: string; kind?: SubsystemKind; source: string; version?: string; supportEnd?: string }[];
  hardware?: { id: string; name?: string; manufacturer: string; model: string; revision?: string; firmware?: { version: string; name?: string }; supportEnd?: string }[];
  /** Values left to fill in ("TODO: ..."): read as absent, reported as gaps. */
  placeholders: { path: string; line: number; value: string }[];
  /** The line of each path-valued field ("architecture.ros.launch.0"), for a reader that finds its file missing. */
  pathLines: Record<string, number>;
  /** Folder of the manifest; relative paths in it are resolved from there. */
  dir: string;
  file: string;
  /** The files its paths may name: those under the product folder (confinement). */
  files: FileAccess;
}

/**
 * Fields of marque.yaml that name a file or a folder, relative to marque.yaml ("a[]" walks a list).
 * Each must lie inside the product folder, symbolic links resolved: checked when the manifest is
 * loaded (an error with its line) and again by the reader (every read goes through Manifest.files).
 * A value that is not a path (a URL, an inline key) is left to its reader.
 */
export const MANIFEST_PATH_FIELDS = [
  'inventory.rosdistroCache', 'inventory.aptIndexes[]', 'inventory.artefacts[]', 'inventory.rosdepRules[]', 'inventory.distributions[]',
  'security.disclosurePolicy', 'trust.keys[].publicKey', 'assessments.store',
  'architecture.ros.launch[]', 'architecture.ros.sros2Policy', 'architecture.compose[]', 'subsystems[].source',
] as const;

/** A URL (https://…) or an inline PEM or JWK key: a value of a path field that is not a path. */
export const isNotAPath = (v: string) => /^[a-z][a-z0-9+.-]*:\/\//i.test(v) || v.includes('-----BEGIN') || v.trimStart().startsWith('{');

/** The path-valued fields a manifest sets: where (as a YAML path) and the value. */
export function manifestPaths(data: unknown): { at: (string | number)[]; value: string }[] {
  const out: { at: (string | number)[]; value: string }[] = [];
  for (const field of MANIFEST_PATH_FIELDS) {
    let level: { at: (string | number)[]; v: unknown }[] = [{ at: [], v: data }];
    for (const part of field.split('.')) {
      const key = part.replace(/\[\]$/, '');
      const next: typeof level = [];
      for (const { at, v } of level) {
        const child = v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>)[key] : undefined;
        if (part.endsWith('[]')) { if (Array.isArray(child)) child.forEach((c, i) => next.push({ at: [...at, key, i], v: c })); }
        else if (child !== undefined) next.push({ at: [...at, key], v: child });
      }
      level = next;
    }
    for (const { at, v } of level) if (typeof v === 'string' && !isNotAPath(v)) out.push({ at, value: v });
  }
  return out;
}

export type SubsystemKind = 'linux-image' | 'ros-workspace' | 'firmware' | 'web-ui' | 'cloud-connector' | 'service' | 'other';

/** marque.yaml's schema, compiled at build time (src/util/validators.ts). */
export const MANIFEST_VALIDATOR: ValidatorSpec = {
  name: 'marque-manifest',
  schema: () => JSON.parse(readFileSync(join(PACKAGE_ROOT, 'schemas', 'marque.schema.json'), 'utf8')) as object,
  options: { allErrors: true, strict: true, strictRequired: false },
  formats: true,
};

function validate(): Validator {
  return validator(MANIFEST_VALIDATOR);
}

/**
 * A value someone left to fill in later ("TODO: ...", "TBD", "<your name>", "..."). Such a value is not an
 * answer: the manifest reads as if the field were absent, and the placeholder is kept to be reported.
 */
const PLACEHOLDER = /^\s*(?:(?:TODO|TBD|FIXME|XXX|CHANGE[ _-]?ME|FILL[ _-]?(?:ME|IN))\b|<[^<>]*>\s*$|(?:\.\.\.|\u2026)\s*$)/i;
export const isPlaceholder = (v: unknown): v is string => typeof v === 'string' && (v.trim() === '' || PLACEHOLDER.test(v));

/** Removes placeholder strings (collects their paths) and empty keys; arrays keep their other elements. */
function stripPlaceholders(value: unknown, path: (string | number)[], found: (string | number)[][]): unknown {
  if (Array.isArray(value)) {
    const out: unknown[] = [];
    value.forEach((v, i) => { if (isPlaceholder(v)) found.push([...path, i]); else out.push(stripPlaceholders(v, [...path, i], found)); });
    return out;
  }
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    // A launch argument or environment variable set to "" is a value (`namespace: ""`, linorobot2's
    // LINOROBOT2_DEPTH_SENSOR: "" for no depth camera), not a field left to fill in.
    const values = path.length === 3 && path[0] === 'architecture' && path[1] === 'ros' && (path[2] === 'launchArguments' || path[2] === 'environment');
    for (const [k, v] of Object.entries(value)) {
      if (values && v === '') out[k] = v;
      else if (isPlaceholder(v)) found.push([...path, k]);
      else if (v !== null) out[k] = stripPlaceholders(v, [...path, k], found); // "key:" with everything under it commented out: not answered
    }
    return out;
  }
  return value;
}

/** The first key that repeats within its map, found with one Set per map (linear in the document). */
function firstDuplicateKey(root: unknown): Scalar | undefined {
  const stack: unknown[] = [root];
  while (stack.length) {
    const node = stack.pop();
    if (yaml().isMap(node)) {
      const seen = new Set<unknown>();
      for (const item of node.items) {
        if (yaml().isScalar(item.key)) {
          if (seen.has(item.key.value)) return item.key;
          seen.add(item.key.value);
        }
        stack.push(item.value);
      }
    } else if (yaml().isSeq(node)) for (const item of node.items) stack.push(item);
  }
  return undefined;
}

export function parseManifest(text: string, file: string): Manifest {
  const lines = new (yaml().LineCounter)();
  // yaml's own unique-key check compares every key with every other (quadratic in a map's size):
  // duplicates are found below with one Set per map instead.
  const doc = yaml().parseDocument(text, { lineCounter: lines, prettyErrors: true, uniqueKeys: false });
  if (doc.errors.length) {
    const e = doc.errors[0]!;
    const pos = e.linePos?.[0];
    throw new InputError(`malformed YAML: ${yamlProblem(e.message)}${doc.errors.length > 1 ? ` (and ${doc.errors.length - 1} more)` : ''}`, file, pos?.line, pos?.col);
  }
  const duplicate = firstDuplicateKey(doc.contents);
  if (duplicate) {
    const pos = lines.linePos(duplicate.range?.[0] ?? 0);
    throw new InputError(`duplicate key "${String(duplicate.value)}"`, file, pos.line, pos.col);
  }
  const found: (string | number)[][] = [];
  let js: unknown;
  try {
    js = doc.toJS({ maxAliasCount: 100 });
  } catch (e) {
    throw new InputError(`YAML aliases expand too far (${(e as Error).message}); marque.yaml needs none`, file);
  }
  const data = stripPlaceholders(js, [], found);
  const placeholders = found.map((path) => {
    const node = doc.getIn(path, true);
    const offset = yaml().isNode(node) && node.range ? node.range[0] : 0;
    return { path: path.join('.'), line: lines.linePos(offset).line, value: String(doc.getIn(path)) };
  });
  const check = validate();
  if (!check(data)) {
    // Every error at once, each with its line, so one edit round fixes the file.
    const seen = new Set<string>();
    const problems: { message: string; line: number; col: number }[] = [];
    for (const err of check.errors!) {
      if (['oneOf', 'anyOf', 'if'].includes(err.keyword)) continue; // the branch errors say more
      const path = err.instancePath.split('/').filter(Boolean).map((p) => (/^\d+$/.test(p) ? Number(p) : p));
      let node = doc.getIn(path, true);
      const key = err.keyword === 'additionalProperties' ? (err.params as { additionalProperty: string }).additionalProperty : undefined;
      if (key !== undefined) {
        const parent = path.length ? doc.getIn(path, true) : doc.contents;
        const pair = yaml().isMap(parent) ? parent.items.find((it) => yaml().isScalar(it.key) && it.key.value === key) : undefined;
        if (pair && yaml().isNode(pair.key)) node = pair.key;
      }
      const offset = yaml().isNode(node) && node.range ? node.range[0] : 0;
      const where = path.length ? path.join('.') : '(top level)';
      let detail = key !== undefined ? `unknown field "${key}"` : err.message ?? 'invalid';
      // The schema states the freshness window's bound; the reason for it is src/model/freshness.ts's.
      if (where === 'advisories.maxAgeDays' && err.keyword === 'maximum') detail = freshnessWindowProblem(Number(doc.getIn(path))) ?? detail;
      // YAML reads 1.0 as the number 1 and 2024-06 as text, so a version written bare loses its form.
      if (err.keyword === 'type' && (err.params as { type: string }).type === 'string' && yaml().isScalar(node) && typeof node.value === 'number' && node.range) {
        detail += `: quote it: "${text.slice(node.range[0], node.range[1]).trim()}"`;
      }
      const stripped = placeholders.find((p) => `${p.path}.`.startsWith(`${where}.`) || where === '(top level)');
      if (err.keyword === 'required' && stripped) detail += ` (placeholder "${stripped.value}" at ${stripped.path} is not a value)`;
      const msg = `${where}: ${detail}`;
      if (seen.has(msg)) continue;
      seen.add(msg);
      const pos = lines.linePos(offset);
      problems.push({ message: msg, line: pos.line, col: pos.col });
    }
    problems.sort((a, b) => a.line - b.line || a.col - b.col);
    const [first, ...rest] = problems.length ? problems : [{ message: 'invalid', line: 1, col: 1 }];
    const more = rest.map((p) => `\n${file}:${p.line}:${p.col}: ${p.message}`).join('');
    throw new InputError(`${first!.message}${more}`, file, first!.line, first!.col);
  }
  // The freshness window's bound (src/model/freshness.ts), also where the schema was not applied.
  const maxAge = (data as { advisories?: { maxAgeDays?: unknown } }).advisories?.maxAgeDays;
  const window = typeof maxAge === 'number' ? freshnessWindowProblem(maxAge) : undefined;
  if (window) {
    const node = doc.getIn(['advisories', 'maxAgeDays'], true);
    const pos = lines.linePos(yaml().isNode(node) && node.range ? node.range[0] : 0);
    throw new InputError(`advisories.maxAgeDays: ${window}`, file, pos.line, pos.col);
  }
  const dir = dirname(resolve(file));
  const files = FileAccess.within(dir);
  // Paths that lead out of the product folder (absolute, "../", a link out) are refused here, all at once, with their lines.
  const posOf = (at: (string | number)[]) => { const node = doc.getIn(at, true); return lines.linePos(yaml().isNode(node) && node.range ? node.range[0] : 0); };
  const paths = manifestPaths(data);
  const outside = paths.filter((p) => !files.allows(resolve(dir, p.value))).map((p) => {
    const pos = posOf(p.at);
    return { message: `${p.at.join('.')}: ${quote(p.value)} leads outside the product folder ${dir}; not read`, line: pos.line, col: pos.col };
  });
  if (outside.length) {
    const [first, ...rest] = outside;
    throw new InputError(`${first!.message}${rest.map((p) => `\n${file}:${p.line}:${p.col}: ${p.message}`).join('')}`, file, first!.line, first!.col);
  }
  const pathLines = Object.fromEntries(paths.map((p) => [p.at.join('.'), posOf(p.at).line]));
  return { ...(data as Omit<Manifest, 'dir' | 'file' | 'placeholders' | 'pathLines' | 'files'>), placeholders, pathLines, dir, file, files };
}

/** The manifest of a product folder, or undefined when it has none. */
export async function loadManifest(dirOrFile: string): Promise<Manifest | undefined> {
  const named = dirOrFile.endsWith('.yaml') || dirOrFile.endsWith('.yml');
  const file = named ? dirOrFile : join(dirOrFile, MANIFEST_NAME);
  // The folder's marque.yaml must be a regular file of the folder (not a FIFO, not a link out of it).
  const files = FileAccess.within(named ? file : dirOrFile);
  if (!named && files.exists(dirOrFile) && !files.isFolder(dirOrFile)) throw new InputError(`is ${fileKind(lstatSync(dirOrFile))}, not a folder`, dirOrFile);
  if (!files.exists(file)) return undefined;
  // Read synchronously: a manifest is small, and the first asynchronous read loads node:fs/promises (~3 ms).
  const text = files.readTextSync(file, LIMITS.manifest);
  // An installed build keeps what it read from a manifest text, by that text's digest: a later run
  // skips loading the YAML library, parsing and validating (a third of a small product's run).
  // Only a manifest that loaded without error is kept; the folder and file are not part of it.
  const cached = BUILD_ID ? join(cacheDir(), 'marque-yaml', `${createHash('sha256').update(BUILD_ID).update('\0').update(text).digest('hex')}.json`) : undefined;
  if (cached) {
    // Not kept yet, or unreadable: read below.
    const kept = loadKept(cached, { format: 2, build: BUILD_ID!, key: 'marque.yaml' }) as Omit<Manifest, 'dir' | 'file' | 'files'> | undefined;
    if (kept) {
      // Confinement depends on the disk, not on the text (a link may have changed): checked at every
      // load; a path that leads out is reported by the full read below, with its line.
      const dir = dirname(resolve(file));
      const within = FileAccess.within(dir);
      if (manifestPaths(kept).every((p) => within.allows(resolve(dir, p.value)))) return { ...kept, dir, file, files: within };
    }
  }
  const m = parseManifest(text, file);
  if (cached) {
    const { dir: _dir, file: _file, files: _files, ...kept } = m;
    saveKept(cached, { format: 2, build: BUILD_ID!, key: 'marque.yaml' }, kept);
  }
  return m;
}
