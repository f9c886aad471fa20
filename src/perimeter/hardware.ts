// Links to robot controllers through ros2_control: an arm driver reaches its controller over the
// network through a hardware plugin named in the robot description (URDF/xacro), not in a launch
// file. The controller manager (ros2_control_node) loads that plugin, so it is the process that
// faces the link.
import { relative } from 'node:path';
import { FileAccess, LIMITS } from '../util/file-access.ts';
import { parseXmlElements, type XmlElement } from '../util/xml.ts';
import { eachPackageFile } from './launch/workspace.ts';

/**
 * ros2_control hardware plugins that open a network link, with what the driver's own documentation
 * or source says it opens. `port`: the default; `portParam`: the `<param>` of `<hardware>` that sets it.
 */
export interface HardwarePlugin { plugin: string; what: string; port: number; portParam?: string; source: string }

export const HARDWARE_PLUGINS: readonly HardwarePlugin[] = [
  {
    plugin: 'ur_robot_driver/URPositionHardwareInterface',
    what: 'Universal Robots driver (ur_client_library): connects to the robot controller at robot_ip (RTDE) and opens ports the controller connects back to (reverse_port 50001, script_sender_port 50002, trajectory_port 50003, script_command_port 50004)',
    port: 50001, portParam: 'reverse_port',
    source: 'https://docs.ros.org/en/jazzy/p/ur_client_library/generated/structurcl_1_1UrDriverConfiguration.html',
  },
  {
    plugin: 'kortex_driver/KortexMultiInterfaceHardware',
    what: 'Kinova Kortex API: TCP to the arm at robot_ip for commands (port 10000) and UDP for real-time data (port_realtime 10001)',
    port: 10000, portParam: 'port',
    source: 'https://github.com/Kinovarobotics/ros2_kortex/blob/1fdbef345954b326627dc3792981e18e2221450b/kortex_bringup/launch/kortex_control.launch.py#L240 (and the Kortex API: https://github.com/Kinovarobotics/kinova-kortex2_gen3_g3l)',
  },
  {
    plugin: 'franka_hardware/FrankaHardwareInterface',
    what: 'libfranka (Franka Control Interface): TCP to the robot at robot_ip (port 1337) and a UDP port libfranka opens for the 1 kHz state and commands',
    port: 1337,
    source: 'https://github.com/frankaemika/libfranka-common/blob/0f619d874e8584c0776e75caa6e5462ec7dc9a32/include/research_interface/robot/service_types.h (kCommandPort = 1337; Connect::Request carries the udp_port)',
  },
];

/** Plugins that are no link to a robot controller: mock hardware, and simulators (whose ROS traffic the model already has). */
const NOT_A_LINK = /^(mock_components|fake_components|gz_ros2_control|ign_ros2_control|gazebo_ros2_control|topic_based_ros2_control)\//;

export interface HardwareUse { plugin: string; file: string; line: number; port?: number; condition?: string }
export interface HardwareReading { links: (HardwareUse & { known: HardwarePlugin })[]; unknown: HardwareUse[]; notes: string[]; files: string[] }

const TESTS = new Set(['test', 'tests']);
const DESCRIPTION = /\.(urdf|xacro)$/;

/**
 * The `<ros2_control><hardware><plugin>` of every URDF and xacro file of the workspace's packages. A
 * xacro file is read as XML, never expanded: `${…}` and `$(arg …)` stay as text, and a plugin under
 * `<xacro:if>`/`<xacro:unless>` is kept with its condition (which the launch arguments decide).
 */
export function readHardware(root: string, packages: ReadonlyMap<string, string>, limit = 2_000): HardwareReading {
  const files = FileAccess.within(root);
  const out: HardwareReading = { links: [], unknown: [], notes: [], files: [] };
  const found = new Set<string>();
  eachPackageFile(files, packages, { depth: 8, skip: TESTS, full: () => found.size >= limit }, (p, e) => { if (e.isFile() && DESCRIPTION.test(e.name)) found.add(p); });
  for (const file of [...found].sort()) {
    let text: string;
    try { text = files.readTextSync(file, LIMITS.manifest); } catch (e) { out.notes.push(`${relative(root, file)}: ${(e as Error).message}`); continue; }
    if (!text.includes('<ros2_control')) continue;
    const rel = relative(root, file);
    let doc: XmlElement;
    try { doc = parseXmlElements(text, rel); } catch (e) { out.notes.push(`${rel}: ${(e as Error).message}; its ros2_control hardware is not read`); continue; }
    out.files.push(rel);
    const visitXml = (e: XmlElement, inControl: boolean, inHardware: boolean, condition: string | undefined) => {
      const cond = e.name === 'xacro:if' || e.name === 'xacro:unless' ? `<${e.name} value="${e.attrs['value'] ?? ''}"> at line ${e.line}` : condition;
      if (inHardware && e.name === 'plugin' && e.text) {
        const plugin = e.text.trim();
        if (NOT_A_LINK.test(plugin)) return;
        const known = HARDWARE_PLUGINS.find((h) => h.plugin === plugin);
        const use: HardwareUse = { plugin, file: rel, line: e.line, ...(cond ? { condition: cond } : {}) };
        if (!known) { out.unknown.push(use); return; }
        // The port a literal <param> gives wins over the default (a generated URDF: <param name="port">10000</param>).
        const param = known.portParam ? hardwareParam(parentOf.get(e), known.portParam) : undefined;
        out.links.push({ ...use, known, ...(param ? { port: param } : {}) });
        return;
      }
      const control = inControl || e.name === 'ros2_control';
      const hardware = inHardware || (control && e.name === 'hardware');
      for (const c of e.children) { parentOf.set(c, e); visitXml(c, control, hardware, cond); }
    };
    const parentOf = new Map<XmlElement, XmlElement>();
    visitXml(doc, false, false, undefined);
  }
  return out;
}

/** A literal port `<param name="…">` of the `<hardware>` element holding the plugin (through xacro:if/unless). */
function hardwareParam(parent: XmlElement | undefined, name: string): number | undefined {
  if (!parent) return undefined;
  for (const c of parent.children) {
    if (c.name === 'param' && c.attrs['name'] === name && c.text && /^\d{1,5}$/.test(c.text.trim())) {
      const n = Number(c.text.trim());
      if (n > 0 && n < 65536) return n;
    }
  }
  return undefined;
}
