// What a profile is: the requirements of one guideline on an SBOM, each with its citation, its
// level (only "required" ones make the check fail) and a test over the facts read from the SBOM.
import type { ComponentFacts, SbomFacts } from '../facts.ts';

/** required: MUST, the check fails without it; additional: MUST where the data exists (BSI §5.2.3–5.2.4); optional: MAY; practice: asked of the process, reported only. */
export type Level = 'required' | 'additional' | 'optional' | 'practice';

export type Outcome = { ok: true } | { ok: false; problem: string } | { na: string };

export interface SbomRequirement {
  /** Stable id, e.g. "5.2.2/hash". */
  id: string;
  /** The data field or rule in the guideline's own words. */
  field: string;
  level: Level;
  /** Section, table and page of the guideline. */
  cite: string;
  scope: 'sbom' | 'component';
  /** Field key for the writer's "marque:unavailable:<key>" notes. */
  key?: string;
  /** Whether it applies to logical components too (BSI TR-03183-2 §3.2.2); file-only fields do not. */
  logical?: boolean;
  sbom?(facts: SbomFacts): Outcome;
  component?(c: ComponentFacts, facts: SbomFacts): Outcome;
}

export interface SbomProfile {
  id: string;
  title: string;
  /** The document the requirements come from, with its version and where it is published. */
  source: string;
  requirements: readonly SbomRequirement[];
  /** Why a component counts as a logical component, or undefined when it is a file (BSI §3.2.2); profiles without the notion leave it out. */
  logical?(c: ComponentFacts): string | undefined;
}

export const met: Outcome = { ok: true };
export const missing = (problem: string): Outcome => ({ ok: false, problem });
