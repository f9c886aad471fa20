// Which modules of a Maven build ship (src/sources/maven/reactor.ts, deploy.ts), on real builds
// (test/fixtures/LOCKFILES-SOURCES.md), checked against Maven itself: its reactor, read offline by a
// core extension (test/helpers/maven-oracle.ts).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join, relative } from 'node:path';
import { buildInventory } from '../src/api/inventory.ts';
import { productRequest } from '../src/api/request.ts';
import { FileAccess } from '../src/util/file-access.ts';
import { parsePomModule } from '../src/sources/maven/pom.ts';
import { deployment } from '../src/sources/maven/deploy.ts';
import { FIXTURES } from './helpers/paths.ts';
import { missingTool } from './helpers/tools.ts';
import { buildOracle, mavenHome, runOracle } from './helpers/maven-oracle.ts';

/** Maven's scopes as Marque's dependency kinds (src/sources/maven/pom.ts). */
const MAVEN_KIND: Record<string, string> = { compile: 'runtime', runtime: 'runtime', provided: 'build', system: 'build', test: 'test' };
const inventory = async (dir: string) => buildInventory((await productRequest(dir, {})).request);
type Inv = Awaited<ReturnType<typeof inventory>>;
/** Kinds of the plain jars by groupId:artifactId (a test-jar or classified artifact is a component of its own, its purl qualified). */
const kinds = (inv: Inv) => new Map(inv.components.filter((c) => !c.purl.includes('?')).map((c) => [`${c.group}:${c.name}`, c.kind]));

/** A build written to a temporary folder: path → pom text. */
function build(poms: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'marque-reactor-'));
  for (const [p, text] of Object.entries(poms)) { mkdirSync(dirname(join(dir, p)), { recursive: true }); writeFileSync(join(dir, p), text); }
  return dir;
}
const pom = (body: string) => `<project><modelVersion>4.0.0</modelVersion>${body}</project>`;
const parent = '<parent><groupId>com.acme</groupId><artifactId>robot-parent</artifactId><version>1.0</version></parent>';
const dep = (g: string, a: string, v: string, scope = '') => `<dependency><groupId>${g}</groupId><artifactId>${a}</artifactId><version>${v}</version>${scope ? `<scope>${scope}</scope>` : ''}</dependency>`;

test('gson: its test, benchmark and unpublished modules are not deployed (maven-deploy-plugin skipped in pluginManagement, Central publishing declared by gson alone): they and what only they need are dev, not shipped', async () => {
  const inv = await inventory(join(FIXTURES, 'maven', 'gson'));
  const k = kinds(inv);
  for (const m of ['test-jpms', 'test-graal-native-image', 'test-shrinker', 'gson-extras', 'gson-metrics', 'proto']) assert.equal(k.get(`com.google.code.gson:${m}`), 'dev', m);
  assert.equal(k.get('com.google.code.gson:gson'), 'runtime', 'gson is published, and the test modules need it');
  // Compile dependencies of the modules that are not deployed: they were counted as shipping.
  for (const a of ['javax.annotation:jsr250-api', 'com.google.protobuf:protobuf-java', 'com.google.caliper:caliper', 'com.fasterxml.jackson.core:jackson-databind', 'com.google.guava:guava']) assert.equal(k.get(a), 'dev', a);
  assert.equal(k.get('com.google.errorprone:error_prone_annotations'), 'runtime', 'gson\'s own compile dependency ships');
  assert.ok(inv.notes.includes('test-jpms/pom.xml: not deployed (maven-deploy-plugin\'s skip is true: <skip> of maven-deploy-plugin in pom.xml\'s pluginManagement) while its build deploys gson/pom.xml: not shipped; its dependencies are scope "dev"'), inv.notes.join('\n'));
  assert.ok(inv.components.filter((c) => c.firstParty).every((c) => c.root), 'every module stays a project of its own');
});

test('commons-vfs: the sandbox module, built only with -P include-sandbox, is not shipped; jackson-modules-base: a benchmark that skips deploy is not shipped', async () => {
  const vfs = await inventory(join(FIXTURES, 'maven', 'commons-vfs'));
  const k = kinds(vfs);
  assert.equal(k.get('org.apache.commons:commons-vfs2-sandbox'), 'dev');
  assert.equal(k.get('jcifs:jcifs'), 'dev', 'only the sandbox needs it');
  assert.equal(k.get('org.apache.commons:commons-vfs2'), 'runtime');
  assert.ok(vfs.notes.some((n) => n.startsWith('commons-vfs2-sandbox/pom.xml: built only with -P include-sandbox (pom.xml), which no default build nor maven-release-plugin\'s releaseProfiles activates')));
  const jackson = await inventory(join(FIXTURES, 'maven', 'jackson-modules-base'));
  const j = kinds(jackson);
  assert.equal(j.get('org.openjdk.jmh:jmh-core'), 'dev');
  assert.equal(j.get('com.fasterxml.jackson.module:jackson-module-blackbird-benchmark'), 'dev');
  assert.equal(jackson.components.find((c) => c.purl === 'pkg:maven/com.fasterxml.jackson.module/jackson-module-afterburner@2.19.0-SNAPSHOT')?.kind, 'runtime', 'a published module');
});

test('a build that deploys nothing (an application) says nothing by deploying: every module ships, and a note says why deployment was not used', async () => {
  const dir = build({
    'pom.xml': pom(`<groupId>com.acme</groupId><artifactId>robot-parent</artifactId><version>1.0</version><packaging>pom</packaging><properties><maven.deploy.skip>true</maven.deploy.skip></properties><modules><module>server</module><module>it</module></modules>`),
    'server/pom.xml': pom(`${parent}<artifactId>server</artifactId><dependencies>${dep('io.netty', 'netty-handler', '4.1.100.Final')}</dependencies>`),
    'it/pom.xml': pom(`${parent}<artifactId>it</artifactId><dependencies>${dep('org.testcontainers', 'testcontainers', '1.19.3')}</dependencies>`),
  });
  const inv = await inventory(dir);
  const k = kinds(inv);
  assert.equal(k.get('io.netty:netty-handler'), 'runtime');
  assert.equal(k.get('org.testcontainers:testcontainers'), 'runtime');
  assert.ok(inv.notes.includes('pom.xml: no module of this Maven build is deployed (3 of 3 skip deploying, the others are poms): deployment cannot tell which modules ship, and all count as shipping'), inv.notes.join('\n'));
});

test('a module that is not deployed ships all the same when a shipping module needs it at run time (shaded in); a profile that turns deployment back on, or a release profile that builds a module, keeps it shipping; a module of a module only a profile builds is not shipped', async () => {
  const dir = build({
    'pom.xml': pom(`<groupId>com.acme</groupId><artifactId>robot-parent</artifactId><version>1.0</version><packaging>pom</packaging><modules><module>core</module><module>client</module><module>tools</module><module>bench</module></modules>
      <build><pluginManagement><plugins><plugin><artifactId>maven-release-plugin</artifactId><configuration><releaseProfiles>dist</releaseProfiles></configuration></plugin></plugins></pluginManagement></build>
      <profiles><profile><id>dist</id><modules><module>dist</module></modules></profile><profile><id>demos</id><modules><module>demos</module></modules></profile><profile><id>publish-tools</id><properties><tools.skip>false</tools.skip></properties></profile></profiles>`),
    'core/pom.xml': pom(`${parent}<artifactId>core</artifactId><properties><maven.deploy.skip>true</maven.deploy.skip></properties><dependencies>${dep('org.slf4j', 'slf4j-api', '2.0.11')}</dependencies>`),
    'client/pom.xml': pom(`${parent}<artifactId>client</artifactId><dependencies>${dep('com.acme', 'core', '1.0')}</dependencies>`),
    'tools/pom.xml': pom(`${parent}<artifactId>tools</artifactId><properties><tools.skip>true</tools.skip></properties><build><plugins><plugin><artifactId>maven-deploy-plugin</artifactId><configuration><skip>\${tools.skip}</skip></configuration></plugin></plugins></build><dependencies>${dep('info.picocli', 'picocli', '4.7.5')}</dependencies>`),
    'bench/pom.xml': pom(`${parent}<artifactId>bench</artifactId><build><plugins><plugin><artifactId>maven-deploy-plugin</artifactId><executions><execution><id>default-deploy</id><phase>none</phase></execution></executions></plugin></plugins></build><dependencies>${dep('org.openjdk.jmh', 'jmh-core', '1.37')}</dependencies>`),
    'dist/pom.xml': pom(`${parent}<artifactId>dist</artifactId><dependencies>${dep('org.eclipse.jetty', 'jetty-server', '12.0.5')}</dependencies>`),
    'demos/pom.xml': pom(`${parent}<artifactId>demos</artifactId><packaging>pom</packaging><modules><module>demo</module></modules>`),
    'demos/demo/pom.xml': pom(`<parent><groupId>com.acme</groupId><artifactId>demos</artifactId><version>1.0</version></parent><artifactId>demo</artifactId><dependencies>${dep('com.google.code.gson', 'gson', '2.11.0')}</dependencies>`),
  });
  const inv = await inventory(dir);
  const k = kinds(inv);
  assert.equal(k.get('org.slf4j:slf4j-api'), 'runtime', 'core is shaded into client');
  assert.ok(inv.notes.includes('core/pom.xml: not deployed (maven-deploy-plugin\'s skip is true: the property maven.deploy.skip) while its build deploys client/pom.xml, dist/pom.xml, but client/pom.xml needs it at run time: counted as shipping'), inv.notes.join('\n'));
  assert.equal(k.get('info.picocli:picocli'), 'runtime', 'the publish-tools profile turns its deployment back on');
  assert.ok(inv.notes.some((n) => n.startsWith('tools/pom.xml: not deployed by default (') && n.endsWith('but profile publish-tools changes deployment: counted as shipping')), inv.notes.join('\n'));
  assert.equal(k.get('org.openjdk.jmh:jmh-core'), 'dev', 'deploy:deploy bound to phase none never runs');
  assert.equal(k.get('org.eclipse.jetty:jetty-server'), 'runtime', 'dist is built by the release profile');
  assert.equal(k.get('com.google.code.gson:gson'), 'dev', 'a module of a module only -P demos builds');
  assert.ok(inv.notes.includes('demos/demo/pom.xml: built only as a module of demos/pom.xml, which the default build does not build: not shipped; its dependencies are scope "dev"'), inv.notes.join('\n'));
});

test('deployment, module by module, is what Maven decides: its own reactor read offline (parents, pluginManagement, inherited, properties, profiles, the lifecycle\'s deploy binding) with the CycloneDX Maven plugin\'s rule; a pom Maven does not build by default is not shipped', async (t) => {
  const home = mavenHome();
  if (!home) return missingTool(t, 'Maven and a JDK (mvn, javac, jar)', 'apt-get install maven default-jdk-headless; .ci/run installs them');
  const work = mkdtempSync(join(tmpdir(), 'marque-maven-oracle-'));
  const jar = buildOracle(home, work);
  // Each build has its own scratch repository: Maven runs on them side by side.
  const names = ['gson', 'commons-vfs', 'jenkins', 'jackson-modules-base'];
  const runs = await Promise.all(names.map((name) => {
    const project = join(work, name, 'project');
    cpSync(join(FIXTURES, 'maven', name), project, { recursive: true });
    return runOracle(jar, project, join(work, name, 'repository'), join(work, name));
  }));
  const figures: string[] = [];
  for (const [i, name] of names.entries()) {
    const project = join(work, name, 'project');
    const { rows } = runs[i]!;
    const files = FileAccess.within(project);
    let edges = 0;
    for (const row of rows) {
      const rel = relative(project, row.path);
      const { effective } = parsePomModule(readFileSync(row.path, 'utf8'), rel, row.path, (p) => files.readIfPresentSync(p));
      assert.equal(deployment(effective, rel, row.path).deployed, row.deployed, `${name}/${rel} (${row.gav})`);
      // Its direct dependencies, inherited ones too, as Maven's model has them (a version only a stub manages is unknown to Marque).
      const { fragment, purl } = parsePomModule(readFileSync(row.path, 'utf8'), rel, row.path, (p) => files.readIfPresentSync(p));
      const byPurl = new Map(fragment.components.map((c) => [c.purl, c]));
      // A version Maven took from a stub (a BOM or parent it would download) is not compared: the BOM on disk gives Marque's.
      const stubbed = new Set(row.dependencies.filter((x) => x.split(' ')[1] === '0-stub').map((x) => x.split(' ')[0]));
      const ours = fragment.dependencies.filter((d) => d.from === purl).map((d) => {
        const c = byPurl.get(d.to)!;
        const type = /[?&]type=([^&]+)/.exec(c.purl)?.[1];
        return `${c.group}:${c.name}${type ? `:${type}` : ''} ${stubbed.has(`${c.group}:${c.name}`) ? '?' : c.version || '?'} ${d.kind}`;
      }).sort();
      const maven = row.dependencies.map((x) => { const [ga, v, scope, optional, type] = x.split(' '); const kind = MAVEN_KIND[scope!]!; return `${ga}${type === 'jar' ? '' : `:${type}`} ${v === '0-stub' ? '?' : v} ${optional === 'true' && kind === 'runtime' ? 'optional' : kind}`; }).sort();
      assert.deepEqual(ours, maven, `${name}/${rel}: direct dependencies`);
      edges += maven.length;
    }
    // Poms Maven's default reactor leaves out (a profile's module) do not ship.
    const inv = await inventory(project);
    const built = new Set(rows.map((r) => r.path));
    const left = readdirSync(project, { recursive: true, encoding: 'utf8' }).filter((f) => basename(f) === 'pom.xml' && !built.has(join(project, f)));
    for (const f of left) {
      const { purl } = parsePomModule(readFileSync(join(project, f), 'utf8'), f, join(project, f), (p) => files.readIfPresentSync(p));
      assert.equal(inv.components.find((c) => c.purl === purl)?.kind, 'dev', `${name}/${f}`);
    }
    figures.push(`${name}: ${rows.length} modules, ${rows.filter((r) => !r.deployed).length} not deployed, ${left.length} outside the default reactor, ${edges} direct dependencies`);
  }
  assert.deepEqual(figures, [
    'gson: 8 modules, 6 not deployed, 0 outside the default reactor, 30 direct dependencies',
    'commons-vfs: 9 modules, 0 not deployed, 1 outside the default reactor, 71 direct dependencies',
    'jenkins: 9 modules, 2 not deployed, 0 outside the default reactor, 106 direct dependencies',
    'jackson-modules-base: 12 modules, 0 not deployed, 1 outside the default reactor, 58 direct dependencies',
  ]);
});

test('dependencies a module inherits from its parent on disk, and those of profiles a default build activates, are its own; a test-jar is not the jar; a profile the build machine decides is counted and said', async () => {
  const dir = build({
    'pom.xml': pom(`<groupId>com.acme</groupId><artifactId>robot-parent</artifactId><version>1.0</version><packaging>pom</packaging><modules><module>arm</module></modules>
      <dependencyManagement><dependencies>${dep('com.acme', 'kinematics', '2.0')}<dependency><groupId>com.acme</groupId><artifactId>kinematics</artifactId><version>2.0</version><type>test-jar</type><scope>test</scope></dependency></dependencies></dependencyManagement>
      <dependencies>${dep('org.slf4j', 'slf4j-api', '2.0.13')}${dep('org.junit.jupiter', 'junit-jupiter', '5.10.2', 'test')}</dependencies>`),
    'arm/pom.xml': pom(`${parent}<artifactId>arm</artifactId>
      <dependencies><dependency><groupId>com.acme</groupId><artifactId>kinematics</artifactId></dependency><dependency><groupId>com.acme</groupId><artifactId>kinematics</artifactId><type>test-jar</type></dependency>${dep('org.slf4j', 'slf4j-api', '2.0.16')}</dependencies>
      <profiles>
        <profile><id>netty</id><activation><activeByDefault>true</activeByDefault></activation><dependencies>${dep('io.netty', 'netty-handler', '4.1.100.Final')}</dependencies></profile>
        <profile><id>grpc</id><activation><property><name>!skipGrpc</name></property></activation><dependencies>${dep('io.grpc', 'grpc-core', '1.60.0')}</dependencies></profile>
        <profile><id>webdav</id><activation><property><name>webdav</name></property></activation><dependencies>${dep('org.apache.jackrabbit', 'jackrabbit-webdav', '2.21.0')}</dependencies></profile>
        <profile><id>jdk21</id><activation><jdk>[21,)</jdk></activation><dependencies>${dep('org.ow2.asm', 'asm', '9.7')}</dependencies></profile>
      </profiles>`),
  });
  const inv = await inventory(dir);
  const arm = 'pkg:maven/com.acme/arm@1.0';
  const direct = inv.dependencies.filter((d) => d.from === arm).map((d) => `${d.to} ${d.kind}`).sort();
  assert.deepEqual(direct, [
    'pkg:maven/com.acme/kinematics@2.0 runtime', // the jar's management, not the test-jar's scope
    'pkg:maven/com.acme/kinematics@2.0?type=test-jar test',
    'pkg:maven/io.grpc/grpc-core@1.60.0 runtime', // !skipGrpc: active, so the activeByDefault profile is not
    'pkg:maven/org.junit.jupiter/junit-jupiter@5.10.2 test', // inherited
    'pkg:maven/org.ow2.asm/asm@9.7 runtime', // the build machine's JDK decides: counted
    'pkg:maven/org.slf4j/slf4j-api@2.0.16 runtime', // the module's own declaration wins over the parent's
  ]);
  assert.ok(inv.notes.some((n) => n.startsWith('arm/pom.xml: profile jdk21 (jdk [21,)) adds org.ow2.asm:asm when the build machine activates it')), inv.notes.join('\n'));
  assert.equal(inv.dependencies.find((d) => d.from === 'pkg:maven/com.acme/robot-parent@1.0' && d.to.includes('slf4j'))?.to, 'pkg:maven/org.slf4j/slf4j-api@2.0.13');
});
