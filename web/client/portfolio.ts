// The portfolio: every release on the market with its class, open and exploited findings and the
// nearest Art. 14(2) deadline with a countdown, and the deadline from the KEV listing where that
// predates the server's record of the product; sortable, filterable, refreshed by the event stream.
import { html } from 'htm/preact';
import { useMemo, useState } from 'preact/hooks';
import type { PortfolioRow } from '../../src/model/portfolio.ts';
import { countdown, day, time } from '../views/format.ts';

type Key = 'product' | 'version' | 'class' | 'status' | 'supportEnd' | 'open' | 'exploited' | 'deadline' | 'coverage';
const COLUMNS: { key: Key; label: string }[] = [
  { key: 'product', label: 'Product' }, { key: 'version', label: 'Version' }, { key: 'class', label: 'Class' }, { key: 'status', label: 'Status' },
  { key: 'supportEnd', label: 'Support until' }, { key: 'open', label: 'Open vulnerabilities' }, { key: 'exploited', label: 'Open exploited' }, { key: 'deadline', label: 'Nearest Art. 14(2) deadline' },
  { key: 'coverage', label: 'Advisory coverage' },
];

const value = (r: PortfolioRow, k: Key): string | number => {
  switch (k) {
    case 'product': return r.product.toLowerCase();
    case 'version': return r.release.version;
    case 'class': return r.release.facts?.class ?? '';
    case 'status': return r.release.status;
    case 'supportEnd': return r.release.supportEnd ?? '9999';
    case 'open': return r.openVulnerabilities ?? r.openFindings;
    case 'exploited': return r.exploitedVulnerabilities ?? r.openExploited;
    case 'deadline': return r.nextDeadline?.due ?? '9999';
    case 'coverage': return r.coverage && r.coverage.components ? r.coverage.fresh / r.coverage.components : -1;
  }
};

const overdue = (due: string | undefined, now: Date) => due !== undefined && new Date(due) < now;
const STAGE = (stage: string) => stage.replace('-', ' ');

/**
 * The nearest deadline, from the server's record, and, where the vulnerability was listed as exploited (or public)
 * before that record began, the deadline from then: the release's clock.awareness, as its page says it. A row from a
 * server (or a match) before it carries none: it says where to look.
 */
function deadlineCell(r: PortfolioRow, now: Date) {
  const d = r.nextDeadline;
  const f = r.ifAwareFrom;
  const recorded = d ? html`<strong>${STAGE(d.stage)}</strong> for ${d.vulnerability}: ${time(d.due)} <span class=${overdue(d.due, now) ? 'warn' : ''}>(${countdown(d.due, now)})</span>` : '—';
  if (f) {
    const late = overdue(f.due, now);
    return html`${recorded}<div class=${late ? 'warn if-aware' : 'muted if-aware'}>${f.why === 'exploited' ? 'Listed as exploited (KEV)' : 'Public'} since ${day(f.since)}, before the server's record: if the manufacturer knew then, the ${STAGE(f.stage)}${f.vulnerability !== d?.vulnerability ? ` for ${f.vulnerability}` : ''} was due ${time(f.due)} (${countdown(f.due, now)})</div>`;
  }
  if (d && f === undefined) return html`${recorded}<div class="muted">from the server's record: the release's page says what it rests on</div>`;
  return recorded;
}

/** "3 in 4 components": vulnerabilities and the components they are in, counted apart (a server before them gives findings). */
function openCell(r: PortfolioRow) {
  if (r.openVulnerabilities === undefined) return html`${r.openFindings} <span class="muted">findings</span>`;
  return r.openVulnerabilities ? html`${r.openVulnerabilities} <span class="muted">in ${r.openComponents} component${r.openComponents === 1 ? '' : 's'}</span>` : 0;
}

export function Portfolio({ rows, now, dataAge }: { rows: PortfolioRow[]; now: Date; dataAge: string }) {
  const [sort, setSort] = useState<{ key: Key; dir: 1 | -1 }>({ key: 'deadline', dir: 1 });
  const [filter, setFilter] = useState('');
  const [exploitedOnly, setExploitedOnly] = useState(false);
  const shown = useMemo(() => {
    const f = filter.trim().toLowerCase();
    return rows.filter((r) => (!exploitedOnly || r.openExploited > 0) && (!f || `${r.product} ${r.release.version} ${r.release.facts?.class ?? ''}`.toLowerCase().includes(f)))
      .sort((a, b) => { const x = value(a, sort.key); const y = value(b, sort.key); return (x < y ? -1 : x > y ? 1 : 0) * sort.dir; });
  }, [rows, filter, exploitedOnly, sort]);
  const exploited = rows.filter((r) => r.openExploited > 0).length;
  const overdueRecorded = rows.filter((r) => overdue(r.nextDeadline?.due, now));
  // Overdue only from the KEV listing (or publication), which predates the server's record: counted apart, and said.
  const overdueFromListing = rows.filter((r) => !overdue(r.nextDeadline?.due, now) && overdue(r.ifAwareFrom?.due, now)).length;
  return html`<section aria-labelledby="portfolio-h">
    <h1 id="portfolio-h">Portfolio</h1>
    <div class="card-grid">
      <div class="card"><div class="big">${rows.length}</div>releases</div>
      <div class="card"><div class="big">${exploited}</div>with an open actively exploited vulnerability</div>
      <div class="card"><div class="big">${overdueRecorded.length}</div>with an Art. 14(2) report overdue${overdueFromListing ? html`<div class="warn">and ${overdueFromListing} more if the manufacturer knew when the vulnerability was listed as exploited</div>` : null}</div>
      <div class="card"><div class="big">${dataAge}</div>advisory data</div>
    </div>
    <div class="tools">
      <label>Filter <input type="search" value=${filter} onInput=${(e: Event) => setFilter((e.target as HTMLInputElement).value)} placeholder="product, version, class" /></label>
      <label><input type="checkbox" checked=${exploitedOnly} onChange=${(e: Event) => setExploitedOnly((e.target as HTMLInputElement).checked)} /> only actively exploited</label>
      <span class="muted" role="status">${shown.length} of ${rows.length} shown</span>
    </div>
    <div class="table-wrap"><table class="portfolio"><thead><tr>${COLUMNS.map((c) => html`<th scope="col" aria-sort=${sort.key === c.key ? (sort.dir === 1 ? 'ascending' : 'descending') : 'none'}>
      <button class="sort" onClick=${() => setSort({ key: c.key, dir: sort.key === c.key ? (sort.dir === 1 ? -1 : 1) : 1 })}>${c.label}${sort.key === c.key ? (sort.dir === 1 ? ' ▲' : ' ▼') : ''}</button></th>`)}</tr></thead>
      <tbody>${shown.map((r) => html`<tr class=${r.openExploited ? 'hot' : ''}>
        <td><a href=${`#/release/${r.release.id}`}>${r.product}</a></td><td>${r.release.version}</td>
        <td>${r.release.facts?.class ?? html`<span class="muted">not pushed</span>`}</td><td>${r.release.status}</td><td>${r.release.supportEnd ?? html`<span class="gap">not set</span>`}</td>
        <td class="num">${openCell(r)}</td><td class="num">${r.openExploited ? html`<span class="exploited">${r.exploitedVulnerabilities ?? r.openExploited}</span>` : 0}</td>
        <td>${deadlineCell(r, now)}</td>
        <td>${r.coverage ? html`<span class=${r.coverage.fresh < r.coverage.components || r.coverage.closureGaps || unlistedCount(r) ? 'gap' : ''}>${r.coverage.fresh} of ${r.coverage.components} that ship fresh${r.coverage.closureGaps ? '; closure not followed' : ''}${unlistedCount(r) ? `; ${unlistedCount(r)} named but not listed, not checked` : ''}</span><div class="muted">data ${day(r.coverage.dataDate)}${r.coverage.restsOn ? `; ${r.coverage.restsOn.length ? `complete sources: ${r.coverage.restsOn.join(', ')}` : 'no complete source'}` : ''}</div>` : html`<span class="muted">not matched yet</span>`}</td>
      </tr>`)}${shown.length ? null : html`<tr><td colspan=${COLUMNS.length} class="empty">${rows.length
        ? `No release matches${filter.trim() ? ` "${filter.trim()}"` : ''}${exploitedOnly ? ' with an open actively exploited vulnerability' : ''}.`
        : html`No release yet. Place one from a product folder with <code>marque push . --server ${location.origin}</code> (an editor token in <code>MARQUE_TOKEN</code>).`}</td></tr>`}</tbody></table></div>
    <p class="muted">Vulnerabilities are distinct (one advisory matched in two components is one, in two components); coverage counts the components that ship (third-party, runtime or optional scope). Counts and coverage as of each release's last re-match; a release's page matches it again now. The nearest deadline counts from the moment the server recorded, and its record of a product begins with the product's first release: where a vulnerability was listed as exploited (KEV), or made public, before that, the row also gives the deadline from then, what was due if the manufacturer knew, and the overdue count says how many more releases that makes overdue. Shown ${time(now.toISOString())}.</p>
  </section>`;
}

/** What the release's inventory names without listing it (unresolved dependencies that would ship, lockfiles not read): not checked. */
function unlistedCount(r: PortfolioRow): number {
  const u = r.coverage?.unlisted;
  return u ? u.unresolved + u.notAnalysed : 0;
}
