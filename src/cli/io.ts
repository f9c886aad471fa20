// What a command may touch: its output streams and whether a person is watching.
import { writeAllSync } from '../util/fs.ts';
import { jsonPieces } from '../util/json.ts';
import { neutralise, oneLine } from '../util/text.ts';

export interface Io {
  out: (text: string) => void;
  err: (text: string) => void;
  /** Terminal control sequences Marque itself writes (the progress line); out and err never carry any. */
  terminal?: (text: string) => void;
  /** stderr is a terminal: progress may be shown there. */
  interactive: boolean;
}

// Output is written to the file descriptors directly: making process.stdout (a pipe's socket, its
// stream machinery) cost 5-15 ms of a run that may take 100. A reader that goes away
// (`marque inventory | head`) ends the run quietly, as Unix tools do: no stack trace, and the exit
// code a shell expects after SIGPIPE. A descriptor left non-blocking by the parent (a write would
// wait) is handed to Node's stream, which waits for it, and keeps it from then on, in order.
const streams = new Map<1 | 2, NodeJS.WriteStream>();

function streamOf(fd: 1 | 2): NodeJS.WriteStream {
  let stream = streams.get(fd);
  if (!stream) {
    stream = fd === 1 ? process.stdout : process.stderr;
    stream.on('error', (e: NodeJS.ErrnoException) => {
      if (e.code === 'EPIPE') process.exit(141);
      throw e;
    });
    streams.set(fd, stream);
  }
  return stream;
}

function write(fd: 1 | 2, text: string): void {
  const stream = streams.get(fd);
  if (stream) { stream.write(text); return; }
  const bytes = Buffer.from(text, 'utf8');
  let at: number;
  try { at = writeAllSync(fd, bytes, { untilBlocked: true }); }
  catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'EPIPE') process.exit(141);
    throw e;
  }
  if (at < bytes.length) streamOf(fd).write(bytes.subarray(at));
}

// Everything written passes through neutralise(): inputs cannot reach the terminal as control
// sequences, and JSON stays the same JSON (a raw C1 character inside a string becomes its \u escape).
export const processIo: Io = {
  out: (t) => write(1, neutralise(t)),
  err: (t) => write(2, neutralise(t)),
  terminal: (t) => write(2, t),
  // Asked only when progress could be shown (never with --json): it makes the stderr stream.
  get interactive() { return Boolean(process.stderr.isTTY); },
};

export { writeFileAtomic } from '../util/fs.ts';

/**
 * A value as indented JSON, then a newline, written in pieces (util/json.ts jsonPieces): joining them,
 * or the newline, to megabytes of JSON first makes a copy that every later look at the text pays for.
 */
export function outJson(io: Io, value: unknown): void {
  for (const piece of jsonPieces(value)) io.out(piece);
  io.out('\n');
}

/**
 * A progress line on the terminal for work that takes over a second; silent when piped,
 * when --json is asked for, or when the work is quick.
 */
export function progress(io: Io, enabled: boolean): { update(msg: string): void; done(): void } {
  if (!enabled || !io.interactive) return { update() {}, done() {} };
  let message = '';
  let shown = false;
  const frames = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];
  let i = 0;
  const timer = setInterval(() => {
    shown = true;
    (io.terminal ?? io.err)(`\r\x1b[2K${frames[i++ % frames.length]} ${oneLine(message)}`);
  }, 1000);
  timer.unref();
  return {
    update(msg) { message = msg; },
    done() {
      clearInterval(timer);
      if (shown) (io.terminal ?? io.err)('\r\x1b[2K');
    },
  };
}
