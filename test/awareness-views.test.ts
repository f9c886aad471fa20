// Every view of the Art. 14(2) clock says what its moment of awareness rests on, in the words of
// "marque vulns" (src/formats/awareness-note.ts): the pull-request comment (vulns --format markdown),
// the report drafts (report-clock), and the dossier's clocks (HTML, and the PDF printed from it). A
// product first checked today carries a vulnerability the KEV catalogue has listed since 2022-01-18:
// none of them may show "early warning due tomorrow" without saying so. (The dashboard shares the
// dossier's clock view; test/browser.test.ts checks it on a server.)
// Real records: GHSA-2m8v-572m-ff2v (systeminformation < 5.3.1, CVE-2021-21315) and the CISA KEV catalogue.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { importAdvisories } from '../src/api/advisories.ts';
import { buildDossier } from '../src/api/dossier.ts';
import { reportingClock } from '../src/cra/clock.ts';
import { dossierHtml } from '../src/report/dossier-html.ts';
import { findingsMarkdown } from '../src/formats/markdown/findings.ts';
import { awarenessNote } from '../src/formats/awareness-note.ts';
import { isMissing } from '../src/model/dossier.ts';
import type { Finding } from '../src/model/advisory.ts';
import { FIXTURES, ROOT } from './helpers/paths.ts';
import { exploitedProduct } from './helpers/dossier.ts';

const GHSA = 'GHSA-2m8v-572m-ff2v';
const NOW = '2026-11-20T08:00:00Z';
const KEV_NOTE = /Marque's record of this product begins 2026-11-20 \(its awareness store was started 2026-11-20\): it cannot tell whether the manufacturer knew earlier\. The vulnerability has been listed as exploited \(KEV\) since 2022-01-18: if the manufacturer knew then, the early warning was due 2022-01-19 00:00 UTC and the notification 2022-01-21 00:00 UTC \(the early warning and the notification now overdue\)\./;

/** A fresh advisory database, and so a fresh awareness store beside it: Marque's record begins with the first run. */
async function freshDb(): Promise<string> {
  const db = join(mkdtempSync(join(tmpdir(), 'marque-aware-views-')), 'advisories.sqlite');
  await importAdvisories(db, [join(FIXTURES, 'osv/ghsa/GHSA-2m8v-572m-ff2v.json'), join(FIXTURES, 'kev/known_exploited_vulnerabilities.json')]);
  return db;
}

const marque = (...args: string[]) => spawnSync(process.execPath, [join(ROOT, 'bin/marque.js'), ...args], { encoding: 'utf8' });
/** The note "marque vulns" prints under the clock, its lines joined again. */
function textNote(out: string): string {
  const lines = out.split('\n');
  const from = lines.findIndex((l) => l.startsWith('  final report')) + 1;
  const to = lines.findIndex((l, i) => i >= from && !l.startsWith('  '));
  return lines.slice(from, to).map((l) => l.trim()).join(' ');
}

test('the pull-request comment says what each clock rests on, in the words of the text output', async () => {
  const db = await freshDb();
  const product = exploitedProduct();
  const text = marque('vulns', product, '--db', db, '--now', NOW);
  assert.equal(text.status, 0, text.stderr);
  const note = textNote(text.stdout);
  assert.match(note, KEV_NOTE);
  const md = marque('vulns', product, '--db', db, '--format', 'markdown', '--now', NOW);
  assert.equal(md.status, 0, md.stderr);
  assert.match(md.stdout, /\| advisory \| components \| aware since \| early warning due \| notification due \| what the moment rests on \|/);
  const row = md.stdout.split('\n').find((l) => l.startsWith(`| ${GHSA} |`))!;
  assert.equal(row, `| ${GHSA} | \`pkg:npm/systeminformation@5.3.0\` | 2026-11-20T08:00:00.000Z | 2026-11-21T08:00:00.000Z | 2026-11-23T08:00:00.000Z | ${note} |`,
    'no "due tomorrow" without the KEV listing of 2022 beside it, and the same sentence as "marque vulns"');
  assert.match(note, /Give the moment the manufacturer became aware with --aware-at\.$/);
  // A moment given for the run is the user's statement: nothing to add, no column.
  const given = marque('vulns', product, '--db', db, '--format', 'markdown', '--aware-at', NOW, '--now', NOW);
  assert.doesNotMatch(given.stdout, /what the moment rests on/);
});

test('a comment of a server\'s findings says what the record rests on, without offering --aware-at', () => {
  const now = new Date('2026-12-07T10:00:00Z');
  const clock = reportingClock(now, null, now, { basis: 'recorded', recordSince: now, exploitedSince: '2022-01-18' });
  const f = { component: 'pkg:npm/systeminformation@5.3.0', advisory: GHSA, aliases: ['CVE-2021-21315'], summary: null, severity: [], fixedIn: ['5.3.1'], exploited: true, kev: { dateAdded: '2022-01-18' }, status: 'under_investigation', clock } as unknown as Finding;
  const md = findingsMarkdown({ product: { name: 'panel', version: '1.0.0' }, findings: [f], coverage: { components: 1, covered: 1, coveredFresh: 1, complete: true, maxAgeDays: 30, sources: [], gaps: [] } as never, score: () => -1 });
  assert.ok(md.includes(`| ${awarenessNote(clock)} |`), md);
  assert.match(md, /record of this product begins 2026-12-07: it cannot tell whether the manufacturer knew earlier/);
  assert.doesNotMatch(md, /--aware-at/);
});

test('report-clock: the draft states the moment\'s basis and, the KEV listing being older than the record, both deadlines', async () => {
  const db = await freshDb();
  const product = exploitedProduct();
  const md = marque('report-clock', 'CVE-2021-21315', product, '--db', db, '--now', NOW);
  assert.equal(md.status, 0, md.stderr);
  const moment = md.stdout.split('\n').find((l) => l.startsWith('Moment of awareness:'))!;
  assert.match(moment, /^Moment of awareness: 2026-11-20T08:00:00\.000Z \(first recorded for the vulnerability in this product\)\. Marque's record of this product begins 2026-11-20/);
  assert.match(moment, KEV_NOTE);
  assert.match(moment, /Give the moment the manufacturer became aware with --aware-at\.$/);
  // Each deadline twice: from the record, and from the listing.
  assert.match(md.stdout, /## Early warning \(Art\. 14\(2\)\(a\)\)\n\nDue: 2026-11-21T08:00:00\.000Z\n\nDue if the manufacturer knew when the vulnerability was listed as exploited \(KEV\), 2022-01-18: 2022-01-19T00:00:00\.000Z — \*\*OVERDUE\*\*\n/);
  assert.match(md.stdout, /## Vulnerability notification \(Art\. 14\(2\)\(b\)\)\n\nDue: 2026-11-23T08:00:00\.000Z\n\nDue if the manufacturer knew when the vulnerability was listed as exploited \(KEV\), 2022-01-18: 2022-01-21T00:00:00\.000Z — \*\*OVERDUE\*\*\n/);
  const j = JSON.parse(marque('report-clock', 'CVE-2021-21315', product, '--db', db, '--now', NOW, '--json').stdout);
  assert.deepEqual(j.drafts.map((d: { ifAwareFrom?: unknown }) => d.ifAwareFrom ?? null), [
    { since: '2022-01-18T00:00:00.000Z', why: 'exploited', due: '2022-01-19T00:00:00.000Z', overdue: true },
    { since: '2022-01-18T00:00:00.000Z', why: 'exploited', due: '2022-01-21T00:00:00.000Z', overdue: true },
    null,
  ]);
  assert.deepEqual(j.drafts.slice(0, 2).map((d: { overdue: boolean }) => d.overdue), [false, false], 'by the record alone, nothing is overdue');
  // Stated for the run: the user's statement, said as such, and nothing from the listing.
  const given = marque('report-clock', 'CVE-2021-21315', product, '--db', db, '--aware-at', '2026-11-19T08:00:00Z', '--now', NOW);
  assert.match(given.stdout, /^Moment of awareness: 2026-11-19T08:00:00\.000Z \(given for this run with --aware-at\)\.$/m);
  assert.doesNotMatch(given.stdout, /Due if the manufacturer knew/);
});

test('the dossier\'s reporting clock says what its moment rests on (the PDF is this HTML printed)', async () => {
  const d = await buildDossier({ dir: exploitedProduct(), db: await freshDb(), today: new Date(NOW) });
  assert.ok(!isMissing(d.findings));
  const f = d.findings.items.find((x) => x.advisory === GHSA && x.clock)!;
  const page = dossierHtml(d).replace(/&#39;|&apos;/g, "'");
  assert.match(page, /<span class="basis">first recorded for the vulnerability in this product<\/span>/);
  const block = /<p class="note clock-note warn-box">([^<]*)<\/p>/.exec(page);
  assert.ok(block, 'the note under the clock, marked: deadlines from the listing are overdue');
  assert.equal(block[1], awarenessNote(f.clock!), 'the words of "marque vulns", without --aware-at ("marque report" has none)');
  assert.match(block[1]!, KEV_NOTE);
});
