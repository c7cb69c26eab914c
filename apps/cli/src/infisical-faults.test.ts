/**
 * How `bruin` behaves when the secrets backend misbehaves: every fault ends
 * cleanly and fast, with the right exit code, and no credential or secret
 * value is ever printed. One test (or group) per fault, each with its own
 * marker values so a leak is attributable.
 *
 * Some cases run `apps/cli/dist/bin.js` in a child process (signals, peak
 * memory, NODE_EXTRA_CA_CERTS): they need `pnpm build`.
 */
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import {
  makeTestCertificates,
  startEmulator,
  type Emulator,
  type EmulatorSeed,
  type StartEmulatorOptions,
  type TestCertificates,
} from "@bruin-ts/infisical-emulator";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { duckdbSecret, infisicalPipeline } from "./test-support/infisical.js";
import { REPO_ROOT, runBruin } from "./test-support/run-cli.js";

const BIN = path.join(REPO_ROOT, "apps", "cli", "dist", "bin.js");
const PROJECT = "proj-faults";
const CLIENT_ID = "faults-client-id";
const MiB = 1024 * 1024;

/** The values one test must never print: the client secret, a password and (once issued) the access tokens. */
interface Markers {
  clientSecret: string;
  password: string;
}

const markersFor = (item: string): Markers => ({
  clientSecret: `CS-${item}-client-secret-${Math.random().toString(36).slice(2, 8)}`,
  password: `PW-${item}-password-${Math.random().toString(36).slice(2, 8)}`,
});

const emulators: Emulator[] = [];
afterEach(async () => {
  for (const emulator of emulators.splice(0)) await emulator.stop();
});

/** An emulator with one identity (the markers' client secret) and `secrets` in `/`, plus `leak`: a postgres secret holding the password marker. */
async function emulatorFor(
  markers: Markers,
  secrets: Record<string, string>,
  options: StartEmulatorOptions = {},
): Promise<Emulator> {
  const seed: EmulatorSeed = {
    identities: [{ clientId: CLIENT_ID, clientSecret: markers.clientSecret, projects: [PROJECT] }],
    projects: {
      [PROJECT]: {
        environments: {
          dev: {
            "/": {
              leak: JSON.stringify({
                type: "postgres",
                details: { host: "h", username: "u", password: markers.password, database: "d" },
              }),
              ...secrets,
            },
          },
        },
      },
    },
  };
  const emulator = await startEmulator({ seed, ...options });
  emulators.push(emulator);
  return emulator;
}

function envFor(emulator: Emulator, markers: Markers, extra: Record<string, string | undefined> = {}) {
  return {
    BRUIN_SECRETS_BACKEND: "infisical",
    BRUIN_INFISICAL_HOST: emulator.url,
    BRUIN_INFISICAL_CLIENT_ID: CLIENT_ID,
    BRUIN_INFISICAL_CLIENT_SECRET: markers.clientSecret,
    BRUIN_INFISICAL_PROJECT_ID: PROJECT,
    BRUIN_INFISICAL_ENVIRONMENT: "dev",
    ...extra,
  };
}

/** Neither marker, nor any token the emulator issued, nor a request path appears in `text`. */
function expectNoLeak(text: string, markers: Markers, emulator?: Emulator) {
  expect(text).not.toContain(markers.clientSecret);
  expect(text).not.toContain(markers.password);
  for (const token of emulator?.issuedTokens() ?? []) expect(text).not.toContain(token);
  expect(text).not.toContain("/api/v");
}

interface ChildResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  /** From `kill` (or start, without one) to exit, in ms. */
  elapsedMs: number;
  /** The child's peak resident set size, in bytes (when measured). */
  maxRssBytes?: number | undefined;
}

/**
 * Runs the built CLI in a child process. `signalWhen` is polled every 10 ms;
 * once it is true the signal is sent, and the time to exit is measured from then.
 */
function runChild(
  args: string[],
  env: Record<string, string | undefined>,
  options: { signal?: NodeJS.Signals; signalWhen?: () => boolean; measureRss?: boolean } = {},
): Promise<ChildResult> {
  const rssFile = path.join(mkdtempSync(path.join(tmpdir(), "bruin-rss-")), "max-rss");
  // Records the peak memory on exit; the CLI itself is unchanged.
  const recorder = `import{writeFileSync}from"node:fs";process.on("exit",()=>writeFileSync(${JSON.stringify(rssFile)},String(process.resourceUsage().maxRSS)))`;
  const nodeArgs = options.measureRss ? ["--import", `data:text/javascript,${encodeURIComponent(recorder)}`] : [];
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...nodeArgs, BIN, ...args], {
      env: { PATH: process.env.PATH, ...env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    let from = Date.now();
    let poll: NodeJS.Timeout | undefined;
    if (options.signal) {
      poll = setInterval(() => {
        if (!options.signalWhen || options.signalWhen()) {
          clearInterval(poll);
          poll = undefined;
          from = Date.now();
          child.kill(options.signal);
        }
      }, 10);
    }
    child.on("error", reject);
    child.on("close", (code, signal) => {
      if (poll) clearInterval(poll);
      const elapsedMs = Date.now() - from;
      const maxRssBytes =
        options.measureRss && existsSync(rssFile) ? Number(readFileSync(rssFile, "utf8")) * 1024 : undefined;
      resolve({ code, signal, stdout, stderr, elapsedMs, maxRssBytes });
    });
  });
}

describe("item 6: a 429 without a usable Retry-After backs off exponentially, inside the deadline", () => {
  it.each([
    ["no Retry-After", { omitRetryAfter: true }],
    ["Retry-After: 0", { retryAfterSeconds: 0 }],
  ])("with %s: at least 250 ms between 429s, then exit 3 within BRUIN_INFISICAL_TIMEOUT", async (_case, rule) => {
    const markers = markersFor("item6");
    const pipeline = infisicalPipeline(["wh"]);
    const emulator = await emulatorFor(markers, { wh: duckdbSecret(pipeline.dbFile("wh")) });
    emulator.inject({ match: "getSecret", status: 429, count: Infinity, ...rule });
    const started = Date.now();
    const result = await runBruin(["run", pipeline.dir], {
      env: envFor(emulator, markers, { BRUIN_INFISICAL_TIMEOUT: "3" }),
    });
    const elapsed = Date.now() - started;

    expect(result.code).toBe(3);
    // @infisical/sdk retries a 429 itself (1, 2, 4, 8 s) before it reports one; the deadline ends the wait
    // either way, with the rate limit named when the SDK reported it, or as a timeout while it was still retrying.
    expect(result.stderr).toMatch(/kept rate-limiting the requests \(HTTP 429|did not answer in time/);
    const reads = emulator.requests.filter((request) => request.status === 429);
    expect(reads.length).toBeGreaterThanOrEqual(2);
    reads.slice(1).forEach((read, index) => {
      // Never faster than the 250 ms floor, whoever retries.
      expect(read.at - reads[index]!.at).toBeGreaterThanOrEqual(245);
    });
    expect(elapsed).toBeGreaterThanOrEqual(1_700);
    // The 3 s deadline of the read, plus the login and the SDK's load (slow on a loaded machine); the CLI does not
    // wait for the SDK's own retries to end (they would take 15 s).
    expect(elapsed).toBeLessThan(6_000);
    expect(pipeline.noDatabaseCreated()).toBe(true);
    expectNoLeak(result.all, markers, emulator);
  });

  it("goes on once the rate limit lifts, having waited at least 250 ms, then 500 ms", async () => {
    const markers = markersFor("item6b");
    const pipeline = infisicalPipeline(["wh"]);
    const emulator = await emulatorFor(markers, { wh: duckdbSecret(pipeline.dbFile("wh")) });
    emulator.inject({ match: "getSecret", status: 429, omitRetryAfter: true, count: 2 });
    const result = await runBruin(["run", pipeline.dir], { env: envFor(emulator, markers) });
    expect(result.code).toBe(0);
    const reads = emulator.requests.filter((request) => request.path.includes("/secrets/"));
    expect(reads.map((read) => read.status)).toEqual([429, 429, 200]);
    expect(reads[1]!.at - reads[0]!.at).toBeGreaterThanOrEqual(245);
    expect(reads[2]!.at - reads[1]!.at).toBeGreaterThanOrEqual(495);
    expectNoLeak(result.all, markers, emulator);
  });
});

describe("item 7: SIGINT or SIGTERM while secrets are fetched", () => {
  it.each([
    ["SIGINT", "a secret read", "getSecret"],
    ["SIGTERM", "a secret read", "getSecret"],
    ["SIGINT", "the login", "login"],
    ["SIGTERM", "the login", "login"],
  ] as const)(
    "%s during %s abandons the request and exits 130 within a second",
    async (signal, _what, slow) => {
      const markers = markersFor("item7");
      const pipeline = infisicalPipeline(["wh"]);
      const emulator = await emulatorFor(markers, { wh: duckdbSecret(pipeline.dbFile("wh")) });
      // The server holds the answer for 20 s; before, the CLI waited out its whole 30 s timeout.
      emulator.inject({ match: slow, delayMs: 20_000, count: Infinity });
      const result = await runChild(["run", pipeline.dir], envFor(emulator, markers), {
        signal,
        signalWhen: () => emulator.counters[slow] > 0,
      });
      expect(result.code).toBe(130);
      // Abandoned at once rather than waited out (the server holds the answer for 20 s). On a quiet machine the
      // exit comes 14–100 ms after the signal; the bound leaves room for a loaded one (e.g. during mutation runs).
      expect(result.elapsedMs).toBeLessThan(5_000);
      expect(result.stderr).toContain("interrupted while connections were being resolved");
      expect(result.stdout).not.toContain("Running:");
      expect(pipeline.noDatabaseCreated()).toBe(true);
      // Abandoned, not retried: one request of that kind reached the server.
      expect(emulator.counters[slow]).toBe(1);
      expectNoLeak(result.stdout + result.stderr, markers, emulator);
    },
    15_000,
  );

  it.each([
    ["query", ["query", "-c", "wh", "-q", "SELECT 1"], "getSecret"],
    ["validate", ["validate", "PIPELINE"], "getSecret"],
    ["connections list", ["connections", "list"], "listSecrets"],
  ] as const)(
    "bruin %s exits 130 too",
    async (_command, args, slow) => {
      const markers = markersFor("item7q");
      const pipeline = infisicalPipeline(["wh"]);
      const emulator = await emulatorFor(markers, { wh: duckdbSecret(":memory:") });
      emulator.inject({ match: slow, delayMs: 20_000, count: Infinity });
      const argv = args.map((arg) => (arg === "PIPELINE" ? pipeline.dir : arg));
      const result = await runChild(argv, envFor(emulator, markers), {
        signal: "SIGINT",
        signalWhen: () => emulator.counters[slow] > 0,
      });
      expect(result.code).toBe(130);
      expect(result.elapsedMs).toBeLessThan(5_000);
      expect(result.stderr).toContain("interrupted while connections were being resolved");
      expectNoLeak(result.stdout + result.stderr, markers, emulator);
    },
    15_000,
  );
});

describe("item 8: huge secrets and huge answers", () => {
  it("refuses a secret value over 1 MiB before parsing it, exit 3, naming the connection", async () => {
    const markers = markersFor("item8");
    const pipeline = infisicalPipeline(["big"]);
    const value = JSON.stringify({
      type: "duckdb",
      details: { path: pipeline.dbFile("big"), password: markers.password + "x".repeat(2 * MiB) },
    });
    const emulator = await emulatorFor(markers, { big: value });
    const result = await runBruin(["run", pipeline.dir], { env: envFor(emulator, markers) });
    expect(result.code).toBe(3);
    expect(result.stderr).toMatch(/secret of connection 'big' is too large: more than 1 MiB/);
    expect(pipeline.noDatabaseCreated()).toBe(true);
    expectNoLeak(result.all, markers, emulator);
  });

  it.each([50, 100])(
    "refuses a %i MB answer with exit 3: each answer is read up to 16 MiB, and the process peaks well under 500 MB",
    async (megabytes) => {
      const markers = markersFor(`item8-${megabytes}`);
      const pipeline = infisicalPipeline(["huge"]);
      const emulator = await emulatorFor(markers, {});
      emulator.inject({ match: "getSecret", hugeValueBytes: megabytes * 1_000_000, count: Infinity });
      const result = await runChild(
        ["run", pipeline.dir],
        envFor(emulator, markers, { BRUIN_INFISICAL_TIMEOUT: "4" }),
        { measureRss: true },
      );
      expect(result.code, result.stderr).toBe(3);
      expect(result.stderr).toMatch(/failed to read secret from Infisical|could not reach|did not answer/);
      expect(result.stderr).not.toMatch(/Invalid string length/);
      // The CLI's dispatcher caps every answer at 16 MiB (bin.ts): the rest is never read, whatever the server sends.
      const sent = emulator.requests
        .filter((request) => request.bytesSent !== undefined)
        .map((request) => request.bytesSent!);
      expect(sent.length).toBeGreaterThan(0);
      // What the server wrote includes what the loopback socket buffers held when the CLI stopped reading
      // (several MiB, more on a loaded machine): far less than the 50 or 100 MB it had to send.
      for (const bytes of sent) expect(bytes).toBeLessThan(32 * MiB);
      expect(result.maxRssBytes).toBeGreaterThan(0);
      expect(result.maxRssBytes!).toBeLessThan(500 * MiB);
      expect(pipeline.noDatabaseCreated()).toBe(true);
      expectNoLeak(result.stdout + result.stderr, markers, emulator);
    },
    30_000,
  );
});

describe("item 11: TLS errors are reported as such, with the fix, and not retried", () => {
  let certificates: TestCertificates;
  beforeAll(async () => {
    certificates = await makeTestCertificates();
  }, 30_000);
  afterAll(() => certificates?.remove());

  it("a self-signed certificate: names the host and NODE_EXTRA_CA_CERTS, not the credentials", async () => {
    const markers = markersFor("item11");
    const pipeline = infisicalPipeline(["wh"]);
    const emulator = await emulatorFor(
      markers,
      { wh: duckdbSecret(pipeline.dbFile("wh")) },
      { tls: certificates.selfSigned },
    );
    const started = Date.now();
    const result = await runBruin(["run", pipeline.dir], { env: envFor(emulator, markers) });
    expect(result.code).toBe(3);
    expect(Date.now() - started).toBeLessThan(2_000);
    expect(result.stderr).toContain(`TLS error connecting to ${emulator.url}`);
    expect(result.stderr).toContain("self-signed or issued by a certificate authority this machine does not trust");
    expect(result.stderr).toContain("NODE_EXTRA_CA_CERTS");
    expect(result.stderr).not.toMatch(/CLIENT_ID|CLIENT_SECRET|could not reach/);
    // One handshake for the connection check sent beside the login, one for the login; no retry, no request got through.
    expect(emulator.counters.connections).toBeLessThanOrEqual(2);
    expect(emulator.counters.total).toBe(0);
    expectNoLeak(result.all, markers, emulator);
  });

  it.each([
    ["an expired certificate", "expired", /its certificate has expired \(CERT_HAS_EXPIRED\)/],
    [
      "a certificate for another host name",
      "wrongHost",
      /its certificate is not issued for this host name \(ERR_TLS_CERT_ALTNAME_INVALID\)/,
    ],
  ] as const)(
    "%s, even with its CA trusted through NODE_EXTRA_CA_CERTS",
    async (_case, which, reason) => {
      const markers = markersFor(`item11-${which}`);
      const pipeline = infisicalPipeline(["wh"]);
      const emulator = await emulatorFor(
        markers,
        { wh: duckdbSecret(pipeline.dbFile("wh")) },
        { tls: certificates[which] },
      );
      const result = await runChild(
        ["run", pipeline.dir],
        envFor(emulator, markers, { NODE_EXTRA_CA_CERTS: certificates.caFile }),
      );
      expect(result.code).toBe(3);
      expect(result.elapsedMs).toBeLessThan(5_000);
      expect(result.stderr).toContain(`TLS error connecting to ${emulator.url}`);
      expect(result.stderr).toMatch(reason);
      expect(result.stderr).toContain("NODE_EXTRA_CA_CERTS");
      expect(result.stderr).not.toMatch(/CLIENT_ID|CLIENT_SECRET/);
      // Not retried: at most the connection check and the first login, which leave together.
      expect(emulator.counters.connections).toBeGreaterThanOrEqual(1);
      expect(emulator.counters.connections).toBeLessThanOrEqual(2);
      expectNoLeak(result.stdout + result.stderr, markers, emulator);
    },
    15_000,
  );

  it("the fix works: with the CA in NODE_EXTRA_CA_CERTS the run succeeds", async () => {
    const markers = markersFor("item11-ok");
    const pipeline = infisicalPipeline(["wh"]);
    const emulator = await emulatorFor(
      markers,
      { wh: duckdbSecret(pipeline.dbFile("wh")) },
      { tls: certificates.valid },
    );
    const result = await runChild(
      ["run", pipeline.dir],
      envFor(emulator, markers, { NODE_EXTRA_CA_CERTS: certificates.caFile }),
    );
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    expect(emulator.counters.login).toBe(1);
    expectNoLeak(result.stdout + result.stderr, markers, emulator);
  }, 15_000);
});

describe("item 12: credentials pasted with surrounding whitespace", () => {
  it("trims them, logs in, and warns once about the client secret without printing it", async () => {
    const markers = markersFor("item12");
    const pipeline = infisicalPipeline(["wh"]);
    const emulator = await emulatorFor(markers, { wh: duckdbSecret(pipeline.dbFile("wh")) });
    const result = await runBruin(["run", pipeline.dir], {
      env: envFor(emulator, markers, {
        BRUIN_INFISICAL_CLIENT_ID: ` ${CLIENT_ID}\n`,
        BRUIN_INFISICAL_CLIENT_SECRET: `  ${markers.clientSecret}\r\n`,
        BRUIN_INFISICAL_PROJECT_ID: `${PROJECT}\n`,
        BRUIN_INFISICAL_ENVIRONMENT: " dev ",
      }),
    });
    expect(result.code).toBe(0);
    expect(emulator.counters.login).toBe(1);
    // One line, and no other warning (the host is loopback: plain http is fine there).
    expect(result.stderr.trim().split("\n")).toEqual([
      "Warning: BRUIN_INFISICAL_CLIENT_SECRET had leading or trailing whitespace (a space or a line break); it was trimmed before logging in",
    ]);
    expectNoLeak(result.all, markers, emulator);
  });
  it("warns once in connections list too, which opens the backend twice", async () => {
    const markers = markersFor("item12b");
    const emulator = await emulatorFor(markers, { wh: duckdbSecret(":memory:") });
    const result = await runBruin(["connections", "list"], {
      env: envFor(emulator, markers, { BRUIN_INFISICAL_CLIENT_SECRET: `${markers.clientSecret}\n` }),
    });
    expect(result.code).toBe(0);
    expect(result.stdout).toContain("wh");
    expect(
      result.stderr.match(/Warning: BRUIN_INFISICAL_CLIENT_SECRET had leading or trailing whitespace/g),
    ).toHaveLength(1);
    expectNoLeak(result.all, markers, emulator);
  });
});

describe("item 13: connection names that would become another request", () => {
  it.each(["..", ".", "a/b", "..\\x"])("refuses %j before any request, exit 3", async (name) => {
    const markers = markersFor("item13");
    const emulator = await emulatorFor(markers, {});
    const pipeline = infisicalPipeline(["placeholder"]);
    const result = await runBruin(["query", "-c", name, "-q", "SELECT 1"], {
      env: envFor(emulator, markers),
      cwd: pipeline.dir,
    });
    expect(result.code).toBe(3);
    expect(result.stderr).toContain("invalid connection name");
    expect(emulator.counters.total).toBe(0);
    expectNoLeak(result.all, markers, emulator);
  });

  it("refuses an asset whose connection is '..', and shows a control character escaped", async () => {
    const markers = markersFor("item13b");
    const emulator = await emulatorFor(markers, {});
    const pipeline = infisicalPipeline([".."]);
    const run = await runBruin(["run", pipeline.dir], { env: envFor(emulator, markers) });
    expect(run.code).toBe(3);
    expect(run.stderr).toContain("invalid connection name '..'");
    expect(emulator.counters.total).toBe(0);
    expectNoLeak(run.all, markers, emulator);

    const query = await runBruin(["query", "-c", "bad\u001b[2Jname", "-q", "SELECT 1"], {
      env: envFor(emulator, markers),
    });
    expect(query.code).toBe(3);
    expect(query.stderr).toContain("invalid connection name 'bad\\u001b[2Jname': it contains control characters");
    expect(query.stderr).not.toContain("\u001b");
    expect(emulator.counters.total).toBe(0);
  });
});

describe("plain HTTP", () => {
  it("warns once when credentials would travel unencrypted to a host that is not this machine", async () => {
    const markers = markersFor("http");
    const pipeline = infisicalPipeline(["wh"]);
    const result = await runBruin(["run", pipeline.dir], {
      env: envFor({ url: "http://infisical.invalid:8080" } as Emulator, markers, { BRUIN_INFISICAL_TIMEOUT: "1" }),
    });
    expect(result.code).toBe(3);
    const warnings = result.stderr.split("\n").filter((line) => line.startsWith("Warning:"));
    expect(warnings).toEqual([
      "Warning: BRUIN_INFISICAL_HOST is plain http:// to infisical.invalid:8080: the client secret, the access token and every secret travel unencrypted; use https://",
    ]);
    expectNoLeak(result.all, markers);
  });
});
