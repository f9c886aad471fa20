// Background work on pg-boss: two servers on one PostgreSQL share the queue and never run a job
// twice; the embedded runner runs the same handlers on timers.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { inProcessJobs, pgBossJobs } from '../src/server/jobs.ts';
import { dropSchemaAfter, PG_URL, postgresReachable } from './helpers/postgres.ts';

const schema = `marque_jobs_test_${process.pid}`;
const pgUp = await postgresReachable();
dropSchemaAfter(schema, pgUp);

const until = async (cond: () => boolean, ms: number) => { const end = Date.now() + ms; while (!cond() && Date.now() < end) await new Promise((r) => setTimeout(r, 50)); };

test('two servers on one PostgreSQL: a job asked for runs once, on one of them', async (t) => {
  if (!pgUp) { t.skip(`PostgreSQL not reachable at ${PG_URL} (.ci/run starts it)`); return; }
  let runs = 0;
  const handlers = { rematch: async () => { runs++; await new Promise((r) => setTimeout(r, 200)); }, deliver: async () => {} };
  const a = pgBossJobs(PG_URL, handlers, { rematch: null, deliver: null }, schema);
  const b = pgBossJobs(PG_URL, handlers, { rematch: null, deliver: null }, schema);
  await a.start();
  await b.start();
  try {
    await a.trigger('rematch'); // both servers' workers poll the same queue
    await until(() => runs > 0, 10_000);
    await new Promise((r) => setTimeout(r, 1500)); // time for a second run, if there were one
    assert.equal(runs, 1);
  } finally {
    await a.stop();
    await b.stop();
  }
});

test('the embedded runner: one run of a job at a time', async () => {
  let running = 0;
  let most = 0;
  const jobs = inProcessJobs({ rematch: async () => { running++; most = Math.max(most, running); await new Promise((r) => setTimeout(r, 100)); running--; }, deliver: async () => {} }, { rematch: 0, deliver: 0 });
  await jobs.start();
  await Promise.all([jobs.trigger('rematch'), jobs.trigger('rematch'), jobs.trigger('rematch')]);
  assert.equal(most, 1);
  await jobs.stop();
});
