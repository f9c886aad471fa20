// Libraries loaded on first use: a command pays only for the parsers its inputs need (start-up
// matters when a warm inventory takes 0.3 s).
import { createRequire } from 'node:module';
import type * as AjvModule from 'ajv';
import type * as SmolToml from 'smol-toml';
import type * as YarnParsers from '@yarnpkg/parsers';
import type * as Semver from 'semver';
import type * as TarStream from 'tar-stream';
import type SpdxCorrect from 'spdx-correct';

const require = createRequire(import.meta.url);

let ajvLib: typeof AjvModule | undefined;
export const ajvModule = (): typeof AjvModule => (ajvLib ??= require('ajv') as typeof AjvModule);

let formats: ((a: AjvModule.Ajv) => void) | undefined;
export const addFormats = (a: AjvModule.Ajv): void => { (formats ??= (require('ajv-formats') as { default: (a: AjvModule.Ajv) => void }).default)(a); };

let toml: typeof SmolToml | undefined;
export const tomlModule = (): typeof SmolToml => (toml ??= require('smol-toml') as typeof SmolToml);

// Readers of formats a product may not have: a run without a yarn.lock or an image never loads them.
let yarn: typeof YarnParsers | undefined;
export const yarnParsers = (): typeof YarnParsers => (yarn ??= require('@yarnpkg/parsers') as typeof YarnParsers);

let semverLib: typeof Semver | undefined;
export const semverModule = (): typeof Semver => (semverLib ??= require('semver') as typeof Semver);

let tar: typeof TarStream | undefined;
export const tarModule = (): typeof TarStream => (tar ??= require('tar-stream') as typeof TarStream);

// Most licences are valid SPDX expressions already; the corrector builds large tables when loaded.
let correct: typeof SpdxCorrect | undefined;
export const spdxCorrect = (): typeof SpdxCorrect => (correct ??= require('spdx-correct') as typeof SpdxCorrect);

/** node:fs/promises when an asynchronous file operation first needs it: most runs read synchronously, and loading it costs ~3 ms. */
export const fsPromises = (): typeof import('node:fs/promises') => process.getBuiltinModule('node:fs/promises');
