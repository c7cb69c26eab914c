import { readFile } from "node:fs/promises";
import {
  AuthenticationError,
  ConfigurationError,
  EXIT_CODES,
  HttpRetryError,
  NotFoundError,
  PermissionError,
  UnavailableError,
  UnparsableSecretError,
  checkSecretSize,
  connectionNameProblem,
  displayName,
  fetchWithRetry,
  httpFailureError,
  parseConnectionEnvelope,
  registerSensitiveDetails,
  type BackendContext,
  type ConnectionSecret,
  type HttpAnswer,
  type HttpRetryFailure,
  type Redactor,
  type SecretsBackend,
  type SecretsError,
} from "@bruin-ts/secrets-core";
import { BACKEND_ID, displayHost, readVaultConfig, type VaultConfig } from "./config.js";

export interface VaultBackendOptions {
  /** Clock in ms, for token lifetimes. */
  now?: () => number;
  /** Overrides BRUIN_VAULT_TIMEOUT (ms). */
  timeoutMs?: number;
}

const READ_PREFIX = "failed to read secret";
const LOGIN_PREFIX = "failed to login to the secrets backend";

/** A token from a Kubernetes login, renewed this long before its lease ends. */
const RENEW_MARGIN_MS = 10_000;

/**
 * Connections from HashiCorp Vault's KV v2 engine: each connection is the
 * secret `{mount}/data/{path}/{name}`, whose data is the `{"type", "details"}`
 * object itself. Requests are plain `fetch` calls through secrets-core's
 * `fetchWithRetry` (retries, Retry-After, one deadline per read). The token is
 * BRUIN_VAULT_TOKEN, or comes from a Kubernetes login (BRUIN_VAULT_ROLE) made
 * once and made again when its lease is about to end or a read is refused.
 */
export class VaultBackend implements SecretsBackend {
  readonly id = BACKEND_ID;
  readonly exitCode = EXIT_CODES.secretsBackend;
  readonly config: VaultConfig;
  readonly #redactor: Redactor;
  readonly #now: () => number;
  readonly #timeoutMs: number;
  readonly #closing = new AbortController();
  #current: { token: string; expiresAt: number } | undefined;
  #pending: Promise<{ token: string; expiresAt: number }> | undefined;
  #logins = 0;

  constructor(context: BackendContext, options: VaultBackendOptions = {}) {
    this.config = readVaultConfig(context.env);
    this.#redactor = context.redactor;
    // Registered before any request: nothing may ever print it.
    if (this.config.token !== undefined) this.#redactor.add(this.config.token);
    this.#now = options.now ?? Date.now;
    this.#timeoutMs = options.timeoutMs ?? this.config.timeoutMs;
    const url = new URL(this.config.host);
    if (url.protocol === "http:" && !["127.0.0.1", "localhost", "[::1]"].includes(url.hostname)) {
      (context.warn ?? context.debug)?.(
        `BRUIN_VAULT_HOST is plain http:// to ${url.host}: the token and every secret travel unencrypted; use https://`,
      );
    }
  }

  /** Kubernetes logins so far. */
  get logins(): number {
    return this.#logins;
  }

  describe(): string {
    return `Vault at ${displayHost(this.config.host)} (${this.#where()})`;
  }

  async get(name: string, signal?: AbortSignal): Promise<ConnectionSecret> {
    // The name becomes part of a URL path: `..` or a `/` would read another secret.
    const problem = connectionNameProblem(name);
    if (problem) {
      throw new ConfigurationError(
        `${READ_PREFIX} '${displayName(name)}' from Vault: invalid connection name: ${problem}`,
        {
          backend: BACKEND_ID,
          connection: name,
        },
      );
    }
    const url = `${this.config.host}/v1/${segments(this.config.mountPath)}/data/${segments(this.config.path)}/${encodeURIComponent(name)}`;
    const answer = await this.#request(url, name, signal);
    if (answer.status === 404) {
      throw new NotFoundError(`secret '${displayName(name)}' not found in Vault (${this.#where()})`, {
        backend: BACKEND_ID,
        connection: name,
        hint: `Store it at ${this.config.mountPath}/data/${this.config.path}/${displayName(name)}, or check BRUIN_VAULT_MOUNT_PATH and BRUIN_VAULT_PATH`,
      });
    }
    if (answer.status !== 200) throw this.#answerError(answer.status, name);
    // Registered whole before anything parses it: a message quoting it is masked too.
    this.#redactor.add(answer.body);
    const data = dataOf(answer.body);
    if (data === undefined) {
      throw new UnparsableSecretError(
        `${READ_PREFIX} '${displayName(name)}' from Vault: the answer is not a KV v2 secret (${this.#where()})`,
        {
          backend: BACKEND_ID,
          connection: name,
          hint: "Check that BRUIN_VAULT_MOUNT_PATH is a KV version 2 engine",
        },
      );
    }
    checkSecretSize(data, { backend: BACKEND_ID, connection: name, location: this.#where() });
    const text = JSON.stringify(data);
    this.#redactor.add(text);
    return parseConnectionEnvelope(name, text, {
      backend: BACKEND_ID,
      where: `Vault ${this.#where()}`,
      onParsed: (document) => registerSensitiveDetails(document, this.#redactor),
    });
  }

  /** The secrets directly under the path (a `LIST` on its metadata, sent as Vault's `GET ?list=true`); folders are left out. */
  async list(signal?: AbortSignal): Promise<string[]> {
    const url = `${this.config.host}/v1/${segments(this.config.mountPath)}/metadata/${segments(this.config.path)}?list=true`;
    const answer = await this.#request(url, undefined, signal);
    if (answer.status === 404) return [];
    if (answer.status !== 200) throw this.#answerError(answer.status, undefined);
    const keys = (parseJson(answer.body) as { data?: { keys?: unknown } } | undefined)?.data?.keys;
    if (!Array.isArray(keys)) {
      throw new UnavailableError(`failed to list secrets in Vault: unexpected answer (${this.#where()})`, {
        backend: BACKEND_ID,
      });
    }
    return keys.filter((key): key is string => typeof key === "string" && !key.endsWith("/")).sort();
  }

  async close(): Promise<void> {
    this.#closing.abort(new UnavailableError("the Vault backend was closed", { backend: BACKEND_ID }));
    this.#current = undefined;
  }

  /** One request with a token; with Kubernetes auth, a refused token is replaced by a new login once. */
  async #request(url: string, connection: string | undefined, signal: AbortSignal | undefined): Promise<HttpAnswer> {
    const abandon = signal ? AbortSignal.any([signal, this.#closing.signal]) : this.#closing.signal;
    const deadline = this.#now() + this.#timeoutMs;
    let token = await this.#token(abandon, connection, deadline);
    let answer = await this.#send(
      url,
      { headers: { "X-Vault-Token": token, Accept: "application/json" } },
      abandon,
      connection,
      deadline,
    );
    if (answer.status === 403 && this.config.role !== undefined) {
      // A Kubernetes token may have been revoked or have expired early: log in again, once.
      this.#forget(token);
      token = await this.#token(abandon, connection, deadline);
      answer = await this.#send(
        url,
        { headers: { "X-Vault-Token": token, Accept: "application/json" } },
        abandon,
        connection,
        deadline,
      );
    }
    return answer;
  }

  async #send(
    url: string,
    init: RequestInit,
    signal: AbortSignal,
    connection: string | undefined,
    deadline: number,
  ): Promise<HttpAnswer> {
    try {
      return await fetchWithRetry(url, init, {
        timeoutMs: Math.max(1, deadline - this.#now()),
        maxRetries: this.config.maxRetries,
        waitMinMs: this.config.retryWaitMinMs,
        waitMaxMs: this.config.retryWaitMaxMs,
        signal,
      });
    } catch (error) {
      if (error instanceof HttpRetryError) throw this.#transportError(error.failure, connection);
      throw error;
    }
  }

  async #token(signal: AbortSignal, connection: string | undefined, deadline: number): Promise<string> {
    if (this.config.token !== undefined) return this.config.token;
    if (this.#current && this.#current.expiresAt > this.#now()) return this.#current.token;
    // One login shared by every read waiting for it; it is abandoned only when the backend is closed.
    this.#pending ??= this.#kubernetesLogin(this.#closing.signal, deadline)
      .then((login) => (this.#current = login))
      .finally(() => (this.#pending = undefined));
    const pending = this.#pending;
    try {
      return (await untilAborted(pending, signal)).token;
    } catch (error) {
      // The login is shared: its failure is told to each connection that waited for it, in its own words.
      if (error instanceof LoginFailure) throw error.describe(connection);
      throw error;
    }
  }

  /** Drops a token the server refused, so the next read logs in again. */
  #forget(token: string): void {
    if (this.#current?.token === token) this.#current = undefined;
  }

  async #kubernetesLogin(signal: AbortSignal, deadline: number): Promise<{ token: string; expiresAt: number }> {
    let jwt: string;
    try {
      jwt = (await readFile(this.config.serviceAccountTokenPath, "utf8")).trim();
    } catch (error) {
      const code = (error as { code?: unknown }).code;
      throw new LoginFailure(
        (connection) =>
          new ConfigurationError(
            `failed to read service account token: ${this.config.serviceAccountTokenPath} (${typeof code === "string" ? code : "unreadable"})`,
            {
              backend: BACKEND_ID,
              connection,
              hint: "BRUIN_VAULT_ROLE logs in with the pod's service-account token; outside Kubernetes set BRUIN_VAULT_TOKEN",
            },
          ),
      );
    }
    this.#redactor.add(jwt);
    this.#logins += 1;
    const url = `${this.config.host}/v1/auth/${segments(this.config.k8sAuthMount)}/login`;
    let answer: HttpAnswer;
    try {
      answer = await this.#send(
        url,
        {
          method: "POST",
          headers: { "Content-Type": "application/json", Accept: "application/json" },
          body: JSON.stringify({ role: this.config.role, jwt }),
        },
        signal,
        undefined,
        deadline,
      );
    } catch (error) {
      if (error instanceof HttpRetryError) {
        const failure = error.failure;
        throw new LoginFailure((connection) => this.#transportError(failure, connection));
      }
      throw error;
    }
    const auth = (parseJson(answer.body) as { auth?: { client_token?: unknown; lease_duration?: unknown } } | undefined)
      ?.auth;
    if (answer.status !== 200 || typeof auth?.client_token !== "string") {
      const status = answer.status;
      throw new LoginFailure(
        (connection) =>
          new AuthenticationError(
            `${LOGIN_PREFIX}: Vault refused the Kubernetes login for role '${this.config.role}' (HTTP ${status})`,
            {
              backend: BACKEND_ID,
              connection,
              hint: `Check BRUIN_VAULT_ROLE, BRUIN_VAULT_K8S_AUTH_MOUNT ('${this.config.k8sAuthMount}') and that the role is bound to this pod's service account`,
            },
          ),
      );
    }
    this.#redactor.add(auth.client_token);
    const lease =
      typeof auth.lease_duration === "number" && auth.lease_duration > 0 ? auth.lease_duration * 1000 : Infinity;
    return { token: auth.client_token, expiresAt: this.#now() + Math.max(lease - RENEW_MARGIN_MS, lease / 2) };
  }

  #answerError(status: number, connection: string | undefined): SecretsError {
    const subject =
      connection === undefined
        ? "failed to list secrets in Vault"
        : `${READ_PREFIX} '${displayName(connection)}' from Vault`;
    const context = { backend: BACKEND_ID, connection, detail: `HTTP ${status}` };
    if (status === 403 || status === 401) {
      const auth =
        this.config.token !== undefined ? "BRUIN_VAULT_TOKEN is a valid token and" : `the role '${this.config.role}'`;
      return new PermissionError(`${subject}: permission denied (${this.#where()})`, {
        ...context,
        hint: `Check that ${auth} its policy grants "${connection === undefined ? "list" : "read"}" on ${this.config.mountPath}/${connection === undefined ? "metadata" : "data"}/${this.config.path}/*`,
      });
    }
    if (status === 400 || status === 405) {
      return new ConfigurationError(`${subject}: the request was rejected (HTTP ${status}; ${this.#where()})`, {
        ...context,
        hint: "Check that BRUIN_VAULT_MOUNT_PATH is a KV version 2 engine",
      });
    }
    return new UnavailableError(`${subject}: unexpected answer (HTTP ${status}; ${this.#where()})`, context);
  }

  #transportError(failure: HttpRetryFailure, connection: string | undefined): SecretsError {
    return httpFailureError(failure, {
      subject:
        connection === undefined ? "failed to reach Vault" : `${READ_PREFIX} '${displayName(connection)}' from Vault`,
      host: displayHost(this.config.host),
      backend: BACKEND_ID,
      connection,
      tlsHint: "If Vault uses a private CA, point NODE_EXTRA_CA_CERTS at its certificate (a PEM file)",
      rateLimitHint: "Try again later, or raise BRUIN_VAULT_MAX_RETRIES / BRUIN_VAULT_TIMEOUT",
      deadline: "within BRUIN_VAULT_TIMEOUT",
      unreachableHint: "Check BRUIN_VAULT_HOST",
    });
  }

  #where(): string {
    return `mount '${this.config.mountPath}', path '${this.config.path}'`;
  }
}

/** The `BackendFactory` for `--secrets-backend vault`. Throws a ConfigurationError naming the variable when one is missing. */
export function createVaultBackend(context: BackendContext, options?: VaultBackendOptions): VaultBackend {
  return new VaultBackend(context, options);
}

/** `a/b c` → `a/b%20c`: each segment encoded, the slashes kept. */
function segments(path: string): string {
  return path.split("/").map(encodeURIComponent).join("/");
}

/** A failed Kubernetes login, worded for each connection that waited for it. */
class LoginFailure extends Error {
  constructor(readonly describe: (connection: string | undefined) => SecretsError) {
    super("the Vault login failed");
  }
}

/** `promise`, or the abort reason as soon as `signal` aborts. */
function untilAborted<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener("abort", onAbort, { once: true });
    promise.then(resolve, reject).finally(() => signal.removeEventListener("abort", onAbort));
  });
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** `data.data` of a KV v2 answer, when it is an object. */
function dataOf(body: string): Record<string, unknown> | undefined {
  const data = (parseJson(body) as { data?: { data?: unknown } } | undefined)?.data?.data;
  return typeof data === "object" && data !== null && !Array.isArray(data)
    ? (data as Record<string, unknown>)
    : undefined;
}
