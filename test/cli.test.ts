// The CLI contract of issue 2, run as a user runs it: a child process, JSON on stdout, exit codes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync, truncateSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EXAMPLE, ROOT } from './helpers/paths.ts';
import { cycloneDx16 } from './helpers/schemas.ts';

function marque(...args: string[]) {
  const r = spawnSync(process.execPath, [join(ROOT, 'bin/marque.js'), ...args], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

const PKG = (name: string, extra = '') => `<?xml version="1.0"?>\n<package format="3">\n  <name>${name}</name>\n  <version>1.0.0</version>\n  <description>d</description>\n  <maintainer email="m@example.com">M</maintainer>\n  <license>MIT</license>\n  <exec_depend>rclcpp</exec_depend>${extra}\n</package>\n`;

test('inventory --json follows the contract', () => {
  const r = marque('inventory', EXAMPLE, '--json');
  assert.equal(r.code, 0, r.err);
  assert.equal(r.err, '', 'no progress output when piped');
  const j = JSON.parse(r.out);
  const c = j.components.find((x: { name: string }) => x.name === 'courier_msgs');
  for (const k of ['purl', 'name', 'version', 'ecosystem', 'depth', 'kind', 'licenses', 'sourceFile']) assert.ok(k in c, k);
  assert.equal(c.ecosystem, 'ros');
  const d = j.dependencies[0];
  for (const k of ['from', 'to', 'kind', 'constraint', 'condition']) assert.ok(k in d, k);
  for (const k of ['key', 'package', 'file']) assert.ok(k in j.unresolved[0], k);
});

test('inventory flags: --platform, --rosdistro, --rosdep-rules, --distribution, --kind', () => {
  const rules = join(ROOT, 'data/rosdistro/rosdep/base.yaml');
  const r = marque('inventory', EXAMPLE, '--json', '--platform', 'debian:bookworm', '--rosdistro', 'jazzy',
    '--rosdep-rules', rules, '--distribution', join(ROOT, 'data/rosdistro/jazzy/distribution.yaml'), '--kind', 'runtime');
  assert.equal(r.code, 0, r.err);
  const j = JSON.parse(r.out);
  assert.ok(j.components.some((c: { purl: string }) => c.purl.includes('distro=debian-12')));
  // python.yaml was not given: python3-requests is now unresolved.
  assert.ok(j.unresolved.some((u: { key: string }) => u.key === 'python3-requests'));
});

test('why prints the paths that go deeper at each step, shortest first, counts them, and --limit cuts', () => {
  const all = JSON.parse(marque('why', 'ros-jazzy-rclcpp', EXAMPLE, '--json').out);
  assert.equal(all.paths.length, 2, 'courier_navigation and courier_motor_bridge need rclcpp directly');
  assert.equal(all.total, '2');
  assert.ok(all.paths.every((p: string[]) => p.at(-1)!.startsWith('pkg:deb/ubuntu/ros-jazzy-rclcpp@')));
  assert.ok(all.paths.every((p: string[], i: number) => i === 0 || p.length >= all.paths[i - 1].length));
  const one = JSON.parse(marque('why', 'ros-jazzy-rclcpp', EXAMPLE, '--json', '--limit', '1').out);
  assert.equal(one.paths.length, 1);
  const deep = JSON.parse(marque('why', 'pkg:npm/hasown', EXAMPLE, '--json').out);
  assert.ok(deep.paths.length > 0 && deep.paths[0][0] === 'pkg:npm/courier-dashboard@1.4.0');
  assert.equal(marque('why', 'no-such-thing', EXAMPLE, '--json').code, 2);
});

test('sbom -o writes a valid CycloneDX file; --format spdx works; bad format is a usage error', () => {
  const dir = mkdtempSync(join(tmpdir(), 'marque-cli-'));
  const out = join(dir, 'bom.json');
  const r = marque('sbom', EXAMPLE, '-o', out);
  assert.equal(r.code, 0, r.err);
  assert.ok(cycloneDx16()(JSON.parse(readFileSync(out, 'utf8'))));
  assert.equal(JSON.parse(marque('sbom', EXAMPLE, '--format', 'spdx').out).spdxVersion, 'SPDX-2.3');
  const bad = marque('sbom', EXAMPLE, '--format', 'xml');
  assert.equal(bad.code, 2);
  assert.match(bad.err, /--format must be cyclonedx, spdx or spdx3/);
});

test('usage errors exit 2', () => {
  assert.equal(marque('inventory', '--no-such-flag').code, 2);
  assert.equal(marque('frobnicate').code, 2);
  assert.equal(marque('inventory', '/no/such/dir').code, 2);
  assert.equal(marque('why').code, 2);
  assert.equal(marque('--help').code, 0);
  // A message that names its command is not prefixed with it again ("marque init: marque init needs …"), and a
  // usage error shows the command's usage, as a wrong flag does.
  const init = marque('init', mkdtempSync(join(tmpdir(), 'marque-init-')));
  assert.equal(init.code, 2);
  assert.match(init.err, /^marque init needs --name and --version \(or a terminal to ask on\)\n\nUsage: marque init \[DIR\]/);
  assert.match(marque('why').err, /^marque why needs a component name or purl\n\nUsage: marque why NAME\|PURL/);
  assert.match(marque('why', 'x', EXAMPLE, '--limit', '0').err, /^marque why: --limit must be a positive whole number \(got "0"\)\n\nUsage: /);
});

test('why with part of a name says which names hold it', () => {
  const r = marque('why', 'idn', EXAMPLE);
  assert.equal(r.code, 2);
  assert.equal(r.err, 'no component named "idn" in this product; names that contain it: idna\n');
  assert.equal(marque('why', 'no-such-thing', EXAMPLE).err, 'no component named "no-such-thing" in this product\n');
});

test('a malformed package.xml is named with file and line; other packages still processed; exit 2', () => {
  const ws = mkdtempSync(join(tmpdir(), 'marque-ws-'));
  mkdirSync(join(ws, 'src/good'), { recursive: true });
  mkdirSync(join(ws, 'src/broken'), { recursive: true });
  writeFileSync(join(ws, 'src/good/package.xml'), PKG('good'));
  writeFileSync(join(ws, 'src/broken/package.xml'), PKG('broken').replace('</version>', '</versoin>'));
  const r = marque('inventory', ws, '--json');
  assert.equal(r.code, 2);
  const j = JSON.parse(r.out);
  assert.ok(j.components.some((c: { name: string }) => c.name === 'good'));
  const p = j.problems.find((x: { file: string }) => x.file === 'src/broken/package.xml');
  assert.ok(p && p.line === 4, JSON.stringify(j.problems));
  const human = marque('inventory', ws);
  assert.match(human.out, /src\/broken\/package\.xml:4/);
});

test('symlink loops, huge files and dangling links do not hang or crash the scan', { timeout: 300_000 }, () => {
  const ws = mkdtempSync(join(tmpdir(), 'marque-loop-'));
  mkdirSync(join(ws, 'src/a'), { recursive: true });
  writeFileSync(join(ws, 'src/a/package.xml'), PKG('a'));
  symlinkSync(join(ws, 'src'), join(ws, 'src/a/loop'));
  symlinkSync(join(ws, 'nowhere'), join(ws, 'src/dangling'));
  mkdirSync(join(ws, 'src/huge'));
  writeFileSync(join(ws, 'src/huge/package.xml'), '');
  truncateSync(join(ws, 'src/huge/package.xml'), 64 * 1024 * 1024); // sparse: large, costs nothing
  // A loop would never end: the test's timeout catches that (no timing assertion: bench/hostile.ts times).
  const r = marque('inventory', ws, '--json');
  const j = JSON.parse(r.out);
  assert.deepEqual(j.components.filter((c: { ecosystem: string }) => c.ecosystem === 'ros').map((c: { name: string }) => c.name), ['a']);
  assert.match(j.problems.find((p: { file: string }) => p.file === 'src/huge/package.xml').message, /over the .*limit/);
});

test('marque.yaml errors name file, line and path', () => {
  const ws = mkdtempSync(join(tmpdir(), 'marque-manifest-'));
  writeFileSync(join(ws, 'marque.yaml'), 'product:\n  name: x\n  version: 1.0.0\n  manufacturer:\n    name: M\n    emial: typo@example.com\n');
  const r = marque('inventory', ws);
  assert.equal(r.code, 2);
  assert.match(r.err, /marque\.yaml:6:5: product\.manufacturer: unknown field "emial"/);
});

test('a closed pipe ends the run quietly: no stack trace, exit 141 as after SIGPIPE', () => {
  const r = spawnSync('bash', ['-c', `"${process.execPath}" "${join(ROOT, 'bin/marque.js')}" inventory "${EXAMPLE}" | head -c 10 >/dev/null; echo "rc=\${PIPESTATUS[0]}" >&2`], { encoding: 'utf8' });
  assert.doesNotMatch(r.stderr, /EPIPE|at .*\.ts:\d+/);
  assert.match(r.stderr, /rc=(0|141)/);
});

test('a standard output left non-blocking by the parent, read slowly: all of the JSON arrives', (t) => {
  // Output is written with writeSync; a write that would wait (EAGAIN) hands the rest to Node's stream.
  const py = spawnSync('python3', ['-c', 'pass']);
  if (py.status !== 0) { t.skip('python3 is not on this machine (it makes the non-blocking pipe)'); return; }
  const script = [
    'import os, subprocess, sys, time',
    'r, w = os.pipe(); os.set_blocking(w, False)',
    'p = subprocess.Popen(sys.argv[1:], stdout=w)',
    'os.close(w); time.sleep(1.5)',
    'data = b""',
    'while True:',
    '    chunk = os.read(r, 65536)',
    '    if not chunk: break',
    '    data += chunk',
    'sys.stdout.buffer.write(data); sys.exit(p.wait())',
  ].join('\n');
  const r = spawnSync('python3', ['-c', script, process.execPath, join(ROOT, 'bin/marque.js'), 'inventory', EXAMPLE, '--json'], { encoding: 'utf8', maxBuffer: 64 << 20 });
  assert.equal(r.status, 0, r.stderr);
  assert.ok(r.stdout.length > 65536, 'more than a pipe holds');
  assert.equal((JSON.parse(r.stdout) as { components: unknown[] }).components.length, 225);
});

test('links out of the scanned folder are not followed (no /proc/self/environ in the output)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'marque-link-'));
  mkdirSync(join(dir, 'py'));
  symlinkSync('/proc/self/environ', join(dir, 'py/requirements.txt'));
  symlinkSync('/etc', join(dir, 'etc-outside'));
  const r = spawnSync(process.execPath, [join(ROOT, 'bin/marque.js'), 'inventory', dir, '--json'], { encoding: 'utf8', env: { ...process.env, SECRET_TOKEN: 'hunter2-s3cr3t' } });
  assert.doesNotMatch(r.stdout + r.stderr, /hunter2-s3cr3t/);
  const j = JSON.parse(r.stdout);
  assert.ok(j.problems.some((p: { file: string; message: string }) => p.file === 'py/requirements.txt' && /outside the scanned folder/.test(p.message)));
});

test('exit codes are one rule: the same broken input exits 2 from every command, a policy alone exits 1', () => {
  const dir = mkdtempSync(join(tmpdir(), 'marque-exit-'));
  mkdirSync(join(dir, 'src/good'), { recursive: true });
  mkdirSync(join(dir, 'src/bad'), { recursive: true });
  writeFileSync(join(dir, 'src/good/package.xml'), PKG('good'));
  writeFileSync(join(dir, 'src/bad/package.xml'), '<?xml version="1.0"?>\n<package format="3"><name>bad</name>\n');
  writeFileSync(join(dir, 'marque.yaml'), 'product:\n  name: robot\n  version: "1.0.0"\n');
  const db = join(dir, 'db.sqlite');
  assert.equal(marque('db', 'import', join(ROOT, 'test/fixtures/osv/pypa/requests'), '--db', db).code, 0);
  for (const args of [['inventory'], ['sbom'], ['vulns', '--db', db], ['check', '--db', db], ['perimeter', '--db', db]]) {
    const r = marque(args[0]!, dir, ...args.slice(1));
    assert.equal(r.code, 2, `${args[0]}: ${r.err}`);
  }
  assert.match(marque('vulns', dir, '--db', db).out, /Problems \(1\):\n  error: src\/bad\/package\.xml/);
  // Without the broken package the same commands pass, and check --strict fails on policy alone.
  writeFileSync(join(dir, 'src/bad/package.xml'), PKG('bad'));
  assert.equal(marque('vulns', dir, '--db', db).code, 0);
  assert.equal(marque('check', dir, '--db', db, '--strict').code, 1);
});

test('an unknown --rosdistro, or a platform the distribution does not target, is a usage error naming the valid ones', () => {
  const unknown = marque('inventory', EXAMPLE, '--rosdistro', 'foxy');
  assert.equal(unknown.code, 2);
  assert.match(unknown.err, /unknown ROS distribution "foxy": Marque bundles humble, jazzy, kilted, lyrical, rolling/);
  const platform = marque('inventory', EXAMPLE, '--rosdistro', 'humble', '--platform', 'ubuntu:noble');
  assert.equal(platform.code, 2);
  assert.match(platform.err, /ROS 2 humble does not target ubuntu:noble; its platforms are rhel:8, ubuntu:jammy/);
  assert.equal(marque('inventory', EXAMPLE, '--rosdistro', 'jazzy', '--platform', 'debian:bookworm', '--json').code, 0);
});

test('long lists say what they leave out, and --all / --limit show more', () => {
  const cut = marque('perimeter', EXAMPLE);
  assert.match(cut.out, /… and \d+ more \(--all, --limit N or --json\)/);
  assert.doesNotMatch(marque('perimeter', EXAMPLE, '--all').out, /… and \d+ more/);
  assert.equal(marque('perimeter', EXAMPLE, '--limit', '0').code, 2);
  // Every table line fits 100 columns.
  for (const line of marque('inventory', EXAMPLE).out.split('\n').filter((l) => /^\d|^-|^ {6}/.test(l))) assert.ok(line.length <= 100, line);
});
