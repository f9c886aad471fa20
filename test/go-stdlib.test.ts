// Go's standard library, compiled into every Go binary, from a product built from source (go.mod): a
// component named as OSV's Go records name it (stdlib), its version only what the product declares
// (marque.yaml inventory.toolchains.go), matched against a real record of the Go vulnerability database.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { dirname, join } from 'node:path';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { buildInventory } from '../src/api/inventory.ts';
import { productRequest } from '../src/api/request.ts';
import { importAdvisories } from '../src/api/advisories.ts';
import { findVulnerabilities } from '../src/api/vulns.ts';
import { renderSbom } from '../src/api/sbom.ts';
import { AdvisoryDb } from '../src/advisories/store.ts';
import { osvPackagesOf } from '../src/advisories/match.ts';
import { parseManifest } from '../src/manifest/manifest.ts';
import { goReleaseSemver } from '../src/sources/golang/stdlib.ts';
import { goBinaryFragment } from '../src/sources/image/inventory.ts';
import type { ImageRoot } from '../src/sources/image/layers.ts';
import { FIXTURES } from './helpers/paths.ts';

const NOW = new Date('2024-07-10T00:00:00Z');

function product(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'marque-gostd-'));
  for (const [rel, text] of Object.entries(files)) { mkdirSync(dirname(join(dir, rel)), { recursive: true }); writeFileSync(join(dir, rel), text); }
  return dir;
}
const GO_MOD = 'module example.com/courier\n\ngo 1.22\n\ntoolchain go1.22.4\n\nrequire example.com/geo v1.2.0\n';
const manifest = (go?: string) => `product:\n  name: courier\n  version: "1.0"\n${go ? `inventory:\n  toolchains:\n    go: "${go}"\n` : ''}`;
const inventoryOf = async (dir: string) => { const pr = await productRequest(dir, {}); return { pr, inv: await buildInventory(pr.request) }; };

async function goDb(): Promise<AdvisoryDb> {
  const path = join(mkdtempSync(join(tmpdir(), 'marque-gostd-db-')), 'advisories.sqlite');
  await importAdvisories(path, [join(FIXTURES, 'osv', 'go')], undefined, undefined, undefined, { vouched: ['Go'] });
  return AdvisoryDb.openForRead(path)!;
}

test('go.mod alone: Go\'s standard library is a third-party runtime component without a version, its minimum said, and a coverage gap naming how to declare the toolchain', async () => {
  const { inv } = await inventoryOf(product({ 'go.mod': GO_MOD }));
  const std = inv.components.filter((c) => c.name === 'stdlib');
  assert.equal(std.length, 1);
  const s = std[0]!;
  assert.equal(s.purl, 'pkg:golang/stdlib');
  assert.equal(s.version, '');
  assert.ok(!s.firstParty && !s.root);
  assert.equal(s.kind, 'runtime');
  assert.deepEqual(osvPackagesOf(s), [{ base: 'Go', name: 'stdlib' }], 'the package OSV\'s Go records name');
  assert.match(s.properties!['marque:version']!, /^unknown: at least go1\.22\.4 \(go\.mod's toolchain line\); the toolchain that builds the product decides .*inventory\.toolchains\.go in marque\.yaml/);
  assert.ok(inv.dependencies.some((d) => d.from === 'pkg:golang/example.com/courier' && d.to === s.purl && d.kind === 'runtime'));
  assert.ok(inv.notes.some((n) => n.startsWith('Go\'s standard library (compiled into every Go binary) is listed as pkg:golang/stdlib without a version') && n.includes('go1.22.4 (go.mod\'s toolchain line)')), inv.notes.join('\n'));

  const db = await goDb();
  const found = findVulnerabilities({ unlisted: { unresolved: inv.unresolved, notAnalysed: inv.notAnalysed }, components: inv.components, db, product: { name: 'courier', version: '1.0' }, now: NOW, maxAgeDays: 30 });
  const gap = found.coverage.gaps.find((g) => g.component === 'pkg:golang/stdlib');
  assert.match(gap?.reason ?? '', /^no version \(unknown: at least go1\.22\.4 .*declare it \(inventory\.toolchains\.go in marque\.yaml/);
  assert.equal(found.coverage.complete, false, 'the standard library nobody checked keeps coverage from being complete');
  db.close();

  // Only the go line: the least release it names, said as the go line's.
  const { inv: old } = await inventoryOf(product({ 'go.mod': 'module example.com/old\n\ngo 1.20\n' }));
  assert.match(old.components.find((c) => c.name === 'stdlib')!.properties!['marque:version']!, /^unknown: at least go1\.20 \(go\.mod's go line\)/);
});

test('inventory.toolchains.go declared: stdlib at that release, matched against a real Go vulnerability database record (GO-2024-2963); the fixed release is not', async () => {
  const db = await goDb();
  const run = async (go: string) => {
    const { inv } = await inventoryOf(product({ 'go.mod': GO_MOD, 'marque.yaml': manifest(go) }));
    return { inv, found: findVulnerabilities({ unlisted: { unresolved: inv.unresolved, notAnalysed: inv.notAnalysed }, components: inv.components, db, product: { name: 'courier', version: '1.0' }, now: NOW, maxAgeDays: 30 }) };
  };
  const affected = await run('1.22.4');
  const s = affected.inv.components.find((c) => c.name === 'stdlib')!;
  assert.equal(s.purl, 'pkg:golang/stdlib@1.22.4');
  assert.equal(s.properties!['marque:version'], undefined);
  assert.equal(s.properties!['go:versionFrom'], 'inventory.toolchains.go in marque.yaml');
  assert.deepEqual(affected.found.findings.map((f) => [f.component, f.advisory, f.fixedIn]), [['pkg:golang/stdlib@1.22.4', 'GO-2024-2963', ['1.21.12', '1.22.5']]]);
  assert.ok(!affected.found.coverage.gaps.some((g) => g.component.startsWith('pkg:golang/stdlib')));
  // Written as `go version` prints it.
  const fixed = await run('go1.22.5');
  assert.equal(fixed.inv.components.find((c) => c.name === 'stdlib')!.purl, 'pkg:golang/stdlib@1.22.5');
  assert.deepEqual(fixed.found.findings, []);
  // Older than go.mod's toolchain line: used as given, and a note says the go command would not build with it.
  const older = await run('1.21.11');
  assert.deepEqual(older.found.findings.map((f) => f.advisory), ['GO-2024-2963']);
  assert.ok(older.inv.notes.some((n) => n.startsWith('go.mod: the Go toolchain declared (inventory.toolchains.go in marque.yaml: 1.21.11) is older than the least this build accepts, go1.22.4')), older.inv.notes.join('\n'));
  db.close();
});

test('the SBOM carries the standard library: with its declared version, or without one and the reason why', async () => {
  for (const [go, version] of [['1.22.4', '1.22.4'], [undefined, undefined]] as const) {
    const { pr, inv } = await inventoryOf(product({ 'go.mod': GO_MOD, 'marque.yaml': manifest(go) }));
    const bom = renderSbom(inv, 'cyclonedx', pr.product) as { components: { name: string; version?: string; purl: string; properties?: { name: string; value: string }[] }[] };
    const std = bom.components.find((c) => c.name === 'stdlib')!;
    assert.equal(std.purl, version ? `pkg:golang/stdlib@${version}` : 'pkg:golang/stdlib');
    if (version) assert.equal(std.version, version);
    else assert.match(std.properties!.find((p) => p.name === 'marque:unavailable:version')!.value, /at least go1\.22\.4/);
  }
});

test('one standard library per build: a go.work\'s modules share one (go.work\'s lines decide its minimum); modules built on their own are one component naming each minimum', async () => {
  const ws = product({
    'go.work': 'go 1.23.0\n\ntoolchain go1.23.2\n\nuse (\n\t./planner\n\t./driver\n)\n',
    'planner/go.mod': 'module example.com/planner\n\ngo 1.22\n\nrequire example.com/driver v0.0.0\n',
    'driver/go.mod': 'module example.com/driver\n\ngo 1.23.0\n',
  });
  const { inv } = await inventoryOf(ws);
  const std = inv.components.filter((c) => c.name === 'stdlib');
  assert.deepEqual(std.map((c) => [c.purl, c.sourceFile]), [['pkg:golang/stdlib', 'go.work']]);
  assert.match(std[0]!.properties!['marque:version']!, /^unknown: at least go1\.23\.2 \(go\.work's toolchain line\)/);
  assert.deepEqual(inv.dependencies.filter((d) => d.to === 'pkg:golang/stdlib').map((d) => d.from).sort(), ['pkg:golang/example.com/driver', 'pkg:golang/example.com/planner']);

  const apart = product({ 'a/go.mod': 'module example.com/a\n\ngo 1.21.0\n', 'b/go.mod': 'module example.com/b\n\ngo 1.22\n\ntoolchain go1.22.7\n' });
  const { inv: two } = await inventoryOf(apart);
  const one = two.components.filter((c) => c.name === 'stdlib');
  assert.equal(one.length, 1);
  assert.match(one[0]!.properties!['marque:version']!, /^unknown: at least go1\.21\.0 \(a\/go\.mod's go line\); go1\.22\.7 \(b\/go\.mod's toolchain line\);/);
});

test('Go releases as OSV\'s stdlib ranges write them', () => {
  assert.equal(goReleaseSemver('go1.22.4'), '1.22.4');
  assert.equal(goReleaseSemver('1.23.4'), '1.23.4');
  assert.equal(goReleaseSemver('go1.20'), '1.20.0', 'a major release before 1.21 had no ".0"');
  assert.equal(goReleaseSemver('go1.21rc2'), '1.21.0-rc.2');
  assert.equal(goReleaseSemver('go1.19beta1'), '1.19.0-beta.1');
  assert.equal(goReleaseSemver('go1.23.8 X:boringcrypto'), '1.23.8');
  assert.equal(goReleaseSemver('devel go1.24-3f4a3a8 Tue Jun 4 2024'), undefined);
  // A binary's standard library is named the same way: Go 1.20's is 1.20.0, which OSV's ranges order (1.20 is no SemVer).
  const image = (goVersion: string) => ({ goBinaries: [{ path: 'usr/bin/x', layer: 'sha256:1', info: { goVersion, path: 'example.com/x', deps: [], settings: {} } }] }) as unknown as ImageRoot;
  assert.deepEqual(goBinaryFragment(image('go1.20')).components.filter((c) => c.name === 'stdlib').map((c) => c.purl), ['pkg:golang/stdlib@1.20.0']);
  const devel = goBinaryFragment(image('devel go1.24-3f4a3a8')).components.find((c) => c.name === 'stdlib')!;
  assert.deepEqual([devel.purl, devel.properties?.['marque:version']], ['pkg:golang/stdlib', 'unknown: built by devel go1.24-3f4a3a8, not a Go release']);
});

test('marque.yaml inventory.toolchains: the go release is a quoted Go version; nothing else is declared there', () => {
  assert.equal(parseManifest(manifest('go1.23.4'), 'marque.yaml').inventory?.toolchains?.go, 'go1.23.4');
  assert.throws(() => parseManifest('product:\n  name: p\n  version: "1"\ninventory:\n  toolchains:\n    go: 1.23\n', 'marque.yaml'), /inventory\.toolchains\.go: must be string: quote it: "1\.23"/);
  assert.throws(() => parseManifest('product:\n  name: p\n  version: "1"\ninventory:\n  toolchains:\n    go: latest\n', 'marque.yaml'), /inventory\.toolchains\.go: must match pattern/);
  assert.throws(() => parseManifest('product:\n  name: p\n  version: "1"\ninventory:\n  toolchains:\n    rust: "1.80.0"\n', 'marque.yaml'), /unknown field "rust"/);
});
