/**
 * Keeps one valid access token for the backend. The SDK never refreshes its
 * token and its login discards `expiresIn` and `accessTokenMaxTTL`, so login
 * and renewal are done here with plain requests:
 *
 * - one login, shared by every concurrent caller (single flight);
 * - renewal when less than 10 % of the token's lifetime (at most 60 s) is
 *   left; a new login instead when a renewal could not extend the token
 *   (its max TTL, counted from the login, is too close) or is refused;
 * - `replace(token)` after the server rejected `token` mid-run: a new login,
 *   unless another caller already replaced it.
 *
 * Each login spends one use of the client secret, so they are kept rare.
 */
import type { Redactor } from "@bruin-ts/secrets-core";
import type { InfisicalConfig } from "./config.js";
import { loginError, type HttpFailure } from "./errors.js";
import { serverMessage } from "./sdk-fetch.js";
import { sendWithRetry, TransportError, type RetryPolicy } from "./transport.js";

interface TokenState {
  token: string;
  /** ms; undefined when the token does not expire. */
  expiresAt?: number;
  /** ms; past this the token cannot be renewed. */
  maxExpiresAt?: number;
  /** ms the token was issued for, to size the refresh margin. */
  lifetimeMs: number;
}

interface TokenResponse {
  accessToken: string;
  expiresIn?: number;
  accessTokenMaxTTL?: number;
}

const MAX_REFRESH_MARGIN_MS = 60_000;

export class TokenManager {
  readonly #config: InfisicalConfig;
  readonly #policy: RetryPolicy;
  readonly #redactor: Redactor;
  readonly #deadlineMs: number;
  readonly #signal: AbortSignal | undefined;
  #state: TokenState | undefined;
  #pending: Promise<string> | undefined;
  #sent: Promise<void> = Promise.resolve();
  /** How many logins and renewals happened (for diagnostics and tests). */
  readonly stats = { logins: 0, renewals: 0 };

  constructor(options: {
    config: InfisicalConfig;
    policy: RetryPolicy;
    redactor: Redactor;
    deadlineMs: number;
    /** Abandons a login or renewal in flight (the backend was closed). */
    signal?: AbortSignal;
  }) {
    this.#config = options.config;
    this.#policy = options.policy;
    this.#redactor = options.redactor;
    this.#deadlineMs = options.deadlineMs;
    this.#signal = options.signal;
  }

  /**
   * Settles once the login or renew request in progress has left (or has
   * finished, for a transport that does not say when it is sent). Work that
   * would hold the CPU is started after it, so it overlaps the round trip.
   */
  requestSent(): Promise<void> {
    return this.#sent;
  }

  /** A token that is valid now and not about to expire. */
  async current(): Promise<string> {
    if (this.#pending) return this.#pending;
    const state = this.#state;
    if (state && !this.#nearExpiry(state.expiresAt, state)) return state.token;
    const renewable = state !== undefined && this.#canRenew(state);
    return this.#singleFlight(() => (renewable ? this.#renewOrLogin(state) : this.#login()));
  }

  /** Called when the server refused `rejected`: logs in again unless that already happened. */
  async replace(rejected: string): Promise<string> {
    if (this.#pending) return this.#pending;
    if (this.#state && this.#state.token !== rejected) return this.#state.token;
    this.#state = undefined;
    return this.#singleFlight(() => this.#login());
  }

  /** Forgets the token; the next call logs in again. */
  clear(): void {
    this.#state = undefined;
  }

  #singleFlight(obtain: () => Promise<TokenState>): Promise<string> {
    const pending = obtain().then((state) => {
      this.#state = state;
      return state.token;
    });
    this.#pending = pending;
    const done = () => {
      if (this.#pending === pending) this.#pending = undefined;
    };
    pending.then(done, done);
    return pending;
  }

  #nearExpiry(at: number | undefined, state: TokenState): boolean {
    if (at === undefined) return false;
    const margin = Math.min(MAX_REFRESH_MARGIN_MS, state.lifetimeMs * 0.1);
    return at - this.#policy.now() <= margin;
  }

  /**
   * Infisical refuses a renewal whose new expiry (now + TTL) would pass the
   * max TTL, so with the default TTL = max TTL renewal never helps; asking
   * anyway would only cost a round trip.
   */
  #canRenew(state: TokenState): boolean {
    if (state.maxExpiresAt === undefined) return true;
    return this.#policy.now() + state.lifetimeMs <= state.maxExpiresAt && !this.#nearExpiry(state.maxExpiresAt, state);
  }

  async #renewOrLogin(state: TokenState): Promise<TokenState> {
    const renewed = await this.#post("/api/v1/auth/token/renew", { accessToken: state.token });
    if ("status" in renewed) {
      // Refused (expired, revoked, past the max TTL): a fresh login is the only way on.
      return this.#login();
    }
    this.stats.renewals += 1;
    // The max TTL counts from the original login; renewal does not move it.
    return this.#toState(renewed, state.maxExpiresAt);
  }

  async #login(): Promise<TokenState> {
    const result = await this.#post("/api/v1/auth/universal-auth/login", {
      clientId: this.#config.clientId,
      clientSecret: this.#config.clientSecret,
    });
    if ("status" in result) throw loginError(this.#config, result);
    this.stats.logins += 1;
    return this.#toState(result, undefined);
  }

  #toState(response: TokenResponse, maxExpiresAt: number | undefined): TokenState {
    const now = this.#policy.now();
    const expiresIn = positive(response.expiresIn);
    const maxTtl = positive(response.accessTokenMaxTTL);
    return {
      token: response.accessToken,
      expiresAt: expiresIn === undefined ? undefined : now + expiresIn * 1000,
      maxExpiresAt: maxExpiresAt ?? (maxTtl === undefined ? undefined : now + maxTtl * 1000),
      lifetimeMs: (expiresIn ?? 0) * 1000,
    };
  }

  /** POSTs JSON; returns the token response or the server's refusal. Outages throw. */
  async #post(path: string, body: unknown): Promise<TokenResponse | HttpFailure> {
    const url = `${this.#config.host}${path}`;
    const deadline = this.#policy.now() + this.#deadlineMs;
    let markSent!: () => void;
    this.#sent = new Promise((resolve) => (markSent = resolve));
    let response: Response;
    try {
      response = await sendWithRetry(
        (signal) =>
          this.#policy.fetch(url, {
            method: "POST",
            headers: { "content-type": "application/json", accept: "application/json" },
            body: JSON.stringify(body),
            signal,
            onSent: markSent,
          }),
        this.#policy,
        deadline,
        this.#signal,
      );
    } catch (error) {
      if (error instanceof TransportError) throw loginError(this.#config, error.failure);
      throw error;
    } finally {
      markSent();
    }
    const text = await response.text();
    if (!response.ok) return { status: response.status, ...serverMessage(text) };
    let parsed: Partial<TokenResponse>;
    try {
      parsed = JSON.parse(text) as Partial<TokenResponse>;
    } catch {
      parsed = {};
    }
    if (typeof parsed.accessToken !== "string" || parsed.accessToken === "") {
      return { status: response.status, message: "no access token in the answer" };
    }
    // Masked before anything could print it.
    this.#redactor.add(parsed.accessToken);
    return parsed as TokenResponse;
  }
}

function positive(value: unknown): number | undefined {
  return typeof value === "number" && Number.isFinite(value) && value > 0 ? value : undefined;
}
