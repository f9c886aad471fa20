// Container images: docker save tarballs and OCI layouts, layers applied with whiteouts, the
// package databases and lockfiles inside read as in a folder, Go binaries found by their build
// information, each component with its layer; hostile tarballs refused or contained.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync, mkdtempSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildInventory } from '../src/api/inventory.ts';
import { IMAGE_LIMITS, readImage } from '../src/sources/image/layers.ts';
import { parseBuildInfo } from '../src/sources/image/go-buildinfo.ts';
import { dockerSave, ociLayout, tarOf, type Entry } from './helpers/image.ts';
import { EXAMPLE, FIXTURES, ROOT } from './helpers/paths.ts';

const real = (p: string) => readFileSync(join(FIXTURES, p));
const debian: Entry[] = [
  { name: 'etc/os-release', data: real('image/etc/os-release') },
  { name: 'var/lib/dpkg/status', data: real('image/var/lib/dpkg/status') },
  { name: 'var/lib/apt/extended_states', data: real('image/var/lib/apt/extended_states') },
];
// kubectl's real build information, inside an executable, behind 300 KiB of padding (chunks split it).
const kubectl = Buffer.concat([Buffer.alloc(300 * 1024, 0x90), real('go/kubectl.buildinfo'), Buffer.alloc(4096)]);
const dashboard = join(EXAMPLE, 'web', 'dashboard');

test('a docker save tarball: Debian packages, a lockfile, a Go binary, a whiteout; each component names its layer', async () => {
  const { tar, layerIds } = await dockerSave([
    { entries: [...debian, { name: 'srv/ui/yarn.lock', data: real('yarn/berry-jest-e2e/yarn.lock') }, { name: 'srv/ui/package.json', data: real('yarn/berry-jest-e2e/package.json') }] },
    {
      compress: 'gzip',
      entries: [
        { name: 'srv/ui/.wh.yarn.lock' },
        { name: 'srv/web/package-lock.json', data: readFileSync(join(dashboard, 'package-lock.json')) },
        { name: 'srv/web/package.json', data: readFileSync(join(dashboard, 'package.json')) },
        { name: 'usr/local/bin/kubectl', data: kubectl, mode: 0o755 },
      ],
    },
  ]);
  const file = join(mkdtempSync(join(tmpdir(), 'marque-image-')), 'robot.tar');
  writeFileSync(file, tar);
  const inv = await buildInventory({ target: file });
  const debs = inv.components.filter((c) => c.ecosystem === 'deb');
  assert.equal(debs.length, 827);
  assert.ok(debs.every((c) => c.properties?.['image:layer'] === layerIds[0]));
  assert.ok(!inv.components.some((c) => c.name === 'root-workspace-0b6124'), 'the yarn.lock was deleted by a whiteout in the second layer');
  const express = inv.components.find((c) => c.purl === 'pkg:npm/express@4.18.2')!;
  assert.equal(express.properties?.['image:layer'], layerIds[1]);
  const k8s = inv.components.find((c) => c.name === 'k8s.io/kubernetes')!;
  assert.equal(k8s.properties?.['go:binary'], '/usr/local/bin/kubectl');
  assert.equal(k8s.properties?.['go:version'], 'go1.23.8');
  assert.equal(k8s.hashes, undefined, 'no Go build-ID note in its first 64 KiB: scanned, not hashed (test/artefacts.test.ts has one with the note)');
  assert.ok(inv.components.some((c) => c.purl === 'pkg:golang/stdlib@1.23.8'));
  assert.equal(inv.dependencies.filter((d) => d.from === k8s.purl).length, 83, 'its 82 modules and the standard library');
  assert.ok(inv.components.some((c) => c.purl === 'pkg:golang/github.com/MakeNowJust/heredoc@v1.0.0'));
});

test('an OCI layout folder with a zstd layer: Alpine packages with their release, and an opaque whiteout emptying a folder', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'marque-oci-'));
  const digests = await ociLayout(dir, [
    { compress: 'gzip', entries: [{ name: 'opt/app/Cargo.lock', data: 'version = 3\n[[package]]\nname = "app"\nversion = "0.1.0"\n' }] },
    { compress: 'zstd', entries: [{ name: 'etc/os-release', data: real('apk/etc/os-release') }, { name: 'lib/apk/db/installed', data: real('apk/lib/apk/db/installed') }, { name: 'opt/app/.wh..wh..opq' }] },
  ]);
  const inv = await buildInventory({ target: dir });
  const apk = inv.components.filter((c) => c.purl.startsWith('pkg:apk/'));
  assert.equal(apk.length, 15);
  assert.ok(apk.every((c) => c.purl.includes('distro=alpine-3.18.4') && c.properties?.['image:layer'] === digests[1]));
  assert.ok(!inv.components.some((c) => c.name === 'app'), 'the opaque whiteout hides the lower layer\'s opt/app');
});

test('real docker save tarballs (osv-scalibr): layers read in order; links that point out of the image are never followed', async () => {
  const basic = await readImage(join(FIXTURES, 'image-tars', 'basic.tar'), () => true);
  assert.deepEqual([...basic.files.keys()], ['sample.txt', 'larger-sample.txt']);
  assert.equal(basic.layers.length, 2);
  const attack = await readImage(join(FIXTURES, 'image-tars', 'symlink-attack.tar'), () => true);
  assert.deepEqual([...attack.files.keys()], [], 'symbolic links are not files: nothing is read through them');
  const inv = await buildInventory({ target: join(FIXTURES, 'image-tars', 'basic.tar') });
  assert.deepEqual(inv.components, []);
  assert.ok(inv.notes.some((n) => /no package database, lockfile or Go binary/.test(n)), inv.notes.join('\n'));
});

test('hostile or broken images: entries climbing out, a missing layer, not an image at all', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'marque-image-bad-'));
  const climb = await dockerSave([{ entries: [{ name: '../../etc/cron.d/evil', data: 'x' }, ...debian.slice(0, 2)] }]);
  writeFileSync(join(dir, 'climb.tar'), climb.tar);
  const r = await readImage(join(dir, 'climb.tar'), () => true);
  assert.ok(!r.files.has('etc/cron.d/evil') && ![...r.files.keys()].some((k) => k.includes('..')));
  assert.ok(r.notes.some((n) => /leads out of the image's root; skipped/.test(n)));
  writeFileSync(join(dir, 'missing.tar'), await tarOf([{ name: 'manifest.json', data: '[{"Layers": ["nope/layer.tar"]}]' }]));
  await assert.rejects(readImage(join(dir, 'missing.tar'), () => true), /layer nope\/layer\.tar named by the manifest is not in the image/);
  writeFileSync(join(dir, 'plain.tar'), await tarOf([{ name: 'hello.txt', data: 'hi' }]));
  await assert.rejects(readImage(join(dir, 'plain.tar'), () => true), /not a container image/);
  const cli = spawnSync(process.execPath, [join(ROOT, 'bin/marque.js'), 'inventory', join(dir, 'plain.tar')], { encoding: 'utf8' });
  assert.equal(cli.status, 2);
  assert.match(cli.stderr, /not a container image/);
  assert.doesNotMatch(cli.stderr, /\n\s+at /, 'no stack trace');
});

test('Go build information: parsed from the real bytes; a binary older than Go 1.18 or damaged data gives nothing', () => {
  const info = parseBuildInfo(real('go/kubectl.buildinfo'))!;
  assert.equal(info.goVersion, 'go1.23.8');
  assert.equal(info.path, 'k8s.io/kubernetes/cmd/kubectl-sdk');
  assert.equal(info.deps.length, 82);
  assert.equal(info.settings['GOOS'], 'linux');
  const old = Buffer.from(real('go/kubectl.buildinfo'));
  old[15] = 0;
  assert.equal(parseBuildInfo(old), undefined);
  assert.equal(parseBuildInfo(real('go/kubectl.buildinfo').subarray(0, 40)), undefined);
});

test('a compression bomb ends with a message: the layers may unpack to a bounded size in all', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'marque-image-bomb-'));
  const bomb = await dockerSave([{ compress: 'gzip', entries: [{ name: 'zeros.bin', data: Buffer.alloc(8 << 20) }] }]);
  writeFileSync(join(dir, 'bomb.tar'), bomb.tar);
  assert.ok(bomb.tar.length < 64 * 1024, 'eight MiB of zeros compress to a few KiB');
  await assert.rejects(readImage(join(dir, 'bomb.tar'), () => true, { ...IMAGE_LIMITS, unpacked: 1 << 20 }), /the image's layers unpack past 1048576 bytes \(a compression bomb\?\)/);
});

test('a package database is kept up to the image\'s total cap, not one file\'s: a full RHEL 8 install\'s rpm Packages passes 64 MiB', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'marque-image-bigdb-'));
  const big = Buffer.alloc(3 << 20, 0x41);
  const image = await dockerSave([{ entries: [{ name: 'var/lib/rpm/Packages', data: big }, { name: 'etc/os-release', data: big }] }]);
  writeFileSync(join(dir, 'big.tar'), image.tar);
  const root = await readImage(join(dir, 'big.tar'), () => true, { ...IMAGE_LIMITS, file: 1 << 20, total: 8 << 20 });
  assert.equal(root.files.get('var/lib/rpm/Packages')?.data.length, big.length, 'the package database is read');
  assert.equal(root.files.has('etc/os-release'), false, 'any other file keeps the per-file cap');
  assert.ok(root.notes.some((n) => /etc\/os-release is 3145728 bytes, over the 1048576-byte limit; not read/.test(n)), root.notes.join('\n'));
});
