// The tracking object every CSAF document Marque writes carries (CSAF 2.0 §3.2.1.12): id, status,
// version with its one revision, release dates and the generator.
import { isoSeconds } from '../vex/common.ts';

export function csafTracking(t: { id: string; status: 'draft' | 'interim' | 'final'; version: string; at: Date; summary: string; toolVersion: string }): Record<string, unknown> {
  const now = isoSeconds(t.at);
  return {
    id: t.id, status: t.status, version: t.version, initial_release_date: now, current_release_date: now,
    revision_history: [{ date: now, number: t.version, summary: t.summary }],
    generator: { engine: { name: 'marque', version: t.toolVersion }, date: now },
  };
}
