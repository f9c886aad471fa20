// Shell-style patterns matched without regular expressions: "*" is any run of characters, "?" one
// character only where asked (SROS2's fnmatch; in purl patterns it stays literal, as it starts the
// qualifiers). The matcher finds the literal pieces between stars leftmost-first, which is correct
// for such patterns and never backtracks: O(pattern x text) at worst, however the input is crafted.

export interface Glob { test(text: string): boolean }

/** indexOf where "?" in the needle matches any one character. */
function find(text: string, piece: string, from: number, wild: boolean): number {
  if (!wild || !piece.includes('?')) return text.indexOf(piece, from);
  outer: for (let i = from; i + piece.length <= text.length; i++) {
    for (let j = 0; j < piece.length; j++) if (piece[j] !== '?' && piece[j] !== text[i + j]) continue outer;
    return i;
  }
  return -1;
}

const at = (text: string, piece: string, pos: number, wild: boolean) => pos >= 0 && pos + piece.length <= text.length && find(text.slice(pos, pos + piece.length), piece, 0, wild) === 0;

export function compileGlob(pattern: string, questionMarkWildcard = false): Glob {
  const pieces = pattern.split('*');
  const wild = questionMarkWildcard;
  if (pieces.length === 1) return { test: (t) => t.length === pattern.length && at(t, pattern, 0, wild) };
  const first = pieces[0]!;
  const last = pieces[pieces.length - 1]!;
  const middle = pieces.slice(1, -1).filter(Boolean);
  return {
    test(t: string): boolean {
      if (t.length < first.length + last.length || !at(t, first, 0, wild) || !at(t, last, t.length - last.length, wild)) return false;
      let pos = first.length;
      const end = t.length - last.length;
      for (const piece of middle) {
        const i = find(t, piece, pos, wild);
        if (i < 0 || i + piece.length > end) return false;
        pos = i + piece.length;
      }
      return true;
    },
  };
}

/**
 * A path filter from --exclude / inventory.exclude patterns: a pattern without "/" names a file or
 * folder anywhere ("fixtures", "*.lock"); with "/" it matches the path from the scanned folder
 * ("tests/fixtures/*"), "**" being the same as "*". A matched folder is skipped whole.
 */
export function pathFilter(patterns: readonly string[]): (rel: string) => boolean {
  if (!patterns.length) return () => false;
  const byName = patterns.filter((p) => !p.replace(/\/+$/, '').includes('/')).map((p) => compileGlob(p.replace(/\/+$/, '')));
  const byPath = patterns.filter((p) => p.replace(/\/+$/, '').includes('/')).map((p) => compileGlob(p.replace(/^\.\//, '').replace(/\/+$/, '').replace(/\*\*/g, '*')));
  return (rel) => {
    const name = rel.slice(rel.lastIndexOf('/') + 1);
    return byName.some((g) => g.test(name)) || byPath.some((g) => g.test(rel));
  };
}
