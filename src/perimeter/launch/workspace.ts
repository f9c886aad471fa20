// The ROS packages of a workspace by name, for following `$(find-pkg-share pkg)` to the package's
// source folder. Found as colcon finds them: outermost package.xml, ignore markers honoured.
import type { Dirent } from 'node:fs';
import { basename, join } from 'node:path';
import { FileAccess, LIMITS } from '../../util/file-access.ts';
import { parsePackageXml } from '../../parsers/package-xml.ts';
import { IGNORE_MARKERS } from '../../sources/walk.ts';
import { isRos2XmlLaunch } from './frontend.ts';

const SKIP = new Set(['.git', 'node_modules', 'build', 'install', 'log', '__pycache__', '.marque']);

export function workspacePackages(root: string, notes: string[] = [], limit = 20_000): Map<string, string> {
  const out = new Map<string, string>();
  const files = FileAccess.within(root);
  let visited = 0;
  const visit = (dir: string, depth: number) => {
    if (depth > 12 || ++visited > limit) return;
    let entries;
    try { entries = files.list(dir); } catch { return; }
    const names = new Set(entries.map((e) => e.name));
    if (IGNORE_MARKERS.some((m) => names.has(m))) return;
    if (names.has('package.xml')) {
      try {
        const { manifest } = parsePackageXml(files.readTextSync(join(dir, 'package.xml'), LIMITS.manifest), join(dir, 'package.xml'));
        if (!out.has(manifest.name)) out.set(manifest.name, dir);
      } catch (e) { notes.push(`${join(dir, 'package.xml')}: ${(e as Error).message}`); }
      return; // colcon does not look inside a package for further packages
    }
    for (const e of entries) if (e.isDirectory() && !SKIP.has(e.name) && !e.name.startsWith('.')) visit(join(dir, e.name), depth + 1);
  };
  visit(root, 0);
  return out;
}

/** Names ros2 launch files take: `x.launch.py`, `x_launch.py`, `x-launch.py`, and the XML and YAML forms. */
export const LAUNCH_FILE_NAME = /(?:[._-]launch)\.(?:py|xml|ya?ml)$/;
const NOT_PRODUCT = new Set(['test', 'tests', 'example', 'examples', 'doc', 'docs']);

/**
 * Every entry of the workspace's package folders that is not a folder, each package's tree walked down to `depth`
 * folders, past build output, hidden folders and those named in `skip`, until `full()`: where launch files and robot
 * descriptions are looked for. `folders`: the folder names from the package's folder down to the entry's.
 */
export function eachPackageFile(files: FileAccess, packages: ReadonlyMap<string, string>, o: { depth: number; skip: ReadonlySet<string>; full: () => boolean },
  take: (path: string, entry: Dirent, pkg: string, folders: readonly string[]) => void): void {
  const visit = (dir: string, pkg: string, folders: string[]) => {
    if (folders.length > o.depth || o.full()) return;
    let entries;
    try { entries = files.list(dir); } catch { return; }
    for (const e of entries) {
      const p = join(dir, e.name);
      if (e.isDirectory()) { if (!SKIP.has(e.name) && !e.name.startsWith('.') && !o.skip.has(e.name)) visit(p, pkg, [...folders, e.name]); continue; }
      take(p, e, pkg, folders);
    }
  };
  for (const [pkg, dir] of packages) visit(dir, pkg, []);
}
/**
 * A Python file that defines generate_launch_description(), at the start of a line: not one that writes the words in a
 * string (clearpath_generator_common's launch/writer.py generates launch files and is none).
 */
const DEFINES_LAUNCH = /^[ \t]*def[ \t]+generate_launch_description[ \t]*\(/m;
/** Launch files a robot rarely runs in the field (demos, viewers, simulation): listed after the others. */
const AUXILIARY = /(^|[._-])(demo|example|test|view|viewer|rviz|display|debug|sim|simulation|gazebo|gz|ignition|teleop|calibration|calibrate|calib|record|rosbag|bag|playback|replay|benchmark|tutorial|mock|fake|point_cloud|pointcloud)([._-]|$)/i;
/** Launch files that start a robot: a bringup, a driver, or the package's own name (spot_driver's spot_driver.launch.py). */
const PRIMARY = /(^|[._-])(bringup|driver|drivers|robot)([._-]|$)/i;

/**
 * The launch files of a workspace's packages, as a newcomer would look for them: files named as
 * launch files, XML launch files named `x.launch` (ROS 2's, not roslaunch's), and Python files in a
 * `launch/` folder that define generate_launch_description().
 * Tests, examples and docs are left out. Bringup packages come first; then launch files that start a robot
 * (a bringup, a driver, the package's own name), ordinary ones, and demos, viewers, calibration and
 * simulation last, each by package name.
 * A link is listed when it leads to a file inside the workspace.
 */
export function findLaunchFiles(root: string, packages: Map<string, string> = workspacePackages(root), options: { limit?: number; skip?: ReadonlySet<string> } = {}): { file: string; pkg: string }[] {
  const limit = options.limit ?? 2_000;
  const skip = options.skip ?? NOT_PRODUCT;
  const files = FileAccess.within(root);
  const out: { file: string; pkg: string }[] = [];
  eachPackageFile(files, packages, { depth: 6, skip, full: () => out.length >= limit }, (p, e, pkg, folders) => {
    if (!e.isFile() && !(e.isSymbolicLink() && files.isFile(p))) return;
    if (LAUNCH_FILE_NAME.test(e.name)) out.push({ file: p, pkg });
    // `ros2 launch mavros px4.launch`: launch picks the XML parser by content when the name has no .xml; a
    // roslaunch (ROS 1) file of the same name, left in a ROS 2 package, is not one.
    else if (e.name.endsWith('.launch')) {
      try { if (isRos2XmlLaunch(files.readTextSync(p, LIMITS.manifest), p)) out.push({ file: p, pkg }); } catch { /* unreadable or refused: not listed */ }
    }
    else if (folders.includes('launch') && e.name.endsWith('.py') && e.name !== '__init__.py') {
      try { if (DEFINES_LAUNCH.test(files.readTextSync(p, LIMITS.manifest))) out.push({ file: p, pkg }); } catch { /* unreadable or refused: not listed */ }
    }
  });
  const bringup = (pkg: string) => (/bringup/.test(pkg) ? 0 : 1);
  // Across packages: what starts the robot first, demos, calibration and simulation last (stretch_core's driver before stretch_calibration's files).
  const rank = (x: { file: string; pkg: string }) => {
    const name = basename(x.file);
    if (AUXILIARY.test(name)) return 2;
    return PRIMARY.test(name) || name.split('.')[0] === x.pkg ? 0 : 1;
  };
  return out.sort((a, b) => bringup(a.pkg) - bringup(b.pkg) || rank(a) - rank(b) || (a.pkg < b.pkg ? -1 : a.pkg > b.pkg ? 1 : a.file < b.file ? -1 : 1));
}
