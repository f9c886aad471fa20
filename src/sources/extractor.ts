// One interface for every inventory source, like Syft's catalogers or Renovate's managers:
// an extractor claims files by path, then turns the files it claimed into components and edges.
import type { Inventory, Problem } from '../model/inventory.ts';
import type { ProductInfo } from '../model/product.ts';
import type { CatalogSet } from '../catalogs/open.ts';
import type { FileAccess } from '../util/file-access.ts';

export interface FoundFile {
  /** Absolute path. */
  path: string;
  /** Path relative to the scanned root, with forward slashes. */
  rel: string;
  name: string;
  size: number;
  /** Named by the user as the target, not found by a folder walk: a file that is not what its name says is then an error, not a warning. */
  explicit?: boolean;
}

export interface Platform {
  os: string;        // ubuntu, debian, fedora, rhel, ...
  codename: string;  // noble, bookworm, ...
}

export interface InventoryOptions {
  platform: Platform;
  rosdistro: string;
  /** rosdep rule files in rosdep's order: the first definition of a key wins. */
  rosdepRules: string[];
  /** rosdistro distribution.yaml files; later files override earlier ones (REP 143). */
  distributions: string[];
  /** Extra variables for package.xml conditions, on top of ROS_VERSION/ROS_DISTRO/ROS_PYTHON_VERSION. */
  conditionContext?: Record<string, string>;
  /** rosdistro cache files (released package.xml files) to follow released ROS packages through. */
  rosdistroCaches?: string[];
  /** apt Packages indexes giving OS packages their version, source and dependencies. */
  aptIndexes?: string[];
  /** The database `marque db import` stores catalogs in; used when no file is given. */
  catalogDb?: string;
  /** The product named by the user (--product), for an SBOM that names no subject of its own. */
  subject?: ProductInfo;
}

/** See ExtractContext.beside. */
export type ReadBeside = (path: string, limit?: number) => string | undefined;

export interface ExtractContext {
  root: string;
  options: InventoryOptions;
  /**
   * The only way an extractor reads a file: the scanned tree, and the files the user named (rosdep
   * rules, catalogs). A file beside a claimed one (go.sum, composer.json, os-release) is read through it too.
   */
  files: FileAccess;
  /**
   * A file beside claimed ones (go.sum beside go.mod, an image root's os-release): its text, or
   * undefined when there is none. One that is there but refused (a link out of the tree, a FIFO, too
   * large) is recorded as a problem naming it, and reads as absent.
   */
  beside: ReadBeside;
  /** Read a claimed file with the size limit applied; undefined (and a problem recorded) when it cannot be read. */
  read(file: FoundFile): Promise<string | undefined>;
  problem(p: Problem): void;
  /** The rosdistro cache and apt indexes for this platform, opened on first use. */
  catalogs(): Promise<CatalogSet>;
}

export type InventoryFragment = Pick<Inventory, 'components' | 'dependencies'> & Partial<Pick<Inventory, 'unresolved' | 'notes' | 'problems'>>;

export interface Extractor {
  readonly id: string;
  /** Cheap decision on the relative path alone; no I/O. */
  claims(rel: string, name: string): boolean;
  extract(files: FoundFile[], ctx: ExtractContext): Promise<InventoryFragment>;
}
