// OSV ids are printed into terminals, Markdown and HTML: a record whose id holds a control character
// (or anything else no OSV id holds) is refused at import, naming the file and, in an archive, the
// member, and counted as skipped (so the source is partial); an alias or related id that is not one is
// dropped with a note, and the record kept (src/advisories/osv.ts).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { advisoryStatus, importAdvisories } from '../src/api/advisories.ts';
import { idProblem } from '../src/advisories/osv.ts';
import { AdvisoryDb } from '../src/advisories/store.ts';
import { exportSize } from '../src/advisories/sources.ts';
import { InputError } from '../src/util/errors.ts';
import { FIXTURES, ROOT } from './helpers/paths.ts';
import { pypiExport } from './helpers/osv-export.ts';

const ESC = '\u001b';
const tmp = (name: string) => mkdtempSync(join(tmpdir(), `marque-ids-${name}-`));
const dbFile = () => join(tmp('db'), 'advisories.sqlite');
const record = (id: string, extra: Record<string, unknown> = {}) => JSON.stringify({
  id, modified: '2024-01-01T00:00:00Z', summary: 'hand-made',
  affected: [{ package: { ecosystem: 'PyPI', name: 'requests' }, ranges: [{ type: 'ECOSYSTEM', events: [{ introduced: '0' }, { fixed: '0.0.1' }] }] }], ...extra,
});

test('ids OSV databases give pass; control characters, white space, markup, "/", look-alike letters and overlong ids do not', () => {
  for (const id of ['GHSA-vp9c-fpxx-744v', 'PYSEC-2021-1', 'CVE-2021-44228', 'RHSA-2024:1234', 'openSUSE-SU-2024:0001-1', 'PHSA-2023-4.0-0363', 'DEBIAN-CVE-2024-1234', 'UBUNTU-CVE-2024-1234', 'USN-6000-1', 'BIT-node-2023-30581', 'x_CUSTOM-0001', 'ASB-A-123456', 'MAL-2024-1']) {
    assert.equal(idProblem(id), undefined, id);
  }
  assert.match(idProblem(`GHSA-${ESC}[2J`)!, /^a control character \(U\+001B\) at position 6; an OSV id is <DB>-<ENTRYID>/);
  assert.match(idProblem('GHSA-1\r\nforged line')!, /^a control character \(U\+000D\)/);
  assert.match(idProblem('GHSA-1\u009b31m')!, /^a control character \(U\+009B\)/, 'a C1 CSI too');
  assert.match(idProblem('GHSA 1')!, /^white space \(U\+0020\)/);
  assert.match(idProblem('GHSA-<script>')!, /^"<" \(U\+003C\)/);
  assert.match(idProblem('GHSA-1](javascript:x)')!, /^"\]" \(U\+005D\)/);
  assert.match(idProblem('../../etc/passwd')!, /^"\." \(U\+002E\) at position 1/);
  assert.match(idProblem('GHSA-1/2')!, /^"\/" \(U\+002F\)/);
  assert.match(idProblem('GHS\u0410-1')!, /^a character outside ASCII \(U\+0410\) at position 4/, 'Cyrillic A looking like Latin A');
  assert.match(idProblem(`GHSA-${'a'.repeat(200)}`)!, /^it is 205 characters long, over 128/);
});

test('a record whose id holds a control character is refused, named with its file or archive member, counted as skipped, and the archive is partial', async () => {
  // In a folder: skipped with the file, the other record lands.
  const dir = join(tmp('folder'), 'vulns');
  mkdirSync(dir);
  writeFileSync(join(dir, 'GOOD-1.json'), record('PYSEC-2099-1'));
  writeFileSync(join(dir, 'bad.json'), record(`PYSEC-2099-2${ESC}[2J${ESC}[31mFORGED`));
  const path = dbFile();
  const [folder] = await importAdvisories(path, [dir]);
  assert.equal(folder!.records, 1);
  assert.equal(folder!.skipped.length, 1);
  assert.equal(folder!.skipped[0]!.file, join(dir, 'bad.json'));
  assert.match(folder!.skipped[0]!.message, /OSV record id "PYSEC-2099-2\\u001b\[2J\\u001b\[31mFORGED" is not an OSV id: a control character \(U\+001B\) at position 13/);
  assert.ok(!folder!.skipped[0]!.message.includes(ESC), 'the message shows the id without its control characters');
  const store = AdvisoryDb.openForRead(path)!;
  try {
    assert.equal(store.counts().advisories, 1, 'the refused record is not in the database');
  } finally {
    store.close();
  }

  // In an archive the size of OSV's PyPI export: skipped with the archive and the member (its name made printable too), and the archive is partial.
  const member = `bad${ESC}[2J.json`;
  const archive = await pypiExport(exportSize('PyPI').floor, { [member]: record(`PYSEC-2099-3${ESC}]0;title${ESC}\\`) });
  const [zip] = await importAdvisories(dbFile(), [archive]);
  assert.equal(zip!.records, exportSize('PyPI').floor);
  assert.deepEqual(zip!.skipped.map((s) => s.file), [`${archive}:bad\\u001b[2J.json`]);
  assert.match(zip!.skipped[0]!.message, /is not an OSV id: a control character \(U\+001B\)/);
  assert.deepEqual(zip!.complete, [], 'a skipped record makes the export partial');
  assert.equal(zip!.basis, '1 record(s) of the archive could not be read');

  // On the command line: exit 2, the file and member named, no control character reaches the terminal.
  const cli = spawnSync(process.execPath, [join(ROOT, 'bin/marque.js'), 'db', 'import', archive, '--db', dbFile()], { encoding: 'utf8' });
  assert.equal(cli.status, 2, cli.stderr);
  assert.match(cli.stderr, /skipped .*all\.zip:bad\\u001b\[2J\.json: OSV record id "PYSEC-2099-3\\u001b\]0;title\\u001b\\\\" is not an OSV id/);
  assert.ok(!cli.stderr.includes(ESC) && !cli.stdout.includes(ESC), 'nothing printed holds ESC');
});

test('a single record file with such an id fails the import, naming the file; nothing lands', async () => {
  const file = join(tmp('one'), 'record.json');
  writeFileSync(file, record('GHSA-<img src=x onerror=alert(1)>'));
  const path = dbFile();
  await assert.rejects(importAdvisories(path, [file]), (e: unknown) => e instanceof InputError && e.file === file && /OSV record id "GHSA-<img src=x onerror=alert\(1\)>" is not an OSV id: "<" \(U\+003C\) at position 6/.test(e.message));
  assert.equal(advisoryStatus(path).exists, false);
});

test('an alias that is not an id is dropped with a note, and the record kept (a real PyPA record)', async () => {
  const path = dbFile();
  const dir = join(FIXTURES, 'osv-ids');
  const [report] = await importAdvisories(path, [dir]);
  assert.equal(report!.records, 1);
  assert.deepEqual(report!.skipped, []);
  assert.deepEqual(report!.notes, [{ file: join(dir, 'PYSEC-2022-184.yaml'), message: 'OSV record PYSEC-2022-184: alias "GHSA-jf66-3q76-h5p5," dropped, not an id ("," (U+002C) at position 20; an OSV id is <DB>-<ENTRYID> of ASCII letters, digits and . _ : + - (at most 128)); the record is kept' }]);
  assert.match(report!.basis!, /; 1 alias or related id\(s\) in 1 record\(s\) dropped as not OSV ids \(PYSEC-2022-184\)$/);
  const store = AdvisoryDb.openForRead(path)!;
  try {
    assert.deepEqual(store.advisory('PYSEC-2022-184')!.aliases, ['CVE-2022-1053', 'GHSA-jf66-3q76-h5p5']);
  } finally {
    store.close();
  }
  // Related ids too; the record stays.
  const related = join(tmp('related'), 'r.json');
  writeFileSync(related, record('PYSEC-2099-4', { related: ['CVE-2099-1', `CVE-2099-2${ESC}[2J`] }));
  const [r] = await importAdvisories(dbFile(), [related]);
  assert.equal(r!.records, 1);
  assert.match(r!.notes![0]!.message, /^OSV record PYSEC-2099-4: related id "CVE-2099-2\\u001b\[2J" dropped, not an id \(a control character \(U\+001B\)/);
});
