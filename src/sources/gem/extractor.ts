// Ruby: Bundler's Gemfile.lock (gems.locked is its other name).
import { basename, dirname } from 'node:path';
import type { Extractor } from '../extractor.ts';
import { parseLockfiles } from '../common/lockfiles.ts';
import { parseGemfileLock } from './gemfile-lock.ts';

export const gemExtractor: Extractor = {
  id: 'gem',
  claims: (_rel, name) => name === 'Gemfile.lock' || name === 'gems.locked',
  extract: (files, ctx) => parseLockfiles(files, ctx, (text, f) => parseGemfileLock(text, f.rel, basename(dirname(f.path)))),
};
