// The JVM: Gradle lockfiles (gradle.lockfile, buildscript-gradle.lockfile for the build's own
// plugins, and Gradle 4.8-6's gradle/dependency-locks/*.lockfile) and Maven pom.xml files. The
// poms are read together: which modules of a build ship is the build's to say (reactor.ts).
import { basename, dirname } from 'node:path';
import type { Extractor, ExtractContext, FoundFile, InventoryFragment } from '../extractor.ts';
import { parseLockfiles } from '../common/lockfiles.ts';
import { problemOf } from '../../util/errors.ts';
import { parseGradleLockfile, parseLegacyGradleLocks } from './gradle-lockfile.ts';
import { parsePomModule } from './pom.ts';
import { deployment } from './deploy.ts';
import { reactor, type Module } from './reactor.ts';

const SHIPPED = new Set(['runtime', 'optional', 'peer']);

/** Gradle 4.8 to 6's lock files, one per configuration, under the project's gradle/dependency-locks/. */
const LEGACY_LOCK = /(?:^|\/)gradle\/dependency-locks\/[^/]+\.lockfile$/;

/** The legacy lock files of each project folder, read together as one lock state. */
async function readLegacyLocks(files: FoundFile[], ctx: ExtractContext): Promise<InventoryFragment> {
  const out: InventoryFragment = { components: [], dependencies: [], unresolved: [], notes: [] };
  const byProject = new Map<string, FoundFile[]>();
  for (const f of files) {
    const folder = f.rel.slice(0, f.rel.length - basename(f.rel).length - 1); // …/gradle/dependency-locks
    byProject.set(folder, [...byProject.get(folder) ?? [], f]);
  }
  for (const [folder, group] of byProject) {
    const read: { rel: string; text: string }[] = [];
    for (const f of group) { const text = await ctx.read(f); if (text !== undefined) read.push({ rel: f.rel, text }); }
    if (!read.length) continue;
    const projectDir = dirname(dirname(dirname(group[0]!.path))); // above gradle/dependency-locks/
    try {
      const part = parseLegacyGradleLocks(read, `${folder}/`, basename(projectDir) || 'project');
      for (const c of part.components) out.components.push(c);
      for (const d of part.dependencies) out.dependencies.push(d);
      for (const n of part.notes ?? []) out.notes!.push(n);
    } catch (e) {
      ctx.problem(problemOf(e, folder));
    }
  }
  return out;
}

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
  claims: (rel, name) => name === 'gradle.lockfile' || name === 'buildscript-gradle.lockfile' || name === 'pom.xml' || (name.endsWith('.lockfile') && LEGACY_LOCK.test(rel)),
  extract: async (files, ctx) => {
    const legacy = files.filter((f) => f.name !== 'gradle.lockfile' && f.name !== 'buildscript-gradle.lockfile' && f.name !== 'pom.xml');
    const gradle = await parseLockfiles(files.filter((f) => f.name === 'gradle.lockfile' || f.name === 'buildscript-gradle.lockfile'), ctx, (text, f) => parseGradleLockfile(text, f.rel, basename(dirname(f.path)), f.name === 'buildscript-gradle.lockfile'));
    const old = await readLegacyLocks(legacy, ctx);
    const maven = await readPoms(files.filter((f) => f.name === 'pom.xml'), ctx);
    return {
      components: [...gradle.components, ...old.components, ...maven.components], dependencies: [...gradle.dependencies, ...old.dependencies, ...maven.dependencies],
      unresolved: [...gradle.unresolved ?? [], ...maven.unresolved ?? []], notes: [...gradle.notes ?? [], ...old.notes ?? [], ...maven.notes ?? []],
    };
  },
};
