import { describe, expect, it } from "vitest";
import type { Asset } from "../model.js";
import { buildCodeEnv, secretValue } from "./env.js";
import { mergeSecrets, readSecrets, readTimeout, secretNames } from "./fields.js";

const asset: Asset = {
  name: "raw.events",
  type: "python",
  platform: "",
  connection: "warehouse",
  depends: [],
  columns: [],
  customChecks: [],
  tags: [],
  query: "",
  path: "/p/assets/events.py",
  headerLine: 1,
  queryLine: 3,
  code: { language: "python", secrets: [] },
};

const base = {
  asset,
  pipelineName: "analytics",
  interval: { start: new Date("2024-01-01T00:00:00Z"), end: new Date("2024-01-02T10:30:15.123Z"), endMicros: 456 },
  executionDate: new Date("2024-01-03T04:05:06.789Z"),
  runId: "run-42",
  fullRefresh: false,
  variables: { env: "dev", users: ["alice", "bob"] },
  variableSchemas: { env: { type: "string", default: "dev" } },
  commitHash: "abc123",
  secrets: [],
};

describe("the environment of a code asset", () => {
  it("has the built-in variables with the reference CLI's names and formats", () => {
    const env = buildCodeEnv({ ...base, base: { PATH: "/usr/bin", HOME: "/home/u" } });
    expect(env).toMatchObject({
      PATH: "/usr/bin",
      HOME: "/home/u",
      BRUIN_START_DATE: "2024-01-01",
      BRUIN_START_DATETIME: "2024-01-01T00:00:00",
      BRUIN_START_TIMESTAMP: "2024-01-01T00:00:00.000000Z",
      BRUIN_END_DATE: "2024-01-02",
      BRUIN_END_DATETIME: "2024-01-02T10:30:15",
      BRUIN_END_TIMESTAMP: "2024-01-02T10:30:15.123456Z",
      BRUIN_EXECUTION_DATE: "2024-01-03",
      BRUIN_EXECUTION_DATETIME: "2024-01-03T04:05:06",
      BRUIN_EXECUTION_TIMESTAMP: "2024-01-03T04:05:06.789000Z",
      BRUIN_RUN_ID: "run-42",
      BRUIN_PIPELINE: "analytics",
      BRUIN_FULL_REFRESH: "",
      BRUIN_COMMIT_HASH: "abc123",
      BRUIN_ASSET: "raw.events",
      BRUIN_THIS: "raw.events",
      BRUIN_CONNECTION: "warehouse",
      BRUIN_CONNECTION_TYPES: "{}",
      BRUIN_VARS: '{"env":"dev","users":["alice","bob"]}',
      PYTHONUNBUFFERED: "1",
    });
    // Each declaration by name: what the reference's Python SDK (bruin.context.vars) coerces BRUIN_VARS with.
    expect(JSON.parse(env.BRUIN_VARS_SCHEMA!)).toEqual({ env: { type: "string", default: "dev" } });
    expect(buildCodeEnv({ ...base, base: {}, variables: {}, variableSchemas: {} })).toMatchObject({
      BRUIN_VARS: "{}",
      BRUIN_VARS_SCHEMA: "{}",
    });
    expect(buildCodeEnv({ ...base, base: {}, fullRefresh: true }).BRUIN_FULL_REFRESH).toBe("1");
  });

  it("injects a generic secret as its value and any other type as the reference's JSON, numbers as numbers", () => {
    const env = buildCodeEnv({
      ...base,
      base: { API_KEY: "inherited" },
      secrets: [
        { injectAs: "API_KEY", connection: { name: "api", type: "generic", details: { value: "tok-123" } } },
        {
          injectAs: "pg",
          connection: {
            name: "pg",
            type: "postgres",
            details: { host: "db", port: 5432, username: "u", password: "p", database: "d", schema: undefined },
          },
        },
      ],
    });
    expect(env.API_KEY).toBe("tok-123");
    expect(JSON.parse(env.pg!)).toEqual({
      name: "pg",
      host: "db",
      port: 5432,
      username: "u",
      password: "p",
      database: "d",
    });
    expect(JSON.parse(env.BRUIN_CONNECTION_TYPES!)).toEqual({ API_KEY: "generic", pg: "postgres" });
  });

  it("leaves out a default validation filled in (pool_max_conns), keeps one set otherwise, and always the port", () => {
    const pg = (extra: Record<string, unknown>) =>
      JSON.parse(
        secretValue({
          name: "pg",
          type: "postgres",
          details: { host: "h", port: 5432, username: "u", database: "d", pool_max_conns: 10, ...extra },
        }),
      ) as Record<string, unknown>;
    expect(pg({})).toEqual({ name: "pg", host: "h", port: 5432, username: "u", database: "d" });
    expect(pg({ pool_max_conns: 3, ssl_mode: "require", schema: "s" })).toEqual({
      name: "pg",
      host: "h",
      port: 5432,
      username: "u",
      database: "d",
      pool_max_conns: 3,
      ssl_mode: "require",
      schema: "s",
    });
  });

  it("leaves out fields that are not set", () => {
    expect(secretValue({ name: "m", type: "mysql", details: { host: "h", port: 3306, ssl_ca_path: null } })).toBe(
      '{"name":"m","host":"h","port":3306}',
    );
  });
});

describe("secrets and timeout fields", () => {
  it("reads secrets with inject_as defaulting to the key, and reports bad items", () => {
    const problems: string[] = [];
    const secrets = readSecrets(
      [{ key: "a" }, { key: "b", inject_as: "B_VAR" }, { inject_as: "X" }, { key: "c-d" }],
      "secrets",
      (m) => problems.push(m),
    );
    expect(secrets).toEqual([
      { key: "a", injectAs: "a" },
      { key: "b", injectAs: "B_VAR" },
    ]);
    expect(problems).toEqual([
      "'secrets' items need a 'key' naming a connection",
      "'secrets': 'c-d' is not a valid environment variable name; set 'inject_as' for 'c-d'",
    ]);
  });

  it("merges the pipeline's default secrets after the asset's own, the asset's winning", () => {
    expect(
      mergeSecrets(
        [{ key: "x", injectAs: "A" }],
        [
          { key: "y", injectAs: "A" },
          { key: "z", injectAs: "Z" },
        ],
      ),
    ).toEqual([
      { key: "x", injectAs: "A" },
      { key: "z", injectAs: "Z" },
    ]);
    expect(
      secretNames([
        {
          code: {
            secrets: [
              { key: "b", injectAs: "B" },
              { key: "a", injectAs: "A" },
            ],
          },
        },
        { unsupported: "no", code: { secrets: [{ key: "c", injectAs: "C" }] } },
      ]),
    ).toEqual(["a", "b"]);
  });

  it("reads durations", () => {
    const problems: string[] = [];
    const read = (v: unknown) => readTimeout(v, "timeout", (m) => problems.push(m));
    expect([read("1s"), read("5m"), read("1h30m"), read("500ms"), read(90), read("2.5"), read(undefined)]).toEqual([
      1000,
      300_000,
      5_400_000,
      500,
      90_000,
      2500,
      undefined,
    ]);
    expect(read("soon")).toBeUndefined();
    expect(read("5x")).toBeUndefined();
    expect(problems).toEqual([
      "'timeout' must be a duration such as 30s, 5m or 1h",
      "'timeout' must be a duration such as 30s, 5m or 1h",
    ]);
  });
});
