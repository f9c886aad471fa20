// Confinement, proved for every reader: the extractors of the registry, the files read beside a
// claimed one, every path-valued field of marque.yaml and every path-taking command-line option.
// Each is tried with an escape (an absolute path, "../", a symbolic link out of the tree) and with a
// FIFO (which hangs any reader that opens it blocking). The lists are taken from the code, so a new
// reader, field or option without a case here fails this test.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { execFileSync } from 'node:child_process';
import { EXTRACTORS } from '../src/sources/index.ts';
import { buildInventory } from '../src/api/inventory.ts';
import { MANIFEST_PATH_FIELDS, parseManifest } from '../src/manifest/manifest.ts';
import { FileAccess, OutsideRootsError } from '../src/util/file-access.ts';
import { InputError } from '../src/util/errors.ts';
import { main } from '../src/cli/main.ts';
import { COMMANDS } from '../src/cli/registry.ts';
import { ROOT } from './helpers/paths.ts';

const CANARY = `CANARY-${process.pid}-${Date.now()}`;
const base = mkdtempSync(join(tmpdir(), 'marque-confine-'));
const outside = join(base, 'outside');
mkdirSync(outside);
// A file outside every tree, shaped so that each reader would take it: its content must never appear.
const SECRET = join(outside, 'secret.txt');
writeFileSync(SECRET, `${CANARY}\n{"name": "${CANARY}"}\nPackage: ${CANARY}\nVERSION_ID=${CANARY}\n`);

// A FIFO that a regression opens blocking would hang the test process, whose timers then never fire.
// This helper watches the test process: when one of its threads waits in the kernel for a FIFO's writer
// (wchan "wait_for_partner"), it notes so in blocked.json and opens every FIFO for writing, which releases
// the reader; each FIFO test then fails on that note instead of hanging, or passing on the released read.
const fifos: string[] = [];
function fifo(path: string): string {
  mkdirSync(dirname(path), { recursive: true });
  execFileSync('mkfifo', [path]);
  fifos.push(path);
  return path;
}
const BLOCKED = join(base, 'blocked.json');
const unjam = spawn(process.execPath, ['-e', `
  const fs = require('node:fs');
  const waiting = () => { try { return fs.readdirSync('/proc/${process.pid}/task').some((t) => fs.readFileSync('/proc/${process.pid}/task/' + t + '/wchan', 'utf8') === 'wait_for_partner'); } catch { return false; } };
  setInterval(() => {
    let list = [];
    try { list = JSON.parse(fs.readFileSync(${JSON.stringify(join(base, 'fifos.json'))}, 'utf8')); } catch { return; }
    if (waiting()) fs.writeFileSync(${JSON.stringify(BLOCKED)}, JSON.stringify(list));
    for (const f of list) { try { fs.closeSync(fs.openSync(f, fs.constants.O_WRONLY | fs.constants.O_NONBLOCK)); } catch {} }
  }, 500);
`], { stdio: 'ignore' });
const noteFifos = () => { writeFileSync(join(base, 'fifos.json.tmp'), JSON.stringify(fifos)); renameSync(join(base, 'fifos.json.tmp'), join(base, 'fifos.json')); };
noteFifos();
/** Fails when a reader opened one of the FIFOs blocking (the helper had to release it). */
const noneBlocked = (what: string) => assert.ok(!existsSync(BLOCKED), `${what}: a reader waited on a FIFO (${existsSync(BLOCKED) ? readFileSync(BLOCKED, 'utf8') : ''})`);
after(() => { unjam.kill(); });

function tree(name: string): string {
  const dir = join(base, name);
  mkdirSync(dir, { recursive: true });
  return dir;
}

async function run(argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '', err = '';
  const code = await main(argv, { out: (t) => { out += t; }, err: (t) => { err += t; }, interactive: false });
  return { code, out, err };
}

test('the layer: realpath against the roots, regular files only, refusals that show nothing of the file', () => {
  const root = tree('layer');
  writeFileSync(join(root, 'in.txt'), 'inside');
  symlinkSync(SECRET, join(root, 'link-out'));
  symlinkSync('in.txt', join(root, 'link-in'));
  mkdirSync(join(root, 'sub'));
  symlinkSync(outside, join(root, 'sub', 'dir-out'));
  const files = FileAccess.within(root);
  assert.equal(files.readTextSync(join(root, 'in.txt')), 'inside');
  assert.equal(files.readTextSync(join(root, 'link-in')), 'inside', 'a link that stays inside is followed');
  for (const p of [SECRET, join(root, '..', 'outside', 'secret.txt'), join(root, 'link-out'), join(root, 'sub', 'dir-out', 'secret.txt'), join(root, 'sub', 'dir-out', 'missing.txt'), '/etc/passwd']) {
    assert.throws(() => files.readTextSync(p), (e: unknown) => e instanceof OutsideRootsError && e.file === p && !e.message.includes(CANARY) && /leads outside/.test(e.message), p);
  }
  // A root next to another one with a longer name: "/x/root2" is not under "/x/root".
  const sibling = tree('layer2');
  writeFileSync(join(sibling, 'f'), 'x');
  assert.throws(() => files.readTextSync(join(sibling, 'f')), OutsideRootsError);
  // A file named "..x" is inside.
  writeFileSync(join(root, '..x'), 'dots');
  assert.equal(files.readTextSync(join(root, '..x')), 'dots');
  // Only regular files: a FIFO, a device, a folder.
  const f = fifo(join(root, 'pipe'));
  noteFifos();
  assert.throws(() => files.readTextSync(f), /is a FIFO, not a regular file; not read/);
  noneBlocked('FileAccess');
  assert.throws(() => FileAccess.within('/dev').readTextSync('/dev/zero'), /is a character device, not a regular file/);
  assert.throws(() => files.readTextSync(join(root, 'sub')), /is a folder, not a regular file/);
  assert.equal(files.allows(join(root, 'not-yet')), true);
  assert.equal(files.allows(join(root, 'link-out')), false);
  // A single file as a root (a path named on the command line): that file, nothing beside it.
  const one = FileAccess.within(join(root, 'in.txt'));
  assert.equal(one.readTextSync(join(root, 'in.txt')), 'inside');
  assert.throws(() => one.readTextSync(join(root, '..x')), OutsideRootsError);
});

test('byte order marks: UTF-8, UTF-16 LE/BE and UTF-32 LE/BE read as the same text', () => {
  const root = tree('bom');
  const text = '{"bomFormat": "CycloneDX", "name": "zaží"}';
  const files = FileAccess.within(root);
  const utf16be = Buffer.from(text, 'utf16le').swap16();
  const utf32 = (le: boolean) => { const b = Buffer.alloc(text.length * 4); [...text].forEach((c, i) => (le ? b.writeUInt32LE(c.codePointAt(0)!, i * 4) : b.writeUInt32BE(c.codePointAt(0)!, i * 4))); return b; };
  const variants: [string, Buffer][] = [
    ['utf8-bom', Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text)])],
    ['utf16le-bom', Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')])],
    ['utf16be-bom', Buffer.concat([Buffer.from([0xfe, 0xff]), utf16be])],
    ['utf16le', Buffer.from(text, 'utf16le')],
    ['utf16be', utf16be],
    ['utf32le-bom', Buffer.concat([Buffer.from([0xff, 0xfe, 0, 0]), utf32(true)])],
    ['utf32be-bom', Buffer.concat([Buffer.from([0, 0, 0xfe, 0xff]), utf32(false)])],
  ];
  for (const [name, bytes] of variants) {
    writeFileSync(join(root, name), bytes);
    assert.equal(files.readTextSync(join(root, name)), text, name);
  }
});

// One claimed path per extractor of the registry: a new extractor without one fails here.
const CLAIMED: Record<string, string> = {
  ros: 'pkg/package.xml', npm: 'package-lock.json', python: 'requirements.txt', cargo: 'Cargo.lock', golang: 'go.mod',
  maven: 'pom.xml', composer: 'composer.lock', nuget: 'packages.lock.json', gem: 'Gemfile.lock', conan: 'conan.lock',
  vcpkg: 'vcpkg.json', dpkg: 'var/lib/dpkg/status', apk: 'lib/apk/db/installed', rpm: 'var/lib/rpm/rpmdb.sqlite', sbom: 'product.cdx.json',
  cmake: 'CMakeLists.txt', hex: 'mix.lock', pub: 'pubspec.lock',
};

test('every extractor of the registry: its file as a link out of the tree or as a FIFO is refused, named, never read', async () => {
  assert.deepEqual(EXTRACTORS.map((x) => x.id).filter((id) => !CLAIMED[id]), [], 'every extractor has a case');
  for (const x of EXTRACTORS) {
    const rel = CLAIMED[x.id]!;
    assert.ok(x.claims(rel, rel.split('/').pop()!), `${x.id} claims ${rel}`);
    const dir = tree(`x-${x.id}`);
    const linkDir = join(dir, 'link'), fifoDir = join(dir, 'fifo');
    mkdirSync(dirname(join(linkDir, rel)), { recursive: true });
    symlinkSync(SECRET, join(linkDir, rel));
    fifo(join(fifoDir, rel));
    noteFifos();
    const viaLink = await buildInventory({ target: linkDir });
    assert.ok(viaLink.problems.some((p) => p.file === rel && /leads outside the scanned folder; not followed/.test(p.message)), `${x.id}: link out named`);
    assert.ok(!JSON.stringify(viaLink).includes(CANARY), `${x.id}: nothing of the file outside`);
    const viaFifo = await buildInventory({ target: fifoDir });
    assert.ok(viaFifo.problems.some((p) => p.file === rel && /is a FIFO, not a regular file; not read/.test(p.message)), `${x.id}: FIFO named`);
    // The FIFO named directly as the target (a single file): refused, not opened blocking.
    await assert.rejects(buildInventory({ target: join(fifoDir, rel) }).then((inv) => { if (inv.problems.some((p) => /FIFO/.test(p.message))) throw new Error('FIFO refused'); }), /FIFO/);
    noneBlocked(x.id);
  }
});

// Files read beside a claimed one, by the module that reads them. Every module under src/sources
// that calls `beside` must have a case: found by reading the sources.
const BESIDE: { module: string; claimed: [string, string]; beside: string; extra?: [string, string][] }[] = [
  { module: 'sources/golang/extractor.ts', claimed: ['go.mod', 'module example.com/x\n\ngo 1.22\n'], beside: 'go.sum' },
  { module: 'sources/composer/composer-lock.ts', claimed: ['composer.lock', '{"packages": [], "packages-dev": []}'], beside: 'composer.json' },
  // A requirements file named by -r/-c.
  { module: 'sources/python/extractor.ts', claimed: ['requirements.txt', 'flask==3.0.0\n-r base.txt\n'], beside: 'base.txt' },
  { module: 'sources/python/project.ts', claimed: ['requirements.txt', 'flask==3.0.0\n'], beside: 'pyproject.toml' },
  { module: 'sources/npm/projects.ts', claimed: ['yarn.lock', '# yarn lockfile v1\n'], beside: 'package.json' },
  { module: 'sources/vcpkg/extractor.ts', claimed: ['vcpkg.json', '{"name": "x", "version": "1.0.0", "dependencies": []}'], beside: 'vcpkg_installed/vcpkg/status' },
  { module: 'sources/vcpkg/extractor.ts', claimed: ['vcpkg.json', '{"name": "x", "version": "1.0.0", "dependencies": []}'], beside: 'vcpkg-configuration.json' },
  // An overlay port the configuration names.
  { module: 'sources/vcpkg/extractor.ts', claimed: ['vcpkg.json', '{"name": "x", "dependencies": ["p"], "vcpkg-configuration": {"overlay-ports": ["ports"]}}'], beside: 'ports/p/vcpkg.json', extra: [['ports/p/portfile.cmake', '']] },
  { module: 'sources/maven/pom.ts', claimed: ['app/pom.xml', '<project><parent><groupId>g</groupId><artifactId>p</artifactId><version>1</version></parent><artifactId>a</artifactId></project>'], beside: 'pom.xml' },
  { module: 'sources/common/os-release.ts', claimed: ['var/lib/dpkg/status', 'Package: a\nStatus: install ok installed\nVersion: 1\nArchitecture: all\n'], beside: 'etc/os-release' },
  { module: 'sources/dpkg/extractor.ts', claimed: ['var/lib/dpkg/status', 'Package: a\nStatus: install ok installed\nVersion: 1\nArchitecture: all\n'], beside: 'var/lib/apt/extended_states' },
  { module: 'sources/apk/extractor.ts', claimed: ['lib/apk/db/installed', 'P:a\nV:1\n\n'], beside: 'etc/alpine-release' },
  { module: 'sources/rpm/extractor.ts', claimed: ['var/lib/dpkg/status', 'Package: a\nStatus: install ok installed\nVersion: 1\nArchitecture: all\n'], beside: 'usr/lib/os-release' },
  { module: 'sources/gem/extractor.ts', claimed: ['Gemfile.lock', 'GEM\n  remote: https://rubygems.org/\n  specs:\n    rake (13.0.0)\n\nDEPENDENCIES\n  rake\n'], beside: 'Gemfile' },
  { module: 'sources/cargo/manifest.ts', claimed: ['Cargo.lock', 'version = 3\n\n[[package]]\nname = "a"\nversion = "1.0.0"\n'], beside: 'Cargo.toml' },
  { module: 'sources/nuget/project.ts', claimed: ['packages.lock.json', '{"version": 1, "dependencies": {"net8.0": {"Serilog": {"type": "Direct", "requested": "[4.0.0, )", "resolved": "4.0.0"}}}}'], beside: 'App.csproj' },
  // A submodule's commit is read from the checkout's git index, beside .gitmodules.
  { module: 'sources/cmake/tree-access.ts', claimed: ['.gitmodules', '[submodule "sdk"]\n\tpath = sdk\n\turl = https://github.com/acme/sdk.git\n'], beside: '.git/index', extra: [['CMakeLists.txt', 'project(p)\n'], ['.git/HEAD', 'ref: refs/heads/main\n']] },
  { module: 'sources/hex/extractor.ts', claimed: ['mix.lock', '%{\n  "jason": {:hex, :jason, "1.4.1", "af", [:mix], [], "hexpm", "fb"},\n}\n'], beside: 'mix.exs' },
  // An umbrella's apps: each app's mix.exs under apps_path.
  { module: 'sources/hex/extractor.ts', claimed: ['mix.lock', '%{}\n'], beside: 'apps/web/mix.exs', extra: [['mix.exs', 'defmodule U.MixProject do\n  def project, do: [apps_path: "apps", deps: []]\nend\n']] },
  { module: 'sources/pub/extractor.ts', claimed: ['pubspec.lock', 'packages: {}\nsdks:\n  dart: ">=3.0.0 <4.0.0"\n'], beside: 'pubspec.yaml' },
  // A colcon python package of a ROS workspace: its setup.cfg, beside its setup.py.
  { module: 'sources/ros/colcon.ts', claimed: ['src/tool/setup.py', "from setuptools import setup\nsetup(name='tool', version='1.0.0')\n"], beside: 'src/tool/setup.cfg', extra: [['src/a/package.xml', '<package format="3"><name>a</name><version>1.0.0</version><description>a</description><maintainer email="a@b.c">a</maintainer><license>MIT</license></package>']] },
  // An installed build checks again the files a kept CMake reading read (a clone keeps none: test/vendored-cache.test.ts checks a link out and a FIFO there).
  { module: 'sources/cmake/vendored-cache.ts', claimed: ['.gitmodules', '[submodule "sdk"]\n\tpath = sdk\n\turl = https://github.com/acme/sdk.git\n'], beside: '.git/index', extra: [['CMakeLists.txt', 'project(p)\n'], ['.git/HEAD', 'ref: refs/heads/main\n']] },
];

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true }).filter((e) => e.isFile() && e.name.endsWith('.ts')).map((e) => join(e.parentPath, e.name));
}

test('files read beside a claimed one (go.sum, composer.json, os-release, a parent pom...): a link out or a FIFO is a named problem, never read', async () => {
  // Modules that read a file other than the one they claimed (the image reader has its own tests below).
  const callers = sourceFiles(join(ROOT, 'src', 'sources')).filter((f) => /\bbeside\(|files\.(readTextSync|readText|list|readIfPresentSync)\(/.test(readFileSync(f, 'utf8'))).map((f) => relative(join(ROOT, 'src'), f)).filter((m) => m !== 'sources/image/layers.ts');
  assert.deepEqual(callers.filter((m) => !BESIDE.some((b) => b.module === m)), [], 'every module reading beside a claimed file has a case');
  for (const [i, b] of BESIDE.entries()) {
    for (const how of ['link', 'fifo'] as const) {
      const dir = tree(`beside-${i}-${how}`);
      mkdirSync(dirname(join(dir, b.claimed[0])), { recursive: true });
      writeFileSync(join(dir, b.claimed[0]), b.claimed[1]);
      for (const [f, text] of b.extra ?? []) { mkdirSync(dirname(join(dir, f)), { recursive: true }); writeFileSync(join(dir, f), text); }
      mkdirSync(dirname(join(dir, b.beside)), { recursive: true });
      if (how === 'link') symlinkSync(SECRET, join(dir, b.beside)); else fifo(join(dir, b.beside));
      noteFifos();
      // The pom's parent is read from above the scanned folder: scanning app/ puts it outside.
      const target = b.module === 'sources/maven/pom.ts' && how === 'link' ? join(dir, 'app') : dir;
      const inv = await buildInventory({ target });
      const msg = how === 'link' ? /leads outside/ : /is a FIFO, not a regular file; not read/;
      assert.ok(inv.problems.some((p) => msg.test(p.message)) || inv.notes.some((n) => msg.test(n)), `${b.module} ${how}: ${JSON.stringify(inv.problems)}`);
      assert.ok(!JSON.stringify(inv).includes(CANARY), `${b.module} ${how}: nothing of the file`);
      noneBlocked(`${b.module} ${how}`);
    }
  }
});

// Every string field of marque.yaml's schema is either a path (MANIFEST_PATH_FIELDS) or listed here as not one.
const NOT_PATHS = new Set([
  'product.name', 'product.version', 'product.description', 'product.manufacturer.name', 'product.manufacturer.email', 'product.manufacturer.url',
  'product.manufacturer.address', 'product.securityTxt', 'product.intendedPurpose', 'product.license', 'inventory.platform', 'inventory.rosdistro', 'inventory.exclude[]',
  'inventory.include[]', 'inventory.conditions.*', 'inventory.toolchains.go', 'inventory.upstreams[].component', 'inventory.upstreams[].upstream', 'vex[].vulnerability',
  'vex[].products[]', 'vex[].impact', 'vex[].evidence', 'vex[].measureAvailableAt', 'vex[].author', 'vex[].timestamp', 'support.periodEnd',
  'support.justification', 'support.placedOnMarket', 'support.updates.mechanism', 'security.contact', 'trust.keys[].name', 'trust.keys[].components[]',
  'trust.keys[].uses[]', 'trust.keys[].until', 'trust.revoked[]', 'assessments.use', 'architecture.compartments[].id', 'architecture.compartments[].parent',
  'architecture.compartments[].isolation', 'architecture.compartments[].components[]', 'architecture.interfaces[].id', 'architecture.interfaces[].description',
  'architecture.interfaces[].into', 'architecture.flows[].from', 'architecture.flows[].to', 'architecture.flows[].protocol', 'architecture.flows[].mechanism',
  'architecture.trustAnchors[].description', 'architecture.ros.compartment', 'architecture.ros.launchArguments.*', 'architecture.ros.environment.*',
  'architecture.ros.processIsolation.mechanism', 'architecture.ros.internalBridges[]', 'architecture.composeHost', 'architecture.failureReporting',
  'subsystems[].id', 'subsystems[].name', 'subsystems[].version', 'subsystems[].supportEnd', 'hardware[].id', 'hardware[].name', 'hardware[].manufacturer',
  'hardware[].model', 'hardware[].revision', 'hardware[].firmware.version', 'hardware[].firmware.name', 'hardware[].supportEnd',
]);

function schemaStrings(node: unknown, path: string, out: Set<string>, defs: Record<string, unknown>): void {
  if (!node || typeof node !== 'object') return;
  const n = node as Record<string, unknown>;
  if (typeof n['$ref'] === 'string') return schemaStrings(defs[(n['$ref'] as string).split('/').pop()!], path, out, defs);
  const t = n['type'];
  if (t === 'string' || (Array.isArray(t) && t.includes('string'))) out.add(path);
  for (const [k, v] of Object.entries((n['properties'] as Record<string, unknown> | undefined) ?? {})) schemaStrings(v, path ? `${path}.${k}` : k, out, defs);
  if (n['items']) schemaStrings(n['items'], `${path}[]`, out, defs);
  if (n['additionalProperties'] && typeof n['additionalProperties'] === 'object') schemaStrings(n['additionalProperties'], `${path}.*`, out, defs);
  for (const k of ['oneOf', 'anyOf', 'allOf']) for (const x of (n[k] as unknown[] | undefined) ?? []) schemaStrings(x, path, out, defs);
}

/** The smallest manifest that sets one path field to `value`. */
function manifestWith(field: string, value: string): string {
  const lines = ['product:', '  name: p', '  version: "1.0.0"'];
  const set: Record<string, string> = {
    'inventory.rosdistroCache': `inventory:\n  rosdistroCache: ${JSON.stringify(value)}`,
    'inventory.aptIndexes[]': `inventory:\n  aptIndexes: [${JSON.stringify(value)}]`,
    'inventory.artefacts[]': `inventory:\n  artefacts: [${JSON.stringify(value)}]`,
    'inventory.rosdepRules[]': `inventory:\n  rosdepRules: [${JSON.stringify(value)}]`,
    'inventory.distributions[]': `inventory:\n  distributions: [${JSON.stringify(value)}]`,
    'security.disclosurePolicy': `security:\n  disclosurePolicy: ${JSON.stringify(value)}`,
    'trust.keys[].publicKey': `trust:\n  keys:\n    - name: k\n      publicKey: ${JSON.stringify(value)}\n      components: ["pkg:npm/x"]`,
    'assessments.store': `assessments:\n  store: ${JSON.stringify(value)}`,
    'architecture.ros.launch[]': `architecture:\n  compartments: [{id: ros, kind: container}]\n  ros:\n    compartment: ros\n    launch: [${JSON.stringify(value)}]`,
    'architecture.ros.sros2Policy': `architecture:\n  compartments: [{id: ros, kind: container}]\n  ros:\n    compartment: ros\n    sros2Policy: ${JSON.stringify(value)}`,
    'architecture.compose[]': `architecture:\n  compose: [${JSON.stringify(value)}]`,
    'subsystems[].source': `subsystems:\n  - id: fw\n    kind: firmware\n    source: ${JSON.stringify(value)}`,
  };
  assert.ok(set[field], `a manifest case for ${field}`);
  return `${lines.join('\n')}\n${set[field]}\n`;
}

test('every path-valued field of marque.yaml: absolute, "../" and a link out are refused when the manifest loads, with the line', () => {
  const schema = JSON.parse(readFileSync(join(ROOT, 'schemas', 'marque.schema.json'), 'utf8')) as Record<string, unknown>;
  const strings = new Set<string>();
  schemaStrings(schema, '', strings, { ...(schema['$defs'] as Record<string, unknown> ?? {}), ...(schema['definitions'] as Record<string, unknown> ?? {}) });
  const paths = new Set<string>(MANIFEST_PATH_FIELDS);
  assert.deepEqual([...strings].filter((s) => !paths.has(s) && !NOT_PATHS.has(s)), [], 'every string field of the schema is classified as a path or not');
  assert.deepEqual([...paths].filter((p) => !strings.has(p)), [], 'every path field is in the schema');
  for (const field of MANIFEST_PATH_FIELDS) {
    const dir = tree(`manifest-${field.replace(/\W+/g, '-')}`);
    symlinkSync(SECRET, join(dir, 'link'));
    mkdirSync(join(dir, 'sub'));
    symlinkSync(outside, join(dir, 'sub', 'out'));
    for (const value of [SECRET, '/etc/passwd', '../outside/secret.txt', 'sub/../../outside/secret.txt', 'link', 'sub/out/secret.txt', './sub/out']) {
      const text = manifestWith(field, value);
      assert.throws(() => parseManifest(text, join(dir, 'marque.yaml')), (e: unknown) => {
        assert.ok(e instanceof InputError, `${field}=${value}: ${String(e)}`);
        assert.match(e.message, /leads outside the product folder/);
        assert.ok(e.message.includes(field.split('[]')[0]!.split('.').pop()!), `${field}: the field is named`);
        assert.ok((e.line ?? 0) > 3, `${field}: the line is given`);
        assert.ok(!e.message.includes(CANARY));
        return true;
      }, `${field}=${value}`);
    }
    // Inside the product folder, it loads.
    writeFileSync(join(dir, 'inside.txt'), 'x');
    parseManifest(manifestWith(field, 'inside.txt'), join(dir, 'marque.yaml'));
  }
});

// The command that reads each path field, and what the FIFO must produce (an error or a note naming it).
const FIFO_RUNS: Record<(typeof MANIFEST_PATH_FIELDS)[number], (dir: string) => string[]> = {
  'inventory.rosdistroCache': (d) => ['inventory', d, '--json'],
  'inventory.aptIndexes[]': (d) => ['inventory', d, '--json'],
  'inventory.artefacts[]': (d) => ['inventory', d, '--json'],
  'inventory.rosdepRules[]': (d) => ['inventory', d, '--json'],
  'inventory.distributions[]': (d) => ['inventory', d, '--json'],
  'security.disclosurePolicy': (d) => ['check', d, '--json'],
  'trust.keys[].publicKey': (d) => ['attest', 'apply', d, '--json'],
  'assessments.store': (d) => ['attest', 'apply', d, '--json'],
  'architecture.ros.launch[]': (d) => ['perimeter', d, '--json'],
  'architecture.ros.sros2Policy': (d) => ['perimeter', d, '--json'],
  'architecture.compose[]': (d) => ['perimeter', d, '--json'],
  'subsystems[].source': (d) => ['inventory', d, '--json'],
};

test('every path-valued field of marque.yaml as a FIFO inside the product: its reader refuses it, nothing hangs', { timeout: 300_000 }, async () => {
  const pkg = '<?xml version="1.0"?><package format="3"><name>p</name><version>1.0.0</version><description>d</description><maintainer email="a@b.c">m</maintainer><license>MIT</license><depend>rclcpp</depend></package>\n';
  for (const field of MANIFEST_PATH_FIELDS) {
    const dir = tree(`fifo-${field.replace(/\W+/g, '-')}`);
    mkdirSync(join(dir, 'p'));
    writeFileSync(join(dir, 'p', 'package.xml'), pkg);
    fifo(join(dir, 'pipe'));
    noteFifos();
    writeFileSync(join(dir, 'marque.yaml'), manifestWith(field, 'pipe'));
    const r = await run(FIFO_RUNS[field](dir));
    assert.match(r.out + r.err, /pipe.*(is a FIFO|not a folder|not a regular file)|(is a FIFO|not a regular file).*pipe/s, `${field}: ${r.err}${r.out.slice(0, 2000)}`);
    noneBlocked(field);
  }
  // marque.yaml itself as a FIFO (classify) and as a link out of the folder.
  const m = tree('fifo-manifest');
  fifo(join(m, 'marque.yaml'));
  noteFifos();
  const c = await run(['classify', m]);
  assert.equal(c.code, 2);
  assert.match(c.err, /marque\.yaml: is a FIFO, not a regular file; not read/);
  noneBlocked('marque.yaml');
  const l = tree('link-manifest');
  writeFileSync(join(outside, 'marque.yaml'), `product:\n  name: ${CANARY}\n  version: "1"\n`);
  symlinkSync(join(outside, 'marque.yaml'), join(l, 'marque.yaml'));
  const cl = await run(['classify', l]);
  assert.equal(cl.code, 2);
  assert.match(cl.err, /marque\.yaml: leads outside/);
  assert.ok(!cl.err.includes(CANARY) && !cl.out.includes(CANARY));
});

// Command-line options that name a file or folder to read, found in every command's usage text.
const OPTION_CASES: Record<string, (fifo: string, dir: string) => string[]> = {
  '--rosdep-rules': (f, d) => ['inventory', d, '--rosdep-rules', f],
  '--distribution': (f, d) => ['inventory', d, '--distribution', f],
  '--rosdistro-cache': (f, d) => ['inventory', d, '--rosdistro-cache', f],
  '--apt-index': (f, d) => ['inventory', d, '--apt-index', f],
  '--artefacts': (f, d) => ['inventory', d, '--artefacts', f],
  '--db': (f, d) => ['vulns', d, '--db', f],
  '--vex': (f, d) => ['vulns', d, '--vex', f, '--db', join(d, 'adv.sqlite')],
  '--template': (f) => ['attest', 'create', '--template', f],
  '--key': (f, d) => ['attest', 'sign', join(d, 'p', 'package.xml'), '--key', f],
  '--store': (f, d) => ['attest', 'apply', d, '--store', f],
  '--manifest': (f, d) => ['attest', 'verify', join(d, 'p', 'package.xml'), '--manifest', f],
  '--data': (f) => ['token', 'create', '--team', 't', '--data', f],
  '--security-txt': (f, d) => ['serve', '--security-txt', f, '--port', '0', '--data', join(d, 'server')],
};
/**
 * Path options not tried here: --out names where output goes; --fixed names a product (a folder or an
 * SBOM) read as every target is, which the registry test above tries as a FIFO (buildInventory refuses it).
 */
const NOT_INPUT = new Set(['--out', '--fixed']);

test('every command-line option that names a file to read: a FIFO is refused with its name, nothing hangs', { timeout: 300_000 }, async () => {
  const options = new Set<string>();
  for (const c of COMMANDS) {
    const cmd = await c.load();
    for (const m of cmd.usage.matchAll(/(--[a-z][a-z-]*) (FILE|DIR|[A-Z]+\.pem)\b/g)) options.add(m[1]!);
  }
  const { SOURCE_USAGE } = await import('../src/cli/command.ts');
  for (const m of SOURCE_USAGE.matchAll(/(--[a-z][a-z-]*) (FILE|DIR)\b/g)) options.add(m[1]!);
  assert.deepEqual([...options].filter((o) => !OPTION_CASES[o] && !NOT_INPUT.has(o)), [], 'every path option has a case');
  const dir = tree('options');
  mkdirSync(join(dir, 'p'));
  writeFileSync(join(dir, 'p', 'package.xml'), '<?xml version="1.0"?><package format="3"><name>p</name><version>1.0.0</version><description>d</description><maintainer email="a@b.c">m</maintainer><license>MIT</license><depend>rclcpp</depend></package>\n');
  writeFileSync(join(dir, 'marque.yaml'), 'product:\n  name: p\n  version: "1.0.0"\n');
  const f = fifo(join(dir, 'pipe'));
  noteFifos();
  assert.equal((await run(['db', 'import', join(ROOT, 'test/fixtures/kev/known_exploited_vulnerabilities.json'), '--db', join(dir, 'adv.sqlite')])).code, 0);
  for (const o of options) {
    if (NOT_INPUT.has(o)) continue;
    const r = await run(OPTION_CASES[o]!(f, dir));
    // --data names the server's own folder, which it creates: "already exists" is its refusal.
    assert.match(r.out + r.err, /pipe.*(is a FIFO|not a regular file|not a folder)|already exists.*pipe/s, `${o}: ${r.err} ${r.out.slice(0, 1500)}`);
    assert.notEqual(r.code, 0, o);
    noneBlocked(o);
  }
});

// Only these modules import what reads a file's content from node:fs, each for a stated reason;
// everything else reads input through FileAccess.
const RAW_READERS: Record<string, string> = {
  'util/file-access.ts': 'the confinement layer itself',
  'util/fs.ts': 'opens files to write them (atomic writes), never to read',
  'util/yaml.ts': "Marque's own parse cache and the bundled data's pre-parsed copies",
  'advisories/store.ts': "the database's own lock file",
  'sources/ros/manifest-cache.ts': "Marque's own package.xml cache",
  'util/license.ts': "Marque's own cache of licence corrections",
  'manifest/manifest.ts': "the bundled JSON Schema of marque.yaml",
  'attest/assessment.ts': 'the bundled JSON Schema of assessments',
  'formats/official-schemas.ts': 'the bundled official schemas',
  'report/dossier-html.ts': 'the bundled web view',
  'advisories/sources.ts': "the bundled record counts of OSV's exports (data/osv-exports.json)",
};

test('no module reads a file except through FileAccess (or a bundled file it names)', () => {
  const READ = /\b(readFileSync|readFile|createReadStream|openSync|open|readSync|read|opendir|opendirSync)\b/;
  const offenders: string[] = [];
  for (const file of sourceFiles(join(ROOT, 'src'))) {
    const rel = relative(join(ROOT, 'src'), file);
    const text = readFileSync(file, 'utf8');
    for (const m of text.matchAll(/import\s*\{([^}]*)\}\s*from\s*'node:fs(?:\/promises)?'/g)) {
      if (m[1]!.split(',').some((n) => READ.test(n.trim().split(/\s+as\s+/)[0]!)) && !RAW_READERS[rel]) offenders.push(rel);
    }
    if (/yauzl\.open\(|createReadStream\(/.test(text) && !RAW_READERS[rel]) offenders.push(`${rel} (opens a file by path)`);
  }
  assert.deepEqual(offenders, []);
});
