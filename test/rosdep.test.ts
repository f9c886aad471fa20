import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { RosdepDatabase, resolveRule } from '../src/sources/ros/rosdep.ts';
import { bundledRosdepRules } from '../src/api/defaults.ts';
import { python, skipReason } from './helpers/oracle.ts';
import { InputError } from '../src/util/errors.ts';

const P = (os: string, codename: string) => ({ os, codename });

test('rule shapes: plain list, codename, wildcard, null, installer-first, OS wildcard', () => {
  assert.deepEqual(resolveRule({ debian: ['ack'] }, P('debian', 'bookworm')), { ok: true, installer: 'apt', packages: ['ack'] });
  const aravis = { ubuntu: { '*': ['libaravis-0.8-0', 'aravis-tools'], bionic: null, focal: ['libaravis-0.6-0'] } };
  assert.deepEqual(resolveRule(aravis, P('ubuntu', 'noble')), { ok: true, installer: 'apt', packages: ['libaravis-0.8-0', 'aravis-tools'] });
  assert.deepEqual(resolveRule(aravis, P('ubuntu', 'focal')), { ok: true, installer: 'apt', packages: ['libaravis-0.6-0'] });
  assert.equal(resolveRule(aravis, P('ubuntu', 'bionic')).ok, false);
  assert.deepEqual(resolveRule({ debian: { buster: { pip: { packages: ['m2r'] } } } }, P('debian', 'buster')), { ok: true, installer: 'pip', packages: ['m2r'] });
  assert.deepEqual(resolveRule({ '*': { pip: { packages: ['attrs'] } } }, P('ubuntu', 'noble')), { ok: true, installer: 'pip', packages: ['attrs'] });
  assert.equal(resolveRule({ fedora: null }, P('fedora', '40')).ok, false);
  assert.match((resolveRule({ gentoo: ['x'] }, P('ubuntu', 'noble')) as { reason: string }).reason, /no rule for ubuntu/);
});

test('first definition of a key wins across files, as rosdep merges sources', () => {
  const db = new RosdepDatabase();
  db.add('mercurial:\n  ubuntu: [from-base]\n', 'base.yaml');
  db.add('mercurial:\n  ubuntu: [from-python]\n', 'python.yaml');
  assert.deepEqual(db.resolve('mercurial', P('ubuntu', 'noble')), { ok: true, installer: 'apt', packages: ['from-base'], file: 'base.yaml' });
});

test('a malformed rule file names file and line', () => {
  const db = new RosdepDatabase();
  assert.throws(() => db.add('good:\n  ubuntu: [a]\nbad: [unclosed\n', 'rules.yaml'), (e: unknown) => e instanceof InputError && e.file === 'rules.yaml' && (e.line ?? 0) >= 3);
});

for (const platform of [P('ubuntu', 'noble'), P('debian', 'bookworm'), P('ubuntu', 'jammy'), P('fedora', '40')]) {
  test(`every key of the real rule files resolves as rosdep2 resolves it on ${platform.os}:${platform.codename}`, (t) => {
    const skip = skipReason('rosdep');
    if (skip) { t.skip(skip); return; }
    const files = bundledRosdepRules();
    const db = new RosdepDatabase();
    for (const f of files) db.add(readFileSync(f, 'utf8'), f);
    const installers = { ubuntu: ['apt', 'pip', 'gem', 'source'], debian: ['apt', 'pip', 'gem', 'source'], fedora: ['dnf', 'pip', 'gem', 'source'] }[platform.os]!;
    const script = `
import json, sys, yaml
from rosdep2.lookup import RosdepDefinition, ResolutionError
os_name, os_version, installers, default, files = json.load(sys.stdin)
seen = {}
for f in files:
    for k, v in (yaml.safe_load(open(f)) or {}).items():
        seen.setdefault(k, v)
out = {}
for k, v in seen.items():
    try:
        inst, rule = RosdepDefinition(k, v, 'x').get_rule_for_platform(os_name, os_version, installers, default)
        pk = rule.get('packages', rule) if isinstance(rule, dict) else rule
        if isinstance(pk, str): pk = pk.split()
        out[k] = [inst, list(pk) if isinstance(pk, list) else None]
    except ResolutionError:
        out[k] = None
print(json.dumps(out))`;
    const theirs = JSON.parse(python(script, JSON.stringify([platform.os, platform.codename, installers, installers[0], files]))) as Record<string, [string, string[] | null] | null>;
    let compared = 0;
    for (const [key, expected] of Object.entries(theirs)) {
      const ours = db.resolve(key, platform)!;
      if (expected === null) { assert.equal(ours.ok, false, key); continue; }
      if (expected[1] === null) continue; // a source installer's rdmanifest: no package list to compare
      assert.ok(ours.ok, `${key}: ${!ours.ok && ours.reason}`);
      assert.deepEqual([ours.installer, ours.packages], expected, key);
      compared++;
    }
    assert.ok(compared > 1000, `compared ${compared}`);
  });
}
