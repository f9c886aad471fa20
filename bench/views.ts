// bench/views (issue 14): the example robot's dossier made and rendered (< 1 s, < 2 MB), and the
// dashboard's first page in Debian's Chromium against a server holding 1,000 releases (< 1 s from
// signing in to the portfolio table). Usage: node bench/views.ts [--releases 1000] [--runs 5]
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { spawnSync } from 'node:child_process';
import { buildDossier } from '../src/api/dossier.ts';
import { dossierHtml } from '../src/report/dossier-html.ts';
import { chromiumPath } from '../src/report/pdf.ts';
import { buildServer } from '../src/server/app.ts';
import { portfolioStore } from '../src/server/store/portfolio.ts';
import { sqliteSql } from '../src/server/store/sqlite.ts';
import { EXAMPLE, ROOT } from '../test/helpers/paths.ts';
import { fixtureDb } from '../test/helpers/dossier.ts';

const { values } = parseArgs({ options: { releases: { type: 'string', default: '1000' }, runs: { type: 'string', default: '5' } } });
const runs = Number(values.runs);
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const db = await fixtureDb();

// The dossier: in process (warm) and as a user runs it (a fresh "marque report" process).
const inProcess: number[] = [];
let size = 0;
for (let i = 0; i < runs; i++) {
  const t = performance.now();
  size = Buffer.byteLength(dossierHtml(await buildDossier({ dir: EXAMPLE, db })));
  inProcess.push(performance.now() - t);
}
const cli: number[] = [];
const out = join(mkdtempSync(join(tmpdir(), 'marque-bench-views-')), 'dossier.html');
for (let i = 0; i < runs; i++) {
  const t = performance.now();
  const r = spawnSync(process.execPath, [join(ROOT, 'bin/marque.js'), 'report', EXAMPLE, '--db', db, '-o', out], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(r.stderr);
  cli.push(performance.now() - t);
}
console.log(`dossier of the example robot: ${(size / 1024).toFixed(0)} KB (target < 2 MB); made and rendered in process: median ${median(inProcess).toFixed(0)} ms; "marque report -o dossier.html" end to end: median ${median(cli).toFixed(0)} ms (target < 1 s)`);

// The dashboard's first page on a portfolio of N releases.
const executablePath = chromiumPath();
if (!executablePath) { console.log('dashboard: skipped, no Chromium on this machine'); process.exit(0); }
const store = portfolioStore(sqliteSql(join(mkdtempSync(join(tmpdir(), 'marque-bench-ui-')), 'marque.sqlite')));
await store.migrate();
const team = await store.createTeam('bench');
const token = (await store.createToken(team.id, 'viewer', 'bench')).token;
const n = Number(values.releases);
const components = Array.from({ length: 50 }, (_, i) => ({ purl: `pkg:npm/pkg${i}@1.0.0`, name: `pkg${i}`, version: '1.0.0', ecosystem: 'npm', depth: 1, scope: 'runtime' }));
for (let p = 0; p < n / 10; p++) {
  const product = await store.createProduct(team.id, `product-${p}`);
  for (let v = 0; v < 10; v++) {
    const r = await store.createRelease(team.id, { productId: product.id, version: `1.${v}.0`, supportEnd: '2031-12', components, facts: { class: p % 7 ? 'default' : 'important-I', categories: [], conformityRoutes: ['A'], manufacturer: 'Bench', contact: null, mainEstablishment: 'DE', memberStates: ['DE'] } });
    if (v % 10 === 0) {
      await store.saveFindings(team.id, r.id, [{ component: components[0]!.purl, vulnerability: `CVE-2026-${p}`, exploited: true, status: 'affected' }], new Date());
      await store.awareness(team.id, r.id, components[0]!.purl, `CVE-2026-${p}`, new Date());
    }
  }
}
const app = await buildServer(store, { advisoryDb: db });
const address = await app.listen({ port: 0, host: '127.0.0.1' });
const { chromium } = await import('playwright-core');
const browser = await chromium.launch({ executablePath, args: ['--headless', '--no-sandbox'] });
const times: number[] = [];
const cold: number[] = [];
for (let i = 0; i < runs; i++) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  // From a fresh tab: load the dashboard, sign in, wait for the last row of the portfolio.
  let t = performance.now();
  await page.goto(address);
  await page.getByLabel('API token').fill(token);
  const loaded = performance.now() - t;
  t = performance.now();
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.locator('table.portfolio tbody tr').nth(n - 1).waitFor();
  times.push(performance.now() - t);
  cold.push(loaded + times.at(-1)!);
  await context.close();
}
await browser.close();
await app.close();
await store.close();
console.log(`dashboard first page, ${n} releases: sign-in to the whole portfolio table median ${median(times).toFixed(0)} ms; with loading the page (HTML + ${'bundle'}) median ${median(cold).toFixed(0)} ms (target < 1 s)`);
