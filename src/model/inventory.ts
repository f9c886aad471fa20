// Domain types of the inventory: components, dependencies, problems. Every source and every
// output speaks these types; nothing format-specific belongs here.
import type { Platform } from './platforms.ts';
import type { ProductInfo } from './product.ts';

/** Ecosystems Marque knows. `ros` is a ROS source package (from a workspace). */
export type Ecosystem =
  | 'ros' | 'npm' | 'pypi' | 'cargo' | 'deb' | 'golang' | 'maven' | 'gem' | 'nuget'
  | 'composer' | 'conan' | 'apk' | 'rpm' | 'hex' | 'pub' | 'github' | 'generic';

/**
 * What a dependency edge means. ROS kinds follow the package.xml tags after catkin_pkg's
 * normalisation (REP 140/149); lockfile kinds follow the package managers' own words.
 */
export type DependencyKind =
  | 'build' | 'build_export' | 'buildtool' | 'buildtool_export' | 'exec' | 'test' | 'doc'
  | 'runtime' | 'dev' | 'optional' | 'peer';

/** Coarse class of a dependency: does it ship (runtime) or only serve building, testing, docs? */
export type Scope = 'runtime' | 'optional' | 'build' | 'dev' | 'test' | 'doc';

/** Ordered from "ships with the product" to "only for documentation". */
export const SCOPE_ORDER: readonly Scope[] = ['runtime', 'optional', 'build', 'dev', 'test', 'doc'];

const KIND_SCOPE: Record<DependencyKind, Scope> = {
  // bloom puts exec, build_export and buildtool_export into a binary's Depends (REP 140).
  exec: 'runtime', build_export: 'runtime', buildtool_export: 'runtime', runtime: 'runtime',
  peer: 'runtime', optional: 'optional',
  build: 'build', buildtool: 'build',
  dev: 'dev', test: 'test', doc: 'doc',
};

export function scopeOfKind(kind: DependencyKind): Scope {
  return KIND_SCOPE[kind];
}

export interface Person { name?: string; email?: string; url?: string }

export interface SourceLocation { file: string; line?: number }

/** Where the component's source comes from (a .repos entry, a git URL, a registry tarball). */
/**
 * The properties the GIT matcher reads (advisories/match.ts repositoryOf) besides the provenance URL: a
 * released ROS package's name, its upstream release (the tag) and its source repository. An SBOM
 * carries them, so a component read back from one (the team server's releases) is matched alike.
 */
export const REPOSITORY_PROPERTIES = ['ros:package', 'ros:upstream-version', 'ros:url:repository'] as const;

/**
 * The source package an OS package was built from, which Debian and Alpine advisories name (advisories/match.ts):
 * libssl3's advisories are openssl's.
 */
export const SOURCE_PACKAGE_PROPERTIES = ['deb:source', 'apk:origin'] as const;

/**
 * The properties an SBOM carries that Marque reads back (its own SBOMs, the team server's releases), so that a
 * component read from one is matched and its coverage stated as in the run that wrote it: REPOSITORY_PROPERTIES,
 * whether a released ROS package's own dependencies were followed, with its distribution (closure gaps), and an OS
 * package's source package (SOURCE_PACKAGE_PROPERTIES).
 */
export const READ_BACK_PROPERTIES = [...REPOSITORY_PROPERTIES, 'marque:closure', 'ros:distro', ...SOURCE_PACKAGE_PROPERTIES] as const;

export interface Provenance {
  type: string;      // git, hg, svn, tar, registry, ...
  url: string;
  version?: string;  // branch, tag or commit for VCS; absent when unknown
}

export interface Hash {
  alg: 'SHA-1' | 'SHA-256' | 'SHA-384' | 'SHA-512' | 'MD5';
  value: string;
  /** Where the value was found or how it was made ("package-lock.json integrity", "computed from the file artefacts/x.tgz"): no hash without one. */
  source?: string;
}

/** What a component is, in CycloneDX's words; a library unless said otherwise. */
export type ComponentType = 'library' | 'application' | 'framework' | 'container' | 'operating-system' | 'device' | 'firmware';

export interface Component {
  purl: string;
  type?: ComponentType;
  name: string;
  /** Namespace kept apart from the name where the source has one (Maven groupId, CycloneDX group). */
  group?: string;
  /** Empty string when the version cannot be known offline (e.g. an apt package named by rosdep). */
  version: string;
  ecosystem: Ecosystem;
  /** SPDX expression when the declared licence maps to one. */
  licenses: string[];
  /** The licence text exactly as declared, kept when it is not SPDX. */
  licensesDeclared?: string[];
  supplier?: Person;
  maintainers?: Person[];
  authors?: Person[];
  description?: string;
  /** Hashes of the component's deployable file (one file: the package archive, the binary). */
  hashes?: Hash[];
  /** Hashes a lockfile accepts for one of a release's files without saying which is installed (pip's --hash): not the component's own. */
  candidateHashes?: Hash[];
  /** Hashes of the source archive the component is built from (a ROS release tarball), when that file was read. */
  sourceHashes?: Hash[];
  homepage?: string;
  /** URL of the downloadable artefact (tarball, wheel, crate). */
  distribution?: string;
  provenance?: Provenance;
  /** Package manager or build type detail, e.g. ament_cmake, ament_python. */
  buildType?: string;
  /** File that declared the component, relative to the scanned directory. */
  sourceFile?: string;
  /**
   * Where the dependency graph starts: the product's own projects, and what an image's package
   * manager installed on request (dpkg's manually installed packages). Depth counts from these.
   */
  root?: boolean;
  /**
   * First-party: the product's own code, built from its own sources (a ROS workspace package, a
   * lockfile's or manifest's own project and workspaces, a subsystem marque.yaml declares). An
   * image's packages, a lockfile's dependencies and released ROS packages are third-party (absent).
   */
  firstParty?: boolean;
  /** The product itself as an input SBOM names it (its subject): not one of its own components. */
  subject?: boolean;
  /** The scope the source itself states (npm's dev/optional flags): it wins over the scope the graph gives. */
  declaredScope?: Scope;
  /** Whether this component's own dependencies are fully known (BSI TR-03183-2 §5.2.2). */
  dependenciesComplete?: boolean;
  /** Extra key/value facts (rosdep key, installer, distro, ...). */
  properties?: Record<string, string>;
}

export interface Dependency {
  from: string;   // purl
  to: string;     // purl
  kind: DependencyKind;
  /** Declared version constraint in the source's own syntax, e.g. ">=1.11.2" or "^4.19.0". */
  constraint?: string;
  /** Condition expression under which the edge holds (package.xml format 3). */
  condition?: string;
}

/** A dependency that could not be turned into a component. Never dropped silently. */
export interface Unresolved {
  key: string;
  package: string;
  /** Purl of the component that declared it: its dependency list is then not complete. */
  from?: string;
  file: string;
  line?: number;
  kind?: DependencyKind;
  reason: string;
}

/** Input that could not be read or parsed. The rest of the scan goes on. */
export interface Problem {
  file: string;
  line?: number;
  column?: number;
  message: string;
  severity: 'error' | 'warning';
}

/** A lockfile or manifest Marque found but cannot read: what it locks is missing from the inventory. */
export interface NotAnalysed { file: string; ecosystem: string; format: string; reason: string }

export interface Inventory {
  components: Component[];
  dependencies: Dependency[];
  unresolved: Unresolved[];
  problems: Problem[];
  /** Files found but not read; never dropped silently. */
  notAnalysed?: NotAnalysed[];
  /** What the inventory could not see, said once (e.g. "depth stops at released ROS packages"). */
  notes?: string[];
}

export function emptyInventory(): Inventory {
  return { components: [], dependencies: [], unresolved: [], problems: [] };
}

/** How an inventory is taken: the platform and ROS distribution it resolves for, and the files it reads. */
export interface InventoryOptions {
  platform: Platform;
  rosdistro: string;
  /** Neither a distribution (--rosdistro, --distribution, marque.yaml) nor a platform was given: Marque's defaults were used. */
  assumed?: { rosdistro: boolean; platform: boolean };
  /** rosdep rule files in rosdep's order: the first definition of a key wins. */
  rosdepRules: string[];
  /** rosdistro distribution.yaml files; later files override earlier ones (REP 143). */
  distributions: string[];
  /** Extra variables for package.xml conditions, on top of ROS_VERSION/ROS_DISTRO/ROS_PYTHON_VERSION. */
  conditionContext?: Record<string, string>;
  /** The toolchains that build the product (marque.yaml inventory.toolchains): `go` gives Go's standard library its version. */
  toolchains?: { go?: string };
  /** rosdistro cache files (released package.xml files) to follow released ROS packages through. */
  rosdistroCaches?: string[];
  /** apt Packages indexes giving OS packages their version, source and dependencies. */
  aptIndexes?: string[];
  /** The database `marque db import` stores catalogs in; used when no file is given. */
  catalogDb?: string;
  /** The product named by the user (--product), for an SBOM that names no subject of its own. */
  subject?: ProductInfo;
}

/** A component as the product inventory lists it: how deep in the tree, and under which scope. */
export interface InventoryComponent extends Component {
  depth: number | null;
  kind: Scope | null;
}

export interface ProductInventory extends Inventory {
  components: InventoryComponent[];
  notes: string[];
  notAnalysed: NotAnalysed[];
  root: string;
  options: InventoryOptions;
  /** The files the readers read (relative to `root`, a subsystem's under its source), each with the SHA-256 of its text as read. */
  inputs?: { file: string; sha256: string }[];
}
