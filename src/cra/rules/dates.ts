// Milestones of Regulation (EU) 2024/2847. Today's date decides which obligations are in force.
export interface Milestone { id: string; date: string; text: string; cite: string }

export const MILESTONES: readonly Milestone[] = [
  { id: 'entry-into-force', date: '2024-12-10', text: 'The Regulation enters into force', cite: 'Art. 71(1)' },
  { id: 'notified-bodies', date: '2026-06-11', text: 'Chapter IV (notification of conformity assessment bodies, Articles 35 to 51) applies', cite: 'Art. 71(2)' },
  { id: 'reporting', date: '2026-09-11', text: 'Article 14 reporting obligations apply, also to products placed on the market before 11 December 2027', cite: 'Art. 71(2); Art. 69(3)' },
  { id: 'application', date: '2027-12-11', text: 'The Regulation applies in full', cite: 'Art. 71(2)' },
  { id: 'legacy-certificates', date: '2028-06-11', text: 'EU-type examination certificates issued under other Union harmonisation legislation for products in scope remain valid until this date', cite: 'Art. 69(1)' },
];

export function milestone(id: string): Milestone {
  const m = MILESTONES.find((x) => x.id === id);
  if (!m) throw new Error(`unknown milestone ${id}`);
  return m;
}

export const REGULATION_DATA_VERSION = 'Regulation (EU) 2024/2847, OJ L 20.11.2024; Annexes per consolidated text CELEX 02024R2847-20241120';
