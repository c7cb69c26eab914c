import type { RunEvent, RunResult } from "@bruin-ts/pipeline";
import type { CliIO, Printer } from "../io.js";
import { formatElapsed } from "../summary.js";
import { PlainRenderer } from "./plain.js";
import type { RunEnd, RunRenderer } from "./types.js";

const FRAMES = ["⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧", "⠇", "⠏"];
const REFRESH_MS = 100;
/** A task running at least this long shows its elapsed time on the live line. */
const SHOW_ELAPSED_MS = 1000;

/** `CI=true`, `CI=1`, `CI=yes` mean a CI job; an unset, empty, `false` or `0` CI does not. */
export function inCI(env: Record<string, string | undefined>): boolean {
  const value = env.CI?.trim().toLowerCase();
  return value !== undefined && value !== "" && value !== "false" && value !== "0";
}

/**
 * Whether a person is watching: stdout and stderr both on a terminal that
 * can redraw a line (not `TERM=dumb`), outside CI. A redirected run
 * (`bruin run > run.log`) gets the plain per-task lines instead.
 */
export function isInteractive(io: Pick<CliIO, "stdout" | "stderr" | "env">): boolean {
  return Boolean(io.stdout.isTTY) && Boolean(io.stderr.isTTY) && io.env.TERM !== "dumb" && !inCI(io.env);
}

/**
 * On a terminal: one line that says how far the run is — tasks done of
 * total, what runs now (with the elapsed time of a task running for a
 * while), failures so far — redrawn in place on stderr, then cleared,
 * leaving the same summary as the plain output behind.
 */
export class LiveRenderer implements RunRenderer {
  readonly #plain: PlainRenderer;
  /** Running tasks and when each started (ms since the epoch), oldest first. */
  readonly #running = new Map<string, number>();
  #total = 0;
  #done = 0;
  #failed = 0;
  #frame = 0;
  #timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly printer: Printer,
    private readonly io: CliIO,
  ) {
    this.#plain = new PlainRenderer(printer, false);
  }

  start(info: Parameters<RunRenderer["start"]>[0]): void {
    this.#plain.start(info);
  }

  /** The number of tasks the run will execute. */
  expect(total: number): void {
    this.#total = total;
    this.#timer = setInterval(() => this.#draw(), REFRESH_MS);
    this.#timer.unref();
  }

  note(line: string): void {
    this.#clear();
    this.#plain.note(line);
  }

  query(task: string, sql: string): void {
    this.#clear();
    this.#plain.query(task, sql);
  }

  output(task: string, line: string): void {
    this.#clear();
    this.#plain.output(task, line);
    this.#draw();
  }

  event(event: RunEvent): void {
    if (event.type === "task-start") this.#running.set(event.task.id, event.startedAt.getTime());
    else {
      this.#running.delete(event.task.id);
      this.#done++;
      if (event.status === "failed") {
        this.#failed++;
        this.#clear();
        this.printer.out(`${this.printer.paint("red", "Failed:")} ${event.task.id}`);
      }
    }
    this.#draw();
  }

  finish(result: RunResult, end: RunEnd): void {
    this.#stop();
    this.#plain.finish(result, end);
  }

  fail(lines: string[]): void {
    this.#stop();
    this.#plain.fail(lines);
  }

  #draw(): void {
    if (this.#total === 0) return;
    const frame = FRAMES[this.#frame++ % FRAMES.length];
    const now = Date.now();
    const running = [...this.#running].map(([id, startedAt]) =>
      now - startedAt >= SHOW_ELAPSED_MS ? `${id} (${formatElapsed(now - startedAt)})` : id,
    );
    const shown = running.slice(0, 3).join(", ") + (running.length > 3 ? ` +${running.length - 3}` : "");
    const failures = this.#failed > 0 ? ` · ${this.#failed} failed` : "";
    // A terminal that does not know its width (0 columns, as under `script`) gets 100.
    const width = (this.io.stderr as { columns?: number }).columns;
    const columns = width !== undefined && width > 0 ? width : 100;
    // The line fits on one row, a column spare for the cursor, or each redraw would start a new row.
    const room = Math.max(10, columns - 1 - failures.length);
    const line = `${frame} ${this.#done}/${this.#total} tasks done${running.length ? ` · running: ${shown}` : ""}`;
    // Masked before it is cut to the terminal's width: a secret cut in two would be matched by neither half.
    const masked = this.printer.mask(line);
    if (this.printer.suppressed) return;
    this.io.stderr.write(`\r\u001b[K${masked.slice(0, room)}${failures ? this.printer.paint("red", failures) : ""}`);
  }

  #clear(): void {
    this.io.stderr.write("\r\u001b[K");
  }

  #stop(): void {
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = undefined;
    this.#clear();
  }
}
