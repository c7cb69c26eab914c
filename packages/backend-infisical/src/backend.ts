import type { BackendContext, ConnectionSecret, Redactor, SecretsBackend } from "@bruin-ts/secrets-core";
import {
  ConfigurationError,
  EXIT_CODES,
  UnavailableError,
  connectionNameProblem,
  displayName,
} from "@bruin-ts/secrets-core";
import {
  BACKEND_ID,
  displayHost,
  infisicalConfigWarnings,
  readInfisicalConfig,
  type InfisicalConfig,
} from "./config.js";
import { READ_PREFIX, tokenRejectedError, where } from "./errors.js";
import { loadInfisicalSdk, type InfisicalSdkClient, type InfisicalSdkModule } from "./sdk.js";
import { BATCH_THRESHOLD, ReadBatcher, untilAborted } from "./read-batch.js";
import { classifyFailure, type Attempt, type ReadFailure, type ReadResult } from "./read-failure.js";
import { pickRequested, toConnectionSecret, unexpectedAnswer, type SecretAnswer } from "./secret-answer.js";
import { TokenManager } from "./token-manager.js";
import { callWithRetry, realSleep, type RetryPolicy, type Sleep } from "./transport.js";

export interface InfisicalBackendOptions {
  /** Overall time one get()/list() may take, retries included. Default: BRUIN_INFISICAL_TIMEOUT, else 30 s. */
  deadlineMs?: number | undefined;
  /**
   * Time one SDK call may take (its own retries included) before it is given up and made again. Default: the
   * whole deadline. A call given up goes on in the background (the SDK cannot cancel it), so a shorter time
   * lets two calls for one read overlap.
   */
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

/** What a folder listing says about the names of one batch. */
type BatchAnswer = { picked: Map<string, SecretAnswer> } | { failure: ReadFailure };

/**
 * Connections from Infisical: each connection is a secret named after it in
 * one project / environment / folder, holding `{"type", "details"}` JSON.
 * Logins and reads go through `@infisical/sdk` (loaded on first use), used as
 * published; retries, the deadline and aborts wrap its calls (transport.ts);
 * tokens come from TokenManager.
 */
export class InfisicalBackend implements SecretsBackend {
  readonly id = BACKEND_ID;
  readonly exitCode = EXIT_CODES.secretsBackend;
  readonly config: InfisicalConfig;
  readonly #redactor: Redactor;
  readonly #policy: RetryPolicy;
  readonly #deadlineMs: number;
  readonly #tokens: TokenManager;
  readonly #loadSdk: () => Promise<InfisicalSdkModule>;
  readonly #reads = new ReadBatcher<ConnectionSecret>((names, signal) => this.#fetchWindow(names, signal));
  #sdk: Promise<SdkHandle> | undefined;
  #closed = false;
  /** Aborted by close(): every call still in flight (a shared login included) is abandoned. */
  readonly #closing = new AbortController();

  constructor(context: BackendContext, options: InfisicalBackendOptions = {}) {
    this.config = readInfisicalConfig(context.env);
    this.#redactor = context.redactor;
    // Registered before any request is made: nothing may ever print it.
    this.#redactor.add(this.config.clientSecret);
    const warn = context.warn ?? context.debug;
    for (const warning of infisicalConfigWarnings(context.env, this.config)) warn?.(warning);
    this.#deadlineMs = options.deadlineMs ?? this.config.timeoutMs;
    this.#loadSdk = options.loadSdk ?? loadInfisicalSdk;
    this.#policy = {
      now: options.now ?? Date.now,
      sleep: options.sleep ?? realSleep,
      // By default an SDK call may use the whole budget: one given up early could not be stopped, and its own
      // retries would then overlap the next attempt's (the SDK gives each request 10 s itself).
      requestTimeoutMs: options.requestTimeoutMs ?? this.#deadlineMs,
      retryBaseMs: options.retryBaseMs ?? 250,
      maxBackoffMs: 4_000,
      maxAttempts: options.maxAttempts ?? 8,
    };
    this.#tokens = new TokenManager({
      config: this.config,
      policy: this.#policy,
      redactor: this.#redactor,
      deadlineMs: this.#deadlineMs,
      client: () => this.#client().then((sdk) => sdk.client),
      signal: this.#closing.signal,
    });
  }

  environmentName(): string {
    return this.config.environment;
  }

  /** Logins so far. */
  get tokenStats(): { logins: number } {
    return { ...this.#tokens.stats };
  }

  describe(): string {
    return `Infisical at ${displayHost(this.config.host)} (${where(this.config)})`;
  }

  /**
   * Reads one connection. Calls made in the same turn of the event loop are
   * answered together: with fewer than BATCH_THRESHOLD distinct names, or
   * with BRUIN_INFISICAL_BATCH=never, each is read on its own (`getSecret`);
   * otherwise one listing of the folder with values answers all of them (see
   * #readBatch).
   */
  async get(name: string, signal?: AbortSignal): Promise<ConnectionSecret | undefined> {
    // The name becomes part of a URL path: `..` or a `/` would read something else.
    const problem = connectionNameProblem(name);
    if (problem) {
      throw new ConfigurationError(
        `${READ_PREFIX}: invalid connection name '${displayName(name)}': ${problem} (${where(this.config)})`,
        {
          backend: BACKEND_ID,
          connection: name,
        },
      );
    }
    return this.#reads.request(name, signal);
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
      throw new UnavailableError(
        `${READ_PREFIX}: unexpected answer from ${displayHost(this.config.host)} (${where(this.config)})`,
        {
          backend: BACKEND_ID,
        },
      );
    }
    return result.secrets.map((secret) => secret.secretKey).sort();
  }

  async close(): Promise<void> {
    // Calls in flight are abandoned (their callers answered at once) and the token forgotten.
    this.#closed = true;
    this.#closing.abort(new UnavailableError(`${READ_PREFIX}: the backend was closed`, { backend: BACKEND_ID }));
    this.#tokens.clear();
  }

  /** One window of get() calls (see read-batch.ts): one request per name, or one listing for all. */
  #fetchWindow(
    names: ReadonlyMap<string, AbortSignal | undefined>,
    signal: AbortSignal | undefined,
  ): Map<string, Promise<ConnectionSecret>> {
    if (this.config.batch === "never" || names.size < BATCH_THRESHOLD) {
      return new Map([...names].map(([name, own]) => [name, this.#readOne(name, own)]));
    }
    const deadline = this.#policy.now() + this.#deadlineMs;
    const listing = this.#readBatch(new Set(names.keys()), deadline, signal);
    return new Map(
      [...names].map(([name, own]) => [
        name,
        listing.then((answer) => {
          if ("failure" in answer) throw answer.failure.error(name);
          if (answer.picked.has(name))
            return toConnectionSecret(name, answer.picked.get(name), this.config, this.#redactor);
          // Not in the listing (missing, or not visible to this identity): the single read says precisely why.
          return this.#readOne(name, own, deadline);
        }),
      ]),
    );
  }

  async #readOne(name: string, signal: AbortSignal | undefined, deadline?: number): Promise<ConnectionSecret> {
    const secret = await this.#withToken(
      name,
      signal,
      (sdk) =>
        sdk.client.secrets().getSecret({
          projectId: this.config.projectId,
          environment: this.config.environment,
          secretPath: this.config.secretPath,
          secretName: name,
          type: sdk.sharedType,
          expandSecretReferences: true,
          viewSecretValue: true,
        }),
      deadline,
    );
    return toConnectionSecret(name, secret, this.config, this.#redactor);
  }

  /**
   * Batched reads: one listing of the configured folder, with values and
   * references expanded, instead of K `getSecret` calls. It costs one request
   * against Infisical's rate limits instead of K, and one round trip. The
   * price: the listing carries the value of every secret in the folder over
   * the wire; those not asked for are dropped unread (pickRequested). An
   * identity allowed to read only some secrets sees only those listed; the
   * names missing from the listing fall back to single reads, as does every
   * name when the listing itself is refused (403) or not found (404), so each
   * error stays as precise as a single read's. Other failures (login, token,
   * outage past the deadline) are reported for every name of the batch.
   */
  async #readBatch(
    names: ReadonlySet<string>,
    deadline: number,
    signal: AbortSignal | undefined,
  ): Promise<BatchAnswer> {
    const result = await this.#attempt(signal, deadline, (sdk) =>
      sdk.client
        .secrets()
        .listSecrets({
          projectId: this.config.projectId,
          environment: this.config.environment,
          secretPath: this.config.secretPath,
          recursive: false,
          includeImports: false,
          expandSecretReferences: true,
          viewSecretValue: true,
        })
        .then((listing) => pickRequested(listing?.secrets, names, sdk.sharedType)),
    );
    if ("failure" in result) {
      // Refused or not found: each name is read on its own.
      const { status } = result.failure;
      return status === 403 || status === 404 ? { picked: new Map() } : result;
    }
    if (!result.value) return { failure: { error: (name) => unexpectedAnswer(name ?? "(listing)", this.config) } };
    return { picked: result.value };
  }

  /** Runs one SDK read with a valid token and throws what went wrong, naming `connection`. */
  async #withToken<T>(
    connection: string | undefined,
    signal: AbortSignal | undefined,
    read: (sdk: SdkHandle) => Promise<T>,
    deadline = this.#policy.now() + this.#deadlineMs,
  ): Promise<T> {
    const result = await this.#attempt(signal, deadline, read);
    if ("failure" in result) throw result.failure.error(connection);
    return result.value;
  }

  /** Runs one SDK read with a valid token; logs in again once if the token is refused mid-run. */
  async #attempt<T>(
    signal: AbortSignal | undefined,
    deadline: number,
    read: (sdk: SdkHandle) => Promise<T>,
  ): Promise<Attempt<T>> {
    if (this.#closed) {
      return {
        failure: {
          error: (connection) =>
            new UnavailableError(`${READ_PREFIX}: the backend was closed`, { backend: BACKEND_ID, connection }),
        },
      };
    }
    // The login is shared with other callers: one caller's abort stops its own wait, not the login.
    const [sdk, tokenValue] = await untilAborted(Promise.all([this.#client(), this.#tokens.current()]), signal);
    let result = await this.#read(sdk, tokenValue, deadline, signal, read);
    if ("rejectedToken" in result) {
      const fresh = await untilAborted(this.#tokens.replace(tokenValue), signal);
      result = await this.#read(sdk, fresh, deadline, signal, read);
      if ("rejectedToken" in result) {
        return { failure: { error: (connection) => tokenRejectedError(this.config, connection ?? "(listing)") } };
      }
    }
    return result;
  }

  async #read<T>(
    sdk: SdkHandle,
    token: string,
    deadline: number,
    signal: AbortSignal | undefined,
    read: (sdk: SdkHandle) => Promise<T>,
  ): Promise<ReadResult<T>> {
    const abandon = signal ? AbortSignal.any([signal, this.#closing.signal]) : this.#closing.signal;
    try {
      const value = await callWithRetry(
        () => {
          // The SDK sends whatever token it holds; make sure it is the one we reason about.
          sdk.client.auth().accessToken(token);
          return read(sdk);
        },
        this.#policy,
        deadline,
        abandon,
      );
      return { value };
    } catch (error) {
      return classifyFailure(this.config, error);
    }
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

/** The `BackendFactory` for `--secrets-backend infisical`. Throws a ConfigurationError when a variable is missing. */
export function createInfisicalBackend(context: BackendContext, options?: InfisicalBackendOptions): InfisicalBackend {
  return new InfisicalBackend(context, options);
}
