import { describe, expect, it } from "vitest";
import { ConfigurationError, UnavailableError } from "./errors.js";
import { httpFailureError } from "./http-retry.js";

const wording = {
  subject: "failed to read secret 'wh' from X",
  host: "x.example:8200",
  backend: "x",
  connection: "wh",
};

describe("httpFailureError", () => {
  it("makes a TLS failure a configuration error with the CA hint, and the rest unavailability, naming the host and attempts", () => {
    const tls = httpFailureError({ kind: "tls", attempts: 1, code: "DEPTH_ZERO_SELF_SIGNED_CERT" }, wording);
    expect(tls).toBeInstanceOf(ConfigurationError);
    expect(tls.message).toBe(
      "failed to read secret 'wh' from X: TLS error connecting to x.example:8200 (DEPTH_ZERO_SELF_SIGNED_CERT)",
    );
    expect(tls.describe()).toContain("NODE_EXTRA_CA_CERTS");

    const cases: [Parameters<typeof httpFailureError>[0], string][] = [
      [{ kind: "too_large", attempts: 1, limit: 16 }, "the answer from x.example:8200 is larger than 16 bytes"],
      [{ kind: "rate_limited", attempts: 4 }, "x.example:8200 kept rate-limiting the requests (HTTP 429, 4 attempts)"],
      [{ kind: "server_error", attempts: 2, status: 503 }, "x.example:8200 is unavailable (HTTP 503, 2 attempts)"],
      [{ kind: "timeout", attempts: 1 }, "x.example:8200 did not answer in time (1 attempt)"],
      [
        { kind: "unreachable", attempts: 3, code: "ECONNREFUSED" },
        "could not reach x.example:8200 (ECONNREFUSED, 3 attempts)",
      ],
    ];
    for (const [failure, text] of cases) {
      const error = httpFailureError(failure, wording);
      expect(error).toBeInstanceOf(UnavailableError);
      expect(error.message).toBe(`failed to read secret 'wh' from X: ${text}`);
      expect(error.connection).toBe("wh");
    }
  });

  it("takes the backend's own words for the answer, the deadline and the hints", () => {
    const words = {
      ...wording,
      answer: "download",
      deadline: "within X_TIMEOUT",
      rateLimitHint: "raise X_RETRIES",
      unreachableHint: "Check X_HOST",
    };
    expect(httpFailureError({ kind: "too_large", attempts: 1, limit: 5 }, words).message).toContain(
      "the download from",
    );
    expect(httpFailureError({ kind: "timeout", attempts: 2 }, words).message).toContain(
      "did not answer within X_TIMEOUT (2 attempts)",
    );
    expect(httpFailureError({ kind: "rate_limited", attempts: 2 }, words).describe()).toContain("raise X_RETRIES");
    expect(httpFailureError({ kind: "unreachable", attempts: 1 }, words).describe()).toContain("Check X_HOST");
  });
});
