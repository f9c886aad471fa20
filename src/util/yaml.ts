// YAML reading with positions in every error message.
import { loadKept, saveKept } from './kept.ts';
import { LookupTable, lookupTableText } from './lookup-table.ts';
import { createRequire } from 'node:module';
import type * as Yaml from 'yaml';

// Loaded on first use: cached and bundled parses are JSON, and most runs never parse YAML.
const require = createRequire(import.meta.url);
let yamlLib: typeof Yaml | undefined;
export const yaml = (): typeof Yaml => (yamlLib ??= require('yaml') as typeof Yaml);
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, resolve, sep } from 'node:path';
import { InputError } from './errors.ts';
import { PACKAGE_ROOT, SOURCE_CHECKOUT } from './package.ts';

const BUNDLED_DATA = join(PACKAGE_ROOT, 'data') + sep;

/**
 * `allStrings`: every scalar stays the text it was written as (YAML's failsafe schema). For data
 * whose values are versions: an unquoted `fixed: 1.10` would otherwise become the number 1.1.
 */
/** A parser's message, said plainly: the YAML libraries recurse with the document, and a deep one overflows their stack. */
export function yamlProblem(message: string): string {
  const first = message.split('\n')[0]!;
  return /Maximum call stack size exceeded/.test(first) ? 'nested too deeply to read (collections within collections beyond what the parser can follow)' : first;
}

export function parseYaml(text: string, file: string, maxAliasCount = 100, allStrings = false): unknown {
  try {
    // maxAliasCount bounds alias expansion ("billion laughs") in YAML, as DOCTYPE refusal does in XML.
    return yaml().parse(text, { maxAliasCount, uniqueKeys: false, prettyErrors: true, ...(allStrings ? { schema: 'failsafe' as const } : {}) });
  } catch (e) {
    if (e instanceof yaml().YAMLParseError) {
      const pos = e.linePos?.[0];
      throw new InputError(`malformed YAML: ${yamlProblem(e.message)}`, file, pos?.line, pos?.col);
    }
    throw new InputError(`malformed YAML: ${yamlProblem((e as Error).message)}`, file);
  }
}

export function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Suffix of the parsed form that scripts/prepare-data.ts writes beside bundled YAML files. */
export const PARSED_SUFFIX = '.parsed.json';

/**
 * Parse a large, rarely changing YAML file (rosdep rules, rosdistro) once per content: the parsed
 * form is kept as JSON under the cache folder, keyed by the file's SHA-256, so a later run reads
 * it in milliseconds. A cache that cannot be read or written is ignored, never trusted blindly.
 */
export function parseYamlCached(text: string, file: string): unknown {
  const dir = cacheDir();
  const key = createHash('sha256').update(text).digest('hex');
  // Bundled data (data/rosdistro) is parsed at build time (scripts/build.ts runs scripts/prepare-data.ts): the
  // parsed form sits beside the file with the SHA-256 it was made from, so even a first run skips YAML.
  try {
    const bundled = JSON.parse(readFileSync(`${file}${PARSED_SUFFIX}`, 'utf8')) as { sha256?: string; data?: unknown };
    if (bundled.sha256 === key) return bundled.data;
  } catch {
    // none beside this file
  }
  const path = join(dir, 'yaml', `${key}.json`);
  // Not cached yet, or unreadable: parsed below. Kept for any build, by the text's digest, as the parse is YAML's own.
  const header = { format: 1, build: '', key: 'yaml' };
  const kept = loadKept(path, header) as { data: unknown } | undefined;
  if (kept && typeof kept === 'object' && 'data' in kept) return kept.data;
  const data = parseYaml(text, file);
  saveKept(path, header, { data });
  return data;
}

/** Suffix of the lookup form scripts/prepare-data.ts writes beside some bundled YAML files. */
export const INDEX_SUFFIX = '.index.txt';

/** A lookup form: a first line of JSON (what the reader needs whole), then a lookup table. */
export interface BundledIndex { header: unknown; table: LookupTable }

const bundledIndexes = new Map<string, BundledIndex | undefined>();

/** The text of a lookup form (scripts/prepare-data.ts writes it). */
export function bundledIndexText(header: unknown, entries: Iterable<[string, string]>): string {
  return `${JSON.stringify(header)}\n${lookupTableText(entries)}`;
}

/**
 * The lookup form of a YAML file Marque bundles (under data/), in an installed package: the
 * reader's own reduction of the file (rosdep definitions and a distribution's released packages
 * as JSON text, one line per key, looked up by binary search), written at build time. An
 * installed package's files do not change, so the YAML need not even be read; and a run reads one
 * string per file, building nothing for the thousands of keys it never asks about. Undefined for
 * any other file, and in a clone, where data/ may be edited: there the reader parses the YAML
 * (through parseYamlCached, which checks the hash).
 */
export function bundledIndex(file: string): BundledIndex | undefined {
  if (SOURCE_CHECKOUT || !resolve(file).startsWith(BUNDLED_DATA)) return undefined;
  if (!bundledIndexes.has(file)) {
    try {
      const text = readFileSync(`${file}${INDEX_SUFFIX}`, 'utf8');
      const eol = text.indexOf('\n');
      bundledIndexes.set(file, { header: JSON.parse(text.slice(0, eol)), table: new LookupTable(text, eol + 1) });
    } catch {
      bundledIndexes.set(file, undefined);
    }
  }
  return bundledIndexes.get(file);
}

/** $MARQUE_CACHE_DIR, else $XDG_CACHE_HOME/marque, else ~/.cache/marque. */
export function cacheDir(): string {
  return process.env['MARQUE_CACHE_DIR'] ?? join(process.env['XDG_CACHE_HOME'] ?? join(homedir(), '.cache'), 'marque');
}

/**
 * Large, machine-written YAML (pnpm locks): js-yaml, several times faster than `yaml` on big files.
 * Its default schema builds no JavaScript types, and aliases are shared references, never copies,
 * so an alias cannot multiply memory; readers bound the work they do over what they get.
 */
export function parseYamlFast(text: string, file: string): unknown {
  const jsyaml = require('js-yaml') as typeof import('js-yaml');
  try {
    return jsyaml.load(text, { schema: jsyaml.CORE_SCHEMA, filename: file });
  } catch (e) {
    const mark = (e as { mark?: { line?: number; column?: number } }).mark;
    throw new InputError(`malformed YAML: ${yamlProblem((e as { reason?: string }).reason ?? (e as Error).message)}`, file, mark?.line !== undefined ? mark.line + 1 : undefined, mark?.column !== undefined ? mark.column + 1 : undefined);
  }
}
