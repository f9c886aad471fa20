// OS packages through apt's own indexes: the candidate version, the source package and the
// Depends closure, checked against apt-get itself on Debian 12's real indexes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { createRequire } from 'node:module';
import { completeOsPackages, parseRelations, satisfies } from '../src/catalogs/apt-closure.ts';
import { openCatalogs } from '../src/catalogs/open.ts';
import { readCatalogText, xzUnpackedSize } from '../src/catalogs/read.ts';
import { platformOfListFile } from '../src/catalogs/apt-index.ts';
import type { Component } from '../src/model/inventory.ts';
import { FIXTURES, ROOT } from './helpers/paths.ts';
import { missingTool } from './helpers/tools.ts';

const require = createRequire(import.meta.url);
const PACKAGES = join(FIXTURES, 'apt', 'Packages');
const BOOKWORM = { os: 'debian', codename: 'bookworm' };
const LISTS = '/var/lib/apt/lists';
const SYSTEM_LISTS = ['deb.debian.org_debian_dists_bookworm_main_binary-amd64_Packages', 'deb.debian.org_debian_dists_bookworm-updates_main_binary-amd64_Packages', 'deb.debian.org_debian-security_dists_bookworm-security_main_binary-amd64_Packages']
  .map((f) => ['', '.lz4', '.xz', '.gz'].map((ext) => join(LISTS, f + ext)).find(existsSync)).filter((f): f is string => !!f);

function marque(args: string[], env: Record<string, string> = {}) {
  const r = spawnSync(process.execPath, [join(ROOT, 'bin/marque.js'), ...args], { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024, env: { ...process.env, ...env } });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

function unversioned(names: string[]): Component[] {
  return names.map((name) => ({ purl: `pkg:deb/debian/${name}?distro=debian-12`, name, version: '', ecosystem: 'deb', licenses: [] }));
}

test('relations: alternatives, versions, architecture qualifiers and restrictions', () => {
  assert.deepEqual(parseRelations('libc6 (>= 2.34), python3:any (>= 3.9~), foo [amd64] | bar <!nocheck>, baz (<< 2)'), [
    [{ name: 'libc6', op: '>=', version: '2.34' }],
    [{ name: 'python3', op: '>=', version: '3.9~' }],
    [{ name: 'foo' }, { name: 'bar' }],
    [{ name: 'baz', op: '<<', version: '2' }],
  ]);
  assert.ok(satisfies('1:1.24.2-1', { name: 'x', op: '>=', version: '1:1.22.0' }));
  assert.ok(!satisfies('2.0', { name: 'x', op: '<<', version: '2' }));
  assert.ok(satisfies('3.0~rc1', { name: 'x', op: '<', version: '3.0' }), '"<" is the deprecated "<="');
});

test('the platform of an apt list file comes from its name', () => {
  assert.deepEqual(platformOfListFile('deb.debian.org_debian-security_dists_bookworm-security_main_binary-amd64_Packages.lz4'), BOOKWORM);
  assert.deepEqual(platformOfListFile('archive.ubuntu.com_ubuntu_dists_noble-updates_main_binary-amd64_Packages'), { os: 'ubuntu', codename: 'noble' });
  assert.equal(platformOfListFile('Packages'), undefined);
});

test('candidate, source package and closure from a real Debian 12 index', async () => {
  const set = await openCatalogs({ rosdistro: 'jazzy', platform: BOOKWORM, aptIndexes: [PACKAGES] });
  const r = completeOsPackages({ components: unversioned(['libssl-dev', 'python3-numpy']), dependencies: [] }, set.apt, BOOKWORM);
  const byName = new Map(r.components.map((c) => [c.name, c]));
  // Two versions of libssl3 are in the index (bookworm and bookworm-security): apt takes the higher.
  const versions = readFileSync(PACKAGES, 'utf8').split('\n\n').filter((p) => /^Package: libssl3$/m.test(p)).map((p) => /^Version: (\S+)$/m.exec(p)![1]);
  assert.ok(versions.length >= 2, 'the fixture keeps several versions');
  const ssl = byName.get('libssl3')!;
  assert.equal(ssl.properties!['deb:source'], 'openssl');
  assert.match(ssl.purl, /^pkg:deb\/debian\/libssl3@3\.0\.\d+-1~deb12u\d+\?arch=amd64&distro=debian-12$/);
  assert.ok(versions.every((v) => v === ssl.version || v! < ssl.version));
  assert.match(byName.get('python3-numpy')!.version, /^1:1\.24/);
  assert.ok(r.dependencies.some((d) => d.from === byName.get('libssl-dev')!.purl && d.to === ssl.purl && d.kind === 'runtime'));
  assert.equal(r.unresolved.length, 0);
  assert.ok(r.components.every((c) => c.dependenciesComplete));
});

test('compressed indexes as apt stores them (.gz, .xz, .lz4) read the same', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'marque-apt-'));
  const plain = readFileSync(PACKAGES);
  writeFileSync(join(dir, 'Packages.gz'), gzipSync(plain));
  writeFileSync(join(dir, 'Packages.lz4'), Buffer.from((require('lz4js') as { compress(b: Uint8Array): Uint8Array }).compress(plain)));
  writeFileSync(join(dir, 'Packages.xz'), (require('@napi-rs/lzma') as { xz: { compressSync(b: Uint8Array): Buffer } }).xz.compressSync(plain));
  for (const f of ['Packages.gz', 'Packages.lz4', 'Packages.xz']) assert.equal(await readCatalogText(join(dir, f)), plain.toString('utf8'), f);
  assert.equal(xzUnpackedSize(readFileSync(join(dir, 'Packages.xz'))), plain.length);
});

test('an index that unpacks past the cap is refused before unpacking', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'marque-apt-'));
  writeFileSync(join(dir, 'Packages.gz'), gzipSync(Buffer.alloc(8 * 1024 * 1024, 0x41)));
  await assert.rejects(readCatalogText(join(dir, 'Packages.gz'), 1024 * 1024), /limit/);
  const xz = (require('@napi-rs/lzma') as { xz: { compressSync(b: Uint8Array): Buffer } }).xz.compressSync(Buffer.alloc(8 * 1024 * 1024));
  writeFileSync(join(dir, 'Packages.xz'), xz);
  await assert.rejects(readCatalogText(join(dir, 'Packages.xz'), 1024 * 1024), /limit/);
});

test('the apt closure equals apt-get on Debian 12 indexes for a fresh install without recommends', { timeout: 120_000 }, async (t) => {
  if (SYSTEM_LISTS.length < 3 || spawnSync('apt-get', ['--version']).status !== 0) {
    missingTool(t, "apt's Debian 12 lists (the apt oracle)", 'apt-get update fills /var/lib/apt/lists; .ci/run does');
    return;
  }
  const set = await openCatalogs({ rosdistro: 'jazzy', platform: BOOKWORM, aptIndexes: SYSTEM_LISTS });
  const empty = join(mkdtempSync(join(tmpdir(), 'marque-apt-')), 'status');
  writeFileSync(empty, '');
  for (const roots of [
    ['python3-numpy', 'libssl-dev', 'curl', 'python3-yaml', 'git', 'openssh-client'],
    ['libboost-all-dev', 'libeigen3-dev', 'libyaml-cpp-dev', 'libtinyxml2-dev', 'libspdlog-dev', 'python3-lark'],
    ['libpcl-dev', 'python3-opencv', 'qtbase5-dev', 'default-jre-headless', 'build-essential'],
  ]) {
    const apt = spawnSync('apt-get', ['-s', '-o', `Dir::State::status=${empty}`, '-o', 'Debug::NoLocking=1', 'install', '--no-install-recommends', ...roots], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
    assert.equal(apt.status, 0, apt.stderr);
    const theirs = new Map<string, string>();
    for (const m of apt.stdout.matchAll(/^Inst (\S+) \((\S+) /gm)) theirs.set(m[1]!.replace(/:amd64$/, ''), m[2]!);
    const r = completeOsPackages({ components: unversioned(roots), dependencies: [] }, set.apt, BOOKWORM);
    const ours = new Map(r.components.map((c) => [c.name, c.version]));
    assert.ok(theirs.size > 50);
    assert.deepEqual(Object.fromEntries([...ours].sort()), Object.fromEntries([...theirs].sort()), roots.join(' '));
  }
});

test('inventory: --apt-index versions the rosdep-named OS packages; db import stores an index for later runs', () => {
  const ws = mkdtempSync(join(tmpdir(), 'marque-ws-'));
  mkdirSync(join(ws, 'src/r'), { recursive: true });
  writeFileSync(join(ws, 'src/r/package.xml'), '<?xml version="1.0"?>\n<package format="3"><name>r</name><version>1.0.0</version><description>d</description><maintainer email="m@example.com">M</maintainer><license>MIT</license><exec_depend>python3-numpy</exec_depend><exec_depend>libssl-dev</exec_depend></package>\n');
  const before = JSON.parse(marque(['inventory', ws, '--platform', 'debian:bookworm', '--json']).out);
  assert.ok(before.notes.some((n: string) => /have no version and no dependencies of their own/.test(n)));
  const r = marque(['inventory', ws, '--platform', 'debian:bookworm', '--apt-index', PACKAGES, '--json']);
  assert.equal(r.code, 0, r.err + r.out.slice(0, 2000));
  const j = JSON.parse(r.out);
  const numpy = j.components.find((c: { name: string }) => c.name === 'python3-numpy');
  assert.equal(numpy.depth, 1);
  assert.ok(numpy.version);
  const libc = j.components.find((c: { name: string }) => c.name === 'libc6');
  assert.equal(libc.kind, 'runtime');
  assert.ok(libc.depth >= 2);
  // The same index imported into the database is used without a flag.
  const cache = mkdtempSync(join(tmpdir(), 'marque-db-'));
  const imp = marque(['db', 'import', PACKAGES, '--platform', 'debian:bookworm', '--json'], { MARQUE_CACHE_DIR: cache });
  assert.equal(imp.code, 0, imp.err);
  assert.match(imp.out, /apt-index/);
  const again = JSON.parse(marque(['inventory', ws, '--platform', 'debian:bookworm', '--json'], { MARQUE_CACHE_DIR: cache }).out);
  assert.equal(again.components.length, j.components.length);
  // An index for another platform is not silently used.
  const other = marque(['inventory', ws, '--platform', 'ubuntu:noble', '--apt-index', join(LISTS, 'nothing-here'), '--json']);
  assert.equal(other.code, 2);
  const noPlatform = marque(['db', 'import', PACKAGES, '--json'], { MARQUE_CACHE_DIR: mkdtempSync(join(tmpdir(), 'marque-db-')) });
  assert.equal(noPlatform.code, 2);
  assert.match(noPlatform.out + noPlatform.err, /--platform/);
});

test('the image dpkg status wins over the apt candidate', () => {
  const inv = {
    components: [
      ...unversioned(['libssl3']),
      { purl: 'pkg:deb/debian/libssl3@3.0.11-1~deb12u2?arch=amd64&distro=debian-12', name: 'libssl3', version: '3.0.11-1~deb12u2', ecosystem: 'deb' as const, licenses: [], sourceFile: 'var/lib/dpkg/status' },
    ],
    dependencies: [{ from: 'pkg:ros/r@1?distro=jazzy', to: 'pkg:deb/debian/libssl3?distro=debian-12', kind: 'exec' as const }],
  };
  const r = completeOsPackages(inv, undefined, BOOKWORM);
  assert.equal(r.components.length, 1);
  assert.equal(r.dependencies[0]!.to, 'pkg:deb/debian/libssl3@3.0.11-1~deb12u2?arch=amd64&distro=debian-12');
});
