// Whether the DDS domain itself is an external interface: the ROS 2 discovery settings a robot's
// processes run with, read from launch files, compose files and marque.yaml. Without DDS-Security,
// a domain whose traffic leaves the host lets anyone on that network publish to every node.

export interface EnvSetting { name: string; value: string; where: string; conditional?: string }
export interface DomainExposure { exposed: boolean; basis: 'configured' | 'declared' | 'default'; reason: string; domainId?: string; notes: string[] }

const DISCOVERY = ['ROS_AUTOMATIC_DISCOVERY_RANGE', 'ROS_STATIC_PEERS', 'ROS_LOCALHOST_ONLY', 'ROS_DOMAIN_ID', 'ROS_SECURITY_ENABLE', 'ROS_SECURITY_STRATEGY'];
export const isDiscoverySetting = (name: string) => DISCOVERY.includes(name);

/**
 * ROS 2 semantics (Iron and later, REP 2012-style discovery options): ROS_AUTOMATIC_DISCOVERY_RANGE is
 * SUBNET by default, LOCALHOST or OFF keep discovery on the host, SYSTEM_DEFAULT leaves it to the
 * middleware (multicast on the subnet for every Tier 1 DDS); ROS_STATIC_PEERS adds hosts whatever the
 * range; ROS_LOCALHOST_ONLY=1 (Humble, deprecated since Jazzy) means LOCALHOST. When several files set
 * different values, the most open one is taken: each may run.
 */
export function domainExposure(settings: EnvSetting[], declared: boolean | undefined): DomainExposure {
  const notes: string[] = [];
  const values = (n: string) => settings.filter((s) => s.name === n);
  const show = (s: EnvSetting) => `${s.name}=${s.value} (${s.where})`;
  const peers = values('ROS_STATIC_PEERS').filter((s) => s.value.trim() !== '');
  const ranges = values('ROS_AUTOMATIC_DISCOVERY_RANGE');
  const localhostOnly = values('ROS_LOCALHOST_ONLY');
  const domainIds = [...new Set(values('ROS_DOMAIN_ID').map((s) => s.value))];
  if (domainIds.length > 1) notes.push(`ROS_DOMAIN_ID differs between files (${values('ROS_DOMAIN_ID').map(show).join(', ')}): processes on different domains do not talk to each other`);
  const strategy = values('ROS_SECURITY_STRATEGY').find((s) => s.value === 'Enforce');
  if (strategy && values('ROS_SECURITY_ENABLE').some((s) => s.value.toLowerCase() === 'true')) notes.push(`ROS_SECURITY_ENABLE=true with ROS_SECURITY_STRATEGY=Enforce (${strategy.where}): a node without an enclave does not start`);
  const result = (exposed: boolean, basis: DomainExposure['basis'], reason: string): DomainExposure => ({ exposed, basis, reason, ...(domainIds.length === 1 ? { domainId: domainIds[0] } : {}), notes });
  const open = ranges.filter((s) => !['LOCALHOST', 'OFF'].includes(s.value.toUpperCase()));
  const unknownRanges = ranges.filter((s) => !['LOCALHOST', 'OFF', 'SUBNET', 'SYSTEM_DEFAULT'].includes(s.value.toUpperCase()));
  for (const s of unknownRanges) notes.push(`${show(s)} is not a value ROS 2 knows (LOCALHOST, SUBNET, OFF, SYSTEM_DEFAULT); taken as the default, SUBNET`);
  if (declared === false && (peers.length || open.length)) notes.push('marque.yaml says the DDS domain is not exposed (ros.domainExposed: false), but the configuration below says otherwise; the configuration is what runs');
  if (peers.length) return result(true, 'configured', `DDS discovery reaches the static peers ${peers.map(show).join(', ')}`);
  if (open.length) return result(true, 'configured', `DDS discovery reaches the subnet: ${open.map(show).join(', ')}`);
  if (ranges.length) return result(false, 'configured', `DDS discovery stays on the host: ${ranges.map(show).join(', ')}`);
  const lo = localhostOnly.filter((s) => s.value === '1');
  if (lo.length && lo.length === localhostOnly.length) return result(false, 'configured', `DDS traffic stays on the host: ${lo.map(show).join(', ')} (deprecated since Jazzy in favour of ROS_AUTOMATIC_DISCOVERY_RANGE)`);
  if (declared === false) {
    notes.push('no launch file, compose file or ros.environment sets ROS_AUTOMATIC_DISCOVERY_RANGE, whose default (SUBNET) lets DDS traffic leave the host; the domain is taken as not exposed only because marque.yaml says so (ros.domainExposed: false), which Marque did not verify');
    return result(false, 'declared', 'marque.yaml says the DDS domain is not reachable from the network (ros.domainExposed: false); not verified');
  }
  if (declared === true) return result(true, 'declared', 'marque.yaml says the DDS domain is reachable from the network (ros.domainExposed: true)');
  return result(true, 'default', 'no ROS_AUTOMATIC_DISCOVERY_RANGE, ROS_STATIC_PEERS or ROS_LOCALHOST_ONLY is set: ROS 2 discovers over the subnet by default, so DDS traffic leaves the host');
}
