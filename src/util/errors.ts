// Errors that carry where the bad input is, so every message can name file and line.

export class InputError extends Error {
  readonly file: string;
  readonly line?: number;
  readonly column?: number;
  constructor(message: string, file: string, line?: number, column?: number) {
    super(message);
    this.file = file;
    this.line = line;
    this.column = column;
  }
  /** "file:line:col: message", the form compilers and editors understand. */
  where(): string {
    return `${this.file}${this.line ? `:${this.line}${this.column ? `:${this.column}` : ''}` : ''}`;
  }
}

/** A usage error: wrong flags or arguments (exit code 2). */
export class UsageError extends Error {}

export function lineOf(text: string, index: number): number {
  let line = 1;
  for (let i = text.indexOf('\n'); i !== -1 && i < index; i = text.indexOf('\n', i + 1)) line++;
  return line;
}

/** Any error met while reading one input, as a problem of the scan that names where it is. */
export function problemOf(e: unknown, fallbackFile: string): { file: string; line?: number; column?: number; message: string; severity: 'error' } {
  if (e instanceof InputError) return { file: e.file, line: e.line, column: e.column, message: e.message, severity: 'error' };
  return { file: fallbackFile, message: (e as Error).message, severity: 'error' };
}
