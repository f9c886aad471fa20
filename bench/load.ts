// bench/load: a real "marque serve" process on loopback under 50 concurrent clients for 60 s (issue
// 13), with autocannon: mixed reads (portfolio, releases, a release's findings matched at request
// time, its components, events) and SBOM uploads (a real CycloneDX SBOM, one new version each).
// Prints p50/p99 latency and the error count; exits 1 on any error, timeout or non-2xx answer.
// Usage: node bench/load.ts [--connections 50] [--duration 60] [--max-requests 200000] [--postgres URL]
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import { importAdvisories } from '../src/api/advisories.ts';
import { BIN, startServer, stop } from '../test/helpers/serve.ts';
import { FIXTURES } from '../test/helpers/paths.ts';

const { values } = parseArgs({ options: { connections: { type: 'string', default: '50' }, duration: { type: 'string', default: '60' }, 'max-requests': { type: 'string', default: '200000' }, postgres: { type: 'string' } } });
const cache = mkdtempSync(join(tmpdir(), 'marque-bench-load-'));
const env = { ...process.env, MARQUE_CACHE_DIR: cache };
const where = values.postgres ? ['--database', values.postgres, '--schema', `marque_load_${process.pid}`] : ['--data', join(cache, 'server')];
const advisories = join(cache, 'advisories.sqlite');
await importAdvisories(advisories, [join(FIXTURES, 'osv/ghsa'), join(FIXTURES, 'kev/known_exploited_vulnerabilities.json')]);
const made = spawnSync(process.execPath, [BIN, 'token', 'create', '--team', 'load', '--role', 'editor', ...where], { encoding: 'utf8', env });
if (made.status !== 0) throw new Error(made.stderr);
const token = made.stdout.trim();
const server = await startServer([...where, '--db', advisories, '--offline'], env);
const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
const api = async (method: string, path: string, body?: string) => {
  const r = await fetch(`${server.address}/api/v1${path}`, { method, headers, body });
  if (!r.ok) throw new Error(`${method} ${path}: ${r.status} ${await r.text()}`);
  return r.json() as Promise<Record<string, unknown>>;
};

// A product with 20 releases of a real SBOM (dropwizard, 168 components, CycloneDX 1.2) to read.
const sbom = readFileSync(join(FIXTURES, 'sboms/dropwizard-1.3.15.bom.json'), 'utf8');
const product = await api('POST', '/products', JSON.stringify({ name: 'load' }));
const releases: string[] = [];
for (let i = 0; i < 20; i++) releases.push(String((await api('POST', `/products/${product['id']}/releases?version=seed-${i}&supportEnd=2031-12`, sbom))['id']));

let n = 0;
const rel = () => releases[n++ % releases.length]!;
const get = (path: () => string) => ({ method: 'GET' as const, setupRequest: (r: Record<string, unknown>) => ({ ...r, path: `/api/v1${path()}` }) });
// One upload in ten requests; each upload places a new version (a repeated one would be a 409).
let uploads = 0;
const requests = [
  get(() => '/portfolio'), get(() => `/releases/${rel()}/findings`), get(() => `/releases/${rel()}/components`), get(() => '/releases?limit=50'),
  get(() => '/products'), get(() => `/releases/${rel()}/findings`), get(() => '/events?after=0'), get(() => `/releases/${rel()}/decisions`), get(() => '/portfolio?exploited=true'),
  { method: 'POST' as const, body: sbom, setupRequest: (r: Record<string, unknown>) => ({ ...r, path: `/api/v1/products/${product['id']}/releases?version=load-${uploads++}&supportEnd=2031-12` }) },
];

console.log(`load: ${values.connections} connections for ${values.duration} s (at most ${values['max-requests']} requests) against ${server.address} (${values.postgres ? 'PostgreSQL' : 'embedded store'}); 9 reads : 1 upload of ${(sbom.length / 1024).toFixed(0)} KB`);
const result = await autocannon({
  url: server.address, connections: Number(values.connections), duration: Number(values.duration), maxOverallRequests: Number(values['max-requests']),
  headers, requests: requests as never, timeout: 30,
});
await stop(server);
if (values.postgres) {
  const { default: pg } = await import('pg');
  const c = new pg.Client({ connectionString: values.postgres });
  await c.connect();
  await c.query(`drop schema if exists marque_load_${process.pid} cascade`);
  await c.end();
}
const l = result.latency;
console.log(`requests: ${result.requests.total} (${result.requests.average.toFixed(0)}/s), uploads: ${uploads}`);
console.log(`latency: p50 ${l.p50} ms, p90 ${l.p90} ms, p99 ${l.p99} ms, max ${l.max} ms`);
console.log(`errors: ${result.errors}, timeouts: ${result.timeouts}, non-2xx: ${result.non2xx}`);
if (result.errors || result.timeouts || result.non2xx) process.exitCode = 1;
