// One side of a diff: a folder, an SBOM file, or "git:REV[:PATH]" — the current repository at a
// revision, exported with `git archive` into a temporary folder so the working tree is never touched.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, posix, relative, resolve } from 'node:path';
import { UsageError } from '../util/errors.ts';

export interface Side { label: string; path: string; cleanup(): void }

/** An exported revision larger than this is refused. */
const MAX_ARCHIVE_BYTES = 2 * 1024 * 1024 * 1024;

function git(args: string[], cwd: string, input?: Buffer): Buffer {
  const r = spawnSync('git', args, { cwd, input, maxBuffer: MAX_ARCHIVE_BYTES });
  if (r.error) throw new UsageError(`git: ${r.error.message}`);
  if (r.status !== 0) throw new UsageError(`git ${args.join(' ')}: ${r.stderr.toString().trim()}`);
  return r.stdout;
}

export function openSide(spec: string, cwd = process.cwd()): Side {
  const m = /^git:([^:]+)(?::(.*))?$/.exec(spec);
  if (!m) {
    if (!statSync(spec, { throwIfNoEntry: false })) throw new UsageError(`${spec}: no such file or directory`);
    return { label: spec, path: resolve(spec), cleanup() {} };
  }
  const [, rev, sub] = m;
  const top = git(['rev-parse', '--show-toplevel'], cwd).toString().trim();
  const prefix = posix.normalize(sub ?? relative(top, cwd).split('\\').join('/')).replace(/^\.$/, '');
  if (prefix.startsWith('..')) throw new UsageError(`${spec}: the path leaves the repository`);
  const commit = git(['rev-parse', '--verify', `${rev}^{commit}`], top).toString().trim();
  const dir = mkdtempSync(join(tmpdir(), 'marque-rev-'));
  try {
    const tar = git(['archive', '--format=tar', commit, ...(prefix ? ['--', prefix] : [])], top);
    // GNU tar refuses members that climb out with ".." and strips leading "/".
    const x = spawnSync('tar', ['-x', '--no-same-owner', '--no-same-permissions', '-C', dir], { input: tar });
    if (x.status !== 0) throw new UsageError(`cannot unpack ${spec}: ${x.stderr.toString().trim()}`);
  } catch (e) {
    rmSync(dir, { recursive: true, force: true });
    throw e;
  }
  return { label: `${spec} (${commit.slice(0, 12)})`, path: join(dir, prefix), cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}
