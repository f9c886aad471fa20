// The few files of a git checkout that say which commit a submodule is at: the superproject's
// index, a submodule's HEAD and tags. Found as git finds them (.git folder, or a "gitdir:" file,
// worktrees' commondir), and read only inside the scanned folder.
import { posix } from 'node:path';
import { parseGitConfig, tagsFromPackedRefs } from './gitmodules.ts';
import type { TreeAccess } from './tree-access.ts';

export interface GitModuleFiles {
  /** The commit checked out (a detached HEAD, or the branch it names), if readable. */
  head(): string | undefined;
  /** Tags naming this commit. */
  tagsOf(commit: string): string[];
}

export interface GitFiles {
  gitDir?: string;
  /** Why there is no git folder to read. */
  why?: string;
  /** The git folder as shown in messages. */
  show: string;
  hashBytes: number;
  bytes(name: string): Buffer | undefined;
  module(name: string, path: string): GitModuleFiles | undefined;
}

const SMALL = 64 * 1024;
const REFS = 32 * 1024 * 1024;

/** The git folder of the checkout whose top is `base` (relative to the scanned root), read through `tree`. */
export function openGitFiles(tree: TreeAccess, root: string, base: string): GitFiles {
  const top = base === '.' ? root : posix.join(root, base);
  const show = (p: string) => posix.relative(root, p) || '.';
  const gitDir = locateGitDir(tree, top);
  if (!gitDir.dir) return { why: gitDir.why, show: show(posix.join(top, '.git')), hashBytes: 20, bytes: () => undefined, module: () => undefined };
  const dir = gitDir.dir;
  const common = (() => {
    const c = tree.text(posix.join(dir, 'commondir'), SMALL)?.trim();
    return c ? posix.resolve(dir, c) : dir;
  })();
  let hashBytes = 20;
  const config = tree.text(posix.join(common, 'config'), SMALL);
  if (config) {
    try {
      const fmt = parseGitConfig(config, show(posix.join(common, 'config'))).find((e) => e.section === 'extensions' && e.key === 'objectformat');
      if (fmt?.value.toLowerCase() === 'sha256') hashBytes = 32;
    } catch { /* an unreadable config: SHA-1, git's default */ }
  }
  return {
    gitDir: dir, show: show(dir), hashBytes,
    bytes: (name) => tree.bytes(posix.join(dir, name)),
    module: (name, path) => {
      // A submodule's own git folder: <path>/.git, or .git/modules/<name> of the superproject.
      const own = locateGitDir(tree, posix.join(top, path)).dir ?? (tree.isFolder(posix.join(common, 'modules', name)) ? posix.join(common, 'modules', name) : undefined);
      return own ? moduleFiles(tree, own) : undefined;
    },
  };
}

/** The repository a checkout was cloned from: its remote's URL, the remote, and the config file that says so (as shown). */
export interface CheckoutOrigin { url: string; remote: string; config: string }

/**
 * The remote of the git checkout that holds `base` (relative to the scanned root): the first .git
 * found from `base` up to the root, its remote "origin" (git clone's name for where it came from),
 * else its only remote. Undefined when the tree is not a checkout or names no remote.
 */
export function checkoutOrigin(tree: TreeAccess, root: string, base: string): CheckoutOrigin | undefined {
  for (let d = base; ; d = posix.dirname(d)) {
    const top = d === '.' ? root : posix.join(root, d);
    const { dir } = locateGitDir(tree, top);
    if (dir) {
      const c = tree.text(posix.join(dir, 'commondir'), SMALL)?.trim();
      const common = c ? posix.resolve(dir, c) : dir;
      const file = posix.join(common, 'config');
      const text = tree.text(file, SMALL);
      if (!text) return undefined;
      const show = posix.relative(root, file);
      let remotes: Map<string, string>;
      try {
        remotes = new Map();
        for (const e of parseGitConfig(text, show)) if (e.section === 'remote' && e.subsection !== undefined && e.key === 'url' && !remotes.has(e.subsection)) remotes.set(e.subsection, e.value);
      } catch { return undefined; } // an unreadable config names no remote
      const remote = remotes.has('origin') ? 'origin' : remotes.size === 1 ? [...remotes.keys()][0]! : undefined;
      return remote ? { url: remotes.get(remote)!, remote, config: show } : undefined;
    }
    if (d === '.') return undefined;
  }
}

function locateGitDir(tree: TreeAccess, top: string): { dir?: string; why?: string } {
  const dotgit = posix.join(top, '.git');
  if (tree.isFolder(dotgit)) return { dir: dotgit };
  const pointer = tree.text(dotgit, SMALL);
  if (pointer === undefined) return { why: 'not a git checkout (no .git)' };
  const m = /^gitdir:\s*(.+?)\s*$/m.exec(pointer);
  if (!m) return { why: '.git is neither a folder nor a "gitdir:" file' };
  const target = posix.resolve(top, m[1]!);
  if (!tree.isFolder(target)) return { why: `its git folder (${m[1]}) is outside the scanned folder or missing` };
  return { dir: target };
}

function moduleFiles(tree: TreeAccess, dir: string): GitModuleFiles {
  let tags: Map<string, string[]> | undefined;
  const refValue = (ref: string): string | undefined => {
    const loose = tree.text(posix.join(dir, ref), SMALL)?.trim();
    if (loose) return loose;
    const packed = tree.text(posix.join(dir, 'packed-refs'), REFS);
    return packed ? new RegExp(`^([0-9a-f]{40,64}) ${ref.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`, 'm').exec(packed)?.[1] : undefined;
  };
  return {
    head: () => {
      const h = tree.text(posix.join(dir, 'HEAD'), SMALL)?.trim();
      if (!h) return undefined;
      const ref = /^ref:\s*(.+)$/.exec(h);
      return ref ? refValue(ref[1]!) : h;
    },
    tagsOf: (commit) => {
      if (!tags) {
        tags = tagsFromPackedRefs(tree.text(posix.join(dir, 'packed-refs'), REFS) ?? '');
        // Loose lightweight tags name their commit directly.
        for (const name of tree.listFiles(posix.join(dir, 'refs', 'tags'), 4)) {
          const sha = tree.text(posix.join(dir, 'refs', 'tags', name), SMALL)?.trim();
          if (sha && /^[0-9a-f]{40,64}$/.test(sha)) tags.set(sha, [...(tags.get(sha) ?? []), name]);
        }
      }
      return tags.get(commit) ?? [];
    },
  };
}
