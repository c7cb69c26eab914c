import { existsSync } from "node:fs";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { startEmulator, type Emulator } from "@bruin-ts/infisical-emulator";
import { flagTokens, listValues, singleDashLongFlags } from "./args.js";
import {
  CLIENT_ID,
  CLIENT_SECRET,
  PROJECT,
  duckdbSecret,
  infisicalEnv,
  infisicalPipeline,
} from "./test-support/infisical.js";
import { runBruin } from "./test-support/run-cli.js";

describe("flags as typed", () => {
  it("reads long, negated, valued and bundled short flags, and stops at --", () => {
    expect(flagTokens(["run", "--wokers", "4", "--no-color", "--tag=a", "-rt", "x", "--", "--not-a-flag"])).toEqual([
      { text: "--wokers", name: "wokers", negated: false },
      { text: "--no-color", name: "color", negated: true },
      { text: "--tag", name: "tag", negated: false, value: "a" },
      { text: "-r", name: "r", negated: false },
      { text: "-t", name: "t", negated: false },
    ]);
  });

  it("reads a single-dash long flag as the long flag, as the reference does; one letter stays short", () => {
    expect(
      singleDashLongFlags([
        "run",
        "-env",
        "prod",
        "-workers=4",
        "-no-color",
        "-t",
        "x",
        "-1",
        "-rt",
        "p",
        "--",
        "-env",
      ]),
    ).toEqual(["run", "--env", "prod", "--workers=4", "--no-color", "-t", "x", "-1", "--rt", "p", "--", "-env"]);
    // A value that looks like a flag after `=` is left whole.
    expect(singleDashLongFlags(["-var=a=-b c"])).toEqual(["--var=a=-b c"]);
  });

  it("splits repeated, comma-separated values", () => {
    expect(listValues(["a,b", " c ", "d,,"])).toEqual(["a", "b", "c", "d"]);
    expect(listValues("x")).toEqual(["x"]);
    expect(listValues(undefined)).toBeUndefined();
  });
});

describe("--environment with Infisical", () => {
  let emulator: Emulator | undefined;
  afterEach(async () => emulator?.stop());

  it("selects the Infisical environment, over BRUIN_INFISICAL_ENVIRONMENT", async () => {
    const pipeline = infisicalPipeline(["duckdb-default"]);
    const devFile = path.join(pipeline.root, "db", "dev.duckdb");
    const prodFile = path.join(pipeline.root, "db", "prod.duckdb");
    emulator = await startEmulator({
      seed: {
        identities: [{ clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, projects: [PROJECT] }],
        projects: {
          [PROJECT]: {
            environments: {
              dev: { "/": { "duckdb-default": duckdbSecret(devFile) } },
              prod: { "/": { "duckdb-default": duckdbSecret(prodFile) } },
            },
          },
        },
      },
    });
    const env = infisicalEnv(emulator);
    expect(env.BRUIN_INFISICAL_ENVIRONMENT).toBe("dev");

    // --force: a 'prod' environment is otherwise confirmed on the terminal first.
    const prod = await runBruin(["run", pipeline.dir, "--environment", "prod", "--force"], { env });
    expect(prod.stderr).toBe("");
    expect(prod.code).toBe(0);
    expect(existsSync(prodFile)).toBe(true);
    expect(existsSync(devFile)).toBe(false);

    const tested = await runBruin(["connections", "test", "duckdb-default", "-e", "prod"], { env });
    expect(tested.code).toBe(0);
    expect(tested.stdout).toContain("in environment: prod");

    const missing = await runBruin(["connections", "test", "duckdb-default", "--env", "staging"], { env });
    expect(missing.code).toBe(3);
    expect(missing.all).toContain("staging");

    const unset = await runBruin(["run", pipeline.dir], { env });
    expect(unset.code).toBe(0);
    expect(existsSync(devFile)).toBe(true);
  });
});
