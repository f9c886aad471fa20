// What a git ref written in a build file or a .repos file is: a commit, a release tag, or a branch
// (whose commit changes over time). Used by the CMake reading (identity.ts) and the ROS extractor.

const BRANCH_NAMES = new Set(['main', 'master', 'develop', 'devel', 'development', 'dev', 'trunk', 'head', 'stable', 'latest', 'nightly',
  'rolling', 'humble', 'iron', 'jazzy', 'kilted', 'lyrical', 'galactic', 'foxy', 'eloquent', 'dashing', 'crystal', 'noetic', 'melodic',
  'kinetic', 'ros2', 'ros1', 'ros2-devel', 'release', 'releases', 'default', 'gh-pages']);

export type RefKind = { kind: 'commit' } | { kind: 'tag' } | { kind: 'branch'; reason: string };

/**
 * What a git ref written in a build file is. Without the remote it cannot be asked, so: a hex
 * string of 7 to 40 (or 64) digits is a commit; a name with a version in it (1.2, v2.4.3,
 * release-1.11.0, VER-2-13-2) is a release tag; a known branch name, a maintenance branch (2.2.x)
 * or any other name is a branch, or a tag that names no release: the commit it stands for changes.
 */
export function classifyRef(ref: string): RefKind {
  if (/^[0-9a-f]{7,40}$/i.test(ref) || /^[0-9a-f]{64}$/i.test(ref)) return { kind: 'commit' };
  const last = ref.split('/').pop()!;
  if (BRANCH_NAMES.has(ref.toLowerCase()) || ref.startsWith('refs/heads/')) return { kind: 'branch', reason: `"${ref}" is a branch: the commit it builds changes over time` };
  if (/(^|[._-])x$/i.test(last)) return { kind: 'branch', reason: `"${ref}" is a maintenance branch: the commit it builds changes over time` };
  if (/\d+[._-]\d+/.test(last) || /^v\d+$/i.test(last)) return { kind: 'tag' };
  return { kind: 'branch', reason: `"${ref}" names no release (a branch, or a tag without a version): the commit it builds is not known statically` };
}
