// Human-readable rendering: plain text tables, no logic about the domain.
import type { Problem, Unresolved, NotAnalysed } from '../model/inventory.ts';

export function table(rows: string[][], header: string[]): string {
  const all = [header, ...rows];
  const widths = header.map((_, i) => Math.max(...all.map((r) => (r[i] ?? '').length)));
  return all.map((r) => r.map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i]!))).join('  ').trimEnd()).join('\n') + '\n';
}

export function where(p: { file: string; line?: number; column?: number }): string {
  return `${p.file}${p.line ? `:${p.line}${p.column ? `:${p.column}` : ''}` : ''}`;
}

export function problemsText(problems: Problem[]): string {
  if (!problems.length) return '';
  return `\nProblems (${problems.length}):\n` + problems.map((p) => `  ${p.severity}: ${where(p)}: ${p.message}\n`).join('');
}

export function unresolvedText(unresolved: Unresolved[]): string {
  if (!unresolved.length) return '';
  return `\nUnresolved dependencies (${unresolved.length}):\n` + unresolved.map((u) => `  ${u.key} (from ${u.package}, ${where(u)}): ${u.reason}\n`).join('');
}

/** Lockfiles and manifests found but not read: what they lock is missing. */
export function notAnalysedText(files: readonly NotAnalysed[]): string {
  if (!files.length) return '';
  return `\nNot analysed (${files.length}): the components these lock are missing from the inventory\n` + files.map((f) => `  ${f.file}: ${f.format} (${f.ecosystem}) is not read by Marque yet\n`).join('');
}

/** What the analysis could not see, said once each. */
export function notesText(notes: readonly string[]): string {
  if (!notes.length) return '';
  return '\n' + notes.map((n) => `Note: ${n}\n`).join('');
}
