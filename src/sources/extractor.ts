// One interface for every inventory source, like Syft's catalogers or Renovate's managers:
// an extractor claims files by path, then turns the files it claimed into components and edges.
import type { Inventory, InventoryOptions, Problem } from '../model/inventory.ts';
import type { CatalogSet } from '../catalogs/open.ts';
import type { FileAccess, Stamp } from '../util/file-access.ts';

export interface FoundFile {
  /** Absolute path. */
  path: string;
  /** Path relative to the scanned root, with forward slashes. */
  rel: string;
  name: string;
  size: number;
  /** Named by the user as the target, not found by a folder walk: a file that is not what its name says is then an error, not a warning. */
  explicit?: boolean;
  /**
   * The file's stamp as the walk saw it (FileAccess.stamp), when it had settled before the walk began
   * (settledStamp) and the walk reached it through real folders only: a kept answer taken from a file
   * with this stamp stands for its text without reading it again, as git trusts its index's stat data.
   */
  stamp?: Stamp;
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
  /**
   * A file read outside `read` and `beside`, by a cache checking that what it kept still holds: counted
   * among what the scan read (the inputs digest) as they count it, by its text's SHA-256.
   */
  countInput(path: string, sha256: string): void;
  problem(p: Problem): void;
  /** The rosdistro cache and apt indexes for this platform, opened on first use. */
  catalogs(): Promise<CatalogSet>;
}

/** `notAnalysed`: lockfiles an SBOM Marque wrote says it did not read (sbom/extractor.ts): still not read. */
export type InventoryFragment = Pick<Inventory, 'components' | 'dependencies'> & Partial<Pick<Inventory, 'unresolved' | 'notes' | 'problems' | 'notAnalysed'>>;

export interface Extractor {
  readonly id: string;
  /** Cheap decision on the relative path alone; no I/O. */
  claims(rel: string, name: string): boolean;
  extract(files: FoundFile[], ctx: ExtractContext): Promise<InventoryFragment>;
}
