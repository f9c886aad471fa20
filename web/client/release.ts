// A release: the dossier's views over what the server holds, plus triage — a VEX decision on a
// finding (status, justification, impact statement), a report stage recorded as sent, and the
// history of every decision. What a viewer may not do is not offered.
import { html } from 'htm/preact';
import { useEffect, useState } from 'preact/hooks';
import { dataAsOf, type Coverage, type Finding } from '../../src/model/advisory.ts';
import type { Release, ReleaseComponent, VexDecision } from '../../src/model/portfolio.ts';
import { sbomSummary } from '../../src/report/sbom-summary.ts';
import { SbomSection } from '../views/sbom.ts';
import { FindingsSection, isOpen, type Sent } from '../views/findings.ts';
import { Cite, Gap } from '../views/profile.ts';
import { DossierView } from '../views/dossier.ts';
import type { Dossier } from '../../src/model/dossier.ts';
import { time } from '../views/format.ts';
import { api, ApiError, token } from './api.ts';

type ServerFinding = Finding & { reportsSent: Sent[] };
interface Data { release: Release; product: string; findings: ServerFinding[]; coverage: Coverage; decisions: VexDecision[]; components: ReleaseComponent[]; dossier: { dossier: Dossier; pushedBy: string; pushedAt: string } | null }

const JUSTIFICATIONS = ['component_not_present', 'vulnerable_code_not_present', 'vulnerable_code_not_in_execute_path', 'vulnerable_code_cannot_be_controlled_by_adversary', 'inline_mitigations_already_exist'];
const STATUSES = ['under_investigation', 'affected', 'not_affected', 'fixed'];

function Triage({ f, release, history, onDone }: { f: ServerFinding; release: string; history: VexDecision[]; onDone: () => void }) {
  const [status, setStatus] = useState(f.status);
  const [justification, setJustification] = useState(JUSTIFICATIONS[2]!);
  const [impact, setImpact] = useState('');
  const [stage, setStage] = useState('early-warning');
  const [error, setError] = useState('');
  const id = `${f.advisory}-${f.component}`.replace(/[^A-Za-z0-9_-]/g, '_');
  const decide = async (e: Event) => {
    e.preventDefault();
    setError('');
    try {
      await api('POST', `/releases/${release}/decisions`, { vulnerability: f.advisory, component: f.component, status, ...(status === 'not_affected' ? { justification } : {}), ...(impact ? { impact } : {}) });
      onDone();
    } catch (x) { setError((x as Error).message); }
  };
  const sent = async () => {
    setError('');
    try { await api('POST', `/releases/${release}/reports`, { vulnerability: f.advisory, stage }); onDone(); } catch (x) { setError((x as Error).message); }
  };
  return html`<form class="triage" onSubmit=${decide} aria-label=${`Decision on ${f.advisory} in ${f.component}`}>
    <label for=${`st-${id}`}>Status</label>
    <select id=${`st-${id}`} value=${status} onChange=${(e: Event) => setStatus((e.target as HTMLSelectElement).value as Finding['status'])}>${STATUSES.map((s) => html`<option value=${s}>${s.replace('_', ' ')}</option>`)}</select>
    ${status === 'not_affected' ? html`<label for=${`ju-${id}`}>Justification</label>
      <select id=${`ju-${id}`} value=${justification} onChange=${(e: Event) => setJustification((e.target as HTMLSelectElement).value)}>${JUSTIFICATIONS.map((j) => html`<option value=${j}>${j.replaceAll('_', ' ')}</option>`)}</select>` : null}
    <label for=${`im-${id}`}>Impact statement</label>
    <textarea id=${`im-${id}`} rows="2" value=${impact} onInput=${(e: Event) => setImpact((e.target as HTMLTextAreaElement).value)}></textarea>
    <button type="submit">Record decision</button>
    ${f.exploited ? html`<label for=${`rs-${id}`}>Report sent (Art. 14(2))</label>
      <select id=${`rs-${id}`} value=${stage} onChange=${(e: Event) => setStage((e.target as HTMLSelectElement).value)}><option value="early-warning">early warning</option><option value="notification">notification</option><option value="final-report">final report</option></select>
      <button type="button" class="secondary" onClick=${sent}>Record as sent now</button>` : null}
    ${error ? html`<p class="error" role="alert">${error}</p>` : null}
    <${History} history=${history} />
  </form>`;
}

function History({ history }: { history: VexDecision[] }) {
  if (!history.length) return html`<p class="muted history">No decision yet.</p>`;
  return html`<details class="history"><summary>History (${history.length})</summary><ol>${history.map((d) => html`<li>${time(d.decidedAt)}: <strong>${d.status.replace('_', ' ')}</strong>${d.justification ? ` (${d.justification.replaceAll('_', ' ')})` : ''} by ${d.decidedBy}${d.impact ? html`<div>${d.impact}</div>` : null}</li>`)}</ol></details>`;
}

/** The dossier file, fetched with the token (a plain link cannot send it) and saved by the browser. */
async function download(id: string): Promise<void> {
  const res = await fetch(`/api/v1/releases/${id}/dossier.html`, { headers: { authorization: `Bearer ${token.get() ?? ''}` } });
  if (!res.ok) return;
  const name = /filename="([^"]+)"/.exec(res.headers.get('content-disposition') ?? '')?.[1] ?? 'dossier.html';
  const url = URL.createObjectURL(await res.blob());
  const a = Object.assign(document.createElement('a'), { href: url, download: name });
  a.click();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

export function ReleasePage({ id, canWrite, tick }: { id: string; canWrite: boolean; tick: number }) {
  const [data, setData] = useState<Data | null>(null);
  const [error, setError] = useState('');
  const [reload, setReload] = useState(0);
  useEffect(() => {
    let gone = false;
    (async () => {
      try {
        const release = await api<Release>('GET', `/releases/${id}`);
        const [products, found, decisions, components, dossier] = await Promise.all([
          api<{ id: string; name: string }[]>('GET', '/products'),
          api<{ findings: ServerFinding[]; coverage: Coverage }>('GET', `/releases/${id}/findings`).catch((e: ApiError) => { if (e.status === 503) return { findings: [], coverage: null as unknown as Coverage, missing: e.message }; throw e; }),
          api<VexDecision[]>('GET', `/releases/${id}/decisions`), api<ReleaseComponent[]>('GET', `/releases/${id}/components`),
          api<Data['dossier']>('GET', `/releases/${id}/dossier`).catch((e: ApiError) => { if (e.status === 404) return null; throw e; }),
        ]);
        if (!gone) setData({ release, product: products.find((p) => p.id === release.productId)?.name ?? '', findings: found.findings, coverage: found.coverage, decisions, components, dossier });
      } catch (e) { if (!gone) setError((e as Error).message); }
    })();
    return () => { gone = true; };
  }, [id, reload, tick]);
  if (error) return html`<p><a href="#/">← Portfolio</a></p><p class="error" role="alert">This release could not be shown: ${error}.</p>`;
  if (!data) return html`<p class="muted" role="status">Loading the release…</p>`;
  const r = data.release;
  const facts = r.facts;
  const now = new Date();
  const open = data.findings.filter(isOpen);
  const sbom = sbomSummary(data.components.map((c) => ({ purl: c.purl, ecosystem: c.ecosystem, depth: c.depth, kind: c.scope })));
  const historyOf = (f: Finding) => data.decisions.filter((d) => d.vulnerability === f.advisory && d.component === f.component);
  return html`<article>
    <p><a href="#/">← Portfolio</a></p>
    <h1>${data.product} ${r.version}</h1>
    <div class="card-grid">
      <div class="card">Class<div class="big">${facts?.class ?? '—'}</div>${facts ? html`<${Cite} c="Art. 7; Annex III; Annex IV" />` : html`<span class="muted">not pushed with marque.yaml</span>`}</div>
      <div class="card">Conformity route<div>${facts?.conformityRoutes.length ? facts.conformityRoutes.join(', ') : '—'}</div><${Cite} c="Art. 32" /></div>
      <div class="card">Support until<div class="big">${r.supportEnd ?? '—'}</div><${Cite} c="Art. 13(8)" /></div>
      <div class="card">Open findings<div class="big">${open.length}</div>${open.filter((f) => f.exploited).length} actively exploited</div>
    </div>
    <p>${r.status === 'withdrawn' ? html`<strong>Withdrawn from the market</strong>; still watched until its support period ends. ` : 'On the market. '}
      ${facts ? html`Manufacturer: ${facts.manufacturer ?? html`<${Gap}>not stated</${Gap}>`}; contact: ${facts.contact ?? html`<${Gap}>not stated</${Gap}>`}; main establishment: ${facts.mainEstablishment ?? html`<${Gap}>not stated</${Gap}>`}${facts.memberStates.length ? `; made available in ${facts.memberStates.join(', ')}` : ''}.` : null}</p>
    <section aria-labelledby="f-h"><h2 id="f-h">Vulnerabilities and reporting clocks</h2>
      ${data.coverage ? html`<${FindingsSection} data=${{ items: data.findings, coverage: data.coverage, dataDate: data.coverage ? dataAsOf(data.coverage.sources) : null, decisions: data.decisions.length }} now=${now} sentFor=${(f: Finding) => (f as ServerFinding).reportsSent} />
        ${canWrite && data.findings.length ? html`<h3>Triage</h3><div class="table-wrap"><table><thead><tr><th scope="col">Finding</th><th scope="col">Decision in force</th><th scope="col">Decide</th></tr></thead><tbody>
          ${data.findings.map((f) => html`<tr><td><strong>${f.advisory}</strong><div><code>${f.component}</code></div>${f.exploited ? html`<span class="exploited">actively exploited</span>` : null}</td><td><span class=${`status status-${f.status}`}>${f.status.replace('_', ' ')}</span></td>
            <td><${Triage} f=${f} release=${r.id} history=${historyOf(f)} onDone=${() => setReload((n) => n + 1)} /></td></tr>`)}</tbody></table></div>`
        : data.findings.length ? html`<h3>Decision history</h3>${data.findings.map((f) => html`<div><strong>${f.advisory}</strong> in <code>${f.component}</code><${History} history=${historyOf(f)} /></div>`)}` : null}`
        : html`<p><${Gap}>the server has no advisory database: findings cannot be matched ("marque db update" on the server)</${Gap}></p>`}
    </section>
    ${data.dossier ? html`<section aria-labelledby="d-h"><h2 id="d-h">The dossier as pushed</h2>
        <p>Made ${time(data.dossier.dossier.generatedAt)} from the product folder by ${data.dossier.dossier.generator}, pushed by ${data.dossier.pushedBy} ${time(data.dossier.pushedAt)}; inputs digest <code class="hash">${data.dossier.dossier.digest}</code>. Its findings were those of that day; the ones above are matched now.
        <button class="secondary" onClick=${() => download(r.id)}>Download the dossier (HTML)</button></p>
        <${DossierView} d=${data.dossier.dossier} omit=${['findings']} embedded=${true} /></section>`
      : html`<section aria-labelledby="s-h"><h2 id="s-h">The SBOM at a glance</h2>
        <p class="muted">No dossier was pushed for this release ("marque push" from the product folder sends it, with the checklist, perimeter, licences and "why" paths); this is what the server's components show.</p>
        <${SbomSection} sbom=${sbom} /></section>`}
  </article>`;
}
