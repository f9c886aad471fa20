// npm's ecosystem: package-lock.json / npm-shrinkwrap.json, yarn.lock (classic and Berry) and
// pnpm-lock.yaml, each with the package.json files of the project and its workspaces.
import { dirname, join } from 'node:path';
import { insideRoot } from '../common/folders.ts';
import type { Extractor } from '../extractor.ts';
import type { Problem } from '../../model/inventory.ts';
import { parseLockfiles } from '../common/lockfiles.ts';
import { parsePackageLock } from './package-lock.ts';
import { parseYarnLock } from './yarn-lock.ts';
import { parsePnpmLock } from './pnpm-lock.ts';
import { pnpmPatchFiles, readProject, yarnProjects, yarnSettings } from './projects.ts';

const LOCKS = new Set(['package-lock.json', 'npm-shrinkwrap.json', 'yarn.lock', 'pnpm-lock.yaml']);

export const npmExtractor: Extractor = {
  id: 'npm',
  claims: (_rel, name) => LOCKS.has(name),
  extract: (files, ctx) => parseLockfiles(files, ctx, (text, file) => {
    const problems: Problem[] = [];
    // A folder the lock names (a pnpm importer, a `file:`, `portal:` or `link:` folder): its package.json
    // gives its name and version; one outside the scanned folder is not read.
    const folder = (p: string) => (insideRoot(ctx.root, join(dirname(file.path), p)) ? readProject(ctx, dirname(file.path), p, file.rel, problems) : undefined);
    if (file.name === 'yarn.lock') {
      const part = parseYarnLock(text, file.rel, yarnProjects(ctx, file.path, file.rel, problems), yarnSettings(ctx, file.path, file.rel, problems), folder);
      return { ...part, problems: [...problems, ...(part.problems ?? [])] };
    }
    if (file.name === 'pnpm-lock.yaml') return { ...parsePnpmLock(text, file.rel, folder, pnpmPatchFiles(ctx, file.path, file.rel, problems)), problems };
    const part = parsePackageLock(text, file.rel, () => readProject(ctx, dirname(file.path), '.', file.rel, problems));
    return { ...part, problems: [...problems, ...(part.problems ?? [])] };
  }),
};
