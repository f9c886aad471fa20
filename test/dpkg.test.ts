// dpkg databases written by others: a distroless image's status.d/ (syft's test image) and one package per
// dpkg state (osv-scalibr's statusfield), checked against dpkg-query and osv-scalibr's expectations.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { cpSync, mkdtempSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { spawnSync } from 'node:child_process';
import { buildInventory } from '../src/api/inventory.ts';
import { FIXTURES } from './helpers/paths.ts';

const root = (name: string) => join(FIXTURES, 'dpkg', name);

test('distroless: the packages of var/lib/dpkg/status.d/ are installed (no Status field); .md5sums and maintainer scripts beside them are not paragraphs', async () => {
  const inv = await buildInventory({ target: root('distroless') });
  assert.deepEqual(inv.components.map((c) => [c.purl, c.sourceFile]), [['pkg:deb/debian/libsqlite3-0@3.34.1-3?arch=arm64', 'var/lib/dpkg/status.d/libsqlite3-0']]);
  assert.deepEqual(inv.problems, []);
  assert.deepEqual(inv.unresolved.map((u) => [u.key, u.line]), [['libc6', 1]], 'its Depends on libc6, not in this image, is named with file and line');
});

test('dpkg states: installed whatever the want (ii, riR, pi as dpkg-query shows them); half-installed, unpacked and config-files are not', async (t) => {
  const inv = await buildInventory({ target: root('statusfield') });
  const names = inv.components.map((c) => c.name).sort();
  assert.deepEqual(names, ['wantdeinstall_installed', 'wantinstall_installed', 'wantpurge_installed']);
  if (spawnSync('dpkg-query', ['--version']).error) { t.diagnostic('dpkg-query missing: the oracle part is skipped'); return; }
  const admin = mkdtempSync(join(tmpdir(), 'marque-dpkg-'));
  mkdirSync(join(admin, 'updates'));
  mkdirSync(join(admin, 'info'));
  cpSync(join(root('statusfield'), 'var/lib/dpkg/status'), join(admin, 'status'));
  writeFileSync(join(admin, 'available'), '');
  const out = spawnSync('dpkg-query', [`--admindir=${admin}`, '-W', '-f', '${Package} ${db:Status-Abbrev}\n'], { encoding: 'utf8' }).stdout;
  // The second letter of dpkg's abbreviation is the state: i = installed (t, W: trigger states).
  const installed = out.split('\n').filter((l) => /^\S+ .[iWt]/.test(l)).map((l) => l.split(' ')[0]).sort();
  assert.deepEqual(names, installed);
});

test('a status.d/ file that is no paragraph file is named as a problem; the others still count', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'marque-distroless-'));
  cpSync(root('distroless'), dir, { recursive: true });
  writeFileSync(join(dir, 'var/lib/dpkg/status.d/broken'), 'this is not a control file\n');
  const inv = await buildInventory({ target: dir });
  assert.equal(inv.components.length, 1);
  assert.ok(inv.problems.some((p) => p.file === 'var/lib/dpkg/status.d/broken' && p.line === 1 && /no paragraph has a Package field/.test(p.message)), JSON.stringify(inv.problems));
});
