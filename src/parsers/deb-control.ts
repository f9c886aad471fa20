// deb-control files (Debian Policy §5): paragraphs of `Field: value` lines, continuation lines
// indented. dpkg's status file, apt's Packages indexes and vcpkg's CONTROL files are all written in it.
export type Paragraph = Map<string, string> & { line: number };

/** Split a deb-control file into paragraphs; field names are case-insensitive (stored lower-case). */
export function parseControl(text: string): Paragraph[] {
  const out: Paragraph[] = [];
  let cur: Paragraph | undefined;
  let last: string | undefined;
  const lines = text.split('\n');
  lines.forEach((raw, i) => {
    const line = raw.replace(/\r$/, '');
    if (line.trim() === '') { cur = undefined; last = undefined; return; }
    if (/^[ \t]/.test(line)) {
      if (cur && last) cur.set(last, `${cur.get(last)}\n${line.trim()}`);
      return;
    }
    const m = /^([^:\s]+):\s*(.*)$/.exec(line);
    if (!m) return;
    if (!cur) { cur = Object.assign(new Map<string, string>(), { line: i + 1 }); out.push(cur); }
    last = m[1]!.toLowerCase();
    cur.set(last, m[2]!);
  });
  return out;
}
