// GET /api/v1/assessments on both stores: the queried purl is read as the library reads it ("attest verify
// --component": the epoch qualifier counts, a PyPI name in PEP 503 form), and a stored envelope the current parser refuses (kept before it
// grew stricter: a key written twice, a payload that is not UTF-8, base64 that is not canonical) is one row
// listed as not valid, with the reason, not a 500 that hides every other row.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { buildServer } from '../src/server/app.ts';
import { PG_URL, storeAdapters } from './helpers/postgres.ts';
import { PAYLOAD_TYPE, toStatement, type Assessment } from '../src/attest/assessment.ts';
import { signEnvelope } from '../src/attest/dsse.ts';
import { envelopeDigest } from '../src/attest/store.ts';

const { reachable, adapters } = await storeAdapters();
const auditor = generateKeyPairSync('ed25519');
const pem = auditor.publicKey.export({ type: 'spki', format: 'pem' }) as string;

const openssl: Assessment = {
  component: 'pkg:rpm/fedora/openssl', range: { from: '8.0', before: '8.7' },
  context: 'MARK', uses: ['gateway'], method: ['review'],
  checks: [{ name: 'no known exploitable vulnerabilities', result: 'pass' }],
  assessor: { name: 'crypto review board' }, date: '2026-10-01T00:00:00Z', expires: '2099-10-01T00:00:00Z',
};
const statementText = (a: Assessment) => JSON.stringify(toStatement(a));
const sign = (bytes: Buffer) => signEnvelope(PAYLOAD_TYPE, bytes, auditor.privateKey);

/** Envelopes the route accepted before today's stricter reading, each signed by the trusted key. */
function stale() {
  const text = statementText({ ...openssl, range: { from: '1.0', before: '2.0' } });
  const duplicate = sign(Buffer.from(text.replace('{', '{"_type":"https://example.invalid/other",')));
  const at = text.indexOf('MARK');
  const notUtf8 = sign(Buffer.concat([Buffer.from(text.slice(0, at)), Buffer.from([0xff]), Buffer.from(text.slice(at + 4))]));
  // The same signature bytes, its last base64 character with unused bits set: Node decodes it alike, so it still verifies.
  const good = sign(Buffer.from(statementText({ ...openssl, range: { from: '2.0', before: '3.0' } })));
  const sig = good.signatures[0]!.sig;
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
  const last = sig.length - 3; // an Ed25519 signature is 64 bytes: 88 characters ending "=="
  const loose = { ...good, signatures: [{ keyid: good.signatures[0]!.keyid, sig: sig.slice(0, last) + alphabet[alphabet.indexOf(sig[last]!) | 1] + sig.slice(last + 1) }] };
  assert.equal(Buffer.from(loose.signatures[0]!.sig, 'base64').toString('base64'), sig, 'the same bytes');
  assert.notEqual(loose.signatures[0]!.sig, sig);
  return { duplicate, notUtf8, loose };
}

for (const [name, open] of adapters) {
  test(`${name}: assessments listed by purl read the epoch qualifier, and stored envelopes refused today are listed as not valid`, async (t) => {
    if (name === 'postgres' && !reachable) { t.skip(`PostgreSQL not reachable at ${PG_URL}`); return; }
    const store = await open();
    await store.migrate();
    const app = await buildServer(store, { logger: false });
    try {
      const team = await store.createTeam(`assess-${name}`);
      const admin = (await store.createToken(team.id, 'admin', 'lead')).token;
      const call = (method: 'GET' | 'POST', url: string, payload?: unknown) => app.inject({ method, url, headers: { authorization: `Bearer ${admin}` }, ...(payload ? { payload: payload as object } : {}) });
      assert.equal((await call('POST', '/api/v1/keys', { name: 'board', publicKey: pem })).statusCode, 201);
      const kept = await call('POST', '/api/v1/assessments', sign(Buffer.from(statementText(openssl))));
      assert.equal(kept.statusCode, 201, kept.body);
      const list = async (purl?: string) => {
        const r = await call('GET', `/api/v1/assessments${purl ? `?component=${encodeURIComponent(purl)}` : ''}`);
        assert.equal(r.statusCode, 200, r.body);
        return r.json() as { digest: string; valid: boolean; trusted: boolean; reason?: string }[];
      };

      // Finding 1: 8.6.0-1 is inside [8.0, 8.7); with epoch 1 it is 1:8.6.0-1, past every epoch-0 version.
      assert.equal((await list('pkg:rpm/fedora/openssl@8.6.0-1')).length, 1);
      assert.deepEqual(await list('pkg:rpm/fedora/openssl@8.6.0-1?epoch=1'), [], 'epoch 1 is past the range');
      assert.equal((await list('pkg:rpm/fedora/openssl@8.6.0-1?epoch=0')).length, 1);
      assert.equal((await list('pkg:rpm/fedora/openssl@9.0-1')).length, 0);
      assert.equal((await list('pkg:rpm/fedora/openssl')).length, 1, 'no version: every assessment of the component');
      assert.equal((await call('GET', `/api/v1/assessments?component=${encodeURIComponent('not a purl')}`)).statusCode, 400);
      // One identity rule with the library: a PyPI project is found however its name is spelt (PEP 503).
      const zope = await call('POST', '/api/v1/assessments', sign(Buffer.from(statementText({ ...openssl, component: 'pkg:pypi/zope.interface', range: { from: '5.0', before: '6.0' } }))));
      assert.equal(zope.statusCode, 201, zope.body);
      assert.deepEqual((await list('pkg:pypi/zope-interface@5.5.0')).map((r) => r.digest), [zope.json().digest]);
      assert.deepEqual((await list('pkg:pypi/Zope_Interface@5.5.0')).map((r) => r.digest), [zope.json().digest]);
      assert.deepEqual(await list('pkg:pypi/zope-interface@6.0'), []);
      assert.deepEqual(await list('pkg:pypi/zope-interface-extra@5.5.0'), []);

      // Finding 2: rows kept before the parser grew stricter, put in the store as an older server kept them.
      const { duplicate, notUtf8, loose } = stale();
      for (const env of [duplicate, notUtf8, loose]) await store.putAssessment(team.id, envelopeDigest(env), 'pkg:rpm/fedora/openssl', env);
      for (const purl of [undefined, 'pkg:rpm/fedora/openssl', 'pkg:rpm/fedora/openssl@8.6.0-1']) {
        const rows = (await list(purl)).filter((r) => r.digest !== zope.json().digest);
        assert.equal(rows.length, 4, `${purl}: ${JSON.stringify(rows.map((r) => r.reason))}`);
        const good = rows.find((r) => r.digest === kept.json().digest)!;
        assert.equal(good.valid, true);
        assert.equal(good.trusted, true);
        const why = (env: { payload: string }) => rows.find((r) => r.digest === envelopeDigest(env as never))!;
        for (const [env, reason] of [[duplicate, /names "_type" twice/], [notUtf8, /payload: .*(utf-8|UTF-8|encoded)/i], [loose, /signature is not valid base64/]] as const) {
          const row = why(env);
          assert.equal(row.valid, false, JSON.stringify(row));
          assert.equal(row.trusted, false);
          assert.match(row.reason!, /^not a valid assessment: /);
          assert.match(row.reason!, reason);
        }
      }
    } finally {
      await app.close();
    }
  });
}
