// Go, Gradle, Composer, NuGet and Bundler on real files (test/fixtures/LOCKFILES-SOURCES.md).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { dirname, join } from 'node:path';
import { FileAccess } from '../src/util/file-access.ts';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { spawnSync } from 'node:child_process';
import { buildInventory } from '../src/api/inventory.ts';
import { productRequest } from '../src/api/request.ts';
import { goModFragment, parseGoMod, parseGoWork } from '../src/sources/golang/go-mod.ts';
import { parseGradleLockfile } from '../src/sources/maven/gradle-lockfile.ts';
import { parseComposerLock } from '../src/sources/composer/composer-lock.ts';
import { parseNugetLock } from '../src/sources/nuget/packages-lock.ts';
import { parseGemfileLock } from '../src/sources/gem/gemfile-lock.ts';
import { parseConanLock } from '../src/sources/conan/conan-lock.ts';
import { parsePom } from '../src/sources/maven/pom.ts';
import { parseApkInstalled } from '../src/sources/apk/extractor.ts';
import { parseHeader, readRpmDb } from '../src/sources/rpm/extractor.ts';
import { parseVcpkgManifest, parseVcpkgStatus } from '../src/sources/vcpkg/extractor.ts';
import { osvPackagesOf } from '../src/advisories/match.ts';
import { schemeFor } from '../src/versioning/index.ts';
import { FIXTURES } from './helpers/paths.ts';
import { missingTool } from './helpers/tools.ts';

const inventory = async (dir: string) => buildInventory((await productRequest(join(FIXTURES, dir), {})).request);
const byName = (inv: Awaited<ReturnType<typeof inventory>>, name: string) => inv.components.find((c) => c.name === name)!;

test('go.mod + go.sum (mediamtx): direct and indirect requirements, go.sum lines, Go purls that OSV matches', async () => {
  const inv = await inventory('go/mediamtx');
  const root = inv.components.filter((c) => c.root);
  assert.deepEqual(root.map((c) => c.purl), ['pkg:golang/github.com/bluenviron/mediamtx']);
  const deps = inv.dependencies.filter((d) => d.from === root[0]!.purl && d.to !== 'pkg:golang/stdlib');
  assert.equal(deps.length, 98);
  // And Go's standard library, at a version go.mod does not give (go-stdlib.test.ts).
  assert.match(inv.components.find((c) => c.purl === 'pkg:golang/stdlib')!.properties!['marque:version']!, /^unknown: at least go1\.26\.0 \(go\.mod's go line\)/);
  assert.equal(deps.filter((d) => d.condition === 'indirect').length, 54);
  const webrtc = inv.components.find((c) => c.name === 'github.com/pion/webrtc/v4')!;
  assert.match(webrtc.purl, /^pkg:golang\/github\.com\/pion\/webrtc\/v4@v4\./);
  assert.match(webrtc.properties?.['go:sum'] ?? '', /^h1:/);
  assert.equal(webrtc.properties?.['go:indirect'], undefined);
  assert.deepEqual(osvPackagesOf(webrtc), [{ base: 'Go', name: 'github.com/pion/webrtc/v4' }]);
  assert.ok(inv.notes.some((n) => /54 indirect requirement\(s\): go\.mod does not say which module needs each/.test(n)));
  assert.equal(schemeFor('Go')!.compare(webrtc.version, '4.0.0'), 1, 'the "v" of a Go version is not in the way of OSV ranges');
});

test('go.mod grammar: blocks, quoted paths, replace to a module or a folder, malformed lines named', () => {
  const mod = parseGoMod('module example.com/robot\n\ngo 1.22\ntoolchain go1.22.4\n\nrequire (\n\t"example.com/a" v1.0.0\n\texample.com/b v1.2.0 // indirect\n\texample.com/c v0.1.0\n)\nrequire example.com/d v2.0.0+incompatible\nreplace example.com/a => example.com/a-fork v1.0.1\nreplace example.com/c v0.1.0 => ../c\nexclude example.com/b v1.1.0\n', 'go.mod');
  const f = goModFragment(mod, 'go.mod', new Map());
  assert.deepEqual(f.components.map((c) => [c.purl, c.properties?.['go:replaces'] ?? '', c.properties?.['go:localPath'] ?? '']), [
    ['pkg:golang/example.com/robot', '', ''],
    ['pkg:golang/example.com/a-fork@v1.0.1', 'example.com/a@v1.0.0', ''],
    ['pkg:golang/example.com/b@v1.2.0', '', ''],
    ['pkg:golang/example.com/c', 'example.com/c@v0.1.0', '../c'],
    ['pkg:golang/example.com/d@v2.0.0+incompatible', '', ''],
    ['pkg:golang/stdlib', '', ''],
  ]);
  assert.throws(() => parseGoMod('module m\nrequire (\n\ta\n)\n', 'go.mod'), (e: Error & { line?: number }) => /require needs a module path and a version/.test(e.message) && e.line === 3);
  assert.throws(() => parseGoMod('module m\nrequire (\n\ta v1\n', 'go.mod'), (e: Error & { line?: number }) => /the require block that opens on this line is not closed/.test(e.message) && e.line === 2);
  assert.throws(() => parseGoMod('require a v1\n', 'go.mod'), /no module directive/);
  assert.throws(() => parseGoMod('module m\nfrobnicate x\n', 'go.mod'), /unknown directive "frobnicate"/);
});

test('go.work (a workspace shaped as Grafana\'s): its modules are built from their folders, its replacements win over go.mod\'s; a module it does not use is read on its own', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'marque-gowork-'));
  const put = (rel: string, text: string) => { mkdirSync(dirname(join(dir, rel)), { recursive: true }); writeFileSync(join(dir, rel), text); };
  // Grafana's go.work (use ., ./pkg/apimachinery, …; replace github.com/prometheus/alertmanager => its fork), cut down.
  put('go.work', 'go 1.24.3\n\nuse (\n\t. // skip:golangci-lint\n\t./pkg/apimachinery\n)\n\nreplace github.com/prometheus/alertmanager => github.com/grafana/prometheus-alertmanager v0.25.1-0.20250331083058-4563aec7a975\n');
  put('go.mod', 'module github.com/grafana/grafana\n\ngo 1.24.3\n\nrequire (\n\tgithub.com/grafana/grafana/pkg/apimachinery v0.0.0-20250428110029-a8ea72012bde\n\tgithub.com/prometheus/alertmanager v0.28.1\n)\n\nreplace github.com/prometheus/alertmanager => github.com/prometheus/alertmanager v0.27.0\n');
  put('pkg/apimachinery/go.mod', 'module github.com/grafana/grafana/pkg/apimachinery\n\ngo 1.24.3\n\nrequire github.com/stretchr/testify v1.10.0\n');
  put('tools/lint/go.mod', 'module example.com/lint\n\ngo 1.24\n\nrequire github.com/grafana/grafana/pkg/apimachinery v0.0.1\n');
  const inv = await buildInventory((await productRequest(dir, {})).request);
  const from = (m: string) => inv.dependencies.filter((d) => d.from === `pkg:golang/${m}`).map((d) => d.to).sort();
  assert.deepEqual(from('github.com/grafana/grafana'), ['pkg:golang/github.com/grafana/grafana/pkg/apimachinery', 'pkg:golang/github.com/grafana/prometheus-alertmanager@v0.25.1-0.20250331083058-4563aec7a975', 'pkg:golang/stdlib']);
  const fork = inv.components.find((c) => c.name === 'github.com/grafana/prometheus-alertmanager')!;
  assert.deepEqual([fork.properties?.['go:replaces'], fork.properties?.['go:replacedIn']], ['github.com/prometheus/alertmanager@v0.28.1', 'go.work']);
  assert.ok(!inv.components.some((c) => /prometheus\/alertmanager@v0\.27\.0|apimachinery@v0\.0\.0-/.test(c.purl)));
  assert.ok(inv.components.find((c) => c.purl === 'pkg:golang/github.com/grafana/grafana/pkg/apimachinery')!.root);
  assert.deepEqual(from('example.com/lint'), ['pkg:golang/github.com/grafana/grafana/pkg/apimachinery@v0.0.1', 'pkg:golang/stdlib'], 'not in the workspace: GOWORK=off, the required version');
  // A go.work that cannot be read is a problem naming it and its line; its modules are read on their own.
  put('go.work', 'go 1.24.3\nuse ./a ./b\n');
  const bad = await buildInventory((await productRequest(dir, {})).request);
  assert.ok(bad.problems.some((p) => p.file === 'go.work' && p.line === 2 && /use needs one folder/.test(p.message)), JSON.stringify(bad.problems));
  assert.ok(bad.components.some((c) => c.purl === 'pkg:golang/github.com/prometheus/alertmanager@v0.27.0'));
  assert.throws(() => parseGoWork('go 1.22\nrequire a v1\n', 'go.work'), (e: Error & { line?: number }) => /"require" belongs in go.mod/.test(e.message) && e.line === 2);
});

test('go.work in a folder whose name starts with ".." (inside the scanned tree) is still the workspace of its modules', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'marque-gowork-dots-'));
  const put = (rel: string, text: string) => { mkdirSync(dirname(join(dir, rel)), { recursive: true }); writeFileSync(join(dir, rel), text); };
  put('..ws/go.work', 'go 1.22\n\nuse ./app\n\nreplace example.com/lib => example.com/fork v1.2.0\n');
  put('..ws/app/go.mod', 'module example.com/app\n\ngo 1.22\n\nrequire example.com/lib v1.0.0\n');
  const inv = await buildInventory((await productRequest(dir, {})).request);
  assert.deepEqual(inv.dependencies.filter((d) => d.from === 'pkg:golang/example.com/app').map((d) => d.to), ['pkg:golang/example.com/fork@v1.2.0', 'pkg:golang/stdlib']);
});

test('go.mod oracle: `go mod edit -json` (Debian\'s Go, reading the file alone) gives the same requirements, versions, indirect marks and replacements as Marque (mediamtx, and the grammar sample)', (t) => {
  if (spawnSync('go', ['version']).error) { missingTool(t, 'go (go mod edit is the oracle)', 'apt-get install golang'); return; }
  type GoJson = { Require?: { Path: string; Version: string; Indirect?: boolean }[]; Replace?: { Old: { Path: string; Version?: string }; New: { Path: string; Version?: string } }[]; Exclude?: { Path: string; Version: string }[] };
  const goEdit = (text: string): GoJson => {
    const dir = mkdtempSync(join(tmpdir(), 'marque-gomod-'));
    // Debian's Go (1.19) refuses a newer "go" line and "toolchain": neither changes requirements or replacements.
    writeFileSync(join(dir, 'go.mod'), text.replace(/^go [0-9.]+$/m, 'go 1.19').replace(/^toolchain .*$/m, ''));
    const r = spawnSync('go', ['mod', 'edit', '-json', 'go.mod'], { cwd: dir, encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    return JSON.parse(r.stdout) as GoJson;
  };
  const sample = 'module example.com/robot\n\ngo 1.22\ntoolchain go1.22.4\n\nrequire (\n\t"example.com/a" v1.0.0\n\texample.com/b v1.2.0 // indirect\n\texample.com/c v0.1.0\n)\nrequire example.com/d v2.0.0+incompatible\nreplace example.com/a => example.com/a-fork v1.0.1\nreplace example.com/c v0.1.0 => ../c\nexclude example.com/b v1.1.0\n';
  const compared: number[] = [];
  for (const text of [readFileSync(join(FIXTURES, 'go/mediamtx/go.mod'), 'utf8'), sample]) {
    const go = goEdit(text);
    const mod = parseGoMod(text, 'go.mod');
    const f = goModFragment(mod, 'go.mod', new Map());
    const root = f.components[0]!.purl;
    const byPurl = new Map(f.components.map((c) => [c.purl, c]));
    // Each requirement as Go reads it, then as the replacement Go would use makes it.
    const want = (go.Require ?? []).map((r) => {
      const rep = (go.Replace ?? []).find((x) => x.Old.Path === r.Path && (x.Old.Version === undefined || x.Old.Version === r.Version));
      const to = rep ? (rep.New.Version ? `${rep.New.Path}@${rep.New.Version}` : `${r.Path} → ${rep.New.Path}`) : `${r.Path}@${r.Version}`;
      return `${to}${r.Indirect ? ' indirect' : ''}`;
    }).sort();
    // Go's standard library is no requirement go.mod writes.
    const got = f.dependencies.filter((d) => d.from === root && d.to !== 'pkg:golang/stdlib').map((d) => {
      const c = byPurl.get(d.to)!;
      const to = c.properties?.['go:localPath'] ? `${c.name} → ${c.properties['go:localPath']}` : `${c.name}@${c.version}`;
      return `${to}${d.condition === 'indirect' ? ' indirect' : ''}`;
    }).sort();
    assert.deepEqual(got, want);
    compared.push(want.length);
  }
  assert.deepEqual(compared, [98, 4]);
});

test('gradle.lockfile (JabRef): scope from configurations, a flat classpath said to be flat', async () => {
  const inv = await inventory('gradle/jabref');
  assert.equal(byName(inv, 'jackson-databind').kind, 'runtime');
  assert.equal(byName(inv, 'jackson-databind').purl, 'pkg:maven/com.fasterxml.jackson.core/jackson-databind@2.13.3');
  assert.equal(byName(inv, 'mockito-core').kind, 'test', 'test and jmh (benchmark) classpaths only');
  assert.equal(byName(inv, 'checkstyle').kind, 'build');
  assert.deepEqual(inv.components.filter((c) => c.name === 'icu4j').map((c) => [c.version, c.kind]).sort(), [['69.1', 'build'], ['71.1', 'runtime']], 'antlr4 tooling and the runtime each keep their version');
  assert.ok(inv.notes.some((n) => /without its graph/.test(n)));
  assert.throws(() => parseGradleLockfile('com.example:broken\n', 'gradle.lockfile'), /malformed gradle\.lockfile line "com\.example:broken"/);
});

test('gradle.lockfile of a Spring Boot app: productionRuntimeClasspath is what bootJar packages; a module only on runtimeClasspath beside it (developmentOnly: devtools) is dev, not shipped', async () => {
  const inv = await inventory('gradle/spring-boot-devtools');
  const devtools = inv.components.find((c) => c.name === 'spring-boot-devtools' && !c.root)!;
  assert.equal(devtools.properties?.['gradle:configurations'], 'developmentOnly,runtimeClasspath');
  assert.equal(devtools.kind, 'dev');
  assert.equal(byName(inv, 'spring-boot-starter-web').kind, 'runtime');
  assert.equal(byName(inv, 'lombok').kind, 'build', 'compile-only and an annotation processor');
  const ships = inv.components.filter((c) => !c.root && c.kind === 'runtime').length;
  assert.equal(ships, inv.components.filter((c) => c.properties?.['gradle:configurations']?.split(',').includes('productionRuntimeClasspath')).length, 'what ships is productionRuntimeClasspath, no more');
  // Without productionRuntimeClasspath locked, runtimeClasspath is the product's.
  const plain = parseGradleLockfile('org.springframework.boot:spring-boot-devtools:3.5.13=developmentOnly,runtimeClasspath\n', 'gradle.lockfile');
  assert.equal(plain.dependencies[0]!.kind, 'runtime');
});

test('gradle.lockfile that locks compileClasspath only: what the product compiles against counts as shipping, and a note says the runtime classpath is not locked', async () => {
  const inv = await inventory('gradle/spring-boot-compile-only');
  assert.equal(byName(inv, 'spring-webmvc').kind, 'runtime');
  assert.ok(inv.components.filter((c) => !c.root).every((c) => c.kind === 'runtime'));
  assert.ok(inv.notes.includes('gradle.lockfile: no runtime classpath is locked (compileClasspath): what the product compiles against is counted as shipping, and what it needs only at run time is not listed'), inv.notes.join('\n'));
  const buildscript = parseGradleLockfile('com.diffplug.spotless:spotless-plugin-gradle:6.25.0=classpath\n', 'buildscript-gradle.lockfile');
  assert.deepEqual([buildscript.dependencies[0]!.kind, buildscript.notes], ['build', ['buildscript-gradle.lockfile: a Gradle lockfile is the resolved classpath without its graph: its 1 modules hang from the project (depth 1), their scope from the configurations that hold them']], 'the build script\'s classpath never ships, and it is no runtime classpath to miss');
});

test('gradle.lockfile of an Android module (home-assistant): the release variant\'s runtime classpath ships, and so does coreLibraryDesugaring (D8/R8 dex the desugared JDK library into the app); debug, unit-test and lint classpaths do not', async () => {
  const inv = await inventory('gradle/android-desugaring');
  assert.equal(inv.components.find((c) => c.name === 'desugar_jdk_libs')!.kind, 'runtime');
  assert.equal(byName(inv, 'activity').kind, 'runtime', 'releaseRuntimeClasspath');
  assert.equal(byName(inv, 'activity-compose').kind, 'test', 'debugUnitTestRuntimeClasspath and its lint checks only');
  assert.ok(inv.components.filter((c) => !c.root && c.kind === 'runtime').every((c) => /(^|,)(releaseRuntimeClasspath|coreLibraryDesugaring)(,|$)/.test(c.properties!['gradle:configurations']!)));
});

test('composer.lock (Composer itself): packages and packages-dev, composer.json as the root, platform requirements left out', async () => {
  const inv = await inventory('composer/composer');
  const root = inv.components.filter((c) => c.root);
  assert.deepEqual(root.map((c) => c.name), ['composer/composer']);
  assert.deepEqual(inv.unresolved, []);
  assert.equal(byName(inv, 'composer/ca-bundle').kind, 'runtime');
  assert.equal(byName(inv, 'phpstan/phpstan').kind, 'dev');
  assert.ok(!inv.components.some((c) => c.name === 'php' || c.name.startsWith('ext-')));
  assert.deepEqual(osvPackagesOf(byName(inv, 'composer/ca-bundle')), [{ base: 'Packagist', name: 'composer/ca-bundle' }]);
  assert.throws(() => parseComposerLock('{"packages": [{"name": "a/b"}]}', 'composer.lock'), /a package without a name or version in packages/);
  assert.throws(() => parseComposerLock('[]', 'composer.lock'), /not a composer\.lock/);
});

test('packages.lock.json (Bicep): direct and transitive packages, their dependencies, content hashes', async () => {
  const inv = await inventory('nuget/bicep-registry-client');
  const root = inv.components.find((c) => c.root)!;
  assert.deepEqual(inv.dependencies.filter((d) => d.from === root.purl).map((d) => d.to).sort(), ['pkg:nuget/Azure.Core@1.14.0', 'pkg:nuget/Microsoft.CodeAnalysis.BannedApiAnalyzers@3.3.2', 'pkg:nuget/NETStandard.Library@2.0.3', 'pkg:nuget/Nerdbank.GitVersioning@3.4.231']);
  assert.equal(byName(inv, 'System.Memory').depth, 2);
  assert.equal(byName(inv, 'Azure.Core').hashes?.[0]?.alg, 'SHA-512');
  assert.deepEqual(inv.unresolved, []);
  assert.deepEqual(inv.notes.filter((n) => /target frameworks/.test(n)), [], 'empty runtime-specific targets are not frameworks');
  assert.throws(() => parseNugetLock('{"version": 1, "dependencies": {"net8.0": {"A": {"type": "Direct"}}}}', 'packages.lock.json'), /package "A" \(net8\.0\) has no resolved version/);
});

test('Gemfile.lock (Rails): PATH, GIT and GEM specs, platform gems, DEPENDENCIES, bundler from BUNDLED WITH', async () => {
  const inv = await inventory('gem/rails');
  assert.deepEqual(inv.unresolved, []);
  assert.ok(inv.components.filter((c) => c.name === 'nokogiri').every((c) => /[?&]platform=/.test(c.purl) || !/-/.test(c.version)));
  assert.equal(byName(inv, 'actioncable').version, '8.2.0.alpha');
  assert.ok(byName(inv, 'bundler'), 'the Bundler that wrote the lock');
  assert.ok(inv.notes.some((n) => /tzinfo-data, wdm are dependencies of the Gemfile with no locked version/.test(n)));
  assert.throws(() => parseGemfileLock('GEM\n  remote: https://rubygems.org/\n  specs:\n    rack\n', 'Gemfile.lock'), /gem "rack" has no version/);
  assert.throws(() => parseGemfileLock('nothing here\n', 'Gemfile.lock'), /not a Gemfile\.lock/);
});

test('conan.lock (PlotJuggler, Conan 2): requires ship, build_requires build; Conan 1 graphs keep their edges', async () => {
  const inv = await inventory('conan/plotjuggler');
  assert.equal(inv.components.length, 63);
  const openssl = byName(inv, 'openssl');
  assert.equal(openssl.purl, 'pkg:conan/openssl@3.6.4?rrev=bc460bf37686ccae86a15bfdce71be11');
  assert.equal(openssl.kind, 'runtime');
  assert.deepEqual(osvPackagesOf(openssl), [{ base: 'ConanCenter', name: 'openssl' }]);
  assert.equal(byName(inv, 'cmake').kind, 'build');
  assert.equal(byName(inv, 'libiconv').kind, 'runtime', 'in requires and build_requires: it ships');
  assert.equal(inv.components.filter((c) => c.name === 'nasm').length, 3);
  const v1 = parseConanLock(JSON.stringify({ graph_lock: { nodes: { '0': { requires: ['1'], build_requires: ['3'] }, '1': { ref: 'poco/1.12.4@acme/stable#abc', requires: ['2'] }, '2': { ref: 'zlib/1.2.13' }, '3': { ref: 'cmake/3.27.0' } } }, version: '0.4' }), 'conan.lock', 'robot');
  assert.deepEqual(v1.dependencies.map((d) => `${d.from} ${d.kind} ${d.to}`), ['pkg:generic/robot runtime pkg:conan/acme/poco@1.12.4?channel=stable&rrev=abc', 'pkg:generic/robot build pkg:conan/cmake@3.27.0', 'pkg:conan/acme/poco@1.12.4?channel=stable&rrev=abc runtime pkg:conan/zlib@1.2.13']);
  assert.throws(() => parseConanLock('{"version": "0.5", "requires": ["not a ref"]}', 'conan.lock'), /"not a ref" is not a Conan reference/);
});

test('vcpkg.json (Windows Terminal): overrides pin versions, features are optional; vcpkg_installed/vcpkg/status gives exact versions and the ports\' own dependencies', async () => {
  const inv = await inventory('vcpkg/terminal');
  assert.deepEqual(inv.components.filter((c) => !c.root).map((c) => [c.name, c.version, c.kind]).sort(), [['cli11', '2.4.2', 'optional'], ['cmark', '0.30.3', 'optional'], ['fmt', '11.1.4', 'runtime'], ['jsoncpp', '1.9.6', 'optional'], ['ms-gsl', '3.1.0', 'runtime']]);
  assert.ok(inv.notes.some((n) => /ports' own dependencies are in the registry/.test(n)));
  const status = 'Package: fmt\nVersion: 11.0.2\nPort-Version: 1\nDepends: vcpkg-cmake, vcpkg-cmake-config\nArchitecture: x64-linux\nType: Port\nStatus: install ok installed\n\nPackage: vcpkg-cmake\nVersion: 2024-04-23\nArchitecture: x64-linux\nType: Port\nStatus: install ok installed\n\nPackage: vcpkg-cmake-config\nVersion: 2024-05-23\nArchitecture: x64-linux\nType: Port\nStatus: install ok installed\n';
  const f = parseVcpkgManifest('{"name": "robot", "version": "1.0.0", "dependencies": ["fmt", {"name": "spdlog", "version>=": "1.13.0"}, {"name": "vcpkg-cmake", "host": true}], "builtin-baseline": "abc"}', 'vcpkg.json', 'robot', parseVcpkgStatus(status));
  assert.deepEqual(f.components.map((c) => [c.name, c.version]).sort(), [['fmt', '11.0.2#1'], ['robot', '1.0.0'], ['spdlog', ''], ['vcpkg-cmake', '2024-04-23'], ['vcpkg-cmake-config', '2024-05-23']]);
  assert.ok(f.dependencies.some((d) => d.from === 'pkg:generic/vcpkg/fmt@11.0.2%231' && d.to === 'pkg:generic/vcpkg/vcpkg-cmake-config@2024-05-23'));
  assert.ok(f.dependencies.some((d) => d.to === 'pkg:generic/vcpkg/vcpkg-cmake@2024-04-23' && d.kind === 'build'), 'a host dependency is a build tool');
  assert.equal(f.components.find((c) => c.name === 'spdlog')!.properties?.['vcpkg:versionAtLeast'], '1.13.0');
  assert.ok(f.notes!.some((n) => /1 port\(s\) \(spdlog\) get their version from the builtin-baseline abc/.test(n)));
});

test('vcpkg.json (colmap): the top-level manifest\'s default-features are installed, so their dependencies ship; a port named for two platforms is needed on either', async () => {
  const inv = await inventory('vcpkg/colmap');
  const kinds = Object.fromEntries(inv.components.filter((c) => !c.root).map((c) => [c.name, c.kind]));
  // gui and download are default features: vcpkg install turns them on unless told not to.
  for (const n of ['glew', 'qtbase', 'qtsvg', 'curl', 'openssl', 'cryptopp']) assert.equal(kinds[n], 'runtime', n);
  for (const n of ['gtest', 'cuda', 'cgal', 'onnxruntime-gpu']) assert.equal(kinds[n], 'optional', n);
  const root = inv.components.find((c) => c.root)!.purl;
  const curl = inv.dependencies.filter((d) => d.from === root && d.to === 'pkg:generic/vcpkg/curl');
  assert.deepEqual(curl.map((d) => [d.kind, d.condition, d.constraint]), [['runtime', '(windows) | (!windows)', 'feature download (default)']]);
  assert.equal(inv.dependencies.find((d) => d.to === 'pkg:generic/vcpkg/openssl')!.condition, '!(windows & arm64)');
  // A feature that turns on another feature of the project itself: that feature is on, and the project is no port.
  const f = parseVcpkgManifest(JSON.stringify({ name: 'robot', 'default-features': [{ name: 'net', platform: 'linux' }], features: { net: { description: '', dependencies: [{ name: 'robot', features: ['tls'] }, 'asio'] }, tls: { description: '', dependencies: ['openssl'] }, gui: { description: '', dependencies: ['qtbase'] } } }), 'vcpkg.json', 'robot');
  assert.deepEqual(f.dependencies.map((d) => [d.to, d.kind, d.condition]).sort(), [['pkg:generic/vcpkg/asio', 'runtime', 'linux'], ['pkg:generic/vcpkg/openssl', 'runtime', 'linux'], ['pkg:generic/vcpkg/qtbase', 'optional', undefined]]);
  assert.ok(!f.components.some((c) => c.purl === 'pkg:generic/vcpkg/robot'));
  // A feature turned on for two platforms is on under either, and so is what it turns on; a cycle of features ends.
  const two = parseVcpkgManifest(JSON.stringify({ name: 'robot', 'default-features': [{ name: 'net', platform: 'linux' }, { name: 'net', platform: 'windows' }], features: { net: { description: '', dependencies: [{ name: 'robot', features: ['tls'] }, 'asio'] }, tls: { description: '', dependencies: [{ name: 'robot', features: ['net'] }, 'openssl'] } } }), 'vcpkg.json', 'robot');
  assert.deepEqual(two.dependencies.map((d) => [d.to, d.condition]).sort(), [['pkg:generic/vcpkg/asio', '(linux) | (windows)'], ['pkg:generic/vcpkg/openssl', '(linux) | (windows)']]);
  assert.throws(() => parseVcpkgManifest('{\n  "name": "robot",\n  "default-features": "gui"\n}', 'vcpkg.json'), (e: Error & { file?: string; line?: number }) => /must be arrays of feature names/.test(e.message) && e.file === 'vcpkg.json' && e.line === 3);
});

test('vcpkg overlay ports (MaterialX): the port is the overlay\'s, at its version, with its own dependencies; its recipe is no project of the product', async () => {
  const inv = await inventory('vcpkg/materialx');
  // vcpkg-configuration.json names ./vcpkg/overlayPorts: mdl-sdk there wins over the registry (overlay > overrides > baseline).
  const mdl = inv.components.filter((c) => c.name === 'mdl-sdk');
  assert.deepEqual(mdl.map((c) => [c.purl, c.kind, c.root ?? false, c.firstParty ?? false, c.licenses, c.properties?.['vcpkg:overlay']]), [['pkg:generic/vcpkg/mdl-sdk@2024.1', 'optional', false, false, ['BSD-3-Clause'], 'vcpkg/overlayPorts/mdl-sdk']]);
  // Its recipe's dependencies are what it brings, and only the optional features that ask for it bring them.
  for (const n of ['boost-algorithm', 'boost-unordered', 'openimageio']) assert.equal(byName(inv, n).kind, 'optional', n);
  assert.equal(byName(inv, 'vcpkg-cmake').kind, 'build');
  assert.ok(inv.dependencies.some((d) => d.from === 'pkg:generic/vcpkg/mdl-sdk@2024.1' && d.to === 'pkg:generic/vcpkg/openimageio' && d.constraint === 'feature openimageio'), 'the feature mdl-render asks of it');
  assert.deepEqual(inv.components.filter((c) => c.firstParty).map((c) => c.purl), ['pkg:generic/materialx@1.39.2']);
  assert.ok(inv.notes.some((n) => /vcpkg\.json: 15 port\(s\) \(glfw3, .*\) get their version from the baseline 381b327c0efbf55a5b7dc4a57ed941aaa729f4c7 \(the configuration's default registry\) of the vcpkg registry/.test(n)), inv.notes.join('\n'));
});

test('vcpkg overlay ports in the manifest\'s own configuration: a location that is one port, one outside the scanned folder, a port asking for its own features; a recipe no project names', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'marque-vcpkg-overlay-'));
  const write = (rel: string, text: string) => { mkdirSync(dirname(join(dir, rel)), { recursive: true }); writeFileSync(join(dir, rel), text); };
  write('app/vcpkg.json', JSON.stringify({
    name: 'robot', version: '2.0.0',
    dependencies: ['codec', { name: 'codec', host: true }, { name: 'media', features: ['hw'] }, 'zlib', 'outside'],
    'vcpkg-configuration': { 'default-registry': { kind: 'builtin', baseline: '120deac3062162151622ca4860575a33844ba10b' }, 'overlay-ports': ['../ports', '../single', '../../elsewhere'] },
    overrides: [{ name: 'codec', version: '9.9.9' }, { name: 'zlib', version: '1.3.1' }, { name: 'gpu', version: '12.1.14.0' }],
  }));
  write('ports/codec/vcpkg.json', JSON.stringify({ name: 'codec', 'version-semver': '3.12.1', 'port-version': 2, license: 'BSD-2-Clause', dependencies: [{ name: 'vcpkg-cmake', host: true }] }));
  write('ports/codec/portfile.cmake', '');
  write('single/vcpkg.json', JSON.stringify({ name: 'media', version: '7.1', 'default-features': ['net'], dependencies: ['codec'], features: { hw: { dependencies: ['gpu', { name: 'media', features: ['net'] }] }, net: { dependencies: [{ name: 'tls', platform: 'linux' }] }, extra: { dependencies: ['never'] } } }));
  write('single/portfile.cmake', '');
  write('registry/ports/other/vcpkg.json', JSON.stringify({ name: 'other', version: '1.0' }));
  write('registry/ports/other/portfile.cmake', '');
  try {
    const inv = await buildInventory((await productRequest(dir, {})).request);
    const v = Object.fromEntries(inv.components.map((c) => [c.name, [c.version, c.kind]]));
    assert.deepEqual(v['codec'], ['3.12.1#2', 'runtime'], 'the overlay\'s version (and port version) wins over the override');
    assert.deepEqual(v['media'], ['7.1', 'runtime']);
    assert.deepEqual(v['zlib'], ['1.3.1', 'runtime']);
    assert.deepEqual(v['gpu'], ['12.1.14.0', 'runtime'], 'asked of media by the feature hw');
    assert.deepEqual(v['tls'], ['', 'runtime'], 'media\'s default feature net');
    assert.equal(v['never'], undefined, 'a feature nobody asks for');
    assert.deepEqual(v['outside'], ['', 'runtime']);
    assert.equal(inv.dependencies.find((d) => d.to === 'pkg:generic/vcpkg/tls')!.condition, 'linux');
    assert.ok(!inv.components.some((c) => c.purl.startsWith('pkg:generic/codec') || c.purl.startsWith('pkg:generic/media') || c.name === 'other'), 'a port recipe is no project');
    assert.deepEqual(inv.components.filter((c) => c.firstParty).map((c) => c.purl), ['pkg:generic/robot@2.0.0']);
    assert.ok(inv.notes.some((n) => n === 'app/vcpkg.json: the overlay-ports location "../../elsewhere" lies outside the scanned folder: not read, so the ports it may hold are taken from the registry here'), inv.notes.join('\n'));
    assert.ok(inv.notes.some((n) => /app\/vcpkg\.json: 3 port\(s\) \(outside, vcpkg-cmake, tls\) get their version from the baseline 120deac3062162151622ca4860575a33844ba10b \(the configuration's default registry\)/.test(n)), inv.notes.join('\n'));
    assert.ok(inv.notes.some((n) => /1 vcpkg port recipe\(s\) .* none here names them: registry\/ports\/other\/vcpkg\.json/.test(n)), inv.notes.join('\n'));
  } finally { rmSync(dir, { recursive: true, force: true }); }
});

test('pom.xml (Spring PetClinic): scopes, versions from properties, versions only a remote parent knows left unknown and named; a parent on disk is read', async () => {
  const inv = await inventory('maven/petclinic');
  assert.equal(inv.components.find((c) => c.root)!.purl, 'pkg:maven/org.springframework.samples/spring-petclinic@4.0.0-SNAPSHOT');
  assert.equal(byName(inv, 'h2').kind, 'runtime');
  assert.equal(byName(inv, 'spring-boot-starter-data-jpa-test').kind, 'test');
  assert.match(byName(inv, 'bootstrap').purl, /^pkg:maven\/org\.webjars\.npm\/bootstrap@\d/, '${webjars-bootstrap.version} from the properties');
  assert.equal(byName(inv, 'spring-boot-starter-webmvc').version, '', 'managed by spring-boot-starter-parent, which is not on disk');
  assert.ok(inv.notes.some((n) => /parent org\.springframework\.boot:spring-boot-starter-parent:4\.0\.3 is not on disk/.test(n)));
  const dir = mkdtempSync(join(tmpdir(), 'marque-pom-'));
  mkdirSync(join(dir, 'app'));
  writeFileSync(join(dir, 'pom.xml'), '<project><groupId>com.acme</groupId><artifactId>robot-parent</artifactId><version>2.0.0</version><packaging>pom</packaging><properties><netty.version>4.1.100.Final</netty.version></properties><dependencyManagement><dependencies><dependency><groupId>io.netty</groupId><artifactId>netty-handler</artifactId><version>${netty.version}</version></dependency></dependencies></dependencyManagement><modules><module>app</module></modules></project>');
  writeFileSync(join(dir, 'app', 'pom.xml'), '<project><parent><groupId>com.acme</groupId><artifactId>robot-parent</artifactId><version>2.0.0</version></parent><artifactId>robot-app</artifactId><dependencies><dependency><groupId>io.netty</groupId><artifactId>netty-handler</artifactId></dependency><dependency><groupId>javax.servlet</groupId><artifactId>servlet-api</artifactId><version>2.5</version><scope>provided</scope></dependency></dependencies></project>');
  const f = parsePom(readFileSync(join(dir, 'app', 'pom.xml'), 'utf8'), 'app/pom.xml', join(dir, 'app', 'pom.xml'), (p) => FileAccess.within(dir).readIfPresentSync(p));
  assert.deepEqual(f.components.map((c) => c.purl), ['pkg:maven/com.acme/robot-app@2.0.0', 'pkg:maven/io.netty/netty-handler@4.1.100.Final', 'pkg:maven/javax.servlet/servlet-api@2.5']);
  assert.equal(f.dependencies.find((d) => d.to.includes('servlet-api'))!.kind, 'build', 'provided: the platform supplies it');
  // dependencyManagement manages a scope too (a parent on disk): a dependency that declares none takes it.
  writeFileSync(join(dir, 'pom.xml'), '<project><groupId>com.acme</groupId><artifactId>robot-parent</artifactId><version>2.0.0</version><packaging>pom</packaging><dependencyManagement><dependencies><dependency><groupId>org.junit.jupiter</groupId><artifactId>junit-jupiter</artifactId><version>5.11.0</version><scope>test</scope></dependency><dependency><groupId>jakarta.servlet</groupId><artifactId>jakarta.servlet-api</artifactId><version>6.0.0</version><scope>provided</scope></dependency></dependencies></dependencyManagement></project>');
  writeFileSync(join(dir, 'app', 'pom.xml'), '<project><parent><groupId>com.acme</groupId><artifactId>robot-parent</artifactId><version>2.0.0</version></parent><artifactId>robot-app</artifactId><dependencies><dependency><groupId>org.junit.jupiter</groupId><artifactId>junit-jupiter</artifactId></dependency><dependency><groupId>jakarta.servlet</groupId><artifactId>jakarta.servlet-api</artifactId><scope>compile</scope></dependency></dependencies></project>');
  const m = parsePom(readFileSync(join(dir, 'app', 'pom.xml'), 'utf8'), 'app/pom.xml', join(dir, 'app', 'pom.xml'), (p) => FileAccess.within(dir).readIfPresentSync(p));
  assert.deepEqual(m.dependencies.map((d) => `${d.to} ${d.kind}`), ['pkg:maven/org.junit.jupiter/junit-jupiter@5.11.0 test', 'pkg:maven/jakarta.servlet/jakarta.servlet-api@6.0.0 runtime'], 'a declared scope wins over the managed one');
  assert.throws(() => parsePom('<project><groupId>x</groupId></project>', 'pom.xml'), /pom\.xml without an artifactId/);
});

test('pom.xml (Jenkins, 9 modules): CI-friendly versions (${revision}${changelist}), a BOM of the same build imported from disk with its own properties, provided and system scopes, a provided optional dependency; hand-checked against bom/pom.xml', async () => {
  const inv = await inventory('maven/jenkins');
  assert.deepEqual(inv.problems, []);
  const roots = inv.components.filter((c) => c.root);
  assert.equal(roots.length, 9);
  assert.deepEqual([...new Set(roots.map((c) => c.version))], ['2.579-SNAPSHOT']);
  const core = roots.find((c) => c.name === 'jenkins-core')!;
  const edges = new Map(inv.dependencies.filter((d) => d.from === core.purl).map((d) => [d.to.replace(/@.*$/, ''), `${d.to.includes('@') ? d.to.slice(d.to.indexOf('@') + 1) : ''} ${d.kind}`]));
  // Managed by jenkins-bom (bom/pom.xml, imported with scope import), its versions from its own properties and the root's.
  assert.equal(edges.get('pkg:maven/com.google.guava/guava'), '33.7.1-jre runtime');
  assert.equal(edges.get('pkg:maven/org.kohsuke.stapler/stapler'), '2107.v8dfcb_e8ed317 runtime', '${stapler.version} of the BOM');
  assert.equal(edges.get('pkg:maven/org.jenkins-ci.main/remoting'), '3386.v353e57a_1b_ea_0 runtime');
  assert.equal(edges.get('pkg:maven/org.jenkins-ci.main/cli'), '2.579-SNAPSHOT runtime', '${project.version} of the BOM');
  // provided: the servlet container supplies it; provided and optional is still provided.
  assert.equal(edges.get('pkg:maven/jakarta.servlet/jakarta.servlet-api'), '5.0.0 build');
  assert.equal(edges.get('pkg:maven/org.jenkins-ci/core-annotation-processors'), '59.ve181f58722c6 build');
  assert.equal(edges.get('pkg:maven/org.kohsuke.metainf-services/metainf-services'), '1.11 optional');
  assert.equal(edges.get('pkg:maven/org.junit.jupiter/junit-jupiter'), ' test');
  // What only the remote parent (org.jenkins-ci:jenkins) or a remote BOM (guice, slf4j, Spring) manages stays unknown, and is said.
  assert.ok(inv.notes.some((n) => /^core\/pom\.xml: 12 dependencies have no version on disk/.test(n)));
  assert.ok(inv.notes.some((n) => /core\/pom\.xml: parent org\.jenkins-ci:jenkins:2\.1397\.v033314c396ee is not on disk/.test(n)));
});

test('malformed apk, rpm and vcpkg inputs: a problem with the file, never a crash', async () => {
  assert.throws(() => parseApkInstalled('P:busybox\nthis is not a field\n', 'lib/apk/db/installed'), (e: Error & { line?: number }) => /malformed apk database line/.test(e.message) && e.line === 2);
  assert.throws(() => parseApkInstalled('P:busybox\nA:x86_64\n', 'lib/apk/db/installed'), /a package without P: \(name\) or V: \(version\)/);
  assert.throws(() => parseApkInstalled('\n\n', 'lib/apk/db/installed'), (e: Error & { line?: number }) => /empty apk database/.test(e.message) && e.line === 1, 'an empty database is an error, as an empty dpkg status file is');
  const dir = mkdtempSync(join(tmpdir(), 'marque-bad-dbs-'));
  writeFileSync(join(dir, 'garbage.sqlite'), 'SQLite format 3\0 but then nothing');
  assert.throws(() => readRpmDb(join(dir, 'garbage.sqlite'), 'var/lib/rpm/rpmdb.sqlite'), /not a readable SQLite database|not an rpm database/);
  assert.throws(() => parseHeader(new Uint8Array([0, 0, 255, 255, 0, 0, 0, 10])), /header claims 65535 entries/);
  assert.throws(() => parseVcpkgManifest('[1, 2]', 'vcpkg.json'), /not a vcpkg\.json/);
  assert.throws(() => parseVcpkgManifest('{"dependencies": [{"host": true}]}', 'vcpkg.json'), /a dependency without a name/);
});

test('composer.lock oracle: `composer show --locked` (Debian\'s Composer, offline) lists the same packages, direct ones and the ones that ship', { skip: spawnSync('composer', ['--version']).status !== 0 && !process.env['CI'] && 'composer not installed (.ci/run installs it)' }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'marque-composer-oracle-'));
  for (const f of ['composer.json', 'composer.lock']) writeFileSync(join(dir, f), readFileSync(join(FIXTURES, 'composer', 'composer', f)));
  const env = { ...process.env, COMPOSER_HOME: join(dir, '.composer'), COMPOSER_DISABLE_NETWORK: '1', COMPOSER_NO_INTERACTION: '1' };
  const show = (...args: string[]) => { const r = spawnSync('composer', ['show', '--locked', '--format=json', ...args], { cwd: dir, env, encoding: 'utf8' }); assert.equal(r.status, 0, r.stderr); return (JSON.parse(r.stdout) as { locked: { name: string; version: string; 'direct-dependency'?: boolean }[] }).locked; };
  const all = show();
  const prod = show('--no-dev');
  const inv = await inventory('composer/composer');
  const root = inv.components.find((c) => c.root)!;
  assert.deepEqual(inv.components.filter((c) => !c.root).map((c) => `${c.name}@${c.version}`).sort(), all.map((p) => `${p.name}@${p.version}`).sort());
  assert.deepEqual(inv.dependencies.filter((d) => d.from === root.purl).map((d) => inv.components.find((c) => c.purl === d.to)!.name).sort(), all.filter((p) => p['direct-dependency']).map((p) => p.name).sort());
  assert.deepEqual(inv.components.filter((c) => !c.root && c.kind === 'runtime').map((c) => c.name).sort(), prod.map((p) => p.name).sort());
});

test('composer.lock (BookStack) against `composer show --locked --tree`: a requirement is met by the package that replaces or provides it (laravel/framework for illuminate/*, ssddanbrown/symfony-mailer for symfony/mailer)', { skip: spawnSync('composer', ['--version']).status !== 0 && !process.env['CI'] && 'composer not installed (.ci/run installs it)' }, async () => {
  const inv = await inventory('composer/bookstack');
  assert.deepEqual(inv.unresolved, []);
  const purlOf = new Map(inv.components.map((c) => [c.name, c.purl]));
  const edges = new Set(inv.dependencies.map((d) => `${d.from} ${d.to}`));
  const dir = mkdtempSync(join(tmpdir(), 'marque-composer-tree-'));
  for (const f of ['composer.json', 'composer.lock']) writeFileSync(join(dir, f), readFileSync(join(FIXTURES, 'composer', 'bookstack', f)));
  const env = { ...process.env, COMPOSER_HOME: join(dir, '.composer'), COMPOSER_DISABLE_NETWORK: '1', COMPOSER_NO_INTERACTION: '1' };
  const composer = (...args: string[]) => { const r = spawnSync('composer', [...args, '--format=json'], { cwd: dir, env, encoding: 'utf8', maxBuffer: 64 << 20 }); assert.equal(r.status, 0, r.stderr); return JSON.parse(r.stdout) as unknown; };
  type Node = { name: string; requires?: Node[] };
  const tree = (composer('show', '--locked', '--tree') as { installed: Node[] }).installed;
  const required = new Set<string>();
  const walk = (n: Node) => { for (const r of n.requires ?? []) { if (r.name.includes('/')) required.add(`${n.name} ${r.name}`); walk(r); } };
  tree.forEach(walk);
  // Composer's tree names what is required; a name no locked package has is met by the package whose
  // `names` (Composer's own list: its name, what it replaces, what it provides) hold it.
  const absent = new Set([...required].map((x) => x.split(' ')[1]!).filter((n) => !purlOf.has(n)));
  assert.deepEqual([...absent].sort(), ['illuminate/collections', 'illuminate/console', 'illuminate/container', 'illuminate/contracts', 'illuminate/database', 'illuminate/http', 'illuminate/pipeline', 'illuminate/support', 'symfony/mailer']);
  const meets = new Map<string, string>();
  for (const p of ['laravel/framework', 'ssddanbrown/symfony-mailer']) for (const n of (composer('show', '--locked', p) as { names: string[] }).names) if (absent.has(n)) meets.set(n, p);
  assert.equal(meets.size, absent.size);
  const lost = [...required].filter((x) => { const [from, to] = x.split(' ') as [string, string]; return !edges.has(`${purlOf.get(from)} ${purlOf.get(meets.get(to) ?? to)}`); });
  assert.deepEqual(lost, []);
  assert.equal(required.size, 229);
  const larastan = inv.components.find((c) => c.name === 'larastan/larastan')!;
  assert.ok(inv.dependencies.some((d) => d.from === larastan.purl && d.to === purlOf.get('laravel/framework')));
  assert.equal(larastan.kind, 'dev');
});

test('composer.lock: a virtual package is met by its providers; a name the project itself replaces is no gap', () => {
  const lock = JSON.stringify({ packages: [
    { name: 'acme/app-lib', version: '1.0.0', require: { 'psr/log-implementation': '^3.0', 'symfony/polyfill-php80': '*' } },
    { name: 'monolog/monolog', version: '3.7.0', provide: { 'psr/log-implementation': '3.0.0' } },
  ] });
  const f = parseComposerLock(lock, 'composer.lock', { name: 'acme/app', require: { 'acme/app-lib': '^1.0' }, replace: { 'symfony/polyfill-php80': '*' } });
  assert.deepEqual(f.unresolved, []);
  assert.ok(f.dependencies.some((d) => d.from === 'pkg:composer/acme/app-lib@1.0.0' && d.to === 'pkg:composer/monolog/monolog@3.7.0'));
});

const hasBundler = spawnSync('ruby', ['-rbundler', '-e', 'exit 0']).status === 0;
if (!hasBundler && process.env['CI']) throw new Error('ruby-bundler is not installed; .ci/run installs Debian\'s ruby-bundler');

test('Gemfile.lock with its Gemfile (lobsters): Bundler\'s groups decide scope; Bundler itself (its Dsl and SpecSet, offline) agrees on the 121 gems that ship and the 59 only test and development need', { skip: !hasBundler && 'ruby-bundler not installed (.ci/run installs it)' }, async () => {
  const inv = await inventory('gem/lobsters');
  assert.deepEqual(inv.unresolved, []);
  assert.deepEqual(inv.notes.filter((n) => /Bundler groups/.test(n)), [], 'the Gemfile is read');
  const r = spawnSync('ruby', [join(import.meta.dirname, 'helpers', 'bundler-groups.rb'), join(FIXTURES, 'gem', 'lobsters', 'Gemfile'), 'test:development'], { cwd: join(FIXTURES, 'gem', 'lobsters'), env: { ...process.env, BUNDLE_GEMFILE: join(FIXTURES, 'gem', 'lobsters', 'Gemfile') }, encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  const bundler = JSON.parse(r.stdout) as { closure_all: string[]; closure_without: string[]; groups: Record<string, string[]> };
  // BUNDLED WITH's bundler is a component here; Bundler leaves itself out of the closure.
  const gems = inv.components.filter((c) => !c.root && c.name !== 'bundler');
  const names = (cs: typeof gems) => [...new Set(cs.map((c) => c.name))].sort();
  assert.deepEqual(names(gems.filter((c) => c.kind === 'runtime')), bundler.closure_without);
  assert.deepEqual(names(gems.filter((c) => c.depth !== null)), bundler.closure_all);
  const onlyTestDev = names(gems.filter((c) => c.kind === 'dev' || c.kind === 'test'));
  assert.equal(onlyTestDev.length, 59);
  for (const n of ['rspec-rails', 'brakeman', 'capybara', 'webmock']) assert.ok(onlyTestDev.includes(n), n);
});

test('Gemfile.lock whose DEPENDENCIES pin a gem to its source, "avo-advanced (~> 3.32)!" (rubygems.org): read, not refused; Bundler agrees on the 226 gems that ship and the 298 in all', async () => {
  // Bundler writes "!" after the constraint when the Gemfile names the gem's source (a `source … do` block):
  // the whole lock was refused as malformed at that line, and no gem was listed.
  const inv = await inventory('gem/rubygems-org');
  assert.deepEqual([inv.unresolved, inv.problems], [[], []]);
  const root = inv.components.find((c) => c.root)!;
  const avo = inv.components.find((c) => c.name === 'avo-advanced')!;
  assert.deepEqual([avo.version, avo.kind, avo.properties?.['gem:remote']], ['3.32.4', 'runtime', 'https://packager.dev/avo-hq/']);
  assert.ok(inv.dependencies.some((d) => d.from === root.purl && d.to === avo.purl && d.constraint === '~> 3.32'));
  if (!hasBundler) return;
  const gemfile = join(FIXTURES, 'gem', 'rubygems-org', 'Gemfile');
  const r = spawnSync('ruby', [join(import.meta.dirname, 'helpers', 'bundler-groups.rb'), gemfile, 'test:development'], { cwd: dirname(gemfile), env: { ...process.env, BUNDLE_GEMFILE: gemfile }, encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  const bundler = JSON.parse(r.stdout) as { closure_all: string[]; closure_without: string[] };
  const gems = inv.components.filter((c) => !c.root && c.name !== 'bundler');
  const names = (cs: typeof gems) => [...new Set(cs.map((c) => c.name))].sort();
  assert.deepEqual(names(gems.filter((c) => c.kind === 'runtime')), bundler.closure_without);
  assert.deepEqual(names(gems.filter((c) => c.depth !== null)), bundler.closure_all);
  assert.deepEqual([bundler.closure_without.length, bundler.closure_all.length], [226, 298]);
});

test('Gemfile groups read statically: blocks, inline group: and groups:, hash rockets, other blocks, gemspec', async () => {
  const { parseGemfileGroups } = await import('../src/sources/gem/gemfile.ts');
  const g = parseGemfileGroups([
    'source "https://rubygems.org"', 'gemspec', 'gem "rails", "~> 8.0" # the app', 'gem "rspec", group: :test', 'gem "pry", groups: [:development, :test]',
    'gem "rubocop", :group => "development"', 'platforms :jruby do', '  gem "jdbc"', 'end', 'group :production, :staging do', '  if ENV["X"]', '    gem "newrelic"', '  end', 'end',
    'group(:development) do |g|', '  gem "listen" # group :test do', 'end', 'gem "puma"',
  ].join('\n'));
  assert.deepEqual([...g.groups].map(([n, s]) => `${n}:${[...s].join('+')}`), ['rails:default', 'rspec:test', 'pry:development+test', 'rubocop:development', 'jdbc:default', 'newrelic:production+staging', 'listen:development', 'puma:default']);
  assert.equal(g.gemspec, true);
  const lock = 'PATH\n  remote: .\n  specs:\n    mygem (1.0.0)\n      rails (>= 7)\n\nGEM\n  remote: https://rubygems.org/\n  specs:\n    rails (8.0.0)\n    rspec (3.13.0)\n    minitest (5.25.0)\n    pry (0.15.0)\n\nDEPENDENCIES\n  minitest\n  mygem!\n  pry\n  rspec\n';
  const f = parseGemfileLock(lock, 'Gemfile.lock', 'mygem', { ...g, file: 'Gemfile' });
  assert.deepEqual(f.dependencies.filter((d) => d.from === 'pkg:gem/mygem').map((d) => `${d.to} ${d.kind}`).sort(), ['pkg:gem/minitest@5.25.0 dev', 'pkg:gem/mygem@1.0.0 runtime', 'pkg:gem/pry@0.15.0 dev', 'pkg:gem/rspec@3.13.0 test']);
});

test('packages.lock.json with its MSBuild files (Bicep\'s Visual Studio client): PrivateAssets="all" packages, in the project or a Directory.Build.props, are build scope with what only they bring', async () => {
  const inv = await inventory('nuget/bicep-vs');
  assert.deepEqual(inv.unresolved, []);
  assert.deepEqual(inv.problems, []);
  const build = inv.components.filter((c) => c.kind === 'build').map((c) => c.name).sort();
  // Hand-checked against Bicep.VSLanguageServerClient.csproj (PrivateAssets element and attribute) and
  // src/vs-bicep/Directory.Build.props (four PrivateAssets="All" references), plus what only they depend on.
  assert.deepEqual(build, ['Microsoft.Build.Tasks.Git', 'Microsoft.CodeAnalysis.BannedApiAnalyzers', 'Microsoft.CodeAnalysis.CSharp.CodeStyle', 'Microsoft.NETFramework.ReferenceAssemblies', 'Microsoft.NETFramework.ReferenceAssemblies.net472', 'Microsoft.Net.Compilers.Toolset', 'Microsoft.SourceLink.Common', 'Microsoft.SourceLink.GitHub', 'Nerdbank.GitVersioning']);
  // Private for this project, yet a dependency of Microsoft.VisualStudio.Threading that ships: runtime.
  assert.equal(inv.components.find((c) => c.name === 'Microsoft.VisualStudio.Threading.Analyzers')!.kind, 'runtime');
  assert.equal(inv.components.find((c) => c.name === 'MessagePack')!.kind, 'runtime');
  assert.deepEqual(inv.notes.filter((n) => /target frameworks/.test(n)), [], 'runtime identifiers are not frameworks');
});

test('NuGet private packages: GlobalPackageReference, an Update that makes a reference private, an Import chain; a broken project file is a warning', async () => {
  const { privatePackages } = await import('../src/sources/nuget/project.ts');
  const dir = mkdtempSync(join(tmpdir(), 'marque-nuget-'));
  mkdirSync(join(dir, 'src', 'App'), { recursive: true });
  writeFileSync(join(dir, 'Directory.Packages.props'), '<Project><ItemGroup><GlobalPackageReference Include="DotNet.ReproducibleBuilds" Version="2.0.2" /></ItemGroup></Project>');
  writeFileSync(join(dir, 'Directory.Build.props'), '<Project><Import Project="build/common.props" /></Project>');
  mkdirSync(join(dir, 'build'));
  writeFileSync(join(dir, 'build', 'common.props'), '<Project><ItemGroup><PackageReference Update="StyleCop.Analyzers" PrivateAssets="All" /></ItemGroup></Project>');
  writeFileSync(join(dir, 'src', 'App', 'App.csproj'), '\uFEFF<Project Sdk="Microsoft.NET.Sdk"><ItemGroup><PackageReference Include="StyleCop.Analyzers" Version="1.1.118" /><PackageReference Include="Serilog" Version="4.0.0" /></ItemGroup></Project>');
  const problems: { message: string }[] = [];
  assert.deepEqual([...privatePackages(FileAccess.within(dir), join(dir, 'src', 'App', 'packages.lock.json'), dir, problems as never)].sort(), ['dotnet.reproduciblebuilds', 'stylecop.analyzers']);
  writeFileSync(join(dir, 'src', 'App', 'App.csproj'), '<Project><ItemGroup>');
  privatePackages(FileAccess.within(dir), join(dir, 'src', 'App', 'packages.lock.json'), dir, problems as never);
  assert.match(problems[0]!.message, /malformed XML.*development-only is unknown/);
});

test('Gradle 4.8-6 lock files, one per configuration under gradle/dependency-locks/ (grgit, two projects): read together, scope from the configurations, a malformed line named with its file and line', async () => {
  // They were neither read nor listed as not analysed: the projects' dependencies were silently missing.
  const inv = await inventory('gradle/grgit-legacy');
  const edges = (from: string, kind: string) => inv.dependencies.filter((d) => d.from === `pkg:generic/${from}` && d.kind === kind).length;
  // Each project's runtimeClasspath.lockfile holds 19 and 18 modules; default.lockfile and runtime.lockfile hold no other.
  assert.equal(edges('grgit-core', 'runtime'), 19);
  assert.equal(edges('grgit-gradle', 'runtime'), 18);
  assert.equal(edges('grgit-core', 'test'), 5);
  assert.equal(edges('grgit-gradle', 'test'), 3);
  assert.equal(byName(inv, 'org.eclipse.jgit').kind, 'runtime');
  assert.equal(byName(inv, 'junit').kind, 'test');
  assert.equal(byName(inv, 'junit').properties?.['gradle:configurations'], 'testCompileClasspath,testRuntimeClasspath');
  assert.deepEqual(inv.notAnalysed, []);
  assert.deepEqual(inv.problems, []);
  // A line that is no module: the file and its line, and nothing of that project is guessed.
  const dir = mkdtempSync(join(tmpdir(), 'marque-gradle-legacy-'));
  mkdirSync(join(dir, 'app', 'gradle', 'dependency-locks'), { recursive: true });
  writeFileSync(join(dir, 'app', 'gradle', 'dependency-locks', 'runtimeClasspath.lockfile'), '# This is a Gradle generated file for dependency locking.\ncom.example:ok:1.0\ncom.example:broken\n');
  writeFileSync(join(dir, 'app', 'gradle', 'dependency-locks', 'testRuntimeClasspath.lockfile'), '# empty\n');
  const bad = await buildInventory({ target: dir });
  assert.deepEqual(bad.problems.map((p) => [p.file, p.line, p.message]), [['app/gradle/dependency-locks/runtimeClasspath.lockfile', 3, 'malformed Gradle lock line "com.example:broken" (expected group:artifact:version)']]);
});

test('go.work: every module of a workspace is built with one build list, so another module\'s higher requirement raises a version (the edge\'s constraint keeps the asked one); checked against `go list -m all` in workspace mode over a local module proxy', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'marque-gowork-mvs-'));
  const put = (p: string, text: string) => { mkdirSync(dirname(join(dir, p)), { recursive: true }); writeFileSync(join(dir, p), text); };
  // Tidy go.mod files, as `go mod tidy` leaves them: each lists every module its build needs.
  put('go.work', 'go 1.19\n\nuse (\n\t./planner\n\t./driver\n)\n\nreplace example.com/log v1.4.0 => example.com/log-fork v1.4.1\n');
  put('planner/go.mod', 'module example.com/planner\n\ngo 1.19\n\nrequire (\n\texample.com/geom v1.2.0\n\texample.com/log v1.3.0 // indirect\n\texample.com/driver v0.0.0\n)\n');
  put('driver/go.mod', 'module example.com/driver\n\ngo 1.19\n\nrequire (\n\texample.com/geom v1.10.0\n\texample.com/serial v0.3.0\n\texample.com/log v1.4.0 // indirect\n)\n');
  put('go.work.sum', 'example.com/log-fork v1.4.1 h1:abc=\n');
  const inv = await buildInventory((await productRequest(dir, {})).request);
  const planner = inv.components.find((c) => c.name === 'example.com/planner')!;
  const needs = inv.dependencies.filter((d) => d.from === planner.purl).map((d) => d.to).sort();
  assert.deepEqual(needs, ['pkg:golang/example.com/driver', 'pkg:golang/example.com/geom@v1.10.0', 'pkg:golang/example.com/log-fork@v1.4.1', 'pkg:golang/stdlib']);
  assert.equal(inv.dependencies.find((d) => d.from === planner.purl && d.to === 'pkg:golang/example.com/geom@v1.10.0')?.constraint, 'v1.2.0', 'the version planner asks for');
  assert.ok(!inv.components.some((c) => c.version === 'v1.2.0' || c.version === 'v1.3.0'), 'the versions the workspace does not build are not listed');
  assert.ok(inv.notes.some((n) => n.startsWith('planner/go.mod: built in the workspace go.work, where other modules require higher versions: 2 requirement(s) raised') && n.includes('example.com/geom v1.2.0 → v1.10.0 (driver/go.mod)')), inv.notes.join('\n'));
  assert.ok(!inv.notes.some((n) => n.includes('log-fork@v1.4.1 is required but has no go.sum line')), 'go.work.sum holds it');

  // The oracle: Go's own build list in workspace mode, the modules served from a folder (GOPROXY=file://), no network.
  if (spawnSync('go', ['version']).error) { missingTool(t, 'go (go list -m all is the oracle)', 'apt-get install golang'); return; }
  const proxy = join(dir, '.proxy');
  const serve = (path: string, v: string, requires = '') => {
    const at = join(proxy, path, '@v');
    mkdirSync(at, { recursive: true });
    writeFileSync(join(at, `${v}.mod`), `module ${path}\n\ngo 1.19\n${requires}`);
    writeFileSync(join(at, `${v}.info`), JSON.stringify({ Version: v, Time: '2024-01-01T00:00:00Z' }));
    writeFileSync(join(at, 'list'), `${v}\n`, { flag: 'a' });
  };
  for (const [p, v] of [['example.com/geom', 'v1.2.0'], ['example.com/geom', 'v1.10.0'], ['example.com/log', 'v1.3.0'], ['example.com/log', 'v1.4.0'], ['example.com/log-fork', 'v1.4.1']] as const) serve(p, v);
  serve('example.com/serial', 'v0.3.0', 'require example.com/log v1.4.0\n');
  serve('example.com/driver', 'v0.0.0'); // Go 1.19 reads the go.mod of the version required even of a workspace module
  const env = { ...process.env, GOPROXY: `file://${proxy}`, GOSUMDB: 'off', GOFLAGS: '-mod=readonly', GOTOOLCHAIN: 'local', GOPATH: join(dir, '.gopath'), GOCACHE: join(dir, '.gocache'), GOWORK: join(dir, 'go.work') };
  const r = spawnSync('go', ['list', '-m', '-f', '{{.Path}} {{.Version}}{{with .Replace}} => {{.Path}} {{.Version}}{{end}}', 'all'], { cwd: join(dir, 'planner'), env, encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  const built = new Map(r.stdout.trim().split('\n').map((l) => { const [path, ...rest] = l.split(' '); return [path!, rest.join(' ')]; }));
  assert.equal(built.get('example.com/geom'), 'v1.10.0');
  assert.equal(built.get('example.com/log'), 'v1.4.0 => example.com/log-fork v1.4.1');
});

test('a go.mod requirement whose version is no semantic version (v1) is a problem naming the version, not packageurl-js\'s "throws is not defined"', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'marque-gomod-badv-'));
  writeFileSync(join(dir, 'go.mod'), 'module example.com/robot\n\ngo 1.22\n\nrequire example.com/lib v1\n');
  const inv = await buildInventory((await productRequest(dir, {})).request);
  assert.ok(inv.problems.some((p) => /version "v1" starts with "v" but is no semantic version/.test(p.message)), JSON.stringify(inv.problems));
  assert.ok(!JSON.stringify(inv.problems).includes('throws is not defined'));
});
