// The Seven Properties of Highly Secured Devices (Hunt et al., Microsoft Research, 2017), evaluated
// from the architecture model where it can say, and left to evidence where it cannot.
import type { Manifest } from '../manifest/manifest.ts';
import type { PerimeterResult } from './analyse.ts';
import type { ArchitectureModel } from './model.ts';

export interface PropertyResult { property: string; status: 'met' | 'declared' | 'not-met' | 'needs-evidence'; evidence: string }

export function sevenProperties(model: ArchitectureModel, result: PerimeterResult, m: Manifest, total: number): PropertyResult[] {
  const anchors = model.trustAnchors.map((t) => t.kind);
  // Only an assessed mechanism isolates; a declared one is a claim, and a bus isolates nothing.
  const isolated = model.compartments.filter((c) => c.isolation && c.kind !== 'bus');
  const assessed = isolated.filter((c) => c.isolationAssessed);
  const unassessed = isolated.filter((c) => !c.isolationAssessed);
  // Depth counts distinct mechanisms: the same one at two places is one layer, not two.
  const stopping = [...new Set(result.boundaries.filter((b) => b.stopsAttacker).map((b) => b.mechanism))];
  const share = total ? result.perimeter.length / total : 1;
  const certFlows = model.flows.filter((f) => f.authenticated && /tls|x\.?509|certificate|sros2|dds-security/i.test(`${f.mechanism ?? ''} ${f.protocol ?? ''}`));
  const certAssessed = certFlows.filter((f) => f.mechanismAssessed);
  return [
    { property: 'Hardware-based root of trust', status: anchors.some((k) => ['hardware-root-of-trust', 'tpm', 'secure-element'].includes(k)) ? 'met' : 'not-met', evidence: anchors.length ? `trust anchors: ${anchors.join(', ')}` : 'no hardware trust anchor declared (architecture.trustAnchors)' },
    {
      // The share is an analysis only when an interface was followed: with none, what is in is counted in, to be safe.
      property: 'Small trusted computing base',
      status: result.counts.interfaces === 0 ? 'needs-evidence' : share <= 0.25 ? 'met' : 'not-met',
      evidence: `${result.perimeter.length} of ${total} components (${Math.round(share * 100)} %) are in the perimeter: ${result.counts.reached} reached from an external interface, ${result.counts.countedIn} counted in, to be safe`
        + (result.counts.interfaces === 0 ? '; the model has no external interface, so this share measures what the model leaves unplaced, not what an attacker reaches' : ''),
    },
    { property: 'Defence in depth', status: stopping.length >= 2 ? 'met' : stopping.length === 1 ? 'needs-evidence' : 'not-met', evidence: `${stopping.length} distinct assessed mechanism(s) stop the attacker: ${stopping.join(', ') || 'none'}` },
    {
      property: 'Compartmentalisation',
      status: assessed.length >= 2 ? 'met' : isolated.length >= 2 ? 'needs-evidence' : 'not-met',
      evidence: `${assessed.length} compartment(s) isolated by an assessed mechanism${assessed.length ? ` (${assessed.map((c) => `${c.id}: ${c.isolation}`).join('; ')})` : ''}` +
        (unassessed.length ? `; ${unassessed.length} more declare a mechanism that is not assessed (${unassessed.slice(0, 5).map((c) => c.id).join(', ')}${unassessed.length > 5 ? ', …' : ''})` : '') +
        (model.compartments.some((c) => c.kind === 'process' && !c.isolation) ? '; ROS processes of one user are not counted as isolated' : ''),
    },
    {
      property: 'Certificate-based authentication',
      status: certAssessed.length ? 'met' : certFlows.length ? 'declared' : 'needs-evidence',
      evidence: certFlows.length ? `${certFlows.length} flow(s) authenticated with certificates (${[...new Set(certFlows.map((f) => f.mechanism))].join(', ')}), ${certAssessed.length} of them by an assessed mechanism` : 'no flow declares certificate-based authentication',
    },
    // Only stated in marque.yaml, not something the architecture shows: declared, never met.
    { property: 'Renewable security', status: m.support?.updates?.mechanism ? 'declared' : 'needs-evidence', evidence: m.support?.updates?.mechanism ?? 'no update mechanism declared (support.updates.mechanism)' },
    { property: 'Failure reporting', status: m.architecture?.failureReporting ? 'declared' : 'needs-evidence', evidence: m.architecture?.failureReporting ?? 'describe how failures and crashes are reported (architecture.failureReporting)' },
  ];
}
