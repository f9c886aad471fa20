// The architecture model from marque.yaml, completed by the launch files, SROS2 policy and
// compose files it names.
import { resolve } from 'node:path';
import type { Manifest } from '../manifest/manifest.ts';
import { readCompose, readLaunchFile, readSros2Policy, type LaunchNode } from './importers.ts';
import type { ArchitectureModel, Compartment, Flow } from './model.ts';
import { compileGlob } from '../util/glob.ts';

export type ArchitectureSection = NonNullable<Manifest['architecture']>;

const nodeId = (n: LaunchNode) => `node:${(n.namespace ?? '').replace(/\/$/, '')}/${n.name ?? n.exec ?? n.plugin ?? n.pkg}`.replace('node://', 'node:/');
const globMatch = (pattern: string, name: string) => compileGlob(pattern, true).test(name);

export function buildModel(m: Manifest): ArchitectureModel {
  const a: ArchitectureSection = m.architecture ?? {};
  const model: ArchitectureModel = {
    compartments: (a.compartments ?? []).map((c) => ({ ...c })) as Compartment[],
    interfaces: [...(a.interfaces ?? [])] as ArchitectureModel['interfaces'],
    flows: [...(a.flows ?? [])] as Flow[],
    trustAnchors: [...(a.trustAnchors ?? [])] as ArchitectureModel['trustAnchors'],
    sources: [m.file], notes: [],
  };
  const ros = a.ros;
  if (ros) {
    const nodes: LaunchNode[] = [];
    for (const f of ros.launch ?? []) {
      const r = readLaunchFile(resolve(m.dir, f));
      for (const x of r.nodes) nodes.push(x);
      for (const x of r.notes) model.notes.push(x);
      model.sources.push(f);
    }
    const seen = new Set<string>();
    for (const n of nodes) {
      const id = nodeId(n);
      if (seen.has(id)) continue;
      seen.add(id);
      model.compartments.push({ id, kind: 'process', parent: ros.compartment, isolation: 'operating system process', isolationAssessed: false, components: [`ros:${n.pkg}`] });
    }
    const ids = [...seen];
    const enclaves = ros.sros2Policy ? readSros2Policy(resolve(m.dir, ros.sros2Policy)) : [];
    if (ros.sros2Policy) model.sources.push(ros.sros2Policy);
    const enclaveOf = new Map<string, (typeof enclaves)[number]>();
    // Enclaves by path and by profile (node, namespace), first one wins as with find(): one lookup per node.
    const byPath = new Map<string, (typeof enclaves)[number]>();
    const byProfile = new Map<string, (typeof enclaves)[number]>();
    for (const e of enclaves) {
      if (!byPath.has(e.path)) byPath.set(e.path, e);
      for (const p of e.profiles) if (!byProfile.has(`${p.node}\0${p.ns}`)) byProfile.set(`${p.node}\0${p.ns}`, e);
    }
    for (const n of nodes) {
      const name = n.name ?? n.exec;
      const e = (n.enclave !== undefined ? byPath.get(n.enclave) : undefined) ?? byProfile.get(`${name}\0${n.namespace ?? '/'}`) ?? byProfile.get(`${name}\0/`);
      if (e) enclaveOf.set(nodeId(n), e);
    }
    if (!ros.sros2Policy) model.notes.push('no SROS2 policy: any node may talk to any other on the DDS domain');
    const secure = ids.filter((id) => enclaveOf.has(id));
    const open = ids.filter((id) => !enclaveOf.has(id));
    if (ros.sros2Policy && open.length) model.notes.push(`nodes without an SROS2 enclave talk to each other unauthenticated: ${open.join(', ')}`);
    // Unsecured participants reach each other freely (DDS without security): one shared bus that
    // each writes to and reads from, 2n flows rather than every pair.
    if (open.length > 1) {
      model.compartments.push({ id: 'dds-bus', kind: 'bus' });
      for (const x of open) model.flows.push({ from: x, to: 'dds-bus', protocol: 'DDS' }, { from: 'dds-bus', to: x, protocol: 'DDS' });
    }
    // Secured participants: only what the policy grants, authenticated and encrypted by DDS-Security,
    // through one node per granted topic (publishers → topic → subscribers).
    const sros2 = { authenticated: true, encrypted: true, mechanism: 'SROS2 DDS-Security', mechanismAssessed: Boolean(ros.sros2Assessed) };
    const publishers = new Map<string, string[]>();
    const subscribers = new Map<string, string[]>();
    for (const x of secure) {
      for (const t of new Set(enclaveOf.get(x)!.publish)) { const l = publishers.get(t); if (l) l.push(x); else publishers.set(t, [x]); }
      for (const t of new Set(enclaveOf.get(x)!.subscribe)) { const l = subscribers.get(t); if (l) l.push(x); else subscribers.set(t, [x]); }
    }
    const wild = (t: string) => /[*?]/.test(t);
    const wildSubs = [...subscribers.keys()].filter(wild);
    const literalSubs = [...subscribers.keys()].filter((t) => !wild(t));
    for (const [p, pubs] of publishers) {
      // Literal topics meet by lookup; only wildcard grants are compared one by one.
      const matching = new Set<string>([...(subscribers.has(p) ? [p] : []), ...wildSubs.filter((s) => globMatch(s, p) || globMatch(p, s)), ...(wild(p) ? literalSubs.filter((s) => globMatch(p, s)) : [])]);
      const subs = new Set([...matching].flatMap((s) => subscribers.get(s)!));
      const readers = [...subs].filter((y) => pubs.length > 1 || y !== pubs[0]);
      if (!readers.length) continue;
      const topic = `dds-topic:${p}`;
      model.compartments.push({ id: topic, kind: 'bus' });
      for (const x of pubs) model.flows.push({ from: x, to: topic, protocol: `DDS ${p}`, ...sros2 });
      for (const y of readers) model.flows.push({ from: topic, to: y, protocol: `DDS ${p}`, ...sros2 });
    }
    if (ros.domainExposed) {
      model.interfaces.push({ id: 'dds-domain', kind: 'dds', description: 'ROS 2 DDS domain reachable from the network', into: ros.compartment ?? 'ros' });
      for (const x of open) model.flows.push({ from: 'dds-domain', to: x, protocol: 'DDS' });
      for (const x of secure) model.flows.push({ from: 'dds-domain', to: x, protocol: 'DDS', authenticated: true, encrypted: true, mechanism: 'SROS2 DDS-Security', mechanismAssessed: Boolean(ros.sros2Assessed) });
    }
  }
  for (const f of a.compose ?? []) {
    model.sources.push(f);
    for (const s of readCompose(resolve(m.dir, f))) {
      const id = `container:${s.name}`;
      if (!model.compartments.some((c) => c.id === id)) {
        model.compartments.push({ id, kind: 'container', parent: a.composeHost, isolation: s.privileged ? undefined : 'container runtime (namespaces, cgroups)', isolationAssessed: Boolean(a.containerIsolationAssessed) && !s.privileged });
      }
      if (s.privileged) model.notes.push(`${id} is privileged: no isolation from its host`);
      if (s.networkMode === 'host') model.notes.push(`${id} uses the host network: no network isolation`);
      for (const p of s.ports) {
        if (p.hostIp === '127.0.0.1' || p.hostIp === '::1') { model.notes.push(`${id} publishes ${p.published} on loopback only: not an external interface`); continue; }
        model.interfaces.push({ id: `port:${p.published}`, kind: 'network', port: p.published, description: `published by ${s.name} (compose)`, into: id });
      }
    }
  }
  return model;
}
