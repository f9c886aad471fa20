// Every scheme against the published comparison vectors of osv-scalibr (generated with each
// ecosystem's own comparator).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { dpkgScheme, mavenScheme, rubygemsScheme, pep440Scheme, semverScheme, schemeFor, type VersionScheme } from '../src/versioning/index.ts';
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
test('Debian/Ubuntu (dpkg)', () => check(dpkgScheme, ['debian-versions.txt', 'debian-versions-generated.txt'], 14000));

test('Maven', () => check(mavenScheme, ['maven-versions.txt', 'maven-versions-generated.txt'], 14000));

test('RubyGems', () => check(rubygemsScheme, ['rubygems-versions.txt', 'rubygems-versions-generated.txt'], 4000));

test('NuGet', () => check(nugetScheme, ['nuget-versions.txt'], 25));

test('RPM (rpmvercmp over epoch, version, release)', () => check(rpmScheme, ['redhat-versions.txt'], 150));

test('Alpine (apk)', () => check(alpineScheme, ['alpine-versions.txt', 'alpine-versions-generated.txt'], 700));

test('Packagist (PHP version_compare)', () => check(packagistScheme, ['packagist-versions.txt', 'packagist-versions-generated.txt'], 10000));

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
