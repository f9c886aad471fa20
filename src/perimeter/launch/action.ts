// The launch actions Marque understands, whatever file format they were written in. The Python,
// XML and YAML readers each turn a file into these; one interpreter (interpret.ts) then resolves
// them with the launch arguments in scope, as `ros2 launch` would, without running anything.

/**
 * Text whose value is known only once launch arguments are known: a concatenation of parts, as a
 * launch substitution list is. Every part that cannot be resolved statically says why.
 */
export type Part =
  | { lit: string }
  | { conf: string; dflt?: Txt; asBool?: boolean }
  | { share: Txt }
  | { prefix: Txt }
  | { join: Txt[] }
  | { env: string; dflt?: Txt }
  | { pyexpr: Txt }
  | { bool: 'not' | 'and' | 'or' | 'equals' | 'notequals'; args: Txt[] }
  | { thisdir: true }
  | { node: { ns?: Txt; name: Txt } }
  /** An executable of a package (launch_ros ExecutableInPackage, $(exec-in-package exe pkg)). */
  | { execIn: { pkg: Txt; exec: Txt } }
  | { gap: string };
export type Txt = Part[];

export const lit = (s: string): Txt => [{ lit: s }];
export const gap = (why: string): Txt => [{ gap: why }];

export type Condition = { if: Txt } | { unless: Txt } | { equals: string; value: Txt; negate: boolean } | { gap: string };

export interface Composable { pkg: Txt; plugin?: Txt; name?: Txt; namespace?: Txt; line: number; condition?: Condition }

/** `file`: the file the action was written in, when it is not the launch file read (a helper in a local module). */
interface Base { line: number; file?: string; condition?: Condition }
export type Action =
  | Base & { a: 'node'; kind: 'node' | 'lifecycle' | 'container'; pkg: Txt; exec?: Txt; name?: Txt; namespace?: Txt; args: Txt[]; composables: Composable[] }
  | Base & { a: 'load'; target: Txt; composables: Composable[] }
  | Base & { a: 'group'; actions: Action[]; scoped: boolean; sets: [string, Txt][] }
  | Base & { a: 'push-ns'; ns: Txt }
  | Base & { a: 'set-env'; name: Txt; value: Txt }
  | Base & { a: 'declare'; name: string; dflt?: Txt }
  | Base & { a: 'set-config'; name: string; value: Txt }
  | Base & { a: 'include'; path: Txt; args: [string, Txt][] }
  | Base & { a: 'process'; cmd: Txt[] }
  /**
   * OpaqueFunction: its function runs at launch with the launch context, so it is evaluated when the
   * interpreter reaches it, with the launch arguments then known (`context` gives their values).
   */
  | Base & { a: 'opaque'; run: (config: ReadonlyMap<string, string>, budget: Budget) => ReadLaunch }
  | Base & { a: 'gap'; why: string };

/** A launch construct written in a file (Node, ComposableNode, ExecuteProcess, an include…): where, and what. */
export interface Site { line: number; what: string }

/**
 * What a launch file reader gives back: its actions, or why the file could not be read; `sites`, every
 * launch construct the file writes (so that one the reading never reached is named, never dropped);
 * `files`, the other files it read (local modules a Python launch file imports).
 */
/** `unread`: why none of the file's launch constructs is followed, when that holds for the whole file. */
export interface ReadLaunch { actions: Action[]; notes: string[]; sites?: Site[]; files?: string[]; unread?: string }

/**
 * Bounds on static evaluation: a launch file is data here, never a program that may run long or
 * grow without bound. `cells` counts what values are built of (characters of strings, items of lists,
 * parts of substitutions): it bounds memory, as `steps` bounds time.
 */
export interface Budget { steps: number; calls: number; cells: number; exhausted?: string }
export const EVAL_LIMITS = { steps: 1_000_000, calls: 200_000, cells: 20_000_000, string: 1_000_000, list: 100_000, depth: 64 } as const;
export const newBudget = (): Budget => ({ steps: 0, calls: 0, cells: 0 });
