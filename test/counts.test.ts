// Counts that add up, on real inputs: first-party is the product's own code (never an image's
// packages nor a lockfile's dependencies), coverage counts the third-party components that ship
// (one definition, here and on the server), and a vulnerability matched in two components is one
// vulnerability in two components.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EXAMPLE, FIXTURES, ROOT } from './helpers/paths.ts';
import { buildInventory } from '../src/api/inventory.ts';
import { renderSbom } from '../src/api/sbom.ts';
import { ingestSbom } from '../src/api/ingest.ts';
import { findVulnerabilities } from '../src/api/vulns.ts';
import { releaseFindings } from '../src/api/release-findings.ts';
import { AdvisoryDb } from '../src/advisories/store.ts';
import { countComponents, countVulnerabilities, vulnerabilitiesText } from '../src/model/counting.ts';
import { buildDossier } from '../src/api/dossier.ts';
import { dossierHtml } from '../src/report/dossier-html.ts';

const IMAGE = join(FIXTURES, 'image');
const REALSENSE = join(FIXTURES, 'realsense-ros');
const NOW = '2026-12-01T00:00:00Z';

function marque(...args: string[]) {
  const r = spawnSync(process.execPath, [join(ROOT, 'bin/marque.js'), ...args], { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

const dbPath = join(mkdtempSync(join(tmpdir(), 'marque-counts-')), 'advisories.sqlite');
const imported = marque('db', 'import', join(FIXTURES, 'osv-counts'), join(FIXTURES, 'osv-closure'), '--db', dbPath, '--platform', 'debian:bookworm');
assert.equal(imported.code, 0, imported.err);

test('a Debian image\'s packages are third-party: the ones installed by hand are roots, not the product\'s own code', () => {
  const inv = JSON.parse(marque('inventory', IMAGE, '--json').out);
  const roots = inv.components.filter((c: { root?: boolean }) => c.root);
  assert.ok(roots.some((c: { name: string }) => c.name === 'perl-base') && roots.some((c: { name: string }) => c.name === 'apt') && roots.some((c: { name: string }) => c.name === 'curl'), 'perl-base, apt and curl are where the graph starts');
  assert.equal(inv.components.filter((c: { firstParty?: boolean }) => c.firstParty).length, 0);
  const v = JSON.parse(marque('vulns', IMAGE, '--db', dbPath, '--now', NOW, '--json').out);
  assert.equal(v.coverage.firstParty, 0);
  assert.equal(v.coverage.all, 827);
  // Every package of the image counts: the 143 roots too (before, they were left out as "first-party").
  assert.equal(v.coverage.components + v.coverage.notShipped, 827);
  assert.ok(v.coverage.components > 684, `${v.coverage.components} counted`);
});

test('a lockfile\'s own project is first-party, its root dependencies are counted', () => {
  const inv = JSON.parse(marque('inventory', join(FIXTURES, 'npm-exploited'), '--json').out);
  const own = inv.components.filter((c: { firstParty?: boolean }) => c.firstParty);
  assert.deepEqual(own.map((c: { depth: number }) => c.depth), [0], 'the project itself, nothing else');
  const direct = inv.components.filter((c: { depth: number }) => c.depth === 1);
  assert.ok(direct.some((c: { name: string }) => c.name === 'systeminformation'));
  assert.ok(direct.every((c: { firstParty?: boolean }) => !c.firstParty));
  const v = JSON.parse(marque('vulns', join(FIXTURES, 'npm-exploited'), '--db', dbPath, '--now', NOW, '--json').out);
  assert.equal(v.coverage.firstParty, 1);
  assert.equal(v.coverage.all, inv.components.length);
  assert.ok(v.coverage.gaps.some((g: { component: string }) => g.component.startsWith('pkg:npm/systeminformation@')), 'the dependency is counted (and not covered: no npm data here)');
});

test('a ROS workspace\'s packages are first-party; the released packages they use are counted, here and on the server alike', async () => {
  const inv = await buildInventory({ target: REALSENSE });
  assert.deepEqual(inv.components.filter((c) => c.firstParty).map((c) => c.name).sort(), ['realsense2_camera', 'realsense2_camera_msgs', 'realsense2_description']);
  assert.ok(inv.components.some((c) => c.properties?.['ros:package'] === 'rclcpp' && !c.firstParty && c.purl.startsWith('pkg:deb/')), 'a released ROS package is third-party');
  const db = AdvisoryDb.openForRead(dbPath)!;
  try {
    const product = { name: 'realsense-ros', version: '4.55.1' };
    const local = findVulnerabilities({ unlisted: undefined, components: inv.components, db, product, now: new Date(NOW) });
    // The server reads the SBOM "marque push" sends, or one uploaded in SPDX: the first-party marks travel in it
    // (CycloneDX properties, SPDX annotations).
    for (const format of ['cyclonedx', 'spdx'] as const) {
      const sbom = ingestSbom(renderSbom(inv, format, product));
      assert.equal(sbom.components.filter((c) => c.subject).length, 1, `${format}: the SBOM's subject is the product itself`);
      const server = await releaseFindings({ components: sbom.components, db, product, decisions: [], reports: [], awareAt: () => undefined, now: new Date(NOW) });
      for (const k of ['all', 'firstParty', 'notShipped', 'components', 'covered'] as const) assert.equal(server.coverage[k], local.coverage[k], `${format}: ${k}`);
      // Released ROS packages whose own dependencies were not followed are gaps on the server too.
      assert.ok((local.coverage.closure ?? []).length > 0);
      assert.deepEqual(server.coverage.closure, local.coverage.closure, `${format}: closure gaps`);
      // The SBOM carries what GIT advisories are matched by (vcs reference, ROS repository and upstream release):
      // the server finds the rclcpp advisory in the same components as the local run.
      const ids = (fs: { component: string; advisory: string }[]) => fs.map((f) => `${f.component} ${f.advisory}`).sort();
      assert.deepEqual(ids(server.findings), ids(local.findings), format);
    }
    assert.equal(local.findings.length, 2);
    assert.equal(local.coverage.firstParty, 3);
    assert.equal(local.coverage.all, inv.components.length);
  } finally {
    db.close();
  }
});

test('one GIT advisory on the rclcpp repository is one vulnerability in two components (realsense-ros)', () => {
  const r = marque('vulns', REALSENSE, '--db', dbPath, '--now', NOW);
  assert.equal(r.code, 0, r.err);
  assert.match(r.out, /1 known vulnerability matched in 2 components \(0 actively exploited\)/);
  assert.doesNotMatch(r.out, /2 known vulnerabilities/);
  const j = JSON.parse(marque('vulns', REALSENSE, '--db', dbPath, '--now', NOW, '--json').out);
  assert.equal(j.findings.length, 2, 'one finding per component');
  assert.deepEqual(j.counts, { vulnerabilities: 1, components: 2, exploited: 0, shipping: { vulnerabilities: 1, components: 2 } });
});

test('vulnerabilities are counted with their aliases merged, across components', () => {
  const f = (component: string, advisory: string, aliases: string[], scope = 'runtime', exploited = false) => ({ component, advisory, aliases, scope, exploited });
  const n = countVulnerabilities([
    f('pkg:npm/a@1', 'GHSA-1111', ['CVE-2024-1']), f('pkg:npm/d@1', 'CVE-2024-1', [], 'dev', true),
    f('pkg:npm/b@1', 'GHSA-2222', []), f('pkg:npm/c@1', 'PYSEC-1', ['CVE-2024-3', 'GHSA-2222']),
  ]);
  assert.deepEqual(n, { vulnerabilities: 2, components: 4, exploited: 1, shipping: { vulnerabilities: 2, components: 3 } });
  assert.equal(vulnerabilitiesText(n), '2 known vulnerabilities matched in 4 components (1 actively exploited); 2 in 3 components that ship');
  assert.deepEqual(countComponents([{ firstParty: true, kind: 'runtime' }, { kind: 'runtime' }, { kind: 'test' }, { kind: null }, { subject: true, kind: 'runtime' }]), { all: 4, firstParty: 1, notShipped: 1, counted: 2 });
});

test('check, the exports and the pull-request comment count vulnerabilities and components apart (realsense-ros)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'marque-counts-rs-'));
  cpSync(REALSENSE, dir, { recursive: true });
  writeFileSync(join(dir, 'marque.yaml'), 'product:\n  name: realsense-ros\n  version: "4.55.1"\n  manufacturer:\n    name: Example Cameras SA\n    url: https://cameras.invalid\n');
  const check = JSON.parse(marque('check', dir, '--db', dbPath, '--today', '2026-12-01', '--json').out);
  const item = check.items.find((i: { evidence: string[] }) => i.evidence.some((e) => /not decided not_affected or fixed/.test(e)));
  assert.match(item.evidence[0], /1 known vulnerability matched in 2 components/);
  const out = (format: string) => marque('vulns', dir, '--db', dbPath, '--now', NOW, '--format', format).out;
  assert.match(JSON.parse(out('csaf')).document.notes[0].text, /1 known vulnerability matched in 2 components/);
  assert.match(JSON.parse(out('openvex')).tooling, /1 known vulnerability matched in 2 components/);
  const sarif = JSON.parse(out('sarif'));
  assert.deepEqual([sarif.runs[0].properties.findings.vulnerabilities, sarif.runs[0].properties.findings.components], [1, 2]);
  const cdx = JSON.parse(out('cyclonedx'));
  assert.equal(cdx.metadata.properties.find((p: { name: string }) => p.name === 'marque:findings:vulnerabilities').value, '1');
  assert.match(out('markdown'), /\*\*1 known vulnerability matched in 2 components \(0 actively exploited\); open: 1 in 2 components\.\*\*/);
});

test('the dossier\'s contact for vulnerabilities is the one marque.yaml declares (mailto: and https:)', async () => {
  const product = (contact: string) => {
    const dir = mkdtempSync(join(tmpdir(), 'marque-counts-contact-'));
    cpSync(join(FIXTURES, 'npm-exploited'), dir, { recursive: true });
    writeFileSync(join(dir, 'marque.yaml'), `product:\n  name: panel\n  version: "0.9.0"\n  manufacturer:\n    name: Example Panels SA\n    email: sales@panels.invalid\n${contact ? `security:\n  contact: ${contact}\n` : ''}`);
    return dir;
  };
  const mail = await buildDossier({ dir: product('mailto:security@clearpath.ai'), db: dbPath });
  assert.deepEqual(mail.contact, { address: 'mailto:security@clearpath.ai', source: 'marque.yaml: security.contact' });
  const mailPage = dossierHtml(mail);
  assert.match(mailPage, /Contact for vulnerabilities<\/th><td><a href="mailto:security@clearpath.ai">security@clearpath.ai<\/a>/);
  const https = dossierHtml(await buildDossier({ dir: product('https://www.universal-robots.com/trust-center/security/'), db: dbPath }));
  assert.match(https, /Contact for vulnerabilities<\/th><td><a href="https:\/\/www.universal-robots.com\/trust-center\/security\/">/);
  assert.doesNotMatch(https, /Contact for vulnerabilities<\/th><td>[^\n]*sales@panels/, 'not the manufacturer\'s email');
  // Written only in SECURITY.md: the contact check and docs find there (SECURITY.md:line), not "missing".
  const policy = product('');
  writeFileSync(join(policy, 'SECURITY.md'), '# Security\n\nPlease report security vulnerabilities to security@panels-example.org.\n');
  assert.deepEqual((await buildDossier({ dir: policy, db: dbPath })).contact, { address: 'security@panels-example.org', source: 'SECURITY.md:3' });
  // Declared nowhere: missing, as check says, even with a manufacturer's email.
  const none = dossierHtml(await buildDossier({ dir: product(''), db: dbPath }));
  assert.match(none, /Contact for vulnerabilities<\/th><td><span class="gap">missing: set security.contact/);
});

test('the dossier\'s inputs digest covers every input it rests on: lockfiles and package.xml, launch files, SROS2 policy, compose files, each advisory source with its date', async () => {
  const d = await buildDossier({ dir: EXAMPLE, db: dbPath, today: new Date(NOW) });
  const names = d.inputs.map((i) => i.name);
  assert.equal(names[0], 'marque.yaml');
  const hashOf = (name: string) => d.inputs.find((i) => i.name === name)?.sha256;
  const fileHash = (rel: string) => createHash('sha256').update(readFileSync(join(EXAMPLE, rel))).digest('hex');
  for (const rel of ['src/courier/courier_bringup/package.xml', 'web/dashboard/package-lock.json', 'tools/fleet-provisioner/pyproject.toml']) {
    assert.equal(hashOf(`read for the inventory: ${rel}`), fileHash(rel), rel);
  }
  for (const rel of ['src/courier/courier_bringup/launch/courier.launch.xml', 'src/courier/courier_bringup/launch/ui.launch.yaml', 'security/policy.xml', 'deploy/docker-compose.yml']) {
    assert.equal(hashOf(`read for the perimeter: ${rel}`), fileHash(rel), rel);
  }
  assert.ok(names.some((n) => /^advisory source osv:osv-counts \(1 records, data as of 2026-11-30/.test(n)), names.join('\n'));
  assert.ok(names.some((n) => /^advisory source osv:osv-closure \(3 records, data as of 2023-12-20/.test(n)));
  // The digest covers them all: a changed launch file changes it.
  assert.equal(d.digest, createHash('sha256').update(d.inputs.map((i) => `${i.sha256}  ${i.name}`).join('\n')).digest('hex'));
});
