import type { Extractor, FoundFile } from '../extractor.ts';
import { parseLockfiles } from '../common/lockfiles.ts';
import { parsePipfileLock, parsePoetryLock, parseRequirements, parseUvLock } from './lockfiles.ts';
import { pythonProject } from './project.ts';

const PARSERS = {
  'poetry.lock': parsePoetryLock,
  'uv.lock': parseUvLock,
  'Pipfile.lock': parsePipfileLock,
} as const;

function isRequirements(name: string): boolean {
  return /^requirements.*\.txt$/.test(name);
}

export const pythonExtractor: Extractor = {
  id: 'python',
  claims: (_rel, name) => Object.hasOwn(PARSERS, name) || isRequirements(name),
  extract: (files, ctx) => {
    const told = new Set<string>();
    return parseLockfiles(files, ctx, async (text, file: FoundFile) => {
    const project = await pythonProject(file, ctx.beside);
    // A broken pyproject.toml is said once, however many lockfiles sit beside it.
    if (project.problem && !told.has(project.problem.file)) { told.add(project.problem.file); ctx.problem(project.problem); }
    const parse = isRequirements(file.name) ? parseRequirements : PARSERS[file.name as keyof typeof PARSERS];
    return parse(text, file.rel, project);
    });
  },
};
