// The team server's API, through Fastify's inject (no socket): tokens and roles, tenant isolation
// over every route the OpenAPI document lists, SBOM upload, VEX decision history, problem+json.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AUTH_FAILURES, buildServer } from '../src/server/app.ts';
import { portfolioStore } from '../src/server/store/portfolio.ts';
import { sqliteSql } from '../src/server/store/sqlite.ts';
import { EXAMPLE, FIXTURES, ROOT } from './helpers/paths.ts';
import { importAdvisories } from '../src/api/advisories.ts';
import { productRequest } from '../src/api/request.ts';
import { buildInventory } from '../src/api/inventory.ts';
import { renderSbom } from '../src/api/sbom.ts';
import { spawn, spawnSync } from 'node:child_process';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { deliverDue } from '../src/server/webhooks.ts';
import { verifySignature } from './helpers/webhook.ts';
import { until } from './helpers/serve.ts';
import { post } from '../src/server/destination.ts';
import { deadlineEvents } from '../src/server/deadlines.ts';
import { rematch } from '../src/server/rematch.ts';
import { AdvisoryDb } from '../src/advisories/store.ts';
import { buildDossier } from '../src/api/dossier.ts';
import { generateKeyPairSync } from 'node:crypto';
import { PAYLOAD_TYPE, toStatement, type Assessment } from '../src/attest/assessment.ts';
import { signEnvelope } from '../src/attest/dsse.ts';
import { HttpAttestationStore } from '../src/attest/http-store.ts';
import { coverage } from '../src/attest/coverage.ts';

const store = portfolioStore(sqliteSql(join(mkdtempSync(join(tmpdir(), 'marque-server-')), 'marque.sqlite')));
await store.migrate();
const acme = await store.createTeam('acme');
const other = await store.createTeam('other');
const admin = (await store.createToken(acme.id, 'admin', 'lead@acme')).token;
const viewer = (await store.createToken(acme.id, 'viewer', 'auditor@acme')).token;
const intruder = (await store.createToken(other.id, 'admin', 'mallory@other')).token;
const app = await buildServer(store);
const call = (method: string, url: string, token?: string, payload?: unknown) =>
  app.inject({ method: method as 'GET', url, headers: token ? { authorization: `Bearer ${token}` } : {}, payload: payload as never });

test('an SBOM upload places a release on the market with depth and scope; decisions keep their history', async () => {
  const p = await call('POST', '/api/v1/products', admin, { name: 'dropwizard' });
  assert.equal(p.statusCode, 201, p.body);
  const productId = p.json().id;
  const sbom = JSON.parse(readFileSync(join(FIXTURES, 'sboms/dropwizard-1.3.15.bom.json'), 'utf8'));
  const r = await call('POST', `/api/v1/products/${productId}/releases?supportEnd=2031-12`, admin, sbom);
  assert.equal(r.statusCode, 201, r.body);
  assert.equal(r.json().version, '1.3.15', 'the version comes from the SBOM subject');
  assert.equal(r.json().componentCount, 168);
  const releaseId = r.json().id;
  const comps = (await call('GET', `/api/v1/releases/${releaseId}/components`, viewer)).json();
  assert.equal(comps.filter((c: { depth: number }) => c.depth === 1).length, 29);
  for (const status of ['under_investigation', 'not_affected']) {
    const d = await call('POST', `/api/v1/releases/${releaseId}/decisions`, admin, { vulnerability: 'CVE-2020-1', component: comps[1].purl, status, ...(status === 'not_affected' ? { justification: 'vulnerable_code_not_in_execute_path' } : {}) });
    assert.equal(d.statusCode, 201, d.body);
  }
  const history = (await call('GET', `/api/v1/releases/${releaseId}/decisions`, viewer)).json();
  assert.deepEqual(history.map((d: { status: string; decidedBy: string }) => [d.status, d.decidedBy]), [['under_investigation', 'lead@acme'], ['not_affected', 'lead@acme']]);
  const bad = await call('POST', `/api/v1/releases/${releaseId}/decisions`, admin, { vulnerability: 'X', component: 'y', status: 'not_affected' });
  assert.equal(bad.statusCode, 400);
  assert.equal(bad.headers['content-type'], 'application/problem+json; charset=utf-8');
  const notSbom = await call('POST', `/api/v1/products/${productId}/releases`, admin, { hello: 'world' });
  assert.equal(notSbom.statusCode, 422);
  // A CycloneDX 1.6 document that breaks its official schema is refused before anything is stored.
  const invalid = await call('POST', `/api/v1/products/${productId}/releases?version=9.9.9`, admin, { bomFormat: 'CycloneDX', specVersion: '1.6', version: 1, components: [{ type: 'not-a-type', name: 'x' }] });
  assert.equal(invalid.statusCode, 422);
  assert.match(invalid.json().detail, /official schema/);
  assert.ok(!(await call('GET', '/api/v1/releases', admin)).json().some((r: { version: string }) => r.version === '9.9.9'));
});

/** The least a dossier must hold to be kept (and to render). */
const MINIMAL_DOSSIER = {
  generatedAt: '2026-11-26T00:00:00.000Z', generator: 'Marque test', product: { name: 'p', version: '1' },
  profile: { scope: { inScope: true, reasons: [] }, role: 'manufacturer', class: 'default', categories: [], conformityRoutes: [], obligations: [], uncertainties: [], notes: [], dates: [], wouldChange: [], penalties: [] },
  support: { periodEnd: null, placedOnMarket: null, platforms: [] }, sbom: { missing: 'test' }, findings: { missing: 'test' }, checklist: [],
  perimeter: { missing: 'test' }, assessments: { missing: 'test' }, inputs: [], digest: 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
};

const auditor = generateKeyPairSync('ed25519');
const rclcpp: Assessment = {
  component: 'pkg:deb/ubuntu/ros-jazzy-rclcpp', range: { from: '28.1.0', before: '29.0.0' },
  context: 'ROS 2 Jazzy, mobile robot', uses: ['ros2-jazzy'], method: ['review'],
  checks: [{ name: 'no known exploitable vulnerabilities', result: 'pass', annexI: ['I.2.a'] }],
  assessor: { name: 'ROS security working group' }, date: '2026-10-01T00:00:00Z', expires: '2099-10-01T00:00:00Z',
};
const signedAssessment = (a: Assessment = rclcpp, key = auditor.privateKey) => signEnvelope(PAYLOAD_TYPE, Buffer.from(JSON.stringify(toStatement(a))), key);

test('assessment registry: only envelopes signed by a key the team trusts are kept; queries by purl@version; the CLI store reads it', async () => {
  const env = signedAssessment();
  const untrusted = await call('POST', '/api/v1/assessments', admin, env);
  assert.equal(untrusted.statusCode, 400);
  assert.match(untrusted.json().detail, /not signed by a key this team trusts/);
  const pem = auditor.publicKey.export({ type: 'spki', format: 'pem' });
  const key = await call('POST', '/api/v1/keys', admin, { name: 'ros-wg', publicKey: pem, components: ['pkg:deb/ubuntu/ros-jazzy-*'], uses: ['ros2-jazzy'] });
  assert.equal(key.statusCode, 201, key.body);
  assert.equal((await call('POST', '/api/v1/keys', admin, { name: 'junk', publicKey: '-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----' })).statusCode, 400);
  const up = await call('POST', '/api/v1/assessments', admin, env);
  assert.equal(up.statusCode, 201, up.body);
  assert.deepEqual(up.json().signers, ['ros-wg']);
  assert.equal((await call('POST', '/api/v1/assessments', admin, env)).statusCode, 201, 'storing again is harmless');
  // Altered after signing: the payload no longer matches the signature of a trusted key.
  const other = JSON.parse(Buffer.from(env.payload, 'base64').toString());
  other.predicate.range = { from: '0', before: '99' };
  const forged = await call('POST', '/api/v1/assessments', admin, { ...env, payload: Buffer.from(JSON.stringify(other)).toString('base64') });
  assert.equal(forged.statusCode, 400);
  assert.match(forged.json().detail, /ros-wg does not verify/);
  assert.equal((await call('POST', '/api/v1/assessments', admin, { payloadType: 'x' })).statusCode, 400);
  assert.equal((await call('POST', '/api/v1/assessments', viewer, env)).statusCode, 403);
  // Queries: by purl with a version inside or outside the range; another team sees nothing.
  const inRange = (await call('GET', `/api/v1/assessments?component=${encodeURIComponent('pkg:deb/ubuntu/ros-jazzy-rclcpp@28.1.21-1')}`, viewer)).json();
  assert.equal(inRange.length, 1);
  assert.equal(inRange[0].trusted, true);
  assert.deepEqual(inRange[0].signers, ['ros-wg']);
  assert.equal((await call('GET', `/api/v1/assessments?component=${encodeURIComponent('pkg:deb/ubuntu/ros-jazzy-rclcpp@29.0.1-1')}`, viewer)).json().length, 0);
  assert.equal((await call('GET', '/api/v1/assessments', intruder)).json().length, 0);
  // The CLI's store adapter over HTTP: what "attest apply --store URL" and "diff" read.
  const listening = await buildServer(store);
  const address = await listening.listen({ port: 0, host: '127.0.0.1' });
  try {
    const remote = new HttpAttestationStore(address, admin);
    const listed = await remote.list();
    assert.equal(listed.length, 1);
    assert.equal(listed[0]!.digest, up.json().digest);
    const policy = { revoked: [], keys: [{ keyid: (await call('GET', '/api/v1/keys', admin)).json()[0].keyid, name: 'ros-wg', key: auditor.publicKey, components: ['pkg:deb/ubuntu/ros-jazzy-*'] }] };
    const cov = coverage([{ purl: 'pkg:deb/ubuntu/ros-jazzy-rclcpp@28.1.21-1', version: '28.1.21-1', depth: 1, kind: 'runtime' } as never], listed, policy, { now: new Date('2026-11-26T00:00:00Z') });
    assert.equal(cov.covered.length, 1, JSON.stringify(cov.rejected));
    const second = await remote.put(signedAssessment({ ...rclcpp, range: { from: '29.0.0', before: '30.0.0' } }));
    assert.match(second, /^sha256:/);
    assert.equal((await remote.list()).length, 2);
    assert.throws(() => new HttpAttestationStore(address, undefined), /MARQUE_TOKEN/);
    await assert.rejects(new HttpAttestationStore(address, viewer).put(env), /HTTP 403/);
  } finally {
    await listening.close();
  }
});

test('a trusted key with an "until": past it, its assessments are listed as not trusted and new ones are refused', async () => {
  const team = await store.createTeam('until-team');
  const token = (await store.createToken(team.id, 'admin', 'admin')).token;
  const signer = generateKeyPairSync('ed25519');
  const pem = signer.publicKey.export({ type: 'spki', format: 'pem' });
  assert.equal((await call('POST', '/api/v1/keys', token, { name: 'bad-date', publicKey: pem, until: 'next tuesday' })).statusCode, 400);
  const ahead = await call('POST', '/api/v1/keys', token, { name: 'auditor', publicKey: pem, until: '2999-01-01T00:00:00Z' });
  assert.equal(ahead.statusCode, 201, ahead.body);
  assert.equal(ahead.json().until, '2999-01-01T00:00:00Z');
  const env = signedAssessment(rclcpp, signer.privateKey);
  assert.equal((await call('POST', '/api/v1/assessments', token, env)).statusCode, 201);
  assert.equal((await call('GET', '/api/v1/assessments', token)).json()[0].trusted, true);
  // The same key, now with an end in the past.
  assert.equal((await call('POST', '/api/v1/keys', token, { name: 'auditor', publicKey: pem, until: '2020-01-01T00:00:00Z' })).statusCode, 201);
  const listed = (await call('GET', '/api/v1/assessments', token)).json()[0];
  assert.equal(listed.trusted, false);
  assert.match(listed.reason, /no signer is trusted/);
  const again = await call('POST', '/api/v1/assessments', token, signedAssessment({ ...rclcpp, range: { from: '29.0.0', before: '30.0.0' } }, signer.privateKey));
  assert.equal(again.statusCode, 400);
  assert.match(again.json().detail, /not signed by a key this team trusts/);
});

test('every route of the OpenAPI document: another team gets 404, a viewer gets 403 on writes, no token gets 401', async () => {
  const p = (await call('POST', '/api/v1/products', admin, { name: 'panel' })).json();
  const sbom = JSON.parse(readFileSync(join(FIXTURES, 'sboms/laravel-7.12.0.cdx.json'), 'utf8'));
  const rel = (await call('POST', `/api/v1/products/${p.id}/releases?version=7.12.0`, admin, sbom)).json();
  const acmeKey = (await call('POST', '/api/v1/keys', admin, { name: 'walker', publicKey: generateKeyPairSync('ed25519').publicKey.export({ type: 'spki', format: 'pem' }) })).json().keyid;
  const doc = (await call('GET', '/api/v1/openapi.json')).json();
  assert.equal(doc.openapi, '3.1.0');
  const ops = Object.entries(doc.paths as Record<string, Record<string, unknown>>).flatMap(([path, methods]) => Object.keys(methods).map((m) => [m.toUpperCase(), path] as const));
  assert.ok(ops.length >= 7, `${ops.length} operations`);
  for (const [method, path] of ops) {
    if (path.endsWith('/stream')) continue; // a live stream: tested on its own below
    const url = `/api/v1${path}`.replace('{productId}', p.id).replace('{releaseId}', rel.id).replace('{keyid}', acmeKey).replace(/^\/api\/v1\/api\/v1/, '/api/v1');
    const body = method === 'PUT' ? MINIMAL_DOSSIER : method === 'PATCH' ? { status: 'withdrawn' } : method === 'POST' ? (path.endsWith('/releases') ? sbom : path.endsWith('/decisions') ? { vulnerability: 'X', component: 'y', status: 'fixed' } : path.endsWith('/reports') ? { vulnerability: 'X', stage: 'early-warning' } : path.endsWith('/rematch') ? undefined : path.endsWith('/keys') ? { name: 'x', publicKey: 'x' } : path.endsWith('/assessments') ? signedAssessment() : { name: 'x' }) : undefined;
    assert.equal((await call(method, url)).statusCode, 401, `${method} ${path} without a token`);
    const foreign = await call(method, url, intruder, body);
    if (path.includes('{')) assert.equal(foreign.statusCode, 404, `${method} ${path} with another team's token: ${foreign.body}`);
    else if (method === 'GET') assert.ok(!foreign.body.includes(p.id) && !foreign.body.includes(rel.id), `${method} ${path} lists nothing of the other team`);
    if (method !== 'GET') assert.equal((await call(method, url, viewer, body)).statusCode, 403, `${method} ${path} with a viewer token`);
  }
});

test('marque token create and marque serve: one command each, the API on loopback', async () => {
  const env = { ...process.env, MARQUE_CACHE_DIR: mkdtempSync(join(tmpdir(), 'marque-serve-')) };
  const bin = join(ROOT, 'bin/marque.js');
  const made = spawnSync(process.execPath, [bin, 'token', 'create', '--team', 'acme', '--role', 'editor'], { encoding: 'utf8', env });
  assert.equal(made.status, 0, made.stderr);
  const token = made.stdout.trim();
  assert.match(token, /^mq_[A-Za-z0-9_-]{43}$/);
  const advisories = join(env.MARQUE_CACHE_DIR, 'advisories.sqlite');
  await importAdvisories(advisories, [join(FIXTURES, 'osv/ghsa'), join(FIXTURES, 'kev/known_exploited_vulnerabilities.json')]);
  const server = spawn(process.execPath, [bin, 'serve', '--port', '0', '--db', advisories], { env, stdio: ['ignore', 'ignore', 'pipe'] });
  try {
    const address = await new Promise<string>((resolve, reject) => {
      let err = '';
      server.stderr.on('data', (d: Buffer) => { err += d.toString(); const m = /(http:\/\/127\.0\.0\.1:\d+)\/api\/v1/.exec(err); if (m) resolve(m[1]!); });
      server.on('exit', () => reject(new Error(err)));
    });
    const res = await fetch(`${address}/api/v1/products`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify({ name: 'robot' }) });
    assert.equal(res.status, 201);
    const list = await fetch(`${address}/api/v1/products`, { headers: { authorization: `Bearer ${token}` } });
    assert.deepEqual((await list.json() as { name: string }[]).map((p) => p.name), ['robot']);
    // marque push: the example robot's release, with its support end from marque.yaml; a second push is refused.
    const push = () => spawnSync(process.execPath, [bin, 'push', join(ROOT, 'examples/courier-robot'), '--server', address, '--json'], { encoding: 'utf8', env: { ...env, MARQUE_TOKEN: token } });
    const pushed = push();
    assert.equal(pushed.status, 0, pushed.stderr);
    const release = JSON.parse(pushed.stdout);
    assert.equal(release.version, '1.4.0');
    assert.match(String(release.supportEnd), /^\d{4}-\d{2}$/);
    assert.ok(release.componentCount > 200);
    // What marque.yaml says of the release travels with it: class, routes, who and where.
    assert.equal(release.facts.class, 'default');
    assert.ok(release.facts.conformityRoutes.length > 0);
    assert.ok(release.facts.manufacturer);
    const again = push();
    assert.equal(again.status, 0, again.stderr);
    assert.equal(JSON.parse(again.stdout).id, release.id, 'the same content pushed again: the release already there');
    assert.equal(JSON.parse(again.stdout).outcome, 'unchanged');
    assert.match(spawnSync(process.execPath, [bin, 'push', join(ROOT, 'examples/courier-robot'), '--server', address], { encoding: 'utf8', env: { ...env, MARQUE_TOKEN: 'mq_wrong' } }).stderr, /HTTP 401/);
    // vulns --server: the findings the server holds for a release, with its clock.
    const panel = mkdtempSync(join(tmpdir(), 'marque-panel-'));
    cpSync(join(FIXTURES, 'npm-exploited'), panel, { recursive: true });
    writeFileSync(join(panel, 'marque.yaml'), 'product:\n  name: panel\n  version: "0.9.0"\n');
    assert.equal(spawnSync(process.execPath, [bin, 'push', panel, '--server', address], { encoding: 'utf8', env: { ...env, MARQUE_TOKEN: token } }).status, 0);
    // The server matches a pushed release at once; the moment of awareness is recorded then.
    const recorded = async () => {
      const rel = ((await (await fetch(`${address}/api/v1/releases`, { headers: { authorization: `Bearer ${token}` } })).json()) as { id: string; version: string }[]).find((r) => r.version === '0.9.0')!;
      const fs = (await (await fetch(`${address}/api/v1/releases/${rel.id}/findings`, { headers: { authorization: `Bearer ${token}` } })).json()) as { findings: { awareness?: string }[] };
      return fs.findings.some((x) => x.awareness === 'recorded');
    };
    assert.ok(await until(recorded, 30_000, 100), 'the pushed release was matched');
    const v = spawnSync(process.execPath, [bin, 'vulns', panel, '--server', address, '--json'], { encoding: 'utf8', env: { ...env, MARQUE_TOKEN: token } });
    assert.equal(v.status, 0, v.stderr);
    const found = JSON.parse(v.stdout).findings.find((f: { component: string }) => f.component === 'pkg:npm/systeminformation@5.3.0');
    assert.equal(found.exploited, true);
    assert.ok(found.clock.earlyWarningDue);
  } finally {
    server.kill('SIGTERM');
    await new Promise((r) => server.on('exit', r));
  }
});

test('one push, one request: release, SBOM, facts and dossier together; the same content again is 200; an incomplete release is completed; other content is 409', async () => {
  const db = join(mkdtempSync(join(tmpdir(), 'marque-push-db-')), 'a.sqlite');
  await importAdvisories(db, [join(FIXTURES, 'osv/pypa')]);
  const dossier = JSON.parse(JSON.stringify(await buildDossier({ dir: EXAMPLE, db })));
  const sbom = JSON.parse(readFileSync(join(FIXTURES, 'sboms/laravel-7.12.0.cdx.json'), 'utf8'));
  const facts = { class: 'default', categories: [], conformityRoutes: ['A'], manufacturer: 'ACME', contact: 'psirt@acme.example', mainEstablishment: 'DE', memberStates: ['DE'] };
  const body = { product: 'one-request', version: '2.0.0', supportEnd: '2031-12', placedOnMarket: '2026-11-01', facts, sbom, dossier };
  const first = await call('POST', '/api/v1/releases', admin, body);
  assert.equal(first.statusCode, 201, first.body);
  assert.equal(first.json().outcome, 'created');
  const rel = first.json().release;
  assert.deepEqual([rel.version, rel.supportEnd, rel.facts], ['2.0.0', '2031-12', facts]);
  assert.equal((await call('GET', `/api/v1/releases/${rel.id}/dossier`, viewer)).json().dossier.digest, dossier.digest);
  const again = await call('POST', '/api/v1/releases', admin, { ...body, dossier: { ...dossier, generatedAt: new Date().toISOString() } });
  assert.equal(again.statusCode, 200, again.body);
  assert.deepEqual([again.json().outcome, again.json().release.id], ['unchanged', rel.id]);
  const otherFacts = await call('POST', '/api/v1/releases', admin, { ...body, facts: { ...facts, class: 'important-I' } });
  assert.equal(otherFacts.statusCode, 409);
  assert.match(otherFacts.json().detail, /already on the market with other content/);
  const otherSbom = await call('POST', '/api/v1/releases', admin, { ...body, sbom: { ...sbom, components: sbom.components.slice(1) } });
  assert.equal(otherSbom.statusCode, 409);
  // A newer dossier (other inputs) of the same release replaces the kept one.
  const newer = await call('POST', '/api/v1/releases', admin, { ...body, dossier: { ...dossier, digest: 'a'.repeat(64) } });
  assert.deepEqual([newer.statusCode, newer.json().outcome], [200, 'dossier']);
  // An older client's three requests, interrupted after the first: the release exists without facts
  // or dossier, and the one-request push of the same content completes it.
  const p = (await call('POST', '/api/v1/products', admin, { name: 'old-client' })).json();
  const partial = (await call('POST', `/api/v1/products/${p.id}/releases?version=1.0.0&supportEnd=2031-12`, admin, sbom)).json();
  assert.equal(partial.facts, null);
  const completed = await call('POST', '/api/v1/releases', admin, { ...body, product: 'old-client', version: '1.0.0' });
  assert.equal(completed.statusCode, 200, completed.body);
  assert.deepEqual([completed.json().outcome, completed.json().release.id, completed.json().release.facts, completed.json().release.placedOnMarket], ['completed', partial.id, facts, '2026-11-01']);
  assert.equal((await call('GET', `/api/v1/releases/${partial.id}/dossier`, viewer)).statusCode, 200);
  const partial2 = (await call('POST', `/api/v1/products/${p.id}/releases?version=1.0.1&supportEnd=2030-01`, admin, sbom)).json();
  const clash = await call('POST', '/api/v1/releases', admin, { ...body, product: 'old-client', version: partial2.version });
  assert.equal(clash.statusCode, 409, 'its support end differs: not the same release');
  assert.match(clash.json().detail, /other dates/);
  // Refused before anything is stored: a bad dossier leaves no product and no release.
  const bad = await call('POST', '/api/v1/releases', admin, { ...body, product: 'never-made', dossier: { ...dossier, perimeter: { ...dossier.perimeter, svg: '<svg><script>x</script></svg>' } } });
  assert.equal(bad.statusCode, 400);
  assert.ok(!(await call('GET', '/api/v1/products', admin)).json().some((x: { name: string }) => x.name === 'never-made'));
  assert.equal((await call('POST', '/api/v1/releases', viewer, body)).statusCode, 403);
  // Pushed at once by several clients: one places it, the others get it back.
  const racing = await Promise.all(Array.from({ length: 4 }, () => call('POST', '/api/v1/releases', admin, { ...body, product: 'racing' })));
  assert.deepEqual(racing.map((r) => r.statusCode).sort(), [200, 200, 200, 201]);
  assert.equal(new Set(racing.map((r) => r.json().release.id)).size, 1);
});

test('marque token list and revoke: ids, roles, expiry and last use, never the tokens; a revoked token is refused', async () => {
  const env = { ...process.env, MARQUE_CACHE_DIR: mkdtempSync(join(tmpdir(), 'marque-tokens-')) };
  const bin = join(ROOT, 'bin/marque.js');
  const run = (...args: string[]) => spawnSync(process.execPath, [bin, 'token', ...args], { encoding: 'utf8', env });
  const made = run('create', '--team', 'acme', '--role', 'editor', '--name', 'ci', '--expires', '30', '--json');
  assert.equal(made.status, 0, made.stderr);
  const { id, token, expiresAt } = JSON.parse(made.stdout);
  assert.ok(Date.parse(expiresAt) > Date.now() + 29 * 86_400_000);
  assert.equal(run('create', '--team', 'acme', '--expires', '2001-01-01').status, 2, 'an expiry in the past is refused');
  const list = run('list', '--team', 'acme', '--json');
  assert.equal(list.status, 0, list.stderr);
  assert.ok(!list.stdout.includes(token));
  assert.deepEqual(JSON.parse(list.stdout).map((t: { id: string; role: string; team: string; revokedAt: string | null }) => [t.id, t.role, t.team, t.revokedAt]), [[id, 'editor', 'acme', null]]);
  assert.match(run('list').stdout, /ID\s+TEAM\s+ROLE\s+NAME\s+CREATED\s+EXPIRES\s+LAST USED\s+REVOKED/);
  assert.equal(run('revoke', id).status, 0);
  assert.equal(run('revoke', id).status, 2, 'revoked once');
  assert.ok(JSON.parse(run('list', '--json').stdout)[0].revokedAt);
  const { store: cliStore } = await import('../src/server/open.ts').then((m) => m.openPortfolio({ data: join(env.MARQUE_CACHE_DIR, 'server') }));
  try { assert.equal(await cliStore.tokenOwner(token), undefined); } finally { await cliStore.close(); }
});

test('findings of a release: exploited first with the Art. 14(2) clock from the recorded awareness; a stage reported is not overdue', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'marque-server-db-'));
  const advisories = join(dir, 'advisories.sqlite');
  await importAdvisories(advisories, [join(FIXTURES, 'osv/ghsa'), join(FIXTURES, 'kev/known_exploited_vulnerabilities.json')]);
  const withDb = await buildServer(store, { advisoryDb: advisories });
  const req = (method: string, url: string, payload?: unknown) => withDb.inject({ method: method as 'GET', url, headers: { authorization: `Bearer ${admin}` }, payload: payload as never });
  const p = (await req('POST', '/api/v1/products', { name: 'panel-findings' })).json();
  const { request } = await productRequest(join(FIXTURES, 'npm-exploited'), {});
  const bom = renderSbom(await buildInventory(request), 'cyclonedx', { name: 'panel', version: '0.9.0' });
  const rel = (await req('POST', `/api/v1/products/${p.id}/releases`, bom)).json();
  const pending = (await req('GET', `/api/v1/releases/${rel.id}/findings`)).json();
  assert.match(pending.statement, /^Checked \d+ of \d+ components that ship/);
  assert.equal(pending.findings.find((x: { component: string }) => x.component === 'pkg:npm/systeminformation@5.3.0').awareness, 'pending', 'not matched by the server yet: no clock');
  // The server's match stores the finding and records the moment of awareness.
  await rematch(store, AdvisoryDb.openForRead(advisories)!, new Date(), acme.id);
  const first = (await req('GET', `/api/v1/releases/${rel.id}/findings`)).json();
  const f = first.findings.find((x: { component: string }) => x.component === 'pkg:npm/systeminformation@5.3.0');
  assert.equal(f.exploited, true);
  assert.equal(f.awareness, 'recorded');
  await rematch(store, AdvisoryDb.openForRead(advisories)!, new Date(Date.now() + 60_000), acme.id);
  const again = (await req('GET', `/api/v1/releases/${rel.id}/findings`)).json().findings.find((x: { advisory: string }) => x.advisory === f.advisory);
  assert.equal(again.clock.awareAt, f.clock.awareAt, 'the moment of awareness is the first one');
  // A release whose awareness dates back weeks: both 24 h and 72 h stages are overdue until reported.
  const old = (await req('POST', `/api/v1/products/${p.id}/releases?version=0.8.0`, bom)).json();
  await store.awareness(acme.id, old.id, f.component, f.advisory, new Date('2026-01-05T08:00:00Z'));
  await rematch(store, AdvisoryDb.openForRead(advisories)!, new Date(), acme.id);
  const late = (await req('GET', `/api/v1/releases/${old.id}/findings`)).json().findings.find((x: { advisory: string }) => x.advisory === f.advisory);
  assert.equal(late.clock.awareAt, '2026-01-05T08:00:00.000Z');
  assert.deepEqual(late.clock.overdue, ['early-warning', 'notification']);
  const sent = await req('POST', `/api/v1/releases/${old.id}/reports`, { vulnerability: f.advisory, stage: 'early-warning' });
  assert.equal(sent.statusCode, 201, sent.body);
  const after = (await req('GET', `/api/v1/releases/${old.id}/findings`)).json().findings.find((x: { advisory: string }) => x.advisory === f.advisory);
  assert.deepEqual(after.reportsSent.map((r: { stage: string }) => r.stage), ['early-warning']);
  assert.deepEqual(after.clock.overdue, ['notification'], 'overdue means not sent in time');
  const noDb = await buildServer(store, { advisoryDb: join(dir, 'none.sqlite') });
  const r503 = await noDb.inject({ method: 'GET', url: `/api/v1/releases/${rel.id}/findings`, headers: { authorization: `Bearer ${admin}` } });
  assert.equal(r503.statusCode, 503);
});

test('re-match after an advisory update: new findings and a finding that became exploited are events, listed and streamed', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'marque-rematch-'));
  const advisories = join(dir, 'advisories.sqlite');
  await importAdvisories(advisories, [join(FIXTURES, 'osv/ghsa')]); // no KEV yet
  const server = await buildServer(store, { advisoryDb: advisories });
  const team = await store.createTeam('rematch-team');
  const token = (await store.createToken(team.id, 'admin', 'psirt@rematch')).token;
  const req = (method: string, url: string, payload?: unknown) => server.inject({ method: method as 'GET', url, headers: { authorization: `Bearer ${token}` }, payload: payload as never });
  const p = (await req('POST', '/api/v1/products', { name: 'panel' })).json();
  const { request } = await productRequest(join(FIXTURES, 'npm-exploited'), {});
  const bom = renderSbom(await buildInventory(request), 'cyclonedx', { name: 'panel', version: '0.9.0' });
  assert.equal((await req('POST', `/api/v1/products/${p.id}/releases?supportEnd=2031-12`, bom)).statusCode, 201);
  const first = (await req('POST', '/api/v1/rematch')).json();
  assert.equal(first.releases, 1);
  const news = (await req('GET', '/api/v1/events')).json();
  assert.ok(news.length >= 1 && news.every((e: { kind: string }) => e.kind === 'finding.new'));
  assert.equal((await req('POST', '/api/v1/rematch')).json().events, 0, 'nothing changed, nothing new');
  // KEV arrives with the next update: the same finding is now exploited.
  await importAdvisories(advisories, [join(FIXTURES, 'kev/known_exploited_vulnerabilities.json')]);
  const before = new Date();
  assert.equal((await req('POST', '/api/v1/rematch')).json().events, 1);
  const exploited = (await req('GET', `/api/v1/events?after=${news.at(-1).seq}`)).json();
  assert.deepEqual(exploited.map((e: { kind: string }) => e.kind), ['finding.exploited']);
  assert.ok(new Date(exploited[0].payload.clock.awareAt) >= before, 'awareness recorded when the re-match first saw it exploited');
  // The portfolio: this release has one open exploited finding and its early warning is the next report due.
  const port = (await req('GET', '/api/v1/portfolio?exploited=true')).json();
  assert.equal(port.length, 1);
  assert.equal(port[0].openExploited, 1);
  assert.equal(port[0].nextDeadline.stage, 'early-warning');
  assert.equal(port[0].nextDeadline.due, new Date(Date.parse(exploited[0].payload.clock.awareAt) + 24 * 3_600_000).toISOString());
  // Live: the stream sends what is there, with ids for resuming; other teams see none of it.
  const address = await server.listen({ port: 0, host: '127.0.0.1' });
  try {
    const ac = new AbortController();
    const res = await fetch(`${address}/api/v1/events/stream`, { headers: { authorization: `Bearer ${token}`, 'last-event-id': String(news.at(-1).seq) }, signal: ac.signal });
    assert.equal(res.headers.get('content-type'), 'text/event-stream');
    const reader = res.body!.getReader();
    let text = '';
    // A comment line first (": connected"), so that a client knows at once it is connected; then the events.
    while (!/\nid: /.test(text) || !text.endsWith('\n\n')) text += new TextDecoder().decode((await reader.read()).value);
    ac.abort();
    assert.match(text, new RegExp(`^: connected\n\nid: ${exploited[0].seq}\nevent: finding.exploited\n`));
    assert.equal((await fetch(`${address}/api/v1/events/stream`)).status, 401);
    const other = (await server.inject({ method: 'GET', url: '/api/v1/events', headers: { authorization: `Bearer ${intruder}` } })).json();
    assert.ok(!JSON.stringify(other).includes(p.id));
  } finally {
    await server.close();
  }
});

test('webhooks: events POSTed with a timestamped HMAC-SHA256 signature, retried with backoff after a failure, every attempt logged', async () => {
  const received: { body: string; headers: Record<string, string | string[] | undefined> }[] = [];
  let fail = true;
  const receiver = createServer((rq, rs) => {
    let body = '';
    rq.on('data', (c: Buffer) => { body += c.toString(); });
    rq.on('end', () => { received.push({ body, headers: rq.headers }); rs.writeHead(fail ? 500 : 204); rs.end(); });
  });
  await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
  const hookUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`;
  const allowHosts = new Set(['127.0.0.1']);
  try {
    const dir = mkdtempSync(join(tmpdir(), 'marque-hooks-'));
    const advisories = join(dir, 'advisories.sqlite');
    await importAdvisories(advisories, [join(FIXTURES, 'osv/ghsa'), join(FIXTURES, 'kev/known_exploited_vulnerabilities.json')]);
    const server = await buildServer(store, { advisoryDb: advisories, allowHosts });
    const team = await store.createTeam('hooks-team');
    const token = (await store.createToken(team.id, 'admin', 'ops@hooks')).token;
    const req = (method: string, url: string, payload?: unknown) => server.inject({ method: method as 'GET', url, headers: { authorization: `Bearer ${token}` }, payload: payload as never });
    assert.equal((await req('POST', '/api/v1/webhooks', { url: 'http://hooks.example/x' })).statusCode, 400, 'plain HTTP only to an allowed host');
    const hook = (await req('POST', '/api/v1/webhooks', { url: hookUrl })).json();
    assert.ok(hook.secret.length >= 40);
    assert.ok(!JSON.stringify((await req('GET', '/api/v1/webhooks')).json()).includes(hook.secret), 'the secret is shown once');
    const p = (await req('POST', '/api/v1/products', { name: 'panel' })).json();
    const { request } = await productRequest(join(FIXTURES, 'npm-exploited'), {});
    await req('POST', `/api/v1/products/${p.id}/releases`, renderSbom(await buildInventory(request), 'cyclonedx', { name: 'panel', version: '0.9.0' }));
    const events = (await req('POST', '/api/v1/rematch')).json().events;
    assert.ok(events >= 1);
    const t0 = new Date();
    assert.deepEqual(await deliverDue(store, t0, { allowHosts }), { delivered: 0, retrying: events, failed: 0 });
    assert.deepEqual(await deliverDue(store, new Date(t0.getTime() + 30_000), { allowHosts }), { delivered: 0, retrying: 0, failed: 0 }, 'not before the backoff');
    fail = false;
    assert.deepEqual(await deliverDue(store, new Date(t0.getTime() + 61_000), { allowHosts }), { delivered: events, retrying: 0, failed: 0 });
    const last = received.at(-1)!;
    assert.ok(verifySignature(hook.secret, last.body, String(last.headers['x-marque-signature'])), String(last.headers['x-marque-signature']));
    assert.ok(!verifySignature(hook.secret, last.body, String(last.headers['x-marque-signature']), Date.now() + 600_000), 'a delivery replayed ten minutes later is refused');
    assert.ok(!verifySignature(hook.secret, last.body.replace('finding', 'fínding'), String(last.headers['x-marque-signature'])), 'an altered body is refused');
    assert.equal(last.headers['x-marque-event'], 'finding.new');
    const log = (await req('GET', `/api/v1/webhooks/${hook.id}/deliveries`)).json();
    assert.ok(log.every((d: { status: string; attempts: number; lastCode: number }) => d.status === 'delivered' && d.attempts === 2 && d.lastCode === 204));
    assert.equal((await server.inject({ method: 'GET', url: `/api/v1/webhooks/${hook.id}/deliveries`, headers: { authorization: `Bearer ${intruder}` } })).statusCode, 404);
    // Deleted: gone from the list with its log, nothing more is queued for it; another team cannot delete it.
    assert.equal((await server.inject({ method: 'DELETE', url: `/api/v1/webhooks/${hook.id}`, headers: { authorization: `Bearer ${intruder}` } })).statusCode, 404);
    assert.equal((await req('DELETE', `/api/v1/webhooks/${hook.id}`)).statusCode, 204);
    assert.deepEqual((await req('GET', '/api/v1/webhooks')).json(), []);
    assert.equal((await req('GET', `/api/v1/webhooks/${hook.id}/deliveries`)).statusCode, 404);
    assert.equal((await req('DELETE', `/api/v1/webhooks/${hook.id}`)).statusCode, 404);
  } finally {
    receiver.close();
  }
});

test('webhooks refuse non-public destinations in every spelling, keep no credentials, and log "delivery failed" without network details', async () => {
  const server = await buildServer(store);
  const team = await store.createTeam('ssrf-team');
  const token = (await store.createToken(team.id, 'admin', 'ops@ssrf')).token;
  const add = (url: string) => server.inject({ method: 'POST', url: '/api/v1/webhooks', headers: { authorization: `Bearer ${token}` }, payload: { url } });
  const refused = [
    'https://127.0.0.1/x', 'https://127.1/x', 'https://0x7f.0.0.1/x', 'https://2130706433/x', 'https://0177.0.0.1/x', 'https://[::1]/x', 'https://localhost/x',
    'https://api.localhost/x', 'https://169.254.169.254/latest/meta-data', 'https://10.0.0.5/x', 'https://172.16.3.4/x', 'https://192.168.1.1/x', 'https://100.64.0.1/x',
    'https://0.0.0.0/x', 'https://[::]/x', 'https://[::ffff:127.0.0.1]/x', 'https://[::ffff:a9fe:a9fe]/x', 'https://[fe80::1]/x', 'https://[fc00::1]/x', 'https://[64:ff9b::7f00:1]/x',
    'https://224.0.0.1/x', 'http://127.0.0.1:5432/', 'http://93.184.215.14/x', 'ftp://93.184.215.14/x', 'file:///etc/passwd',
  ];
  for (const url of refused) assert.equal((await add(url)).statusCode, 400, url);
  const withCredentials = await add('https://user:secret@hooks.example/x');
  assert.equal(withCredentials.statusCode, 400);
  assert.ok(!withCredentials.body.includes('secret@'), 'the refusal does not echo the credentials');
  assert.equal((await add('https://93.184.215.14/x')).statusCode, 201, 'a public address over HTTPS is accepted');
  assert.equal((await add('https://hooks.example/x')).statusCode, 201, 'a name is judged when a delivery connects');
  assert.ok(!JSON.stringify((await server.inject({ method: 'GET', url: '/api/v1/webhooks', headers: { authorization: `Bearer ${token}` } })).json()).includes('secret'));
  // At connect time: a name that resolves to loopback (as after DNS rebinding) is refused, and so is an
  // address the allow list no longer names. The receiver would answer if reached.
  let reached = 0;
  const receiver = createServer((_rq, rs) => { reached++; rs.writeHead(204); rs.end(); });
  await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
  const port = (receiver.address() as AddressInfo).port;
  try {
    const allowLocal = await buildServer(store, { allowHosts: new Set(['localhost', '127.0.0.1']) });
    const team2 = await store.createTeam('ssrf-team-2');
    const t2 = (await store.createToken(team2.id, 'admin', 'ops@ssrf2')).token;
    for (const url of [`http://localhost:${port}/a`, `http://127.0.0.1:${port}/b`]) {
      assert.equal((await allowLocal.inject({ method: 'POST', url: '/api/v1/webhooks', headers: { authorization: `Bearer ${t2}` }, payload: { url } })).statusCode, 201, url);
    }
    await store.queueDeliveries(await store.addEvent(team2.id, null, 'finding.new', { test: true }, new Date()), new Date());
    // The connect-time guard itself: a name (not an address) that resolves to loopback, as a rebinding
    // name would, is refused when the connection is made; allowed by name, it connects.
    await assert.rejects(post(new URL(`http://localhost:${port}/rebind`), '{}', {}, new Set(), 2000), /resolves to no public address/);
    await assert.rejects(post(new URL(`http://127.0.0.1:${port}/literal`), '{}', {}, new Set(), 2000), /not a public address/);
    assert.equal(reached, 0);
    assert.equal((await post(new URL(`http://localhost:${port}/allowed`), '{}', {}, new Set(['localhost']), 2000)).status, 204);
    reached = 0;
    const logged: string[] = [];
    const counts = await deliverDue(store, new Date(Date.now() + 1000), { allowHosts: new Set(), log: (msg, d) => logged.push(`${msg} ${JSON.stringify(d)}`) });
    assert.equal(reached, 0, 'nothing reached the loopback receiver');
    assert.ok(counts.retrying >= 2);
    const hooks = (await allowLocal.inject({ method: 'GET', url: '/api/v1/webhooks', headers: { authorization: `Bearer ${t2}` } })).json();
    for (const h of hooks) {
      const log = (await allowLocal.inject({ method: 'GET', url: `/api/v1/webhooks/${h.id}/deliveries`, headers: { authorization: `Bearer ${t2}` } })).json();
      assert.deepEqual(log.map((d: { lastError: string }) => d.lastError), ['delivery failed'], 'no network detail in the log the team reads');
    }
    assert.ok(logged.length >= 2, 'the operator\'s log has the reason');
    // With the operator's allow list, the same deliveries reach the receiver.
    const later = await deliverDue(store, new Date(Date.now() + 5 * 60_000), { allowHosts: new Set(['localhost', '127.0.0.1']) });
    assert.ok(later.delivered >= 2, JSON.stringify(later));
    assert.ok(reached >= 2);
  } finally {
    receiver.close();
  }
});

test('deadlines: a report due within six hours is announced once, an unsent one past due once more; a sent stage never', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'marque-deadline-'));
  const advisories = join(dir, 'advisories.sqlite');
  await importAdvisories(advisories, [join(FIXTURES, 'osv/ghsa'), join(FIXTURES, 'kev/known_exploited_vulnerabilities.json')]);
  const server = await buildServer(store, { advisoryDb: advisories });
  const team = await store.createTeam('deadline-team');
  const token = (await store.createToken(team.id, 'editor', 'psirt@deadline')).token;
  const req = (method: string, url: string, payload?: unknown) => server.inject({ method: method as 'GET', url, headers: { authorization: `Bearer ${token}` }, payload: payload as never });
  const p = (await req('POST', '/api/v1/products', { name: 'panel' })).json();
  const { request } = await productRequest(join(FIXTURES, 'npm-exploited'), {});
  const rel = (await req('POST', `/api/v1/products/${p.id}/releases`, renderSbom(await buildInventory(request), 'cyclonedx', { name: 'panel', version: '0.9.0' }))).json();
  const detected = new Date('2026-11-20T08:00:00Z');
  const db = AdvisoryDb.openForRead(advisories)!;
  await rematch(store, db, detected, team.id);
  db.close();
  const mine = <E extends { teamId: string }>(events: E[]): E[] => events.filter((e) => e.teamId === team.id);
  assert.deepEqual(mine(await deadlineEvents(store, new Date('2026-11-20T10:00:00Z'))), [], '22 hours left: nothing yet');
  const soon = mine(await deadlineEvents(store, new Date('2026-11-21T03:00:00Z')));
  assert.deepEqual(soon.map((e) => [e.kind, (e.payload as { stage: string }).stage]), [['deadline.soon', 'early-warning']]);
  assert.deepEqual(mine(await deadlineEvents(store, new Date('2026-11-21T04:00:00Z'))), [], 'announced once');
  const f = (await store.storedFindings(team.id, rel.id)).find((x) => x.exploited)!;
  await req('POST', `/api/v1/releases/${rel.id}/reports`, { vulnerability: f.vulnerability, stage: 'early-warning' });
  const later = mine(await deadlineEvents(store, new Date('2026-11-23T05:00:00Z')));
  assert.deepEqual(later.map((e) => [e.kind, (e.payload as { stage: string }).stage]), [['deadline.soon', 'notification']], 'the sent early warning is never overdue');
  const overdue = mine(await deadlineEvents(store, new Date('2026-11-23T09:00:00Z')));
  assert.deepEqual(overdue.map((e) => [e.kind, (e.payload as { stage: string }).stage]), [['deadline.overdue', 'notification']]);
});

test('failed authentications are limited per address without ever refusing a valid token; behind a trusted proxy, per client', async () => {
  const limitedApp = await buildServer(store);
  const guess = (ip: string, token: string) => limitedApp.inject({ method: 'GET', url: '/api/v1/products', remoteAddress: ip, headers: { authorization: `Bearer ${token}` } });
  for (let i = 0; i < AUTH_FAILURES; i++) assert.equal((await guess('10.0.0.9', `mq_guess${i}`)).statusCode, 401);
  const blocked = await guess('10.0.0.9', 'mq_guess-more');
  assert.equal(blocked.statusCode, 429, 'more bad tokens from the address wait');
  assert.ok(blocked.headers['retry-after']);
  assert.equal((await guess('10.0.0.9', admin)).statusCode, 200, 'a valid token from the same address is never refused');
  assert.equal((await guess('10.0.0.10', 'mq_other')).statusCode, 401, 'another address is not limited');
  // Behind a reverse proxy: without --trust-proxy every client is the proxy's address; with it, each client counts alone.
  const proxied = await buildServer(store, { trustProxy: ['127.0.0.1'] });
  const via = (client: string, token: string) => proxied.inject({ method: 'GET', url: '/api/v1/products', remoteAddress: '127.0.0.1', headers: { authorization: `Bearer ${token}`, 'x-forwarded-for': client } });
  for (let i = 0; i < AUTH_FAILURES; i++) assert.equal((await via('203.0.113.5', `mq_guess${i}`)).statusCode, 401);
  assert.equal((await via('203.0.113.5', 'mq_more')).statusCode, 429);
  assert.equal((await via('203.0.113.6', 'mq_first')).statusCode, 401, 'another client behind the same proxy is not limited');
  assert.equal((await via('203.0.113.5', viewer)).statusCode, 200);
});

test('tokens: admins list, make and revoke them over the API; a revoked or expired token gets 401 at once; last use is kept; editors cannot', async () => {
  const team = await store.createTeam('token-team');
  const lead = (await store.createToken(team.id, 'admin', 'lead@tokens')).token;
  const editor = (await store.createToken(team.id, 'editor', 'dev@tokens')).token;
  const as = (token: string, method: string, url: string, payload?: unknown) => app.inject({ method: method as 'GET', url, headers: { authorization: `Bearer ${token}` }, payload: payload as never });
  const made = await as(lead, 'POST', '/api/v1/tokens', { role: 'viewer', name: 'ci@tokens' });
  assert.equal(made.statusCode, 201, made.body);
  const ci = made.json();
  assert.match(ci.token, /^mq_/);
  assert.equal((await as(ci.token, 'GET', '/api/v1/products')).statusCode, 200);
  const listed = (await as(lead, 'GET', '/api/v1/tokens')).json();
  assert.deepEqual(listed.map((t: { name: string }) => t.name).sort(), ['ci@tokens', 'dev@tokens', 'lead@tokens']);
  assert.ok(!JSON.stringify(listed).includes(ci.token), 'never the secret');
  assert.ok(listed.find((t: { name: string }) => t.name === 'ci@tokens').lastUsedAt, 'last use recorded');
  assert.equal((await as(lead, 'DELETE', `/api/v1/tokens/${ci.id}`)).statusCode, 204);
  assert.equal((await as(ci.token, 'GET', '/api/v1/products')).statusCode, 401, 'revoked: refused at once');
  assert.ok((await as(lead, 'GET', '/api/v1/tokens')).json().find((t: { id: string }) => t.id === ci.id).revokedAt);
  assert.equal((await as(lead, 'DELETE', `/api/v1/tokens/${ci.id}`)).statusCode, 404, 'revoked once');
  // Another team's admin can neither see nor revoke them.
  assert.ok(!JSON.stringify((await as(intruder, 'GET', '/api/v1/tokens')).json()).includes('lead@tokens'));
  const leadId = (await store.tokens(team.id)).find((t) => t.name === 'lead@tokens')!.id;
  assert.equal((await as(intruder, 'DELETE', `/api/v1/tokens/${leadId}`)).statusCode, 404);
  // What admin can do that editor cannot: tokens, webhooks, trusted keys, re-matches.
  for (const [method, url, body] of [['GET', '/api/v1/tokens'], ['POST', '/api/v1/tokens', { role: 'admin', name: 'x' }], ['POST', '/api/v1/webhooks', { url: 'https://hooks.example/x' }], ['GET', '/api/v1/webhooks'], ['POST', '/api/v1/keys', { name: 'k', publicKey: 'x' }], ['POST', '/api/v1/rematch']] as const) {
    assert.equal((await as(editor, method, url, body)).statusCode, 403, `${method} ${url} as an editor`);
  }
  const p = await as(editor, 'POST', '/api/v1/products', { name: 'editor-may' });
  assert.equal(p.statusCode, 201, 'an editor places products');
  // Expired: refused.
  const soon = await store.createToken(team.id, 'viewer', 'short@tokens', new Date(Date.now() + 60_000));
  assert.equal((await as(soon.token, 'GET', '/api/v1/products')).statusCode, 200);
  assert.equal(await store.tokenOwner(soon.token, new Date(Date.now() + 120_000)), undefined, 'expired after its time');
  assert.equal((await as(lead, 'POST', '/api/v1/tokens', { role: 'viewer', name: 'past', expiresAt: '2000-01-01T00:00:00Z' })).statusCode, 400);
});

test('a product name is taken once per team: 409 for a repeat, sequential or concurrent, each logged; a full disk is 507, logged', async () => {
  const lines: string[] = [];
  const { Writable } = await import('node:stream');
  const logStream = new Writable({ write(chunk, _enc, cb) { lines.push(String(chunk)); cb(); } });
  const logged = await buildServer(store, { logger: 'info', logStream });
  const post = () => logged.inject({ method: 'POST', url: '/api/v1/products', headers: { authorization: `Bearer ${admin}` }, payload: { name: 'twice' } });
  assert.equal((await post()).statusCode, 201);
  const again = await post();
  assert.equal(again.statusCode, 409, again.body);
  assert.match(again.json().detail, /already has a product named "twice"/);
  const racing = await Promise.all(Array.from({ length: 6 }, () => logged.inject({ method: 'POST', url: '/api/v1/products', headers: { authorization: `Bearer ${admin}` }, payload: { name: 'race' } })));
  assert.deepEqual(racing.map((r) => r.statusCode).sort(), [201, 409, 409, 409, 409, 409]);
  // A full disk, as SQLite reports it: 507, nothing half-stored, the reason in the log.
  const full = Object.assign(new Error('database or disk is full'), { code: 'ERR_SQLITE_ERROR', errcode: 13 });
  const fullStore = { ...store, createProduct: async () => { throw full; } } as typeof store;
  const fullApp = await buildServer(fullStore, { logger: 'info', logStream });
  const r507 = await fullApp.inject({ method: 'POST', url: '/api/v1/products', headers: { authorization: `Bearer ${admin}` }, payload: { name: 'no-space' } });
  assert.equal(r507.statusCode, 507, r507.body);
  assert.equal(r507.headers['content-type'], 'application/problem+json; charset=utf-8');
  const records = lines.map((l) => JSON.parse(l) as { level: number; msg: string; reqId?: string; req?: { headers?: unknown } });
  assert.ok(records.some((r) => r.msg === 'refused: conflict' && r.level === 40));
  assert.ok(records.some((r) => r.msg.startsWith('storage full') && r.level === 50));
  assert.ok(records.every((r) => !JSON.stringify(r).includes(admin)), 'no token in the log');
  assert.ok(records.filter((r) => r.msg === 'incoming request').every((r) => r.reqId), 'every request has an id');
  assert.equal(again.headers['x-request-id'] !== undefined, true);
});

test('a release is withdrawn, its dates corrected, its facts recorded; bad changes are refused', async () => {
  const p = (await call('POST', '/api/v1/products', admin, { name: 'lifecycle' })).json();
  const sbom = JSON.parse(readFileSync(join(FIXTURES, 'sboms/laravel-7.12.0.cdx.json'), 'utf8'));
  const rel = (await call('POST', `/api/v1/products/${p.id}/releases?version=1.0.0`, admin, sbom)).json();
  assert.equal(rel.facts, null);
  const facts = { class: 'important-I', categories: ['Annex III 1.x: example'], conformityRoutes: ['B+C'], manufacturer: 'ACME', contact: 'psirt@acme.example', mainEstablishment: 'DE', memberStates: ['DE', 'FR'] };
  const changed = await call('PATCH', `/api/v1/releases/${rel.id}`, admin, { status: 'withdrawn', supportEnd: '2032-06', facts });
  assert.equal(changed.statusCode, 200, changed.body);
  assert.deepEqual([changed.json().status, changed.json().supportEnd, changed.json().facts], ['withdrawn', '2032-06', facts]);
  assert.equal((await call('PATCH', `/api/v1/releases/${rel.id}`, admin, { supportEnd: '2032-13' })).statusCode, 400);
  assert.equal((await call('PATCH', `/api/v1/releases/${rel.id}`, admin, { facts: { ...facts, extra: 1 } })).statusCode, 400);
  assert.equal((await call('PATCH', `/api/v1/releases/${rel.id}`, admin, {})).statusCode, 400);
  assert.equal((await call('PATCH', `/api/v1/releases/${rel.id}`, intruder, { status: 'on-market' })).statusCode, 404);
  // Withdrawn, but within its support period: still watched (the units sold are still in use).
  assert.ok((await store.releasesToWatch('2026-11', acme.id)).some((w) => w.release.id === rel.id));
  assert.ok(!(await store.releasesToWatch('2032-07', acme.id)).some((w) => w.release.id === rel.id));
});

test('a release dossier pushed from the product folder is kept, validated, and served as the same HTML file', async () => {
  const p = (await call('POST', '/api/v1/products', admin, { name: 'courier-robot' })).json();
  const sbom = JSON.parse(readFileSync(join(FIXTURES, 'sboms/laravel-7.12.0.cdx.json'), 'utf8'));
  const rel = (await call('POST', `/api/v1/products/${p.id}/releases?version=1.4.0`, admin, sbom)).json();
  assert.equal((await call('GET', `/api/v1/releases/${rel.id}/dossier`, viewer)).statusCode, 404);
  const db = join(mkdtempSync(join(tmpdir(), 'marque-dossier-db-')), 'a.sqlite');
  await importAdvisories(db, [join(FIXTURES, 'osv/pypa')]);
  const d = JSON.parse(JSON.stringify(await buildDossier({ dir: EXAMPLE, db })));
  const put = await call('PUT', `/api/v1/releases/${rel.id}/dossier`, admin, d);
  assert.equal(put.statusCode, 204, put.body);
  const got = (await call('GET', `/api/v1/releases/${rel.id}/dossier`, viewer)).json();
  assert.equal(got.dossier.digest, d.digest);
  assert.equal(got.pushedBy, 'lead@acme');
  const file = await call('GET', `/api/v1/releases/${rel.id}/dossier.html`, viewer);
  assert.equal(file.statusCode, 200);
  assert.match(String(file.headers['content-disposition']), /courier-robot-1\.4\.0-dossier\.html/);
  assert.ok(file.body.includes(d.digest) && file.body.includes('<section id="perimeter"'));
  // What could not render, or could carry a script, is refused.
  assert.equal((await call('PUT', `/api/v1/releases/${rel.id}/dossier`, admin, { ...d, checklist: 'none' })).statusCode, 400);
  const evil = { ...d, perimeter: { ...d.perimeter, svg: '<svg><script>alert(1)</script></svg>' } };
  const refused = await call('PUT', `/api/v1/releases/${rel.id}/dossier`, admin, evil);
  assert.equal(refused.statusCode, 400);
  assert.match(refused.json().detail, /active element/);
  assert.equal((await call('PUT', `/api/v1/releases/${rel.id}/dossier`, viewer, d)).statusCode, 403);
  assert.equal((await call('GET', `/api/v1/releases/${rel.id}/dossier`, intruder)).statusCode, 404);
});

test('an upload is read as a stream with a cap: past it, 413 before the rest is read, and nothing is stored', async () => {
  const small = await buildServer(store, { maxBodyBytes: 1024 * 1024 });
  const address = await small.listen({ port: 0, host: '127.0.0.1' });
  try {
    const p = (await call('POST', '/api/v1/products', admin, { name: 'capped' })).json();
    const { request } = await import('node:http');
    const url = new URL(`${address}/api/v1/products/${p.id}/releases?version=1.0.0`);
    // Chunked, so no Content-Length announces the size: the cap must count what arrives.
    const answer = await new Promise<{ status: number; type: string; body: string; sent: number }>((resolve, reject) => {
      let sent = 0;
      const req = request(url, { method: 'POST', headers: { authorization: `Bearer ${admin}`, 'content-type': 'application/json', 'transfer-encoding': 'chunked' } }, (res) => {
        let body = '';
        res.on('data', (c: Buffer) => { body += c.toString(); });
        res.on('end', () => resolve({ status: res.statusCode!, type: String(res.headers['content-type']), body, sent }));
      });
      req.on('error', reject);
      const chunk = Buffer.alloc(64 * 1024, 0x20);
      req.write('{"bomFormat":"CycloneDX","specVersion":"1.6","version":1,"components":[');
      const more = () => {
        while (sent < 16 * 1024 * 1024) {
          sent += chunk.length;
          if (!req.write(chunk)) { req.once('drain', more); return; }
        }
        req.end(']}');
      };
      req.on('response', () => { sent = -sent; });
      more();
    });
    assert.equal(answer.status, 413, answer.body);
    assert.match(answer.type, /application\/problem\+json/);
    assert.ok(!(await call('GET', '/api/v1/releases?limit=1000', admin)).json().some((r: { productId: string }) => r.productId === p.id));
  } finally {
    await small.close();
  }
});

test('marque serve --advisory-team NAME: on a server of two teams, only the named team\'s admin imports advisory data', async () => {
  const env = { ...process.env, MARQUE_CACHE_DIR: mkdtempSync(join(tmpdir(), 'marque-serve-teams-')) };
  delete (env as Record<string, string | undefined>)['MARQUE_ADVISORY_TEAMS'];
  const bin = join(ROOT, 'bin/marque.js');
  const tokenOf = (team: string) => { const r = spawnSync(process.execPath, [bin, 'token', 'create', '--team', team, '--role', 'admin'], { encoding: 'utf8', env }); assert.equal(r.status, 0, r.stderr); return r.stdout.trim(); };
  const acme = tokenOf('acme');
  const other = tokenOf('other');
  const advisories = join(env.MARQUE_CACHE_DIR, 'advisories.sqlite');
  await importAdvisories(advisories, [join(FIXTURES, 'kev/known_exploited_vulnerabilities.json')]);
  const server = spawn(process.execPath, [bin, 'serve', '--port', '0', '--db', advisories, '--offline', '--advisory-team', 'acme'], { env, stdio: ['ignore', 'ignore', 'pipe'] });
  try {
    const address = await new Promise<string>((resolve, reject) => {
      let err = '';
      server.stderr.on('data', (d: Buffer) => { err += d.toString(); const m = /(http:\/\/127\.0\.0\.1:\d+)\/api\/v1/.exec(err); if (m) resolve(m[1]!); });
      server.on('exit', () => reject(new Error(err)));
    });
    const ghsa = readFileSync(join(FIXTURES, 'osv/ghsa', readdirSync(join(FIXTURES, 'osv/ghsa')).find((f) => f.endsWith('.json'))!), 'utf8');
    const importAs = (token: string) => fetch(`${address}/api/v1/advisories?name=advisory.json`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: ghsa });
    const refused = await importAs(other);
    assert.equal(refused.status, 403, await refused.text());
    assert.equal((await importAs(acme)).status, 200);
  } finally {
    server.kill();
  }
});
