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
    for (const n of nodes) {
      const e = enclaves.find((x) => x.path === n.enclave) ?? enclaves.find((x) => x.profiles.some((p) => p.node === (n.name ?? n.exec) && (p.ns === (n.namespace ?? '/') || p.ns === '/')));
      if (e) enclaveOf.set(nodeId(n), e);
    }
    if (!ros.sros2Policy) model.notes.push('no SROS2 policy: any node may talk to any other on the DDS domain');
    const secure = ids.filter((id) => enclaveOf.has(id));
    const open = ids.filter((id) => !enclaveOf.has(id));
    if (ros.sros2Policy && open.length) model.notes.push(`nodes without an SROS2 enclave talk to each other unauthenticated: ${open.join(', ')}`);
    // Unsecured participants reach each other freely (DDS without security).
    for (const x of open) for (const y of open) if (x !== y) model.flows.push({ from: x, to: y, protocol: 'DDS' });
    // Secured participants: only what the policy grants, authenticated and encrypted by DDS-Security.
    for (const x of secure) {
      for (const y of secure) {
        if (x === y) continue;
        const ex = enclaveOf.get(x)!;
        const ey = enclaveOf.get(y)!;
        const topics = ex.publish.filter((t) => ey.subscribe.some((s) => globMatch(s, t) || globMatch(t, s)));
        if (topics.length) model.flows.push({ from: x, to: y, protocol: `DDS ${topics.slice(0, 3).join(', ')}`, authenticated: true, encrypted: true, mechanism: 'SROS2 DDS-Security', mechanismAssessed: Boolean(ros.sros2Assessed) });
      }
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
