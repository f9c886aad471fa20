// The Gemfile beside a Gemfile.lock, read statically (it is Ruby; Marque does not run it): which
// Bundler groups each gem is declared in. `group :test, :development do … end` blocks, the `group:` /
// `groups:` options of a `gem` line (either hash syntax), and `gemspec` (whose development dependencies
// Bundler puts in :development). Checked against Bundler's own Dsl on lobsters' Gemfile.
// What only running Ruby would know (a gem declared under `if ENV[…]`, eval_gemfile of another file)
// is read as written: the gem counts, with the groups of the blocks around it.

export interface GemfileGroups {
  /** Gem name → the groups it is declared in ("default" when none). */
  groups: Map<string, Set<string>>;
  /** The Gemfile has a `gemspec` line: DEPENDENCIES it does not name are the gemspec's development dependencies. */
  gemspec: boolean;
}

/** Symbols and strings of a group list: `:test, :development`, `[:test, "ci"]`, `%i[test development]`. */
function names(list: string): string[] {
  const words = /%[iw]\[([^\]]*)\]/.exec(list);
  if (words) return words[1]!.trim().split(/\s+/).filter(Boolean);
  return [...list.matchAll(/:(\w+)|["'](\w[\w-]*)["']/g)].map((m) => m[1] ?? m[2]!);
}

/** Strip a Ruby comment that is not inside a string. */
function code(line: string): string {
  let quote = '';
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (quote) { if (c === '\\') i++; else if (c === quote) quote = ''; continue; }
    if (c === '"' || c === "'") quote = c;
    else if (c === '#') return line.slice(0, i);
  }
  return line;
}

// Words that open a block closed by `end` when they start a statement (not as a trailing modifier).
const OPENERS = /^(if|unless|case|while|until|begin|def|class|module|for)\b/;

export function parseGemfileGroups(text: string): GemfileGroups {
  const groups = new Map<string, Set<string>>();
  // One frame per open block: the groups a `group … do` block adds, [] for any other block.
  const stack: string[][] = [];
  let gemspec = false;
  for (const raw of text.split('\n')) {
    const line = code(raw).trim();
    if (!line) continue;
    if (/^end\b/.test(line)) { stack.pop(); continue; }
    const group = /^group\s*\(?\s*(.+?)\s*\)?\s+do(\s*\|[^|]*\|)?$/.exec(line);
    if (group) { stack.push(names(group[1]!)); continue; }
    if (/^gemspec\b/.test(line)) gemspec = true;
    const gem = /^gem\s*\(?\s*["']([^"']+)["'](.*)$/.exec(line);
    if (gem) {
      const opts = gem[2]!;
      const inline = /(?:\bgroups?:|:groups?\s*=>)\s*(\[[^\]]*\]|%[iw]\[[^\]]*\]|:\w+|["'][\w-]+["'])/.exec(opts);
      const declared = [...stack.flat(), ...(inline ? names(inline[1]!) : [])];
      const set = groups.get(gem[1]!) ?? new Set<string>();
      for (const g of declared.length ? declared : ['default']) set.add(g);
      groups.set(gem[1]!, set);
    }
    // Any other block (platforms, source, git, path, install_if, if/unless …) nests without groups.
    if (!gem && (/\bdo(\s*\|[^|]*\|)?$/.test(line) || OPENERS.test(line)) && !/\bend$/.test(line)) stack.push([]);
  }
  return { groups, gemspec };
}
