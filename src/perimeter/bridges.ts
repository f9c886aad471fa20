// Packages whose nodes carry ROS traffic to and from another network or protocol: a launched node
// of one of these is an external interface unless marque.yaml says where it listens.
// Ports are each package's documented default; where the port is always given on the command line, none is stated.
export interface BridgePackage { pkg: string; what: string; port?: number; executables?: string[] }

export const BRIDGE_PACKAGES: readonly BridgePackage[] = [
  { pkg: 'rosbridge_server', what: 'rosbridge server (JSON over WebSocket, TCP or UDP)', port: 9090 },
  { pkg: 'foxglove_bridge', what: 'Foxglove WebSocket bridge', port: 8765 },
  { pkg: 'zenoh_bridge_ros2dds', what: 'Zenoh bridge for ROS 2 (routes DDS traffic over Zenoh)', port: 7447 },
  { pkg: 'zenoh_bridge_dds', what: 'Zenoh bridge for DDS', port: 7447 },
  { pkg: 'rmw_zenoh_cpp', what: 'Zenoh router of rmw_zenoh', port: 7447, executables: ['rmw_zenohd'] },
  { pkg: 'micro_ros_agent', what: 'micro-ROS agent (DDS-XRCE for microcontrollers, over UDP, TCP or serial)' },
  // fcu_url and gcs_url are ROS parameters (serial:///dev/ttyACM0:57600, udp://:14540@): no port on the command line.
  { pkg: 'mavros', what: 'MAVLink bridge to the flight controller and ground control stations, over serial, UDP or TCP' },
  { pkg: 'web_video_server', what: 'HTTP video streaming of image topics', port: 8080 },
  { pkg: 'mqtt_client', what: 'MQTT bridge' },
  { pkg: 'ros2_socketcan', what: 'CAN bus bridge' },
];

export function bridgeOf(pkg: string, exec: string | undefined): BridgePackage | undefined {
  const b = BRIDGE_PACKAGES.find((x) => x.pkg === pkg);
  return b && (!b.executables || (exec !== undefined && b.executables.includes(exec))) ? b : undefined;
}

/**
 * The port a launched bridge is given on its command line, which wins over the package's default:
 * `micro_ros_agent udp4 -p 8888`, `--port 9090`, `--port=9090`, or a ROS parameter `-p port:=9090`.
 */
export function portFromArgs(args: readonly string[] | undefined): number | undefined {
  if (!args) return undefined;
  const port = (s: string | undefined) => (s !== undefined && /^\d{1,5}$/.test(s) && Number(s) > 0 && Number(s) < 65536 ? Number(s) : undefined);
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    const param = /^port:=(\d+)$/.exec(a) ?? /^--port=(\d+)$/.exec(a);
    if (param) { const p = port(param[1]); if (p) return p; }
    if (a === '-p' || a === '--port') { const p = port(args[i + 1]); if (p) return p; }
  }
  return undefined;
}
