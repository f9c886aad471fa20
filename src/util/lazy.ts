// Libraries loaded on first use: a command pays only for the parsers its inputs need (start-up
// matters when a warm inventory takes 0.3 s).
import { createRequire } from 'node:module';
import type * as AjvModule from 'ajv';
import type * as SmolToml from 'smol-toml';

const require = createRequire(import.meta.url);

let ajvLib: typeof AjvModule | undefined;
export const ajvModule = (): typeof AjvModule => (ajvLib ??= require('ajv') as typeof AjvModule);

let formats: ((a: AjvModule.Ajv) => void) | undefined;
export const addFormats = (a: AjvModule.Ajv): void => { (formats ??= (require('ajv-formats') as { default: (a: AjvModule.Ajv) => void }).default)(a); };

let toml: typeof SmolToml | undefined;
export const tomlModule = (): typeof SmolToml => (toml ??= require('smol-toml') as typeof SmolToml);
