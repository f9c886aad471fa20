// bench/perimeter: a product with thousands of compartments, interfaces and flows (a fleet gateway
// in front of many robots' ROS graphs), analysed for reachability. Target: well under a second.
// Then 500 Python launch files read statically, includes followed. Target: under a second.
// Usage: node bench/perimeter.ts [--nodes N]
import { parseArgs } from 'node:util';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readLaunchTree } from '../src/perimeter/launch/interpret.ts';
import { workspacePackages } from '../src/perimeter/launch/workspace.ts';
import { analysePerimeter } from '../src/perimeter/analyse.ts';
import type { ArchitectureModel } from '../src/perimeter/model.ts';
import type { Dependency, InventoryComponent } from '../src/model/inventory.ts';

const { values } = parseArgs({ options: { nodes: { type: 'string', default: '5000' } } });
const N = Number(values.nodes);
let seed = 3;
const rand = () => { seed = (seed + 0x6d2b79f5) | 0; let t = Math.imul(seed ^ (seed >>> 15), 1 | seed); t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t; return ((t ^ (t >>> 14)) >>> 0) / 4294967296; };
const model: ArchitectureModel = { compartments: [{ id: 'host', kind: 'host' }], interfaces: [], flows: [], trustAnchors: [], sources: [], notes: [] };
const components: InventoryComponent[] = [];
const deps: Dependency[] = [];
for (let i = 0; i < N; i++) {
  model.compartments.push({ id: `node:${i}`, kind: 'process', parent: 'host', isolation: 'process', isolationAssessed: rand() < 0.2, components: [`pkg:generic/c${i}-*`] });
  components.push({ purl: `pkg:generic/c${i}-main@1`, name: `c${i}`, version: '1', ecosystem: 'generic', licenses: [], depth: 1, kind: 'runtime' });
  for (let k = 0; k < 3; k++) {
    const lib = `pkg:generic/lib${i}-${k}@1`;
    components.push({ purl: lib, name: lib, version: '1', ecosystem: 'generic', licenses: [], depth: 2, kind: 'runtime' });
    deps.push({ from: `pkg:generic/c${i}-main@1`, to: lib, kind: 'runtime' });
  }
}
for (let i = 0; i < N / 50; i++) model.interfaces.push({ id: `if${i}`, kind: 'network', into: `node:${Math.floor(rand() * N)}` });
for (let i = 0; i < N * 4; i++) {
  const secure = rand() < 0.5;
  model.flows.push({ from: `node:${Math.floor(rand() * N)}`, to: `node:${Math.floor(rand() * N)}`, authenticated: secure, encrypted: secure, mechanism: secure ? 'SROS2 DDS-Security' : undefined, mechanismAssessed: secure });
}
const runs: number[] = [];
let r;
for (let k = 0; k < 5; k++) { const t = performance.now(); r = analysePerimeter(model, components, deps); runs.push(performance.now() - t); }
runs.sort((a, b) => a - b);
console.log(`bench/perimeter: ${model.compartments.length} compartments, ${model.interfaces.length} interfaces, ${model.flows.length} flows, ${components.length} components`);
console.log(`  perimeter ${r!.perimeter.length}, outside ${r!.outside.length}; median ${runs[2]!.toFixed(0)} ms, min ${runs[0]!.toFixed(0)} ms (target well under 1000 ms → ${runs[2]! < 1000 ? 'met' : 'NOT met'})`);

// Reading launch files: a workspace of 50 packages with 10 Python launch files each (500 files), a
// top file including every package's bringup, each bringup including its nine others with arguments.

const ws = mkdtempSync(join(tmpdir(), 'marque-bench-launch-'));
const PKGS = 50, FILES = 10;
const header = `import os
from ament_index_python.packages import get_package_share_directory
from launch import LaunchDescription
from launch.actions import DeclareLaunchArgument, GroupAction, IncludeLaunchDescription, SetEnvironmentVariable
from launch.conditions import IfCondition
from launch.launch_description_sources import PythonLaunchDescriptionSource
from launch.substitutions import LaunchConfiguration, PythonExpression
from launch_ros.actions import ComposableNodeContainer, Node, PushRosNamespace
from launch_ros.descriptions import ComposableNode
`;
const includes: string[] = [];
for (let p = 0; p < PKGS; p++) {
  const dir = join(ws, 'src', `pkg${p}`);
  mkdirSync(join(dir, 'launch'), { recursive: true });
  writeFileSync(join(dir, 'package.xml'), `<package format="3"><name>pkg${p}</name><version>1.0.0</version><description>d</description><maintainer email="a@b.c">m</maintainer><license>MIT</license></package>`);
  for (let f = 0; f < FILES; f++) {
    const nodes = Array.from({ length: 8 }, (_, k) => `        Node(package='pkg${p}', executable='exe${k}', name=['n${f}_', '${k}'], namespace=ns, condition=IfCondition(PythonExpression(['not ', use_sim])), arguments=['--ros-args', '--enclave', '/e${p}']),`).join('\n');
    const inner = f === 0 ? Array.from({ length: FILES - 1 }, (_, k) => `        IncludeLaunchDescription(PythonLaunchDescriptionSource(os.path.join(share, 'launch', 'part${k + 1}.launch.py')), launch_arguments={'ns': ns, 'use_sim': use_sim}.items()),`).join('\n') : '';
    writeFileSync(join(dir, 'launch', f === 0 ? 'bringup.launch.py' : `part${f}.launch.py`), `${header}
def generate_launch_description():
    share = get_package_share_directory('pkg${p}')
    ns = LaunchConfiguration('ns')
    use_sim = LaunchConfiguration('use_sim')
    return LaunchDescription([
        DeclareLaunchArgument('ns', default_value='robot'),
        DeclareLaunchArgument('use_sim', default_value='False'),
        SetEnvironmentVariable('ROS_DOMAIN_ID', '${p}'),
${nodes}
        ComposableNodeContainer(name='c${f}', namespace=ns, package='rclcpp_components', executable='component_container',
            composable_node_descriptions=[ComposableNode(package='pkg${p}', plugin='pkg${p}::C${f}', name='comp${f}')]),
${inner}
    ])
`);
  }
  includes.push(`        GroupAction([PushRosNamespace('r${p}'), IncludeLaunchDescription(PythonLaunchDescriptionSource(os.path.join(get_package_share_directory('pkg${p}'), 'launch', 'bringup.launch.py')))]),`);
}
writeFileSync(join(ws, 'top.launch.py'), `${header}\ndef generate_launch_description():\n    return LaunchDescription([\n${includes.join('\n')}\n    ])\n`);
const lruns: number[] = [];
let lr;
for (let k = 0; k < 5; k++) {
  const t = performance.now();
  lr = readLaunchTree(join(ws, 'top.launch.py'), { root: ws, packages: workspacePackages(ws), installPrefixes: [] });
  lruns.push(performance.now() - t);
}
lruns.sort((a, b) => a - b);
rmSync(ws, { recursive: true, force: true });
console.log(`bench/perimeter launch: ${lr!.files.length} Python launch files (includes followed), ${lr!.nodes.length} nodes, ${lr!.notes.length} notes`);
console.log(`  median ${lruns[2]!.toFixed(0)} ms, min ${lruns[0]!.toFixed(0)} ms (target: 500 files under 1000 ms → ${lruns[2]! < 1000 ? 'met' : 'NOT met'})`);
