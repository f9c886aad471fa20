// The JVM: Gradle lockfiles (gradle.lockfile, and buildscript-gradle.lockfile for the build's own
// plugins) and Maven pom.xml files. The poms are read together: which modules of a build ship is
// the build's to say (reactor.ts).
import { basename, dirname } from 'node:path';
import type { Extractor, ExtractContext, FoundFile, InventoryFragment } from '../extractor.ts';
import { parseLockfiles } from '../common/lockfiles.ts';
import { problemOf } from '../../util/errors.ts';
import { parseGradleLockfile } from './gradle-lockfile.ts';
import { parsePomModule } from './pom.ts';
import { deployment } from './deploy.ts';
import { reactor, type Module } from './reactor.ts';

const SHIPPED = new Set(['runtime', 'optional', 'peer']);

async function readPoms(files: FoundFile[], ctx: ExtractContext): Promise<InventoryFragment> {
  const read: { fragment: InventoryFragment; module: Module }[] = [];
  for (const f of files) {
    const text = await ctx.read(f);
    if (text === undefined) continue;
    try {
      const { fragment, effective, purl } = parsePomModule(text, f.rel, f.path, ctx.beside);
      const needs = fragment.dependencies.filter((d) => d.from === purl && SHIPPED.has(d.kind)).map((d) => d.to);
      read.push({ fragment, module: { file: f.rel, path: f.path, purl, effective, deployment: deployment(effective, f.rel, f.path), needs } });
    } catch (e) {
      ctx.problem(problemOf(e, f.rel));
    }
  }
  const { notShipped, notes } = reactor(read.map((r) => r.module));
  const out: InventoryFragment = { components: [], dependencies: [], unresolved: [], notes: [] };
  for (const { fragment, module } of read) {
    const why = notShipped.get(module.file);
    if (why) {
      // The module stays a project of its own, but nothing of it ships: what only it needs is development's.
      for (const c of fragment.components) if (c.purl === module.purl) c.declaredScope = 'dev';
      for (const d of fragment.dependencies) if (d.from === module.purl && SHIPPED.has(d.kind)) d.kind = 'dev';
      fragment.notes!.push(`${module.file}: ${why}: not shipped; its dependencies are scope "dev"`);
    }
    for (const c of fragment.components) out.components.push(c);
    for (const d of fragment.dependencies) out.dependencies.push(d);
    for (const u of fragment.unresolved ?? []) out.unresolved!.push(u);
    for (const n of fragment.notes ?? []) out.notes!.push(n);
  }
  for (const n of notes) out.notes!.push(n);
  return out;
}

export const mavenExtractor: Extractor = {
  id: 'maven',
  claims: (_rel, name) => name === 'gradle.lockfile' || name === 'buildscript-gradle.lockfile' || name === 'pom.xml',
  extract: async (files, ctx) => {
    const gradle = await parseLockfiles(files.filter((f) => f.name !== 'pom.xml'), ctx, (text, f) => parseGradleLockfile(text, f.rel, basename(dirname(f.path)), f.name === 'buildscript-gradle.lockfile'));
    const maven = await readPoms(files.filter((f) => f.name === 'pom.xml'), ctx);
    return {
      components: [...gradle.components, ...maven.components], dependencies: [...gradle.dependencies, ...maven.dependencies],
      unresolved: [...gradle.unresolved ?? [], ...maven.unresolved ?? []], notes: [...gradle.notes ?? [], ...maven.notes ?? []],
    };
  },
};
