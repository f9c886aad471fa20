import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parsePackageXml, evaluatePackage } from '../src/parsers/package-xml.ts';
import { InputError } from '../src/util/errors.ts';
import type { Problem } from '../src/model/inventory.ts';

const CTX = { ROS_VERSION: '2', ROS_DISTRO: 'jazzy', ROS_PYTHON_VERSION: '3' };

function pkg(body: string, format = '3'): string {
  return `<?xml version="1.0"?>\n<package format="${format}">\n<name>demo</name><version>1.2.3</version><description>d</description>\n<maintainer email="m@example.com">M</maintainer><license>Apache-2.0</license>\n${body}\n</package>\n`;
}

test('format 3: every tag, conditions, groups, version ranges, build type', () => {
  const { manifest } = parsePackageXml(pkg(`
  <buildtool_depend condition="$ROS_VERSION == 2">ament_cmake</buildtool_depend>
  <buildtool_depend condition="$ROS_VERSION == 1">catkin</buildtool_depend>
  <depend version_gte="1.11.2" version_lt="2.0.0">pluginlib</depend>
  <build_export_depend>eigen</build_export_depend>
  <buildtool_export_depend>ament_cmake_python</buildtool_export_depend>
  <exec_depend>rclpy</exec_depend>
  <test_depend>ament_lint_auto</test_depend>
  <doc_depend>rosdoc2</doc_depend>
  <conflict version_lt="2.1.5">old_thing</conflict>
  <group_depend>rosidl_interface_packages</group_depend>
  <member_of_group condition="$ROS_DISTRO == humble">old_group</member_of_group>
  <member_of_group>new_group</member_of_group>
  <export><build_type condition="$ROS_VERSION == 2">ament_cmake</build_type><build_type condition="$ROS_VERSION == 1">catkin</build_type></export>`), 'x/package.xml');
  const problems: Problem[] = [];
  const e = evaluatePackage(manifest, CTX, problems);
  assert.deepEqual(problems, []);
  assert.equal(e.buildType, 'ament_cmake');
  const kinds = (name: string) => e.dependencies.filter((d) => d.name === name).map((d) => d.kind).sort();
  assert.deepEqual(kinds('pluginlib'), ['build', 'build_export', 'exec']);
  assert.deepEqual(kinds('catkin'), []);
  assert.deepEqual(kinds('ament_cmake'), ['buildtool']);
  assert.deepEqual(kinds('eigen'), ['build_export']);
  assert.deepEqual(kinds('ament_cmake_python'), ['buildtool_export']);
  assert.deepEqual(kinds('rosdoc2'), ['doc']);
  assert.equal(e.dependencies.find((d) => d.name === 'pluginlib')!.constraint, '>=1.11.2,<2.0.0');
  assert.equal(e.dependencies.find((d) => d.name === 'pluginlib')!.line, 8);
  assert.deepEqual(e.groupDepends.map((g) => g.name), ['rosidl_interface_packages']);
  assert.deepEqual(e.memberOfGroups, ['new_group']);
  assert.ok(!e.dependencies.some((d) => d.name === 'old_thing'), 'conflicts are not dependencies');
});

test('format 1: run_depend is build_export + exec; no format attribute means 1', () => {
  const text = pkg('<build_depend>roscpp</build_depend><run_depend>roscpp</run_depend>').replace(' format="3"', '');
  const { manifest } = parsePackageXml(text, 'p.xml');
  assert.equal(manifest.format, 1);
  const e = evaluatePackage(manifest, CTX, []);
  assert.deepEqual(e.dependencies.map((d) => d.kind).sort(), ['build', 'build_export', 'exec']);
  assert.equal(e.buildType, 'catkin');
});

test('format 2 ignores format 3 tags, with a warning that says so', () => {
  const { manifest, warnings } = parsePackageXml(pkg('<group_depend>g</group_depend><exec_depend>a</exec_depend>', '2'), 'p.xml');
  assert.equal(evaluatePackage(manifest, CTX, []).groupDepends.length, 0);
  assert.match(warnings.map((w) => w.message).join(), /group_depend.*format 3/);
});

test('metadata: maintainers, authors, licences with file, urls, version compatibility', () => {
  const { manifest } = parsePackageXml(`<package format="3"><name>n</name><version compatibility="1.2.0">1.2.3</version>
    <description>  multi
    line  </description><maintainer email="a@example.com">A</maintainer><author>B</author><author email="c@example.com">C</author>
    <license file="LICENSE">BSD-3-Clause</license><license>MIT</license>
    <url type="repository">https://example.com/r</url><url>https://example.com</url></package>`, 'p.xml');
  assert.equal(manifest.description, 'multi line');
  assert.equal(manifest.versionCompatibility, '1.2.0');
  assert.deepEqual(manifest.authors, [{ name: 'B' }, { name: 'C', email: 'c@example.com' }]);
  assert.deepEqual(manifest.licenses, [{ name: 'BSD-3-Clause', file: 'LICENSE' }, { name: 'MIT' }]);
  assert.deepEqual(manifest.urls, [{ type: 'repository', url: 'https://example.com/r' }, { type: 'website', url: 'https://example.com' }]);
});

test('XML external entities are never resolved', () => {
  const xxe = `<?xml version="1.0"?>\n<!DOCTYPE package [\n  <!ENTITY xxe SYSTEM "file:///etc/passwd">\n]>\n<package format="3"><name>&xxe;</name><version>1.0.0</version></package>`;
  assert.throws(() => parsePackageXml(xxe, 'evil/package.xml'), (e: unknown) => {
    assert.ok(e instanceof InputError);
    assert.equal(e.file, 'evil/package.xml');
    assert.equal(e.line, 2);
    assert.match(e.message, /external entities are never resolved/);
    return true;
  });
  const external = `<?xml version="1.0"?>\n<!DOCTYPE package SYSTEM "http://example.com/evil.dtd">\n<package format="3"><name>x</name><version>1.0.0</version></package>`;
  assert.throws(() => parsePackageXml(external, 'p.xml'), InputError);
});

test('a DOCTYPE inside a comment does not hide the real one', () => {
  const hidden = `<?xml version="1.0"?>\n<!-- <!DOCTYPE x> -->\n<!DOCTYPE package [<!ENTITY inj "injected"><!ENTITY dep "openssl">]>\n<package format="3"><name>p&inj;</name><version>1.0.0</version></package>`;
  assert.throws(() => parsePackageXml(hidden, 'p.xml'), (e: unknown) => e instanceof InputError && e.line === 3 && /external entities are never resolved/.test(e.message));
  // A plain DOCTYPE without subset or external identifier declares nothing and is harmless.
  const plain = `<?xml version="1.0"?>\n<!DOCTYPE package>\n<package format="3"><name>p</name><version>1.0.0</version><description>d</description><maintainer email="a@b.c">m</maintainer><license>MIT</license></package>`;
  assert.equal(parsePackageXml(plain, 'p.xml').manifest.name, 'p');
});

test('entity expansion bombs are refused before any expansion', () => {
  const lol = ['<!ENTITY lol "lol">', ...Array.from({ length: 9 }, (_, i) => `<!ENTITY lol${i + 1} "${`&lol${i || ''};`.repeat(10)}">`)].join('\n');
  const bomb = `<?xml version="1.0"?>\n<!DOCTYPE lolz [\n${lol}\n]>\n<package format="3"><name>&lol9;</name><version>1.0.0</version></package>`;
  // Refused by the DOCTYPE check, before the parser sees an entity: the message says which.
  assert.throws(() => parsePackageXml(bomb, 'bomb.xml'), /DOCTYPE/);
});

test('malformed XML names file, line and column', () => {
  const broken = `<?xml version="1.0"?>\n<package format="3">\n  <name>x</name>\n  <version>1.0.0</version\n</package>\n`;
  assert.throws(() => parsePackageXml(broken, 'src/x/package.xml'), (e: unknown) => {
    assert.ok(e instanceof InputError);
    assert.equal(e.file, 'src/x/package.xml');
    assert.ok(e.line! >= 4, `line ${e.line}`);
    return true;
  });
});

test('missing name or version is fatal; missing maintainer or licence is a warning', () => {
  assert.throws(() => parsePackageXml('<package format="3"><version>1.0.0</version></package>', 'p.xml'), /no <name>/);
  assert.throws(() => parsePackageXml('<package format="3"><name>x</name></package>', 'p.xml'), /no <version>/);
  assert.throws(() => parsePackageXml('<package format="7"><name>x</name><version>1.0.0</version></package>', 'p.xml'), /unsupported package format/);
  assert.throws(() => parsePackageXml('<manifest/>', 'p.xml'), /no <package>/);
  const { warnings } = parsePackageXml('<package format="3"><name>x</name><version>1.0</version></package>', 'p.xml');
  assert.deepEqual(warnings.map((w) => w.message.split(' ')[0]).sort(), ['package', 'package', 'version']);
});

test('invalid condition is reported with its line and the dependency left out', () => {
  const { manifest } = parsePackageXml(pkg('<exec_depend condition="$ROS_VERSION ==">a</exec_depend>'), 'p.xml');
  const problems: Problem[] = [];
  const e = evaluatePackage(manifest, CTX, problems);
  assert.equal(e.dependencies.length, 0);
  assert.equal(problems.length, 1);
  assert.equal(problems[0]!.line, 5);
  assert.match(problems[0]!.message, /invalid condition/);
});

test('parsed package.xml files are kept per path and content: unchanged files are not parsed again, changed ones are', async () => {
  const { ManifestCache } = await import('../src/sources/ros/manifest-cache.ts');
  const { parsePackageXml } = await import('../src/parsers/package-xml.ts');
  const root = `/tmp/marque-manifest-cache-${process.pid}-${Date.now()}`;
  const text = '<?xml version="1.0"?><package format="3"><name>p</name><version>1.0.0</version><description>d</description><maintainer email="a@b.c">m</maintainer><license>MIT</license></package>';
  let parses = 0;
  const parse = (t: string) => () => { parses++; return parsePackageXml(t, 'src/p/package.xml'); };
  const first = new ManifestCache(root);
  first.get('src/p/package.xml', text, null, parse(text));
  first.save();
  const second = new ManifestCache(root);
  assert.equal(second.get('src/p/package.xml', text, null, parse(text)).manifest.name, 'p');
  assert.equal(parses, 1, 'read from the cache');
  const changed = text.replace('1.0.0', '1.0.1');
  assert.equal(second.get('src/p/package.xml', changed, null, parse(changed)).manifest.version, '1.0.1');
  assert.equal(parses, 2);
  // Kept without a stamp: never used without reading the file.
  second.save();
  assert.equal(new ManifestCache(root).byStamp({ path: `${root}/src/p/package.xml`, rel: 'src/p/package.xml', name: 'package.xml', size: 1, stamp: { id: 'f:1:2:3:4:5', ctimeMs: 5 } }), undefined);
});

test('a package.xml the walk saw settled with the stamp its parse was kept with is not read again; a changed one is, even with its old size and times', async () => {
  const { mkdtempSync, mkdirSync, writeFileSync, readFileSync, statSync, utimesSync } = await import('node:fs');
  const { tmpdir } = await import('node:os');
  const { join } = await import('node:path');
  const { createHash } = await import('node:crypto');
  const { walk } = await import('../src/sources/walk.ts');
  const { rosExtractor } = await import('../src/sources/ros/extractor.ts');
  const { resolveOptions } = await import('../src/api/inventory.ts');
  const { FileAccess } = await import('../src/util/file-access.ts');
  process.env['MARQUE_CACHE_DIR'] ??= mkdtempSync(join(tmpdir(), 'marque-test-cache-'));
  const root = mkdtempSync(join(tmpdir(), 'marque-manifest-stamp-'));
  mkdirSync(join(root, 'p'));
  const file = join(root, 'p', 'package.xml');
  writeFileSync(file, '<?xml version="1.0"?><package format="3"><name>p</name><version>1.0.0</version><description>d</description><maintainer email="a@b.c">m</maintainer><license>MIT</license></package>\n');
  const options = resolveOptions({});
  /** One extraction after a walk whose clock is `ahead` ms ahead (files written by a test settle so, or not when behind): what was read, and the inputs counted without reading. */
  const run = async (ahead: number) => {
    const found = (await walk(root, (_, name) => name === 'package.xml', undefined, { build: 'test', use: 'manifest-test', now: () => Date.now() + ahead })).files;
    const access = FileAccess.within(root, ...options.rosdepRules, ...options.distributions);
    const read: string[] = [];
    const counted = new Map<string, string>();
    const problems: Problem[] = [];
    const fragment = await rosExtractor.extract(found, {
      root, options, files: access, problem: (p) => problems.push(p), catalogs: () => { throw new Error('not needed'); },
      countInput: (path, sha256) => { counted.set(path, sha256); },
      read: async (f) => { read.push(f.rel); return access.readTextSync(f.path); },
      beside: () => undefined,
    });
    return { found, read, counted, problems, versions: fragment.components.map((c) => c.version) };
  };
  const sha = () => createHash('sha256').update(readFileSync(file, 'utf8')).digest('hex');
  // A clock a minute behind: however slow the test, the file has not settled.
  const fresh = await run(-60_000);
  assert.equal(fresh.found[0]!.stamp, undefined, 'just written: not settled');
  assert.deepEqual(fresh.read, ['p/package.xml']);
  assert.deepEqual((await run(-60_000)).read, ['p/package.xml'], 'kept without a stamp: read again');
  const settled = await run(60_000);
  assert.ok(settled.found[0]!.stamp, 'settled: the walk gives its stamp');
  assert.deepEqual(settled.read, ['p/package.xml'], 'read once more, to keep its stamp');
  const kept = await run(60_000);
  assert.deepEqual(kept.read, [], 'not read: its stamp stood');
  assert.deepEqual([...kept.counted], [[file, sha()]], 'counted among the inputs by the SHA-256 of its text');
  assert.deepEqual(kept.versions, ['1.0.0']);
  assert.deepEqual(kept.problems, []);

  // Same size, modification time put back: the change time still tells.
  const before = statSync(file);
  writeFileSync(file, readFileSync(file, 'utf8').replace('1.0.0', '1.0.1'));
  utimesSync(file, before.atime, before.mtime);
  const changed = await run(60_000);
  assert.deepEqual(changed.read, ['p/package.xml']);
  assert.deepEqual(changed.versions, ['1.0.1']);
  assert.deepEqual((await run(60_000)).read, [], 'kept again');
});
