// JSON written in pieces: an SBOM of 50,000 components as one string is hundreds of megabytes of
// UTF-16 (and one more copy on the way out). The output is byte for byte JSON.stringify(value,
// null, 2); only the top level and its arrays are taken apart, each element stringified alone.

const indent = (text: string, pad: string) => text.replace(/\n/g, `\n${pad}`);

export function* jsonChunks(value: unknown): Generator<string> {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) { yield `${JSON.stringify(value, null, 2)}\n`; return; }
  const entries = Object.entries(value).filter(([, v]) => v !== undefined && typeof v !== 'function');
  if (!entries.length) { yield '{}\n'; return; }
  yield '{\n';
  for (const [i, [k, v]] of entries.entries()) {
    const head = `  ${JSON.stringify(k)}: `;
    const tail = i < entries.length - 1 ? ',\n' : '\n';
    if (Array.isArray(v) && v.length) {
      yield `${head}[\n`;
      for (let j = 0; j < v.length; j++) yield `    ${indent(JSON.stringify(v[j] ?? null, null, 2), '    ')}${j < v.length - 1 ? ',\n' : '\n'}`;
      yield `  ]${tail}`;
    } else yield `${head}${indent(JSON.stringify(v, null, 2), '  ')}${tail}`;
  }
  yield '}\n';
}

/** Pieces gathered into writes of about a megabyte: fewer system calls than one per element. */
export function* batched(chunks: Iterable<string>, size = 1 << 20): Generator<string> {
  let buf: string[] = [];
  let len = 0;
  for (const c of chunks) {
    buf.push(c);
    len += c.length;
    if (len >= size) { yield buf.join(''); buf = []; len = 0; }
  }
  if (buf.length) yield buf.join('');
}
