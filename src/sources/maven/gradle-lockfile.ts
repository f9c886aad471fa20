// gradle.lockfile (Gradle dependency locking): "group:artifact:version=configuration,…" per line,
// "empty=…" for configurations that resolve nothing. It is the resolved classpath without its
// graph: every module hangs from the project, and which configurations hold it decide its scope.
import { basename, dirname } from 'node:path';
import { InputError } from '../../util/errors.ts';
import { makePurl } from '../../model/purl.ts';
import { FragmentBuilder } from '../common/fragment.ts';
import type { InventoryFragment } from '../extractor.ts';
import type { DependencyKind } from '../../model/inventory.ts';

const NOT_SHIPPED = /test|jmh|benchmark|debug|integration|functional/i;
const TEST_ONLY = /test|jmh|benchmark/i;

/**
 * A runtime classpath of the product: `runtimeClasspath`, a variant's (`releaseRuntimeClasspath`) or a target's
 * (`jvmRuntimeClasspath`), not a test, benchmark (jmh), debug or integration-test one; or, in the lock files of
 * Gradle before 7, the `runtime` and `default` configurations (what the java plugin gave consumers).
 */
const isRuntime = (c: string) => (/runtimeClasspath$/i.test(c) || c === 'runtime' || c === 'default') && !NOT_SHIPPED.test(c);

/**
 * What a module's configurations say about it, given every configuration the lockfile locks. It ships when
 * it is on a runtime classpath of the product, or on Android's `coreLibraryDesugaring` (D8/R8 dex the
 * desugared JDK library into the app). Spring Boot's `productionRuntimeClasspath` is what bootJar and bootWar
 * package: where it is locked, `runtimeClasspath` alone (Spring Boot adds `developmentOnly` and
 * `testAndDevelopmentOnly` to it, for bootRun) is development's. Only test or benchmark configurations:
 * test. Anything else (compile-only, annotation processors, tools such as checkstyle, jacoco, antlr): build
 * — unless the lockfile locks no runtime classpath at all (`compileClasspath` only): then what the product
 * compiles against may ship, and counts as shipping.
 */
function kindOf(configurations: string[], locked: Set<string>): DependencyKind {
  const production = locked.has('productionRuntimeClasspath');
  const ships = (c: string) => c === 'coreLibraryDesugaring' || (isRuntime(c) && !(production && c === 'runtimeClasspath'));
  if (configurations.some(ships)) return 'runtime';
  if (production && configurations.includes('runtimeClasspath')) return 'dev';
  if (configurations.every((c) => TEST_ONLY.test(c))) return 'test';
  if (!runtimeLocked(locked) && configurations.some((c) => /compileClasspath$/i.test(c) && !NOT_SHIPPED.test(c))) return 'runtime';
  return 'build';
}

const runtimeLocked = (locked: Set<string>) => [...locked].some(isRuntime);

/** `buildscript`: the build script's own classpath (buildscript-gradle.lockfile, its plugins), which never ships. */
export function parseGradleLockfile(text: string, file: string, project = basename(dirname(file)) || 'project', buildscript = basename(file) === 'buildscript-gradle.lockfile'): InventoryFragment {
  // Which configurations are locked decides what a module's own say: read them all first.
  const modules: Locked[] = [];
  const locked = new Set<string>();
  const list = (confs: string) => confs.split(',').map((c) => c.trim()).filter(Boolean);
  text.split('\n').forEach((raw, i) => {
    const line = raw.trim();
    if (!line || line.startsWith('#')) return;
    if (line.startsWith('empty=')) { for (const c of list(line.slice(6))) locked.add(c); return; }
    const m = /^([^:=\s]+):([^:=\s]+):([^:=\s]+)=(.*)$/.exec(line);
    if (!m) throw new InputError(`malformed gradle.lockfile line "${line.slice(0, 80)}" (expected group:artifact:version=configurations)`, file, i + 1);
    const [, group, artifact, version, confs] = m as unknown as [string, string, string, string, string];
    const configurations = list(confs);
    for (const c of configurations) locked.add(c);
    modules.push({ group, artifact, version, configurations });
  });
  return fragmentOf(modules, locked, file, project, buildscript);
}

/**
 * Gradle 4.8 to 6's lock state: one file per configuration, `gradle/dependency-locks/<configuration>.lockfile`, each
 * line "group:artifact:version" (a file with none locks the configuration empty). Read together, they say what one
 * gradle.lockfile says; `buildscript-classpath.lockfile` is the build script's own classpath.
 */
export function parseLegacyGradleLocks(files: readonly { rel: string; text: string }[], folder: string, project: string): InventoryFragment {
  const byModule = new Map<string, Locked>();
  const locked = new Set<string>();
  for (const { rel, text } of files) {
    const configuration = basename(rel).replace(/\.lockfile$/, '');
    locked.add(configuration);
    text.split('\n').forEach((raw, i) => {
      const line = raw.trim();
      if (!line || line.startsWith('#')) return;
      const m = /^([^:=\s]+):([^:=\s]+):([^:=\s]+)$/.exec(line);
      if (!m) throw new InputError(`malformed Gradle lock line "${line.slice(0, 80)}" (expected group:artifact:version)`, rel, i + 1);
      const key = `${m[1]}:${m[2]}:${m[3]}`;
      const known = byModule.get(key);
      if (known) known.configurations.push(configuration);
      else byModule.set(key, { group: m[1]!, artifact: m[2]!, version: m[3]!, configurations: [configuration] });
    });
  }
  // buildscript-classpath is no runtime classpath: what only it holds is scope build.
  return fragmentOf([...byModule.values()], locked, folder, project, false);
}

interface Locked { group: string; artifact: string; version: string; configurations: string[] }

function fragmentOf(modules: Locked[], locked: Set<string>, file: string, project: string, buildscript: boolean): InventoryFragment {
  const b = new FragmentBuilder();
  const root = b.component({ purl: makePurl({ type: 'generic', name: project }), name: project, version: '', ecosystem: 'maven', licenses: [], sourceFile: file, dependenciesComplete: true, root: true, firstParty: true });
  for (const { group, artifact, version, configurations } of modules) {
    const purl = b.component({ purl: makePurl({ type: 'maven', namespace: group, name: artifact, version }), name: artifact, group, version, ecosystem: 'maven', licenses: [], sourceFile: file, dependenciesComplete: false, properties: { 'gradle:configurations': configurations.join(',') } });
    b.edge(root, purl, buildscript ? 'build' : kindOf(configurations, locked));
  }
  const n = modules.length;
  const notes = n ? [`${file}: a Gradle lockfile is the resolved classpath without its graph: its ${n} modules hang from the project (depth 1), their scope from the configurations that hold them`] : [];
  if (n && !buildscript && !runtimeLocked(locked)) notes.push(`${file}: no runtime classpath is locked (${[...locked].sort().join(', ') || 'no configuration'}): what the product compiles against is counted as shipping, and what it needs only at run time is not listed`);
  return { ...b.build(), notes };
}
