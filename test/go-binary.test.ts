// Go binaries: one built here by Debian's Go (a module with a replaced dependency), read by
// Marque's build-information scanner, checked against `go version -m`; inside an image too.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { scanGoBuildInfo } from '../src/sources/image/go-buildinfo.ts';
import { buildInventory } from '../src/api/inventory.ts';
import { dockerSave } from './helpers/image.ts';

const hasGo = spawnSync('go', ['version']).status === 0;
if (!hasGo && process.env['CI']) throw new Error('go is not installed; .ci/run installs Debian\'s golang-go');

function build(): string {
  const dir = mkdtempSync(join(tmpdir(), 'marque-gobin-'));
  mkdirSync(join(dir, 'lib'));
  writeFileSync(join(dir, 'lib', 'go.mod'), 'module example.com/lib\n\ngo 1.19\n');
  writeFileSync(join(dir, 'lib', 'lib.go'), 'package lib\n\nfunc Name() string { return "lib" }\n');
  writeFileSync(join(dir, 'go.mod'), 'module example.com/robotctl\n\ngo 1.19\n\nrequire example.com/lib v1.0.0\n\nreplace example.com/lib => ./lib\n');
  writeFileSync(join(dir, 'main.go'), 'package main\n\nimport (\n\t"fmt"\n\t"example.com/lib"\n)\n\nfunc main() { fmt.Println(lib.Name()) }\n');
  // Offline: no proxy, caches in the test's own folder.
  const env = { ...process.env, GOCACHE: join(dir, 'cache'), GOPATH: join(dir, 'gopath'), GOPROXY: 'off', GOFLAGS: '-buildvcs=false', GOTOOLCHAIN: 'local' };
  const r = spawnSync('go', ['build', '-o', 'robotctl', '.'], { cwd: dir, env, encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  return join(dir, 'robotctl');
}

test('the build information of a binary Debian\'s Go built: what `go version -m` says, read as the bytes stream by', { skip: !hasGo && 'go not installed (.ci/run installs golang-go)' }, () => {
  const bin = build();
  const oracle = spawnSync('go', ['version', '-m', bin], { encoding: 'utf8' }).stdout.split('\n').slice(1).map((l) => l.trim().split('\t')).filter((f) => f[0]);
  const scan = scanGoBuildInfo();
  const bytes = readFileSync(bin);
  for (let i = 0; i < bytes.length; i += 7919) scan.push(bytes.subarray(i, i + 7919)); // odd chunks: the magic straddles some
  const info = scan.result()!;
  assert.equal(info.goVersion, spawnSync('go', ['version', '-m', bin], { encoding: 'utf8' }).stdout.split('\n')[0]!.split(': ')[1]);
  assert.equal(info.path, oracle.find((f) => f[0] === 'path')![1]);
  assert.deepEqual([info.main?.path, info.main?.version], oracle.find((f) => f[0] === 'mod')!.slice(1, 3));
  assert.deepEqual(info.deps.map((d) => [d.path, d.version, d.replacedBy?.path ?? '']), [['example.com/lib', 'v1.0.0', './lib']]);
  assert.deepEqual(Object.entries(info.settings).map(([k, v]) => `${k}=${v}`), oracle.filter((f) => f[0] === 'build').map((f) => f[1]));
});

test('that binary inside an image: its module, its standard library, a local replacement kept as the module it replaces', { skip: !hasGo && 'go not installed (.ci/run installs golang-go)' }, async () => {
  const bin = build();
  const image = await dockerSave([{ entries: [{ name: 'usr/bin/robotctl', data: readFileSync(bin), mode: 0o755 }] }]);
  const file = join(mkdtempSync(join(tmpdir(), 'marque-gobin-image-')), 'robot.tar');
  writeFileSync(file, image.tar);
  const inv = await buildInventory({ target: file });
  const goVersion = spawnSync('go', ['env', 'GOVERSION'], { encoding: 'utf8' }).stdout.trim().replace(/^go/, '');
  assert.deepEqual(inv.components.map((c) => c.purl).sort(), ['pkg:golang/example.com/lib@v1.0.0', 'pkg:golang/example.com/robotctl', `pkg:golang/stdlib@${goVersion}`].sort());
  assert.ok(inv.components.every((c) => c.properties?.['go:binary'] === '/usr/bin/robotctl'));
});
