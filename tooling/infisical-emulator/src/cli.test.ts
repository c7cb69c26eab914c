import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";

import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { parseCliArgs, runCli } from "./cli.js";
import { loadSeed } from "./index.js";
import { CLIENT_SECRET, PROJECT, loginSdk, seed } from "./test-support/fixtures.js";

let dir: string;
let seedFile: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "infisical-emulator-"));
  seedFile = join(dir, "seed.json");
  await writeFile(seedFile, JSON.stringify(seed()));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe("loadSeed", () => {
  it("reads a seed file", async () => {
    const loaded = await loadSeed(seedFile);
    expect(loaded.identities[0]?.clientId).toBe("ci-reader");
    expect(Object.keys(loaded.projects)).toContain(PROJECT);
  });

  it("names the file and field of a bad seed without quoting its content", async () => {
    const bad = join(dir, "bad.json");
    await writeFile(
      bad,
      JSON.stringify({ identities: [{ clientId: "x", clientSecret: CLIENT_SECRET, projects: "p" }], projects: {} }),
    );
    const error = await loadSeed(bad).catch((e: Error) => e);
    expect((error as Error).message).toBe(
      `Invalid emulator seed (${bad}): identities[0].projects must be an array of project ids`,
    );
    const broken = join(dir, "broken.json");
    await writeFile(broken, `{"identities": [{"clientSecret": "${CLIENT_SECRET}"`);
    const parseError = await loadSeed(broken).catch((e: Error) => e);
    expect((parseError as Error).message).toBe(`Invalid emulator seed (${broken}): not valid JSON`);
    expect((parseError as Error).message).not.toContain(CLIENT_SECRET);
  });
});

describe("cli", () => {
  it("parses flags with defaults", () => {
    expect(parseCliArgs(["--seed", "s.json"])).toEqual({ seed: "s.json", port: 0, host: "127.0.0.1", latencyMs: 0 });
    expect(
      parseCliArgs(["--seed", "s.json", "--port", "8080", "--latency", "5", "--ttl", "60", "--max-ttl", "600"]),
    ).toMatchObject({
      port: 8080,
      latencyMs: 5,
      accessTokenTTL: 60,
      accessTokenMaxTTL: 600,
    });
  });

  it("refuses bad input with the usage text", () => {
    expect(() => parseCliArgs([])).toThrow(/--seed is required[\s\S]*usage:/);
    expect(() => parseCliArgs(["--seed", "s.json", "--port", "abc"])).toThrow(/--port must be/);
    expect(() => parseCliArgs(["--seed", "s.json", "--bogus"])).toThrow(/usage:/);
  });

  it("starts from a seed file, prints the listening line and applies default TTLs", async () => {
    const lines: string[] = [];
    const emu = await runCli(["--seed", seedFile, "--ttl", "120", "--max-ttl", "240"], (line) => lines.push(line));
    try {
      expect(lines).toEqual([`infisical-emulator listening on ${emu.url}`]);
      expect(emu.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      const res = await fetch(`${emu.url}/api/v1/auth/universal-auth/login`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ clientId: "ci-reader", clientSecret: CLIENT_SECRET }),
      });
      expect(await res.json()).toMatchObject({ expiresIn: 120, accessTokenMaxTTL: 240 });
      const sdk = await loginSdk(emu.url);
      expect(
        (await sdk.secrets().getSecret({ projectId: PROJECT, environment: "dev", secretName: "API_KEY" })).secretValue,
      ).toBe("dev-api-key");
    } finally {
      await emu.stop();
    }
  });
});
