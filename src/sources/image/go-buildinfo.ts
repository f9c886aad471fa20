// The build information Go (1.18 and later) embeds in every binary it links (debug/buildinfo): the
// 14-byte magic "\xff Go buildinf:", a 32-byte header whose flags say the strings are inline, then
// the Go version and the module information (path, mod, dep, =>, build lines), each a varint-length
// string. Found by scanning the file as it streams by, with a window, so no binary is held whole.
const MAGIC = Buffer.from('\xff Go buildinf:', 'latin1');
const CAPTURE = 128 * 1024;

export interface GoModule { path: string; version: string; sum?: string; replacedBy?: { path: string; version: string } }
export interface GoBuildInfo { goVersion: string; path?: string; main?: GoModule; deps: GoModule[]; settings: Record<string, string> }

function varint(buf: Buffer, at: number): [number, number] | undefined {
  let value = 0, shift = 0;
  for (let i = at; i < buf.length && i < at + 10; i++) {
    const b = buf[i]!;
    value += (b & 0x7f) * 2 ** shift;
    if (!(b & 0x80)) return [value, i + 1];
    shift += 7;
  }
  return undefined;
}

/** Parses the bytes that start at the magic; undefined for pre-1.18 (pointer-based) or damaged data. */
export function parseBuildInfo(buf: Buffer): GoBuildInfo | undefined {
  if (buf.length < 33 || !buf.subarray(0, 14).equals(MAGIC)) return undefined;
  const flags = buf[15]!;
  if (!(flags & 2)) return undefined; // before Go 1.18 the strings are pointers into the data segment
  const a = varint(buf, 32);
  if (!a || a[1] + a[0] > buf.length) return undefined;
  const goVersion = buf.toString('utf8', a[1], a[1] + a[0]);
  const b = varint(buf, a[1] + a[0]);
  if (!b || b[1] + b[0] > buf.length) return undefined;
  let mod = buf.toString('utf8', b[1], b[1] + b[0]);
  // The module information is framed by 16-byte sentinels.
  if (mod.length >= 33 && mod[mod.length - 17] === '\n') mod = mod.slice(16, -16);
  const info: GoBuildInfo = { goVersion, deps: [], settings: {} };
  let last: GoModule | undefined;
  for (const line of mod.split('\n')) {
    const f = line.split('\t');
    if (f[0] === 'path') info.path = f[1];
    else if (f[0] === 'mod' && f[1]) info.main = last = { path: f[1], version: f[2] ?? '', ...(f[3] ? { sum: f[3] } : {}) };
    else if (f[0] === 'dep' && f[1]) info.deps.push(last = { path: f[1], version: f[2] ?? '', ...(f[3] ? { sum: f[3] } : {}) });
    else if (f[0] === '=>' && last && f[1]) last.replacedBy = { path: f[1], version: f[2] ?? '' };
    else if (f[0] === 'build' && f[1]) { const eq = f[1].indexOf('='); if (eq > 0) info.settings[f[1].slice(0, eq)] = f[1].slice(eq + 1); }
  }
  return goVersion.startsWith('go') || goVersion.startsWith('devel') ? info : undefined;
}

/**
 * A scanner fed chunk by chunk. The magic can also appear as a string constant (a binary that
 * imports debug/buildinfo), so up to four candidates are captured, each with a bounded window, and
 * the first that parses wins.
 */
export function scanGoBuildInfo(): { push(chunk: Buffer): void; result(): GoBuildInfo | undefined } {
  let tail: Buffer = Buffer.alloc(0);
  const candidates: { parts: Buffer[]; size: number }[] = [];
  return {
    push(chunk) {
      for (const c of candidates) if (c.size < CAPTURE) { c.parts.push(chunk); c.size += chunk.length; }
      if (candidates.length >= 4) return;
      const window = tail.length ? Buffer.concat([tail, chunk]) : chunk;
      let from = 0;
      for (let at = window.indexOf(MAGIC, from); at >= 0 && candidates.length < 4; at = window.indexOf(MAGIC, from)) {
        // A candidate found in the carried-over tail started in an earlier chunk: the new chunk is already in it.
        candidates.push({ parts: [window.subarray(at)], size: window.length - at });
        from = at + 1;
      }
      tail = window.subarray(Math.max(0, window.length - MAGIC.length + 1));
    },
    result() {
      for (const c of candidates) { const r = parseBuildInfo(Buffer.concat(c.parts).subarray(0, CAPTURE)); if (r) return r; }
      return undefined;
    },
  };
}
