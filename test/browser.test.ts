// The dossier and the dashboard in a real browser: Debian's Chromium driven by playwright-core
// (never a downloaded browser). Charts drawn, axe-core finds no serious violation, triage end to
// end, a live update from the event stream, a viewer offered no write, screenshots at desktop and
// phone widths (kept in $MARQUE_SCREENSHOTS when set: README images come from there).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRequire } from 'node:module';
import type { Browser, Page } from 'playwright-core';
import { buildServer } from '../src/server/app.ts';
import { portfolioStore } from '../src/server/store/portfolio.ts';
import { envelopeDigest } from '../src/attest/store.ts';
import { sqliteSql } from '../src/server/store/sqlite.ts';
import { buildDossier } from '../src/api/dossier.ts';
import { dossierHtml } from '../src/report/dossier-html.ts';
import { chromiumPath, htmlToPdf } from '../src/report/pdf.ts';
import { generateKeyPairSync } from 'node:crypto';
import { PAYLOAD_TYPE, toStatement } from '../src/attest/assessment.ts';
import { signEnvelope } from '../src/attest/dsse.ts';
import { purlIdentity } from '../src/model/purl.ts';
import { pushRelease, releaseFacts } from '../src/api/push.ts';
import { loadManifest } from '../src/manifest/manifest.ts';
import { productRequest } from '../src/api/request.ts';
import { buildInventory } from '../src/api/inventory.ts';
import { renderSbom } from '../src/api/sbom.ts';
import { EXAMPLE } from './helpers/paths.ts';
import { exploitedProduct, fixtureDb } from './helpers/dossier.ts';

const executablePath = chromiumPath();
if (!executablePath && process.env['CI']) throw new Error('Chromium is not installed; .ci/run installs Debian\'s chromium');
const shots = process.env['MARQUE_SCREENSHOTS'] ?? mkdtempSync(join(tmpdir(), 'marque-shots-'));
mkdirSync(shots, { recursive: true });
const axe = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

let browser: Browser | undefined;
before(async () => {
  if (!executablePath) return;
  const { chromium } = await import('playwright-core');
  browser = await chromium.launch({ executablePath, args: ['--headless', '--no-sandbox'] });
});
after(async () => { await browser?.close(); });

/** axe-core in the page: the serious and critical violations, named. */
async function seriousViolations(page: Page): Promise<string[]> {
  await page.addScriptTag({ content: axe });
  const r = await page.evaluate(async () => (globalThis as unknown as { axe: { run: (o: unknown) => Promise<{ violations: { id: string; impact: string; nodes: { target: string[] }[] }[] }> } }).axe.run({ resultTypes: ['violations'] }));
  return r.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${v.id} (${v.impact}): ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(', ')}`);
}

async function shoot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: join(shots, `${name}.png`), fullPage: false });
}

test('the dossier of the example robot in Chromium: charts drawn, no serious accessibility violation, desktop and phone', async (t) => {
  if (!browser) { t.skip('Chromium not installed (.ci/run installs it)'); return; }
  const file = join(mkdtempSync(join(tmpdir(), 'marque-dossier-')), 'dossier.html');
  const started = performance.now();
  const page0 = dossierHtml(await buildDossier({ dir: EXAMPLE, db: await fixtureDb() }));
  writeFileSync(file, page0);
  t.diagnostic(`dossier made in ${(performance.now() - started).toFixed(0)} ms`);
  // Printed to PDF: A4 pages (595 x 842 points).
  const pdf = await htmlToPdf(page0);
  assert.equal(pdf.subarray(0, 5).toString(), '%PDF-');
  const boxes = new Set([...pdf.toString('latin1').matchAll(/\/MediaBox\s*\[0 0 ([\d.]+) ([\d.]+)\]/g)].map((m) => `${Math.round(Number(m[1]))}x${Math.round(Number(m[2]))}`));
  assert.deepEqual([...boxes], ['595x842']);
  for (const [name, viewport] of [['dossier-desktop', { width: 1280, height: 800 }], ['dossier-phone', { width: 390, height: 844 }]] as const) {
    const context = await browser.newContext({ viewport, bypassCSP: true });
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(String(e)));
    // The file must need nothing from the network.
    await page.route(/^https?:/, (route) => { errors.push(`fetched ${route.request().url()}`); return route.abort(); });
    await page.goto(`file://${file}`);
    await page.waitForFunction(() => (globalThis as { marqueReady?: boolean }).marqueReady === true);
    const drawn = await page.evaluate(() => Array.from(document.querySelectorAll('canvas[data-chart]')).map((c) => (c as HTMLCanvasElement).width > 0 && (c as HTMLCanvasElement).toDataURL().length > 3000));
    assert.ok(drawn.length >= 2 && drawn.every(Boolean), `charts drawn: ${drawn}`);
    assert.deepEqual(errors, []);
    await shoot(page, name);
    if (name === 'dossier-desktop') {
      await page.locator('#sbom').scrollIntoViewIfNeeded();
      await shoot(page, 'dossier-sbom');
      assert.deepEqual(await seriousViolations(page), []);
    }
    await context.close();
  }
});

test('the dashboard against a server seeded with the example robot: portfolio, triage end to end, a live update, a viewer', async (t) => {
  if (!browser) { t.skip('Chromium not installed (.ci/run installs it)'); return; }
  const store = portfolioStore(sqliteSql(join(mkdtempSync(join(tmpdir(), 'marque-ui-')), 'marque.sqlite')));
  await store.migrate();
  const team = await store.createTeam('example-robotics');
  const admin = (await store.createToken(team.id, 'admin', 'psirt@example-robotics')).token;
  const viewer = (await store.createToken(team.id, 'viewer', 'auditor@notified-body')).token;
  const advisoryDb = await fixtureDb();
  const app = await buildServer(store, { advisoryDb });
  const address = await app.listen({ port: 0, host: '127.0.0.1' });
  try {
    const push = async (dir: string, version?: string) => {
      const manifest = (await loadManifest(dir))!;
      const { request, product } = await productRequest(dir, {});
      const inv = await buildInventory(request);
      return (await pushRelease({ server: address, token: admin, product: product.name, version: version ?? product.version, sbom: renderSbom(inv, 'cyclonedx', { ...product, version: version ?? product.version }), supportEnd: manifest.support?.periodEnd, placedOnMarket: manifest.support?.placedOnMarket, facts: releaseFacts(manifest), dossier: await buildDossier({ dir, db: advisoryDb }) })).release;
    };
    await push(EXAMPLE);
    const panelDir = exploitedProduct();
    const panel = await push(panelDir);
    // A signed assessment of one of the robot's npm packages, by a key the team trusts.
    const example = (await store.releases(team.id)).find((r) => r.version === '1.4.0')!;
    const assessed = (await store.components(team.id, example.id)).find((c) => c.ecosystem === 'npm' && c.depth !== 0 && c.version)!;
    const auditor = generateKeyPairSync('ed25519');
    const auth = { authorization: `Bearer ${admin}`, 'content-type': 'application/json' };
    assert.equal((await fetch(`${address}/api/v1/keys`, { method: 'POST', headers: auth, body: JSON.stringify({ name: 'ros-security-wg', publicKey: auditor.publicKey.export({ type: 'spki', format: 'pem' }) }) })).status, 201);
    const statement = toStatement({ component: purlIdentity(assessed.purl), range: { from: '0.0.0' }, context: 'the courier robot\'s web dashboard', method: ['review'], checks: [{ name: 'no known exploitable vulnerabilities', result: 'pass', annexI: ['I.2.a'] }], assessor: { name: 'ROS security working group' }, date: '2026-10-01T00:00:00Z', expires: '2099-10-01T00:00:00Z' });
    const kept = await fetch(`${address}/api/v1/assessments`, { method: 'POST', headers: auth, body: JSON.stringify(signEnvelope(PAYLOAD_TYPE, Buffer.from(JSON.stringify(statement)), auditor.privateKey)) });
    assert.equal(kept.status, 201, await kept.text());
    const rematch = () => fetch(`${address}/api/v1/rematch`, { method: 'POST', headers: { authorization: `Bearer ${admin}` } });
    assert.equal((await rematch()).status, 200);

    // bypassCSP only lets the test inject axe-core; the page itself runs under the server's policy.
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, bypassCSP: true });
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(String(e)));
    // Every failed load is a console error too (the favicon asked for without a token was a 401 on every page).
    page.on('console', (m) => { if (m.type() === 'error') errors.push(`console: ${m.text()} at ${m.location().url} `); });
    await page.goto(address);
    await page.getByLabel('API token').fill(admin);
    const started = performance.now();
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('link', { name: 'panel' }).waitFor();
    t.diagnostic(`portfolio shown ${(performance.now() - started).toFixed(0)} ms after signing in`);
    await page.getByText('live', { exact: false }).first().waitFor();
    assert.ok(await page.getByRole('link', { name: 'courier-robot' }).isVisible());
    assert.ok(await page.getByRole('cell', { name: 'default' }).first().isVisible(), 'the class pushed with marque.yaml');
    assert.ok(await page.getByText(/^0 of \d+ that ship fresh$/).first().isVisible(), 'coverage as of the last re-match: the fixture data is old, so none is fresh');
    await shoot(page, 'dashboard-portfolio');
    assert.ok(await page.getByText(/The nearest deadline counts from the moment the server recorded/).isVisible(), 'the portfolio says what its deadlines count from');
    // The panel's vulnerability was listed as exploited (KEV) in 2022, years before the server's record of panel began:
    // its row gives the deadline from the listing, overdue, as the release's page does, and the overdue count says so.
    const panelRow = page.locator('table.portfolio tbody tr').filter({ has: page.getByRole('link', { name: 'panel' }) });
    assert.match(await panelRow.locator('.if-aware').innerText(), /^Listed as exploited \(KEV\) since 2022-01-18, before the server's record: if the manufacturer knew then, the early warning was due 2022-01-19 00:00 UTC \(\d+ d \d+ h overdue\)$/);
    assert.equal(await panelRow.locator('.if-aware.warn').count(), 1, 'in red: overdue');
    assert.equal(await page.getByText('the release\'s page says what it rests on').count(), 0, 'no caveat where the row says it');
    assert.ok(await page.locator('.card').filter({ hasText: 'with an Art. 14(2) report overdue' }).getByText('and 1 more if the manufacturer knew when the vulnerability was listed as exploited').isVisible());
    assert.deepEqual(await seriousViolations(page), []);
    // Sorting and filtering.
    await page.getByLabel('Filter').fill('panel');
    await page.getByText('1 of 2 shown').waitFor();
    await page.getByLabel('Filter').fill('no-such-product');
    await page.getByText('No release matches "no-such-product".').waitFor();
    await page.getByLabel('Filter').fill('');

    // Triage: a decision with its justification and impact, then a report stage recorded as sent.
    await page.getByRole('link', { name: 'panel' }).click();
    await page.getByRole('heading', { name: 'Triage' }).waitFor();
    await shoot(page, 'dashboard-release');
    // The early warning of the exploited finding, recorded as sent: its clock says so.
    const exploitedForm = page.locator('form.triage').filter({ hasText: 'Report sent' }).first();
    await exploitedForm.getByRole('button', { name: 'Record as sent now' }).click();
    await page.getByText(/sent .* by psirt@example-robotics/).first().waitFor();
    await page.getByRole('heading', { name: 'Reporting clocks (Art. 14(2))' }).evaluate((h) => h.scrollIntoView());
    await shoot(page, 'dashboard-triage');
    // The clock says what its moment rests on, as "marque vulns" does: the server's record of panel begins today, the KEV
    // listing in 2022; the early warning just recorded as sent is not overdue from then either. No --aware-at on a server.
    const notes = await page.locator('p.clock-note').allInnerTexts();
    assert.ok(notes.some((n) => /^Marque's record of this product begins \d{4}-\d{2}-\d{2}: it cannot tell whether the manufacturer knew earlier\. The vulnerability has been listed as exploited \(KEV\) since 2022-01-18: if the manufacturer knew then, the early warning was due 2022-01-19 00:00 UTC and the notification 2022-01-21 00:00 UTC \(the notification now overdue\)\.$/.test(n)), notes.join('\n'));
    assert.ok(await page.locator('ol.clock .basis').first().getByText('first recorded for the vulnerability in this product').isVisible());
    await page.locator('p.clock-note').first().screenshot({ path: join(shots, 'dashboard-clock-note.png') });
    const form = page.locator('form.triage').first();
    await form.getByLabel('Status').selectOption('not_affected');
    await form.getByLabel('Justification').selectOption('vulnerable_code_not_in_execute_path');
    await form.getByLabel('Impact statement').fill('The vulnerable parser is never called by the panel.');
    await form.getByRole('button', { name: 'Record decision' }).click();
    await page.locator('form.triage').first().getByText('History (1)').click();
    await page.getByText('The vulnerable parser is never called by the panel.').waitFor();
    const decisions = await (await fetch(`${address}/api/v1/releases/${panel.id}/decisions`, { headers: { authorization: `Bearer ${admin}` } })).json() as { status: string; decidedBy: string }[];
    assert.deepEqual(decisions.map((d) => [d.status, d.decidedBy]), [['not_affected', 'psirt@example-robotics']]);
    assert.deepEqual(await seriousViolations(page), []);

    // A live update: a new release and a re-match on the server reach the open page.
    await page.goto(`${address}/#/`);
    await page.getByRole('link', { name: 'panel' }).first().waitFor();
    await page.getByText(/^live/).waitFor();
    await push(panelDir, '0.9.1');
    assert.equal((await rematch()).status, 200);
    await page.getByText(/last event .*finding\.new/).waitFor({ timeout: 15_000 });
    await page.getByRole('cell', { name: '0.9.1' }).waitFor({ timeout: 5_000 });

    // The dossier pushed with the robot's release: the same views, and the same file to download.
    await page.getByRole('link', { name: 'courier-robot' }).click();
    await page.getByRole('heading', { name: 'The dossier as pushed' }).waitFor();
    await page.getByRole('heading', { name: /Annex I checklist/ }).waitFor();
    await page.getByRole('heading', { name: /Certification perimeter/ }).scrollIntoViewIfNeeded();
    await shoot(page, 'dashboard-dossier');
    // Coverage gaps grouped by why, each with its count, as "marque vulns" lists them.
    assert.ok(await page.locator('.coverage ul.gaps li').filter({ hasText: /^\d+ × only partial npm advisory data/ }).first().isVisible(), await page.locator('.coverage').first().innerText());
    const [file] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Download the dossier (HTML)' }).click()]);
    assert.equal(file.suggestedFilename(), 'courier-robot-1.4.0-dossier.html');
    assert.deepEqual(await seriousViolations(page), []);
    await page.goto(`${address}/#/`);
    await page.getByRole('link', { name: 'panel' }).first().waitFor();

    // A release that is not there: said, with the way back.
    await page.goto(`${address}/#/release/no-such-release`);
    await page.getByText('This release could not be shown: no release no-such-release.').waitFor();
    await page.getByRole('link', { name: '← Portfolio' }).click();
    await page.getByRole('link', { name: 'panel' }).first().waitFor();
    // The 404 asked for is the one console error expected.
    errors.splice(0, errors.length, ...errors.filter((e) => !e.includes('/api/v1/releases/no-such-release ')));
    // Phone width: the release page's tables scroll inside it, the page is no wider than the phone.
    await page.setViewportSize({ width: 390, height: 844 });
    await page.getByRole('link', { name: 'courier-robot' }).click();
    await page.getByRole('heading', { name: 'The dossier as pushed' }).waitFor();
    // On failure, the elements that reach past the phone's edge (the innermost first) say what to fix.
    const wide = await page.evaluate(() => Array.from(document.querySelectorAll('body *')).filter((e) => e.getBoundingClientRect().right > 391 && !Array.from(e.children).some((c) => c.getBoundingClientRect().right > 391)).slice(0, 5).map((e) => `${e.tagName.toLowerCase()}.${e.className}: ${(e.textContent ?? '').slice(0, 80)}`));
    assert.equal(await page.evaluate(() => document.documentElement.scrollWidth), 390, `the release page at 390 px is no wider than the phone: ${wide.join(' | ')}`);
    await page.goto(`${address}/#/`);
    await page.getByRole('link', { name: 'panel' }).first().waitFor();
    assert.ok(await page.getByRole('columnheader', { name: 'Open vulnerabilities' }).isVisible(), 'the open vulnerabilities stay on a phone');
    await shoot(page, 'dashboard-phone');
    assert.deepEqual(errors, []);
    await context.close();

    // A stored assessment today's checks refuse (a key written twice in its statement): a row that says so, not a broken page.
    const stale = { payloadType: 'application/vnd.in-toto+json', payload: Buffer.from('{"_type":"a","_type":"b"}').toString('base64'), signatures: [{ keyid: 'k', sig: 'AAAA' }] };
    await store.putAssessment(team.id, envelopeDigest(stale as never), 'pkg:npm/left-pad', stale as never);
    // A viewer sees everything and is offered no write.
    const v = await browser.newContext({ viewport: { width: 1280, height: 800 }, bypassCSP: true });
    const vp = await v.newPage();
    vp.setDefaultTimeout(10_000);
    await vp.goto(address);
    await vp.getByLabel('API token').fill(viewer);
    await vp.getByRole('button', { name: 'Sign in' }).click();
    await vp.getByText('(read only)').waitFor();
    await vp.getByRole('link', { name: 'panel' }).first().click();
    await vp.getByRole('heading', { name: 'Decision history' }).waitFor();
    assert.equal(await vp.getByRole('button', { name: 'Record decision' }).count(), 0);
    await vp.getByRole('link', { name: 'Assessment registry' }).click();
    await vp.getByRole('heading', { name: 'Assessment registry' }).waitFor();
    await vp.getByRole('link', { name: 'courier-robot 1.4.0' }).waitFor();
    assert.ok(await vp.getByText('ROS security working group').isVisible());
    assert.ok(await vp.getByText('not a valid assessment', { exact: true }).isVisible());
    await shoot(vp, 'dashboard-registry');
    await vp.getByLabel('Search').fill('no-such-component');
    await vp.getByText('0 of 2').waitFor();
    assert.deepEqual(await seriousViolations(vp), []);
    await v.close();
  } finally {
    await app.close();
    await store.close();
  }
});

test('the perimeter pictures of both example robots in Chromium: legend under the picture, one box per process, a width that fits a screen', async (t) => {
  if (!browser) { t.skip('Chromium not installed (.ci/run installs it)'); return; }
  const { perimeterReport, perimeterDot } = await import('../src/api/perimeter.ts');
  const { dotToSvg } = await import('../src/util/graphviz.ts');
  for (const [name, dir] of [['perimeter-courier', EXAMPLE], ['perimeter-rover', join(EXAMPLE, '..', 'inspection-rover')]] as const) {
    const dot = { stdout: await dotToSvg(perimeterDot(await perimeterReport(dir))) };
    const width = Number(/<svg width="(\d+)pt"/.exec(dot.stdout)![1]);
    assert.ok(width <= 1400, `${name}: ${width} pt wide`);
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    await page.setContent(`<!doctype html><html lang="en"><head><title>${name}</title></head><body style="margin:0">${dot.stdout.replace(/<\?xml[^>]*>|<!DOCTYPE[^>]*>/g, '').replace(/<svg width="[^"]*" height="[^"]*"/, '<svg style="width:100%;height:auto"')}</body></html>`);
    const texts = await page.locator('svg text').allTextContents();
    assert.ok(texts.includes('Legend'));
    // No process drawn twice: each node id is one box (a cluster title would repeat it).
    const processes = texts.filter((x) => x.startsWith('node:/'));
    assert.deepEqual(processes, [...new Set(processes)], `${name}: a process drawn twice`);
    await page.screenshot({ path: join(shots, `${name}.png`), fullPage: true });
    await page.close();
  }
});
