// docker-compose files: containers, the ports they publish (external interfaces), their networks
// and the environment they give their processes (ROS_AUTOMATIC_DISCOVERY_RANGE and friends).
import { FileAccess, LIMITS } from '../util/file-access.ts';
import { isRecord, parseYaml } from '../util/yaml.ts';
import { InputError } from '../util/errors.ts';
import { asArray } from '../util/xml.ts';

export interface ComposeService { name: string; ports: { published: number; target?: number; hostIp?: string }[]; networks: string[]; networkMode?: string; privileged: boolean; environment: Record<string, string> }

/** docker-compose services: containers, their published ports (external interfaces) and networks. */
/** `files`: where the compose file may be (the product folder). */
export function readCompose(path: string, files: FileAccess = FileAccess.within(path)): ComposeService[] {
  const doc = parseYaml(files.readTextSync(path, LIMITS.manifest), path);
  if (!isRecord(doc) || !isRecord(doc['services'])) throw new InputError('not a compose file (no "services")', path, 1);
  return Object.entries(doc['services']).filter(([, s]) => isRecord(s)).map(([name, s]) => {
    const svc = s as Record<string, unknown>;
    const ports = asArray(svc['ports']).map((p) => {
      if (isRecord(p)) return { published: Number(p['published']), target: Number(p['target']), hostIp: p['host_ip'] as string | undefined };
      const parts = String(p).split('/')[0]!.split(':');
      const hostIp = parts.length === 3 ? parts[0] : undefined;
      return { published: Number(parts.length >= 2 ? parts[parts.length - 2] : parts[0]), target: Number(parts[parts.length - 1]), hostIp };
    }).filter((p) => Number.isFinite(p.published));
    const networks = Array.isArray(svc['networks']) ? svc['networks'].map(String) : isRecord(svc['networks']) ? Object.keys(svc['networks']) : ['default'];
    // environment: as a map, or as a list of NAME=value (NAME alone passes the host's value through: unknown here).
    const environment: Record<string, string> = Object.create(null) as Record<string, string>;
    if (isRecord(svc['environment'])) for (const [k, v] of Object.entries(svc['environment'])) { if (v !== null && v !== undefined) environment[k] = String(v); }
    else for (const e of asArray(svc['environment'])) { const m = /^([^=]+)=(.*)$/.exec(String(e)); if (m) environment[m[1]!] = m[2]!; }
    return { name, ports, networks, networkMode: svc['network_mode'] as string | undefined, privileged: svc['privileged'] === true, environment };
  });
}
