import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { perimeterReport, perimeterDot } from '../src/api/perimeter.ts';
import { analysePerimeter } from '../src/perimeter/analyse.ts';
import { readCompose } from '../src/perimeter/compose.ts';
import { readSros2Policy } from '../src/perimeter/sros2.ts';
import { domainExposure } from '../src/perimeter/dds.ts';
import { readLaunchTree } from '../src/perimeter/launch/interpret.ts';
import { workspacePackages } from '../src/perimeter/launch/workspace.ts';
import type { ArchitectureModel } from '../src/perimeter/model.ts';
import type { InventoryComponent } from '../src/model/inventory.ts';
import { AdvisoryDb } from '../src/advisories/store.ts';
import { importAdvisories } from '../src/api/advisories.ts';
import { EXAMPLE, FIXTURES, ROOT } from './helpers/paths.ts';
import { dotToSvg } from '../src/util/graphviz.ts';

const has = (r: { perimeter: { component: string }[] }, s: string) => r.perimeter.some((p) => p.component.includes(s));

test('the example robot: web UI and rosbridge in the perimeter; SROS2-secured navigation, motor and fleet nodes outside', async () => {
  const r = await perimeterReport(EXAMPLE);
  assert.ok(has(r, 'pkg:npm/express@4.18.2'));
  assert.ok(has(r, 'ros-jazzy-rosbridge-server'));
  assert.ok(has(r, 'ros-jazzy-robot-state-publisher'), 'no enclave: reachable from rosbridge over plain DDS');
  for (const s of ['courier_navigation', 'courier_motor_bridge', 'courier_fleet_client', 'nav2-controller']) assert.ok(!has(r, s), s);
  assert.ok(!has(r, 'eslint'), 'dev dependencies do not ship');
  assert.deepEqual(r.mechanisms.map((m) => m.mechanism), ['mutual TLS with X.509 device certificates']);
  assert.match(r.outside.find((o) => o.component.includes('courier_fleet_client'))!.reason, /behind mutual TLS/);
  assert.ok(r.model.notes.some((n) => /without an SROS2 enclave.*rosbridge_websocket/.test(n)));
  assert.ok(r.model.notes.some((n) => /8883 on loopback only/.test(n)));
  assert.ok(r.notes.some((n) => /^node:\/controller_server runs nav2_controller, which the inventory does not hold/.test(n)), 'a launched package no package of the product depends on is named');
  assert.equal(r.sevenProperties.length, 7);
  assert.equal(r.sevenProperties.find((p) => p.property === 'Hardware-based root of trust')!.status, 'met');
});

test('without an SROS2 policy any node may talk to any other: the navigation stack joins the perimeter, and the report says why', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'marque-perim-'));
  cpSync(EXAMPLE, dir, { recursive: true });
  const yaml = readFileSync(join(dir, 'marque.yaml'), 'utf8').replace('    sros2Policy: security/policy.xml\n', '');
  writeFileSync(join(dir, 'marque.yaml'), yaml);
  const r = await perimeterReport(dir);
  assert.ok(has(r, 'courier_navigation') && has(r, 'courier_motor_bridge'));
  assert.ok(r.model.notes.includes('no SROS2 policy: any node may talk to any other on the DDS domain'));
});

test('isolation: an assessed mechanism stops the attacker and joins the perimeter; an unassessed one does not', () => {
  const comp = (purl: string): InventoryComponent => ({ purl, name: purl, version: '1', ecosystem: 'generic', licenses: [], depth: 1, kind: 'runtime' });
  const model = (assessed: boolean): ArchitectureModel => ({
    compartments: [{ id: 'host', kind: 'host', components: ['pkg:generic/web*'] }, { id: 'vm', kind: 'vm', parent: 'host', isolation: 'hypervisor', isolationAssessed: assessed, components: ['pkg:generic/core*'] }],
    interfaces: [{ id: 'lan', kind: 'network', into: 'host' }], flows: [], trustAnchors: [], sources: [], notes: [],
  });
  const cs = [comp('pkg:generic/web@1'), comp('pkg:generic/core@1')];
  const open = analysePerimeter(model(false), cs, []);
  assert.deepEqual(open.perimeter.map((p) => p.component).sort(), ['pkg:generic/core@1', 'pkg:generic/web@1']);
  const closed = analysePerimeter(model(true), cs, []);
  assert.deepEqual(closed.perimeter.map((p) => p.component), ['pkg:generic/web@1']);
  assert.deepEqual(closed.mechanisms, [{ mechanism: 'hypervisor', where: 'host ⊃ vm' }]);
  assert.match(closed.outside[0]!.reason, /behind hypervisor \(assessed\)/);
});

test('importers: launch XML and YAML (namespaces, enclaves, includes followed), SROS2 with XInclude, compose ports', () => {
  const launch = join(EXAMPLE, 'src/courier/courier_bringup/launch');
  const ws = { root: EXAMPLE, packages: workspacePackages(EXAMPLE), installPrefixes: [] };
  const xml = readLaunchTree(join(launch, 'courier.launch.xml'), ws);
  assert.deepEqual(xml.nodes.map((n) => n.fullName), ['/robot_state_publisher', '/mission_executive', '/controller_server', '/planner_server', '/motor_bridge', '/fleet_client', '/ui/rosbridge_websocket']);
  assert.equal(xml.nodes.find((n) => n.pkg === 'courier_motor_bridge')!.enclave, '/courier/motor');
  assert.deepEqual(xml.files.map((f) => f.split('/').pop()), ['courier.launch.xml', 'ui.launch.yaml'], 'the include of ui.launch.yaml is followed through $(find-pkg-share courier_bringup)');
  const yaml = readLaunchTree(join(launch, 'ui.launch.yaml'), ws);
  assert.deepEqual(yaml.nodes.map((n) => [n.pkg, n.namespace, n.name, n.line]), [['rosbridge_server', '/ui', 'rosbridge_websocket', 4]]);
  const dir = mkdtempSync(join(tmpdir(), 'marque-launch-'));
  writeFileSync(join(dir, 'x.launch.py'), 'from launch import LaunchDescription\ndef generate_launch_description(:\n');
  assert.match(readLaunchTree(join(dir, 'x.launch.py'), { ...ws, root: dir }).notes[0]!, /x\.launch\.py:2: not valid Python/);
  const policy = readSros2Policy(join(EXAMPLE, 'security/policy.xml'));
  const nav = policy.find((e) => e.path === '/courier/navigation')!;
  const grants = (verb: string) => nav.grants.filter((g) => g.kind === 'topic' && g.verb === verb && g.allow).map((g) => g.name);
  assert.ok(grants('publish').includes('/rosout'), 'XInclude of common/node.xml: relative name resolved in ns "/"');
  assert.ok(grants('publish').includes('/goal_pose') && grants('subscribe').includes('/odom'));
  const compose = readCompose(join(EXAMPLE, 'deploy/docker-compose.yml'));
  assert.deepEqual(compose.map((s) => [s.name, s.ports[0]!.published, s.ports[0]!.hostIp ?? null]), [['dashboard', 443, null], ['tls-gateway', 8883, '127.0.0.1']]);
  mkdirSync(join(dir, 'evil'));
  writeFileSync(join(dir, 'evil', 'p.xml'), '<?xml version="1.0"?>\n<!DOCTYPE policy [<!ENTITY x SYSTEM "file:///etc/passwd">]>\n<policy version="0.2.0"><enclaves/></policy>');
  assert.throws(() => readSros2Policy(join(dir, 'evil', 'p.xml')), /external entities are never resolved/);
});

test('dot and SVG diagrams; --json through the CLI; VEX suggestions for findings outside the perimeter', async () => {
  const r = await perimeterReport(EXAMPLE);
  const dot = perimeterDot(r);
  assert.match(dot, /subgraph "cluster_robot-pc"/, 'a compartment that holds others is a cluster');
  assert.match(dot, /"container:dashboard" \[shape=box/, 'one that holds none is one box, not a box in a box');
  assert.match(dot, /"dds-topic:\/odom" \[shape=ellipse/);
  assert.match(dot, /labelloc=b; labeljust=l; label=<<table/, 'the legend sits under the picture');
  assert.match(dot, /"rosbridge-ws" -> "node:\/ui\/rosbridge_websocket" \[color=red\]/);
  // Drawn by Graphviz built as WebAssembly (no system Graphviz): the picture has every compartment,
  // interface and bus of the model as a node, and the legend.
  const svg = spawnSync(process.execPath, [join(ROOT, 'bin/marque.js'), 'perimeter', EXAMPLE, '--format', 'svg'], { encoding: 'utf8', env: { ...process.env, PATH: '/nonexistent' } });
  assert.equal(svg.status, 0, svg.stderr);
  assert.match(svg.stdout, /^<\?xml[\s\S]*<svg[\s\S]*<\/svg>\s*$/);
  const titles = new Set([...svg.stdout.matchAll(/<g id="node\d+" class="node">\s*<title>([^<]*)<\/title>/g)].map((m) => m[1]!.replace(/&#45;/g, '-').replace(/&gt;/g, '>')));
  for (const id of ['container:dashboard', 'node:/ui/rosbridge_websocket', 'rosbridge-ws', 'dds-topic:/odom']) assert.ok(titles.has(id), `${id} is a node of the picture (${titles.size} nodes)`);
  assert.match(svg.stdout, />Legend</);
  const path = join(mkdtempSync(join(tmpdir(), 'marque-perim-db-')), 'a.sqlite');
  await importAdvisories(path, [join(FIXTURES, 'osv/pypa')]);
  const db = AdvisoryDb.openForRead(path)!;
  const withDb = await perimeterReport(EXAMPLE, db);
  db.close();
  const s = withDb.vexSuggestions.find((x) => x.component === 'pkg:pypi/idna@3.6')!;
  assert.equal(s.justification, 'vulnerable_code_cannot_be_controlled_by_adversary');
  assert.match(s.impact, /provisioning-station/);
  assert.equal(s.confirmedBy, null, 'a person confirms');
  const cli = spawnSync(process.execPath, [join(ROOT, 'bin/marque.js'), 'perimeter', EXAMPLE, '--json', '--db', path], { encoding: 'utf8' });
  const j = JSON.parse(cli.stdout);
  for (const k of ['perimeter', 'outside', 'boundaries', 'vexSuggestions', 'sevenProperties']) assert.ok(k in j, k);
});

test('DOT output escapes backslashes and quotes, so Graphviz reads any id', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'marque-dot-'));
  writeFileSync(join(dir, 'marque.yaml'), 'product:\n  name: p\n  version: 1.0.0\narchitecture:\n  compartments:\n    - {id: "a\\\\", kind: host}\n    - {id: "b\\"c", kind: host}\n  interfaces:\n    - {id: net, kind: network, into: "a\\\\"}\n');
  const r = spawnSync(process.execPath, [join(ROOT, 'bin/marque.js'), 'perimeter', dir, '--format', 'dot'], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /"a\\\\"/);
  assert.match(r.stdout, /"b\\"c"/);
  const svg = await dotToSvg(r.stdout);
  assert.match(svg, /<title>a\\\\<\/title>/, 'the id with a backslash is one node');
  assert.match(svg, /<title>b&quot;c<\/title>/, 'the id with a quote is one node');
});

test('a DDS domain without a policy is one shared bus: 2,000 nodes give 4,000 flows, not 4 million, and all are reached', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'marque-bus-'));
  writeFileSync(join(dir, 'marque.yaml'), 'product:\n  name: p\n  version: 1.0.0\narchitecture:\n  compartments: [{id: ros, kind: container}]\n  interfaces: [{id: net, kind: network, into: ros}]\n  ros:\n    compartment: ros\n    launch: [l.launch.xml]\n');
  writeFileSync(join(dir, 'l.launch.xml'), `<launch>${Array.from({ length: 2000 }, (_, i) => `<node pkg="p" exec="e${i}" name="n${i}"/>`).join('')}</launch>`);
  const r = await perimeterReport(dir);
  assert.equal(r.model.flows.filter((f) => f.from === 'dds-bus' || f.to === 'dds-bus').length, 4000);
  // Nothing keeps discovery on the host, so the domain itself is an interface: one more flow per node, still linear.
  assert.equal(r.model.flows.filter((f) => f.from === 'dds-network').length, 2000);
  assert.equal(r.model.dds?.basis, 'default');
  assert.ok(r.model.compartments.some((c) => c.id === 'dds-bus' && c.kind === 'bus'));
  assert.ok(r.reachedCompartments.includes('node:/n1999'));
});

const ROVER = join(ROOT, 'examples', 'inspection-rover');

test('the inspection rover (all-Python bringup): processes and containers from the launch files, enclaves, DDS exposure, a probable bridge', async () => {
  const r = await perimeterReport(ROVER);
  const procs = r.model.compartments.filter((c) => c.kind === 'process');
  assert.deepEqual(procs.map((c) => [c.id, c.components]), [
    ['node:/rover/rover_container', ['ros:rclcpp_components', 'ros:rover_perception', 'ros:rover_mission']],
    ['node:/rover/supervisor', ['ros:rover_mission']],
    // Not named in the launch file: told apart by its file and line.
    ['node:/rover/robot_state_publisher@src/rover_bringup/launch/rover.launch.py:52', ['ros:robot_state_publisher']],
    ['node:/operator/foxglove_bridge', ['ros:foxglove_bridge']],
    ['node:/operator/teleop_relay', ['ros:rover_teleop']],
  ], 'camera, defect_detector and mission_executive share the container process; sim_mission_source is not launched (use_sim false)');
  assert.ok(procs.every((c) => c.isolation === undefined), 'an operating system process is not an isolation boundary unless declared');
  assert.equal(r.model.dds?.exposed, true);
  assert.match(r.model.dds!.reason, /ROS_AUTOMATIC_DISCOVERY_RANGE=SUBNET \(src\/rover_bringup\/launch\/rover\.launch\.py:34\)/);
  assert.deepEqual(r.model.interfaces.map((i) => [i.id, i.into, i.port ?? null, Boolean(i.probable)]), [
    ['dds-domain', 'dds-network', null, false],
    ['bridge:/operator/foxglove_bridge', 'node:/operator/foxglove_bridge', 8765, true],
  ]);
  const inside = r.perimeter.map((p) => p.component);
  for (const s of ['pkg:ros/rover_teleop@', 'ros-jazzy-foxglove-bridge', 'ros-jazzy-robot-state-publisher']) assert.ok(inside.some((c) => c.includes(s)), s);
  for (const s of ['pkg:ros/rover_perception@', 'pkg:ros/rover_mission@']) assert.ok(!inside.some((c) => c.includes(s)), `${s}: behind assessed SROS2`);
  // The message package: ros:* places it in the ros container, which nothing reaches; the exposed
  // teleop relay loads it (its runtime closure), so its (de)serialisation runs on the perimeter.
  const msgs = r.perimeter.find((p) => p.component.startsWith('pkg:ros/rover_msgs@'))!;
  assert.equal(msgs.compartment, 'node:/operator/teleop_relay');
  assert.deepEqual([msgs.via, msgs.placedIn], [['dds-domain', 'dds-network', 'node:/operator/teleop_relay'], 'ros']);
  const seven = Object.fromEntries(r.sevenProperties.map((p) => [p.property, p]));
  assert.equal(seven['Compartmentalisation']!.status, 'not-met');
  assert.match(seven['Compartmentalisation']!.evidence, /ROS processes of one user are not counted as isolated/);
  assert.match(seven['Defence in depth']!.evidence, /^1 distinct assessed mechanism/, 'the same mechanism at two places is one layer');
});

test('SROS2: services and actions become flows both ways; DENY wins over a wildcard ALLOW', async () => {
  const r = await perimeterReport(ROVER);
  const flows = r.model.flows.map((f) => `${f.from} -> ${f.to} ${f.protocol}`);
  for (const f of [
    'node:/rover/supervisor -> dds-service:/rover/start_inspection DDS service request /rover/start_inspection',
    'dds-service:/rover/start_inspection -> node:/rover/rover_container DDS service request /rover/start_inspection',
    'node:/rover/rover_container -> dds-service:/rover/start_inspection DDS service reply /rover/start_inspection',
    'dds-service:/rover/start_inspection -> node:/rover/supervisor DDS service reply /rover/start_inspection',
    'node:/rover/supervisor -> dds-action:/rover/inspect DDS action goal/cancel/result /rover/inspect',
    'node:/rover/rover_container -> dds-action:/rover/inspect DDS action feedback/status/result /rover/inspect',
    'node:/rover/supervisor -> dds-topic:/rover/findings DDS topic /rover/findings',
  ]) assert.ok(flows.includes(f), f);
  assert.ok(!flows.some((f) => f.includes('camera/image_raw')), 'publish="DENY" on camera/image_raw beats the supervisor\'s publish="ALLOW" on *');
  // sros2's own test policies (services and actions, included by sample.policy.xml).
  const sample = readSros2Policy(join(FIXTURES, 'sros2/policies/sample.policy.xml'));
  assert.deepEqual(sample.map((e) => e.path), ['/talker_listener/talker', '/talker_listener/listener', '/add_two_ints/add_two_ints_server', '/add_two_ints/add_two_ints_client', '/minimal_action/minimal_action_server', '/minimal_action/minimal_action_client', '/sample_policy/admin']);
  const admin = sample.find((e) => e.path === '/sample_policy/admin')!;
  assert.deepEqual(admin.grants.filter((g) => g.kind !== 'topic' && !g.name.startsWith('/admin/')).map((g) => `${g.kind} ${g.verb} ${g.name}`), ['service reply /add_two_ints', 'service request /add_two_ints', 'action execute /fibonacci', 'action call /fibonacci']);
  assert.ok(admin.grants.some((g) => g.kind === 'service' && g.name === '/admin/describe_parameters' && g.verb === 'reply'), '~/describe_parameters is the node\'s own');
});

test('DDS exposure: discovery settings from launch files, compose and marque.yaml; the most open wins; a declaration is never a verification', () => {
  const s = (name: string, value: string, where = 'x') => ({ name, value, where });
  assert.deepEqual([domainExposure([s('ROS_AUTOMATIC_DISCOVERY_RANGE', 'LOCALHOST')], undefined).exposed, domainExposure([s('ROS_AUTOMATIC_DISCOVERY_RANGE', 'OFF')], undefined).exposed], [false, false]);
  assert.equal(domainExposure([s('ROS_AUTOMATIC_DISCOVERY_RANGE', 'LOCALHOST'), s('ROS_STATIC_PEERS', '192.168.1.7')], undefined).exposed, true, 'static peers reach other hosts whatever the range');
  assert.equal(domainExposure([s('ROS_AUTOMATIC_DISCOVERY_RANGE', 'LOCALHOST', 'a'), s('ROS_AUTOMATIC_DISCOVERY_RANGE', 'SUBNET', 'b')], undefined).exposed, true);
  assert.equal(domainExposure([s('ROS_LOCALHOST_ONLY', '1')], undefined).exposed, false);
  const dflt = domainExposure([], undefined);
  assert.deepEqual([dflt.exposed, dflt.basis], [true, 'default']);
  const declared = domainExposure([], false);
  assert.deepEqual([declared.exposed, declared.basis], [false, 'declared']);
  assert.match(declared.notes.join(' '), /which Marque did not verify/);
  const contradicted = domainExposure([s('ROS_AUTOMATIC_DISCOVERY_RANGE', 'SUBNET', 'compose.yml (service ros)')], false);
  assert.equal(contradicted.exposed, true);
  assert.match(contradicted.notes.join(' '), /the configuration is what runs/);
  const dir = mkdtempSync(join(tmpdir(), 'marque-compose-env-'));
  writeFileSync(join(dir, 'c.yml'), 'services:\n  ros:\n    image: x\n    environment:\n      - ROS_AUTOMATIC_DISCOVERY_RANGE=LOCALHOST\n      - ROS_DOMAIN_ID=7\n  web:\n    image: y\n    environment: { TZ: UTC }\n');
  assert.deepEqual(readCompose(join(dir, 'c.yml')).map((c) => ({ ...c.environment })), [{ ROS_AUTOMATIC_DISCOVERY_RANGE: 'LOCALHOST', ROS_DOMAIN_ID: '7' }, { TZ: 'UTC' }]);
});

test('a launched package the product depends on but that did not resolve is named with the dependency and why, not as a missing exec_depend', () => {
  // linorobot2's bringup launches micro_ros_agent and exec_depends on it; jazzy does not release it.
  const model: ArchitectureModel = {
    compartments: [{ id: 'node:/micro_ros_agent', kind: 'process', components: ['ros:micro_ros_agent'] }, { id: 'node:/ld06', kind: 'process', components: ['ros:ldlidar_stl_ros2'] }],
    interfaces: [], flows: [], trustAnchors: [], sources: [], notes: [],
  };
  const reason = '"micro_ros_agent" is neither a workspace package, a rosdep key, nor a package of jazzy';
  const r = analysePerimeter(model, [], [], [{ key: 'micro_ros_agent', package: 'linorobot2_bringup', file: 'linorobot2_bringup/package.xml', line: 17, kind: 'exec', reason }]);
  assert.deepEqual(r.notes.filter((n) => /does not hold/.test(n)), [
    `node:/micro_ros_agent runs micro_ros_agent, which the inventory does not hold: linorobot2_bringup depends on it (linorobot2_bringup/package.xml:17) but it is not resolved (${reason}), so what runs there is not in the SBOM`,
    'node:/ld06 runs ldlidar_stl_ros2, which the inventory does not hold: no package of the product depends on it (add an exec_depend to the bringup package), so what runs there is not in the SBOM',
  ]);
});

test('a large picture collapses, per parent, the compartments no external data reaches', () => {
  const model: ArchitectureModel = {
    compartments: [{ id: 'host', kind: 'host' }, ...Array.from({ length: 60 }, (_, i) => ({ id: `node:/n${i}`, kind: 'process' as const, parent: 'host', components: [`pkg:generic/c${i}*`] }))],
    interfaces: [{ id: 'wifi', kind: 'network', into: 'node:/n0' }], flows: [{ from: 'node:/n0', to: 'node:/n1' }, { from: 'node:/n2', to: 'node:/n3' }], trustAnchors: [], sources: [], notes: [],
  };
  const result = analysePerimeter(model, [], []);
  const dot = perimeterDot({ ...result, model, vexSuggestions: [], sevenProperties: [], problems: [] });
  assert.match(dot, /"collapsed:host" \[shape=box3d .*label="58 compartments no external data reaches/);
  assert.match(dot, /"node:\/n0" \[shape=box/);
  assert.match(dot, /"node:\/n1" \[shape=box/, 'reached compartments stay');
  assert.doesNotMatch(dot, /"node:\/n2" \[/);
  assert.doesNotMatch(dot, /"collapsed:host" -> "collapsed:host"/, 'flows inside the collapsed group are not drawn');
  assert.doesNotMatch(perimeterDot({ ...result, model, vexSuggestions: [], sevenProperties: [], problems: [] }, { collapseOver: 100 }), /collapsed:/);
});

test('perimeter words that are true: reached from an interface and counted in to be safe are two numbers with their reasons, in the CLI, the JSON (schema), the dossier and a dossier kept by the server', async () => {
  const { Ajv } = await import('ajv');
  const { buildDossier } = await import('../src/api/dossier.ts');
  const { dossierHtml } = await import('../src/report/dossier-html.ts');
  const { DOSSIER_SCHEMA } = await import('../src/model/dossier-schema.ts');
  const { isMissing } = await import('../src/model/dossier.ts');
  const { perimeterCounts } = await import('../src/report/perimeter-counts.ts');
  const schema = new Ajv({ strict: false }).compile(JSON.parse(readFileSync(join(ROOT, 'schemas/perimeter.schema.json'), 'utf8')));
  const cli = (dir: string, ...args: string[]) => spawnSync(process.execPath, [join(ROOT, 'bin/marque.js'), 'perimeter', dir, ...args], { encoding: 'utf8' });
  // The example robot: every component in the perimeter is reached from an interface.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  type Json = Record<string, any>;
  const ex = JSON.parse(cli(EXAMPLE, '--json').stdout) as Json;
  assert.ok(schema(ex), JSON.stringify(schema.errors));
  assert.equal(ex.counts.reached + ex.counts.countedIn, ex.perimeter.length);
  assert.equal(ex.counts.outside, ex.outside.length);
  assert.ok(ex.counts.reached > 0 && ex.perimeter.filter((p: { basis: string }) => p.basis === 'reached').every((p: { via: string[]; reason: string }) => p.via.length > 1 && p.reason.startsWith(`reached from ${p.via[0]} through`)));
  // realsense-ros as a new user sets it up: no launch file declared, the DDS domain exposed by default.
  const dir = mkdtempSync(join(tmpdir(), 'marque-realsense-'));
  cpSync(join(FIXTURES, 'launch', 'realsense-ros'), dir, { recursive: true });
  writeFileSync(join(dir, 'marque.yaml'), 'product:\n  name: realsense\n  version: 4.55.1\narchitecture:\n  ros:\n    domainExposed: true\n');
  const text = cli(dir);
  assert.equal(text.status, 0, text.stderr);
  const counted = Number(/^ {2}(\d+) counted in, to be safe: in no compartment of the architecture model, so Marque cannot show that external data does not reach them$/m.exec(text.stdout)?.[1]);
  assert.ok(counted > 0, text.stdout);
  assert.match(text.stdout, /^ {2}0 reached from the model's 0 external interface\(s\): data from an interface reaches a compartment they run in$/m);
  assert.doesNotMatch(text.stdout, /reachable from 0 external interface/);
  assert.match(text.stdout, /No launch file is declared \(architecture\.ros\.launch\), so the model has no ROS process\. Launch files in this workspace, bringup packages first:\n {2}realsense2_camera\/launch\/rs_launch\.py\n/);
  assert.match(text.stdout, /note: DDS domain reachable from the network: .*; no ROS process is in the model \(no launch file read starts one\), so this interface enters nothing yet/);
  const j = JSON.parse(cli(dir, '--json').stdout) as Json;
  assert.ok(schema(j), JSON.stringify(schema.errors));
  assert.deepEqual([j.counts.reached, j.counts.countedIn, j.counts.interfaces], [0, counted, 0]);
  assert.ok(j.perimeter.every((p: { basis: string; via: string[] }) => p.basis === 'counted-in' && p.via.length === 0));
  assert.deepEqual(j.launch.found, ['realsense2_camera/launch/rs_launch.py', 'realsense2_camera/launch/rs_multi_camera_launch.py', 'realsense2_camera/launch/rs_intra_process_demo_launch.py', 'realsense2_description/launch/view_model.launch.py']);
  // The dossier says the same, and the server accepts it and renders it.
  const d = await buildDossier({ dir });
  assert.ok(!isMissing(d.perimeter));
  if (isMissing(d.perimeter)) return;
  assert.deepEqual(d.perimeter.counts, j.counts);
  assert.ok(new Ajv({ strict: false, allErrors: true }).compile(DOSSIER_SCHEMA)(JSON.parse(JSON.stringify(d))));
  const page = dossierHtml(d);
  assert.doesNotMatch(page, /reachable from an external interface\)/);
  assert.match(page, new RegExp(`<strong>0</strong> reached from the model's 0 external interfaces`));
  assert.match(page, new RegExp(`<strong>${counted}</strong> counted in, to be safe: in no compartment of the architecture model`));
  assert.match(page, /The model has no external interface: the perimeter rests on components counted in/);
  assert.match(page, /No launch file is declared \(architecture\.ros\.launch\)/);
  // A dossier kept before the counts were recorded: derived from the entries, the counted-in ones told apart.
  const old = { ...d.perimeter, counts: undefined, launch: undefined, perimeter: d.perimeter.perimeter.map((p) => ({ component: p.component, compartment: p.compartment, reason: 'reached through not assigned to a compartment: counted in, to be safe' })) };
  assert.deepEqual(perimeterCounts(old), { reached: 0, countedIn: counted, outside: d.perimeter.outside.length, interfaces: 0 });
  assert.match(dossierHtml({ ...d, perimeter: old }), new RegExp(`<strong>${counted}</strong> counted in, to be safe`));
});

test('perimeter words on realsense-ros, as a new user runs it: the same two numbers in the CLI, the JSON, the dossier, and the release page and API of the server it is pushed to', async () => {
  const { buildDossier } = await import('../src/api/dossier.ts');
  const { isMissing } = await import('../src/model/dossier.ts');
  const { buildServer } = await import('../src/server/app.ts');
  const { portfolioStore } = await import('../src/server/store/portfolio.ts');
  const { sqliteSql } = await import('../src/server/store/sqlite.ts');
  const cli = (dir: string, ...args: string[]) => spawnSync(process.execPath, [join(ROOT, 'bin/marque.js'), 'perimeter', dir, ...args], { encoding: 'utf8' });
  const dir = mkdtempSync(join(tmpdir(), 'marque-realsense-'));
  cpSync(join(FIXTURES, 'launch', 'realsense-ros'), dir, { recursive: true });
  const store = portfolioStore(sqliteSql(join(dir, 'server.sqlite')));
  await store.migrate();
  const team = await store.createTeam('intel');
  const token = (await store.createToken(team.id, 'admin', 'lead@intel')).token;
  const app = await buildServer(store);
  const call = (method: string, url: string, payload?: unknown) => app.inject({ method: method as 'GET', url, headers: { authorization: `Bearer ${token}` }, payload: payload as never });
  const product = (await call('POST', '/api/v1/products', { name: 'realsense' })).json();
  try {
    // 1. "marque init": no architecture section. The dossier says what the CLI says (no gap of its own).
    // 2. The camera's launch file declared: /camera/camera is reached through the DDS domain ROS 2 exposes by default.
    for (const [version, yaml, shape] of [
      ['4.55.1', '', 'none reached'],
      ['4.55.1-1', 'architecture:\n  ros:\n    launch: [realsense2_camera/launch/rs_launch.py]\n', 'both'],
    ] as const) {
      writeFileSync(join(dir, 'marque.yaml'), `product:\n  name: realsense\n  version: ${version}\n${yaml}`);
      const text = cli(dir);
      assert.equal(text.status, 0, text.stderr);
      const j = JSON.parse(cli(dir, '--json').stdout) as { counts: { reached: number; countedIn: number; interfaces: number; outside: number }; perimeter: { basis: string; via: string[]; compartment: string | null }[]; sevenProperties: { property: string; status: string; evidence: string }[] };
      const c = j.counts;
      // The trusted computing base's share is judged only once an interface was followed.
      const tcb = j.sevenProperties.find((p) => p.property === 'Small trusted computing base')!;
      assert.equal(tcb.status, c.interfaces === 0 ? 'needs-evidence' : 'not-met');
      assert.match(tcb.evidence, new RegExp(`^${c.reached + c.countedIn} of ${c.reached + c.countedIn + c.outside} components \\(\\d+ %\\) are in the perimeter: ${c.reached} reached from an external interface, ${c.countedIn} counted in, to be safe${c.interfaces === 0 ? '; the model has no external interface' : '$'}`));
      assert.equal(c.reached + c.countedIn, j.perimeter.length);
      assert.equal(c.reached, j.perimeter.filter((p) => p.basis === 'reached' && p.via[0] === 'dds-domain' && p.compartment === 'node:/camera/camera').length);
      if (shape === 'none reached') assert.deepEqual([c.reached, c.interfaces, c.countedIn], [0, 0, 20]);
      else {
        assert.deepEqual([c.reached, c.interfaces, c.countedIn], [18, 1, 2]);
        // Only the description viewer uses these: no process of the model runs them.
        assert.deepEqual(j.perimeter.filter((p) => p.basis === 'counted-in').map((p) => (p as unknown as { component: string }).component), ['pkg:ros/realsense2_description@4.55.1?distro=jazzy', 'pkg:deb/ubuntu/ros-jazzy-xacro@2.1.1-1?distro=ubuntu-24.04']);
      }
      assert.match(text.stdout, new RegExp(`^Perimeter: ${c.reached + c.countedIn} component\\(s\\) in the perimeter, ${c.outside} outside\\.\\n {2}${c.reached} reached from the model's ${c.interfaces} external interface\\(s\\): data from an interface reaches a compartment they run in\\n {2}${c.countedIn} counted in, to be safe: in no compartment of the architecture model`));
      // A DDS domain reachable from the network is never printed beside "0 external interface(s)" unqualified.
      if (c.interfaces === 0) assert.doesNotMatch(text.stdout, /DDS domain reachable from the network(?!.*enters nothing yet)/);
      const d = JSON.parse(JSON.stringify(await buildDossier({ dir })));
      assert.ok(!isMissing(d.perimeter), JSON.stringify(d.perimeter));
      assert.deepEqual(d.perimeter.counts, c);
      const rel = (await call('POST', `/api/v1/products/${product.id}/releases?version=${version}`, { bomFormat: 'CycloneDX', specVersion: '1.6', version: 1, components: [] })).json();
      const put = await call('PUT', `/api/v1/releases/${rel.id}/dossier`, d);
      assert.equal(put.statusCode, 204, put.body);
      assert.deepEqual((await call('GET', `/api/v1/releases/${rel.id}/dossier`)).json().dossier.perimeter.counts, c);
      const page = (await call('GET', `/api/v1/releases/${rel.id}/dossier.html`)).body;
      assert.match(page, new RegExp(`<strong>${c.reached}</strong> reached from the model's ${c.interfaces === 1 ? '1 external interface' : `${c.interfaces} external interfaces`}: data from an interface reaches a compartment they run in`));
      assert.match(page, new RegExp(`<strong>${c.countedIn}</strong> counted in, to be safe: in no compartment of the architecture model`));
      assert.doesNotMatch(page, /inside the perimeter \(reachable from an external interface\)/);
      if (c.interfaces === 0) {
        assert.match(page, /The model has no external interface: the perimeter rests on components counted in/);
        assert.match(page, /No launch file is declared \(architecture\.ros\.launch\)/);
        // No empty tables beside those words: each absence is said.
        assert.doesNotMatch(page, /<h3>External interfaces<\/h3>/);
        assert.match(page, /The model has no compartment: no process, container or host places a component, so each one shipped is counted in\./);
      } else {
        assert.doesNotMatch(page, /The model has no external interface/);
        assert.match(page, /<code>dds-domain<\/code>/, 'the interface table names what reaches the camera');
        assert.match(page, /<td><code>node:\/camera\/camera<\/code><\/td><td>process<\/td>.*?<span class="warn">yes<\/span>/s, 'the compartment table shows the camera reached');
      }
    }
  } finally {
    await app.close();
  }
});

test('a flow, interface, parent or internal bridge naming no compartment is said, with the launched process it probably means (turtlebot4_robot, as a new user wrote it)', async () => {
  // TurtleBot 4's bringup pushes the namespace $(env ROBOT_NAMESPACE): a user writing node:/joy_linux_node, or the
  // republisher under the Create 3's namespace (a parameter, not its own), names no process. Before, the flow was
  // dropped without a word, and what it reaches (the robot base here) fell outside the perimeter.
  const dir = mkdtempSync(join(tmpdir(), 'marque-perim-refs-'));
  cpSync(join(FIXTURES, 'launch', 'turtlebot4_robot'), dir, { recursive: true });
  const yaml = (env: string) => `product: {name: TurtleBot 4, version: "2.0.1"}
inventory: {rosdistro: jazzy, platform: "ubuntu:noble"}
architecture:
  compartments:
    - { id: rpi, kind: host, components: ["pkg:deb/*", "ros:*"] }
    - { id: create3, kind: microcontroller, components: ["pkg:generic/create3-firmware*"] }
    - { id: vision, kind: container, parent: rpi4 }
  interfaces:
    - { id: joystick, kind: bluetooth, into: "node:/joy_linux_node" }
  flows:
    - { from: "node:/_do_not_use/create3_republisher", to: create3, protocol: DDS over USB Ethernet }
    - { from: "node:/teleop_twist_joy_node", to: "node:/turtlebot4_node", protocol: DDS }
  ros:
    compartment: rpi
    launch: [turtlebot4_bringup/launch/standard.launch.py]
    internalBridges: ["node:/rosbridge_websocket"]
${env}`;
  writeFileSync(join(dir, 'marque.yaml'), yaml(''));
  const r = await perimeterReport(dir);
  const said = r.notes.filter((n) => /no compartment|unknown compartment/.test(n));
  assert.deepEqual(said, [
    'interface joystick enters unknown compartment node:/joy_linux_node: no compartment of the model has that id, so the analysis does not follow it; the model has node:/$(env ROBOT_NAMESPACE)/joy_linux_node',
    'flow node:/_do_not_use/create3_republisher → create3 (DDS over USB Ethernet): node:/_do_not_use/create3_republisher is no compartment or interface of the model, so this flow is not followed; the model has node:/$(env ROBOT_NAMESPACE)/create3_republisher@turtlebot4_bringup/launch/robot.launch.py:76',
    'flow node:/teleop_twist_joy_node → node:/turtlebot4_node (DDS): node:/teleop_twist_joy_node is no compartment or interface of the model, so this flow is not followed; the model has node:/$(env ROBOT_NAMESPACE)/teleop_twist_joy_node',
    'flow node:/teleop_twist_joy_node → node:/turtlebot4_node (DDS): node:/turtlebot4_node is no compartment of the model, so this flow is not followed; the model has node:/$(env ROBOT_NAMESPACE)/turtlebot4_node@turtlebot4_bringup/launch/robot.launch.py:60',
    'compartment vision names parent rpi4, which is no compartment of the model: what reaches it does not reach them',
  ]);
  assert.ok(r.model.notes.includes('ros.internalBridges names node:/rosbridge_websocket, which is no process the launch files start: no bridge is taken as internal by it'));

  // With the namespace the robot runs with (ros.environment), the names are the launched processes': nothing to say,
  // and the flow to the base is followed (every process is reached over the exposed DDS domain).
  writeFileSync(join(dir, 'marque.yaml'), yaml('    environment: { ROBOT_NAMESPACE: "" }\n').replace('node:/_do_not_use/create3_republisher', 'node:/create3_republisher').replace(/    - \{ id: vision.*\n/, '').replace(/    internalBridges.*\n/, ''));
  const fixed = await perimeterReport(dir);
  assert.deepEqual(fixed.notes.filter((n) => /no compartment|unknown compartment/.test(n)), []);
  assert.ok(fixed.reachedCompartments.includes('create3'), 'the robot base is reached through the republisher');
  assert.ok(!r.reachedCompartments.includes('create3'), 'before: the flow named no process, so the base was not reached');
});

test('perimeter names the processes the declared launch files start (text: one line; --json: launch.processes, each with its nodes, file and line, valid against the schema)', async () => {
  // A new user checking Marque's reading against the launch files had only the perimeter table, which shows a
  // process only when a component placed in it is in the perimeter.
  const { Ajv } = await import('ajv');
  const schema = new Ajv({ strict: false }).compile(JSON.parse(readFileSync(join(ROOT, 'schemas/perimeter.schema.json'), 'utf8')));
  const dir = mkdtempSync(join(tmpdir(), 'marque-perim-procs-'));
  cpSync(join(FIXTURES, 'launch', 'turtlebot4_robot'), dir, { recursive: true });
  writeFileSync(join(dir, 'marque.yaml'), 'product: {name: TurtleBot 4, version: "2.0.1"}\ninventory: {rosdistro: jazzy}\narchitecture:\n  ros:\n    launch: [turtlebot4_bringup/launch/standard.launch.py]\n    environment: { ROBOT_NAMESPACE: "" }\n');
  const run = (...args: string[]) => spawnSync(process.execPath, [join(ROOT, 'bin/marque.js'), 'perimeter', dir, ...args], { encoding: 'utf8' });
  const j = JSON.parse(run('--json').stdout) as { launch: { processes: { id: string; nodes: { conditional?: string }[] }[] } };
  assert.ok(schema(j), JSON.stringify(schema.errors));
  assert.deepEqual(j.launch.processes.map((p: { id: string }) => p.id), [
    'node:/turtlebot4_node@turtlebot4_bringup/launch/robot.launch.py:60', 'node:/turtlebot4_base_node@turtlebot4_bringup/launch/robot.launch.py:67',
    'node:/create3_republisher@turtlebot4_bringup/launch/robot.launch.py:76', 'node:/joy_linux_node', 'node:/teleop_twist_joy_node', 'node:/rplidar_composition',
    'node:/oakd_container', 'node:/aggregator_node@turtlebot4_diagnostics/launch/diagnostics.launch.py:41', 'node:/diagnostics_updater@turtlebot4_diagnostics/launch/diagnostics.launch.py:51',
  ]);
  assert.deepEqual(j.launch.processes.find((p) => p.id === 'node:/oakd_container')!.nodes, [
    { name: '/oakd_container', kind: 'container', package: 'rclcpp_components', executable: 'component_container', file: 'turtlebot4_bringup/launch/oakd.launch.py', line: 51 },
    { name: '/oakd', kind: 'composable', package: 'depthai_ros_driver', plugin: 'depthai_ros_driver::Camera', file: 'turtlebot4_bringup/launch/oakd.launch.py', line: 57 },
  ]);
  assert.equal(j.launch.processes.find((p) => p.id.startsWith('node:/aggregator_node'))!.nodes[0]!.conditional, undefined, 'TURTLEBOT4_DIAGNOSTICS decided at launch is a note on the if, not a condition on the node');
  assert.match(run().stdout, /^The declared launch files start 9 ROS process\(es\): node:\/turtlebot4_node@turtlebot4_bringup\/launch\/robot\.launch\.py:60, .*node:\/oakd_container, .*; --json lists each with its nodes\.$/m);
});

test('a declared launch file that is not there is an input error at its line of marque.yaml (exit 2), not a note under a smaller perimeter', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'marque-perim-missing-'));
  cpSync(join(FIXTURES, 'launch', 'turtlebot4_robot'), dir, { recursive: true });
  writeFileSync(join(dir, 'marque.yaml'), 'product: {name: TurtleBot 4, version: "2.0.1"}\ninventory: {rosdistro: jazzy}\narchitecture:\n  ros:\n    launch:\n      - turtlebot4_bringup/launch/standard.launch.py\n      - turtlebot4_bringup/launch/standrd.launch.py\n');
  const r = await perimeterReport(dir);
  assert.deepEqual(r.problems.filter((p) => /launch/.test(p.message)), [
    { file: 'marque.yaml', line: 7, message: 'architecture.ros.launch: "turtlebot4_bringup/launch/standrd.launch.py" not found; nothing it would start is in the perimeter', severity: 'error' },
  ]);
  const cli = spawnSync(process.execPath, [join(ROOT, 'bin/marque.js'), 'perimeter', dir], { encoding: 'utf8' });
  assert.equal(cli.status, 2, cli.stderr);
  assert.match(cli.stdout + cli.stderr, /marque\.yaml:7.*standrd\.launch\.py" not found/);
});
