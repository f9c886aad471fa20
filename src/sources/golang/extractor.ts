// Go modules: go.mod, with go.sum beside it for the modules whose code was fetched.
import { join, dirname } from 'node:path';
import type { Extractor } from '../extractor.ts';
import { parseLockfiles } from '../common/lockfiles.ts';
import { goModFragment, parseGoMod, parseGoSum } from './go-mod.ts';

export const golangExtractor: Extractor = {
  id: 'golang',
  claims: (_rel, name) => name === 'go.mod',
  extract: (files, ctx) => parseLockfiles(files, ctx, (text, f) => {
    let sum: Map<string, string> | undefined;
    const text2 = ctx.beside(join(dirname(f.path), 'go.sum'));
    try { sum = text2 === undefined ? undefined : parseGoSum(text2); } catch { sum = undefined; }
    return goModFragment(parseGoMod(text, f.rel), f.rel, sum);
  }),
};
