// The commands that make a build download source: their keywords, as the CMake modules and
// ament_cmake_vendor_package define them, and the parse of a call into keyword → values.
import { textOf, type Arg } from './values.ts';

export type PullMethod = 'ExternalProject_Add' | 'FetchContent_Declare' | 'FetchContent_Populate' | 'ament_vendor' | 'CPMAddPackage' | 'CPMDeclarePackage' | 'CPMFindPackage';

// ExternalProject(3) "Options" and FetchContent(3), which takes the same download options.
const EXTERNAL_PROJECT = [
  'PREFIX', 'TMP_DIR', 'STAMP_DIR', 'LOG_DIR', 'DOWNLOAD_DIR', 'SOURCE_DIR', 'BINARY_DIR', 'INSTALL_DIR',
  'DOWNLOAD_COMMAND', 'DOWNLOAD_EXTRACT_TIMESTAMP', 'URL', 'URL_HASH', 'URL_MD5', 'DOWNLOAD_NAME', 'DOWNLOAD_NO_EXTRACT',
  'DOWNLOAD_NO_PROGRESS', 'TIMEOUT', 'INACTIVITY_TIMEOUT', 'HTTP_USERNAME', 'HTTP_PASSWORD', 'HTTP_HEADER', 'TLS_VERSION',
  'TLS_VERIFY', 'TLS_CAINFO', 'NETRC', 'NETRC_FILE', 'GIT_REPOSITORY', 'GIT_TAG', 'GIT_REMOTE_NAME', 'GIT_SUBMODULES',
  'GIT_SUBMODULES_RECURSE', 'GIT_SHALLOW', 'GIT_PROGRESS', 'GIT_CONFIG', 'GIT_REMOTE_UPDATE_STRATEGY', 'SVN_REPOSITORY',
  'SVN_REVISION', 'SVN_USERNAME', 'SVN_PASSWORD', 'SVN_TRUST_CERT', 'HG_REPOSITORY', 'HG_TAG', 'CVS_REPOSITORY', 'CVS_MODULE',
  'CVS_TAG', 'UPDATE_COMMAND', 'UPDATE_DISCONNECTED', 'PATCH_COMMAND', 'CONFIGURE_COMMAND', 'CMAKE_COMMAND', 'CMAKE_GENERATOR',
  'CMAKE_GENERATOR_PLATFORM', 'CMAKE_GENERATOR_TOOLSET', 'CMAKE_GENERATOR_INSTANCE', 'CMAKE_ARGS', 'CMAKE_CACHE_ARGS',
  'CMAKE_CACHE_DEFAULT_ARGS', 'SOURCE_SUBDIR', 'CONFIGURE_HANDLED_BY_BUILD', 'BUILD_COMMAND', 'BUILD_IN_SOURCE', 'BUILD_ALWAYS',
  'BUILD_BYPRODUCTS', 'BUILD_JOB_SERVER_AWARE', 'INSTALL_COMMAND', 'INSTALL_BYPRODUCTS', 'INSTALL_JOB_SERVER_AWARE', 'TEST_COMMAND',
  'TEST_BEFORE_INSTALL', 'TEST_AFTER_INSTALL', 'TEST_EXCLUDE_FROM_MAIN', 'LOG_DOWNLOAD', 'LOG_UPDATE', 'LOG_PATCH', 'LOG_CONFIGURE',
  'LOG_BUILD', 'LOG_INSTALL', 'LOG_TEST', 'LOG_MERGED_STDOUTERR', 'LOG_OUTPUT_ON_FAILURE', 'USES_TERMINAL_DOWNLOAD',
  'USES_TERMINAL_UPDATE', 'USES_TERMINAL_PATCH', 'USES_TERMINAL_CONFIGURE', 'USES_TERMINAL_BUILD', 'USES_TERMINAL_INSTALL',
  'USES_TERMINAL_TEST', 'DEPENDS', 'EXCLUDE_FROM_ALL', 'STEP_TARGETS', 'INDEPENDENT_STEP_TARGETS', 'LIST_SEPARATOR',
  'ENVIRONMENT_MODIFICATION', 'CONFIGURE_ENVIRONMENT_MODIFICATION', 'BUILD_ENVIRONMENT_MODIFICATION', 'INSTALL_ENVIRONMENT_MODIFICATION',
  'TEST_ENVIRONMENT_MODIFICATION',
];
const FETCH_CONTENT = [...EXTERNAL_PROJECT, 'FIND_PACKAGE_ARGS', 'OVERRIDE_FIND_PACKAGE', 'SYSTEM', 'SUBBUILD_DIR', 'QUIET'];
// ament_cmake_vendor_package/cmake/ament_vendor.cmake: cmake_parse_arguments(_ARG "GLOBAL_HOOK;SKIP_INSTALL"
// "SOURCE_SUBDIR;VCS_TYPE;VCS_URL;VCS_VERSION;SATISFIED" "CMAKE_ARGS;PATCHES" ${ARGN}).
const AMENT_VENDOR = ['GLOBAL_HOOK', 'SKIP_INSTALL', 'SOURCE_SUBDIR', 'VCS_TYPE', 'VCS_URL', 'VCS_VERSION', 'SATISFIED', 'CMAKE_ARGS', 'PATCHES'];
// CPM.cmake's CPMAddPackage: its one-value and multi-value arguments, plus what it passes on to FetchContent.
const CPM = ['NAME', 'FORCE', 'VERSION', 'GIT_TAG', 'DOWNLOAD_ONLY', 'GITHUB_REPOSITORY', 'GITLAB_REPOSITORY', 'BITBUCKET_REPOSITORY',
  'GIT_REPOSITORY', 'SOURCE_DIR', 'FIND_PACKAGE_ARGUMENTS', 'NO_CACHE', 'SYSTEM', 'GIT_SHALLOW', 'EXCLUDE_FROM_ALL', 'SOURCE_SUBDIR',
  'CUSTOM_CACHE_KEY', 'URL', 'OPTIONS', 'DOWNLOAD_COMMAND', 'PATCHES', 'URL_HASH', 'URL_MD5', 'PATCH_COMMAND', 'DOWNLOAD_NAME'];

/** Command (lower case) → what it is and its keywords. */
export const PULL_COMMANDS: ReadonlyMap<string, { method: PullMethod; keywords: ReadonlySet<string>; named: boolean }> = new Map([
  ['externalproject_add', { method: 'ExternalProject_Add', keywords: new Set(EXTERNAL_PROJECT), named: true }],
  ['fetchcontent_declare', { method: 'FetchContent_Declare', keywords: new Set(FETCH_CONTENT), named: true }],
  ['fetchcontent_populate', { method: 'FetchContent_Populate', keywords: new Set(FETCH_CONTENT), named: true }],
  ['ament_vendor', { method: 'ament_vendor', keywords: new Set(AMENT_VENDOR), named: true }],
  ['cpmaddpackage', { method: 'CPMAddPackage', keywords: new Set(CPM), named: false }],
  ['cpmdeclarepackage', { method: 'CPMDeclarePackage', keywords: new Set(CPM), named: false }],
  ['cpmfindpackage', { method: 'CPMFindPackage', keywords: new Set(CPM), named: false }],
] as const);

/**
 * Keyword → the arguments after it (cmake_parse_arguments' reading: a keyword is a known word that
 * is an argument on its own; a keyword given twice keeps its last values).
 */
export function parseKeywords(args: readonly Arg[], keywords: ReadonlySet<string>): Map<string, Arg[]> {
  const out = new Map<string, Arg[]>();
  let current: Arg[] | undefined;
  for (const a of args) {
    const t = a.kind === 'unquoted' ? textOf(a) : undefined;
    if (t !== undefined && keywords.has(t)) {
      current = [];
      out.set(t, current);
      continue;
    }
    current?.push(a);
  }
  return out;
}
