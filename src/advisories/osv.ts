// OSV records (OSV schema 1.x), from JSON or YAML, checked for what matching relies on, and for
// what every output prints: the ids.
import { parseJsonText } from '../util/json.ts';
import type { Advisory, OsvAffected } from '../model/advisory.ts';
import { InputError } from '../util/errors.ts';
import { isRecord, parseYaml } from '../util/yaml.ts';

/** Something an import left out of a record it kept (an alias that is not an id), said to the importer with the record's id. */
export type OsvNote = (message: string, record: string) => void;

export function parseOsvText(text: string, file: string, note?: OsvNote): Advisory {
  let data: unknown;
  // OSV values are text (versions, dates, ids): read YAML scalars as written.
  if (/\.ya?ml$/i.test(file)) data = parseYaml(text, file, 100, true);
  else data = parseJsonText(text, file);
  return toAdvisory(data, file, note);
}

/**
 * An OSV id as Marque accepts it: ASCII letters and digits, then also "." "_" ":" "+" "-", at most 128
 * characters. The OSV schema writes an id "<DB>-<ENTRYID>" ("GHSA-vp9c-fpxx-744v", "RHSA-2024:1234",
 * "PHSA-2023-4.0-0363", "x_CUSTOM-0001"), and its JSON Schema constrains only the prefix
 * (ossf/osv-schema validation/schema.json, $defs.prefix: "^(x_|(ASB-A|…|V8)-)", not anchored at the
 * end), so it forbids no character of ENTRYID. Ids are printed into terminals, Markdown, HTML and
 * file names: a control character could repaint a terminal, a space, "<", "]" or "/" could forge
 * markup or a path, a look-alike letter (Cyrillic "А") another id. The prefix list is not checked:
 * it grows (JLSEC, ECHO and MINI came after Marque's copy of the schema), and a local database uses "x_".
 */
const OSV_ID = /^[A-Za-z0-9][A-Za-z0-9._:+-]{0,127}$/;

/** Why `id` is not an id Marque accepts, in words that show the offending character without printing it; undefined when it is one. */
export function idProblem(id: string): string | undefined {
  if (OSV_ID.test(id)) return undefined;
  if (id.length > 128) return `it is ${id.length} characters long, over 128`;
  const i = [...id].findIndex((c, n) => !/[A-Za-z0-9]/.test(c) && (n === 0 || !/[._:+-]/.test(c)));
  const c = [...id][i] ?? '';
  const code = `U+${c.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`;
  const what = /[\u0000-\u001f\u007f-\u009f]/.test(c) ? `a control character (${code})` : /\s/.test(c) ? `white space (${code})` : /[\u0021-\u007e]/.test(c) ? `"${c}" (${code})` : `a character outside ASCII (${code})`;
  return `${what} at position ${i + 1}; an OSV id is <DB>-<ENTRYID> of ASCII letters, digits and . _ : + - (at most 128)`;
}

/** An id shown in a message, quoted as in JSON ("\"" and "\\" escaped) with every character outside printable ASCII as \uXXXX, cut to 80 characters. */
export function shownId(id: string): string {
  const cut = id.length > 80 ? `${id.slice(0, 79)}…` : id;
  return `"${cut.replace(/[^\u0020-\u007e…]|["\\]/g, (c) => (c === '"' || c === '\\' ? `\\${c}` : `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`))}"`;
}

/** The ids of a list that are ids (aliases, related); each one dropped is said through `note`. */
function ids(v: unknown, field: string, record: string, note?: OsvNote): string[] {
  return strings(v).filter((a) => {
    const problem = idProblem(a);
    if (problem) note?.(`OSV record ${record}: ${field} ${shownId(a)} dropped, not an id (${problem}); the record is kept`, record);
    return !problem;
  });
}

const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : v instanceof Date ? v.toISOString() : undefined);
const strings = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);

/**
 * One OSV record. A record whose id is not an id (idProblem) is refused: it is the key every output
 * prints. An alias or related id that is not one is dropped with a note and the record kept: its
 * affected ranges are what matching rests on, and a malformed alias matches nothing anyway (a real
 * PyPA record lists "GHSA-jf66-3q76-h5p5," with a trailing comma).
 */
export function toAdvisory(data: unknown, file: string, note?: OsvNote): Advisory {
  if (!isRecord(data)) throw new InputError('an OSV record must be an object', file, 1);
  const id = str(data['id']);
  const modified = str(data['modified']);
  if (!id) throw new InputError('OSV record has no "id"', file, 1);
  const bad = idProblem(id);
  if (bad) throw new InputError(`OSV record id ${shownId(id)} is not an OSV id: ${bad}; the record is refused`, file, 1);
  if (!modified) throw new InputError(`OSV record ${id} has no "modified" date`, file, 1);
  const affected: OsvAffected[] = [];
  for (const a of Array.isArray(data['affected']) ? data['affected'] : []) {
    if (!isRecord(a)) continue;
    const pkg = isRecord(a['package']) ? a['package'] : undefined;
    const entry: OsvAffected = {};
    if (pkg && str(pkg['ecosystem']) && str(pkg['name'])) entry.package = { ecosystem: str(pkg['ecosystem'])!, name: str(pkg['name'])!, purl: str(pkg['purl']) };
    entry.versions = strings(a['versions']).map(String);
    entry.ranges = (Array.isArray(a['ranges']) ? a['ranges'] : []).filter(isRecord).map((r) => ({
      type: str(r['type']) ?? '',
      repo: str(r['repo']),
      // YAML may read a version like 1.10 as a number; OSV versions are strings.
      events: (Array.isArray(r['events']) ? r['events'] : []).filter(isRecord).map((e) => Object.fromEntries(Object.entries(e).map(([k, v]) => [k, String(v)]))),
    }));
    affected.push(entry);
  }
  return {
    id, modified,
    published: str(data['published']),
    withdrawn: str(data['withdrawn']),
    aliases: ids(data['aliases'], 'alias', id, note),
    related: ids(data['related'], 'related id', id, note),
    summary: str(data['summary']),
    details: str(data['details']),
    severity: [
      ...(Array.isArray(data['severity']) ? data['severity'] : []).filter(isRecord).map((s) => ({ type: str(s['type']) ?? '', score: str(s['score']) ?? '' })),
      // GHSA and others state a qualitative severity where no CVSS vector is given.
      ...(isRecord(data['database_specific']) && typeof data['database_specific']['severity'] === 'string' ? [{ type: 'LABEL', score: data['database_specific']['severity'] }] : []),
    ],
    affected,
    references: (Array.isArray(data['references']) ? data['references'] : []).filter(isRecord).map((r) => ({ type: str(r['type']) ?? '', url: str(r['url']) ?? '' })),
  };
}
