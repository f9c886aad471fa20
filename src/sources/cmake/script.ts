// The block structure of a CMake file: if/elseif/else/endif, foreach, while, function, macro and
// block, matched as CMake matches them. A block left open or an end without its start is reported
// with its line, and the file is read on as far as it goes.
import type { Problem } from '../../model/inventory.ts';
import { InputError } from '../../util/errors.ts';
import type { CommandCall } from './lexer.ts';

export type Node =
  | { type: 'command'; call: CommandCall }
  | { type: 'if'; branches: { head: CommandCall; body: Node[] }[]; otherwise?: Node[] }
  | { type: 'loop'; kind: 'foreach' | 'while'; head: CommandCall; body: Node[] }
  | { type: 'define'; kind: 'function' | 'macro'; head: CommandCall; body: Node[] }
  | { type: 'block'; head: CommandCall; body: Node[] };

const OPENERS: Record<string, string> = { if: 'endif', foreach: 'endforeach', while: 'endwhile', function: 'endfunction', macro: 'endmacro', block: 'endblock' };
const CLOSERS = new Set(Object.values(OPENERS));

/** Blocks nested deeper than this are no build file anyone writes: refused, with the line, rather than overflow the stack. */
export const MAX_NESTING = 200;

export function structure(calls: readonly CommandCall[], file: string, problems: Problem[]): Node[] {
  let i = 0;
  let depth = 0;
  const enter = (c: CommandCall) => { if (++depth > MAX_NESTING) throw new InputError(`blocks nested deeper than ${MAX_NESTING}; not read`, file, c.line); };

  /** Reads nodes until one of `stops` (returned, not consumed) or the end. */
  const body = (stops: ReadonlySet<string>): Node[] => {
    const out: Node[] = [];
    while (i < calls.length) {
      const c = calls[i]!;
      if (stops.has(c.name)) return out;
      i++;
      const end = OPENERS[c.name];
      if (c.name === 'if') { enter(c); out.push(ifNode(c)); depth--; }
      else if (end) {
        enter(c);
        const inner = body(new Set([end]));
        if (calls[i]?.name === end) i++;
        else problems.push({ file, line: c.line, message: `${c.name}() is never closed by ${end}()`, severity: 'warning' });
        if (c.name === 'foreach' || c.name === 'while') out.push({ type: 'loop', kind: c.name, head: c, body: inner });
        else if (c.name === 'function' || c.name === 'macro') out.push({ type: 'define', kind: c.name, head: c, body: inner });
        else out.push({ type: 'block', head: c, body: inner });
        depth--;
      } else if (CLOSERS.has(c.name) || c.name === 'elseif' || c.name === 'else') {
        problems.push({ file, line: c.line, message: `${c.name}() without a matching opening command; ignored`, severity: 'warning' });
      } else out.push({ type: 'command', call: c });
    }
    return out;
  };

  const ifStops = new Set(['elseif', 'else', 'endif']);
  const ifNode = (head: CommandCall): Node => {
    const node: { type: 'if'; branches: { head: CommandCall; body: Node[] }[]; otherwise?: Node[] } = { type: 'if', branches: [{ head, body: body(ifStops) }] };
    for (;;) {
      const c = calls[i];
      if (!c) { problems.push({ file, line: head.line, message: 'if() is never closed by endif()', severity: 'warning' }); return node; }
      i++;
      if (c.name === 'endif') return node;
      if (c.name === 'elseif') node.branches.push({ head: c, body: body(ifStops) });
      else node.otherwise = body(ifStops); // else: what follows up to endif
    }
  };

  return body(new Set());
}
