// A table of keys and values kept as the text it was read from, one "key<TAB>value" line per key
// in code-unit order, and looked up by binary search over that text: bundled data (rosdistro
// distribution files, rosdep rules: thousands of keys) costs one string to read, and a run builds
// nothing for the keys it never asks about. scripts/prepare-data.ts writes these tables.

/** The table's text from `entries` (keys and values free of tabs and line ends; values as they are). */
export function lookupTableText(entries: Iterable<[string, string]>): string {
  const rows = [...entries];
  for (const [k, v] of rows) {
    if (/[\t\n\r]/.test(k) || /[\n\r]/.test(v)) throw new Error(`lookup table: key ${JSON.stringify(k)} or its value holds a tab or a line end`);
  }
  rows.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  for (let i = 1; i < rows.length; i++) if (rows[i]![0] === rows[i - 1]![0]) throw new Error(`lookup table: key ${JSON.stringify(rows[i]![0])} twice`);
  return rows.map(([k, v]) => `${k}\t${v}\n`).join('');
}

export class LookupTable {
  private readonly text: string;
  private readonly start: number;

  /** `text` holds the table's lines from offset `start` to its end (a header may come before). */
  constructor(text: string, start = 0) {
    this.text = text;
    this.start = start;
  }

  /** The value of `key`, or undefined. */
  get(key: string): string | undefined {
    const { text } = this;
    let lo = this.start;
    let hi = text.length;
    // Invariant: the line of `key`, if any, starts in [lo, hi); every line start in it is a key's.
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      const lineStart = mid === this.start ? mid : text.lastIndexOf('\n', mid - 1) + 1;
      const from = lineStart < lo ? lo : lineStart;
      const tab = text.indexOf('\t', from);
      const end = text.indexOf('\n', from);
      if (tab < 0 || end < 0) return undefined; // not a table line: damaged data reads as absent
      const k = text.slice(from, tab);
      if (k === key) return text.slice(tab + 1, end);
      if (k < key) lo = end + 1; else hi = from;
    }
    return undefined;
  }

  has(key: string): boolean { return this.get(key) !== undefined; }

  /** Every key, in order (a walk over the whole text: for counts and listings, not lookups). */
  *keys(): IterableIterator<string> {
    const { text } = this;
    for (let at = this.start; at < text.length;) {
      const tab = text.indexOf('\t', at);
      const end = text.indexOf('\n', at);
      if (tab < 0 || end < 0) return;
      yield text.slice(at, tab);
      at = end + 1;
    }
  }
}
