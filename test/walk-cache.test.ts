// The walk's folders kept between runs (src/sources/walk-cache.ts): a folder whose stamp is unchanged
// is not listed again and its files are not asked about again, and every walk finds what a walk
// without the cache finds, whatever changed in between.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { walk } from '../src/sources/walk.ts';
import { walkCachePath, type WalkMemo } from '../src/sources/walk-cache.ts';

process.env['MARQUE_CACHE_DIR'] ??= mkdtempSync(join(tmpdir(), 'marque-test-cache-'));

// Folders made by a test have just changed: a clock a minute ahead makes them settled, as folders
// untouched for a while are.
const later = () => Date.now() + 60_000;
const memo = (build = 'build-1', now: () => number = later): WalkMemo => ({ build, use: 'test', now });

function tree(): string {
  const root = mkdtempSync(join(tmpdir(), 'marque-walk-cache-'));
  for (const d of ['a/src', 'a/third_party/zed', 'b', '__proto__', 'constructor']) mkdirSync(join(root, d), { recursive: true });
  for (const f of ['a/package.xml', 'a/CMakeLists.txt', 'a/src/main.cpp', 'a/third_party/zed/CMakeLists.txt', 'b/package.xml', 'b/README.md', '__proto__/package.xml', 'constructor/package.xml']) writeFileSync(join(root, f), 'x');
  return root;
}

/** A walk claiming package.xml and CMakeLists.txt, with the files its claims were asked about. */
async function walked(root: string, m?: WalkMemo, excluded?: (rel: string) => boolean) {
  const asked: string[] = [];
  const r = await walk(root, (rel, name) => { asked.push(rel); return name === 'package.xml' || name === 'CMakeLists.txt'; }, excluded, m);
  return { files: r.files.map((f) => `${f.rel} ${f.size}`), problems: r.problems.map((p) => `${p.file}: ${p.message}`), asked };
}

test('an unchanged tree is walked from what was kept: no file asked about again, the same files found', async () => {
  const root = tree();
  const plain = await walked(root);
  const first = await walked(root, memo());
  assert.deepEqual(first.files, plain.files);
  assert.ok(first.asked.length > 0);
  const second = await walked(root, memo());
  assert.deepEqual(second.files, plain.files);
  assert.deepEqual(second.problems, plain.problems);
  assert.deepEqual(second.asked, [], 'nothing asked: every folder was known by its stamp');
  assert.ok(plain.files.includes('__proto__/package.xml 1') && plain.files.includes('constructor/package.xml 1'));

  // A file added at the top: only the top folder is listed again; its subfolders are still known, by name.
  writeFileSync(join(root, 'NEWS.md'), 'x');
  await walked(root, memo());
  const top = await walked(root, memo());
  assert.deepEqual(top.asked, [], 'kept again once listed');
  writeFileSync(join(root, 'NOTES.md'), 'x');
  assert.deepEqual((await walked(root, memo())).asked.sort(), ['NEWS.md', 'NOTES.md']);

  // Walked through a link to it, the tree is kept for its real path.
  const link = `${root}-link`;
  symlinkSync(root, link);
  await walked(link, memo());
  const viaLink = await walked(link, memo());
  assert.deepEqual(viaLink.asked, []);
  assert.deepEqual(viaLink.files, plain.files);

  // Another build, or another use, or a damaged file: listed again, same answer.
  assert.ok((await walked(root, memo('build-2'))).asked.length > 0);
  const kept = walkCachePath(root, 'test');
  writeFileSync(kept, readFileSync(kept, 'utf8').replace('package.xml', 'package.xmm'));
  const damaged = await walked(root, memo('build-2'));
  assert.ok(damaged.asked.length > 0);
  assert.deepEqual(damaged.files, plain.files);
});

test('folders that changed within the grain of time stamps are not kept', async () => {
  const root = tree();
  await walked(root, memo('build-1', Date.now));
  assert.ok((await walked(root, memo('build-1', Date.now))).asked.length > 0, 'listed again: nothing had settled');
});

test('what changed since is found: a file added, removed or renamed, a folder ignored, a folder swapped for a link out', async () => {
  const root = tree();
  const check = async (what: string) => {
    const cached = await walked(root, memo());
    const plain = await walked(root);
    assert.deepEqual(cached.files, plain.files, what);
    assert.deepEqual(cached.problems, plain.problems, what);
    return cached;
  };
  await check('first');
  writeFileSync(join(root, 'b', 'CMakeLists.txt'), 'x');
  assert.ok((await check('added')).files.includes('b/CMakeLists.txt 1'));
  rmSync(join(root, 'a', 'package.xml'));
  assert.ok(!(await check('removed')).files.includes('a/package.xml 1'));
  renameSync(join(root, 'b', 'README.md'), join(root, 'b', 'package.xml.tmp'));
  renameSync(join(root, 'b', 'package.xml.tmp'), join(root, 'a', 'src', 'package.xml'));
  assert.ok((await check('renamed')).files.includes('a/src/package.xml 1'));
  writeFileSync(join(root, 'a', 'third_party', 'COLCON_IGNORE'), '');
  assert.ok(!(await check('ignored')).files.some((f) => f.startsWith('a/third_party/')));
  const outside = mkdtempSync(join(tmpdir(), 'marque-walk-cache-out-'));
  writeFileSync(join(outside, 'package.xml'), 'secret');
  rmSync(join(root, 'b'), { recursive: true });
  symlinkSync(outside, join(root, 'b'));
  const swapped = await check('swapped');
  assert.ok(swapped.problems.some((p) => /^b: symbolic link leads outside/.test(p)), swapped.problems.join('\n'));
  assert.ok(!swapped.files.some((f) => f.startsWith('b/')));
  // Excluded paths are left out of kept folders as of listed ones.
  const excluded = await walked(root, memo(), (rel) => rel === 'a/src');
  assert.ok(!excluded.files.some((f) => f.startsWith('a/src/')) && excluded.files.includes('a/CMakeLists.txt 1'));
});

test('on a real tree (this repository\'s examples and fixtures) the kept walk is the walk', async () => {
  const root = join(import.meta.dirname, '..');
  const claims = (rel: string, name: string) => /\.(json|xml|lock|yaml|txt|toml)$/.test(name) || rel.includes('fixtures/hostile');
  const plain = await walk(root, claims);
  const m: WalkMemo = { build: 'build-1', use: 'test-repo', now: later };
  await walk(root, claims, undefined, m);
  const cached = await walk(root, claims, undefined, m);
  assert.deepEqual(cached, plain);
  assert.ok(plain.files.length > 500);
});

test('a crafted cache file cannot lead the walk out of the tree: names that climb, or a link kept as a folder, are never listed', async () => {
  const root = tree();
  const outside = mkdtempSync(join(tmpdir(), 'marque-walk-cache-out-'));
  writeFileSync(join(outside, 'package.xml'), 'secret');
  symlinkSync(outside, join(root, 'out'));
  await walked(root, memo());
  const kept = walkCachePath(root, 'test');
  const rewrite = (change: (rec: [number, number, number, number, number, string[], string, number[]]) => void) => {
    const [head, body] = readFileSync(kept, 'utf8').split('\n') as [string, string];
    const folders = (JSON.parse(body) as { folders: [number, number, number, number, number, string[], string, number[]][] }).folders;
    change(folders[0]!);
    const text = JSON.stringify({ folders });
    writeFileSync(kept, `${JSON.stringify({ ...JSON.parse(head), sha256: createHash('sha256').update(text).digest('hex') })}\n${text}`);
  };
  const plain = await walked(root);
  assert.ok(plain.problems.some((p) => /^out: symbolic link leads outside/.test(p)), plain.problems.join('\n'));
  // The link out, kept as a folder.
  rewrite((r) => { const i = r[5].indexOf('out'); r[6] = `${r[6].slice(0, i)}d${r[6].slice(i + 1)}`; r[7] = [...r[6]].flatMap((k) => (k === 'd' ? [-1] : [])); });
  const asFolder = await walked(root, memo());
  assert.ok(!asFolder.files.some((f) => f.startsWith('out/')), asFolder.files.join('\n'));
  // A folder named by a path that climbs out of the tree.
  rewrite((r) => { r[5] = [...r[5], `../${outside.split('/').pop()}`]; r[6] += 'd'; r[7] = [...r[6]].flatMap((k) => (k === 'd' ? [-1] : [])); });
  const climbing = await walked(root, memo());
  assert.ok(!climbing.files.some((f) => f.includes('..') || f.startsWith('out/')), climbing.files.join('\n'));
  assert.deepEqual(climbing.files, plain.files);
});
