// A value nobody gave is a gap everywhere: init does not invent it, and a placeholder left in
// marque.yaml ("TODO: ...") is never read as an answer by check, docs or perimeter.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT } from './helpers/paths.ts';
import { isPlaceholder, parseManifest } from '../src/manifest/manifest.ts';
import { InputError } from '../src/util/errors.ts';
import { missingTool } from './helpers/tools.ts';

function marque(...args: string[]) {
  const r = spawnSync(process.execPath, [join(ROOT, 'bin/marque.js'), ...args], { encoding: 'utf8', stdin: 'ignore' } as never);
  return { code: r.status, out: String(r.stdout), err: String(r.stderr) };
}
const db = join(tmpdir(), 'marque-no-such-db.sqlite');

// What "marque init" of earlier versions wrote, placeholders and unasked answers included.
const OLD_INIT = `product:
  name: "courier"
  version: "1.0.0"
  intendedPurpose: "TODO: what the product is for"
  manufacturer:
    name: "Acme Robotics GmbH"
support:
  periodEnd: "2033-01"
  updates:
    mechanism: "TODO: how security updates reach users (Annex I, Part II (7))"
security:
  contact: "TODO: mailto: or https: for vulnerability reports (Art. 13(17); Annex I, Part II (6))"
`;

test('placeholders are recognised, and read as absent with their line kept', () => {
  for (const v of ['TODO', 'TODO: x', 'tbd', 'FIXME later', '<your company>', '...', '…', '', '  ']) assert.ok(isPlaceholder(v), v);
  for (const v of ['OTA updates over HTTPS', 'Todoist integration', 'mailto:psirt@example.com', 'a <b> c']) assert.ok(!isPlaceholder(v), v);
  const m = parseManifest(OLD_INIT, 'marque.yaml');
  assert.equal(m.product.intendedPurpose, undefined);
  assert.equal(m.support?.updates?.mechanism, undefined);
  assert.equal(m.security?.contact, undefined);
  assert.deepEqual(m.placeholders.map((p) => [p.path, p.line]), [['product.intendedPurpose', 4], ['support.updates.mechanism', 10], ['security.contact', 12]]);
});

test('an empty launch argument or environment variable is a value, not a placeholder; a TODO there still is one', () => {
  // linorobot2: LINOROBOT2_DEPTH_SENSOR "" means no depth camera; `namespace: ""` is the root namespace.
  const m = parseManifest('product: {name: p, version: "1"}\narchitecture:\n  ros:\n    launch: [a.launch.py]\n    launchArguments: {namespace: "", robot_ip: "TODO"}\n    environment: {LINOROBOT2_DEPTH_SENSOR: "", LINOROBOT2_LASER_SENSOR: ld06}\n', 'marque.yaml');
  assert.deepEqual(m.architecture?.ros?.launchArguments, { namespace: '' });
  assert.deepEqual(m.architecture?.ros?.environment, { LINOROBOT2_DEPTH_SENSOR: '', LINOROBOT2_LASER_SENSOR: 'ld06' });
  assert.deepEqual(m.placeholders.map((p) => p.path), ['architecture.ros.launchArguments.robot_ip']);
  // Elsewhere an empty string is still a field left to fill in.
  assert.equal(parseManifest('product: {name: p, version: "1", intendedPurpose: ""}\n', 'marque.yaml').product.intendedPurpose, undefined);
});

test('a placeholder is a gap in check, docs and perimeter; a missing postal address is drawn as a gap', () => {
  const dir = mkdtempSync(join(tmpdir(), 'marque-todo-'));
  writeFileSync(join(dir, 'marque.yaml'), OLD_INIT);
  const check = JSON.parse(marque('check', dir, '--json', '--db', db, '--today', '2026-11-26').out);
  const item = (id: string) => check.items.find((i: { id: string }) => i.id === id);
  assert.equal(item('II.7').status, 'needs-evidence');
  assert.ok(item('II.7').evidence.some((e: string) => /marque\.yaml:10: support\.updates\.mechanism is a placeholder/.test(e)), JSON.stringify(item('II.7')));
  assert.equal(item('II.6').status, 'not-met');
  assert.ok(item('II.6').evidence.some((e: string) => /security\.contact is a placeholder/.test(e)));

  const docs = JSON.parse(marque('docs', dir, '--json', '--db', db).out);
  const points = docs.documents.flatMap((d: { points: { requirement: string; value: string | null; missing?: string[] }[] }) => d.points);
  assert.ok(points.every((p: { value: string | null }) => !/TODO/.test(p.value ?? '')), 'no placeholder is printed as filled text');
  const mf = points.find((p: { value: string | null }) => p.value?.startsWith('Acme Robotics GmbH'));
  assert.deepEqual(mf.missing, ['postal address (product.manufacturer.address)']);
  assert.doesNotMatch(mf.value, /missing/);

  const html = join(dir, 'out', 'dossier.html');
  const r = marque('docs', dir, '--db', db, '-o', html);
  assert.equal(r.code, 0, r.err);
  const text = readFileSync(html, 'utf8');
  assert.match(text, /^<!DOCTYPE html>/, '-o FILE.html writes that file, as HTML');
  assert.match(text, /<div class="value gap">TO BE COMPLETED BY THE MANUFACTURER: postal address/);
  assert.doesNotMatch(text, /TODO/);

  const per = JSON.parse(marque('perimeter', dir, '--json', '--db', db).out);
  const prop = (n: string) => per.sevenProperties.find((p: { property: string }) => p.property === n);
  assert.equal(prop('Renewable security').status, 'needs-evidence');
  assert.equal(prop('Failure reporting').status, 'needs-evidence');
});

test('init writes only what was given; the rest stays a commented question that check reports', () => {
  const dir = mkdtempSync(join(tmpdir(), 'marque-init-'));
  assert.equal(marque('init', dir, '--name', 'courier', '--version', '1.0.0', '--manufacturer', 'Acme', '--support-end', '2033-01').code, 0);
  const text = readFileSync(join(dir, 'marque.yaml'), 'utf8');
  assert.doesNotMatch(text, /TODO/);
  assert.doesNotMatch(text, /^\s*(automatic|separateFromFeatures|mechanism|intendedPurpose|contact|openSource|dataConnection|price):/m, 'no unasked answer is written');
  const m = parseManifest(text, join(dir, 'marque.yaml'));
  assert.equal(m.support?.updates, undefined);
  const check = JSON.parse(marque('check', dir, '--json', '--db', db, '--today', '2026-11-26').out);
  for (const id of ['II.7', 'I.2.c', 'II.2']) assert.equal(check.items.find((i: { id: string }) => i.id === id).status, 'needs-evidence', id);
  assert.ok(!check.items.some((i: { status: string; source?: string }) => i.status === 'declared' && /support\.updates/.test(i.source ?? '')));
  const profile = JSON.parse(marque('classify', dir, '--json').out);
  assert.ok(profile.uncertainties.some((u: { text: string }) => /product\.dataConnection.*assumed yes/.test(u.text)));

  const full = mkdtempSync(join(tmpdir(), 'marque-init-'));
  assert.equal(marque('init', full, '--name', 'c', '--version', '1', '--manufacturer', 'Acme', '--address', 'Hauptstr. 1, 10115 Berlin, DE',
    '--contact', 'mailto:psirt@acme.example', '--update-mechanism', 'signed OTA images', '--no-open-source').code, 0);
  const mf = parseManifest(readFileSync(join(full, 'marque.yaml'), 'utf8'), 'x');
  assert.equal(mf.product.manufacturer?.address, 'Hauptstr. 1, 10115 Berlin, DE');
  assert.equal(mf.security?.contact, 'mailto:psirt@acme.example');
  assert.equal(mf.support?.updates?.mechanism, 'signed OTA images');
  assert.equal(mf.commercial?.openSource, false);
});

test('manifest validation reports every error at once, and a bare version number says to quote it', () => {
  const text = 'product:\n  name: courier\n  version: 1.0\nsupport:\n  periodEnd: 2033\nbogus: 1\n';
  assert.throws(() => parseManifest(text, 'marque.yaml'), (e: unknown) => {
    assert.ok(e instanceof InputError);
    assert.equal(e.line, 3);
    assert.match(e.message, /product\.version: must be string: quote it: "1\.0"/);
    assert.match(e.message, /\nmarque\.yaml:5:\d+: support\.periodEnd: must be string: quote it: "2033"/);
    assert.match(e.message, /\nmarque\.yaml:6:\d+: \(top level\): unknown field "bogus"/);
    return true;
  });
  assert.ok(!existsSync(join(tmpdir(), 'nothing')));
});

test('interactive init asks for the contact, the distribution and a month for the support end (on a real terminal)', async (t) => {
  if (spawnSync('script', ['--version']).status !== 0) { missingTool(t, "util-linux's script", 'apt-get install util-linux'); return; }
  const dir = mkdtempSync(join(tmpdir(), 'marque-init-tty-'));
  const answers = ['robot', '1.0.0', 'Acme GmbH', 'Hauptstr 1, 10115 Berlin', 'm@acme.example', '', 'Delivers parcels', 'n', '', 'jazzy', '2031-13', '', '2031-06', 'signed OTA'];
  // A pseudo-terminal (script), answered as a person does: each answer only once its question shows.
  const child = spawn('script', ['-qec', `${process.execPath} ${join(ROOT, 'bin/marque.js')} init ${dir}`, '/dev/null'], { stdio: ['pipe', 'pipe', 'pipe'] });
  let out = '';
  let asked = 0;
  child.stdout.on('data', (d: Buffer) => {
    out += d.toString();
    // readline redraws its prompt with ESC[1G ESC[0J: one per question.
    const prompts = out.split('\u001b[1G\u001b[0J').length - 1;
    while (asked < prompts && asked < answers.length) child.stdin.write(`${answers[asked++]}\r`);
  });
  const code = await new Promise<number | null>((r) => { const timer = setTimeout(() => child.kill(), 30_000); child.on('exit', (c) => { clearTimeout(timer); r(c); }); });
  assert.equal(code, 0, out);
  assert.match(out, /the support period end is a month/, 'a bad or empty month is asked again');
  const m = parseManifest(readFileSync(join(dir, 'marque.yaml'), 'utf8'), 'marque.yaml');
  assert.equal(m.security?.contact, 'mailto:m@acme.example', 'the contact defaults to the email, confirmed');
  assert.equal(m.inventory?.rosdistro, 'jazzy');
  assert.equal(m.support?.periodEnd, '2031-06');
  assert.equal(m.product.manufacturer?.address, 'Hauptstr 1, 10115 Berlin');
  assert.equal(m.commercial?.openSource, false);
});

test('a repeated key in marque.yaml is refused with its line; a large manifest is read in linear time', () => {
  assert.throws(() => parseManifest('product:\n  name: a\n  version: "1"\n  name: b\n', 'marque.yaml'), (e: unknown) => e instanceof InputError && e.line === 4 && /duplicate key "name"/.test(e.message));
  const keys = 40_000;
  const text = `product:\n  name: p\n  version: "1.0.0"\ninventory:\n  conditions:\n${Array.from({ length: keys }, (_, i) => `    K${i}: v${i}\n`).join('')}`;
  assert.equal(Object.keys(parseManifest(text, 'marque.yaml').inventory!.conditions!).length, keys);
});
