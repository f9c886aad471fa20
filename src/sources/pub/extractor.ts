// Dart and Flutter: pubspec.lock, with the pubspec.yaml beside it for the project's name and version.
import { basename, dirname, join, posix } from 'node:path';
import type { Extractor } from '../extractor.ts';
import { parseLockfiles } from '../common/lockfiles.ts';
import { parsePubspecLock, readPubspec } from './pubspec-lock.ts';

export const pubExtractor: Extractor = {
  id: 'pub',
  claims: (_rel, name) => name === 'pubspec.lock',
  extract: (files, ctx) => parseLockfiles(files, ctx, (text, f) => {
    const pubspec = readPubspec(ctx.beside(join(dirname(f.path), 'pubspec.yaml')), posix.join(posix.dirname(f.rel), 'pubspec.yaml'));
    return parsePubspecLock(text, f.rel, pubspec, basename(dirname(f.path)));
  }),
};
