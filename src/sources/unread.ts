// Lockfiles and manifests Marque recognises but cannot read yet. Finding one is never silent: each
// is listed as "not analysed", the product's dependency list is then not complete, and check counts it.
import { posix } from 'node:path';
import type { NotAnalysed } from '../model/inventory.ts';

interface UnreadFormat {
  ecosystem: string; format: string; names: readonly string[];
  /** Content Marque reads under this other name: the file is a loss only where its folder has none of that name. */
  readAs?: string;
  /** Why what it holds is missing, when not that Marque cannot read the format yet. */
  reason?: (name: string) => string;
}

const UNREAD: readonly UnreadFormat[] = [
  { ecosystem: 'npm', format: 'bun lockfile', names: ['bun.lock', 'bun.lockb'] },
  { ecosystem: 'swift', format: 'Package.resolved', names: ['Package.resolved'] },
  { ecosystem: 'cocoapods', format: 'Podfile.lock', names: ['Podfile.lock'] },
  { ecosystem: 'conda', format: 'conda environment lock', names: ['conda-lock.yml', 'pixi.lock'] },
  { ecosystem: 'hex', format: 'rebar3 lock (Erlang)', names: ['rebar.lock'] },
  { ecosystem: 'nuget', format: 'Paket lock', names: ['paket.lock'] },
  { ecosystem: 'golang', format: 'dep lock (Go before modules)', names: ['Gopkg.lock'] },
  { ecosystem: 'npm', format: 'Deno lock', names: ['deno.lock'] },
  { ecosystem: 'cran', format: 'renv lock (R)', names: ['renv.lock'] },
  { ecosystem: 'hackage', format: 'Haskell lock', names: ['stack.yaml.lock', 'cabal.project.freeze'] },
  { ecosystem: 'julia', format: 'Julia manifest', names: ['Manifest.toml', 'JuliaManifest.toml'] },
  { ecosystem: 'bazel', format: 'Bazel module lock', names: ['MODULE.bazel.lock'] },
  // Device firmware: PlatformIO compiles its platform's framework (Arduino, ESP-IDF, …) and the libraries of lib_deps
  // (ESPHome's ArduinoJson 6.18.5, NeoPixelBus 2.7.3, lvgl 8.4.0, …) into the image; no lock records them.
  {
    ecosystem: 'platformio', format: 'PlatformIO project', names: ['platformio.ini'],
    reason: () => 'Marque cannot read platformio.ini yet: the platform, framework and lib_deps libraries PlatformIO builds into the firmware are not in this inventory',
  },
  // Livox's drivers keep package_ROS1.xml and package_ROS2.xml, and a build script copies one to package.xml: colcon
  // (and Marque) read only package.xml, so without it the ROS package and its dependencies are missing.
  {
    ecosystem: 'ros', format: 'ROS 2 package manifest under another name', names: ['package_ROS2.xml', 'package_ros2.xml', 'package.ros2.xml'], readAs: 'package.xml',
    reason: (name) => `colcon and Marque read only package.xml, and this folder has none: its ROS package and dependencies are not in this inventory (copy ${name} to package.xml, as the project's build does, and scan again)`,
  },
];

/** By file name: the walk asks about every file of a tree. */
const BY_NAME = new Map(UNREAD.flatMap((f) => f.names.map((n) => [n, f] as const)));

export function unreadFormat(name: string): UnreadFormat | undefined {
  return BY_NAME.get(name);
}

/** `found`: whether the walk found a file (by its path relative to the scanned folder). */
export function notAnalysed(rel: string, name: string, found: (rel: string) => boolean = () => false): NotAnalysed | undefined {
  const f = unreadFormat(name);
  if (!f || (f.readAs && found(posix.join(posix.dirname(rel), f.readAs)))) return undefined;
  return { file: rel, ecosystem: f.ecosystem, format: f.format, reason: f.reason?.(name) ?? `Marque cannot read ${f.format} yet: the ${f.ecosystem} components it locks are not in this inventory` };
}
