import { ConfigurationError, Redactor } from "@bruin-ts/secrets-core";
import { describe, expect, it } from "vitest";
import { createInfisicalBackend } from "./backend.js";
import {
  INFISICAL_ENV_VARIABLES,
  displayHost,
  infisicalConfigWarnings,
  isLoopback,
  normalizeSecretPath,
  readInfisicalConfig,
} from "./config.js";

const SECRET = "cs-CONFIGSECRET-42z";
const full = {
  BRUIN_INFISICAL_CLIENT_ID: "client-id",
  BRUIN_INFISICAL_CLIENT_SECRET: SECRET,
  BRUIN_INFISICAL_PROJECT_ID: "project-1",
  BRUIN_INFISICAL_ENVIRONMENT: "dev",
};

function configError(env: Record<string, string | undefined>): ConfigurationError {
  try {
    readInfisicalConfig(env);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigurationError);
    return error as ConfigurationError;
  }
  throw new Error("expected a ConfigurationError");
}

describe("readInfisicalConfig", () => {
  const required = [
    "BRUIN_INFISICAL_CLIENT_ID",
    "BRUIN_INFISICAL_CLIENT_SECRET",
    "BRUIN_INFISICAL_PROJECT_ID",
    "BRUIN_INFISICAL_ENVIRONMENT",
  ];

  it.each(required.map((name, index) => [name, index]))(
    "reports %s when it is the first one missing",
    (name, index) => {
      // Every variable after the missing one is unset too: the first missing one is named.
      const env = Object.fromEntries(
        required.slice(0, index as number).map((key) => [key, full[key as keyof typeof full]]),
      );
      const error = configError(env);
      expect(error.message).toBe(`failed to initialize infisical client: ${name} env variable not set`);
      expect(error.exitCode).toBe(3);
      expect(error.backend).toBe("infisical");
    },
  );

  it.each(required)("treats an empty %s as missing", (name) => {
    expect(configError({ ...full, [name]: "  " }).message).toBe(
      `failed to initialize infisical client: ${name} env variable not set`,
    );
  });

  it("applies the defaults", () => {
    expect(readInfisicalConfig(full)).toEqual({
      clientId: "client-id",
      clientSecret: SECRET,
      projectId: "project-1",
      environment: "dev",
      host: "https://app.infisical.com",
      secretPath: "/",
      timeoutMs: 30_000,
      batch: "auto",
    });
  });

  it("reads BRUIN_INFISICAL_BATCH: auto or never, any case", () => {
    expect(readInfisicalConfig({ ...full, BRUIN_INFISICAL_BATCH: " Never " }).batch).toBe("never");
    expect(readInfisicalConfig({ ...full, BRUIN_INFISICAL_BATCH: "auto" }).batch).toBe("auto");
    expect(configError({ ...full, BRUIN_INFISICAL_BATCH: "sometimes" }).message).toBe(
      "failed to initialize infisical client: BRUIN_INFISICAL_BATCH must be 'auto' or 'never'",
    );
  });

  it("reads the overall timeout in seconds", () => {
    expect(readInfisicalConfig({ ...full, BRUIN_INFISICAL_TIMEOUT: "3" }).timeoutMs).toBe(3_000);
    expect(readInfisicalConfig({ ...full, BRUIN_INFISICAL_TIMEOUT: "0.5" }).timeoutMs).toBe(500);
    for (const bad of ["0", "-1", "soon", "99999"]) {
      expect(configError({ ...full, BRUIN_INFISICAL_TIMEOUT: bad }).message).toBe(
        "failed to initialize infisical client: BRUIN_INFISICAL_TIMEOUT must be a number of seconds between 0 and 3600",
      );
    }
  });

  it("accepts an http(s) host and drops its trailing slash", () => {
    expect(readInfisicalConfig({ ...full, BRUIN_INFISICAL_HOST: "http://127.0.0.1:8080/" }).host).toBe(
      "http://127.0.0.1:8080",
    );
    expect(readInfisicalConfig({ ...full, BRUIN_INFISICAL_HOST: "https://infisical.example.com/api-root" }).host).toBe(
      "https://infisical.example.com/api-root",
    );
  });

  it.each([
    "infisical-bad.example",
    "ftp://infisical-bad.example",
    SECRET,
    "http://:8080",
    "https://infisical-bad.example/?q=1",
  ])("rejects the host %s without printing it", (host) => {
    const error = configError({ ...full, BRUIN_INFISICAL_HOST: host });
    expect(error.message).toMatch(/^failed to initialize infisical client: BRUIN_INFISICAL_HOST must/);
    expect(error.describe()).not.toContain(host);
    expect(error.exitCode).toBe(3);
  });

  it.each([
    ["", "/"],
    ["/", "/"],
    ["prod", "/prod"],
    ["/prod/", "/prod"],
    ["team/data/", "/team/data"],
    ["//team//data//", "/team/data"],
  ])("normalises the secret path %j to %j", (raw, expected) => {
    expect(normalizeSecretPath(raw)).toBe(expected);
    if (raw !== "")
      expect(readInfisicalConfig({ ...full, BRUIN_INFISICAL_SECRET_PATH: raw }).secretPath).toBe(expected);
  });
});

describe("createInfisicalBackend", () => {
  it("registers the client secret with the redactor before any request", () => {
    const redactor = new Redactor();
    const backend = createInfisicalBackend({ env: full, redactor, cwd: "/" });
    expect(backend.id).toBe("infisical");
    expect(backend.exitCode).toBe(3);
    expect(redactor.redact(`secret=${SECRET}`)).toBe("secret=****");
    expect(backend.describe()).toBe(
      "Infisical at https://app.infisical.com (project 'project-1', environment 'dev', path '/')",
    );
  });

  it("fails with the first missing variable", () => {
    expect(() => createInfisicalBackend({ env: {}, redactor: new Redactor(), cwd: "/" })).toThrow(
      "failed to initialize infisical client: BRUIN_INFISICAL_CLIENT_ID env variable not set",
    );
  });

  it("lists its variables in the order they are checked", () => {
    expect(INFISICAL_ENV_VARIABLES.map((variable) => variable.name)).toEqual([
      "BRUIN_INFISICAL_CLIENT_ID",
      "BRUIN_INFISICAL_CLIENT_SECRET",
      "BRUIN_INFISICAL_PROJECT_ID",
      "BRUIN_INFISICAL_ENVIRONMENT",
      "BRUIN_INFISICAL_HOST",
      "BRUIN_INFISICAL_SECRET_PATH",
      "BRUIN_INFISICAL_TIMEOUT",
      "BRUIN_INFISICAL_BATCH",
    ]);
    expect(
      INFISICAL_ENV_VARIABLES.filter((variable) => !variable.required).map((variable) => variable.default),
    ).toEqual(["https://app.infisical.com", "/", "30", "auto"]);
  });
});

describe("readInfisicalConfig: messages and bounds", () => {
  it("names every required variable in the hint for a missing one", () => {
    const error = configError({ ...full, BRUIN_INFISICAL_PROJECT_ID: undefined });
    expect(error.hint).toBe(
      "Set BRUIN_INFISICAL_PROJECT_ID; the Infisical backend needs BRUIN_INFISICAL_CLIENT_ID, BRUIN_INFISICAL_CLIENT_SECRET, BRUIN_INFISICAL_PROJECT_ID, BRUIN_INFISICAL_ENVIRONMENT",
    );
  });

  it("explains a host that is no http(s) URL, and one with a query or fragment, with a hint", () => {
    const notUrl = configError({ ...full, BRUIN_INFISICAL_HOST: "ftp://infisical.example.com" });
    expect(notUrl.message).toBe(
      "failed to initialize infisical client: BRUIN_INFISICAL_HOST must be an http(s) URL such as https://app.infisical.com",
    );
    expect(notUrl.hint).toBe("Fix or unset BRUIN_INFISICAL_HOST (the default is Infisical Cloud)");
    expect(notUrl.backend).toBe("infisical");
    for (const host of ["https://infisical.example.com/?token=x", "https://infisical.example.com/#part"]) {
      const error = configError({ ...full, BRUIN_INFISICAL_HOST: host });
      expect(error.message).toBe(
        "failed to initialize infisical client: BRUIN_INFISICAL_HOST must not have a query or fragment",
      );
      expect(error.hint).toBe("Use the base URL of the Infisical instance, e.g. https://infisical.example.com");
      expect(error.backend).toBe("infisical");
    }
    expect(readInfisicalConfig({ ...full, BRUIN_INFISICAL_HOST: "http://infisical.example.com" }).host).toBe(
      "http://infisical.example.com",
    );
    expect(readInfisicalConfig({ ...full, BRUIN_INFISICAL_HOST: " https://infisical.example.com/api// " }).host).toBe(
      "https://infisical.example.com/api",
    );
  });

  it("accepts a timeout of up to 3600 seconds, rounded to the millisecond", () => {
    expect(readInfisicalConfig({ ...full, BRUIN_INFISICAL_TIMEOUT: "3600" }).timeoutMs).toBe(3_600_000);
    expect(readInfisicalConfig({ ...full, BRUIN_INFISICAL_TIMEOUT: " 2.5004 " }).timeoutMs).toBe(2_500);
    for (const bad of ["3600.5", "Infinity", "NaN"]) {
      const error = configError({ ...full, BRUIN_INFISICAL_TIMEOUT: bad });
      expect(error.message).toMatch(/BRUIN_INFISICAL_TIMEOUT must be a number of seconds between 0 and 3600$/);
      expect(error.hint).toBe("Unset it to use the default of 30 seconds");
      expect(error.backend).toBe("infisical");
    }
  });

  it("says what BRUIN_INFISICAL_BATCH may be", () => {
    const error = configError({ ...full, BRUIN_INFISICAL_BATCH: "always" });
    expect(error.hint).toBe(
      "Unset it to use the default, auto; 'never' reads each connection on its own and never lists the folder",
    );
    expect(error.backend).toBe("infisical");
  });

  it("trims the secret path before normalising it", () => {
    expect(normalizeSecretPath(" /prod/db/ ")).toBe("/prod/db");
  });
});

describe("displayHost", () => {
  it("shows scheme, host, port and path, never user info, query or fragment", () => {
    expect(displayHost("https://user:pw-HOSTSECRET@infisical.example.com:8443/api/?q=1#f")).toBe(
      "https://infisical.example.com:8443/api",
    );
    expect(displayHost("https://infisical.example.com/")).toBe("https://infisical.example.com");
    expect(displayHost("http://127.0.0.1:8080")).toBe("http://127.0.0.1:8080");
    expect(displayHost("not a url pw-HOSTSECRET")).toBe("the configured host");
  });
});

describe("isLoopback and the plain-http warning", () => {
  it.each([
    ["localhost", true],
    ["LOCALHOST", true],
    ["app.localhost", true],
    ["[::1]", true],
    ["::1", true],
    ["0:0:0:0:0:0:0:1", true],
    ["127.0.0.1", true],
    ["127.255.0.10", true],
    ["127.10.100.200", true],
    ["::ffff:127.0.0.1", true],
    ["mylocalhost", false],
    ["localhost.example.com", false],
    ["127.0.0.1.example.com", false],
    ["x127.0.0.1", false],
    ["1270.0.0.1", false],
    ["127.0.0", false],
    ["::ffff:10.0.0.1", false],
    ["::2", false],
    ["10.0.0.1", false],
  ])("%s is loopback: %s", (host, expected) => {
    expect(isLoopback(host)).toBe(expected);
  });

  it("claims no trimming when the client secret is not in the environment given", () => {
    const config = readInfisicalConfig(full);
    expect(infisicalConfigWarnings({}, config)).toEqual([]);
    expect(infisicalConfigWarnings(full, config)).toEqual([]);
    expect(infisicalConfigWarnings({ ...full, BRUIN_INFISICAL_CLIENT_SECRET: `${SECRET}\n` }, config)).toEqual([
      "BRUIN_INFISICAL_CLIENT_SECRET had leading or trailing whitespace (a space or a line break); it was trimmed before logging in",
    ]);
  });

  it("warns about plain http to another machine only", () => {
    const warnings = (host: string) => {
      const env = { ...full, BRUIN_INFISICAL_HOST: host };
      return infisicalConfigWarnings(env, readInfisicalConfig(env));
    };
    expect(warnings("http://10.0.0.5:8080")).toEqual([
      "BRUIN_INFISICAL_HOST is plain http:// to 10.0.0.5:8080: the client secret, the access token and every secret travel unencrypted; use https://",
    ]);
    expect(warnings("https://10.0.0.5:8080")).toEqual([]);
    expect(warnings("http://localhost:8080")).toEqual([]);
    expect(warnings("http://[::1]:8080")).toEqual([]);
  });
});
