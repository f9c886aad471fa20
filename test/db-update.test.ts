// `marque db update` over HTTP against a local server serving fixture archives; never the network.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { readdirSync, readFileSync, mkdtempSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { advisoryStatus, updateAdvisories } from '../src/api/advisories.ts';
import { checkUrl, DEFAULT_SOURCES, DOWNLOADED_OSV_ECOSYSTEMS } from '../src/advisories/download.ts';
import { osvPackagesOf } from '../src/advisories/match.ts';
import { FIXTURES } from './helpers/paths.ts';
import { pypiExport } from './helpers/osv-export.ts';
import { exportSize } from '../src/advisories/sources.ts';
import { rosdistroCacheUrl } from '../src/catalogs/locations.ts';
import { AdvisoryDb } from '../src/advisories/store.ts';

const files: Record<string, Buffer> = {
  '/npm/all.zip': readFileSync(join(FIXTURES, 'osv/zip/all.zip')),
  // The size of OSV's PyPI export (its floor in data/osv-exports.json), and a 39-record archive served under the same name.
  '/PyPI/all.zip': readFileSync(await pypiExport()),
  '/small/PyPI/all.zip': readFileSync(join(FIXTURES, 'osv-archives/PyPI/all.zip')),
  '/feeds/known_exploited_vulnerabilities.json': readFileSync(join(FIXTURES, 'kev/known_exploited_vulnerabilities.json')),
  '/rosdistro_cache/jazzy-cache.yaml.gz': readFileSync(join(FIXTURES, 'rosdistro-cache/jazzy-cache.yaml.gz')),
  '/debian/dists/bookworm/main/binary-amd64/Packages.gz': gzipSync(readFileSync(join(FIXTURES, 'apt/Packages'))),
  '/epss_scores-current.csv.gz': gzipSync('#model_version:v2025.03.14,score_date:2026-11-23T12:55:00Z\ncve,epss,percentile\nCVE-2021-21315,0.97,0.999\nCVE-2022-33891,0.95,0.998\n'),
};
const server = createServer((req, res) => {
  const body = files[req.url ?? ''];
  const kev = files['/feeds/known_exploited_vulnerabilities.json']!;
  // An https-only rule must hold on every hop: this redirect leaves loopback for plain HTTP elsewhere.
  if (req.url === '/redirect-out') { res.writeHead(302, { location: 'http://advisories.example/kev.json' }); res.end(); return; }
  if (req.url === '/redirect-in') { res.writeHead(301, { location: '/feeds/known_exploited_vulnerabilities.json' }); res.end(); return; }
  if (req.url === '/gzip-kev.json') { const z = gzipSync(kev); res.writeHead(200, { 'content-encoding': 'gzip', 'content-length': String(z.length) }); res.end(z); return; }
  if (req.url === '/stall.json') return; // never answers
  if (req.url === '/truncated.zip') {
    res.writeHead(200, { 'content-length': '100000' });
    res.write(Buffer.alloc(1000));
    setTimeout(() => res.destroy(), 20);
    return;
  }
  if (!body) { res.writeHead(404); res.end('not found'); return; }
  res.writeHead(200, { 'content-length': String(body.length) });
  res.end(body);
});
await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
after(() => server.close());

const GOOD = [`${base}/npm/all.zip`, `${base}/feeds/known_exploited_vulnerabilities.json`, `${base}/epss_scores-current.csv.gz`];

test('update downloads OSV, KEV and EPSS and imports them atomically, named by origin', async () => {
  const path = join(mkdtempSync(join(tmpdir(), 'marque-upd-')), 'a.sqlite');
  const reports = await updateAdvisories(path, GOOD);
  assert.deepEqual(reports.map((r) => [r.source, r.records]), [['osv:npm', 5], ['kev', 1404], ['epss', 2]]);
  const st = advisoryStatus(path);
  assert.deepEqual([st.counts!.advisories, st.counts!.kev, st.counts!.epss], [5, 1404, 2]);
  assert.equal(st.sources.find((s) => s.name === 'epss')!.dataDate, '2026-11-23T12:55:00Z');
  assert.equal(st.sources.find((s) => s.name === 'osv:npm')!.origin, `${base}/npm/all.zip`);
  // That archive mixes npm and Maven records: not OSV's npm export, so partial, whatever its URL says.
  const npm = st.sources.find((s) => s.name === 'osv:npm')!;
  assert.deepEqual([npm.complete, npm.how], [[], `db update ${base}/npm/all.zip`]);
  assert.match(npm.basis!, /named after npm, but 4 of its 5 records do not name it/);
});

test('a downloaded per-ecosystem archive whose every record names its ecosystem is a complete source', async () => {
  const path = join(mkdtempSync(join(tmpdir(), 'marque-upd-')), 'a.sqlite');
  await updateAdvisories(path, [`${base}/PyPI/all.zip`]);
  const pypi = advisoryStatus(path).sources.find((s) => s.name === 'osv:PyPI')!;
  assert.deepEqual([pypi.complete, pypi.how, pypi.basis], [['PyPI'], `db update ${base}/PyPI/all.zip`, `OSV's PyPI archive: all ${exportSize('PyPI').floor} records name PyPI`]);
});

test('a download from OSV\'s own URL is held to the same floor: an archive too small to be the export (cut, served wrong) is partial', async () => {
  const path = join(mkdtempSync(join(tmpdir(), 'marque-upd-')), 'a.sqlite');
  await updateAdvisories(path, [`${base}/small/PyPI/all.zip`]);
  const pypi = advisoryStatus(path).sources.find((s) => s.name === 'osv:PyPI')!;
  assert.deepEqual(pypi.complete, []);
  assert.equal(pypi.basis, 'named as OSV\'s PyPI export, but too small to be it: holds 39 records; OSV\'s PyPI export held at least 2,661 on 2024-10-10, and Marque requires at least 2,000; if this really is a full mirror, save it and vouch with "marque db import --complete PyPI FILE"');
});

test('a failed or cut download replaces nothing', async () => {
  const path = join(mkdtempSync(join(tmpdir(), 'marque-upd-')), 'a.sqlite');
  await updateAdvisories(path, GOOD);
  const before = advisoryStatus(path).counts;
  await assert.rejects(updateAdvisories(path, [`${base}/feeds/known_exploited_vulnerabilities.json`, `${base}/missing.zip`]), /HTTP 404/);
  await assert.rejects(updateAdvisories(path, [`${base}/truncated.zip`]));
  assert.deepEqual(advisoryStatus(path).counts, before);
});

test('plain HTTP is refused except on loopback', () => {
  assert.throws(() => checkUrl('http://osv-vulnerabilities.storage.googleapis.com/npm/all.zip'), /HTTPS only/);
  assert.throws(() => checkUrl('ftp://127.0.0.1/x'), /HTTPS only/);
  assert.equal(checkUrl('https://www.cisa.gov/x').protocol, 'https:');
  assert.equal(checkUrl('http://127.0.0.1:8080/x').protocol, 'http:');
});

test('update downloads a rosdistro cache and an apt index the same way, atomically', async () => {
  const path = join(mkdtempSync(join(tmpdir(), 'marque-upd-')), 'a.sqlite');
  const reports = await updateAdvisories(path, [`${base}/rosdistro_cache/jazzy-cache.yaml.gz`, `${base}/debian/dists/bookworm/main/binary-amd64/Packages.gz`]);
  assert.deepEqual(reports.map((r) => [r.kind, r.source]), [['rosdistro-cache', 'rosdistro-cache:jazzy'], ['apt-index', 'apt:debian:bookworm:Packages.gz']]);
  const db = AdvisoryDb.openForRead(path)!;
  assert.ok(db.catalogs().rosRelease('jazzy', 'rclcpp'));
  assert.ok(db.catalogs().aptPackages('debian:bookworm', 'libssl3').length >= 2);
  db.close();
  // A failed download of a catalog replaces nothing either.
  await assert.rejects(updateAdvisories(path, [`${base}/rosdistro_cache/humble-cache.yaml.gz`]), /HTTP 404/);
  assert.ok(advisoryStatus(path).catalogs.length === 2);
});

test('the cache location comes from the rosdistro index, over HTTPS', () => {
  assert.equal(rosdistroCacheUrl('jazzy'), 'https://repo.ros2.org/rosdistro_cache/jazzy-cache.yaml.gz');
  assert.throws(() => rosdistroCacheUrl('nosuch'), /unknown ROS distribution "nosuch".*jazzy/);
});

test('every redirect hop meets the HTTPS rule; gzip transfer encoding is measured as received; a silent server times out and leaves nothing', async () => {
  const path = join(mkdtempSync(join(tmpdir(), 'marque-upd-')), 'a.sqlite');
  await assert.rejects(updateAdvisories(path, [`${base}/redirect-out`]), /redirects to http:\/\/advisories\.example\/kev\.json: refusing http:/);
  assert.deepEqual((await updateAdvisories(path, [`${base}/redirect-in`])).map((r) => r.source), ['kev']);
  assert.deepEqual((await updateAdvisories(path, [`${base}/gzip-kev.json`])).map((r) => [r.source, r.records]), [['kev', 1404]]);
  // A temporary folder of this test's own: another run on the machine downloads into the shared one at the same time.
  const own = mkdtempSync(join(tmpdir(), 'marque-upd-tmp-'));
  const temps = () => readdirSync(own).filter((n) => n.startsWith('marque-download-')).length;
  const previous = process.env['TMPDIR'];
  process.env['MARQUE_DOWNLOAD_IDLE_MS'] = '300';
  process.env['TMPDIR'] = own;
  try {
    await assert.rejects(updateAdvisories(path, [`${base}/stall.json`]), /no data for 0\.3 s; the server stopped answering/);
  } finally {
    delete process.env['MARQUE_DOWNLOAD_IDLE_MS'];
    if (previous === undefined) delete process.env['TMPDIR']; else process.env['TMPDIR'] = previous;
  }
  assert.equal(temps(), 0, 'the temporary folder is removed');
  // Offline: the message names the URL and the network's reason, and what works without a network.
  const closed = createServer();
  await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
  const port = (closed.address() as AddressInfo).port;
  await new Promise<void>((r) => closed.close(() => r()));
  await assert.rejects(updateAdvisories(path, [`http://127.0.0.1:${port}/PyPI/all.zip`]), /cannot download http:\/\/127\.0\.0\.1:\d+\/PyPI\/all\.zip: .*ECONNREFUSED.*marque db import PATH/);
});

test('db update downloads the OSV archive of every ecosystem Marque reads, but the RPM distributions\' (far larger, added with --source) and ConanCenter\'s', () => {
  const purls = ['pkg:npm/a@1', 'pkg:pypi/a@1', 'pkg:cargo/a@1', 'pkg:gem/a@1', 'pkg:nuget/a@1', 'pkg:hex/a@1', 'pkg:pub/a@1', 'pkg:golang/example.com/a@v1.0.0',
    'pkg:maven/g/a@1', 'pkg:composer/v/a@1', 'pkg:deb/debian/a@1', 'pkg:deb/ubuntu/a@1', 'pkg:apk/alpine/a@1'];
  const needed = new Set(purls.flatMap((purl) => osvPackagesOf({ purl, name: 'a', version: '1', ecosystem: 'generic', licenses: [] } as never).map((p) => p.base)));
  assert.equal(needed.size, purls.length, 'each purl type names its own OSV ecosystem');
  assert.deepEqual([...needed].filter((e) => !DOWNLOADED_OSV_ECOSYSTEMS.includes(e)), []);
  for (const e of DOWNLOADED_OSV_ECOSYSTEMS) assert.ok(DEFAULT_SOURCES.includes(`https://osv-vulnerabilities.storage.googleapis.com/${encodeURIComponent(e)}/all.zip`), e);
});
