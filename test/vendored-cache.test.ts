// The CMake reading kept between runs (src/sources/cmake/vendored-cache.ts): a second reading of an
// unchanged tree reads each file once to check it and interprets nothing; a changed file, a damaged
// cache entry or another build reads the CMake files again, and every answer is the one a fresh
// reading gives.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, statSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { resolveOptions } from '../src/api/inventory.ts';
import { walk } from '../src/sources/walk.ts';
import { claimsCMake } from '../src/sources/cmake/claims.ts';
import { vendoredSources } from '../src/sources/cmake/vendored.ts';
import { keptPath } from '../src/sources/cmake/vendored-cache.ts';
import { FileAccess } from '../src/util/file-access.ts';
import type { ExtractContext, FoundFile } from '../src/sources/extractor.ts';
import type { Problem } from '../src/model/inventory.ts';

const options = resolveOptions({});

function workspace(): string {
  const root = mkdtempSync(join(tmpdir(), 'marque-vendored-cache-'));
  mkdirSync(join(root, 'foo', 'third_party', 'zed'), { recursive: true });
  writeFileSync(join(root, 'foo', 'package.xml'), '<package format="3"><name>foo</name><version>1.0.0</version></package>\n');
  writeFileSync(join(root, 'foo', 'CMakeLists.txt'), [
    'cmake_minimum_required(VERSION 3.14)',
    'project(foo)',
    'include(FetchContent)',
    'FetchContent_Declare(yaml GIT_REPOSITORY https://github.com/acme/yaml.git GIT_TAG v1.2.3)',
    'add_subdirectory(third_party/zed)',
  ].join('\n'));
  writeFileSync(join(root, 'foo', 'third_party', 'zed', 'CMakeLists.txt'), 'project(zed VERSION 2.0.1)\n');
  writeFileSync(join(root, 'foo', 'third_party', 'zed', 'LICENSE'), 'SPDX-License-Identifier: MIT\n');
  return root;
}

/** One reading of `root` as the ROS extractor asks for it (after a walk, or with the files of an earlier one), with what it read counted. */
async function reading(root: string, build: string | undefined, walked?: FoundFile[], now?: () => number) {
  const files = walked ?? (await walk(root, (rel, name) => name === 'package.xml' || claimsCMake(rel, name))).files;
  const access = FileAccess.within(root);
  // Files opened to check the kept reading (not through the scan): a stamp that stands opens none.
  const opened = new Set<string>();
  const readTextSync = access.readTextSync.bind(access);
  access.readTextSync = (path, limit) => { opened.add(path); return readTextSync(path, limit); };
  // Files whose stamp was taken to check the kept reading: none that the walk saw settled.
  const stamped = new Set<string>();
  const stamp = access.stamp.bind(access);
  access.stamp = (path) => { stamped.add(path); return stamp(path); };
  const problems: Problem[] = [];
  const read = new Set<string>();
  const counted = new Map<string, string>();
  const ctx: ExtractContext = {
    root, options, files: access, problem: (p) => problems.push(p), catalogs: () => { throw new Error('not needed'); },
    countInput: (path, sha256) => { counted.set(path, sha256); },
    read: async (f) => { read.add(f.path); try { return await access.readText(f.path); } catch { return undefined; } },
    beside: (path, limit) => {
      read.add(path);
      try { return access.readIfPresentSync(path, limit); } catch (e) { problems.push({ file: path, message: (e as Error).message, severity: 'warning' }); return undefined; }
    },
  };
  const entries = [{ dir: 'foo', purl: 'pkg:ros/foo@1.0.0' }];
  const result = await vendoredSources(entries, files, ctx, new Set(['foo']), build, now);
  const summary = result.components.map((c) => `${c.purl} ${c.properties?.['vendored:method']}`).sort();
  return { result, summary, problems, read, counted, files, opened, stamped };
}

test('a second reading of an unchanged tree is the first one, checked file by file without interpreting', async () => {
  const root = workspace();
  const first = await reading(root, 'build-1');
  assert.deepEqual(first.summary, ['pkg:generic/zed@2.0.1 add_subdirectory', 'pkg:github/acme/yaml@v1.2.3 FetchContent_Declare']);
  assert.ok(first.read.size > 0 && first.counted.size === 0, 'the first reading reads through the scan');
  const again = await reading(root, 'build-1');
  assert.deepEqual(again.result, first.result);
  assert.equal(again.read.size, 0, 'nothing read through the scan: the kept reading was used');
  // Counted among the inputs as the first reading's reads were (those that found a file).
  const found = [...first.read].filter((p) => { try { readFileSync(p); return true; } catch { return false; } });
  assert.deepEqual([...again.counted.keys()].sort(), found.sort());
  // Without a build (a clone, whose code changes), nothing is kept or used.
  const clone = await reading(root, undefined);
  assert.deepEqual(clone.result, first.result);
  assert.ok(clone.read.size > 0);
});

test('a changed CMake file (same size), another build, or a damaged entry: the CMake files are read again', async () => {
  const root = workspace();
  await reading(root, 'build-1');
  const cmake = join(root, 'foo', 'CMakeLists.txt');
  writeFileSync(cmake, readFileSync(cmake, 'utf8').replace('v1.2.3', 'v1.2.4'));
  const changed = await reading(root, 'build-1');
  assert.ok(changed.read.size > 0, 'read again');
  assert.ok(changed.summary.includes('pkg:github/acme/yaml@v1.2.4 FetchContent_Declare'), changed.summary.join('\n'));
  assert.equal((await reading(root, 'build-1')).read.size, 0, 'kept again');

  const other = await reading(root, 'build-2');
  assert.ok(other.read.size > 0, 'another build reads again');

  // A byte changed inside the kept entry (still valid JSON): its checksum fails, and it is not used.
  const kept = keptPath(root);
  const text = readFileSync(kept, 'utf8');
  writeFileSync(kept, text.replace('v1.2.4', 'v6.6.6'));
  const damaged = await reading(root, 'build-2');
  assert.ok(damaged.read.size > 0);
  assert.ok(damaged.summary.includes('pkg:github/acme/yaml@v1.2.4 FetchContent_Declare'), damaged.summary.join('\n'));
  // Cut short, or not JSON at all: ignored likewise, then replaced.
  for (const bad of [text.slice(0, text.length >> 1), 'not json\n{}', '']) {
    writeFileSync(kept, bad);
    const r = await reading(root, 'build-2');
    assert.ok(r.read.size > 0);
    assert.deepEqual(r.summary, damaged.summary);
  }
  assert.equal((await reading(root, 'build-2')).read.size, 0, 'the damaged entry was replaced');
});

test('the checkout\'s remote is one of the answers the kept reading checks: a download of the product\'s own repository follows it', async () => {
  const root = workspace();
  mkdirSync(join(root, '.git'));
  const config = join(root, '.git', 'config');
  writeFileSync(config, '[remote "origin"]\n\turl = https://github.com/acme/robot.git\n');
  const yaml = (r: Awaited<ReturnType<typeof reading>>) => r.result.components.find((c) => c.purl === 'pkg:github/acme/yaml@v1.2.3')!;
  assert.equal(yaml(await reading(root, 'build-1')).firstParty, undefined);
  assert.equal((await reading(root, 'build-1')).read.size, 0, 'kept');
  // The same product now cloned from the repository it downloads: its own code.
  writeFileSync(config, '[remote "origin"]\n\turl = git@github.com:acme/yaml.git\n');
  const own = await reading(root, 'build-1');
  assert.ok(own.read.size > 0, 'read again');
  assert.equal(yaml(own).firstParty, true);
  rmSync(join(root, '.git'), { recursive: true });
  const plain = await reading(root, 'build-1');
  assert.ok(plain.read.size > 0, 'read again');
  assert.equal(yaml(plain).firstParty, undefined);
});

test('a file that appears is read; a reading that met a file it could not read is not kept', async () => {
  const root = workspace();
  await reading(root, 'build-1');
  writeFileSync(join(root, 'foo', 'extra.cmake'), 'FetchContent_Declare(more GIT_REPOSITORY https://github.com/acme/more.git GIT_TAG v3.0.0)\n');
  writeFileSync(join(root, 'foo', 'CMakeLists.txt'), `${readFileSync(join(root, 'foo', 'CMakeLists.txt'), 'utf8')}\ninclude(extra.cmake)\n`);
  const more = await reading(root, 'build-1');
  assert.ok(more.read.size > 0);
  assert.ok(more.summary.includes('pkg:github/acme/more@v3.0.0 FetchContent_Declare'), more.summary.join('\n'));
  assert.equal((await reading(root, 'build-1')).read.size, 0, 'kept');

  // A CMake file of megabytes is refused (a problem): that reading is not kept, and the next says it again.
  writeFileSync(join(root, 'foo', 'huge.cmake'), `# ${'x'.repeat(4 * 1024 * 1024)}\n`);
  writeFileSync(join(root, 'foo', 'CMakeLists.txt'), `${readFileSync(join(root, 'foo', 'CMakeLists.txt'), 'utf8')}\ninclude(huge.cmake)\n`);
  rmSync(keptPath(root));
  const refused = await reading(root, 'build-1');
  assert.ok(refused.read.size > 0);
  assert.ok(!existsSync(keptPath(root)), 'nothing kept');
  assert.match(refused.problems.map((p) => p.message).join('\n'), /limit/);
  const again = await reading(root, 'build-1');
  assert.ok(again.read.size > 0, 'not kept: read again');
  assert.deepEqual(again.problems, refused.problems, 'and said again');
  assert.deepEqual(again.result, refused.result);
});

test('a file read by the kept reading that became a link out of the tree or a FIFO after the walk: refused and said, never read', async () => {
  const secret = join(mkdtempSync(join(tmpdir(), 'marque-vendored-outside-')), 'secret.cmake');
  const canary = `CANARY-${process.pid}`;
  writeFileSync(secret, `FetchContent_Declare(${canary} GIT_REPOSITORY https://github.com/acme/${canary}.git GIT_TAG v1.0.0)\n`);
  for (const how of ['link', 'fifo'] as const) {
    const root = workspace();
    const first = await reading(root, 'build-1');
    // The walk's list (names and sizes) is the one kept with the reading: only the check can tell.
    const zed = join(root, 'foo', 'third_party', 'zed', 'CMakeLists.txt');
    rmSync(zed);
    if (how === 'link') symlinkSync(secret, zed); else execFileSync('mkfifo', [zed]);
    const r = await reading(root, 'build-1', first.files);
    assert.ok(r.read.size > 0, `${how}: read again through the scan`);
    assert.match(r.problems.map((p) => p.message).join('\n'), how === 'link' ? /leads outside/ : /FIFO/, how);
    assert.ok(!JSON.stringify(r.result).includes(canary), `${how}: nothing of the file outside`);
  }
});

// Files written by a test have just changed: a clock a minute ahead makes them settled, as files
// untouched for a while are.
const later = () => Date.now() + 60_000;

test('a settled file whose stamp is unchanged is not opened again; a changed one is, even with its old size and times', async () => {
  const root = workspace();
  const fresh = await reading(root, 'build-1');
  assert.ok((await reading(root, 'build-1')).opened.size > 0, 'files changed within the grain are checked by their content');
  await reading(root, 'build-1', undefined, later);
  const kept = await reading(root, 'build-1', undefined, later);
  assert.equal(kept.read.size, 0);
  assert.equal(kept.opened.size, 0, 'nothing opened: every stamp stood');
  assert.deepEqual(kept.result, fresh.result);
  assert.deepEqual([...kept.counted.keys()].sort(), [...(await reading(root, 'build-1')).counted.keys()].sort());

  // Same size, modification time put back: the change time still tells.
  const cmake = join(root, 'foo', 'CMakeLists.txt');
  const before = statSync(cmake);
  writeFileSync(cmake, readFileSync(cmake, 'utf8').replace('v1.2.3', 'v1.2.4'));
  utimesSync(cmake, before.atime, before.mtime);
  const changed = await reading(root, 'build-1', undefined, later);
  assert.ok(changed.read.size > 0, 'read again');
  assert.ok(changed.summary.includes('pkg:github/acme/yaml@v1.2.4 FetchContent_Declare'), changed.summary.join('\n'));
});

test('a kept stamp on a path that now passes a link is not trusted: the file is checked, and refused when the link leads out', async () => {
  for (const where of ['inside', 'outside'] as const) {
    const root = workspace();
    await reading(root, 'build-1', undefined, later);
    const first = await reading(root, 'build-1', undefined, later);
    assert.equal(first.opened.size, 0);
    // The vendored folder moved away, the same files (same inodes, same times), a link in its place.
    const zed = join(root, 'foo', 'third_party', 'zed');
    const away = where === 'inside' ? join(root, 'moved-zed') : join(mkdtempSync(join(tmpdir(), 'marque-vendored-away-')), 'zed');
    renameSync(zed, away);
    symlinkSync(away, zed);
    const r = await reading(root, 'build-1', first.files, later);
    if (where === 'inside') {
      assert.ok(r.opened.has(join(zed, 'CMakeLists.txt')), 'opened to check it: its stamp is not trusted behind a link');
      assert.deepEqual(r.result, first.result);
    } else {
      assert.ok(r.read.size > 0, 'read again through the scan');
      assert.match(r.problems.map((p) => p.message).join('\n'), /leads outside/);
    }
  }
});

test('a file the walk saw settled is checked by the stamp the walk took: no second stamp; a change it saw is read again', async () => {
  const root = workspace();
  // A walk whose clock is ahead, as for files untouched for a while: it gives each file its settled stamp.
  const walked = async () => (await walk(root, (rel, name) => name === 'package.xml' || claimsCMake(rel, name), undefined, { build: 'test', use: 'vendored-test', now: later })).files;
  await reading(root, 'build-1', await walked(), later);
  const kept = await reading(root, 'build-1', await walked(), later);
  assert.equal(kept.read.size, 0);
  assert.equal(kept.opened.size, 0, 'nothing opened');
  const cmake = join(root, 'foo', 'CMakeLists.txt');
  assert.ok(!kept.stamped.has(cmake), 'its stamp was the walk\'s');
  // Same size, modification time put back: the walk's stamp differs by its change time.
  const before = statSync(cmake);
  writeFileSync(cmake, readFileSync(cmake, 'utf8').replace('v1.2.3', 'v1.2.4'));
  utimesSync(cmake, before.atime, before.mtime);
  const changed = await reading(root, 'build-1', await walked(), later);
  assert.ok(changed.read.size > 0, 'read again');
  assert.ok(changed.summary.includes('pkg:github/acme/yaml@v1.2.4 FetchContent_Declare'), changed.summary.join('\n'));
});
