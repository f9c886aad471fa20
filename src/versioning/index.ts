// Which version ordering applies to which OSV ecosystem. Ecosystems without a scheme here can still
// be matched through explicit `versions` lists, never through ranges.
import type { VersionScheme } from './scheme.ts';
import { semverScheme } from './semver.ts';
import { pep440Scheme } from './pep440.ts';
import { dpkgScheme } from './dpkg.ts';
import { mavenScheme } from './maven.ts';
import { rubygemsScheme } from './rubygems.ts';

const BY_ECOSYSTEM: Record<string, VersionScheme> = {
  npm: semverScheme,
  'crates.io': semverScheme,
  Go: semverScheme,
  PyPI: pep440Scheme,
  Debian: dpkgScheme,
  Ubuntu: dpkgScheme,
  Maven: mavenScheme,
  RubyGems: rubygemsScheme,
};

/** OSV ecosystem names carry a release after a colon ("Debian:12", "Ubuntu:24.04:LTS"). */
export function schemeFor(ecosystem: string): VersionScheme | undefined {
  return BY_ECOSYSTEM[ecosystem] ?? BY_ECOSYSTEM[ecosystem.split(':')[0]!];
}

export { semverScheme, pep440Scheme, dpkgScheme, mavenScheme, rubygemsScheme };
export type { VersionScheme };
