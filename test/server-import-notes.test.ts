// An advisory import on the team server says what it left out as "marque db import" does: an alias or related id
// that is not an OSV id is dropped from the record kept, with a note naming the file (src/advisories/osv.ts). The
// server's answer (POST /api/v1/advisories) used to carry the skipped records but not the notes, so "db import
// --server" could not show them; it now returns them (stated in the OpenAPI document), and the command prints them
// as the local import does. Real record: PYSEC-2022-184 lists "GHSA-jf66-3q76-h5p5," beside the right id.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FIXTURES, ROOT } from './helpers/paths.ts';
import { PG_URL, storeAdapters } from './helpers/postgres.ts';
import { teamServer } from '../src/server/team-server.ts';

const { reachable, adapters } = await storeAdapters();
const BIN = join(ROOT, 'bin/marque.js');
const marque = (args: string[], env: Record<string, string> = {}) => new Promise<{ code: number | null; out: string; err: string }>((resolve) => {
  execFile(process.execPath, [BIN, ...args], { encoding: 'utf8', env: { ...process.env, ...env } }, (e, out, err) => resolve({ code: e ? (typeof e.code === 'number' ? e.code : 1) : 0, out, err }));
});

const DIR = join(FIXTURES, 'osv-ids');
const RECORD = join(DIR, 'PYSEC-2022-184.yaml');
const NOTE = 'OSV record PYSEC-2022-184: alias "GHSA-jf66-3q76-h5p5," dropped, not an id ("," (U+002C) at position 20; an OSV id is <DB>-<ENTRYID> of ASCII letters, digits and . _ : + - (at most 128)); the record is kept';

for (const [name, open] of adapters) {
  test(`${name}: "marque db import --server" shows the ids the server's import dropped, as the local import does`, async (t) => {
    if (name === 'postgres' && !reachable) { t.skip(`PostgreSQL not reachable at ${PG_URL}`); return; }
    const store = await open();
    await store.migrate();
    const team = await store.createTeam(`notes-${name}`);
    const token = (await store.createToken(team.id, 'admin', 'lead@acme')).token;
    const advisoryDb = join(mkdtempSync(join(tmpdir(), 'marque-import-notes-')), 'advisories.sqlite');
    const server = await teamServer(store, { advisoryDb, offline: true, logger: false });
    try {
      const address = (await server.app.listen({ port: 0, host: '127.0.0.1' })).replace('localhost', '127.0.0.1');
      // The local import: the note on standard error, and in --json.
      const local = await marque(['db', 'import', RECORD, '--db', join(mkdtempSync(join(tmpdir(), 'marque-import-notes-local-')), 'advisories.sqlite')]);
      assert.equal(local.code, 0, local.err);
      assert.equal(local.err, `  note ${RECORD}: ${NOTE}\n`);

      // The same file sent to the server: the note comes back with the file named as it was sent.
      const one = await marque(['db', 'import', RECORD, '--server', address, '--json'], { MARQUE_TOKEN: token });
      assert.equal(one.code, 0, one.err);
      const [report] = JSON.parse(one.out).imported as { records: number; notes?: { file: string; message: string }[]; basis: string }[];
      assert.deepEqual(report!.notes, [{ file: 'PYSEC-2022-184.yaml', message: NOTE }]);
      assert.match(report!.basis, /1 alias or related id\(s\) in 1 record\(s\) dropped as not OSV ids \(PYSEC-2022-184\)$/);
      // A folder goes as one JSON list: the note names the list, the record is in the message. In text, as locally.
      const folder = await marque(['db', 'import', DIR, '--server', address], { MARQUE_TOKEN: token });
      assert.equal(folder.code, 0, folder.err);
      assert.equal(folder.err, `  note osv-ids: ${NOTE}\n`);
      assert.match(folder.out, /^osv:osv-ids: 1 osv records; partial \(.*dropped as not OSV ids \(PYSEC-2022-184\)\)\nimported into http/);

      // Stated in the OpenAPI document: an import's answer lists the notes.
      const doc = (await server.app.inject({ method: 'GET', url: '/api/v1/openapi.json' })).json();
      const answer = doc.paths['/api/v1/advisories'].post.responses['200'].content['application/json'].schema;
      assert.deepEqual(Object.keys(answer.properties.imported.items.properties).sort(), ['basis', 'complete', 'kind', 'notes', 'records', 'skipped', 'source']);
      assert.deepEqual(answer.properties.imported.items.properties.notes.items.required, ['file', 'message']);
    } finally {
      await server.stop();
      await store.close();
    }
  });
}
