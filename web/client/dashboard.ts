// The dashboard served by "marque serve": sign in with an API token, then the portfolio, a release
// (the dossier's views plus triage) and the assessment registry, updated live from the event stream.
import { html } from 'htm/preact';
import { render } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import type { PortfolioRow } from '../../src/model/portfolio.ts';
import { api, ApiError, followEvents, token } from './api.ts';
import { drawCharts } from './charts.ts';
import { Portfolio } from './portfolio.ts';
import { ReleasePage } from './release.ts';
import { Registry } from './registry.ts';

interface Me { team: { id: string; name: string }; role: 'viewer' | 'editor' | 'admin'; name: string }

function Login({ onIn }: { onIn: (me: Me) => void }) {
  const [value, setValue] = useState('');
  const [error, setError] = useState('');
  const submit = async (e: Event) => {
    e.preventDefault();
    token.set(value.trim());
    try { onIn(await api<Me>('GET', '/me')); } catch (x) { token.clear(); setError(x instanceof ApiError && x.status === 401 ? 'This token is not valid on this server.' : (x as Error).message); }
  };
  return html`<main><form class="login" onSubmit=${submit}>
    <h1>Marque</h1><p>CRA operations for every release on the market. Sign in with an API token ("marque token create" on the server).</p>
    <label for="token">API token</label>
    <input id="token" type="password" autocomplete="off" value=${value} onInput=${(e: Event) => setValue((e.target as HTMLInputElement).value)} style="width:100%" required />
    <p><button type="submit">Sign in</button></p>
    ${error ? html`<p class="error" role="alert">${error}</p>` : null}
    <p class="muted">The token stays in this browser tab only.</p>
  </form></main>`;
}

const route = () => location.hash.replace(/^#/, '') || '/';

function App() {
  const [me, setMe] = useState<Me | null>(null);
  const [checked, setChecked] = useState(false);
  const [path, setPath] = useState(route());
  const [rows, setRows] = useState<PortfolioRow[] | null>(null);
  const [dataAge, setDataAge] = useState('…');
  const [live, setLive] = useState(false);
  const [lastEvent, setLastEvent] = useState('');
  const [tick, setTick] = useState(0);

  useEffect(() => { const on = () => setPath(route()); addEventListener('hashchange', on); return () => removeEventListener('hashchange', on); }, []);
  useEffect(() => { if (!token.get()) { setChecked(true); return; } api<Me>('GET', '/me').then(setMe, () => token.clear()).finally(() => setChecked(true)); }, []);
  useEffect(() => {
    if (!me) return;
    api<PortfolioRow[]>('GET', '/portfolio').then(setRows, () => setRows([]));
    api<{ exists: boolean; sources: { dataDate: string | null; ageDays: number }[] }>('GET', '/advisories').then((s) => {
      const ages = s.sources.map((x) => x.ageDays);
      setDataAge(!s.exists || !ages.length ? 'none' : `${Math.round(Math.min(...ages))} days old`);
    }, () => setDataAge('unknown'));
  }, [me, tick]);
  useEffect(() => {
    if (!me) return;
    let timer: ReturnType<typeof setTimeout> | undefined;
    return followEvents((e) => {
      const p = e.data['payload'] as Record<string, unknown> | undefined;
      setLastEvent(`${new Date().toLocaleTimeString('en-GB')}: ${e.kind}${p?.['vulnerability'] ? ` ${String(p['vulnerability'])}` : ''}${p?.['product'] ? ` in ${String(p['product'])} ${String(p['version'] ?? '')}` : ''}`);
      // Several events of one re-match refresh the page once.
      clearTimeout(timer);
      timer = setTimeout(() => setTick((n) => n + 1), 300);
    }, setLive);
  }, [me]);
  useEffect(() => { drawCharts(); });

  if (!checked) return html`<p class="muted" role="status" style="padding:1rem">Loading…</p>`;
  if (!me) return html`<${Login} onIn=${setMe} />`;
  const release = /^\/release\/([^/]+)$/.exec(path)?.[1];
  return html`<div>
    <header class="bar"><span class="brand">Marque</span>
      <nav aria-label="Main"><a href="#/" aria-current=${path === '/' ? 'page' : undefined}>Portfolio</a><a href="#/assessments" aria-current=${path === '/assessments' ? 'page' : undefined}>Assessment registry</a></nav>
      <span class=${`live ${live ? 'on' : ''}`} role="status" aria-live="polite">${live ? 'live' : 'offline'}${lastEvent ? ` · last event ${lastEvent}` : ''}</span>
      <span class="who">${me.name} · ${me.team.name} · ${me.role}${me.role === 'viewer' ? ' (read only)' : ''} <button class="link" onClick=${() => { token.clear(); setMe(null); }}>Sign out</button></span>
    </header>
    <main>${release ? html`<${ReleasePage} id=${decodeURIComponent(release)} canWrite=${me.role !== 'viewer'} tick=${tick} />`
      : path === '/assessments' ? html`<${Registry} />`
      : rows ? html`<${Portfolio} rows=${rows} now=${new Date()} dataAge=${dataAge} />` : html`<p class="muted" role="status">Loading the portfolio…</p>`}</main>
  </div>`;
}

render(html`<${App} />`, document.getElementById('app')!);
