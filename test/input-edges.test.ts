// Inputs at the edges (issue 23 items 9, 11, 13, 14, 15): documents nested thousands deep, text in
// UTF-16 and UTF-32, OCI layouts with a FIFO or a symbolic link for a blob, a rosdistro cache that
// unpacks to gigabytes. Each ends with a message naming the file, or reads as the document it is;
// nothing overflows the stack, hangs, or grows without bound.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, symlinkSync, unlinkSync, writeFileSync, readdirSync, renameSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { buildInventory } from '../src/api/inventory.ts';
import { main } from '../src/cli/main.ts';
import { buildServer } from '../src/server/app.ts';
import { portfolioStore } from '../src/server/store/portfolio.ts';
import { sqliteSql } from '../src/server/store/sqlite.ts';
import { readCatalogText } from '../src/catalogs/read.ts';
import { ociLayout } from './helpers/image.ts';
import { FIXTURES, ROOT } from './helpers/paths.ts';

const tmp = (name: string) => mkdtempSync(join(tmpdir(), `marque-${name}-`));

async function run(argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '', err = '';
  const code = await main(argv, { out: (t) => { out += t; }, err: (t) => { err += t; }, interactive: false });
  return { code, out, err };
}

/** CycloneDX JSON whose components hold components `n` deep. */
function deepCycloneDx(n: number): string {
  const open = Array.from({ length: n }, (_, i) => `{"type":"library","name":"c${i}","version":"1","purl":"pkg:npm/c${i}@1","components":[`).join('');
  return `{"bomFormat":"CycloneDX","specVersion":"1.6","version":1,"components":[${open}{"type":"library","name":"leaf","version":"1","purl":"pkg:npm/leaf@1"}${']}'.repeat(n)}]}`;
}

/** SPDX 3 JSON-LD whose elements nest inline objects `n` deep, in the places readers look. */
function deepSpdx3(n: number, where: 'creationInfo' | 'externalIdentifier' | 'element'): string {
  const nest = (leaf: string) => `${'{"type":"X","x":'.repeat(n)}${leaf}${'}'.repeat(n)}`;
  const pkg = where === 'externalIdentifier'
    ? `{"type":"software_Package","spdxId":"urn:a","name":"a","software_packageVersion":"1","externalIdentifier":[${nest('1')}]}`
    : '{"type":"software_Package","spdxId":"urn:a","name":"a","software_packageVersion":"1"}';
  const doc = `{"type":"SpdxDocument","spdxId":"urn:d","creationInfo":${where === 'creationInfo' ? nest('"_:c"') : '"_:c"'},"rootElement":["urn:a"]${where === 'element' ? `,"element":[${nest('"urn:a"')}]` : ''}}`;
  return `{"@context":"https://spdx.org/rdf/3.0.1/spdx-context.jsonld","@graph":[${doc},${pkg}]}`;
}

test('CycloneDX nested 10,000 deep: a clear error from inventory, sbom check, vulns --vex; 1,000 deep reads whole', async () => {
  const dir = tmp('deep');
  writeFileSync(join(dir, 'deep.cdx.json'), deepCycloneDx(10_000));
  const inv = await buildInventory({ target: join(dir, 'deep.cdx.json') });
  assert.match(inv.problems.map((p) => p.message).join('\n'), /components nested more than 1000 deep/);
  const check = await run(['sbom', 'check', join(dir, 'deep.cdx.json'), '--profile', 'ntia']);
  assert.equal(check.code, 2);
  assert.match(check.err, /deep\.cdx\.json: components nested more than 1000 deep; not read/);
  assert.doesNotMatch(check.err + check.out, /Maximum call stack/);
  writeFileSync(join(dir, 'ok.cdx.json'), deepCycloneDx(998));
  const ok = await buildInventory({ target: join(dir, 'ok.cdx.json') });
  assert.equal(ok.components.length, 999);
  assert.deepEqual(ok.problems, []);
  const sbomCheck = await run(['sbom', 'check', join(dir, 'ok.cdx.json'), '--profile', 'ntia', '--json']);
  assert.doesNotMatch(sbomCheck.err, /Maximum call stack|nested/);
  // The same document as a VEX file: its components are walked with a stack too.
  mkdirSync(join(dir, 'p'));
  writeFileSync(join(dir, 'p', 'requirements.txt'), 'flask==3.0.0\n');
  const db = join(dir, 'adv.sqlite');
  assert.equal((await run(['db', 'import', join(FIXTURES, 'kev/known_exploited_vulnerabilities.json'), '--db', db])).code, 0);
  const vex = await run(['vulns', join(dir, 'p'), '--db', db, '--vex', join(dir, 'deep.cdx.json')]);
  assert.doesNotMatch(vex.err + vex.out, /Maximum call stack/);
});

test('SPDX 3 JSON-LD nested 20,000 deep (creation info, identifiers, elements): read or refused, never a stack overflow', async () => {
  const dir = tmp('deep-spdx3');
  for (const where of ['creationInfo', 'externalIdentifier', 'element'] as const) {
    const file = join(dir, `${where}.spdx3.json`);
    writeFileSync(file, deepSpdx3(20_000, where));
    const inv = await buildInventory({ target: file });
    assert.ok(!JSON.stringify(inv.problems).includes('Maximum call stack'), where);
    const check = await run(['sbom', 'check', file, '--profile', 'ntia']);
    assert.doesNotMatch(check.err + check.out, /Maximum call stack/, where);
  }
});

test('the server: a 10,000-deep CycloneDX upload, SPDX 3 and dossier body get 400 naming the nesting, never 500', async () => {
  const store = portfolioStore(sqliteSql(join(tmp('deep-server'), 'marque.sqlite')));
  await store.migrate();
  const team = await store.createTeam('acme');
  const token = (await store.createToken(team.id, 'admin', 'lead@acme')).token;
  const app = await buildServer(store);
  const call = (method: string, url: string, payload: string) => app.inject({ method: method as 'POST', url, headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, payload });
  const product = (await app.inject({ method: 'POST', url: '/api/v1/products', headers: { authorization: `Bearer ${token}` }, payload: { name: 'p' } })).json();
  for (const [name, body] of [['cyclonedx', deepCycloneDx(10_000)], ['spdx3', deepSpdx3(20_000, 'creationInfo')], ['array', `${'['.repeat(50_000)}${']'.repeat(50_000)}`]]) {
    const r = await call('POST', `/api/v1/products/${product.id}/releases?version=${name}`, body!);
    assert.equal(r.statusCode, 400, `${name}: ${r.body.slice(0, 300)}`);
    assert.match(r.json().detail, /nests arrays and objects more than 1000 deep/);
  }
  const release = (await app.inject({ method: 'POST', url: `/api/v1/products/${product.id}/releases?version=1`, headers: { authorization: `Bearer ${token}` }, payload: { bomFormat: 'CycloneDX', specVersion: '1.6', version: 1, components: [] } })).json();
  const deepDossier = `{"generator":${'{"a":'.repeat(20_000)}1${'}'.repeat(20_000)}}`;
  const d = await call('PUT', `/api/v1/releases/${release.id}/dossier`, deepDossier);
  assert.equal(d.statusCode, 400, d.body.slice(0, 300));
  await app.close();
});

test('marque.yaml nested past what the YAML parser follows: a message that says so, with the line', async () => {
  const dir = tmp('deep-yaml');
  writeFileSync(join(dir, 'marque.yaml'), `product:\n  name: p\n  version: "1"\nclassification:\n  coreFunctions: ${'['.repeat(100_000)}${']'.repeat(100_000)}\n`);
  const r = await run(['classify', dir]);
  assert.equal(r.code, 2);
  assert.match(r.err, /marque\.yaml:5:\d+: malformed YAML: nested too deeply to read/);
  assert.doesNotMatch(r.err, /Maximum call stack/);
});

/** The same text as UTF-8, UTF-16 LE/BE and UTF-32 LE/BE, with and without a byte order mark. */
function encodings(text: string): [string, Buffer][] {
  const le16 = Buffer.from(text, 'utf16le');
  const be16 = Buffer.from(le16).swap16();
  const cps = [...text].map((c) => c.codePointAt(0)!);
  const le32 = Buffer.alloc(cps.length * 4), be32 = Buffer.alloc(cps.length * 4);
  cps.forEach((cp, i) => { le32.writeUInt32LE(cp, i * 4); be32.writeUInt32BE(cp, i * 4); });
  return [
    ['utf-8 bom', Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text)])],
    ['utf-16le bom', Buffer.concat([Buffer.from([0xff, 0xfe]), le16])], ['utf-16be bom', Buffer.concat([Buffer.from([0xfe, 0xff]), be16])],
    ['utf-16le', le16], ['utf-16be', be16],
    ['utf-32le bom', Buffer.concat([Buffer.from([0xff, 0xfe, 0, 0]), le32])], ['utf-32be bom', Buffer.concat([Buffer.from([0, 0, 0xfe, 0xff]), be32])],
  ];
}

test('real SBOMs saved as UTF-16 or UTF-32 (CycloneDX XML and JSON, SPDX 2 JSON and tag-value) read as they do in UTF-8', async () => {
  const dir = tmp('utf16');
  for (const name of ['cern-lhc-vdm-editor.bom.xml', 'laravel-7.12.0.cdx.json', 'example11.spdx.json', 'example6-bin.spdx']) {
    const utf8 = await buildInventory({ target: join(FIXTURES, 'sboms', name) });
    const purls = utf8.components.map((c) => c.purl).sort();
    assert.ok(purls.length > 0, name);
    // An XML declaration that names UTF-8 would be wrong in UTF-16: say what the bytes are.
    const text = readFileSync(join(FIXTURES, 'sboms', name), 'utf8').replace(/^\uFEFF/, '');
    for (const [label, bytes] of encodings(text)) {
      const sub = join(dir, label.replace(/\W+/g, '-'));
      mkdirSync(sub, { recursive: true });
      writeFileSync(join(sub, name), bytes);
      const inv = await buildInventory({ target: join(sub, name) });
      assert.deepEqual(inv.components.map((c) => c.purl).sort(), purls, `${name} in ${label}`);
      assert.ok(!inv.problems.some((p) => /malformed JSON|malformed XML/.test(p.message)), `${name} in ${label}: ${JSON.stringify(inv.problems)}`);
    }
  }
  // The same through sbom check, which reads the file by its own path.
  const sub = join(dir, 'check');
  mkdirSync(sub);
  writeFileSync(join(sub, 'bom.xml'), encodings(readFileSync(join(FIXTURES, 'sboms', 'cern-lhc-vdm-editor.bom.xml'), 'utf8'))[1]![1]);
  const r = await run(['sbom', 'check', join(sub, 'bom.xml'), '--profile', 'ntia', '--json']);
  assert.doesNotMatch(r.err, /malformed/);
});

test('OCI layout: a FIFO blob and a symlinked blob are refused by name, never read; a bad layer names its file', async () => {
  const make = async () => {
    const dir = tmp('oci');
    await ociLayout(dir, [{ compress: 'gzip', entries: [{ name: 'opt/app/Cargo.lock', data: 'version = 3\n[[package]]\nname = "app"\nversion = "0.1.0"\n' }] }]);
    const blobs = join(dir, 'blobs', 'sha256');
    // The layer blob: the one that is not small JSON.
    const layer = readdirSync(blobs).find((b) => readFileSync(join(blobs, b))[0] === 0x1f)!;
    return { dir, blobs, layer };
  };
  // A FIFO in place of the layer blob.
  const a = await make();
  unlinkSync(join(a.blobs, a.layer));
  execFileSync('mkfifo', [join(a.blobs, a.layer)]);
  await assert.rejects(buildInventory({ target: a.dir }), (e: Error) => /blobs\/sha256\/[0-9a-f]{64}: is a FIFO, not a regular file; not read/.test(e.message) || /is a FIFO/.test(String((e as { file?: string }).file) + e.message));
  // A symbolic link in place of the blob, pointing inside the layout and outside it.
  for (const target of ['inside', 'outside'] as const) {
    const b = await make();
    const real = target === 'inside' ? join(b.dir, 'moved') : join(tmp('oci-out'), 'moved');
    renameSync(join(b.blobs, b.layer), real);
    symlinkSync(real, join(b.blobs, b.layer));
    const err = await buildInventory({ target: b.dir }).then(() => undefined, (e: Error & { file?: string }) => `${e.file ?? ''}: ${e.message}`);
    assert.match(err ?? 'read', /blobs\/sha256\/[0-9a-f]{64}: is a symbolic link; not followed/, target);
  }
  // A blob that is not a tar stream: the error names it.
  const c = await make();
  writeFileSync(join(c.blobs, c.layer), gzipSync(Buffer.alloc(4096, 7)));
  const err = await buildInventory({ target: c.dir }).then(() => undefined, (e: Error & { file?: string }) => `${e.file ?? ''}: ${e.message}`);
  assert.match(err ?? 'read', new RegExp(`blobs/sha256/${c.layer}: not a readable layer`));
  // The CLI says the same with exit 2 and no hang.
  const cli = await run(['inventory', a.dir]);
  assert.equal(cli.code, 2);
  assert.match(cli.err, /is a FIFO, not a regular file/);
});

test('a rosdistro cache bomb (2 MB of gzip, 2 GiB unpacked) is refused while inflating, with bounded memory', async () => {
  const dir = tmp('bomb');
  // 2 GiB of one byte compresses to about 2 MB.
  const gz = join(dir, 'rolling-cache.yaml.gz');
  const chunk = Buffer.alloc(1 << 20, 0x23);
  const { createGzip } = await import('node:zlib');
  const { createWriteStream } = await import('node:fs');
  await new Promise<void>((resolve, reject) => {
    const z = createGzip({ level: 9 });
    z.pipe(createWriteStream(gz)).on('finish', resolve).on('error', reject);
    let i = 0;
    const pump = () => { while (i < 2048) { i++; if (!z.write(chunk)) { z.once('drain', pump); return; } } z.end(); };
    pump();
  });
  await assert.rejects(readCatalogText(gz), /unpacks to more than the 134217728-byte limit \(a compression bomb\?\); not read/);
  // Peak memory of a whole run, measured by the kernel (GNU time): before, 1.1 GB.
  mkdirSync(join(dir, 'ws', 'p'), { recursive: true });
  writeFileSync(join(dir, 'ws', 'p', 'package.xml'), '<?xml version="1.0"?><package format="3"><name>p</name><version>1.0.0</version><description>d</description><maintainer email="a@b.c">m</maintainer><license>MIT</license><depend>rclcpp</depend></package>\n');
  const time = spawnSync('/usr/bin/time', ['-f', '%M', process.execPath, join(ROOT, 'bin/marque.js'), 'inventory', join(dir, 'ws'), '--rosdistro-cache', gz], { encoding: 'utf8' });
  if (time.error) { console.log('# SKIP peak memory: /usr/bin/time (Debian package time) not installed'); return; }
  assert.match(time.stdout + time.stderr, /rolling-cache\.yaml\.gz: unpacks to more than/);
  const kb = Number(time.stderr.trim().split('\n').pop());
  assert.ok(kb < 512 * 1024, `peak RSS ${kb} KB`);
});
