#!/usr/bin/env node
// Marque's command line. The TypeScript sources run directly on Node 24 (type stripping), so the
// version is checked before any of them is loaded: an older Node would fail on the ".ts" import.
const [major] = process.versions.node.split('.').map(Number);
if (major < 24) {
  process.stderr.write(`Marque needs Node.js 24 or later; found v${process.versions.node}. Run it with the project's own Node (npx marque, npm start) or install Node 24.\n`);
  process.exit(2);
}
// Node keeps the compiled (and type-stripped) modules in a cache, so later starts skip that work.
const { enableCompileCache } = await import('node:module');
const { join } = await import('node:path');
const { homedir } = await import('node:os');
enableCompileCache?.(process.env.MARQUE_CACHE_DIR ? join(process.env.MARQUE_CACHE_DIR, 'compile') : join(process.env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'marque', 'compile'));
const { main } = await import('../src/cli/main.ts');
process.exitCode = await main(process.argv.slice(2));
