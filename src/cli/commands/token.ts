import { openPortfolio } from '../../server/open.ts';
import type { Role } from '../../model/portfolio.ts';
import { UsageError } from '../../util/errors.ts';
import { EXIT, type Command } from '../command.ts';

const ROLES: readonly Role[] = ['viewer', 'editor', 'admin'];

export const tokenCommand: Command = {
  name: 'token',
  usage: `marque token create --team NAME [--role viewer|editor|admin] [--name LABEL] [--data DIR | --database URL] [--json]

  Creates the team when it does not exist yet. The token is printed once and stored only as a hash.`,
  options: { team: { type: 'string' }, role: { type: 'string' }, name: { type: 'string' }, data: { type: 'string' }, database: { type: 'string' }, schema: { type: 'string' }, json: { type: 'boolean' } },
  async run(positionals, flags, io) {
    if (positionals[0] !== 'create') throw new UsageError('marque token create --team NAME [--role ROLE]');
    const teamName = flags['team'] as string | undefined;
    if (!teamName) throw new UsageError('--team NAME is required');
    const role = ((flags['role'] as string | undefined) ?? 'viewer') as Role;
    if (!ROLES.includes(role)) throw new UsageError(`--role takes ${ROLES.join(', ')} (got "${role}")`);
    const { store } = await openPortfolio({ data: flags['data'] as string | undefined, database: flags['database'] as string | undefined, schema: flags['schema'] as string | undefined });
    try {
      const team = (await store.teamByName(teamName)) ?? (await store.createTeam(teamName));
      const { id, token } = await store.createToken(team.id, role, (flags['name'] as string | undefined) ?? `${role}@${teamName}`);
      if (flags['json']) io.out(JSON.stringify({ id, team: team.name, role, token }, null, 2) + '\n');
      else io.out(`${token}\n`);
      io.err(`token ${id} for team ${team.name} (${role}); it is shown only now\n`);
    } finally {
      await store.close();
    }
    return EXIT.ok;
  },
};
