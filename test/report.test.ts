// The release dossier: gathered from the library, rendered once to a self-contained HTML file.
// What could not be checked is said (a gap), never shown as an answer; the digest covers the inputs.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildDossier } from '../src/api/dossier.ts';
import { dossierHtml } from '../src/report/dossier-html.ts';
import { isMissing } from '../src/model/dossier.ts';
import { EXAMPLE, ROOT } from './helpers/paths.ts';
import { exploitedProduct, fixtureDb } from './helpers/dossier.ts';

test('the example robot\'s dossier: every section, gaps said as gaps, the inputs digest recomputable', async () => {
  const db = await fixtureDb();
  const d = await buildDossier({ dir: EXAMPLE, db, today: new Date('2026-11-26T09:00:00Z') });
  assert.equal(d.product.name, 'courier-robot');
  assert.equal(d.profile.class, 'default');
  assert.ok(!isMissing(d.sbom) && d.sbom.total > 200);
  assert.ok(!isMissing(d.sbom) && d.sbom.byDepth.reduce((n, x) => n + x.runtime + x.other, 0) === d.sbom.total, 'the depth histogram counts every component once');
  assert.ok(!isMissing(d.sbom) && d.sbom.deepest[0]!.path?.length === d.sbom.deepest[0]!.depth + 1, 'a why path has one step per degree of separation');
  assert.ok(!isMissing(d.findings) && d.findings.items.some((f) => f.component === 'pkg:pypi/idna@3.6'));
  // "Data as of" is the oldest source's date, not the KEV catalogue's (2025-08-25) over PyPA records of 2024.
  const { AdvisoryDb } = await import('../src/advisories/store.ts');
  const store = AdvisoryDb.openForRead(db)!;
  const dates = store.sources().map((s) => s.dataDate!).sort();
  store.close();
  assert.ok(dates.at(-1)!.startsWith('2025-08-25') && dates[0]! < dates.at(-1)!, dates.join());
  assert.ok(!isMissing(d.findings) && d.findings.dataDate === dates[0]);
  assert.ok(!isMissing(d.perimeter) && d.perimeter.compartments.some((c) => c.id === 'container:dashboard' && c.reached));
  assert.ok(d.support.platforms.some((p) => p.platform === 'ROS 2 Jazzy' && p.beforeSupportEnd), 'Jazzy ends (2029-05) before the support period (2032-12)');
  // The digest is the SHA-256 of the listed input hashes, and marque.yaml's hash is its file's.
  assert.equal(d.digest, createHash('sha256').update(d.inputs.map((i) => `${i.sha256}  ${i.name}`).join('\n')).digest('hex'));
  assert.equal(d.inputs[0]!.sha256, createHash('sha256').update(readFileSync(join(EXAMPLE, 'marque.yaml'), 'utf8')).digest('hex'));
  // The auditor's to-do list: the runtime components no valid assessment covers, nearest first.
  assert.ok(!isMissing(d.assessments) && d.assessments.unassessedRuntime!.length === d.assessments.figures.runtimeTotal - d.assessments.figures.runtimeCovered);
  assert.ok(!isMissing(d.assessments) && d.assessments.unassessedRuntime!.every((u, i, all) => i === 0 || (all[i - 1]!.depth ?? 1e9) <= (u.depth ?? 1e9)));
  const page = dossierHtml(d);
  assert.match(page, /Runtime components without a valid assessment \(\d+\), nearest to the product first/);
  // The figures count third-party components (src/attest/coverage.ts), and the page says so.
  assert.match(page, /\d+ of \d+ third-party components \(\d+ of \d+ runtime\) are covered by a valid assessment/);
  assert.ok(Buffer.byteLength(page) < 2 * 1024 * 1024, `${Buffer.byteLength(page)} bytes`);
  for (const id of ['identity', 'obligations', 'sbom', 'findings', 'checklist', 'perimeter', 'assessments', 'inputs']) assert.match(page, new RegExp(`<section id="${id}"`));
  // No gap drawn as filled text: the example states no postal address.
  assert.match(page, /<span class="gap">missing: Annex II \(1\) requires it<\/span>/);
  // Self-contained: nothing is loaded from anywhere, and only the inlined script may run.
  assert.doesNotMatch(page, /<(script|img|link)[^>]+(src|href)=/i);
  assert.match(page, /Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:; script-src 'sha256-/);
  assert.match(page, new RegExp(d.digest));
});

test('without advisory data, the dossier says what is missing instead of "no known vulnerabilities"', async () => {
  const d = await buildDossier({ dir: EXAMPLE, db: join(mkdtempSync(join(tmpdir(), 'marque-report-none-')), 'none.sqlite') });
  assert.ok(isMissing(d.findings));
  const page = dossierHtml(d);
  assert.match(page, /Not in this dossier: no advisory database at/);
  assert.doesNotMatch(page, /No known vulnerability/);
  assert.ok(d.checklist.some((i) => i.status === 'needs-evidence'));
});

test('an exploited finding gets its Art. 14(2) clock in the dossier, each stage with its citation', async () => {
  const d = await buildDossier({ dir: exploitedProduct(), db: await fixtureDb(), today: new Date('2026-11-26T09:00:00Z') });
  assert.ok(!isMissing(d.findings));
  const exploited = d.findings.items.filter((f) => f.exploited);
  assert.ok(exploited.length > 0);
  const page = dossierHtml(d);
  assert.match(page, /Reporting clocks \(Art\. 14\(2\)\)/);
  for (const c of ['Art. 14(2)(a)', 'Art. 14(2)(b)', 'Art. 14(2)(c)']) assert.ok(page.includes(c), c);
  assert.match(page, /this file cannot know them/);
});

test('marque report: -o decides the format; json is the data; a bad format is a usage error', async () => {
  const db = await fixtureDb();
  const out = mkdtempSync(join(tmpdir(), 'marque-report-cli-'));
  const run = (...args: string[]) => spawnSync(process.execPath, [join(ROOT, 'bin/marque.js'), 'report', EXAMPLE, '--db', db, ...args], { encoding: 'utf8' });
  const h = run('-o', join(out, 'dossier.html'));
  assert.equal(h.status, 0, h.stderr);
  assert.match(readFileSync(join(out, 'dossier.html'), 'utf8'), /^<!doctype html>/);
  const j = run('-o', join(out, 'dossier.json'));
  assert.equal(j.status, 0, j.stderr);
  assert.equal(JSON.parse(readFileSync(join(out, 'dossier.json'), 'utf8')).product.version, '1.4.0');
  const bad = run('--format', 'docx');
  assert.equal(bad.status, 2);
  assert.match(bad.stderr, /--format takes html, pdf or json/);
});
