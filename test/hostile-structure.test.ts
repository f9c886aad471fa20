// Inputs of the wrong shape get an error that names the field; a byte order mark is accepted; a
// file named like an Object.prototype member is not a lockfile; an invalid purl is replaced, said.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { writeFileAtomic } from '../src/util/fs.ts';
import { FileAccess } from '../src/util/file-access.ts';
import { readSecurityTxt } from '../src/cra/check.ts';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildInventory } from '../src/api/inventory.ts';
import { toSpdx } from '../src/util/license.ts';
import { importAdvisories } from '../src/api/advisories.ts';
import { parseManifest } from '../src/manifest/manifest.ts';
import { InputError } from '../src/util/errors.ts';
import { AdvisoryDb } from '../src/advisories/store.ts';
import { spawnSync } from 'node:child_process';
import { ROOT } from './helpers/paths.ts';

async function problemsOf(name: string, text: string) {
  const dir = mkdtempSync(join(tmpdir(), 'marque-shape-'));
  writeFileSync(join(dir, name), text);
  const inv = await buildInventory({ target: dir });
  return inv.problems.map((p) => p.message);
}

test('a field of the wrong type is named, never a JavaScript TypeError', async () => {
  const cases: [string, string, RegExp][] = [
    ['package-lock.json', '{"lockfileVersion":3,"packages":{"":{"name":"p"},"node_modules/a":null}}', /packages › node_modules\/a: must be object/],
    ['package-lock.json', '{"lockfileVersion":3,"packages":{"":{"name":"p"},"node_modules/a":{"version":"1.0.0","integrity":5}}}', /node_modules\/a › integrity: must be string/],
    ['Pipfile.lock', '{"default":{"a":null}}', /default › a: must be object/],
    ['poetry.lock', '[package]\nname = "x"\nversion = "1"\n', /package: must be array/],
    ['uv.lock', 'version = 1\n[[package]]\nname = "a"\nversion = "1"\nsource = "editable"\n', /package › 0 › source: must be object/],
    ['Cargo.lock', '[[package]]\nname = "a"\nversion = "1"\ndependencies = [1]\n', /package › 0 › dependencies › 0: must be string/],
    ['pdm.lock', '[metadata]\ngroups = ["default"]\n[[package]]\nname = "a"\nversion = "1"\ngroups = "default"\n', /package › 0 › groups: must be array/],
    ['pdm.lock', '[[package]]\nname = "a"\nversion = "1"\ndependencies = [1]\n', /package › 0 › dependencies › 0: must be string/],
    ['pdm.lock', '[metadata.files]\n"a 1" = [{hash = 5}]\n', /metadata › files › a 1 › 0 › hash: must be string/],
    ['bom.json', '{"bomFormat":"CycloneDX","specVersion":"1.6","version":1,"components":[null]}', /not a valid CycloneDX: components › 0: must be object/],
  ];
  for (const [name, text, want] of cases) {
    const messages = await problemsOf(name, text);
    assert.equal(messages.length, 1, `${name}: ${messages.join('; ')}`);
    assert.match(messages[0]!, want);
    assert.doesNotMatch(messages[0]!, /is not a function|Cannot read properties|is not iterable/);
  }
});

test('JSON with a UTF-8 byte order mark is read; a JSON syntax error names line and column', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'marque-bom-'));
  writeFileSync(join(dir, 'package-lock.json'), '\ufeff' + JSON.stringify({ name: 'p', version: '1.0.0', lockfileVersion: 3, packages: { '': { name: 'p', version: '1.0.0', dependencies: { a: '^1' } }, 'node_modules/a': { version: '1.2.0' } } }));
  const inv = await buildInventory({ target: dir });
  assert.equal(inv.problems.length, 0);
  assert.ok(inv.components.some((c) => c.purl === 'pkg:npm/a@1.2.0'));
  const broken = mkdtempSync(join(tmpdir(), 'marque-bom-'));
  writeFileSync(join(broken, 'package-lock.json'), '{\n  "name": "p",\n  "packages": {,\n}');
  const p = (await buildInventory({ target: broken })).problems[0]!;
  assert.equal(p.line, 3);
  assert.ok(p.column! > 0);
});

test('files named like Object.prototype members are not lockfiles', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'marque-proto-'));
  mkdirSync(join(dir, 'src'));
  for (const n of ['constructor', 'toString', 'valueOf', '__proto__', 'hasOwnProperty']) writeFileSync(join(dir, 'src', n), 'x');
  const inv = await buildInventory({ target: dir });
  assert.deepEqual(inv.problems, []);
});

test('licences: spellings are corrected, guesses are not (no version, "or later" or licence that the text does not say)', () => {
  const cases: [string, string | undefined][] = [
    ['Apache 2', 'Apache-2.0'], ['Apache License, Version 2.0', 'Apache-2.0'], ['MIT License', 'MIT'], ['The MIT License (MIT)', 'MIT'],
    ['ISC License', 'ISC'], ['GPLv2+', 'GPL-2.0-or-later'], ['BSD 3-Clause', 'BSD-3-Clause'],
    ['GPL', undefined], ['GNU GPL', undefined], ['GPL (>= 2)', undefined], ['GPLv3', undefined], ['MIT-ish', undefined], ['Zlib-ish', undefined],
    ['Apache Software License', undefined], ['Eclipse Public License 2.0', undefined], ['BSD License', undefined],
  ];
  for (const [text, want] of cases) assert.equal(toSpdx(text), want, text);
});

test('a dpkg status that is empty or garbage is an error, not an empty image', async () => {
  for (const body of ['', '\u0000\u0001binary garbage: not a control file\n\n%%%']) {
    const dir = mkdtempSync(join(tmpdir(), 'marque-dpkg-'));
    mkdirSync(join(dir, 'var/lib/dpkg'), { recursive: true });
    writeFileSync(join(dir, 'var/lib/dpkg/status'), body);
    const inv = await buildInventory({ target: dir });
    assert.equal(inv.problems[0]?.severity, 'error');
    assert.match(inv.problems[0]!.message, /dpkg status/);
  }
});

test('what should be refused is: out-of-range EPSS rows, a calendar date that does not exist, two package names, an XInclude out of the policy folder; a broken pyproject.toml is said', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'marque-refuse-'));
  writeFileSync(join(dir, 'e.csv'), 'cve,epss,percentile\nCVE-2024-1,Infinity,-5\n');
  await assert.rejects(importAdvisories(join(dir, 'db.sqlite'), [join(dir, 'e.csv')]), /not an EPSS row .*two probabilities between 0 and 1/);
  const run = (...args: string[]) => spawnSync(process.execPath, [join(ROOT, 'bin/marque.js'), ...args], { encoding: 'utf8' });
  const today = run('classify', join(ROOT, 'examples/courier-robot'), '--today', '2026-02-30');
  assert.equal(today.status, 2);
  assert.match(today.stderr, /must be a calendar date/);
  const names = mkdtempSync(join(tmpdir(), 'marque-names-'));
  writeFileSync(join(names, 'package.xml'), '<package format="3"><name>a</name><name>b</name><version>1.0.0</version></package>');
  assert.match((await buildInventory({ target: names })).problems[0]!.message, /has 2 <name> elements/);
  const py = mkdtempSync(join(tmpdir(), 'marque-py-'));
  writeFileSync(join(py, 'pyproject.toml'), '[project\nname = "real-name"\n');
  writeFileSync(join(py, 'requirements.txt'), 'requests==2.31.0\n');
  const p = (await buildInventory({ target: py })).problems;
  assert.equal(p.length, 1);
  assert.match(p[0]!.message, /pyproject|malformed TOML.*project's name and dependency groups are unknown/);
  const s = mkdtempSync(join(tmpdir(), 'marque-sros-'));
  writeFileSync(join(s, 'marque.yaml'), 'product: {name: p, version: 1.0.0}\narchitecture:\n  compartments: [{id: ros, kind: container}]\n  ros: {compartment: ros, sros2Policy: p.xml}\n');
  writeFileSync(join(s, 'p.xml'), '<?xml version="1.0"?>\n<policy version="0.2.0" xmlns:xi="http://www.w3.org/2001/XInclude"><enclaves><xi:include href="/etc/passwd"/></enclaves></policy>\n');
  const per = run('perimeter', s);
  assert.equal(per.status, 2);
  assert.match(per.stderr, /leads out of the policy's folder/);
  assert.doesNotMatch(per.stdout + per.stderr, /root:x:0/);
});

test('a write that fails leaves no partial file and the old file intact', () => {
  const dir = mkdtempSync(join(tmpdir(), 'marque-atomic-'));
  const file = join(dir, 'out.json');
  writeFileSync(file, 'old');
  // A folder where the file would go makes the rename fail, as a full disk makes the write fail.
  mkdirSync(join(dir, 'blocked.json'));
  assert.throws(() => writeFileAtomic(join(dir, 'blocked.json'), 'new'));
  assert.deepEqual(readdirSync(dir).sort(), ['blocked.json', 'out.json']);
  writeFileAtomic(file, 'new');
  assert.equal(readFileSync(file, 'utf8'), 'new');
});

test('every input error names its file: deep XML, deep or long conditions, an alias bomb, a database that is not one, a corrupt archive member', async () => {
  const deep = mkdtempSync(join(tmpdir(), 'marque-deep-'));
  writeFileSync(join(deep, 'package.xml'), `<?xml version="1.0"?><package format="3"><name>p</name><version>1.0.0</version><description>d</description><maintainer email="a@b.c">m</maintainer><license>MIT</license><export>${'<a>'.repeat(1000)}${'</a>'.repeat(1000)}</export></package>`);
  const p1 = (await buildInventory({ target: deep })).problems;
  assert.equal(p1[0]!.file, 'package.xml');
  const cond = mkdtempSync(join(tmpdir(), 'marque-cond-'));
  const pkg = (c: string) => `<?xml version="1.0"?><package format="3"><name>q</name><version>1.0.0</version><description>d</description><maintainer email="a@b.c">m</maintainer><license>MIT</license><depend condition="${c}">rclcpp</depend></package>`;
  writeFileSync(join(cond, 'package.xml'), pkg(`${'('.repeat(100_000)}$A == 1${')'.repeat(100_000)}`));
  const p2 = (await buildInventory({ target: cond })).problems;
  assert.equal(p2[0]!.file, 'package.xml');
  assert.match(p2[0]!.message, /nested more than 64 deep/);
  assert.ok(p2[0]!.message.length < 300, 'the condition is quoted, not repeated');
  // A long flat chain is fine: evaluated by a loop, not a recursion per term.
  writeFileSync(join(cond, 'package.xml'), pkg(Array.from({ length: 50_000 }, () => '$ROS_VERSION == 2').join(' and ')));
  assert.deepEqual((await buildInventory({ target: cond })).problems, []);
  const yaml = mkdtempSync(join(tmpdir(), 'marque-alias-'));
  let doc = 'product:\n  name: p\n  version: "1.0.0"\na: &a ["x","x","x","x","x","x","x","x","x","x"]\n';
  for (const [n, prev] of [['b', 'a'], ['c', 'b'], ['d', 'c'], ['e', 'd'], ['f', 'e'], ['g', 'f']]) doc += `${n}: &${n} [${Array(10).fill(`*${prev}`).join(',')}]\n`;
  writeFileSync(join(yaml, 'marque.yaml'), doc);
  assert.throws(() => parseManifest(doc, join(yaml, 'marque.yaml')), (e: unknown) => e instanceof InputError && /marque\.yaml/.test(e.file) && /aliases expand too far/.test(e.message));
  const garbage = join(yaml, 'g.sqlite');
  writeFileSync(garbage, Buffer.alloc(4096, 9));
  assert.throws(() => AdvisoryDb.openForRead(garbage), /g\.sqlite: file is not a database/);
});

test('devices are never read, and reads are bounded: /dev/zero as a launch file, a rule file or security.txt is refused', async () => {
  assert.throws(() => FileAccess.within('/dev/zero').readTextSync('/dev/zero', 1000), /is a character device, not a regular file; not read/);
  await assert.rejects(FileAccess.within('/dev/urandom').readText('/dev/urandom', 5000), /is a character device, not a regular file; not read/);
  const dir = mkdtempSync(join(tmpdir(), 'marque-dev-'));
  const readTextSync = (p: string, limit: number) => FileAccess.within(dir).readTextSync(p, limit);
  writeFileSync(join(dir, 'big.txt'), 'x'.repeat(2000));
  assert.throws(() => readTextSync(join(dir, 'big.txt'), 1000), /file is 2000 bytes, over the 1000-byte limit/);
  assert.equal(readTextSync(join(dir, 'big.txt'), 2000).length, 2000);
  // A file whose size says 0 while it holds text (as /proc's do) is read to its end; past the limit, refused.
  if (existsSync('/proc/self/status')) {
    assert.match(FileAccess.within('/proc/self').readTextSync('/proc/self/status', 1 << 20), /^Name:[\s\S]*\nPid:/);
    assert.throws(() => FileAccess.within('/proc/self').readTextSync('/proc/self/status', 10), /more than 10 bytes; not read/);
  }
  mkdirSync(join(dir, '.well-known'));
  symlinkSync('/dev/zero', join(dir, '.well-known', 'security.txt'));
  const txt = readSecurityTxt(dir, new Date());
  assert.match(txt!.problems[0]!, /not read/);
  const inv = await buildInventory({ target: join(ROOT, 'examples/courier-robot'), rosdepRules: ['/dev/zero'] });
  assert.match(inv.problems.find((p) => p.file === '/dev/zero')!.message, /not read/);
});
