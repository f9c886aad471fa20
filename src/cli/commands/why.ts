import { why, WHY_DEFAULT_LIMIT } from '../../api/sbom.ts';
import { UsageError } from '../../util/errors.ts';
import { EXIT, SOURCE_OPTIONS, SOURCE_USAGE, type Command } from '../command.ts';
import { loadProduct } from './inventory.ts';

export const whyCommand: Command = {
  name: 'why',
  usage: `marque why NAME|PURL [DIR] [--limit N | --all] [options]\n\n  --limit N    the N shortest paths (default ${WHY_DEFAULT_LIMIT}); the total is counted, not listed\n  --all        every path (up to a work bound, said when reached)\n\n${SOURCE_USAGE}`,
  options: { ...SOURCE_OPTIONS, limit: { type: 'string' }, all: { type: 'boolean' } },
  async run(positionals, flags, io) {
    const [query, dir] = positionals;
    if (!query) throw new UsageError('marque why needs a component name or purl');
    const limitText = flags['limit'] as string | undefined;
    const limit = flags['all'] ? Infinity : limitText === undefined ? WHY_DEFAULT_LIMIT : Number(limitText);
    if (!(limit > 0) || !Number.isInteger(limit) && limit !== Infinity) throw new UsageError(`--limit must be a positive whole number (got "${limitText}")`);
    const { inv } = await loadProduct(dir ? [dir] : [], flags, io);
    const result = why(inv, query, limit, (flags['kind'] as string[] | undefined)?.flatMap((k) => k.split(',')));
    if (flags['json']) {
      io.out(JSON.stringify({ query, matches: result.matches, paths: result.paths, truncated: result.truncated, total: result.total.toString() }, null, 2) + '\n');
    } else if (result.matches.length === 0) {
      // A part of a name ("rplidar" for ros-jazzy-rplidar-ros) is no match: say which names hold it.
      const q = query.toLowerCase();
      const near = [...new Set(inv.components.filter((c) => c.name.toLowerCase().includes(q) || (c.properties?.['ros:package'] ?? '').toLowerCase().includes(q)).map((c) => c.name))].sort();
      io.err(`no component named "${query}" in this product${near.length ? `; names that contain it: ${near.slice(0, 8).join(', ')}${near.length > 8 ? `, … (${near.length - 8} more)` : ''}` : ''}\n`);
    } else {
      for (const p of result.paths) io.out(p.join('\n  → ') + '\n\n');
      const n = result.paths.length;
      const shown = result.truncated ? `the ${n} shortest of ${result.total} path${result.total === 1n ? '' : 's'} going deeper at each step (--limit N or --all for more)` : `${n} path${n === 1 ? '' : 's'}`;
      io.out(`${shown} to ${result.matches.join(', ')}.\n`);
    }
    // A component that is not there is an input error: the question had no answer.
    return result.matches.length ? EXIT.ok : EXIT.input;
  },
};
