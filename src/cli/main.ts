// Entry point of the command line: find the command, parse its flags, run it, map errors to
// exit codes. Nothing here knows about the domain.
import { parseArgs } from 'node:util';
import { InputError, UsageError } from '../util/errors.ts';
import { VERSION } from '../api/defaults.ts';
import { EXIT, type Flags } from './command.ts';
import { processIo, type Io } from './io.ts';
import { COMMANDS } from './registry.ts';

export { COMMANDS };

function help(): string {
  return `marque ${VERSION}: get products ready for the EU Cyber Resilience Act (Regulation (EU) 2024/2847)

Usage: marque COMMAND [ARGS] [--json]

Commands:
${COMMANDS.map((c) => `  ${c.name.padEnd(10)} ${c.summary}`).join('\n')}

Run "marque COMMAND --help" for a command's options.
Exit codes: 0 done, 1 a policy failed, 2 usage or input error.
`;
}

export async function main(argv: string[], io: Io = processIo): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === 'help' || name === '--help' || name === '-h') { io.out(help()); return name ? EXIT.ok : EXIT.input; }
  if (name === '--version' || name === 'version') { io.out(`${VERSION}\n`); return EXIT.ok; }
  const entry = COMMANDS.find((c) => c.name === name);
  if (!entry) { io.err(`marque: unknown command "${name}"\n\n${help()}`); return EXIT.input; }
  const command = await entry.load();
  let parsed;
  try {
    parsed = parseArgs({ args: rest, options: { ...command.options, help: { type: 'boolean', short: 'h' } }, allowPositionals: true, strict: true });
  } catch (e) {
    io.err(`marque ${name}: ${(e as Error).message}\n\nUsage: ${command.usage}\n`);
    return EXIT.input;
  }
  if (parsed.values['help']) { io.out(`Usage: ${command.usage}\n`); return EXIT.ok; }
  const flags = parsed.values as Flags;
  const json = Boolean(flags['json']);
  try {
    return await command.run(parsed.positionals, flags, io);
  } catch (e) {
    const message = e instanceof InputError ? `${e.where()}: ${e.message}` : (e as Error).message;
    if (json) io.out(JSON.stringify({ error: { message, ...(e instanceof InputError ? { file: e.file, line: e.line ?? null } : {}) } }, null, 2) + '\n');
    // Messages that name their command ("marque init needs --name …") are not prefixed twice; a usage error shows the usage.
    io.err(`${message.startsWith(`marque ${name}`) ? message : `marque ${name}: ${message}`}\n${e instanceof UsageError ? `\nUsage: ${command.usage}\n` : ''}`);
    if (!(e instanceof InputError || e instanceof UsageError) && process.env['MARQUE_DEBUG']) io.err(`${(e as Error).stack}\n`);
    return EXIT.input;
  }
}
