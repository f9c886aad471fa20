// YAML reading with positions in every error message.
import { parse, YAMLParseError } from 'yaml';
import { InputError } from './errors.ts';

export function parseYaml(text: string, file: string): unknown {
  try {
    // maxAliasCount bounds alias expansion ("billion laughs") in YAML, as DOCTYPE refusal does in XML.
    return parse(text, { maxAliasCount: 100, uniqueKeys: false, prettyErrors: true });
  } catch (e) {
    if (e instanceof YAMLParseError) {
      const pos = e.linePos?.[0];
      throw new InputError(`malformed YAML: ${e.message.split('\n')[0]}`, file, pos?.line, pos?.col);
    }
    throw new InputError(`malformed YAML: ${(e as Error).message}`, file);
  }
}

export function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
