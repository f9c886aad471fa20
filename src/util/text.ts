// Text from inputs (component names, advisory summaries, file names) on its way to a terminal:
// control characters become visible escapes, so an ANSI sequence or a carriage return in a name
// cannot repaint the screen or forge a line of output.

// C0 controls but tab and newline, DEL, and the C1 controls (U+009B is a one-byte CSI).
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g;

const escape = (c: string) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`;

/** Every control character but newline and tab as a \uXXXX escape: safe for human text and, unchanged in meaning, for JSON. */
export function neutralise(s: string): string {
  // Most text holds none: a test finds that without building a copy (a tenth of the time on 1.4 MB of JSON).
  return HAS_CONTROL.test(s) ? s.replace(CONTROL, escape) : s;
}
const HAS_CONTROL = new RegExp(CONTROL.source);

/** One field on one line: newlines and tabs escaped too (a folder name with a newline cannot add a line). */
export function oneLine(s: string): string {
  return neutralise(s).replace(/\n/g, '\\n').replace(/\t/g, '\\t');
}

/** Input quoted in a message, cut to a readable length: an error must not repeat a 200 kB attribute. */
export function quote(s: string, max = 80): string {
  return JSON.stringify(s.length > max ? `${s.slice(0, max - 1)}…` : s);
}

/** "1 known vulnerability", "2 known vulnerabilities". */
export function plural(n: number | bigint, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 || n === 1n ? one : many}`;
}
