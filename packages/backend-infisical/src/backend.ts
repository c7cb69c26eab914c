import type { BackendContext, ConnectionSecret, Redactor, SecretsBackend, SecretsError } from "@bruin-ts/secrets-core";
import { EXIT_SECRETS_BACKEND, NotFoundError, PermissionError, UnavailableError, UnparsableSecretError } from "@bruin-ts/secrets-core";
import { BACKEND_ID, displayHost, readInfisicalConfig, type InfisicalConfig } from "./config.js";
import { READ_PREFIX, readError, tokenRejectedError, where, type HttpFailure } from "./errors.js";
import { parseSdkError, runWithScopedFetch, type CallOutcome } from "./sdk-fetch.js";
import { loadInfisicalSdk, type InfisicalSdkClient, type InfisicalSdkModule } from "./sdk-loader.js";
import { parseConnectionSecret } from "./secret-format.js";
import { TokenManager } from "./token-manager.js";
import { realSleep, type FetchLike, type RetryPolicy, type Sleep } from "./transport.js";

export interface InfisicalBackendOptions {
  /** Used for every request (the SDK's included); defaults to the global fetch. */
  fetch?: FetchLike;
  /** Overall time one get()/list() may take, retries included. Default: BRUIN_INFISICAL_TIMEOUT, else 30 s. */
  deadlineMs?: number;
  /** Time one HTTP attempt may take. Default 10 s. */
  requestTimeoutMs?: number;
  /** First retry delay; doubles per attempt, capped at 4 s. Default 250 ms. */
  retryBaseMs?: number;
  /** Attempts per request before giving up. Default 8. */
  maxAttempts?: number;
  /** Clock in ms, for token lifetimes and deadlines. */
  now?: () => number;
  sleep?: Sleep;
  /** Loads `@infisical/sdk`; defaults to a lazy import. For hosts that must load it another way. */
  loadSdk?: () => Promise<InfisicalSdkModule>;
}

interface SdkHandle {
  client: InfisicalSdkClient;
  sharedType: InfisicalSdkModule["SecretType"]["Shared"];
}

/** Which way a read failed, as far as retrying with a new token is concerned. */
type ReadResult<T> = { value: T } | { rejectedToken: true } | { error: SecretsError };

/**
 * Connections from Infisical: each connection is a secret named after it in
 * one project / environment / folder, holding `{"type", "details"}` JSON.
 * Reads go through `@infisical/sdk` (loaded on first use) with our own
 * transport underneath (see sdk-fetch.ts); tokens come from TokenManager.
 */
export class InfisicalBackend implements SecretsBackend {
  readonly id = BACKEND_ID;
  readonly exitCode = EXIT_SECRETS_BACKEND;
  readonly config: InfisicalConfig;
  readonly #redactor: Redactor;
  readonly #policy: RetryPolicy;
  readonly #deadlineMs: number;
  readonly #tokens: TokenManager;
  readonly #loadSdk: () => Promise<InfisicalSdkModule>;
  #sdk: Promise<SdkHandle> | undefined;
  #closed = false;

  constructor(context: BackendContext, options: InfisicalBackendOptions = {}) {
    this.config = readInfisicalConfig(context.env);
    this.#redactor = context.redactor;
    // Registered before any request is made: nothing may ever print it.
    this.#redactor.add(this.config.clientSecret);
    this.#deadlineMs = options.deadlineMs ?? this.config.timeoutMs;
    this.#loadSdk = options.loadSdk ?? loadInfisicalSdk;
    this.#policy = {
      fetch: options.fetch ?? ((input, init) => globalThis.fetch(input, init)),
      now: options.now ?? Date.now,
      sleep: options.sleep ?? realSleep,
      // An attempt never gets the whole budget, so a hung request still leaves time to retry.
      requestTimeoutMs: options.requestTimeoutMs ?? Math.min(10_000, Math.max(1_000, this.#deadlineMs / 3)),
      retryBaseMs: options.retryBaseMs ?? 250,
      maxBackoffMs: 4_000,
      maxAttempts: options.maxAttempts ?? 8,
    };
    this.#tokens = new TokenManager({
      config: this.config,
      policy: this.#policy,
      redactor: this.#redactor,
      deadlineMs: this.#deadlineMs,
    });
  }

  environmentName(): string {
    return this.config.environment;
  }

  /** Logins and renewals so far. */
  get tokenStats(): { logins: number; renewals: number } {
    return { ...this.#tokens.stats };
  }

  describe(): string {
    return `Infisical at ${displayHost(this.config.host)} (${where(this.config)})`;
  }

  async get(name: string, signal?: AbortSignal): Promise<ConnectionSecret | undefined> {
    if (name.trim() === "") {
      throw new NotFoundError(`${READ_PREFIX}: an empty connection name was asked for (${where(this.config)})`, { backend: BACKEND_ID });
    }
    const secret = await this.#withToken(name, signal, (sdk) =>
      sdk.client.secrets().getSecret({
        projectId: this.config.projectId,
        environment: this.config.environment,
        secretPath: this.config.secretPath,
        secretName: name,
        type: sdk.sharedType,
        expandSecretReferences: true,
        viewSecretValue: true,
      }),
    );
    if (typeof secret !== "object" || secret === null) {
      // A 200 without the expected JSON, e.g. a proxy's page in front of the API.
      throw new UnavailableError(`${READ_PREFIX}: unexpected answer from ${displayHost(this.config.host)} for secret '${name}' (${where(this.config)})`, {
        backend: BACKEND_ID,
        connection: name,
      });
    }
    if (secret.secretValueHidden === true || typeof secret.secretValue !== "string") {
      if (secret.secretValueHidden === true) {
        throw new PermissionError(
          `${READ_PREFIX}: permission denied to read the value of secret '${name}' (${where(this.config)}). ` +
            "Grant the machine identity permission to read secret values, not only names",
          { backend: BACKEND_ID, connection: name },
        );
      }
      throw new UnparsableSecretError(`failed to parse secret as JSON: connection '${name}' (${where(this.config)}) has no value`, {
        backend: BACKEND_ID,
        connection: name,
      });
    }
    return parseConnectionSecret(name, secret.secretValue, where(this.config), this.#redactor);
  }

  /** Names of the secrets in the configured folder (values are not fetched). */
  async list(signal?: AbortSignal): Promise<string[]> {
    const result = await this.#withToken(undefined, signal, (sdk) =>
      sdk.client.secrets().listSecrets({
        projectId: this.config.projectId,
        environment: this.config.environment,
        secretPath: this.config.secretPath,
        expandSecretReferences: false,
        viewSecretValue: false,
      }),
    );
    if (!Array.isArray(result?.secrets)) {
      throw new UnavailableError(`${READ_PREFIX}: unexpected answer from ${displayHost(this.config.host)} (${where(this.config)})`, {
        backend: BACKEND_ID,
      });
    }
    return result.secrets.map((secret) => secret.secretKey).sort();
  }

  async close(): Promise<void> {
    // No timers or sockets outlive a request; forgetting the token is all there is to do.
    this.#closed = true;
    this.#tokens.clear();
  }

  /** Runs one SDK read with a valid token; logs in again once if the token is refused mid-run. */
  async #withToken<T>(connection: string | undefined, signal: AbortSignal | undefined, read: (sdk: SdkHandle) => Promise<T>): Promise<T> {
    if (this.#closed) {
      throw new UnavailableError(`${READ_PREFIX}: the backend was closed`, { backend: BACKEND_ID, connection });
    }
    const deadline = this.#policy.now() + this.#deadlineMs;
    // The login is shared with other callers: one caller's abort stops its own wait, not the login.
    const [sdk, token] = await untilAborted(Promise.all([this.#client(), this.#tokens.current()]), signal);
    let result = await this.#read(sdk, token, connection, deadline, signal, read);
    if ("rejectedToken" in result) {
      const fresh = await untilAborted(this.#tokens.replace(token), signal);
      result = await this.#read(sdk, fresh, connection, deadline, signal, read);
      if ("rejectedToken" in result) throw tokenRejectedError(this.config, connection ?? "(listing)");
    }
    if ("error" in result) throw result.error;
    return result.value;
  }

  async #read<T>(
    sdk: SdkHandle,
    token: string,
    connection: string | undefined,
    deadline: number,
    signal: AbortSignal | undefined,
    read: (sdk: SdkHandle) => Promise<T>,
  ): Promise<ReadResult<T>> {
    // The SDK sends whatever token it holds; make sure it is the one we reason about.
    sdk.client.auth().accessToken(token);
    const result = await runWithScopedFetch(() => read(sdk), this.#policy.fetch, this.#policy, deadline, signal);
    if ("value" in result) return result;
    return this.#classify(result.error, result.outcome, connection);
  }

  #classify(error: unknown, outcome: CallOutcome, connection: string | undefined): ReadResult<never> {
    if (outcome.aborted !== undefined) throw outcome.aborted;
    if (outcome.transport) return { error: readError(this.config, outcome.transport.failure, connection) };
    const http = outcome.http ?? fromSdkError(error);
    if (!http) {
      // Neither transport nor HTTP: an answer the SDK could not handle. Its message may hold the URL, so only its name is kept.
      const name = error instanceof Error ? error.name : typeof error;
      return {
        error: new UnavailableError(`${READ_PREFIX}: unexpected answer from ${displayHost(this.config.host)} (${where(this.config)})`, {
          backend: BACKEND_ID,
          connection,
          detail: name,
        }),
      };
    }
    if (http.status === 401 || (http.status === 403 && isTokenError(http))) return { rejectedToken: true };
    return { error: readError(this.config, http, connection) };
  }

  #client(): Promise<SdkHandle> {
    this.#sdk ??= this.#loadSdk().then(({ InfisicalSDK, SecretType }) => ({
      client: new InfisicalSDK({ siteUrl: this.config.host }),
      sharedType: SecretType.Shared,
    }));
    this.#sdk.catch(() => {
      this.#sdk = undefined;
    });
    return this.#sdk;
  }
}

function untilAborted<T>(promise: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) return promise;
  signal.throwIfAborted();
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener("abort", onAbort, { once: true });
    promise.then(resolve, reject).finally(() => signal.removeEventListener("abort", onAbort));
  });
}

/** A 403 about the token itself (expired, revoked), as opposed to a missing permission. */
function isTokenError(http: HttpFailure): boolean {
  return http.error === "TokenError" || /token (has )?expired|re-authenticate/i.test(http.message ?? "");
}

function fromSdkError(error: unknown): HttpFailure | undefined {
  const parsed = parseSdkError(error);
  return parsed.status === undefined ? undefined : { status: parsed.status, message: parsed.message };
}

/** The `BackendFactory` for `--secrets-backend infisical`. Throws a ConfigurationError when a variable is missing. */
export function createInfisicalBackend(context: BackendContext, options?: InfisicalBackendOptions): InfisicalBackend {
  return new InfisicalBackend(context, options);
}
