// The assessment registry: the team's signed assessments, searchable, each with whether the team's
// keys make it trusted now and which releases of the portfolio it covers.
import { html } from 'htm/preact';
import { useEffect, useState } from 'preact/hooks';
import type { Assessment } from '../../src/attest/assessment.ts';
import { day } from '../views/format.ts';
import { api } from './api.ts';

/** `valid: false`: a stored assessment today's checks refuse (then no `assessment`, and `reason` says why). */
interface Entry { digest: string; component: string; createdAt: string; assessment?: Assessment; valid?: boolean; trusted: boolean; signers?: string[]; reason?: string; releases: { releaseId: string; product: string; version: string }[] }

export function Registry() {
  const [entries, setEntries] = useState<Entry[] | null>(null);
  const [query, setQuery] = useState('');
  const [error, setError] = useState('');
  useEffect(() => { api<Entry[]>('GET', '/assessments').then(setEntries, (e: Error) => setError(e.message)); }, []);
  if (error) return html`<p class="error" role="alert">${error}</p>`;
  if (!entries) return html`<p class="muted" role="status">Loading the registry…</p>`;
  const q = query.trim().toLowerCase();
  const shown = entries.filter((e) => !q || `${e.component} ${e.assessment?.context ?? ''} ${e.assessment?.assessor.name ?? ''}`.toLowerCase().includes(q));
  return html`<section aria-labelledby="reg-h">
    <h1 id="reg-h">Assessment registry</h1>
    <p>Signed assessments of components, kept once and reused by every release that contains an assessed version. Trust is decided by the keys this team registered (<code>POST /api/v1/keys</code>).</p>
    <div class="tools"><label>Search <input type="search" value=${query} onInput=${(e: Event) => setQuery((e.target as HTMLInputElement).value)} placeholder="purl, context, assessor" /></label>
      <span class="muted" role="status">${shown.length} of ${entries.length}</span></div>
    ${entries.length ? html`<div class="table-wrap"><table><thead><tr><th scope="col">Component and range</th><th scope="col">Context and checks</th><th scope="col">Assessor</th><th scope="col">Trusted now</th><th scope="col">Expires</th><th scope="col">Used by</th></tr></thead><tbody>
      ${shown.map((e) => !e.assessment ? html`<tr>
        <td><code>${e.component}</code></td>
        <td colspan="5"><span class="status status-affected">not a valid assessment</span><div class="muted">${e.reason ?? 'refused by today\'s checks'}</div></td>
      </tr>` : html`<tr>
        <td><code>${e.component}</code><div class="muted">${JSON.stringify(e.assessment.range)}</div></td>
        <td>${e.assessment.context}<div class="muted">${e.assessment.checks.filter((c) => c.result === 'pass').length} of ${e.assessment.checks.length} checks pass</div></td>
        <td>${e.assessment.assessor.name}<div class="muted"><code>${e.digest.slice(0, 23)}…</code></div></td>
        <td>${e.trusted ? html`<span class="status status-fixed">yes</span><div class="muted">${e.signers?.join(', ')}</div>` : html`<span class="status status-affected">no</span><div class="muted">${e.reason}</div>`}</td>
        <td>${day(e.assessment.expires)}</td>
        <td>${e.releases.length ? html`<ul>${e.releases.map((r) => html`<li><a href=${`#/release/${r.releaseId}`}>${r.product} ${r.version}</a></li>`)}</ul>` : html`<span class="muted">no release</span>`}</td>
      </tr>`)}</tbody></table></div>` : html`<p class="muted">No assessment yet: "marque attest import --store ${location.origin}" or POST /api/v1/assessments.</p>`}
  </section>`;
}
