/**
 * A property-style test of masking: generated values of 1 byte to 1 MiB, of
 * random characters with line breaks, quotes, `%`, backslashes, regular
 * expression metacharacters, control characters and non-ASCII (2-, 3- and
 * 4-byte UTF-8, lone surrogates). Each value is registered, then every form of
 * it is written through every output writer of the CLI: the printer, the
 * plain renderer (events and summary), the JSON renderer, and the query
 * table, JSON and CSV. Neither the value nor any of its forms, nor any
 * stretch of the value, may come out. The seed is in every failure message.
 */
import { randomInt } from "node:crypto";
import type { RunResult, Task } from "@bruin-ts/pipeline";
import { MIN_SECRET_LENGTH, Redactor, maskedForms } from "@bruin-ts/secrets-core";
import { describe, expect, it } from "vitest";
import { Printer, type CliIO } from "./io.js";
import { JsonRenderer } from "./render/json.js";
import { PlainRenderer } from "./render/plain.js";
import { maskCells, renderCsv, renderTable, toJson } from "./table.js";

const MiB = 1024 * 1024;

/** mulberry32: a small seeded generator, so a failure can be replayed from its seed. */
function generator(seed: number): (below: number) => number {
  let state = seed >>> 0;
  return (below) => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return Math.floor((((t ^ (t >>> 14)) >>> 0) / 4294967296) * below);
  };
}

const ALPHANUMERIC = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
const SPECIAL = "\t \"'%\\.*+?^${}()|[]/,;=&#<>~!@`-_:";

/** One character of a random class; returns it with its UTF-8 byte length. */
function randomChar(next: (below: number) => number): [string, number] {
  const kind = next(1000);
  if (kind < 600) return [ALPHANUMERIC[next(ALPHANUMERIC.length)]!, 1];
  if (kind < 830) return [SPECIAL[next(SPECIAL.length)]!, 1];
  if (kind < 834) return [["\n", "\r\n", "\r"][next(3)]!, 1];
  if (kind < 850) return [String.fromCharCode(next(32)), 1];
  if (kind < 910) return [String.fromCharCode(0xa0 + next(0x700 - 0xa0)), 2];
  if (kind < 950) return [String.fromCharCode(0x4e00 + next(0x5000)), 3];
  if (kind < 990) return [String.fromCodePoint(0x1f300 + next(0x300)), 4];
  // A lone surrogate: UTF-8 encoders write U+FFFD (3 bytes) for it.
  return [String.fromCharCode(0xd800 + next(0x800)), 3];
}

/**
 * A value of about `bytes` bytes of UTF-8. From MIN_SECRET_LENGTH characters
 * on it starts and ends with a letter or digit, so that it is never mostly
 * made of the spaces and punctuation the writers frame their output with.
 */
function generateValue(next: (below: number) => number, bytes: number): string {
  const chars: string[] = [];
  let size = 0;
  while (size < bytes) {
    const [char, length] = randomChar(next);
    if (size + length > bytes && size > 0) break;
    chars.push(char);
    size += length;
  }
  if (chars.length >= MIN_SECRET_LENGTH) {
    chars[0] = ALPHANUMERIC[next(ALPHANUMERIC.length)]!;
    chars[chars.length - 1] = ALPHANUMERIC[next(ALPHANUMERIC.length)]!;
  }
  return chars.join("");
}

/** The forms of the masking contract, built with the platform's own encoders, and the implementation's own list. */
function formsOf(value: string): string[] {
  const wellFormed = (value as unknown as { toWellFormed(): string }).toWellFormed();
  const forms = new Set<string>(maskedForms(value));
  for (const text of [
    value,
    value.replace(/\r\n?/g, "\n"),
    value.replace(/\r\n?|\n/g, "\r\n"),
    value.replace(/\r\n|\r|\n/g, " "),
  ]) {
    const json = JSON.stringify(text).slice(1, -1);
    for (const form of [
      text,
      json,
      JSON.stringify(json).slice(1, -1),
      text.replace(/"/g, '""'),
      text.replace(/'/g, "''"),
    ])
      forms.add(form);
  }
  const uri = encodeURIComponent(wellFormed);
  const strict = uri.replace(/[!'()*]/g, (char) => `%${char.charCodeAt(0).toString(16).toUpperCase()}`);
  const form = new URLSearchParams({ v: wellFormed }).toString().slice(2);
  for (const encoded of [uri, strict, strict.replace(/%2F/g, "/"), form]) {
    forms.add(encoded).add(encoded.replace(/%[0-9A-F]{2}/g, (hex) => hex.toLowerCase()));
  }
  const base64 = Buffer.from(value).toString("base64");
  for (const encoded of [base64, base64.replace(/=+$/, "")])
    forms.add(encoded).add(encoded.replace(/\+/g, "-").replace(/\//g, "_"));
  return [...forms].filter((candidate) => candidate.length >= MIN_SECRET_LENGTH);
}

function captureIO(): { io: CliIO; output: () => string; stdout: () => string } {
  let out = "";
  let err = "";
  return {
    io: {
      stdout: { write: (text: string) => (out += text) },
      stderr: { write: (text: string) => (err += text) },
      env: {},
      cwd: "/",
    },
    output: () => out + err,
    stdout: () => out,
  };
}

const task = (id: string): Task => ({ id, assetName: id, kind: "asset", upstream: [] }) as unknown as Task;

/** Each writer of the CLI, given the forms to write; returns what it wrote (stdout and stderr). */
const WRITERS: Record<string, (redactor: Redactor, forms: string[]) => { written: string; json?: string }> = {
  printer: (redactor, forms) => {
    const capture = captureIO();
    const printer = new Printer(capture.io, redactor);
    printer.err(`Error: ${forms.join(" · ")}`);
    return { written: capture.output() };
  },
  "plain renderer": (redactor, forms) => {
    const capture = captureIO();
    const renderer = new PlainRenderer(new Printer(capture.io, redactor), false);
    // An error of many lines, printed line by line, and the summary's first line of each task's error.
    renderer.event({ type: "task-finish", task: task("t0"), status: "failed", durationMs: 1, error: forms.join("\n") });
    renderer.finish(runResult(forms), { exitCode: 1, interrupted: false });
    return { written: capture.output() };
  },
  "JSON renderer": (redactor, forms) => {
    const capture = captureIO();
    new JsonRenderer(new Printer(capture.io, redactor)).finish(runResult(forms), { exitCode: 1, interrupted: false });
    return { written: capture.output(), json: capture.stdout() };
  },
  "query table": (redactor, forms) => {
    const capture = captureIO();
    const printer = new Printer(capture.io, redactor);
    printer.out(
      renderTable(
        ["v", "n"],
        forms.map((form, i) => [form, String(i)]),
        (text) => printer.mask(text),
      ),
    );
    return { written: capture.output() };
  },
  "query JSON": (redactor, forms) => {
    const capture = captureIO();
    const printer = new Printer(capture.io, redactor);
    printer.out(
      toJson({
        columns: ["v"],
        rows: maskCells(
          forms.map((form) => [form]),
          (text) => printer.mask(text),
        ),
      }),
    );
    return { written: capture.output(), json: capture.stdout() };
  },
  "query CSV": (redactor, forms) => {
    const capture = captureIO();
    const printer = new Printer(capture.io, redactor);
    printer.out(
      renderCsv(
        ["v"],
        forms.map((form) => [form]),
        (text) => printer.mask(text),
      ),
    );
    return { written: capture.output() };
  },
};

function runResult(forms: string[]): RunResult {
  return {
    startedAt: new Date(),
    ok: false,
    durationMs: 5,
    tasks: forms.map((form, i) => ({ task: task(`t${i}`), status: "failed" as const, durationMs: 1, error: form })),
  };
}

describe("masking, property-style, through every writer", () => {
  const seed = randomInt(2 ** 31);
  const next = generator(seed);
  // Sizes from 1 byte to 1 MiB: the edges, both sides of the minimum, one between 64 KiB and 1 MiB, and
  // log-uniform ones up to 64 KiB (a value's forms together are some 60 times its size: this keeps the test fast).
  const sizes = [
    1,
    3,
    4,
    5,
    MiB,
    64 * 1024 + next(MiB - 64 * 1024),
    ...Array.from({ length: 8 }, () => Math.round(2 ** (next(1600) / 100))),
  ];

  it.each(sizes.map((bytes, index) => [index, bytes]))(
    `value %i of about %i bytes (seed ${seed})`,
    (_index, bytes) => {
      const value = generateValue(next, bytes);
      const redactor = new Redactor();
      // Other secrets registered as well, as in a run.
      redactor.add(generateValue(next, 40));
      redactor.add(generateValue(next, 3000));
      const masked = redactor.add(value);
      const where = `seed ${seed}, ${value.length} characters`;
      if (value.length < MIN_SECRET_LENGTH) {
        expect(masked, where).toBe(false);
        return;
      }
      expect(masked, where).toBe(true);
      const forms = formsOf(value);
      // Stretches of the value itself: a value cut into lines, trimmed or truncated must not come out in part either.
      const stretches =
        value.length >= 96
          ? [value.slice(0, 32), value.slice(value.length / 2, value.length / 2 + 32), value.slice(-32)]
          : [];
      for (const [writer, write] of Object.entries(WRITERS)) {
        const { written, json } = write(redactor, forms);
        expect(written, `${writer}: ${where}`).toContain("****");
        for (const form of forms) {
          if (written.includes(form))
            expect.fail(`${writer} printed a form of the value (${JSON.stringify(form.slice(0, 24))}…; ${where})`);
        }
        for (const stretch of stretches) {
          if (written.includes(stretch)) expect.fail(`${writer} printed a stretch of the value (${where})`);
        }
        if (json !== undefined) expect(() => JSON.parse(json), `${writer} wrote invalid JSON (${where})`).not.toThrow();
      }
    },
    120_000,
  );
});
