// PHP: composer.lock, with composer.json beside it for the project's direct requirements.
import { basename, dirname } from 'node:path';
import type { Extractor } from '../extractor.ts';
import { parseLockfiles } from '../common/lockfiles.ts';
import { parseComposerLock, readComposerManifest } from './composer-lock.ts';

export const composerExtractor: Extractor = {
  id: 'composer',
  claims: (_rel, name) => name === 'composer.lock',
  extract: (files, ctx) => parseLockfiles(files, ctx, (text, f) => parseComposerLock(text, f.rel, readComposerManifest(f.path, ctx.beside), basename(dirname(f.path)))),
};
