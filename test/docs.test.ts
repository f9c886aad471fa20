import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { XMLValidator } from 'fast-xml-parser';
import { EXAMPLE, ROOT } from './helpers/paths.ts';
import { ANNEX_II, ANNEX_V, ANNEX_VII } from '../src/cra/rules/annex-documents.ts';

function marque(...args: string[]) {
  const r = spawnSync(process.execPath, [join(ROOT, 'bin/marque.js'), ...args], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

test('docs --json drafts every point of Annex V, II and VII with its citation, filled or marked as a gap', () => {
  const r = marque('docs', EXAMPLE, '--json', '--db', join(tmpdir(), 'none.sqlite'));
  assert.equal(r.code, 0, r.err);
  const { documents } = JSON.parse(r.out);
  assert.deepEqual(documents.map((d: { id: string }) => d.id), ['declaration', 'user-information', 'technical-documentation']);
  assert.deepEqual(documents.map((d: { points: unknown[] }) => d.points.length), [ANNEX_V.length, ANNEX_II.length, ANNEX_VII.length]);
  const point = (doc: number, p: string) => documents[doc].points.find((x: { point: string }) => x.point === p);
  assert.match(point(0, '2').value, /Example Robotics GmbH/);
  assert.match(point(1, '7').value, /2032-12/);
  assert.match(point(1, '8(c)').value, /Signed Debian packages/);
  assert.match(point(2, '8').value, /225 components/);
  assert.equal(point(1, '5').value, null, 'foreseeable misuse is the manufacturer\'s to write');
  assert.ok(documents.flatMap((d: { points: { cite: string }[] }) => d.points).every((p: { cite: string }) => /^Annex (V|II|VII), point/.test(p.cite)));
});

test('docs writes Markdown and well-formed, printable HTML', () => {
  const dir = mkdtempSync(join(tmpdir(), 'marque-docs-'));
  assert.equal(marque('docs', EXAMPLE, '--format', 'html', '-o', dir, '--db', join(tmpdir(), 'none.sqlite')).code, 0);
  const html = readFileSync(join(dir, 'cra-documents.html'), 'utf8');
  assert.equal(XMLValidator.validate(html.replace(/^<!DOCTYPE html>\n/, '')), true, 'well-formed markup');
  assert.match(html, /@page \{ size: A4/);
  assert.match(html, /class="value gap"/);
  const md = marque('docs', EXAMPLE, '--db', join(tmpdir(), 'none.sqlite')).out;
  assert.match(md, /## EU declaration of conformity \(Art\. 28; Annex V\)/);
  assert.match(md, /TO BE COMPLETED BY THE MANUFACTURER/);
  assert.equal(marque('docs', EXAMPLE, '--format', 'pdf').code, 2);
  assert.match(marque('docs', EXAMPLE, '--today', 'tomorrow').err, /--today must be a calendar date YYYY-MM-DD/);
});
