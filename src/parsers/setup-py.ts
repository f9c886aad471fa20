// setup.py and setup.cfg read as far as reading, never running, tells: what colcon's Python package
// identification takes from them (colcon-core's setup.cfg reading, colcon-python-setup-py's setup()
// arguments). setup.py is Python code, which colcon runs: here a keyword argument of the setup() call
// is known when it is a string literal, a list or tuple of string literals, or a name bound once at the
// top of the file to one of those (`package_name = 'x'`, as ROS's ament_python template writes). Anything
// else is unknown, with the reason, and never guessed.

/** A keyword argument of setup(): its value, or why it cannot be read. */
export type Literal = { value: string | string[] } | { unknown: string };

export interface SetupPy {
  /**
   * colcon-core reads only setup.cfg when setup.py calls setup() with no arguments or only a cmdclass
   * (is_reading_cfg_sufficient: the text contains "setup()" or "setup(cmdclass=cmdclass)").
   */
  cfgSufficient: boolean;
  /** Whether a setup() call was found. */
  call: boolean;
  /** The keyword arguments of the setup() call, by name. */
  keywords: Record<string, Literal>;
}

export interface SetupCfg {
  /** Sections by lower-case name, options by lower-case name with "-" read as "_" (setuptools reads both). */
  sections: Record<string, Record<string, string>>;
}

/** colcon's dependency kinds of a Python package: setup_requires (build), install_requires (run), tests_require (test). */
export const REQUIRES: readonly (readonly [option: string, kind: 'build' | 'run' | 'test'])[] = [['setup_requires', 'build'], ['install_requires', 'run'], ['tests_require', 'test']];

// ---- setup.py ------------------------------------------------------------------------------------

type Token = { t: 'str'; v: string | undefined; line: number } | { t: 'name'; v: string; line: number; col0: boolean } | { t: 'op'; v: string; line: number } | { t: 'nl'; v: ''; line: number };

const STRING_PREFIX = /^(?:[rRuUbBfF]|[rR][bBfF]|[bBfF][rR])?$/;
const WORD = /[A-Za-z_][A-Za-z0-9_]*/y;

/** Python tokens, enough to read literals: strings (f-strings as unknown), names, operators, and logical line ends. */
function tokens(text: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  let line = 1;
  let depth = 0;
  const n = text.length;
  while (i < n) {
    const c = text[i]!;
    if (c === '\n') { if (depth === 0) out.push({ t: 'nl', v: '', line }); line++; i++; continue; }
    if (c === ' ' || c === '\t' || c === '\r' || c === '\f') { i++; continue; }
    if (c === '\\' && text[i + 1] === '\n') { i += 2; line++; continue; }
    if (c === '#') { while (i < n && text[i] !== '\n') i++; continue; }
    WORD.lastIndex = i;
    const word = WORD.exec(text);
    const quoteAt = word && STRING_PREFIX.test(word[0]) && (text[i + word[0].length] === '"' || text[i + word[0].length] === "'") ? i + word[0].length : c === '"' || c === "'" ? i : -1;
    if (quoteAt >= 0) {
      const prefix = text.slice(i, quoteAt).toLowerCase();
      const q = text[quoteAt]!;
      const triple = text.startsWith(q.repeat(3), quoteAt);
      const close = triple ? q.repeat(3) : q;
      let j = quoteAt + close.length;
      let value = '';
      let ok = true;
      const startLine = line;
      for (;;) {
        if (j >= n) { ok = false; break; }
        const d = text[j]!;
        if (text.startsWith(close, j)) { j += close.length; break; }
        if (d === '\n') { line++; if (!triple) { ok = false; break; } }
        if (d === '\\' && j + 1 < n) {
          const e = text[j + 1]!;
          if (e === '\n') line++;
          if (prefix.includes('r')) value += d + e;
          else value += e === 'n' ? '\n' : e === 't' ? '\t' : e === '\n' ? '' : e === 'r' ? '\r' : e === '0' ? '\0' : e;
          j += 2;
          continue;
        }
        value += d;
        j++;
      }
      // Bytes and f-strings are no names or versions; an unclosed string ends the reading of its value.
      out.push({ t: 'str', v: ok && !prefix.includes('f') && !prefix.includes('b') ? value : undefined, line: startLine });
      i = j;
      continue;
    }
    if (word) { out.push({ t: 'name', v: word[0], line, col0: i === 0 || text[i - 1] === '\n' }); i += word[0].length; continue; }
    if (c === '(' || c === '[' || c === '{') depth++;
    else if ((c === ')' || c === ']' || c === '}') && depth > 0) depth--;
    const two = text.slice(i, i + 2);
    if (two === '**' || two === '==' || two === '+=' || two === '->' || two === ':=') { out.push({ t: 'op', v: two, line }); i += 2; continue; }
    out.push({ t: 'op', v: c, line });
    i++;
  }
  out.push({ t: 'nl', v: '', line });
  return out;
}

const CLOSE: Record<string, string> = { '(': ')', '[': ']', '{': '}' };

/** The index after the expression starting at `i`: up to a "," or closing bracket at its own depth, or a line end. */
function skipExpression(ts: Token[], i: number): number {
  let depth = 0;
  for (; i < ts.length; i++) {
    const tk = ts[i]!;
    if (tk.t === 'nl' && depth === 0) return i;
    if (tk.t !== 'op') continue;
    if (tk.v in CLOSE) depth++;
    else if (tk.v === ')' || tk.v === ']' || tk.v === '}') { if (depth === 0) return i; depth--; }
    else if (tk.v === ',' && depth === 0) return i;
  }
  return i;
}

/**
 * The literal an expression is, when it is one of: adjacent string literals, a list or tuple of them, or a
 * name bound to one of those. `end` is where the expression ends (skipExpression).
 */
function literalAt(ts: Token[], i: number, end: number, names: ReadonlyMap<string, Literal>): Literal {
  const what = () => ts.slice(i, Math.min(end, i + 6)).map((t) => (t.t === 'str' ? JSON.stringify(t.v ?? '…') : t.v)).join(' ');
  if (i >= end) return { unknown: 'no value' };
  const first = ts[i]!;
  if (first.t === 'name' && end === i + 1) {
    const bound = names.get(first.v);
    return bound ?? { unknown: `${first.v} is not a literal bound at the top of setup.py` };
  }
  if (first.t === 'str') {
    let s = '';
    for (let j = i; j < end; j++) {
      const tk = ts[j]!;
      if (tk.t !== 'str') return { unknown: `"${what()}" is computed, not a literal` };
      if (tk.v === undefined) return { unknown: 'an f-string, a bytes literal or an unclosed string' };
      s += tk.v;
    }
    return { value: s };
  }
  if (first.t === 'op' && (first.v === '[' || first.v === '(')) {
    const last = ts[end - 1];
    if (!last || last.t !== 'op' || last.v !== CLOSE[first.v]) return { unknown: `"${what()}" is computed, not a literal` };
    const items: string[] = [];
    let j = i + 1;
    while (j < end - 1) {
      const stop = skipExpression(ts, j);
      if (stop > end - 1) return { unknown: `"${what()}" is not a list of literals` };
      if (stop > j) {
        // A list of strings, not of lists: nothing nested is read (nor recursed into, however deep).
        const head = ts[j]!;
        if (head.t === 'op' && (head.v === '[' || head.v === '(')) return { unknown: 'a nested list' };
        const item = literalAt(ts, j, stop, names);
        if ('unknown' in item) return item;
        if (Array.isArray(item.value)) return { unknown: 'a nested list' };
        items.push(item.value);
      }
      j = stop + 1;
    }
    return { value: items };
  }
  return { unknown: `"${what()}" is computed, not a literal` };
}

/** Reads setup.py's setup() call. Never throws: what cannot be read is unknown. */
export function readSetupPy(text: string): SetupPy {
  const cfgSufficient = text.includes('setup()') || text.includes('setup(cmdclass=cmdclass)');
  const ts = tokens(text);
  // Names bound at the top of the file (in the first column, outside any bracket): once to a literal; a
  // name bound twice, or to anything else, is unknown.
  const names = new Map<string, Literal>();
  for (let i = 0; i < ts.length; i++) {
    const tk = ts[i]!;
    if (tk.t !== 'name' || !tk.col0 || (i > 0 && ts[i - 1]!.t !== 'nl')) continue;
    const eq = ts[i + 1];
    if (!eq || eq.t !== 'op' || (eq.v !== '=' && eq.v !== '+=')) continue;
    const end = skipExpression(ts, i + 2);
    const isLineEnd = ts[end]?.t === 'nl';
    const value = eq.v === '=' && isLineEnd ? literalAt(ts, i + 2, end, names) : { unknown: `${tk.v} is changed in setup.py` };
    names.set(tk.v, names.has(tk.v) ? { unknown: `${tk.v} is bound more than once in setup.py` } : value);
  }
  // The setup() call: setup(...) or setuptools.setup(...) / distutils.core.setup(...); the last one read.
  let call = -1;
  for (let i = 0; i + 1 < ts.length; i++) {
    const tk = ts[i]!;
    const next = ts[i + 1]!;
    if (tk.t === 'name' && tk.v === 'setup' && next.t === 'op' && next.v === '(' && !(i > 0 && ts[i - 1]!.t === 'name' && ts[i - 1]!.v === 'def')) call = i + 2;
  }
  const keywords: Record<string, Literal> = {};
  if (call < 0) return { cfgSufficient, call: false, keywords };
  for (let i = call; i < ts.length;) {
    const tk = ts[i]!;
    if (tk.t === 'op' && tk.v === ')') break;
    const end = skipExpression(ts, tk.t === 'name' && ts[i + 1]?.t === 'op' && ts[i + 1]!.v === '=' ? i + 2 : i);
    if (tk.t === 'name' && ts[i + 1]?.t === 'op' && ts[i + 1]!.v === '=') keywords[tk.v] = literalAt(ts, i + 2, end, names);
    else if (tk.t === 'op' && tk.v === '**') keywords['**'] = { unknown: 'setup() is given a dictionary of arguments (**)' };
    if (end >= ts.length || ts[end]!.t === 'nl') break;
    i = ts[end]!.t === 'op' && ts[end]!.v === ',' ? end + 1 : end;
    if (ts[end]!.t === 'op' && ts[end]!.v === ')') break;
  }
  return { cfgSufficient, call: true, keywords };
}

// ---- setup.cfg -----------------------------------------------------------------------------------

/** setup.cfg as Python's configparser reads it: sections, "key = value" or "key: value", indented continuation lines. */
export function readSetupCfg(text: string): SetupCfg {
  const sections: Record<string, Record<string, string>> = {};
  let section: Record<string, string> | undefined;
  let key: string | undefined;
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.replace(/\s+$/, '');
    if (/^\s*[#;]/.test(line)) continue;
    if (line === '') { if (section && key !== undefined) section[key] += '\n'; continue; }
    if (/^\s/.test(line)) {
      if (section && key !== undefined) section[key] += `\n${line.trim()}`;
      continue;
    }
    const head = /^\[([^\]]+)\]/.exec(line);
    if (head) {
      const name = head[1]!.trim().toLowerCase();
      section = sections[name] ??= {};
      key = undefined;
      continue;
    }
    const m = /^([^=:]+?)\s*[=:]\s*(.*)$/.exec(line);
    if (!m || !section) { key = undefined; continue; }
    key = m[1]!.toLowerCase().replace(/-/g, '_');
    section[key] = m[2]!.replace(/\s+[#;].*$/, '');
  }
  for (const s of Object.values(sections)) for (const k of Object.keys(s)) s[k] = s[k]!.replace(/\n+$/, '').trim();
  return { sections };
}

/** A list option as setuptools reads it: one item a line, or comma-separated on one line. */
export function cfgList(value: string | undefined): string[] {
  if (value === undefined) return [];
  const items = value.includes('\n') ? value.split('\n') : value.split(',');
  return items.map((x) => x.trim()).filter((x) => x !== '' && !x.startsWith('#'));
}

/**
 * setup.cfg's [metadata] name or version, when it is written out; `attr:` and `file:` directives take
 * it from code or another file, which colcon's setuptools reads and Marque does not.
 */
export function cfgMetadata(cfg: SetupCfg, key: 'name' | 'version'): Literal | undefined {
  const v = cfg.sections['metadata']?.[key];
  if (v === undefined || v === '') return undefined;
  if (/^(attr|file):/.test(v)) return { unknown: `setup.cfg's ${key} is "${v}": setuptools reads it from another file` };
  return { value: v };
}

/** The distribution name a PEP 508 requirement names, and what follows it (its constraint and marker). */
export function requirementParts(req: string): { name: string; constraint?: string } | undefined {
  const m = /^\s*([A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?)\s*(\[[^\]]*\])?\s*(\(?\s*([<>=!~][^;]*?)\s*\)?)?\s*(;.*)?$/.exec(req);
  if (!m) return undefined;
  const constraint = m[4]?.replace(/\s+/g, '');
  return { name: m[1]!, ...(constraint ? { constraint } : {}) };
}
