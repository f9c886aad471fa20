// gradle.lockfile (Gradle dependency locking): "group:artifact:version=configuration,…" per line,
// "empty=…" for configurations that resolve nothing. It is the resolved classpath without its
// graph: every module hangs from the project, and which configurations hold it decide its scope.
import { basename, dirname } from 'node:path';
import { InputError } from '../../util/errors.ts';
import { makePurl } from '../../model/purl.ts';
import { FragmentBuilder } from '../common/fragment.ts';
import type { InventoryFragment } from '../extractor.ts';
import type { DependencyKind } from '../../model/inventory.ts';

/**
 * What a module's configurations say about it. It ships when it is on a runtime classpath of the
 * product: `runtimeClasspath`, or a variant's (`releaseRuntimeClasspath`), but not a test, benchmark
 * (jmh), debug or integration-test one. Only test or benchmark configurations: test. Anything else (compile-only,
 * tools such as checkstyle, jacoco, antlr): build.
 */
function kindOf(configurations: string[]): DependencyKind {
  const notShipped = /test|jmh|benchmark|debug|integration|functional/i;
  if (configurations.some((c) => /runtimeClasspath$/i.test(c) && !notShipped.test(c))) return 'runtime';
  if (configurations.every((c) => /test|jmh|benchmark/i.test(c))) return 'test';
  return 'build';
}

export function parseGradleLockfile(text: string, file: string, project = basename(dirname(file)) || 'project'): InventoryFragment {
  const b = new FragmentBuilder();
  const root = b.component({ purl: makePurl({ type: 'generic', name: project }), name: project, version: '', ecosystem: 'maven', licenses: [], sourceFile: file, dependenciesComplete: true, root: true, firstParty: true });
  let n = 0;
  text.split('\n').forEach((raw, i) => {
    const line = raw.trim();
    if (!line || line.startsWith('#') || line.startsWith('empty=')) return;
    const m = /^([^:=\s]+):([^:=\s]+):([^:=\s]+)=(.*)$/.exec(line);
    if (!m) throw new InputError(`malformed gradle.lockfile line "${line.slice(0, 80)}" (expected group:artifact:version=configurations)`, file, i + 1);
    const [, group, artifact, version, confs] = m as unknown as [string, string, string, string, string];
    const configurations = confs.split(',').map((c) => c.trim()).filter(Boolean);
    const purl = b.component({ purl: makePurl({ type: 'maven', namespace: group, name: artifact, version }), name: artifact, group, version, ecosystem: 'maven', licenses: [], sourceFile: file, dependenciesComplete: false, properties: { 'gradle:configurations': configurations.join(',') } });
    b.edge(root, purl, kindOf(configurations));
    n++;
  });
  return { ...b.build(), notes: n ? [`${file}: a Gradle lockfile is the resolved classpath without its graph: its ${n} modules hang from the project (depth 1), their scope from the configurations that hold them`] : [] };
}
