// Elixir terms as mix.lock and a mix.exs `deps` list write them: maps (`%{"k": v}`, `%{k => v}`), tuples,
// lists, keyword lists (`[hex: :mime, optional: false]`, and the bracket-less one closing a tuple:
// `{:floki, ">= 0.30.0", only: :test}`), strings, atoms, numbers. Never evaluated: anything else (a call,
// `Mix.env() == :dev`, a module attribute) is kept as an expression with its text, for the reader to say
// it cannot know its value. Written by hand: no JavaScript package reads Elixir terms.
import { InputError, lineOf } from '../../util/errors.ts';

export type Term =
  | { t: 'str'; v: string }
  | { t: 'atom'; v: string }
  | { t: 'num'; v: string }
  | { t: 'tuple'; items: Term[] }
  | { t: 'list'; items: Term[] }
  | { t: 'map'; entries: [Term, Term][] }
  /** What is not a literal: its text as written. */
  | { t: 'expr'; text: string };

type Token =
  | { k: 'open'; v: '{' | '[' | '%{' | '(' ; at: number }
  | { k: 'close'; v: '}' | ']' | ')'; at: number }
  | { k: ','; at: number }
  | { k: '=>'; at: number }
  | { k: 'str'; v: string; interpolated: boolean; at: number }
  | { k: 'atom'; v: string; at: number }
  /** `name:` and `"name":`: a keyword key. */
  | { k: 'key'; v: string; at: number }
  | { k: 'num'; v: string; at: number }
  | { k: 'word'; v: string; at: number }
  | { k: 'other'; v: string; at: number };

const MAX_DEPTH = 64;
const IDENT = /[A-Za-z_][A-Za-z0-9_]*[?!]?/y;
const ATOM = /:([A-Za-z_][A-Za-z0-9_@]*[?!]?|"(?:[^"\\]|\\.)*")/y;
const NUMBER = /-?\d[\d_]*(?:\.\d[\d_]*)?(?:[eE][+-]?\d+)?/y;

function unescape(body: string): string {
  return body.replace(/\\(.)/gs, (_m, c: string) => ({ n: '\n', t: '\t', r: '\r', '0': '\0' } as Record<string, string>)[c] ?? c);
}

/** Tokens of `text` from `start`; strings with `#{…}` keep their text and say so. */
export function tokenize(text: string, file: string, start = 0, end = text.length): Token[] {
  const out: Token[] = [];
  let i = start;
  const fail = (msg: string): never => { throw new InputError(msg, file, lineOf(text, i)); };
  while (i < end) {
    const c = text[i]!;
    if (c === ' ' || c === '\t' || c === '\r' || c === '\n') { i++; continue; }
    if (c === '#') { while (i < end && text[i] !== '\n') i++; continue; }
    const at = i;
    if (c === '"') {
      const heredoc = text.startsWith('"""', i);
      const close = heredoc ? '"""' : '"';
      let j = i + close.length;
      while (j < end && !text.startsWith(close, j)) j += text[j] === '\\' ? 2 : 1;
      if (j >= end) fail('a string is not closed');
      const body = text.slice(i + close.length, j);
      i = j + close.length;
      // "name": a quoted keyword key (mix.lock's keys)
      if (!heredoc && text[i] === ':' && /\s/.test(text[i + 1] ?? ' ')) { out.push({ k: 'key', v: unescape(body), at }); i++; continue; }
      out.push({ k: 'str', v: unescape(body), interpolated: /#\{/.test(body), at });
      continue;
    }
    if (c === "'") {
      let j = i + 1;
      while (j < end && text[j] !== "'") j += text[j] === '\\' ? 2 : 1;
      if (j >= end) fail('a charlist is not closed');
      out.push({ k: 'other', v: text.slice(i, j + 1), at });
      i = j + 1;
      continue;
    }
    if (c === '%' && text[i + 1] === '{') { out.push({ k: 'open', v: '%{', at }); i += 2; continue; }
    if (c === '{' || c === '[' || c === '(') { out.push({ k: 'open', v: c, at }); i++; continue; }
    if (c === '}' || c === ']' || c === ')') { out.push({ k: 'close', v: c, at }); i++; continue; }
    if (c === ',') { out.push({ k: ',', at }); i++; continue; }
    if (c === '=' && text[i + 1] === '>') { out.push({ k: '=>', at }); i += 2; continue; }
    if (c === ':' && text[i + 1] !== ':') {
      ATOM.lastIndex = i;
      const m = ATOM.exec(text);
      if (m && m.index === i) {
        const name = m[1]!;
        out.push({ k: 'atom', v: name.startsWith('"') ? unescape(name.slice(1, -1)) : name, at });
        i += m[0].length;
        continue;
      }
    }
    if (/[0-9]/.test(c) || (c === '-' && /[0-9]/.test(text[i + 1] ?? ''))) {
      NUMBER.lastIndex = i;
      const m = NUMBER.exec(text)!;
      out.push({ k: 'num', v: m[0], at });
      i += m[0].length;
      continue;
    }
    if (/[A-Za-z_]/.test(c)) {
      IDENT.lastIndex = i;
      const m = IDENT.exec(text)!;
      i += m[0].length;
      // `only:` (a key) needs a space or line end after the colon; `Mix.env` and `do:` are words and keys.
      if (text[i] === ':' && text[i + 1] !== ':' && /[\s]/.test(text[i + 1] ?? ' ')) { out.push({ k: 'key', v: m[0], at }); i++; continue; }
      out.push({ k: 'word', v: m[0], at });
      continue;
    }
    if (c === '~') {
      // A sigil (~w(a b), ~r/x/): kept whole as an expression's text.
      const open = text[i + 2];
      const pairs: Record<string, string> = { '(': ')', '[': ']', '{': '}', '<': '>', '/': '/', '|': '|', '"': '"', "'": "'" };
      const close = open ? pairs[open] : undefined;
      if (/[A-Za-z]/.test(text[i + 1] ?? '') && close) {
        let j = i + 3;
        while (j < end && text[j] !== close) j += text[j] === '\\' ? 2 : 1;
        while (j + 1 < end && /[a-z]/.test(text[j + 1]!)) j++;
        out.push({ k: 'other', v: text.slice(i, j + 1), at });
        i = j + 1;
        continue;
      }
    }
    // Operators and anything else: one character each, kept for an expression's text.
    out.push({ k: 'other', v: c, at });
    i++;
  }
  return out;
}

/** Parses terms from tokens; `strict`: anything not a literal is an error (mix.lock), else an expression (mix.exs). */
export class TermReader {
  private pos = 0;
  private readonly tokens: Token[];
  private readonly text: string;
  private readonly file: string;
  private readonly strict: boolean;
  constructor(tokens: Token[], text: string, file: string, strict: boolean) {
    this.tokens = tokens;
    this.text = text;
    this.file = file;
    this.strict = strict;
  }

  get done(): boolean { return this.pos >= this.tokens.length; }

  /** The index of the next token. */
  get position(): number { return this.pos; }

  /** The list that starts at the next token, whatever follows it (`[...] ++ more`). */
  listAt(): Term {
    const tok = this.peek();
    if (tok?.k !== 'open' || tok.v !== '[') return this.fail('a list was expected');
    this.pos++;
    return this.collection('[', 0);
  }

  private fail(msg: string, at = this.tokens[this.pos]?.at ?? this.text.length): never {
    throw new InputError(msg, this.file, lineOf(this.text, at));
  }

  private peek(): Token | undefined { return this.tokens[this.pos]; }

  /** One term; at depth 0 in strict mode the whole input must be this term. */
  term(depth = 0): Term {
    if (depth > MAX_DEPTH) this.fail(`terms nested more than ${MAX_DEPTH} deep`);
    const tok = this.peek();
    if (!tok) return this.fail('the file ends where a value was expected');
    const startPos = this.pos;
    let value: Term | undefined;
    if (tok.k === 'str' && !tok.interpolated) { this.pos++; value = { t: 'str', v: tok.v }; }
    else if (tok.k === 'atom') { this.pos++; value = { t: 'atom', v: tok.v }; }
    else if (tok.k === 'num') { this.pos++; value = { t: 'num', v: tok.v }; }
    else if (tok.k === 'word' && (tok.v === 'true' || tok.v === 'false' || tok.v === 'nil')) { this.pos++; value = { t: 'atom', v: tok.v }; }
    else if (tok.k === 'open' && tok.v !== '(') { this.pos++; value = this.collection(tok.v, depth); }
    // A value followed by more than a separator (`Mix.env() == :dev`, `"a" <> b`) is an expression.
    const next = this.peek();
    if (value && (!next || next.k === ',' || next.k === 'close' || next.k === '=>')) return value;
    if (this.strict) this.fail(`a value Marque reads only as written (strings, atoms, numbers, lists, tuples, maps), not "${this.textFrom(startPos, 3)}"`);
    this.pos = startPos;
    return this.expression(depth);
  }

  private textFrom(pos: number, n: number): string {
    const a = this.tokens[pos]?.at ?? this.text.length;
    const b = this.tokens[pos + n]?.at ?? this.text.length;
    return this.text.slice(a, b).trim().slice(0, 60);
  }

  /** Tokens up to the next separator at this level: an expression's text. */
  private expression(depth: number): Term {
    const from = this.peek()!.at;
    let level = 0;
    let to = from;
    while (this.pos < this.tokens.length) {
      const tok = this.tokens[this.pos]!;
      if (level === 0 && (tok.k === ',' || tok.k === 'close' || tok.k === '=>')) break;
      if (tok.k === 'open') { level++; if (depth + level > MAX_DEPTH) this.fail(`terms nested more than ${MAX_DEPTH} deep`); }
      if (tok.k === 'close') level--;
      this.pos++;
      to = this.tokens[this.pos]?.at ?? this.text.length;
    }
    return { t: 'expr', text: this.text.slice(from, to).trim() };
  }

  private collection(open: '{' | '[' | '%{', depth: number): Term {
    const close = open === '[' ? ']' : '}';
    const items: Term[] = [];
    const entries: [Term, Term][] = [];
    let keywords: Term[] | undefined;
    for (;;) {
      const tok = this.peek();
      if (!tok) return this.fail(`"${open}" is not closed`);
      if (tok.k === 'close') {
        if (tok.v !== close) this.fail(`"${tok.v}" closes "${open}"`);
        this.pos++;
        break;
      }
      if (tok.k === 'key') {
        // `key: value`: a keyword pair; in a tuple, the keyword list that ends it.
        this.pos++;
        const pair: Term = { t: 'tuple', items: [{ t: 'atom', v: tok.v }, this.term(depth + 1)] };
        if (open === '%{') entries.push([pair.items[0]!, pair.items[1]!]);
        else if (open === '[') items.push(pair);
        else (keywords ??= []).push(pair);
      } else {
        if (keywords) this.fail('a value after the keyword list that ends a tuple');
        const value = this.term(depth + 1);
        if (open === '%{') {
          if (this.peek()?.k !== '=>') this.fail('a map entry without "=>" or "key:"');
          this.pos++;
          entries.push([value, this.term(depth + 1)]);
        } else items.push(value);
      }
      const sep = this.peek();
      if (sep?.k === ',') { this.pos++; continue; }
      if (sep?.k === 'close') continue;
      this.fail(`"," or "${close}" expected`);
    }
    if (open === '%{') return { t: 'map', entries };
    if (open === '[') return { t: 'list', items };
    if (keywords) items.push({ t: 'list', items: keywords });
    return { t: 'tuple', items };
  }
}

/** The value of a keyword list's key (`[hex: :mime, optional: false]`), the first one written. */
export function keyword(list: Term | undefined, key: string): Term | undefined {
  if (list?.t !== 'list') return undefined;
  for (const item of list.items) if (item.t === 'tuple' && item.items.length === 2 && item.items[0]!.t === 'atom' && item.items[0]!.v === key) return item.items[1];
  return undefined;
}

export const str = (t: Term | undefined): string | undefined => (t?.t === 'str' ? t.v : undefined);
export const atom = (t: Term | undefined): string | undefined => (t?.t === 'atom' ? t.v : undefined);

/** The line of an offset, by binary search over the line starts: many lookups in one text stay linear. */
export function lineFinder(text: string): (at: number) => number {
  const starts: number[] = [0];
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
  return (at) => {
    let lo = 0, hi = starts.length - 1;
    while (lo < hi) { const mid = (lo + hi + 1) >> 1; if (starts[mid]! <= at) lo = mid; else hi = mid - 1; }
    return lo + 1;
  };
}
