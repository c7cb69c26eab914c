import { setMaxListeners } from "node:events";
import type { Agent as HttpAgent } from "node:http";
import {
  AuthenticationError,
  ConfigurationError,
  EXIT_CODES,
  MAX_RESPONSE_BYTES,
  NotFoundError,
  PermissionError,
  UnavailableError,
  UnparsableSecretError,
  checkSecretSize,
  connectionNameProblem,
  displayName,
  httpFailureError,
  isSecretsError,
  parseConnectionEnvelope,
  registerSensitiveDetails,
  tlsErrorCode,
  type BackendContext,
  type ConnectionSecret,
  type HttpRetryFailure,
  type Redactor,
  type SecretsBackend,
  type SecretsError,
} from "@bruin-ts/secrets-core";
import { ResponseTooLargeError, cappedHandler } from "./capped-handler.js";
import { BACKEND_ID, defaultHost, displayEndpoint, readAwsConfig, type AwsConfig } from "./config.js";

type Sdk = typeof import("@aws-sdk/client-secrets-manager");
type HttpHandlerModule = typeof import("@smithy/node-http-handler");
type Client = InstanceType<Sdk["SecretsManagerClient"]>;

export interface AwsBackendOptions {
  /** One read (or the whole listing), its retries included (default 30 s, the reference's timeout). */
  timeoutMs?: number;
  /** Retries after a throttling error, a 5xx or a failed connection (default 3). */
  maxRetries?: number;
  /**
   * The agent for requests to `endpoint` (the region's or the configured one).
   * The AWS SDK talks over `node:http(s)`, not `fetch`, so a host's fetch
   * dispatcher does not reach it: a CLI passes a proxy agent here when
   * HTTPS_PROXY / NO_PROXY say the endpoint goes through one.
   */
  agentFor?: (endpoint: URL) => HttpAgent | undefined;
  /** The most of one answer that is read (default MAX_RESPONSE_BYTES, 16 MiB); past it the request fails. */
  maxResponseBytes?: number;
}

/** How many distinct connections, asked for in the same turn, are read with BatchGetSecretValue. */
export const BATCH_THRESHOLD = 5;
/** The most secrets one BatchGetSecretValue may name. */
export const BATCH_SIZE = 20;

/** What AWS secret names may hold: letters, digits and `/_+=.@-`. */
const AWS_NAME = /^[A-Za-z0-9/_+=.@-]{1,512}$/;

const AUTH_ERRORS = new Set([
  "UnrecognizedClientException",
  "InvalidSignatureException",
  "SignatureDoesNotMatch",
  "InvalidClientTokenId",
  "ExpiredTokenException",
  "IncompleteSignatureException",
  "MissingAuthenticationTokenException",
]);
const THROTTLING_ERRORS = new Set(["ThrottlingException", "TooManyRequestsException", "Throttling"]);

interface Waiter {
  resolve: (secret: ConnectionSecret) => void;
  reject: (reason: unknown) => void;
}

/**
 * Connections from AWS Secrets Manager: each connection is the secret named
 * after it, whose SecretString is `{"type", "details"}` JSON. The SDK
 * (`@aws-sdk/client-secrets-manager`) is imported on first use.
 *
 * Reads asked for in the same turn of the event loop (a run resolves all its
 * connections at once) are gathered: under BATCH_THRESHOLD distinct names,
 * one GetSecretValue each, in parallel; from it on, BatchGetSecretValue with
 * up to BATCH_SIZE names per call. An identity that may not call
 * BatchGetSecretValue gets the single reads instead.
 */
export class AwsBackend implements SecretsBackend {
  readonly id = BACKEND_ID;
  readonly exitCode = EXIT_CODES.secretsBackend;
  readonly config: AwsConfig;
  readonly #redactor: Redactor;
  readonly #options: Required<Omit<AwsBackendOptions, "agentFor">>;
  readonly #agentFor: AwsBackendOptions["agentFor"];
  readonly #closing = new AbortController();
  #client: Promise<{ sdk: Sdk; client: Client }> | undefined;
  #window: Map<string, Waiter[]> | undefined;
  /** Set once BatchGetSecretValue was refused: later windows read one by one. */
  #batchDenied = false;

  constructor(context: BackendContext, options: AwsBackendOptions = {}) {
    this.config = readAwsConfig(context.env);
    this.#redactor = context.redactor;
    // Registered before any request: nothing may ever print them.
    const credentials = this.config.credentials;
    if (credentials) {
      this.#redactor.add(credentials.secretAccessKey);
      if (credentials.sessionToken !== undefined) this.#redactor.add(credentials.sessionToken);
    }
    this.#options = {
      timeoutMs: options.timeoutMs ?? 30_000,
      maxRetries: options.maxRetries ?? 3,
      maxResponseBytes: options.maxResponseBytes ?? MAX_RESPONSE_BYTES,
    };
    this.#agentFor = options.agentFor;
    if (this.config.endpoint !== undefined) {
      const url = new URL(this.config.endpoint);
      if (url.protocol === "http:" && !["127.0.0.1", "localhost", "[::1]"].includes(url.hostname)) {
        (context.warn ?? context.debug)?.(
          `${this.config.endpointVariable} is plain http:// to ${url.host}: every secret travels unencrypted; use https://`,
        );
      }
    }
  }

  describe(): string {
    const at = this.config.endpoint === undefined ? "" : ` at ${displayEndpoint(this.config)}`;
    return `AWS Secrets Manager${at} (${this.#where()})`;
  }

  async get(name: string, signal?: AbortSignal): Promise<ConnectionSecret> {
    const problem =
      connectionNameProblem(name) ??
      (AWS_NAME.test(name) ? undefined : "AWS secret names allow only letters, digits and /_+=.@-");
    if (problem) {
      throw new ConfigurationError(
        `failed to read secret '${displayName(name)}' from AWS Secrets Manager: invalid connection name: ${problem}`,
        { backend: BACKEND_ID, connection: name },
      );
    }
    signal?.throwIfAborted();
    if (!this.#window) {
      this.#window = new Map();
      setImmediate(() => this.#flush());
    }
    const waiters = this.#window.get(name) ?? [];
    this.#window.set(name, waiters);
    const answer = new Promise<ConnectionSecret>((resolve, reject) => waiters.push({ resolve, reject }));
    return untilAborted(answer, signal);
  }

  /** The names of the region's secrets (ListSecrets, every page) that can be connection names, sorted. */
  async list(signal?: AbortSignal): Promise<string[]> {
    const deadline = this.#deadline(signal);
    const names: string[] = [];
    const seen = new Set<string>();
    let next: string | undefined;
    try {
      const { sdk, client } = await this.#sdk(deadline);
      do {
        const input = {
          MaxResults: 100,
          IncludePlannedDeletion: false,
          ...(next !== undefined ? { NextToken: next } : {}),
        };
        const answer = await this.#send((options) => client.send(new sdk.ListSecretsCommand(input), options), deadline);
        for (const secret of answer.SecretList ?? []) if (typeof secret.Name === "string") names.push(secret.Name);
        next = answer.NextToken;
        if (next !== undefined && seen.has(next)) break;
        if (next !== undefined) seen.add(next);
      } while (next !== undefined);
    } catch (error) {
      if (signal?.aborted) throw signal.reason;
      throw this.#error(error, undefined, deadline);
    }
    // A name with `/` (`prod/app/db`) is another application's secret: it cannot be a connection name.
    return names.filter((name) => connectionNameProblem(name) === undefined).sort();
  }

  async close(): Promise<void> {
    this.#closing.abort(new UnavailableError("the AWS Secrets Manager backend was closed", { backend: BACKEND_ID }));
    const pending = this.#client;
    this.#client = undefined;
    if (pending) await pending.then(({ client }) => client.destroy()).catch(() => undefined);
  }

  /** One window of get() calls: single reads, or batches of BATCH_SIZE. */
  #flush(): void {
    const window = this.#window;
    this.#window = undefined;
    if (!window) return;
    const names = [...window.keys()];
    const answers = new Map<string, Promise<ConnectionSecret>>();
    if (names.length < BATCH_THRESHOLD || this.#batchDenied) {
      for (const name of names) answers.set(name, this.#readOne(name));
    } else {
      for (let start = 0; start < names.length; start += BATCH_SIZE) {
        const chunk = names.slice(start, start + BATCH_SIZE);
        for (const [name, answer] of this.#readBatch(chunk)) answers.set(name, answer);
      }
    }
    for (const [name, waiters] of window) {
      const answer = answers.get(name)!;
      for (const waiter of waiters) answer.then(waiter.resolve, waiter.reject);
    }
  }

  async #readOne(name: string, deadline = this.#deadline()): Promise<ConnectionSecret> {
    let answer;
    try {
      const { sdk, client } = await this.#sdk(deadline);
      answer = await this.#send(
        (options) => client.send(new sdk.GetSecretValueCommand({ SecretId: name }), options),
        deadline,
      );
    } catch (error) {
      throw this.#error(error, name, deadline);
    }
    return this.#toSecret(name, answer.SecretString);
  }

  /** One BatchGetSecretValue for `names`; a name it has no value or error for is read alone. */
  #readBatch(names: string[]): Map<string, Promise<ConnectionSecret>> {
    const deadline = this.#deadline();
    const batch = (async () => {
      const { sdk, client } = await this.#sdk(deadline);
      return this.#send(
        (options) => client.send(new sdk.BatchGetSecretValueCommand({ SecretIdList: names }), options),
        deadline,
      );
    })();
    return new Map(
      names.map((name) => [
        name,
        batch.then(
          (answer) => {
            const value = answer.SecretValues?.find((entry) => entry.Name === name || entry.ARN === name);
            if (value) return this.#toSecret(name, value.SecretString);
            const failure = answer.Errors?.find((entry) => entry.SecretId === name);
            if (failure?.ErrorCode !== undefined && failure.ErrorCode !== "InternalServiceError") {
              // A per-secret error inside a successful answer: worded as the same error of a single read.
              throw this.#error(
                { name: failure.ErrorCode, $metadata: { httpStatusCode: 400, attempts: 1 } },
                name,
                deadline,
              );
            }
            return this.#readOne(name, deadline);
          },
          (error: unknown) => {
            if ((error as { name?: unknown }).name === "AccessDeniedException") {
              // The identity may read secrets but not call BatchGetSecretValue: read one by one from now on.
              this.#batchDenied = true;
              return this.#readOne(name, deadline);
            }
            throw this.#error(error, name, deadline);
          },
        ),
      ]),
    );
  }

  #toSecret(name: string, value: string | undefined): ConnectionSecret {
    const where = `AWS Secrets Manager, ${this.#where()}`;
    if (typeof value !== "string") {
      throw new UnparsableSecretError(`secret '${displayName(name)}' has no string value (${where})`, {
        backend: BACKEND_ID,
        connection: name,
        hint: "Store the connection as a secret string (plaintext JSON), not as binary",
      });
    }
    checkSecretSize(value, { backend: BACKEND_ID, connection: name, location: where });
    // Registered whole before parsing: a message quoting it is masked too.
    this.#redactor.add(value);
    return parseConnectionEnvelope(name, value, {
      backend: BACKEND_ID,
      where,
      onParsed: (document) => registerSensitiveDetails(document, this.#redactor),
    });
  }

  /**
   * The client, made on first use: the SDK is imported only when the backend
   * reads. With the default credential chain, the keys it finds are resolved
   * here and registered with the redactor before any request, as the
   * BRUIN_AWS_* ones are in the constructor.
   */
  #sdk(deadline: Deadline): Promise<{ sdk: Sdk; client: Client }> {
    this.#client ??= Promise.all([import("@aws-sdk/client-secrets-manager"), import("@smithy/node-http-handler")]).then(
      async ([sdk, http]) => {
        const client = this.#makeClient(sdk, http);
        if (!this.config.credentials) {
          try {
            const identity = await client.config.credentials();
            this.#redactor.add(identity.secretAccessKey);
            if (identity.sessionToken !== undefined) this.#redactor.add(identity.sessionToken);
          } catch (error) {
            client.destroy();
            throw error;
          }
        }
        return { sdk, client };
      },
    );
    return untilAborted(this.#client, deadline.signal);
  }

  #makeClient(sdk: Sdk, http: HttpHandlerModule): Client {
    const endpoint = new URL(this.config.endpoint ?? `https://${defaultHost(this.config.region)}`);
    const agent = this.#agentFor?.(endpoint);
    return new sdk.SecretsManagerClient({
      region: this.config.region,
      ...(this.config.endpoint !== undefined ? { endpoint: this.config.endpoint } : {}),
      // Without the BRUIN_AWS_* keys the SDK's default credential chain applies (it reads the
      // process's AWS_* variables and ~/.aws itself).
      ...(this.config.credentials ? { credentials: this.config.credentials } : {}),
      // One retry layer, the SDK's: its standard strategy already classifies what is worth
      // retrying (ThrottlingException and other throttling codes or a 429; 500/502/503/504;
      // ECONNRESET, ECONNREFUSED, timeouts), backs off exponentially with jitter (from 1 s for
      // throttling), waits at least what a Retry-After asks (up to 5 s beyond its backoff), and
      // keeps a retry budget shared by the client's parallel reads. Wrapping it in fetchWithRetry's
      // loop as well would multiply the attempts. It is set here explicitly so AWS_MAX_ATTEMPTS /
      // AWS_RETRY_MODE in the environment do not change it; the overall deadline is the abort
      // signal of each call (#send), which also cuts a retry's wait short.
      retryMode: "standard",
      maxAttempts: this.#options.maxRetries + 1,
      requestHandler: cappedHandler(http, {
        requestTimeout: this.#options.timeoutMs,
        connectionTimeout: Math.min(this.#options.timeoutMs, 10_000),
        maxBodyBytes: this.#options.maxResponseBytes,
        ...(agent === undefined ? {} : { agent: { agent, https: endpoint.protocol === "https:" } }),
      }),
    });
  }

  /** A deadline for one read or listing: aborted by the caller, the backend's close, or the timeout. */
  #deadline(signal?: AbortSignal): Deadline {
    const timeout = AbortSignal.timeout(this.#options.timeoutMs);
    const signals = [this.#closing.signal, timeout, ...(signal ? [signal] : [])];
    const any = AbortSignal.any(signals);
    // One deadline serves a whole batch, and the SDK listens to it once per request: no leak warning for this signal.
    setMaxListeners(0, any);
    return { signal: any, timedOut: () => timeout.aborted && !this.#closing.signal.aborted };
  }

  /** One SDK call (its retries included) under `deadline`, given up as soon as the deadline's signal aborts. */
  async #send<Output>(
    call: (options: { abortSignal: AbortSignal }) => Promise<Output>,
    deadline: Deadline,
  ): Promise<Output> {
    deadline.signal.throwIfAborted();
    return untilAborted(call({ abortSignal: deadline.signal }), deadline.signal);
  }

  #error(error: unknown, connection: string | undefined, deadline: Deadline): SecretsError {
    if (isSecretsError(error)) return error;
    const subject =
      connection === undefined
        ? "failed to list secrets in AWS Secrets Manager"
        : `failed to read secret '${displayName(connection)}' from AWS Secrets Manager`;
    const context = { backend: BACKEND_ID, ...(connection !== undefined ? { connection } : {}) };
    const e = (error ?? {}) as {
      name?: unknown;
      code?: unknown;
      $metadata?: { httpStatusCode?: number; attempts?: number };
    };
    const name = typeof e.name === "string" ? e.name : "Error";
    const status = e.$metadata?.httpStatusCode;
    const detail = `${name}${status === undefined ? "" : `, HTTP ${status}`}`;
    if (deadline.timedOut()) {
      return new UnavailableError(
        `${subject}: ${displayEndpoint(this.config)} did not answer within ${Math.round(this.#options.timeoutMs / 1000)} s`,
        { ...context, detail },
      );
    }
    if (name === "ResourceNotFoundException" && connection !== undefined) {
      return new NotFoundError(
        `secret '${displayName(connection)}' not found in AWS Secrets Manager (${this.#where()})`,
        {
          ...context,
          detail,
          hint: "Create a secret named exactly after the connection, or check BRUIN_AWS_REGION",
        },
      );
    }
    if (name === "AccessDeniedException") {
      const action = connection === undefined ? "secretsmanager:ListSecrets" : "secretsmanager:GetSecretValue";
      return new PermissionError(`${subject}: access denied (AccessDeniedException; ${this.#where()})`, {
        ...context,
        detail,
        hint: `Check that the identity's IAM policy allows ${action}${connection === undefined ? "" : " on this secret (and kms:Decrypt on its KMS key)"}`,
      });
    }
    if (name === "DecryptionFailure") {
      return new PermissionError(
        `${subject}: Secrets Manager could not decrypt it with its KMS key (DecryptionFailure)`,
        {
          ...context,
          detail,
          hint: "Check that the identity may use kms:Decrypt on the secret's KMS key",
        },
      );
    }
    if (AUTH_ERRORS.has(name)) {
      return new AuthenticationError(`${subject}: the credentials were refused (${name})`, {
        ...context,
        detail,
        hint: this.config.credentials
          ? "Check BRUIN_AWS_ACCESS_KEY_ID and BRUIN_AWS_SECRET_ACCESS_KEY, and BRUIN_AWS_SESSION_TOKEN for temporary credentials"
          : "Check the credentials the SDK's default chain finds (AWS_PROFILE, AWS_ACCESS_KEY_ID, ~/.aws), or set BRUIN_AWS_ACCESS_KEY_ID and BRUIN_AWS_SECRET_ACCESS_KEY",
      });
    }
    if (name === "CredentialsProviderError") {
      return new ConfigurationError(`${subject}: no AWS credentials were found`, {
        ...context,
        hint: "Set BRUIN_AWS_ACCESS_KEY_ID and BRUIN_AWS_SECRET_ACCESS_KEY, or configure the SDK's default credential chain (AWS_PROFILE, ~/.aws/credentials, an instance or container role)",
      });
    }
    const attempts = e.$metadata?.attempts ?? 1;
    let failure: HttpRetryFailure | undefined;
    const tls = tlsErrorCode(error);
    const tooLarge = causes(error).find((cause) => cause instanceof ResponseTooLargeError);
    if (tooLarge instanceof ResponseTooLargeError) failure = { kind: "too_large", attempts, limit: tooLarge.limit };
    else if (tls !== undefined) failure = { kind: "tls", attempts, code: tls };
    else if (THROTTLING_ERRORS.has(name) || status === 429) failure = { kind: "rate_limited", attempts };
    else if (status !== undefined && status >= 500) failure = { kind: "server_error", attempts, status };
    else if (status === undefined) {
      failure = { kind: "unreachable", attempts, ...(typeof e.code === "string" ? { code: e.code } : {}) };
    }
    if (failure) {
      return httpFailureError(failure, {
        subject,
        host: displayEndpoint(this.config),
        backend: BACKEND_ID,
        connection,
        tlsHint: "If the endpoint uses a private CA, point NODE_EXTRA_CA_CERTS at its certificate (a PEM file)",
        rateLimitHint: "Try again later, or ask for fewer connections at once",
        unreachableHint: this.config.endpointVariable
          ? `Check ${this.config.endpointVariable}`
          : "Check BRUIN_AWS_REGION and the network (HTTPS_PROXY)",
      });
    }
    return new UnavailableError(`${subject}: AWS Secrets Manager refused the request (${detail})`, {
      ...context,
      detail,
    });
  }

  #where(): string {
    return `region '${this.config.region}'`;
  }
}

interface Deadline {
  signal: AbortSignal;
  /** True when the signal aborted because the time ran out (not the caller, not close()). */
  timedOut(): boolean;
}

/** The `BackendFactory` for `--secrets-backend aws`. Throws a ConfigurationError naming the variable when one is missing. */
export function createAwsBackend(context: BackendContext, options?: AwsBackendOptions): AwsBackend {
  return new AwsBackend(context, options);
}

/** `error` and its causes, a few deep. */
function causes(error: unknown): unknown[] {
  const chain: unknown[] = [];
  for (let current = error; current !== undefined && current !== null && chain.length < 5;) {
    chain.push(current);
    current = (current as { cause?: unknown }).cause;
  }
  return chain;
}

/** `promise`, or the abort reason as soon as `signal` aborts. */
function untilAborted<T>(promise: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) return promise;
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener("abort", onAbort, { once: true });
    promise.then(resolve, reject).finally(() => signal.removeEventListener("abort", onAbort));
  });
}
