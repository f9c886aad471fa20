import { existsSync, mkdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline/promises';
import { MANIFEST_NAME, parseManifest } from '../../manifest/manifest.ts';
import { manifestTemplate, type InitAnswers } from '../../api/init.ts';
import { CATEGORIES } from '../../cra/rules/categories.ts';
import { ROS_DISTRO_EOL } from '../../model/platform-eol.ts';
import { UsageError } from '../../util/errors.ts';
import { EXIT, type Command } from '../command.ts';
import { writeFileAtomic } from '../io.ts';

export const initCommand: Command = {
  name: 'init',
  usage: `marque init [DIR] [--name N] [--version V] [--manufacturer M] [--address A] [--email E]
            [--contact URI] [--intended-purpose TEXT] [--open-source | --no-open-source]
            [--not-monetised] [--core-function ID]... [--platform OS:CODENAME] [--rosdistro NAME] [--support-end YYYY-MM]
            [--update-mechanism TEXT] [--main-establishment CC] [--force] [--json]

  --core-function ID   Annex III/IV category id, e.g. III-II-2 (firewall); see "marque classify --help"
  --contact URI        where vulnerabilities are reported (mailto: or https:), Art. 13(17)
  --not-monetised      none of recital 15's facts applies: no price, no paid support beyond cost recovery, no
                       donations beyond costs, no monetising platform, no personal data as a condition of use
  --force              overwrite an existing marque.yaml

  Only what is given (as a flag or an answer) is written; every other field stays a commented-out
  question, which classify, check and docs report as a gap.`,
  options: {
    name: { type: 'string' }, version: { type: 'string' }, manufacturer: { type: 'string' }, email: { type: 'string' },
    address: { type: 'string' }, contact: { type: 'string' }, 'intended-purpose': { type: 'string' }, 'update-mechanism': { type: 'string' },
    'open-source': { type: 'boolean' }, 'no-open-source': { type: 'boolean' }, 'not-monetised': { type: 'boolean' }, 'core-function': { type: 'string', multiple: true }, platform: { type: 'string' },
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
      address: flags['address'] as string | undefined,
      email: flags['email'] as string | undefined,
      contact: flags['contact'] as string | undefined,
      intendedPurpose: flags['intended-purpose'] as string | undefined,
      updateMechanism: flags['update-mechanism'] as string | undefined,
      openSource: flags['open-source'] ? true : flags['no-open-source'] ? false : undefined,
      monetised: flags['not-monetised'] ? false : undefined,
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
        if (a.manufacturer) a.address = (await ask('Manufacturer postal address', a.address ?? '')) || undefined;
        a.email = (await ask('Manufacturer contact email', a.email ?? '')) || undefined;
        a.contact = (await ask('Where are vulnerabilities reported (mailto: or https:)', a.contact ?? (a.email ? `mailto:${a.email}` : ''))) || undefined;
        a.intendedPurpose = (await ask('Intended purpose, in one sentence', a.intendedPurpose ?? '')) || undefined;
        const foss = await ask('Is it free and open-source software (y/n, empty: not sure)?', a.openSource === undefined ? '' : a.openSource ? 'y' : 'n');
        a.openSource = foss ? /^y/i.test(foss) : undefined;
        // Whether open-source software is supplied commercially rests on these facts (recital 15, 18): asked, never assumed.
        if (a.openSource && a.monetised === undefined) {
          const money = await ask('Is it monetised: a price, paid support beyond cost recovery, donations beyond costs, a platform monetising other services, or personal data as a condition of use (y/n, empty: not sure)?', '');
          a.monetised = money ? /^y/i.test(money) : undefined;
        }
        io.err(CATEGORIES.map((c) => `  ${c.id.padEnd(9)} ${c.title.slice(0, 100)}`).join('\n') + '\n');
        const cf = await ask('Core functionality among these categories (ids, comma-separated; empty for none)', (a.coreFunctions ?? []).join(','));
        a.coreFunctions = cf ? cf.split(',').map((x) => x.trim()).filter(Boolean) : [];
        a.rosdistro = (await ask(`ROS 2 distribution (${Object.keys(ROS_DISTRO_EOL).join(', ')}; empty: none)`, a.rosdistro ?? '')) || undefined;
        // The end of the support period must be stated (Art. 13(19)): ask until it is a month.
        for (;;) {
          const end = await ask('End of support period (YYYY-MM, Art. 13(19))', a.supportEnd ?? '');
          if (/^\d{4}-(0[1-9]|1[0-2])$/.test(end)) { a.supportEnd = end; break; }
          io.err('  the support period end is a month, e.g. 2032-12\n');
        }
        a.updateMechanism = (await ask('How security updates reach users', a.updateMechanism ?? '')) || undefined;
      } finally {
        rl.close();
      }
    }
    if (!a.name || !a.version) throw new UsageError('marque init needs --name and --version (or a terminal to ask on)');
    const text = manifestTemplate(a);
    parseManifest(text, file); // what init writes must load: same validation as every other read
    // "marque init new/product" starts a product that has no folder yet.
    if (existsSync(dir) && !statSync(dir).isDirectory()) throw new UsageError(`${dir} is not a folder`);
    mkdirSync(dir, { recursive: true });
    writeFileAtomic(file, text);
    if (flags['json']) io.out(JSON.stringify({ written: file }, null, 2) + '\n');
    else io.err(`wrote ${file}; review it, then run "marque classify ${positionals[0] ?? '.'}"\n`);
    return EXIT.ok;
  },
};
