import type { Redactor } from "@bruin-ts/secrets-core";

/** Where the CLI writes and what it reads from its surroundings; tests pass their own. */
export interface CliIO {
  stdout: { write(text: string): unknown; isTTY?: boolean };
  stderr: { write(text: string): unknown; isTTY?: boolean };
  env: Record<string, string | undefined>;
  cwd: string;
  /** Aborted when the user interrupts (Ctrl-C): running tasks finish, the others are skipped. */
  signal?: AbortSignal;
}

const ANSI = { red: 31, green: 32, yellow: 33, gray: 90, bold: 1 } as const;
export type Color = keyof typeof ANSI;

/**
 * Every line the CLI prints goes through here, and so through the redactor:
 * a value registered as secret is printed as `****` wherever it shows up,
 * including in messages that databases or drivers echo back.
 */
export class Printer {
  readonly color: boolean;

  constructor(
    private readonly io: CliIO,
    readonly redactor: Redactor,
    options: { color?: boolean } = {},
  ) {
    const wanted = options.color ?? true;
    this.color = wanted && Boolean(io.stdout.isTTY) && io.env.NO_COLOR === undefined;
  }

  out(line = ""): void {
    this.io.stdout.write(`${this.redactor.redact(line)}\n`);
  }

  err(line = ""): void {
    this.io.stderr.write(`${this.redactor.redact(line)}\n`);
  }

  paint(color: Color, text: string): string {
    return this.color ? `\u001b[${ANSI[color]}m${text}\u001b[0m` : text;
  }
}
