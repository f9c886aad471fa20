// The JVM: Gradle lockfiles (gradle.lockfile, and buildscript-gradle.lockfile for the build's own
// plugins) and Maven pom.xml files.
import { basename, dirname } from 'node:path';
import type { Extractor } from '../extractor.ts';
import { parseLockfiles } from '../common/lockfiles.ts';
import { parseGradleLockfile } from './gradle-lockfile.ts';
import { parsePom } from './pom.ts';

export const mavenExtractor: Extractor = {
  id: 'maven',
  claims: (_rel, name) => name === 'gradle.lockfile' || name === 'buildscript-gradle.lockfile' || name === 'pom.xml',
  extract: (files, ctx) => parseLockfiles(files, ctx, (text, f) => {
    if (f.name === 'pom.xml') return parsePom(text, f.rel, f.path, ctx.beside);
    const frag = parseGradleLockfile(text, f.rel, basename(dirname(f.path)));
    // The build script's own classpath (plugins) never ships.
    if (f.name === 'buildscript-gradle.lockfile') for (const d of frag.dependencies) d.kind = 'build';
    return frag;
  }),
};
