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

test('a ROS workspace read without a distribution says which one Marque assumed; one given says nothing; ROS_DISTRO is named, not read', async () => {
  const { mkdtempSync, mkdirSync, writeFileSync } = await import('node:fs');
  const { join } = await import('node:path');
  const { tmpdir } = await import('node:os');
  const { buildInventory } = await import('../src/api/inventory.ts');
  const dir = mkdtempSync(join(tmpdir(), 'marque-assumed-'));
  mkdirSync(join(dir, 'p'));
  writeFileSync(join(dir, 'p', 'package.xml'), '<?xml version="1.0"?><package format="3"><name>p</name><version>1.0.0</version><description>d</description><maintainer email="a@b.c">m</maintainer><license>MIT</license><exec_depend>rclcpp</exec_depend></package>\n');
  const assumed = (notes: string[]) => notes.filter((n) => n.startsWith('no ROS distribution was given'));
  const before = process.env['ROS_DISTRO'];
  try {
    delete process.env['ROS_DISTRO'];
    assert.deepEqual(assumed((await buildInventory({ target: dir })).notes), [
      "no ROS distribution was given: the ROS packages are resolved as jazzy on ubuntu:noble, Marque's default; a product built for another distribution gives --rosdistro NAME or inventory.rosdistro in marque.yaml",
    ]);
    assert.deepEqual(assumed((await buildInventory({ target: dir, rosdistro: 'humble' })).notes), []);
    process.env['ROS_DISTRO'] = 'humble';
    const inv = await buildInventory({ target: dir });
    assert.match(assumed(inv.notes)[0]!, /ROS_DISTRO in this shell says "humble"; Marque does not read the environment/);
    assert.ok(inv.components.some((c) => c.purl.includes('distro=jazzy')), 'the environment changes nothing');
  } finally {
    if (before === undefined) delete process.env['ROS_DISTRO']; else process.env['ROS_DISTRO'] = before;
  }
});
