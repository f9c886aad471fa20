// XML and YAML launch files (launch_xml, launch_yaml): one element tree, the same tags in both,
// attribute values in the frontend substitution language ($(var x), $(find-pkg-share p), …).
import { parseXmlElements, type XmlElement } from '../../util/xml.ts';
import { yaml } from '../../util/yaml.ts';
import { InputError } from '../../util/errors.ts';
import { gap, lit, type Action, type Composable, type Condition, type Part, type ReadLaunch, type Site, type Txt } from './action.ts';

/**
 * Parses "$(name arg …)" substitutions, nested ones included, into parts. As launch's grammar does, a
 * backslash escapes the character after it (`\'` inside a quoted argument is a quote, not its end), and
 * the text keeps that character without the backslash.
 */
export function substitution(text: string): Txt {
  const parts: Part[] = [];
  let i = 0;
  let plain = '';
  const flush = () => { if (plain) { parts.push({ lit: plain }); plain = ''; } };
  while (i < text.length) {
    if (text.startsWith('$(', i)) {
      // Find the matching parenthesis, counting nested "$(" and quotes.
      let depth = 0, j = i, quote: string | undefined;
      for (; j < text.length; j++) {
        const c = text[j]!;
        if (c === '\\') { j++; continue; }
        if (quote) { if (c === quote) quote = undefined; continue; }
        if (c === "'" || c === '"') quote = c;
        else if (c === '(') depth++;
        else if (c === ')' && --depth === 0) break;
      }
      if (j >= text.length) { plain += text.slice(i); break; }
      flush();
      parts.push(one(text.slice(i + 2, j).trim()));
      i = j + 1;
    } else if (text[i] === '\\' && i + 1 < text.length) { plain += text[i + 1]; i += 2; } else plain += text[i++];
  }
  flush();
  return parts;
}

/**
 * An `args` or `ros_args` attribute as launch reads it (ExecuteProcess._parse_cmdline): substitutions stay whole,
 * the text between them is split as a shell would (shlex), and a substitution joins the words it touches, so
 * "--frame $(var frame)_link -v" is three arguments, the second "$(var frame)" followed by "_link".
 */
export function commandLine(text: string): Txt[] {
  const out: Txt[] = [];
  let arg: Txt = [];
  const end = () => { out.push(arg); arg = []; };
  for (const part of substitution(text)) {
    if (!('lit' in part)) { arg.push(part); continue; }
    const tokens = shellWords(part.lit);
    if (!tokens.length) { end(); continue; }
    if (/^\s/.test(part.lit) && arg.length) end();
    arg.push({ lit: tokens[0]! });
    if (tokens.length > 1) { end(); arg.push({ lit: tokens.at(-1)! }); }
    for (const t of tokens.slice(1, -1)) out.push([{ lit: t }]);
    if (/\s$/.test(part.lit)) end();
  }
  if (arg.length) out.push(arg);
  return out;
}

/** shlex.split in POSIX mode: words split on whitespace, with single quotes, double quotes and backslashes as a shell reads them. */
function shellWords(s: string): string[] {
  const out: string[] = [];
  let cur = '', inWord = false, quote: string | undefined;
  for (let i = 0; i < s.length; i++) {
    const c = s[i]!;
    if (quote === "'") { if (c === "'") quote = undefined; else cur += c; continue; }
    if (quote === '"') {
      if (c === '"') quote = undefined;
      else if (c === '\\' && i + 1 < s.length && '\\"$`\n'.includes(s[i + 1]!)) cur += s[++i];
      else cur += c;
      continue;
    }
    if (/\s/.test(c)) { if (inWord) { out.push(cur); cur = ''; inWord = false; } continue; }
    inWord = true;
    if (c === "'" || c === '"') quote = c;
    else if (c === '\\' && i + 1 < s.length) cur += s[++i];
    else cur += c;
  }
  if (inWord) out.push(cur);
  return out;
}

/** Splits a substitution's arguments on spaces outside quotes and outside nested "$(…)"; escapes stay for substitution() to read. */
function words(s: string): string[] {
  const out: string[] = [];
  let cur = '', depth = 0, quote: string | undefined, escaped = false;
  for (const c of s) {
    if (escaped) { cur += c; escaped = false; continue; }
    if (c === '\\') { cur += c; escaped = true; continue; }
    if (quote) { if (c === quote) quote = undefined; else cur += c; continue; }
    if ((c === "'" || c === '"') && depth === 0) { quote = c; continue; }
    if (c === '(') depth++;
    if (c === ')') depth--;
    if (/\s/.test(c) && depth === 0) { if (cur) out.push(cur); cur = ''; continue; }
    cur += c;
  }
  if (cur) out.push(cur);
  return out;
}

function one(body: string): Part {
  const [name = '', ...rest] = words(body);
  const arg = (k: number) => (rest[k] === undefined ? undefined : substitution(rest[k]!));
  switch (name) {
    case 'var': return rest[0] ? { conf: rest[0] } : { gap: '$(var) without a name' };
    case 'find-pkg-share': return { share: arg(0) ?? lit('') };
    case 'find-pkg-prefix': return { prefix: arg(0) ?? lit('') };
    case 'env': case 'optenv': return rest[0] ? { env: rest[0], ...(rest[1] !== undefined || name === 'optenv' ? { dflt: arg(1) ?? lit('') } : {}) } : { gap: '$(env) without a name' };
    case 'dirname': return { thisdir: true };
    case 'exec-in-package': return { execIn: { exec: arg(0) ?? lit(''), pkg: arg(1) ?? lit('') } };
    // One quoted Python expression, as launch's grammar takes it: $(eval "'$(var x)' == 'y'").
    case 'eval': return rest.length === 1 ? { pyexpr: arg(0)! } : { gap: `$(eval …) takes one quoted expression; given ${rest.length} words` };
    case 'not': return { bool: 'not', args: [arg(0) ?? lit('')] };
    case 'and': case 'or': case 'equals': case 'notequals': return { bool: name, args: [arg(0) ?? lit(''), arg(1) ?? lit('')] };
    default: return { gap: `$(${name} …) is resolved only at launch time` };
  }
}

export interface Element { name: string; attrs: Record<string, string>; children: Element[]; line: number }

const tag = (n: string) => n.replace(/-/g, '_');

function conditionOf(e: Element): Condition | undefined {
  if (e.attrs['if'] !== undefined) return { if: substitution(e.attrs['if']) };
  if (e.attrs['unless'] !== undefined) return { unless: substitution(e.attrs['unless']) };
  return undefined;
}

const composable = (e: Element): Composable => {
  const c = conditionOf(e);
  const a = (k: string) => (e.attrs[k] === undefined ? undefined : substitution(e.attrs[k]));
  return { pkg: a('pkg') ?? lit(''), plugin: a('plugin'), name: a('name'), namespace: a('namespace'), line: e.line, ...(c ? { condition: c } : {}) };
};

/** Tags that start processes or bring in other launch files: each written one is accounted for. */
const SITE_TAGS = new Set(['node', 'lifecycle_node', 'node_container', 'composable_node', 'load_composable_node', 'include', 'executable']);

export function elementsToActions(children: Element[], file: string, notes: string[], sites: Site[] = []): Action[] {
  const out: Action[] = [];
  for (const e of children) {
    if (SITE_TAGS.has(tag(e.name))) sites.push({ line: e.line, what: `<${e.name}>` });
    for (const c of e.children) if (tag(c.name) === 'composable_node') sites.push({ line: c.line, what: `<${c.name}>` });
    const condition = conditionOf(e);
    const base = { line: e.line, ...(condition ? { condition } : {}) };
    const a = (k: string) => (e.attrs[k] === undefined ? undefined : substitution(e.attrs[k]));
    const rosArgs = e.attrs['ros_args'] ?? e.attrs['ros-args'];
    // launch_ros puts "--ros-args" before the ros_args it is given (Node's command line).
    const args = (): Txt[] => [...commandLine(e.attrs['args'] ?? ''), ...(rosArgs === undefined ? [] : [lit('--ros-args'), ...commandLine(rosArgs)])];
    switch (tag(e.name)) {
      case 'node': case 'lifecycle_node': case 'node_container':
        out.push({ a: 'node', ...base, kind: tag(e.name) === 'node' ? 'node' : tag(e.name) === 'lifecycle_node' ? 'lifecycle' : 'container', pkg: a('pkg') ?? lit(''), exec: a('exec'), name: a('name'), namespace: a('namespace'), args: args(), composables: e.children.filter((c) => tag(c.name) === 'composable_node').map(composable) });
        break;
      case 'load_composable_node': out.push({ a: 'load', ...base, target: a('target') ?? gap('load_composable_node without a target'), composables: e.children.filter((c) => tag(c.name) === 'composable_node').map(composable) }); break;
      case 'group': out.push({ a: 'group', ...base, scoped: e.attrs['scoped'] !== 'false' && e.attrs['scoped'] !== 'False', sets: [], actions: elementsToActions(e.children, file, notes, sites) }); break;
      case 'push_ros_namespace': out.push({ a: 'push-ns', ...base, ns: a('namespace') ?? lit('') }); break;
      case 'set_env': out.push({ a: 'set-env', ...base, name: a('name') ?? lit(''), value: a('value') ?? lit('') }); break;
      case 'arg': if (e.attrs['name']) out.push({ a: 'declare', ...base, name: e.attrs['name'], ...(e.attrs['default'] !== undefined ? { dflt: substitution(e.attrs['default']) } : {}) }); break;
      case 'let': if (e.attrs['name']) out.push({ a: 'set-config', ...base, name: e.attrs['name'], value: a('value') ?? lit('') }); break;
      case 'include':
        out.push({ a: 'include', ...base, path: a('file') ?? gap('include without a file'), args: e.children.filter((c) => tag(c.name) === 'arg' && c.attrs['name']).map((c): [string, Txt] => [c.attrs['name']!, substitution(c.attrs['value'] ?? c.attrs['default'] ?? '')]) });
        break;
      // launch reads cmd as it reads args (ExecuteProcess.parse → _parse_cmdline): a substitution with spaces is one word.
      case 'executable': out.push({ a: 'process', ...base, cmd: commandLine(e.attrs['cmd'] ?? '') }); break;
      case 'timer': out.push({ a: 'group', ...base, scoped: false, sets: [], actions: elementsToActions(e.children, file, notes, sites) }); break;
      default: break; // parameters, remappings, set_parameter: not architecture
    }
  }
  return out;
}

export function readXmlLaunch(text: string, file: string): ReadLaunch {
  const root: XmlElement = parseXmlElements(text, file);
  if (root.name !== 'launch') throw new InputError(`not a launch file (root element <${root.name}>, expected <launch>)`, file, root.line);
  const notes: string[] = [];
  const sites: Site[] = [];
  const actions = elementsToActions(root.children, file, notes, sites);
  // A roslaunch (ROS 1) file left in a ROS 2 package (mavros_extras's px4flow.launch) is an error to
  // ros2 launch: its <node type=…> has no executable and $(arg …) is no substitution. It starts nothing.
  const marks = roslaunchMarks(root);
  if (marks.length) return { actions: [], notes, sites, unread: `it is a ROS 1 launch file (roslaunch: ${marks.slice(0, 3).join(', ')}), which ros2 launch does not read` };
  return { actions, notes, sites };
}

/** What only roslaunch (ROS 1) writes: `<node type=…>` without `exec`, `<rosparam>`, `$(arg …)`, `$(find …)`; each with its line. */
export function roslaunchMarks(root: XmlElement): string[] {
  const marks = new Map<string, number>();
  const visit = (e: XmlElement) => {
    const add = (what: string) => { if (!marks.has(what)) marks.set(what, e.line); };
    if (e.name === 'node' && e.attrs['type'] !== undefined && e.attrs['exec'] === undefined) add('<node type="…">');
    if (e.name === 'rosparam') add('<rosparam>');
    for (const v of Object.values(e.attrs)) {
      if (/\$\(arg\s/.test(v)) add('$(arg …)');
      if (/\$\(find\s/.test(v)) add('$(find …)');
    }
    for (const c of e.children) visit(c);
  };
  visit(root);
  return [...marks].sort((a, b) => a[1] - b[1]).map(([what, line]) => `${what} at line ${line}`);
}

/** Whether a file's text is a ROS 2 XML launch file: a `<launch>` root and none of roslaunch's marks (read with the same parser). */
export function isRos2XmlLaunch(text: string, file: string): boolean {
  if (!/^\uFEFF?\s*</.test(text)) return false;
  try { const root = parseXmlElements(text, file); return root.name === 'launch' && roslaunchMarks(root).length === 0; } catch { return false; }
}

/** YAML launch files: `launch:` holds a list of one-key maps, each a tag with its attributes. */
export function readYamlLaunch(text: string, file: string): ReadLaunch {
  const Y = yaml();
  const counter = new Y.LineCounter();
  const doc = Y.parseDocument(text, { lineCounter: counter, uniqueKeys: false });
  if (doc.errors.length) { const e = doc.errors[0]!; throw new InputError(`malformed YAML: ${e.message.split('\n')[0]}`, file, e.linePos?.[0]?.line, e.linePos?.[0]?.col); }
  const lineOf = (n: unknown) => { const r = (n as { range?: [number, number, number] } | null)?.range; return r ? counter.linePos(r[0]).line : 0; };
  const scalar = (n: unknown): string | undefined => (Y.isScalar(n) ? (n.value === null ? '' : String(n.value)) : undefined);
  const entries = (seq: unknown): Element[] => {
    if (!Y.isSeq(seq)) return [];
    return seq.items.flatMap((item) => (Y.isMap(item) ? item.items.flatMap((p) => { const k = scalar(p.key); return k ? [element(k, p.value, lineOf(p.key))] : []; }) : []));
  };
  const element = (name: string, value: unknown, line: number): Element => {
    const el: Element = { name, attrs: Object.create(null) as Record<string, string>, children: [], line };
    if (!Y.isMap(value)) return el;
    for (const p of value.items) {
      const k = scalar(p.key);
      if (!k) continue;
      const v = scalar(p.value);
      if (v !== undefined) el.attrs[k] = v;
      else if (k === 'children') el.children.push(...entries(p.value));
      else if (Y.isSeq(p.value)) for (const item of p.value.items) el.children.push(element(k, item, lineOf(item)));
      else if (Y.isMap(p.value)) el.children.push(element(k, p.value, lineOf(p.value)));
    }
    return el;
  };
  const launch = Y.isMap(doc.contents) ? doc.contents.items.find((p) => scalar(p.key) === 'launch')?.value : undefined;
  if (!Y.isSeq(launch)) throw new InputError('not a launch file (no "launch:" list)', file, 1);
  const notes: string[] = [];
  const sites: Site[] = [];
  return { actions: elementsToActions(entries(launch), file, notes, sites), notes, sites };
}
