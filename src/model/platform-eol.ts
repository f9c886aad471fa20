// End of life of the core platforms a robot's support period depends on (Art. 13(8) lets the
// manufacturer consider "the availability of the operating environment" and the support periods
// of integrated core components). Dates from REP 2000 (ROS) and the distributions' release pages,
// as of the bundled data; Lyrical's date is from secondary sources.
export interface PlatformEol { platform: string; end: string; note?: string; source: string }

export const ROS_DISTRO_EOL: Readonly<Record<string, PlatformEol>> = {
  humble: { platform: 'ROS 2 Humble', end: '2027-05', source: 'REP 2000' },
  jazzy: { platform: 'ROS 2 Jazzy', end: '2029-05', source: 'REP 2000' },
  kilted: { platform: 'ROS 2 Kilted', end: '2026-11', source: 'REP 2000' },
  lyrical: { platform: 'ROS 2 Lyrical', end: '2031-05', note: 'not yet in the REP 2000 snapshot; secondary source', source: 'ROS-FACTS §3.5' },
};

export const OS_EOL: Readonly<Record<string, PlatformEol>> = {
  'ubuntu:jammy': { platform: 'Ubuntu 22.04 LTS', end: '2027-04', note: 'standard support; paid extended security maintenance longer', source: 'Ubuntu release cycle' },
  'ubuntu:noble': { platform: 'Ubuntu 24.04 LTS', end: '2029-04', note: 'standard support; paid extended security maintenance longer', source: 'Ubuntu release cycle' },
  'ubuntu:resolute': { platform: 'Ubuntu 26.04 LTS', end: '2031-04', note: 'standard support', source: 'Ubuntu release cycle' },
  'debian:bookworm': { platform: 'Debian 12', end: '2028-06', note: 'including LTS', source: 'Debian LTS' },
  'debian:trixie': { platform: 'Debian 13', end: '2030-06', note: 'including LTS', source: 'Debian LTS' },
};
