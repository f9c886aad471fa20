// How an ecosystem compares package names where it does not compare them as written.

/** PyPI's normal form of a project name (PEP 503): lower case, every run of "-", "_" and "." one "-". */
export function pep503Name(name: string): string {
  return name.toLowerCase().replace(/[-_.]+/g, '-');
}
