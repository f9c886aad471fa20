// Materialises the ROS 2 core workspace (the repositories of ros2/ros2's ros2.repos at a release
// tag) as a folder tree, from git snapshots already on this machine (the "fetch" tool puts them
// under /work/.mirror/OWNER+NAME/repo): each repository at the version ros2.repos names, else at
// its branch of the same distribution, else at its newest commit; what was used is written to
// MATERIALISED.txt in the workspace. Nothing is fetched from the network here.
//
//   node bench/ros2-core.ts [--mirror DIR] [--tag release-jazzy-20260128] [--out DIR]
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { parseArgs } from 'node:util';
import { parse } from 'yaml';

export const DEFAULT_TAG = 'release-jazzy-20260128';

function git(gitDir: string, args: string[]): string | null {
  try {
    return execFileSync('git', ['--git-dir', gitDir, ...args], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'], maxBuffer: 1 << 30 }).trim();
  } catch {
    return null;
  }
}

const commitOf = (gitDir: string, ref: string) => git(gitDir, ['rev-parse', '--verify', '-q', `${ref}^{commit}`]);

/**
 * Writes a commit's tree into a folder. Snapshots lack files of 4 MiB and more, so "git archive"
 * would stop at the first; the blobs are read in one "git cat-file --batch" and the missing ones
 * listed instead. `keep` chooses the files by path and size (all of them by default).
 */
export function extract(gitDir: string, commit: string, target: string, keep: (path: string, size: number) => boolean = () => true): string[] {
  const listing = git(gitDir, ['ls-tree', '-r', '-z', '-l', '--full-tree', commit]);
  if (listing === null) throw new Error(`git ls-tree ${commit} in ${gitDir} failed`);
  const entries = listing.split('\0').filter(Boolean).map((e) => {
    const [meta, path] = e.split('\t') as [string, string];
    const [mode, type, sha, size] = meta.split(/ +/) as [string, string, string, string];
    return { mode, type, sha, path, size: Number(size) };
  }).filter((e) => e.type === 'blob' && keep(e.path, e.size));
  const out = execFileSync('git', ['--git-dir', gitDir, 'cat-file', '--batch'], { input: entries.map((e) => e.sha).join('\n') + '\n', maxBuffer: 1 << 30 });
  const skipped: string[] = [];
  let at = 0;
  for (const e of entries) {
    const eol = out.indexOf(10, at);
    const header = out.subarray(at, eol).toString();
    at = eol + 1;
    if (header.endsWith(' missing')) { skipped.push(e.path); continue; }
    const size = Number(header.split(' ')[2]);
    const body = out.subarray(at, at + size);
    at += size + 1;
    const file = join(target, e.path);
    mkdirSync(dirname(file), { recursive: true });
    if (e.mode === '120000') symlinkSync(body.toString(), file);
    else writeFileSync(file, body, { mode: e.mode === '100755' ? 0o755 : 0o644 });
  }
  return skipped;
}

export interface Materialised { dir: string; repositories: number; missing: string[]; lines: string[] }

/** Writes the workspace into out/src/<path of ros2.repos>; returns what was used for each repository. */
export function materialise(mirror: string, tag: string, out: string): Materialised {
  const meta = existsSync(join(mirror, 'ros2+ros2', 'repo', '.git')) ? join(mirror, 'ros2+ros2', 'repo', '.git') : join(mirror, 'ros2+ros2', 'repo');
  const reposText = git(meta, ['show', `${tag}:ros2.repos`]);
  if (!reposText) throw new Error(`ros2/ros2 at ${tag} is not in ${mirror} (fetch github:ros2/ros2 first)`);
  const repos = (parse(reposText) as { repositories: Record<string, { url: string; version: string }> }).repositories;
  const distro = /release-([a-z]+)-/.exec(tag)?.[1] ?? 'rolling';
  const lines: string[] = [`ros2/ros2 ${tag}: ${Object.keys(repos).length} repositories`];
  const missing: string[] = [];
  for (const [path, r] of Object.entries(repos)) {
    const slug = r.url.replace(/^https:\/\/github\.com\//, '').replace(/\.git$/, '');
    const snapshot = join(mirror, slug.replace('/', '+'), 'repo');
    const gitDir = existsSync(join(snapshot, '.git')) ? join(snapshot, '.git') : snapshot; // bare, or a .git inside
    if (!existsSync(gitDir)) { missing.push(slug); lines.push(`${path}: not in the mirror`); continue; }
    let used = r.version;
    let commit = commitOf(gitDir, r.version);
    if (!commit) { used = `branch ${distro} (tag ${r.version} not in the snapshot)`; commit = commitOf(gitDir, distro); }
    if (!commit) { used = `HEAD (neither ${r.version} nor ${distro} in the snapshot)`; commit = commitOf(gitDir, 'HEAD'); }
    const target = join(out, 'src', path);
    mkdirSync(target, { recursive: true });
    const skipped = extract(gitDir, commit!, target);
    lines.push(`${path}: ${used} = ${commit}${skipped.length ? `; not in the snapshot (files of 4 MiB and more): ${skipped.join(', ')}` : ''}`);
  }
  writeFileSync(join(out, 'MATERIALISED.txt'), `${lines.join('\n')}\n`);
  return { dir: out, repositories: Object.keys(repos).length - missing.length, missing, lines };
}

if (import.meta.main) {
  const { values } = parseArgs({ options: { mirror: { type: 'string', default: '/work/.mirror' }, tag: { type: 'string', default: DEFAULT_TAG }, out: { type: 'string', default: '/tmp/marque-ros2-core' } } });
  if (existsSync(join(values.out!, 'MATERIALISED.txt'))) { process.stderr.write(`${values.out} already holds a workspace\n`); process.exit(0); }
  const m = materialise(values.mirror!, values.tag!, values.out!);
  process.stderr.write(`${m.repositories} repositories into ${m.dir}${m.missing.length ? `; not in the mirror: ${m.missing.join(', ')}` : ''}\n`);
}
