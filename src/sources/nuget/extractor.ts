// .NET: NuGet's packages.lock.json (RestorePackagesWithLockFile), with the project's MSBuild files for PrivateAssets.
import { basename, dirname } from 'node:path';
import type { Extractor } from '../extractor.ts';
import { parseLockfiles } from '../common/lockfiles.ts';
import { parseNugetLock } from './packages-lock.ts';
import { privatePackages } from './project.ts';
import type { Problem } from '../../model/inventory.ts';

export const nugetExtractor: Extractor = {
  id: 'nuget',
  claims: (_rel, name) => name === 'packages.lock.json',
  extract: (files, ctx) => parseLockfiles(files, ctx, (text, f) => {
    const problems: Problem[] = [];
    return { ...parseNugetLock(text, f.rel, basename(dirname(f.path)), privatePackages(ctx.files, f.path, ctx.root, problems)), problems };
  }),
};
