// Bundles the browser code (web/client) with esbuild into dist/web: the dossier's chart script and
// the dashboard. A step of scripts/build.ts; no network, no CDN at run time.
import { build } from 'esbuild';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { writeFileAtomic } from '../src/util/fs.ts';
import { fileURLToPath } from 'node:url';

const root = join(fileURLToPath(new URL('.', import.meta.url)), '..');

export async function buildWeb(): Promise<string> {
  const result = await build({
    entryPoints: { dossier: join(root, 'web/client/dossier.ts'), dashboard: join(root, 'web/client/dashboard.ts') },
    outdir: join(root, 'dist/web'), bundle: true, minify: true, format: 'iife', target: 'es2022', legalComments: 'eof',
    logLevel: 'warning', define: { 'process.env.NODE_ENV': '"production"' }, write: false,
  });
  // Each file replaced whole: a test rendering a dossier meanwhile never reads half a bundle.
  mkdirSync(join(root, 'dist/web'), { recursive: true });
  for (const f of result.outputFiles) writeFileAtomic(f.path, f.contents);
  return 'bundled into dist/web';
}

if (import.meta.main) {
  const started = performance.now();
  process.stderr.write(`web: ${await buildWeb()} in ${(performance.now() - started).toFixed(0)} ms\n`);
}
