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
    // V8 quotes the text around the error ("root:x:0:0"...): the message keeps the token and the position, not the file's bytes.
    throw new InputError(`malformed JSON: ${message.replace(/ in JSON at position \d+.*$/, '').replace(/, ".*" is not valid JSON$/s, '').replace(/, ".*"\.\.\. is not valid JSON$/s, '')}`, file, line, column);
  }
}

/**
 * How deep documents may nest (arrays and objects). Real SBOMs, lockfiles and advisories nest a few
 * levels, a dozen at most; libraries that walk a document recursively (JSON Schema validation,
 * JSON.stringify) overflow the stack somewhere past a few thousand.
 */
export const MAX_NESTING = 1000;

/** Whether `value` nests arrays and objects more than `limit` deep; an iterative walk (never overflows itself). */
export function nestsDeeperThan(value: unknown, limit = MAX_NESTING): boolean {
  const stack: [unknown, number][] = [[value, 0]];
  while (stack.length) {
    const [v, depth] = stack.pop()!;
    if (depth > limit) return true;
    if (Array.isArray(v)) { for (const x of v) if (x !== null && typeof x === 'object') stack.push([x, depth + 1]); }
    else if (v !== null && typeof v === 'object') for (const k in v) { const x = (v as Record<string, unknown>)[k]; if (x !== null && typeof x === 'object') stack.push([x, depth + 1]); }
  }
  return false;
}

/** The same for one recursive member only (CycloneDX's components within components): cheaper than a walk of everything. */
export function chainDeeperThan(roots: unknown, member: string, limit = MAX_NESTING): boolean {
  const stack: [unknown, number][] = [[roots, 0]];
  while (stack.length) {
    const [v, depth] = stack.pop()!;
    if (depth > limit) return true;
    if (!Array.isArray(v)) continue;
    for (const x of v) if (x !== null && typeof x === 'object' && Array.isArray((x as Record<string, unknown>)[member])) stack.push([(x as Record<string, unknown>)[member], depth + 1]);
  }
  return false;
}

/**
 * `JSON.stringify(value, null, 2)` as pieces whose concatenation is that text: an object's members one
 * by one. V8 builds a string one byte a character until it meets one beyond Latin-1 (the ellipsis of a
 * note), then copies what it built into two bytes a character, and every later pass over the text
 * (the check for control characters, the encoding to UTF-8) pays for the width; a member of its own
 * keeps one note from widening 1.4 MB of components (the ROS 2 core's output: 15 ms, where the whole
 * took 45).
 */
export function jsonPieces(value: unknown): string[] {
  if (value === null || typeof value !== 'object' || Array.isArray(value) || typeof (value as { toJSON?: unknown }).toJSON === 'function') return [JSON.stringify(value, null, 2)];
  const pieces: string[] = [];
  for (const key of Object.keys(value)) {
    // The member as the only one of an object: "{\n  "key": …\n}", its indentation the one it has in the whole.
    const one = JSON.stringify({ [key]: (value as Record<string, unknown>)[key] }, null, 2);
    if (one === '{}') continue; // undefined, a function or a symbol: left out, as in the whole
    pieces.push(pieces.length ? ',\n' : '{\n', one.slice(2, -2));
  }
  pieces.push(pieces.length ? '\n}' : '{}');
  return pieces;
}
