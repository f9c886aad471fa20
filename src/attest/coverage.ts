// Which components of a product a valid, trusted assessment covers, and the auditor's to-do list.
import type { InventoryComponent } from '../model/inventory.ts';
import { assessedIdentity, coverageGap } from './assessment.ts';
import type { StoredAttestation } from './store.ts';
import { verifyAttestation, type TrustPolicy, type Verified } from './verify.ts';

export interface Coverage {
  covered: { component: string; attestation: string; signers: { keyid: string; name: string }[]; assessor: string; context: string; expires: string }[];
  /** `why`: the valid assessments of the same component that do not cover this one, each with the reason. */
  /** Third-party components no valid assessment covers (the product's own code is the manufacturer's to assess, not on this list). */
  unassessed: { component: string; depth: number | null; kind: string | null; why?: { attestation: string; reason: string }[] }[];
  rejected: { attestation: string; reason: string }[];
  figures: { overall: Ratio; runtime: Ratio; byDepth: Record<string, Ratio> };
}
/** `percent` is null for 0 of 0: of nothing, no share is covered, neither "100 %" nor "0 %". */
export interface Ratio { covered: number; total: number; percent: number | null }

const ratio = (covered: number, total: number): Ratio => ({ covered, total, percent: total ? Math.round((covered / total) * 1000) / 10 : null });

export function coverage(components: InventoryComponent[], attestations: StoredAttestation[], policy: TrustPolicy, opts: { now?: Date; use?: string } = {}): Coverage {
  const valid: { digest: string; v: Verified }[] = [];
  const rejected: Coverage['rejected'] = [];
  for (const a of attestations) {
    if (a.unreadable) { rejected.push({ attestation: a.file ?? a.digest, reason: a.unreadable }); continue; }
    try {
      valid.push({ digest: a.digest, v: verifyAttestation(a.envelope, policy, { now: opts.now, use: opts.use }) });
    } catch (e) {
      rejected.push({ attestation: a.file ? `${a.file} (${a.digest})` : a.digest, reason: (e as Error).message });
    }
  }
  const byIdentity = new Map<string, typeof valid>();
  for (const x of valid) {
    const id = assessedIdentity(x.v.statement.predicate.component);
    byIdentity.set(id, [...(byIdentity.get(id) ?? []), x]);
  }
  const covered: Coverage['covered'] = [];
  const unassessed: Coverage['unassessed'] = [];
  // The product itself (an SBOM's subject) is not one of its components; a purl listed twice is one component.
  const seen = new Set<string>();
  const own = components.filter((c) => !c.subject && !seen.has(c.purl) && Boolean(seen.add(c.purl)));
  for (const c of own) {
    let id: string;
    try { id = assessedIdentity(c.purl); } catch { id = c.purl; }
    const known = [...(c.hashes ?? []), ...(c.sourceHashes ?? [])];
    const why: { attestation: string; reason: string }[] = [];
    const hit = (byIdentity.get(id) ?? []).find((x) => {
      const gap = c.version ? coverageGap(x.v.statement.predicate, c.purl, c.version, known) : 'the component has no version to check against the assessed range';
      if (gap) why.push({ attestation: x.digest, reason: gap });
      return !gap;
    });
    if (hit) covered.push({ component: c.purl, attestation: hit.digest, signers: hit.v.signers, assessor: hit.v.statement.predicate.assessor.name, context: hit.v.statement.predicate.context, expires: hit.v.statement.predicate.expires });
    else if (!c.firstParty) unassessed.push({ component: c.purl, depth: c.depth, kind: c.kind, ...(why.length ? { why } : {}) });
  }
  // The auditor's to-do list: nearest to the product first, runtime before build and test.
  const exposure = (k: string | null) => (k === 'runtime' ? 0 : k === 'optional' ? 1 : k ? 2 : 3);
  unassessed.sort((a, b) => (a.depth ?? 1e9) - (b.depth ?? 1e9) || exposure(a.kind) - exposure(b.kind) || (a.component < b.component ? -1 : 1));
  const isCovered = new Set(covered.map((x) => x.component));
  // The figures and the to-do list count third-party components: the product's own code (first-party)
  // is matched like any other (an assessment of it is cited), but reuse is about what it takes from others.
  const counted = own.filter((c) => !c.firstParty);
  const depths = new Map<string, [number, number]>();
  for (const c of counted) {
    const k = c.depth === null ? 'unreachable' : String(c.depth);
    const [cv, t] = depths.get(k) ?? [0, 0];
    depths.set(k, [cv + (isCovered.has(c.purl) ? 1 : 0), t + 1]);
  }
  const runtime = counted.filter((c) => c.kind === 'runtime');
  return {
    covered, unassessed, rejected,
    figures: {
      overall: ratio(counted.filter((c) => isCovered.has(c.purl)).length, counted.length),
      runtime: ratio(runtime.filter((c) => isCovered.has(c.purl)).length, runtime.length),
      byDepth: Object.fromEntries([...depths].sort(([a], [b]) => (a === 'unreachable' ? 1 : b === 'unreachable' ? -1 : Number(a) - Number(b))).map(([k, [cv, t]]) => [k, ratio(cv, t)])),
    },
  };
}
