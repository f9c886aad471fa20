// Runs the README's five-minute tour as a reader would type it, with a given "marque" (the clone's
// bin/marque.js, or an installed copy). The tour's shell blocks use three forms only:
//   npx marque ARGS [# exit N]                 run; expect exit 0 (or the exit the comment documents)
//   export NAME=$(npx marque ARGS)             run; its output becomes the variable NAME
//   npx marque serve … &                       start the server in the background; health-checked
// Anything else in a tour block fails the test, so the tour cannot drift into untested shell.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT } from './paths.ts';

export interface TourStep { line: string; kind: 'run' | 'export' | 'background'; args: string[]; variable?: string; exit: number }

/** The shell lines of README.md's "A five-minute tour" section, parsed. */
export function tourSteps(readme = readFileSync(join(ROOT, 'README.md'), 'utf8')): TourStep[] {
  const section = /^## A five-minute tour\n([\s\S]*?)(?=^## )/m.exec(readme)?.[1];
  if (!section) throw new Error('README.md has no "## A five-minute tour" section');
  const steps: TourStep[] = [];
  for (const block of section.matchAll(/```sh\n([\s\S]*?)```/g)) {
    for (const raw of block[1]!.split('\n')) {
      const line = raw.trim();
      if (!line) continue;
      const exit = Number(/#\s*exit (\d+)\s*$/.exec(line)?.[1] ?? 0);
      const code = line.replace(/\s+#.*$/, '');
      let m: RegExpExecArray | null;
      if ((m = /^export ([A-Z_]+)=\$\(npx marque ([^)]*)\)$/.exec(code))) steps.push({ line, kind: 'export', variable: m[1]!, args: words(m[2]!), exit });
      else if ((m = /^npx marque (.*?)\s*&$/.exec(code))) steps.push({ line, kind: 'background', args: words(m[1]!), exit });
      else if ((m = /^npx marque (.*)$/.exec(code))) steps.push({ line, kind: 'run', args: words(m[1]!), exit });
      else throw new Error(`README tour: a line the tour test cannot run: ${line}`);
    }
  }
  return steps;
}

/**
 * The tour's output excerpts: each plain code block that follows a shell block, with the shell lines it shows the
 * output of. A line that ends in "…" is cut there (the output goes on); a line of "…" alone stands for lines left out.
 */
export function tourExcerpts(readme = readFileSync(join(ROOT, 'README.md'), 'utf8')): { commands: string[]; lines: string[] }[] {
  const section = /^## A five-minute tour\n([\s\S]*?)(?=^## )/m.exec(readme)?.[1] ?? '';
  const out: { commands: string[]; lines: string[] }[] = [];
  let commands: string[] | undefined;
  for (const block of section.matchAll(/```(\w*)\n([\s\S]*?)```/g)) {
    const lines = block[2]!.split('\n').map((l) => l.trimEnd()).filter(Boolean);
    if (block[1] === 'sh') { commands = lines.map((l) => l.trim()); continue; }
    if (block[1] === '' && commands) out.push({ commands, lines });
    commands = undefined;
  }
  return out;
}

function words(s: string): string[] {
  return s.split(/\s+/).filter(Boolean);
}

export interface TourResult { step: TourStep; code: number | null; out: string; err: string }

/**
 * Runs the tour in a fresh folder that sees the repository's examples/ and test/ (where the tour's
 * inputs are), with its own cache. The server gets a free port instead of 8080 (tests run side by
 * side), and later steps are pointed at it.
 */
export async function runTour(marque: string[], env: NodeJS.ProcessEnv = {}): Promise<TourResult[]> {
  const dir = mkdtempSync(join(tmpdir(), 'marque-tour-'));
  for (const f of ['examples', 'test']) symlinkSync(join(ROOT, f), join(dir, f));
  const vars: NodeJS.ProcessEnv = { ...process.env, MARQUE_CACHE_DIR: join(dir, '.cache'), ...env };
  const results: TourResult[] = [];
  const background: ChildProcess[] = [];
  let address = '';
  try {
    for (const step of tourSteps()) {
      const args = step.args.map((a) => (address ? a.replace('http://127.0.0.1:8080', address) : a));
      if (step.kind === 'background') {
        const started = await startBackground(marque, args[0] === 'serve' ? [...args, '--port', '0'] : args, dir, vars);
        background.push(started.proc);
        address = started.address;
        const health = await fetch(`${address}/api/v1/openapi.json`);
        results.push({ step, code: health.ok ? 0 : health.status, out: address, err: '' });
        continue;
      }
      const r = spawnSync(marque[0]!, [...marque.slice(1), ...args], { cwd: dir, env: vars, encoding: 'utf8', maxBuffer: 64 << 20 });
      results.push({ step, code: r.status, out: r.stdout, err: r.stderr });
      if (step.kind === 'export') vars[step.variable!] = r.stdout.trim();
    }
  } finally {
    for (const p of background) {
      if (p.exitCode !== null || p.signalCode !== null) continue;
      const gone = new Promise((r) => p.once('exit', r));
      p.kill('SIGTERM');
      await gone;
    }
  }
  return results;
}

function startBackground(marque: string[], args: string[], cwd: string, env: NodeJS.ProcessEnv): Promise<{ proc: ChildProcess; address: string }> {
  const proc = spawn(marque[0]!, [...marque.slice(1), ...args], { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let err = '';
  return new Promise((resolve, reject) => {
    proc.stderr!.on('data', (d: Buffer) => {
      err += d.toString();
      const m = /(http:\/\/127\.0\.0\.1:\d+)\/api\/v1/.exec(err);
      if (m) resolve({ proc, address: m[1]! });
    });
    proc.on('exit', (code) => reject(new Error(`marque ${args.join(' ')} exited (${code}): ${err}`)));
  });
}
