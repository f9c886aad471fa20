// The SHA-512 of the deployable form from what was actually read (BSI TR-03183-2 v2.1.0 §5.2.2):
// package files given with --artefacts (real npm registry tarballs, Debian .debs, a wheel) matched to
// components by their ecosystem's file name and checked against the lockfile's pin; Go binaries and
// package files in an image hashed as the layers stream by; lockfile integrity converted, never
// relabelled. Every hash says where it came from.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { copyFileSync, cpSync, mkdirSync, mkdtempSync, readFileSync, renameSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildInventory } from '../src/api/inventory.ts';
import { productRequest } from '../src/api/request.ts';
import { renderSbom } from '../src/api/sbom.ts';
import { checkSbomDocument } from '../src/api/sbom-check.ts';
import { keysOfComponent, keysOfFile, rosDebVersion } from '../src/sources/artefacts/names.ts';
import { parseDigest } from '../src/sources/common/fragment.ts';
import { parseRequirements } from '../src/sources/python/lockfiles.ts';
import { FileAccess } from '../src/util/file-access.ts';
import { spdx301Schema } from '../src/formats/official-schemas.ts';
import { dockerSave } from './helpers/image.ts';
import { EXAMPLE, FIXTURES, ROOT } from './helpers/paths.ts';
import { spawnSync } from 'node:child_process';

const ART = join(FIXTURES, 'artefacts');
const sha = (alg: string, b: Buffer) => createHash(alg).update(b).digest('hex');
const prop = (c: { properties?: Record<string, string> } | undefined, k: string) => c?.properties?.[k];

test('npm: registry tarballs in --artefacts are the files package-lock.json pins; their SHA-512 says it was computed and equals the integrity', async () => {
  const { request } = await productRequest(EXAMPLE, { artefacts: [join(ART, 'npm')] });
  const inv = await buildInventory(request);
  for (const name of ['es-errors', 'fast-deep-equal', 'gopd']) {
    const c = inv.components.find((x) => x.name === name && x.ecosystem === 'npm')!;
    const file = readFileSync(join(ART, 'npm', `${name}-${c.version}.tgz`));
    const h = c.hashes!.find((x) => x.alg === 'SHA-512')!;
    assert.equal(h.value, sha('sha512', file), name);
    assert.match(h.source!, new RegExp(`^computed from npm/${name}-${c.version}\\.tgz as read; equal to web/dashboard/package-lock\\.json "integrity"$`));
    assert.equal(prop(c, 'marque:artefact'), `npm/${name}-${c.version}.tgz`);
  }
  assert.ok(inv.notes.some((n) => /package files present: 3; 3 matched .* \(3 equal to the hash the input pins\)/.test(n)), inv.notes.join('\n'));
  // Components without a file keep the lockfile's hash, which says so.
  const express = inv.components.find((c) => c.name === 'express')!;
  assert.deepEqual(express.hashes!.map((h) => h.source), ['web/dashboard/package-lock.json "integrity"']);
});

test('CLI: marque sbom --artefacts writes each hash with its source', () => {
  const out = join(mkdtempSync(join(tmpdir(), 'marque-cli-')), 'sbom.json');
  const r = spawnSync(process.execPath, [join(ROOT, 'bin/marque.js'), 'sbom', EXAMPLE, '--artefacts', join(ART, 'npm'), '-o', out], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  const gopd = JSON.parse(readFileSync(out, 'utf8')).components.find((c: { name: string }) => c.name === 'gopd');
  assert.equal(gopd.externalReferences.find((x: { type: string }) => x.type === 'distribution').comment, 'SHA-512: computed from npm/gopd-1.2.0.tgz as read; equal to web/dashboard/package-lock.json "integrity"');
});

test('a file that is not what the lockfile pins is reported and not used; a link out of the folder is not followed', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'marque-artefacts-'));
  copyFileSync(join(ART, 'npm', 'es-errors-1.3.0.tgz'), join(dir, 'gopd-1.2.0.tgz'));
  const outside = join(mkdtempSync(join(tmpdir(), 'marque-outside-')), 'debug-4.4.3.tgz');
  writeFileSync(outside, 'not to be read');
  symlinkSync(outside, join(dir, 'debug-4.4.3.tgz'));
  const { request } = await productRequest(EXAMPLE, { artefacts: [dir] });
  const inv = await buildInventory(request);
  const gopd = inv.components.find((c) => c.name === 'gopd')!;
  assert.equal(prop(gopd, 'marque:artefact'), undefined);
  assert.match(gopd.hashes![0]!.source!, /package-lock\.json "integrity"$/);
  assert.ok(inv.problems.some((p) => /gopd-1\.2\.0\.tgz$/.test(p.file) && /is not the file web\/dashboard\/package-lock\.json pins for gopd@1\.2\.0: its SHA-512 differs; not used/.test(p.message)), JSON.stringify(inv.problems));
  assert.ok(inv.problems.some((p) => /debug-4\.4\.3\.tgz/.test(p.file) && /outside/.test(p.message)), JSON.stringify(inv.problems));
});

test('Debian: .debs from apt\'s cache (the epoch as %3a) match the dpkg database; SPDX 3 carries name and SHA-512, CycloneDX says why it has no distribution URL', async () => {
  const dir = join(ART, 'deb');
  const inv = await buildInventory({ target: dir, artefacts: [dir] });
  const intl = inv.components.find((c) => c.name === 'php-intl')!;
  assert.equal(intl.version, '2:8.2+93');
  assert.equal(intl.hashes![0]!.value, sha('sha512', readFileSync(join(dir, 'php-intl_2%3a8.2+93_all.deb'))));
  const { product } = await productRequest(dir, { product: 'debs@1' });
  const spdx = renderSbom(inv, 'spdx3', product) as Record<string, unknown>;
  const r = checkSbomDocument(spdx, 'tr-03183-2', 'debs.spdx.json');
  for (const id of ['5.2.2/hash', '5.2.2/filename', '5.2.2/executable']) assert.equal(r.requirements.find((q) => q.id === id)!.status, 'met', id);
  const files = (spdx['@graph'] as Record<string, any>[]).filter((e) => e['type'] === 'software_File');
  assert.deepEqual(files.map((f) => f['name']).sort(), ['colcon_0.12.1-1_all.deb', 'php-intl_2%3a8.2+93_all.deb']);
  assert.match(files[0]!['verifiedUsing'][0].comment, /^computed from deb\/.*\.deb as read$/);
  const cdx = renderSbom(inv, 'cyclonedx', product) as Record<string, any>;
  const colcon = cdx['components'].find((c: { name: string }) => c.name === 'colcon');
  assert.match(colcon.properties.find((p: { name: string }) => p.name === 'marque:unavailable:hash').value, /SHA-512 of its file is known \(computed from deb\/colcon_0\.12\.1-1_all\.deb as read\), but not where the file is published/);
});

test('marque.yaml inventory.artefacts: the folder named there is hashed as --artefacts would', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'marque-manifest-artefacts-'));
  cpSync(join(ART, 'deb'), dir, { recursive: true });
  mkdirSync(join(dir, 'dist'));
  renameSync(join(dir, 'colcon_0.12.1-1_all.deb'), join(dir, 'dist', 'colcon_0.12.1-1_all.deb'));
  writeFileSync(join(dir, 'marque.yaml'), 'product:\n  name: debs\n  version: "1"\ninventory:\n  artefacts: [dist]\n');
  const { request } = await productRequest(dir, {});
  const inv = await buildInventory({ ...request, exclude: ['dist', 'php-intl_2%3a8.2+93_all.deb'] });
  const colcon = inv.components.find((c) => c.name === 'colcon')!;
  assert.equal(prop(colcon, 'marque:artefact'), 'dist/colcon_0.12.1-1_all.deb');
  assert.equal(prop(inv.components.find((c) => c.name === 'php-intl'), 'marque:artefact'), undefined);
});

test('PyPI: pip\'s several --hash are candidates, never the component\'s hash; the wheel present that equals one of them becomes its file', async () => {
  const wheel = readFileSync(join(ART, 'pypi', 'wheel-0.43.0-py3-none-any.whl'));
  const other = sha('sha256', readFileSync(join(ART, 'deb', 'colcon_0.12.1-1_all.deb')));
  const text = `wheel==0.43.0 \\\n    --hash=sha256:${other} \\\n    --hash=sha256:${sha('sha256', wheel)}\n`;
  const frag = parseRequirements(text, 'requirements.txt', { component: { purl: 'pkg:pypi/app@1', name: 'app', version: '1', ecosystem: 'pypi', licenses: [], root: true }, dir: '.', dependencies: [] } as never);
  const w = frag.components.find((c) => c.name === 'wheel')!;
  assert.equal(w.hashes, undefined);
  assert.equal(w.candidateHashes!.length, 2);
  const dir = mkdtempSync(join(tmpdir(), 'marque-pip-'));
  writeFileSync(join(dir, 'requirements.txt'), text);
  const inv = await buildInventory({ target: dir, artefacts: [join(ART, 'pypi')] });
  const c = inv.components.find((x) => x.name === 'wheel')!;
  assert.equal(c.candidateHashes, undefined);
  assert.deepEqual(c.hashes!.map((h) => h.alg), ['SHA-512', 'SHA-256']);
  assert.equal(c.hashes![0]!.value, sha('sha512', wheel));
  assert.match(c.hashes![0]!.source!, /equal to requirements\.txt --hash/);
});

test('an image: the Go binary\'s SHA-512 and a .deb left in the image, hashed as the layers stream by, each naming its layer', async () => {
  // The Go toolchain's build-ID ELF note in the first page (as in every gc-built Linux binary), then the build information far in.
  const note = Buffer.concat([Buffer.alloc(3976, 0x7f), Buffer.from([4, 0, 0, 0, 0x53, 0, 0, 0, 4, 0, 0, 0, 0x47, 0x6f, 0, 0])]);
  const kubectl = Buffer.concat([note, Buffer.alloc(300 * 1024, 0x90), readFileSync(join(FIXTURES, 'go/kubectl.buildinfo')), Buffer.alloc(4096)]);
  const deb = readFileSync(join(ART, 'deb', 'colcon_0.12.1-1_all.deb'));
  const { tar, layerIds } = await dockerSave([
    { entries: [{ name: 'etc/os-release', data: readFileSync(join(ART, 'deb/etc/os-release')) }, { name: 'var/lib/dpkg/status', data: readFileSync(join(ART, 'deb/var/lib/dpkg/status')) }] },
    { compress: 'gzip', entries: [{ name: 'usr/local/bin/kubectl', data: kubectl, mode: 0o755 }, { name: 'var/cache/apt/archives/colcon_0.12.1-1_all.deb', data: deb }] },
  ]);
  const file = join(mkdtempSync(join(tmpdir(), 'marque-image-')), 'robot.tar');
  writeFileSync(file, tar);
  const inv = await buildInventory({ target: file });
  const k8s = inv.components.find((c) => c.name === 'k8s.io/kubernetes')!;
  assert.deepEqual(k8s.hashes, [{ alg: 'SHA-512', value: sha('sha512', kubectl), source: `computed from /usr/local/bin/kubectl in layer ${layerIds[1]} as read` }]);
  const colcon = inv.components.find((c) => c.name === 'colcon')!;
  assert.equal(colcon.hashes![0]!.value, sha('sha512', deb));
  assert.equal(prop(colcon, 'marque:artefact'), `/var/cache/apt/archives/colcon_0.12.1-1_all.deb in layer ${layerIds[1]}`);
  const { product } = await productRequest(file, { product: 'robot@1' });
  const cdx = renderSbom(inv, 'cyclonedx', product) as Record<string, any>;
  const bin = cdx['components'].find((c: { name: string }) => c.name === 'k8s.io/kubernetes');
  assert.equal(bin.properties.find((p: { name: string }) => p.name === 'bsi:component:filename').value, 'kubectl');
  // A file inside the image has no download URL, so CycloneDX keeps its SHA-512 in the component's hashes and says so.
  assert.equal(bin.hashes[0].content, sha('sha512', kubectl));
  assert.match(bin.properties.find((p: { name: string }) => p.name === 'marque:unavailable:hash').value, /known \(computed from \/usr\/local\/bin\/kubectl in layer/);
  // An installed package whose .deb is not in the image: the reason says what would give its file.
  const intl = cdx['components'].find((c: { name: string }) => c.name === 'php-intl');
  assert.match(intl.properties.find((p: { name: string }) => p.name === 'marque:unavailable:filename').value, /^installed from a \.deb that is not there: .*--artefacts DIR with the \.deb\)$/);
});

test('ROS: a release repository\'s tarball of the tag is the released package\'s source; its SHA-512 is the source code\'s hash, in CycloneDX and in valid SPDX 3.0.1', async () => {
  const tarball = 'ament_cmake-release-release-jazzy-ament_cmake_gtest-2.5.6-2.tar.gz';
  const { request, product } = await productRequest(EXAMPLE, { artefacts: [join(ART, 'ros')] });
  const inv = await buildInventory(request);
  const gtest = inv.components.find((c) => c.name === 'ros-jazzy-ament-cmake-gtest')!;
  const value = sha('sha512', readFileSync(join(ART, 'ros', tarball)));
  assert.deepEqual(gtest.sourceHashes, [{ alg: 'SHA-512', value, source: `computed from ros/${tarball} as read` }]);
  assert.equal(gtest.hashes, undefined, 'the source is not the deployable form (the .deb)');
  const cdx = renderSbom(inv, 'cyclonedx', product) as Record<string, any>;
  const ref = cdx['components'].find((c: { name: string }) => c.name === gtest.name).externalReferences.find((r: { type: string }) => r.type === 'source-distribution');
  assert.equal(ref.url, 'https://github.com/ros2-gbp/ament_cmake-release/archive/refs/tags/release/jazzy/ament_cmake_gtest/2.5.6-2.tar.gz');
  assert.deepEqual(ref.hashes, [{ alg: 'SHA-512', content: value }]);
  const spdx = renderSbom(inv, 'spdx3', product) as Record<string, unknown>;
  const validate = await spdx301Schema();
  assert.ok(validate(spdx), JSON.stringify(validate.errors?.slice(0, 3)));
  for (const doc of [cdx, spdx]) {
    const r = checkSbomDocument(doc, 'tr-03183-2', 'courier-robot');
    // SPDX 3: the tarball only; CycloneDX: also every registry archive that is its own source (npm tarballs with their integrity).
    assert.equal(r.requirements.find((q) => q.id === '5.2.5/source-hash')!.met, doc === spdx ? 1 : 172);
    // The only misses without a reason: the example's creators write at example-robotics.invalid (RFC 6761), no one's address.
    assert.deepEqual(r.failedUnexplained, ['5.2.1/creator', '5.2.2/creator']);
  }
});

test('file names by ecosystem convention: scoped npm pack, wheels with a build tag, rpm, nupkg, platform gems, ROS buildfarm .debs and release tarballs', () => {
  const has = (file: string, c: Parameters<typeof keysOfComponent>[0]) => keysOfComponent(c).some((k) => keysOfFile(file).some((f) => f.key === k.key && f.role === k.role));
  const base = { licenses: [] as string[] };
  assert.ok(has('types-node-20.11.5.tgz', { ...base, purl: 'pkg:npm/%40types/node@20.11.5', name: '@types/node', version: '20.11.5', ecosystem: 'npm' }));
  assert.ok(has('node-20.11.5.tgz', { ...base, purl: 'pkg:npm/%40types/node@20.11.5', name: '@types/node', version: '20.11.5', ecosystem: 'npm' }));
  assert.ok(has('Django-4.2.1-1-py3-none-any.whl', { ...base, purl: 'pkg:pypi/django@4.2.1', name: 'django', version: '4.2.1', ecosystem: 'pypi' }));
  assert.ok(has('zope.interface-6.0.tar.gz', { ...base, purl: 'pkg:pypi/zope-interface@6.0', name: 'zope-interface', version: '6.0', ecosystem: 'pypi' }));
  assert.ok(has('bash-5.1.8-6.el9.x86_64.rpm', { ...base, purl: 'pkg:rpm/rhel/bash@5.1.8-6.el9?arch=x86_64&epoch=0', name: 'bash', version: '0:5.1.8-6.el9', ecosystem: 'rpm' }));
  assert.ok(has('Newtonsoft.Json.13.0.3.nupkg', { ...base, purl: 'pkg:nuget/Newtonsoft.Json@13.0.3', name: 'Newtonsoft.Json', version: '13.0.3', ecosystem: 'nuget' }));
  assert.ok(has('nokogiri-1.16.0-x86_64-linux.gem', { ...base, purl: 'pkg:gem/nokogiri@1.16.0', name: 'nokogiri', version: '1.16.0', ecosystem: 'gem' }));
  assert.ok(!has('nokogiri-1.16.0.gem', { ...base, purl: 'pkg:gem/nokogiri@1.16.1', name: 'nokogiri', version: '1.16.1', ecosystem: 'gem' }));
  assert.deepEqual(rosDebVersion('ros-jazzy-rclcpp_28.1.9-1noble.20250319.145618_amd64.deb'), { name: 'ros-jazzy-rclcpp', version: '28.1.9-1' });
  const rclcpp = { ...base, purl: 'pkg:deb/ubuntu/ros-jazzy-rclcpp@28.1.9-1?distro=ubuntu-24.04', name: 'ros-jazzy-rclcpp', version: '28.1.9-1', ecosystem: 'deb' as const, properties: { 'ros:package': 'rclcpp', 'ros:distro': 'jazzy' } };
  assert.ok(has('ros-jazzy-rclcpp_28.1.9-1noble.20250319.145618_amd64.deb', rclcpp));
  assert.ok(has('rclcpp-release-release-jazzy-rclcpp-28.1.9-1.tar.gz', rclcpp));
  assert.deepEqual(keysOfFile('rclcpp-release-release-jazzy-rclcpp-28.1.9-1.tar.gz').find((k) => k.key.startsWith('ros|'))?.role, 'source');
});

test('lockfile integrity converted, not relabelled: the strongest SRI entry, hex, with its source; FileAccess.digest streams and is size-capped', async () => {
  const sri = `sha1-${Buffer.from('a'.repeat(20)).toString('base64')} sha512-${Buffer.alloc(64, 7).toString('base64')}`;
  assert.deepEqual(parseDigest(sri, 'yarn.lock integrity'), { alg: 'SHA-512', value: '07'.repeat(64), source: 'yarn.lock integrity' });
  assert.deepEqual(parseDigest('sha256:ABCD', 'x'), { alg: 'SHA-256', value: 'abcd', source: 'x' });
  const f = join(ART, 'npm', 'gopd-1.2.0.tgz');
  const access = FileAccess.within(ART);
  assert.deepEqual(await access.digest(f, ['sha512']), { sha512: sha('sha512', readFileSync(f)) });
  await assert.rejects(access.digest(f, ['sha512'], { limit: 1000 }), /over the 1000-byte limit/);
  await assert.rejects(FileAccess.within(join(ART, 'deb')).digest(f, ['sha512']), /leads outside/);
});
