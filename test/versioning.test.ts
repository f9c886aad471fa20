// Every scheme against the published comparison vectors of osv-scalibr (generated with each
// ecosystem's own comparator).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { dpkgScheme, mavenScheme, rubygemsScheme, pep440Scheme, semverScheme, pubScheme, schemeFor, type VersionScheme } from '../src/versioning/index.ts';
import { nugetScheme } from '../src/versioning/nuget.ts';
import { packagistScheme } from '../src/versioning/packagist.ts';
import { rpmScheme } from '../src/versioning/rpm.ts';
import { alpineScheme } from '../src/versioning/alpine.ts';
import { FIXTURES } from './helpers/paths.ts';

function vectors(file: string): [string, string, string][] {
  return readFileSync(join(FIXTURES, 'versions', file), 'utf8').split('\n')
    .map((l) => l.trim()).filter((l) => l && !l.startsWith('#') && !l.startsWith('//'))
    .map((l) => {
      const m = /^(\S+)\s+([<=>])\s+(\S+)$/.exec(l);
      if (!m) throw new Error(`bad vector line: ${l}`);
      return [m[1]!, m[2]!, m[3]!];
    });
}

function check(scheme: VersionScheme, files: string[], minimum: number): void {
  let n = 0;
  for (const f of files) {
    for (const [a, op, b] of vectors(f)) {
      const c = Math.sign(scheme.compare(a, b));
      assert.equal(c, op === '<' ? -1 : op === '>' ? 1 : 0, `${f}: ${a} ${op} ${b}`);
      assert.equal(Math.sign(scheme.compare(b, a)) || 0, -c || 0, `${f}: antisymmetry ${a} ${b}`);
      n++;
    }
  }
  assert.ok(n >= minimum, `${n} vectors`);
}

test('SemVer (npm, crates.io, Go)', () => check(semverScheme, ['semver-versions.txt'], 80));
test('PEP 440 (PyPI)', () => check(pep440Scheme, ['pypi-versions.txt', 'pypi-versions-generated.txt'], 12000));

test('PEP 440: surrounding whitespace, as packaging reads it', () => {
  // Answers of packaging 26.2 (Version) and pip's vendored packaging 21.3 (parse, LegacyVersion for the last rows).
  const table: [string, string, number][] = [
    [' 0.0.239 ', '0.0.239', 0],
    ['0.16.13\n', '0.16.13', 0],
    [' 0.24.1 ', '0.24.1a1', 1],
    [' 0.3.11 ', '0.3.11.dev1', 1],
    [' 1.0 ', '0.9', 1],
    [' 0.4m3 ', '0.4m3.rc1', -1], // both legacy: LegacyVersion keeps the spaces
    [' 277711ab1dec ', '277711ab1dec.0', -1],
  ];
  for (const [a, b, want] of table) {
    assert.equal(Math.sign(pep440Scheme.compare(a, b)), want, `${JSON.stringify(a)} vs ${b}`);
    assert.equal(Math.sign(pep440Scheme.compare(b, a)), -want || 0, `${b} vs ${JSON.stringify(a)}`);
  }
  assert.equal(pep440Scheme.isValid(' 1.0 '), true);
});
test('Debian/Ubuntu (dpkg)', () => check(dpkgScheme, ['debian-versions.txt', 'debian-versions-generated.txt'], 14000));

test('Maven', () => check(mavenScheme, ['maven-versions.txt', 'maven-versions-generated.txt'], 14000));

// Against Maven's own ComparableVersion (3.2.5 and 3.9.6 agreeing): padding against a null qualifier
// ("Final", "RELEASE", "ga") is equal, so what follows decides; 1.0.Final.1 was ordered below 1.0.Final,
// a fix at X.Final.1 missed X.Final, and X.Final.redhat-00001 sorted below X.Final.
test('Maven: ComparableVersion on qualified versions', () => check(mavenScheme, ['maven-comparableversion.txt'], 400));

test('RubyGems', () => check(rubygemsScheme, ['rubygems-versions.txt', 'rubygems-versions-generated.txt'], 4000));

test('NuGet', () => check(nugetScheme, ['nuget-versions.txt'], 25));

test('RPM (rpmvercmp over epoch, version, release)', () => check(rpmScheme, ['redhat-versions.txt'], 150));

test('Alpine (apk)', () => check(alpineScheme, ['alpine-versions.txt', 'alpine-versions-generated.txt'], 700));

test('Packagist (PHP version_compare)', () => check(packagistScheme, ['packagist-versions.txt', 'packagist-versions-generated.txt'], 10000));

test('Pub ordering: osv-scalibr\'s Pub vectors (build metadata orders, after the same version without it)', () => {
  let n = 0;
  const beyond: string[] = [];
  for (const [a, op, b] of vectors('pub-versions.txt')) {
    if (!pubScheme.isValid(a) || !pubScheme.isValid(b)) { beyond.push(`${a} ${op} ${b}`); continue; }
    const want = op === '<' ? -1 : op === '>' ? 1 : 0;
    assert.equal(Math.sign(pubScheme.compare(a, b)), want, `${a} ${op} ${b}`);
    assert.equal(Math.sign(pubScheme.compare(b, a)) || 0, -want || 0, `antisymmetry ${a} ${b}`);
    n++;
  }
  assert.ok(n >= 95, `${n} vectors`);
  // pub_semver itself refuses these (a fourth number; numbers past a 64-bit int): no Pub release has them.
  assert.deepEqual(beyond, ['999999999999999999999999999991 < 999999999999999999999999999999', '999999999999999999999999999991.999999999999999999999999999991.999999999999999999999999999991 < 999999999999999999999999999999.999999999999999999999999999991.999999999999999999999999999991', '1.1.3.4.5 = 1.1.3.4.5']);
  assert.equal(schemeFor('Pub')?.id, 'pub');
});

test('Hex ordering is SemVer 2.0 (Elixir\'s Version): pre-releases before the release, build metadata ignored', () => {
  assert.equal(schemeFor('Hex')?.id, semverScheme.id);
  const hex = schemeFor('Hex')!;
  assert.ok(hex.compare('1.6.0-rc.0', '1.6.0') < 0);
  assert.ok(hex.compare('1.6.0-rc.0', '1.6.0-rc.1') < 0);
  assert.equal(hex.compare('1.0.0+build.1', '1.0.0'), 0);
  assert.ok(hex.compare('0.10.0', '0.9.9') > 0);
});

test('ecosystem names with releases find their scheme', () => {
  assert.equal(schemeFor('Debian:12')?.id, dpkgScheme.id);
  assert.equal(schemeFor('Ubuntu:24.04:LTS')?.id, dpkgScheme.id);
  assert.equal(schemeFor('PyPI')?.id, pep440Scheme.id);
  assert.equal(schemeFor('Go')?.id, semverScheme.id);
  // A version longer than any real one is not a version: no parser sees it.
  assert.equal(schemeFor('PyPI')!.isValid(`1${'.0'.repeat(200)}`), false);
  assert.throws(() => schemeFor('npm')!.compare('1.0.0', `1${'.0'.repeat(200)}`), /longer than 256/);
  assert.equal(semverScheme.compare('v1.2.3', '1.2.4'), -1);
  assert.equal(schemeFor('Hackage'), undefined);
  assert.equal(schemeFor('constructor'), undefined);
});
