// The YAML pnpm writes, read line by line. pnpm dumps its lock in one fixed style (block maps indented by
// two, keys plain or single-quoted, values plain, quoted or one-line flow collections, no anchors, tags,
// comments or multi-line scalars), and a general YAML parser spends most of a large lock's time on what
// that style never uses. This reader takes that style only: anything else (an alias, a tag, a block
// scalar, a key written twice, a tab) makes it answer undefined, and the caller reads the file with a
// general YAML parser, whose errors carry the line. The top level's block maps (importers, packages,
// snapshots: 50,000 keys and more) are Maps, fast to fill and to walk; maps below them are plain
// objects. Plain scalars stay text except true/false/null (pnpm quotes what would read as a number).

export type PnpmYaml = string | boolean | null | PnpmYaml[] | { [k: string]: PnpmYaml } | Map<string, PnpmYaml>;

/** Thrown inside the reader when a line is outside pnpm's style; never leaves this module. */
class NotPnpmStyle extends Error {}
const notStyle = (): never => { throw new NotPnpmStyle(); };

type Container = { indent: number; kind: 'map'; map: Map<string, PnpmYaml> | Record<string, PnpmYaml> } | { indent: number; kind: 'seq'; seq: PnpmYaml[] };

const PLAIN_KEYWORDS: Record<string, PnpmYaml> = { __proto__: null, true: true, True: true, TRUE: true, false: false, False: false, FALSE: false, null: null, Null: null, NULL: null, '~': null };

function plain(s: string): PnpmYaml {
  if (s === '') return null;
  if (s.length <= 5) { const k = PLAIN_KEYWORDS[s]; if (k !== undefined) return k; }
  // Indicators a plain scalar may not start with, or a comment: not pnpm's style.
  const c = s.charCodeAt(0);
  if (c === 38 /* & */ || c === 42 /* * */ || c === 33 /* ! */ || c === 124 /* | */ || c === 62 /* > */ || c === 37 /* % */ || c === 64 /* @ */ || c === 96 /* ` */ || c === 63 /* ? */ || c === 35 /* # */ || c === 45 && s.length === 1) notStyle();
  if (s.includes(' #') || s.includes(': ') || s.endsWith(':')) notStyle();
  return s;
}

/** A quoted scalar starting at `at`; returns it and the index after its closing quote. */
function quoted(line: string, at: number): [string, number] {
  const q = line.charCodeAt(at);
  if (q === 39 /* ' */) {
    let out = '';
    let i = at + 1;
    for (;;) {
      const j = line.indexOf("'", i);
      if (j < 0) notStyle();
      if (line.charCodeAt(j + 1) === 39) { out += line.slice(i, j + 1); i = j + 2; continue; }
      return [out + line.slice(i, j), j + 1];
    }
  }
  // Double quotes: only the escapes a dump of a one-line string writes.
  let out = '';
  let i = at + 1;
  for (;;) {
    const c = line.charCodeAt(i);
    if (Number.isNaN(c)) notStyle();
    if (c === 34) return [out, i + 1];
    if (c !== 92) { out += line[i]; i++; continue; }
    const e = line[i + 1];
    const simple: Record<string, string> = { '"': '"', '\\': '\\', '/': '/', n: '\n', t: '\t', r: '\r', '0': '\0', ' ': ' ' };
    if (e !== undefined && simple[e] !== undefined) { out += simple[e]; i += 2; continue; }
    if (e === 'x' || e === 'u') {
      const n = e === 'x' ? 2 : 4;
      const hex = line.slice(i + 2, i + 2 + n);
      if (!new RegExp(`^[0-9a-fA-F]{${n}}$`).test(hex)) notStyle();
      out += String.fromCharCode(Number.parseInt(hex, 16));
      i += 2 + n;
      continue;
    }
    return notStyle();
  }
}

// Maps below the top level are objects without a prototype: V8 keeps them as hash tables from the
// start, where a literal object would go through a hidden class per new key (dependency names vary).
const newMap = (): Record<string, PnpmYaml> => Object.create(null) as Record<string, PnpmYaml>;

const setKey = (o: Record<string, PnpmYaml>, k: string, v: PnpmYaml) => {
  // A repeated key is an error for YAML parsers, and "__proto__" needs their care: leave both to them.
  if (k === '__proto__' || Object.hasOwn(o, k)) notStyle();
  o[k] = v;
};

/** A one-line flow collection ("{integrity: sha512-…, tarball: https://…}", "[x64]") from `at`; the value and the index after it. */
function flow(s: string, at: number, depth = 0): [PnpmYaml, number] {
  // pnpm nests flow collections one or two deep; deeper is left to the YAML parser (and its limits).
  if (depth > 8) notStyle();
  const skip = (i: number) => { while (s.charCodeAt(i) === 32) i++; return i; };
  const scalar = (i: number, stops: string): [PnpmYaml, number] => {
    const c = s[i];
    if (c === "'" || c === '"') return quoted(s, i);
    if (c === '{' || c === '[') return flow(s, i, depth + 1);
    let j = i;
    while (j < s.length && !stops.includes(s[j]!) && !(s[j] === ':' && (s[j + 1] === ' ' || s[j + 1] === undefined || stops.includes(s[j + 1]!)))) j++;
    return [plain(s.slice(i, j).trimEnd()), j];
  };
  if (s[at] === '[') {
    const out: PnpmYaml[] = [];
    let i = skip(at + 1);
    if (s[i] === ']') return [out, i + 1];
    for (;;) {
      const [v, j] = scalar(i, ',]');
      out.push(v);
      i = skip(j);
      if (s[i] === ']') return [out, i + 1];
      if (s[i] !== ',') notStyle();
      i = skip(i + 1);
    }
  }
  const out = newMap();
  let i = skip(at + 1);
  if (s[i] === '}') return [out, i + 1];
  for (;;) {
    const [k, j] = scalar(i, ',}');
    if (typeof k !== 'string' || s[j] !== ':') notStyle();
    const [v, l] = s[j + 1] === ' ' ? scalar(skip(j + 1), ',}') : [null, j + 1];
    setKey(out, k as string, v);
    i = skip(l);
    if (s[i] === '}') return [out, i + 1];
    if (s[i] !== ',') notStyle();
    i = skip(i + 1);
  }
}

/** A value written after "key: " or "- ": a scalar or a one-line flow collection, the whole rest of the line. */
function inlineValue(s: string): PnpmYaml {
  const c = s[0];
  if (c === "'" || c === '"' || c === '{' || c === '[') {
    const [v, end] = c === '{' || c === '[' ? flow(s, 0) : quoted(s, 0);
    if (s.slice(end).trim() !== '') notStyle();
    return v;
  }
  return plain(s);
}

/** The key of a "key: value" / "key:" line and the index where its value starts (-1: nothing follows). */
function keyOf(s: string): [string, number] {
  if (s[0] === "'" || s[0] === '"') {
    const [k, end] = quoted(s, 0);
    if (s[end] !== ':') notStyle();
    if (end + 1 === s.length) return [k, -1];
    if (s[end + 1] !== ' ') notStyle();
    return [k, end + 2];
  }
  const sep = s.indexOf(': ');
  const k = sep < 0 ? (s.endsWith(':') ? s.slice(0, -1) : notStyle()) : s.slice(0, sep);
  if (k === '' || typeof plain(k) !== 'string') notStyle();
  return [k, sep < 0 ? -1 : sep + 2];
}

/** pnpm-lock.yaml as pnpm writes it, or undefined when the text is outside that style (read it with a YAML parser then). */
export function readPnpmYaml(text: string): Record<string, PnpmYaml> | undefined {
  try {
    return read(text);
  } catch (e) {
    if (e instanceof NotPnpmStyle) return undefined;
    throw e;
  }
}

function read(text: string): Record<string, PnpmYaml> {
  const root: Record<string, PnpmYaml> = {};
  const stack: Container[] = [{ indent: 0, kind: 'map', map: root }];
  // A key whose value is on the following lines: it becomes a map or a sequence by what comes next.
  let pending: { key: string; indent: number; into: Map<string, PnpmYaml> | Record<string, PnpmYaml>; depth: number } | undefined;
  const put = (into: Map<string, PnpmYaml> | Record<string, PnpmYaml>, k: string, v: PnpmYaml) => {
    if (into instanceof Map) { const n = into.size; into.set(k, v); if (into.size === n) notStyle(); } else setKey(into, k, v);
  };
  let pos = 0;
  if (text.charCodeAt(0) === 0xfeff) pos = 1;
  while (pos <= text.length) {
    let end = text.indexOf('\n', pos);
    if (end < 0) end = text.length;
    const start = pos;
    pos = end + 1;
    if (text.charCodeAt(end - 1) === 13) end--;
    let at = start;
    while (at < end && text.charCodeAt(at) === 32) at++;
    if (at === end) continue;
    const indent = at - start;
    const c = text.charCodeAt(at);
    if (c === 9 || c === 35 /* # */) notStyle();
    if (indent === 0 && (text.startsWith('---', at) || text.startsWith('...', at))) notStyle();
    const isItem = c === 45 /* - */ && (at + 1 === end || text.charCodeAt(at + 1) === 32);
    const body = text.slice(at, end);
    if (pending) {
      // The pending key's value: a nested block when the line is deeper (or a sequence at the key's own indent), else null.
      if (indent > pending.indent || (isItem && indent === pending.indent)) {
        const child: Container = isItem ? { indent, kind: 'seq', seq: [] } : { indent, kind: 'map', map: pending.depth === 0 ? new Map() : newMap() };
        put(pending.into, pending.key, child.kind === 'seq' ? child.seq : child.map);
        stack.push(child);
      } else put(pending.into, pending.key, null);
      pending = undefined;
    }
    while (stack.length > 1 && stack[stack.length - 1]!.indent > indent) stack.pop();
    const top = stack[stack.length - 1]!;
    if (top.indent !== indent) notStyle();
    if (top.kind === 'seq') {
      if (!isItem) {
        // A sequence at its key's own indent ends where that map's next key starts.
        stack.pop();
        const up = stack[stack.length - 1]!;
        if (up.indent !== indent || up.kind !== 'map') return notStyle();
        pending = entry(up.map, body, stack.length - 1, indent, put);
        continue;
      }
      const rest = body.slice(2).trim();
      // "- key: value" (a map in a sequence) is not in pnpm's style.
      if (rest === '' || (rest[0] !== "'" && rest[0] !== '"' && /:( |$)/.test(rest))) notStyle();
      top.seq.push(inlineValue(rest));
      continue;
    }
    if (isItem) notStyle();
    pending = entry(top.map, body, stack.length - 1, indent, put);
  }
  if (pending) put(pending.into, pending.key, null);
  return root;
}

function entry(into: Map<string, PnpmYaml> | Record<string, PnpmYaml>, body: string, depth: number, indent: number, put: (into: Map<string, PnpmYaml> | Record<string, PnpmYaml>, k: string, v: PnpmYaml) => void) {
  const [key, at] = keyOf(body);
  const value = at < 0 ? '' : body.slice(at).trim();
  if (value === '') return { key, indent, into, depth };
  put(into, key, inlineValue(value));
  return undefined;
}
