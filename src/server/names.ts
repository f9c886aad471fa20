// Product names and versions as the team sees them. A name is found again by its text (marque push finds
// the product by name), so text that looks the same must be the same: it is kept in Unicode's composed
// form (NFC: "café" typed on one machine and decomposed on another is one product), and a character
// that shows nothing or reorders what follows (a control, a zero-width space, a bidirectional override)
// is refused, so no two products of a team look alike and none reads backwards in the dashboard.
import { HttpProblem } from './problem.ts';

const INVISIBLE = /[\p{Cc}\p{Cf}]/u;

/** The name or version as kept (NFC), or a 400 naming the character and where it is. */
export function visibleText(value: string, field: string): string {
  const m = INVISIBLE.exec(value);
  if (m) throw new HttpProblem(400, `${field} holds an invisible or control character (U+${m[0].codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}) at ${[...value.slice(0, m.index)].length}; two names that look alike must be one name`);
  return value.normalize('NFC');
}
