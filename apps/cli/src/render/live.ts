import type { RunEvent, RunResult } from "@bruin-ts/pipeline";
import type { CliIO, Printer } from "../io.js";
import { PlainRenderer } from "./plain.js";
import type { RunRenderer } from "./types.js";

const FRAMES = ["⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧", "⠇", "⠏"];
const REFRESH_MS = 100;

/**
 * On a terminal: one line that says how far the run is — tasks done of
 * total, what runs now, failures so far — redrawn in place on stderr, then
 * cleared, leaving the same summary as the plain output behind.
 */
export class LiveRenderer implements RunRenderer {
  readonly #plain: PlainRenderer;
  readonly #running = new Set<string>();
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

  event(event: RunEvent): void {
    if (event.type === "task-start") this.#running.add(event.task.id);
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

  finish(result: RunResult): void {
    this.#stop();
    this.#plain.finish(result);
  }

  fail(lines: string[], exitCode: number): void {
    this.#stop();
    this.#plain.fail(lines);
  }

  #draw(): void {
    if (this.#total === 0) return;
    const frame = FRAMES[this.#frame++ % FRAMES.length];
    const running = [...this.#running];
    const shown = running.slice(0, 3).join(", ") + (running.length > 3 ? ` +${running.length - 3}` : "");
    const failures = this.#failed > 0 ? this.printer.paint("red", ` · ${this.#failed} failed`) : "";
    const columns = (this.io.stderr as { columns?: number }).columns ?? 100;
    const line = `${frame} ${this.#done}/${this.#total} tasks done${running.length ? ` · running: ${shown}` : ""}`;
    this.io.stderr.write(`\r\u001b[K${this.printer.redactor.redact(line.slice(0, columns - 20))}${failures}`);
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
