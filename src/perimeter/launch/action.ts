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

interface Base { line: number; condition?: Condition }
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
  | Base & { a: 'gap'; why: string };

/** What a launch file reader gives back: its actions, or why the file could not be read. */
export interface ReadLaunch { actions: Action[]; notes: string[] }
