// marque sbom check: real SBOMs of other tools (sbomqs's BSI fixtures, CycloneDX/bom-examples,
// spdx/spdx-examples) against BSI TR-03183-2 v2.1.0 and the NTIA minimum elements.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv } from 'ajv';
import { checkSbomDocument, checkSbomFile, type SbomCheckResult } from '../src/api/sbom-check.ts';
import { EXAMPLE, FIXTURES, ROOT } from './helpers/paths.ts';
import { buildInventory } from '../src/api/inventory.ts';
import { productRequest } from '../src/api/request.ts';
import { renderSbom } from '../src/api/sbom.ts';
import { checkProduct } from '../src/cra/check.ts';
import { loadManifest } from '../src/manifest/manifest.ts';
import { spawnSync } from 'node:child_process';

const fx = (name: string) => join(FIXTURES, 'sbom-check', name);
const sboms = (name: string) => join(FIXTURES, 'sboms', name);
const runCli = async (args: string[]) => { const r = spawnSync(process.execPath, [join(ROOT, 'bin/marque.js'), ...args], { encoding: 'utf8' }); return { code: r.status, stdout: r.stdout, stderr: r.stderr }; };
const req = (r: SbomCheckResult, id: string) => r.requirements.find((q) => q.id === id)!;
const validate = new Ajv({ strict: false, allErrors: true }).compile(JSON.parse(readFileSync(join(ROOT, 'schemas', 'sbom-check.schema.json'), 'utf8')));

test('TR-03183-2: sbomqs\'s "fully compliant" CycloneDX 1.6 misses what the guideline asks, each finding cited', async () => {
  const r = await checkSbomFile(fx('validFullyCompliantBsiV21.cdx16.json'), 'tr-03183-2');
  assert.ok(validate(r), JSON.stringify(validate.errors));
  assert.equal(r.components, 3);
  for (const id of ['4/format', '3.1/no-vulnerabilities', '5.2.1/timestamp', '5.2.3/sbom-uri', '5.2.2/name', '5.2.2/filename', '5.2.2/distribution-licences']) assert.equal(req(r, id).status, 'met', id);
  // Its creators are at example.com and acme.example.com, domains reserved for examples (RFC 2606): nobody is reached there.
  assert.match(req(r, '5.2.1/creator').problems[0]!.problem, /^SBOM creator: acme\.example\.com is a domain reserved for examples/);
  assert.deepEqual([req(r, '5.2.2/creator').met, req(r, '5.2.2/creator').applicable], [0, 3]);
  assert.ok(req(r, '5.2.2/creator').problems.some((p) => /no component creator/.test(p.problem)));
  // Every deployable SHA-512 in it is cf83e135…, the SHA-512 of no bytes at all.
  assert.deepEqual([req(r, '5.2.2/hash').met, req(r, '5.2.2/hash').applicable], [0, 3]);
  assert.match(req(r, '5.2.2/hash').problems[0]!.problem, /the SHA-512 of zero bytes: an empty file was hashed, not the component/);
  // compositions[] names no component: the completeness of no dependency list is stated.
  assert.equal(req(r, '5.2.2/dependencies').met, 0);
  assert.match(req(r, '5.2.2/executable').problems[0]!.problem, /executable property "true"/);
  assert.deepEqual(r.failed, ['5.2.1/creator', '5.2.2/creator', '5.2.2/dependencies', '5.2.2/hash', '5.2.2/executable', '5.2.2/archive', '5.2.2/structured']);
  assert.equal(r.conforms, false);
  assert.match(req(r, '5.2.2/hash').cite, /§5\.2\.2 Table 3 \(p\. 14\); §8\.2 Table 9/);
});

test('TR-03183-2: the same SBOM with the taxonomy\'s values, creators, real hashes and completeness conforms (the check can pass)', () => {
  // Addresses of a company rather than of the documentation domain, and the SHA-512 of a file rather than of nothing.
  const doc = JSON.parse(readFileSync(fx('validFullyCompliantBsiV21.cdx16.json'), 'utf8').replace(/(?:[\w-]+\.)*example\.com/g, 'acme-robotics.de')
    .replaceAll('cf83e1357eefb8bdf1542850d66d8007d620e4050b5715dc83f4a921d36ce9ce47d0d13c5d85f2b0ff8318d2877eec2f63b931bd47417a81a538327af927da3e', createHash('sha512').update('acme-library-1.0.0.jar').digest('hex')));
  const fix = (c: Record<string, unknown>) => {
    const value: Record<string, string> = { 'bsi:component:executable': 'executable', 'bsi:component:archive': 'no archive', 'bsi:component:structured': 'structured' };
    for (const p of c['properties'] as { name: string; value: string }[]) if (value[p.name]) p.value = value[p.name]!;
    c['manufacturer'] ??= { name: 'Acme, Inc.', url: ['https://acme-robotics.de'] };
  };
  fix(doc.metadata.component);
  for (const c of doc.components) fix(c);
  doc.compositions = [{ aggregate: 'complete', dependencies: [doc.metadata.component['bom-ref'], ...doc.components.map((c: { 'bom-ref': string }) => c['bom-ref'])] }];
  const r = checkSbomDocument(doc, 'tr-03183-2', 'fixed.cdx.json');
  assert.deepEqual(r.failed, []);
  assert.equal(r.conforms, true);
  doc.components[0].properties = doc.components[0].properties.filter((p: { name: string }) => p.name !== 'bsi:component:filename');
  assert.deepEqual(checkSbomDocument(doc, 'tr-03183-2', 'x').failed, ['5.2.2/filename']);
});

test('TR-03183-2: vulnerability information inside the SBOM fails §3.1', async () => {
  const r = await checkSbomFile(fx('withVulnerabilities.cdx16.json'), 'tr-03183-2');
  assert.equal(req(r, '3.1/no-vulnerabilities').status, 'not-met');
  assert.ok(r.failed.includes('3.1/no-vulnerabilities'));
});

test('TR-03183-2 on SPDX 3.0.1 JSON-LD: distribution artefacts give filename, SHA-512 and the three properties; a 170-digit SHA-512 is caught', async () => {
  const r = await checkSbomFile(fx('v2.1.0-complete-all-fields.json'), 'tr-03183-2');
  assert.equal(r.format, 'SPDX');
  assert.equal(r.specVersion, '3.0.1');
  assert.equal(req(r, '4/format').status, 'met');
  assert.match(req(r, '5.2.1/creator').problems[0]!.problem, /^SBOM creator: example\.com is a domain reserved for examples/);
  assert.deepEqual([req(r, '5.2.2/filename').met, req(r, '5.2.2/filename').applicable], [2, 3]);
  assert.ok(req(r, '5.2.2/hash').problems.some((p) => p.ref === 'SPDXRef-Package-B' && /not 128 hexadecimal/.test(p.problem)));
  assert.equal(req(r, '5.2.2/distribution-licences').status, 'met');
  assert.equal(req(r, '5.2.4/original-licences').status, 'met');
  assert.equal(req(r, '5.2.5/security-txt').status, 'met');
});

test('TR-03183-2: SPDX 2 (JSON and tag-value) and CycloneDX below 1.6 fail §4; fields are still read', async () => {
  const spdx2 = await checkSbomFile(sboms('example11.spdx.json'), 'tr-03183-2');
  assert.match(req(spdx2, '4/format').problems[0]!.problem, /SPDX 2\.3: 3\.0\.1 or higher is required/);
  assert.ok(req(spdx2, '5.2.2/name').met > 0);
  const tv = await checkSbomFile(sboms('example6-bin.spdx'), 'tr-03183-2');
  assert.equal(tv.encoding, 'tag-value');
  assert.match(req(tv, '4/format').problems[0]!.problem, /neither JSON nor XML/);
  const xml = await checkSbomFile(sboms('cern-lhc-vdm-editor.bom.xml'), 'tr-03183-2');
  assert.equal(xml.encoding, 'xml');
  assert.match(req(xml, '4/format').problems[0]!.problem, /CycloneDX 1\.2: 1\.6 or higher/);
  assert.equal(req(xml, '5.2.2/name').met, 44);
});

test('NTIA: laravel (CycloneDX 1.4) and dropwizard (CycloneDX 1.2, Maven plugin) from bom-examples: fields present, suppliers missing', async () => {
  const laravel = await checkSbomFile(sboms('laravel-7.12.0.cdx.json'), 'ntia');
  assert.ok(validate(laravel), JSON.stringify(validate.errors));
  assert.equal(req(laravel, 'data/name').status, 'met');
  assert.equal(req(laravel, 'data/identifiers').status, 'met');
  assert.equal(req(laravel, 'practice/known-unknowns').level, 'practice');
  assert.ok(!laravel.failed.includes('practice/known-unknowns'), 'a practice is reported, never failed');
  const dw = await checkSbomFile(sboms('dropwizard-1.3.15.bom.json'), 'ntia');
  assert.equal(dw.components, 168);
  assert.equal(req(dw, 'data/version').met, 168);
  // The Maven plugin 2.x writes no dependency entry for the subject: depth is not shown.
  assert.match(req(dw, 'practice/depth').problems[0]!.problem, /lists no dependencies/);
  assert.ok(dw.failed.includes('practice/depth'));
});

test('CLI: sbom check exits 1 when a required field is missing, 2 for a bad profile, --json follows the schema', async () => {
  const bad = await runCli(['sbom', 'check', fx('validFullyCompliantBsiV21.cdx16.json'), '--profile', 'tr-03183-2']);
  assert.equal(bad.code, 1);
  assert.match(bad.stdout, /NOT MET \[required\] Executable property/);
  assert.match(bad.stdout, /does not conform to BSI TR-03183-2 v2\.1\.0/);
  // Rows: "field: met/applicable components  (citation)"; SBOM-level rows have no counts and no dangling colon.
  assert.match(bad.stdout, /\[required\] Timestamp of the SBOM data compilation  \(BSI TR-03183-2 v2\.1\.0 §5\.2\.1/);
  assert.match(bad.stdout, /\[required\] Component name: \d+\/\d+ components  \(BSI/);
  assert.doesNotMatch(bad.stdout, /:\s+\(/);
  const json = await runCli(['sbom', 'check', sboms('laravel-7.12.0.cdx.json'), '--profile', 'ntia', '--json']);
  assert.ok(validate(JSON.parse(json.stdout)), JSON.stringify(validate.errors));
  const usage = await runCli(['sbom', 'check', sboms('laravel-7.12.0.cdx.json'), '--profile', 'fsct']);
  assert.equal(usage.code, 2);
  assert.match(usage.stderr, /--profile must be one of tr-03183-2, ntia/);
});

test('the example robot\'s own SBOM: every required field is given or the SBOM says why the inputs cannot give it', async () => {
  const { request, product } = await productRequest(EXAMPLE, {});
  const inv = await buildInventory(request);
  const bom = renderSbom(inv, 'cyclonedx', product) as Record<string, any>;
  const r = checkSbomDocument(bom, 'tr-03183-2', 'courier-robot.cdx.json');
  assert.ok(validate(r), JSON.stringify(validate.errors));
  assert.ok(!r.notes.some((n) => /differs from their purl's/.test(n)), 'each version is its purl\'s');
  for (const id of ['4/format', '3.1/no-vulnerabilities', '5.2.1/timestamp', '5.2.3/sbom-uri', '5.2.2/name', '5.2.2/dependencies', '5.2.4/identifiers']) assert.equal(req(r, id).status, 'met', id);
  // The example's fictional company and its package.xml maintainers write at example-robotics.invalid (RFC 6761): no creator's address.
  assert.deepEqual(r.failedUnexplained, ['5.2.1/creator', '5.2.2/creator'], 'every other miss of a required field carries its reason');
  for (const id of ['5.2.1/creator', '5.2.2/creator']) assert.ok(req(r, id).problems.every((p) => /example-robotics\.invalid is a domain reserved for examples/.test(p.problem)), id);
  // What the lockfiles support is there: npm's integrity is the SHA-512 of the registry tarball.
  const express = bom.components.find((c: { name: string }) => c.name === 'express');
  const prop = (c: { properties: { name: string; value: string }[] }, n: string) => c.properties.find((p) => p.name === n)?.value;
  assert.equal(prop(express, 'bsi:component:filename'), 'express-4.18.2.tgz');
  assert.deepEqual(['executable', 'archive', 'structured'].map((k) => prop(express, `bsi:component:${k}`)), ['non-executable', 'archive', 'structured']);
  assert.equal(express.externalReferences.find((x: { type: string }) => x.type === 'source-distribution').url, 'https://registry.npmjs.org/express/-/express-4.18.2.tgz');
  assert.ok(req(r, '5.2.2/hash').met >= 170);
  // What they do not support is said: pip's requirements.txt names no distribution file.
  assert.ok(req(r, '5.2.2/filename').explained.some((e) => /which distribution file \(wheel or sdist\)/.test(e.reason)));
  assert.ok(req(r, '5.2.2/hash').explained.some((e) => /workspace package built from source/.test(e.reason)));
  // The product is a logical component with the licence marque.yaml declares.
  assert.equal(r.logicalComponents.count, 1);
  assert.deepEqual(bom.metadata.component.licenses.map((l: { license: { name: string; acknowledgement: string } }) => l.license.acknowledgement), ['declared', 'concluded']);
});

test('check, Annex I Part II (1): met only when the SBOM also meets every mandatory requirement of TR-03183-2', async () => {
  const manifest = (await loadManifest(EXAMPLE))!;
  const base = { components: 10, errors: 0, notAnalysed: [] };
  const ii1 = (inventory: Parameters<typeof checkProduct>[0]['inventory']) => checkProduct({ dir: EXAMPLE, manifest, today: new Date('2026-11-24'), inventory }).find((i) => i.id === 'II.1')!;
  const ok = ii1({ ...base, sbomProfile: { profile: 'BSI TR-03183-2 v2.1.0', failed: [], failedUnexplained: [] } });
  assert.equal(ok.status, 'met');
  assert.match(ok.evidence[0]!, /meeting every mandatory requirement of BSI TR-03183-2/);
  const missing = ii1({ ...base, sbomProfile: { profile: 'BSI TR-03183-2 v2.1.0', failed: ['5.2.2/filename (Filename of the component)'], failedUnexplained: ['5.2.2/filename (Filename of the component)'] } });
  assert.equal(missing.status, 'needs-evidence');
  assert.match(missing.evidence.join(' '), /5\.2\.2\/filename.*gives no reason/);
  // And only when the composition is complete: no component "unknown", no unresolved dependency.
  const conformant = { profile: 'BSI TR-03183-2 v2.1.0', failed: [], failedUnexplained: [] };
  const unknown = ii1({ ...base, sbomProfile: conformant, unknownComposition: ['pkg:deb/ubuntu/ros-jazzy-nav2-msgs@1.3.8-1?distro=ubuntu-24.04'], unresolved: [] });
  assert.equal(unknown.status, 'needs-evidence');
  assert.match(unknown.evidence.join(' '), /marks the dependencies of 1 of 10 components "unknown"/);
  const unresolved = ii1({ ...base, sbomProfile: conformant, unknownComposition: [], unresolved: ['nav2_ros_common (nav2_amcl: not a rosdep key)'] });
  assert.equal(unresolved.status, 'needs-evidence');
  assert.match(unresolved.evidence.join(' '), /1 dependency could not be resolved: nav2_ros_common/);
});

test('sbom check: an SPDX 3 document with SPDX 2 relationship names (Microsoft sbom-tool) says why its dependencies are not counted', async () => {
  const r = await checkSbomFile(join(FIXTURES, 'sboms', 'sbom-tool-sample.spdx3.json'), 'tr-03183-2');
  assert.ok(r.notes.some((n) => /relationships named as in SPDX 2 \(DEPENDS_ON\) are not SPDX 3\.0\.1's vocabulary/.test(n)), r.notes.join('\n'));
});

test('a version field that differs from the purl\'s is noted, whatever the profile: trivy\'s centos-7 SPDX (bash 4.2.46 beside @4.2.46-31.el7)', async () => {
  const r = await checkSbomFile(join(FIXTURES, 'sboms', 'trivy-centos-7.spdx.json'), 'ntia');
  const note = r.notes.find((n) => /differs from their purl's/.test(n));
  assert.ok(note, r.notes.join('\n'));
  assert.match(note!, /^2 component\(s\)/);
  assert.match(note!, /bash 4\.2\.46 \(purl: 4\.2\.46-31\.el7\)/);
});
