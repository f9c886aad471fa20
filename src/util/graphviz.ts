// Graphviz's dot layout as WebAssembly (@viz-js/viz, MIT): every install draws the same picture,
// and none needs a system Graphviz. The module (a megabyte of code and a WebAssembly build of
// Graphviz) is loaded only when a picture is asked for, once per process.
import type { Viz } from '@viz-js/viz';

let viz: Promise<Viz> | undefined;

/** The SVG Graphviz's dot draws for a DOT text; throws with Graphviz's own message when it refuses. */
export async function dotToSvg(dot: string): Promise<string> {
  viz ??= import('@viz-js/viz').then((m) => m.instance());
  const r = (await viz).render(dot, { format: 'svg', engine: 'dot' });
  if (r.status !== 'success') throw new Error(`Graphviz refused the diagram: ${r.errors.map((e) => e.message.trim()).join('; ')}`);
  return r.output;
}
