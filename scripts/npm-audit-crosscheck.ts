// Cross-check of Marque's matcher against `npm audit` on a real npm project (needs the npm
// registry's audit endpoint, so it is a script, not a unit test).
//   node scripts/npm-audit-crosscheck.ts DIR
// Runs `npm audit --json --package-lock-only` in DIR, turns every advisory npm reports into an OSV
// record, imports them into a scratch database, matches the lockfile with Marque, and lists every
// advisory npm reported that Marque did not find. Exit 1 when any is missing.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { AdvisoryDb, updateAtomically } from '../src/advisories/store.ts';
import { auditPairs, auditToOsv } from '../src/advisories/npm-audit.ts';
import { buildInventory } from '../src/api/inventory.ts';
import { findVulnerabilities } from '../src/api/vulns.ts';

const dir = resolve(process.argv[2] ?? '.');
const audit = spawnSync('npm', ['audit', '--json', '--package-lock-only'], { cwd: dir, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
const report = JSON.parse(audit.stdout || '{}');
if (!report.vulnerabilities) {
  console.error(`npm audit gave no report: ${report.message ?? audit.stderr}`);
  process.exit(2);
}
const advisories = auditToOsv(report);
const scratch = mkdtempSync(join(tmpdir(), 'marque-crosscheck-'));
const path = join(scratch, 'a.sqlite');
await updateAtomically(path, async (db) => { for (const a of advisories) db.putAdvisory(a); });
const db = AdvisoryDb.openForRead(path)!;
const inv = await buildInventory({ target: join(dir, 'package-lock.json') });
const { findings } = findVulnerabilities({ unlisted: undefined, components: inv.components, db, product: { name: 'crosscheck', version: '0' } });
db.close();
rmSync(scratch, { recursive: true, force: true });
const found = new Set(findings.map((f) => `${inv.components.find((c) => c.purl === f.component)?.name} ${f.advisory}`));
const expected = auditPairs(report);
const missing = [...expected].filter((p) => !found.has(p));
console.log(`npm audit reported ${expected.size} (package, advisory) pairs; Marque found ${[...expected].length - missing.length} of them (${findings.length} findings in all).`);
for (const m of missing) console.log(`  missing: ${m}`);
process.exit(missing.length ? 1 : 0);
