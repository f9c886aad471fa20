import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline/promises';
import { MANIFEST_NAME, parseManifest } from '../../manifest/manifest.ts';
import { manifestTemplate, type InitAnswers } from '../../manifest/template.ts';
import { CATEGORIES } from '../../cra/rules/categories.ts';
import { UsageError } from '../../util/errors.ts';
import { EXIT, type Command } from '../command.ts';
import { writeFileAtomic } from '../io.ts';

export const initCommand: Command = {
  name: 'init',
  summary: 'write a commented marque.yaml (asks on a terminal, takes flags otherwise)',
  usage: `marque init [DIR] [--name N] [--version V] [--manufacturer M] [--email E] [--open-source]
            [--core-function ID]... [--platform OS:CODENAME] [--rosdistro NAME] [--support-end YYYY-MM]
            [--main-establishment CC] [--force] [--json]

  --core-function ID   Annex III/IV category id, e.g. III-II-2 (firewall); see "marque classify --help"
  --force              overwrite an existing marque.yaml`,
  options: {
    name: { type: 'string' }, version: { type: 'string' }, manufacturer: { type: 'string' }, email: { type: 'string' },
    'open-source': { type: 'boolean' }, 'core-function': { type: 'string', multiple: true }, platform: { type: 'string' },
    rosdistro: { type: 'string' }, 'support-end': { type: 'string' }, 'main-establishment': { type: 'string' },
    force: { type: 'boolean' }, json: { type: 'boolean' },
  },
  async run(positionals, flags, io) {
    const dir = resolve(positionals[0] ?? '.');
    const file = join(dir, MANIFEST_NAME);
    if (existsSync(file) && !flags['force']) throw new UsageError(`${file} exists; use --force to overwrite`);
    const a: InitAnswers = {
      name: (flags['name'] as string | undefined) ?? '',
      version: (flags['version'] as string | undefined) ?? '',
      manufacturer: flags['manufacturer'] as string | undefined,
      email: flags['email'] as string | undefined,
      openSource: Boolean(flags['open-source']),
      coreFunctions: (flags['core-function'] as string[] | undefined)?.flatMap((x) => x.split(',')),
      platform: flags['platform'] as string | undefined,
      rosdistro: flags['rosdistro'] as string | undefined,
      supportEnd: flags['support-end'] as string | undefined,
      mainEstablishment: flags['main-establishment'] as string | undefined,
    };
    // Interactive only on a terminal and when the essentials were not given as flags.
    if (process.stdin.isTTY && io.interactive && !flags['json'] && (!a.name || !a.version)) {
      const rl = createInterface({ input: process.stdin, output: process.stderr });
      try {
        const ask = async (q: string, def: string) => (await rl.question(`${q}${def ? ` [${def}]` : ''}: `)).trim() || def;
        a.name = await ask('Product name', a.name || dir.split('/').pop() || 'product');
        a.version = await ask('Product version', a.version || '0.1.0');
        a.manufacturer = (await ask('Manufacturer (legal name)', a.manufacturer ?? '')) || undefined;
        a.email = (await ask('Manufacturer contact email', a.email ?? '')) || undefined;
        a.intendedPurpose = (await ask('Intended purpose, in one sentence', '')) || undefined;
        a.openSource = /^y/i.test(await ask('Is it free and open-source software (y/n)?', a.openSource ? 'y' : 'n'));
        io.err(CATEGORIES.map((c) => `  ${c.id.padEnd(9)} ${c.title.slice(0, 100)}`).join('\n') + '\n');
        const cf = await ask('Core functionality among these categories (ids, comma-separated; empty for none)', (a.coreFunctions ?? []).join(','));
        a.coreFunctions = cf ? cf.split(',').map((x) => x.trim()).filter(Boolean) : [];
        a.supportEnd = (await ask('End of support period (YYYY-MM)', a.supportEnd ?? '')) || undefined;
      } finally {
        rl.close();
      }
    }
    if (!a.name || !a.version) throw new UsageError('marque init needs --name and --version (or a terminal to ask on)');
    const text = manifestTemplate(a);
    parseManifest(text, file); // what init writes must load: same validation as every other read
    writeFileAtomic(file, text);
    if (flags['json']) io.out(JSON.stringify({ written: file }, null, 2) + '\n');
    else io.err(`wrote ${file}; review it, then run "marque classify ${positionals[0] ?? '.'}"\n`);
    return EXIT.ok;
  },
};
