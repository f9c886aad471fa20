// The ROS extraction writes its Package URLs directly when every part is plain (src/sources/ros/purl.ts):
// each must be the one packageurl-js writes, checked on every package of the bundled distributions and
// every Debian package the bundled rosdep rules name, and on names the library must still handle.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { makePurl, type PurlParts } from '../src/model/purl.ts';
import { rosPurl } from '../src/sources/ros/purl.ts';
import { debianName } from '../src/sources/ros/rosdistro.ts';
import { parseYaml } from '../src/util/yaml.ts';
import { BUNDLED_ROSDISTRO } from '../src/util/package.ts';

const same = (p: PurlParts) => assert.equal(rosPurl(p), makePurl(p), JSON.stringify(p));

test('every released package of the bundled distributions, as a ROS package and as its Debian package: the library\'s purl', () => {
  let checked = 0;
  for (const distro of ['humble', 'jazzy', 'kilted', 'rolling']) {
    const file = join(BUNDLED_ROSDISTRO, distro, 'distribution.yaml');
    const repos = (parseYaml(readFileSync(file, 'utf8'), file) as { repositories: Record<string, { release?: { packages?: string[]; version?: string } }> }).repositories;
    for (const [repo, { release }] of Object.entries(repos)) for (const name of release?.packages ?? (release ? [repo] : [])) {
      const version = release?.version ?? '';
      same({ type: 'ros', name, version: version.replace(/-\d+$/, ''), qualifiers: { distro } });
      same({ type: 'deb', namespace: 'ubuntu', name: debianName(distro, name), version, qualifiers: { distro: 'ubuntu-24.04' } });
      checked++;
    }
  }
  assert.ok(checked > 5000, `${checked} packages`);
});

test('every Debian package the bundled rosdep rules name: the library\'s purl', () => {
  const names = new Set<string>();
  const collect = (v: unknown): void => {
    if (typeof v === 'string') names.add(v);
    else if (Array.isArray(v)) v.forEach(collect);
    else if (v && typeof v === 'object') Object.values(v).forEach(collect);
  };
  for (const f of ['base.yaml', 'python.yaml']) {
    const data = parseYaml(readFileSync(join(BUNDLED_ROSDISTRO, 'rosdep', f), 'utf8'), f) as Record<string, Record<string, unknown>>;
    for (const rule of Object.values(data)) { collect(rule['ubuntu']); collect(rule['debian']); }
  }
  assert.ok(names.size > 2000, `${names.size} names`);
  for (const name of names) {
    same({ type: 'deb', namespace: 'ubuntu', name, qualifiers: { distro: 'ubuntu-24.04' } });
    same({ type: 'deb', namespace: 'debian', name, qualifiers: { distro: 'debian-12' } });
  }
});

test('what is not plain goes through the library', () => {
  const cases: PurlParts[] = [
    { type: 'ros', name: 'Camel_Case', version: '1.0.0', qualifiers: { distro: 'jazzy' } },
    { type: 'ros', name: 'x', version: '1.0.0+git~1:2', qualifiers: { distro: 'jazzy' } },
    { type: 'ros', name: 'x', version: '1.0.0', qualifiers: { distro: 'jazzy', arch: 'amd64' } },
    { type: 'ros', name: 'x', version: '', qualifiers: { distro: '' } },
    { type: 'deb', namespace: 'ubuntu', name: 'g++', version: '1:13.2.0-7ubuntu1', qualifiers: { distro: 'ubuntu-24.04' } },
    { type: 'deb', namespace: 'Ubuntu', name: 'libfoo_bar', qualifiers: { distro: 'ubuntu-24.04' } },
    { type: 'pypi', name: 'Foo_Bar' },
    { type: 'generic', name: 'zed', version: '2.0.1' },
  ];
  cases.forEach(same);
});
