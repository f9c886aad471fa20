// .NET: NuGet's packages.lock.json (RestorePackagesWithLockFile).
import { basename, dirname } from 'node:path';
import type { Extractor } from '../extractor.ts';
import { parseLockfiles } from '../common/lockfiles.ts';
import { parseNugetLock } from './packages-lock.ts';

export const nugetExtractor: Extractor = {
  id: 'nuget',
  claims: (_rel, name) => name === 'packages.lock.json',
  extract: (files, ctx) => parseLockfiles(files, ctx, (text, f) => parseNugetLock(text, f.rel, basename(dirname(f.path)))),
};
