// Shell-style patterns as anchored regular expressions: "*" is any run of characters. "?" is one
// character only where asked (SROS2's fnmatch); in purl patterns it stays literal, as it starts the qualifiers.
export function globToRegExp(pattern: string, questionMarkWildcard = false): RegExp {
  const escaped = pattern.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*');
  return new RegExp(`^${questionMarkWildcard ? escaped.replace(/\\\?/g, '.') : escaped}$`);
}
