// Safe XML reading. No entity declaration is ever honoured: a DOCTYPE with an internal subset is
// refused before parsing, which rules out external entities (XXE) and expansion bombs alike.
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { InputError, lineOf } from './errors.ts';

const DOCTYPE = /<!DOCTYPE[\s\S]*?(\[|>)/i;

export interface XmlParseOptions {
  /** Element names that are always arrays, even with a single occurrence. */
  arrays?: ReadonlySet<string>;
}

export type XmlNode = Record<string, unknown>;

export function parseXml(text: string, file: string, options: XmlParseOptions = {}): XmlNode {
  const doctype = DOCTYPE.exec(text);
  if (doctype && (doctype[1] === '[' || /\b(SYSTEM|PUBLIC)\b/.test(doctype[0]))) {
    throw new InputError('DOCTYPE with entity declarations or an external subset is not allowed (XML external entities are never resolved)', file, lineOf(text, doctype.index));
  }
  const valid = XMLValidator.validate(text, { allowBooleanAttributes: true });
  if (valid !== true) {
    throw new InputError(`malformed XML: ${valid.err.msg}`, file, valid.err.line, valid.err.col);
  }
  const arrays = options.arrays;
  const parser = new XMLParser({
    ignoreAttributes: false,
    attributeNamePrefix: '@',
    parseTagValue: false,
    parseAttributeValue: false,
    trimValues: true,
    processEntities: true,
    htmlEntities: false,
    ignoreDeclaration: true,
    ignorePiTags: true,
    textNodeName: '#text',
    isArray: arrays ? (name: string) => arrays.has(name) : undefined,
  });
  return parser.parse(text) as XmlNode;
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
export function startTagLines(text: string, name: string): number[] {
  const blanked = text.replace(/<!--[\s\S]*?-->|<!\[CDATA\[[\s\S]*?\]\]>/g, (m) => m.replace(/[^\n]/g, ' '));
  const re = new RegExp(`<${name}(?=[\\s/>])`, 'g');
  const lines: number[] = [];
  let line = 1;
  let last = 0;
  for (let m = re.exec(blanked); m; m = re.exec(blanked)) {
    for (let i = blanked.indexOf('\n', last); i !== -1 && i < m.index; i = blanked.indexOf('\n', i + 1)) line++;
    last = m.index;
    lines.push(line);
  }
  return lines;
}
