// Webhook deliveries against receivers that misbehave, on both stores. A receiver that accepts the
// connection and never answers used to hold back every other webhook: a run attempted each of its
// deliveries, eight at a time, each waiting out the time limit (measured against a running server:
// 40 events, the healthy receiver's last delivery after 50 s). Now a webhook that gives no answer is
// set aside for the rest of the run: its other deliveries stay due and unattempted, no retry spent.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { deliverDue } from '../src/server/webhooks.ts';
import { checkDestination, DestinationRefused } from '../src/server/destination.ts';
import { PG_URL, storeAdapters } from './helpers/postgres.ts';

const { reachable, adapters } = await storeAdapters();

const listen = async (s: Server) => { await new Promise<void>((r) => s.listen(0, '127.0.0.1', r)); return `http://127.0.0.1:${(s.address() as AddressInfo).port}`; };

for (const [name, open] of adapters) {
  test(`${name}: a receiver that never answers is set aside for the run; the healthy one gets every event in that run, and no retry is spent on what was not attempted`, async (t) => {
    if (name === 'postgres' && !reachable) { t.skip(`PostgreSQL not reachable at ${PG_URL} (.ci/run starts it)`); return; }
    const store = await open();
    await store.migrate();
    const team = await store.createTeam(`hooks-${name}`);
    let healthy = 0;
    let silentHits = 0;
    const good = createServer((rq, rs) => { rq.resume(); rq.on('end', () => { healthy++; rs.writeHead(204); rs.end(); }); });
    const silent = createServer((rq) => { rq.resume(); silentHits++; });
    const goodUrl = await listen(good);
    const silentUrl = await listen(silent);
    try {
      const dead = await store.addWebhook(team.id, `${silentUrl}/hook`);
      const fine = await store.addWebhook(team.id, `${goodUrl}/hook`);
      const at = new Date();
      for (let i = 0; i < 40; i++) await store.queueDeliveries(await store.addEvent(team.id, null, 'finding.new', { n: i }, at), at);
      const allowHosts = new Set(['127.0.0.1']);
      // A short time limit sets the silent receiver aside; the healthy one's whole run is not timed (a loaded machine is slow, not silent).
      const counts = await deliverDue(store, new Date(at.getTime() + 1000), { allowHosts, timeoutMs: 500, budgetMs: 600_000 });
      assert.equal(healthy, 40, 'the healthy receiver got every event in the same run');
      const deadLog = await store.deliveries(team.id, dead.id);
      const attempted = deadLog.filter((d) => d.attempts > 0);
      assert.ok(attempted.length >= 1 && attempted.length <= 4, `the silent receiver was tried at most once per parallel slot (${attempted.length})`);
      assert.ok(silentHits <= 4);
      assert.ok(attempted.every((d) => d.status === 'pending' && d.lastError === 'delivery failed' && d.nextAt !== null), 'each attempt is a retry, logged');
      assert.equal(deadLog.filter((d) => d.attempts === 0 && d.status === 'pending').length, 40 - attempted.length, 'the rest wait, no retry spent');
      assert.deepEqual(counts, { delivered: 40, retrying: attempted.length, failed: 0 });
      assert.ok((await store.deliveries(team.id, fine.id)).every((d) => d.status === 'delivered'));
      // The next run takes the waiting ones up again (a few at a time while the receiver stays silent); retries stay bounded.
      await deliverDue(store, new Date(at.getTime() + 2000), { allowHosts, timeoutMs: 500 });
      const after = await store.deliveries(team.id, dead.id);
      assert.ok(after.filter((d) => d.attempts > 0).length > attempted.length, 'the next run tried more of them');
      assert.ok(after.every((d) => d.attempts <= 1), 'none was tried twice before its retry came due');
    } finally {
      good.close();
      silent.closeAllConnections();
      silent.close();
      await store.close();
    }
  });
}

test('webhook destinations: a loopback name with the root\'s dot and an IPv4-compatible IPv6 address are refused too', () => {
  for (const url of ['https://localhost./x', 'https://LOCALHOST../x', 'https://api.localhost./x', 'https://[::127.0.0.1]/x', 'https://[::a9fe:a9fe]/x', 'https://[100::1]/x', 'https://[2001:db8::1]/x']) {
    assert.throws(() => checkDestination(url, new Set()), DestinationRefused, url);
  }
  assert.equal(checkDestination('https://[2606:4700:4700::1111]/x', new Set()).hostname, '[2606:4700:4700::1111]', 'a global IPv6 address is accepted');
});
