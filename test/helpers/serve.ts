// A real "marque serve" process for tests that need one (kill -9, several servers, load): started on
// a free loopback port, its address read from the line it prints.
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { join } from 'node:path';
import { ROOT } from './paths.ts';

export const BIN = join(ROOT, 'bin/marque.js');

export interface Served { address: string; proc: ChildProcessWithoutNullStreams; stderr: () => string; stdout: () => string }

export function startServer(args: string[], env: NodeJS.ProcessEnv): Promise<Served> {
  const proc = spawn(process.execPath, [BIN, 'serve', '--port', '0', ...args], { env, stdio: ['pipe', 'pipe', 'pipe'] });
  let err = '';
  // The request log (standard output) is read as it comes, or the pipe would fill; its last MiB is kept.
  let out = '';
  proc.stdout.on('data', (d: Buffer) => { out = (out + d.toString()).slice(-1024 * 1024); });
  return new Promise<Served>((resolve, reject) => {
    proc.stderr.on('data', (d: Buffer) => {
      err += d.toString();
      const m = /(http:\/\/127\.0\.0\.1:\d+)\/api\/v1/.exec(err);
      if (m) resolve({ address: m[1]!, proc, stderr: () => err, stdout: () => out });
    });
    proc.on('exit', (code) => reject(new Error(`marque serve exited (${code}): ${err}`)));
  });
}

/** kill -9, and wait until the process is gone. */
export async function killHard(s: Served): Promise<void> {
  if (s.proc.exitCode !== null || s.proc.signalCode !== null) return;
  const gone = new Promise((r) => s.proc.once('exit', r));
  s.proc.kill('SIGKILL');
  await gone;
}

export async function stop(s: Served): Promise<void> {
  if (s.proc.exitCode !== null || s.proc.signalCode !== null) return;
  const gone = new Promise((r) => s.proc.once('exit', r));
  s.proc.kill('SIGTERM');
  await gone;
}

/** A CycloneDX 1.6 SBOM of n npm components, all direct dependencies of the product. */
export function syntheticSbom(n: number, version: string, name = 'robot'): Record<string, unknown> {
  return {
    bomFormat: 'CycloneDX', specVersion: '1.6', version: 1,
    metadata: { component: { type: 'application', 'bom-ref': 'app', name, version } },
    components: Array.from({ length: n }, (_, i) => ({ type: 'library', 'bom-ref': `c${i}`, name: `pkg${i}`, version: '1.0.0', purl: `pkg:npm/pkg${i}@1.0.0` })),
    dependencies: [{ ref: 'app', dependsOn: Array.from({ length: n }, (_, i) => `c${i}`) }],
  };
}

export const until = async (cond: () => boolean | Promise<boolean>, ms: number, step = 50): Promise<boolean> => {
  const end = Date.now() + ms;
  while (Date.now() < end) { if (await cond()) return true; await new Promise((r) => setTimeout(r, step)); }
  return cond();
};

/** A live reader of an SSE stream: every event, as it arrives, with when (Date.now()). */
export function follow(url: string, token: string): { events: { kind: string; data: Record<string, unknown>; at: number }[]; close: () => void } {
  const events: { kind: string; data: Record<string, unknown>; at: number }[] = [];
  const ac = new AbortController();
  void (async () => {
    const res = await fetch(url, { headers: { authorization: `Bearer ${token}` }, signal: ac.signal });
    const reader = res.body!.getReader();
    let text = '';
    for (;;) {
      const { value, done } = await reader.read();
      if (done) return;
      text += new TextDecoder().decode(value);
      let end;
      while ((end = text.indexOf('\n\n')) >= 0) {
        const block = text.slice(0, end);
        text = text.slice(end + 2);
        const kind = /^event: (.*)$/m.exec(block)?.[1];
        const data = /^data: (.*)$/m.exec(block)?.[1];
        if (kind && data) events.push({ kind, data: JSON.parse(data), at: Date.now() });
      }
    }
  })().catch(() => {});
  return { events, close: () => ac.abort() };
}
