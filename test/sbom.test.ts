import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildInventory } from '../src/api/inventory.ts';
import { renderSbom } from '../src/api/sbom.ts';
import { productRequest } from '../src/api/request.ts';
import { parseSpdx } from '../src/sources/sbom/extractor.ts';
import { cycloneDx16, spdx23 } from './helpers/schemas.ts';
import { spdx301Schema } from '../src/formats/official-schemas.ts';
import { EXAMPLE, FIXTURES, ROS_PACKAGES } from './helpers/paths.ts';

async function example() {
  const { request, product } = await productRequest(EXAMPLE, {});
  return { inv: await buildInventory(request), product };
}

test('CycloneDX 1.6 of the example validates against the official schema, with BSI TR-03183-2 fields', async () => {
  const { inv, product } = await example();
  const bom = renderSbom(inv, 'cyclonedx', product) as Record<string, any>;
  const validate = cycloneDx16();
  assert.ok(validate(bom), JSON.stringify(validate.errors?.slice(0, 3), null, 2));
  assert.equal(bom.specVersion, '1.6');
  assert.match(bom.serialNumber, /^urn:uuid:/);
  assert.equal(bom.metadata.component.name, 'courier-robot');
  assert.equal(bom.metadata.manufacturer.name, 'Example Robotics GmbH');
  assert.equal(bom.components.length, inv.components.length);
  // Every component appears in dependencies, and completeness is stated (BSI §5.2.2).
  assert.equal(bom.dependencies.length, inv.components.length + 1);
  assert.deepEqual(bom.compositions.map((c: { aggregate: string }) => c.aggregate).sort(), ['complete', 'unknown']);
  const express = bom.components.find((c: { name: string }) => c.name === 'express');
  assert.equal(express.scope, 'required');
  assert.equal(express.externalReferences.find((r: { type: string }) => r.type === 'distribution').hashes[0].alg, 'SHA-512');
  const msgs = bom.components.find((c: { name: string }) => c.name === 'courier_msgs');
  assert.equal(msgs.manufacturer.contact[0].email, 'ros@example-robotics.invalid');
  // Original (declared) and distribution (concluded) licence, as BSI TR-03183-2 §8.2 maps them.
  assert.deepEqual(msgs.licenses.map((l: { license: { id: string; acknowledgement: string } }) => [l.license.id, l.license.acknowledgement]), [['Apache-2.0', 'declared'], ['Apache-2.0', 'concluded']]);
  const desc = bom.components.find((c: { name: string }) => c.name === 'courier_description');
  assert.equal(desc.licenses[0].license.name, 'BSD');
});

test('SPDX 2.3 of the example validates against the official schema', async () => {
  const { inv, product } = await example();
  const doc = renderSbom(inv, 'spdx', product) as Record<string, any>;
  const validate = spdx23();
  assert.ok(validate(doc), JSON.stringify(validate.errors?.slice(0, 3), null, 2));
  assert.equal(doc.packages.length, inv.components.length + 1);
  assert.ok(doc.relationships.some((r: { relationshipType: string }) => r.relationshipType === 'BUILD_DEPENDENCY_OF'));
  assert.ok(doc.hasExtractedLicensingInfos.some((l: { licenseId: string }) => l.licenseId === 'LicenseRef-BSD'));
});

test('SBOMs of the real ROS packages validate too', async () => {
  const inv = await buildInventory({ target: ROS_PACKAGES });
  const product = { name: 'ros-packages', version: '1.0.0' };
  assert.ok(cycloneDx16()(renderSbom(inv, 'cyclonedx', product)));
  assert.ok(spdx23()(renderSbom(inv, 'spdx', product)));
});

test('round trip: Marque reads back its own CycloneDX and SPDX with the same components and edges', async () => {
  const { inv, product } = await example();
  const dir = mkdtempSync(join(tmpdir(), 'marque-sbom-'));
  for (const format of ['cyclonedx', 'spdx'] as const) {
    const file = join(dir, `product.${format === 'spdx' ? 'spdx' : 'cdx'}.json`);
    writeFileSync(file, JSON.stringify(renderSbom(inv, format, product)));
    const back = await buildInventory({ target: file });
    const purls = new Set(back.components.map((c) => c.purl));
    for (const c of inv.components) assert.ok(purls.has(c.purl), `${format}: ${c.purl}`);
    const edges = new Set(back.dependencies.map((d) => `${d.from} ${d.to}`));
    for (const d of inv.dependencies) assert.ok(edges.has(`${d.from} ${d.to}`), `${format}: ${d.from} -> ${d.to}`);
    const own = (cs: { purl: string; firstParty?: boolean }[]) => cs.filter((c) => c.firstParty).map((c) => c.purl).sort();
    assert.ok(own(inv.components).length > 0);
    assert.deepEqual(own(back.components), own(inv.components), `${format}: the first-party marks come back`);
  }
});

test('SPDX: Marque\'s marks are annotations, valid against the schema; a git download location is the vcs reference', async () => {
  const inv = await buildInventory({ target: ROS_PACKAGES });
  const doc = renderSbom(inv, 'spdx', { name: 'ros-packages', version: '1.0.0' }) as Record<string, any>;
  assert.ok(spdx23()(doc));
  const comments = doc.packages.flatMap((p: { annotations?: { comment: string; annotationType: string }[] }) => (p.annotations ?? []).map((a) => `${a.annotationType} ${a.comment}`));
  assert.ok(comments.includes('OTHER marque:firstParty=true'), comments.slice(0, 5).join('; '));
  const pkg = (downloadLocation: string, annotations: unknown[] = []) => ({ SPDXID: 'SPDXRef-a', name: 'a', versionInfo: '1', downloadLocation, annotations, externalRefs: [{ referenceType: 'purl', referenceLocator: 'pkg:generic/a@1' }] });
  const read = (p: Record<string, unknown>) => parseSpdx({ spdxVersion: 'SPDX-2.3', SPDXID: 'SPDXRef-DOCUMENT', packages: [p] }, 'x.spdx.json').components[0]!;
  assert.deepEqual(read(pkg('git+https://github.com/ros2/rclcpp.git@28.1.9')).provenance, { type: 'git', url: 'https://github.com/ros2/rclcpp.git', version: '28.1.9' });
  assert.deepEqual(read(pkg('git+ssh://git@github.com/ros2/rclcpp.git')).provenance, { type: 'git', url: 'ssh://git@github.com/ros2/rclcpp.git' }, 'the user before the host is no revision');
  assert.deepEqual(read(pkg('git+https://git.example.org/a.git@v1#lib/sub')).provenance, { type: 'git', url: 'https://git.example.org/a.git', version: 'v1' });
  assert.equal(read(pkg('https://example.org/a-1.tar.gz')).provenance, undefined);
  // Only Marque's marks, only as OTHER annotations; an unknown name or a REVIEW is an ordinary annotation.
  const marked = read(pkg('NOASSERTION', [{ annotationType: 'OTHER', comment: 'marque:firstParty=true' }, { annotationType: 'OTHER', comment: 'ros:package=rclcpp' }, { annotationType: 'REVIEW', comment: 'ros:upstream-version=1' }, { annotationType: 'OTHER', comment: 'colour=blue' }]));
  assert.equal(marked.firstParty, true);
  assert.deepEqual(marked.properties, { 'ros:package': 'rclcpp' });
});

test('an SBOM imported from another tool can be written again, valid', async () => {
  const inv = await buildInventory({ target: join(FIXTURES, 'sboms/laravel-7.12.0.cdx.json') });
  assert.ok(cycloneDx16()(renderSbom(inv, 'cyclonedx', { name: 'laravel', version: '7.12.0' })));
});

test('compositions say complete only when every declared dependency is in the list (BSI TR-03183-2 §5.2.2)', async () => {
  const { inv, product } = await example();
  const bom = renderSbom(inv, 'cyclonedx', product) as Record<string, any>;
  const aggregateOf = (ref: string) => bom.compositions.find((c: { dependencies: string[] }) => c.dependencies.includes(ref))?.aggregate;
  // courier_fleet_client declares courier_cert_pinning, which nothing provides; courier_navigation declares rosdoc2.
  assert.equal(aggregateOf('pkg:ros/courier_fleet_client@1.4.0?distro=jazzy'), 'unknown');
  assert.equal(aggregateOf('pkg:ros/courier_navigation@1.4.0?distro=jazzy'), 'unknown');
  assert.equal(aggregateOf('pkg:ros/courier_msgs@1.4.0?distro=jazzy'), 'complete');
  for (const u of inv.unresolved) if (u.from) assert.equal(inv.components.find((c) => c.purl === u.from)?.dependenciesComplete, false, u.key);
  // The same rule for a requirements file with an unpinned line.
  const dir = mkdtempSync(join(tmpdir(), 'marque-comp-'));
  writeFileSync(join(dir, 'requirements.txt'), 'requests==2.32.3\nnumpy>=1.26\n');
  const py = await buildInventory((await productRequest(dir, {})).request);
  assert.equal(py.components.find((c) => c.root)?.dependenciesComplete, false);
});

test('round trip: the unresolved dependencies come back from each format (CycloneDX JSON and XML, SPDX 2.3, SPDX 3), on the component that declared them, else the product', async () => {
  const { inv: example0, product } = await example();
  assert.ok(example0.unresolved.some((u) => u.from && u.kind && u.line), 'the example names unresolved ROS keys, each with its declaring package, kind and line');
  const declarer = example0.components.find((c) => !c.root)!.purl;
  // One declared by no component, one by a component the SBOM does not list, one with a reason that has every separator.
  const inv = {
    ...example0, unresolved: [...example0.unresolved,
      { key: 'requests==2.32.*', package: 'tool', file: 'requirements.txt', line: 2, reason: 'no version: "a (b:1): c"; d=e', kind: 'runtime' as const },
      { key: 'gone', package: 'gone', from: 'pkg:generic/gone@1', file: 'x/package.xml', reason: 'no package' },
      { key: 'libfoo', package: 'p', from: declarer, file: 'p/package.xml', line: 9, kind: 'build' as const, reason: 'ROS key of no package' },
    ],
  };
  const canon = (us: readonly object[]) => us.map((u) => JSON.stringify(Object.fromEntries(Object.entries(u).sort()))).sort();
  const dir = mkdtempSync(join(tmpdir(), 'marque-unres-'));
  const boms = { cyclonedx: renderSbom(inv, 'cyclonedx', product) as Record<string, any>, spdx: renderSbom(inv, 'spdx', product) as Record<string, any>, spdx3: renderSbom(inv, 'spdx3', product) as Record<string, any> };
  assert.ok(cycloneDx16()(boms.cyclonedx));
  assert.ok(spdx23()(boms.spdx));
  const spdx3 = await spdx301Schema();
  assert.ok(spdx3(boms.spdx3), JSON.stringify(spdx3.errors?.slice(0, 3)));
  // The CycloneDX marks: a property of the declaring component, or of the product (saying its "from" when it has one).
  const marks = (c: { properties?: { name: string; value: string }[] }) => (c.properties ?? []).filter((p) => p.name === 'marque:unresolved').map((p) => JSON.parse(p.value));
  assert.deepEqual(marks(boms.cyclonedx.metadata.component).map((m: { key: string; from?: string }) => [m.key, m.from]), [['requests==2.32.*', undefined], ['gone', 'pkg:generic/gone@1']]);
  assert.deepEqual(marks(boms.cyclonedx.components.find((c: { purl: string }) => c.purl === declarer)).at(-1), { key: 'libfoo', package: 'p', file: 'p/package.xml', line: 9, kind: 'build', reason: 'ROS key of no package' });
  // CycloneDX XML shares the model: the same marks as <property> elements are read the same way.
  const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/"/g, '&quot;');
  const xmlComponent = (c: Record<string, any>) => `<component type="library" bom-ref="${esc(c.purl)}"><name>${esc(c.name)}</name><purl>${esc(c.purl)}</purl><properties>${(c.properties ?? []).map((p: { name: string; value: string }) => `<property name="${esc(p.name)}">${esc(p.value)}</property>`).join('')}</properties></component>`;
  const xml = `<?xml version="1.0"?><bom xmlns="http://cyclonedx.org/schema/bom/1.6" version="1"><metadata>${xmlComponent(boms.cyclonedx.metadata.component)}</metadata><components>${boms.cyclonedx.components.map(xmlComponent).join('')}</components></bom>`;
  const files = { 'product.cdx.json': JSON.stringify(boms.cyclonedx), 'product.cdx.xml': xml, 'product.spdx.json': JSON.stringify(boms.spdx), 'product.spdx3.json': JSON.stringify(boms.spdx3) };
  for (const [name, text] of Object.entries(files)) {
    writeFileSync(join(dir, name), text);
    const back = await buildInventory({ target: join(dir, name) });
    assert.deepEqual(canon(back.unresolved), canon(inv.unresolved), name);
  }
});
