// The perimeter's two numbers as a view shows them, from a dossier of any age (src/model/dossier.ts
// holds the shape only; what is derived from it lives here, beside the other renderers).
import type { DossierPerimeter } from '../model/dossier.ts';

/**
 * The perimeter's numbers of a dossier, derived for dossiers kept before they were recorded: there a
 * component in no compartment was listed as "reached through not assigned to a compartment".
 */
export function perimeterCounts(p: DossierPerimeter): NonNullable<DossierPerimeter['counts']> {
  if (p.counts) return p.counts;
  const countedIn = p.perimeter.filter((x) => (x.basis ? x.basis === 'counted-in' : x.compartment === null)).length;
  return { reached: p.perimeter.length - countedIn, countedIn, outside: p.outside.length, interfaces: p.interfaces?.length ?? 0 };
}
