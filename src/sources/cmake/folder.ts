// Vendored folders: third-party code copied into the tree. Recognised by where it sits (a child of
// third_party/, 3rdparty/, external/, ...), by its own licence file, by its own project() or
// package.xml; its version from project(VERSION), a version header or file, or its folder's name.

/** Folders whose children are, by convention, other projects' code. */
export const THIRD_PARTY_DIR = /^(third[-_]?party|3rd[-_]?party|thirdparty|external|externals|extern|vendor|vendored|deps)$/i;

const LICENSE_FILE = /^(licen[cs]e|copying|copyright|unlicense)([-._][A-Za-z0-9.-]*)?(\.(txt|md|rst))?$/i;
const VERSION_FILE = /^(version|version\.txt|\.version)$/i;
const VERSION_HEADER = /^([A-Za-z0-9_]*[_-])?version\.(h|hh|hpp|hxx)(\.in)?$/i;

export const isLicenseFile = (name: string): boolean => LICENSE_FILE.test(name);
export const isVersionFile = (name: string): boolean => VERSION_FILE.test(name) || (HEADER_LIKE.test(name) && VERSION_HEADER.test(name));
/** The endings VERSION_HEADER allows, tested first (the walk asks about every file of a tree). */
const HEADER_LIKE = /\.(h|hh|hpp|hxx)(\.in)?$/i;

const VERSION_TEXT = /^v?(\d+(?:[._]\d+)+(?:[-+.]?[0-9A-Za-z.]+)?)$/;

/** The version a header defines: a X_VERSION "1.2.3" string, or X_VERSION_MAJOR/MINOR/PATCH numbers. */
export function versionFromHeader(text: string): string | undefined {
  const defines = new Map<string, string>();
  for (const m of text.matchAll(/^[ \t]*#[ \t]*define[ \t]+([A-Za-z_][A-Za-z0-9_]*)[ \t]+("?)([^"\r\n/]*?)\2[ \t]*(?:\/[/*].*)?\r?$/gm)) {
    if (!defines.has(m[1]!)) defines.set(m[1]!, m[3]!.trim());
  }
  for (const [name, value] of defines) {
    if (!/VERSION(_STR(ING)?)?$/.test(name) || /(MAJOR|MINOR|PATCH|MICRO|NUMBER|HEX|CHECK|AT_LEAST|ENCODE)/.test(name)) continue;
    const v = VERSION_TEXT.exec(value);
    if (v) return v[1]!.replace(/_/g, '.');
  }
  for (const [name, value] of defines) {
    const m = /^(.*?)VERSION_MAJOR$/.exec(name) ?? /^(.*?)MAJOR_VERSION$/.exec(name);
    if (!m || !/^\d+$/.test(value)) continue;
    const prefix = m[1]!;
    const part = (...names: string[]) => names.map((n) => defines.get(n)).find((x) => x !== undefined && /^\d+$/.test(x));
    const minor = part(`${prefix}VERSION_MINOR`, `${prefix}MINOR_VERSION`);
    const patch = part(`${prefix}VERSION_PATCH`, `${prefix}VERSION_MICRO`, `${prefix}VERSION_REVISION`, `${prefix}PATCH_VERSION`, `${prefix}MICRO_VERSION`);
    if (minor !== undefined) return [value, minor, ...(patch !== undefined ? [patch] : [])].join('.');
  }
  return undefined;
}

/** A VERSION or version.txt file: its first word, when it is a version. */
export function versionFromFile(text: string): string | undefined {
  const first = text.trim().split(/\s+/)[0] ?? '';
  return VERSION_TEXT.exec(first)?.[1];
}

/** "date-3.0.4" → date 3.0.4; "sol2-3.5.0" → sol2 3.5.0; "qwt" → qwt. */
export function splitFolderName(folder: string): { name: string; version?: string } {
  const m = /^(.+?)[-_]v?(\d+(?:\.\d+)+[A-Za-z0-9.+-]*)$/.exec(folder);
  return m ? { name: m[1]!, version: m[2]! } : { name: folder };
}

/** Header names worth a look for a version macro in a folder without a version file (nlohmann-json → json.hpp, qwt → qwt_global.h). */
export function mainHeaderCandidates(folder: string): RegExp {
  const words = splitFolderName(folder).name.toLowerCase().split(/[-_.]+/).filter((w) => w.length > 1).map((w) => w.replace(/[^a-z0-9]/g, ''));
  return new RegExp(`^(${words.join('|') || '\\0'})\\d*([_-][a-z0-9]+)?\\.(h|hh|hpp|hxx)$`, 'i');
}

/**
 * A project's version from the variables its CMakeLists sets (GLFW: GLFW_VERSION_FULL; others
 * <NAME>_VERSION_STRING or MAJOR/MINOR/PATCH), when project() itself names none.
 */
export function versionFromVariables(project: string, get: (name: string) => string | undefined): { version: string; variable: string } | undefined {
  const names = [...new Set([project, project.toUpperCase(), project.replace(/[^A-Za-z0-9]/g, '_').toUpperCase()])];
  for (const suffix of ['VERSION_FULL', 'VERSION_STRING', 'VERSION']) {
    for (const n of names) {
      const v = get(`${n}_${suffix}`);
      if (v && VERSION_TEXT.test(v)) return { version: VERSION_TEXT.exec(v)![1]!, variable: `${n}_${suffix}` };
    }
  }
  for (const n of names) {
    const [major, minor, patch] = ['MAJOR', 'MINOR', 'PATCH'].map((p) => get(`${n}_VERSION_${p}`));
    if (major && minor && /^\d+$/.test(major) && /^\d+$/.test(minor)) return { version: [major, minor, ...(patch && /^\d+$/.test(patch) ? [patch] : [])].join('.'), variable: `${n}_VERSION_MAJOR/MINOR/PATCH` };
  }
  return undefined;
}
