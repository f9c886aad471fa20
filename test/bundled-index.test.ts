// The lookup forms an installed package reads instead of the bundled rosdistro and rosdep YAML
// (scripts/prepare-data.ts writes them, bundledIndex reads them): every lookup answers as the YAML
// does. A clone never reads them (it parses the YAML), so they are checked here, on the real files.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { LookupTable, lookupTableText } from '../src/util/lookup-table.ts';
import { bundledIndexText, parseYaml } from '../src/util/yaml.ts';
import { addDistributionFile, distributionIndex, ReleasedPackages, releasePlatformsOf, type Distribution } from '../src/sources/ros/rosdistro.ts';
import { RosdepDatabase } from '../src/sources/ros/rosdep.ts';
import { BUNDLED_ROSDISTRO } from '../src/util/package.ts';
import { FileAccess } from '../src/util/file-access.ts';

const tableOf = (text: string) => new LookupTable(text, text.indexOf('\n') + 1);

test('a lookup table finds every key, first and last included, and nothing else', () => {
  const keys = ['a', 'a_b', 'ab', 'b', 'ros-jazzy-x', 'z', 'zz', 'Ä'];
  const table = new LookupTable(lookupTableText(keys.map((k, i) => [k, `v${i}`])));
  keys.forEach((k, i) => assert.equal(table.get(k), `v${i}`, k));
  for (const absent of ['', '0', 'a_', 'aa', 'c', 'zzz', 'Ö', 'a\tv0']) assert.equal(table.get(absent), undefined, absent);
  assert.deepEqual([...table.keys()], [...keys].sort());
  assert.equal(new LookupTable('').get('a'), undefined, 'an empty table');
  const headed = `{"h":1}\n${lookupTableText([['k', '']])}`;
  assert.equal(tableOf(headed).get('k'), '', 'an empty value is a value');
  assert.equal(tableOf(headed).get('{"h":1}'), undefined, 'the header is not a key');
  assert.throws(() => lookupTableText([['a\tb', 'x']]), /tab or a line end/);
  assert.throws(() => lookupTableText([['a', 'x\ny']]), /tab or a line end/);
  assert.throws(() => lookupTableText([['a', '1'], ['a', '2']]), /twice/);
});

test('a distribution\'s lookup form answers every released package as its YAML does', () => {
  const file = join(BUNDLED_ROSDISTRO, 'jazzy', 'distribution.yaml');
  const text = readFileSync(file, 'utf8');
  const fromYaml: Distribution = { name: 'jazzy', releasePlatforms: {}, packages: new ReleasedPackages(), files: [] };
  addDistributionFile(fromYaml, text, file);
  const index = distributionIndex(text, file);
  assert.deepEqual(JSON.parse(index.slice(0, index.indexOf('\n'))), { releasePlatforms: fromYaml.releasePlatforms });
  assert.deepEqual(releasePlatformsOf(file, FileAccess.within(file)), fromYaml.releasePlatforms);
  const table = tableOf(index);
  const viaTable = new ReleasedPackages();
  viaTable.addTable(table);
  const names = [...table.keys()];
  assert.ok(names.length > 2000, `${names.length} packages`);
  for (const name of names) assert.deepEqual(viaTable.get(name), fromYaml.packages.get(name), name);
  assert.ok(names.includes('rclcpp') && viaTable.get('rclcpp')?.version);
  assert.equal(viaTable.get('no_such_package'), undefined);
  // A later file overrides an earlier one (REP 143), whichever form each came in.
  const override = 'type: distribution\nversion: 2\nrepositories:\n  rclcpp:\n    release:\n      packages: [rclcpp]\n      version: 99.0.0-1\n';
  addDistributionFile(fromYaml, override, 'override.yaml');
  assert.equal(fromYaml.packages.get('rclcpp')?.version, '99.0.0-1');
  const both: Distribution = { name: 'jazzy', releasePlatforms: {}, packages: new ReleasedPackages(), files: [] };
  both.packages.addTable(table);
  addDistributionFile(both, override, 'override.yaml');
  assert.equal(both.packages.get('rclcpp')?.version, '99.0.0-1');
  assert.deepEqual(both.packages.get('rclpy'), viaTable.get('rclpy'));
});

test('a rosdep file\'s lookup form resolves every key as its YAML does', () => {
  const file = join(BUNDLED_ROSDISTRO, 'rosdep', 'base.yaml');
  const text = readFileSync(file, 'utf8');
  const data = parseYaml(text, file) as Record<string, unknown>;
  const fromYaml = new RosdepDatabase();
  fromYaml.add(text, file);
  const viaTable = new RosdepDatabase();
  viaTable.addSerialised(tableOf(bundledIndexText({}, Object.entries(data).map(([k, v]) => [k, JSON.stringify(v)]))), file);
  assert.equal(viaTable.size, fromYaml.size);
  for (const platform of [{ os: 'ubuntu', codename: 'noble' }, { os: 'debian', codename: 'bookworm' }, { os: 'rhel', codename: '9' }]) {
    for (const key of Object.keys(data)) assert.deepEqual(viaTable.resolve(key, platform), fromYaml.resolve(key, platform), key);
  }
  assert.equal(viaTable.has('no-such-key'), false);
  assert.equal(viaTable.resolve('no-such-key', { os: 'ubuntu', codename: 'noble' }), undefined);
});
