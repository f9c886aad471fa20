// Operating system releases Marque can name in a purl's `distro` qualifier
// (DESIGN.md form: ubuntu-24.04, debian-12). Codenames as rosdep and rosdistro write them.

/** An operating system release, as rosdep and rosdistro name it. */
export interface Platform {
  os: string;        // ubuntu, debian, fedora, rhel, ...
  codename: string;  // noble, bookworm, ...
}

const RELEASES: Record<string, Record<string, string>> = {
  ubuntu: { bionic: '18.04', focal: '20.04', jammy: '22.04', noble: '24.04', oracular: '24.10', plucky: '25.04', questing: '25.10', resolute: '26.04' },
  debian: { stretch: '9', buster: '10', bullseye: '11', bookworm: '12', trixie: '13', forky: '14' },
};

/** Default installer of each OS for a plain package list in a rosdep rule (rosdep docs, REP 111). */
export const DEFAULT_INSTALLER: Record<string, string> = {
  ubuntu: 'apt', debian: 'apt', fedora: 'dnf', rhel: 'dnf', arch: 'pacman', gentoo: 'portage',
  opensuse: 'zypper', freebsd: 'pkg', alpine: 'apk', nixos: 'nix', osx: 'homebrew', openembedded: 'opkg',
  slackware: 'slackpkg', macports: 'macports', cygwin: 'apt-cyg',
};

export function parsePlatform(text: string): Platform {
  const m = /^([a-z]+):([a-z0-9.]+)$/i.exec(text.trim());
  if (!m) throw new Error(`platform must be OS:CODENAME, e.g. ubuntu:noble (got "${text}")`);
  return { os: m[1]!.toLowerCase(), codename: m[2]!.toLowerCase() };
}

/** "ubuntu-24.04" for ubuntu:noble; the codename itself when the release number is unknown. */
export function distroQualifier(p: Platform): string {
  const v = RELEASES[p.os]?.[p.codename];
  return `${p.os}-${v ?? p.codename}`;
}

/** Codename for an os-release VERSION_ID, e.g. ubuntu 24.04 → noble. */
export function codenameOf(os: string, versionId: string): string | undefined {
  const table = RELEASES[os];
  if (!table) return undefined;
  return Object.entries(table).find(([, v]) => v === versionId || versionId.startsWith(`${v}.`))?.[0];
}

/** purl type for a system package manager's packages. */
export function purlTypeOfInstaller(installer: string): string | undefined {
  return ({ apt: 'deb', dnf: 'rpm', yum: 'rpm', zypper: 'rpm', apk: 'apk', pip: 'pypi', gem: 'gem', npm: 'npm', homebrew: 'brew', pacman: 'alpm' } as Record<string, string>)[installer];
}
