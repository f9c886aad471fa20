// Vulnerability answers that say what they cover: GIT-range matching of released ROS packages by
// repository and tag, Debian advisories through the apt closure, coverage in every output, and
// Annex I Part I (2)(a) "met" only when every shipped component was checked against fresh data.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { normaliseRepoUrl } from '../src/advisories/ecosystems.ts';
import { EXAMPLE, FIXTURES, ROOT } from './helpers/paths.ts';
import { exportValidator } from './helpers/schemas.ts';

const OSV = join(FIXTURES, 'osv-closure');
const KEV = join(FIXTURES, 'kev', 'known_exploited_vulnerabilities.json');

function marque(args: string[], env: Record<string, string> = {}) {
  const r = spawnSync(process.execPath, [join(ROOT, 'bin/marque.js'), ...args], { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024, env: { ...process.env, ...env } });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

/** A database of these inputs; `complete` vouches for them as a complete mirror of those ecosystems (a test's fixture is not one by itself). */
function db(...inputs: string[]): string {
  return vouchedDb([], ...inputs);
}

function vouchedDb(complete: string[], ...inputs: string[]): string {
  const path = join(mkdtempSync(join(tmpdir(), 'marque-cov-')), 'advisories.sqlite');
  const r = marque(['db', 'import', ...complete.flatMap((c) => ['--complete', c]), ...inputs, '--db', path, '--platform', 'debian:bookworm']);
  assert.equal(r.code, 0, r.err + r.out);
  return path;
}

function rosWorkspace(execDepends: string[], files: Record<string, string> = {}): string {
  const dir = mkdtempSync(join(tmpdir(), 'marque-cov-ws-'));
  mkdirSync(join(dir, 'src/robot'), { recursive: true });
  writeFileSync(join(dir, 'src/robot/package.xml'), `<?xml version="1.0"?>\n<package format="3"><name>robot</name><version>1.0.0</version><description>d</description><maintainer email="m@example.com">M</maintainer><license>MIT</license>${execDepends.map((d) => `<exec_depend>${d}</exec_depend>`).join('')}</package>\n`);
  for (const [f, text] of Object.entries(files)) writeFileSync(join(dir, f), text);
  return dir;
}

/** A distribution that releases Fast DDS at `version` (a product pinned to an older snapshot). */
function distribution(version: string): string {
  const file = join(mkdtempSync(join(tmpdir(), 'marque-dist-')), 'distribution.yaml');
  writeFileSync(file, `%YAML 1.1
---
release_platforms:
  ubuntu: [noble]
repositories:
  fastrtps:
    release:
      tags: {release: 'release/jazzy/{package}/{version}'}
      url: https://github.com/ros2-gbp/fastdds-release.git
      version: ${version}
    source:
      type: git
      url: https://github.com/eProsima/Fast-DDS.git
      version: 2.6.x
type: distribution
version: 2
`);
  return file;
}

test('repository URLs are compared in one spelling', () => {
  assert.equal(normaliseRepoUrl('https://github.com/eProsima/Fast-DDS.git'), 'github.com/eprosima/fast-dds');
  assert.equal(normaliseRepoUrl('git@github.com:eprosima/fast-dds.git'), 'github.com/eprosima/fast-dds');
  assert.equal(normaliseRepoUrl('git+https://user@www.github.com/eProsima/Fast-DDS/'), 'github.com/eprosima/fast-dds');
});

test('released ROS packages match GIT-range advisories by source repository and release tag', () => {
  // The fixture stands in for a complete GIT mirror: vouched for as one, as a user would.
  const path = vouchedDb(['GIT'], OSV);
  const ws = rosWorkspace(['fastrtps']);
  const old = JSON.parse(marque(['vulns', ws, '--db', path, '--distribution', distribution('2.6.5-1'), '--now', '2023-08-25T00:00:00Z', '--json']).out);
  assert.deepEqual(old.findings.map((f: { advisory: string }) => f.advisory).sort(), ['CVE-2023-39946', 'CVE-2023-39947']);
  assert.match(old.findings[0].component, /^pkg:deb\/ubuntu\/ros-jazzy-fastrtps@2\.6\.5-1/);
  const fixed = JSON.parse(marque(['vulns', ws, '--db', path, '--distribution', distribution('2.6.6-1'), '--now', '2023-08-25T00:00:00Z', '--json']).out);
  assert.deepEqual(fixed.findings, [], 'the fixed release is not matched');
  // The released package counts as covered by the GIT data; the root is the product's own code.
  assert.equal(fixed.coverage.firstParty, 1);
  assert.equal(fixed.coverage.components, 1);
  assert.equal(fixed.coverage.coveredFresh, 1);
  assert.ok(fixed.coverage.sources.some((s: { ecosystem: string; source: string }) => s.ecosystem === 'GIT' && s.source === 'osv:osv-closure'));
  // An advisory on the same repository that names commits only cannot be decided: not covered.
  const commits = vouchedDb(['GIT'], OSV, join(FIXTURES, 'osv-commit-only'));
  const undecided = JSON.parse(marque(['vulns', ws, '--db', commits, '--distribution', distribution('2.6.6-1'), '--now', '2023-08-25T00:00:00Z', '--json']).out);
  assert.equal(undecided.coverage.coveredFresh, 0);
  assert.match(undecided.coverage.gaps[0].reason, /name commits only.*MARQUE-TEST-GIT-COMMITS/);
  // With the bundled jazzy snapshot (2.14.x) nothing matches either.
  assert.deepEqual(JSON.parse(marque(['vulns', ws, '--db', path, '--json']).out).findings, []);
});

test('Debian advisories reach binary packages of the apt closure through their source package', () => {
  const path = vouchedDb(['Debian:12'], OSV);
  const index = join(mkdtempSync(join(tmpdir(), 'marque-apt-')), 'Packages');
  // The same real index, with curl's binaries at an older Debian revision.
  writeFileSync(index, readFileSync(join(FIXTURES, 'apt/Packages'), 'utf8').replace(/7\.88\.1-10\+deb12u\d+/g, '7.88.1-10+deb12u4'));
  const ws = rosWorkspace(['curl']);
  const hit = JSON.parse(marque(['vulns', ws, '--db', path, '--platform', 'debian:bookworm', '--apt-index', index, '--now', '2023-12-21T00:00:00Z', '--json']).out);
  const components = hit.findings.filter((f: { advisory: string }) => f.advisory === 'MARQUE-TEST-DEB-CURL').map((f: { component: string }) => f.component.replace(/@.*/, '')).sort();
  assert.ok(components.includes('pkg:deb/debian/libcurl4'), JSON.stringify(components));
  assert.ok(components.includes('pkg:deb/debian/curl'));
  const current = JSON.parse(marque(['vulns', ws, '--db', path, '--platform', 'debian:bookworm', '--apt-index', join(FIXTURES, 'apt/Packages'), '--now', '2023-12-21T00:00:00Z', '--json']).out);
  assert.equal(current.findings.length, 0);
  assert.ok(current.coverage.sources.some((s: { ecosystem: string }) => s.ecosystem === 'Debian:12'));
  // Every package the index has is versioned and covered by the Debian:12 data; the one the trimmed
  // index lacks (the rosdep key curl also names libcurl4-openssl-dev) is named as a gap.
  assert.equal(current.coverage.coveredFresh, current.coverage.components - 1);
  assert.equal(current.coverage.gaps.length, 1);
  assert.equal(current.coverage.gaps[0].component, 'pkg:deb/debian/libcurl4-openssl-dev?distro=debian-12');
  assert.match(current.coverage.gaps[0].reason, /^no version \(not in the apt index of debian:bookworm; give --apt-index FILE/);
});

test('a KEV-only database never says "no known vulnerabilities": coverage is zero, check needs evidence', () => {
  const path = db(KEV);
  const r = marque(['vulns', EXAMPLE, '--db', path]);
  assert.match(r.out, /Checked 0 of \d+ components that ship \(third-party, runtime or optional scope\) against fresh advisory data/);
  assert.match(r.out, /No finding does not mean no known vulnerability/);
  const j = JSON.parse(marque(['vulns', EXAMPLE, '--db', path, '--json']).out);
  for (const k of ['components', 'versioned', 'covered', 'sources', 'uncovered']) assert.ok(k in j.coverage, k);
  assert.equal(j.coverage.covered, 0);
  assert.equal(j.coverage.uncovered.length, j.coverage.components);
  const check = JSON.parse(marque(['check', EXAMPLE, '--db', path, '--json']).out);
  const item = check.items.find((i: { id: string }) => i.id === 'I.2.a');
  assert.equal(item.status, 'needs-evidence');
  assert.match(item.evidence.join('\n'), /only 0 of \d+ components that ship \(third-party, runtime or optional scope\) were checked/);
  const docs = marque(['docs', EXAMPLE, '--db', path]).out;
  assert.match(docs, /Checked 0 of \d+ components that ship \(third-party, runtime or optional scope\) against fresh advisory data/);
});

test('Part I (2)(a) is met only when every shipped component is covered by fresh data', () => {
  const dir = mkdtempSync(join(tmpdir(), 'marque-met-'));
  writeFileSync(join(dir, 'marque.yaml'), 'product:\n  name: tool\n  version: "1.0"\n');
  writeFileSync(join(dir, 'requirements.txt'), 'idna==3.7\n');
  // Real PyPA records as an all.zip named after PyPI: 39 records are no export by themselves (data/osv-exports.json), so vouched for.
  const path = vouchedDb(['PyPI'], join(FIXTURES, 'osv-archives', 'PyPI', 'all.zip'));
  const fresh = JSON.parse(marque(['check', dir, '--db', path, '--today', '2024-09-10', '--json']).out);
  const met = fresh.items.find((i: { id: string }) => i.id === 'I.2.a');
  assert.equal(met.status, 'met', JSON.stringify(met));
  assert.match(met.evidence.join('\n'), /Checked 1 of 1 components that ship \(third-party, runtime or optional scope\) against fresh advisory data from complete sources \(osv:PyPI: PyPI as of 2024-09-09, complete only as vouched for at import \(--complete\)\)/);
  // The same records as a folder are partial: their findings count, their coverage does not.
  const folder = JSON.parse(marque(['check', dir, '--db', db(join(FIXTURES, 'osv', 'pypa')), '--today', '2024-09-10', '--json']).out);
  assert.equal(folder.items.find((i: { id: string }) => i.id === 'I.2.a').status, 'needs-evidence');
  const stale = JSON.parse(marque(['check', dir, '--db', path, '--today', '2024-11-12', '--json']).out);
  assert.equal(stale.items.find((i: { id: string }) => i.id === 'I.2.a').status, 'needs-evidence', 'stale data is not enough');
  // A wider window makes data 26 days old fresh, up to the 30-day bound (src/model/freshness.ts)…
  assert.equal(JSON.parse(marque(['check', dir, '--db', path, '--today', '2024-10-05', '--max-age', '30', '--json']).out).items.find((i: { id: string }) => i.id === 'I.2.a').status, 'met');
  // …and no further: a window of 90 days (or 100000) is refused, never turned into "fresh".
  for (const days of ['90', '100000']) {
    const wide = marque(['check', dir, '--db', path, '--today', '2024-11-12', '--max-age', days, '--json']);
    assert.equal(wide.code, 2, wide.out);
    assert.match(wide.err, new RegExp(`${days} days is beyond the 30 days Marque accepts`));
  }
  writeFileSync(join(dir, 'marque.yaml'), 'product:\n  name: tool\n  version: "1.0"\nadvisories:\n  maxAgeDays: 100000\n');
  const yaml = marque(['check', dir, '--db', path, '--today', '2024-11-12']);
  assert.equal(yaml.code, 2);
  assert.match(yaml.err, /marque\.yaml:5:15: advisories\.maxAgeDays: 100000 days is beyond the 30 days Marque accepts/);
});

test('every export states its coverage and stays valid', async () => {
  const path = db(KEV, join(FIXTURES, 'osv', 'pypa'));
  const texts: Record<string, string> = {};
  for (const format of ['cyclonedx', 'openvex', 'sarif', 'csaf'] as const) {
    const r = marque(['vulns', EXAMPLE, '--db', path, '--format', format]);
    assert.equal(r.code, 0, r.err);
    const doc = JSON.parse(r.out);
    const validate = await exportValidator(format);
    assert.ok(validate(doc), `${format}: ${JSON.stringify(validate.errors?.slice(0, 3))}`);
    texts[format] = r.out;
  }
  assert.match(texts['cyclonedx']!, /"name": "marque:coverage"/);
  assert.match(texts['openvex']!, /"tooling": "marque [^"]*Checked \d+ of \d+ components that ship/);
  assert.match(texts['sarif']!, /"coverage": \{/);
  assert.match(texts['csaf']!, /"title": "Coverage"/);
});

test('a vendor package declared to build an upstream from GitHub is matched through that repository', async () => {
  const { AdvisoryDb } = await import('../src/advisories/store.ts');
  const { findVulnerabilities } = await import('../src/api/vulns.ts');
  const store = AdvisoryDb.openForRead(vouchedDb(['GIT'], OSV))!;
  const vendor = { purl: 'pkg:deb/ubuntu/ros-jazzy-fastdds-vendor@1.0.0-1?distro=ubuntu-24.04', name: 'ros-jazzy-fastdds-vendor', version: '1.0.0-1', ecosystem: 'deb' as const, licenses: [], depth: 1, kind: 'runtime' as const, properties: { 'ros:package': 'fastdds_vendor' } };
  const r = findVulnerabilities({ unlisted: undefined, components: [vendor], db: store, product: { name: 'p', version: '1' }, upstreams: [{ component: 'fastdds_vendor', upstream: 'pkg:github/eProsima/Fast-DDS@2.10.1' }] });
  assert.deepEqual(r.findings.map((f) => [f.advisory, f.via]).sort(), [['CVE-2023-39946', 'pkg:github/eProsima/Fast-DDS@2.10.1'], ['CVE-2023-39947', 'pkg:github/eProsima/Fast-DDS@2.10.1']]);
  const none = findVulnerabilities({ unlisted: undefined, components: [vendor], db: store, product: { name: 'p', version: '1' }, upstreams: [{ component: 'fastdds_vendor', upstream: 'pkg:github/eProsima/Fast-DDS@2.10.2' }] });
  assert.deepEqual(none.findings, []);
  store.close();
});

test('a version the ecosystem\'s ordering cannot place ("latest", a commit id) is not checked where advisories name its package', async () => {
  const { AdvisoryDb } = await import('../src/advisories/store.ts');
  const { computeCoverage } = await import('../src/advisories/coverage.ts');
  const component = (purl: string, version: string) => ({ purl, name: purl.split('/').pop()!.split('@')[0]!, version, ecosystem: purl.startsWith('pkg:pypi/') ? 'pypi' as const : 'generic' as const, licenses: [], depth: 1, kind: 'runtime' as const });
  const now = new Date('2024-09-10');
  // Real PyPA records (three on urllib3, none on a package named "no-such-package"), vouched for as complete.
  const pypi = AdvisoryDb.openForRead(vouchedDb(['PyPI'], join(FIXTURES, 'osv-archives', 'PyPI', 'all.zip')))!;
  const c = computeCoverage({ unlisted: undefined, db: pypi, now, maxAgeDays: 7, components: [component('pkg:pypi/urllib3@latest', 'latest'), component('pkg:pypi/urllib3@1.26.18', '1.26.18'), component('pkg:pypi/no-such-package@latest', 'latest')] });
  assert.deepEqual(c.uncovered, ['pkg:pypi/urllib3@latest'], 'matching skipped every urllib3 range for "latest": it found nothing, it did not check');
  assert.match(c.gaps[0]!.reason, /its version is not a PyPI version, so the ranges of advisories on its package cannot place it/);
  assert.equal(c.coveredFresh, 2, 'a release is checked; so is a package no advisory names');
  assert.equal(c.complete, false);
  // A purl type no advisory ecosystem is matched for is named as what it is, not as "generic".
  const swift = computeCoverage({ unlisted: undefined, db: pypi, now, maxAgeDays: 7, components: [{ ...component('pkg:swift/github.com/Alamofire/Alamofire@5.0.0', '5.0.0'), ecosystem: 'generic' as const }] });
  assert.equal(swift.gaps[0]!.reason, 'no advisory ecosystem for swift components');
  pypi.close();
  // A source repository's advisories list release tags: a commit id is none of them, though it may lie in the affected range.
  const git = AdvisoryDb.openForRead(vouchedDb(['GIT'], OSV))!;
  const g = computeCoverage({ unlisted: undefined, db: git, now: new Date('2023-08-25'), maxAgeDays: 7, components: [
    { ...component('pkg:github/eProsima/Fast-DDS@4d2c3f1b9e', '4d2c3f1b9e'), ecosystem: 'generic' as const },
    { ...component('pkg:github/eProsima/Fast-DDS@2.10.2', '2.10.2'), ecosystem: 'generic' as const },
  ] });
  assert.deepEqual(g.uncovered, ['pkg:github/eProsima/Fast-DDS@4d2c3f1b9e']);
  assert.match(g.gaps[0]!.reason, /its version is a commit or a branch, not a release tag/);
  git.close();
});

test('a withdrawn advisory whose CVE CISA lists as exploited is not a pass: the component is a gap until a VEX statement decides it', async () => {
  const { AdvisoryDb } = await import('../src/advisories/store.ts');
  const { findVulnerabilities } = await import('../src/api/vulns.ts');
  // The real GHSA of CVE-2021-21315 (systeminformation, in KEV), as the database would hold it once withdrawn.
  const dir = mkdtempSync(join(tmpdir(), 'marque-withdrawn-'));
  const record = JSON.parse(readFileSync(join(FIXTURES, 'osv', 'ghsa', 'GHSA-2m8v-572m-ff2v.json'), 'utf8'));
  writeFileSync(join(dir, 'GHSA-2m8v-572m-ff2v.json'), JSON.stringify({ ...record, withdrawn: '2024-01-01T00:00:00Z' }));
  const path = vouchedDb(['npm'], dir);
  assert.equal(marque(['db', 'import', KEV, '--db', path]).code, 0);
  const store = AdvisoryDb.openForRead(path)!;
  const si = { purl: 'pkg:npm/systeminformation@5.3.0', name: 'systeminformation', version: '5.3.0', ecosystem: 'npm' as const, licenses: [], depth: 1, kind: 'runtime' as const };
  const now = new Date(record.modified);
  const r = findVulnerabilities({ unlisted: undefined, components: [si], db: store, product: { name: 'panel', version: '0.9.0' }, now });
  assert.deepEqual(r.findings, [], 'withdrawn advisories never match');
  assert.equal(r.coverage.complete, false);
  assert.match(r.coverage.gaps[0]!.reason, /an advisory on its version was withdrawn, but CISA lists its CVE as exploited \(GHSA-2m8v-572m-ff2v: CVE-2021-21315\)/);
  const decided = findVulnerabilities({ unlisted: undefined, components: [si], db: store, product: { name: 'panel', version: '0.9.0' }, now,
    vex: [{ vulnerability: 'CVE-2021-21315', products: ['pkg:npm/systeminformation'], status: 'not_affected', justification: 'vulnerable_code_not_present', source: 'marque.yaml#vex[0]' }] });
  assert.equal(decided.coverage.complete, true, 'a person decided it');
  store.close();
});

test('a vendor package is checked only with its upstream: undeclared, or declared in an ecosystem without complete data, it is a gap', async () => {
  const { AdvisoryDb } = await import('../src/advisories/store.ts');
  const { findVulnerabilities } = await import('../src/api/vulns.ts');
  const store = AdvisoryDb.openForRead(vouchedDb(['GIT'], OSV))!;
  // A released yaml_cpp_vendor, matched by its own repository (no GIT advisory names it): what it ships is yaml-cpp.
  const vendor = { purl: 'pkg:deb/ubuntu/ros-jazzy-yaml-cpp-vendor@9.0.1-1?distro=ubuntu-24.04', name: 'ros-jazzy-yaml-cpp-vendor', version: '9.0.1-1', ecosystem: 'deb' as const, licenses: [], depth: 1, kind: 'runtime' as const,
    properties: { 'ros:package': 'yaml_cpp_vendor', 'ros:upstream-version': '9.0.1', 'ros:url:repository': 'https://github.com/ros2/yaml_cpp_vendor.git', 'marque:closure': 'followed' } };
  const run = (upstreams?: { component: string; upstream: string }[]) => findVulnerabilities({ unlisted: undefined, components: [vendor], db: store, product: { name: 'p', version: '1' }, now: new Date('2023-08-25'), ...(upstreams ? { upstreams } : {}) }).coverage;
  const undeclared = run();
  assert.equal(undeclared.complete, false, 'its own repository was checked; the yaml-cpp it builds was not');
  assert.match(undeclared.gaps[0]!.reason, /it builds yaml-cpp, whose version Marque cannot know: declare it in marque\.yaml \(inventory\.upstreams\)/);
  const ubuntu = run([{ component: 'yaml_cpp_vendor', upstream: 'pkg:deb/ubuntu/yaml-cpp@0.8.0%2Bdfsg-6build1?distro=ubuntu-24.04' }]);
  assert.match(ubuntu.gaps[0]!.reason, /its upstream pkg:deb\/ubuntu\/yaml-cpp@.*: no Ubuntu:24\.04 advisory data in the database/);
  const github = run([{ component: 'yaml_cpp_vendor', upstream: 'pkg:github/jbeder/yaml-cpp@0.8.0' }]);
  assert.equal(github.complete, true, 'upstream declared, and GIT data is complete');
  store.close();
});

test('a component whose ecosystem has no advisory data says how to bring it: db update for what it downloads, the archive\'s --source URL for the RPM distributions\' it does not', async () => {
  const { AdvisoryDb } = await import('../src/advisories/store.ts');
  const { computeCoverage } = await import('../src/advisories/coverage.ts');
  const db = AdvisoryDb.openForRead(vouchedDb(['PyPI'], join(FIXTURES, 'osv-archives', 'PyPI', 'all.zip')))!;
  const c = computeCoverage({ unlisted: undefined, db, now: new Date('2024-09-10'), maxAgeDays: 7, components: [
    { purl: 'pkg:rpm/rhel/openssl-libs@3.0.7-27.el9?arch=x86_64&distro=rhel-9.4', name: 'openssl-libs', version: '1:3.0.7-27.el9', ecosystem: "rpm", licenses: [], kind: "runtime" },
    { purl: 'pkg:composer/monolog/monolog@3.5.0', name: 'monolog/monolog', version: '3.5.0', ecosystem: "composer", licenses: [], kind: "runtime" },
  ] });
  db.close();
  assert.deepEqual(c.gaps.map((g) => g.reason), [
    'no Red Hat advisory data in the database; add OSV\'s Red Hat archive, which "marque db update" does not download by default: "marque db update --source https://osv-vulnerabilities.storage.googleapis.com/Red%20Hat/all.zip" with the default sources ("marque db update --help" lists them)',
    'no Packagist advisory data in the database; run "marque db update" (OSV\'s Packagist archive)',
  ]);
});
