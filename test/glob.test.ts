import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compileGlob, pathFilter } from '../src/util/glob.ts';

test('purl patterns keep "?" literal; fnmatch patterns treat it as one character', () => {
  assert.equal(compileGlob('pkg:deb/ubuntu/ros-jazzy-*').test('pkg:deb/ubuntu/ros-jazzy-rclcpp'), true);
  assert.equal(compileGlob('pkg:deb/ubuntu/x?distro=ubuntu-24.04').test('pkg:deb/ubuntu/x?distro=ubuntu-24.04'), true);
  assert.equal(compileGlob('pkg:deb/ubuntu/x?distro=ubuntu-24.04').test('pkg:deb/ubuntu/xXdistro=ubuntu-24.04'), false);
  assert.equal(compileGlob('/odom?', true).test('/odom1'), true);
  assert.equal(compileGlob('a.b').test('aXb'), false);
});

test('globs agree with a regular expression on many patterns and never backtrack on crafted input', { timeout: 120_000 }, () => {
  const re = (p: string, q: boolean) => {
    const escaped = p.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*');
    return new RegExp(`^${q ? escaped.replace(/\\\?/g, '.') : escaped}$`);
  };
  const alphabet = ['a', 'b', '*', '?'];
  const texts = ['', 'a', 'b', 'ab', 'ba', 'aab', 'abab', 'bbba', 'a?b', 'aaaa'];
  const patterns: string[] = [''];
  for (let len = 1; len <= 4; len++) for (let i = 0; i < 4 ** len; i++) patterns.push([...Array(len)].map((_, k) => alphabet[Math.floor(i / 4 ** k) % 4]).join(''));
  for (const p of patterns) for (const t of texts) for (const q of [false, true]) assert.equal(compileGlob(p, q).test(t), re(p, q).test(t), `${p} ~ ${t} (${q})`);
  // A pattern that makes a backtracking engine exponential: here one scan per piece.
  const evil = `${'*a'.repeat(30)}*b`;
  // A backtracking matcher would not finish: the test's timeout catches that; speed is bench/hostile.ts's.
  assert.equal(compileGlob(evil).test('a'.repeat(100_000)), false);
});

test('path filters: names anywhere, paths from the scanned folder', () => {
  const f = pathFilter(['fixtures', 'docs/*', '*.bak', './vendor/']);
  assert.ok(f('tests/fixtures'));
  assert.ok(f('docs/examples/x/poetry.lock'));
  assert.ok(f('a/b/file.bak'));
  assert.ok(f('vendor'));
  assert.ok(!f('src/fixtures.ts'));
  assert.ok(!f('src/vendor/x'));
});
