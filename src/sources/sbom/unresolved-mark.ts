// An inventory's unresolved dependencies (what Marque could not turn into a component: requests==2.32.*, a ROS key
// of no package) as Marque writes them into its SBOMs and reads them back (docs/formats.md, "Marque's marks in an
// SBOM"): one mark per dependency, named `marque:unresolved`, on the component that declared it (its `from`), or on
// the SBOM's subject when none did or the declaring component is not in the SBOM. Its value is a JSON object with the
// fields in this order: key, package, file, line (when known), kind (when known), from (only on the subject, when
// set), reason. CycloneDX: a property; SPDX 2.3: an OTHER annotation whose comment is `marque:unresolved=VALUE`;
// SPDX 3: an `other` Annotation whose statement is the same.
import type { DependencyKind, Unresolved } from '../../model/inventory.ts';

export const UNRESOLVED_MARK = 'marque:unresolved';

const KINDS: readonly DependencyKind[] = ['build', 'build_export', 'buildtool', 'buildtool_export', 'exec', 'test', 'doc', 'runtime', 'dev', 'optional', 'peer'];

/** The mark's value for `u`; `from` only when it is not the component that carries the mark. */
export function unresolvedMarkValue(u: Unresolved, onSubject: boolean): string {
  return JSON.stringify({
    key: u.key, package: u.package, file: u.file, ...(u.line ? { line: u.line } : {}), ...(u.kind ? { kind: u.kind } : {}),
    ...(onSubject && u.from ? { from: u.from } : {}), reason: u.reason,
  });
}

/**
 * Where each unresolved dependency is written: the purl of the component that declared it when that component is
 * in the SBOM (and is not its subject), else the subject (`subject`).
 */
export function placeUnresolved(unresolved: readonly Unresolved[], written: ReadonlySet<string>, subject: string): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const u of unresolved) {
    const on = u.from && u.from !== subject && written.has(u.from) ? u.from : subject;
    const list = out.get(on) ?? (out.set(on, []), out.get(on)!);
    list.push(unresolvedMarkValue(u, on === subject));
  }
  return out;
}

/**
 * The unresolved dependency a mark's value says, or undefined for a value that is not one. `carrier`: the purl of
 * the component that carries it, undefined on the SBOM's subject (whose mark says its `from`, if any).
 */
export function readUnresolvedMark(value: unknown, carrier: string | undefined): Unresolved | undefined {
  if (typeof value !== 'string' || !value.startsWith('{')) return undefined;
  let v: unknown;
  try { v = JSON.parse(value); } catch { return undefined; }
  if (!v || typeof v !== 'object' || Array.isArray(v)) return undefined;
  const o = v as Record<string, unknown>;
  if (typeof o['key'] !== 'string' || !o['key'] || typeof o['file'] !== 'string') return undefined;
  const u: Unresolved = { key: o['key'], package: typeof o['package'] === 'string' ? o['package'] : o['key'], file: o['file'], reason: typeof o['reason'] === 'string' ? o['reason'] : '' };
  const from = carrier ?? (typeof o['from'] === 'string' && o['from'] ? o['from'] : undefined);
  if (from) u.from = from;
  if (typeof o['line'] === 'number' && Number.isInteger(o['line']) && o['line'] > 0) u.line = o['line'];
  if (typeof o['kind'] === 'string' && (KINDS as readonly string[]).includes(o['kind'])) u.kind = o['kind'] as DependencyKind;
  return u;
}

/** "marque:unresolved=VALUE", the comment (SPDX 2.3) or statement (SPDX 3) of the annotation that carries a mark. */
export const unresolvedAnnotation = (value: string): string => `${UNRESOLVED_MARK}=${value}`;

/** The value of an SPDX annotation's comment that is an unresolved mark, or undefined. */
export function unresolvedAnnotationValue(comment: unknown): string | undefined {
  return typeof comment === 'string' && comment.startsWith(`${UNRESOLVED_MARK}=`) ? comment.slice(UNRESOLVED_MARK.length + 1) : undefined;
}
