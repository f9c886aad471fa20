// The version a plain CMake package of a workspace (one colcon builds as type "cmake", without a
// package.xml) declares, read from its CMake files as the CMake reading reads them (interpret.ts),
// never configured: its project() VERSION; else the VERSION its package version file is written with
// (write_basic_package_version_file, or CMake 2.8's write_basic_config_version_file), which is what a
// find_package(NAME 1.1) of it is checked against once installed; else the version variables named
// after the project, as for a vendored folder (versionFromVariables). Only the package's own CMake files
// are read, and add_subdirectory() is not entered. A version set differently on paths whose condition
// is not known statically, or not at all, is a stated gap.
import { posix } from 'node:path';
import type { Platform } from '../../model/platforms.ts';
import type { Problem } from '../../model/inventory.ts';
import { problemOf } from '../../util/errors.ts';
import { versionFromVariables } from './folder.ts';
import { CMakeReader } from './interpret.ts';
import { tokenize } from './lexer.ts';
import { structure, type Node } from './script.ts';
import { single } from './values.ts';
import { platformVariables } from './vendored.ts';

export type DeclaredVersion = { version: string; from: string } | { unknown: string };

/** The commands that write a package version file, and so declare the version find_package() sees. */
const VERSION_FILE_COMMANDS = new Set(['write_basic_package_version_file', 'write_basic_config_version_file']);

/**
 * `dir`: the package's folder relative to `root`; `texts`: its CMake files by path relative to `root`.
 * Problems met in the files (a malformed one) go to `problems`.
 */
export function declaredVersion(root: string, dir: string, name: string, texts: ReadonlyMap<string, string>, platform: Platform, problems: Problem[]): DeclaredVersion {
  const top = dir === '.' ? 'CMakeLists.txt' : `${dir}/CMakeLists.txt`;
  const abs = (rel: string) => (rel === '.' ? root : posix.join(root, rel));
  const prefix = root.endsWith('/') ? root : `${root}/`;
  const toRel = (p: string) => (p === root ? '.' : p.startsWith(prefix) ? p.slice(prefix.length) : p);
  const parsed = new Map<string, Node[] | null>();
  const written: { version?: string; why?: string; at: string; command: string }[] = [];
  const reader = new CMakeReader({
    load: (path) => {
      const rel = toRel(path);
      const hit = parsed.get(rel);
      if (hit !== undefined) return hit ?? undefined;
      const text = texts.get(rel);
      let nodes: Node[] | null = null;
      if (text !== undefined) {
        try { nodes = structure(tokenize(text, rel), rel, problems); } catch (e) { problems.push({ ...problemOf(e, rel), severity: 'warning' }); }
      }
      parsed.set(rel, nodes);
      return nodes ?? undefined;
    },
    isFolder: () => false,
    enterSubdirectory: () => false,
    platform: platformVariables(platform),
    show: toRel,
    trace: (file, line, command, values) => {
      if (!VERSION_FILE_COMMANDS.has(command)) return;
      const at = values.indexOf('VERSION');
      if (at < 0) return; // PROJECT_VERSION: project() said it, or nothing did
      const v = values[at + 1];
      written.push({ at: `${toRel(file)}:${line}`, command, ...(v ? { version: v } : { why: `the VERSION of ${command}() at ${toRel(file)}:${line} is not known statically` }) });
    },
  });
  let vars: ((n: string) => string | undefined) | undefined;
  const result = reader.read(abs(dir), { left: (get) => { vars = (n) => { const v = get(n); return v ? single(v) : undefined; }; } });
  for (const p of result.problems) problems.push(p);
  if (!parsed.get(top)) return { unknown: `${top} could not be read` };
  const project = result.projects.find((p) => p.dir === abs(dir));
  if (project?.version) return { version: project.version, from: `project() in ${project.file}:${project.line}` };
  const versions = [...new Set(written.map((w) => w.version))];
  if (written.length && versions.length === 1 && versions[0]) return { version: versions[0], from: `the VERSION of ${written[0]!.command}() at ${written[0]!.at}` };
  if (written.length) {
    const why = written.find((w) => w.why)?.why;
    return { unknown: why ?? `its package version file is written with several versions (${versions.join(', ')}) on paths not known statically` };
  }
  const fromVariables = vars ? versionFromVariables(name, vars) : undefined;
  if (fromVariables) return { version: fromVariables.version, from: `${fromVariables.variable} in ${top}` };
  return { unknown: `${top} declares no version (no project() VERSION, no package version file written with one, no ${name}_VERSION variable)` };
}
