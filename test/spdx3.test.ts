// SPDX 3.0.1 JSON-LD output: valid against the official JSON Schema (spdx/spdx-spec v3.0.1), the
// references a JSON Schema cannot check (SHACL-free: every id unique and resolving), read back by
// Marque's own reader, and checked against BSI TR-03183-2.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildInventory } from '../src/api/inventory.ts';
import { productRequest } from '../src/api/request.ts';
import { renderSbom } from '../src/api/sbom.ts';
import { checkSbomDocument } from '../src/api/sbom-check.ts';
import { spdx301Schema } from '../src/formats/official-schemas.ts';
import { SBOM_MARKS } from '../src/model/sbom-marks.ts';
import { FIRST_PARTY_PROPERTY } from '../src/model/counting.ts';
import type { Component, InventoryComponent } from '../src/model/inventory.ts';
import { importAdvisories } from '../src/api/advisories.ts';
import { AdvisoryDb } from '../src/advisories/store.ts';
import { findVulnerabilities } from '../src/api/vulns.ts';
import { EXAMPLE, FIXTURES, ROS_PACKAGES } from './helpers/paths.ts';

type El = Record<string, unknown>;

/** What SHACL would say and a JSON Schema cannot: ids unique IRIs, every reference resolving to an element of the graph. */
function referenceProblems(doc: El): string[] {
  const graph = doc['@graph'] as El[];
  const problems: string[] = [];
  const ids = new Set<string>();
  for (const e of graph) {
    const id = (e['spdxId'] ?? e['@id']) as string | undefined;
    if (!id) { problems.push(`${String(e['type'])} without spdxId`); continue; }
    if (ids.has(id)) problems.push(`duplicate id ${id}`);
    ids.add(id);
    if (e['spdxId'] && !/^[a-z][a-z0-9+.-]*:\S+$/i.test(id)) problems.push(`${id} is not an IRI`);
  }
  const INDIVIDUALS = new Set(['NoneElement', 'NoAssertionElement']);
  const ref = (v: unknown, where: string) => { for (const x of [v].flat()) if (typeof x === 'string' && !ids.has(x) && !INDIVIDUALS.has(x)) problems.push(`${where} → ${x} is not in the graph`); };
  for (const e of graph) {
    const where = String(e['spdxId'] ?? e['@id']);
    for (const k of ['creationInfo', 'from', 'to', 'originatedBy', 'suppliedBy', 'createdBy', 'createdUsing', 'rootElement', 'element', 'subject']) if (k in e) ref(e[k], `${where}.${k}`);
    if (e['type'] === 'software_File' && !e['name']) problems.push(`${where}: a software_File needs a name`);
  }
  return problems;
}

async function exampleSpdx3() {
  const { request, product } = await productRequest(EXAMPLE, {});
  const inv = await buildInventory(request);
  return { inv, doc: renderSbom(inv, 'spdx3', product) as El };
}

test('SPDX 3.0.1 of the example robot validates against the official schema, and every reference resolves', async () => {
  const { inv, doc } = await exampleSpdx3();
  const validate = await spdx301Schema();
  assert.ok(validate(doc), JSON.stringify(validate.errors?.slice(0, 3)));
  assert.deepEqual(referenceProblems(doc), []);
  const graph = doc['@graph'] as El[];
  assert.equal(graph.filter((e) => e['type'] === 'software_Package').length, inv.components.length + 1);
  const sbom = graph.find((e) => e['type'] === 'software_Sbom')!;
  assert.match(String(sbom['spdxId']), /^https:\/\/spdx\.org\/spdxdocs\/courier-robot-1\.4\.0-[0-9a-f-]{36}\/sbom$/);
  // express's tarball as its distribution artefact: name, SHA-512 from package-lock's integrity, purposes.
  const express = graph.find((e) => e['type'] === 'software_Package' && e['name'] === 'express')!;
  const rel = graph.find((e) => e['relationshipType'] === 'hasDistributionArtifact' && e['from'] === express['spdxId'])!;
  const file = graph.find((e) => e['spdxId'] === (rel['to'] as string[])[0])!;
  assert.equal(file['name'], 'express-4.18.2.tgz');
  assert.deepEqual(file['software_additionalPurpose'], ['archive', 'container']);
  assert.equal((file['verifiedUsing'] as El[])[0]!['algorithm'], 'sha512');
  // Build and test dependencies carry their lifecycle scope; a leaf says it has none.
  assert.ok(graph.some((e) => e['type'] === 'LifecycleScopedRelationship' && e['scope'] === 'build'));
  assert.ok(graph.some((e) => e['relationshipType'] === 'dependsOn' && (e['to'] as string[])[0] === 'NoneElement' && e['completeness'] === 'complete'));
});

test('the schema and the reference check can fail: an unknown property, a dangling reference, a wrong purpose', async () => {
  const { doc } = await exampleSpdx3();
  const validate = await spdx301Schema();
  const broken = structuredClone(doc);
  const graph = broken['@graph'] as El[];
  graph.find((e) => e['type'] === 'software_Package')!['software_version'] = '1';
  assert.equal(validate(broken), false);
  const purpose = structuredClone(doc);
  (purpose['@graph'] as El[]).find((e) => e['type'] === 'software_File')!['software_additionalPurpose'] = ['structured'];
  assert.equal(validate(purpose), false);
  const dangling = structuredClone(doc);
  (dangling['@graph'] as El[]).find((e) => e['type'] === 'Relationship')!['to'] = ['https://example.invalid/nothing'];
  assert.ok(validate(dangling), 'a JSON Schema does not see references');
  assert.match(referenceProblems(dangling).join(), /is not in the graph/);
});

test('the SPDX 3.0.1 specification\'s own example validates; Marque\'s SPDX 3 of the real ROS packages too', async () => {
  const validate = await spdx301Schema();
  assert.ok(validate(JSON.parse(readFileSync(join(FIXTURES, 'spdx3', 'package_sbom.json'), 'utf8'))), JSON.stringify(validate.errors?.slice(0, 2)));
  const inv = await buildInventory({ target: ROS_PACKAGES });
  const doc = renderSbom(inv, 'spdx3', { name: 'ros-packages', version: '1.0.0' }) as El;
  assert.ok(validate(doc), JSON.stringify(validate.errors?.slice(0, 2)));
  assert.deepEqual(referenceProblems(doc), []);
});

test('round trip and TR-03183-2: Marque reads its SPDX 3 back with the same components; every required miss is explained', async () => {
  const { inv, doc } = await exampleSpdx3();
  const dir = mkdtempSync(join(tmpdir(), 'marque-spdx3-'));
  const file = join(dir, 'courier.spdx.json');
  writeFileSync(file, JSON.stringify(doc));
  const back = await buildInventory({ target: file });
  assert.deepEqual(new Set(back.components.map((c) => c.purl)), new Set([...inv.components.map((c) => c.purl), 'pkg:generic/courier-robot@1.4.0']));
  const r = checkSbomDocument(doc, 'tr-03183-2', 'courier.spdx.json');
  assert.equal(r.specVersion, '3.0.1');
  for (const id of ['4/format', '5.2.1/timestamp', '5.2.3/sbom-uri', '5.2.2/dependencies']) assert.equal(r.requirements.find((q) => q.id === id)!.status, 'met', id);
  // The only misses without a reason: the example's creators write at example-robotics.invalid (RFC 6761), no one's address.
  assert.deepEqual(r.failedUnexplained, ['5.2.1/creator', '5.2.2/creator']);
  assert.ok(r.requirements.find((q) => q.id === '5.2.2/hash')!.met >= 170);
});

/** Each component's Marque marks (model/sbom-marks.ts), by purl: what an SBOM must carry for the product to be read back the same. */
const marksOf = (cs: Component[]) => new Map(cs.map((c) => [c.purl, SBOM_MARKS.map((k) => (k === FIRST_PARTY_PROPERTY ? (c.firstParty ? 'true' : undefined) : c.properties?.[k])).join('|')]));

test('Marque\'s marks in SPDX 3: an "other" Annotation of the package per mark, valid; the ROS example\'s first-party, ROS and closure marks come back', async () => {
  const { inv, doc } = await exampleSpdx3();
  const graph = doc['@graph'] as El[];
  const notes = graph.filter((e) => e['type'] === 'Annotation');
  const rclcpp = graph.find((e) => e['type'] === 'software_Package' && e['name'] === 'ros-jazzy-rclcpp')!;
  assert.ok(notes.some((a) => a['subject'] === rclcpp['spdxId'] && a['annotationType'] === 'other' && a['statement'] === 'ros:package=rclcpp'), JSON.stringify(notes.slice(0, 3)));
  const statements = new Set(notes.map((a) => String(a['statement']).replace(/=.*/, '')));
  for (const k of ['marque:firstParty', 'ros:package', 'ros:upstream-version', 'ros:url:repository', 'marque:closure', 'ros:distro']) assert.ok(statements.has(k), k);
  const validate = await spdx301Schema();
  assert.ok(validate(doc), JSON.stringify(validate.errors?.slice(0, 3)));
  assert.deepEqual(referenceProblems(doc), []);
  const dir = mkdtempSync(join(tmpdir(), 'marque-spdx3-marks-'));
  writeFileSync(join(dir, 'courier.spdx.json'), JSON.stringify(doc));
  const back = marksOf((await buildInventory({ target: join(dir, 'courier.spdx.json') })).components);
  for (const [purl, marks] of marksOf(inv.components)) assert.equal(back.get(purl), marks, purl);
});

test('SPDX 3 of a Debian image read back keeps each package\'s source package, so its advisories still match', async () => {
  const inv = await buildInventory({ target: join(FIXTURES, 'image') });
  const doc = renderSbom(inv, 'spdx3', { name: 'image', version: '1' }) as El;
  const validate = await spdx301Schema();
  assert.ok(validate(doc), JSON.stringify(validate.errors?.slice(0, 3)));
  const dir = mkdtempSync(join(tmpdir(), 'marque-spdx3-deb-'));
  writeFileSync(join(dir, 'image.spdx.json'), JSON.stringify(doc));
  const back = await buildInventory({ target: join(dir, 'image.spdx.json') });
  const sources = (cs: Component[]) => cs.filter((c) => c.properties?.['deb:source']).map((c) => `${c.purl} ${c.properties!['deb:source']}`).sort();
  assert.equal(sources(inv.components).length, 682);
  assert.deepEqual(sources(back.components), sources(inv.components));
  // Debian's advisories name the source package: openssl's is libssl3's.
  const adv = mkdtempSync(join(tmpdir(), 'marque-spdx3-osv-'));
  writeFileSync(join(adv, 'openssl.json'), JSON.stringify({ id: 'TEST-OPENSSL', modified: '2024-01-01T00:00:00Z', affected: [{ package: { ecosystem: 'Debian:12', name: 'openssl' }, ranges: [{ type: 'ECOSYSTEM', events: [{ introduced: '0' }, { fixed: '3.0.20-1~deb12u1' }] }] }] }));
  await importAdvisories(join(adv, 'a.sqlite'), [join(adv, 'openssl.json')]);
  const db = AdvisoryDb.openForRead(join(adv, 'a.sqlite'))!;
  const matched = (cs: InventoryComponent[]) => findVulnerabilities({ unlisted: undefined, components: cs, db, product: { name: 'image', version: '1' } }).findings.map((f) => f.component).sort();
  assert.ok(matched(inv.components).some((p) => p.startsWith('pkg:deb/debian/libssl3@')), matched(inv.components).join());
  assert.deepEqual(matched(back.components), matched(inv.components));
  db.close();
});
