import { why } from '../../api/sbom.ts';
import { UsageError } from '../../util/errors.ts';
import { EXIT, SOURCE_OPTIONS, SOURCE_USAGE, type Command } from '../command.ts';
import { loadProduct } from './inventory.ts';

export const whyCommand: Command = {
  name: 'why',
  summary: 'show every path that brings a component into the product',
  usage: `marque why NAME|PURL [DIR] [--limit N] [options]\n\n  --limit N    only the N shortest paths\n\n${SOURCE_USAGE}`,
  options: { ...SOURCE_OPTIONS, limit: { type: 'string' } },
  async run(positionals, flags, io) {
    const [query, dir] = positionals;
    if (!query) throw new UsageError('marque why needs a component name or purl');
    const limitText = flags['limit'] as string | undefined;
    const limit = limitText === undefined ? Infinity : Number(limitText);
    if (!(limit > 0) || !Number.isInteger(limit) && limit !== Infinity) throw new UsageError(`--limit must be a positive whole number (got "${limitText}")`);
    const { inv } = await loadProduct(dir ? [dir] : [], flags, io);
    const result = why(inv, query, limit, (flags['kind'] as string[] | undefined)?.flatMap((k) => k.split(',')));
    if (flags['json']) {
      io.out(JSON.stringify({ query, matches: result.matches, paths: result.paths, truncated: result.truncated }, null, 2) + '\n');
    } else if (result.matches.length === 0) {
      io.err(`no component named "${query}" in this product\n`);
    } else {
      for (const p of result.paths) io.out(p.join('\n  → ') + '\n\n');
      io.out(`${result.paths.length} path(s) to ${result.matches.join(', ')}${result.truncated ? ' (more exist; raise --limit)' : ''}.\n`);
    }
    // A component that is not there is an input error: the question had no answer.
    return result.matches.length ? EXIT.ok : EXIT.input;
  },
};
