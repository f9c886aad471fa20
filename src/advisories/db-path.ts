// Where the advisory database is by default, apart from the store: an inventory names it (its catalogs
// may be there) without loading the store and the version schemes it compares with.
import { join } from 'node:path';
import { cacheDir } from '../util/yaml.ts';

export function defaultDbPath(): string {
  return join(cacheDir(), 'advisories.sqlite');
}
