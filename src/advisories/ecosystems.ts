// How advisory data is keyed for coverage: an OSV ecosystem with the release that matters for
// matching ("Debian:12", "Ubuntu:24.04"), a plain ecosystem ("PyPI"), or "GIT" for records whose
// ranges name a source repository.

/** "Ubuntu:24.04:LTS" → "Ubuntu:24.04"; "Debian:12" stays; "PyPI" stays; Ubuntu Pro streams are their own. */
export function coverageEcosystem(osvEcosystem: string): string | undefined {
  const parts = osvEcosystem.split(':');
  if (!parts[0]) return undefined;
  if (parts[0] === 'Ubuntu') return parts[1] === 'Pro' ? parts.slice(0, 3).join(':') : parts.slice(0, 2).join(':');
  if (parts[0] === 'Debian') return parts.slice(0, 2).join(':');
  return parts[0];
}

/**
 * One spelling per repository: no scheme, user or ".git", lower case, "git@host:path" as host/path,
 * so that https://github.com/eProsima/Fast-DDS.git and git@github.com:eprosima/fast-dds agree.
 */
export function normaliseRepoUrl(url: string): string {
  let u = url.trim().replace(/^git\+/, '');
  const scp = /^[\w.-]+@([\w.-]+):(?!\/\/)(.*)$/.exec(u);
  if (scp) u = `${scp[1]}/${scp[2]}`;
  u = u.replace(/^[a-z][a-z0-9+.-]*:\/\//i, '').replace(/^[^@/]*@/, '').replace(/^www\./i, '');
  return u.replace(/[?#].*$/, '').replace(/\/+$/, '').replace(/\.git$/i, '').replace(/\/+$/, '').toLowerCase();
}
