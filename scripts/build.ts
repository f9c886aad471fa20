// Builds what an installed package carries besides its sources' meaning: "npm run build", and npm
// runs it before packing (prepack). Steps, all by default, or those named:
//   data        the bundled rosdistro and rosdep YAML, parsed once (scripts/prepare-data.ts)
//   web         the browser bundles of the dossier and the dashboard (scripts/build-web.ts)
//   validators  every JSON Schema validator as Ajv standalone code (src/util/validators.ts)
//   js          the command line compiled to JavaScript with source maps (dist/js), which
//               bin/marque.js runs when the TypeScript sources are not there (an installed package)
//   shrinkwrap  (packing only, not a default step) npm-shrinkwrap.json from package-lock.json
//               without the development packages: an install of the package gets exactly the
//               dependency versions the tests ran with, and can install from npm's cache offline
// A clone runs from its TypeScript sources and builds a missing artefact on first use, so
// development needs no build step; "npm test" runs data, web and validators first.
//
//   node scripts/build.ts [data] [web] [validators] [js]
import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, rmSync, type Dirent } from 'node:fs';
import { join } from 'node:path';
import { build, type Plugin } from 'esbuild';
import { prepareData } from './prepare-data.ts';
import { buildWeb } from './build-web.ts';
import { PACKAGE_ROOT } from '../src/util/package.ts';
import { VALIDATORS_DIR, validatorModule, type ValidatorSpec } from '../src/util/validators.ts';
import { writeFileAtomic } from '../src/util/fs.ts';
import { MANIFEST_VALIDATOR } from '../src/manifest/manifest.ts';
import { ASSESSMENT_VALIDATOR } from '../src/attest/assessment.ts';
import { SHAPES, shapeValidator } from '../src/sources/common/shape.ts';

/** Every validator a run may need; a new schema compiled with validator() belongs here. */
export const VALIDATOR_SPECS: ValidatorSpec[] = [
  MANIFEST_VALIDATOR,
  ASSESSMENT_VALIDATOR,
  ...(Object.keys(SHAPES) as (keyof typeof SHAPES)[]).map(shapeValidator),
];

function buildValidators(): string {
  mkdirSync(VALIDATORS_DIR, { recursive: true });
  // Each file replaced whole, then those of validators that no longer exist removed.
  for (const spec of VALIDATOR_SPECS) writeFileAtomic(join(VALIDATORS_DIR, `${spec.name}.cjs`), validatorModule(spec).code);
  const wanted = new Set(VALIDATOR_SPECS.map((s) => `${s.name}.cjs`));
  for (const f of readdirSync(VALIDATORS_DIR)) if (!wanted.has(f)) rmSync(join(VALIDATORS_DIR, f), { force: true });
  return `${VALIDATOR_SPECS.length} validators compiled into dist/validators`;
}

/** A digest of everything the compiled code is made from: the sources and the schemas. */
function sourcesDigest(): string {
  const hash = createHash('sha256');
  for (const dir of ['src', 'web', 'schemas']) {
    const files = (readdirSync(join(PACKAGE_ROOT, dir), { recursive: true, withFileTypes: true }) as Dirent[]).filter((e) => e.isFile()).map((e) => join(e.parentPath, e.name)).sort();
    for (const f of files) hash.update(f.slice(PACKAGE_ROOT.length)).update('\0').update(readFileSync(f)).update('\0');
  }
  return hash.digest('hex').slice(0, 32);
}

/**
 * Dependencies left to node_modules: native code, what finds its own files at run time (the CSAF
 * validator's schemas), copyleft code that must stay replaceable (openpgp, LGPL), the server's and
 * the browser's libraries (loaded only by the commands that need them), and Ajv, which the compiled
 * validators (dist/validators) load themselves. Every other library (permissively licensed, plain
 * JavaScript) is bundled into the chunks: a small command then reads a few files instead of some
 * two hundred CommonJS modules. A new dependency of the first kinds belongs in this list.
 */
const EXTERNAL = ['@napi-rs/lzma', 'playwright-core', 'pg', 'pg-boss', 'fastify', '@fastify/*', '@cyclonedx/cyclonedx-library', 'ajv', 'ajv/*', 'ajv-formats', 'preact', 'preact/*', 'preact-render-to-string', 'htm', 'htm/*', 'chart.js', 'openpgp', '@secvisogram/*', '@viz-js/viz', 'prom-client'];

/**
 * Libraries loaded on first use are written in the sources as calls of
 * "const require = createRequire(import.meta.url)", which Node runs as it is. In the build, that
 * declaration is dropped, so "require('yaml')" is the bundler's: the library is bundled, and still
 * evaluated only when first called. The banner gives each chunk a real require for what stays
 * external, made at its first call: making it (and the chunk's import.meta) as each of the ~30
 * chunks a command loads was evaluated cost ~10 ms of every run.
 */
const REQUIRE_DECLARATION = /^const require = createRequire\(import\.meta\.url\);$/m;
const REQUIRE_BANNER = "let __marqueRequire; const require = (id) => (__marqueRequire ??= process.getBuiltinModule('node:module').createRequire(import.meta.url))(id);";

/**
 * Node's own modules are taken with process.getBuiltinModule instead of an import: importing one
 * as an ES module builds its namespace, which reads every export, lazy ones included (node:fs
 * then loads its promise API and streams, node:util its colours and diff), about 10 ms of every
 * start for nothing a command uses. "import { a, b as c, type T } from 'node:x';" becomes
 * "const { a, b: c } = process.getBuiltinModule('node:x');" (types vanish in the build anyway).
 */
const BUILTIN_IMPORT = /^import \{([^}]*)\} from '(node:[a-z_/]+)';$/gm;
function builtinsByGetter(text: string): string {
  return text.replace(BUILTIN_IMPORT, (_, names: string, id: string) => {
    const values = names.split(',').map((n) => n.trim()).filter((n) => n && !n.startsWith('type ')).map((n) => n.replace(/^(\S+) as (\S+)$/, '$1: $2'));
    return values.length ? `const { ${values.join(', ')} } = process.getBuiltinModule('${id}');` : '';
  });
}

/**
 * packageurl-js makes an Intl.Collator when loaded (about 15 ms: ICU's collation data), only to
 * sort the names of a purl's parts once, which its own table turns into the numbers 0 to 7 first.
 * The build makes the collator on first use and compares one-digit numbers directly, which orders
 * them as the collator does ("0" < "1" < … < "9"); anything else still goes through the collator.
 */
const PURL_COLLATOR = 'const { compare: localeCompare } = new Intl.Collator()';
const PURL_COLLATOR_LAZY = 'let collator; const digit = (v) => typeof v === "number" && Number.isInteger(v) && v >= 0 && v <= 9; const localeCompare = (a, b) => (digit(a) && digit(b) ? Math.sign(a - b) : (collator ??= new Intl.Collator()).compare(a, b))';

const sourceRewrites: Plugin = {
  name: 'source-rewrites',
  setup(b) {
    b.onLoad({ filter: /[\\/]src[\\/].*\.ts$/ }, (args) => ({ contents: builtinsByGetter(readFileSync(args.path, 'utf8').replace(REQUIRE_DECLARATION, '')), loader: 'ts' }));
    b.onLoad({ filter: /[\\/]packageurl-js[\\/]src[\\/]strings\.js$/ }, (args) => {
      const text = readFileSync(args.path, 'utf8');
      // A new packageurl-js that no longer has the line fails the build here, to be looked at again.
      if (!text.includes(PURL_COLLATOR)) throw new Error(`${args.path}: "${PURL_COLLATOR}" not found; see PURL_COLLATOR in scripts/build.ts`);
      return { contents: text.replace(PURL_COLLATOR, PURL_COLLATOR_LAZY), loader: 'js' };
    });
  },
};

/**
 * Libraries the sources load only on first use, with require (src/util/lazy.ts, yaml.ts, xml.ts,
 * catalogs/read.ts), and import nowhere: each is bundled alone into dist/js/vendor/NAME.cjs, which
 * the chunks require through the package's "#vendor/*" import map (package.json "imports"). Bundled
 * into the chunks, a command would compile them with the code that calls them (some 640 KB for a
 * warm inventory, which calls none of them: its marque.yaml and package.xml files come from caches).
 */
const LAZY_LIBRARIES = ['yaml', 'js-yaml', 'fast-xml-parser', 'smol-toml', '@yarnpkg/parsers', 'tar-stream', 'spdx-correct', 'lz4js'];
const vendorName = (lib: string) => lib.replace('/', '+');
const lazyLibraries: Plugin = {
  name: 'lazy-libraries',
  setup(b) {
    const names = new RegExp(`^(?:${LAZY_LIBRARIES.map((l) => l.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')).join('|')})$`);
    b.onResolve({ filter: names }, (args) => {
      // An import would need the library's named exports at load; only require() is sent to vendor/.
      if (args.kind !== 'require-call') throw new Error(`${args.importer} imports ${args.path}, which LAZY_LIBRARIES in scripts/build.ts keeps apart: require it on first use, or take it off the list`);
      return { path: `#vendor/${vendorName(args.path)}`, external: true };
    });
  },
};

async function buildVendor(outdir: string): Promise<void> {
  await Promise.all(LAZY_LIBRARIES.map((lib) => build({
    stdin: { contents: `module.exports = require(${JSON.stringify(lib)});`, resolveDir: PACKAGE_ROOT, sourcefile: `vendor-${vendorName(lib)}.cjs` },
    outfile: join(outdir, 'vendor', `${vendorName(lib)}.cjs`), bundle: true, format: 'cjs', platform: 'node', target: 'node24',
    external: EXTERNAL, sourcemap: 'linked', sourcesContent: true, minifySyntax: true, minifyWhitespace: true, legalComments: 'linked', logLevel: 'warning',
  })));
}

async function buildJs(): Promise<string> {
  const outdir = join(PACKAGE_ROOT, 'dist', 'js');
  rmSync(outdir, { recursive: true, force: true });
  await buildVendor(outdir);
  // One entry, the command line; each command is a dynamic import (src/cli/registry.ts), which
  // esbuild splits into its own chunk, so a run loads only the command it runs. Dependencies stay
  // packages of their own (node_modules), as npm installs them.
  const result = await build({
    entryPoints: { marque: join(PACKAGE_ROOT, 'src/cli/main.ts') },
    define: { MARQUE_BUILD_ID: JSON.stringify(sourcesDigest()) },
    outdir, bundle: true, splitting: true, format: 'esm', platform: 'node', target: 'node24',
    external: EXTERNAL, plugins: [sourceRewrites, lazyLibraries], banner: { js: REQUIRE_BANNER },
    sourcemap: 'linked', sourcesContent: true, chunkNames: 'chunks/[name]-[hash]',
    minifySyntax: true, minifyWhitespace: true, legalComments: 'linked', logLevel: 'warning', metafile: true,
  });
  const bytes = Object.entries(result.metafile.outputs).filter(([f]) => f.endsWith('.js')).reduce((n, [, o]) => n + o.bytes, 0);
  return `${Object.keys(result.metafile.outputs).filter((f) => f.endsWith('.js')).length} modules, ${(bytes / 1024).toFixed(0)} KB, into dist/js; ${LAZY_LIBRARIES.length} libraries loaded on first use into dist/js/vendor`;
}

function shrinkwrap(): string {
  const lock = JSON.parse(readFileSync(join(PACKAGE_ROOT, 'package-lock.json'), 'utf8')) as { packages: Record<string, { dev?: boolean; devOptional?: boolean; devDependencies?: unknown }> };
  const packages: typeof lock.packages = {};
  for (const [path, entry] of Object.entries(lock.packages)) {
    if (entry.dev || entry.devOptional) continue;
    packages[path] = path ? entry : { ...entry, devDependencies: undefined };
  }
  writeFileAtomic(join(PACKAGE_ROOT, 'npm-shrinkwrap.json'), `${JSON.stringify({ ...lock, packages }, null, 2)}\n`);
  return `npm-shrinkwrap.json: ${Object.keys(packages).length - 1} packages`;
}

const STEPS: Record<string, () => string | Promise<string>> = { data: prepareData, web: buildWeb, validators: buildValidators, js: buildJs, shrinkwrap };
const DEFAULT_STEPS = ['data', 'web', 'validators', 'js'];

if (import.meta.main) {
  const asked = process.argv.slice(2);
  const unknown = asked.filter((s) => !(s in STEPS));
  if (unknown.length) {
    process.stderr.write(`build: unknown step ${unknown.join(', ')}; steps: ${Object.keys(STEPS).join(', ')}\n`);
    process.exit(2);
  }
  for (const step of asked.length ? asked : DEFAULT_STEPS) {
    const started = performance.now();
    const what = await STEPS[step]!();
    process.stderr.write(`build ${step}: ${what} (${(performance.now() - started).toFixed(0)} ms)\n`);
  }
}
