import { openPortfolio } from '../../server/open.ts';
import type { Role } from '../../model/portfolio.ts';
import { UsageError } from '../../util/errors.ts';
import { EXIT, type Command } from '../command.ts';
import { table } from '../render.ts';

const ROLES: readonly Role[] = ['viewer', 'editor', 'admin'];

/** --expires: a number of days from now, or an ISO date or time. */
export function expiryOf(v: string | undefined, now = new Date()): Date | null {
  if (v === undefined) return null;
  const days = /^\d+$/.test(v) ? Number(v) : NaN;
  const at = Number.isFinite(days) ? new Date(now.getTime() + days * 86_400_000) : new Date(v);
  if (Number.isNaN(at.getTime()) || !/^\d/.test(v)) throw new UsageError(`--expires takes a number of days or an ISO date (got "${v}")`);
  if (at.getTime() <= now.getTime()) throw new UsageError(`--expires ${v} is not in the future`);
  return at;
}

export const tokenCommand: Command = {
  name: 'token',
  usage: `marque token create --team NAME [--role viewer|editor|admin] [--name LABEL] [--expires DAYS|DATE] [--json]
       marque token list [--team NAME] [--json]
       marque token revoke ID
  (each also takes --data DIR | --database URL [--schema NAME], the server's store)

  create   makes a token (and the team, when it does not exist yet). The token is printed once and
           stored only as a hash. --expires: valid for that many days, or until that date.
  list     the tokens of one team or of all: id, team, role, name, created, expires, last used (to the
           minute), revoked. Never the tokens themselves.
  revoke   the token stops working at once: the next request with it gets 401. It stays listed.

  Roles: a viewer reads; an editor also places releases, records decisions, reports and dossiers and
  keeps assessments; an admin also manages tokens, webhooks, trusted keys, advisory imports and re-matches.`,
  options: { team: { type: 'string' }, role: { type: 'string' }, name: { type: 'string' }, expires: { type: 'string' }, data: { type: 'string' }, database: { type: 'string' }, schema: { type: 'string' }, json: { type: 'boolean' } },
  async run(positionals, flags, io) {
    const [sub, ...rest] = positionals;
    if (sub !== 'create' && sub !== 'list' && sub !== 'revoke') throw new UsageError('marque token create|list|revoke (see marque token --help)');
    const teamName = flags['team'] as string | undefined;
    if (sub === 'create' && !teamName) throw new UsageError('--team NAME is required');
    if (sub === 'revoke' && rest.length !== 1) throw new UsageError('marque token revoke ID (the id "marque token list" shows)');
    const role = ((flags['role'] as string | undefined) ?? 'viewer') as Role;
    if (!ROLES.includes(role)) throw new UsageError(`--role takes ${ROLES.join(', ')} (got "${role}")`);
    const expires = expiryOf(flags['expires'] as string | undefined);
    const { store } = await openPortfolio({ data: flags['data'] as string | undefined, database: flags['database'] as string | undefined, schema: flags['schema'] as string | undefined });
    try {
      if (sub === 'create') {
        const team = (await store.teamByName(teamName!)) ?? (await store.createTeam(teamName!));
        const { id, token } = await store.createToken(team.id, role, (flags['name'] as string | undefined) ?? `${role}@${teamName}`, expires);
        if (flags['json']) io.out(JSON.stringify({ id, team: team.name, role, token, expiresAt: expires?.toISOString() ?? null }, null, 2) + '\n');
        else io.out(`${token}\n`);
        io.err(`token ${id} for team ${team.name} (${role})${expires ? `, valid until ${expires.toISOString()}` : ''}; it is shown only now\n`);
        return EXIT.ok;
      }
      if (sub === 'revoke') {
        if (!(await store.revokeToken(rest[0]!))) { io.err(`no valid token ${rest[0]} (already revoked, or no such id)\n`); return EXIT.input; }
        io.err(`token ${rest[0]} revoked; the next request with it gets 401\n`);
        return EXIT.ok;
      }
      const team = teamName ? await store.teamByName(teamName) : undefined;
      if (teamName && !team) { io.err(`no team ${teamName}\n`); return EXIT.input; }
      const teams = new Map<string, string>();
      const tokens = await store.tokens(team?.id);
      for (const t of tokens) if (!teams.has(t.teamId)) teams.set(t.teamId, (await store.team(t.teamId))?.name ?? t.teamId);
      const rows = tokens.map((t) => ({ ...t, team: teams.get(t.teamId)! }));
      if (flags['json']) io.out(JSON.stringify(rows.map(({ teamId: _id, ...t }) => t), null, 2) + '\n');
      else io.out(table(rows.map((t) => [t.id, t.team, t.role, t.name, t.createdAt.slice(0, 16), t.expiresAt?.slice(0, 16) ?? '-', t.lastUsedAt?.slice(0, 16) ?? 'never', t.revokedAt?.slice(0, 16) ?? '-']), ['ID', 'TEAM', 'ROLE', 'NAME', 'CREATED', 'EXPIRES', 'LAST USED', 'REVOKED']));
      return EXIT.ok;
    } finally {
      await store.close();
    }
  },
};
