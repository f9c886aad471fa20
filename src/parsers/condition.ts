// Evaluation of package.xml `condition` attributes (REP 149), with the grammar of catkin_pkg's
// condition.py: comparisons `term OP term` joined by `and`/`or` (`and` binds tighter), parentheses,
// `$VAR` substituted as a string (unset → ""), all comparisons on strings, never numbers.

export type ConditionContext = Readonly<Record<string, string | undefined>>;

export class ConditionError extends Error {}

type Token =
  | { t: 'var'; v: string }
  | { t: 'lit'; v: string }
  | { t: 'op'; v: string }
  | { t: '(' } | { t: ')' };

const OPS = ['==', '!=', '<=', '>=', '<', '>'];
const WORD = /[A-Za-z0-9_-]/;
const IDENT = /[A-Za-z0-9_]/;

function tokenize(src: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  while (i < src.length) {
    const c = src[i]!;
    if (/\s/.test(c)) { i++; continue; }
    if (c === '(' || c === ')') { out.push({ t: c }); i++; continue; }
    const op = OPS.find((o) => src.startsWith(o, i));
    if (op) { out.push({ t: 'op', v: op }); i += op.length; continue; }
    if (c === '$') {
      let j = i + 1;
      while (j < src.length && IDENT.test(src[j]!)) j++;
      if (j === i + 1) throw new ConditionError(`'$' without a variable name at column ${i + 1}`);
      out.push({ t: 'var', v: src.slice(i + 1, j) });
      i = j;
      continue;
    }
    if (c === '"' || c === "'") {
      const end = src.indexOf(c, i + 1);
      if (end < 0) throw new ConditionError(`unterminated quoted string at column ${i + 1}`);
      out.push({ t: 'lit', v: src.slice(i + 1, end) });
      i = end + 1;
      continue;
    }
    if (WORD.test(c)) {
      let j = i;
      while (j < src.length && WORD.test(src[j]!)) j++;
      out.push({ t: 'lit', v: src.slice(i, j) });
      i = j;
      continue;
    }
    throw new ConditionError(`unexpected character '${c}' at column ${i + 1}`);
  }
  return out;
}

type Node =
  | { n: 'cmp'; op: string; l: Token; r: Token }
  | { n: 'and' | 'or'; items: Node[] };

/** Parentheses deeper than this are refused: no real condition nests, and recursion must stay bounded. */
const MAX_NESTING = 64;

class Parser {
  private pos = 0;
  private readonly toks: Token[];
  constructor(toks: Token[]) { this.toks = toks; }

  parse(): Node {
    const node = this.or(0);
    if (this.pos < this.toks.length) throw new ConditionError(`unexpected '${show(this.toks[this.pos]!)}'`);
    return node;
  }
  private isWord(w: string): boolean {
    const t = this.toks[this.pos];
    return t !== undefined && t.t === 'lit' && t.v === w;
  }
  // Chains of "and"/"or" are flat lists, so a long chain costs a loop, not a deep recursion.
  private or(depth: number): Node {
    const items = [this.and(depth)];
    while (this.isWord('or')) { this.pos++; items.push(this.and(depth)); }
    return items.length === 1 ? items[0]! : { n: 'or', items };
  }
  private and(depth: number): Node {
    const items = [this.atom(depth)];
    while (this.isWord('and')) { this.pos++; items.push(this.atom(depth)); }
    return items.length === 1 ? items[0]! : { n: 'and', items };
  }
  private atom(depth: number): Node {
    const t = this.toks[this.pos];
    if (!t) throw new ConditionError('unexpected end of condition');
    if (t.t === '(') {
      if (depth >= MAX_NESTING) throw new ConditionError(`parentheses nested more than ${MAX_NESTING} deep`);
      this.pos++;
      const inner = this.or(depth + 1);
      if (this.toks[this.pos]?.t !== ')') throw new ConditionError("missing ')'");
      this.pos++;
      return inner;
    }
    const l = this.term();
    const op = this.toks[this.pos];
    if (!op || op.t !== 'op') throw new ConditionError(`expected a comparison operator after '${show(l)}'`);
    this.pos++;
    return { n: 'cmp', op: op.v, l, r: this.term() };
  }
  private term(): Token {
    const t = this.toks[this.pos];
    if (!t || (t.t !== 'var' && t.t !== 'lit')) throw new ConditionError(`expected a value or $VARIABLE${t ? ` but found '${show(t)}'` : ' at the end'}`);
    this.pos++;
    return t;
  }
}

function show(t: Token): string {
  return t.t === 'var' ? `$${t.v}` : t.t === 'lit' || t.t === 'op' ? t.v : t.t;
}

const cache = new Map<string, Node>();

/** Parses once per distinct expression: real workspaces repeat the same few conditions. */
export function parseCondition(expression: string): Node {
  let node = cache.get(expression);
  if (!node) {
    node = new Parser(tokenize(expression)).parse();
    cache.set(expression, node);
  }
  return node;
}

function value(t: Token, ctx: ConditionContext): string {
  return t.t === 'var' ? String(ctx[t.v] ?? '') : (t as { v: string }).v;
}

function evaluate(node: Node, ctx: ConditionContext): boolean {
  switch (node.n) {
    case 'and': return node.items.every((x) => evaluate(x, ctx));
    case 'or': return node.items.some((x) => evaluate(x, ctx));
    case 'cmp': {
      const a = value(node.l, ctx);
      const b = value(node.r, ctx);
      switch (node.op) {
        case '==': return a === b;
        case '!=': return a !== b;
        case '<': return a < b;
        case '<=': return a <= b;
        case '>': return a > b;
        default: return a >= b;
      }
    }
  }
}

/** True when there is no condition; throws ConditionError on a malformed expression. */
export function evaluateCondition(expression: string | undefined, ctx: ConditionContext): boolean {
  if (expression === undefined || expression.trim() === '') return true;
  return evaluate(parseCondition(expression), ctx);
}
