// Text encodings of input files, told by content: a byte order mark (UTF-8, UTF-16 LE/BE, UTF-32
// LE/BE), or, without one, the pattern of zero bytes the first characters make (XML 1.0 Appendix F,
// RFC 4627 §3): Windows tools write CycloneDX XML and SPDX JSON as UTF-16, and such a file must read
// as the document it is, not as "malformed JSON". Everything else is UTF-8.

export type TextEncoding = 'utf-8' | 'utf-16le' | 'utf-16be' | 'utf-32le' | 'utf-32be';

/** The encoding of `bytes` and the length of its byte order mark (0 when it has none). */
export function detectEncoding(bytes: Uint8Array): { encoding: TextEncoding; bom: number } {
  const [a, b, c, d] = [bytes[0], bytes[1], bytes[2], bytes[3]];
  if (a === 0xef && b === 0xbb && c === 0xbf) return { encoding: 'utf-8', bom: 3 };
  // UTF-32 LE's mark starts like UTF-16 LE's: looked at first.
  if (a === 0xff && b === 0xfe && c === 0 && d === 0 && bytes.length >= 4) return { encoding: 'utf-32le', bom: 4 };
  if (a === 0 && b === 0 && c === 0xfe && d === 0xff) return { encoding: 'utf-32be', bom: 4 };
  if (a === 0xff && b === 0xfe) return { encoding: 'utf-16le', bom: 2 };
  if (a === 0xfe && b === 0xff) return { encoding: 'utf-16be', bom: 2 };
  // No mark: a document starts with an ASCII character ("<", "{", "[", a letter, white space).
  if (bytes.length >= 4) {
    if (a !== 0 && b === 0 && c === 0 && d === 0) return { encoding: 'utf-32le', bom: 0 };
    if (a === 0 && b === 0 && c === 0 && d !== 0) return { encoding: 'utf-32be', bom: 0 };
    if (a !== 0 && b === 0 && c !== 0 && d === 0) return { encoding: 'utf-16le', bom: 0 };
    if (a === 0 && b !== 0 && c === 0 && d !== 0) return { encoding: 'utf-16be', bom: 0 };
  }
  return { encoding: 'utf-8', bom: 0 };
}

function decodeUtf32(bytes: Uint8Array, littleEndian: boolean): string {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const parts: string[] = [];
  let run: number[] = [];
  for (let i = 0; i + 4 <= bytes.length; i += 4) {
    const cp = view.getUint32(i, littleEndian);
    run.push(cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff) ? 0xfffd : cp);
    if (run.length === 8192) { parts.push(String.fromCodePoint(...run)); run = []; }
  }
  if (bytes.length % 4) run.push(0xfffd);
  parts.push(String.fromCodePoint(...run));
  return parts.join('');
}

/** The text of a file's bytes, its byte order mark removed. */
export function decodeText(bytes: Uint8Array): string {
  const { encoding, bom } = detectEncoding(bytes);
  const body = bytes.subarray(bom);
  if (encoding === 'utf-8') return Buffer.from(body.buffer, body.byteOffset, body.byteLength).toString('utf8');
  if (encoding === 'utf-32le' || encoding === 'utf-32be') return decodeUtf32(body, encoding === 'utf-32le');
  return new TextDecoder(encoding).decode(body);
}
