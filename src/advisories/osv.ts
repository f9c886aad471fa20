// OSV records (OSV schema 1.x), from JSON or YAML, checked for what matching relies on.
import { parseJsonText } from '../util/json.ts';
import type { Advisory, OsvAffected } from '../model/advisory.ts';
import { InputError } from '../util/errors.ts';
import { isRecord, parseYaml } from '../util/yaml.ts';

export function parseOsvText(text: string, file: string): Advisory {
  let data: unknown;
  // OSV values are text (versions, dates, ids): read YAML scalars as written.
  if (/\.ya?ml$/i.test(file)) data = parseYaml(text, file, 100, true);
  else data = parseJsonText(text, file);
  return toAdvisory(data, file);
}

const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : v instanceof Date ? v.toISOString() : undefined);
const strings = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);

export function toAdvisory(data: unknown, file: string): Advisory {
  if (!isRecord(data)) throw new InputError('an OSV record must be an object', file, 1);
  const id = str(data['id']);
  const modified = str(data['modified']);
  if (!id) throw new InputError('OSV record has no "id"', file, 1);
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
    aliases: strings(data['aliases']),
    related: strings(data['related']),
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
