// Git submodules: `.gitmodules` (git-config syntax, gitmodules(5)), the commit the superproject
// records for each (a gitlink in the index, gitformat-index(5), versions 2 to 4), and a tag naming
// that commit when the submodule's own git folder has one. Read from the files alone: no git is run.
import { createHash } from 'node:crypto';
import { InputError } from '../../util/errors.ts';

export interface Submodule {
  /** The section name (`[submodule "name"]`), which names its folder under .git/modules. */
  name: string;
  path: string;
  url: string;
  branch?: string;
  line: number;
}

/** git-config text → entries (section and key lower case), as `git config --list` gives them. */
export interface GitConfigEntry { section: string; subsection?: string; key: string; value: string; line: number; /** A key without "=": boolean true. */ implicit?: true }

export function parseGitConfig(text: string, file: string): GitConfigEntry[] {
  const out: GitConfigEntry[] = [];
  let section: string | undefined;
  let subsection: string | undefined;
  const lines = text.replace(/^\uFEFF/, '').split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!.replace(/\r$/, '');
    const lineNo = i + 1;
    const trimmed = line.trim();
    if (!trimmed || trimmed.startsWith('#') || trimmed.startsWith(';')) continue;
    if (trimmed.startsWith('[')) {
      const m = /^\[\s*([A-Za-z0-9.-]+)(?:\s+"((?:[^"\\]|\\.)*)")?\s*\]\s*(?:[#;].*)?$/.exec(trimmed);
      if (!m) throw new InputError(`malformed section header ${JSON.stringify(trimmed.slice(0, 60))}`, file, lineNo);
      section = m[1]!.toLowerCase();
      subsection = m[2]?.replace(/\\(.)/g, '$1');
      // The deprecated [section.subsection] form.
      if (subsection === undefined && section.includes('.')) { const dot = section.indexOf('.'); subsection = section.slice(dot + 1); section = section.slice(0, dot); }
      continue;
    }
    if (!section) throw new InputError('a variable outside any section', file, lineNo);
    const km = /^\s*([A-Za-z][A-Za-z0-9-]*)\s*(=?)/.exec(line);
    if (!km) throw new InputError(`malformed line ${JSON.stringify(trimmed.slice(0, 60))}`, file, lineNo);
    const key = km[1]!.toLowerCase();
    if (!km[2]) {
      if (!/^\s*([#;].*)?$/.test(line.slice(km[0].length))) throw new InputError(`malformed line ${JSON.stringify(trimmed.slice(0, 60))} (a key without "=")`, file, lineNo);
      out.push({ section, subsection, key, value: 'true', line: lineNo, implicit: true });
      continue;
    }
    let rest = line.slice(km[0].length);
    let value = '';
    let quoted = false;
    let pendingSpace = '';
    for (;;) {
      let j = 0;
      let continued = false;
      for (; j < rest.length; j++) {
        const c = rest[j]!;
        if (c === '\\') {
          const e = rest[j + 1];
          if (e === undefined) { continued = true; break; }
          value += pendingSpace + (e === 'n' ? '\n' : e === 't' ? '\t' : e === 'b' ? '\b' : e);
          pendingSpace = '';
          j++;
          continue;
        }
        if (c === '"') { quoted = !quoted; continue; }
        if (!quoted && (c === '#' || c === ';')) break;
        if (!quoted && (c === ' ' || c === '\t')) { if (value) pendingSpace += ' '; continue; } // as git: each blank a space
        value += pendingSpace + c;
        pendingSpace = '';
      }
      if (!continued) break;
      i++;
      if (i >= lines.length) break;
      rest = lines[i]!.replace(/\r$/, '');
    }
    if (quoted) throw new InputError('unterminated quoted value', file, lineNo);
    out.push({ section, subsection, key, value, line: lineNo });
  }
  return out;
}

export function parseGitmodules(text: string, file: string): Submodule[] {
  const byName = new Map<string, Partial<Submodule> & { name: string; line: number }>();
  for (const e of parseGitConfig(text, file)) {
    if (e.section !== 'submodule' || e.subsection === undefined) continue;
    let s = byName.get(e.subsection);
    if (!s) byName.set(e.subsection, (s = { name: e.subsection, line: e.line }));
    if (e.key === 'path') s.path = e.value.replace(/\/+$/, '');
    else if (e.key === 'url') s.url = e.value;
    else if (e.key === 'branch') s.branch = e.value;
  }
  return [...byName.values()].filter((s): s is Submodule => !!s.path && !!s.url);
}

export interface GitIndex {
  version: number;
  /** Path → commit of every gitlink (mode 160000) at stage 0. */
  gitlinks: Map<string, string>;
}

/** The gitlinks of a git index file; `hashBytes` is 32 in a SHA-256 repository. */
export function readGitIndex(buf: Buffer, file: string, hashBytes = 20): GitIndex {
  const fail = (m: string): never => { throw new InputError(m, file); };
  if (buf.length < 12 + hashBytes || buf.toString('latin1', 0, 4) !== 'DIRC') fail('not a git index (no DIRC signature)');
  const version = buf.readUInt32BE(4);
  if (version < 2 || version > 4) fail(`git index version ${version} is not one Marque reads (2, 3 or 4)`);
  const count = buf.readUInt32BE(8);
  const end = buf.length - hashBytes;
  // The trailing checksum covers everything before it: a torn or edited index is refused, not misread.
  if (hashBytes === 20 && !createHash('sha1').update(buf.subarray(0, end)).digest().equals(buf.subarray(end))) fail('git index checksum does not match its content (damaged or being written)');
  const gitlinks = new Map<string, string>();
  let off = 12;
  let prev = '';
  const fixed = 40 + hashBytes + 2;
  for (let n = 0; n < count; n++) {
    if (off + fixed > end) fail(`git index ends inside entry ${n + 1} of ${count}`);
    const start = off;
    const mode = buf.readUInt32BE(off + 24);
    const oid = buf.toString('hex', off + 40, off + 40 + hashBytes);
    const flags = buf.readUInt16BE(off + 40 + hashBytes);
    off += fixed;
    if (flags & 0x4000) {
      if (version < 3) fail('extended flags in a version 2 git index');
      off += 2;
    }
    let path: string;
    if (version === 4) {
      // Prefix compression: how many bytes to drop from the previous path, then the rest (NUL-terminated).
      let c = buf[off++]!;
      let strip = c & 127;
      while (c & 128) {
        if (off >= end) fail('git index ends inside a path');
        c = buf[off++]!;
        strip = ((strip + 1) * 128) + (c & 127);
      }
      const nul = buf.indexOf(0, off);
      if (nul < 0 || nul >= end || strip > prev.length) fail(`malformed path in git index entry ${n + 1}`);
      path = prev.slice(0, prev.length - strip) + buf.toString('utf8', off, nul);
      off = nul + 1;
    } else {
      const nul = buf.indexOf(0, off);
      if (nul < 0 || nul >= end) fail(`malformed path in git index entry ${n + 1}`);
      path = buf.toString('utf8', off, nul);
      // Entries are padded with 1 to 8 NULs to a multiple of 8 bytes.
      off = start + ((nul - start + 8) & ~7);
    }
    prev = path;
    const stage = (flags >> 12) & 3;
    if ((mode >>> 12) === 0b1110 && stage === 0) gitlinks.set(path, oid);
  }
  // A split index keeps most entries in a shared file this reader does not follow.
  for (let x = off; x + 8 <= end;) {
    const sig = buf.toString('latin1', x, x + 4);
    const size = buf.readUInt32BE(x + 4);
    if (sig === 'link') fail('split git index (core.splitIndex): its shared part is not read');
    x += 8 + size;
  }
  return { version, gitlinks };
}

/** Commit → tag names, from a packed-refs file (peeled "^" lines name the commit of an annotated tag). */
export function tagsFromPackedRefs(text: string): Map<string, string[]> {
  const out = new Map<string, string[]>();
  let last: { sha: string; tag: string } | undefined;
  const add = (sha: string, tag: string) => { const l = out.get(sha) ?? []; if (!l.includes(tag)) l.push(tag); out.set(sha, l); };
  for (const line of text.split('\n')) {
    const peeled = /^\^([0-9a-f]{40,64})\s*$/.exec(line);
    if (peeled && last) { add(peeled[1]!, last.tag); continue; }
    const m = /^([0-9a-f]{40,64}) refs\/tags\/(.+?)\s*$/.exec(line);
    if (m) { last = { sha: m[1]!, tag: m[2]! }; add(m[1]!, m[2]!); } else last = undefined;
  }
  return out;
}
