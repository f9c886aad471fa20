import type { Extractor, FoundFile } from '../extractor.ts';
import { parseLockfiles } from '../common/lockfiles.ts';
import { join } from 'node:path';
import { realpathSync } from 'node:fs';
import { isUnder } from '../../util/file-access.ts';
import { parsePipfileLock, parsePoetryLock, parseRequirements, parseUvLock, type ReadInclude } from './lockfiles.ts';
import { parsePdmLock } from './pdm-lock.ts';
import { isPylock, parsePylock } from './pylock.ts';
import { markerTarget } from './markers.ts';
import { pythonProject } from './project.ts';
import { isRequirementsFile, requirementsProjectDir, requirementsScope } from './requirements-files.ts';

const PARSERS = {
  'poetry.lock': parsePoetryLock,
  'uv.lock': parseUvLock,
  'pdm.lock': parsePdmLock,
  'Pipfile.lock': parsePipfileLock,
} as const;

export const pythonExtractor: Extractor = {
  id: 'python',
  claims: (rel, name) => Object.hasOwn(PARSERS, name) || isPylock(name) || isRequirementsFile(rel, name),
  extract: async (files, ctx) => {
    const told = new Set<string>();
    let realRoot: string | undefined;
    // A file named by -r/-c: read only under the scanned folder (not through a link out of it, nor into
    // another file the request allows, such as a rosdep rule file), and counted among the inputs.
    const include: ReadInclude = (rel) => {
      const path = join(ctx.root, rel);
      if (!ctx.files.exists(path)) return { refused: 'not found' };
      const real = ctx.files.locate(path);
      realRoot ??= realpathSync.native(ctx.root);
      if (!ctx.files.allows(path) || (real !== undefined && !isUnder(real, realRoot))) {
        ctx.problem({ file: rel, message: 'leads outside the scanned folder; not read', severity: 'warning' });
        return { refused: 'leads outside the scanned folder; not read' };
      }
      return ctx.beside(path) ?? { refused: 'not read (see the problems)' };
    };
    // What the markers of a lock are decided for: the platform marque.yaml or --platform declares.
    const target = markerTarget(ctx.options);
    const out = await parseLockfiles(files, ctx, async (text, file: FoundFile) => {
    const lockfile = Object.hasOwn(PARSERS, file.name) || isPylock(file.name);
    const project = await pythonProject(file, ctx.beside, lockfile ? undefined : requirementsProjectDir(file.rel));
    // A broken pyproject.toml is said once, however many lockfiles sit beside it.
    if (project.problem && !told.has(project.problem.file)) { told.add(project.problem.file); ctx.problem(project.problem); }
    if (!lockfile) return parseRequirements(text, file.rel, project, include, requirementsScope(file.rel), target);
    if (isPylock(file.name)) return parsePylock(text, file.rel, project, target);
    return PARSERS[file.name as keyof typeof PARSERS](text, file.rel, project, target);
    });
    // A file two others include (requirements-dev.txt and requirements.txt both reading base.txt) says its gaps once.
    const said = new Set<string>();
    out.unresolved = out.unresolved?.filter((u) => {
      if (u.line === undefined) return true;
      const k = `${u.file}:${u.line} ${u.from} ${u.key}`;
      return said.has(k) ? false : (said.add(k), true);
    });
    return out;
  },
};
