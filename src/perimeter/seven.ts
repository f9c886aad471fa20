// The Seven Properties of Highly Secured Devices (Hunt et al., Microsoft Research, 2017), evaluated
// from the architecture model where it can say, and left to evidence where it cannot.
import type { Manifest } from '../manifest/manifest.ts';
import type { PerimeterResult } from './analyse.ts';
import type { ArchitectureModel } from './model.ts';

export interface PropertyResult { property: string; status: 'met' | 'declared' | 'not-met' | 'needs-evidence'; evidence: string }

export function sevenProperties(model: ArchitectureModel, result: PerimeterResult, m: Manifest, total: number): PropertyResult[] {
  const anchors = model.trustAnchors.map((t) => t.kind);
  const isolated = model.compartments.filter((c) => c.isolation);
  const stopping = result.boundaries.filter((b) => b.stopsAttacker);
  const share = total ? result.perimeter.length / total : 1;
  const certFlows = model.flows.filter((f) => f.authenticated && /tls|x\.?509|certificate|sros2|dds-security/i.test(`${f.mechanism ?? ''} ${f.protocol ?? ''}`));
  return [
    { property: 'Hardware-based root of trust', status: anchors.some((k) => ['hardware-root-of-trust', 'tpm', 'secure-element'].includes(k)) ? 'met' : 'not-met', evidence: anchors.length ? `trust anchors: ${anchors.join(', ')}` : 'no hardware trust anchor declared (architecture.trustAnchors)' },
    { property: 'Small trusted computing base', status: share <= 0.25 ? 'met' : 'not-met', evidence: `${result.perimeter.length} of ${total} components (${Math.round(share * 100)} %) are in the perimeter` },
    { property: 'Defence in depth', status: stopping.length >= 2 ? 'met' : stopping.length === 1 ? 'needs-evidence' : 'not-met', evidence: `${stopping.length} assessed boundary mechanism(s) stop the attacker: ${stopping.map((b) => b.mechanism).join(', ') || 'none'}` },
    { property: 'Compartmentalisation', status: isolated.length >= 2 ? 'met' : 'not-met', evidence: `${isolated.length} compartment(s) with an isolation mechanism` },
    { property: 'Certificate-based authentication', status: certFlows.length ? 'met' : 'needs-evidence', evidence: certFlows.length ? `${certFlows.length} flow(s) authenticated with certificates (${[...new Set(certFlows.map((f) => f.mechanism))].join(', ')})` : 'no flow declares certificate-based authentication' },
    // Only stated in marque.yaml, not something the architecture shows: declared, never met.
    { property: 'Renewable security', status: m.support?.updates?.mechanism ? 'declared' : 'needs-evidence', evidence: m.support?.updates?.mechanism ?? 'no update mechanism declared (support.updates.mechanism)' },
    { property: 'Failure reporting', status: m.architecture?.failureReporting ? 'declared' : 'needs-evidence', evidence: m.architecture?.failureReporting ?? 'describe how failures and crashes are reported (architecture.failureReporting)' },
  ];
}
