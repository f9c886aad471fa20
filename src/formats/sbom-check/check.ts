// An SBOM's facts against a profile: for every requirement, how many components it applies to,
// how many meet it, which miss it and why (the writer's own reason where it gave one). The SBOM
// conforms when every "required" requirement is met; "additional" ones are reported (BSI
// TR-03183-2 §5.2.3–5.2.4: a MUST only where the data exists, which a reader cannot know).
import type { ComponentFacts, SbomFacts } from './facts.ts';
import type { Level, SbomProfile, SbomRequirement } from './profiles/profile.ts';
import { TR_03183_2 } from './profiles/tr-03183-2.ts';
import { NTIA_MINIMUM } from './profiles/ntia.ts';
import { purlVersionDisagreeing } from '../../model/purl.ts';

export const PROFILES: Record<string, SbomProfile> = { 'tr-03183-2': TR_03183_2, ntia: NTIA_MINIMUM };

/** At most this many components are named per requirement; the counts are always whole. */
const EXAMPLES = 5;

export interface RequirementResult {
  id: string;
  field: string;
  level: Level;
  cite: string;
  scope: 'sbom' | 'component';
  status: 'met' | 'not-met' | 'not-applicable';
  /** Components it applies to (component scope) or 1 (SBOM scope). */
  applicable: number;
  met: number;
  /** Of those that miss it: how many the SBOM itself says cannot be given, and why. */
  explained: { reason: string; count: number }[];
  problems: { ref: string; name?: string; problem: string }[];
  /** How many problems there were in all (problems lists the first few). */
  missing: number;
  /** Of those, how many the SBOM gives no reason for. */
  unexplained: number;
}

export interface SbomCheckResult {
  file: string;
  format: string;
  specVersion: string;
  encoding: string;
  profile: { id: string; title: string; source: string };
  components: number;
  logicalComponents: { count: number; reasons: { reason: string; count: number }[] };
  requirements: RequirementResult[];
  /** Required requirements not met: the check fails when this is not empty. */
  failed: string[];
  /** Of those, the ones where some miss has no reason in the SBOM (not only missing input data). */
  failedUnexplained: string[];
  conforms: boolean;
  notes: string[];
}

function tally(reasons: string[]): { reason: string; count: number }[] {
  const m = new Map<string, number>();
  for (const r of reasons) m.set(r, (m.get(r) ?? 0) + 1);
  return [...m].map(([reason, count]) => ({ reason, count })).sort((a, b) => b.count - a.count || (a.reason < b.reason ? -1 : 1));
}

function evaluate(req: SbomRequirement, facts: SbomFacts, logical: Map<ComponentFacts, string>): RequirementResult {
  const base = { id: req.id, field: req.field, level: req.level, cite: req.cite, scope: req.scope };
  if (req.scope === 'sbom') {
    const o = req.sbom!(facts);
    if ('na' in o) return { ...base, status: 'not-applicable', applicable: 0, met: 0, explained: [], problems: [], missing: 0, unexplained: 0 };
    return { ...base, status: o.ok ? 'met' : 'not-met', applicable: 1, met: o.ok ? 1 : 0, explained: [], problems: o.ok ? [] : [{ ref: facts.file, problem: o.problem }], missing: o.ok ? 0 : 1, unexplained: o.ok ? 0 : 1 };
  }
  let applicable = 0;
  let metCount = 0;
  const problems: RequirementResult['problems'] = [];
  const reasons: string[] = [];
  let missingCount = 0;
  for (const c of facts.components) {
    if (logical.has(c) && !req.logical) continue;
    const o = req.component!(c, facts);
    if ('na' in o) continue;
    applicable++;
    if (o.ok) { metCount++; continue; }
    missingCount++;
    const why = req.key ? c.unavailable[req.key] : undefined;
    if (why) { reasons.push(why); continue; }
    if (problems.length < EXAMPLES) problems.push({ ref: c.ref, ...(c.name ? { name: c.name } : {}), problem: o.problem });
  }
  return { ...base, status: applicable === 0 ? 'not-applicable' : metCount === applicable ? 'met' : 'not-met', applicable, met: metCount, explained: tally(reasons), problems, missing: missingCount, unexplained: missingCount - reasons.length };
}

export function checkSbomFacts(facts: SbomFacts, profile: SbomProfile): SbomCheckResult {
  const logical = new Map<ComponentFacts, string>();
  for (const c of facts.components) { const why = profile.logical?.(c); if (why) logical.set(c, why); }
  const requirements = profile.requirements.map((r) => evaluate(r, facts, logical));
  const failed = requirements.filter((r) => r.level === 'required' && r.status === 'not-met').map((r) => r.id);
  const failedUnexplained = requirements.filter((r) => r.level === 'required' && r.status === 'not-met' && r.unexplained > 0).map((r) => r.id);
  const notes = [...facts.notes];
  if (!facts.components.length) notes.push('the SBOM lists no component');
  // One identity, two versions: tools that match advisories by purl (trivy, grype, Marque) read the purl's.
  const disagreeing = facts.components.flatMap((c) => {
    const theirs = c.identifiers.purl && c.version ? purlVersionDisagreeing(c.identifiers.purl, c.version) : undefined;
    return theirs === undefined ? [] : [`${c.name ?? c.ref} ${c.version} (purl: ${theirs})`];
  });
  if (disagreeing.length) notes.push(`${disagreeing.length} component(s) give a version that differs from their purl's, and tools that match advisories by purl read the purl's: ${disagreeing.slice(0, EXAMPLES).join(', ')}${disagreeing.length > EXAMPLES ? ', …' : ''}`);
  return {
    file: facts.file, format: facts.format, specVersion: facts.specVersion, encoding: facts.encoding,
    profile: { id: profile.id, title: profile.title, source: profile.source },
    components: facts.components.length,
    logicalComponents: { count: logical.size, reasons: tally([...logical.values()]) },
    requirements, failed, failedUnexplained, conforms: failed.length === 0, notes,
  };
}
