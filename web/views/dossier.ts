// The release dossier: one page per release, with a table of contents, every section from the
// shared views, and the digest of its inputs at the end. Rendered to a file by "marque report"
// and shown by the dashboard's release page.
import { html } from 'htm/preact';
import type { Dossier, Missing } from '../../src/model/dossier.ts';
import { isMissing } from '../../src/model/dossier.ts';
import { ClassAndRoute, Gap, Identity, Obligations, Support } from './profile.ts';
import { SbomSection } from './sbom.ts';
import { FindingsSection, type Sent } from './findings.ts';
import { AssessmentsSection, Checklist, PerimeterSection } from './evidence.ts';
import { time } from './format.ts';
import type { Finding } from '../../src/model/advisory.ts';

const or = <T,>(x: T | Missing, view: (x: T) => unknown) => (isMissing(x) ? html`<p><${Gap}>Not in this dossier: ${x.missing}</${Gap}></p>` : view(x));

/** omit: sections another view shows instead (the dashboard shows live findings); embedded: no title block. */
export function DossierView({ d, sentFor, omit = [], embedded = false }: { d: Dossier; sentFor?: (f: Finding) => Sent[]; omit?: string[]; embedded?: boolean }) {
  const now = new Date(d.generatedAt);
  const sections: [string, string, unknown][] = [
    ['identity', 'Identity and CRA profile', html`<${Identity} product=${d.product} contact=${d.contact} /><${ClassAndRoute} profile=${d.profile} /><h3>Support period</h3><${Support} support=${d.support} />`],
    ['obligations', 'Obligations and dates', html`<${Obligations} profile=${d.profile} now=${d.generatedAt} />`],
    ['sbom', 'The SBOM at a glance', or(d.sbom, (s) => html`<${SbomSection} sbom=${s} />`)],
    ['findings', 'Vulnerabilities and reporting clocks', or(d.findings, (f) => html`<${FindingsSection} data=${f} now=${now} sentFor=${sentFor} />`)],
    ['checklist', 'Annex I checklist', html`<${Checklist} items=${d.checklist} />`],
    ['perimeter', 'Certification perimeter', or(d.perimeter, (p) => html`<${PerimeterSection} p=${p} />`)],
    ['assessments', 'Signed assessments', or(d.assessments, (a) => html`<${AssessmentsSection} a=${a} />`)],
    ['inputs', 'Inputs', html`<p>This dossier was made on ${time(d.generatedAt)} by ${d.generator} from:</p>
      <table><thead><tr><th scope="col">Input</th><th scope="col">SHA-256</th></tr></thead><tbody>${d.inputs.map((i) => html`<tr><td>${i.name}</td><td><code class="hash">${i.sha256}</code></td></tr>`)}</tbody></table>
      <p>Digest of all inputs (SHA-256 of the lines "hash  name" above): <code class="hash">${d.digest}</code></p>
      <p class="muted">Citations are to Regulation (EU) 2024/2847 (Cyber Resilience Act) unless stated otherwise. "Met" means Marque checked it; "declared" means the manufacturer stated it in marque.yaml.</p>`],
  ];
  const shown = sections.filter(([id]) => !omit.includes(id));
  return html`<article class=${embedded ? 'dossier embedded' : 'dossier'}>
    ${embedded ? null : html`<header><p class="kicker">Release dossier · Regulation (EU) 2024/2847</p><h1>${d.product.name} ${d.product.version}</h1>
      <p>${d.product.manufacturer?.name ?? html`<${Gap}>manufacturer not stated</${Gap}>`} · made ${time(d.generatedAt)}</p></header>`}
    ${embedded ? null : html`<nav class="toc" aria-label="Contents"><h2>Contents</h2><ol>${shown.map(([id, title]) => html`<li><a href=${`#${id}`}>${title}</a></li>`)}</ol></nav>`}
    ${shown.map(([id, title, body], i) => html`<section id=${id} aria-labelledby=${`${id}-h`}><h2 id=${`${id}-h`}>${i + 1}. ${title}</h2>${body}</section>`)}
  </article>`;
}
