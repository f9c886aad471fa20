// The freshness window of coverage has a bound (src/model/freshness.ts): 30 days pass, 31 are refused,
// in marque.yaml (with its line) and for any caller of computeCoverage (--max-age, the library API).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseManifest } from '../src/manifest/manifest.ts';
import { computeCoverage } from '../src/advisories/coverage.ts';
import { AdvisoryDb } from '../src/advisories/store.ts';
import { MAX_FRESHNESS_DAYS } from '../src/model/freshness.ts';
import { InputError } from '../src/util/errors.ts';

const manifest = (days: number) => `product:\n  name: tool\n  version: "1.0"\nadvisories:\n  maxAgeDays: ${days}\n`;

test('marque.yaml: advisories.maxAgeDays up to 30 is taken, beyond it refused with file, line and column', () => {
  const file = join(mkdtempSync(join(tmpdir(), 'marque-fresh-')), 'marque.yaml');
  assert.equal(MAX_FRESHNESS_DAYS, 30);
  assert.equal(parseManifest(manifest(30), file).advisories?.maxAgeDays, 30);
  for (const days of [31, 100000]) {
    assert.throws(() => parseManifest(manifest(days), file), (e: unknown) => e instanceof InputError && e.file === file && e.line === 5 && e.column === 15
      && e.message.startsWith(`advisories.maxAgeDays: ${days} days is beyond the 30 days Marque accepts`) && /Annex I Part II \(2\) "without delay" and \(3\) "regular tests and reviews"/.test(e.message));
  }
});

test('computeCoverage refuses a window beyond 30 days however it is given', () => {
  const db = new AdvisoryDb(join(mkdtempSync(join(tmpdir(), 'marque-fresh-')), 'a.sqlite'));
  try {
    const input = { components: [], db, now: new Date('2026-01-01') };
    assert.equal(computeCoverage({ unlisted: undefined, ...input, maxAgeDays: 30 }).maxAgeDays, 30);
    assert.throws(() => computeCoverage({ unlisted: undefined, ...input, maxAgeDays: 100000 }), /freshness window \(--max-age, advisories\.maxAgeDays\): 100000 days is beyond the 30 days Marque accepts/);
    assert.throws(() => computeCoverage({ unlisted: undefined, ...input, maxAgeDays: Number.NaN }), /NaN is not a number of days above 0/);
  } finally {
    db.close();
  }
});

test('--max-age beyond 30 days is a usage error on every command that takes it, db status too (exit 2, the reason, no stack trace)', async () => {
  const { spawnSync } = await import('node:child_process');
  const { ROOT } = await import('./helpers/paths.ts');
  const db = join(mkdtempSync(join(tmpdir(), 'marque-fresh-')), 'a.sqlite');
  new AdvisoryDb(db).close();
  for (const args of [['db', 'status', '--db', db, '--max-age', '90'], ['vulns', join(ROOT, 'examples', 'courier-robot'), '--db', db, '--max-age', '90']]) {
    const r = spawnSync(process.execPath, [join(ROOT, 'bin', 'marque.js'), ...args], { encoding: 'utf8' });
    assert.equal(r.status, 2, `${args.join(' ')}: ${r.stderr}`);
    assert.match(r.stderr, /--max-age 90 days is beyond the 30 days Marque accepts/);
    assert.doesNotMatch(r.stderr, /\n\s+at /);
  }
});
