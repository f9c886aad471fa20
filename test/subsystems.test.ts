// A product of several subsystems (a web UI folder, a Linux image, firmware described by an SBOM)
// and hardware parts with firmware: composed into one inventory, nested in the CycloneDX SBOM,
// contained in SPDX, and each end of support compared with the product's support period.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { dockerSave } from './helpers/image.ts';
import { EXAMPLE, FIXTURES, ROOT } from './helpers/paths.ts';

const marque = (...args: string[]) => spawnSync(process.execPath, [join(ROOT, 'bin/marque.js'), ...args], { encoding: 'utf8', maxBuffer: 64 << 20 });

async function product(): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'marque-subsystems-'));
  mkdirSync(join(dir, 'ui'));
  cpSync(join(EXAMPLE, 'web', 'dashboard', 'package-lock.json'), join(dir, 'ui', 'package-lock.json'));
  cpSync(join(EXAMPLE, 'web', 'dashboard', 'package.json'), join(dir, 'ui', 'package.json'));
  const image = await dockerSave([{ entries: [{ name: 'etc/os-release', data: readFileSync(join(FIXTURES, 'image/etc/os-release')) }, { name: 'var/lib/dpkg/status', data: readFileSync(join(FIXTURES, 'image/var/lib/dpkg/status')) }] }]);
  writeFileSync(join(dir, 'rootfs.tar'), image.tar);
  cpSync(join(FIXTURES, 'sboms', 'cern-lhc-vdm-editor.bom.xml'), join(dir, 'fw.bom.xml'));
  writeFileSync(join(dir, 'marque.yaml'), `product:
  name: rover
  version: "3.0.0"
support:
  periodEnd: "2033-12"
  placedOnMarket: "2027-01-01"
subsystems:
  - { id: ui, kind: web-ui, source: ui, version: "1.4.0", supportEnd: "2034-01" }
  - { id: rootfs, kind: linux-image, source: rootfs.tar, supportEnd: "2028-06" }
  - { id: fw, kind: firmware, source: fw.bom.xml }
hardware:
  - { id: lidar, name: Front lidar, manufacturer: Example Sensors AG, model: LX-16, revision: B, firmware: { version: "3.2.1" }, supportEnd: "2031-01" }
  - { id: mc, manufacturer: Example Motion, model: MC 200 }
`);
  return dir;
}

test('subsystems and hardware: composed, read once, depth through them, each component says its subsystem', async () => {
  const dir = await product();
  const r = marque('inventory', dir, '--json');
  assert.equal(r.status, 0, r.stderr);
  const inv = JSON.parse(r.stdout) as { components: { purl: string; name: string; depth: number; root?: boolean; type?: string; sourceFile?: string; properties?: Record<string, string> }[] };
  const sub = (id: string) => inv.components.find((c) => c.properties?.['marque:subsystemRoot'] === id)!;
  assert.deepEqual([sub('ui').type, sub('rootfs').type, sub('fw').type], ['application', 'operating-system', 'firmware']);
  assert.ok([sub('ui'), sub('rootfs'), sub('fw')].every((c) => c.depth === 0));
  const express = inv.components.filter((c) => c.purl === 'pkg:npm/express@4.18.2');
  assert.equal(express.length, 1);
  assert.equal(express[0]!.properties?.['marque:subsystem'], 'ui');
  assert.ok(express[0]!.sourceFile!.startsWith('ui/'), 'read as the subsystem, not also as part of the product folder');
  assert.ok(express[0]!.depth >= 2, 'depth runs through the subsystem');
  const debs = inv.components.filter((c) => c.purl.startsWith('pkg:deb/'));
  assert.equal(debs.length, 827);
  assert.ok(debs.every((c) => c.properties?.['marque:subsystem'] === 'rootfs' && c.properties?.['image:layer']));
  const lidar = inv.components.find((c) => c.properties?.['marque:hardware'] === 'lidar' && c.type === 'device')!;
  assert.equal(lidar.purl, 'pkg:generic/example-sensors-ag/lx-16@B');
  assert.ok(inv.components.some((c) => c.type === 'firmware' && c.purl === 'pkg:generic/example-sensors-ag/lx-16-firmware@3.2.1' && c.depth === 1));
});

test('the SBOM nests each subsystem\'s components under it (CycloneDX) and contains them (SPDX); devices and firmware are typed', async () => {
  const dir = await product();
  const cdx = JSON.parse(marque('sbom', dir).stdout) as { components: { 'bom-ref': string; type: string; name: string; components?: { purl?: string }[] }[] };
  const ui = cdx.components.find((c) => c.name === 'ui')!;
  assert.ok(ui.components?.some((c) => c.purl === 'pkg:npm/express@4.18.2'));
  assert.ok(!cdx.components.some((c) => c['bom-ref'] === 'pkg:npm/express@4.18.2'), 'nested, not repeated at the top');
  assert.ok(cdx.components.some((c) => c.type === 'device' && c.name === 'Front lidar'));
  assert.ok(cdx.components.some((c) => c.type === 'firmware' && c.name === 'LX-16 firmware'));
  const spdx = JSON.parse(marque('sbom', dir, '--format', 'spdx').stdout) as { packages: { SPDXID: string; name: string; primaryPackagePurpose: string }[]; relationships: { spdxElementId: string; relationshipType: string; relatedSpdxElement: string }[] };
  const uiId = spdx.packages.find((p) => p.name === 'ui')!.SPDXID;
  const expressId = spdx.packages.find((p) => p.name === 'express')!.SPDXID;
  assert.ok(spdx.relationships.some((r) => r.spdxElementId === uiId && r.relationshipType === 'CONTAINS' && r.relatedSpdxElement === expressId));
  assert.equal(spdx.packages.find((p) => p.name === 'Front lidar')!.primaryPackagePurpose, 'DEVICE');
});

test('check compares each subsystem\'s and part\'s end of support with the support period', async () => {
  const dir = await product();
  const check = JSON.parse(marque('check', dir, '--json', '--db', join(dir, 'none.sqlite')).stdout) as { items: { id: string; evidence: string[] }[] };
  const support = check.items.find((i) => i.evidence.some((e) => /support until 2033-12/.test(e)))!;
  const ev = support.evidence.join('\n');
  assert.match(ev, /warning: subsystem rootfs is supported until 2028-06, before the support period ends \(2033-12\)/);
  assert.match(ev, /warning: hardware part lidar is supported until 2031-01/);
  assert.match(ev, /hardware part mc: no end of support declared/);
  assert.match(ev, /subsystem fw: no end of support declared/);
  assert.doesNotMatch(ev, /subsystem ui/);
});
