// What a command may touch: its output streams and whether a person is watching.
import { neutralise, oneLine } from '../util/text.ts';

export interface Io {
  out: (text: string) => void;
  err: (text: string) => void;
  /** Terminal control sequences Marque itself writes (the progress line); out and err never carry any. */
  terminal?: (text: string) => void;
  /** stderr is a terminal: progress may be shown there. */
  interactive: boolean;
}

// A reader that goes away (`marque inventory | head`) ends the run quietly, as Unix tools do:
// no stack trace, and the exit code a shell expects after SIGPIPE.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code === 'EPIPE') process.exit(141);
    throw e;
  });
}

// Everything written passes through neutralise(): inputs cannot reach the terminal as control
// sequences, and JSON stays the same JSON (a raw C1 character inside a string becomes its \u escape).
export const processIo: Io = {
  out: (t) => process.stdout.write(neutralise(t)),
  err: (t) => process.stderr.write(neutralise(t)),
  terminal: (t) => process.stderr.write(t),
  interactive: Boolean(process.stderr.isTTY),
};

export { writeFileAtomic } from '../util/fs.ts';

/**
 * A value as indented JSON, then a newline, written as two pieces: joining the newline to megabytes
 * of JSON first makes a copy that every later look at the text pays for (10-20 ms on the ROS 2 core).
 */
export function outJson(io: Io, value: unknown): void {
  io.out(JSON.stringify(value, null, 2));
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
