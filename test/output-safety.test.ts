// Hostile strings in inputs never reach the terminal as control sequences or as forged lines.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT } from './helpers/paths.ts';
import { neutralise, oneLine } from '../src/util/text.ts';

function marque(...args: string[]) {
  const r = spawnSync(process.execPath, [join(ROOT, 'bin/marque.js'), ...args], { encoding: 'utf8' });
  return { code: r.status, out: String(r.stdout), err: String(r.stderr) };
}
const RAW_CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/;

test('control characters become visible escapes; JSON keeps its meaning', () => {
  assert.equal(neutralise('a\u001b[2Jb\u009bc\nd'), 'a\\u001b[2Jb\\u009bc\nd');
  assert.equal(oneLine('x\nerror: forged\r'), 'x\\nerror: forged\\u000d');
  const json = JSON.stringify({ name: 'x\u009b31m' });
  assert.deepEqual(JSON.parse(neutralise(json)), { name: 'x\u009b31m' });
});

test('an SBOM component name with ANSI escapes, and a folder name with a newline, stay inert', () => {
  const dir = mkdtempSync(join(tmpdir(), 'marque-inject-'));
  writeFileSync(join(dir, 'bom.json'), JSON.stringify({
    bomFormat: 'CycloneDX', specVersion: '1.5', metadata: { component: { 'bom-ref': 'root', type: 'application', name: 'app', version: '1' } },
    components: [{ type: 'library', 'bom-ref': 'a', name: 'w', version: '1', purl: 'pkg:generic/x\u001b[2J\u001b[31mRED@1' }],
    dependencies: [{ ref: 'root', dependsOn: ['a'] }],
  }));
  const inv = marque('inventory', join(dir, 'bom.json'));
  assert.doesNotMatch(inv.out, RAW_CONTROL);
  assert.match(inv.out, /\\u001b\[2J/);
  const ws = join(dir, 'ws');
  const evil = join(ws, 'x\n  error: none - all inputs verified OK\nDEPTH');
  mkdirSync(evil, { recursive: true });
  writeFileSync(join(evil, 'package.xml'), '<package><name>');
  const r = marque('inventory', ws);
  assert.equal(r.code, 2);
  const problems = r.out.slice(r.out.indexOf('Problems'));
  assert.equal(problems.trim().split('\n').length, 2, 'one problem, one line');
  assert.match(problems, /x\\n {2}error: none - all inputs verified OK\\nDEPTH\/package\.xml/);
});

test('JSON written in pieces is the text JSON.stringify gives, byte for byte', async () => {
  const { jsonPieces } = await import('../src/util/json.ts');
  const { outJson } = await import('../src/cli/io.ts');
  const values: unknown[] = [
    { components: [{ purl: 'pkg:a/b@1', name: 'Ragnarök', licenses: [] }], notes: ['3 left out: a, b, …'], empty: {}, none: [], u: undefined, f: () => 1, n: null, d: 1.5e-7, nan: NaN },
    {}, { u: undefined }, [], [1, { a: [] }], 'text', 42, null, true,
    { ['__proto__']: { x: 1 }, 2: 'integer keys first', b: 'then the others' },
    { when: new Date(0), nested: { toJSON: (k: string) => `key ${k}` } },
    { toJSON: () => ({ replaced: true }) },
    { line: 'a\u009b31m\nb' },
  ];
  for (const v of values) {
    assert.equal(jsonPieces(v).join(''), JSON.stringify(v, null, 2), JSON.stringify(v));
    let written = '';
    outJson({ out: (t) => { written += t; }, err: () => {}, interactive: false }, v);
    assert.equal(written, `${JSON.stringify(v, null, 2)}\n`);
    // Control characters are escaped piece by piece as in the whole (processIo.out neutralises each).
    assert.equal(jsonPieces(v).map(neutralise).join(''), neutralise(JSON.stringify(v, null, 2)));
  }
  // The note's ellipsis stays in its own piece: the components' text stays one byte a character.
  const pieces = jsonPieces(values[0]);
  assert.ok(pieces.some((p) => p.includes('Ragnarök') && !/[^\u0000-\u00ff]/.test(p)) && pieces.some((p) => p.includes('…')));
});
