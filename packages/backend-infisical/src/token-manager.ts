/**
 * Keeps one valid access token for the backend, logging in through the
 * SDK's Universal Auth login:
 *
 * - one login, shared by every concurrent caller (single flight);
 * - the token's lifetime is read from its own `exp` claim (the SDK keeps
 *   the token only); a new login is made when less than 10 % of that
 *   lifetime (at most 60 s) is left;
 * - `replace(token)` after the server rejected `token` mid-run: a new login,
 *   unless another caller already replaced it.
 *
 * Retries, the deadline and aborts wrap the SDK's login from outside (see
 * transport.ts). Each login spends one use of the client secret, so they are
 * kept rare.
 */
import type { Redactor } from "@bruin-ts/secrets-core";
import type { InfisicalConfig } from "./config.js";
import { loginError } from "./errors.js";
import { connectionProblem, tokenExpiry, type InfisicalSdkClient } from "./sdk.js";
import { callWithRetry, HttpAnswerError, TransportError, type RetryPolicy } from "./transport.js";

interface TokenState {
  token: string;
  /** ms; undefined when the token does not say. */
  expiresAt?: number;
  /** ms the token was issued for, to size the refresh margin. */
  lifetimeMs: number;
}

const MAX_REFRESH_MARGIN_MS = 60_000;

export class TokenManager {
  readonly #config: InfisicalConfig;
  readonly #policy: RetryPolicy;
  readonly #redactor: Redactor;
  readonly #deadlineMs: number;
  readonly #signal: AbortSignal;
  readonly #client: () => Promise<InfisicalSdkClient>;
  #state: TokenState | undefined;
  #pending: Promise<string> | undefined;
  #checked = false;
  /** How many logins happened (for diagnostics and tests). */
  readonly stats = { logins: 0 };

  constructor(options: {
    config: InfisicalConfig;
    policy: RetryPolicy;
    redactor: Redactor;
    deadlineMs: number;
    /** The SDK client the login is made with (it keeps the token for the reads). */
    client: () => Promise<InfisicalSdkClient>;
    /** Abandons a login in flight (the backend was closed). */
    signal: AbortSignal;
  }) {
    this.#config = options.config;
    this.#policy = options.policy;
    this.#redactor = options.redactor;
    this.#deadlineMs = options.deadlineMs;
    this.#signal = options.signal;
    this.#client = options.client;
  }

  /** A token that is valid now and not about to expire. */
  async current(): Promise<string> {
    if (this.#pending) return this.#pending;
    const state = this.#state;
    if (state && !this.#nearExpiry(state)) return state.token;
    return this.#singleFlight();
  }

  /** Called when the server refused `rejected`: logs in again unless that already happened. */
  async replace(rejected: string): Promise<string> {
    if (this.#pending) return this.#pending;
    if (this.#state && this.#state.token !== rejected) return this.#state.token;
    this.#state = undefined;
    return this.#singleFlight();
  }

  /** Forgets the token; the next call logs in again. */
  clear(): void {
    this.#state = undefined;
  }

  #singleFlight(): Promise<string> {
    const pending = this.#login().then((state) => {
      this.#state = state;
      return state.token;
    });
    this.#pending = pending;
    const done = () => {
      // Stryker disable next-line ConditionalExpression: equivalent: no login starts while #pending is set, and `done` runs before any caller's continuation
      if (this.#pending === pending) this.#pending = undefined;
    };
    pending.then(done, done);
    return pending;
  }

  #nearExpiry(state: TokenState): boolean {
    if (state.expiresAt === undefined) return false;
    const margin = Math.min(MAX_REFRESH_MARGIN_MS, state.lifetimeMs * 0.1);
    return state.expiresAt - this.#policy.now() <= margin;
  }

  async #login(): Promise<TokenState> {
    const deadline = this.#policy.now() + this.#deadlineMs;
    // The first login of a backend is sent beside a TLS check: a certificate problem is then known at once.
    const tls = new AbortController();
    const stop = AbortSignal.any([this.#signal, tls.signal]);
    const check = this.#checked ? undefined : connectionProblem(this.#config.host, stop);
    this.#checked = true;
    try {
      const login = (async () => {
        const client = await this.#client();
        await callWithRetry(
          () =>
            client
              .auth()
              .universalAuth.login({ clientId: this.#config.clientId, clientSecret: this.#config.clientSecret }),
          this.#policy,
          deadline,
          this.#signal,
        );
        return client.auth().getAccessToken();
      })();
      let unreachable = false;
      const certificate = check?.then((problem) => {
        if (typeof problem === "object") throw new TransportError({ kind: "tls", attempts: 1, code: problem.tls });
        unreachable = problem === "unreachable";
        return login;
      });
      // Whichever loses the race is still settled, never left as an unhandled rejection.
      login.catch(() => undefined);
      certificate?.catch(() => undefined);
      const token = await (certificate ? Promise.race([login, certificate]) : login).catch((error: unknown) => {
        // The SDK's retries may outlast an attempt: a host that refused the check is named as unreachable.
        if (unreachable && error instanceof TransportError && error.failure.kind === "timeout") {
          throw new TransportError({ kind: "unreachable", attempts: error.failure.attempts });
        }
        throw error;
      });
      if (typeof token !== "string" || token === "") {
        // Stryker disable next-line StringLiteral: equivalent: loginError words an HTTP 200 by its status and never shows this text
        throw loginError(this.#config, { status: 200, message: "no access token in the answer" });
      }
      // Masked before anything could print it.
      this.#redactor.add(token);
      this.stats.logins += 1;
      return this.#toState(token);
    } catch (error) {
      if (error instanceof TransportError) throw loginError(this.#config, error.failure);
      if (error instanceof HttpAnswerError)
        throw loginError(this.#config, { status: error.status, message: error.serverMessage });
      throw error;
    } finally {
      tls.abort();
    }
  }

  #toState(token: string): TokenState {
    const expiry = tokenExpiry(token);
    if (!expiry) return { token, lifetimeMs: 0 };
    const issuedAt = expiry.issuedAt ?? this.#policy.now();
    return { token, expiresAt: expiry.expiresAt, lifetimeMs: Math.max(0, expiry.expiresAt - issuedAt) };
  }
}
