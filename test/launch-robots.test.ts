// Robots nobody tuned Marque to (issue 25): the real launch files of realsense-ros, the Universal
// Robots driver, turtlebot4, the micro-ROS agent and velodyne (test/fixtures/launch/SOURCES.md), with
// the truth pinned by hand: nodes, namespaces, containers, what cannot be followed. Then the sweep:
// no launch file of the fixtures starts no process without a note that says where and why.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join, relative } from 'node:path';
import { readLaunchTree, type LaunchReading } from '../src/perimeter/launch/interpret.ts';
import { findLaunchFiles, workspacePackages } from '../src/perimeter/launch/workspace.ts';
import { parseManifest } from '../src/manifest/manifest.ts';
import { buildModel } from '../src/perimeter/build.ts';
import { FIXTURES } from './helpers/paths.ts';
import { REPOS, sweep, unpack } from '../bench/launch-sweep.ts';

const LAUNCH = join(FIXTURES, 'launch');
const read = (repo: string, file: string, args: Record<string, string> = {}) => {
  const root = join(LAUNCH, repo);
  return readLaunchTree(join(root, file), { root, packages: workspacePackages(root), installPrefixes: [] }, new Map(Object.entries(args)));
};
const names = (r: LaunchReading) => r.nodes.map((n) => `${n.kind} ${n.fullName}${n.container ? ` in ${n.container}` : ''}${n.named ? '' : ' (unnamed)'}`);
const has = (r: LaunchReading, re: RegExp) => assert.ok(r.notes.some((n) => re.test(n)), `${re}\n${r.notes.join('\n')}`);
/** The architecture model a marque.yaml naming these launch files gives (launch arguments as given). */
const model = (repo: string, launch: string[], args: Record<string, string> = {}) => {
  const dir = join(LAUNCH, repo);
  const yaml = `product: {name: p, version: "1.0.0"}\narchitecture:\n  ros:\n    launch: [${launch.join(', ')}]\n${Object.keys(args).length ? `    launchArguments: {${Object.entries(args).map(([k, v]) => `${k}: "${v}"`).join(', ')}}\n` : ''}`;
  return buildModel({ ...parseManifest(yaml, join(dir, 'marque.yaml')), dir });
};

test('realsense-ros rs_launch.py: one camera node, /camera/camera, through list comprehensions, dict access, an OpaqueFunction with kwargs and a suffix concatenated into LaunchConfiguration names', () => {
  const r = read('realsense-ros', 'realsense2_camera/launch/rs_launch.py');
  assert.deepEqual(r.nodes.map((n) => [n.fullName, n.pkg, n.exec, `${n.file}:${n.line}`]), [['/camera/camera', 'realsense2_camera', 'realsense2_camera_node', 'realsense2_camera/launch/rs_launch.py:110']]);
  assert.deepEqual(r.nodes[0]!.args, ['--ros-args', '--log-level', 'info'], 'the log level is the declared default');
  has(r, /^realsense2_camera\/launch\/rs_launch\.py:103: "\(os\.getenv\('ROS_DISTRO'\) == 'foxy'\)" is decided at launch time \(environment variable ROS_DISTRO is read at launch time\); every branch of this if is read$/);
  // Launch arguments reach the function the OpaqueFunction runs.
  assert.deepEqual(read('realsense-ros', 'realsense2_camera/launch/rs_launch.py', { camera_name: 'front', camera_namespace: 'robot1' }).nodes.map((n) => n.fullName), ['/robot1/front']);
});

test('realsense-ros rs_multi_camera_launch.py: two cameras through the imported local module rs_launch, plus the unnamed static_transform_publisher', () => {
  const r = read('realsense-ros', 'realsense2_camera/launch/rs_multi_camera_launch.py');
  assert.deepEqual(names(r), ['node /camera1/camera1', 'node /camera2/camera2', 'node /static_transform_publisher (unnamed)']);
  assert.deepEqual(r.nodes.map((n) => `${n.file}:${n.line}`), ['realsense2_camera/launch/rs_launch.py:110', 'realsense2_camera/launch/rs_launch.py:110', 'realsense2_camera/launch/rs_multi_camera_launch.py:54']);
  assert.deepEqual(r.nodes[2]!.args, ['0', '0', '0', '0', '0', '0', 'camera1_link', 'camera2_link'], 'context.launch_configurations[…] + "_link" is the declared default');
  assert.deepEqual(r.files.map((f) => relative(join(LAUNCH, 'realsense-ros'), f)), ['realsense2_camera/launch/rs_multi_camera_launch.py', 'realsense2_camera/launch/rs_launch.py'], 'the module it imports is read, and named as a source');
});

test('realsense-ros rs_intra_process_demo_launch.py: one container holding the camera and the latency tool; an example importing rs_launch from the package share folder', () => {
  const r = read('realsense-ros', 'realsense2_camera/launch/rs_intra_process_demo_launch.py');
  assert.deepEqual(r.nodes.map((n) => [n.kind, n.fullName, n.plugin ?? n.exec, n.container ?? '']), [
    ['container', '/my_container', 'component_container', ''],
    ['composable', '/camera', 'realsense2_camera::RealSenseNodeFactory', '/my_container'],
    ['composable', '/frame_latency', 'rs2_ros::tools::frame_latency::FrameLatencyNode', '/my_container'],
  ]);
  has(r, /rs_intra_process_demo_launch\.py:39: "process\.stdout\.find\(rs_node_class\) == -1 or .*" is decided at launch time/);
  // sys.path.append(os.path.join(get_package_share_directory('realsense2_camera'), 'launch')); import rs_launch
  assert.deepEqual(names(read('realsense-ros', 'realsense2_camera/examples/align_depth/rs_align_depth_launch.py')), ['node /camera/camera']);
  // The description viewer: the model comes from sys.argv ("model:=…"), so whether it returns early is decided at launch.
  const view = read('realsense-ros', 'realsense2_description/launch/view_model.launch.py');
  assert.deepEqual(view.nodes.map((n) => [n.fullName, n.exec]), [['/rviz2', 'rviz2'], ['/model_node', 'robot_state_publisher']]);
  has(view, /^realsense2_description\/launch\/view_model\.launch\.py:29: .* is decided at launch time \(dict\(\[aa for aa in \[aa\.split\(':='\) for aa in sys\.argv\].* is not known statically\); every branch of this if is read$/);
});

test('Universal Robots ur_control.launch.py: ten processes with the default arguments, the two unnamed spawners two compartments; .perform(context) is the default', () => {
  const r = read('ur_driver', 'ur_robot_driver/launch/ur_control.launch.py');
  assert.deepEqual(names(r), [
    'node /ros2_control_node (unnamed)', 'node /dashboard_client', 'node /ur_robot_state_helper', 'node /controller_stopper', 'node /urscript_interface (unnamed)',
    'node /robot_state_publisher (unnamed)', 'node /rviz2', 'node /trajectory_until_node', 'node /spawner (unnamed)', 'node /spawner (unnamed)',
  ], 'use_mock_hardware false, launch_dashboard_client true, launch_rviz true, use_tool_communication false (its ExecuteProcess is not started)');
  const [active, inactive] = r.nodes.filter((n) => n.exec === 'spawner').map((n) => n.args!);
  assert.deepEqual(active!.slice(4), ['joint_state_broadcaster', 'io_and_status_controller', 'speed_scaling_state_broadcaster', 'force_torque_sensor_broadcaster', 'tcp_pose_broadcaster', 'ur_configuration_controller', 'gravity_update_controller', 'friction_model_controller', 'joint_trajectory_controller'], 'activate_joint_controller.perform(context) == "true": the initial controller is moved to the active ones');
  assert.equal(inactive![4], '--inactive');
  assert.ok(!inactive!.includes('joint_trajectory_controller'));
  assert.ok(!r.notes.some((n) => /decided at launch time/.test(n)), r.notes.filter((n) => /decided/.test(n)).join('\n'));
  const m = model('ur_driver', ['ur_robot_driver/launch/ur_control.launch.py'], { ur_type: 'ur5e', robot_ip: '192.168.56.101' });
  assert.deepEqual(m.compartments.filter((c) => c.kind === 'process').map((c) => c.id), [
    'node:/ros2_control_node@ur_robot_driver/launch/ur_control.launch.py:71', 'node:/dashboard_client', 'node:/ur_robot_state_helper', 'node:/controller_stopper',
    'node:/urscript_interface@ur_robot_driver/launch/ur_control.launch.py:132', 'node:/robot_state_publisher@ur_robot_driver/launch/ur_rsp.launch.py:464', 'node:/rviz2', 'node:/trajectory_until_node',
    'node:/spawner@ur_robot_driver/launch/ur_control.launch.py:189', 'node:/spawner@ur_robot_driver/launch/ur_control.launch.py:189#2',
  ], 'every launched process is its own compartment: 10, not 9');
  // With mock hardware: no dashboard, state helper, URScript interface or controller stopper; the TCP pose broadcaster is not spawned.
  const mock = read('ur_driver', 'ur_robot_driver/launch/ur5e.launch.py', { use_mock_hardware: 'true', robot_ip: 'x' });
  assert.deepEqual(mock.nodes.map((n) => n.fullName), ['/ros2_control_node', '/robot_state_publisher', '/rviz2', '/trajectory_until_node', '/spawner', '/spawner']);
  assert.ok(!mock.nodes[4]!.args!.includes('tcp_pose_broadcaster'));
  // use_tool_communication: the ExecuteProcess note quotes the whole command.
  const tool = read('ur_driver', 'ur_robot_driver/launch/ur_control.launch.py', { use_tool_communication: 'true', robot_ip: '192.168.56.101', ur_type: 'ur5e' });
  has(tool, /^ur_robot_driver\/launch\/ur_control\.launch\.py:118: runs the process "\$\(find-pkg-prefix ur_client_library\)\/lib\/ur_client_library\/tool_communication\.py 192\.168\.56\.101 --tcp-port 54321 --device-name \/tmp\/ttyUR", which is not a ROS node/);
});

test('turtlebot4: navigation and SLAM launch files; .perform(context) decides the namespace; nav2_bringup, not in the workspace, is named', () => {
  const nav2 = read('turtlebot4', 'turtlebot4_navigation/launch/nav2.launch.py');
  assert.deepEqual(nav2.nodes, []);
  assert.ok(!nav2.notes.some((n) => /nav2\.launch\.py:57/.test(n)), 'namespace_str is the default, "": the if is decided');
  has(nav2, /^turtlebot4_navigation\/launch\/nav2\.launch\.py:68: includes launch\/navigation_launch\.py of package nav2_bringup, which is neither in the workspace nor installed here/);
  has(nav2, /^turtlebot4_navigation\/launch\/nav2\.launch\.py:68: this launch file starts no process Marque could follow; IncludeLaunchDescription\(…\) at line 68: the file it includes is not read$/);
  assert.deepEqual(names(read('turtlebot4', 'turtlebot4_navigation/launch/slam.launch.py')), ['node /slam_toolbox']);
  assert.deepEqual(names(read('turtlebot4', 'turtlebot4_navigation/launch/slam.launch.py', { sync: 'false', namespace: 'tb4' })), ['node /tb4/slam_toolbox']);
  assert.deepEqual(names(read('turtlebot4', 'turtlebot4_description/launch/robot_description.launch.py')), ['node /robot_state_publisher', 'node /joint_state_publisher']);
});

test('turtlebot4_robot standard.launch.py: nine processes through four includes and a TimerAction; the namespace from ROBOT_NAMESPACE; diagnostics decided by TURTLEBOT4_DIAGNOSTICS', () => {
  // Checked by hand against the files: robot.launch.py (turtlebot4_node, the base node for model:=standard, the
  // Create 3 republisher), joy_teleop, rplidar, the OAK-D container 30 s later, and diagnostics.launch.py when
  // TURTLEBOT4_DIAGNOSTICS (default '1') says so; turtlebot4_description's file is not in the workspace.
  const root = join(LAUNCH, 'turtlebot4_robot');
  const entry = join(root, 'turtlebot4_bringup/launch/standard.launch.py');
  const at = (environment: Record<string, string>) => readLaunchTree(entry, { root, packages: workspacePackages(root), installPrefixes: [], environment: new Map(Object.entries(environment)) });
  const r = at({});
  assert.deepEqual(r.nodes.map((n) => `${n.kind} ${n.fullName} ${n.pkg}/${n.plugin ?? n.exec}${n.named ? '' : ' (unnamed)'}`), [
    'node /$(env ROBOT_NAMESPACE)/turtlebot4_node turtlebot4_node/turtlebot4_node (unnamed)',
    'node /$(env ROBOT_NAMESPACE)/turtlebot4_base_node turtlebot4_base/turtlebot4_base_node (unnamed)',
    'node /$(env ROBOT_NAMESPACE)/create3_republisher create3_republisher/create3_republisher (unnamed)',
    'node /$(env ROBOT_NAMESPACE)/joy_linux_node joy_linux/joy_linux_node',
    'node /$(env ROBOT_NAMESPACE)/teleop_twist_joy_node teleop_twist_joy/teleop_node',
    'node /$(env ROBOT_NAMESPACE)/rplidar_composition rplidar_ros/rplidar_composition',
    // PushRosNamespace in standard.launch.py, again in oakd.launch.py, then the container's own namespace: launch_ros prefixes all three.
    'container /$(env ROBOT_NAMESPACE)/$(env ROBOT_NAMESPACE)/$(env ROBOT_NAMESPACE)/oakd_container rclcpp_components/component_container',
    'composable /$(env ROBOT_NAMESPACE)/$(env ROBOT_NAMESPACE)/oakd depthai_ros_driver/depthai_ros_driver::Camera',
    'node /$(env ROBOT_NAMESPACE)/aggregator_node diagnostic_aggregator/aggregator_node (unnamed)',
    'node /$(env ROBOT_NAMESPACE)/diagnostics_updater turtlebot4_diagnostics/diagnostics_updater (unnamed)',
  ]);
  has(r, /^turtlebot4_bringup\/launch\/standard\.launch\.py:107: "\(diagnostics_enable\.perform\(lc\)\) == '1'" is decided at launch time \(environment variable TURTLEBOT4_DIAGNOSTICS is read at launch time\); every branch of this if is read$/);
  has(r, /^turtlebot4_bringup\/launch\/standard\.launch\.py:102: includes launch\/robot_description\.launch\.py of package turtlebot4_description, which is neither in the workspace nor installed here/);
  // The environment the robot runs with (marque.yaml ros.environment) decides both.
  const set = at({ ROBOT_NAMESPACE: 'tb4', TURTLEBOT4_DIAGNOSTICS: '0' });
  assert.deepEqual(set.nodes.filter((n) => n.kind !== 'composable').map((n) => n.fullName), ['/tb4/turtlebot4_node', '/tb4/turtlebot4_base_node', '/tb4/create3_republisher', '/tb4/joy_linux_node', '/tb4/teleop_twist_joy_node', '/tb4/rplidar_composition', '/tb4/tb4/tb4/oakd_container']);
  assert.ok(!set.notes.some((n) => /standard\.launch\.py:107/.test(n)), 'TURTLEBOT4_DIAGNOSTICS=0: the if is decided');
});

test('interbotix xsarm_moveit.launch.py: PythonExpression \'"actual" in (\'actual\', \'fake\')\' is decided, so the arm\'s ros2_control bringup is included as it runs: seven processes, no "to be safe"', () => {
  // Checked by hand with robot_model:=wx200 hardware_type:=actual: move_group and its RViz; xsarm_ros_control (the
  // include under the membership test): the controller manager and the arm and gripper spawners (the joint state
  // broadcaster's only for "fake"); xsarm_control (for "actual"): the DYNAMIXEL driver xs_sdk and the description's
  // state publisher (its RViz off: use_rviz false is passed down). The Gazebo include is for "gz_classic" only.
  const r = read('interbotix_ros_manipulators', 'interbotix_ros_xsarms/interbotix_xsarm_moveit/launch/xsarm_moveit.launch.py', { robot_model: 'wx200', hardware_type: 'actual' });
  assert.deepEqual(r.nodes.map((n) => `${n.fullName} ${n.pkg}/${n.exec}${n.conditional ? ' (conditional)' : ''}`), [
    '/move_group moveit_ros_move_group/move_group',
    '/rviz2 rviz2/rviz2',
    '/wx200/ros2_control_node controller_manager/ros2_control_node',
    '/wx200/arm_controller_spawner controller_manager/spawner',
    '/wx200/gripper_controller_spawner controller_manager/spawner',
    '/wx200/xs_sdk interbotix_xs_sdk/xs_sdk',
    '/wx200/robot_state_publisher robot_state_publisher/robot_state_publisher',
  ]);
  assert.ok(!r.notes.some((n) => /decided at launch time|to be safe|not evaluated statically/.test(n)), r.notes.join('\n'));
  // With "fake" hardware the same expression is true too, and the description include replaces the driver.
  const fake = read('interbotix_ros_manipulators', 'interbotix_ros_xsarms/interbotix_xsarm_moveit/launch/xsarm_moveit.launch.py', { robot_model: 'wx200', hardware_type: 'fake' });
  assert.ok(fake.nodes.some((n) => n.fullName === '/wx200/joint_state_broadcaster_spawner') && !fake.nodes.some((n) => n.exec === 'xs_sdk'));
});

test('navigation2_tutorials sam_bot display.launch.py: FindPackageShare(…).find(name) is the package\'s share folder, so RViz\'s configuration and the Gazebo world are named', () => {
  // Checked by hand: gui defaults to True, so joint_state_publisher (UnlessCondition(gui)) does not run; the state
  // publisher, the spawner, the EKF and RViz do, and Gazebo is a process that is not a node.
  const r = read('navigation2_tutorials', 'sam_bot_description/launch/display.launch.py');
  assert.deepEqual(r.nodes.map((n) => `${n.fullName} ${n.pkg}/${n.exec}`), ['/robot_state_publisher robot_state_publisher/robot_state_publisher', '/spawn_entity.py gazebo_ros/spawn_entity.py', '/ekf_filter_node robot_localization/ekf_node', '/rviz2 rviz2/rviz2']);
  assert.deepEqual(r.nodes[3]!.args, ['-d', '$(find-pkg-share sam_bot_description)/rviz/urdf_config.rviz']);
  has(r, /display\.launch\.py:54: runs the process "gazebo --verbose -s libgazebo_ros_init\.so -s libgazebo_ros_factory\.so \$\(find-pkg-share sam_bot_description\)\/world\/my_world\.sdf"/);
  assert.ok(!r.notes.some((n) => /\.find\(\)/.test(n)), r.notes.join('\n'));
});

test('micro-ROS agent: the port given as an argument (udp4 -p 8888) is the interface\'s port', () => {
  const r = read('micro-ROS-Agent', 'micro_ros_agent/launch/micro_ros_agent_launch.py');
  assert.deepEqual(r.nodes.map((n) => [n.fullName, n.args]), [['/micro_ros_agent', ['udp4', '-p', '8888', '-v6']]]);
  const m = model('micro-ROS-Agent', ['micro_ros_agent/launch/micro_ros_agent_launch.py']);
  assert.deepEqual(m.interfaces.filter((i) => i.kind === 'bridge').map((i) => [i.id, i.port, i.into]), [['bridge:/micro_ros_agent', 8888, 'node:/micro_ros_agent']]);
  assert.ok(m.notes.some((n) => /\/micro_ros_agent runs micro_ros_agent .* \(port 8888, from its arguments\)/.test(n)), m.notes.join('\n'));
});

test('open_manipulator omy_ai.launch.py: "ros2 launch pkg file" in an ExecuteProcess is a launch of its own, read: the follower\'s and the leader\'s bringups (ros2_control, spawners, state publishers, the self-collision node) are processes', () => {
  const r = read('open_manipulator', 'open_manipulator_bringup/launch/omy_ai.launch.py');
  // Checked by hand: the follower's file starts its controller manager, one spawner and its state publisher (the
  // executor and rviz wait on conditions that are false by default); the leader's pushes "leader" and includes the
  // self-collision launch (use_self_collision_avoidance defaults to true); the executor starts once the follower has.
  assert.deepEqual(names(r), [
    'node /ros2_control_node (unnamed)', 'node /spawner (unnamed)', 'node /robot_state_publisher (unnamed)',
    'node /joint_trajectory_executor (unnamed)',
    'node /leader/ros2_control_node (unnamed)', 'node /leader/spawner (unnamed)', 'node /leader/robot_state_publisher (unnamed)', 'node /leader/self_collision_node',
  ]);
  assert.ok(r.files.some((f) => f.endsWith('open_manipulator_collision/launch/self_collision.launch.py')), r.files.join('\n'));
  has(r, /omy_ai\.launch\.py:35: runs the process "ros2 launch open_manipulator_bringup omy_f3m_follower_ai\.launch\.py", a launch of its own/);
  assert.ok(!r.notes.some((n) => /not a ROS node Marque can place/.test(n)), r.notes.join('\n'));
});

test('velodyne: the driver, transform and laser scan as three processes, or composed into one container', () => {
  assert.deepEqual(names(read('velodyne', 'velodyne/launch/velodyne-all-nodes-VLP16-launch.py')), ['node /velodyne_driver_node (unnamed)', 'node /velodyne_transform_node (unnamed)', 'node /velodyne_laserscan_node (unnamed)']);
  assert.deepEqual(names(read('velodyne', 'velodyne/launch/velodyne-all-nodes-VLP16-composed-launch.py')), ['container /velodyne_container', 'composable /velodyne_driver_node in /velodyne_container', 'composable /velodyne_transform_node in /velodyne_container', 'composable /velodyne_laserscan_node in /velodyne_container']);
  assert.deepEqual(names(read('velodyne', 'velodyne_driver/launch/velodyne_driver_node-VLP16-launch.py')), ['node /velodyne_driver_node (unnamed)']);
});

test('slam_toolbox and nav2: an event handler\'s condition and the node it watches are not actions it holds; a file removed at shutdown launches nothing', () => {
  // RegisterEventHandler(OnStateTransition(target_lifecycle_node=…, entities=[…]), condition=IfCondition(…)): one lifecycle node, nothing left unread.
  const slam = read('slam_toolbox', 'slam_toolbox/launch/online_async_launch.py');
  assert.deepEqual(slam.nodes.map((n) => [n.kind, n.fullName, n.exec, `${n.file}:${n.line}`]), [['lifecycle', '/slam_toolbox', 'async_slam_toolbox_node', 'slam_toolbox/launch/online_async_launch.py:40']]);
  assert.deepEqual(slam.notes, []);
  // RegisterEventHandler(OnShutdown(on_shutdown=[OpaqueFunction(function=lambda _: os.remove(world_sdf))])): not a helper from another package.
  const tb3 = read('navigation2', 'nav2_bringup/launch/tb3_simulation_launch.py');
  assert.ok(!tb3.notes.some((n) => /remove\(…\)|not a launch action/.test(n)), tb3.notes.join('\n'));
  has(tb3, /^nav2_bringup\/launch\/tb3_simulation_launch\.py:220: runs the process "gz sim -r -s \$\(\?\)"/);
});

test('ouster-ros replay (XML): a quoted $(eval …) with escaped quotes decides, as launch reads it, whether the replay node runs', () => {
  // <let name="_use_metadata_file" value="$(eval '\'$(var metadata)\' != \'\'')"/>, then <node if="$(var _use_metadata_file)" … name="os_replay">.
  const r = read('ouster-ros', 'ouster-ros/launch/replay.composite.launch.xml');
  assert.deepEqual(names(r), ['container /ouster/os_container', 'composable /ouster/os_cloud in /ouster/os_container', 'composable /ouster/os_image in /ouster/os_container', 'node /ouster/rviz2']);
  assert.ok(!r.notes.some((n) => /:94: /.test(n)), 'metadata defaults to "": the condition is false, not "decided at launch time"');
  assert.deepEqual(read('ouster-ros', 'ouster-ros/launch/replay.composite.launch.xml', { metadata: '/data/os.json', viz: 'false' }).nodes.map((n) => n.fullName), ['/ouster/os_replay', '/ouster/os_container', '/ouster/os_cloud', '/ouster/os_image']);
  has(r, /^ouster-ros\/launch\/replay\.composite\.launch\.xml:134: launched only if a condition holds that is decided at launch time \(launch argument "bag_file" has no value and no default\); counted in, to be safe$/);
});

test('a launch_testing script (nav2_system_tests) starts no process, and its note says why: no generate_launch_description(), so ros2 launch does not run it', () => {
  const r = read('navigation2', 'nav2_system_tests/src/planning/test_planner_costmaps_launch.py');
  assert.deepEqual([r.nodes, r.notes], [[], ['nav2_system_tests/src/planning/test_planner_costmaps_launch.py:30: this launch file starts no process: the file defines no generate_launch_description(), so ros2 launch does not run it (a launch_testing test or a script); it writes ExecuteProcess(…) at line 30']]);
});

test('image_pipeline stereo: one container holds the stereo nodes and both cameras\' image_proc nodes, through a PythonExpression "x if c else y" that names the container', () => {
  // SetLaunchConfiguration(container = PythonExpression(['"stereo_image_proc_container"', ' if ', '"', ns, '"', ' == "" else ', …])), then image_proc.launch.py twice with that container: LoadComposableNodes, not a container of its own.
  const r = read('image_pipeline', 'stereo_image_proc/launch/stereo_image_proc.launch.py');
  assert.deepEqual(names(r), [
    'container /stereo_image_proc_container',
    'composable /DisparityNode in /stereo_image_proc_container (unnamed)', 'composable /PointCloudNode in /stereo_image_proc_container (unnamed)',
    'composable /left/debayer_node in /stereo_image_proc_container', 'composable /left/rectify_mono_node in /stereo_image_proc_container', 'composable /left/rectify_color_node in /stereo_image_proc_container',
    'composable /right/debayer_node in /stereo_image_proc_container', 'composable /right/rectify_mono_node in /stereo_image_proc_container', 'composable /right/rectify_color_node in /stereo_image_proc_container',
  ]);
  assert.ok(!r.notes.some((n) => /decided at launch time|not evaluated statically/.test(n)), r.notes.join('\n'));
  // On its own, image_proc.launch.py starts its own container.
  assert.deepEqual(names(read('image_pipeline', 'image_proc/launch/image_proc.launch.py')).slice(0, 2), ['container /image_proc_container', 'composable /debayer_node in /image_proc_container']);
});

test('mavros (XML launch files named x.launch): listed and read; include arguments set in order; $(eval) with int(); the MAVLink bridge an interface; a ROS 1 file left in the package starts nothing, and says why', () => {
  // ros2 launch mavros px4.launch: launch reads a file without .xml by its content.
  assert.deepEqual(findLaunchFiles(join(LAUNCH, 'mavros')).map((x) => relative(join(LAUNCH, 'mavros'), x.file)), ['mavros/launch/apm.launch', 'mavros/launch/multi_uas.launch', 'mavros/launch/node.launch', 'mavros/launch/px4.launch'], 'px4flow.launch of mavros_extras is roslaunch XML: not a ROS 2 launch file');
  assert.deepEqual(names(read('mavros', 'mavros/launch/px4.launch')), ['node /mavros/mavros_node (unnamed)']);
  // <include …><arg name="tgt_system" value="$(eval '1 + int(\'$(var id)\') ')"/><arg name="namespace" value="$(eval ' \'mavros/uas_\' + \'$(var tgt_system)\' ')"/>:
  // IncludeLaunchDescription sets each argument in turn, so the namespace sees tgt_system (1, then 2).
  const multi = read('mavros', 'mavros/launch/multi_uas.launch');
  assert.deepEqual(names(multi), ['node /mavros/uas_1/mavros_node (unnamed)', 'node /mavros/uas_2/mavros_node (unnamed)']);
  assert.ok(!multi.notes.some((n) => /not evaluated statically|no value and no default/.test(n)), multi.notes.join('\n'));
  const m = model('mavros', ['mavros/launch/px4.launch']);
  assert.deepEqual(m.interfaces.filter((i) => i.kind === 'bridge').map((i) => [i.id, i.into, Boolean(i.probable)]), [['bridge:/mavros/mavros_node', 'node:/mavros/mavros_node@mavros/launch/node.launch:16', true]]);
  // mavros_extras/launch/px4flow.launch is ROS 1's (<node type=…>, $(arg …), <rosparam>): no node without an executable.
  const ros1 = read('mavros', 'mavros_extras/launch/px4flow.launch');
  assert.deepEqual([ros1.nodes, ros1.notes], [[], ['mavros_extras/launch/px4flow.launch:11: this launch file starts no process: it is a ROS 1 launch file (roslaunch: <node type="…"> at line 11, $(arg …) at line 12, <rosparam> at line 22), which ros2 launch does not read; it writes <node> at line 11']]);
});

test('orbbec gemini_330_series.launch.py: os.environ.get("ROS_DISTRO") is the distribution the product names, so the foxy branch\'s standalone node is not a second process; ros.environment gives launch files their variables', () => {
  // Read alone, the distribution is not known: both branches count, with a note.
  const r = read('orbbec', 'orbbec_camera/launch/gemini_330_series.launch.py');
  assert.deepEqual(names(r), ['node /camera/ob_camera_node', 'container /camera/camera_container', 'composable /camera/camera in /camera/camera_container']);
  has(r, /^orbbec_camera\/launch\/gemini_330_series\.launch\.py:323: "ros_distro == "foxy"" is decided at launch time \(environment variable ROS_DISTRO is read at launch time\)/);
  // inventory.rosdistro: jazzy: ROS_DISTRO is jazzy, as the ROS setup script sets it.
  const dir = join(LAUNCH, 'orbbec');
  const jazzy = buildModel({ ...parseManifest('product: {name: p, version: "1.0.0"}\ninventory: {rosdistro: jazzy}\narchitecture:\n  ros:\n    launch: [orbbec_camera/launch/gemini_330_series.launch.py]\n', join(dir, 'marque.yaml')), dir });
  assert.deepEqual(jazzy.compartments.filter((c) => c.kind === 'process').map((c) => c.id), ['node:/camera/camera_container']);
  assert.ok(!jazzy.notes.some((n) => /ROS_DISTRO/.test(n)), jazzy.notes.join('\n'));
  // ros.environment is what the robot runs with, and wins.
  const foxy = buildModel({ ...parseManifest('product: {name: p, version: "1.0.0"}\ninventory: {rosdistro: jazzy}\narchitecture:\n  ros:\n    launch: [orbbec_camera/launch/gemini_330_series.launch.py]\n    environment: {ROS_DISTRO: foxy}\n', join(dir, 'marque.yaml')), dir });
  assert.deepEqual(foxy.compartments.filter((c) => c.kind === 'process').map((c) => c.id), ['node:/camera/ob_camera_node']);
});

test('spot_ros2 spot_driver.launch.py: what launch_setup(context, ld) adds to the launch description it is given (OpaqueFunction(args=[ld])) is launched; DeclareBooleanLaunchArgument and IfCondition(…).evaluate(context) are read', () => {
  // The driver's seven nodes and the image publishers' include are all ld.add_action(…) in the OpaqueFunction's function, which returns None.
  const r = read('spot_ros2', 'spot_driver/launch/spot_driver.launch.py');
  assert.deepEqual(r.nodes.map((n) => `${n.kind} ${n.exec}@${n.file.split('/').pop()}:${n.line}${n.conditional ? ' (conditional)' : ''}`), [
    'node spot_ros2@spot_driver.launch.py:79', 'node spot_inverse_kinematics_node@spot_driver.launch.py:100', 'node object_synchronizer_node@spot_driver.launch.py:109',
    'node robot_state_publisher@spot_driver.launch.py:134', 'node state_publisher_node@spot_driver.launch.py:143', 'node spot_alerts@spot_driver.launch.py:152',
    'node spot_image_publisher_node@spot_image_publishers.launch.py:153', 'container component_container_mt@spot_image_publishers.launch.py:169',
    // stitch_front_images is declared by spot_common's declare_image_publisher_args(), another package's helper: counted in, said.
    'node image_stitcher_node@spot_image_publishers.launch.py:187 (conditional)',
  ]);
  // DeclareBooleanLaunchArgument("controllable", default_value=False): the lease manager and the ros2_control bringup do not run.
  assert.ok(!r.nodes.some((n) => n.exec === 'lease_manager_node'));
  assert.ok(!r.notes.some((n) => /spot_ros2_control|"mock_enable" is decided at launch time|DeclareBooleanLaunchArgument/.test(n)), r.notes.join('\n'));
  // The namespace comes from spot_common's get_name_and_prefix(…): not evaluated, and the note says which call.
  assert.equal(r.nodes[0]!.fullName, '/$(?)/spot_ros2');
  has(r, /^spot_driver\/launch\/spot_driver\.launch\.py:79: \/\$\(\?\)\/spot_ros2: line 45: unpacking of a value not known statically \(get_name_and_prefix\(…\) is not evaluated statically\)$/);
  const controllable = read('spot_ros2', 'spot_driver/launch/spot_driver.launch.py', { controllable: 'true' });
  assert.ok(controllable.nodes.some((n) => n.exec === 'lease_manager_node' && !n.conditional));
  has(controllable, /spot_driver\.launch\.py:186: includes launch\/spot_ros2_control\.launch\.py of package spot_ros2_control, which is neither in the workspace nor installed here/);
});

test('rosbot combined.launch.py: `if os.environ.get("ROS_DOMAIN_ID"):` is decided at launch, never taken as true because a substitution object is', () => {
  const rosbot = (env?: Record<string, string>) => readLaunchTree(join(LAUNCH, 'rosbot_ros', 'rosbot_bringup/launch/combined.launch.py'), { root: join(LAUNCH, 'rosbot_ros'), packages: workspacePackages(join(LAUNCH, 'rosbot_ros')), installPrefixes: [], ...(env ? { environment: new Map(Object.entries(env)) } : {}) });
  has(rosbot(), /^rosbot_bringup\/launch\/combined\.launch\.py:35: "ros_domain_id" is decided at launch time \(environment variable ROS_DOMAIN_ID is read at launch time\); every branch of this if is read$/);
  // Declared, the variable decides: empty is false, a number is true.
  const empty = rosbot({ ROS_DOMAIN_ID: '', ROS_LOCALHOST_ONLY: '0' });
  assert.ok(!empty.env.some((e) => e.name === 'XRCE_DOMAIN_ID_OVERRIDE') && !empty.notes.some((n) => /:35: /.test(n)), empty.notes.join('\n'));
  assert.deepEqual(rosbot({ ROS_DOMAIN_ID: '7', ROS_LOCALHOST_ONLY: '0' }).env.filter((e) => e.name === 'XRCE_DOMAIN_ID_OVERRIDE').map((e) => e.value), ['7']);
});

test('go2_ros2_sdk robot.launch.py: classes of the launch file (Go2LaunchConfig, Go2NodeFactory) are evaluated: their __init__, attributes and methods; ROBOT_IP decides one robot or several', () => {
  const go2 = (env: Record<string, string> = {}) => readLaunchTree(join(LAUNCH, 'go2_ros2_sdk', 'go2_robot_sdk/launch/robot.launch.py'), { root: join(LAUNCH, 'go2_ros2_sdk'), packages: workspacePackages(join(LAUNCH, 'go2_ros2_sdk')), installPrefixes: [], environment: new Map(Object.entries(env)) });
  const common = ['/go2_driver_node', '/lidar_to_pointcloud', '/pointcloud_aggregator', '/tts_node', '/joy_node', '/go2_teleop_node', '/twist_mux', '/go2_rviz2'];
  // One robot at the address ROBOT_IP gives: its state publisher and laser scan, the single-robot configuration.
  const one = go2({ ROBOT_IP: '192.168.12.1', CONN_TYPE: 'webrtc' });
  assert.deepEqual(one.nodes.map((n) => n.fullName), ['/go2_robot_state_publisher', '/go2_pointcloud_to_laserscan', ...common]);
  assert.deepEqual(one.nodes[0]!.args, ['$(find-pkg-share go2_robot_sdk)/urdf/go2.urdf']);
  assert.deepEqual(one.nodes.at(-1)!.args, ['-d', '$(find-pkg-share go2_robot_sdk)/config/single_robot_conf.rviz']);
  has(one, /robot\.launch\.py:318: includes launch\/navigation_launch\.py of package nav2_bringup, which is neither in the workspace nor installed here/);
  // Two robots: one state publisher per robot, in its namespace.
  const two = go2({ ROBOT_IP: '192.168.12.1, 192.168.12.2', CONN_TYPE: 'webrtc' });
  assert.deepEqual(two.nodes.map((n) => n.fullName), ['/robot0/go2_robot_state_publisher', '/robot0_pointcloud_to_laserscan', '/robot1/go2_robot_state_publisher', '/robot1_pointcloud_to_laserscan', ...common]);
  // ROBOT_IP read at launch: the single-robot nodes count, to be safe, and the loop over the robots is named.
  const unknownIp = go2();
  assert.deepEqual(unknownIp.nodes.map((n) => n.fullName), ['/go2_robot_state_publisher', '/go2_pointcloud_to_laserscan', ...common]);
  has(unknownIp, /^go2_robot_sdk\/launch\/robot\.launch\.py:96: "self\.config\.conn_mode == 'single'" is decided at launch time/);
  has(unknownIp, /^go2_robot_sdk\/launch\/robot\.launch\.py:118: a loop over enumerate\(self\.config\.robot_ip_list\), which is not known statically; what it launches is not read$/);
});

test('ai_worker camera_realsense.launch.py: a module imported from a folder added to sys.path that is not in the workspace is named, with its package; with realsense-ros in the workspace both cameras are read', () => {
  // sys.path.append(os.path.join(get_package_share_directory('realsense2_camera'), 'launch')); import rs_launch
  const alone = read('ai_worker', 'ffw_bringup/launch/camera_realsense.launch.py');
  assert.deepEqual(alone.nodes, []);
  has(alone, /^ffw_bringup\/launch\/camera_realsense\.launch\.py:43: import rs_launch: no such module next to the launch file, and the folder it adds to sys\.path, \$\(find-pkg-share realsense2_camera\)\/launch \(package realsense2_camera: neither in the workspace nor installed here\), cannot be read; its names are not known$/);
  // The same workspace with realsense-ros in it (the fixtures' folder as its root): rs_launch's launch_setup, twice, with the file's suffixes.
  const packages = new Map([...workspacePackages(join(LAUNCH, 'ai_worker')), ...workspacePackages(join(LAUNCH, 'realsense-ros'))]);
  const both = readLaunchTree(join(LAUNCH, 'ai_worker', 'ffw_bringup/launch/camera_realsense.launch.py'), { root: LAUNCH, packages, installPrefixes: [] });
  assert.deepEqual(both.nodes.map((n) => [n.fullName, n.exec, `${n.file}:${n.line}`]), [
    ['/camera_left/camera_left', 'realsense2_camera_node', 'realsense-ros/realsense2_camera/launch/rs_launch.py:110'],
    ['/camera_right/camera_right', 'realsense2_camera_node', 'realsense-ros/realsense2_camera/launch/rs_launch.py:110'],
  ]);
  assert.ok(!both.notes.some((n) => /import rs_launch/.test(n)));
});

test('with no launch file declared, the model lists those of the workspace, bringup packages first, and says how to declare them', () => {
  const m = buildModel({ ...parseManifest('product: {name: p, version: "1.0.0"}\n', join(LAUNCH, 'realsense-ros', 'marque.yaml')), dir: join(LAUNCH, 'realsense-ros') });
  assert.deepEqual(m.launch, { declared: [], found: ['realsense2_camera/launch/rs_launch.py', 'realsense2_camera/launch/rs_multi_camera_launch.py', 'realsense2_camera/launch/rs_intra_process_demo_launch.py', 'realsense2_description/launch/view_model.launch.py'] }, 'examples are not the product; the demo and the viewer come after the camera\'s own launch files');
  assert.ok(m.notes.some((n) => /Declare those the product runs in marque\.yaml under architecture: ros: launch: \[realsense2_camera\/launch\/rs_launch\.py\]$/.test(n)), 'the line to copy names the camera\'s launch file, not the demo');
  assert.ok(m.notes.some((n) => /^no launch file is declared \(architecture\.ros\.launch\), so no ROS process is in the model; 4 launch file\(s\) found/.test(n)));
  const nav = findLaunchFiles(join(LAUNCH, 'navigation2')).map((x) => relative(join(LAUNCH, 'navigation2'), x.file));
  assert.ok(nav.length > 1 && nav.slice(0, -1).every((p) => p.startsWith('nav2_bringup/')));
  assert.equal(nav.at(-1), 'nav2_system_tests/src/planning/test_planner_costmaps_launch.py', 'a launch_testing script comes last');
  const mixed = findLaunchFiles(join(LAUNCH, 'demos')).map((x) => x.pkg);
  assert.equal(mixed[0], 'dummy_robot_bringup', 'bringup packages first');
});

/** Every launch file under the fixtures: the whole set, each file its own entry point. */
function allLaunchFiles(): { root: string; file: string }[] {
  return readdirSync(LAUNCH, { withFileTypes: true }).filter((d) => d.isDirectory()).flatMap((d) => {
    const root = join(LAUNCH, d.name);
    return findLaunchFiles(root, workspacePackages(root), { skip: new Set() }).map((x) => ({ root, file: x.file }));
  });
}

test('never silent: every launch file of the fixtures starts a process, or a note names it with a line and says what was not followed', () => {
  const files = allLaunchFiles();
  assert.ok(files.length >= 35, `${files.length} launch files`);
  const silent: string[] = [];
  for (const { root, file } of files) {
    const r = readLaunchTree(file, { root, packages: workspacePackages(root), installPrefixes: [] });
    if (r.nodes.length) continue;
    const rel = relative(root, file);
    if (!r.notes.some((n) => n.startsWith(`${rel}:`))) silent.push(`${rel}: ${r.notes.join(' | ') || 'no note'}`);
  }
  assert.deepEqual(silent, []);
});

test('never silent on the real repositories of bench/launch-sweep (drivers, navigation, manipulation, perception, simulation, micro-ROS), when their snapshots are on this machine', (t) => {
  const mirrors = process.env['MARQUE_MIRRORS'] ?? '/work/.mirror';
  const present = REPOS.filter((r) => existsSync(join(mirrors, r.repo.replace('/', '+'), 'repo')));
  if (!present.length) { t.skip(`no snapshot of the sweep's repositories under ${mirrors} (the fetch tool brings them: github:${REPOS[0]!.repo} …)`); return; }
  const work = mkdtempSync(join(tmpdir(), 'marque-launch-real-'));
  try {
    const silent: string[] = [];
    let files = 0;
    for (const r of present) {
      const dest = join(work, r.repo.replace('/', '+'));
      unpack(join(mirrors, r.repo.replace('/', '+'), 'repo'), r.ref ?? 'HEAD', dest);
      const row = sweep(dest, r.repo, r.style);
      files += row.files;
      silent.push(...row.silent.map((f) => `${r.repo}: ${f}`));
    }
    t.diagnostic(`${present.length} of ${REPOS.length} repositories, ${files} launch files`);
    assert.ok(files > 0);
    assert.deepEqual(silent, [], 'a launch file that starts no process and says nothing');
  } finally { rmSync(work, { recursive: true, force: true }); }
});

test('ros2_control hardware: the plugin a robot description names (UR, Kortex, Franka) is a probable interface into the controller manager that loads it; mock hardware is none; an unknown plugin is named', () => {
  const hw = (repo: string, launch: string, args: Record<string, string>) => {
    const m = model(repo, [launch], args);
    return { m, links: m.interfaces.filter((i) => i.id.startsWith('hardware:')).map((i) => [i.id, i.kind, i.port, i.into, Boolean(i.probable)]) };
  };
  // Universal Robots: <xacro:unless value="${use_mock_hardware}"><plugin>ur_robot_driver/URPositionHardwareInterface</plugin>; the mock plugin beside it is no link.
  const ur = hw('ur_driver', 'ur_robot_driver/launch/ur_control.launch.py', { ur_type: 'ur5e', robot_ip: '192.168.56.101' });
  assert.deepEqual(ur.links, [['hardware:ur_robot_driver/URPositionHardwareInterface', 'network', 50001, 'node:/ros2_control_node@ur_robot_driver/launch/ur_control.launch.py:71', true]]);
  assert.match(ur.m.interfaces.find((i) => i.id.startsWith('hardware:'))!.description!, /named at ur_robot_driver\/urdf\/ur\.ros2_control\.xacro:52 \(under <xacro:unless value="\$\{use_mock_hardware\}"> at line 51\)/);
  assert.ok(!ur.m.notes.some((n) => /mock_components|ur\.ros2_control\.xacro:46/.test(n)), 'mock hardware is not a link');
  assert.ok(ur.m.sources.includes('ur_robot_driver/urdf/ur.ros2_control.xacro'));
  // Kinova: the xacro macro (${port} left as text: the default port) and a generated URDF whose <param name="port"> gives it; kortex2_driver/… is not in the table: named.
  const kortex = hw('ros2_kortex', 'kortex_bringup/launch/gen3.launch.py', { robot_ip: '192.168.1.10' });
  assert.deepEqual(kortex.links, [['hardware:kortex_driver/KortexMultiInterfaceHardware', 'network', 10000, 'node:/ros2_control_node@kortex_bringup/launch/kortex_control.launch.py:125', true]]);
  assert.ok(kortex.m.notes.some((n) => /hardware plugin\(s\) Marque does not know: kortex2_driver\/KortexMultiInterfaceHardware at kortex_description\/robots\/gen3_2f85\.urdf:17;/.test(n)), kortex.m.notes.join('\n'));
  // Franka: libfranka's command port.
  const franka = hw('franka_ros2', 'franka_bringup/launch/franka.launch.py', { robot_ip: '172.16.0.2' });
  assert.deepEqual(franka.links, [['hardware:franka_hardware/FrankaHardwareInterface', 'network', 1337, 'node:/ros2_control_node@franka_bringup/launch/franka.launch.py:96', true]]);
  // Declared in marque.yaml: that declaration wins.
  const dir = join(LAUNCH, 'franka_ros2');
  const declared = buildModel({ ...parseManifest('product: {name: p, version: "1.0.0"}\narchitecture:\n  interfaces: [{id: fci, kind: network, port: 1337, into: "node:/ros2_control_node@franka_bringup/launch/franka.launch.py:96"}]\n  ros:\n    launch: [franka_bringup/launch/franka.launch.py]\n', join(dir, 'marque.yaml')), dir });
  assert.deepEqual(declared.interfaces.filter((i) => i.into.includes('ros2_control_node')).map((i) => i.id), ['fci']);
  // A controller manager with no robot description in the workspace says so.
  const demo = model('ros2_control_demos', ['example_1/bringup/launch/rrbot.launch.py']);
  assert.ok(demo.notes.some((n) => /is a ros2_control controller manager; no <ros2_control> hardware plugin is named in the workspace's URDF or xacro files/.test(n)), demo.notes.join('\n'));
});

test('with no launch file declared, the first one suggested starts the robot (a driver, a bringup, the package\'s own name), not a calibration or point-cloud demo that sorts first by package name', () => {
  const root = mkdtempSync(join(tmpdir(), 'marque-launch-rank-'));
  const pkg = (name: string, files: string[]) => {
    mkdirSync(join(root, 'src', name, 'launch'), { recursive: true });
    writeFileSync(join(root, 'src', name, 'package.xml'), `<package format="3"><name>${name}</name><version>1.0.0</version><description>d</description><maintainer email="a@b.c">a</maintainer><license>MIT</license></package>`);
    for (const f of files) writeFileSync(join(root, 'src', name, 'launch', f), 'from launch import LaunchDescription\ndef generate_launch_description():\n    return LaunchDescription([])\n');
  };
  // stretch_ros2: stretch_calibration sorts before stretch_core; spot_ros2: spot_driver's point-cloud launch before its driver.
  pkg('stretch_calibration', ['collect_head_calibration_data.launch.py']);
  pkg('stretch_core', ['stretch_driver.launch.py', 'keyboard_teleop.launch.py']);
  pkg('spot_driver', ['point_cloud_xyz.launch.py', 'spot_driver.launch.py']);
  const order = findLaunchFiles(root).map((x) => `${x.pkg}/${basename(x.file)}`);
  assert.deepEqual(order, ['spot_driver/spot_driver.launch.py', 'stretch_core/stretch_driver.launch.py', 'spot_driver/point_cloud_xyz.launch.py', 'stretch_calibration/collect_head_calibration_data.launch.py', 'stretch_core/keyboard_teleop.launch.py']);
});
