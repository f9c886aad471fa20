import { test } from 'node:test';
import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PAYLOAD_TYPE, toStatement, covers, coverageGap, purlVersion, type Assessment } from '../src/attest/assessment.ts';
import { HttpAttestationStore } from '../src/attest/http-store.ts';
import { makePurl } from '../src/model/purl.ts';
import { addSignature, keyId, signEnvelope, strictBase64, type Envelope } from '../src/attest/dsse.ts';
import { verifyAttestation, VerificationError, parseEnvelope, type TrustPolicy } from '../src/attest/verify.ts';
import { generateKeys, checkPrivateKeyFile } from '../src/attest/keys.ts';
import { coverage } from '../src/attest/coverage.ts';
import { DirectoryStore, envelopeDigest, fromBundle, toBundle } from '../src/attest/store.ts';
import type { InventoryComponent } from '../src/model/inventory.ts';

const NOW = new Date('2026-11-24T12:00:00Z');
const auditor = generateKeyPairSync('ed25519');
const stranger = generateKeyPairSync('ed25519');
const assessment: Assessment = {
  component: 'pkg:deb/ubuntu/ros-jazzy-rclcpp', range: { from: '28.1.0', before: '29.0.0' },
  context: 'ROS 2 Jazzy, mobile robot, DDS security enabled', uses: ['ros2-jazzy'], method: ['review', 'fuzzing'],
  checks: [{ name: 'no known exploitable vulnerabilities', result: 'pass', annexI: ['I.2.a'] }, { name: 'fuzzing of message deserialisation', result: 'pass', annexI: ['I.2.k'] }],
  assessor: { name: 'ROS security working group', email: 'security@example.org' }, date: '2026-10-01T00:00:00Z', expires: '2027-10-01T00:00:00Z',
};
const policy = (over: Partial<TrustPolicy> = {}): TrustPolicy => ({
  keys: [{ keyid: keyId(auditor.publicKey), name: 'ros-wg', key: auditor.publicKey, components: ['pkg:deb/ubuntu/ros-jazzy-*'], uses: ['ros2-jazzy'] }], revoked: [], ...over,
});
const signed = (a: Assessment = assessment, key = auditor.privateKey): Envelope => signEnvelope(PAYLOAD_TYPE, Buffer.from(JSON.stringify(toStatement(a))), key);
const rejects = (env: Envelope, pattern: RegExp, p = policy(), opts: Parameters<typeof verifyAttestation>[2] = { now: NOW }) =>
  assert.throws(() => verifyAttestation(env, p, opts), (e: unknown) => e instanceof VerificationError && pattern.test(e.message));

test('a valid attestation verifies, for a version inside its range', () => {
  const v = verifyAttestation(signed(), policy(), { now: NOW, component: 'pkg:deb/ubuntu/ros-jazzy-rclcpp@28.1.21-1?distro=ubuntu-24.04', version: '28.1.21-1', use: 'ros2-jazzy' });
  assert.deepEqual(v.signers.map((s) => s.name), ['ros-wg']);
  assert.equal(v.statement.subject[0]!.name, 'pkg:deb/ubuntu/ros-jazzy-rclcpp');
});

test('range semantics follow the ecosystem: 1.x covers 1.4, not 2.0', () => {
  const a: Assessment = { ...assessment, component: 'pkg:npm/express', range: { from: '4.0.0', before: '5.0.0' } };
  assert.equal(covers(a, 'pkg:npm/express@4.19.2', '4.19.2'), true);
  assert.equal(covers(a, 'pkg:npm/express@5.0.0', '5.0.0'), false);
  assert.equal(covers({ ...a, range: { versions: ['4.18.2'] } }, 'pkg:npm/express@4.18.2', '4.18.2'), true);
  assert.equal(covers(assessment, 'pkg:deb/ubuntu/ros-jazzy-rclcpp@29.0.0-1', '29.0.0-1'), false, 'dpkg ordering');
});

test('tampering: a changed payload breaks the signature', () => {
  const env = signed();
  const text = Buffer.from(env.payload, 'base64').toString().replace('ROS 2 Jazzy', 'ROS 2 Humble');
  rejects({ ...env, payload: Buffer.from(text).toString('base64') }, /no valid signature/);
});

test('tampering: a widened subject range breaks the signature', () => {
  const env = signed();
  const st = JSON.parse(Buffer.from(env.payload, 'base64').toString());
  st.predicate.range = { from: '0' };
  rejects({ ...env, payload: Buffer.from(JSON.stringify(st)).toString('base64') }, /no valid signature/);
});

test('wrong key, revoked key, expired key trust, and an untrusted component pattern are refused', () => {
  rejects(signed(assessment, stranger.privateKey), /no valid signature by a trusted key/);
  rejects(signed(), /revoked/, policy({ revoked: [keyId(auditor.publicKey)] }));
  rejects(signed(), /no signer is trusted/, policy({ keys: [{ ...policy().keys[0]!, until: '2026-01-01' }] }));
  rejects(signed({ ...assessment, component: 'pkg:npm/express', range: { from: '4.0.0' } }), /no signer is trusted for pkg:npm\/express/);
  rejects(signed({ ...assessment, uses: ['ros2-humble'] }), /no signer is trusted/);
});

test('an expired assessment, a future-dated one, and a version outside the range are refused', () => {
  rejects(signed({ ...assessment, expires: '2026-11-01T00:00:00Z' }), /expired/);
  rejects(signed({ ...assessment, date: '2027-01-01T00:00:00Z' }), /future/);
  // A leap second passes the schema's date-time format but not JavaScript's Date: it must still expire.
  rejects(signed({ ...assessment, expires: '2016-12-31T23:59:60Z' }), /expired on 2016-12-31T23:59:60Z/);
  rejects(signed({ ...assessment, date: '2030-06-30T23:59:60Z' }), /future/);
  rejects(signed(), /no signer is trusted/, policy({ keys: [{ ...policy().keys[0]!, until: '2030-13-45' }] }));
  rejects(signed(), /outside the assessed range/, policy(), { now: NOW, component: 'pkg:deb/ubuntu/ros-jazzy-rclcpp@29.1.0-1', version: '29.1.0-1' });
  rejects(signed(), /not pkg:npm\/express/, policy(), { now: NOW, component: 'pkg:npm/express@4.0.0', version: '4.0.0' });
});

test('payload type confusion is refused, even with the other type re-signed into PAE', () => {
  const env = signed();
  rejects({ ...env, payloadType: 'application/json' }, /payload type/);
  const other = signEnvelope('application/json', Buffer.from(JSON.stringify(toStatement(assessment))), auditor.privateKey);
  rejects({ ...other, payloadType: PAYLOAD_TYPE }, /no valid signature/);
  const wrongPredicate = signEnvelope(PAYLOAD_TYPE, Buffer.from(JSON.stringify({ ...toStatement(assessment), predicateType: 'https://slsa.dev/provenance/v1' })), auditor.privateKey);
  rejects(wrongPredicate, /predicate type/);
});

test('duplicate signatures, malformed base64 and malformed JSON are refused', () => {
  const env = signed();
  rejects({ ...env, signatures: [env.signatures[0]!, env.signatures[0]!] }, /duplicate signature/);
  assert.throws(() => addSignature(env, auditor.privateKey), /already signed/);
  rejects({ ...env, payload: `${env.payload.slice(0, -4)}!!!!` }, /not valid base64/);
  rejects({ ...env, signatures: [{ keyid: env.signatures[0]!.keyid, sig: 'not base64 at all' }] }, /not valid base64/);
  const notJson = signEnvelope(PAYLOAD_TYPE, Buffer.from('{not json'), auditor.privateKey);
  rejects(notJson, /payload/);
  assert.throws(() => parseEnvelope('{"payloadType": 1}'), /not a DSSE envelope/);
  assert.throws(() => parseEnvelope('nope'), /not JSON/);
  const badSchema = signEnvelope(PAYLOAD_TYPE, Buffer.from(JSON.stringify(toStatement({ ...assessment, method: [] }))), auditor.privateKey);
  rejects(badSchema, /schema/);
});

test('a key written twice in one object of the signed payload or of the envelope is refused: readers would not agree on what was signed', () => {
  const statement = JSON.stringify(toStatement(assessment));
  // The same statement with a second, wider range after the first: JSON.parse would keep the second.
  const twice = statement.replace('"range":{', '"range":{"from":"0","before":"99"},"range":{');
  assert.notEqual(twice, statement);
  rejects(signEnvelope(PAYLOAD_TYPE, Buffer.from(twice), auditor.privateKey), /the payload names "range" twice/);
  // Written with an escape, it is the same key.
  rejects(signEnvelope(PAYLOAD_TYPE, Buffer.from(statement.replace('"context":', '"\\u0063ontext":"x","context":')), auditor.privateKey), /names "context" twice/);
  // The same name in different objects, inside strings, or in arrays is fine.
  assert.equal(verifyAttestation(signed(), policy(), { now: NOW }).signers.length, 1);
  const env = signed();
  const text = JSON.stringify(env);
  assert.throws(() => parseEnvelope(text.replace('"payloadType":', '"payloadType":"x","payloadType":')), /the envelope names "payloadType" twice/);
  assert.equal(parseEnvelope(text).payload, env.payload);
});

test('a second signer by a trusted key counts; keys are written readable by their owner only', () => {
  const dir = mkdtempSync(join(tmpdir(), 'marque-keys-'));
  const k = generateKeys(dir, 'auditor');
  assert.equal(statSync(k.privateKey).mode & 0o777, 0o600);
  assert.match(k.keyid, /^[0-9a-f]{64}$/);
  assert.doesNotThrow(() => checkPrivateKeyFile(k.privateKey));
  assert.throws(() => generateKeys(dir, 'auditor'), /not overwriting/);
  const both = addSignature(signed(assessment, stranger.privateKey), auditor.privateKey);
  assert.deepEqual(verifyAttestation(both, policy(), { now: NOW }).signers.map((s) => s.name), ['ros-wg']);
});

test('coverage: figures overall, runtime and by depth; the auditor\'s to-do list; reuse is auditable; bundles round-trip', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'marque-store-'));
  const store = new DirectoryStore(dir);
  const good = signed();
  const digest = await store.put(good);
  await store.put(signed({ ...assessment, component: 'pkg:deb/ubuntu/ros-jazzy-rclpy', expires: '2026-01-01T00:00:00Z' }));
  const c = (purl: string, version: string, depth: number, kind: 'runtime' | 'build'): InventoryComponent => ({ purl, name: purl, version, ecosystem: 'deb', licenses: [], depth, kind });
  const comps = [
    c('pkg:deb/ubuntu/ros-jazzy-rclcpp@28.1.21-1?distro=ubuntu-24.04', '28.1.21-1', 1, 'runtime'),
    c('pkg:deb/ubuntu/ros-jazzy-rclpy@7.1.5-1?distro=ubuntu-24.04', '7.1.5-1', 1, 'runtime'),
    c('pkg:deb/ubuntu/libeigen3-dev@3.4.0-4?distro=ubuntu-24.04', '3.4.0-4', 2, 'build'),
  ];
  const cov = coverage(comps, await store.list(), policy(), { now: NOW });
  assert.deepEqual(cov.covered.map((x) => [x.component, x.attestation, x.signers[0]!.name]), [[comps[0]!.purl, digest, 'ros-wg']]);
  assert.equal(cov.rejected.length, 1);
  assert.match(cov.rejected[0]!.reason, /expired/);
  assert.deepEqual(cov.figures.overall, { covered: 1, total: 3, percent: 33.3 });
  assert.deepEqual(cov.figures.runtime, { covered: 1, total: 2, percent: 50 });
  assert.deepEqual(cov.figures.byDepth['2'], { covered: 0, total: 1, percent: 0 });
  // A product with no runtime component (an SBOM without scopes, a build tool) is not "100 %" assessed at runtime.
  assert.deepEqual(coverage([comps[2]!], await store.list(), policy(), { now: NOW }).figures.runtime, { covered: 0, total: 0, percent: null }, 'nor "0 %": no share of nothing');
  assert.deepEqual(cov.unassessed.map((u) => u.component), [comps[1]!.purl, comps[2]!.purl], 'nearest and runtime first');
  const bundle = JSON.stringify(toBundle(await store.list()));
  const back = fromBundle(bundle);
  assert.equal(back.length, 2);
  assert.ok(back.some((e) => envelopeDigest(e) === digest));
  assert.throws(() => fromBundle('{"attestations": []}'), /not a Marque attestation bundle/);
});

test('a correctly signed multi-megabyte assessment verifies: base64 is checked by a scan, not a regular expression', () => {
  const big = signEnvelope(PAYLOAD_TYPE, Buffer.from(JSON.stringify(toStatement({ ...assessment, context: 'x'.repeat(5_000_000) }))), auditor.privateKey);
  assert.equal(verifyAttestation(big, policy()).statement.predicate.context.length, 5_000_000);
  for (const bad of ['QQ=', 'QR==', 'Q===', 'QQ==QQ==', 'QQ\n==']) assert.throws(() => strictBase64(bad, 'x'), /not valid base64/, bad);
  assert.equal(strictBase64('QQ==', 'x').toString(), 'A');
});

test('one unreadable file in the store is one rejected entry, named; the others still count', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'marque-store-'));
  const store = new DirectoryStore(dir);
  await store.put(signed());
  writeFileSync(join(dir, 'zz.dsse.json'), '{not json');
  const list = await store.list();
  assert.equal(list.length, 2);
  const cov = coverage([], list, policy());
  assert.equal(cov.rejected.length, 1);
  assert.match(cov.rejected[0]!.attestation, /zz\.dsse\.json$/);
  assert.match(cov.rejected[0]!.reason, /not JSON/);
});

test('the subject must be the assessment\'s: one subject, its component, its digest; a component written as a purl writes it', () => {
  const st = toStatement(assessment);
  const sign = (x: unknown) => signEnvelope(PAYLOAD_TYPE, Buffer.from(JSON.stringify(x)), auditor.privateKey);
  // One signature over many subjects does not extend the assessment to them: refused, saying why.
  rejects(sign({ ...st, subject: [...st.subject, { name: 'pkg:deb/ubuntu/ros-jazzy-rclpy', digest: { sha256: 'aa' } }] }), /2 subjects; a Marque assessment has exactly one/);
  rejects(sign({ ...st, subject: [{ name: assessment.component, digest: { sha256: '00' } }] }), /subject's digest .* is not that of the assessment/);
  rejects(sign({ ...st, subject: [{ name: assessment.component, digest: {} }] }), /subject's digest/);
  rejects(sign({ ...st, subject: [{ name: assessment.component }] }), /subject's digest/);
  const withSource = toStatement({ ...assessment, sourceDigest: { sha256: 'ab' } });
  rejects(sign({ ...withSource, subject: [{ name: assessment.component, digest: { sha256: 'cd' } }] }), /its sourceDigest/);
  assert.doesNotThrow(() => verifyAttestation(sign(withSource), policy(), { now: NOW }));
  // The trust pattern is tested on the string that is matched: it must be the purl's own spelling.
  rejects(sign(toStatement({ ...assessment, component: 'pkg:DEB/ubuntu/ros-jazzy-rclcpp' })), /not written as a purl writes it \("pkg:deb\/ubuntu\/ros-jazzy-rclcpp"\)/);
});

test('JSON nested deeper than an envelope or statement needs is refused before it can overflow the stack', () => {
  const deep = '['.repeat(100_000) + ']'.repeat(100_000);
  const st = JSON.stringify(toStatement(assessment)).replace('"checks":[', `"findings":[{"vulnerability":"x","status":"fixed","impact":"x","more":${deep}}],"checks":[`);
  rejects(signEnvelope(PAYLOAD_TYPE, Buffer.from(st), auditor.privateKey), /payload is nested deeper than 32 levels/);
  assert.throws(() => parseEnvelope(JSON.stringify(signed()).replace('{', `{"x":${deep},`)), /envelope is nested deeper than 32 levels/);
  // Brackets inside strings are text, not nesting.
  assert.doesNotThrow(() => verifyAttestation(signed({ ...assessment, context: `[{"\\\\${'['.repeat(100)}` }), policy(), { now: NOW }));
});

test('qualifiers the assessment names, and its assessed source digest, must be the product component\'s; a valid assessment that does not cover says why', () => {
  const c = (purl: string, version: string, extra: Partial<InventoryComponent> = {}): InventoryComponent => ({ purl, name: purl, version, ecosystem: 'deb', licenses: [], depth: 1, kind: 'runtime', ...extra });
  const noble = 'pkg:deb/ubuntu/ros-jazzy-rclcpp@28.1.21-1?arch=arm64&distro=ubuntu-24.04';
  const forJammy = signed({ ...assessment, component: 'pkg:deb/ubuntu/ros-jazzy-rclcpp?distro=ubuntu-22.04' });
  const forNoble = signed({ ...assessment, component: 'pkg:deb/ubuntu/ros-jazzy-rclcpp?distro=ubuntu-24.04' });
  rejects(forJammy, /assessed for distro=ubuntu-22.04, not distro=ubuntu-24.04/, policy(), { now: NOW, component: noble, version: '28.1.21-1' });
  let cov = coverage([c(noble, '28.1.21-1')], [{ digest: 'jammy', envelope: forJammy }], policy(), { now: NOW });
  assert.equal(cov.covered.length, 0);
  assert.deepEqual(cov.unassessed[0]!.why, [{ attestation: 'jammy', reason: 'assessed for distro=ubuntu-22.04, not distro=ubuntu-24.04' }]);
  cov = coverage([c(noble, '28.1.21-1')], [{ digest: 'noble', envelope: forNoble }], policy(), { now: NOW });
  assert.equal(cov.covered.length, 1, 'the named qualifier matches; the others are free');
  // Another version: not covered, and the reason is given.
  cov = coverage([c('pkg:deb/ubuntu/ros-jazzy-rclcpp@29.0.0-1', '29.0.0-1')], [{ digest: 'd', envelope: signed() }], policy(), { now: NOW });
  assert.match(cov.unassessed[0]!.why![0]!.reason, /version 29.0.0-1 is outside the assessed range/);
  // The assessed source must be the one the product has, where the product knows its digest.
  const src = signed({ ...assessment, sourceDigest: { sha256: 'ab'.repeat(32) } });
  const mine = (value: string) => c('pkg:deb/ubuntu/ros-jazzy-rclcpp@28.1.21-1', '28.1.21-1', { sourceHashes: [{ alg: 'SHA-256', value, source: 'test' } as never] });
  cov = coverage([mine('cd'.repeat(32))], [{ digest: 'd', envelope: src }], policy(), { now: NOW });
  assert.equal(cov.covered.length, 0);
  assert.match(cov.unassessed[0]!.why![0]!.reason, /the assessed source has sha256:abab.*not this component's sha256:cdcd/);
  assert.equal(coverage([mine('ab'.repeat(32))], [{ digest: 'd', envelope: src }], policy(), { now: NOW }).covered.length, 1);
  assert.equal(coverage([c('pkg:deb/ubuntu/ros-jazzy-rclcpp@28.1.21-1', '28.1.21-1')], [{ digest: 'd', envelope: src }], policy(), { now: NOW }).covered.length, 1, 'no known digest: the version decides');
});

test('a key listed twice in the trust policy is one signer', () => {
  const twice = policy({ keys: [policy().keys[0]!, { ...policy().keys[0]!, name: 'ros-wg again' }] });
  assert.deepEqual(verifyAttestation(signed(), twice, { now: NOW }).signers.map((s) => s.name), ['ros-wg']);
});

test('an envelope file larger than 16 MiB in the store is one rejected entry, not read', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'marque-store-'));
  const store = new DirectoryStore(dir);
  await store.put(signed());
  writeFileSync(join(dir, 'huge.dsse.json'), Buffer.alloc(17 * 1024 * 1024, 32));
  const cov = coverage([], await store.list(), policy(), { now: NOW });
  assert.equal(cov.rejected.length, 1);
  assert.match(cov.rejected[0]!.attestation, /huge\.dsse\.json$/);
  assert.match(cov.rejected[0]!.reason, /16777216|16 MiB|larger|limit/);
});

test('fields DSSE does not define are dropped when an envelope is read, so they are never stored or passed on', () => {
  const env = { ...signed(), note: 'unsigned text', signatures: [{ ...signed().signatures[0]!, extra: { x: 1 } }] };
  const read = parseEnvelope(JSON.stringify(env));
  assert.deepEqual(Object.keys(read).sort(), ['payload', 'payloadType', 'signatures']);
  assert.deepEqual(Object.keys(read.signatures[0]!).sort(), ['keyid', 'sig']);
});

test('a key trusted for one use does not vouch for another use the assessment also names', () => {
  const both = signed({ ...assessment, uses: ['ros2-jazzy', 'medical-device'] });
  // The key is trusted for ros2-jazzy only; the product's use is medical-device.
  rejects(both, /no signer is trusted for pkg:deb\/ubuntu\/ros-jazzy-rclcpp in use medical-device/, policy(), { now: NOW, use: 'medical-device' });
  assert.equal(verifyAttestation(both, policy(), { now: NOW, use: 'ros2-jazzy' }).signers.length, 1);
  // A key trusted for any use still vouches for it; a product naming no use keeps the old rule (some use in common).
  assert.equal(verifyAttestation(both, policy({ keys: [{ ...policy().keys[0]!, uses: undefined }] }), { now: NOW, use: 'medical-device' }).signers.length, 1);
  assert.equal(verifyAttestation(both, policy(), { now: NOW }).signers.length, 1);
  // The product's use not among the assessment's: said as such, before the keys.
  rejects(signed(), /made for ros2-jazzy, not for ros2-humble/, policy(), { now: NOW, use: 'ros2-humble' });
});

test('a git fork, another registry or a download of a component is not the release an assessment judged, unless it names that source', () => {
  const serde: Assessment = { ...assessment, component: 'pkg:cargo/serde', range: { from: '1.0.0', before: '2.0.0' }, uses: undefined };
  const fork = makePurl({ type: 'cargo', name: 'serde', version: '1.0.200', qualifiers: { vcs_url: 'git+https://github.com/mallory/serde@0123abc' } });
  const registry = makePurl({ type: 'cargo', name: 'serde', version: '1.0.200', qualifiers: { repository_url: 'https://crates.mallory.example/index' } });
  const cmake = makePurl({ type: 'generic', name: 'zlib', version: '1.3.1', qualifiers: { download_url: 'https://mirror.mallory.example/zlib-1.3.1.tar.gz' } });
  assert.equal(covers(serde, 'pkg:cargo/serde@1.0.200', '1.0.200'), true);
  assert.match(coverageGap(serde, fork, '1.0.200')!, /comes from vcs_url=git\+https:\/\/github.com\/mallory\/serde@0123abc; the assessment names no vcs_url/);
  assert.match(coverageGap(serde, registry, '1.0.200')!, /comes from repository_url=/);
  assert.match(coverageGap({ ...serde, component: 'pkg:generic/zlib', range: { from: '1.3' } }, cmake, '1.3.1')!, /comes from download_url=/);
  // An assessment naming the repository covers its revisions (the range still decides); another repository is not it.
  const ofRepo = { ...serde, component: makePurl({ type: 'cargo', name: 'serde', qualifiers: { vcs_url: 'git+https://github.com/serde-rs/serde' } }) };
  assert.equal(covers(ofRepo, makePurl({ type: 'cargo', name: 'serde', version: '1.0.200', qualifiers: { vcs_url: 'git+https://github.com/serde-rs/serde@0123abc' } }), '1.0.200'), true);
  assert.match(coverageGap(ofRepo, fork, '1.0.200')!, /assessed for vcs_url=git\+https:\/\/github.com\/serde-rs\/serde, not vcs_url=git\+https:\/\/github.com\/mallory\/serde@0123abc/);
});

test('coverage figures count third-party components once; the product itself is none of them', () => {
  const c = (purl: string, extra: Partial<InventoryComponent> = {}): InventoryComponent => ({ purl, name: purl, version: purl.split('@')[1]!, ecosystem: 'deb', licenses: [], depth: 1, kind: 'runtime', ...extra });
  const rclcpp = c('pkg:deb/ubuntu/ros-jazzy-rclcpp@28.1.21-1');
  const comps = [
    c('pkg:generic/robot@1.0.0', { depth: 0, subject: true }),
    c('pkg:generic/robot-nav@1.0.0', { depth: 0, firstParty: true }),
    rclcpp, { ...rclcpp },
    c('pkg:deb/ubuntu/ros-jazzy-rclpy@7.1.5-1'),
  ];
  const cov = coverage(comps, [{ digest: 'd', envelope: signed() }], policy(), { now: NOW });
  assert.deepEqual(cov.covered.map((x) => x.component), [rclcpp.purl], 'a purl listed twice is covered once');
  assert.deepEqual(cov.figures.overall, { covered: 1, total: 2, percent: 50 });
  assert.deepEqual(cov.figures.runtime, { covered: 1, total: 2, percent: 50 });
  assert.deepEqual(Object.keys(cov.figures.byDepth), ['1'], 'neither the product nor its own code is counted at depth 0');
  // The to-do list is of others' components, as the figures are: neither the product nor its own code is on it.
  assert.deepEqual(cov.unassessed.map((u) => u.component), ['pkg:deb/ubuntu/ros-jazzy-rclpy@7.1.5-1']);
  assert.equal(cov.unassessed.filter((u) => u.kind === 'runtime').length, cov.figures.runtime.total - cov.figures.runtime.covered);
  // An assessment of the product's own code is still matched and cited.
  const own = signed({ ...assessment, component: 'pkg:deb/ubuntu/ros-jazzy-nav', range: { from: '1.0.0' } });
  assert.deepEqual(coverage([c('pkg:deb/ubuntu/ros-jazzy-nav@1.0.0', { firstParty: true })], [{ digest: 'own', envelope: own }], policy(), { now: NOW }).covered.map((x) => x.attestation), ['own']);
});

test('the HTTP registry is believed for nothing a signature does not prove: digests are computed here, answers are bounded and checked', async () => {
  const env = signed();
  const serve = (body: string, headers: Record<string, string> = {}): typeof fetch => (async () => new Response(body, { status: 200, headers })) as unknown as typeof fetch;
  // A digest the server chose (another attestation's, or terminal control text) is not what a report cites.
  const lying = new HttpAttestationStore('http://127.0.0.1:9/', 't', serve(JSON.stringify([
    { digest: 'sha256:' + '0'.repeat(64), envelope: env },
    { digest: '\u001b[2Jall good', envelope: { payloadType: 1 } },
  ])));
  const listed = await lying.list();
  assert.equal(listed[0]!.digest, envelopeDigest(env));
  assert.equal(listed[0]!.file, `http://127.0.0.1:9#${envelopeDigest(env)}`);
  assert.equal(listed[1]!.unreadable !== undefined, true);
  assert.equal(listed[1]!.digest, 'http://127.0.0.1:9#2');
  assert.doesNotMatch(JSON.stringify(listed), /all good/);
  // Not a list, not JSON, or more than the limit: refused with a reason, not a crash or a memory blow-up.
  await assert.rejects(new HttpAttestationStore('http://127.0.0.1:9/', 't', serve('{"rows": []}')).list(), /not a list of assessments/);
  await assert.rejects(new HttpAttestationStore('http://127.0.0.1:9/', 't', serve('<html>')).list(), /not JSON/);
  await assert.rejects(new HttpAttestationStore('http://127.0.0.1:9/', 't', serve(`[${'1,'.repeat(1000)}1]`), 1000).list(), /more than the 1000-byte limit/);
  await assert.rejects(new HttpAttestationStore('http://127.0.0.1:9/', 't', serve('[]', { 'content-length': '5000' }), 1000).list(), /announces 5000 bytes/);
  // put cites the digest of what was sent, whatever the server answers.
  assert.equal(await new HttpAttestationStore('http://127.0.0.1:9/', 't', serve('{"digest":"sha256:evil"}')).put(env), envelopeDigest(env));
});

test('exact versions and bounds in one range are an intersection; an rpm epoch in the purl is part of the version', () => {
  const a: Assessment = { ...assessment, component: 'pkg:npm/express', range: { versions: ['4.18.2', '5.0.0'], before: '5.0.0' } };
  assert.equal(covers(a, 'pkg:npm/express@4.18.2', '4.18.2'), true);
  assert.equal(covers(a, 'pkg:npm/express@5.0.0', '5.0.0'), false, 'listed, but the assessment also says "before 5.0.0"');
  assert.equal(purlVersion('pkg:rpm/fedora/curl@8.6.0-1?epoch=1'), '1:8.6.0-1');
  assert.equal(purlVersion('pkg:deb/debian/curl@1:8.6.0-1?epoch=1'), '1:8.6.0-1');
  assert.equal(purlVersion('pkg:npm/express@4.18.2'), '4.18.2');
  assert.equal(covers({ ...assessment, component: 'pkg:rpm/fedora/curl', range: { before: '9.0.0' } }, 'pkg:rpm/fedora/curl@8.6.0-1?epoch=1', purlVersion('pkg:rpm/fedora/curl@8.6.0-1?epoch=1')!), false);
});

test('a payload that is not UTF-8 is refused: a stricter reader would refuse it, this one would read U+FFFD', () => {
  const text = JSON.stringify(toStatement({ ...assessment, context: 'ROS 2 Jazzy XX' }));
  const bytes = Buffer.from(text);
  const at = bytes.indexOf('XX');
  bytes[at] = 0xff; bytes[at + 1] = 0xfe;
  rejects(signEnvelope(PAYLOAD_TYPE, bytes, auditor.privateKey), /payload: .*(utf-8|encoded data)/i);
  // Non-ASCII that is UTF-8 is fine.
  assert.equal(verifyAttestation(signed({ ...assessment, context: 'Müller – ROS 2 Jazzy' }), policy(), { now: NOW }).statement.predicate.context, 'Müller – ROS 2 Jazzy');
});

test('a PyPI name is matched in its normal form, as PyPI resolves it; other ecosystems keep their spelling', () => {
  const zope: Assessment = { ...assessment, component: 'pkg:pypi/zope.interface', range: { from: '6.0' } };
  for (const spelling of ['zope.interface', 'zope-interface', 'zope_interface', 'Zope.Interface', 'zope-_interface']) assert.equal(covers(zope, `pkg:pypi/${spelling}@6.4`, '6.4'), true, spelling);
  assert.equal(covers(zope, 'pkg:pypi/zopeinterface@6.4', '6.4'), false);
  assert.equal(covers({ ...zope, component: 'pkg:npm/zope.interface' }, 'pkg:npm/zope-interface@6.4', '6.4'), false, 'npm names are not normalised');
  const c = (purl: string): InventoryComponent => ({ purl, name: purl, version: '6.4', ecosystem: 'pypi', licenses: [], depth: 1, kind: 'runtime' });
  const own = policy({ keys: [{ ...policy().keys[0]!, components: ['pkg:pypi/*'] }] });
  assert.equal(coverage([c('pkg:pypi/zope-interface@6.4')], [{ digest: 'z', envelope: signed(zope) }], own, { now: NOW }).figures.overall.covered, 1);
});

test('several signatures: one by a trusted key that does not verify rejects the envelope, as the team server does', () => {
  const coSigner = generateKeyPairSync('ed25519');
  const both = policy({ keys: [...policy().keys, { keyid: keyId(coSigner.publicKey), name: 'co-signer', key: coSigner.publicKey, components: ['pkg:*'] }] });
  const env = addSignature(signed(), coSigner.privateKey);
  assert.deepEqual(verifyAttestation(env, both, { now: NOW }).signers.map((s) => s.name), ['ros-wg', 'co-signer']);
  // The co-signer's signature over other bytes (here: another assessment) stays named in the envelope: refused.
  const other = addSignature(signed({ ...assessment, range: { from: '0' } }), coSigner.privateKey);
  const mixed = { ...env, signatures: [env.signatures[0]!, other.signatures[1]!] };
  rejects(mixed, /the signature by co-signer does not verify/, both);
  // A bad signature by a key the policy does not trust, or has revoked, cannot be checked and is not counted.
  assert.deepEqual(verifyAttestation(mixed, policy(), { now: NOW }).signers.map((s) => s.name), ['ros-wg']);
  assert.deepEqual(verifyAttestation(mixed, { ...both, revoked: [keyId(coSigner.publicKey)] }, { now: NOW }).signers.map((s) => s.name), ['ros-wg']);
});

test('a bundle nested far deeper than it needs is refused before it is written out again, not a stack overflow', () => {
  const deep = '['.repeat(200_000) + ']'.repeat(200_000);
  assert.throws(() => fromBundle(`{"mediaType":"application/vnd.marque.attestation-bundle+json","attestations":[${deep}]}`), /the bundle is nested deeper than 32 levels/);
  assert.throws(() => fromBundle('{nope'), /the bundle is not JSON/);
  assert.throws(() => fromBundle('null'), /not a Marque attestation bundle/);
});

test('signing refuses what the signer cannot have read as it is signed: a key written twice, or not an assessment', async () => {
  const { signStatementFile } = await import('../src/api/attest.ts');
  const k = generateKeys(mkdtempSync(join(tmpdir(), 'marque-sign-')), 'auditor');
  const statement = JSON.stringify(toStatement(assessment), null, 2);
  // The file shows a narrow range first; JSON.parse (and the signed payload) would keep the wide one after it.
  const twice = statement.replace('"range": {', '"range": {"from": "0"}, "range": {');
  assert.notEqual(twice, statement);
  assert.throws(() => signStatementFile(twice, k.privateKey), /not signed: the input names "range" twice/);
  assert.throws(() => signStatementFile(JSON.stringify(toStatement({ ...assessment, method: [] })), k.privateKey), /not signed: assessment does not follow its schema/);
  const env = signStatementFile(statement, k.privateKey);
  assert.equal(JSON.parse(Buffer.from(env.payload, 'base64').toString()).predicate.range.from, '28.1.0');
  // Co-signing checks the envelope's payload as a verifier reads it.
  const co = generateKeys(mkdtempSync(join(tmpdir(), 'marque-sign-')), 'co');
  assert.equal(signStatementFile(JSON.stringify(env), co.privateKey).signatures.length, 2);
  const notAssessment = signEnvelope(PAYLOAD_TYPE, Buffer.from(JSON.stringify({ ...toStatement(assessment), predicateType: 'https://slsa.dev/provenance/v1' })), stranger.privateKey);
  assert.throws(() => signStatementFile(JSON.stringify(notAssessment), co.privateKey), /not signed: predicate type/);
  assert.throws(() => signStatementFile(JSON.stringify(env).replace('"payloadType":', '"payloadType":"x","payloadType":'), co.privateKey), /names "payloadType" twice/);
});

test('an assessed source digest is checked whatever the spelling of its algorithm', () => {
  const c = (value: string): InventoryComponent => ({ purl: 'pkg:deb/ubuntu/ros-jazzy-rclcpp@28.1.21-1', name: 'rclcpp', version: '28.1.21-1', ecosystem: 'deb', licenses: [], depth: 1, kind: 'runtime', sourceHashes: [{ alg: 'SHA-256', value, source: 'test' } as never] });
  for (const alg of ['sha256', 'SHA256', 'sha-256', 'SHA_256']) {
    const a: Assessment = { ...assessment, sourceDigest: { [alg]: 'ab'.repeat(32) } };
    assert.match(coverageGap(a, c('cd'.repeat(32)).purl, '28.1.21-1', c('cd'.repeat(32)).sourceHashes)!, /the assessed source has/, alg);
    assert.equal(coverageGap(a, c('ab'.repeat(32)).purl, '28.1.21-1', c('ab'.repeat(32)).sourceHashes), null, alg);
  }
});
