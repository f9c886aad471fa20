// Environment markers in Python lockfiles, evaluated for the product: what a lock holds only for another
// platform or another Python than the product's is not installed with it.
//
// What is known: the operating system, when the product declares its platform (marque.yaml inventory.platform,
// --platform): ubuntu:noble is Linux (sys_platform "linux", platform_system "Linux", os_name "posix"), osx is
// macOS ("darwin"). Marque's default platform is an assumption made for ROS, not a fact about a Python
// product, so without a declaration the operating system is unknown. The Python versions are those the lock
// allows (its requires-python, else pyproject.toml's). Nothing else is known (platform_machine, the
// interpreter): a marker on those is undecided. A dependency whose marker is false there is left out, and so is
// a package only such dependencies reach; both are said in a note. An undecided marker keeps what it guards
// (counted as shipping), also said. A dependency missing from the lock whose marker is false is no gap.
import { scopeOfKind, type Dependency, type DependencyKind, type InventoryOptions } from '../../model/inventory.ts';
import type { InventoryFragment } from '../extractor.ts';
import { FragmentBuilder } from '../common/fragment.ts';
import { evaluateMarker, markerVariables, MarkerError, parseMarker, type Marker, type MarkerEnvironment } from '../../parsers/pep508-marker.ts';

/** The product's platform as markers see it. */
export interface MarkerTarget {
  /** The platform declared ("ubuntu:noble"), when one was. */
  platform?: string;
  /** The marker variables it fixes. */
  values: Readonly<Record<string, string>>;
}

const LINUX = new Set([
  'ubuntu', 'debian', 'fedora', 'rhel', 'centos', 'almalinux', 'rocky', 'ol', 'amazon', 'arch', 'manjaro', 'gentoo', 'opensuse',
  'sles', 'alpine', 'nixos', 'openembedded', 'yocto', 'slackware', 'mint', 'raspbian', 'mageia', 'clearlinux', 'void', 'linux',
]);

/** The marker variables an operating system (as rosdep names it) fixes; none for one Marque does not know. */
function osValues(os: string): Record<string, string> {
  if (LINUX.has(os)) return { sys_platform: 'linux', platform_system: 'Linux', os_name: 'posix' };
  if (os === 'osx' || os === 'macos') return { sys_platform: 'darwin', platform_system: 'Darwin', os_name: 'posix' };
  if (os === 'windows') return { sys_platform: 'win32', platform_system: 'Windows', os_name: 'nt' };
  if (os === 'freebsd') return { platform_system: 'FreeBSD', os_name: 'posix' }; // sys_platform carries the release: freebsd14
  return {};
}

/** The target of an inventory: the declared platform's values, nothing when the platform is Marque's default. */
export function markerTarget(options?: Pick<InventoryOptions, 'platform' | 'assumed'>): MarkerTarget {
  if (!options || options.assumed?.platform !== false) return { values: {} };
  return { platform: `${options.platform.os}:${options.platform.codename}`, values: osValues(options.platform.os) };
}

const OS_VARIABLES = new Set(['sys_platform', 'platform_system', 'os_name']);
const SELECTION_VARIABLES = new Set(['extra', 'extras', 'dependency_groups']);
const MAX_LISTED = 6;

/**
 * The markers of one lockfile, evaluated for the target and the Python versions the lock allows. Readers ask
 * it whether a marker excludes the target, record what they leave out for that reason, and hand it their
 * fragment at the end (`apply`) to drop the dependencies that do not hold and what only they reach.
 */
export class LockMarkers {
  private readonly parsed = new Map<string, Marker | MarkerError>();
  private readonly cache = new Map<string, boolean | undefined>();
  /** Dependencies left out: "towncrier → importlib-resources (python_version < "3.10")". */
  private readonly left: string[] = [];
  /** Packages kept under a marker Marque cannot decide, and the variables that left it undecided. */
  private readonly undecided = new Map<string, string>();
  private readonly undecidedVars = new Set<string>();
  private readonly broken = new Set<string>();
  /** Packages not installed on the target, with why. */
  private readonly excluded: string[] = [];

  private readonly target: MarkerTarget;
  readonly requiresPython: string | undefined;
  private readonly file: string;

  constructor(target: MarkerTarget, requiresPython: string | undefined, file: string) {
    this.target = target;
    this.requiresPython = requiresPython;
    this.file = file;
  }

  /** What the markers are decided for, as a note says it: "ubuntu:noble (Linux), Python >=3.10". */
  describe(): string {
    const os = this.target.platform ? `${this.target.platform}${this.target.values['platform_system'] ? ` (${this.target.values['platform_system']})` : ''}` : 'any operating system (no platform declared)';
    return `${os}, Python ${this.requiresPython?.trim() || 'of any version'}`;
  }

  private parse(marker: string): Marker | undefined {
    let m = this.parsed.get(marker);
    if (m === undefined) {
      try { m = parseMarker(marker); } catch (e) { m = e instanceof MarkerError ? e : new MarkerError(String(e)); }
      this.parsed.set(marker, m);
    }
    if (m instanceof MarkerError) { this.broken.add(`${marker} (${m.message})`); return undefined; }
    return m;
  }

  /**
   * Whether a marker holds for the target: true, false, or undefined when Marque cannot decide (or cannot read
   * it). No marker holds. `selection`: the extras and dependency groups asked for (PEP 751's sets); without it,
   * an `extra == "…"` comparison holds, as the edge it guards exists because the extra was asked for.
   */
  holds(marker: string | undefined, selection?: { extras: ReadonlySet<string>; groups: ReadonlySet<string> }): boolean | undefined {
    if (marker === undefined || marker.trim() === '') return true;
    const key = selection ? `${[...selection.extras].join(',')}|${[...selection.groups].join(',')}|${marker}` : marker;
    if (this.cache.has(key)) return this.cache.get(key);
    const m = this.parse(marker);
    const env: MarkerEnvironment = {
      values: this.target.values,
      ...(this.requiresPython ? { requiresPython: this.requiresPython } : {}),
      ...(selection ? { extras: selection.extras, dependencyGroups: selection.groups } : { extraAsked: true }),
    };
    const r = m ? evaluateMarker(m, env) : undefined;
    this.cache.set(key, r);
    return r;
  }

  /** The marker holds nowhere the product runs: what it guards is not installed. */
  excludes(marker: string | undefined): boolean {
    return this.holds(marker) === false;
  }

  /** A dependency the lock does not hold, not reported as a gap because its marker excludes the target. */
  leftOut(what: string, marker: string): void {
    this.left.push(`${what} (${marker})`);
  }

  /** A package kept under a marker that could not be decided (`marker`), or only behind packages that are (`why`). */
  keptUndecided(what: string, marker: string | undefined, why = 'reached only through packages kept under such markers'): void {
    if (this.undecided.has(what)) return;
    this.undecided.set(what, marker ?? why);
    const m = marker === undefined ? undefined : this.parse(marker);
    if (m) for (const v of markerVariables(m)) if (!SELECTION_VARIABLES.has(v) && this.target.values[v] === undefined) this.undecidedVars.add(v);
  }

  /** A package not installed on the target. */
  exclude(what: string, why: string): void {
    this.excluded.push(`${what} (${why})`);
  }

  /**
   * Drop the edges whose condition is false for the target; a component only they reached (from the fragment's
   * roots) goes with them, with its own edges and gaps. A component reached only through undecided conditions
   * is kept and counted. `edges: false` leaves the edges as they are (pylock.toml's are decided by package).
   */
  apply(fragment: InventoryFragment, edges = true): InventoryFragment {
    if (edges) {
      const verdict = new Map<Dependency, boolean | undefined>();
      for (const d of fragment.dependencies) verdict.set(d, d.condition ? this.holds(d.condition) : true);
      const labels = new Map(fragment.components.map((c) => [c.purl, c.version ? `${c.name} ${c.version}` : c.name]));
      const label = (p: string) => labels.get(p) ?? p;
      const roots = fragment.components.filter((c) => c.root).map((c) => c.purl);
      const before = reach(roots, fragment.dependencies);
      const after = reach(roots, fragment.dependencies.filter((d) => verdict.get(d) !== false));
      const gone = new Set([...before].filter((p) => !after.has(p)));
      // Named as kept and counted as shipping: what ships (runtime or optional edges) only because an
      // undecided marker was kept. A dev group's or a Pipfile's develop packages do not ship either way.
      const ships = (d: Dependency) => { const s = scopeOfKind(d.kind); return s === 'runtime' || s === 'optional'; };
      const shipping = reach(roots, fragment.dependencies.filter((d) => verdict.get(d) !== false && ships(d)));
      const sure = reach(roots, fragment.dependencies.filter((d) => verdict.get(d) === true && ships(d)));
      for (const p of shipping) {
        if (sure.has(p)) continue;
        const via = fragment.dependencies.find((d) => d.to === p && verdict.get(d) === undefined && ships(d) && shipping.has(d.from));
        this.keptUndecided(label(p), via?.condition);
      }
      const dropped = fragment.dependencies.filter((d) => verdict.get(d) === false);
      for (const d of dropped) if (after.has(d.from) && after.has(d.to)) this.left.push(`${label(d.from)} → ${label(d.to)} (${d.condition})`);
      for (const p of gone) {
        const via = dropped.find((d) => d.to === p && before.has(d.from));
        this.exclude(label(p), via?.condition ?? 'reached only through packages left out');
      }
      if (dropped.length) {
        const drop = new Set(dropped);
        fragment = {
          ...fragment,
          components: fragment.components.filter((c) => !gone.has(c.purl)),
          dependencies: fragment.dependencies.filter((d) => !drop.has(d) && !gone.has(d.from) && !gone.has(d.to)),
          unresolved: (fragment.unresolved ?? []).filter((u) => !u.from || !gone.has(u.from)),
        };
      }
    }
    const notes = [...(fragment.notes ?? []), ...this.notes()];
    return notes.length ? { ...fragment, notes } : fragment;
  }

  /** What the markers took out or left undecided, said once for the lockfile. */
  notes(): string[] {
    const out: string[] = [];
    // What leaves the inventory is named in full; what stays (with its condition on its edge) is sampled.
    const all = (xs: readonly string[]) => xs.join('; ');
    const list = (xs: readonly string[]) => `${xs.slice(0, MAX_LISTED).join('; ')}${xs.length > MAX_LISTED ? `; … (${xs.length - MAX_LISTED} more)` : ''}`;
    const target = this.describe();
    if (this.excluded.length) out.push(`${this.file}: ${this.excluded.length} package(s) are locked only for environments other than ${target}, where their markers do not hold, and are not installed there, so not in this inventory: ${all(this.excluded)}`);
    if (this.left.length) out.push(`${this.file}: ${this.left.length} dependenc${this.left.length === 1 ? 'y holds' : 'ies hold'} only under markers false for ${target}: not followed, and no gap: ${all(this.left)}`);
    if (this.undecided.size) {
      const vars = [...this.undecidedVars].sort();
      const os = vars.some((v) => OS_VARIABLES.has(v)) && !this.target.platform ? ' (declare the platform, inventory.platform in marque.yaml or --platform, to decide the operating system)' : '';
      out.push(`${this.file}: ${this.undecided.size} package(s) are installed under markers Marque cannot decide for ${target}${vars.length ? ` (${vars.join(', ')})` : ''}: kept, counted as shipping${os}: ${list([...this.undecided].map(([w, m]) => `${w} (${m})`))}`);
    }
    if (this.broken.size) out.push(`${this.file}: ${this.broken.size} marker(s) could not be read, and what they guard is kept: ${list([...this.broken])}`);
    return out;
  }
}

/**
 * A FragmentBuilder whose edges keep every condition they were added under. A requirement can be listed twice
 * with different markers (Poetry's list split by markers, PDM's two lines for one name, two extras of a package
 * asking for the same one): FragmentBuilder keeps the first edge of a kind, so the edge holds where either
 * does — the conditions are joined with `or`, and one added without a condition holds everywhere.
 */
export class ConditionalBuilder extends FragmentBuilder {
  private readonly conditions = new Map<string, (string | null)[]>();

  override edge(from: string, to: string, kind: DependencyKind, extra: { constraint?: string; condition?: string } = {}): void {
    const key = `${from}\n${to}\n${kind}`;
    const list = this.conditions.get(key);
    const c = extra.condition || null;
    if (!list) this.conditions.set(key, [c]);
    else if (!list.includes(c)) list.push(c);
    super.edge(from, to, kind, extra);
  }

  override build(): InventoryFragment {
    const f = super.build();
    for (const d of f.dependencies) {
      const list = this.conditions.get(`${d.from}\n${d.to}\n${d.kind}`);
      if (!list || list.length < 2) continue;
      if (list.includes(null)) delete d.condition;
      else d.condition = list.map((c) => `(${c})`).join(' or ');
    }
    return f;
  }
}

function reach(roots: string[], edges: readonly Dependency[]): Set<string> {
  const out = new Map<string, string[]>();
  for (const d of edges) { const l = out.get(d.from); if (l) l.push(d.to); else out.set(d.from, [d.to]); }
  const seen = new Set(roots);
  const stack = [...roots];
  while (stack.length) for (const to of out.get(stack.pop()!) ?? []) if (!seen.has(to)) { seen.add(to); stack.push(to); }
  return seen;
}

/**
 * The Python versions a lock's own range allows, read as PEP 440 (Poetry writes "^3.9": its caret and tilde
 * are turned into the range they mean; anything else it writes is left unknown).
 */
export function pythonRange(text: unknown): string | undefined {
  if (typeof text !== 'string' || !text.trim()) return undefined;
  const t = text.trim();
  const caret = /^\^\s*(\d+)(?:\.(\d+))?(?:\.(\d+))?$/.exec(t);
  if (caret) {
    const [a, b, c] = [Number(caret[1]), caret[2], caret[3]];
    const upper = a > 0 ? `${a + 1}` : `0.${Number(b ?? 0) + 1}`;
    return `>=${[a, b, c].filter((x) => x !== undefined).join('.')},<${upper}`;
  }
  const tilde = /^~\s*(\d+)\.(\d+)(?:\.(\d+))?$/.exec(t);
  if (tilde) return `>=${[tilde[1], tilde[2], tilde[3]].filter((x) => x !== undefined).join('.')},<${tilde[1]}.${Number(tilde[2]) + 1}`;
  return /^(\s*(===|==|!=|<=|>=|~=|<|>)\s*[0-9][0-9A-Za-z.*+!-]*\s*)(,\s*(===|==|!=|<=|>=|~=|<|>)\s*[0-9][0-9A-Za-z.*+!-]*\s*)*$/.test(t) ? t : undefined;
}
