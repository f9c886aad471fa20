// A NUL character (U+0000) in a request: PostgreSQL's text cannot hold one (every statement that
// binds it fails, "invalid byte sequence for encoding UTF8: 0x00"), and no real product name,
// version, purl or advisory id has one. Requests carrying one are refused on both stores alike,
// with where it is, before anything is read or stored.

/** The path of the first string (value or key) holding U+0000, e.g. "sbom › components › 3 › name"; undefined when none. An iterative walk. */
export function nulAt(value: unknown): string | undefined {
  const stack: [unknown, string][] = [[value, '']];
  const at = (path: string, key: string) => (path ? `${path} › ${key}` : key);
  while (stack.length) {
    const [v, path] = stack.pop()!;
    if (typeof v === 'string') { if (v.includes('\0')) return path || '(the value)'; continue; }
    if (Array.isArray(v)) { for (let i = v.length - 1; i >= 0; i--) stack.push([v[i], at(path, String(i))]); continue; }
    if (v !== null && typeof v === 'object') {
      for (const k in v) {
        if (k.includes('\0')) return at(path, JSON.stringify(k));
        stack.push([(v as Record<string, unknown>)[k], at(path, k)]);
      }
    }
  }
  return undefined;
}
