import { test } from 'node:test';
import assert from 'node:assert/strict';
import { rangeToEvents, auditToOsv, auditPairs } from '../src/advisories/npm-audit.ts';
import { inRange } from '../src/advisories/match.ts';
import { semverScheme } from '../src/versioning/index.ts';
import semver from 'semver';

test('npm ranges become OSV events that agree with semver.satisfies', () => {
  const ranges = ['<5.3.1', '>=2.0.0 <2.3.1 || >=3.0.0 <3.0.2', '<=1.2.3', '>1.0.0 <1.5.0', '*', '>=4.0.0'];
  const versions = ['0.0.1', '1.0.0', '1.0.1', '1.2.3', '1.4.9', '1.5.0', '2.0.0', '2.3.0', '2.3.1', '3.0.1', '3.0.2', '4.2.0', '5.3.0', '5.3.1', '9.9.9'];
  for (const r of ranges) {
    for (const v of versions) {
      const ours = rangeToEvents(r).some((events) => inRange(v, events, semverScheme));
      assert.equal(ours, semver.satisfies(v, r), `${v} in ${r}`);
    }
  }
});

test('an npm audit report (auditReportVersion 2) becomes OSV records and expected pairs', () => {
  const report = {
    auditReportVersion: 2,
    vulnerabilities: {
      systeminformation: { name: 'systeminformation', via: [{ source: 1, name: 'systeminformation', title: 'Command Injection', url: 'https://github.com/advisories/GHSA-2m8v-572m-ff2v', severity: 'high', range: '<5.3.1' }], nodes: ['node_modules/systeminformation'] },
      parent: { name: 'parent', via: ['systeminformation'] },
    },
  };
  const [a] = auditToOsv(report, '2026-01-01T00:00:00Z');
  assert.equal(a!.id, 'GHSA-2m8v-572m-ff2v');
  assert.deepEqual(a!.affected[0]!.ranges![0]!.events, [{ introduced: '0' }, { fixed: '5.3.1' }]);
  assert.deepEqual([...auditPairs(report)], ['systeminformation GHSA-2m8v-572m-ff2v']);
});
