// OSV per-ecosystem archives the size of a real export, for the tests about completeness: a zip named
// ECOSYSTEM/all.zip is complete only when it holds at least the floor of records data/osv-exports.json
// keeps for that export (src/advisories/sources.ts), and a test fixture of 39 records is not one.
// The archive holds the 39 real PyPA records of test/fixtures/osv-archives/PyPI/all.zip (CC-BY-4.0,
// pypa/advisory-database) and synthetic records beside them ("x_": the OSV schema's prefix of a local
// database), dated before the real ones so the data date stays theirs, each on a package nobody uses.
import { createWriteStream, mkdirSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import yauzl from 'yauzl';
import yazl from 'yazl';
import { exportSize } from '../../src/advisories/sources.ts';
import { FIXTURES } from './paths.ts';

/** The real records of the fixture archive, member name → text. */
function realRecords(): Promise<Map<string, Buffer>> {
  return new Promise((resolve, reject) => {
    yauzl.fromBuffer(readFileSync(join(FIXTURES, 'osv-archives', 'PyPI', 'all.zip')), { lazyEntries: true }, (err, zip) => {
      if (err || !zip) return reject(err ?? new Error('no zip'));
      const out = new Map<string, Buffer>();
      zip.on('end', () => resolve(out));
      zip.on('error', reject);
      zip.on('entry', (e: yauzl.Entry) => zip.openReadStream(e, (e2, s) => {
        if (e2 || !s) return reject(e2 ?? new Error('no stream'));
        const chunks: Buffer[] = [];
        s.on('data', (c: Buffer) => chunks.push(c));
        s.on('end', () => { out.set(e.fileName, Buffer.concat(chunks)); zip.readEntry(); });
      }));
      zip.readEntry();
    });
  });
}

const made = new Map<string, string>();

/**
 * A folder holding PyPI/all.zip with `records` records in all (default: the floor for OSV's PyPI export, the
 * smallest archive taken for it), the 39 real ones among them, and the `extra` members (name → text) beside
 * them. Made once per size, extra members and process.
 */
export async function pypiExport(records = exportSize('PyPI').floor, extra: Record<string, string> = {}): Promise<string> {
  const key = JSON.stringify([records, extra]);
  const known = made.get(key);
  if (known) return known;
  const real = await realRecords();
  const dir = join(mkdtempSync(join(tmpdir(), 'marque-osv-export-')), 'PyPI');
  mkdirSync(dir);
  const file = join(dir, 'all.zip');
  const zip = new yazl.ZipFile();
  for (const [name, text] of real) zip.addBuffer(text, name);
  for (let i = 1; i <= records - real.size; i++) {
    const id = `x_MARQUE-TEST-${i}`;
    zip.addBuffer(Buffer.from(JSON.stringify({
      id, modified: '2020-01-01T00:00:00Z', summary: 'synthetic record beside the real ones, so the archive is the size of an export',
      affected: [{ package: { ecosystem: 'PyPI', name: `marque-test-unused-${i}` }, ranges: [{ type: 'ECOSYSTEM', events: [{ introduced: '0' }, { fixed: '1.0' }] }] }],
    })), `${id}.json`);
  }
  for (const [name, text] of Object.entries(extra)) zip.addBuffer(Buffer.from(text), name);
  zip.end();
  await new Promise<void>((resolve, reject) => zip.outputStream.pipe(createWriteStream(file)).on('close', resolve).on('error', reject));
  made.set(key, file);
  return file;
}
