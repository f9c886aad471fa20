// Package files that are present (marque sbom --artefacts DIR, or found in an image's layers): each
// is matched to a component by its ecosystem's file-naming convention (names.ts), hashed as a stream
// through the file-access layer, and checked against what the lockfile pins. The component then
// carries the file's name and its SHA-512, the hash saying where it came from. A file whose hash
// differs from the lockfile's is not the file the lockfile installs: it is reported, never used. No
// hash is converted from another algorithm and none is made up.
import { basename } from 'node:path';
import { FileAccess, maxArtefactBytes } from '../../util/file-access.ts';
import type { Component, Hash, Problem } from '../../model/inventory.ts';
import { walk } from '../walk.ts';
import { keysOfComponent, keysOfFile, looksLikePackageFile, type ArtefactRole } from './names.ts';

export type Digests = Partial<Record<Hash['alg'], string>>;

/** A package file present to be matched: its name, where it is (said in every hash's source), and its digests on demand. */
export interface ArtefactFile {
  name: string;
  where: string;
  digests(algs: Hash['alg'][]): Promise<Digests>;
}

export interface ArtefactReport {
  files: number;
  matched: number;
  verified: number;
  notes: string[];
  problems: Problem[];
}

const NODE_ALG: Record<Hash['alg'], string> = { 'SHA-1': 'sha1', 'SHA-256': 'sha256', 'SHA-384': 'sha384', 'SHA-512': 'sha512', MD5: 'md5' };

/** Package files under `dir` (any depth; links only while they stay inside), hashed when asked, each read once. */
export async function artefactsInFolder(dir: string): Promise<{ files: ArtefactFile[]; problems: Problem[] }> {
  const found = await walk(dir, (_rel, name) => looksLikePackageFile(name));
  const access = FileAccess.within(dir);
  const files = found.files.map((f): ArtefactFile => ({
    name: f.name,
    where: `${basename(dir)}/${f.rel}`,
    digests: async (algs) => {
      const r = await access.digest(f.path, algs.map((a) => NODE_ALG[a]), { limit: maxArtefactBytes() });
      return Object.fromEntries(algs.map((a) => [a, r[NODE_ALG[a]]])) as Digests;
    },
  }));
  return { files, problems: found.problems.map((p) => ({ ...p, file: `${basename(dir)}/${p.file}` })) };
}

const sameHash = (a: Hash, digests: Digests) => digests[a.alg] !== undefined && digests[a.alg] === a.value.toLowerCase();

/**
 * Matches files to components and gives each matched component the file's name and SHA-512 (a
 * source archive: its SHA-512 as the source code's hash). Ambiguous names (two components the file
 * could be) are settled by the lockfile's hash, else left alone and said.
 */
export async function attachArtefacts(components: Component[], files: ArtefactFile[]): Promise<ArtefactReport> {
  const byKey = new Map<string, { c: Component; role: ArtefactRole }[]>();
  for (const c of components) for (const k of keysOfComponent(c)) byKey.set(k.key, [...(byKey.get(k.key) ?? []), { c, role: k.role }]);
  const report: ArtefactReport = { files: files.length, matched: 0, verified: 0, notes: [], problems: [] };
  const unmatched: string[] = [];
  const ambiguous: string[] = [];
  for (const file of files) {
    const hits = new Map<Component, ArtefactRole>();
    for (const k of keysOfFile(file.name)) for (const h of byKey.get(k.key) ?? []) if (h.role === k.role) hits.set(h.c, h.role);
    if (!hits.size) { unmatched.push(file.name); continue; }
    // Every algorithm a matched component's lockfile pins is computed too, to check the file is the one pinned.
    const pinned = [...hits.keys()].flatMap((c) => [...(c.hashes ?? []), ...(c.candidateHashes ?? [])]);
    const algs = [...new Set<Hash['alg']>(['SHA-512', ...pinned.map((h) => h.alg)])];
    let digests: Digests;
    try { digests = await file.digests(algs); } catch (e) {
      report.problems.push({ file: file.where, message: `not hashed: ${(e as Error).message}`, severity: 'warning' });
      continue;
    }
    const fits = [...hits].filter(([c]) => {
      const own = (c.hashes ?? []).filter((h) => digests[h.alg] !== undefined);
      const candidates = (c.candidateHashes ?? []).filter((h) => digests[h.alg] !== undefined);
      if (own.some((h) => !sameHash(h, digests))) return false;
      return !candidates.length || candidates.some((h) => sameHash(h, digests));
    });
    if (!fits.length) {
      for (const [c] of hits) report.problems.push({ file: file.where, message: `is not the file ${c.sourceFile ?? 'the input'} pins for ${c.name}@${c.version}: its ${[...new Set([...(c.hashes ?? []), ...(c.candidateHashes ?? [])].map((h) => h.alg))].join(', ')} differs; not used`, severity: 'warning' });
      continue;
    }
    if (fits.length > 1 && !fits.some(([c]) => (c.hashes ?? []).some((h) => sameHash(h, digests)))) { ambiguous.push(`${file.name} (${fits.map(([c]) => c.purl).join(', ')})`); continue; }
    const chosen = fits.length > 1 ? fits.filter(([c]) => (c.hashes ?? []).some((h) => sameHash(h, digests))) : fits;
    for (const [c, role] of chosen) {
      const check = [...(c.hashes ?? []), ...(c.candidateHashes ?? [])].find((h) => sameHash(h, digests));
      if (check) report.verified++;
      report.matched++;
      const source = `computed from ${file.where} as read${check ? `; equal to ${check.source ?? 'the input\'s hash'}` : ''}`;
      const sha512: Hash = { alg: 'SHA-512', value: digests['SHA-512']!, source };
      if (role === 'source') {
        c.sourceHashes = [sha512];
        c.properties = { ...c.properties, 'marque:source-artefact': file.where };
        continue;
      }
      // The file's own hashes replace the input's of the same algorithms (they are equal, or the file was refused above).
      c.hashes = [sha512, ...(c.hashes ?? []).filter((h) => h.alg !== 'SHA-512')];
      if (check?.alg === 'SHA-512' || c.candidateHashes?.length) {
        // A candidate the file equals is the one installed: it becomes the component's own.
        if (check && check.alg !== 'SHA-512' && !c.hashes.some((h) => h.alg === check.alg)) c.hashes.push(check);
        delete c.candidateHashes;
      }
      c.properties = { ...c.properties, 'marque:artefact': file.where };
    }
  }
  const list = (xs: string[]) => `${xs.slice(0, 5).join(', ')}${xs.length > 5 ? `, … ${xs.length - 5} more` : ''}`;
  report.notes.push(`package files present: ${report.files}; ${report.matched} matched to components by their ecosystem's file name (${report.verified} equal to the hash the input pins), SHA-512 computed from each as read`);
  if (unmatched.length) report.notes.push(`${unmatched.length} package file(s) match no component by name and version: ${list(unmatched)}`);
  if (ambiguous.length) report.notes.push(`${ambiguous.length} package file(s) could be more than one component and no pinned hash says which; not used: ${list(ambiguous)}`);
  return report;
}
