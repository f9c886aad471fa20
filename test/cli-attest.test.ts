import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { appendFileSync, cpSync, mkdtempSync, readFileSync, writeFileSync, statSync, chmodSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EXAMPLE, ROOT } from './helpers/paths.ts';

function marque(...args: string[]) {
  const r = spawnSync(process.execPath, [join(ROOT, 'bin/marque.js'), ...args], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

test('assess once, sign, verify, reuse in a product, exchange as a bundle', () => {
  const dir = mkdtempSync(join(tmpdir(), 'marque-attest-'));
  const k = JSON.parse(marque('keys', 'generate', '--name', 'auditor', '--out', join(dir, 'keys'), '--json').out);
  assert.equal(statSync(k.privateKey).mode & 0o777, 0o600);
  const st = join(dir, 'rclcpp.statement.json');
  const created = marque('attest', 'create', '--component', 'pkg:deb/ubuntu/ros-jazzy-rclcpp', '--from', '28.0.0', '--before', '29.0.0',
    '--context', 'ROS 2 Jazzy, mobile robot, DDS security enabled', '--use', 'ros2-jazzy', '--method', 'review,fuzzing',
    '--check', 'no known exploitable vulnerabilities=pass:I.2.a', '--check', 'deserialisation fuzzing=pass:I.2.k',
    '--evidence', 'https://example.org/reports/rclcpp-2026.pdf', '--assessor', 'ROS security WG', '--expires', '+365', '-o', st);
  assert.equal(created.code, 0, created.err);
  assert.equal(JSON.parse(readFileSync(st, 'utf8')).predicateType, 'https://marque.invalid/attestation/assessment/v1');
  const env = join(dir, 'rclcpp.dsse.json');
  assert.equal(marque('attest', 'sign', st, '--key', k.privateKey, '-o', env).code, 0);
  assert.equal(marque('attest', 'verify', env, '--key', k.publicKey, '--component', 'pkg:deb/ubuntu/ros-jazzy-rclcpp@28.1.21-1?distro=ubuntu-24.04').code, 0);
  const outside = marque('attest', 'verify', env, '--key', k.publicKey, '--component', 'pkg:deb/ubuntu/ros-jazzy-rclcpp@29.0.1-1');
  assert.equal(outside.code, 1);
  assert.match(outside.err, /outside the assessed range/);
  // The epoch qualifier is part of the version: 1:28.1.21-1 sorts after 29.0.0.
  const epoch = marque('attest', 'verify', env, '--key', k.publicKey, '--component', 'pkg:deb/ubuntu/ros-jazzy-rclcpp@28.1.21-1?epoch=1');
  assert.equal(epoch.code, 1);
  assert.match(epoch.err, /version 1:28\.1\.21-1 is outside the assessed range/);
  const tampered = JSON.parse(readFileSync(env, 'utf8'));
  tampered.payload = Buffer.from(Buffer.from(tampered.payload, 'base64').toString().replace('28.0.0', '0.0.0')).toString('base64');
  writeFileSync(join(dir, 'tampered.dsse.json'), JSON.stringify(tampered));
  assert.equal(marque('attest', 'verify', join(dir, 'tampered.dsse.json'), '--key', k.publicKey).code, 1);
  assert.match(marque('attest', 'verify', join(dir, 'tampered.dsse.json'), '--key', k.publicKey).err, /no valid signature/);

  // A product trusts the auditor for ROS packages in its use, and reuses the assessment.
  const product = join(dir, 'robot');
  cpSync(EXAMPLE, product, { recursive: true });
  cpSync(k.publicKey, join(product, 'auditor.pub.pem'));
  appendFileSync(join(product, 'marque.yaml'), '\ntrust:\n  keys:\n    - name: ROS security WG\n      publicKey: auditor.pub.pem\n      components: ["pkg:deb/ubuntu/ros-jazzy-*"]\n      uses: [ros2-jazzy]\nassessments:\n  use: ros2-jazzy\n');
  const bundle = join(dir, 'bundle.json');
  const exportDir = join(dir, 'auditor-store');
  cpSync(env, join(exportDir, 'rclcpp.dsse.json'), { recursive: true });
  assert.equal(marque('attest', 'export', dir, '--store', exportDir, '-o', bundle).code, 0);
  assert.equal(marque('attest', 'import', bundle, product).code, 0);
  const applied = JSON.parse(marque('attest', 'apply', product, '--json').out);
  assert.deepEqual(applied.covered.map((c: { component: string }) => c.component), ['pkg:deb/ubuntu/ros-jazzy-rclcpp@28.1.21-1?distro=ubuntu-24.04']);
  assert.match(applied.covered[0].attestation, /^sha256:[0-9a-f]{64}$/);
  assert.equal(applied.covered[0].signers[0].name, 'ROS security WG');
  assert.equal(applied.figures.overall.covered, 1);
  assert.ok(applied.figures.runtime.total > 0);
  assert.equal(applied.unassessed[0].depth, 1, 'the to-do list starts nearest the product (its own code, depth 0, is not on it)');
  assert.equal(applied.figures.byDepth['0'], undefined, 'the product\'s own packages (depth 0) are not counted');
  assert.match(marque('attest', 'apply', product).out, /Coverage by valid, trusted assessments \(third-party components\): 1\//);

  // diff: a new version still inside the signed range needs no re-assessment; the rest does.
  const next = join(dir, 'robot-next');
  cpSync(product, next, { recursive: true });
  const d = JSON.parse(marque('diff', join(EXAMPLE, '..', 'courier-robot-1.5'), next, '--json', '--db', join(dir, 'none.sqlite')).out);
  assert.ok(Array.isArray(d.stillCovered));
  const back = JSON.parse(marque('diff', join(EXAMPLE, '..', 'courier-robot-1.5'), product, '--json', '--db', join(dir, 'none.sqlite')).out);
  assert.deepEqual(back.stillCovered, [], 'rclcpp did not change between the two');

  // A valid assessment of another version is not coverage, and apply says why.
  const fb = join(dir, 'foxglove.statement.json');
  assert.equal(marque('attest', 'create', '--component', 'pkg:deb/ubuntu/ros-jazzy-foxglove-bridge', '--from', '4.0.0', '--context', 'ROS 2 Jazzy', '--use', 'ros2-jazzy',
    '--method', 'review', '--assessor', 'ROS security WG', '-o', fb).code, 0);
  assert.equal(marque('attest', 'sign', fb, '--key', k.privateKey, '-o', join(product, 'attestations', 'foxglove.dsse.json')).code, 0);
  const again = marque('attest', 'apply', product);
  assert.match(again.out, /Coverage by valid, trusted assessments \(third-party components\): 1\//);
  assert.match(again.err, /not covering pkg:deb\/ubuntu\/ros-jazzy-foxglove-bridge@3\.4\.3-1\?distro=ubuntu-24\.04: sha256:[0-9a-f]{64}: version 3\.4\.3-1 is outside the assessed range \{"from":"4\.0\.0"\}/);

  // verify judges for the product's use (assessments.use) unless --use names another, as apply does.
  const humble = join(dir, 'humble.statement.json');
  assert.equal(marque('attest', 'create', '--component', 'pkg:deb/ubuntu/ros-jazzy-rclcpp', '--from', '28.0.0', '--context', 'ROS 2 Humble', '--use', 'ros2-humble',
    '--method', 'review', '--assessor', 'ROS security WG', '-o', humble).code, 0);
  assert.equal(marque('attest', 'sign', humble, '--key', k.privateKey, '-o', join(dir, 'humble.dsse.json')).code, 0);
  const forHumble = marque('attest', 'verify', join(dir, 'humble.dsse.json'), '--key', k.publicKey, '--manifest', product);
  assert.equal(forHumble.code, 1);
  assert.match(forHumble.err, /made for ros2-humble, not for ros2-jazzy/);
  assert.equal(marque('attest', 'verify', join(dir, 'humble.dsse.json'), '--key', k.publicKey, '--manifest', product, '--use', 'ros2-humble').code, 0);

  // A world-readable private key is refused for signing.
  chmodSync(k.privateKey, 0o644);
  assert.match(marque('attest', 'sign', st, '--key', k.privateKey).err, /readable by others/);
  assert.equal(marque('attest', 'create', '--component', 'pkg:npm/x@1.0.0').code, 2, 'a component with a version is a usage error');
  for (const bad of ['next year', '+abc', '+1e9999', '+99999999999']) {
    const r = marque('attest', 'create', '--component', 'pkg:npm/x', '--from', '1.0.0', '--context', 'c', '--method', 'review', '--assessor', 'a', '--expires', bad);
    assert.equal(r.code, 2, bad);
    assert.match(r.err, /--expires takes a date \(2027-12-31\) or \+DAYS/);
  }
});
