import { test } from 'node:test';
import assert from 'node:assert/strict';
import { progress, type Io } from '../src/cli/io.ts';

function fakeIo(interactive: boolean): Io & { errText: string } {
  const io = { errText: '', interactive, out: () => {}, err: (t: string) => { io.errText += t; } };
  return io;
}

test('progress appears on a terminal only after a second, and is cleared', (t) => {
  t.mock.timers.enable({ apis: ['setInterval'] });
  const io = fakeIo(true);
  const p = progress(io, true);
  p.update('ros: 420 file(s)');
  t.mock.timers.tick(900);
  assert.equal(io.errText, '', 'nothing for quick work');
  t.mock.timers.tick(200);
  assert.match(io.errText, /ros: 420 file\(s\)/);
  p.done();
  assert.ok(io.errText.endsWith('\r\x1b[2K'));
});

test('no progress when piped or with --json', (t) => {
  t.mock.timers.enable({ apis: ['setInterval'] });
  for (const [interactive, enabled] of [[false, true], [true, false]] as const) {
    const io = fakeIo(interactive);
    const p = progress(io, enabled);
    p.update('x');
    t.mock.timers.tick(5000);
    p.done();
    assert.equal(io.errText, '');
  }
});
