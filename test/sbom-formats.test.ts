// The other SBOM forms, read into the JSON readers' shapes: CycloneDX XML, SPDX 2 tag-value,
// SPDX 3.0 JSON-LD — real documents from CycloneDX/bom-examples and spdx/spdx-examples (CC0-1.0).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildInventory } from '../src/api/inventory.ts';
import { parseSbom, isSbomName } from '../src/sources/sbom/extractor.ts';
import { importAdvisories } from '../src/api/advisories.ts';
import { AdvisoryDb } from '../src/advisories/store.ts';
import { findVulnerabilities } from '../src/api/vulns.ts';
import { FIXTURES } from './helpers/paths.ts';

const sbom = (name: string) => join(FIXTURES, 'sboms', name);

test('CycloneDX XML 1.2 (CERN lhc-vdm-editor): subject, 43 npm components, licences and hashes as in JSON', async () => {
  const inv = await buildInventory({ target: sbom('cern-lhc-vdm-editor.bom.xml') });
  const root = inv.components.filter((c) => c.root);
  assert.deepEqual(root.map((c) => c.purl), ['pkg:npm/lhc-vdm-editor@0.0.1']);
  assert.equal(inv.components.length, 44);
  const puppeteer = inv.components.find((c) => c.name === 'puppeteer')!;
  assert.equal(puppeteer.purl, 'pkg:npm/puppeteer@1.19.0');
  assert.ok(puppeteer.licenses.length > 0);
  assert.ok((puppeteer.hashes ?? []).length > 0);
  assert.throws(() => parseSbom('<bom xmlns="http://cyclonedx.org/schema/bom/1.0"></bom>', 'bom.xml'), /namespace "http:\/\/cyclonedx\.org\/schema\/bom\/1\.0" is not one Marque reads/);
  assert.throws(() => parseSbom('<?xml version="1.0"?>\n<!DOCTYPE bom [<!ENTITY x SYSTEM "file:///etc/passwd">]>\n<bom/>', 'bom.xml'), /external entities are never resolved/);
});

test('CycloneDX XML 1.7 (syft\'s current XML, the specification\'s licence-choice example): read as 1.2–1.6 are, every expression kept', () => {
  // syft writes CycloneDX 1.7 XML by default; its test snapshot of a go.mod scan.
  const syft = parseSbom(readFileSync(sbom('syft-go-mod-1.7.cdx.xml'), 'utf8'), 'bom.xml');
  assert.deepEqual(syft.components.map((c) => [c.purl, Boolean(c.root)]), [
    ['pkg:generic/go.mod@sha256:sha256:dc333f342905248a52e424d8dfd061251d01867d01a4f9d7397144a775ff9ebd', true],
    ['pkg:golang/github.com/wagoodman/go-partybus@v0.0.0-20230516145632-8ccac152c651', false],
  ]);
  assert.deepEqual(syft.problems, []);
  // 1.7 lets licenses hold several <expression>s and <expression-detailed expression="…">, beside <license>s.
  const choice = parseSbom(readFileSync(sbom('cdx-license-choice-1.7.cdx.xml'), 'utf8'), 'bom.xml');
  assert.deepEqual(choice.components.map((c) => [c.purl, [...c.licenses].sort()]), [
    ['pkg:maven/com.acme/tomcat-catalina@9.0.14?packaging=jar', ['Apache-2.0', 'EPL-2.0 OR GPL-2.0 WITH Classpath-exception-2.0', 'LicenseRef-MIT-Style-2', 'My Own License']],
  ]);
  assert.throws(() => parseSbom('<bom xmlns="http://cyclonedx.org/schema/bom/1.8"></bom>', 'bom.xml'), /namespace "http:\/\/cyclonedx\.org\/schema\/bom\/1\.8" is not one Marque reads \(1\.2 to 1\.7\)/);
});

test('a version that disagrees with its purl\'s (trivy\'s centos-7 SPDX): the purl\'s is used, with a warning naming the package and both; CycloneDX alike', () => {
  const spdx = parseSbom(readFileSync(sbom('trivy-centos-7.spdx.json'), 'utf8'), 'centos-7.spdx.json');
  const versions = (f: ReturnType<typeof parseSbom>) => f.components.filter((c) => c.purl.startsWith('pkg:rpm/')).map((c) => [c.name, c.version]);
  // The release decides whether an RPM advisory applies; the epoch comes from the purl's qualifier.
  assert.deepEqual(versions(spdx), [['bash', '4.2.46-31.el7'], ['openssl-libs', '1:1.0.2k-16.el7']]);
  assert.deepEqual(spdx.problems!.map((p) => [p.severity, p.message]), [
    ['warning', 'package "bash" (pkg:rpm/centos/bash@4.2.46-31.el7?arch=x86_64&distro=centos-7.6.1810): version 4.2.46 in the SBOM, 4.2.46-31.el7 in its purl; the purl\'s is used, as advisories are matched by it'],
    ['warning', 'package "openssl-libs" (pkg:rpm/centos/openssl-libs@1.0.2k-16.el7?arch=x86_64&epoch=1&distro=centos-7.6.1810): version 1:1.0.2k-19.el7 in the SBOM, 1:1.0.2k-16.el7 in its purl; the purl\'s is used, as advisories are matched by it'],
  ]);
  const cdx = (components: unknown[]) => parseSbom(JSON.stringify({ bomFormat: 'CycloneDX', specVersion: '1.6', components }), 'bom.cdx.json');
  const same = cdx([
    { name: 'bash', version: '4.2.46', purl: 'pkg:rpm/centos/bash@4.2.46-31.el7?arch=x86_64' },
    // The same version written two ways is no disagreement: trivy's epoch qualifier, Go's leading "v".
    { name: 'openssl-libs', version: '1:1.0.2k-16.el7', purl: 'pkg:rpm/centos/openssl-libs@1.0.2k-16.el7?epoch=1' },
    { name: 'github.com/acme/app', version: '2.0.0', purl: 'pkg:golang/github.com/acme/app@v2.0.0' },
    // No version field: the purl's, silently.
    { name: 'left-pad', purl: 'pkg:npm/left-pad@1.3.0' },
  ]);
  assert.deepEqual(same.components.map((c) => c.version), ['4.2.46-31.el7', '1:1.0.2k-16.el7', '2.0.0', '1.3.0']);
  assert.deepEqual(same.problems!.map((p) => p.message), ['package "bash" (pkg:rpm/centos/bash@4.2.46-31.el7?arch=x86_64): version 4.2.46 in the SBOM, 4.2.46-31.el7 in its purl; the purl\'s is used, as advisories are matched by it']);
});

test('SPDX 2.2 tag-value (spdx-examples example6): the described package, multi-line text skipped', async () => {
  const inv = await buildInventory({ target: sbom('example6-bin.spdx') });
  assert.deepEqual(inv.components.map((c) => [c.name, Boolean(c.root)]), [['hello-go-bin', true]]);
  assert.throws(() => parseSbom('SPDXVersion: SPDX-2.2\nPackageName: x\nPackageComment: <text>never closed\n', 'x.spdx'), /<text> of PackageComment is not closed/);
});

test('SPDX 3.0 JSON-LD (spdx-examples): Maven packages with purls, dependsOn, the root from the document; profile subclasses are packages', async () => {
  const inv = await buildInventory({ target: sbom('appbomination.spdx3.json') });
  assert.deepEqual(inv.components.filter((c) => c.root).map((c) => c.name), ['App-BOM-ination']);
  assert.ok(inv.components.some((c) => c.purl === 'pkg:maven/org.apache.commons/commons-lang3@3.4' && c.depth === 1));
  assert.ok(inv.components.some((c) => c.purl === 'pkg:maven/org.hamcrest/hamcrest-core@1.3' && c.depth === 2));
  const ai = await buildInventory({ target: sbom('ai-example02.spdx3.json') });
  assert.ok(ai.components.some((c) => c.root && /Sentiment Demo/.test(c.name)), 'an ai_AIPackage is a package');
});

test('SPDX 3.0 licences, hashes and supplier: what the SPDX 2.2 form of the same document gives (spdx-examples example9)', async () => {
  const v3 = await buildInventory({ target: sbom('appbomination.spdx3.json') });
  const lic = (inv: typeof v3) => Object.fromEntries(inv.components.map((c) => [c.name, c.licenses.join(' ')]));
  // What Marque reads from the SPDX 2.2 document of example9 (spdx-examples software/example9/spdx2.2), the oracle.
  assert.deepEqual(lic(v3), {
    'App-BOM-ination': 'Apache-2.0', 'junit': 'EPL-1.0', 'commons-lang3': 'Apache-2.0', 'slf4j-api': 'Apache-2.0',
    'hamcrest-core': 'BSD-3-Clause', 'Faust Proprietary File': 'LicenseRef-1', 'Gradle': 'Apache-2.0',
  });
  const app = v3.components.find((c) => c.name === 'App-BOM-ination')!;
  assert.equal(app.supplier?.name, 'ACT Project');
  assert.equal(app.hashes, undefined, 'a PackageVerificationCode digests the files, not the package');
  // sbomqs's BSI fixture: a Hash in verifiedUsing is the package's own.
  const bsi = await buildInventory({ target: join(FIXTURES, 'sbom-check', 'v2.1.0-complete-all-fields.json') });
  assert.deepEqual(bsi.components.find((c) => c.name === 'TransitiveDependency')!.hashes?.map((h) => [h.alg, h.value]), [['SHA-256', 'aabbccddeeff00112233445566778899aabbccddeeff00112233445566778899']]);
});

test('SPDX 3 from Microsoft sbom-tool (SPDX 2 names in an SPDX 3 graph): purls, DEPENDS_ON edges and the described root are read, with a warning', async () => {
  const inv = await buildInventory({ target: sbom('sbom-tool-sample.spdx3.json') });
  const root = inv.components.filter((c) => c.subject);
  assert.deepEqual(root.map((c) => c.name), ['sbom-tool sample']);
  assert.deepEqual(inv.components.filter((c) => !c.subject).map((c) => [c.purl, c.depth]).sort(), [
    ['pkg:nuget/AutoMapper.Extensions.Microsoft.DependencyInjection@8.1.1', 1],
    ['pkg:nuget/Microsoft.ComponentDetection.Orchestrator@5.2.19', 1],
    ['pkg:nuget/Serilog.Sinks.Async@2.1.0', 2],
  ]);
  assert.equal(inv.dependencies.length, 3);
  assert.deepEqual(inv.components.map((c) => c.supplier), [undefined, undefined, undefined, undefined], 'an Organization named "NOASSERTION" is no supplier');
  assert.deepEqual(inv.components.map((c) => c.licenses), [[], [], [], []], 'a licence element named "NOASSERTION" is no licence');
  assert.ok(inv.problems.some((p) => p.severity === 'warning' && /SPDX 2 names/.test(p.message) && /"purl"/.test(p.message)), JSON.stringify(inv.problems));
});

test('SPDX 2.3 DYNAMIC_LINK (spdx-examples example8): the linked Maven packages are dependencies of the project', async () => {
  const inv = await buildInventory({ target: sbom('examplemaven-0.0.1.spdx.json') });
  const depth = Object.fromEntries(inv.components.map((c) => [c.name, c.depth]));
  assert.deepEqual(depth, { examplemaven: 0, 'JUnit': 1, 'Apache Log4j API': 1, 'Apache Log4j Core': 1, 'Apache Log4j SLF4J Binding': 1, 'SLF4J API Module': 1 });
});

test('file names: bom.xml, *.cdx.xml and *.spdx are SBOMs; other XML is not', () => {
  for (const n of ['bom.xml', 'robot.cdx.xml', 'app.spdx', 'sbom.spdx3.json']) assert.ok(isSbomName(n), n);
  for (const n of ['package.xml', 'pom.xml', 'build.xml']) assert.ok(!isSbomName(n), n);
  assert.ok(readFileSync(sbom('example6-bin.spdx'), 'utf8').startsWith('SPDXVersion'));
});

test('CycloneDX: the subject\'s own parts (metadata.component.components) are components contained in it, not dropped', () => {
  const doc = {
    bomFormat: 'CycloneDX', specVersion: '1.6', version: 1,
    metadata: { component: { type: 'device', 'bom-ref': 'robot', name: 'robot', version: '2.0', components: [
      { type: 'firmware', 'bom-ref': 'fw', name: 'motor-firmware', version: '1.4', purl: 'pkg:generic/motor-firmware@1.4', components: [{ type: 'library', name: 'zlib', version: '1.3.1', purl: 'pkg:generic/zlib@1.3.1' }] },
    ] } },
    components: [{ type: 'library', 'bom-ref': 'lodash', name: 'lodash', version: '4.17.21', purl: 'pkg:npm/lodash@4.17.21' }],
    dependencies: [{ ref: 'robot', dependsOn: ['lodash'] }],
  };
  const f = parseSbom(JSON.stringify(doc), 'robot.cdx.json');
  const purls = f.components.map((c) => c.purl).sort();
  assert.deepEqual(purls, ['pkg:generic/motor-firmware@1.4', 'pkg:generic/robot@2.0', 'pkg:generic/zlib@1.3.1', 'pkg:npm/lodash@4.17.21']);
  const edges = f.dependencies.map((d) => `${d.from} ${d.to}`).sort();
  assert.ok(edges.includes('pkg:generic/robot@2.0 pkg:generic/motor-firmware@1.4'), edges.join('\n'));
  assert.ok(edges.includes('pkg:generic/motor-firmware@1.4 pkg:generic/zlib@1.3.1'), edges.join('\n'));
  assert.ok(edges.includes('pkg:generic/robot@2.0 pkg:npm/lodash@4.17.21'), edges.join('\n'));
});

test('CycloneDX: a component the SBOM\'s own dependency graph does not reach is kept and named in a note (depth and scope unknown)', () => {
  const doc = {
    bomFormat: 'CycloneDX', specVersion: '1.5', version: 1,
    metadata: { component: { type: 'application', 'bom-ref': 'app', name: 'app', version: '1', purl: 'pkg:maven/acme/app@1' } },
    components: [
      { type: 'library', 'bom-ref': 'core', name: 'spring-core', group: 'org.springframework', version: '5.3.31', purl: 'pkg:maven/org.springframework/spring-core@5.3.31' },
      { type: 'library', 'bom-ref': 'jcl', name: 'spring-jcl', group: 'org.springframework', version: '5.3.31', purl: 'pkg:maven/org.springframework/spring-jcl@5.3.31' },
    ],
    dependencies: [{ ref: 'app', dependsOn: ['core'] }, { ref: 'core', dependsOn: [] }],
  };
  const f = parseSbom(JSON.stringify(doc), 'bom.json');
  assert.equal(f.components.length, 3);
  assert.deepEqual(f.notes, ['bom.json: 1 component(s) that nothing in the SBOM\'s dependency graph reaches (pkg:maven/org.springframework/spring-jcl@5.3.31): kept, with depth and scope unknown, counted as shipping']);
});

test('a CycloneDX XML file given directly is read whatever its name, as a JSON one is; an XML file that is no BOM is an error with its line', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'marque-xml-direct-'));
  copyFileSync(join(FIXTURES, 'sboms', 'cern-lhc-vdm-editor.bom.xml'), join(dir, 'release-inventory.xml'));
  assert.equal((await buildInventory({ target: join(dir, 'release-inventory.xml') })).components.length, 44);
  writeFileSync(join(dir, 'settings.xml'), '<?xml version="1.0"?>\n<config/>\n');
  const bad = await buildInventory({ target: join(dir, 'settings.xml') });
  assert.deepEqual(bad.problems.map((p) => [p.severity, p.file, p.line, p.message]), [['error', 'settings.xml', 1, 'not a CycloneDX XML BOM (no <bom> root)']]);
});

/** Records written for these tests in OSV's shape, modelled on real ones (DSA-4613-1: libidn2 in Debian 10, fixed in 2.0.5-1+deb10u1). */
async function osPackageAdvisories() {
  const dir = mkdtempSync(join(tmpdir(), 'marque-ospkg-'));
  const osv = (id: string, ecosystem: string, name: string, fixed: string) => JSON.stringify({ id, modified: '2024-01-01T00:00:00Z', affected: [{ package: { ecosystem, name }, ranges: [{ type: 'ECOSYSTEM', events: [{ introduced: '0' }, { fixed }] }] }] });
  writeFileSync(join(dir, 'libidn2.json'), osv('TEST-LIBIDN2', 'Debian:10', 'libidn2', '2.0.5-1+deb10u1'));
  writeFileSync(join(dir, 'busybox.json'), osv('TEST-BUSYBOX', 'Alpine:v3.10', 'busybox', '1.30.1-r6'));
  writeFileSync(join(dir, 'openssl.json'), osv('TEST-OPENSSL', 'Red Hat', 'openssl-libs', '1:1.0.2k-19.el7'));
  const path = join(dir, 'a.sqlite');
  await importAdvisories(path, [join(dir, 'libidn2.json'), join(dir, 'busybox.json'), join(dir, 'openssl.json')]);
  return AdvisoryDb.openForRead(path)!;
}

test('OS packages from trivy and syft SBOMs: the ecosystem, the source package advisories name, the Debian major release', async () => {
  const db = await osPackageAdvisories();
  const matched = (inv: Awaited<ReturnType<typeof buildInventory>>) => findVulnerabilities({ unlisted: undefined, components: inv.components, db, product: { name: 'p', version: '1' } }).findings.map((f) => `${f.advisory} ${f.component}`).sort();
  // trivy: SrcName says libidn2-0 is built from libidn2, whose advisories name it; distro=debian-10.2 is Debian 10.
  const trivy = await buildInventory({ target: sbom('trivy-fluentd.cdx.json') });
  const libidn = trivy.components.find((c) => c.name === 'libidn2-0')!;
  assert.equal(libidn.ecosystem, 'deb');
  assert.equal(libidn.properties?.['deb:source'], 'libidn2');
  assert.deepEqual(matched(trivy), ['TEST-LIBIDN2 pkg:deb/debian/libidn2-0@2.0.5-1?distro=debian-10.2']);
  // syft: the purl's upstream qualifier names ssl_client's origin, busybox.
  const syft = await buildInventory({ target: sbom('syft-alpine-3.10.spdx.json') });
  assert.deepEqual(syft.components.map((c) => c.ecosystem), ['apk', 'apk', 'apk']);
  assert.deepEqual(matched(syft), ['TEST-BUSYBOX pkg:apk/alpine/busybox@1.30.1-r5?arch=x86_64&distro=alpine-3.10.9', 'TEST-BUSYBOX pkg:apk/alpine/ssl_client@1.30.1-r5?arch=x86_64&upstream=busybox&distro=alpine-3.10.9']);
  // trivy's rpm epoch is a purl qualifier beside a version without it: the version rpm compares is 1:1.0.2k-16.el7.
  const rpm = parseSbom(JSON.stringify({ bomFormat: 'CycloneDX', specVersion: '1.5', components: [{ 'bom-ref': 'o', name: 'openssl-libs', version: '1.0.2k-16.el7', purl: 'pkg:rpm/redhat/openssl-libs@1.0.2k-16.el7?arch=x86_64&epoch=1&distro=redhat-7.6', properties: [{ name: 'aquasecurity:trivy:SrcName', value: 'openssl' }] }] }), 'bom.json');
  assert.equal(rpm.components[0]!.version, '1:1.0.2k-16.el7');
  assert.equal(rpm.components[0]!.ecosystem, 'rpm');
  assert.deepEqual(findVulnerabilities({ unlisted: undefined, components: rpm.components.map((c) => ({ ...c, depth: 1, kind: 'runtime' })), db, product: { name: 'p', version: '1' } }).findings.map((f) => f.advisory), ['TEST-OPENSSL']);
  db.close();
});

test('Marque\'s own SBOM of a Debian image keeps each package\'s source package, so its advisories still match when read back', async () => {
  const db = await osPackageAdvisories();
  const dir = mkdtempSync(join(tmpdir(), 'marque-debsrc-'));
  const bom = { bomFormat: 'CycloneDX', specVersion: '1.6', metadata: { component: { 'bom-ref': 'p', name: 'p', version: '1' } }, components: [{ 'bom-ref': 'l', name: 'libidn2-0', version: '2.0.5-1', purl: 'pkg:deb/debian/libidn2-0@2.0.5-1?arch=amd64&distro=debian-10', properties: [{ name: 'deb:source', value: 'libidn2' }] }], dependencies: [{ ref: 'p', dependsOn: ['l'] }] };
  writeFileSync(join(dir, 'bom.cdx.json'), JSON.stringify(bom));
  const cdx = await buildInventory({ target: join(dir, 'bom.cdx.json') });
  assert.deepEqual(findVulnerabilities({ unlisted: undefined, components: cdx.components, db, product: { name: 'p', version: '1' } }).findings.map((f) => f.advisory), ['TEST-LIBIDN2']);
  // SPDX 2.3: the same mark as an OTHER annotation.
  const { renderSbom } = await import('../src/api/sbom.ts');
  const spdx = renderSbom(cdx, 'spdx', { name: 'p', version: '1' }) as { packages: { name: string; annotations?: { comment: string }[] }[] };
  assert.ok(spdx.packages.find((p) => p.name === 'libidn2-0')!.annotations!.some((a) => a.comment === 'deb:source=libidn2'));
  writeFileSync(join(dir, 'bom.spdx.json'), JSON.stringify(spdx));
  const back = await buildInventory({ target: join(dir, 'bom.spdx.json') });
  assert.equal(back.components.find((c) => c.name === 'libidn2-0')!.properties?.['deb:source'], 'libidn2');
  db.close();
});

test('cdxgen\'s purls without the namespace the spec requires (pkg:maven/root@latest) are named generic, with the reason; their edges are kept', () => {
  // As cdxgen writes a Gradle project whose group it does not know (CycloneDX/cdxgen test/data/bom-gradle-deps.json).
  const f = parseSbom(JSON.stringify({
    bomFormat: 'CycloneDX', specVersion: '1.4',
    metadata: { component: { 'bom-ref': 'pkg:maven/root@latest?type=jar', name: 'root', version: 'latest', purl: 'pkg:maven/root@latest?type=jar' } },
    components: [{ 'bom-ref': 'pkg:maven/com.google.guava/guava@31.1-jre?type=jar', group: 'com.google.guava', name: 'guava', version: '31.1-jre', purl: 'pkg:maven/com.google.guava/guava@31.1-jre?type=jar' }],
    dependencies: [{ ref: 'pkg:maven/root@latest?type=jar', dependsOn: ['pkg:maven/com.google.guava/guava@31.1-jre?type=jar'] }],
  }), 'bom.json');
  assert.equal(f.components[0]!.purl, 'pkg:generic/root@latest');
  assert.match(f.problems![0]!.message, /"pkg:maven\/root@latest\?type=jar" is not a valid package URL \(maven requires a "namespace" component\); named pkg:generic\/root@latest instead/);
  assert.deepEqual(f.dependencies.map((d) => `${d.from} ${d.to}`), ['pkg:generic/root@latest pkg:maven/com.google.guava/guava@31.1-jre?type=jar']);
});

test('components without a purl that the SBOM keeps apart stay apart: the OS of each of two nodes (trivy KBOM), SPDX packages alike', () => {
  // As trivy's KBOM writes a cluster (aquasecurity/trivy integration/testdata/fixtures/sbom/minikube-kbom.json, cut down).
  const f = parseSbom(JSON.stringify({
    bomFormat: 'CycloneDX', specVersion: '1.5',
    metadata: { component: { 'bom-ref': 'pkg:k8s/k8s.io%2Fkubernetes@1.27.0', type: 'platform', name: 'k8s.io/kubernetes', version: '1.27.0', purl: 'pkg:k8s/k8s.io%2Fkubernetes@1.27.0' } },
    components: [
      { 'bom-ref': 'node-a', type: 'platform', name: 'minikube' },
      { 'bom-ref': 'node-b', type: 'platform', name: 'minikube-m02' },
      { 'bom-ref': '5262e708-f1a3-4fca-a1c3-0a8384f7f4a5', type: 'operating-system', name: 'ubuntu', version: '22.04.2' },
      { 'bom-ref': 'b6f66546-5a5c-4fe8-a30f-acb04013c151', type: 'operating-system', name: 'ubuntu', version: '22.04.2' },
    ],
    dependencies: [
      { ref: 'pkg:k8s/k8s.io%2Fkubernetes@1.27.0', dependsOn: ['node-a', 'node-b'] },
      { ref: 'node-a', dependsOn: ['5262e708-f1a3-4fca-a1c3-0a8384f7f4a5'] },
      { ref: 'node-b', dependsOn: ['b6f66546-5a5c-4fe8-a30f-acb04013c151'] },
    ],
  }), 'kbom.json');
  assert.equal(f.components.length, 5);
  assert.deepEqual(f.dependencies.filter((d) => d.to.includes('ubuntu')).map((d) => `${d.from} ${d.to}`), [
    'pkg:generic/minikube pkg:generic/ubuntu@22.04.2',
    'pkg:generic/minikube-m02 pkg:generic/ubuntu@22.04.2?ref=b6f66546-5a5c-4fe8-a30f-acb04013c151',
  ]);
  // The same entry named twice by one bom-ref is one component.
  const twice = parseSbom(JSON.stringify({ bomFormat: 'CycloneDX', specVersion: '1.5', metadata: { component: { 'bom-ref': 'app', name: 'app', version: '1' } }, components: [{ 'bom-ref': 'app', name: 'app', version: '1' }] }), 'bom.json');
  assert.equal(twice.components.length, 1);
  const spdx = parseSbom(JSON.stringify({ spdxVersion: 'SPDX-2.3', SPDXID: 'SPDXRef-DOCUMENT', packages: [{ SPDXID: 'SPDXRef-a', name: 'helper', versionInfo: '1.0' }, { SPDXID: 'SPDXRef-b', name: 'helper', versionInfo: '1.0' }] }), 'x.spdx.json', { name: 'p', version: '1' });
  assert.deepEqual(spdx.components.map((c) => c.purl).sort(), ['pkg:generic/helper@1.0', 'pkg:generic/helper@1.0?ref=SPDXRef-b', 'pkg:generic/p@1']);
});
