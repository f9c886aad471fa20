// Writes on a nearly full disk (issue 23 item 7): on a tmpfs of 512 KiB, writeSync writes fewer
// bytes than asked before it fails with ENOSPC. Every writer must notice, say so, leave the old file
// whole and leave no temporary file behind — the helpers and the commands that write with -o.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeChunksAtomic, writeFileAtomic } from '../src/util/fs.ts';
import { main } from '../src/cli/main.ts';
import { FIXTURES } from './helpers/paths.ts';

const small = mkdtempSync(join(tmpdir(), 'marque-full-'));
const mounted = process.getuid?.() === 0 && spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=512k', 'tmpfs', small]).status === 0;
after(() => { if (mounted) spawnSync('umount', [small]); rmSync(small, { recursive: true, force: true }); });

function skipUnlessMounted(t: { skip(msg: string): void }): boolean {
  if (mounted) return false;
  const why = 'mounting a tmpfs needs root (mount -t tmpfs)';
  if (process.env['CI'] === 'true') throw new Error(why);
  console.log(`# SKIP ${why}`);
  t.skip(why);
  return true;
}

/** Fills the tmpfs but for `free` bytes. */
function fill(free: number): void {
  rmSync(join(small, 'filler'), { force: true });
  const r = spawnSync('df', ['--output=avail', '-B1', small], { encoding: 'utf8' });
  const avail = Number(r.stdout.trim().split('\n').pop());
  writeFileSync(join(small, 'filler'), Buffer.alloc(Math.max(0, avail - free), 1));
}

const leftovers = () => readdirSync(small).filter((f) => f.endsWith('.tmp'));

test('writeChunksAtomic and writeFileAtomic on a full disk: an error saying so, the old file whole, no temporary file', (t) => {
  if (skipUnlessMounted(t)) return;
  const out = join(small, 'out.json');
  writeFileSync(out, '{"old":1}');
  fill(40 * 1024);
  // 40 KiB free: the first 64 KiB chunk is written short, then the disk is full.
  const chunks = Array.from({ length: 16 }, () => 'x'.repeat(64 * 1024));
  assert.throws(() => writeChunksAtomic(out, chunks), /cannot write .*out\.json: the disk is full; nothing was changed/);
  assert.equal(readFileSync(out, 'utf8'), '{"old":1}');
  assert.deepEqual(leftovers(), []);
  assert.throws(() => writeFileAtomic(out, 'y'.repeat(1024 * 1024)), /the disk is full; nothing was changed/);
  assert.equal(readFileSync(out, 'utf8'), '{"old":1}');
  assert.deepEqual(leftovers(), []);
  // The last write is the short one (no later write fails): the old code renamed a truncated file over the old one.
  fill(40 * 1024);
  assert.throws(() => writeChunksAtomic(out, ['a'.repeat(30 * 1024), 'b'.repeat(64 * 1024)]), /the disk is full; nothing was changed/);
  assert.equal(readFileSync(out, 'utf8'), '{"old":1}');
  assert.deepEqual(leftovers(), []);
  // What fits is written whole.
  writeChunksAtomic(out, ['{"new":', '2}']);
  assert.equal(readFileSync(out, 'utf8'), '{"new":2}');
});

test('"marque sbom -o" on a full disk exit 2 and keep the old file', async (t) => {
  if (skipUnlessMounted(t)) return;
  const out = join(small, 'sbom.json');
  writeFileSync(out, '{"old":1}');
  // As much room as the SBOM needs but 2 KiB: its last piece is written short, and nothing fails after it.
  const full = join(mkdtempSync(join(tmpdir(), 'marque-sbom-size-')), 'sbom.json');
  const sbom = join(FIXTURES, 'sboms/laravel-7.12.0.cdx.json');
  assert.equal(await main(['sbom', sbom, '-o', full], { out: () => {}, err: () => {}, interactive: false }), 0);
  fill(readFileSync(full).length - 2048);
  let err = '';
  const code = await main(['sbom', sbom, '-o', out], { out: () => {}, err: (s) => { err += s; }, interactive: false });
  assert.equal(code, 2, err);
  assert.match(err, /the disk is full; nothing was changed/);
  assert.doesNotMatch(err, /wrote /);
  assert.equal(readFileSync(out, 'utf8'), '{"old":1}');
  assert.deepEqual(leftovers(), []);
});
