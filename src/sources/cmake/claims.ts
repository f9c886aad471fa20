// Which files the CMake reading needs from the walk: decided on the path alone, and kept apart from the
// reader so that a scan with no C/C++ in it loads none of it.
import { isLicenseFile, isVersionFile, mainHeaderCandidates, THIRD_PARTY_DIR } from './folder.ts';

/** Files the CMake reading needs from the walk. */
export function claimsCMake(rel: string, name: string): boolean {
  // The ROS and the CMake extractors ask about every file of a tree, one after the other.
  if (rel === lastRel && name === lastName) return lastClaimed;
  lastRel = rel;
  lastName = name;
  return (lastClaimed = name === 'CMakeLists.txt' || name.endsWith('.cmake') || name === '.gitmodules' || isLicenseFile(name) || isVersionFile(name) || inThirdPartyChild(rel));
}
let lastRel = '';
let lastName = '';
let lastClaimed = false;

/**
 * Inside a child of a third-party folder: its own files (they mark it as present), and deeper down
 * only where libraries keep their version (a version header, include/GLFW/glfw3.h). A vendored
 * library's thousands of sources are not claimed: each claim costs a stat.
 */
function inThirdPartyChild(rel: string): boolean {
  // One test of the folder's path first, once per folder (the walk asks about a folder's files one after
  // the other): most files of a tree are under no third-party folder.
  const cut = rel.lastIndexOf('/') + 1;
  if (cut !== lastFolder.length || !rel.startsWith(lastFolder)) {
    lastFolder = rel.slice(0, cut);
    lastFolderUnder = UNDER_THIRD_PARTY_CHILD.test(lastFolder);
  }
  if (!lastFolderUnder) return false;
  const parts = rel.split('/');
  for (let i = 0; i < parts.length - 2; i++) {
    if (!THIRD_PARTY_DIR.test(parts[i]!)) continue;
    const below = parts.length - (i + 2);
    if (below === 1) return true;
    const name = parts[parts.length - 1]!;
    return below <= 3 && (isVersionFile(name) || (/\.(h|hh|hpp|hxx)$/i.test(name) && (/(version|global|config)/i.test(name) || mainHeader(parts[i + 1]!).test(name))));
  }
  return false;
}

/** A path with a third-party folder, a child of it, and something below: what inThirdPartyChild looks at. */
const UNDER_THIRD_PARTY_CHILD = new RegExp(`(?:^|/)${THIRD_PARTY_DIR.source.slice(1, -1)}/[^/]+/`, THIRD_PARTY_DIR.flags);
/** The folder part (with its final "/") of the path inThirdPartyChild was last asked about, and the test's answer for it. */
let lastFolder = '';
let lastFolderUnder = false;

const mainHeaders = new Map<string, RegExp>();
function mainHeader(folder: string): RegExp {
  let r = mainHeaders.get(folder);
  if (!r) mainHeaders.set(folder, (r = mainHeaderCandidates(folder)));
  return r;
}

