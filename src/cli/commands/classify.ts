import { craProfile } from '../../api/cra.ts';
import { EXIT, todayFlag, type Command } from '../command.ts';
import type { CraProfile } from '../../model/cra.ts';

export function renderProfile(p: CraProfile): string {
  const out: string[] = [];
  const list = (title: string, items: { text: string; cite: string }[]) => {
    if (!items.length) return;
    out.push(`${title}:`);
    for (const i of items) out.push(`  - ${i.text} [${i.cite}]`);
    out.push('');
  };
  out.push(`In scope of the CRA: ${p.scope.inScope ? 'yes' : 'no'}`, `Role: ${p.role}`, `Class: ${p.class}`, '');
  list('Why', p.scope.reasons);
  list('Categories (core functionality)', p.categories.map((c) => ({ text: c.title, cite: `Annex ${c.annex}, ${c.point}` })));
  list('Conformity assessment routes', p.conformityRoutes.map((r) => ({ text: `module ${r.module}: ${r.conditions}`, cite: r.cite })));
  list('Obligations', p.obligations.map((o) => ({ text: `${o.status === 'in-force' ? 'IN FORCE' : `from ${o.appliesFrom}`}: ${o.text}`, cite: o.cite })));
  list('What would change this outcome', p.wouldChange);
  list('Notes', p.notes);
  list('Where the law leaves room for interpretation', p.uncertainties);
  list('Key dates', p.dates.map((d) => ({ text: `${d.date}${d.passed ? ' (passed)' : ''}: ${d.text}`, cite: d.cite })));
  list('Penalties', p.penalties);
  return out.join('\n');
}

export const classifyCommand: Command = {
  name: 'classify',
  usage: 'marque classify [DIR|marque.yaml] [--today YYYY-MM-DD] [--json]',
  options: { json: { type: 'boolean' }, today: { type: 'string' } },
  async run(positionals, flags, io) {
    const { profile } = await craProfile(positionals[0] ?? '.', todayFlag(flags));
    io.out(flags['json'] ? JSON.stringify(profile, null, 2) + '\n' : renderProfile(profile));
    return EXIT.ok;
  },
};
