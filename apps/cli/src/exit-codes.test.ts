import path from "node:path";
import type { Emulator } from "@bruin-ts/infisical-emulator";
import { afterEach, describe, expect, it } from "vitest";
import { CLIENT_SECRET, emulatorWith, infisicalEnv } from "./test-support/infisical.js";
import { runBruin, scratchRepo, sqlAsset, writeTree } from "./test-support/run-cli.js";

/**
 * The exit codes of the README's table for the commands other than `run`:
 * 2 for a configuration error (the file backend's `.bruin.yml`, an unknown
 * environment), 3 for a secrets backend that cannot provide a valid
 * connection. Each case also checks that the password never shows.
 */
const PASSWORD = "Exit-Code-Pw-5e7d1c";
const BAD_CLIENT_SECRET = "Wrong-Client-Secret-93ab";

let emulator: Emulator | undefined;
afterEach(async () => {
  await emulator?.stop();
  emulator = undefined;
});

/** A pipeline whose one asset reads `warehouse`, and a `.bruin.yml` where `warehouse` has no host. */
function project(): { root: string; pipeline: string; asset: string } {
  const root = scratchRepo("bruin-exit-");
  writeTree(root, {
    ".bruin.yml": [
      "environments:",
      "  default:",
      "    connections:",
      "      postgres:",
      "        - name: warehouse",
      "          username: app",
      `          password: ${PASSWORD}`,
      "          database: analytics",
    ].join("\n"),
    "p/pipeline.yml": "name: exits\n",
    "p/assets/remote.sql": sqlAsset(
      "name: remote\ntype: pg.sql\nconnection: warehouse\nmaterialization: {type: table}",
      "SELECT 1 AS x",
    ),
  });
  return { root, pipeline: path.join(root, "p"), asset: path.join(root, "p", "assets", "remote.sql") };
}

type Command = (p: ReturnType<typeof project>) => string[];

/** Each command, given the project; all of them need the connection `warehouse`. */
const COMMANDS: Record<string, Command> = {
  validate: (p) => ["validate", p.pipeline],
  query: () => ["query", "-c", "warehouse", "-q", "SELECT 1"],
  "query --asset": (p) => ["query", "--asset", p.asset],
  "connections test": () => ["connections", "test", "warehouse"],
};

const WITH_LIST: Record<string, Command> = { ...COMMANDS, "connections list": () => ["connections", "list"] };

describe("exit code 2: a configuration error", () => {
  for (const [command, args] of Object.entries(COMMANDS)) {
    it(`${command}: an invalid connection in .bruin.yml`, async () => {
      const p = project();
      const result = await runBruin(args(p), { cwd: p.root });
      expect(result.code).toBe(2);
      expect(result.all).toContain("warehouse");
      expect(result.all).toContain("host");
      expect(result.all).not.toContain(PASSWORD);
    });
  }

  for (const [command, args] of Object.entries<Command>({
    ...COMMANDS,
    "connections list": () => ["connections", "list"],
  })) {
    it(`${command}: an unknown environment`, async () => {
      const p = project();
      const result = await runBruin([...args(p), "--environment", "nowhere"], { cwd: p.root });
      expect(result.code).toBe(2);
      expect(result.all).toContain("nowhere");
      expect(result.all).not.toContain(PASSWORD);
    });
  }

  it("connections list: a .bruin.yml that is not YAML", async () => {
    const root = scratchRepo("bruin-exit-");
    writeTree(root, { ".bruin.yml": "environments: [unclosed\n" });
    const result = await runBruin(["connections", "list"], { cwd: root });
    expect(result.code).toBe(2);
    expect(result.all).toContain(".bruin.yml");
  });
});

describe("exit code 3: a secrets backend that cannot provide the connection", () => {
  for (const [command, args] of Object.entries(COMMANDS)) {
    it(`${command}: Infisical holds an unparsable secret`, async () => {
      const p = project();
      emulator = await emulatorWith({ warehouse: `{"type": "postgres", "details": {"password": "${PASSWORD}"` });
      const result = await runBruin(args(p), { cwd: p.root, env: infisicalEnv(emulator) });
      expect(result.code).toBe(3);
      expect(result.all).toContain("warehouse");
      expect(result.all).not.toContain(PASSWORD);
      expect(result.all).not.toContain(CLIENT_SECRET);
    });

    it(`${command}: Infisical holds a connection without a required field`, async () => {
      const p = project();
      emulator = await emulatorWith({
        warehouse: JSON.stringify({
          type: "postgres",
          details: { username: "app", password: PASSWORD, database: "d" },
        }),
      });
      const result = await runBruin(args(p), { cwd: p.root, env: infisicalEnv(emulator) });
      expect(result.code).toBe(3);
      expect(result.all).toContain("host");
      expect(result.all).not.toContain(PASSWORD);
    });

    it(`${command}: the BRUIN_CONNECTION_ variable of the env backend is not JSON`, async () => {
      const p = project();
      const result = await runBruin(args(p), {
        cwd: p.root,
        env: {
          BRUIN_SECRETS_BACKEND: "env",
          BRUIN_CONNECTION_WAREHOUSE: `{"type":"postgres","details":{"password":"${PASSWORD}"`,
        },
      });
      expect(result.code).toBe(3);
      expect(result.all).toContain("warehouse");
      expect(result.all).not.toContain(PASSWORD);
    });
  }

  for (const [command, args] of Object.entries<Command>({
    ...COMMANDS,
    "connections list": () => ["connections", "list"],
  })) {
    it(`${command}: Infisical refuses the login`, async () => {
      const p = project();
      emulator = await emulatorWith({});
      const result = await runBruin(args(p), {
        cwd: p.root,
        env: infisicalEnv(emulator, { BRUIN_INFISICAL_CLIENT_SECRET: BAD_CLIENT_SECRET }),
      });
      expect(result.code).toBe(3);
      expect(result.all).not.toContain(BAD_CLIENT_SECRET);
    });
  }
});
