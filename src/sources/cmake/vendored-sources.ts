// What a C/C++ build pulls in (vendored.ts), through the reading kept between runs (vendored-cache.ts):
// the reader, most of the CMake code (87 KB of JavaScript), is loaded only when the kept reading does not
// hold, so a warm inventory of an unchanged workspace never loads it.
import { BUILD_ID } from '../../util/package.ts';
import type { ExtractContext, FoundFile } from '../extractor.ts';
import type { TreeAccess } from './tree-access.ts';
import { scannedTree } from './tree-access.ts';
import { cachedReading } from './vendored-cache.ts';
import type { VendoredResult, VendoringEntry } from './vendored.ts';

/**
 * Reads the CMake files of each entry and returns the components they pull in, with an edge from
 * the pulling component. `packageDirs`: ROS package folders, each read as its own entry (never as
 * a vendored folder of another).
 */
export async function vendoredSources(entries: VendoringEntry[], files: FoundFile[], ctx: ExtractContext, packageDirs: ReadonlySet<string>, build: string | undefined = BUILD_ID, now?: () => number): Promise<VendoredResult> {
  const read = async (reading: ExtractContext, tree: TreeAccess) => (await import('./vendored.ts')).readVendored(entries, files, reading, packageDirs, tree);
  if (!entries.length || !build) return read(ctx, scannedTree(ctx));
  return cachedReading({ build, root: ctx.root, platform: ctx.options.platform, entries, files, packageDirs }, ctx, (tree, reading) => read(reading, tree), now);
}
