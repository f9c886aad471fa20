// The manufacturer's CSAF advisories end to end, on the example robot: "marque advisory draft" for
// CVE-2024-3651 (idna 3.6 in courier-robot 1.4.0, fixed by 1.5.0), both documents checked with BSI's
// csaf-validator-lib (schema, mandatory tests 6.1, recommended tests 6.2); "marque advisory publish"
// to a running "marque serve --csaf-team", and the provider layout fetched and checked against the
// requirements of CSAF 2.0 §7.1 (a CSAF trusted provider, §7.2.3); the store on both adapters.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { validateCsaf } from '../src/formats/csaf/validate.ts';
import { verifyDetached } from '../src/formats/csaf/openpgp.ts';
import { portfolioStore } from '../src/server/store/portfolio.ts';
import { sqliteSql } from '../src/server/store/sqlite.ts';
import { postgresSql } from '../src/server/store/postgres.ts';
import type { PortfolioStore } from '../src/server/store/store.ts';
import { EXAMPLE, FIXTURES, ROOT } from './helpers/paths.ts';
import { BIN, startServer, stop } from './helpers/serve.ts';
import { dropSchemaAfter, PG_URL, postgresReachable } from './helpers/postgres.ts';

type Json = Record<string, any>;
const dir = mkdtempSync(join(tmpdir(), 'marque-csaf-'));
const db = join(dir, 'advisories.sqlite');
const cache = join(dir, 'cache');
const env = { ...process.env, MARQUE_CACHE_DIR: cache };
const marque = (...args: string[]) => { const r = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', env: { ...env, ...(args[0] === 'advisory' && args[1] === 'publish' ? { MARQUE_TOKEN: token } : {}) } }); return { code: r.status, out: r.stdout, err: r.stderr }; };
let token = '';
const drafts = join(dir, 'drafts');

test('advisory draft: a security advisory and a VEX document of the example robot, valid under every CSAF test that applies', async () => {
  assert.equal(marque('db', 'import', join(FIXTURES, 'osv/pypa'), join(FIXTURES, 'kev/known_exploited_vulnerabilities.json'), '--db', db).code, 0);
  const r = marque('advisory', 'draft', 'CVE-2024-3651', EXAMPLE, '--fixed', join(ROOT, 'examples', 'courier-robot-1.5'), '--db', db, '-o', drafts, '--json');
  assert.equal(r.code, 0, r.err);
  const files = readdirSync(drafts).sort();
  assert.deepEqual(files, ['courier-robot-cve-2024-3651-vex.json', 'courier-robot-cve-2024-3651.json'], 'file names by CSAF §5.1');
  for (const f of files) {
    const doc: Json = JSON.parse(readFileSync(join(drafts, f), 'utf8'));
    const v = await validateCsaf(doc, { recommended: true });
    assert.deepEqual(v.errors, [], f);
    assert.deepEqual(v.warnings, [], `${f}: the recommended tests (6.2) pass too`);
    assert.equal(doc.document.tracking.status, 'draft');
    assert.equal(doc.vulnerabilities[0].cve, 'CVE-2024-3651');
    assert.deepEqual(doc.vulnerabilities[0].product_status.fixed, ['CSAFPID-0002']);
    assert.match(doc.vulnerabilities[0].remediations[0].details, /Update courier-robot to 1\.5\.0: its components no longer include the affected version \(pkg:pypi\/idna@3\.6\)/);
    assert.equal(doc.vulnerabilities[0].scores[0].cvss_v3.baseScore, 7.5);
  }
  assert.equal(JSON.parse(readFileSync(join(drafts, files[0]!), 'utf8')).document.category, 'csaf_vex');
  // A "fixed" release that still carries it is refused; so is a vulnerability the product does not have.
  assert.match(marque('advisory', 'draft', 'CVE-2024-3651', EXAMPLE, '--fixed', EXAMPLE, '--db', db).err, /still carries CVE-2024-3651/);
  assert.equal(marque('advisory', 'draft', 'CVE-2021-44228', EXAMPLE, '--db', db).code, 2);
});

test('security-txt from marque.yaml: Contact, Expires, CSAF', () => {
  const r = marque('advisory', 'security-txt', EXAMPLE, '--provider', 'https://csaf.example-robotics.invalid', '--now', '2026-12-01T00:00:00Z');
  assert.equal(r.code, 0, r.err);
  assert.match(r.out, /^Contact: mailto:psirt@example-robotics\.invalid$/m);
  assert.match(r.out, /^Expires: 2027-12-01T00:00:00Z$/m);
  assert.match(r.out, /^CSAF: https:\/\/csaf\.example-robotics\.invalid\/\.well-known\/csaf\/provider-metadata\.json$/m);
  writeFileSync(join(dir, 'security.txt'), r.out);
  assert.equal(marque('advisory', 'security-txt', EXAMPLE, '--provider', 'http://plain.invalid').code, 2, 'CSAF §7.1.8: https only');
});

test('publish to a running server; the provider layout meets CSAF 2.0 §7.1 for a trusted provider', async () => {
  const data = join(dir, 'server');
  const made = spawnSync(process.execPath, [BIN, 'token', 'create', '--team', 'example-robotics', '--role', 'editor', '--data', data], { encoding: 'utf8', env });
  assert.equal(made.status, 0, made.stderr);
  token = made.stdout.trim();
  const PUBLIC = 'https://csaf.example-robotics.invalid';
  const server = await startServer(['--data', data, '--db', db, '--rematch-every', '0', '--csaf-team', 'example-robotics', '--public-url', PUBLIC, '--security-txt', join(dir, 'security.txt')], env);
  try {
    const pub = marque('advisory', 'publish', join(drafts, 'courier-robot-cve-2024-3651.json'), '--server', server.address, '--json');
    assert.equal(pub.code, 0, pub.err);
    assert.equal(marque('advisory', 'publish', join(drafts, 'courier-robot-cve-2024-3651-vex.json'), '--server', server.address).code, 0);
    // Req. 4 (TLP:WHITE freely accessible) and 6 (no redirects): no token, redirects refused.
    const get = async (path: string) => { const r = await fetch(`${server.address}${path}`, { redirect: 'error' }); assert.equal(r.status, 200, `${path}: ${r.status}`); return r; };
    const local = (url: string) => { assert.ok(url.startsWith(`${PUBLIC}/`), url); return url.slice(PUBLIC.length); };
    // Req. 7 and 9: provider-metadata.json at the well-known URL.
    const meta: Json = await (await get('/.well-known/csaf/provider-metadata.json')).json();
    assert.equal(meta.canonical_url, `${PUBLIC}/.well-known/csaf/provider-metadata.json`);
    assert.equal(meta.role, 'csaf_trusted_provider');
    assert.equal(meta.metadata_version, '2.0');
    for (const k of ['last_updated', 'list_on_CSAF_aggregators', 'mirror_on_CSAF_aggregators', 'publisher']) assert.ok(k in meta, k);
    assert.equal(meta.publisher.name, 'Example Robotics GmbH');
    // Req. 8: security.txt with the CSAF field pointing to it.
    assert.match(await (await get('/.well-known/security.txt')).text(), /^CSAF: https:\/\/csaf\.example-robotics\.invalid\/\.well-known\/csaf\/provider-metadata\.json$/m);
    // Req. 15 (and 16): one ROLIE feed for TLP:WHITE, listing each document with its hashes and signature.
    const feedUrl = meta.distributions[0].rolie.feeds[0];
    assert.equal(feedUrl.tlp_label, 'WHITE');
    const feed: Json = (await (await get(local(feedUrl.url))).json()).feed;
    assert.equal(feed.entry.length, 2);
    assert.ok((await (await get(local(meta.distributions[0].rolie.services[0]))).json()).service.workspace[0].collection[0].href === feedUrl.url);
    // Req. 12 and 13: index.txt and changes.csv; req. 11: one folder per year of initial_release_date.
    const index = (await (await get('/.well-known/csaf/white/index.txt')).text()).trim().split('\n').sort();
    const year = new Date().getUTCFullYear();
    assert.deepEqual(index, [`${year}/courier-robot-cve-2024-3651-vex.json`, `${year}/courier-robot-cve-2024-3651.json`]);
    const changes = (await (await get('/.well-known/csaf/white/changes.csv')).text()).trim().split('\n');
    assert.equal(changes.length, 2);
    const dates = changes.map((l) => /^"[^"]+","([^"]+)"$/.exec(l)![1]!);
    assert.deepEqual([...dates].sort().reverse(), dates, 'newest first');
    // Req. 14: directory listings.
    assert.match(await (await get('/.well-known/csaf/white/')).text(), new RegExp(`href="${year}/"`));
    assert.match(await (await get(`/.well-known/csaf/white/${year}/`)).text(), /courier-robot-cve-2024-3651\.json\.asc/);
    // Req. 20: the public key, by fingerprint.
    const key = meta.public_openpgp_keys[0];
    assert.match(key.fingerprint, /^[0-9A-F]{40,}$/);
    const publicKey = await (await get(local(key.url))).text();
    for (const entry of feed.entry) {
      const self = entry.link.find((l: Json) => l.rel === 'self').href;
      const text = await (await get(local(self))).text();
      const doc = JSON.parse(text);
      // Req. 1 and 2: a valid document under its CSAF file name, published final.
      assert.deepEqual((await validateCsaf(doc)).errors, []);
      assert.equal(doc.document.tracking.status, 'final');
      assert.ok(self.endsWith(`/${year}/${doc.document.tracking.id}.json`));
      assert.equal(doc.document.references.find((r: Json) => r.category === 'self').url, self, 'canonical URL');
      // Req. 18: hash files, listed in the feed; req. 19: the signature verifies with the key of req. 20.
      const hashes = entry.link.filter((l: Json) => l.rel === 'hash').map((l: Json) => l.href);
      assert.deepEqual(hashes.map((h: string) => h.slice(self.length)), ['.sha256', '.sha512']);
      for (const alg of ['sha256', 'sha512']) assert.equal((await (await get(local(`${self}.${alg}`))).text()).split(/\s+/)[0], createHash(alg).update(text).digest('hex'));
      const sig = await (await get(local(entry.link.find((l: Json) => l.rel === 'signature').href))).text();
      assert.ok(await verifyDetached(text, sig, publicKey));
      assert.equal(await verifyDetached(`${text} `, sig, publicKey), false, 'a changed byte breaks it');
    }
    // Req. 5: TLP:AMBER is refused (this provider has no access-protected path); writing needs a token.
    const amber = JSON.parse(readFileSync(join(drafts, 'courier-robot-cve-2024-3651.json'), 'utf8'));
    amber.document.distribution.tlp.label = 'AMBER';
    writeFileSync(join(dir, 'amber.json'), JSON.stringify(amber));
    assert.match(marque('advisory', 'publish', join(dir, 'amber.json'), '--server', server.address).err, /only TLP:WHITE/);
    assert.equal((await fetch(`${server.address}/api/v1/csaf/documents`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"document":{}}' })).status, 401);
    // An invalid document is refused with the failing tests named (req. 1).
    const broken = JSON.parse(readFileSync(join(drafts, 'courier-robot-cve-2024-3651.json'), 'utf8'));
    broken.vulnerabilities[0].product_status.known_affected = ['CSAFPID-9999'];
    writeFileSync(join(dir, 'broken.json'), JSON.stringify(broken));
    assert.match(marque('advisory', 'publish', join(dir, 'broken.json'), '--server', server.address).err, /not a valid CSAF 2\.0 document.*mandatoryTest_6_1_1/);
  } finally {
    await stop(server);
  }
});

// The store's CSAF tables on both adapters.
const schema = `marque_csaf_${process.pid}_${Math.random().toString(36).slice(2, 8)}`;
const reachable = await postgresReachable();
dropSchemaAfter(schema, reachable);
const ADAPTERS: [string, () => Promise<PortfolioStore>][] = [
  ['sqlite', async () => portfolioStore(sqliteSql(join(mkdtempSync(join(tmpdir(), 'marque-csaf-store-')), 'marque.sqlite')))],
  ['postgres', async () => portfolioStore(await postgresSql(PG_URL, schema))],
];
for (const [name, open] of ADAPTERS) {
  test(`${name}: CSAF documents replace by tracking id, newest first; the first signing key stays`, async (t) => {
    if (name === 'postgres' && !reachable) { t.skip(`PostgreSQL not reachable at ${PG_URL} (.ci/run starts it)`); return; }
    const store = await open();
    try {
      await store.migrate();
      const team = await store.createTeam('t');
      const row = (id: string, at: string) => ({ trackingId: id, filename: `${id}.json`, year: at.slice(0, 4), tlp: 'WHITE', text: `{"id":"${id}"}`, sha256: 'a', sha512: 'b', signature: 's', currentReleaseDate: at, publishedAt: at });
      await store.putCsafDocument(team.id, row('a', '2026-01-01T00:00:00Z'));
      await store.putCsafDocument(team.id, row('b', '2026-02-01T00:00:00Z'));
      await store.putCsafDocument(team.id, { ...row('a', '2026-03-01T00:00:00Z'), text: 'v2' });
      const docs = await store.csafDocuments(team.id);
      assert.deepEqual(docs.map((d) => [d.trackingId, d.text]), [['a', 'v2'], ['b', '{"id":"b"}']]);
      assert.deepEqual(await store.csafDocuments((await store.createTeam('other')).id), [], 'tenants apart');
      assert.equal(await store.csafKey(team.id), undefined);
      const k1 = await store.putCsafKey(team.id, { privateKey: 'p1', publicKey: 'P1', fingerprint: 'F1', createdAt: 'now' });
      const k2 = await store.putCsafKey(team.id, { privateKey: 'p2', publicKey: 'P2', fingerprint: 'F2', createdAt: 'now' });
      assert.equal(k1.fingerprint, 'F1');
      assert.equal(k2.fingerprint, 'F1', 'a second key does not replace the first');
    } finally { await store.close(); }
  });
}
