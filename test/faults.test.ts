// Faults on real server processes: kill -9 during an SBOM ingest or a one-request push leaves no
// half-written release (on both stores), and kill -9 during a re-match on PostgreSQL hands the work
// on: pg-boss gives the dead server's jobs to another when their heartbeat stops, and every finding
// is announced once.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { PG_URL, postgresReachable } from './helpers/postgres.ts';
import { sqliteSql } from '../src/server/store/sqlite.ts';
import { postgresSql } from '../src/server/store/postgres.ts';
import { portfolioStore } from '../src/server/store/portfolio.ts';
import type { Sql } from '../src/server/store/sql.ts';
import { importAdvisories } from '../src/api/advisories.ts';
import { BIN, killHard, startServer, stop, syntheticSbom, until } from './helpers/serve.ts';

const SCHEMA = `marque_faults_${process.pid}`;
const pgUp = await postgresReachable();
after(async () => {
  if (!pgUp) return;
  const c = new pg.Client({ connectionString: PG_URL });
  await c.connect();
  for (const s of [`${SCHEMA}_ingest`, `${SCHEMA}_ingest_jobs`, `${SCHEMA}_rematch`, `${SCHEMA}_rematch_jobs`, `${SCHEMA}_push`, `${SCHEMA}_push_jobs`]) await c.query(`drop schema if exists ${s} cascade`);
  await c.end();
});

/** Releases whose stored component rows differ from the count the release says it has: must be none. */
async function halfWritten(sql: Sql): Promise<string[]> {
  const rows = await sql.all('select r.version, r.component_count, (select count(*) from release_component c where c.release_id = r.id) as n from release r');
  return rows.filter((r) => Number(r['n']) !== Number(r['component_count'])).map((r) => `${String(r['version'])}: ${String(r['n'])} of ${String(r['component_count'])}`);
}

for (const adapter of ['sqlite', 'postgres'] as const) {
  test(`${adapter}: kill -9 during SBOM ingests leaves every release whole or absent; the next server takes uploads`, async (t) => {
    if (adapter === 'postgres' && !pgUp) { t.skip(`PostgreSQL not reachable at ${PG_URL} (.ci/run starts it)`); return; }
    const cache = mkdtempSync(join(tmpdir(), 'marque-faults-'));
    const where = adapter === 'sqlite' ? ['--data', join(cache, 'server')] : ['--database', PG_URL, '--schema', `${SCHEMA}_ingest`];
    const env = { ...process.env, MARQUE_CACHE_DIR: cache };
    const made = spawnSync(process.execPath, [BIN, 'token', 'create', '--team', 'acme', '--role', 'editor', ...where], { encoding: 'utf8', env });
    assert.equal(made.status, 0, made.stderr);
    const auth = { authorization: `Bearer ${made.stdout.trim()}`, 'content-type': 'application/json' };
    const open = async (): Promise<Sql> => (adapter === 'sqlite' ? sqliteSql(join(cache, 'server', 'marque.sqlite')) : postgresSql(PG_URL, `${SCHEMA}_ingest`));
    let server = await startServer(where, env);
    const product = await (await fetch(`${server.address}/api/v1/products`, { method: 'POST', headers: auth, body: JSON.stringify({ name: 'robot' }) })).json() as { id: string };
    let interrupted = 0;
    try {
      // One upload timed whole, then kills spread over that time: parsing, validation and the write.
      const t0 = performance.now();
      const whole = await fetch(`${server.address}/api/v1/products/${product.id}/releases`, { method: 'POST', headers: auth, body: JSON.stringify(syntheticSbom(20_000, '0.9.0')) });
      assert.equal(whole.status, 201, await whole.text());
      const took = performance.now() - t0;
      t.diagnostic(`a 20,000-component upload takes ${took.toFixed(0)} ms`);
      for (const [i, delay] of [0.1, 0.3, 0.5, 0.7, 0.85, 0.95].map((f) => Math.round(f * took)).entries()) {
        const body = JSON.stringify(syntheticSbom(20_000, `1.0.${i}`));
        const upload = fetch(`${server.address}/api/v1/products/${product.id}/releases`, { method: 'POST', headers: auth, body }).then((r) => r.status, () => 'killed');
        await new Promise((r) => setTimeout(r, delay));
        await killHard(server);
        if ((await upload) === 'killed') interrupted++;
        const sql = await open();
        try { assert.deepEqual(await halfWritten(sql), [], `after a kill ${delay} ms into an upload`); } finally { await sql.close(); }
        server = await startServer(where, env);
      }
      t.diagnostic(`${interrupted} of 6 uploads killed before their answer`);
      assert.ok(interrupted >= 1, 'at least one kill landed before the upload was answered');
      const done = await fetch(`${server.address}/api/v1/products/${product.id}/releases`, { method: 'POST', headers: auth, body: JSON.stringify(syntheticSbom(2_000, '2.0.0')) });
      assert.equal(done.status, 201, await done.text());
      const sql = await open();
      try { assert.deepEqual(await halfWritten(sql), []); } finally { await sql.close(); }
    } finally {
      await stop(server);
    }
  });
}

/** Releases a push left without what it carried (components, facts or dossier): must be none. */
async function incompletePushes(sql: Sql): Promise<string[]> {
  const rows = await sql.all(`select r.version, r.component_count, r.facts, (select count(*) from release_component c where c.release_id = r.id) as n,
    (select count(*) from release_dossier d where d.release_id = r.id) as dossiers from release r where r.version like 'push-%'`);
  return rows.filter((r) => Number(r['n']) !== Number(r['component_count']) || !r['facts'] || Number(r['dossiers']) !== 1).map((r) => String(r['version']));
}

const FACTS = { class: 'default', categories: [], conformityRoutes: ['A'], manufacturer: 'ACME', contact: 'psirt@acme.example', mainEstablishment: 'DE', memberStates: ['DE'] };
const DOSSIER = {
  generatedAt: '2026-11-26T00:00:00.000Z', generator: 'Marque test', product: { name: 'robot', version: '1' },
  profile: { scope: { inScope: true, reasons: [] }, role: 'manufacturer', class: 'default', categories: [], conformityRoutes: [], obligations: [], uncertainties: [], notes: [], dates: [], wouldChange: [], penalties: [] },
  support: { periodEnd: null, placedOnMarket: null, platforms: [] }, sbom: { missing: 'test' }, findings: { missing: 'test' }, checklist: [],
  perimeter: { missing: 'test' }, assessments: { missing: 'test' }, inputs: [], digest: 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
};

for (const adapter of ['sqlite', 'postgres'] as const) {
  test(`${adapter}: kill -9 during one-request pushes leaves each release whole (SBOM, facts, dossier) or absent; pushing again finishes it`, async (t) => {
    if (adapter === 'postgres' && !pgUp) { t.skip(`PostgreSQL not reachable at ${PG_URL} (.ci/run starts it)`); return; }
    const cache = mkdtempSync(join(tmpdir(), 'marque-faults-push-'));
    const where = adapter === 'sqlite' ? ['--data', join(cache, 'server')] : ['--database', PG_URL, '--schema', `${SCHEMA}_push`];
    const env = { ...process.env, MARQUE_CACHE_DIR: cache };
    const made = spawnSync(process.execPath, [BIN, 'token', 'create', '--team', 'acme', '--role', 'editor', ...where], { encoding: 'utf8', env });
    assert.equal(made.status, 0, made.stderr);
    const auth = { authorization: `Bearer ${made.stdout.trim()}`, 'content-type': 'application/json' };
    const open = async (): Promise<Sql> => (adapter === 'sqlite' ? sqliteSql(join(cache, 'server', 'marque.sqlite')) : postgresSql(PG_URL, `${SCHEMA}_push`));
    const body = (version: string) => JSON.stringify({ product: 'robot', version, supportEnd: '2031-12', facts: FACTS, sbom: syntheticSbom(5_000, version), dossier: DOSSIER });
    const push = (s: { address: string }, version: string) => fetch(`${s.address}/api/v1/releases`, { method: 'POST', headers: auth, body: body(version) });
    let server = await startServer([...where, '--log-level', 'silent'], env);
    let interrupted = 0;
    try {
      const t0 = performance.now();
      const whole = await push(server, 'push-whole');
      assert.equal(whole.status, 201, await whole.text());
      const took = performance.now() - t0;
      t.diagnostic(`a 5,000-component push with facts and dossier takes ${took.toFixed(0)} ms`);
      const versions: string[] = [];
      for (const [i, delay] of [0.1, 0.3, 0.5, 0.7, 0.85, 0.95].map((f) => Math.round(f * took)).entries()) {
        const version = `push-${i}`;
        versions.push(version);
        const answer = push(server, version).then((r) => r.status, () => 'killed');
        await new Promise((r) => setTimeout(r, delay));
        await killHard(server);
        if ((await answer) === 'killed') interrupted++;
        const sql = await open();
        try { assert.deepEqual(await incompletePushes(sql), [], `after a kill ${delay} ms into a push`); } finally { await sql.close(); }
        server = await startServer([...where, '--log-level', 'silent'], env);
      }
      t.diagnostic(`${interrupted} of 6 pushes killed before their answer`);
      assert.ok(interrupted >= 1, 'at least one kill landed before the push was answered');
      // Pushing each again: the ones that landed are recognised (200), the others placed now (201).
      for (const version of versions) {
        const again = await push(server, version);
        assert.ok(again.status === 200 || again.status === 201, `${version}: ${again.status} ${await again.text()}`);
      }
      const sql = await open();
      try {
        assert.deepEqual(await incompletePushes(sql), []);
        assert.equal((await sql.all("select count(*) as n from release where version like 'push-%'"))[0]!['n'], adapter === 'sqlite' ? 7 : '7');
      } finally { await sql.close(); }
    } finally {
      await stop(server);
    }
  });
}

test('postgres: kill -9 during re-match jobs (pg-boss): another server retries them within a minute, each finding announced once', async (t) => {
  if (!pgUp) { t.skip(`PostgreSQL not reachable at ${PG_URL} (.ci/run starts it)`); return; }
  const cache = mkdtempSync(join(tmpdir(), 'marque-faults-'));
  // Advisories for one package name in ten: every release has 100 findings.
  const osv = join(cache, 'osv');
  mkdirSync(osv);
  for (let i = 0; i < 1000; i += 10) writeFileSync(join(osv, `F-${i}.json`), JSON.stringify({ id: `F-${i}`, modified: '2026-11-01T00:00:00Z', affected: [{ package: { ecosystem: 'npm', name: `pkg${i}` }, ranges: [{ type: 'SEMVER', events: [{ introduced: '0' }, { fixed: '2.0.0' }] }] }] }));
  const advisories = join(cache, 'advisories.sqlite');
  await importAdvisories(advisories, [osv]);
  const schema = `${SCHEMA}_rematch`;
  const store = portfolioStore(await postgresSql(PG_URL, schema));
  await store.migrate();
  const team = await store.createTeam('acme');
  const product = await store.createProduct(team.id, 'robot');
  const components = Array.from({ length: 1000 }, (_, i) => ({ purl: `pkg:npm/pkg${i}@1.0.0`, name: `pkg${i}`, version: '1.0.0', ecosystem: 'npm', depth: 1, scope: 'runtime' as const }));
  const RELEASES = 120;
  // Releases stored but never matched: each is pending a full match, which a server queues as one job per release.
  for (let i = 0; i < RELEASES; i++) await store.createRelease(team.id, { productId: product.id, version: `1.0.${i}`, supportEnd: '2031-12', components });
  const sql = await postgresSql(PG_URL, schema);
  const matched = async () => Number((await sql.all('select count(*) as n from release where matched_with is not null'))[0]!['n']);
  // The releases whose job a server holds (pg-boss's job table, in the queue's schema beside the store's).
  const running = async () => (await sql.all(`select singleton_key from ${schema}_jobs.job where name = 'marque-match' and state = 'active'`)).map((r) => String(r['singleton_key']));
  const env = { ...process.env, MARQUE_CACHE_DIR: cache, MARQUE_JOB_HEARTBEAT_SECONDS: '10' };
  const args = ['--database', PG_URL, '--schema', schema, '--db', advisories, '--log-level', 'silent'];
  const first = await startServer(args, env);
  let second;
  try {
    // Killed while it holds jobs: after its first matches, as soon as a batch is taken.
    assert.ok(await until(async () => (await matched()) >= 1 && (await running()).length >= 1, 120_000, 20), `the first server matched and holds jobs: ${await matched()} matched`);
    await killHard(first);
    const killed = Date.now();
    const held = (await running()).filter(Boolean);
    const atKill = await matched();
    t.diagnostic(`killed with ${atKill} of ${RELEASES} releases matched, ${held.length} held in running jobs`);
    assert.ok(atKill < RELEASES, 'killed before the re-match finished');
    assert.ok(held.length >= 1, 'the dead server held jobs');
    // The second server takes the waiting jobs at once, and the dead one's when its heartbeat is missed.
    second = await startServer(args, env);
    const inList = held.map(() => '?').join(', ');
    // Resumed: each held release is matched, or a job for it runs again (started after the kill, on the live server).
    const heldResumed = async () => Number((await sql.all(`select count(*) as n from release r where r.id in (${inList}) and (r.matched_with is not null
      or exists (select 1 from ${schema}_jobs.job j where j.name = 'marque-match' and j.singleton_key = r.id and j.state = 'active' and j.started_on > to_timestamp(?)))`, [...held, killed / 1000]))[0]!['n']) === held.length;
    assert.ok(await until(heldResumed, 120_000, 200), 'the jobs the dead server held were taken again');
    const resumed = Date.now() - killed;
    const heldDone = async () => Number((await sql.all(`select count(*) as n from release where matched_with is not null and id in (${inList})`, held))[0]!['n']) === held.length;
    assert.ok(await until(heldDone, 180_000, 200), 'the releases the dead server held were matched');
    t.diagnostic(`the dead server's jobs were taken again ${resumed} ms after the kill (heartbeat ${env.MARQUE_JOB_HEARTBEAT_SECONDS} s), and done ${Date.now() - killed} ms after it`);
    assert.ok(resumed < 60_000, `resumed within a minute (took ${resumed} ms)`);
    assert.ok(await until(async () => (await matched()) === RELEASES, 180_000, 200), `every release matched: ${await matched()}`);
    const rows = await store.portfolio(team.id);
    assert.equal(rows.filter((r) => r.openFindings === 100).length, RELEASES, 'every release matched');
    const events = await store.events(team.id, 0, 100_000);
    assert.equal(events.length, RELEASES * 100, 'each finding announced once, none twice');
  } finally {
    await killHard(first);
    if (second) await stop(second);
    await sql.close();
    await store.close();
  }
});
