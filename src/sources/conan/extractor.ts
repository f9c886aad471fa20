// C and C++: Conan lockfiles (conan.lock, Conan 1 and 2).
import { basename, dirname } from 'node:path';
import type { Extractor } from '../extractor.ts';
import { parseLockfiles } from '../common/lockfiles.ts';
import { parseConanLock } from './conan-lock.ts';

export const conanExtractor: Extractor = {
  id: 'conan',
  claims: (_rel, name) => name === 'conan.lock',
  extract: (files, ctx) => parseLockfiles(files, ctx, (text, f) => parseConanLock(text, f.rel, basename(dirname(f.path)))),
};
