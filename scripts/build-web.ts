// Bundles the browser code (web/client) with esbuild into dist/web: the dossier's chart script and
// the dashboard. Run by "npm ci" (prepare) and "npm test"; no network, no CDN at run time.
import { build } from 'esbuild';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(fileURLToPath(new URL('.', import.meta.url)), '..');
const started = performance.now();
await build({
  entryPoints: { dossier: join(root, 'web/client/dossier.ts'), dashboard: join(root, 'web/client/dashboard.ts') },
  outdir: join(root, 'dist/web'), bundle: true, minify: true, format: 'iife', target: 'es2022', legalComments: 'eof',
  logLevel: 'warning', define: { 'process.env.NODE_ENV': '"production"' },
});
console.error(`web: bundled into dist/web in ${(performance.now() - started).toFixed(0)} ms`);
