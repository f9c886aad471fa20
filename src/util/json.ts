// JSON from files: a UTF-8 byte order mark (Windows tools write one) is accepted, and a syntax
// error names the line and column instead of an offset.
import { InputError, lineOf } from './errors.ts';

export function parseJsonText(text: string, file: string): unknown {
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  try {
    return JSON.parse(body);
  } catch (e) {
    const message = (e as Error).message;
    const pos = /position (\d+)/.exec(message);
    const line = pos ? lineOf(body, Number(pos[1])) : undefined;
    const column = pos && line ? Number(pos[1]) - body.lastIndexOf('\n', Number(pos[1]) - 1) : undefined;
    throw new InputError(`malformed JSON: ${message.replace(/ in JSON at position \d+.*$/, '')}`, file, line, column);
  }
}
