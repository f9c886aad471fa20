// The CMake language's lexical structure (cmake-language(7), "Syntax"): command invocations whose
// arguments are bracket, quoted or unquoted, with line and bracket comments and quoted line
// continuations. Arguments are kept as written: escapes and variable references are evaluated later,
// with the variables of the moment (interpret.ts), as CMake does.
import { InputError } from '../../util/errors.ts';

export type ArgKind = 'bracket' | 'quoted' | 'unquoted';

export interface RawArg {
  /** The text between the delimiters, escapes not yet applied (a bracket argument's text is final). */
  text: string;
  kind: ArgKind;
}

export interface CommandCall {
  /** Lower case: command names are case-insensitive. */
  name: string;
  args: RawArg[];
  line: number;
}

const IDENT_START = /[A-Za-z_]/;

/** Every command invocation of a CMake file, in order. Malformed text is an InputError naming the line. */
export function tokenize(text: string, file: string): CommandCall[] {
  const out: CommandCall[] = [];
  const n = text.length;
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  let line = 1;

  const fail = (message: string, at = line): never => { throw new InputError(message, file, at); };

  /** `[=*[` at i: the number of '=' signs, or -1. */
  const bracketOpen = (at: number): number => {
    if (text[at] !== '[') return -1;
    let j = at + 1;
    while (text[j] === '=') j++;
    return text[j] === '[' ? j - at - 1 : -1;
  };

  /** Reads a bracket argument or comment at i; returns its content (first newline dropped). */
  const bracket = (): string => {
    const eq = bracketOpen(i);
    const start = line;
    const close = `]${'='.repeat(eq)}]`;
    const from = i + eq + 2;
    const end = text.indexOf(close, from);
    if (end < 0) fail(`bracket opened here is never closed (expected "${close}")`, start);
    let content = text.slice(from, end);
    for (let k = from; k < end; k++) if (text.charCodeAt(k) === 10) line++;
    i = end + close.length;
    if (content.startsWith('\r\n')) content = content.slice(2);
    else if (content.startsWith('\n')) content = content.slice(1);
    return content;
  };

  /** Skips a comment at i (line or bracket). */
  const comment = (): void => {
    i++; // '#'
    if (bracketOpen(i) >= 0) { bracket(); return; }
    const eol = text.indexOf('\n', i);
    i = eol < 0 ? n : eol;
  };

  const quoted = (): string => {
    const start = line;
    const from = ++i; // after the opening quote
    for (; i < n; i++) {
      const c = text.charCodeAt(i);
      if (c === 34 /* " */) break;
      if (c === 92 /* \\ */) { if (text.charCodeAt(i + 1) === 10) line++; i++; continue; }
      if (c === 10) line++;
    }
    if (i >= n) fail('quoted argument is never closed', start);
    const raw = text.slice(from, i++);
    // A backslash ending a line continues the argument on the next one (quoted_continuation).
    return raw.includes('\\\n') || raw.includes('\\\r\n') ? raw.replace(/\\\r?\n/g, '') : raw;
  };

  const unquoted = (): string => {
    const from = i;
    while (i < n) {
      const c = text.charCodeAt(i);
      // space, tab, newline, carriage return, ( ) #
      if (c === 32 || c === 9 || c === 10 || c === 13 || c === 40 || c === 41 || c === 35) break;
      if (c === 92 /* \\ */) {
        const next = text.charCodeAt(i + 1);
        if (Number.isNaN(next) || next === 10) fail('a backslash ends an unquoted argument');
        i += 2;
        continue;
      }
      if (c === 34 /* " */) {
        // "Unquoted legacy": a quoted run inside an unquoted argument (-DX="a b") is part of it.
        if (i === from) break;
        const start = line;
        let j = i + 1;
        while (j < n && text.charCodeAt(j) !== 34) { if (text.charCodeAt(j) === 92) j++; if (text.charCodeAt(j) === 10) line++; j++; }
        if (j >= n) fail('quoted text inside an unquoted argument is never closed', start);
        i = j + 1;
        continue;
      }
      i++;
    }
    return text.slice(from, i);
  };

  while (i < n) {
    const c = text[i]!;
    if (c === '\n') { line++; i++; continue; }
    if (c === ' ' || c === '\t' || c === '\r') { i++; continue; }
    if (c === '#') { comment(); continue; }
    if (!IDENT_START.test(c)) fail(`expected a command name, found ${JSON.stringify(c)}`);
    const callLine = line;
    let j = i + 1;
    for (let k = text.charCodeAt(j); (k >= 48 && k <= 57) || (k >= 65 && k <= 90) || (k >= 97 && k <= 122) || k === 95; k = text.charCodeAt(++j));
    const name = text.slice(i, j).toLowerCase();
    i = j;
    while (text[i] === ' ' || text[i] === '\t') i++;
    if (text[i] !== '(') fail(`command "${name}" is not followed by "("`);
    i++;
    const args: RawArg[] = [];
    let depth = 0;
    for (;;) {
      if (i >= n) fail(`the arguments of "${name}" are never closed by ")"`, callLine);
      const d = text[i]!;
      if (d === '\n') { line++; i++; continue; }
      if (d === ' ' || d === '\t' || d === '\r') { i++; continue; }
      if (d === '#') { comment(); continue; }
      if (d === '(') { depth++; args.push({ text: '(', kind: 'unquoted' }); i++; continue; }
      if (d === ')') {
        i++;
        if (depth === 0) break;
        depth--;
        args.push({ text: ')', kind: 'unquoted' });
        continue;
      }
      if (d === '"') { args.push({ text: quoted(), kind: 'quoted' }); continue; }
      if (bracketOpen(i) >= 0) { args.push({ text: bracket(), kind: 'bracket' }); continue; }
      const u = unquoted();
      if (u === '') fail(`unexpected ${JSON.stringify(text[i])} in the arguments of "${name}"`);
      args.push({ text: u, kind: 'unquoted' });
    }
    out.push({ name, args, line: callLine });
    // A command ends its line: only spaces and a comment may follow it.
    while (text[i] === ' ' || text[i] === '\t' || text[i] === '\r') i++;
    if (i < n && text[i] !== '\n' && text[i] !== '#') {
      // CMake accepts this with a warning for some forms; read on rather than refuse the file.
      continue;
    }
  }
  return out;
}
