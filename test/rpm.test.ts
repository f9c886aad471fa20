// RPM databases: rpmdb.sqlite made by Debian's rpm itself (rpmbuild, rpm -i --justdb), read by
// Marque, checked against `rpm -qa --dbpath` and `rpm -q --requires`; inside an image too; a
// Berkeley DB database (osv-scalibr's) read as well (test/rpm-bdb.test.ts has the rest).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildInventory } from '../src/api/inventory.ts';
import { osvPackagesOf } from '../src/advisories/match.ts';
import { dockerSave } from './helpers/image.ts';
import { FIXTURES } from './helpers/paths.ts';

const hasRpm = spawnSync('rpmbuild', ['--version']).status === 0;
if (!hasRpm && process.env['CI']) throw new Error('rpm is not installed; .ci/run installs Debian\'s rpm');

const SPECS: Record<string, string> = {
  'robot-base': 'Name: robot-base\nVersion: 1.2.3\nRelease: 4.el9\nEpoch: 2\nSummary: base\nLicense: MIT\nBuildArch: noarch\nProvides: libbase.so.1\n%description\nbase\n%files\n',
  'robot-app': 'Name: robot-app\nVersion: 0.9~rc1\nRelease: 1\nSummary: app\nLicense: Apache-2.0 AND BSD-3-Clause\nBuildArch: noarch\nRequires: robot-base >= 2:1.0\nRequires: libbase.so.1\nRequires: /bin/sh\n%description\napp\n%files\n',
  'robot-shell': 'Name: robot-shell\nVersion: 5.2\nRelease: 1\nSummary: shell\nLicense: GPL-3.0-or-later\nBuildArch: noarch\n%description\nshell\n%install\nmkdir -p %{buildroot}/bin && touch %{buildroot}/bin/sh\n%files\n/bin/sh\n',
};

/** A real rpmdb.sqlite under root/var/lib/rpm, made by rpm, and rpm's own listing of it. */
function rpmRoot(): { root: string; oracle: string[] } {
  const top = mkdtempSync(join(tmpdir(), 'marque-rpm-'));
  for (const d of ['SPECS', 'RPMS', 'BUILD', 'SOURCES', 'SRPMS', 'BUILDROOT']) mkdirSync(join(top, d));
  for (const [name, spec] of Object.entries(SPECS)) {
    writeFileSync(join(top, 'SPECS', `${name}.spec`), spec);
    const r = spawnSync('rpmbuild', ['--define', `_topdir ${top}`, '-bb', join(top, 'SPECS', `${name}.spec`)], { encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
  }
  const root = join(top, 'root');
  const dbpath = join(root, 'var', 'lib', 'rpm');
  mkdirSync(dbpath, { recursive: true });
  mkdirSync(join(root, 'etc'));
  writeFileSync(join(root, 'etc', 'os-release'), 'ID="rocky"\nVERSION_ID="9.4"\n');
  const rpms = readdirSync(join(top, 'RPMS', 'noarch')).map((f) => join(top, 'RPMS', 'noarch', f));
  assert.equal(spawnSync('rpm', ['--initdb', '--dbpath', dbpath]).status, 0);
  const i = spawnSync('rpm', ['-i', '--justdb', '--nodeps', '--noscripts', '--dbpath', dbpath, ...rpms], { encoding: 'utf8' });
  assert.equal(i.status, 0, i.stderr);
  const qa = spawnSync('rpm', ['-qa', '--dbpath', dbpath, '--qf', '%{NAME} %|EPOCH?{%{EPOCH}:}:{}|%{VERSION}-%{RELEASE} %{ARCH} %{LICENSE}\\n'], { encoding: 'utf8' });
  return { root, oracle: qa.stdout.trim().split('\n').sort() };
}

test('rpmdb.sqlite made by rpm: every package rpm lists, at its epoch:version-release, with its licence; requirements resolved by name, provides and files', { skip: !hasRpm && 'rpm not installed (.ci/run installs it)' }, async () => {
  const { root, oracle } = rpmRoot();
  const inv = await buildInventory({ target: root });
  const ours = inv.components.map((c) => `${c.name} ${c.version} ${c.purl.match(/arch=([^&]+)/)?.[1]} ${c.licensesDeclared?.[0] ?? ''}`).sort();
  assert.deepEqual(ours, oracle);
  const app = inv.components.find((c) => c.name === 'robot-app')!;
  const base = inv.components.find((c) => c.name === 'robot-base')!;
  const shell = inv.components.find((c) => c.name === 'robot-shell')!;
  assert.equal(base.purl, 'pkg:rpm/rocky/robot-base@1.2.3-4.el9?arch=noarch&distro=rocky-9.4&epoch=2');
  assert.deepEqual(inv.dependencies.filter((d) => d.from === app.purl).map((d) => d.to).sort(), [base.purl, shell.purl].sort(), 'robot-base by name and by libbase.so.1, /bin/sh by the file robot-shell owns');
  assert.deepEqual(inv.unresolved, []);
  assert.deepEqual(osvPackagesOf(base), [{ base: 'Rocky Linux', name: 'robot-base' }]);
});

test('the same database inside a docker save image; a Berkeley DB database is read too', { skip: !hasRpm && 'rpm not installed (.ci/run installs it)' }, async () => {
  const { root } = rpmRoot();
  const image = await dockerSave([{ entries: [{ name: 'etc/os-release', data: readFileSync(join(root, 'etc', 'os-release')) }, { name: 'var/lib/rpm/rpmdb.sqlite', data: readFileSync(join(root, 'var/lib/rpm/rpmdb.sqlite')) }] }]);
  const file = join(mkdtempSync(join(tmpdir(), 'marque-rpm-image-')), 'rocky.tar');
  writeFileSync(file, image.tar);
  const inv = await buildInventory({ target: file });
  assert.equal(inv.components.filter((c) => c.purl.startsWith('pkg:rpm/rocky/')).length, 3);
  const old = mkdtempSync(join(tmpdir(), 'marque-rpm-bdb-'));
  mkdirSync(join(old, 'var', 'lib', 'rpm'), { recursive: true });
  cpSync(join(FIXTURES, 'rpm', 'Packages_epoch'), join(old, 'var', 'lib', 'rpm', 'Packages'));
  const bdb = await buildInventory({ target: old });
  assert.deepEqual(bdb.problems, []);
  assert.deepEqual(bdb.components.map((c) => c.purl), ['pkg:rpm/rpm/hello@0.0.1-rls?arch=x86_64&epoch=1']);
});
