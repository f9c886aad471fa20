// Launch files as robots use them: real Python, XML and YAML launch files of navigation2, ros2/demos
// and ros2_control_demos (test/fixtures/launch/SOURCES.md), read statically, includes followed.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { combineNamespace, pythonExpression, readLaunchTree, ros2LaunchCommand, type LaunchReading } from '../src/perimeter/launch/interpret.ts';
import { findLaunchFiles, workspacePackages } from '../src/perimeter/launch/workspace.ts';
import { commandLine, substitution } from '../src/perimeter/launch/frontend.ts';
import { pyFloat } from '../src/perimeter/launch/python.ts';
import { FIXTURES } from './helpers/paths.ts';

const LAUNCH = join(FIXTURES, 'launch');
const read = (root: string, file: string, args: Record<string, string> = {}) =>
  readLaunchTree(join(root, file), { root, packages: workspacePackages(root), installPrefixes: [] }, new Map(Object.entries(args)));
const table = (r: LaunchReading) => r.nodes.map((n) => [n.kind, n.fullName, n.pkg, n.exec ?? n.plugin ?? '', n.container ?? '', n.enclave ?? '']);

test('navigation2 bringup (Python, default arguments): one nav2_container with every server composed into it, includes followed, slam skipped', () => {
  const root = join(LAUNCH, 'navigation2');
  const r = read(root, 'nav2_bringup/launch/bringup_launch.py');
  const t = table(r);
  assert.deepEqual(t[0], ['node', '/nav2_container', 'rclcpp_components', 'component_container', '', ''], 'use_composition defaults to True: the container is started');
  const composed = r.nodes.filter((n) => n.kind === 'composable');
  assert.equal(composed.length, 21);
  assert.ok(composed.every((n) => n.container === '/nav2_container'), 'target_container=(namespace, "/", container_name) resolves to /nav2_container');
  assert.deepEqual(composed.filter((n) => n.file.endsWith('navigation_launch.py')).map((n) => n.name), ['controller_server', 'smoother_server', 'planner_server', 'route_server', 'behavior_server', 'bt_navigator', 'waypoint_follower', 'velocity_smoother', 'collision_monitor', 'docking_server', 'following_server', 'lifecycle_manager_navigation']);
  assert.deepEqual(composed.filter((n) => n.file.endsWith('localization_launch.py')).map((n) => `${n.name}@${n.line}`), ['map_server@190', 'amcl@222', 'lifecycle_manager_localization@230'], 'the map server without a yaml (line 190), not the one at line 206');
  assert.ok(!r.files.some((f) => f.endsWith('slam_launch.py')), 'slam defaults to False: slam_launch.py is not included');
  assert.deepEqual(r.files.map((f) => f.split('/').pop()), ['bringup_launch.py', 'localization_launch.py', 'keepout_zone_launch.py', 'speed_zone_launch.py', 'navigation_launch.py']);
  assert.ok(r.env.some((e) => e.name === 'RCUTILS_LOGGING_BUFFERED_STREAM' && e.value === '1' && e.line === 72));
});

test('navigation2 bringup with arguments: separate processes in a pushed namespace, slam included, what cannot be followed named with file:line', () => {
  const root = join(LAUNCH, 'navigation2');
  const r = read(root, 'nav2_bringup/launch/bringup_launch.py', { use_composition: 'False', namespace: 'robot1', slam: 'True' });
  assert.ok(!r.nodes.some((n) => n.kind === 'composable' || n.kind === 'container'));
  const names = r.nodes.map((n) => n.fullName);
  for (const n of ['/robot1/controller_server', '/robot1/bt_navigator', '/robot1/map_saver_server', '/robot1/lifecycle_manager_slam', '/robot1/lifecycle_manager_navigation']) assert.ok(names.includes(n), n);
  assert.ok(!names.includes('/robot1/amcl'), 'localization is not included when slam is True');
  assert.ok(r.notes.includes('nav2_bringup/launch/navigation_launch.py:163: node of nav2_controller has no name in the launch file; named "controller_server" after its executable, which may differ from the name it gives itself'));
  assert.ok(r.notes.some((n) => n.startsWith('nav2_bringup/launch/slam_launch.py:135: includes launch/online_sync_launch.py of package slam_toolbox, which is neither in the workspace nor installed here')));
  assert.ok(r.notes.some((n) => /slam_launch\.py:135: launched only if a condition holds that is decided at launch time \(HasNodeParams/.test(n)));
});

test('ros2/demos: the same robot in Python, XML and YAML reads the same; composition and lifecycle', () => {
  const root = join(LAUNCH, 'demos');
  const dummy = (ext: string) => table(read(root, `dummy_robot/dummy_robot_bringup/launch/dummy_robot_bringup_launch.${ext}`));
  assert.deepEqual(dummy('py'), [['node', '/dummy_map_server', 'dummy_map_server', 'dummy_map_server', '', ''], ['node', '/robot_state_publisher', 'robot_state_publisher', 'robot_state_publisher', '', ''], ['node', '/dummy_joint_states', 'dummy_sensors', 'dummy_joint_states', '', ''], ['node', '/dummy_laser', 'dummy_sensors', 'dummy_laser', '', '']]);
  assert.deepEqual(dummy('xml'), dummy('py'));
  assert.deepEqual(dummy('yaml'), dummy('py'));
  const tl = (ext: string) => table(read(root, `demo_nodes_cpp/launch/topics/talker_listener_launch.${ext}`));
  assert.deepEqual(tl('py'), tl('xml'));
  assert.deepEqual(tl('yaml'), tl('xml'));
  assert.deepEqual(table(read(root, 'composition/launch/composition_demo_launch.py')), [
    ['container', '/my_container', 'rclcpp_components', 'component_container', '', ''],
    ['composable', '/talker', 'composition', 'composition::Talker', '/my_container', ''],
    ['composable', '/listener', 'composition', 'composition::Listener', '/my_container', ''],
  ]);
  assert.deepEqual(table(read(root, 'lifecycle/launch/lifecycle_demo_launch.py')).map((x) => x.slice(0, 3)), [['lifecycle', '/lc_talker', 'lifecycle'], ['node', '/lifecycle_listener', 'lifecycle'], ['node', '/lifecycle_service_client', 'lifecycle']]);
});

test('ExecutableInPackage in ExecuteProcess is a node; a helper handed the launch description is said to add what is not analysed', () => {
  const demos = read(join(LAUNCH, 'demos'), 'topic_monitor/launch/reliability_demo_launch.py');
  assert.deepEqual(demos.nodes.map((n) => [n.fullName, n.pkg, n.exec, n.line]), [['/data_publisher', 'topic_monitor', 'data_publisher', 25], ['/data_publisher', 'topic_monitor', 'data_publisher', 27]]);
  const moveit = read(join(LAUNCH, 'moveit2'), 'moveit_setup_assistant/launch/setup_assistant.launch.py');
  assert.deepEqual(moveit.nodes, []);
  assert.deepEqual(moveit.notes, [
    'moveit_setup_assistant/launch/setup_assistant.launch.py:12: add_debuggable_node(…) is given the launch description and may add actions to it; what it adds is not analysed',
    'moveit_setup_assistant/launch/setup_assistant.launch.py: this launch file starts no process: it writes no node, container, process or include',
  ]);
});

test('"ros2 launch" run by ExecuteProcess is read as its own launch: arguments from its command line only, no namespace or configuration of the file that runs it; -s only prints', () => {
  assert.deepEqual(ros2LaunchCommand(['-n', '--launch-prefix', 'gdb -ex run', 'robot_bringup', 'lidar.launch.py', 'lidar_model:=vlp32', 'x:=1', 'x:=2']),
    { path: '$(find-pkg-share robot_bringup)/lidar.launch.py', args: [['lidar_model', 'vlp32'], ['x', '1'], ['x', '2']], printsOnly: false });
  assert.deepEqual(ros2LaunchCommand(['$(find-pkg-share p)/launch/a.launch.py', 'b:=c']), { path: '$(find-pkg-share p)/launch/a.launch.py', args: [['b', 'c']], printsOnly: false });
  assert.deepEqual(ros2LaunchCommand(['-s', 'p', 'a.launch.py'])?.printsOnly, true);
  assert.equal(ros2LaunchCommand(['p']), undefined);
  const root = scopeWorkspace();
  writeFileSync(join(root, 'src/robot_bringup/launch/two.launch.py'), `from launch import LaunchDescription
from launch.actions import DeclareLaunchArgument, ExecuteProcess
from launch_ros.actions import PushRosNamespace


def generate_launch_description():
    return LaunchDescription([
        DeclareLaunchArgument('lidar_model', default_value='hdl64'),
        PushRosNamespace('outer'),
        ExecuteProcess(cmd=['ros2', 'launch', 'robot_sensors', 'lidar.launch.py', 'lidar_port:=2369']),
        ExecuteProcess(cmd=['ros2 launch robot_sensors ns.launch.py'], shell=True),
        ExecuteProcess(cmd=['ros2', 'launch', '-s', 'robot_sensors', 'lidar.launch.py']),
    ])
`);
  const r = read(root, 'src/robot_bringup/launch/two.launch.py');
  // The first runs lidar.launch.py with its own default model (vlp16, not this file's hdl64), outside /outer.
  assert.deepEqual(r.nodes.map((n) => [n.fullName, n.args ?? []]), [['/lidar_driver', ['--model', 'vlp16']], ['/sensors/lidar_driver', []]]);
  assert.ok(r.notes.some((n) => /two\.launch\.py:12: runs the process "ros2 launch -s robot_sensors lidar\.launch\.py", which prints a launch description and launches nothing/.test(n)), r.notes.join('\n'));
});

test('"ros2 launch" with its file given by substitutions: FindPackageShare in a path is one word, and a file or an argument not known statically is said, never guessed', () => {
  const root = scopeWorkspace();
  writeFileSync(join(root, 'src/robot_bringup/launch/subst.launch.py'), `from launch import LaunchDescription
from launch.actions import ExecuteProcess
from launch.substitutions import LaunchConfiguration, PathJoinSubstitution
from launch_ros.substitutions import FindPackageShare


def generate_launch_description():
    return LaunchDescription([
        ExecuteProcess(cmd=['ros2', 'launch', PathJoinSubstitution([FindPackageShare('robot_sensors'), 'launch', 'lidar.launch.py']), 'lidar_model:=vlp32']),
        ExecuteProcess(cmd=['ros2', 'launch', 'robot_sensors', LaunchConfiguration('which')]),
        ExecuteProcess(cmd=['ros2', 'launch', 'robot_sensors', 'lidar.launch.py', ['lidar_model:=', LaunchConfiguration('model')]]),
    ])
`);
  const r = read(root, 'src/robot_bringup/launch/subst.launch.py');
  assert.deepEqual(r.nodes[0] && [r.nodes[0].fullName, r.nodes[0].args], ['/lidar_driver', ['--model', 'vlp32']], r.notes.join('\n'));
  assert.ok(!r.notes.some((n) => /of package \$\(find-pkg-share/.test(n)), r.notes.join('\n'));
  assert.ok(r.notes.some((n) => /subst\.launch\.py:10: the launch file \$\(find-pkg-share robot_sensors\)\/\$\(var which\) it runs: launch argument "which" has no value and no default; not analysed/.test(n)), r.notes.join('\n'));
  // The model passed on is not known: the node that takes it says so, as for any argument not known statically.
  assert.equal(r.nodes.length, 2);
  assert.ok(r.notes.some((n) => /lidar\.launch\.py:\d+: .*lidar_driver: launch argument "model" has no value and no default/.test(n)), r.notes.join('\n'));
});

test('XML <executable cmd>: read as launch reads it (_parse_cmdline), so "$(find-pkg-share p)/launch/x" is one word and "ros2 launch" of it runs that file', () => {
  const root = scopeWorkspace();
  writeFileSync(join(root, 'src/robot_bringup/launch/exec.launch.xml'), `<launch>
  <executable cmd="ros2 launch $(find-pkg-share robot_sensors)/launch/lidar.launch.py lidar_model:=vlp32"/>
</launch>
`);
  const r = read(root, 'src/robot_bringup/launch/exec.launch.xml');
  assert.deepEqual(r.nodes.map((n) => [n.fullName, n.args ?? []]), [['/lidar_driver', ['--model', 'vlp32']]], r.notes.join('\n'));
});

test('ros2_control_demos: PathSubstitution / "dir" joins; a helper from another package is a named gap, never a guess', () => {
  const root = join(LAUNCH, 'ros2_control_demos');
  const one = read(root, 'example_1/bringup/launch/rrbot.launch.py');
  assert.deepEqual(one.nodes.map((n) => `${n.fullName} ${n.exec}`), ['/ros2_control_node ros2_control_node', '/robot_state_publisher robot_state_publisher', '/rviz2 rviz2', '/spawner spawner', '/spawner spawner']);
  assert.ok(!one.notes.some((n) => /PathSubstitution/.test(n)), one.notes.join('\n'));
  const three = read(root, 'example_13/bringup/launch/three_robots.launch.py');
  assert.equal(three.notes.filter((n) => /three_robots\.launch\.py:(92|105|113|122): generate_controllers_spawner_launch_description\(…\) is not a launch action Marque knows/.test(n)).length, 4);
  assert.ok(three.nodes.some((n) => n.fullName === '/threedofbot_position_command_publisher'));
});

test('includes: arguments passed down, cycles detected, files outside the workspace refused, missing files and gaps named with file:line', () => {
  const root = mkdtempSync(join(tmpdir(), 'marque-launch-ws-'));
  const pkg = (name: string) => { mkdirSync(join(root, 'src', name, 'launch'), { recursive: true }); writeFileSync(join(root, 'src', name, 'package.xml'), `<package format="3"><name>${name}</name><version>1.0.0</version><description>d</description><maintainer email="a@b.c">m</maintainer><license>MIT</license></package>`); };
  pkg('a_bringup');
  pkg('b_nodes');
  writeFileSync(join(root, 'src/a_bringup/launch/top.launch.xml'), `<launch>
  <arg name="robot" default="r1"/>
  <group>
    <push-ros-namespace namespace="$(var robot)"/>
    <include file="$(find-pkg-share b_nodes)/launch/nodes.launch.py">
      <arg name="mode" value="fast"/>
    </include>
  </group>
  <node pkg="b_nodes" exec="outside_group" if="$(eval &quot;'$(var robot)' == 'r1'&quot;)"/>
  <include file="/etc/hostname"/>
  <include file="$(find-pkg-share nowhere)/launch/x.launch.py"/>
  <include file="$(find-pkg-share a_bringup)/launch/loop.launch.yaml"/>
</launch>
`);
  writeFileSync(join(root, 'src/a_bringup/launch/loop.launch.yaml'), 'launch:\n  - include:\n      file: "$(find-pkg-share a_bringup)/launch/top.launch.xml"\n');
  writeFileSync(join(root, 'src/b_nodes/launch/nodes.launch.py'), `
from launch import LaunchDescription
from launch.actions import DeclareLaunchArgument, OpaqueFunction
from launch.substitutions import LaunchConfiguration, EnvironmentVariable
from launch_ros.actions import Node

def later(context, *args, **kwargs):
    mode = LaunchConfiguration('mode').perform(context)
    return [Node(package='b_nodes', executable=f'worker_{mode}', name='worker')]

def generate_launch_description():
    ns = LaunchConfiguration('unknown_ns')
    return LaunchDescription([
        DeclareLaunchArgument('mode', default_value='slow'),
        Node(package='b_nodes', executable='talker', name='talker', arguments=['--ros-args', '--enclave', '/secure/talker']),
        Node(package='b_nodes', executable='drifter', namespace=ns),
        Node(package='b_nodes', executable='env_named', name=EnvironmentVariable('ROBOT_NAME')),
        OpaqueFunction(function=later),
    ])
`);
  const r = read(root, 'src/a_bringup/launch/top.launch.xml');
  assert.deepEqual(r.nodes.map((n) => [n.fullName, n.exec, n.enclave ?? '']), [
    ['/r1/talker', 'talker', '/secure/talker'],
    ['/r1/$(var unknown_ns)/drifter', 'drifter', ''],
    ['/r1/$(env ROBOT_NAME)', 'env_named', ''],
    ['/r1/worker', 'worker_fast', ''],
    ['/outside_group', 'outside_group', ''],
  ], 'the pushed namespace holds inside the group only; "mode" passed by the includer wins over the default; $(eval) decides the condition');
  const has = (re: RegExp) => assert.ok(r.notes.some((n) => re.test(n)), `${re}\n${r.notes.join('\n')}`);
  has(/^src\/b_nodes\/launch\/nodes\.launch\.py:16: \/r1\/\$\(var unknown_ns\)\/drifter: launch argument "unknown_ns" has no value and no default$/);
  has(/nodes\.launch\.py:17: .*environment variable ROBOT_NAME is read at launch time/);
  has(/top\.launch\.xml:10: included file \/etc\/hostname leads outside the workspace; not read/);
  has(/top\.launch\.xml:11: includes launch\/x\.launch\.py of package nowhere, which is neither in the workspace nor installed here/);
  has(/loop\.launch\.yaml:2: include cycle src\/a_bringup\/launch\/top\.launch\.xml → src\/a_bringup\/launch\/loop\.launch\.yaml → src\/a_bringup\/launch\/top\.launch\.xml; not followed again/);
});

test('Python launch files that are not launch files, or not Python, are reported, never run', () => {
  const root = mkdtempSync(join(tmpdir(), 'marque-launch-bad-'));
  writeFileSync(join(root, 'broken.launch.py'), 'def generate_launch_description(:\n  return 1\n');
  writeFileSync(join(root, 'plain.py'), 'import os\nos.system("touch /tmp/marque-never-run")\n');
  writeFileSync(join(root, 'loop.launch.py'), 'from launch import LaunchDescription\ndef f(n):\n    return f(n)\ndef generate_launch_description():\n    while True:\n        pass\n    return LaunchDescription(f(1))\n');
  assert.deepEqual(read(root, 'broken.launch.py').notes, ['broken.launch.py:1: not valid Python; the launch file was not analysed']);
  assert.match(read(root, 'plain.py').notes.join('\n'), /no generate_launch_description\(\) function/);
  const loop = read(root, 'loop.launch.py');
  assert.equal(loop.nodes.length, 0);
  assert.ok(loop.notes.some((n) => /loop\.launch\.py:5: a while loop is not evaluated statically/.test(n)));
  assert.ok(loop.notes.some((n) => /functions nested too deeply/.test(n)), loop.notes.join('\n'));
});

test('substitutions: frontend $(…) syntax, PythonExpression, namespaces', () => {
  assert.deepEqual(substitution('$(find-pkg-share $(var pkg))/launch/x.py'), [{ share: [{ conf: 'pkg' }] }, { lit: '/launch/x.py' }]);
  assert.deepEqual(substitution(`$(eval "'a' == 'b'")`), [{ pyexpr: [{ lit: "'a' == 'b'" }] }]);
  assert.deepEqual(substitution("$(eval 'a' == 'b')"), [{ gap: '$(eval …) takes one quoted expression; given 3 words' }]);
  // ouster-ros's record.composite.launch.xml:272, as launch's grammar reads it: \' inside a quoted argument is a quote.
  assert.deepEqual(substitution(String.raw`$(eval '\'$(var bag_file)\' != \'b\'')`), [{ pyexpr: [{ lit: "'" }, { conf: 'bag_file' }, { lit: "' != 'b'" }] }]);
  assert.deepEqual(substitution(String.raw`C:\\x \$(var y) \a`), [{ lit: String.raw`C:\x $(var y) a` }], 'an escaped $ starts no substitution; the backslash is dropped');
  assert.equal(pythonExpression('not False and True'), 'True');
  assert.equal(pythonExpression("'x' == 'x'"), 'True');
  // image_pipeline's image_proc.launch.py:102 and rosbot's controller.launch.py, once their arguments are substituted.
  assert.equal(pythonExpression('"stereo_image_proc_container" if "" == "" else "/stereo_image_proc_container"'), 'stereo_image_proc_container');
  assert.equal(pythonExpression("'' if 'robot1' == '' else '/'"), '/');
  assert.equal(pythonExpression("'x' not in 'abc' and 'a' + 'b' == 'ab'"), 'True');
  // Membership in a tuple, list or set of literals (interbotix: '"actual" in (\'actual\', \'fake\')'); Python's == there.
  assert.equal(pythonExpression(`"actual" in ('actual', 'fake')`), 'True');
  assert.equal(pythonExpression(`"gz_classic" in ('actual', 'fake')`), 'False');
  assert.equal(pythonExpression(`'b' not in ['a', 'b']`), 'False');
  assert.equal(pythonExpression(`'act' in ('actual',)`), 'False', 'an item, not a substring of one');
  assert.equal(pythonExpression(`1 in {True, 'x'}`), 'True', 'True == 1 in Python');
  assert.equal(pythonExpression(`'a' in ('a', x)`), undefined, 'an item not known: not evaluated');
  assert.equal(pythonExpression('__import__("os").system("id")'), undefined, 'anything beyond literals and boolean logic is not evaluated');
  // mavros's multi_uas.launch: whole numbers, int() and str(), as Python writes them.
  assert.equal(pythonExpression(" 1 + int('0') "), '1');
  assert.equal(pythonExpression(" 'mavros/uas_' + str(2 * 3 - 1) "), 'mavros/uas_5');
  assert.equal(pythonExpression("int('x')"), undefined);
  assert.equal(pythonExpression('1.0 + 1'), undefined, 'Python writes 2.0: floats are not summed');
  assert.equal(pythonExpression('1.0'), undefined, 'Python writes 1.0, JavaScript 1');
  assert.equal(pythonExpression('9007199254740991 + 1'), undefined, 'beyond safe integers');
  assert.equal(pythonExpression('open("x")'), undefined);
  assert.equal(combineNamespace('/a', 'b'), '/a/b');
  assert.equal(combineNamespace('/a', '/b'), '/b');
  assert.equal(combineNamespace('/a', ''), '/a');
  assert.equal(combineNamespace('', 'b/'), '/b');
});

test('declared environment variables: $(env X) in XML and os.getenv in Python read their value; undeclared ones stay read at launch, with a note', () => {
  const root = mkdtempSync(join(tmpdir(), 'marque-launch-env-'));
  writeFileSync(join(root, 'robot.launch.xml'), '<launch>\n  <node pkg="lidar" exec="$(env LASER)_node" namespace="$(env ROBOT)"/>\n</launch>\n');
  writeFileSync(join(root, 'robot.launch.py'), `
import os
from launch import LaunchDescription
from launch_ros.actions import Node

def generate_launch_description():
    nodes = [Node(package='lidar', executable=os.getenv('LASER', 'none') + '_node', name='laser')]
    if os.environ['ROBOT'] == 'r1':
        nodes.append(Node(package='extra', executable='only_on_r1', name='extra'))
    return LaunchDescription(nodes)
`);
  const ws = (env?: Record<string, string>) => ({ root, packages: workspacePackages(root), installPrefixes: [], ...(env ? { environment: new Map(Object.entries(env)) } : {}) });
  const known = readLaunchTree(join(root, 'robot.launch.xml'), ws({ LASER: 'ld06', ROBOT: 'r1' }));
  assert.deepEqual([known.nodes.map((n) => [n.fullName, n.exec]), known.notes.filter((n) => /env/.test(n))], [[['/r1/ld06_node', 'ld06_node']], []]);
  const unknown = readLaunchTree(join(root, 'robot.launch.xml'), ws());
  assert.ok(unknown.notes.some((n) => /environment variable ROBOT is read at launch time/.test(n)), unknown.notes.join('\n'));
  const py = readLaunchTree(join(root, 'robot.launch.py'), ws({ LASER: 'ld06', ROBOT: 'r2' }));
  assert.deepEqual([py.nodes.map((n) => [n.fullName, n.exec]), py.notes], [[['/laser', 'ld06_node']], []], 'ROBOT is r2: the extra node is not launched, and nothing is left to launch time');
});

test('str() of a Python list prints as Python does, so linorobot2\'s `"<sensor>" in str([...])` conditions are decided; a tuple or numbers stay unknown', () => {
  const root = mkdtempSync(join(tmpdir(), 'marque-launch-repr-'));
  writeFileSync(join(root, 'depth.launch.py'), `
from launch import LaunchDescription
from launch.actions import DeclareLaunchArgument
from launch.conditions import IfCondition
from launch.substitutions import LaunchConfiguration, PythonExpression
from launch_ros.actions import Node

def generate_launch_description():
    zed_sensors = ['zed', 'zed2', 'zed2i', 'zedm']
    topics = {'': [], 'realsense': [], 'astra': []}
    return LaunchDescription([
        DeclareLaunchArgument(name='sensor', default_value='realsense'),
        Node(package='zed', executable='zed', name='zed', condition=IfCondition(PythonExpression(['"', LaunchConfiguration('sensor'), '" in "', str(zed_sensors), '"']))),
        Node(package='rs', executable='rs', name='rs', condition=IfCondition(PythonExpression(['"', LaunchConfiguration('sensor'), '" in "', str(list(topics.keys())[1:]), '"']))),
        Node(package='q', executable='q', name=str(["o'brien", 'a\\\\b'])),
        Node(package='t', executable='t', name=str(('a',))),
        Node(package='n', executable='n', name=str([1, 2])),
    ])
`);
  const r = read(root, 'depth.launch.py');
  assert.deepEqual(r.nodes.map((n) => n.fullName), ['/rs', `/["o'brien", 'a\\\\b']`, '/$(?)', '/$(?)'], '"realsense" is not in str(zed_sensors) and is in the keys\' list; a quote and a backslash printed as Python does');
  assert.ok(!r.notes.some((n) => /:13:|:14:/.test(n)), r.notes.join('\n'));
  assert.ok(r.notes.some((n) => /:16: .*str\(\) of .* is not known statically/.test(n)) && r.notes.some((n) => /:17: .*str\(\) of .* is not known statically/.test(n)), r.notes.join('\n'));
  assert.deepEqual(read(root, 'depth.launch.py', { sensor: 'zed2' }).nodes.map((n) => n.fullName).slice(0, 1), ['/zed']);
});

test('a Python float prints as Python prints it (str(1.0) is "1.0"), and %d, %f, %r as printf-style formatting writes them; an exponent form stays unknown', () => {
  const root = mkdtempSync(join(tmpdir(), 'marque-launch-float-'));
  writeFileSync(join(root, 'rate.launch.py'), `
from launch import LaunchDescription
from launch_ros.actions import Node

def generate_launch_description():
    rate = 10.0
    return LaunchDescription([
        Node(package='a', executable='a', name='rate_' + str(rate)),
        Node(package='b', executable='b', name='half_' + str(rate / 4)),
        Node(package='c', executable='c', name='n_' + str(7 // 2) + '_' + str(float('3')) + '_' + str(1e-7)),
        Node(package='d', executable='d', name='f_%d_%f_%r_%s' % (2.9, 0.5, 'x', 1.5)),
    ])
`);
  const r = read(root, 'rate.launch.py');
  assert.deepEqual(r.nodes.map((n) => n.fullName), ['/rate_10.0', '/half_2.5', '/n_3_3.0_$(?)', "/f_2_0.500000_'x'_1.5"]);
  assert.ok(r.notes.some((n) => /:10: .*str\(\) of the float 1e-7 is not known statically/.test(n)), r.notes.join('\n'));
  assert.equal(pyFloat(1), '1.0');
  assert.equal(pyFloat(-0), '-0.0');
  assert.equal(pyFloat(0.1 + 0.2), '0.30000000000000004');
  assert.equal(pyFloat(Infinity), 'inf');
  assert.equal(pyFloat(1e16), undefined, 'Python writes 1e+16, JavaScript 10000000000000000');
});

test('XML args and ros_args are split as launch splits a command line: a substitution stays whole and joins the text it touches', () => {
  const root = mkdtempSync(join(tmpdir(), 'marque-launch-cmdline-'));
  writeFileSync(join(root, 'sec.launch.xml'), `<launch>
  <arg name="robot" default="r1"/>
  <node pkg="cam" exec="cam" name="cam" ros_args="--enclave /$(var robot)/cam"/>
  <node pkg="nav" exec="nav" name="nav" args="--frame $(var robot)_base" ros_args="-e /$(var robot)/nav"/>
</launch>`);
  const r = read(root, 'sec.launch.xml');
  assert.deepEqual(r.nodes.map((n) => [n.fullName, n.enclave ?? '']), [['/cam', '/r1/cam'], ['/nav', '/r1/nav']]);
  assert.deepEqual(commandLine('--frame $(var f)_link  -v "a b"'), [[{ lit: '--frame' }], [{ conf: 'f' }, { lit: '_link' }], [{ lit: '-v' }], [{ lit: 'a b' }]]);
  assert.deepEqual(commandLine('$(var a) $(var b)'), [[{ conf: 'a' }], [{ conf: 'b' }]]);
});

test('a <let>, an unscoped group or an OpaqueFunction under a condition decided at launch leaves each value it sets as one of several, said in a note', () => {
  const root = mkdtempSync(join(tmpdir(), 'marque-launch-undecided-set-'));
  writeFileSync(join(root, 'fleet.launch.xml'), `<launch>
  <arg name="robot" default="r1"/>
  <arg name="same" default="x"/>
  <let name="robot" value="r2" if="$(env FLEET_MODE)"/>
  <let name="same" value="x" if="$(env FLEET_MODE)"/>
  <node pkg="a" exec="a" name="$(var robot)_driver"/>
  <node pkg="b" exec="b" name="$(var same)_b"/>
  <group scoped="false" unless="$(env SOLO)">
    <let name="zone" value="north"/>
  </group>
  <node pkg="c" exec="c" name="c" namespace="$(var zone)"/>
</launch>`);
  const r = read(root, 'fleet.launch.xml');
  assert.deepEqual(r.nodes.map((n) => n.fullName), ['/$(var robot)_driver', '/x_b', '/$(var zone)/c']);
  assert.ok(r.notes.some((n) => /launch argument "robot" is one of several values after the SetLaunchConfiguration at fleet\.launch\.xml:4: "r2" if it runs, else "r1"/.test(n)), r.notes.join('\n'));
  assert.ok(r.notes.some((n) => /launch argument "zone" is one of several values after the group at fleet\.launch\.xml:8: "north" if it runs, else unset/.test(n)), r.notes.join('\n'));
  assert.ok(!r.notes.some((n) => /"same" is one of several/.test(n)), 'a value the same either way stays known');
});

test('a malformed XML or YAML launch file is one note with its file and line; the rest is read', () => {
  const root = mkdtempSync(join(tmpdir(), 'marque-launch-malformed-'));
  writeFileSync(join(root, 'top.launch.py'), `
import os
from launch import LaunchDescription
from launch.actions import IncludeLaunchDescription
from launch.launch_description_sources import AnyLaunchDescriptionSource
from launch_ros.actions import Node

def generate_launch_description():
    here = os.path.dirname(__file__)
    return LaunchDescription([
        IncludeLaunchDescription(AnyLaunchDescriptionSource(os.path.join(here, 'bad.launch.xml'))),
        IncludeLaunchDescription(AnyLaunchDescriptionSource(os.path.join(here, 'bad.launch.yaml'))),
        Node(package='p', executable='still_read'),
    ])
`);
  writeFileSync(join(root, 'bad.launch.xml'), '<launch>\n  <node pkg="p"\n</launch>\n');
  writeFileSync(join(root, 'bad.launch.yaml'), 'launch:\n  - node: {pkg: p\n');
  const r = read(root, 'top.launch.py');
  assert.deepEqual(r.nodes.map((n) => n.fullName), ['/still_read']);
  assert.ok(r.notes.some((n) => /^bad\.launch\.xml:\d+: malformed XML: .*; not analysed$/.test(n)), r.notes.join('\n'));
  assert.ok(r.notes.some((n) => /^bad\.launch\.yaml:\d+: malformed YAML: .*; not analysed$/.test(n)), r.notes.join('\n'));
});

test('hostile launch files: deep nesting, long loops and huge literals end with a note, never a crash or a hang', { timeout: 300_000 }, () => {
  const root = mkdtempSync(join(tmpdir(), 'marque-launch-hostile-'));
  const head = 'from launch import LaunchDescription\nfrom launch_ros.actions import Node\n';
  writeFileSync(join(root, 'deep.launch.py'), `${head}def generate_launch_description():\n    x = ${'('.repeat(100_000)}1${')'.repeat(100_000)}\n    return LaunchDescription([Node(package='p', executable='e')])\n`);
  writeFileSync(join(root, 'loops.launch.py'), `${head}L = [${Array.from({ length: 3000 }, (_, i) => i).join(', ')}]\ndef generate_launch_description():\n    for a in L:\n        for b in L:\n            x = a\n    return LaunchDescription([Node(package='p', executable='e')])\n`);
  writeFileSync(join(root, 'deep.launch.xml'), `<launch>${'<group>'.repeat(20_000)}<node pkg="p" exec="e"/>${'</group>'.repeat(20_000)}</launch>`);
  for (const f of ['deep.launch.py', 'loops.launch.py', 'deep.launch.xml']) {
    const r = read(root, f); // a hang would end at the test's timeout; timing is bench/hostile.ts's
    assert.ok(r.nodes.length <= 1 && (r.nodes.length === 1 || r.notes.length > 0), `${f}: ${r.notes.join(' | ').slice(0, 300)}`);
  }
  assert.ok(read(root, 'loops.launch.py').notes.some((n) => /more than 1,000,000 statements evaluated/.test(n)));
  // $(eval …) of an expression nested 3,000 deep: the Python parser's tree could not be walked (a TypeError, uncaught); now a note.
  let e = "'x'";
  for (let i = 0; i < 3000; i++) e = `(${e}) + 'a'`;
  writeFileSync(join(root, 'eval.launch.xml'), `<launch><node pkg="p" exec="e" name="n" if="$(eval &quot;${e.replaceAll("'", '&apos;')} == &apos;b&apos;&quot;)"/></launch>`);
  const ev = read(root, 'eval.launch.xml');
  assert.equal(ev.nodes.length, 1, 'counted in, to be safe');
  assert.match(ev.notes.join('\n'), /^eval\.launch\.xml:1: launched only if a condition holds that is decided at launch time \(the expression ".*" is not evaluated statically \(24,010 characters, over Marque's bound of 4,000\)\); counted in, to be safe$/m);
  assert.equal(pythonExpression(`${'not ('.repeat(600)}True${')'.repeat(600)}`), undefined, 'brackets nested more than 500 deep are not parsed');
  // Many expressions: the first 200,000 characters are parsed, the rest counted in with the bound named.
  const many = Array.from({ length: 120 }, (_, i) => `<node pkg="p" exec="e" name="n${i}" if="$(eval &quot;${Array(280).fill(`'${i}'`).join(' + ')} == 'b'&quot;)"/>`).join('');
  writeFileSync(join(root, 'many.launch.xml'), `<launch>${many}</launch>`);
  const m = read(root, 'many.launch.xml');
  assert.ok(m.nodes.length > 0 && m.nodes.length < 120 && m.nodes[0]!.name !== 'n0', `${m.nodes.length} counted in: the later ones`);
  assert.ok(m.notes.every((n) => /more than 200,000 characters of expressions evaluated in all/.test(n)), m.notes[0]);
});

test('include fan-out: each (file, arguments) is walked once, and the work across includes is bounded (issue 23 item 8)', () => {
  const root = mkdtempSync(join(tmpdir(), 'marque-launch-fanout-'));
  // 17 XML files, each including the next twice with the same arguments: 2^16 walks if followed naively.
  for (let i = 0; i < 17; i++) writeFileSync(join(root, `f${i}.launch.xml`), i === 16 ? '<launch><node pkg="p" exec="leaf" name="leaf"/></launch>' : `<launch><include file="f${i + 1}.launch.xml"/><include file="f${i + 1}.launch.xml"/></launch>`);
  const same = read(root, 'f0.launch.xml');
  assert.deepEqual(same.nodes.map((n) => n.fullName), ['/leaf'], 'the same file with the same arguments launches the same process: counted once');
  assert.equal(same.files.length, 17);
  // 10 includes per level, 30 levels, every include with its own argument value: 10^30 walks; stopped with a note.
  for (let i = 0; i < 30; i++) {
    const includes = Array.from({ length: 10 }, (_, k) => `<include file="g${i + 1}.launch.xml"><arg name="x" value="$(var x)${k}"/></include>`).join('');
    writeFileSync(join(root, `g${i}.launch.xml`), `<launch><arg name="x" default=""/>${includes}</launch>`);
  }
  writeFileSync(join(root, 'g30.launch.xml'), '<launch><arg name="x" default=""/><node pkg="p" exec="leaf" name="leaf_$(var x)"/></launch>');
  const fan = read(root, 'g0.launch.xml');
  assert.ok(fan.notes.some((n) => /^g\d+\.launch\.xml:1: more than 10,000 includes or 200,000 launch actions walked in all; the rest is not analysed$/.test(n)), fan.notes.slice(0, 5).join('\n'));
  assert.ok(fan.nodes.length > 0 && fan.nodes.length <= 10_001);
  // The same in Python: each file includes the next twice through IncludeLaunchDescription.
  for (let i = 0; i < 17; i++) writeFileSync(join(root, `p${i}.launch.py`), `
from launch import LaunchDescription
from launch.actions import IncludeLaunchDescription
from launch.launch_description_sources import PythonLaunchDescriptionSource
from launch_ros.actions import Node
import os
def generate_launch_description():
    here = os.path.dirname(__file__)
    ${i === 16 ? "return LaunchDescription([Node(package='p', executable='leaf', name='leaf')])" : `inc = lambda: IncludeLaunchDescription(PythonLaunchDescriptionSource(os.path.join(here, 'p${i + 1}.launch.py')))
    return LaunchDescription([inc(), inc()])`}
`);
  assert.deepEqual(read(root, 'p0.launch.py').nodes.map((n) => n.fullName), ['/leaf']);
});

test('values are bounded in size, not only statements in number: doubling lists, strings and arguments ends with a note (issue 23 item 10)', () => {
  const root = mkdtempSync(join(tmpdir(), 'marque-launch-values-'));
  const head = 'from launch import LaunchDescription\nfrom launch_ros.actions import Node\n';
  const py = (name: string, body: string) => { writeFileSync(join(root, name), `${head}def generate_launch_description():\n${body}\n    return LaunchDescription([Node(package='p', executable='e', name='after')])\n`); return read(root, name); };
  const list = py('list.launch.py', `    l = [1]\n    for i in range(60):\n        l = l + l`);
  assert.ok(list.notes.some((n) => /^list\.launch\.py:6: a list of 131,072 items is over Marque's bound for one value; not evaluated$/.test(n)), list.notes.join('\n'));
  assert.deepEqual(list.nodes.map((n) => n.fullName), ['/after'], 'the rest of the file is still read');
  const str = py('str.launch.py', `    s = 'x'\n    for i in range(60):\n        s = s + s`);
  assert.ok(str.notes.some((n) => /^str\.launch\.py:6: a string of 1,048,576 characters is over Marque's bound/.test(n)), str.notes.join('\n'));
  const times = py('times.launch.py', `    l = [Node(package='p', executable='e')] * 10**9`);
  assert.ok(times.notes.some((n) => /a list of 1,000,000,000 items is over Marque's bound/.test(n)), times.notes.join('\n'));
  writeFileSync(join(root, 'shared.launch.py'), `${head}def generate_launch_description():\n    l = [Node(package='p', executable='x', name='x')]\n    for i in range(60):\n        l = [l, l]\n    return LaunchDescription(l)\n`);
  assert.deepEqual(read(root, 'shared.launch.py').nodes.map((n) => n.fullName), ['/x'], 'a list holding one list twice, 60 levels deep (2^60 paths), is walked once');
  const cycle = py('cycle.launch.py', `    l = []\n    l.append(l)`);
  assert.deepEqual(cycle.nodes.map((n) => n.fullName), ['/after'], 'a list that holds itself is no endless walk');
  const total = py('total.launch.py', `    keep = []\n    for i in range(100000):\n        keep.append('y' * 900000)`);
  assert.ok(total.notes.some((n) => /values of more than 20,000,000 characters, items and parts built; the rest of the file is not read/.test(n)), total.notes.join('\n'));
  // XML: an argument that doubles 64 times ends with a note, never "Invalid string length".
  writeFileSync(join(root, 'xml.launch.xml'), `<launch><let name="a" value="x"/>${'<let name="a" value="$(var a)$(var a)"/>'.repeat(64)}<node pkg="p" exec="e" name="n_$(var a)"/></launch>`);
  const xml = read(root, 'xml.launch.xml');
  assert.equal(xml.nodes.length, 1);
  assert.ok(xml.notes.some((n) => /a value longer than 1,000,000 characters is not resolved/.test(n)), xml.notes.join('\n'));
  assert.ok(xml.nodes[0]!.fullName.length < 300);
});

test('launch includes never leave the workspace, whichever way they are written, and a refused file shows nothing of itself (issue 23 item 1)', () => {
  const base = mkdtempSync(join(tmpdir(), 'marque-launch-escape-'));
  const root = join(base, 'ws');
  const outside = join(base, 'outside');
  mkdirSync(join(root, 'src', 'p', 'launch'), { recursive: true });
  mkdirSync(outside, { recursive: true });
  writeFileSync(join(root, 'src', 'p', 'package.xml'), '<package format="3"><name>p</name><version>1.0.0</version><description>d</description><maintainer email="a@b.c">m</maintainer><license>MIT</license></package>');
  // Outside: a Python launch file with a planted constant, an XML one, a helper module, and a file that is no launch file.
  writeFileSync(join(outside, 'secret.launch.py'), "from launch import LaunchDescription\nfrom launch_ros.actions import Node\nPLANTED = 'S3CR3T-VALUE'\ndef generate_launch_description():\n    return LaunchDescription([Node(package='p', executable='x', name=PLANTED + f'{1/0}')])\n");
  writeFileSync(join(outside, 'secret.launch.xml'), '<launch><node pkg="p" exec="x" name="S3CR3T-XML"/></launch>');
  writeFileSync(join(outside, 'helper.py'), "NAME = 'S3CR3T-MODULE'\n");
  writeFileSync(join(outside, 'passwd'), 'root:x:0:0:S3CR3T-PASSWD\n');
  symlinkSync(join(outside, 'secret.launch.xml'), join(root, 'src', 'p', 'launch', 'linked.launch.xml'));
  symlinkSync(join(outside, 'helper.py'), join(root, 'src', 'p', 'launch', 'helper.py'));
  symlinkSync(outside, join(root, 'src', 'p', 'launch', 'out'));
  const variants: [string, string][] = [
    ['share-dotdot.launch.xml', '<launch><include file="$(find-pkg-share p)/../../../outside/secret.launch.xml"/></launch>'],
    ['share-link.launch.xml', '<launch><include file="$(find-pkg-share p)/launch/linked.launch.xml"/></launch>'],
    ['share-link-dir.launch.xml', '<launch><include file="$(find-pkg-share p)/launch/out/secret.launch.py"/></launch>'],
    ['absolute.launch.xml', `<launch><include file="${join(outside, 'secret.launch.py')}"/></launch>`],
    ['relative.launch.yaml', 'launch:\n  - include:\n      file: "../../../../outside/secret.launch.xml"\n'],
    ['passwd.launch.xml', `<launch><include file="${join(outside, 'passwd')}"/><include file="$(find-pkg-share p)/launch/out/passwd"/></launch>`],
    ['python-join.launch.py', "import os\nfrom launch import LaunchDescription\nfrom launch.actions import IncludeLaunchDescription\nfrom launch.launch_description_sources import PythonLaunchDescriptionSource\nfrom ament_index_python.packages import get_package_share_directory\ndef generate_launch_description():\n    return LaunchDescription([IncludeLaunchDescription(PythonLaunchDescriptionSource(os.path.join(get_package_share_directory('p'), '..', '..', '..', 'outside', 'secret.launch.py')))])\n"],
    ['python-module.launch.py', "from launch import LaunchDescription\nfrom launch_ros.actions import Node\nimport helper\ndef generate_launch_description():\n    return LaunchDescription([Node(package='p', executable='x', name=helper.NAME)])\n"],
  ];
  for (const [name, text] of variants) writeFileSync(join(root, 'src', 'p', 'launch', name), text);
  for (const [name] of variants) {
    const r = read(root, `src/p/launch/${name}`);
    const all = JSON.stringify(r);
    assert.doesNotMatch(all, /S3CR3T/, `${name}: nothing of an outside file is shown`);
    assert.ok(!r.files.some((f) => f.startsWith(outside)), `${name}: no outside file read`);
    if (name === 'python-module.launch.py') {
      assert.ok(r.notes.some((n) => /^src\/p\/launch\/python-module\.launch\.py:3: import helper: leads outside .*; not read; its names are not known$/.test(n)), r.notes.join('\n'));
      assert.deepEqual(r.nodes.map((n) => n.exec), ['x'], 'the rest of the file is read');
      continue;
    }
    assert.ok(r.notes.some((n) => new RegExp(`^src/p/launch/${name.replace(/\./g, '\\.')}:\\d+: included file .* leads outside the workspace; not read$`).test(n)), `${name}\n${r.notes.join('\n')}`);
  }
  // The entry itself as a link out of the workspace.
  symlinkSync(join(outside, 'secret.launch.xml'), join(root, 'entry.launch.xml'));
  const entry = read(root, 'entry.launch.xml');
  assert.deepEqual(entry.nodes, []);
  assert.match(entry.notes.join('\n'), /^entry\.launch\.xml: the launch file leads outside the workspace; not read$/m, 'named as marque.yaml names it, relative to the product');
  // A declared launch file that is not there (a typo in marque.yaml) is named the same way, not by its absolute path.
  assert.deepEqual(read(root, 'src/p/launch/standrd.launch.py').notes, ['src/p/launch/standrd.launch.py: launch file not found; nothing it would start is in the model']);
  // A file of the workspace that is no launch file: refused without quoting it.
  writeFileSync(join(root, 'notes.launch'), 'root:x:0:0:S3CR3T\n');
  writeFileSync(join(root, 'inc.launch.xml'), '<launch><include file="notes.launch"/></launch>');
  const plain = read(root, 'inc.launch.xml');
  assert.doesNotMatch(JSON.stringify(plain), /S3CR3T|char '/);
  assert.ok(plain.notes.some((n) => /^notes\.launch: not a launch file Marque reads/.test(n)), plain.notes.join('\n'));
});

test('a Python file in a launch/ folder is a launch file when it defines generate_launch_description(), not when it writes the words in a string (clearpath\'s launch file generator)', () => {
  const root = scopeWorkspace();
  mkdirSync(join(root, 'src/robot_bringup/robot_bringup/launch'), { recursive: true });
  writeFileSync(join(root, 'src/robot_bringup/robot_bringup/launch/writer.py'), `class LaunchWriter:
    def write_header(self):
        self.write(
            'def generate_launch_description():', 0)
`);
  writeFileSync(join(root, 'src/robot_bringup/launch/robot.py'), `from launch import LaunchDescription


def generate_launch_description():
    return LaunchDescription([])
`);
  const found = findLaunchFiles(root).map((x) => x.file.slice(root.length + 1)).filter((f) => f.endsWith('.py'));
  assert.ok(found.includes('src/robot_bringup/launch/robot.py'), found.join('\n'));
  assert.ok(!found.includes('src/robot_bringup/robot_bringup/launch/writer.py'), found.join('\n'));
});

test('assignments unpack tuples written without brackets (x, y, z = a, b, c, as clearpath_simulator and turtlebot4_simulator spawn their robots) and chain (a = b = v)', () => {
  const root = scopeWorkspace();
  writeFileSync(join(root, 'src/robot_bringup/launch/spawn.launch.py'), `from launch import LaunchDescription
from launch.substitutions import LaunchConfiguration
from launch_ros.actions import Node


def generate_launch_description():
    x, y, z = LaunchConfiguration('x', default='1.5'), LaunchConfiguration('y', default='2.5'), '0.15'
    pose = {'roll': '0.0', 'yaw': '3.14'}
    roll, yaw = [v for v in pose.values()]
    first = second = 'robot'
    (a, b) = ('-a', '-b')
    return LaunchDescription([Node(package='ros_gz_sim', executable='create', name=first,
                                   arguments=['-x', x, '-y', y, '-z', z, '-R', roll, '-Y', yaw, second, a, b])])
`);
  const r = read(root, 'src/robot_bringup/launch/spawn.launch.py');
  assert.deepEqual(r.nodes.map((n) => [n.fullName, n.args]), [['/robot', ['-x', '1.5', '-y', '2.5', '-z', '0.15', '-R', '0.0', '-Y', '3.14', 'robot', '-a', '-b']]]);
  assert.deepEqual(r.notes, []);
});

test('a dict keyed by a substitution finds its key again, as Python finds the same object: panther\'s one-robot default keyed by LaunchConfiguration("namespace")', () => {
  const root = scopeWorkspace();
  writeFileSync(join(root, 'src/robot_bringup/launch/robots.launch.py'), `from launch import LaunchDescription
from launch.substitutions import LaunchConfiguration
from launch_ros.actions import Node


def generate_launch_description():
    robots = {LaunchConfiguration('namespace', default=''): {'x': LaunchConfiguration('x', default='0.0'), 'y': '-2.0'}}
    nodes = []
    for robot_name in robots:
        init_pose = robots[robot_name]
        nodes.append(Node(package='ros_gz_sim', executable='create', name='create', namespace=robot_name,
                          arguments=['-x', init_pose['x'], '-y', init_pose['y']]))
    return LaunchDescription(nodes)
`);
  const r = read(root, 'src/robot_bringup/launch/robots.launch.py');
  assert.deepEqual(r.nodes.map((n) => [n.fullName, n.args]), [['/create', ['-x', '0.0', '-y', '-2.0']]]);
  assert.deepEqual(r.notes, []);
});

test('a branch that raises starts nothing and goes no further: tier4/nebula\'s OpaqueFunction picks the vendor\'s launch file or raises, and the file is read', () => {
  const root = scopeWorkspace();
  writeFileSync(join(root, 'src/robot_bringup/launch/lidar_any.launch.py'), `import os

from ament_index_python.packages import get_package_share_directory
import launch
from launch.actions import DeclareLaunchArgument, IncludeLaunchDescription, OpaqueFunction
from launch.launch_description_sources import PythonLaunchDescriptionSource
from launch.substitutions import LaunchConfiguration

VELODYNE = ["VLP16", "VLP32"]
OTHERS = ["Pandar64"]


def launch_setup(context, *args, **kwargs):
    sensor_model = LaunchConfiguration("sensor_model").perform(context)
    if sensor_model in VELODYNE:
        vendor_package = "robot_sensors"
        vendor_launch_file = "lidar.launch.py"
    elif sensor_model in OTHERS:
        vendor_package = "robot_other"
        vendor_launch_file = "other.launch.py"
    else:
        raise KeyError(f"Sensor model {sensor_model} does not have an associated launch file")
    vendor_launch_file = os.path.join(get_package_share_directory(vendor_package), "launch", vendor_launch_file)
    if not os.path.isfile(vendor_launch_file):
        raise FileNotFoundError(f"Could not find launch file {vendor_launch_file}")
    return [IncludeLaunchDescription(PythonLaunchDescriptionSource(vendor_launch_file), launch_arguments={"lidar_model": sensor_model}.items())]


def generate_launch_description():
    return launch.LaunchDescription([DeclareLaunchArgument("sensor_model"), OpaqueFunction(function=launch_setup)])
`);
  // The model given: the isfile check raises or not, decided at launch; where it does not, the include runs.
  const given = read(root, 'src/robot_bringup/launch/lidar_any.launch.py', { sensor_model: 'VLP16' });
  assert.deepEqual(given.nodes.map((n) => [n.fullName, n.args]), [['/lidar_driver', ['--model', 'VLP16']]]);
  assert.ok(!given.notes.some((n) => /one of several|not analysed/.test(n)), given.notes.join('\n'));
  // No model: the raising else is no third choice; the include is reached, its path one of two, named.
  const open = read(root, 'src/robot_bringup/launch/lidar_any.launch.py');
  assert.deepEqual(open.nodes, []);
  assert.ok(open.notes.some((n) => /lidar_any\.launch\.py:\d+: include of \$\(find-pkg-share \$\(\?\)\)\/launch\/\$\(\?\): .*vendor_package is one of several values/.test(n)), open.notes.join('\n'));
  assert.ok(!open.notes.some((n) => /returns one of several values/.test(n)), open.notes.join('\n'));
});

test('os.path.basename(__file__) is the launch file\'s name, as sick_scan_xd names the configuration it hands its driver after itself', () => {
  const root = scopeWorkspace();
  writeFileSync(join(root, 'src/robot_sensors/launch/sick_tim_7xx.launch.py'), `import os
from ament_index_python.packages import get_package_share_directory
from launch import LaunchDescription
from launch_ros.actions import Node


def generate_launch_description():
    launchfile = os.path.basename(__file__)[:-3]
    path = os.path.join(get_package_share_directory('robot_sensors'), 'launch/' + launchfile)
    return LaunchDescription([Node(package='sick_scan_xd', executable='sick_generic_caller', arguments=[path])])
`);
  const r = read(root, 'src/robot_sensors/launch/sick_tim_7xx.launch.py');
  assert.deepEqual(r.nodes.map((n) => n.args), [['$(find-pkg-share robot_sensors)/launch/sick_tim_7xx.launch']]);
  assert.ok(!r.notes.some((n) => /basename|not known statically/.test(n)), r.notes.join('\n'));
});

test('math constants and the launch context\'s environment, as moveit2_tutorials and depthai-ros write them', () => {
  const root = mkdtempSync(join(tmpdir(), 'marque-launch-ctx-'));
  // moveit2_tutorials depth_camera_environment.launch.py:19 (camera poses) and depthai-ros camera.launch.py:42 (log level).
  writeFileSync(join(root, 'a.launch.py'), `import math
from launch import LaunchDescription
from launch.actions import OpaqueFunction
from launch_ros.actions import Node

def launch_setup(context, *args, **kwargs):
    log_level = 'info'
    if context.environment.get('DEPTHAI_DEBUG') == '1':
        log_level = 'debug'
    pose = ['-1', '-1', '0', f'{math.pi/2}', '0.0', f'-{math.pi/2}']
    return [Node(package='tf2_ros', executable='static_transform_publisher', name='cam_tf', arguments=pose + ['--log-level', log_level])]

def generate_launch_description():
    return LaunchDescription([OpaqueFunction(function=launch_setup)])
`);
  const r = read(root, 'a.launch.py');
  assert.deepEqual(r.nodes.map((n) => n.args), [['-1', '-1', '0', '1.5707963267948966', '0.0', '-1.5707963267948966', '--log-level', '$(?)']]);
  assert.deepEqual(r.notes.filter((n) => /decided at launch/.test(n)), [`a.launch.py:8: "context.environment.get('DEPTHAI_DEBUG') == '1'" is decided at launch time (environment variable DEPTHAI_DEBUG is read at launch time); every branch of this if is read`]);
  // After that if, log_level is 'info' or 'debug': neither is shown as the one.
  assert.ok(r.notes.some((n) => /^a\.launch\.py:11: \/cam_tf: line 8: log_level is one of several values, chosen at launch time \(the if at line 8\)$/.test(n)), r.notes.join('\n'));
});

test('an if decided at launch: each branch starts from the same variables; actions of every branch count, other values that differ are one of several', () => {
  const root = mkdtempSync(join(tmpdir(), 'marque-launch-branches-'));
  writeFileSync(join(root, 'b.launch.py'), `import os
from launch import LaunchDescription
from launch_ros.actions import Node

def generate_launch_description():
    name = 'lidar'
    if os.getenv('LDS_MODEL') == 'LDS-01':
        nodes = [Node(package='hls_lfcd_lds_driver', executable='hlds_laser_publisher', name=name)]
        pkg = 'hls_lfcd_lds_driver'
    elif os.getenv('LDS_MODEL') == 'LDS-02':
        nodes = [Node(package='ld08_driver', executable='ld08_driver', name=name)]
        pkg = 'ld08_driver'
    else:
        nodes = []
        pkg = 'coin_d4_driver'
    return LaunchDescription(nodes + [Node(package='tf2_ros', executable='static_transform_publisher', name='tf', arguments=[pkg])])
`);
  const r = read(root, 'b.launch.py');
  assert.deepEqual(r.nodes.map((n) => `${n.pkg} ${n.fullName}`), ['hls_lfcd_lds_driver /lidar', 'ld08_driver /lidar', 'tf2_ros /tf']);
  assert.deepEqual(r.nodes[2]!.args, ['$(?)']);
  assert.ok(r.notes.some((n) => /^b\.launch\.py:16: \/tf: line 7: pkg is one of several values, chosen at launch time \(the if at line 7\)$/.test(n)), r.notes.join('\n'));
});

/**
 * A workspace of a robot's bringup: robot_sensors' lidar.launch.py declares arguments and sets a launch
 * configuration, ns.launch.py pushes a namespace, camera.launch.xml sets one with <let>.
 */
function scopeWorkspace(): string {
  const root = mkdtempSync(join(tmpdir(), 'marque-launch-scope-'));
  for (const name of ['robot_sensors', 'robot_bringup']) {
    mkdirSync(join(root, 'src', name, 'launch'), { recursive: true });
    writeFileSync(join(root, 'src', name, 'package.xml'), `<package format="3"><name>${name}</name><version>1.0.0</version><description>d</description><maintainer email="a@b.c">m</maintainer><license>MIT</license></package>`);
  }
  writeFileSync(join(root, 'src/robot_sensors/launch/lidar.launch.py'), `from launch import LaunchDescription
from launch.actions import DeclareLaunchArgument, SetLaunchConfiguration
from launch.substitutions import LaunchConfiguration
from launch_ros.actions import Node


def generate_launch_description():
    return LaunchDescription([
        DeclareLaunchArgument('lidar_model', default_value='vlp16'),
        DeclareLaunchArgument('lidar_port', default_value='2368'),
        SetLaunchConfiguration('frame', 'lidar_link'),
        Node(package='velodyne_driver', executable='velodyne_driver_node', name='lidar_driver',
             arguments=['--model', LaunchConfiguration('lidar_model')]),
    ])
`);
  writeFileSync(join(root, 'src/robot_sensors/launch/ns.launch.py'), `from launch import LaunchDescription
from launch_ros.actions import Node, PushRosNamespace


def generate_launch_description():
    return LaunchDescription([
        PushRosNamespace('sensors'),
        Node(package='velodyne_driver', executable='velodyne_driver_node', name='lidar_driver'),
    ])
`);
  writeFileSync(join(root, 'src/robot_sensors/launch/camera.launch.xml'), `<launch>
  <let name="camera_name" value="front"/>
  <node pkg="usb_cam" exec="usb_cam_node_exe" name="$(var camera_name)"/>
</launch>
`);
  return root;
}

test('an include is not scoped (ros2/launch#620, #801): the arguments it passes, its declared defaults and its SetLaunchConfiguration hold after it, up to a scoped group', () => {
  const root = scopeWorkspace();
  // XML: the include leaks; inside a <group> (scoped by default) the <let> holds until the group ends.
  writeFileSync(join(root, 'src/robot_bringup/launch/robot.launch.xml'), `<launch>
  <arg name="frame" default="base_link"/>
  <arg name="camera_name" default="none"/>
  <include file="$(find-pkg-share robot_sensors)/launch/lidar.launch.py">
    <arg name="lidar_model" value="vls128"/>
  </include>
  <node pkg="tf2_ros" exec="static_transform_publisher" name="$(var frame)_to_$(var lidar_model)_$(var lidar_port)"/>
  <group>
    <include file="$(find-pkg-share robot_sensors)/launch/camera.launch.xml"/>
    <node pkg="image_proc" exec="image_proc" name="rectify_$(var camera_name)"/>
  </group>
  <node pkg="image_view" exec="image_view" name="viewer_$(var camera_name)"/>
</launch>
`);
  const x = read(root, 'src/robot_bringup/launch/robot.launch.xml');
  assert.deepEqual(x.nodes.map((n) => n.fullName), ['/lidar_driver', '/lidar_link_to_vls128_2368', '/front', '/rectify_front', '/viewer_none'], 'after the include: its SetLaunchConfiguration, the argument passed, its declared default; the <let> of an include in a scoped group holds in the group only');
  assert.ok(!x.notes.some((n) => /no value and no default/.test(n)), x.notes.join('\n'));

  // Python: GroupAction is scoped by default; the same include met again in the same context is walked once and leaks again.
  writeFileSync(join(root, 'src/robot_bringup/launch/robot.launch.py'), `from launch import LaunchDescription
from launch.actions import GroupAction, IncludeLaunchDescription
from launch.launch_description_sources import PythonLaunchDescriptionSource
from launch.substitutions import LaunchConfiguration, ThisLaunchFileDir
from launch_ros.actions import Node


def tf(name):
    return Node(package='tf2_ros', executable='static_transform_publisher', name=name,
                arguments=['--frame-id', LaunchConfiguration('frame', default='base_link')])


def generate_launch_description():
    lidar = PythonLaunchDescriptionSource([ThisLaunchFileDir(), '/../../robot_sensors/launch/lidar.launch.py'])
    return LaunchDescription([
        GroupAction([IncludeLaunchDescription(lidar), tf('left_tf')]),
        GroupAction([IncludeLaunchDescription(lidar), tf('right_tf')]),
        tf('mid_tf'),
        GroupAction([IncludeLaunchDescription(lidar)], scoped=False),
        tf('base_tf'),
    ])
`);
  const p = read(root, 'src/robot_bringup/launch/robot.launch.py');
  assert.deepEqual(p.nodes.map((n) => [n.fullName, n.args?.at(-1)]), [
    ['/lidar_driver', 'vlp16'], ['/left_tf', 'lidar_link'], ['/right_tf', 'lidar_link'], ['/mid_tf', 'base_link'], ['/base_tf', 'lidar_link'],
  ], 'the lidar is walked once; what it sets holds after each include of it, up to the end of each scoped GroupAction');
});

test('a PushRosNamespace in an included file holds after the include in the including file, unless the include is in a scoped group', () => {
  const root = scopeWorkspace();
  writeFileSync(join(root, 'src/robot_bringup/launch/robot.launch.xml'), `<launch>
  <group>
    <include file="$(find-pkg-share robot_sensors)/launch/ns.launch.py"/>
  </group>
  <node pkg="joy" exec="joy_node" name="joy"/>
  <include file="$(find-pkg-share robot_sensors)/launch/ns.launch.py"/>
  <node pkg="robot_state_publisher" exec="robot_state_publisher" name="robot_state_publisher"/>
</launch>
`);
  const r = read(root, 'src/robot_bringup/launch/robot.launch.xml');
  assert.deepEqual(r.nodes.map((n) => n.fullName), ['/sensors/lidar_driver', '/joy', '/sensors/robot_state_publisher']);
});

test('an include under a condition decided at launch: each value it would set is one of several after it, with a note; the namespace it would push is named', () => {
  const root = scopeWorkspace();
  writeFileSync(join(root, 'src/robot_bringup/launch/robot.launch.xml'), `<launch>
  <arg name="frame" default="base_link"/>
  <arg name="lidar_port" default="2368"/>
  <include file="$(find-pkg-share robot_sensors)/launch/lidar.launch.py" if="$(env USE_LIDAR)"/>
  <node pkg="tf2_ros" exec="static_transform_publisher" name="tf_$(var frame)_$(var lidar_port)"/>
  <include file="$(find-pkg-share robot_sensors)/launch/ns.launch.py" if="$(env USE_LIDAR)"/>
  <node pkg="robot_state_publisher" exec="robot_state_publisher" name="robot_state_publisher"/>
</launch>
`);
  const r = read(root, 'src/robot_bringup/launch/robot.launch.xml');
  assert.deepEqual(r.nodes.map((n) => n.fullName), ['/lidar_driver', '/tf_$(var frame)_2368', '/sensors/lidar_driver', '/robot_state_publisher'], 'the port is 2368 either way');
  const has = (re: RegExp) => assert.ok(r.notes.some((n) => re.test(n)), `${re}\n${r.notes.join('\n')}`);
  has(/^src\/robot_bringup\/launch\/robot\.launch\.xml:5: \/tf_\$\(var frame\)_2368: launch argument "frame" is one of several values after the include at src\/robot_bringup\/launch\/robot\.launch\.xml:4: "lidar_link" if it runs, else "base_link"; whether it runs is decided at launch time \(environment variable USE_LIDAR is read at launch time\)$/);
  has(/^src\/robot_bringup\/launch\/robot\.launch\.xml:6: the include pushes the namespace \/sensors, in effect after it only if it runs, which is decided at launch time \(environment variable USE_LIDAR is read at launch time\); what follows is read in \/, and may be in \/sensors$/);
});

test('classes of a launch file: __init__, attributes on self, staticmethod, classmethod, property and a base of the file are read; a base from another package is named; recursion ends', () => {
  const root = mkdtempSync(join(tmpdir(), 'marque-launch-classes-'));
  writeFileSync(join(root, 'c.launch.py'), `from launch import LaunchDescription
from launch_ros.actions import Node
from somewhere import Base

class Loop:
    @property
    def x(self):
        return self.x

class Rec:
    def __init__(self):
        self.child = Rec()

class Cfg:
    NS = 'robot'
    def __init__(self, name):
        self.name = name
    @staticmethod
    def exe():
        return 'driver'
    @classmethod
    def make(cls):
        return cls('made')
    @property
    def full(self):
        return self.NS + '_' + self.name

class Sub(Cfg):
    def node(self):
        return Node(package='p', executable=self.exe(), name=self.full, namespace=Cfg.NS)

class Fragment(Base):
    def nodes(self):
        return [Node(package='p', executable='frag', name=self.frag_name)]

def generate_launch_description():
    v = Loop().x
    r = Rec()
    f = Fragment()
    return LaunchDescription([Sub('a').node(), Sub.make().node(), *f.nodes(), f.other()])
`);
  const r = read(root, 'c.launch.py');
  assert.deepEqual(r.nodes.map((n) => `${n.exec} ${n.fullName}`), ['driver /robot/robot_a', 'driver /robot/robot_made', 'frag /$(?)']);
  assert.ok(r.notes.some((n) => /^c\.launch\.py:34: \/\$\(\?\): line 32: attribute \.frag_name of Fragment, a class based on somewhere\.Base \(from another package\), is not known statically$/.test(n)), r.notes.join('\n'));
  assert.ok(r.notes.some((n) => /^c\.launch\.py:40: attribute \.other of Fragment, a class based on somewhere\.Base \(from another package\), is not known statically; not analysed$/.test(n)), r.notes.join('\n'));
});
