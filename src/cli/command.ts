// The shape of a command: its flags (node:util parseArgs), its help, and a run function that
// calls the library and renders. Exit codes (DESIGN.md): 0 done, 1 a policy failed, 2 usage or input error.
import type { ParseArgsConfig } from 'node:util';
import type { Io } from './io.ts';
import { UsageError } from '../util/errors.ts';
import { freshnessWindowProblem } from '../model/freshness.ts';

export type Flags = Record<string, string | boolean | string[] | undefined>;

export interface Command {
  name: string;
  usage: string;
  options: NonNullable<ParseArgsConfig['options']>;
  run(positionals: string[], flags: Flags, io: Io): Promise<number>;
}

export const EXIT = { ok: 0, policy: 1, input: 2 } as const;

/** Flags shared by every command that reads a product's sources. */
export const SOURCE_OPTIONS: NonNullable<ParseArgsConfig['options']> = {
  platform: { type: 'string' },
  rosdistro: { type: 'string' },
  'rosdep-rules': { type: 'string', multiple: true },
  distribution: { type: 'string', multiple: true },
  'rosdistro-cache': { type: 'string', multiple: true },
  'apt-index': { type: 'string', multiple: true },
  artefacts: { type: 'string', multiple: true },
  kind: { type: 'string', multiple: true },
  product: { type: 'string' },
  exclude: { type: 'string', multiple: true },
  include: { type: 'string', multiple: true },
  json: { type: 'boolean' },
};

export const SOURCE_USAGE = `Source options:
  --platform OS:CODENAME   target platform for rosdep (default: marque.yaml, else ubuntu:noble, or the Ubuntu
                           release the distribution targets when not noble: humble → ubuntu:jammy)
  --rosdistro NAME         ROS distribution (default: marque.yaml, else jazzy)
  --rosdep-rules FILE      rosdep rule file; repeat for several, first definition wins (default: bundled snapshot)
  --distribution FILE      rosdistro distribution.yaml (default: bundled snapshot of --rosdistro)
  --rosdistro-cache FILE   rosdistro cache (<distro>-cache.yaml[.gz]): follow released ROS packages through
                           what ships with them (default: marque.yaml, else the one "marque db import" stored)
  --apt-index FILE         apt Packages index (plain, .gz, .xz, .lz4); repeat for release, updates, security:
                           versions, source packages and the Depends closure of OS packages (default: marque.yaml,
                           else those "marque db import" stored)
  --artefacts DIR          package files that ship (.tgz, .whl, .deb, .rpm, .apk, .crate, .gem, .nupkg, .jar,
                           ROS release tarballs): matched to components by file name and hashed (SHA-512);
                           a file whose hash differs from the lockfile's is reported, not used
  --kind KIND              keep only these dependency kinds or scopes (runtime, build, test, doc, dev,
                           optional, exec, build_export, ...); repeat or separate with commas
  --product NAME@VERSION   which product version this is, when neither marque.yaml nor the SBOM says
                           (it keys the Art. 14 moment of awareness; never taken from a file name)
  --exclude GLOB           do not scan these paths (repeatable; also inventory.exclude): "fixtures" names a
                           file or folder anywhere, "docs/*" a path from the scanned folder
  --include GLOB           a lockfile under a test, fixture or example folder that ships all the same
                           (others there are scope "test")
  --json                   machine-readable output`;

export function sourceFlags(flags: Flags) {
  const list = (v: unknown) => (Array.isArray(v) ? v.flatMap((x: string) => x.split(',')).map((x) => x.trim()).filter(Boolean) : undefined);
  return {
    platform: flags['platform'] as string | undefined,
    rosdistro: flags['rosdistro'] as string | undefined,
    rosdepRules: list(flags['rosdep-rules']),
    distributions: list(flags['distribution']),
    rosdistroCaches: list(flags['rosdistro-cache']),
    aptIndexes: list(flags['apt-index']),
    artefacts: list(flags['artefacts']),
    db: flags['db'] as string | undefined,
    kinds: list(flags['kind']),
    product: flags['product'] as string | undefined,
    exclude: list(flags['exclude']),
    include: list(flags['include']),
  };
}

/** --all / --limit N for lists a terminal shows: no silent cut, the rest is always said. */
export const LIST_OPTIONS: NonNullable<ParseArgsConfig['options']> = { all: { type: 'boolean' }, limit: { type: 'string' } };

export function rowLimit(flags: Flags, fallback: number): number {
  if (flags['all']) return Infinity;
  const text = flags['limit'] as string | undefined;
  if (text === undefined) return fallback;
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1) throw new UsageError(`--limit must be a positive whole number (got "${text}")`);
  return n;
}

/**
 * One rule for every command: input that could not be read (an incomplete answer) exits 2, a
 * policy that failed exits 1, otherwise 0. Input problems win: a gate must not pass on half a product.
 */
export function exitCode(inputErrors: number, policyFailed: boolean): number {
  return inputErrors > 0 ? EXIT.input : policyFailed ? EXIT.policy : EXIT.ok;
}

/** --today YYYY-MM-DD (noon UTC, so no time zone moves the day), or now. */
export function todayFlag(flags: Flags): Date {
  const text = flags['today'] as string | undefined;
  if (text === undefined) return new Date();
  const d = new Date(`${text}T12:00:00Z`);
  // 2026-02-30 parses (as 2 March): a date is valid only when it reads back the same.
  if (!/^\d{4}-\d{2}-\d{2}$/.test(text) || Number.isNaN(d.getTime()) || d.toISOString().slice(0, 10) !== text) throw new UsageError(`--today must be a calendar date YYYY-MM-DD (got "${text}")`);
  return d;
}

/** --max-age DAYS: how old advisory data may be (by its data date) and still count as fresh. */
export function maxAgeFlag(flags: Flags): number | undefined {
  if (flags['max-age'] === undefined) return undefined;
  const n = Number(flags['max-age']);
  if (!(n > 0)) throw new UsageError('--max-age must be a positive number of days');
  // The same bound as marque.yaml's advisories.maxAgeDays, for every command that takes it (db status too).
  const problem = freshnessWindowProblem(n);
  if (problem) throw new UsageError(`--max-age ${problem}`);
  return n;
}

/** An ISO 8601 time flag such as --now or --aware-at; undefined when not given. */
export function timeFlag(flags: Flags, name: string): Date | undefined {
  const v = flags[name] as string | undefined;
  if (v === undefined) return undefined;
  const d = new Date(v);
  if (Number.isNaN(d.getTime())) throw new UsageError(`--${name} must be an ISO 8601 time (got "${v}")`);
  return d;
}
