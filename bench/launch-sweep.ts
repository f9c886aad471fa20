// bench/launch-sweep: every launch file of real ROS 2 repositories, read as `marque perimeter` reads
// them (includes followed within the repository, local modules imported). Per repository: launch
// files, files read, processes and nodes found, files that start none (each must carry a note saying
// why: a silent one is a defect), notes by kind, and the time.
//
// The repositories are the public snapshots the fetch tool keeps under /work/.mirror (bare git
// folders, read with git: nothing is run, nothing is fetched here). Usage:
//   node bench/launch-sweep.ts [--mirrors DIR] [--only NAME] [--keep DIR] [DIR…]
// --keep DIR: unpack the repositories there and leave them (to read what a note points at).
// DIR…: folders of unpacked repositories to sweep instead (one repository per folder).
import { mkdtempSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join, relative } from 'node:path';
import { spawnSync } from 'node:child_process';
import { parseArgs } from 'node:util';
import { readLaunchTree, type LaunchParses } from '../src/perimeter/launch/interpret.ts';
import { findLaunchFiles, workspacePackages } from '../src/perimeter/launch/workspace.ts';
import { extract } from './ros2-core.ts';

/** Thirty-odd repositories of different styles, each at the branch that holds its ROS 2 code. */
export const REPOS: { repo: string; ref?: string; style: string }[] = [
  { repo: 'IntelRealSense/realsense-ros', style: 'driver (camera)' },
  { repo: 'UniversalRobots/Universal_Robots_ROS2_Driver', style: 'driver (arm)' },
  { repo: 'ros-drivers/velodyne', ref: 'ros2', style: 'driver (lidar)' },
  { repo: 'ouster-lidar/ouster-ros', ref: 'jazzy-devel', style: 'driver (lidar)' },
  { repo: 'stereolabs/zed-ros2-wrapper', style: 'driver (camera)' },
  { repo: 'luxonis/depthai-ros', style: 'driver (camera)' },
  { repo: 'ros-drivers/joystick_drivers', style: 'driver (input)' },
  { repo: 'ros-navigation/navigation2', style: 'navigation' },
  { repo: 'SteveMacenski/slam_toolbox', style: 'navigation (SLAM)' },
  { repo: 'cra-ros-pkg/robot_localization', style: 'navigation (state estimation)' },
  { repo: 'moveit/moveit2', style: 'manipulation' },
  { repo: 'moveit/moveit2_tutorials', style: 'manipulation' },
  { repo: 'frankaemika/franka_ros2', style: 'manipulation' },
  { repo: 'ros-controls/ros2_control_demos', style: 'manipulation (control)' },
  { repo: 'ros-perception/image_pipeline', style: 'perception' },
  { repo: 'autowarefoundation/autoware_launch', style: 'autonomous driving (XML)' },
  { repo: 'turtlebot/turtlebot4', style: 'robot bringup' },
  { repo: 'ROBOTIS-GIT/turtlebot3', style: 'robot bringup' },
  { repo: 'husarion/rosbot_ros', style: 'robot bringup' },
  { repo: 'turtlebot/turtlebot4_simulator', style: 'simulation bringup' },
  { repo: 'ROBOTIS-GIT/turtlebot3_simulations', style: 'simulation bringup' },
  { repo: 'clearpathrobotics/clearpath_simulator', style: 'simulation bringup' },
  { repo: 'micro-ROS/micro-ROS-Agent', style: 'micro-ROS' },
  { repo: 'PX4/px4_ros_com', style: 'micro XRCE-DDS (PX4)' },
  { repo: 'ros2/demos', style: 'demos' },
  { repo: 'RobotWebTools/rosbridge_suite', style: 'bridge' },
  { repo: 'foxglove/ros-foxglove-bridge', style: 'bridge' },
  { repo: 'mavlink/mavros', ref: 'ros2', style: 'drone (MAVLink bridge, XML .launch)' },
  { repo: 'linorobot/linorobot2', ref: 'humble', style: 'mobile base (Nav2, environment-driven)' },
  { repo: 'Kinovarobotics/ros2_kortex', style: 'manipulation (MoveIt configs)' },
  { repo: 'orbbec/OrbbecSDK_ROS2', ref: 'v2-main', style: 'driver (camera)' },
  { repo: 'ROBOTIS-GIT/open_manipulator', style: 'manipulation (ros2 launch in ExecuteProcess)' },
  { repo: 'husarion/panther_ros', ref: 'ros2', style: 'robot bringup (environment-driven namespace)' },
  { repo: 'clearpathrobotics/clearpath_common', ref: 'humble', style: 'robot bringup (generated configuration)' },
  { repo: 'SICKAG/sick_scan_xd', ref: 'develop', style: 'driver (lidar, ROS 1 and 2 launch files side by side)' },
  { repo: 'PickNikRobotics/ros2_robotiq_gripper', style: 'driver (gripper, ros2_control)' },
  { repo: 'tier4/nebula', style: 'driver (lidars of four vendors, chosen in an OpaqueFunction)' },
];

const TEXT = /\.(py|xml|ya?ml|launch)$|(^|\/)(package\.xml|LICENSE[^/]*)$/;

/** Text files of a bare snapshot, written under `dest` (large and binary files skipped; absent blobs too). */
export const unpack = (gitDir: string, ref: string, dest: string) => extract(gitDir, ref, dest, (path, size) => size < 1_000_000 && TEXT.test(path));

export interface Row { name: string; style: string; commit?: string; files: number; read: number; processes: number; nodes: number; zero: number; silent: string[]; kinds: Map<string, number>; ms: number }

const KINDS: [string, RegExp][] = [
  ['not a launch file', /not a launch file|not valid Python|malformed|no generate_launch_description/],
  ['starts no process', /this launch file starts no process/],
  ['unnamed node', /has no name in the launch file/],
  ['decided at launch', /decided at launch time|counted in, to be safe|chooses at launch/],
  ['include not available', /neither in the workspace nor installed|does not exist|is outside the workspace|files of that name/],
  ['helper from elsewhere', /is not a launch action Marque knows|may add actions|is handed to|not defined in this file/],
  ['value not known statically', /not known statically|not evaluated statically|no value and no default|is read at launch time|not resolved statically|not a literal|not text Marque can resolve|resolved only at launch time|one of several values/],
  ['process not a node', /runs the process/],
  ['bound reached', /more than|nested too deeply|over Marque's bound|longer than/],
];

/** Every launch file of one unpacked repository, each its own entry point, as `marque perimeter` reads them. */
export function sweep(root: string, name: string, style: string): Row {
  const started = performance.now();
  const packages = workspacePackages(root);
  const files = findLaunchFiles(root, packages, { skip: new Set(['test', 'tests']) }).map((x) => x.file);
  const ws = { root, packages, installPrefixes: [] };
  const parsed: LaunchParses = new Map();
  const read = new Set<string>();
  const row: Row = { name, style, files: files.length, read: 0, processes: 0, nodes: 0, zero: 0, silent: [], kinds: new Map(), ms: 0 };
  for (const f of files) {
    const r = readLaunchTree(f, ws, new Map(), parsed);
    for (const x of r.files) read.add(x);
    row.nodes += r.nodes.length;
    row.processes += r.nodes.filter((n) => n.kind !== 'composable').length;
    const rel = relative(root, f);
    if (!r.nodes.length) {
      row.zero++;
      // Never silent: a file that starts nothing is named, with a line, in a note.
      if (!r.notes.some((n) => n.startsWith(`${rel}:`) || n.startsWith(`${rel}: `))) row.silent.push(rel);
    }
    for (const n of r.notes) {
      const kind = KINDS.find(([, re]) => re.test(n))?.[0] ?? 'other';
      row.kinds.set(kind, (row.kinds.get(kind) ?? 0) + 1);
    }
  }
  row.read = read.size;
  row.ms = performance.now() - started;
  return row;
}

/** The commit a snapshot's ref points at, for the figures. */
export const commitOf = (gitDir: string, ref: string) => spawnSync('git', ['--git-dir', gitDir, 'rev-parse', '--short=12', ref], { encoding: 'utf8' }).stdout.trim();

if (import.meta.main) {
  const { values, positionals } = parseArgs({ allowPositionals: true, options: { mirrors: { type: 'string', default: process.env['MARQUE_MIRRORS'] ?? '/work/.mirror' }, only: { type: 'string' }, keep: { type: 'string' } } });
  const rows: Row[] = [];
  if (positionals.length) {
    for (const dir of positionals) rows.push(sweep(dir, basename(dir), '-'));
  } else {
    const work = values.keep ?? mkdtempSync(join(tmpdir(), 'marque-launch-sweep-'));
    try {
      for (const r of REPOS) {
        if (values.only && !r.repo.includes(values.only)) continue;
        const gitDir = join(values.mirrors!, r.repo.replace('/', '+'), 'repo');
        if (!existsSync(gitDir)) { console.log(`  skipped ${r.repo}: no snapshot under ${values.mirrors} (fetch github:${r.repo})`); continue; }
        const dest = join(work, r.repo.replace('/', '+'));
        if (!existsSync(dest)) unpack(gitDir, r.ref ?? 'HEAD', dest);
        rows.push({ ...sweep(dest, `${r.repo}${r.ref ? `@${r.ref}` : ''}`, r.style), commit: commitOf(gitDir, r.ref ?? 'HEAD') });
      }
    } finally { if (!values.keep) rmSync(work, { recursive: true, force: true }); }
  }

  const pad = (s: string | number, n: number) => String(s).padStart(n);
  console.log(`bench/launch-sweep: ${rows.length} repositories`);
  console.log(`${'repository'.padEnd(52)} ${'launch'.padStart(6)} ${'read'.padStart(5)} ${'procs'.padStart(6)} ${'nodes'.padStart(6)} ${'none'.padStart(5)} ${'silent'.padStart(6)} ${'ms'.padStart(6)}  notes by kind`);
  for (const r of rows) {
    const kinds = [...r.kinds].sort((a, b) => b[1] - a[1]).map(([k, n]) => `${n} ${k}`).join(', ');
    console.log(`${r.name.padEnd(52)} ${pad(r.files, 6)} ${pad(r.read, 5)} ${pad(r.processes, 6)} ${pad(r.nodes, 6)} ${pad(r.zero, 5)} ${pad(r.silent.length, 6)} ${pad(r.ms.toFixed(0), 6)}  ${kinds}`);
    if (r.commit) console.log(`    ${r.style}, commit ${r.commit}`);
    for (const s of r.silent) console.log(`    SILENT: ${s} starts no process and no note names it`);
  }
  const sum = (k: 'files' | 'read' | 'processes' | 'nodes' | 'zero' | 'ms') => rows.reduce((a, r) => a + r[k], 0);
  const silent = rows.reduce((a, r) => a + r.silent.length, 0);
  console.log(`${'total'.padEnd(52)} ${pad(sum('files'), 6)} ${pad(sum('read'), 5)} ${pad(sum('processes'), 6)} ${pad(sum('nodes'), 6)} ${pad(sum('zero'), 5)} ${pad(silent, 6)} ${pad(sum('ms').toFixed(0), 6)}`);
  const kinds = new Map<string, number>();
  for (const r of rows) for (const [k, n] of r.kinds) kinds.set(k, (kinds.get(k) ?? 0) + n);
  console.log(`notes by kind: ${[...kinds].sort((a, b) => b[1] - a[1]).map(([k, n]) => `${n} ${k}`).join(', ')}`);
  if (silent) process.exitCode = 1;
}
