import type { Extractor } from '../extractor.ts';
import { parseLockfiles } from '../common/lockfiles.ts';
import { parsePackageLock } from './package-lock.ts';

export const npmExtractor: Extractor = {
  id: 'npm',
  claims: (_rel, name) => name === 'package-lock.json' || name === 'npm-shrinkwrap.json',
  extract: (files, ctx) => parseLockfiles(files, ctx, (text, file) => parsePackageLock(text, file.rel)),
};
