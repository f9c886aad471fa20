// The architecture model from marque.yaml, completed by the launch files (and every file they
// include), the SROS2 policy and the compose files it names.
import { relative, resolve } from 'node:path';
import type { Manifest } from '../manifest/manifest.ts';
import { readCompose } from './compose.ts';
import { globMatch, isPattern as wild, permitted, readSros2Policy, type Sros2Enclave, type Sros2Kind, type Sros2Verb } from './sros2.ts';
import { readLaunchTree, rosInstallPrefixes, shareOf, type LaunchNode, type LaunchParses } from './launch/interpret.ts';
import { findLaunchFiles, workspacePackages } from './launch/workspace.ts';
import { domainExposure, isDiscoverySetting, type EnvSetting } from './dds.ts';
import { bridgeOf, portFromArgs } from './bridges.ts';
import { readHardware } from './hardware.ts';
import type { ArchitectureModel, Compartment, Flow } from './model.ts';
import { meantText } from './references.ts';

export type ArchitectureSection = NonNullable<Manifest['architecture']>;
type RosSection = NonNullable<ArchitectureSection['ros']>;

/** A process the launch files start: a node, or a component container with the nodes loaded into it. */
interface Process { id: string; members: LaunchNode[]; packages: Set<string> }
/** A launched node with the compartment id of its process: `node:/ns/name`, or for a node the launch file does not name, that and its file:line. */
type Placed = LaunchNode & { id?: string };

/** The note a model without declared launch files carries (the CLI shows the list as a section of its own). */
export function undeclaredLaunchNote(found: string[]): string {
  return `no launch file is declared (architecture.ros.launch), so no ROS process is in the model; ${found.length} launch file(s) found in the workspace, bringup packages first: ${found.slice(0, 10).join(', ')}${found.length > 10 ? `, … (${found.length - 10} more)` : ''}. Declare those the product runs in marque.yaml under architecture: ros: launch: [${found[0]}]`;
}

export function buildModel(m: Manifest): ArchitectureModel {
  const a: ArchitectureSection = m.architecture ?? {};
  const model: ArchitectureModel = {
    compartments: (a.compartments ?? []).map((c) => ({ ...c })) as Compartment[],
    interfaces: [...(a.interfaces ?? [])] as ArchitectureModel['interfaces'],
    flows: [...(a.flows ?? [])] as Flow[],
    trustAnchors: [...(a.trustAnchors ?? [])] as ArchitectureModel['trustAnchors'],
    sources: [m.file], notes: [],
  };
  const env: EnvSetting[] = [];
  const nodes: Placed[] = [];
  const ros = a.ros;
  let packages: Map<string, string> | undefined;
  if (!ros?.launch?.length) {
    // Without declared launch files the model has no ROS process: say which launch files there are, and how to declare them.
    const found = findLaunchFiles(m.dir).map((x) => relative(m.dir, x.file));
    model.launch = { declared: [], found };
    if (found.length) model.notes.push(undeclaredLaunchNote(found));
  }
  if (ros) {
    // /opt/ros/<distro>/share is read only for the distribution the product names.
    const installPrefixes = rosInstallPrefixes(m.inventory?.rosdistro);
    // What the launch files read from the environment, where the product declares it: ros.environment, and ROS_DISTRO,
    // which the ROS setup script sets to the distribution (orbbec's and realsense's launch files branch on it for foxy).
    const environment = new Map(Object.entries(ros.environment ?? {}).map(([k, v]) => [k, String(v)]));
    if (m.inventory?.rosdistro && !environment.has('ROS_DISTRO')) environment.set('ROS_DISTRO', m.inventory.rosdistro);
    packages = workspacePackages(m.dir, model.notes);
    const ws = { root: m.dir, packages, installPrefixes, files: m.files.and(...installPrefixes.map(shareOf)), environment };
    const args = new Map(Object.entries(ros.launchArguments ?? {}).map(([k, v]) => [k, String(v)]));
    const parsed: LaunchParses = new Map();
    if (ros.launch?.length) model.launch = { declared: [...ros.launch] };
    for (const f of ros.launch ?? []) {
      const r = readLaunchTree(resolve(m.dir, f), ws, args, parsed);
      // Every launched process is its own compartment: one the launch file does not name is told apart by
      // its file and line (and, launched again from the same line, by its occurrence).
      const occurrences = new Map<string, number>();
      for (const x of r.nodes) {
        if (x.kind === 'composable' || x.named) { nodes.push(x); continue; }
        const base = `node:${x.fullName}@${x.file}:${x.line}`;
        const k = (occurrences.get(base) ?? 0) + 1;
        occurrences.set(base, k);
        nodes.push({ ...x, id: k > 1 ? `${base}#${k}` : base });
      }
      for (const x of r.notes) model.notes.push(x);
      for (const x of r.env) env.push({ name: x.name, value: x.value, where: `${x.file}:${x.line}`, ...(x.conditional ? { conditional: x.conditional } : {}) });
      for (const x of r.files) { const rel = relative(m.dir, x); if (!model.sources.includes(rel)) model.sources.push(rel); }
    }
    for (const [k, v] of Object.entries(ros.environment ?? {})) env.push({ name: k, value: String(v), where: 'marque.yaml ros.environment' });
  }
  for (const f of a.compose ?? []) {
    model.sources.push(f);
    for (const s of readCompose(resolve(m.dir, f), m.files)) {
      const id = `container:${s.name}`;
      if (!model.compartments.some((c) => c.id === id)) {
        model.compartments.push({ id, kind: 'container', parent: a.composeHost, isolation: s.privileged ? undefined : 'container runtime (namespaces, cgroups)', isolationAssessed: Boolean(a.containerIsolationAssessed) && !s.privileged });
      }
      if (s.privileged) model.notes.push(`${id} is privileged: no isolation from its host`);
      if (s.networkMode === 'host') model.notes.push(`${id} uses the host network: no network isolation`);
      for (const [k, v] of Object.entries(s.environment)) if (isDiscoverySetting(k)) env.push({ name: k, value: v, where: `${f} (service ${s.name})` });
      for (const p of s.ports) {
        if (p.hostIp === '127.0.0.1' || p.hostIp === '::1') { model.notes.push(`${id} publishes ${p.published} on loopback only: not an external interface`); continue; }
        model.interfaces.push({ id: `port:${p.published}`, kind: 'network', port: p.published, description: `published by ${s.name} (compose)`, into: id });
      }
    }
  }
  if (ros) addRos(model, ros, nodes, env, m, packages);
  return model;
}

function addRos(model: ArchitectureModel, ros: RosSection, nodes: Placed[], env: EnvSetting[], m: Pick<Manifest, 'dir' | 'files'>, packages?: ReadonlyMap<string, string>): void {
  const dir = m.dir;
  // Processes: a standalone node is one; a container is one with every node loaded into it, since
  // composable nodes share its address space (one compromised component reaches the others).
  const processes = new Map<string, Process>();
  const alias = new Map<string, string>(); // node:/ns/name of a composable node → its container's process
  const add = (id: string, n: LaunchNode | undefined, pkg: string) => {
    let p = processes.get(id);
    if (!p) processes.set(id, (p = { id, members: [], packages: new Set() }));
    if (n) {
      const twin = p.members.find((x) => x.fullName === n.fullName && x.kind !== 'composable' && n.kind !== 'composable');
      if (twin && (twin.file !== n.file || twin.line !== n.line)) model.notes.push(`two nodes are named ${n.fullName} (${twin.file}:${twin.line}, ${n.file}:${n.line}); ROS 2 does not keep names unique, so here they are one compartment`);
      if (!twin) p.members.push(n);
    }
    p.packages.add(pkg);
  };
  // A container the launch file does not name is still the process its composable nodes are loaded into.
  const containerId = new Map<string, string>();
  for (const n of nodes) if (n.kind === 'container' && !containerId.has(n.fullName)) containerId.set(n.fullName, n.id ?? `node:${n.fullName}`);
  for (const n of nodes) {
    if (n.kind !== 'composable') { add(n.id ?? `node:${n.fullName}`, n, n.pkg); continue; }
    const container = (n.container && containerId.get(n.container)) ?? `node:${n.container}`;
    if (!nodes.some((x) => x.kind !== 'composable' && x.fullName === n.container) && !processes.has(container)) {
      model.notes.push(`${n.file}:${n.line}: ${n.fullName} is loaded into the container ${n.container}, which the launch files read do not start; it is shown as that container's process`);
    }
    add(container, n, n.pkg);
    alias.set(`node:${n.fullName}`, container);
  }
  const iso = ros.processIsolation;
  for (const p of processes.values()) {
    if (model.compartments.some((c) => c.id === p.id)) continue; // declared in marque.yaml: that declaration wins
    model.compartments.push({ id: p.id, kind: 'process', parent: ros.compartment, ...(iso ? { isolation: iso.mechanism, isolationAssessed: Boolean(iso.assessed) } : {}), components: [...p.packages].map((x) => `ros:${x}`) });
  }
  if (ros.launch?.length) {
    model.processes = [...processes.values()].map((p) => ({
      id: p.id,
      nodes: p.members.map((n) => ({ name: n.fullName, kind: n.kind, package: n.pkg, ...(n.exec ? { executable: n.exec } : {}), ...(n.plugin ? { plugin: n.plugin } : {}), file: n.file, line: n.line, ...(n.conditional ? { conditional: n.conditional } : {}) })),
    }));
  }
  if (processes.size && !iso) model.notes.push('ROS processes are operating system processes of one user: not an isolation boundary unless marque.yaml declares one (ros.processIsolation: separate users, seccomp, AppArmor)');
  // marque.yaml may name an unnamed node by the name it is given here (node:/ns/exe): that process, when only one has it.
  const unnamed = new Map<string, string[]>();
  for (const n of nodes) if (n.id) unnamed.set(`node:${n.fullName}`, [...(unnamed.get(`node:${n.fullName}`) ?? []), n.id]);
  for (const [name, ids] of unnamed) if (!processes.has(name) && !alias.has(name) && new Set(ids).size === 1) alias.set(name, ids[0]!);
  // Declared flows and interfaces may name a composable node: they reach its container's process.
  const to = (id: string) => alias.get(id) ?? id;
  model.flows = model.flows.map((f) => ({ ...f, from: to(f.from), to: to(f.to) }));
  model.interfaces = model.interfaces.map((i) => ({ ...i, into: to(i.into) }));
  const ids = [...processes.keys()];

  // SROS2: each process's enclave, by its --enclave argument or by a profile naming one of its nodes.
  const enclaves = ros.sros2Policy ? readSros2Policy(resolve(dir, ros.sros2Policy), m.files) : [];
  if (ros.sros2Policy) model.sources.push(ros.sros2Policy);
  const byPath = new Map<string, Sros2Enclave>();
  const byProfile = new Map<string, Sros2Enclave>();
  for (const e of enclaves) {
    if (!byPath.has(e.path)) byPath.set(e.path, e);
    for (const p of e.profiles) if (!byProfile.has(`${p.node}\0${p.ns}`)) byProfile.set(`${p.node}\0${p.ns}`, e);
  }
  const enclaveOf = new Map<string, Sros2Enclave>();
  for (const p of processes.values()) {
    let e: Sros2Enclave | undefined;
    for (const n of p.members) e ??= n.enclave !== undefined ? byPath.get(n.enclave) : undefined;
    for (const n of p.members) e ??= byProfile.get(`${n.name}\0${n.namespace}`) ?? byProfile.get(`${n.name}\0/`);
    for (const n of p.members) if (n.enclave !== undefined && !byPath.has(n.enclave) && ros.sros2Policy) model.notes.push(`${n.file}:${n.line}: ${n.fullName} asks for enclave ${n.enclave}, which the policy does not define`);
    if (e) enclaveOf.set(p.id, e);
  }
  if (!ros.sros2Policy) model.notes.push('no SROS2 policy: any node may talk to any other on the DDS domain');
  const secure = ids.filter((id) => enclaveOf.has(id));
  const open = ids.filter((id) => !enclaveOf.has(id));
  if (ros.sros2Policy && open.length) model.notes.push(`nodes without an SROS2 enclave talk to each other unauthenticated: ${open.join(', ')}`);
  // Unsecured participants reach each other freely (DDS without security): one shared bus that
  // each writes to and reads from, 2n flows rather than every pair.
  if (open.length > 1) {
    model.compartments.push({ id: 'dds-bus', kind: 'bus', parent: ros.compartment });
    for (const x of open) model.flows.push({ from: x, to: 'dds-bus', protocol: 'DDS' }, { from: 'dds-bus', to: x, protocol: 'DDS' });
  }
  // Secured participants: only what the policy grants (DENY wins), authenticated and encrypted by
  // DDS-Security, through one bus per granted name: writers → name → readers.
  const sros2 = { authenticated: true, encrypted: true, mechanism: 'SROS2 DDS-Security', mechanismAssessed: Boolean(ros.sros2Assessed) };
  const connect = (kind: Sros2Kind, writeVerb: Sros2Verb, readVerb: Sros2Verb, label: string) => {
    const writers = new Map<string, string[]>();
    const readers = new Map<string, string[]>();
    for (const x of secure) {
      const e = enclaveOf.get(x)!;
      for (const g of e.grants) {
        if (g.kind !== kind || !g.allow) continue;
        const into = g.verb === writeVerb ? writers : g.verb === readVerb ? readers : undefined;
        if (!into) continue;
        const l = into.get(g.name);
        if (!l) into.set(g.name, [x]); else if (!l.includes(x)) l.push(x);
      }
    }
    const wildReaders = [...readers.keys()].filter(wild);
    const literalReaders = [...readers.keys()].filter((t) => !wild(t));
    const drawn = new Set<string>();
    for (const [name, ws] of writers) {
      // Literal names meet by lookup; only wildcard grants are compared one by one.
      const matching = new Set<string>([...(readers.has(name) ? [name] : []), ...wildReaders.filter((s) => globMatch(s, name) || globMatch(name, s)), ...(wild(name) ? literalReaders.filter((s) => globMatch(name, s)) : [])]);
      for (const s of matching) {
        // The name data actually travels on: a wildcard grant meets a literal one on the literal name,
        // and DENY is checked on that name for the writer and for the reader (DENY wins).
        const concrete = wild(name) && !wild(s) ? s : name;
        const writing = ws.filter((x) => permitted(enclaveOf.get(x)!, kind, writeVerb, concrete));
        const reading = readers.get(s)!.filter((y) => permitted(enclaveOf.get(y)!, kind, readVerb, concrete) && (writing.length > 1 || y !== writing[0]));
        if (!writing.length || !reading.length) continue;
        const bus = `dds-${kind}:${concrete}`;
        if (!model.compartments.some((c) => c.id === bus)) model.compartments.push({ id: bus, kind: 'bus', parent: ros.compartment });
        for (const x of writing) if (!drawn.has(`${x}>${bus}>${label}`)) { drawn.add(`${x}>${bus}>${label}`); model.flows.push({ from: x, to: bus, protocol: `DDS ${label} ${concrete}`, ...sros2 }); }
        for (const y of reading) if (!drawn.has(`${bus}>${y}>${label}`)) { drawn.add(`${bus}>${y}>${label}`); model.flows.push({ from: bus, to: y, protocol: `DDS ${label} ${concrete}`, ...sros2 }); }
      }
    }
  };
  connect('topic', 'publish', 'subscribe', 'topic');
  // A service request goes client → server and its reply server → client; an action's goal, cancel and
  // result requests and its feedback and status topics likewise go both ways between call and execute.
  connect('service', 'request', 'reply', 'service request');
  connect('service', 'reply', 'request', 'service reply');
  connect('action', 'call', 'execute', 'action goal/cancel/result');
  connect('action', 'execute', 'call', 'action feedback/status/result');

  // The DDS domain as an external interface, from the discovery settings the processes run with.
  const exposure = domainExposure(env, ros.domainExposed);
  model.dds = exposure;
  model.notes.push(`DDS domain ${exposure.exposed ? 'reachable from the network' : 'kept on the host'}: ${exposure.reason}${exposure.exposed && !ids.length ? '; no ROS process is in the model (no launch file read starts one), so this interface enters nothing yet' : ''}`, ...exposure.notes);
  if (exposure.exposed && ids.length) {
    model.compartments.push({ id: 'dds-network', kind: 'bus' });
    model.interfaces.push({ id: 'dds-domain', kind: 'dds', description: exposure.reason, into: 'dds-network' });
    for (const x of open) model.flows.push({ from: 'dds-network', to: x, protocol: 'DDS' });
    for (const x of secure) model.flows.push({ from: 'dds-network', to: x, protocol: 'DDS', ...sros2 });
    if (open.length) model.notes.push(`DDS traffic leaves the host and ${open.length} process(es) have no SROS2 enclave: each is on the perimeter (${open.slice(0, 10).join(', ')}${open.length > 10 ? ', …' : ''})`);
  }

  // Bridges: a launched node of a bridge package is an external interface unless declared otherwise.
  const internal = new Set((ros.internalBridges ?? []).map(to));
  for (const x of internal) if (!processes.has(x)) model.notes.push(`ros.internalBridges names ${x}, which is no process the launch files start: no bridge is taken as internal by it${meantText(x, ids)}`);
  for (const p of processes.values()) {
    for (const n of p.members) {
      const b = bridgeOf(n.pkg, n.exec);
      if (!b) continue;
      if (model.interfaces.some((i) => i.into === p.id) || internal.has(p.id)) continue;
      // The port on the command line (micro_ros_agent udp4 -p 8888) wins over the package's default.
      const given = portFromArgs(n.args);
      const port = given ?? b.port;
      model.interfaces.push({ id: `bridge:${n.fullName}`, kind: 'bridge', ...(port ? { port } : {}), description: `probable external interface: ${b.what}, launched at ${n.file}:${n.line}`, into: p.id, probable: true });
      model.notes.push(`${n.file}:${n.line}: ${n.fullName} runs ${n.pkg} (${b.what}) and no interface in marque.yaml enters it: counted as an external interface${given ? ` (port ${given}, from its arguments)` : b.port ? ` (default port ${b.port})` : ''}; declare it in architecture.interfaces, or list it in ros.internalBridges if it only listens on the host`);
    }
  }

  // Robot controllers reached through ros2_control: the hardware plugin the robot description names
  // is loaded by the controller manager, which then holds the link (UR's RTDE and reverse ports, Kortex, libfranka).
  const managers = [...processes.values()].flatMap((p) => p.members.filter((n) => n.pkg === 'controller_manager' && n.exec === 'ros2_control_node').slice(0, 1).map((n) => ({ p, n })));
  if (managers.length && packages) {
    const hw = readHardware(dir, packages);
    model.notes.push(...hw.notes);
    for (const f of hw.files) if (!model.sources.includes(f)) model.sources.push(f);
    const where = (u: { file: string; line: number; condition?: string }) => `${u.file}:${u.line}${u.condition ? ` (under ${u.condition})` : ''}`;
    const byPlugin = new Map<string, typeof hw.links>();
    for (const l of hw.links) byPlugin.set(l.plugin, [...(byPlugin.get(l.plugin) ?? []), l]);
    for (const { p, n } of managers) {
      if (!hw.links.length && !hw.unknown.length) {
        model.notes.push(`${n.file}:${n.line}: ${n.fullName} is a ros2_control controller manager; no <ros2_control> hardware plugin is named in the workspace's URDF or xacro files (the robot description may come from an installed package), so no link to a robot controller is in the model`);
        continue;
      }
      if (model.interfaces.some((i) => i.into === p.id && !i.probable)) continue;
      for (const [plugin, uses] of byPlugin) {
        const first = uses[0]!;
        const portFrom = uses.find((u) => u.port);
        const port = portFrom?.port ?? first.known.port;
        let id = `hardware:${plugin}`;
        for (let k = 2; model.interfaces.some((i) => i.id === id); k++) id = `hardware:${plugin}#${k}`;
        const places = `${where(first)}${uses.length > 1 ? ` and ${uses.length - 1} more place(s): ${uses.slice(1, 4).map(where).join(', ')}${uses.length > 4 ? ', …' : ''}` : ''}`;
        model.interfaces.push({ id, kind: 'network', port, description: `probable external interface: link to the robot controller through the ros2_control hardware plugin ${plugin} (${first.known.what}), named at ${places}; loaded by ${n.fullName} launched at ${n.file}:${n.line}`, into: p.id, probable: true });
        model.notes.push(`${first.file}:${first.line}: the ros2_control hardware plugin ${plugin} (${first.known.what}; ${first.known.source}) is loaded by ${n.fullName} (${n.file}:${n.line}), and no interface in marque.yaml enters it: counted as an external interface (port ${port}${portFrom ? `, from the <param> at ${portFrom.file}` : ', the default'})${first.condition ? `; it is under ${first.condition}, which Marque does not evaluate (xacro is not expanded): counted in, to be safe` : ''}; declare it in architecture.interfaces`);
      }
      if (hw.unknown.length) model.notes.push(`${n.fullName} (${n.file}:${n.line}) is a ros2_control controller manager and the workspace's robot descriptions name hardware plugin(s) Marque does not know: ${hw.unknown.slice(0, 10).map((u) => `${u.plugin} at ${where(u)}`).join(', ')}${hw.unknown.length > 10 ? `, … (${hw.unknown.length - 10} more)` : ''}; if one talks to a robot controller or a device over a network, a bus or a serial line, declare that link in architecture.interfaces`);
    }
  }
}

