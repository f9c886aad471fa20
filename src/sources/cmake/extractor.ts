// A plain C/C++ project: a CMakeLists.txt at the scanned root that is not a ROS package. The
// project is a first-party component; what its build pulls in (vendored.ts) hangs under it. ROS
// packages are read by the ROS extractor, which calls vendored.ts for each of its packages.
import { posix } from 'node:path';
import type { Component } from '../../model/inventory.ts';
import { makePurl } from '../../model/purl.ts';
import { problemOf } from '../../util/errors.ts';
import type { ExtractContext, Extractor, FoundFile, InventoryFragment } from '../extractor.ts';
import { outermostPackages } from '../ros/extractor.ts';
import { tokenize } from './lexer.ts';
import { claimsCMake } from './claims.ts';

export const cmakeExtractor: Extractor = {
  id: 'cmake',
  claims: (rel, name) => name === 'package.xml' || claimsCMake(rel, name),
  extract: extractProject,
};

async function extractProject(files: FoundFile[], ctx: ExtractContext): Promise<InventoryFragment> {
  const top = files.find((f) => f.rel === 'CMakeLists.txt');
  if (!top || files.some((f) => f.rel === 'package.xml')) return { components: [], dependencies: [] };
  const text = await ctx.read(top);
  if (text === undefined) return { components: [], dependencies: [] };
  let name = posix.basename(ctx.root);
  let version = '';
  try {
    // The project's own name and version, as written (a variable in them is left as the folder's name).
    const call = tokenize(text, top.rel).find((c) => c.name === 'project');
    if (call?.args[0] && !call.args[0].text.includes('$')) name = call.args[0].text;
    const at = call ? call.args.findIndex((a) => a.kind === 'unquoted' && a.text === 'VERSION') : -1;
    const v = at >= 0 ? call!.args[at + 1]?.text : undefined;
    if (v && !v.includes('$')) version = v;
  } catch (e) {
    ctx.problem(problemOf(e, top.rel));
    return { components: [], dependencies: [] };
  }
  const project: Component = {
    purl: makePurl({ type: 'generic', name, version }), name, version, ecosystem: 'generic', type: 'application',
    licenses: [], sourceFile: top.rel, root: true, firstParty: true,
    // What it needs from the system (find_package) is not resolved to packages.
    dependenciesComplete: false,
    properties: { 'cmake:project': name, 'vendored:closure': 'its find_package() dependencies on installed libraries are not resolved' },
  };
  const packageDirs = new Set(outermostPackages(files.filter((f) => f.name === 'package.xml')).map((f) => posix.dirname(f.rel)));
  const { vendoredSources } = await import('./vendored-sources.ts');
  const pulled = await vendoredSources([{ dir: '.', purl: project.purl }], files, ctx, packageDirs);
  return { components: [project, ...pulled.components], dependencies: pulled.dependencies, notes: pulled.notes };
}
