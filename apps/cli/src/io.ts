import type { Redactor } from "@bruin-ts/secrets-core";

/** Where the CLI writes and what it reads from its surroundings; tests pass their own. */
export interface CliIO {
  stdout: { write(text: string): unknown; isTTY?: boolean };
  stderr: { write(text: string): unknown; isTTY?: boolean };
  env: Record<string, string | undefined>;
  cwd: string;
  /** Aborted when the user interrupts (Ctrl-C): running tasks finish, the others are skipped. */
  signal?: AbortSignal;
  /**
   * Aborted on a second Ctrl-C: the running queries are cancelled on their
   * servers, and the process exits 130 (bin.ts bounds the wait).
   */
  stopNow?: AbortSignal;
  /**
   * Called before a secrets backend that talks over `fetch` is created:
   * bin.ts caps the size of every answer this process reads (the SDKs read
   * answers whole), so a huge answer is refused after 16 MiB, not buffered.
   */
  prepareHttp?: () => Promise<void>;
  /**
   * Asks a yes/no question on the terminal and answers true for yes (bin.ts
   * reads one line of stdin). Absent, or stdin ended: the answer is no.
   */
  confirm?: (question: string) => Promise<boolean>;
}

/** Printed, alone, in place of output that could not be masked. */
export const OUTPUT_SUPPRESSED = "bruin: output suppressed: the redactor failed";

const suppressedOutputs = new WeakSet<object>();

/** True when a printer writing to `io` suppressed output because masking failed: the command must not exit 0. */
export function outputSuppressed(io: CliIO): boolean {
  return suppressedOutputs.has(io.stderr);
}

const ANSI = { red: 31, green: 32, yellow: 33, gray: 90, bold: 1 } as const;
export type Color = keyof typeof ANSI;

/**
 * Colour by the usual conventions (no-color.org, force-color.org, Node's own
 * rules): a `FORCE_COLOR` other than `0`/`false` turns it on even in a pipe;
 * otherwise it is on only when stdout is a terminal, `NO_COLOR` is unset or
 * empty and `TERM` is not `dumb`. Flags decide before any of these.
 */
function colorWanted(io: Pick<CliIO, "stdout" | "env">): boolean {
  const force = io.env.FORCE_COLOR;
  if (force !== undefined) return !["0", "false"].includes(force.trim().toLowerCase());
  if (io.env.NO_COLOR) return false;
  if (io.env.TERM === "dumb") return false;
  return Boolean(io.stdout.isTTY);
}

/**
 * Every line the CLI prints goes through here, and so through the redactor:
 * a value registered as secret is printed as `****` wherever it shows up,
 * including in messages that databases or drivers echo back.
 */
export class Printer {
  readonly color: boolean;
  /** True once masking failed: nothing is printed from then on. */
  suppressed = false;

  /** `color`: true forces colour on (`--color`), false turns it off (`--no-color`); absent, the surroundings decide. */
  constructor(
    private readonly io: CliIO,
    readonly redactor: Redactor,
    options: { color?: boolean | undefined } = {},
  ) {
    this.color = options.color ?? colorWanted(io);
  }

  out(line = ""): void {
    const text = this.mask(line);
    if (!this.suppressed) this.io.stdout.write(`${text}\n`);
  }

  err(line = ""): void {
    const text = this.mask(line);
    if (!this.suppressed) this.io.stderr.write(`${text}\n`);
  }

  /**
   * The text as it may be printed, for callers that measure, split or write
   * it themselves: mask first, then format. Fails closed: when masking throws,
   * for whatever reason, one fixed line that names no value goes to stderr,
   * this printer prints nothing more, `mask` returns "" and the command cannot
   * exit 0 (see `outputSuppressed`).
   */
  mask(text: string): string {
    // Any printer on the same stream that failed stops this one too.
    if (!this.suppressed && suppressedOutputs.has(this.io.stderr)) this.suppressed = true;
    if (this.suppressed) return "";
    try {
      return this.redactor.redact(text);
    } catch {
      this.suppressed = true;
      suppressedOutputs.add(this.io.stderr);
      this.io.stderr.write(`${OUTPUT_SUPPRESSED}\n`);
      return "";
    }
  }

  paint(color: Color, text: string): string {
    return this.color ? `\u001b[${ANSI[color]}m${text}\u001b[0m` : text;
  }
}
