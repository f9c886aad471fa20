// What a download is: the repository and tag, commit or archive a pull names, turned into a
// Package URL — pkg:github/owner/repo@tag for GitHub, pkg:generic/name@version with its
// download_url and checksum (or its vcs_url) otherwise — or, when the version cannot be known
// without running the build, the reason.
import type { Hash, Provenance } from '../../model/inventory.ts';
import { makePurl } from '../../model/purl.ts';
import { candidates, isKnown, textOf, whyUnknown, type Arg } from './values.ts';
import type { Pull } from './interpret.ts';
import { classifyRef } from './refs.ts';

export interface Identity {
  purl: string;
  name: string;
  /** Empty when not known; then `unknownVersion` says why. */
  version: string;
  ecosystem: 'github' | 'generic';
  unknownVersion?: string;
  /** The git ref, archive URL or revision as written, evaluated. */
  ref?: string;
  /** What the version is pinned to. */
  pin?: 'tag' | 'commit' | 'archive' | 'revision';
  provenance?: Provenance;
  distribution?: string;
  hashes?: Hash[];
  /** purl checksum qualifier entries ("sha256:…"), including algorithms CycloneDX has no name for. */
  checksums?: string[];
}

/** A pull that names no download: its source is a folder of the tree (SOURCE_DIR, VCS_TYPE path). */
export interface LocalSource { local: string }

// ---- refs ---------------------------------------------------------------------------------------

// What a git ref is, kept in a small module of its own: the ROS extractor asks it of a .repos version
// without loading the rest of the CMake reading.
export { classifyRef, type RefKind } from './refs.ts';

// ---- GitHub -------------------------------------------------------------------------------------

export interface GitHubRef { owner: string; repo: string }

/** owner/repo of a GitHub repository URL (https, ssh, git, git+ forms). */
export function githubRepository(url: string): GitHubRef | undefined {
  const m = /^(?:git\+)?(?:(?:https?|git|ssh):\/\/(?:[^@/]+@)?(?:www\.)?github\.com\/|git@github\.com:)([A-Za-z0-9_.-]+)\/([A-Za-z0-9_.-]+?)(?:\.git)?\/?$/.exec(url.trim());
  return m ? { owner: m[1]!, repo: m[2]! } : undefined;
}

/**
 * A repository URL reduced to what names the repository, for telling whether two URLs name the same
 * one: "github.com/owner/repo" in lower case for GitHub (any of its URL forms), else host and path
 * without scheme, user, port-less ssh form ("git@host:path"), ".git" and trailing slashes.
 */
export function repositoryKey(url: string): string | undefined {
  const gh = githubRepository(url);
  if (gh) return `github.com/${gh.owner}/${gh.repo}`.toLowerCase();
  const u = url.trim().replace(/^git\+/, '');
  const m = /^[a-z][a-z0-9+.-]*:\/\/(?:[^@/]+@)?([^/]+)(\/.*)$/i.exec(u) ?? /^(?:[^@/:]+@)?([^/:]+):(?!\/\/)(.+)$/.exec(u);
  if (!m) return undefined;
  const path = m[2]!.replace(/^\/+/, '').replace(/\/+$/, '').replace(/\.git$/, '');
  return path ? `${m[1]!.toLowerCase()}/${path.toLowerCase()}` : undefined;
}

export interface GitHubDownload extends GitHubRef { ref: string; what: 'archive' | 'branch-archive' | 'release-asset' | 'file' }

/** A GitHub download URL: a tag or commit archive, a release asset, a raw file. */
export function githubDownload(url: string): GitHubDownload | undefined {
  const u = url.trim();
  const dec = (s: string) => { try { return decodeURIComponent(s); } catch { return s; } };
  let m = /^https?:\/\/(?:www\.)?github\.com\/([^/]+)\/([^/]+)\/archive\/(refs\/(tags|heads)\/)?(.+?)\.(tar\.gz|tgz|tar\.bz2|tar\.xz|zip)$/.exec(u);
  if (m) return { owner: m[1]!, repo: m[2]!, ref: dec(m[5]!), what: m[4] === 'heads' ? 'branch-archive' : 'archive' };
  m = /^https?:\/\/codeload\.github\.com\/([^/]+)\/([^/]+)\/(?:tar\.gz|zip|legacy\.tar\.gz|legacy\.zip)\/(refs\/(tags|heads)\/)?(.+)$/.exec(u);
  if (m) return { owner: m[1]!, repo: m[2]!, ref: dec(m[5]!), what: m[4] === 'heads' ? 'branch-archive' : 'archive' };
  m = /^https?:\/\/(?:www\.)?github\.com\/([^/]+)\/([^/]+)\/releases\/download\/([^/]+)\/[^/]+$/.exec(u);
  if (m) return { owner: m[1]!, repo: m[2]!, ref: dec(m[3]!), what: 'release-asset' };
  m = /^https?:\/\/raw\.githubusercontent\.com\/([^/]+)\/([^/]+)\/(?:refs\/(?:tags|heads)\/)?([^/]+)\/.+$/.exec(u);
  if (m) return { owner: m[1]!, repo: m[2]!, ref: dec(m[3]!), what: 'file' };
  return undefined;
}

// ---- archives -----------------------------------------------------------------------------------

/** Name and version from an archive's file name ("zstd-1.5.5.tar.gz", "sqlite-amalgamation-3450100.zip"), as CPM infers them. */
export function archiveNameVersion(url: string): { file?: string; name?: string; version?: string } {
  const m = /[/\\?=]([A-Za-z0-9_.+-]+?)\.(tar\.gz|tgz|tar\.bz2|tbz2|tar\.xz|txz|tar\.zst|tar|zip|7z)(?:[?#/]|$)/i.exec(url);
  if (!m) return {};
  const file = m[1]!;
  const nv = /^([A-Za-z0-9_.+-]+?)[_-]v?((?:\d+\.)*\d+[A-Za-z0-9.+-]*)$/.exec(file);
  if (nv) return { file, name: nv[1]!, version: nv[2]! };
  const v = /^v?((?:\d+\.)+\d+[A-Za-z0-9.+-]*)$/.exec(file);
  if (v) return { file, version: v[1]! };
  return { file, name: file };
}

// ---- hashes -------------------------------------------------------------------------------------

const HASH_ALGS: Record<string, Hash['alg']> = { MD5: 'MD5', SHA1: 'SHA-1', SHA256: 'SHA-256', SHA384: 'SHA-384', SHA512: 'SHA-512' };

/** URL_HASH "ALGO=hex" and URL_MD5 "hex", as ExternalProject reads them. */
export function parseUrlHash(urlHash: string | undefined, urlMd5: string | undefined): { hashes: Hash[]; checksums: string[] } {
  const hashes: Hash[] = [];
  const checksums: string[] = [];
  const m = urlHash ? /^([A-Z0-9_]+)=([0-9A-Fa-f]+)$/.exec(urlHash.trim()) : null;
  if (m) {
    const alg = HASH_ALGS[m[1]!];
    if (alg) hashes.push({ alg, value: m[2]!.toLowerCase(), source: 'URL_HASH' });
    checksums.push(`${m[1]!.toLowerCase()}:${m[2]!.toLowerCase()}`);
  }
  if (urlMd5 && /^[0-9A-Fa-f]{32}$/.test(urlMd5.trim())) {
    hashes.push({ alg: 'MD5', value: urlMd5.trim().toLowerCase(), source: 'URL_MD5' });
    checksums.push(`md5:${urlMd5.trim().toLowerCase()}`);
  }
  return { hashes, checksums };
}

// ---- pulls --------------------------------------------------------------------------------------

/** The single known value of a keyword, or the reason it is not known. */
function value(pull: Pull, key: string): { text?: string; why?: string; present: boolean } {
  const a = pull.keys.get(key);
  if (!a || !a.length) return { present: false };
  const first = a[0]!;
  const t = textOf(first);
  if (t !== undefined) return { text: t, present: true };
  return { why: `${key} ${whyUnknown(first)}`, present: true };
}

function cleanName(s: string): string {
  return s.replace(/\.git$/, '') || 'unnamed';
}

function gitIdentity(repoUrl: string, ref: { text?: string; why?: string; present: boolean }, fallbackName: string, refWord: string): Identity {
  const gh = githubRepository(repoUrl);
  const name = gh ? gh.repo.toLowerCase() : cleanName(repoUrl.replace(/[?#].*$/, '').replace(/\/+$/, '').split(/[/:]/).pop() || fallbackName);
  const provenance: Provenance = { type: 'git', url: repoUrl };
  let version = '';
  let unknownVersion: string | undefined;
  let pin: Identity['pin'];
  if (!ref.present) unknownVersion = `no ${refWord}: the default branch at build time`;
  else if (ref.text === undefined) unknownVersion = ref.why;
  else {
    provenance.version = ref.text;
    const kind = classifyRef(ref.text);
    if (kind.kind === 'branch') unknownVersion = `${refWord} ${kind.reason}`;
    else { version = ref.text; pin = kind.kind; }
  }
  const purl = gh
    ? makePurl({ type: 'github', namespace: gh.owner.toLowerCase(), name, version })
    : makePurl({ type: 'generic', name, version, qualifiers: { vcs_url: `git+${repoUrl}${version ? `@${version}` : ''}` } });
  return {
    purl, name, version, ecosystem: gh ? 'github' : 'generic', provenance,
    ...(ref.text !== undefined ? { ref: ref.text } : {}), ...(pin ? { pin } : {}), ...(unknownVersion ? { unknownVersion } : {}),
  };
}

function archiveIdentity(url: string, hash: { hashes: Hash[]; checksums: string[] }, declaredName: string | undefined, declaredVersion?: string): Identity {
  const gh = githubDownload(url);
  const hashes = hash.hashes.length ? { hashes: hash.hashes } : {};
  const checksums = hash.checksums.length ? { checksums: hash.checksums } : {};
  if (gh) {
    const name = gh.repo.toLowerCase();
    const base = { name, ecosystem: 'github' as const, distribution: url, ref: gh.ref, ...hashes, ...checksums, provenance: { type: 'git', url: `https://github.com/${gh.owner}/${gh.repo}`, version: gh.ref } };
    const kind = gh.what === 'branch-archive' ? { kind: 'branch' as const, reason: `"${gh.ref}" is a branch archive: its content changes over time` } : classifyRef(gh.ref);
    // A release asset or archive is named by its tag even when the tag carries no digits.
    if (kind.kind === 'branch' && (gh.what === 'branch-archive' || !hash.hashes.length)) {
      return { ...base, purl: makePurl({ type: 'github', namespace: gh.owner.toLowerCase(), name }), version: '', unknownVersion: kind.reason };
    }
    return { ...base, purl: makePurl({ type: 'github', namespace: gh.owner.toLowerCase(), name, version: gh.ref }), version: gh.ref, pin: kind.kind === 'commit' ? 'commit' : 'tag' };
  }
  const inferred = archiveNameVersion(url);
  const name = inferred.name ?? declaredName ?? inferred.file ?? 'unnamed';
  const version = declaredVersion ?? inferred.version ?? '';
  const qualifiers: Record<string, string> = { download_url: url };
  if (hash.checksums.length) qualifiers['checksum'] = hash.checksums.join(',');
  return {
    purl: makePurl({ type: 'generic', name, version, qualifiers }), name, version, ecosystem: 'generic',
    distribution: url, ref: url, pin: 'archive', ...hashes, ...checksums, provenance: { type: 'url', url },
    ...(version ? {} : { unknownVersion: `the archive's name carries no version (${inferred.file ?? url})` }),
  };
}

function unknownIdentity(name: string, why: string): Identity {
  return { purl: makePurl({ type: 'generic', name: cleanName(name) }), name: cleanName(name), version: '', ecosystem: 'generic', unknownVersion: why };
}

/**
 * The component a pull downloads, or the local folder it builds from. Every unknown is named:
 * a variable not set in the files read, a branch, no tag at all, a custom download command.
 */
export function identify(pull: Pull): Identity | LocalSource {
  const declared = pull.name ?? 'unnamed';
  if (pull.method === 'ament_vendor') {
    const type = value(pull, 'VCS_TYPE').text ?? 'git';
    const url = value(pull, 'VCS_URL');
    if (type === 'path' && url.text) return { local: url.text };
    if (url.text === undefined) return unknownIdentity(declared, url.why ?? 'no VCS_URL');
    if (type === 'tar' || type === 'zip') return archiveIdentity(url.text, { hashes: [], checksums: [] }, declared);
    if (type !== 'git') return unknownIdentity(declared, `VCS_TYPE ${type} is not read`);
    return gitIdentity(url.text, value(pull, 'VCS_VERSION'), declared, 'VCS_VERSION');
  }
  if (pull.method.startsWith('CPM')) return identifyCpm(pull);
  const git = value(pull, 'GIT_REPOSITORY');
  const url = value(pull, 'URL');
  const hash = parseUrlHash(value(pull, 'URL_HASH').text, value(pull, 'URL_MD5').text);
  if (git.present) return git.text === undefined ? unknownIdentity(declared, git.why!) : gitIdentity(git.text, value(pull, 'GIT_TAG'), declared, 'GIT_TAG');
  if (url.present) {
    if (url.text === undefined) return unknownIdentity(declared, url.why!);
    if (!/^[a-z][a-z0-9+.-]*:\/\//i.test(url.text)) return { local: url.text };
    return archiveIdentity(url.text, hash, declared);
  }
  for (const [repoKey, revKey, type] of [['SVN_REPOSITORY', 'SVN_REVISION', 'svn'], ['HG_REPOSITORY', 'HG_TAG', 'hg'], ['CVS_REPOSITORY', 'CVS_TAG', 'cvs']] as const) {
    const repo = value(pull, repoKey);
    if (!repo.present) continue;
    if (repo.text === undefined) return unknownIdentity(declared, repo.why!);
    const rev = value(pull, revKey);
    const revision = rev.text?.replace(/^-r/, '');
    const qualifiers = { vcs_url: `${type}+${repo.text}${revision ? `@${revision}` : ''}` };
    return {
      purl: makePurl({ type: 'generic', name: declared, version: revision, qualifiers }), name: declared, version: revision ?? '', ecosystem: 'generic',
      provenance: { type, url: repo.text, ...(revision ? { version: revision } : {}) }, ...(revision ? { pin: 'revision' as const, ref: revision } : { unknownVersion: `no ${revKey}: the latest revision at build time` }),
    };
  }
  if (pull.keys.has('DOWNLOAD_COMMAND')) return unknownIdentity(declared, 'a custom DOWNLOAD_COMMAND fetches it: what it fetches is not known statically');
  const src = value(pull, 'SOURCE_DIR');
  if (src.text !== undefined) return { local: src.text };
  return unknownIdentity(declared, src.why ?? 'no download named (no GIT_REPOSITORY, URL or SOURCE_DIR)');
}

/** CPM.cmake's CPMAddPackage: the shorthand "gh:owner/repo@version#tag", GITHUB_REPOSITORY, GIT_TAG defaulting to v${VERSION}. */
function identifyCpm(pull: Pull): Identity | LocalSource {
  const keys = new Map(pull.keys);
  const single = pull.positional.length === 1 ? textOf(pull.positional[0]) : undefined;
  if (pull.positional.length === 1 && single === undefined) return unknownIdentity(pull.name ?? 'unnamed', whyUnknown(pull.positional[0]!));
  const set = (k: string, v: string) => keys.set(k, [{ val: { values: [v] }, kind: 'quoted', raw: v }]);
  if (single !== undefined) {
    // cpm_parse_add_package_single_arg, step by step: a key list, then "@version" and "#tag" (or "#hash").
    const scheme = /^([A-Za-z]+):(.+)$/.exec(single);
    const s = scheme?.[1]!.toLowerCase();
    let out: string;
    let git = true;
    if (s === 'gh' || s === 'gl' || s === 'bb') out = `${s === 'gh' ? 'GITHUB' : s === 'gl' ? 'GITLAB' : 'BITBUCKET'}_REPOSITORY;${scheme![2]}`;
    else if (/\.git\/?(@|#|$)/.test(single)) out = `GIT_REPOSITORY;${single}`;
    else if (scheme) { out = `URL;${single}`; git = false; }
    else return unknownIdentity(pull.name ?? single, `CPM cannot tell what "${single}" is`);
    out = out.replace(/@([^@]+)$/, ';VERSION;$1');
    out = out.replace(/#([^#]+)$/, git ? ';GIT_TAG;$1' : ';URL_HASH;$1');
    const parts = out.split(';');
    for (let i = 0; i + 1 < parts.length; i += 2) set(parts[i]!, parts[i + 1]!);
  }
  const text = (k: string) => { const a = keys.get(k)?.[0]; return a ? textOf(a) : undefined; };
  const unknownOf = (k: string): string | undefined => { const a = keys.get(k)?.[0]; return a && textOf(a) === undefined ? `${k} ${whyUnknown(a)}` : undefined; };
  const version = text('VERSION');
  const name = text('NAME');
  for (const [k, host] of [['GITHUB_REPOSITORY', 'https://github.com/'], ['GITLAB_REPOSITORY', 'https://gitlab.com/'], ['BITBUCKET_REPOSITORY', 'https://bitbucket.org/']] as const) {
    if (!keys.has(k)) continue;
    const repo = text(k);
    if (repo === undefined) return unknownIdentity(name ?? 'unnamed', unknownOf(k)!);
    set('GIT_REPOSITORY', `${host}${repo}.git`);
  }
  if (keys.has('GIT_REPOSITORY')) {
    const repo = text('GIT_REPOSITORY');
    if (repo === undefined) return unknownIdentity(name ?? 'unnamed', unknownOf('GIT_REPOSITORY')!);
    const tagArg = keys.get('GIT_TAG')?.[0];
    const ref = tagArg
      ? (textOf(tagArg) !== undefined ? { text: textOf(tagArg)!, present: true } : { why: `GIT_TAG ${whyUnknown(tagArg)}`, present: true })
      : version !== undefined ? { text: `v${version}`, present: true }
        : keys.has('VERSION') ? { why: unknownOf('VERSION'), present: true } : { present: false };
    return gitIdentity(repo, ref, name ?? 'unnamed', 'GIT_TAG');
  }
  if (keys.has('URL')) {
    const url = text('URL');
    if (url === undefined) return unknownIdentity(name ?? 'unnamed', unknownOf('URL')!);
    return archiveIdentity(url, parseUrlHash(text('URL_HASH'), text('URL_MD5')), name, version);
  }
  const src = text('SOURCE_DIR');
  if (src !== undefined) return { local: src };
  return unknownIdentity(name ?? 'unnamed', 'no repository, URL or SOURCE_DIR named');
}

const MAX_VARIANTS = 16;

/**
 * identify(), when an argument has several possible values (set per architecture, say): each
 * combination is identified, and when all name the same release the pull is that release; the
 * differing download URLs are kept in `alternatives`.
 */
export function identifyPull(pull: Pull): (Identity & { alternatives?: string[] }) | LocalSource {
  const multi = [...pull.keys].filter(([, a]) => a[0] && isKnown(a[0].val) && candidates(a[0].val).length > 1);
  if (!multi.length) return identify(pull);
  let variants: Pull[] = [pull];
  for (const [key, args] of multi) {
    const next: Pull[] = [];
    for (const v of variants) for (const c of candidates(args[0]!.val)) {
      const keys = new Map(v.keys);
      keys.set(key, [{ ...args[0]!, val: { values: [c] } }, ...args.slice(1)]);
      next.push({ ...v, keys });
    }
    variants = next;
    if (variants.length > MAX_VARIANTS) return identify(pull);
  }
  const ids = variants.map(identify);
  const first = ids[0]!;
  if ('local' in first || ids.some((i) => 'local' in i)) return identify(pull);
  const same = (i: Identity) => i.name === first.name && i.version === first.version && i.ecosystem === first.ecosystem && !i.unknownVersion && purlBase(i.purl) === purlBase(first.purl);
  if (!(ids as Identity[]).every(same)) return identify(pull);
  const alternatives = [...new Set((ids as Identity[]).map((i) => i.distribution ?? i.provenance?.url ?? '').filter(Boolean))];
  const { distribution: _d, hashes: _h, checksums: _c, ...rest } = first;
  // The purl keeps no download_url or checksum: several files stand for this release.
  const purl = first.ecosystem === 'github' ? first.purl : makePurl({ type: 'generic', name: first.name, version: first.version });
  return { ...rest, purl, alternatives };
}

/** A purl without its qualifiers. */
function purlBase(purl: string): string {
  return purl.replace(/\?.*$/, '');
}

/** Every candidate value an argument may take, for messages. */
export function describe(a: Arg): string {
  return isKnown(a.val) ? candidates(a.val).join(' | ') : `(${a.val.unknown})`;
}
