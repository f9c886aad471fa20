// Importers that turn a robot's own files into architecture facts: ROS 2 launch files (XML, YAML),
// SROS2 access-control policies (with XInclude), docker-compose files.
import { LIMITS, readTextSync } from '../util/fs.ts';
import { dirname, isAbsolute, relative, resolve } from 'node:path';
import { attrOf, parseXml, textOf, type XmlNode } from '../util/xml.ts';
import { isRecord, parseYaml } from '../util/yaml.ts';
import { InputError } from '../util/errors.ts';

export interface LaunchNode { pkg: string; exec?: string; plugin?: string; name?: string; namespace?: string; enclave?: string; file: string }

const asArray = (v: unknown): unknown[] => (v === undefined ? [] : Array.isArray(v) ? v : [v]);

function enclaveOf(rosArgs: string | undefined): string | undefined {
  return rosArgs ? /(?:--enclave|-e)\s+(\S+)/.exec(rosArgs)?.[1] : undefined;
}

/** Nodes and composable nodes a launch file starts. Python launch files cannot be read without running them. */
export function readLaunchFile(path: string): { nodes: LaunchNode[]; notes: string[] } {
  const text = readTextSync(path, LIMITS.manifest);
  if (path.endsWith('.py')) return { nodes: [], notes: [`${path}: Python launch file, not analysed (it is a program); describe its nodes in marque.yaml`] };
  const nodes: LaunchNode[] = [];
  const notes: string[] = [];
  const visit = (n: unknown, ns: string | undefined, tag: string) => {
    if (!isRecord(n)) return;
    if (tag === 'node' || tag === 'composable_node') {
      const get = (k: string) => (attrOf(n, k) ?? (typeof n[k] === 'string' ? (n[k] as string) : undefined));
      const pkg = get('pkg');
      if (pkg) {
        nodes.push({ pkg, exec: get('exec'), plugin: get('plugin'), name: get('name'), namespace: get('namespace') ?? ns, enclave: enclaveOf(get('ros_args') ?? get('ros-args')), file: path });
      }
    }
    if (tag === 'include') notes.push(`${path}: includes ${attrOf(n, 'file') ?? n['file']}; included files are analysed only when listed themselves`);
    const childNs = tag === 'push_ros_namespace' || tag === 'push-ros-namespace' ? attrOf(n, 'namespace') ?? ns : ns;
    for (const [k, v] of Object.entries(n)) if (!k.startsWith('@') && k !== '#text') for (const c of asArray(v)) visit(c, childNs, k);
  };
  if (/\.ya?ml$/.test(path)) {
    const doc = parseYaml(text, path);
    const launch = isRecord(doc) ? doc['launch'] : undefined;
    // In a YAML launch file, push_ros_namespace applies to the entries that follow it.
    let ns: string | undefined;
    for (const entry of asArray(launch)) {
      if (!isRecord(entry)) continue;
      for (const [k, v] of Object.entries(entry)) {
        if ((k === 'push_ros_namespace' || k === 'push-ros-namespace') && isRecord(v) && typeof v['namespace'] === 'string') ns = `/${String(v['namespace']).replace(/^\//, '')}`;
        else visit(v, ns, k);
      }
    }
  } else {
    const doc = parseXml(text, path, { arrays: new Set(['node', 'composable_node', 'include', 'group']) });
    visit(doc['launch'], undefined, 'launch');
  }
  return { nodes, notes };
}

export interface Sros2Enclave { path: string; profiles: { ns: string; node: string }[]; publish: string[]; subscribe: string[] }

/** SROS2 policy (version 0.2.0): enclaves, their profiles, and the topics they may publish or subscribe. */
export function readSros2Policy(path: string): Sros2Enclave[] {
  const doc = parseXml(resolveXInclude(readTextSync(path, LIMITS.policy), path, 0), path, { arrays: new Set(['enclave', 'profile', 'topics', 'topic', 'profiles']) });
  const policy = doc['policy'] as XmlNode | undefined;
  if (!policy) throw new InputError('not an SROS2 policy (no <policy>)', path, 1);
  const enclaves = asArray((policy['enclaves'] as XmlNode | undefined)?.['enclave']);
  return enclaves.map((e) => {
    const out: Sros2Enclave = { path: attrOf(e, 'path') ?? '', profiles: [], publish: [], subscribe: [] };
    for (const ps of asArray((e as XmlNode)['profiles'])) {
      for (const p of asArray((ps as XmlNode)['profile'])) {
        const ns = attrOf(p, 'ns') ?? '/';
        const node = attrOf(p, 'node') ?? '';
        out.profiles.push({ ns, node });
        for (const t of asArray((p as XmlNode)['topics'])) {
          // Names: "/abs", "~private" (the node's own), or relative to the namespace (sros2 permissions.xsl).
          const names = asArray((t as XmlNode)['topic']).map((x) => textOf(x)).map((n) => (n.startsWith('/') ? n : n.startsWith('~') ? `${ns.replace(/\/$/, '')}/${node}${n.slice(1)}` : `${ns.replace(/\/$/, '')}/${n}`));
          if (attrOf(t, 'publish') === 'ALLOW') for (const x of names) out.publish.push(x);
          if (attrOf(t, 'subscribe') === 'ALLOW') for (const x of names) out.subscribe.push(x);
        }
      }
    }
    return out;
  });
}

/** XInclude as sros2 uses it: href relative to the including file, xpointer(/profile/*) or (/policy/enclaves/*). */
function resolveXInclude(text: string, file: string, depth: number, base = dirname(file)): string {
  if (depth > 8) throw new InputError('XInclude nested too deeply', file);
  return text.replace(/<xi:include\s+([^>]*?)\/>/g, (_m, attrs: string) => {
    const href = /href="([^"]+)"/.exec(attrs)?.[1];
    const pointer = /xpointer="xpointer\(([^)]+)\)"/.exec(attrs)?.[1];
    if (!href) throw new InputError('xi:include without href', file);
    const target = resolve(dirname(file), href);
    // Policies include their own profiles: a path out of the policy's folder (/etc/passwd, ../..) is refused, not read.
    const rel = relative(base, target);
    if (rel.startsWith('..') || isAbsolute(rel)) throw new InputError(`xi:include "${href}" leads out of the policy's folder ${base}; not read`, file);
    const included = resolveXInclude(readTextSync(target, LIMITS.policy), target, depth + 1, base).replace(/<\?xml[^>]*\?>/, '');
    if (!pointer) return included;
    const root = pointer.split('/').filter(Boolean)[0]!.replace('*', '');
    const inner = new RegExp(`<${root}[^>]*>([\\s\\S]*)</${root}>`).exec(included)?.[1];
    if (inner === undefined) throw new InputError(`xpointer ${pointer} selects nothing in ${href}`, file);
    return pointer.endsWith('/enclaves/*') ? (/<enclaves[^>]*>([\s\S]*)<\/enclaves>/.exec(inner)?.[1] ?? '') : inner;
  });
}

export interface ComposeService { name: string; ports: { published: number; target?: number; hostIp?: string }[]; networks: string[]; networkMode?: string; privileged: boolean }

/** docker-compose services: containers, their published ports (external interfaces) and networks. */
export function readCompose(path: string): ComposeService[] {
  const doc = parseYaml(readTextSync(path, LIMITS.manifest), path);
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
    return { name, ports, networks, networkMode: svc['network_mode'] as string | undefined, privileged: svc['privileged'] === true };
  });
}
