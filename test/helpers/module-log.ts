// Loaded with --import by test/startup.test.ts: records every module the process loads (ES modules
// through a load hook, CommonJS through require's cache) and writes the list, one URL or path a
// line, to $MARQUE_MODULE_LOG when the process exits.
import { registerHooks, createRequire } from 'node:module';
import { writeFileSync } from 'node:fs';

const loaded = new Set<string>();
registerHooks({
  load(url, context, nextLoad) {
    loaded.add(url);
    return nextLoad(url, context);
  },
});
process.on('exit', () => {
  const cache = (createRequire(import.meta.url) as NodeJS.Require).cache;
  for (const k of Object.keys(cache)) loaded.add(k);
  if (process.env['MARQUE_MODULE_LOG']) writeFileSync(process.env['MARQUE_MODULE_LOG'], [...loaded].join('\n'));
});
