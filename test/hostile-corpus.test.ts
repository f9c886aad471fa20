// The hostile corpus at test sizes: each class of input that once made work grow faster than the
// input gives its right answer (timing is bench/hostile.ts's job, never a test's).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT } from './helpers/paths.ts';
import { CASES } from './hostile/inputs.ts';

type Json = Record<string, any>;
const EXPECT: Record<string, (out: Json, n: number) => void> = {
  'npm-graph': (o, n) => { assert.equal(o['components'].length, n + 1); assert.equal(o['dependencies'].length, 2 * n + 2, 'every edge kept'); },
  'manifest-keys': (o) => assert.equal(o['role'], 'manufacturer'),
  // The line is named, cut to a readable length: never 100,000 spaces in a message.
  'requirements-spaces': (o) => { assert.match(o['unresolved'][0].reason, /not pinned/); assert.ok(o['unresolved'][0].reason.length < 200, o['unresolved'][0].reason.length); },
  'glob-backtracking': (o) => assert.ok(Array.isArray(o['perimeter'])),
  'dds-nodes': (o, n) => assert.ok(o['perimeter'] !== undefined && o['boundaries'].length <= 4 * n + 10),
  'sros2-enclaves': (o) => assert.ok(Array.isArray(o['perimeter'])),
  'package-xml-deps': (o, n) => assert.equal(o['unresolved'].length, n),
  'ros-workspace': (o, n) => assert.equal(o['components'].filter((c: Json) => c['ecosystem'] === 'ros').length, n),
  'npm-deep': (o, n) => assert.equal(o['components'].length, n + 2),
  'cargo-versions': (o, n) => assert.equal(o['components'].length, n + 1),
  'condition-chain': (o) => assert.deepEqual(o['problems'], []),
};

for (const c of CASES) {
  test(`hostile input ${c.id}: ${c.what}`, () => {
    const n = Math.max(10, Math.round(c.size / 50));
    const dir = mkdtempSync(join(tmpdir(), `marque-corpus-${c.id}-`));
    try {
      const r = spawnSync(process.execPath, [join(ROOT, 'bin/marque.js'), ...c.write(dir, n)], { encoding: 'utf8', maxBuffer: 1 << 28 });
      assert.ok(r.status === 0 || r.status === 2, r.stderr);
      assert.doesNotMatch(r.stderr, /Maximum call stack|TypeError|RangeError/);
      EXPECT[c.id]!(JSON.parse(r.stdout) as Json, n);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
}
