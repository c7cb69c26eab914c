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
  type HttpRetryFailure,
  type Redactor,
  type SecretsBackend,
  type SecretsError,
} from "@bruin-ts/secrets-core";
import { BACKEND_ID, displayApiUrl, readDopplerConfig, type DopplerConfig } from "./config.js";

export interface DopplerBackendOptions {
  /** The download, its retries included (default 30 s, the reference's client timeout). */
  timeoutMs?: number;
  /** Retries after a 429, a 5xx or a failed connection (default 3). */
  maxRetries?: number;
  /** First and longest wait between retries (default 200 ms and 2 s); a Retry-After may ask for more. */
  retryWaitMinMs?: number;
  retryWaitMaxMs?: number;
}

/** Keys Doppler adds to every download; they are not connections. */
const DOPPLER_KEYS = new Set(["DOPPLER_PROJECT", "DOPPLER_CONFIG", "DOPPLER_ENVIRONMENT"]);

/**
 * The names a connection is looked up by, in order: as it is, then
 * upper-cased with `-` as `_` (Doppler names are upper-case with `_`), so
 * `my-postgres` finds `MY_POSTGRES`.
 */
export function dopplerNames(name: string): string[] {
  const doppler = name.toUpperCase().replaceAll("-", "_");
  return doppler === name ? [name] : [name, doppler];
}

/**
 * Connections from Doppler: each connection is a secret of one project and
 * config whose value is `{"type", "details"}` JSON. One download of the
 * config (`GET /v3/configs/config/secrets/download?format=json`) answers
 * every read of the run, and the listing; it is a plain `fetch` through
 * secrets-core's `fetchWithRetry`. Only the secrets asked for are parsed and
 * registered with the redactor; the rest are never looked at.
 */
export class DopplerBackend implements SecretsBackend {
  readonly id = BACKEND_ID;
  readonly exitCode = EXIT_CODES.secretsBackend;
  readonly config: DopplerConfig;
  readonly #redactor: Redactor;
  readonly #options: Required<DopplerBackendOptions>;
  readonly #closing = new AbortController();
  #download: Promise<Map<string, unknown>> | undefined;

  constructor(context: BackendContext, options: DopplerBackendOptions = {}) {
    this.config = readDopplerConfig(context.env);
    this.#redactor = context.redactor;
    // Registered before any request: nothing may ever print it.
    this.#redactor.add(this.config.token);
    this.#options = { timeoutMs: 30_000, maxRetries: 3, retryWaitMinMs: 200, retryWaitMaxMs: 2_000, ...options };
    const url = new URL(this.config.apiUrl);
    if (url.protocol === "http:" && !["127.0.0.1", "localhost", "[::1]"].includes(url.hostname)) {
      (context.warn ?? context.debug)?.(
        `BRUIN_DOPPLER_API_URL is plain http:// to ${url.host}: the token and every secret travel unencrypted; use https://`,
      );
    }
  }

  describe(): string {
    return `Doppler at ${displayApiUrl(this.config.apiUrl)} (${this.#where()})`;
  }

  environmentName(): string {
    return this.config.config;
  }

  async get(name: string, signal?: AbortSignal): Promise<ConnectionSecret> {
    const problem = connectionNameProblem(name);
    if (problem) {
      throw new ConfigurationError(
        `failed to read secret '${displayName(name)}' from Doppler: invalid connection name: ${problem}`,
        {
          backend: BACKEND_ID,
          connection: name,
        },
      );
    }
    const secrets = await this.#secrets(name, signal);
    const names = dopplerNames(name);
    const found = names.find((candidate) => secrets.has(candidate));
    if (found === undefined) {
      const also = names.length > 1 ? ` (also looked up as '${displayName(names[1]!)}')` : "";
      throw new NotFoundError(`secret '${displayName(name)}' not found in Doppler${also} (${this.#where()})`, {
        backend: BACKEND_ID,
        connection: name,
        hint: "Check the secret's name, and BRUIN_DOPPLER_PROJECT and BRUIN_DOPPLER_CONFIG",
      });
    }
    const value = secrets.get(found);
    const where = `Doppler ${this.#where()}, secret '${displayName(found)}'`;
    if (typeof value !== "string") {
      throw new UnparsableSecretError(
        `failed to read secret '${displayName(name)}' from Doppler: the secret is not a string (${where})`,
        {
          backend: BACKEND_ID,
          connection: name,
        },
      );
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

  /** The names of the config's secrets (from the same download), without Doppler's own DOPPLER_* keys. */
  async list(signal?: AbortSignal): Promise<string[]> {
    const secrets = await this.#secrets(undefined, signal);
    return [...secrets.keys()].filter((key) => !DOPPLER_KEYS.has(key)).sort();
  }

  async close(): Promise<void> {
    this.#closing.abort(new UnavailableError("the Doppler backend was closed", { backend: BACKEND_ID }));
  }

  /** The one download of the run, shared by every read; a failure is told to each connection in its own words. */
  async #secrets(connection: string | undefined, signal: AbortSignal | undefined): Promise<Map<string, unknown>> {
    this.#download ??= this.#fetch();
    const download = this.#download;
    try {
      return await (signal ? untilAborted(download, signal) : download);
    } catch (error) {
      if (error instanceof DownloadFailure) throw error.describe(connection);
      throw error;
    }
  }

  async #fetch(): Promise<Map<string, unknown>> {
    const query = new URLSearchParams({ project: this.config.project, config: this.config.config, format: "json" });
    let answer;
    try {
      answer = await fetchWithRetry(
        `${this.config.apiUrl}/v3/configs/config/secrets/download?${query}`,
        { headers: { Authorization: `Bearer ${this.config.token}`, Accept: "application/json" } },
        {
          timeoutMs: this.#options.timeoutMs,
          maxRetries: this.#options.maxRetries,
          waitMinMs: this.#options.retryWaitMinMs,
          waitMaxMs: this.#options.retryWaitMaxMs,
          signal: this.#closing.signal,
        },
      );
    } catch (error) {
      if (error instanceof HttpRetryError)
        throw new DownloadFailure((connection) => this.#transportError(error.failure, connection));
      throw error;
    }
    if (answer.status !== 200) throw new DownloadFailure((connection) => this.#answerError(answer.status, connection));
    let parsed: unknown;
    try {
      parsed = JSON.parse(answer.body);
    } catch {
      parsed = undefined;
    }
    if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) {
      throw new DownloadFailure(
        (connection) =>
          new UnavailableError(`${this.#subject(connection)}: unexpected answer (${this.#where()})`, {
            backend: BACKEND_ID,
            connection,
          }),
      );
    }
    return new Map(Object.entries(parsed));
  }

  #subject(connection: string | undefined): string {
    return connection === undefined
      ? "failed to list secrets in Doppler"
      : `failed to read secret '${displayName(connection)}' from Doppler`;
  }

  #answerError(status: number, connection: string | undefined): SecretsError {
    const subject = this.#subject(connection);
    const context = { backend: BACKEND_ID, connection, detail: `HTTP ${status}` };
    if (status === 401) {
      return new AuthenticationError(`${subject}: doppler API returned status 401: the token was refused`, {
        ...context,
        hint: "Check BRUIN_DOPPLER_TOKEN (a service token of this project and config)",
      });
    }
    if (status === 403) {
      return new PermissionError(`${subject}: doppler API returned status 403: permission denied (${this.#where()})`, {
        ...context,
        hint: "Check that BRUIN_DOPPLER_TOKEN may read this project and config",
      });
    }
    if (status === 404) {
      return new NotFoundError(
        `${subject}: doppler API returned status 404: project or config not found (${this.#where()})`,
        {
          ...context,
          hint: "Check BRUIN_DOPPLER_PROJECT and BRUIN_DOPPLER_CONFIG",
        },
      );
    }
    return new UnavailableError(`${subject}: doppler API returned status ${status} (${this.#where()})`, context);
  }

  #transportError(failure: HttpRetryFailure, connection: string | undefined): SecretsError {
    return httpFailureError(failure, {
      subject: this.#subject(connection),
      host: displayApiUrl(this.config.apiUrl),
      backend: BACKEND_ID,
      connection,
      answer: "download",
      tlsHint: "If the API uses a private CA, point NODE_EXTRA_CA_CERTS at its certificate (a PEM file)",
      unreachableHint: "Check BRUIN_DOPPLER_API_URL",
    });
  }

  #where(): string {
    return `project '${this.config.project}', config '${this.config.config}'`;
  }
}

/** The `BackendFactory` for `--secrets-backend doppler`. Throws a ConfigurationError naming the variable when one is missing. */
export function createDopplerBackend(context: BackendContext, options?: DopplerBackendOptions): DopplerBackend {
  return new DopplerBackend(context, options);
}

/** A failed download, worded for each connection that waited for it. */
class DownloadFailure extends Error {
  constructor(readonly describe: (connection: string | undefined) => SecretsError) {
    super("the Doppler download failed");
  }
}

function untilAborted<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener("abort", onAbort, { once: true });
    promise.then(resolve, reject).finally(() => signal.removeEventListener("abort", onAbort));
  });
}
