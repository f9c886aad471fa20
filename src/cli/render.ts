// Human-readable rendering: plain text tables, no logic about the domain. Fields from inputs are
// put on one line (oneLine) so a name cannot add or repaint lines.
import { oneLine, plural } from '../util/text.ts';
import type { Problem, Unresolved, NotAnalysed } from '../model/inventory.ts';

export { plural };

/** Terminal width tables are fitted to: 100 columns unless the terminal says otherwise. */
const WIDTH = 100;

/**
 * A plain text table no wider than `width`: when the rows do not fit, the widest column is
 * narrowed and its cells wrap onto continuation lines (nothing is cut off).
 */
export function table(rows: string[][], header: string[], width = process.stdout.columns && process.stdout.columns >= 60 ? process.stdout.columns : WIDTH): string {
  const all = [header, ...rows.map((r) => r.map(oneLine))];
  const widths = header.map(() => 0);
  for (const r of all) for (let i = 0; i < header.length; i++) widths[i] = Math.max(widths[i]!, (r[i] ?? '').length);
  const total = () => widths.reduce((a, b) => a + b, 0) + 2 * (widths.length - 1);
  // Narrow the widest column until the table fits, never below its header or 12 characters.
  while (total() > width) {
    let w = 0;
    for (let i = 1; i < widths.length; i++) if (widths[i]! > widths[w]!) w = i;
    const floor = Math.max(12, header[w]!.length);
    if (widths[w]! <= floor) break;
    // Level, do not starve: the widest gives up width only down to the next widest, then they share.
    const next = Math.max(0, ...widths.filter((_, i) => i !== w));
    widths[w] = Math.max(floor, next, widths[w]! - (total() - width));
    if (widths[w] === next && next > floor) widths[w] = Math.max(floor, next - 1);
  }
  const out: string[] = [];
  for (const r of all) {
    const cells = header.map((_, i) => wrap(r[i] ?? '', widths[i]!));
    const height = Math.max(...cells.map((c) => c.length));
    for (let k = 0; k < height; k++) out.push(cells.map((c, i) => (i === cells.length - 1 ? c[k] ?? '' : (c[k] ?? '').padEnd(widths[i]!))).join('  ').trimEnd());
  }
  return out.join('\n') + '\n';
}

/** Cut text into lines of at most `width`, at a space or a separator where one is near. */
function wrap(text: string, width: number): string[] {
  if (text.length <= width) return [text];
  const lines: string[] = [];
  let rest = text;
  while (rest.length > width) {
    // The first separator, in this order, that leaves at least half a line: purls break before "?".
    let cut = -1;
    for (const sep of [' ', '?', '&', '/', '@', '-']) {
      const i = sep === '?' || sep === '&' ? rest.lastIndexOf(sep, width) - 1 : rest.lastIndexOf(sep, width - 1);
      if (i >= width / 2) { cut = i; break; }
    }
    if (cut < 0) cut = width - 1;
    lines.push(rest.slice(0, cut + 1).trimEnd());
    rest = rest.slice(cut + 1).trimStart();
  }
  if (rest) lines.push(rest);
  return lines;
}


export function where(p: { file: string; line?: number; column?: number }): string {
  return `${oneLine(p.file)}${p.line ? `:${p.line}${p.column ? `:${p.column}` : ''}` : ''}`;
}

export function problemsText(problems: Problem[]): string {
  if (!problems.length) return '';
  return `\nProblems (${problems.length}):\n` + problems.map((p) => `  ${p.severity}: ${where(p)}: ${oneLine(p.message)}\n`).join('');
}

export function unresolvedText(unresolved: Unresolved[]): string {
  if (!unresolved.length) return '';
  return `\nUnresolved dependencies (${unresolved.length}):\n` + unresolved.map((u) => `  ${oneLine(u.key)} (from ${oneLine(u.package)}, ${where(u)}): ${oneLine(u.reason)}\n`).join('');
}

/** Lockfiles and manifests found but not read: what they lock is missing. */
export function notAnalysedText(files: readonly NotAnalysed[]): string {
  if (!files.length) return '';
  return `\nNot analysed (${files.length}): the components these lock are missing from the inventory\n` + files.map((f) => `  ${oneLine(f.file)}: ${oneLine(f.reason)}\n`).join('');
}

/** What the analysis could not see, said once each. */
export function notesText(notes: readonly string[]): string {
  if (!notes.length) return '';
  return '\n' + notes.map((n) => `Note: ${oneLine(n)}\n`).join('');
}
