// RPM's Berkeley DB "Packages" databases (CentOS 7, RHEL/UBI 7 and 8, Amazon Linux 2): real ones
// (osv-scalibr's, go-rpmdb's RHEL 8 libuuid) and ones Berkeley DB 5.3 wrote in both byte orders and
// at 512-byte and 8 KiB pages (test/fixtures/rpm/README.md), read as Debian's rpm lists them with
// its bdb_ro backend, into the same components as the rpmdb.sqlite of the same headers; inside an
// image; and hostile ones (truncated, looping, pointing out of the file) refused with an InputError
// naming the file and the page. SUSE's NDB "Packages.db" (go-rpmdb's SLE 15 BCI database) likewise.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildInventory } from '../src/api/inventory.ts';
import { readBdbHash } from '../src/parsers/bdb-hash.ts';
import { readRpmBdb, readRpmNdb } from '../src/sources/rpm/extractor.ts';
import { InputError } from '../src/util/errors.ts';
import { dockerSave } from './helpers/image.ts';
import { FIXTURES } from './helpers/paths.ts';
import { missingTool } from './helpers/tools.ts';

const RPM = join(FIXTURES, 'rpm');
const DATABASES = ['Packages_epoch', 'Packages_libuuid', 'bdb-made/Packages.be512', 'bdb-made/Packages.le8k'];
const hasBdbRo = spawnSync('rpm', ['--showrc'], { encoding: 'utf8' }).stdout?.includes('bdb_ro') ?? false;

/** A scan root holding `file` as var/lib/rpm/Packages (and rpmdb.sqlite, when given) and an os-release. */
function rootWith(files: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), 'marque-rpm-bdb-'));
  mkdirSync(join(root, 'var', 'lib', 'rpm'), { recursive: true });
  mkdirSync(join(root, 'etc'));
  writeFileSync(join(root, 'etc', 'os-release'), 'ID="centos"\nVERSION_ID="7"\n');
  for (const [name, from] of Object.entries(files)) copyFileSync(from, join(root, 'var', 'lib', 'rpm', name));
  return root;
}

test('each Berkeley DB database: the packages Debian\'s rpm lists with its bdb_ro backend, in its order, at its epoch, version, release and arch', (t) => {
  if (!hasBdbRo) return missingTool(t, 'rpm with the bdb_ro backend', 'apt-get install rpm; .ci/run installs it');
  for (const db of DATABASES) {
    const dbpath = join(rootWith({ Packages: join(RPM, db) }), 'var', 'lib', 'rpm');
    const r = spawnSync('rpm', ['-qa', '--dbpath', dbpath, '--define', '_db_backend bdb_ro', '--qf', '%{NAME} %{EPOCH} %{VERSION}-%{RELEASE} %{ARCH}\\n'], { encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    const oracle = r.stdout.trim().split('\n').map((l) => l.replace(' (none) ', ' ').replace(/ (\d+) /, ' $1:'));
    const ours = readRpmBdb(readFileSync(join(RPM, db)), db).components.map((c) => `${c.name} ${c.version} ${c.purl.match(/arch=([^&]+)/)?.[1]}`);
    assert.deepEqual(ours, oracle, db);
    assert.ok(oracle.length >= 1);
  }
});

test('the fixtures cover both byte orders, three page sizes, values on their bucket page and on overflow chains, chained bucket pages and many buckets', () => {
  const seen = DATABASES.map((db) => { const h = readBdbHash(readFileSync(join(RPM, db)), db); return `${h.littleEndian ? 'le' : 'be'}${h.pageSize}`; });
  assert.deepEqual(seen, ['le4096', 'le4096', 'be512', 'le8192']);
  const le8k = readFileSync(join(RPM, 'bdb-made/Packages.le8k'));
  const pages = (b: Buffer, size: number, be: boolean) => Array.from({ length: b.length / size }, (_, i) => b.subarray(i * size, (i + 1) * size)).map((p) => ({ type: p[25], next: be ? p.readUInt32BE(16) : p.readUInt32LE(16), p }));
  // On a bucket page (type 13): an item of type 1 is a value kept on the page.
  const onPage = pages(le8k, 8192, false).filter((x) => x.type === 13).some(({ p }) => { const n = p.readUInt16LE(20); return Array.from({ length: n }, (_, i) => p[p.readUInt16LE(26 + 2 * i)]).filter((k) => k === 1).length > n / 2; });
  assert.ok(onPage, 'le8k keeps values on its bucket pages');
  assert.ok(pages(le8k, 8192, false).some((x) => x.type === 13 && x.next !== 0), 'le8k chains a bucket\'s pages');
  const be = readFileSync(join(RPM, 'bdb-made/Packages.be512'));
  assert.ok(be.readUInt32BE(72) >= 16, 'be512 has a bucket per package: its buckets span five doublings');
});

test('a Berkeley DB database gives exactly the components, requirements and unresolved names the rpmdb.sqlite of the same headers gives', async () => {
  const sqlite = await buildInventory({ target: rootWith({ 'rpmdb.sqlite': join(RPM, 'bdb-made', 'rpmdb.sqlite') }) });
  assert.equal(sqlite.components.length, 16);
  const norm = (inv: typeof sqlite) => ({
    components: inv.components.map((c) => ({ ...c, sourceFile: '' })).sort((a, b) => a.purl.localeCompare(b.purl)),
    dependencies: inv.dependencies.map((d) => `${d.from} → ${d.to} ${d.kind}`).sort(),
    unresolved: (inv.unresolved ?? []).map((u) => `${u.from} ${u.key}`).sort(),
  });
  for (const db of ['Packages.be512', 'Packages.le8k']) {
    const bdb = await buildInventory({ target: rootWith({ Packages: join(RPM, 'bdb-made', db) }) });
    assert.deepEqual(bdb.problems, [], db);
    assert.deepEqual(norm(bdb), norm(sqlite), db);
    assert.ok(bdb.components.every((c) => c.sourceFile === 'var/lib/rpm/Packages'));
  }
  const plc = sqlite.components.find((c) => c.name === 'cell-plc')!;
  assert.equal(plc.purl, 'pkg:rpm/centos/cell-plc@2.0.1-1.el7?arch=noarch&distro=centos-7');
  assert.deepEqual(sqlite.dependencies.filter((d) => d.from === plc.purl).map((d) => d.to.replace(/\?.*/, '')), ['pkg:rpm/centos/cell-base@7.4-3.el7'], 'by name, by libcell.so.7 and by /usr/bin/cell-sh: one package');
  assert.deepEqual((sqlite.unresolved ?? []).map((u) => u.key), ['libabsent.so.1']);
});

test('an image whose rpm database is Berkeley DB: its packages, with the image\'s distribution', async () => {
  const image = await dockerSave([{ entries: [
    { name: 'etc/os-release', data: 'ID="rhel"\nVERSION_ID="8.8"\n' },
    { name: 'var/lib/rpm/Packages', data: readFileSync(join(RPM, 'bdb-made', 'Packages.be512')) },
  ] }, { entries: [{ name: 'opt/app/README', data: 'x' }] }]);
  const file = join(mkdtempSync(join(tmpdir(), 'marque-rpm-bdb-image-')), 'rhel8.tar');
  writeFileSync(file, image.tar);
  const inv = await buildInventory({ target: file });
  assert.equal(inv.components.filter((c) => c.purl.startsWith('pkg:rpm/rhel/') && c.purl.includes('distro=rhel-8.8')).length, 16);
  assert.deepEqual(inv.problems.filter((p) => p.file?.includes('rpm')), []);
});

test('a Berkeley DB or NDB database left beside rpmdb.sqlite is not read a second time, with a warning', async () => {
  const inv = await buildInventory({ target: rootWith({ 'rpmdb.sqlite': join(RPM, 'bdb-made', 'rpmdb.sqlite'), Packages: join(RPM, 'Packages_libuuid') }) });
  assert.equal(inv.components.length, 16, 'the sqlite database\'s packages only (libuuid is in the Berkeley DB one)');
  assert.deepEqual(inv.problems.map((p) => [p.file, p.severity, p.message]), [['var/lib/rpm/Packages', 'warning', 'a Berkeley DB rpm database beside rpmdb.sqlite, which rpm reads instead: not read']]);
  const both = rootWith({ 'rpmdb.sqlite': join(RPM, 'bdb-made', 'rpmdb.sqlite') });
  writeFileSync(join(both, 'var', 'lib', 'rpm', 'Packages.db'), SLE15);
  assert.deepEqual((await buildInventory({ target: both })).problems.map((p) => p.message), ['an NDB rpm database beside rpmdb.sqlite, which rpm reads instead: not read']);
});

// ---- NDB (SUSE) ------------------------------------------------------------------------------

const SLE15 = gunzipSync(readFileSync(join(RPM, 'Packages_sle15.db.gz')));
/** What `rpm -qa` printed in registry.suse.com/bci/bci-minimal:15.3, in its order (go-rpmdb's SLE15WithNDB: name, version, release, arch). */
const SLE15_RPM_QA = `system-user-root 20190513 3.3.1 noarch|filesystem 15.0 11.3.2 x86_64|glibc 2.31 9.3.2 x86_64|libpcre1 8.45 20.10.1 x86_64|libgmp10 6.1.2 4.6.1 x86_64|libgcc_s1 11.2.1+git610 1.3.9 x86_64|libcap2 2.26 4.6.1 x86_64|libstdc++6 11.2.1+git610 1.3.9 x86_64|libncurses6 6.1 5.9.1 x86_64|terminfo-base 6.1 5.9.1 x86_64|libattr1 2.4.47 2.19 x86_64|libselinux1 3.0 1.31 x86_64|libreadline7 7.0 19.6.1 x86_64|bash 4.4 19.6.1 x86_64|libacl1 2.2.52 4.3.1 x86_64|coreutils 8.32 3.2.1 x86_64|sles-release 15.3 55.4.1 x86_64|ca-certificates-mozilla-prebuilt 2.44 21.1 noarch|libgpg-error0 1.29 1.8 x86_64|libpopt0 1.16 3.22 x86_64|file-magic 5.32 7.14.1 noarch|libbz2-1 1.0.6 5.11.1 x86_64|liblua5_3-5 5.3.6 3.6.1 x86_64|liblzma5 5.2.3 4.3.1 x86_64|libz1 1.2.11 3.21.1 x86_64|libzstd1 1.4.4 1.6.1 x86_64|libmagic1 5.32 7.14.1 x86_64|libdw1 0.168 4.5.3 x86_64|libebl-plugins 0.168 4.5.3 x86_64|libelf1 0.168 4.5.3 x86_64|libcrypt1 4.4.15 2.51 x86_64|perl-base 5.26.1 15.87 x86_64|libgcrypt20 1.8.2 8.39.1 x86_64|rpm-config-SUSE 1 5.6.1 noarch|rpm-ndb 4.14.3 40.1 x86_64`.split('|');

test('an NDB database (SUSE\'s Packages.db): the packages rpm -qa listed in that image, in its order; in a scan, with the distribution', async () => {
  const ours = readRpmNdb(SLE15, 'Packages.db').components.map((c) => `${c.name} ${c.version.replace(/-([^-]+)$/, ' $1')} ${c.purl.match(/arch=([^&]+)/)?.[1]}`);
  assert.deepEqual(ours, SLE15_RPM_QA);
  const root = rootWith({});
  writeFileSync(join(root, 'etc', 'os-release'), 'ID="sles"\nVERSION_ID="15.3"\n');
  mkdirSync(join(root, 'usr', 'lib', 'sysimage', 'rpm'), { recursive: true });
  writeFileSync(join(root, 'usr', 'lib', 'sysimage', 'rpm', 'Packages.db'), SLE15);
  const inv = await buildInventory({ target: root });
  assert.deepEqual(inv.problems, []);
  assert.equal(inv.components.length, 35);
  assert.ok(inv.components.some((c) => c.purl === 'pkg:rpm/sles/bash@4.4-19.6.1?arch=x86_64&distro=sles-15.3'));
  assert.ok(inv.dependencies.length > 50, 'requirements resolved among the 35');
});

const readBadNdb = (b: Buffer, re: RegExp) => assert.throws(() => readRpmNdb(b, 'usr/lib/sysimage/rpm/Packages.db'), (e: unknown) => e instanceof InputError && e.file === 'usr/lib/sysimage/rpm/Packages.db' && re.test(e.message) ? true : assert.fail(`${(e as Error).message} does not match ${re}`));

test('hostile NDB databases: an InputError naming the file and the slot or blob, never another error', () => {
  const ndb = (f: (b: Buffer) => void) => { const b = Buffer.from(SLE15); f(b); return b; };
  const slot = 32; // the first slot: package 1
  const blob = SLE15.readUInt32LE(slot + 8) * 16;
  readBadNdb(SLE15.subarray(0, 3000), /3000 bytes, shorter than the 4096-byte first slot page/);
  readBadNdb(SLE15.subarray(0, SLE15.length - 4096), /slot at byte \d+ \(package \d+\): blocks \d+ to \d+ are not between the slot pages' end \(256\) and the file's \(\d+\)/);
  readBadNdb(SLE15.subarray(0, SLE15.length - 8), /\d+ bytes, not whole 16-byte blocks: truncated\?/);
  readBadNdb(ndb((b) => b.writeUInt32LE(0x7fffffff, 12)), /the header names 2147483647 slot pages, not within the file's \d+ bytes/);
  readBadNdb(ndb((b) => b.write('Slob', slot + 16)), /slot at byte 48: no "Slot" magic/);
  readBadNdb(ndb((b) => b.writeUInt32LE(SLE15.readUInt32LE(slot + 8), slot + 16 + 8)), /overlaps the blob before it/);
  readBadNdb(ndb((b) => b.writeUInt32LE(3, slot + 8)), /blocks 3 to \d+ are not between the slot pages' end/);
  readBadNdb(ndb((b) => b.writeUInt32LE(99, blob + 4)), /package 1 \(slot at byte 32, blob at byte \d+\): the blob says it is package 99/);
  readBadNdb(ndb((b) => b.writeUInt32LE(0xfffffff0, blob + 12)), /a blob of 4294967280 bytes does not fill its \d+ blocks/);
  readBadNdb(ndb((b) => b.write('XXXX', blob)), /no blob head \("BlbS"\) there/);
  readBadNdb(ndb((b) => b.write('RpmX', 0)), /not an rpm NDB database/);
  readBadNdb(Buffer.from(readFileSync(join(RPM, 'Packages_libuuid'))), /not an rpm NDB database/);
  let seed = 7;
  const rand = (n: number) => { seed = (seed + 0x6d2b79f5) | 0; let x = Math.imul(seed ^ (seed >>> 15), 1 | seed); x = (x + Math.imul(x ^ (x >>> 7), 61 | x)) ^ x; return ((x ^ (x >>> 14)) >>> 0) % n; };
  let refused = 0;
  for (let k = 0; k < 200; k++) {
    // Bytes of the slot page and of blob heads and tails, where the structure is.
    const b = ndb((x) => { for (let j = 0; j < 3; j++) x[rand(2) ? rand(1000) : blob + rand(32)] = rand(256); });
    try { readRpmNdb(b, 'P'); } catch (e) { assert.ok(e instanceof InputError, `mutation ${k}: ${(e as Error).stack}`); refused++; }
  }
  assert.ok(refused > 20, `${refused} of 200 refused`);
});

// ---- hostile databases ------------------------------------------------------------------------

const BE = readFileSync(join(RPM, 'bdb-made', 'Packages.be512'));
const PS = 512;
/** The pages of the big-endian fixture: number, type, next page. */
const pagesOf = (b: Buffer) => Array.from({ length: b.length / PS }, (_, n) => ({ n, type: b[n * PS + 25]!, next: b.readUInt32BE(n * PS + 16), count: b.readUInt16BE(n * PS + 20) }));
/** Offset in the file of the first overflow reference (H_OFFPAGE) on a bucket page holding a header. */
function firstOffpage(b: Buffer): number {
  for (const p of pagesOf(b).filter((x) => x.type === 13)) {
    for (let i = 1; i < p.count; i += 2) { const off = p.n * PS + b.readUInt16BE(p.n * PS + 26 + 2 * i); if (b[off] === 3) return off; }
  }
  throw new Error('no overflow reference');
}
const patched = (f: (b: Buffer) => void) => { const b = Buffer.from(BE); f(b); return b; };
const readBad = (b: Buffer, re: RegExp) => assert.throws(() => readRpmBdb(b, 'var/lib/rpm/Packages'), (e: unknown) => e instanceof InputError && e.file === 'var/lib/rpm/Packages' && re.test(e.message) ? true : assert.fail(`${(e as Error).message} does not match ${re}`));

test('hostile Berkeley DB databases: an InputError naming the file and the page, never another error, a loop or a huge allocation', () => {
  const overflow = pagesOf(BE).find((p) => p.type === 7 && p.next !== 0)!;
  const bucket = pagesOf(BE).find((p) => p.type === 13)!;
  readBad(BE.subarray(0, BE.length / 2), /page \d+ lies past the end of the file \(\d+ bytes, \d+ pages of 512\): truncated/);
  readBad(BE.subarray(0, 300), /300 bytes, shorter than the 512-byte metadata page/);
  readBad(patched((b) => b.writeUInt32BE(overflow.n, overflow.n * PS + 16)), new RegExp(`page ${overflow.n} is reached a second time \\(a chain that loops`));
  readBad(patched((b) => b.writeUInt32BE(bucket.n, bucket.n * PS + 16)), new RegExp(`bucket \\d+: page ${bucket.n} is reached a second time`));
  readBad(patched((b) => b.writeUInt32BE(5_000_000, firstOffpage(b) + 4)), /overflow chain from page 5000000\): page 5000000 is outside the database \(pages 1 to \d+\)/);
  readBad(patched((b) => b.writeUInt32BE(0xffffffff, firstOffpage(b) + 8)), /keys and values add up to more than \d+ bytes/);
  readBad(patched((b) => b.writeUInt32BE(0, overflow.n * PS + 16)), /the overflow chain ends after \d+ of its \d+ bytes/);
  readBad(patched((b) => b.writeUInt32BE(7, overflow.n * PS + 8)), new RegExp(`page ${overflow.n} says it is page 7`));
  readBad(patched((b) => b.writeUInt16BE(9000, overflow.n * PS + 22)), new RegExp(`overflow page ${overflow.n} holds 9000 bytes, not within its page`));
  readBad(patched((b) => b.writeUInt16BE(600, bucket.n * PS + 26)), new RegExp(`page ${bucket.n} item 0: offsets 600 and \\d+ are out of order`));
  readBad(patched((b) => b.writeUInt16BE(4000, bucket.n * PS + 20)), new RegExp(`page ${bucket.n}: 4000 items, not key and value pairs within the page`));
  readBad(patched((b) => { b[bucket.n * PS + 25] = 7; }), new RegExp(`page ${bucket.n} is of type 7, not a hash page`));
  readBad(patched((b) => { b[firstOffpage(b)] = 4; }), /duplicate values \(item type 4\), which an rpm database never holds/);
  readBad(patched((b) => b.writeUInt32BE(0x7fffffff, 72)), /names 2147483648 buckets, more than the file's 214 pages/);
  readBad(patched((b) => b.writeUInt32BE(1000, 20)), /page size 1000 is not a power of two/);
  readBad(patched((b) => b.writeUInt32BE(7, 16)), /hash version 7/);
  readBad(patched((b) => { b[24] = 1; }), /the database is encrypted/);
  readBad(patched((b) => { b[26] = 1; }), /the pages carry checksums/);
  readBad(patched((b) => b.writeUInt32BE(0x053162, 12)), /a B-tree database, not a hash database/);
  readBad(patched((b) => b.writeUInt32BE(0x12345678, 12)), /not a Berkeley DB hash database \(magic 0x78563412 at byte 12\)/);
  readBad(Buffer.from(readFileSync(join(RPM, 'bdb-made', 'rpmdb.sqlite'))), /not a Berkeley DB hash database/);
  // A header whose own index lies: the header parser's error, with the header's number.
  readBad(patched((b) => { const first = b.readUInt32BE(firstOffpage(b) + 4); b.writeUInt32BE(0x00ffffff, first * PS + 26); }), /package header \d+: header claims 16777215 entries/);
  // The caps: pages visited and bytes gathered.
  assert.throws(() => readBdbHash(BE, 'P', { pages: 10 }), /more than 10 pages visited; not read further/);
  assert.throws(() => readBdbHash(BE, 'P', { bytes: 1000 }), /more than 1000 bytes; not read further/);
});

test('a Berkeley DB database with random bytes changed: read, or refused with an InputError, quickly', () => {
  let seed = 42;
  // mulberry32: a seeded generator, so a failure is repeatable.
  const rand = (n: number) => { seed = (seed + 0x6d2b79f5) | 0; let x = Math.imul(seed ^ (seed >>> 15), 1 | seed); x = (x + Math.imul(x ^ (x >>> 7), 61 | x)) ^ x; return ((x ^ (x >>> 14)) >>> 0) % n; };
  const le8k = readFileSync(join(RPM, 'bdb-made', 'Packages.le8k'));
  const t = performance.now();
  let refused = 0;
  for (let k = 0; k < 400; k++) {
    const b = Buffer.from(k % 2 ? BE : le8k);
    // Changes among the page headers and item indexes, where a wrong byte matters most.
    const size = k % 2 ? PS : 8192;
    for (let j = 0; j < 1 + rand(4); j++) { const page = rand(b.length / size); b[page * size + (rand(3) ? rand(64) : rand(size))] = rand(256); }
    try { readRpmBdb(b, 'P'); } catch (e) { assert.ok(e instanceof InputError, `mutation ${k}: ${(e as Error).stack}`); refused++; }
  }
  assert.ok(refused > 50, `${refused} of 400 refused`);
  assert.ok(performance.now() - t < 20_000);
});
