// Escaping for HTML written by hand (the dossier's head, the documents export): one function per
// context. Views rendered by Preact are escaped by Preact; everything interpolated into a template
// string goes through one of these.

/** Text between tags: a value cannot open a tag or an entity. */
export function escapeHtmlText(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** A quoted attribute value (either quote): a value cannot close the attribute and add another. */
export function escapeHtmlAttr(s: string): string {
  return escapeHtmlText(s).replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}
