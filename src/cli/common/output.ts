// Output shared by the package's command-line tools: a table by default, JSON with --json, one line per error,
// progress on stderr only when a person is watching. CLI code is bundled into `assets/cli/` (never exported).

/** A column of a table: its heading and how to read the cell from a row. */
export interface Column<T> {
  readonly heading: string;
  readonly value: (row: T) => string | number | boolean | undefined;
}

/** Where a command writes; tests pass their own streams. */
export interface OutputStreams {
  readonly out: NodeJS.WritableStream & { isTTY?: boolean };
  readonly err: NodeJS.WritableStream & { isTTY?: boolean };
}

/** An error the user can fix: printed as one line, exit code 1 (2 for usage). */
export class CliError extends Error {
  constructor(message: string, public readonly exitCode = 1) {
    super(message);
    this.name = 'CliError';
  }
}

export class Output {
  constructor(
    private readonly json: boolean,
    private readonly streams: OutputStreams = { out: process.stdout, err: process.stderr },
  ) {}

  /** Whether machine-readable output was asked for. */
  public get isJson(): boolean {
    return this.json;
  }

  /** Rows as an aligned table, or as a JSON array of the raw rows with --json. */
  public table<T>(rows: readonly T[], columns: readonly Column<T>[], json: (row: T) => unknown = (r) => r): void {
    if (this.json) {
      this.streams.out.write(`${JSON.stringify(rows.map(json), undefined, 2)}\n`);
      return;
    }
    if (rows.length === 0) {
      this.streams.out.write('(none)\n');
      return;
    }
    this.streams.out.write(`${formatTable(rows, columns)}\n`);
  }

  /** One object: `key  value` lines, or JSON with --json. */
  public record(value: Record<string, unknown>): void {
    if (this.json) {
      this.streams.out.write(`${JSON.stringify(value, undefined, 2)}\n`);
      return;
    }
    const width = Math.max(...Object.keys(value).map((k) => k.length));
    for (const [k, v] of Object.entries(value)) {
      this.streams.out.write(`${k.padEnd(width)}  ${v === undefined ? '-' : typeof v === 'object' ? JSON.stringify(v) : String(v)}\n`);
    }
  }

  /** A line for people; suppressed with --json so stdout stays parseable. */
  public say(line: string): void {
    if (!this.json) this.streams.out.write(`${line}\n`);
  }

  /** The one line printed for an error. */
  public error(message: string): void {
    this.streams.err.write(`error: ${message}\n`);
  }

  /** A progress line on stderr, redrawn in place on a terminal and silent otherwise. */
  public progress(label: string): Progress {
    return new Progress(label, this.streams.err.isTTY === true && !this.json ? this.streams.err : undefined);
  }
}

export class Progress {
  private readonly started = Date.now();
  constructor(private readonly label: string, private readonly stream: NodeJS.WritableStream | undefined) {}

  public update(detail: string): void {
    const seconds = Math.round((Date.now() - this.started) / 1000);
    this.stream?.write(`\r\x1b[2K${this.label}: ${detail} (${seconds}s)`);
  }

  public done(): void {
    this.stream?.write('\r\x1b[2K');
  }
}

/** Aligned columns separated by two spaces, headings upper-cased, as `kubectl get` or `aws --output table` users expect. */
export function formatTable<T>(rows: readonly T[], columns: readonly Column<T>[]): string {
  const cells = rows.map((r) => columns.map((c) => cell(c.value(r))));
  const headings = columns.map((c) => c.heading.toUpperCase());
  const widths = headings.map((h, i) => Math.max(h.length, ...cells.map((row) => row[i].length)));
  const line = (values: string[]) => values.map((v, i) => (i === values.length - 1 ? v : v.padEnd(widths[i]))).join('  ');
  return [line(headings), ...cells.map(line)].join('\n');
}

function cell(v: string | number | boolean | undefined): string {
  return v === undefined || v === '' ? '-' : String(v).replace(/\s+/g, ' ');
}

/** One line for any error: CliErrors as written, AWS SDK errors as `<name>: <message>`. */
export function describeError(e: unknown): string {
  if (e instanceof CliError) return e.message;
  if (e instanceof Error) {
    const name = e.name && e.name !== 'Error' ? `${e.name}: ` : '';
    return `${name}${e.message.split('\n')[0]}`;
  }
  return String(e);
}

/** Runs a command's main function: prints one error line and sets the exit code instead of a stack trace. */
export async function runCommand(main: () => Promise<void>, output: Output): Promise<number> {
  try {
    await main();
    return 0;
  } catch (e) {
    output.error(describeError(e));
    return e instanceof CliError ? e.exitCode : 1;
  }
}
