// A package the lock fetched from git, not from the registry: its repository and commit, read from the
// URL the lock resolved it to, as the Cargo and Composer readers keep theirs (provenance type git). The
// purl still names the package and the version its package.json says; the provenance says that this
// code is a commit of a repository (what GIT advisories match), not the registry's release.
import type { Provenance } from '../../model/inventory.ts';

/**
 * The forms the npm tools write:
 * - npm and classic Yarn: "git+ssh://git@github.com/o/r.git#<sha>", "git+https://…#<sha>", "git://…#<sha>";
 * - Yarn Berry's git protocol: "https://github.com/o/r.git#commit=<sha>" (other "&"-joined parameters may follow);
 * - a GitHub shorthand resolved to its archive (classic Yarn, pnpm): "https://codeload.github.com/o/r/tar.gz/<sha>".
 */
export function gitProvenance(resolved: string | undefined): Provenance | undefined {
  if (!resolved) return undefined;
  const codeload = /^https:\/\/codeload\.github\.com\/([^/]+)\/([^/]+)\/tar\.gz\/([0-9a-f]{7,40})$/i.exec(resolved);
  if (codeload) return { type: 'git', url: `https://github.com/${codeload[1]}/${codeload[2]}`, version: codeload[3]! };
  const hash = resolved.indexOf('#');
  const url = hash < 0 ? resolved : resolved.slice(0, hash);
  const fragment = hash < 0 ? '' : resolved.slice(hash + 1);
  const commit = /(?:^|&)commit=([^&]+)/.exec(fragment)?.[1];
  if (/^(git\+[a-z]+|git):\/\//i.test(url)) return { type: 'git', url: url.replace(/^git\+/i, ''), ...(commit ?? fragment ? { version: commit ?? fragment } : {}) };
  if (commit && /^(https?|ssh):\/\//i.test(url)) return { type: 'git', url, version: commit };
  return undefined;
}

/** pnpm's resolution of a git dependency: { type: git, repo, commit }, or a codeload tarball. */
export function pnpmGitProvenance(resolution: { type?: unknown; repo?: unknown; commit?: unknown; tarball?: unknown } | undefined): Provenance | undefined {
  if (!resolution) return undefined;
  if (resolution.type === 'git' && typeof resolution.repo === 'string') return { type: 'git', url: resolution.repo, ...(typeof resolution.commit === 'string' ? { version: resolution.commit } : {}) };
  return typeof resolution.tarball === 'string' ? gitProvenance(resolution.tarball) : undefined;
}
