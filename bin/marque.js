#!/usr/bin/env node
// Marque's command line. An installed package runs the compiled JavaScript (dist/js, built by
// "npm run build" before packing); a clone of the repository runs its TypeScript sources directly
// on Node 24 (type stripping), so a change to src/ needs no build. MARQUE_COMPILED=1 makes a clone
// run its build instead. Nothing is imported before the version check, and Node's own modules are
// taken with process.getBuiltinModule (Node 22.3+): an import would build each one's namespace,
// loading parts of them no command uses.
const [major] = process.versions.node.split('.').map(Number);
if (major < 24) {
  process.stderr.write(`Marque needs Node.js 24 or later; found v${process.versions.node}. Run it with the project's own Node (npx marque, npm start) or install Node 24.\n`);
  process.exit(2);
}
const { existsSync } = process.getBuiltinModule('node:fs');
const { homedir } = process.getBuiltinModule('node:os');
const { join } = process.getBuiltinModule('node:path');
const nodeModule = process.getBuiltinModule('node:module');
const sources = new URL('../src/cli/main.ts', import.meta.url);
const compiled = new URL('../dist/js/marque.js', import.meta.url);
const useCompiled = process.env.MARQUE_COMPILED === '1' || !existsSync(sources);
if (useCompiled && !existsSync(compiled)) {
  process.stderr.write(`Marque's compiled JavaScript is missing (${compiled.pathname}): run "npm run build".\n`);
  process.exit(2);
}
// Stack traces name the TypeScript sources when asked for (MARQUE_DEBUG), through the source maps.
if (useCompiled && process.env.MARQUE_DEBUG) process.setSourceMapsEnabled(true);
// Node keeps compiled (and type-stripped) modules in a cache, so later starts skip that work.
nodeModule.enableCompileCache?.(process.env.MARQUE_CACHE_DIR ? join(process.env.MARQUE_CACHE_DIR, 'compile') : join(process.env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'marque', 'compile'));
const { main } = await import(useCompiled ? compiled.href : sources.href);
process.exitCode = await main(process.argv.slice(2));
