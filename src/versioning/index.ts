// Which version ordering applies to which OSV ecosystem. Ecosystems without a scheme here can still
// be matched through explicit `versions` lists, never through ranges.
import type { VersionScheme } from './scheme.ts';
import { semverScheme } from './semver.ts';
import { pep440Scheme } from './pep440.ts';
import { dpkgScheme } from './dpkg.ts';
import { mavenScheme } from './maven.ts';
import { rubygemsScheme } from './rubygems.ts';
import { nugetScheme } from './nuget.ts';
import { packagistScheme } from './packagist.ts';
import { rpmScheme } from './rpm.ts';
import { alpineScheme } from './alpine.ts';
import { pubScheme } from './pub.ts';

/** No real version is longer; a longer one (a crafted advisory) is not a version, and no parser sees it. */
export const MAX_VERSION_LENGTH = 256;

function bounded(s: VersionScheme): VersionScheme {
  const tooLong = (v: string) => v.length > MAX_VERSION_LENGTH;
  return {
    id: s.id,
    isValid: (v) => !tooLong(v) && s.isValid(v),
    ...(s.ordersInvalid ? { ordersInvalid: (v: string) => !tooLong(v) && s.ordersInvalid!(v) } : {}),
    compare: (a, b) => {
      if (tooLong(a) || tooLong(b)) throw new Error(`a version longer than ${MAX_VERSION_LENGTH} characters is not compared`);
      return s.compare(a, b);
    },
  };
}

const BY_ECOSYSTEM: Record<string, VersionScheme> = Object.assign(Object.create(null) as Record<string, VersionScheme>, {
  npm: bounded(semverScheme),
  'crates.io': bounded(semverScheme),
  Go: bounded(semverScheme),
  PyPI: bounded(pep440Scheme),
  Debian: bounded(dpkgScheme),
  Ubuntu: bounded(dpkgScheme),
  Maven: bounded(mavenScheme),
  RubyGems: bounded(rubygemsScheme),
  NuGet: bounded(nugetScheme),
  Packagist: bounded(packagistScheme),
  'Red Hat': bounded(rpmScheme),
  AlmaLinux: bounded(rpmScheme),
  'Rocky Linux': bounded(rpmScheme),
  openSUSE: bounded(rpmScheme),
  SUSE: bounded(rpmScheme),
  openEuler: bounded(rpmScheme),
  Mageia: bounded(rpmScheme),
  Alpine: bounded(alpineScheme),
  // Hex (Elixir's Version) is SemVer 2.0 exactly: build metadata never orders (osv-scalibr parses Hex as SemVer too).
  Hex: bounded(semverScheme),
  Pub: bounded(pubScheme),
});

/** OSV ecosystem names carry a release after a colon ("Debian:12", "Ubuntu:24.04:LTS"). */
export function schemeFor(ecosystem: string): VersionScheme | undefined {
  return BY_ECOSYSTEM[ecosystem] ?? BY_ECOSYSTEM[ecosystem.split(':')[0]!];
}

/** The ordering a purl type's versions follow, by its advisory ecosystem's name; undefined for types none fits. */
const ECOSYSTEM_OF_PURL_TYPE: Record<string, string> = {
  npm: 'npm', pypi: 'PyPI', cargo: 'crates.io', golang: 'Go', maven: 'Maven', gem: 'RubyGems', deb: 'Debian',
  rpm: 'Red Hat', apk: 'Alpine', composer: 'Packagist', nuget: 'NuGet', hex: 'Hex', pub: 'Pub',
};

export function schemeForPurlType(type: string): VersionScheme | undefined {
  const ecosystem = ECOSYSTEM_OF_PURL_TYPE[type];
  return ecosystem ? schemeFor(ecosystem) : undefined;
}

/** SEMVER ranges of any ecosystem, bounded like the rest. */
export const semverRanges: VersionScheme = bounded(semverScheme);

export { semverScheme, pep440Scheme, dpkgScheme, mavenScheme, rubygemsScheme, pubScheme };
export type { VersionScheme };
