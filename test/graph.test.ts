import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DependencyGraph, edgeFilter } from '../src/graph/graph.ts';
import type { Component, Dependency, DependencyKind } from '../src/model/inventory.ts';

const c = (purl: string, root = false): Component => ({ purl, name: purl, version: '', ecosystem: 'generic', licenses: [], root });
const e = (from: string, to: string, kind: DependencyKind): Dependency => ({ from, to, kind });

// r ─exec→ a ─exec→ b ;  r ─test→ t ─exec→ x ; r ─build→ k ─exec→ x ; a ─doc→ d ; cycle b→a
const inv = {
  components: [c('r', true), c('a'), c('b'), c('t'), c('x'), c('k'), c('d'), c('lonely')],
  dependencies: [e('r', 'a', 'exec'), e('a', 'b', 'exec'), e('b', 'a', 'exec'), e('r', 't', 'test'), e('t', 'x', 'exec'), e('r', 'k', 'build'), e('k', 'x', 'exec'), e('a', 'd', 'doc')],
};

test('depth is the shortest distance from a root; unreachable components have none', () => {
  const d = new DependencyGraph(inv).depths();
  assert.deepEqual([d.get('r'), d.get('a'), d.get('b'), d.get('x'), d.get('lonely')], [0, 1, 2, 2, undefined]);
});

test('scope: a path is as weak as its weakest edge; a component takes its strongest path', () => {
  const s = new DependencyGraph(inv).scopes();
  assert.equal(s.get('b'), 'runtime');
  assert.equal(s.get('t'), 'test');
  assert.equal(s.get('x'), 'build', 'reached via build (stronger) and test');
  assert.equal(s.get('d'), 'doc');
  assert.equal(s.get('lonely'), undefined);
});

test('why: all simple paths, shortest first, cycles never repeat a component', () => {
  const g = new DependencyGraph(inv);
  assert.deepEqual(g.paths('x').paths, [['r', 't', 'x'], ['r', 'k', 'x']]);
  assert.deepEqual(g.paths('b').paths, [['r', 'a', 'b']]);
  assert.deepEqual(g.paths('x', 1).paths.length, 1);
  assert.deepEqual(g.paths('x', Infinity, edgeFilter(['build', 'runtime'])).paths, [['r', 'k', 'x']]);
  assert.throws(() => edgeFilter(['nonsense']), /unknown dependency kind/);
});

test('paths are counted, not listed: a lattice with 2^40 paths answers at once', () => {
  // 40 diamonds in a row: a → (b_i | c_i) → d_i → ... ; every level doubles the number of paths.
  const components = [{ purl: 'r', name: 'r', version: '1', ecosystem: 'npm' as const, licenses: [], root: true }];
  const dependencies: { from: string; to: string; kind: 'runtime' }[] = [];
  let prev = 'r';
  for (let i = 0; i < 40; i++) {
    for (const n of [`b${i}`, `c${i}`, `d${i}`]) components.push({ purl: n, name: n, version: '1', ecosystem: 'npm', licenses: [], root: false });
    dependencies.push({ from: prev, to: `b${i}`, kind: 'runtime' }, { from: prev, to: `c${i}`, kind: 'runtime' }, { from: `b${i}`, to: `d${i}`, kind: 'runtime' }, { from: `c${i}`, to: `d${i}`, kind: 'runtime' });
    prev = `d${i}`;
  }
  const g = new DependencyGraph({ components, dependencies });
  assert.equal(g.countPaths('d39'), 2n ** 40n);
  const r = g.paths('d39', 10);
  assert.equal(r.paths.length, 10);
  assert.equal(r.truncated, true);
});
