#!/usr/bin/env node
import { realpathSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";

import { loadSeed } from "./seed.js";
import { startServer } from "./server.js";
import type { Emulator } from "./types.js";

const USAGE =
  "usage: infisical-emulator --seed seed.json [--port 0] [--host 127.0.0.1] [--latency ms] [--ttl s] [--max-ttl s]";

export interface CliOptions {
  seed: string;
  port: number;
  host: string;
  latencyMs: number;
  accessTokenTTL?: number;
  accessTokenMaxTTL?: number;
}

function nonNegative(flag: string, raw: string | undefined): number | undefined {
  if (raw === undefined) return undefined;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 0) throw new Error(`--${flag} must be a whole number of 0 or more\n${USAGE}`);
  return value;
}

/** Parses the command line; throws an Error carrying the usage text on bad input. */
export function parseCliArgs(argv: string[]): CliOptions {
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        seed: { type: "string" },
        port: { type: "string" },
        host: { type: "string" },
        latency: { type: "string" },
        ttl: { type: "string" },
        "max-ttl": { type: "string" },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (error) {
    throw new Error(`${(error as Error).message}\n${USAGE}`);
  }
  const seed = values.seed;
  if (typeof seed !== "string" || seed === "") throw new Error(`--seed is required\n${USAGE}`);
  const port = nonNegative("port", values.port as string | undefined) ?? 0;
  if (port > 65535) throw new Error(`--port must be at most 65535\n${USAGE}`);
  const ttl = nonNegative("ttl", values.ttl as string | undefined);
  const maxTtl = nonNegative("max-ttl", values["max-ttl"] as string | undefined);
  return {
    seed,
    port,
    host: (values.host as string | undefined) ?? "127.0.0.1",
    latencyMs: nonNegative("latency", values.latency as string | undefined) ?? 0,
    ...(ttl === undefined ? {} : { accessTokenTTL: ttl }),
    ...(maxTtl === undefined ? {} : { accessTokenMaxTTL: maxTtl }),
  };
}

/** Starts the emulator from command-line arguments and prints the one "listening" line. */
export async function runCli(argv: string[], print: (line: string) => void): Promise<Emulator> {
  const options = parseCliArgs(argv);
  const seed = await loadSeed(options.seed);
  const emulator = await startServer(
    { seed, port: options.port, host: options.host, latencyMs: options.latencyMs },
    { accessTokenTTL: options.accessTokenTTL, accessTokenMaxTTL: options.accessTokenMaxTTL },
  );
  print(`infisical-emulator listening on ${emulator.url}`);
  return emulator;
}

async function main(): Promise<void> {
  // Handlers go in before the "listening" line is printed, so a signal sent
  // as soon as that line is seen still stops the server cleanly.
  let emulator: Emulator | undefined;
  let stopping = false;
  const stop = (): void => {
    if (stopping) return;
    stopping = true;
    (emulator ? emulator.stop() : Promise.resolve()).then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
  try {
    emulator = await runCli(process.argv.slice(2), (line) => process.stdout.write(`${line}\n`));
  } catch (error) {
    process.stderr.write(`infisical-emulator: ${(error as Error).message}\n`);
    process.exit(2);
  }
}

const invokedPath = process.argv[1];
if (invokedPath && realpathSync(invokedPath) === realpathSync(fileURLToPath(import.meta.url))) {
  void main();
}
