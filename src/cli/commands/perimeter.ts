import { dotToSvg } from '../../util/graphviz.ts';
import { resolve } from 'node:path';
import { AdvisoryDb } from '../../advisories/store.ts';
import { dbPath } from '../../api/advisories.ts';
import { perimeterDot, perimeterReport } from '../../api/perimeter.ts';
import { UsageError } from '../../util/errors.ts';
import { exitCode, LIST_OPTIONS, rowLimit, type Command } from '../command.ts';
import { outJson, writeFileAtomic } from '../io.ts';
import { problemsText, table } from '../render.ts';
import { undeclaredLaunchNote } from '../../perimeter/build.ts';
import { inputErrors } from './inventory.ts';

export const perimeterCommand: Command = {
  name: 'perimeter',
  usage: `marque perimeter [DIR] [--db FILE] [--format dot|svg] [-o FILE] [--limit N | --all] [--json]

  --limit N      rows of the perimeter table (default 30); --all for every row

  --format dot   Graphviz source of compartments, interfaces and flows, the perimeter in red
  --format svg   rendered with Graphviz's dot (Debian package graphviz)`,
  options: { ...LIST_OPTIONS, db: { type: 'string' }, format: { type: 'string' }, output: { type: 'string', short: 'o' }, json: { type: 'boolean' } },
  async run(positionals, flags, io) {
    const format = flags['format'] as string | undefined;
    if (format && format !== 'dot' && format !== 'svg') throw new UsageError(`--format takes dot or svg (got "${format}")`);
    const db = AdvisoryDb.openForRead(dbPath(flags['db'] as string | undefined));
    let r;
    try { r = await perimeterReport(positionals[0] ?? '.', db); } finally { db?.close(); }
    const emit = (text: string) => { const o = flags['output'] as string | undefined; if (o) writeFileAtomic(resolve(o), text); else io.out(text); };
    if (format === 'dot' || format === 'svg') {
      const dot = perimeterDot(r);
      if (format === 'dot') { emit(dot); return exitCode(inputErrors(r), false); }
      emit(await dotToSvg(dot));
      return exitCode(inputErrors(r), false);
    }
    if (flags['json']) {
      outJson(io, { counts: r.counts, perimeter: r.perimeter, interfaces: r.model.interfaces, dds: r.model.dds ?? null, launch: r.model.launch ? { ...r.model.launch, ...(r.model.processes ? { processes: r.model.processes } : {}) } : null, mechanisms: r.mechanisms, outside: r.outside, boundaries: r.boundaries, vexSuggestions: r.vexSuggestions, sevenProperties: r.sevenProperties, notes: [...r.model.notes, ...r.notes], sources: r.model.sources, problems: r.problems });
      return exitCode(inputErrors(r), false);
    }
    const c = r.counts;
    // Two different numbers, each with its reason: reached from an interface, and counted in because nothing places it.
    io.out(`Perimeter: ${c.reached + c.countedIn} component(s) in the perimeter, ${c.outside} outside.\n`
      + `  ${c.reached} reached from the model's ${c.interfaces} external interface(s): data from an interface reaches a compartment they run in\n`
      + `  ${c.countedIn} counted in, to be safe: in no compartment of the architecture model, so Marque cannot show that external data does not reach them\n\n`);
    // What the launch reading found, so that it can be checked against the launch files.
    const procs = r.model.processes;
    if (procs) {
      io.out(procs.length
        ? `The declared launch files start ${procs.length} ROS process(es): ${procs.slice(0, 10).map((p) => p.id).join(', ')}${procs.length > 10 ? `, … (${procs.length - 10} more)` : ''}; --json lists each with its nodes.\n\n`
        : 'The declared launch files start no ROS process Marque could follow (the notes below say why).\n\n');
    }
    const found = r.model.launch?.found;
    if (found?.length) {
      io.out(`No launch file is declared (architecture.ros.launch), so the model has no ROS process. Launch files in this workspace, bringup packages first:\n${found.slice(0, 20).map((f) => `  ${f}`).join('\n')}${found.length > 20 ? `\n  … and ${found.length - 20} more` : ''}\n`
        + `Declare those the product runs in marque.yaml:\n  architecture:\n    ros:\n      launch:\n        - ${found[0]}\n\n`);
    }
    if (r.mechanisms.length) io.out(`Boundary mechanisms that stop the attacker (they join the perimeter and must be certified):\n${r.mechanisms.map((m) => `  - ${m.mechanism} at ${m.where}`).join('\n')}\n\n`);
    const rows = rowLimit(flags, 30);
    // The compartment is the first column: the path shows how attacker data got there, without repeating it.
    const why = (p: (typeof r.perimeter)[number]) => p.basis === 'counted-in' ? 'counted in, to be safe: in no compartment' : `${(p.via[p.via.length - 1] === p.compartment ? p.via.slice(0, -1) : p.via).join(' → ')}${p.placedIn ? ` (loaded by this process; placed in ${p.placedIn})` : ''}`;
    if (r.perimeter.length) io.out(table(r.perimeter.slice(0, rows).map((p) => [p.compartment ?? '-', p.component, why(p)]), ['COMPARTMENT', 'IN THE PERIMETER', 'WHY']));
    if (r.perimeter.length > rows) io.out(`… and ${r.perimeter.length - rows} more (--all, --limit N or --json)\n`);
    io.out('\nSeven properties:\n' + r.sevenProperties.map((p) => `  ${p.status.padEnd(15)} ${p.property}: ${p.evidence}`).join('\n') + '\n');
    const shown = found?.length ? undeclaredLaunchNote(found) : undefined;
    for (const n of [...r.model.notes, ...r.notes]) if (n !== shown) io.out(`note: ${n}\n`);
    if (r.vexSuggestions.length) io.out(`\n${r.vexSuggestions.length} VEX suggestion(s) for findings outside the perimeter (--json); a person confirms each.\n`);
    io.out(problemsText(r.problems));
    return exitCode(inputErrors(r), false);
  },
};
