// Library entry point: a directory (or a single lockfile/SBOM) in, the product's inventory out.
import { quote } from '../util/text.ts';
import { FileAccess, fileKind, LIMITS, OutsideRootsError } from '../util/file-access.ts';
import type { ProductInfo } from '../model/product.ts';
import { notAnalysed, unreadFormat } from '../sources/unread.ts';
import { pathFilter } from '../util/glob.ts';
import { InputError, UsageError } from '../util/errors.ts';
import { existsSync, statSync } from 'node:fs';
import { hash } from 'node:crypto';
import { basename, dirname, isAbsolute, relative, resolve, sep } from 'node:path';
import { DependencyGraph, edgeFilter } from '../graph/graph.ts';
import { SCOPE_ORDER, type Inventory, type InventoryComponent, type InventoryOptions, type NotAnalysed, type Problem, type ProductInventory, type Unresolved } from '../model/inventory.ts';
import { FragmentBuilder } from '../sources/common/fragment.ts';
import type { ExtractContext, Extractor, FoundFile, InventoryFragment } from '../sources/extractor.ts';
import type { Platform } from '../model/platforms.ts';
import { EXTRACTORS } from '../sources/index.ts';
import { goBinaryFragment, imageArtefacts, isImage, layOutImage } from '../sources/image/inventory.ts';
import { hardwareFragment, subsystemFragments, type HardwarePart, type SubsystemRequest } from './compose.ts';
import { walk } from '../sources/walk.ts';
import { BUILD_ID } from '../util/package.ts';
import { openCatalogs, type CatalogSet } from '../catalogs/open.ts';
import { completeOsPackages } from '../catalogs/apt-closure.ts';
import { defaultDbPath } from '../advisories/db-path.ts';
import { bundledDistribution, bundledRosdepRules, bundledRosdistros, DEFAULT_PLATFORM, DEFAULT_ROSDISTRO } from './defaults.ts';
import { releasePlatformsOf } from '../sources/ros/rosdistro.ts';
import { artefactsInFolder, attachArtefacts, type ArtefactFile } from '../sources/artefacts/attach.ts';

/** Files larger than this are refused rather than read (a lockfile of 256 MiB is not a lockfile). */
export const MAX_FILE_BYTES = 256 * 1024 * 1024;
const MAX_MANIFEST_BYTES = 4 * 1024 * 1024;
/** Claimed files up to this size (as the walk found them) are read synchronously. */
const SYNC_READ_BYTES = 256 * 1024;

export interface InventoryRequest {
  target: string;
  platform?: Platform;
  rosdistro?: string;
  rosdepRules?: string[];
  distributions?: string[];
  conditionContext?: Record<string, string>;
  /** The toolchains that build the product (marque.yaml inventory.toolchains). */
  toolchains?: { go?: string };
  rosdistroCaches?: string[];
  aptIndexes?: string[];
  /** Database holding imported catalogs (default: the advisory database, when it exists). */
  catalogDb?: string;
  /** Keep only these dependency kinds or scopes (e.g. ["runtime"]). */
  kinds?: string[];
  /** The product the user named, for an input SBOM without a subject. */
  subject?: ProductInfo;
  /** Paths not scanned (--exclude, inventory.exclude). */
  exclude?: string[];
  /** Lockfiles under test/fixture/example folders that ship all the same (--include, inventory.include). */
  include?: string[];
  onProgress?: (message: string) => void;
  /** Fragments found outside the files read (the Go binaries of an image). */
  extra?: InventoryFragment[];
  /** Subsystems read from their own sources and composed into the product (marque.yaml subsystems). */
  subsystems?: SubsystemRequest[];
  /** Hardware parts and their firmware (marque.yaml hardware). */
  hardware?: HardwarePart[];
  /** Folders of package files that ship (--artefacts): matched to components by file name and hashed. */
  artefacts?: string[];
  /** Package files found outside the scanned folder (an image's layers), hashed as they streamed by. */
  artefactFiles?: ArtefactFile[];
}

/** A named distribution Marque has no data for, or a platform it does not target, is a usage error. */
function checkRosdistro(req: Omit<InventoryRequest, 'target'>): void {
  if (req.rosdistro === undefined || req.distributions?.length) return;
  const known = bundledRosdistros();
  if (!known.includes(req.rosdistro)) throw new UsageError(`unknown ROS distribution "${req.rosdistro}": Marque bundles ${known.join(', ')} (give --distribution FILE for another)`);
  if (!req.platform) return;
  const file = bundledDistribution(req.rosdistro);
  const platforms = releasePlatformsOf(file, FileAccess.within(file));
  if (!(platforms[req.platform.os] ?? []).includes(req.platform.codename)) {
    const valid = Object.entries(platforms).flatMap(([os, cs]) => cs.map((c) => `${os}:${c}`)).join(', ');
    throw new UsageError(`ROS 2 ${req.rosdistro} does not target ${req.platform.os}:${req.platform.codename}; its platforms are ${valid} (REP 2000)`);
  }
}

/**
 * The platform when none is given: ubuntu:noble when the distribution targets it, else the first Ubuntu release it
 * targets (REP 2000: humble is released for jammy, rolling and lyrical for resolute), else its first platform. A
 * default the distribution is not released for would leave every ROS key unresolved.
 */
function defaultPlatform(distributions: string[]): Platform {
  const file = distributions.at(-1);
  if (!file) return DEFAULT_PLATFORM;
  let platforms: Record<string, string[]>;
  try { platforms = releasePlatformsOf(file, FileAccess.within(file)); }
  catch { return DEFAULT_PLATFORM; } // an unreadable file is reported where it is read
  if ((platforms[DEFAULT_PLATFORM.os] ?? []).includes(DEFAULT_PLATFORM.codename)) return DEFAULT_PLATFORM;
  const ubuntu = platforms['ubuntu']?.[0];
  if (ubuntu) return { os: 'ubuntu', codename: ubuntu };
  const first = Object.entries(platforms).find(([, cs]) => cs.length);
  return first ? { os: first[0], codename: first[1][0]! } : DEFAULT_PLATFORM;
}

export function resolveOptions(req: Omit<InventoryRequest, 'target'>): InventoryOptions {
  checkRosdistro(req);
  const rosdistro = req.rosdistro ?? DEFAULT_ROSDISTRO;
  const distribution = bundledDistribution(rosdistro);
  const distributions = req.distributions?.length ? req.distributions : existsSync(distribution) ? [distribution] : [];
  return {
    platform: req.platform ?? defaultPlatform(distributions),
    rosdistro,
    assumed: { rosdistro: req.rosdistro === undefined && !req.distributions?.length, platform: req.platform === undefined },
    rosdepRules: req.rosdepRules?.length ? req.rosdepRules : bundledRosdepRules(),
    distributions,
    conditionContext: req.conditionContext,
    ...(req.toolchains ? { toolchains: req.toolchains } : {}),
    rosdistroCaches: req.rosdistroCaches ?? [],
    aptIndexes: req.aptIndexes ?? [],
    catalogDb: req.catalogDb ?? defaultDbPath(),
    subject: req.subject,
  };
}

export async function buildInventory(req: InventoryRequest): Promise<ProductInventory> {
  // A container image: its layers stream by, the package databases and lockfiles in it are read as
  // a folder would be, and each component says which layer it came from.
  if (await isImage(resolve(req.target))) {
    req.onProgress?.(`reading the image ${req.target}`);
    const laid = await layOutImage(resolve(req.target));
    try {
      const inv = await buildInventory({ ...req, target: laid.root, extra: [...(req.extra ?? []), goBinaryFragment(laid.image)], artefactFiles: [...(req.artefactFiles ?? []), ...imageArtefacts(laid.image)] });
      for (const c of inv.components) {
        const layer = c.sourceFile ? laid.image.files.get(c.sourceFile)?.layer : undefined;
        if (layer) c.properties = { ...c.properties, 'image:layer': layer };
      }
      const nothing = inv.components.length ? [] : [`${req.target}: no package database, lockfile or Go binary Marque reads was found in the image (${laid.image.layers.length} layer(s))`];
      return { ...inv, notes: [...laid.image.notes, ...nothing, ...inv.notes] };
    } finally { await laid.cleanup(); }
  }
  const target = resolve(req.target);
  const options = resolveOptions(req);
  const problems: Problem[] = [];
  let info;
  try { info = statSync(target); } catch { info = undefined; }
  if (!info) throw new Error(`${req.target}: no such file or directory`);

  let root: string;
  let byExtractor: Map<Extractor, FoundFile[]>;
  const unread: NotAnalysed[] = [];
  if (info.isDirectory()) {
    root = target;
    req.onProgress?.(`scanning ${req.target}`);
    const claimed = (rel: string, name: string) => EXTRACTORS.some((x) => x.claims(rel, name)) || unreadFormat(name) !== undefined;
    // An installed build keeps what the walk found in each folder between runs (walk-cache.ts).
    const found = await walk(root, claimed, pathFilter(req.exclude ?? []), BUILD_ID ? { build: BUILD_ID, use: 'inventory' } : undefined);
    for (const p of found.problems) problems.push(p);
    // The walk's paths, gathered only if a format read under another name asks (most scans find none).
    let paths: Set<string> | undefined;
    const foundAt = (rel: string) => (paths ??= new Set(found.files.map((f) => f.rel))).has(rel);
    // Each extractor asked once about each file (the claims of a large tree's files cost a pass each).
    const claimedBy: FoundFile[][] = EXTRACTORS.map(() => []);
    for (const f of found.files) {
      let claimedAny = false;
      for (let i = 0; i < EXTRACTORS.length; i++) if (EXTRACTORS[i]!.claims(f.rel, f.name)) { claimedBy[i]!.push(f); claimedAny = true; }
      const n = claimedAny ? undefined : notAnalysed(f.rel, f.name, foundAt);
      if (n) unread.push(n);
    }
    byExtractor = new Map(EXTRACTORS.map((x, i) => [x, claimedBy[i]!]));
  } else {
    // A single file: the extractor that claims its name, or the SBOM importer for any JSON.
    if (!info.isFile()) throw new InputError(`is ${fileKind(info)}, not a regular file; not read`, req.target);
    root = dirname(target);
    const name = basename(target);
    const file: FoundFile = { path: target, rel: name, name, size: info.size, explicit: true };
    const x = EXTRACTORS.find((e) => e.claims(name, name)) ?? (/\.(json|xml)$/i.test(name) ? EXTRACTORS.find((e) => e.id === 'sbom') : undefined);
    const later = unreadFormat(name);
    if (!x && later) throw new UsageError(`${req.target}: Marque cannot read ${later.format} yet (${later.ecosystem}); docs/inventory.md, "What Marque reads", lists what it reads`);
    if (!x) throw new Error(`${req.target}: not a file Marque can read (a lockfile or manifest, a package database, an SBOM or a container image; docs/inventory.md, "What Marque reads")`);
    byExtractor = new Map([[x, [file]]]);
  }

  let catalogs: Promise<CatalogSet> | undefined;
  // What the readers read, for the dossier's inputs digest: each file once, hashed as read.
  const inputs = new Map<string, string>();
  // An input's name: its path under the root (a prefix cut, path.relative only for anything else).
  const rootPrefix = root.endsWith(sep) ? root : root + sep;
  const inputName = (path: string) => (path.startsWith(rootPrefix) && !/[\\/]\.{0,2}(?:[\\/]|$)/.test(path.slice(rootPrefix.length - 1)) ? path.slice(rootPrefix.length) : relative(root, path) || basename(path));
  const readInput = (path: string, text: string | undefined): string | undefined => {
    if (text !== undefined) inputs.set(inputName(path), hash('sha256', text, 'hex'));
    return text;
  };
  // Confinement: the scanned tree, and the files named by the request (flags, or marque.yaml's paths, vetted when it was loaded).
  const files = FileAccess.within(root, ...options.rosdepRules, ...options.distributions, ...(options.rosdistroCaches ?? []), ...(options.aptIndexes ?? []));
  const ctx: ExtractContext = {
    root,
    options,
    files,
    catalogs: () => (catalogs ??= openCatalogs({
      rosdistro: options.rosdistro, platform: options.platform,
      rosdistroCaches: options.rosdistroCaches, aptIndexes: options.aptIndexes, db: options.catalogDb,
    }).then((set) => { for (const x of set.problems) problems.push(x); return { ...set, problems: [] }; })),
    problem: (p) => problems.push(p),
    countInput: (path, sha256) => { inputs.set(inputName(path), sha256); },
    beside: (path, limit = LIMITS.manifest) => {
      try { return readInput(path, files.readIfPresentSync(path, limit)); } catch (e) {
        // Files beside a claimed one belong to the scanned folder: a refusal names that folder, not every root the request allows.
        problems.push({ file: relative(root, path) || path, message: e instanceof OutsideRootsError ? 'leads outside the scanned folder; not read' : (e as Error).message, severity: 'warning' });
        return undefined;
      }
    },
    read: async (f) => {
      const limit = f.name === 'package.xml' ? MAX_MANIFEST_BYTES : MAX_FILE_BYTES;
      if (f.size > limit) {
        problems.push({ file: f.rel, message: `file is ${f.size} bytes, over the ${limit}-byte limit; not read`, severity: 'error' });
        return undefined;
      }
      try {
        // A small file is read at once: for the hundreds of package.xml files of a workspace, a promise per
        // open, stat, read and close costs more than the reads themselves.
        return readInput(f.path, f.size <= SYNC_READ_BYTES ? files.readTextSync(f.path, limit) : await files.readText(f.path, limit));
      } catch (e) {
        problems.push({ file: f.rel, message: `cannot read: ${(e as Error).message}`, severity: 'error' });
        return undefined;
      }
    },
  };

  const unresolved: Unresolved[] = [];
  const notes: string[] = [];
  const parts: Pick<Inventory, 'components' | 'dependencies'>[] = [];
  for (const [x, files] of byExtractor) {
    if (files.length === 0) continue;
    req.onProgress?.(`${x.id}: ${files.length} file(s)`);
    const part = await x.extract(files, ctx);
    parts.push(part);
    for (const u of part.unresolved ?? []) unresolved.push(u);
    for (const n of part.notes ?? []) notes.push(n);
    for (const f of part.notAnalysed ?? []) unread.push(f);
  }
  for (const part of req.extra ?? []) { parts.push(part); for (const n of part.notes ?? []) notes.push(n); }
  if (req.subsystems?.length) {
    const composed = await subsystemFragments(req.subsystems, root, async (source) => {
      const sub = await buildInventory({ ...req, target: source, subsystems: undefined, hardware: undefined, extra: undefined, artefacts: undefined, artefactFiles: undefined, exclude: [], include: [], kinds: undefined });
      for (const i of sub.inputs ?? []) inputs.set(`${relative(root, source) || source}/${i.file}`, i.sha256);
      return sub;
    });
    for (const x of composed.parts) parts.push(x);
    for (const n of composed.notes) notes.push(n);
    for (const p of composed.problems) problems.push(p);
  }
  if (req.hardware?.length) parts.push(hardwareFragment(req.hardware));
  let inv = merge(parts);
  // OS packages named without a version get apt's candidate and its Depends closure.
  if (inv.components.some((c) => c.ecosystem === 'deb' && !c.version) || options.aptIndexes?.length) {
    const os = completeOsPackages(inv, (await ctx.catalogs()).apt, options.platform);
    inv = merge([os]);
    for (const u of os.unresolved) unresolved.push(u);
    for (const n of os.notes) notes.push(n);
  }
  // Package files present: each matched component gets the file's name and SHA-512 as read.
  const present = [...(req.artefactFiles ?? [])];
  for (const dir of req.artefacts ?? []) {
    let isFolder = false;
    try { isFolder = statSync(dir).isDirectory(); } catch { /* missing or unreadable: said below */ }
    if (!isFolder) throw new UsageError(`${dir}: not a folder (--artefacts, inventory.artefacts)`);
    req.onProgress?.(`hashing the package files in ${dir}`);
    const found = await artefactsInFolder(resolve(dir));
    present.push(...found.files);
    for (const p of found.problems) problems.push(p);
  }
  if (present.length) {
    const r = await attachArtefacts(inv.components, present);
    for (const p of r.problems) problems.push(p);
    for (const n of r.notes) notes.push(n);
  }
  const done = finish({ ...inv, unresolved, problems, notes, notAnalysed: unread }, root, options, req.kinds, folderScopes(req.include ?? []));
  return { ...done, inputs: [...inputs].map(([file, sha256]) => ({ file, sha256 })).sort((a, b) => (a.file < b.file ? -1 : 1)) };
}

/** One component per purl (gaps filled from later sightings) and one edge per (from, to, kind). */
function merge(parts: Pick<Inventory, 'components' | 'dependencies'>[]): Pick<Inventory, 'components' | 'dependencies'> {
  const merged = new FragmentBuilder();
  for (const p of parts) for (const c of p.components) merged.component(c);
  for (const p of parts) for (const d of p.dependencies) merged.edge(d.from, d.to, d.kind, d);
  return merged.build();
}

/** Folders that hold tests, fixtures and examples: what their lockfiles lock does not ship. */
// fuzz/: cargo-fuzz's and Go's fuzz targets exercise the product, they are not part of it.
const TEST_FOLDERS = new Set(['test', 'tests', 'testing', 'testdata', 'test-data', 'fixtures', '__fixtures__', '__tests__', 'examples', 'example', 'samples', 'fuzz']);
/** Folders that hold documentation: a docs/requirements.txt (mkdocs) or a docs site's package.json builds the manual, not the product. */
const DOC_FOLDERS = new Set(['doc', 'docs', 'documentation']);

/** The scope a file's folder gives what it declares: "test" or "doc" (unless included on purpose), else undefined. */
export function folderScopes(include: readonly string[]): (sourceFile: string | undefined) => 'test' | 'doc' | undefined {
  const included = pathFilter(include);
  return (file) => {
    // Only files of the scanned tree (relative paths): a catalog given by path is not a test fixture of the product.
    if (!file || isAbsolute(file) || file.startsWith('..')) return undefined;
    const parts = file.split('/');
    const folders = parts.slice(0, -1).map((d) => d.toLowerCase());
    const scope = folders.some((d) => TEST_FOLDERS.has(d)) ? 'test' : folders.some((d) => DOC_FOLDERS.has(d)) ? 'doc' : undefined;
    if (!scope) return undefined;
    for (let i = 1; i <= parts.length; i++) if (included(parts.slice(0, i).join('/'))) return undefined;
    return scope;
  };
}

/** Depth and scope for every component; optionally keep only the kinds asked for. */
export function finish(inv: Inventory, root: string, options: InventoryOptions, kinds?: string[], folderScope: (file: string | undefined) => 'test' | 'doc' | undefined = () => undefined): ProductInventory {
  // A dependency list is complete only when every declared dependency is in it (BSI TR-03183-2 §5.2.2).
  const incomplete = new Set(inv.unresolved.map((u) => u.from).filter((f): f is string => !!f));
  for (const c of inv.components) if (incomplete.has(c.purl)) c.dependenciesComplete = false;
  const filter = edgeFilter(kinds);
  const dependencies = inv.dependencies.filter(filter);
  // Roots declared in test, fixture or example folders, or in documentation folders: their closure is
  // scope "test" or "doc" unless the product reaches it.
  const asideRoots = new Map<string, 'test' | 'doc'>();
  for (const c of inv.components) {
    if (!c.root || c.ecosystem === 'ros' || c.ecosystem === 'deb') continue;
    const s = folderScope(c.sourceFile);
    if (s) asideRoots.set(c.purl, s);
  }
  const productView = asideRoots.size ? inv.components.map((c) => (asideRoots.has(c.purl) ? { ...c, root: false } : c)) : inv.components;
  const graph = new DependencyGraph({ components: productView, dependencies });
  const depth = graph.depths();
  const scope = graph.scopes();
  const notes = [...(inv.notes ?? [])];
  for (const [aside, words] of [['test', 'test, fixture or example folders'], ['doc', 'documentation folders']] as const) {
    const roots = new Set([...asideRoots].filter(([, s]) => s === aside).map(([purl]) => purl));
    if (!roots.size) continue;
    const asideGraph = new DependencyGraph({ components: inv.components.map((c) => ({ ...c, root: roots.has(c.purl) })), dependencies });
    for (const [purl, d] of asideGraph.depths()) if (!depth.has(purl)) { depth.set(purl, d); scope.set(purl, aside); }
    const files = [...new Set(inv.components.filter((c) => roots.has(c.purl)).map((c) => c.sourceFile!))].sort();
    notes.push(`${files.length} project(s) in ${words} are scope "${aside}", not shipped: ${files.slice(0, 5).join(', ')}${files.length > 5 ? ', …' : ''} (count one as shipped with --include PATH or inventory.include; skip it with --exclude)`);
  }
  // A workspace does not say which distribution it is built for: the default is an answer nobody gave, so it is said.
  if (options.assumed?.rosdistro && inv.components.some((c) => c.ecosystem === 'ros' && c.root)) {
    const env = process.env['ROS_DISTRO'];
    const platform = `${options.platform.os}:${options.platform.codename}`;
    notes.push(`no ROS distribution was given: the ROS packages are resolved as ${options.rosdistro} on ${platform}${options.assumed.platform ? '' : ' (the platform given)'}, Marque's default; a product built for another distribution gives --rosdistro NAME or inventory.rosdistro in marque.yaml${env && env !== options.rosdistro ? ` (ROS_DISTRO in this shell says ${quote(env, 20)}; Marque does not read the environment, so the answer does not change with the shell)` : ''}`);
  }
  for (const c of inv.components) if (c.declaredScope && scope.has(c.purl)) scope.set(c.purl, c.declaredScope);
  let components: InventoryComponent[] = inv.components.map((c) => ({ ...c, depth: depth.get(c.purl) ?? null, kind: scope.get(c.purl) ?? null }));
  let edges = dependencies;
  if (kinds?.length) {
    // Asked for some kinds only: what those edges do not reach is not part of the answer.
    // A scope the source or the folder decided (npm's dev flag, a test fixture) is asked for by name.
    const decided = (c: InventoryComponent) => (c.declaredScope !== undefined || c.kind === 'test' || c.kind === 'doc') && (SCOPE_ORDER as readonly string[]).includes(c.kind!);
    components = components.filter((c) => c.depth !== null && (!decided(c) || kinds.includes(c.kind!)));
    const kept = new Set(components.map((c) => c.purl));
    edges = dependencies.filter((d) => kept.has(d.from) && kept.has(d.to));
  }
  // A broken file among test fixtures is often broken on purpose (poetry's invalid_lock): said, not fatal.
  const problems = inv.problems.map((p) => (p.severity === 'error' && folderScope(p.file) === 'test' ? { ...p, severity: 'warning' as const, message: `${p.message} (in a test, fixture or example folder: not part of the product)` } : p));
  return { components: sortComponents(components), dependencies: edges, unresolved: inv.unresolved, problems, notes, notAnalysed: inv.notAnalysed ?? [], root, options };
}

function sortComponents(cs: InventoryComponent[]): InventoryComponent[] {
  return cs.sort((a, b) => (a.depth ?? 1e9) - (b.depth ?? 1e9) || (a.purl < b.purl ? -1 : a.purl > b.purl ? 1 : 0));
}
