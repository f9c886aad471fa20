import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AdvisoryDb } from '../src/advisories/store.ts';
import { importAdvisories } from '../src/api/advisories.ts';
import { findVulnerabilities } from '../src/api/vulns.ts';
import { FINDING_FORMATS, renderFindings } from '../src/api/vex-export.ts';
import type { InventoryComponent } from '../src/model/inventory.ts';
import { exportValidator } from './helpers/schemas.ts';
import { FIXTURES } from './helpers/paths.ts';

async function findings() {
  const path = join(mkdtempSync(join(tmpdir(), 'marque-vex-')), 'a.sqlite');
  await importAdvisories(path, [join(FIXTURES, 'osv/pypa'), join(FIXTURES, 'osv/ghsa'), join(FIXTURES, 'kev/known_exploited_vulnerabilities.json')]);
  const db = AdvisoryDb.openForRead(path)!;
  const c = (purl: string, name: string, version: string, ecosystem: 'pypi' | 'npm'): InventoryComponent => ({ purl, name, version, ecosystem, licenses: [], depth: 1, kind: 'runtime', sourceFile: 'requirements.txt' });
  const components = [
    c('pkg:pypi/pyspark@3.1.2', 'pyspark', '3.1.2', 'pypi'), c('pkg:pypi/jinja2@2.10', 'jinja2', '2.10', 'pypi'),
    c('pkg:pypi/django@3.2.0', 'django', '3.2.0', 'pypi'), c('pkg:npm/systeminformation@5.3.0', 'systeminformation', '5.3.0', 'npm'),
  ];
  const vex = [
    { vulnerability: 'CVE-2022-33891', status: 'not_affected' as const, justification: 'vulnerable_code_not_in_execute_path', source: 't' },
    { vulnerability: 'CVE-2021-21315', status: 'affected' as const, source: 't' },
  ];
  const r = findVulnerabilities({ unlisted: undefined, components, db, product: { name: 'courier-robot', version: '1.4.0', manufacturer: { name: 'Example Robotics GmbH', url: 'https://example-robotics.invalid' } }, vex });
  db.close();
  return r.findings;
}

test('every export validates against its official schema', async () => {
  const fs = await findings();
  assert.ok(fs.length >= 5, `${fs.length} findings`);
  assert.ok(fs.some((f) => f.status === 'not_affected') && fs.some((f) => f.status === 'affected') && fs.some((f) => f.status === 'under_investigation'));
  for (const format of FINDING_FORMATS) {
    const doc = renderFindings(format, { name: 'courier-robot', version: '1.4.0', manufacturer: { name: 'Example Robotics GmbH', url: 'https://example-robotics.invalid' } }, fs, () => 'requirements.txt');
    const validate = await exportValidator(format);
    assert.ok(validate(doc), `${format}: ${JSON.stringify(validate.errors?.slice(0, 3), null, 2)}`);
  }
});

test('exports carry decisions faithfully', async () => {
  const fs = await findings();
  const product = { name: 'courier-robot', version: '1.4.0' };
  const ov = renderFindings('openvex', product, fs) as { statements: { vulnerability: { name: string; aliases?: string[] }; status: string; justification?: string; action_statement?: string }[] };
  const pyspark = ov.statements.find((s) => s.vulnerability.aliases?.includes('CVE-2022-33891') || s.vulnerability.name === 'CVE-2022-33891')!;
  assert.equal(pyspark.status, 'not_affected');
  assert.equal(pyspark.justification, 'vulnerable_code_not_in_execute_path');
  assert.match(ov.statements.find((s) => s.status === 'affected')!.action_statement!, /5\.3\.1/);
  const csaf = renderFindings('csaf', product, fs) as { vulnerabilities: { cve?: string; flags?: { label: string }[]; product_status: Record<string, string[]> }[] };
  const v = csaf.vulnerabilities.find((x) => x.cve === 'CVE-2022-33891')!;
  assert.equal(v.flags![0]!.label, 'vulnerable_code_not_in_execute_path');
  assert.ok(v.product_status['known_not_affected']);
  const sarif = renderFindings('sarif', product, fs) as { runs: { results: { ruleId: string; level: string }[] }[] };
  assert.ok(!sarif.runs[0]!.results.some((r) => fs.find((f) => f.advisory === r.ruleId)?.status === 'not_affected'), 'decided not_affected findings are not code-scanning alerts');
  assert.equal(sarif.runs[0]!.results.find((r) => r.ruleId === 'GHSA-2m8v-572m-ff2v')!.level, 'error', 'exploited is an error');
  const cdx = renderFindings('cyclonedx', product, fs) as { vulnerabilities: { id: string; analysis: { state: string; justification?: string } }[] };
  assert.equal(cdx.vulnerabilities.find((x) => x.analysis.state === 'not_affected')!.analysis.justification, 'code_not_reachable');
});
