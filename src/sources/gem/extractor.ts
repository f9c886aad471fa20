// Ruby: Bundler's Gemfile.lock (gems.locked is its other name), with the Gemfile (gems.rb) beside it for groups.
import { basename, dirname, join, posix } from 'node:path';
import type { Extractor } from '../extractor.ts';
import { parseLockfiles } from '../common/lockfiles.ts';
import { parseGemfileLock } from './gemfile-lock.ts';
import { parseGemfileGroups } from './gemfile.ts';

export const gemExtractor: Extractor = {
  id: 'gem',
  claims: (_rel, name) => name === 'Gemfile.lock' || name === 'gems.locked',
  extract: (files, ctx) => parseLockfiles(files, ctx, (text, f) => {
    const name = f.name === 'gems.locked' ? 'gems.rb' : 'Gemfile';
    const gemfile = ctx.beside(join(dirname(f.path), name)); // no Gemfile: groups unknown, said in a note
    const groups = gemfile === undefined ? undefined : { ...parseGemfileGroups(gemfile), file: posix.join(posix.dirname(f.rel), name) };
    return parseGemfileLock(text, f.rel, basename(dirname(f.path)), groups);
  }),
};
