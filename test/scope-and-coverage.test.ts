// What a scan finds but cannot read is said, and what lives in test folders is not the product.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FIXTURES, ROOT } from './helpers/paths.ts';
import { policyFailures } from '../src/api/vulns.ts';
import type { Finding } from '../src/model/advisory.ts';

const PRODUCT = join(FIXTURES, 'test-folders');
function marque(...args: string[]) {
  const r = spawnSync(process.execPath, [join(ROOT, 'bin/marque.js'), ...args], { encoding: 'utf8', stdin: 'ignore', maxBuffer: 64 * 1024 * 1024 } as never);
  return { code: r.status, out: String(r.stdout), err: String(r.stderr) };
}

test('lockfiles in test fixture folders are scope test; a broken one there is a warning, not an input error', () => {
  const r = marque('inventory', PRODUCT, '--json');
  assert.equal(r.code, 0, r.err);
  const inv = JSON.parse(r.out);
  const pypi = inv.components.filter((c: { ecosystem: string }) => c.ecosystem === 'pypi');
  assert.ok(pypi.length >= 10);
  assert.ok(pypi.every((c: { kind: string }) => c.kind === 'test'), 'nothing from tests/fixtures ships');
  assert.equal(inv.problems[0].severity, 'warning');
  assert.match(inv.problems[0].message, /not part of the product/);
  assert.equal(JSON.parse(marque('inventory', PRODUCT, '--json', '--kind', 'runtime').out).components.length, 0);
  // Included on purpose: shipped again.
  const included = JSON.parse(marque('inventory', PRODUCT, '--json', '--include', 'tests/fixtures/outdated_lock').out);
  assert.equal(included.components.find((c: { purl: string }) => c.purl === 'pkg:pypi/requests@2.24.0').kind, 'runtime');
  // Excluded: not scanned at all, so the broken file is not read either.
  const excluded = JSON.parse(marque('inventory', PRODUCT, '--json', '--exclude', 'fixtures').out);
  assert.equal(excluded.components.length, 0);
  assert.equal(excluded.problems.length, 0);
});

test('a documentation folder\'s requirements (mkdocs, as in usb_cam\'s docs/) are scope doc, not shipped; what the product also uses ships', () => {
  const dir = mkdtempSync(join(tmpdir(), 'marque-docs-scope-'));
  mkdirSync(join(dir, 'app'));
  mkdirSync(join(dir, 'docs'));
  writeFileSync(join(dir, 'app', 'requirements.txt'), 'requests==2.31.0\njinja2==3.1.2\n');
  writeFileSync(join(dir, 'docs', 'requirements.txt'), 'mkdocs==1.5.3\nmkdocs-material==9.5.0\njinja2==3.1.2\n');
  const inv = JSON.parse(marque('inventory', dir, '--json').out);
  const kind = (purl: string) => inv.components.find((c: { purl: string }) => c.purl === purl)?.kind;
  assert.equal(kind('pkg:pypi/mkdocs@1.5.3'), 'doc');
  assert.equal(kind('pkg:pypi/mkdocs-material@9.5.0'), 'doc');
  assert.equal(kind('pkg:pypi/requests@2.31.0'), 'runtime');
  assert.equal(kind('pkg:pypi/jinja2@3.1.2'), 'runtime', 'the product reaches it too');
  assert.ok(inv.notes.some((n: string) => /1 project\(s\) in documentation folders are scope "doc", not shipped: docs\/requirements\.txt/.test(n)), inv.notes.join('\n'));
  // Asked for runtime only: the manual's tools are not in the answer.
  const runtime = JSON.parse(marque('inventory', dir, '--json', '--kind', 'runtime').out);
  assert.ok(!runtime.components.some((c: { purl: string }) => c.purl.startsWith('pkg:pypi/mkdocs')));
  // Included on purpose: shipped.
  const included = JSON.parse(marque('inventory', dir, '--json', '--include', 'docs').out);
  assert.equal(included.components.find((c: { purl: string }) => c.purl === 'pkg:pypi/mkdocs@1.5.3').kind, 'runtime');
});

test('a --fail-on policy is about what ships: findings in test-only components never fail it', () => {
  const f = (scope: string | null): Finding => ({ component: 'pkg:pypi/requests@2.24.0', scope, advisory: 'X', aliases: [], severity: [{ source: 'x', type: 'CVSS_V3', baseScore: 9.8, rating: 'critical' } as never], fixedIn: [], exploited: true, kev: null, status: 'affected', justification: null, clock: null });
  assert.equal(policyFailures([f('test'), f('dev'), f('build')], ['critical', 'exploited']).length, 0);
  assert.equal(policyFailures([f('runtime')], ['critical']).length, 1);
  assert.equal(policyFailures([f(null)], ['exploited']).length, 1, 'unknown scope counts as shipped');
  // End to end: the finding is there and says its scope; the policy does not fail on it.
  const db = join(mkdtempSync(join(tmpdir(), 'marque-scope-')), 'db.sqlite');
  assert.equal(marque('db', 'import', join(FIXTURES, 'osv', 'pypa', 'requests'), '--db', db).code, 0);
  const r = marque('vulns', PRODUCT, '--db', db, '--json', '--fail-on', 'high,exploited');
  assert.equal(r.code, 0, r.err);
  const finding = JSON.parse(r.out).findings.find((x: { advisory: string }) => x.advisory === 'PYSEC-2023-74');
  assert.equal(finding.scope, 'test');
});

test('a lockfile Marque cannot read is listed as not analysed, in the SBOM and in check', () => {
  const inv = JSON.parse(marque('inventory', PRODUCT, '--json').out);
  assert.deepEqual(inv.notAnalysed.map((f: { file: string; format: string }) => [f.file, f.format]), [['Package.resolved', 'Package.resolved']]);
  assert.match(marque('inventory', PRODUCT).out, /Not analysed \(1\)[^\n]*\n  Package\.resolved: Marque cannot read Package\.resolved yet: the swift components it locks are not in this inventory/);
  const bom = JSON.parse(marque('sbom', PRODUCT, '--product', 'panel@1.0.0').out);
  const root = bom.metadata.component['bom-ref'];
  assert.equal(bom.compositions.find((c: { dependencies: string[] }) => c.dependencies.includes(root)).aggregate, 'unknown');
  // The TR-03183-2 reasons (marque:unavailable:*) sit beside it; the unread lockfile is said once.
  assert.deepEqual(bom.metadata.component.properties.filter((p: { name: string }) => p.name === 'marque:notAnalysed'),
    [{ name: 'marque:notAnalysed', value: 'Package.resolved (Package.resolved)' }]);
  const spdx = JSON.parse(marque('sbom', PRODUCT, '--product', 'panel@1.0.0', '--format', 'spdx').out);
  assert.match(spdx.packages[0].comment, /Not analysed.*Package\.resolved/);
  const dir = mkdtempSync(join(tmpdir(), 'marque-unread-'));
  cpSync(PRODUCT, dir, { recursive: true });
  writeFileSync(join(dir, 'marque.yaml'), 'product:\n  name: panel\n  version: "1.0.0"\n');
  const check = JSON.parse(marque('check', dir, '--json', '--db', join(dir, 'none.sqlite')).out);
  const sbomItem = check.items.find((i: { id: string }) => i.id === 'II.1');
  assert.equal(sbomItem.status, 'needs-evidence');
  assert.match(sbomItem.evidence[0], /1 lockfile\(s\) or manifest\(s\) Marque cannot read yet are not in the SBOM: Package\.resolved \(Package\.resolved\)/);
  const single = marque('inventory', join(PRODUCT, 'Package.resolved'));
  assert.equal(single.code, 2);
  assert.match(single.err, /cannot read Package\.resolved yet \(swift\); docs\/inventory\.md, "What Marque reads", lists what it reads/, "names the page that exists (the README has no such section)");
});

test('a ROS 2 manifest under another name (Livox: package_ROS2.xml, no package.xml) is not analysed, with what to do; beside a package.xml it is not', () => {
  const livox = join(FIXTURES, 'ros-other-name');
  const inv = JSON.parse(marque('inventory', livox, '--json').out);
  assert.deepEqual(inv.notAnalysed.map((f: { file: string }) => f.file), ['livox_ros_driver2/package_ROS2.xml'], 'the ROS 1 manifest is no loss in a ROS 2 workspace');
  assert.match(marque('inventory', livox).out, /livox_ros_driver2\/package_ROS2\.xml: colcon and Marque read only package\.xml, and this folder has none: .*copy package_ROS2\.xml to package\.xml/);
  const dir = mkdtempSync(join(tmpdir(), 'marque-livox-'));
  cpSync(livox, dir, { recursive: true });
  cpSync(join(dir, 'livox_ros_driver2', 'package_ROS2.xml'), join(dir, 'livox_ros_driver2', 'package.xml'));
  const built = JSON.parse(marque('inventory', dir, '--json').out);
  assert.deepEqual(built.notAnalysed, []);
  assert.ok(built.components.some((c: { purl: string }) => c.purl.startsWith('pkg:ros/livox_ros_driver2@1.0.0')));
});

test('lockfiles of ecosystems Marque does not read yet are each listed as not analysed, never skipped in silence', async () => {
  const { buildInventory } = await import('../src/api/inventory.ts');
  const dir = mkdtempSync(join(tmpdir(), 'marque-unread-'));
  const names = ['rebar.lock', 'paket.lock', 'Gopkg.lock', 'deno.lock', 'renv.lock', 'stack.yaml.lock', 'cabal.project.freeze', 'Manifest.toml', 'MODULE.bazel.lock'];
  for (const n of names) { mkdirSync(join(dir, n.replace(/\W/g, '_'))); writeFileSync(join(dir, n.replace(/\W/g, '_'), n), '{}\n'); }
  const inv = await buildInventory({ target: dir });
  assert.deepEqual(inv.notAnalysed.map((f) => f.file.split('/').pop()).sort(), [...names].sort());
  assert.ok(inv.notAnalysed.every((f) => /^Marque cannot read .+ yet: the \w+ components it locks are not in this inventory$/.test(f.reason)), JSON.stringify(inv.notAnalysed));
});

test('a PlatformIO project (device firmware, as ESPHome\'s platformio.ini) is listed as not analysed: what it builds into the firmware is not read', async () => {
  const { buildInventory } = await import('../src/api/inventory.ts');
  const dir = mkdtempSync(join(tmpdir(), 'marque-platformio-'));
  writeFileSync(join(dir, 'platformio.ini'), '[common]\nlib_deps =\n    bblanchon/ArduinoJson@6.18.5           ; json\n    lvgl/lvgl@8.4.0                                       ; lvgl\n\n[env:esp32-arduino]\nplatform = platformio/espressif32@5.4.0\nframework = arduino\n');
  writeFileSync(join(dir, 'requirements.txt'), 'esptool==4.7.0\n');
  const inv = await buildInventory({ target: dir });
  assert.deepEqual(inv.notAnalysed, [{ file: 'platformio.ini', ecosystem: 'platformio', format: 'PlatformIO project', reason: 'Marque cannot read platformio.ini yet: the platform, framework and lib_deps libraries PlatformIO builds into the firmware are not in this inventory' }]);
});

test('an SBOM Marque wrote keeps saying which lockfile it did not read: read back, that file is still not analysed and coverage is not complete (CycloneDX and SPDX)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'marque-sbom-unread-'));
  for (const format of ['cyclonedx', 'spdx']) {
    const file = join(dir, `bom.${format}.json`);
    assert.equal(marque('sbom', PRODUCT, '--product', 'panel@1.0.0', '--format', format, '-o', file).code, 0);
    const inv = JSON.parse(marque('inventory', file, '--json').out);
    assert.deepEqual(inv.notAnalysed.map((f: { file: string; format: string }) => [f.file, f.format]), [['Package.resolved', 'Package.resolved']], format);
  }
});
