// The Annex I checklist with its evidence, the certification perimeter, and signed assessments.
import { html } from 'htm/preact';
import type { CheckItem } from '../../src/model/cra.ts';
import type { DossierAssessments, DossierPerimeter } from '../../src/model/dossier.ts';
import { isMissing } from '../../src/model/dossier.ts';
import { perimeterCounts } from '../../src/report/perimeter-counts.ts';
import { Cite, Gap } from './profile.ts';
import { day, plural } from './format.ts';

const STATUS: Record<string, string> = { met: 'met', declared: 'declared', 'not-met': 'not met', 'needs-evidence': 'needs evidence' };

export function Checklist({ items }: { items: CheckItem[] }) {
  const n = (s: string) => items.filter((i) => i.status === s).length;
  return html`<div>
    <p class="lead">${n('met')} met (checked by Marque), ${n('declared')} declared (stated by the manufacturer, not checked), ${n('not-met')} not met, ${n('needs-evidence')} need evidence, of ${items.length}.</p>
    <table class="checklist"><thead><tr><th scope="col">Status</th><th scope="col">Requirement</th><th scope="col">Evidence</th></tr></thead><tbody>
      ${items.map((i) => html`<tr><td class="nowrap"><span class=${`check check-${i.status}`}>${STATUS[i.status]}</span></td>
        <td>${i.text} <${Cite} c=${i.cite} /></td>
        <td>${i.evidence.length ? html`<ul>${i.evidence.map((e) => html`<li>${e}</li>`)}</ul>` : html`<${Gap}>none</${Gap}>`}${i.source ? html`<div class="muted">source: ${i.source}</div>` : null}${i.guidance && (i.status === 'not-met' || i.status === 'needs-evidence') ? html`<div class="guidance">→ ${i.guidance}</div>` : null}</td></tr>`)}
    </tbody></table>
  </div>`;
}

export function PerimeterSection({ p }: { p: DossierPerimeter }) {
  // Two numbers with two reasons: what an interface reaches, and what is counted in because nothing places it.
  const c = perimeterCounts(p);
  const countedIn = p.perimeter.filter((x) => (x.basis ? x.basis === 'counted-in' : x.compartment === null));
  const reached = p.perimeter.filter((x) => !countedIn.includes(x));
  return html`<div>
    <p class="lead">${plural(c.reached + c.countedIn, 'component')} in the perimeter, ${c.outside} outside. <${Cite} c="Annex I, Part I (2)(j); Art. 13(2)" /></p>
    <ul class="counts">
      <li><strong>${c.reached}</strong> reached from the model's ${plural(c.interfaces, 'external interface')}: data from an interface reaches a compartment they run in.</li>
      <li><strong>${c.countedIn}</strong> counted in, to be safe: in no compartment of the architecture model, so Marque cannot show that external data does not reach them.</li>
    </ul>
    ${c.interfaces === 0 ? html`<p><${Gap}>The model has no external interface: the perimeter rests on components counted in, not on an analysis of what an attacker reaches.</${Gap}></p>` : null}
    ${p.launch?.found?.length ? html`<p><${Gap}>No launch file is declared (architecture.ros.launch), so the model has no ROS process.</${Gap}> Launch files in the workspace, bringup packages first: ${p.launch.found.slice(0, 10).map((f, i) => html`${i ? ', ' : ''}<code>${f}</code>`)}${p.launch.found.length > 10 ? ` and ${p.launch.found.length - 10} more` : ''}. Those the product runs are declared in marque.yaml under <code>architecture.ros.launch</code>.</p>` : null}
    ${isMissing(p.svg) ? html`<p><${Gap}>picture not drawn: ${p.svg.missing}</${Gap}></p>` : html`<figure class="perimeter"><div class="svg" tabindex="0" role="region" aria-label="Architecture picture, at its natural size: scroll to see all of it" dangerouslySetInnerHTML=${{ __html: p.svg }}></div>
      <figcaption class="muted">The legend is under the picture. The picture is at its natural size: scroll it, or read the tables below.</figcaption></figure>`}
    ${p.interfaces?.length ? html`<h3>External interfaces</h3>
    <table><thead><tr><th scope="col">Interface</th><th scope="col">Kind</th><th scope="col">Port</th><th scope="col">Enters</th><th scope="col">Source</th></tr></thead><tbody>
      ${p.interfaces.map((i) => html`<tr><td><code>${i.id}</code>${i.description ? html`<div class="muted">${i.description}</div>` : null}</td><td>${i.kind}</td><td class="num">${i.port ?? '—'}</td><td><code>${i.into}</code></td><td>${i.probable ? html`<span class="warn">probable: not declared</span>` : 'declared or configured'}</td></tr>`)}
    </tbody></table>` : null}
    ${p.dds ? html`<p><strong>DDS domain:</strong> ${p.dds.exposed ? html`<span class="warn">reachable from the network</span>` : 'kept on the host'} (${p.dds.basis === 'declared' ? 'declared in marque.yaml, not verified' : p.dds.basis === 'default' ? "ROS 2's default" : 'from the configuration'}): ${p.dds.reason}</p>` : null}
    <h3>Compartments</h3>
    ${p.compartments.length ? html`<table><thead><tr><th scope="col">Compartment</th><th scope="col">Kind</th><th scope="col">Isolation</th><th scope="col">Reached from outside</th><th scope="col">Components</th></tr></thead><tbody>
      ${p.compartments.map((c) => html`<tr><td><code>${c.id}</code>${c.parent ? html`<div class="muted">in ${c.parent}</div>` : null}</td><td>${c.kind}</td><td>${c.isolation ? `${c.isolation}${c.isolationAssessed ? ' (assessed)' : ' (not assessed)'}` : '—'}</td><td>${c.reached ? html`<span class="warn">yes</span>` : 'no'}</td><td class="num">${c.components}</td></tr>`)}
    </tbody></table>` : html`<p><${Gap}>The model has no compartment: no process, container or host places a component, so each one shipped is counted in.</${Gap}></p>`}
    <h3>Seven properties</h3>
    <table><thead><tr><th scope="col">Property</th><th scope="col">Status</th><th scope="col">Evidence</th></tr></thead><tbody>${p.properties.map((x) => html`<tr><td>${x.property}</td><td><span class=${`check check-${x.status}`}>${STATUS[x.status] ?? x.status}</span></td><td>${x.evidence}</td></tr>`)}</tbody></table>
    <details><summary>Reached from an external interface (${reached.length})</summary><ul class="columns">${reached.map((x) => html`<li><code>${x.component}</code> <span class="muted">${x.compartment ?? ''}</span></li>`)}</ul></details>
    <details><summary>Counted in, to be safe (${countedIn.length})</summary><ul class="columns">${countedIn.map((x) => html`<li><code>${x.component}</code> <span class="muted">in no compartment</span></li>`)}</ul></details>
    ${p.notes?.length ? html`<details><summary>What the model could not read or decide (${p.notes.length})</summary><ul>${p.notes.map((n) => html`<li>${n}</li>`)}</ul></details>` : null}
    <details><summary>Outside the perimeter (${p.outside.length})</summary><ul class="columns">${p.outside.map((c) => html`<li><code>${c.component}</code> <span class="muted">${c.reason}</span></li>`)}</ul></details>
  </div>`;
}

export function AssessmentsSection({ a }: { a: DossierAssessments }) {
  const f = a.figures;
  return html`<div>
    <p class="lead">${f.covered} of ${f.total} third-party components (${f.runtimeCovered} of ${f.runtimeTotal} runtime) are covered by a valid assessment signed by a key the product's trust policy accepts.</p>
    ${a.covered.length ? html`<table><thead><tr><th scope="col">Component</th><th scope="col">Assessed by, for</th><th scope="col">Attestation (digest)</th><th scope="col">Signed by</th><th scope="col">Expires</th></tr></thead><tbody>
      ${a.covered.map((c) => html`<tr><td><code>${c.component}</code></td><td>${c.assessor}<div class="muted">${c.context}</div></td><td><code title=${c.attestation}>${c.attestation.slice(0, 23)}…</code></td><td>${c.signers.join(', ')}</td><td>${day(c.expires)}</td></tr>`)}</tbody></table>` : null}
    ${a.unassessedRuntime?.length ? html`<details><summary>Runtime components without a valid assessment (${a.unassessedRuntime.length}), nearest to the product first</summary><ul class="columns">${a.unassessedRuntime.map((u) => html`<li><code>${u.component}</code> <span class="muted">depth ${u.depth ?? '?'}</span></li>`)}</ul></details>` : null}
    ${a.rejected.length ? html`<h3>Found but not counted (${a.rejected.length})</h3><p class="muted">Each was refused (signature, trust policy, expiry, form) or is valid but does not cover this product's component (its version, qualifiers or source digest); the reason is given.</p><ul>${a.rejected.map((r) => html`<li><code>${r.attestation}</code>: ${r.reason}</li>`)}</ul>` : null}
  </div>`;
}
