// Safe XML reading. No entity declaration is ever honoured: a DOCTYPE with an internal subset is
// refused before parsing, which rules out external entities (XXE) and expansion bombs alike.
import { createRequire } from 'node:module';
import type * as FastXml from 'fast-xml-parser';

// Loaded on first use: a warm inventory reads its package.xml files from the parse cache and
// never needs the parser, whose loading alone costs more than the cache lookup.
const require = createRequire(import.meta.url);
let fxp: typeof FastXml | undefined;
const xmlLib = (): typeof FastXml => (fxp ??= require('fast-xml-parser') as typeof FastXml);
import { InputError, lineOf } from './errors.ts';

/**
 * Every markup declaration outside comments and CDATA, found by scanning the text once (a search for
 * the first "<!DOCTYPE" is fooled by one inside a comment). A DOCTYPE with an internal subset or an
 * external identifier, and any ENTITY declaration, is refused.
 */
function refuseEntityDeclarations(text: string, file: string): void {
  let i = text.indexOf('<');
  while (i !== -1) {
    if (text.startsWith('<!--', i)) {
      const end = text.indexOf('-->', i + 4);
      if (end === -1) return; // unterminated comment: the validator reports it
      i = text.indexOf('<', end + 3);
      continue;
    }
    if (text.startsWith('<![CDATA[', i)) {
      const end = text.indexOf(']]>', i + 9);
      if (end === -1) return;
      i = text.indexOf('<', end + 3);
      continue;
    }
    const head = text.slice(i, i + 9).toUpperCase();
    if (head === '<!DOCTYPE' || head.startsWith('<!ENTITY')) {
      const close = text.indexOf('>', i);
      const decl = text.slice(i, close === -1 ? text.length : close + 1);
      if (head.startsWith('<!ENTITY') || decl.includes('[') || /\b(SYSTEM|PUBLIC)\b/.test(decl)) {
        throw new InputError('DOCTYPE with entity declarations or an external subset is not allowed (XML external entities are never resolved)', file, lineOf(text, i));
      }
    }
    i = text.indexOf('<', i + 1);
  }
}

export interface XmlParseOptions {
  /** Element names that are always arrays, even with a single occurrence. */
  arrays?: ReadonlySet<string>;
}

export type XmlNode = Record<string, unknown>;

/** A parsed element that may occur once or several times (or not at all), as a list. */
export const asArray = (v: unknown): unknown[] => (v === undefined ? [] : Array.isArray(v) ? v : [v]);

/** Entity declarations refused, then the document validated: what every parse here starts with. */
function checked(text: string, file: string): void {
  refuseEntityDeclarations(text, file);
  const valid = xmlLib().XMLValidator.validate(text, { allowBooleanAttributes: true });
  if (valid !== true) {
    throw new InputError(`malformed XML: ${valid.err.msg}`, file, valid.err.line, valid.err.col);
  }
}

/** Parser options both forms share: text kept as text, entities only the predefined ones. */
const PARSER_BASE = { ignoreAttributes: false, parseTagValue: false, parseAttributeValue: false, trimValues: true, processEntities: true, htmlEntities: false, ignoreDeclaration: true, ignorePiTags: true } as const;

export function parseXml(text: string, file: string, options: XmlParseOptions = {}): XmlNode {
  checked(text, file);
  const arrays = options.arrays;
  const parser = new (xmlLib().XMLParser)({
    ...PARSER_BASE,
    attributeNamePrefix: '@',
    textNodeName: '#text',
    isArray: arrays ? (name: string) => arrays.has(name) : undefined,
  });
  try {
    return parser.parse(text) as XmlNode;
  } catch (e) {
    // The parser's own limits (nesting depth) name no file: say which.
    throw new InputError(`malformed XML: ${(e as Error).message}`, file);
  }
}

/** Text content of a parsed element, whether it came out as a string or as an object with attributes. */
export function textOf(node: unknown): string {
  if (node === undefined || node === null) return '';
  if (typeof node === 'string') return node;
  if (typeof node === 'number' || typeof node === 'boolean') return String(node);
  if (typeof node === 'object') {
    const t = (node as XmlNode)['#text'];
    return t === undefined ? '' : String(t);
  }
  return '';
}

export function attrOf(node: unknown, name: string): string | undefined {
  if (node && typeof node === 'object') {
    const v = (node as XmlNode)[`@${name}`];
    return v === undefined ? undefined : String(v);
  }
  return undefined;
}

/**
 * Line numbers of each start tag `<name` in document order, ignoring comments and CDATA.
 * fast-xml-parser keeps no positions; element k of a parsed array is the k-th start tag.
 */
let blankedFor: string | undefined;
let blanked = '';

/** Line of each match of `re` (global) in the text with comments and CDATA blanked out. */
function matchLines(text: string, re: RegExp): number[] {
  // One document is asked about several tags in a row: blank its comments once.
  if (blankedFor !== text) { blankedFor = text; blanked = text.replace(/<!--[\s\S]*?-->|<!\[CDATA\[[\s\S]*?\]\]>/g, (m) => m.replace(/[^\n]/g, ' ')); }
  const lines: number[] = [];
  let line = 1;
  // The next newline is remembered, not searched again per tag: a one-line file with 100,000 tags
  // would otherwise scan to its end once per tag.
  let nl = blanked.indexOf('\n');
  for (let m = re.exec(blanked); m; m = re.exec(blanked)) {
    while (nl !== -1 && nl < m.index) { line++; nl = blanked.indexOf('\n', nl + 1); }
    lines.push(line);
  }
  return lines;
}

export function startTagLines(text: string, name: string): number[] {
  return matchLines(text, new RegExp(`<${name}(?=[\\s/>])`, 'g'));
}

/** An element in document order, with its attributes, its child elements, the line of its start tag and its own text (trimmed, when it has any). */
export interface XmlElement { name: string; attrs: Record<string, string>; children: XmlElement[]; line: number; text?: string }

/**
 * The document as ordered elements, for formats where sibling order matters (a launch file's
 * push-ros-namespace applies to what follows it). Same safety as parseXml: no entity declarations.
 */
export function parseXmlElements(text: string, file: string): XmlElement {
  checked(text, file);
  const parser = new (xmlLib().XMLParser)({ ...PARSER_BASE, attributeNamePrefix: '', preserveOrder: true, commentPropName: '#comment' });
  let raw: unknown[];
  try { raw = parser.parse(text) as unknown[]; } catch (e) { throw new InputError(`malformed XML: ${(e as Error).message}`, file); }
  // Start tags in document order: the k-th element met in a pre-order walk is the k-th start tag.
  const lines = matchLines(text, /<(?![?!/])/g);
  let k = 0;
  const convert = (items: unknown[]): XmlElement[] => {
    const out: XmlElement[] = [];
    for (const item of items) {
      if (!item || typeof item !== 'object') continue;
      const entry = item as Record<string, unknown>;
      const name = Object.keys(entry).find((key) => key !== ':@' && key !== '#text' && key !== '#comment');
      if (!name) continue;
      const at = lines[k++] ?? 0;
      const attrs = Object.assign(Object.create(null) as Record<string, string>, (entry[':@'] ?? {}) as Record<string, string>);
      const body = (entry[name] ?? []) as unknown[];
      const text = body.map((x) => (x && typeof x === 'object' && '#text' in x ? String((x as Record<string, unknown>)['#text']) : '')).join('');
      out.push({ name, attrs, line: at, children: convert(body), ...(text ? { text } : {}) });
    }
    return out;
  };
  const roots = convert(raw);
  return roots[0] ?? { name: '', attrs: {}, children: [], line: 1 };
}
