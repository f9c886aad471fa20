// The SBOM at a glance: what it is made of, how deep it goes, what it could not read.
import { html } from 'htm/preact';
import type { DossierSbom } from '../../src/model/dossier.ts';
import { BarChart } from './charts.ts';
import { Cite, Gap } from './profile.ts';
import { plural } from './format.ts';

export function SbomSection({ sbom }: { sbom: DossierSbom }) {
  const depthLabel = (d: number | null) => (d === null ? 'no path' : String(d));
  return html`<div>
    <p class="lead">${plural(sbom.total, 'component')} besides the product's own, in ${plural(sbom.byEcosystem.length, 'ecosystem')}. <${Cite} c="Annex I, Part II (1); Annex VII (2)(b)" /></p>
    ${sbom.notAnalysed.length || sbom.inputErrors ? html`<div class="note warn-box"><strong>The SBOM is incomplete.</strong> ${sbom.inputErrors ? `${plural(sbom.inputErrors, 'input error')}; ` : ''}${sbom.notAnalysed.length ? html`files Marque cannot read yet: <ul>${sbom.notAnalysed.map((f) => html`<li><code>${f.file}</code> (${f.format})</li>`)}</ul>` : null}</div>`
      : html`<p>Coverage: every dependency file found was read; no input error.</p>`}
    <div class="charts">
      <${BarChart} id="chart-depth" title="Degrees of separation: components per depth" spec=${{
        labels: sbom.byDepth.map((d) => depthLabel(d.depth)), xTitle: 'depth', yTitle: 'components', stacked: true,
        series: [{ label: 'runtime', data: sbom.byDepth.map((d) => d.runtime), color: '#b3261e' }, { label: 'build, test, dev, other', data: sbom.byDepth.map((d) => d.other), color: '#5f7d95' }],
      }} />
      <${BarChart} id="chart-ecosystems" title="Components per ecosystem" spec=${{
        labels: sbom.byEcosystem.map((e) => e.ecosystem), xTitle: 'ecosystem', yTitle: 'components', horizontal: true,
        series: [{ label: 'components', data: sbom.byEcosystem.map((e) => e.count), color: '#1f5f8b' }],
      }} />
    </div>
    <h3>Licences</h3>
    ${sbom.licences === null ? html`<p><${Gap}>not known here: the team server keeps each component's purl, not its licence (the dossier of the product folder lists them)</${Gap}></p>` : html`
      <p>${sbom.licences.slice(0, 12).map((l) => html`<span class="tag">${l.licence} <span class="count">${l.count}</span></span> `)}${sbom.licences.length > 12 ? ` and ${sbom.licences.length - 12} more` : ''}</p>
      ${sbom.withoutLicence ? html`<p><${Gap}>${plural(sbom.withoutLicence, 'component')} without a declared licence</${Gap}></p>` : null}`}
    <h3>Why the deepest runtime components are there</h3>
    ${sbom.deepest.some((d) => !d.path) ? html`<p class="muted">The dependency edges are not kept here, so the paths are not shown ("marque why" in the product folder shows them).</p>` : null}
    ${sbom.deepest.length ? html`<ol class="paths">${sbom.deepest.map((d) => html`<li><code>${d.component}</code> at depth ${d.depth}${d.path ? html`<div class="path">${d.path.map((p, i) => html`${i ? html`<span aria-hidden="true"> → </span>` : null}<code>${p}</code>`)}</div>` : null}</li>`)}</ol>` : html`<p class="muted">No runtime component below the product.</p>`}
  </div>`;
}
