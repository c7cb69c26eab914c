import { randomUUID } from "node:crypto";
import type { Agent } from "node:https";
import type { TokenCredential } from "@azure/identity";
import type { SecretClient, SecretClientOptions } from "@azure/keyvault-secrets";
import {
  AuthenticationError,
  ConfigurationError,
  EXIT_CODES,
  NotFoundError,
  PermissionError,
  UnavailableError,
  UnparsableSecretError,
  checkSecretSize,
  displayName,
  httpFailureError,
  parseConnectionEnvelope,
  registerSensitiveDetails,
  retryAfterMs,
  tlsErrorCode,
  type BackendContext,
  type ConnectionSecret,
  type HttpRetryFailure,
  type Redactor,
  type SecretsBackend,
  type SecretsError,
} from "@bruin-ts/secrets-core";
import { BACKEND_ID, displayUrl, readAzureConfig, type AzureConfig } from "./config.js";

export interface AzureBackendOptions {
  /** Time one read (or the listing) may take, retries and the token request included. Default 30 s, as the reference CLI. */
  timeoutMs?: number;
  /** Retries of one request after a 429, a 5xx or a failed connection. Default 3. */
  maxRetries?: number;
  /** First backoff between retries (ms). Default 200. */
  retryDelayMs?: number;
  /** Longest backoff between retries (ms); a Retry-After may ask for more, within the deadline. Default 2000. */
  maxRetryDelayMs?: number;
  /**
   * The HTTPS agent of every request (the vault's and the token's), e.g. one
   * trusting a test CA. A custom agent bypasses the SDK's HTTPS_PROXY support.
   */
  agent?: Agent;
}

const READ_PREFIX = "failed to read secret";
/** Key Vault secret names: 1 to 127 letters, digits and dashes. */
const KEY_VAULT_NAME = /^[0-9A-Za-z-]{1,127}$/;
const CLIENT_REQUEST_ID = "x-ms-client-request-id";
const UNREACHABLE_CODES = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "ENOTFOUND",
  "ETIMEDOUT",
  "EAI_AGAIN",
  "EHOSTUNREACH",
]);
/** The errors @azure/identity throws when no token could be had. */
const CREDENTIAL_ERRORS = new Set(["AuthenticationError", "AuthenticationRequiredError", "CredentialUnavailableError"]);

type PipelinePolicy = NonNullable<SecretClientOptions["additionalPolicies"]>[number]["policy"];
type SdkModules = [typeof import("@azure/keyvault-secrets"), typeof import("@azure/identity")];

/** What one read (or listing) has seen so far: its requests, the last status, and when it must end. */
interface Operation {
  deadline: number;
  attempts: number;
  lastStatus?: number;
}

/**
 * Connections from Azure Key Vault: each connection is one secret, named
 * after it (`_` read as `-`, the one character Key Vault names lack), whose
 * value is the `{"type", "details"}` JSON. Reads go through the official
 * `@azure/keyvault-secrets` client and an `@azure/identity` credential, both
 * loaded when the first read starts. The CLI's `ConnectionResolver` makes one
 * read per connection, in parallel, and caches it for the run.
 */
export class AzureKeyVaultBackend implements SecretsBackend {
  readonly id = BACKEND_ID;
  readonly exitCode = EXIT_CODES.secretsBackend;
  readonly config: AzureConfig;
  readonly #redactor: Redactor;
  readonly #timeoutMs: number;
  readonly #maxRetries: number;
  readonly #retryDelayMs: number;
  readonly #maxRetryDelayMs: number;
  readonly #agent: Agent | undefined;
  readonly #closing = new AbortController();
  /** The reads in flight, by the client request id each sends with every attempt. */
  readonly #operations = new Map<string, Operation>();
  /** Attempts of requests that are not a read's (the token requests), by request. */
  readonly #attempts = new WeakMap<object, number>();
  #client: Promise<SecretClient> | undefined;
  /** The last answer to a request that is not a read's (the credential's), and its attempts: its errors do not say. */
  #lastOther: { status: number; attempts: number } | undefined;

  constructor(context: BackendContext, options: AzureBackendOptions = {}) {
    this.config = readAzureConfig(context.env);
    this.#redactor = context.redactor;
    // Registered before any request: nothing may ever print it.
    if (this.config.clientSecret !== undefined) this.#redactor.add(this.config.clientSecret);
    this.#timeoutMs = options.timeoutMs ?? 30_000;
    this.#maxRetries = options.maxRetries ?? 3;
    this.#retryDelayMs = options.retryDelayMs ?? 200;
    this.#maxRetryDelayMs = options.maxRetryDelayMs ?? 2_000;
    this.#agent = options.agent;
  }

  describe(): string {
    return `Azure Key Vault ${displayUrl(this.config.vaultUrl)} (auth method ${this.config.authMethod})`;
  }

  async get(name: string, signal?: AbortSignal): Promise<ConnectionSecret> {
    const secretName = keyVaultName(name);
    if (secretName === undefined) {
      throw new ConfigurationError(
        `${READ_PREFIX} '${displayName(name)}' from Azure Key Vault: invalid connection name: Key Vault secret names hold only letters, digits and '-' (1 to 127; '_' is read as '-')`,
        { backend: BACKEND_ID, connection: name, hint: "Rename the connection" },
      );
    }
    const client = await this.#sdkClient();
    const { value } = await this.#run(signal, name, secretName, (options) => client.getSecret(secretName, options));
    if (value === undefined) {
      throw new UnparsableSecretError(`secret '${displayName(name)}' has no value (${this.#where(name, secretName)})`, {
        backend: BACKEND_ID,
        connection: name,
      });
    }
    checkSecretSize(value, { backend: BACKEND_ID, connection: name, location: this.#where(name, secretName) });
    // Registered whole before anything parses it: a message quoting it is masked too.
    this.#redactor.add(value);
    return parseConnectionEnvelope(name, value, {
      backend: BACKEND_ID,
      where: `Azure Key Vault ${this.#where(name, secretName)}`,
      onParsed: (document) => registerSensitiveDetails(document, this.#redactor),
    });
  }

  /**
   * The names of the vault's enabled secrets (`listPropertiesOfSecrets`, every
   * page), as stored; the secrets Key Vault manages for certificates are left out.
   */
  async list(signal?: AbortSignal): Promise<string[]> {
    const client = await this.#sdkClient();
    return this.#run(signal, undefined, undefined, async (options) => {
      const names: string[] = [];
      for await (const properties of client.listPropertiesOfSecrets(options)) {
        if (properties.enabled !== false && properties.managed !== true) names.push(properties.name);
      }
      return names.sort();
    });
  }

  async close(): Promise<void> {
    this.#closing.abort(new UnavailableError("the Azure Key Vault backend was closed", { backend: BACKEND_ID }));
  }

  /** The client, made once: the SDK is loaded only when the first read starts. */
  #sdkClient(): Promise<SecretClient> {
    this.#client ??= loadSdk().then(([secrets, identity]) => this.#createClient(secrets, identity));
    return this.#client;
  }

  #createClient(
    secrets: typeof import("@azure/keyvault-secrets"),
    identity: typeof import("@azure/identity"),
  ): SecretClient {
    const overridden = this.config.authorityHost !== undefined;
    // The SDK's own retry policy is the only retry layer: it retries 5xx and failed connections with
    // exponential backoff (retryDelayInMs doubling up to maxRetryDelayInMs) and waits what Retry-After asks
    // on a 429 or 503, at most maxRetries times. The policy below (inside the retry loop, per attempt) adds
    // what it lacks: a 429 without Retry-After, which it would not retry, gets our backoff; a Retry-After
    // that would end past the read's deadline is dropped so the read gives up at once; and it records the
    // attempts and the last status for the messages. The deadline itself is the abort signal of each read.
    const common = {
      retryOptions: {
        maxRetries: this.#maxRetries,
        retryDelayInMs: this.#retryDelayMs,
        maxRetryDelayInMs: this.#maxRetryDelayMs,
      },
      additionalPolicies: [{ policy: this.#retryTracker(), position: "perRetry" as const }],
      ...(this.#agent ? { agent: this.#agent } : {}),
    };
    const authority = overridden ? { authorityHost: this.config.authorityHost!, disableInstanceDiscovery: true } : {};
    const credential = this.#credential(identity, common, authority);
    return new secrets.SecretClient(this.config.vaultUrl, sharedCredential(credential, this.#redactor), {
      ...common,
      // With another authority (a sovereign cloud, a test server) the vault's challenge may name a resource
      // outside the vault's own domain: only then is that check lifted.
      ...(overridden ? { disableChallengeResourceVerification: true } : {}),
    });
  }

  #credential(
    identity: typeof import("@azure/identity"),
    common: object,
    authority: { authorityHost?: string; disableInstanceDiscovery?: boolean },
  ): TokenCredential {
    const { config } = this;
    switch (config.authMethod) {
      case "client_credentials":
        // Everything this credential needs is passed here; it reads no environment variable.
        return new identity.ClientSecretCredential(config.tenantId!, config.clientId!, config.clientSecret!, {
          ...common,
          ...authority,
        });
      case "managed_identity":
        // The Azure host tells the SDK where its identity endpoint is (IDENTITY_ENDPOINT, IMDS); it reads that itself.
        return new identity.ManagedIdentityCredential({
          ...common,
          ...authority,
          ...(config.clientId !== undefined ? { clientId: config.clientId } : {}),
        });
      case "cli":
        return new identity.AzureCliCredential({
          ...(config.tenantId !== undefined ? { tenantId: config.tenantId } : {}),
        });
      case "default":
        // The SDK's chain (environment, workload identity, managed identity, Azure CLI, …) reads its own AZURE_* variables.
        return new identity.DefaultAzureCredential({
          ...common,
          ...authority,
          ...(config.tenantId !== undefined ? { tenantId: config.tenantId } : {}),
          ...(config.clientId !== undefined ? { managedIdentityClientId: config.clientId } : {}),
        });
    }
  }

  /** A per-attempt pipeline policy: see #createClient. */
  #retryTracker(): PipelinePolicy {
    return {
      name: "bruinRetryTracker",
      sendRequest: async (request, next) => {
        const id = request.headers.get(CLIENT_REQUEST_ID);
        const operation = id === undefined ? undefined : this.#operations.get(id);
        const attempts = (operation?.attempts ?? this.#attempts.get(request) ?? 0) + 1;
        if (operation) operation.attempts = attempts;
        else this.#attempts.set(request, attempts);
        let response;
        try {
          response = await next(request);
        } catch (error) {
          // An abort (the deadline) keeps the last answer: the read is reported by what the vault last said.
          if (operation && (error as { name?: unknown }).name !== "AbortError") delete operation.lastStatus;
          throw error;
        }
        if (operation) operation.lastStatus = response.status;
        else this.#lastOther = { status: response.status, attempts };
        if (response.status === 429 || response.status === 503) {
          const headers = ["retry-after-ms", "x-ms-retry-after-ms", "retry-after"];
          const asked = retryAfter(response.headers);
          const remaining = (operation?.deadline ?? Infinity) - Date.now();
          if (asked !== undefined && asked >= remaining) {
            for (const header of headers) response.headers.delete(header);
          } else if (asked === undefined && response.status === 429 && attempts <= this.#maxRetries) {
            const wait = this.#backoff(attempts);
            if (wait < remaining) response.headers.set("retry-after-ms", String(Math.round(wait)));
          }
        }
        return response;
      },
    };
  }

  #backoff(attempt: number): number {
    const wait = Math.min(this.#maxRetryDelayMs, this.#retryDelayMs * 2 ** (attempt - 1));
    return wait + Math.random() * Math.min(wait / 10, 500);
  }

  /**
   * Runs one SDK call under the read's deadline, the caller's signal and the
   * backend's closing; a failure becomes a SecretsError about `connection`
   * (a listing when undefined), an abort the caller's or the closing's reason.
   */
  async #run<T>(
    signal: AbortSignal | undefined,
    connection: string | undefined,
    secretName: string | undefined,
    call: (options: { abortSignal: AbortSignal; requestOptions: { headers: Record<string, string> } }) => Promise<T>,
  ): Promise<T> {
    const id = randomUUID();
    const operation: Operation = { deadline: Date.now() + this.#timeoutMs, attempts: 0 };
    this.#operations.set(id, operation);
    const deadline = new AbortController();
    const timer = setTimeout(() => deadline.abort(new DeadlineExceeded(operation)), this.#timeoutMs);
    const abort = AbortSignal.any([deadline.signal, this.#closing.signal, ...(signal ? [signal] : [])]);
    try {
      return await call({ abortSignal: abort, requestOptions: { headers: { [CLIENT_REQUEST_ID]: id } } });
    } catch (error) {
      if (signal?.aborted) throw signal.reason;
      if (this.#closing.signal.aborted) throw this.#closing.signal.reason;
      throw this.#failure(deadline.signal.aborted ? deadline.signal.reason : error, operation, connection, secretName);
    } finally {
      clearTimeout(timer);
      this.#operations.delete(id);
    }
  }

  /** The SecretsError for a failed read (a connection) or listing (none). Never holds a value, a token or the client secret. */
  #failure(
    error: unknown,
    operation: Operation,
    connection: string | undefined,
    secretName: string | undefined,
  ): unknown {
    const subject =
      connection === undefined
        ? "failed to list secrets in Azure Key Vault"
        : `${READ_PREFIX} '${displayName(connection)}' from Azure Key Vault`;
    const context = { backend: BACKEND_ID, connection };
    const host = displayUrl(this.config.vaultUrl);
    if (error instanceof DeadlineExceeded) {
      const { attempts, lastStatus } = error.operation;
      return this.#transportError(
        lastStatus === 429
          ? { kind: "rate_limited", attempts }
          : lastStatus !== undefined && lastStatus >= 500
            ? { kind: "server_error", attempts, status: lastStatus }
            : { kind: "timeout", attempts },
        subject,
        connection,
      );
    }
    if (!(error instanceof Error)) return error;
    const tls = tlsErrorCode(error);
    if (tls !== undefined) return this.#transportError({ kind: "tls", attempts: 1, code: tls }, subject, connection);
    if (CREDENTIAL_ERRORS.has(error.name)) {
      return this.#credentialError(error, subject, connection);
    }
    const status = (error as { statusCode?: unknown }).statusCode;
    const code = (error as { code?: unknown }).code;
    if (error.name === "RestError" && typeof status === "number") {
      const attempts = Math.max(1, operation.attempts);
      if (status === 404 && connection !== undefined) {
        const lookedUp = secretName !== connection ? ` (looked up as '${secretName}')` : "";
        return new NotFoundError(
          `secret '${displayName(connection)}' not found in Azure Key Vault ${host}${lookedUp}`,
          {
            ...context,
            hint: `Store it as the secret '${secretName}', or check BRUIN_AZURE_KEYVAULT_URL`,
          },
        );
      }
      if (status === 403) {
        if (/disabled/i.test(error.message)) {
          return new PermissionError(`${subject}: the secret is disabled (${host})`, {
            ...context,
            hint: `Enable it: az keyvault secret set-attributes --vault-name <vault> --name ${secretName} --enabled true`,
          });
        }
        return new PermissionError(`${subject}: permission denied (HTTP 403; ${host})`, {
          ...context,
          hint: `Give the identity the "Key Vault Secrets User" role on the vault (RBAC), or an access policy with the secret permissions "get"${connection === undefined ? ' and "list"' : ""}`,
        });
      }
      if (status === 401) {
        return new AuthenticationError(`${subject}: Key Vault refused the token (HTTP 401; ${host})`, {
          ...context,
          hint: "Check BRUIN_AZURE_TENANT_ID: the vault must belong to the identity's tenant",
        });
      }
      if (status === 429) return this.#transportError({ kind: "rate_limited", attempts }, subject, connection);
      if (status >= 500) return this.#transportError({ kind: "server_error", attempts, status }, subject, connection);
      return new ConfigurationError(`${subject}: the request was rejected (HTTP ${status}; ${host})`, {
        ...context,
        detail: typeof code === "string" ? code : undefined,
        hint: "Check BRUIN_AZURE_KEYVAULT_URL",
      });
    }
    if (typeof code === "string" && /^E[A-Z]+$/.test(code)) {
      return this.#transportError(
        { kind: "unreachable", attempts: Math.max(1, operation.attempts), code },
        subject,
        connection,
      );
    }
    return new UnavailableError(`${subject}: ${firstLine(error.message)}`, context);
  }

  /** A failure of the credential: the token request was refused, or no credential of the chain is available. */
  #credentialError(error: Error, subject: string, connection: string | undefined): SecretsError {
    const context = { backend: BACKEND_ID, connection };
    const response = (error as { errorResponse?: { error?: unknown; errorDescription?: unknown } }).errorResponse;
    // The credential's errors do not carry the status of the token answer: the retry policy saw it.
    const last = this.#lastOther;
    if (last !== undefined && (last.status === 429 || last.status >= 500)) {
      return this.#transportError(
        last.status === 429
          ? { kind: "rate_limited", attempts: last.attempts }
          : { kind: "server_error", attempts: last.attempts, status: last.status },
        `${subject}: the token request failed`,
        connection,
        this.config.authorityHost ?? "Azure AD",
      );
    }
    const text = String(response?.errorDescription ?? error.message);
    const oauthError = typeof response?.error === "string" ? response.error : /^([a-z_]+):/.exec(error.message)?.[1];
    const reason = [oauthError, /AADSTS\d+/.exec(text)?.[0]].filter(Boolean);
    const code = /\b(E[A-Z]{3,})\b/.exec(error.message)?.[1];
    if (code !== undefined && UNREACHABLE_CODES.has(code)) {
      return this.#transportError(
        { kind: "unreachable", attempts: this.#maxRetries + 1, code },
        `${subject}: the token request failed`,
        connection,
        this.config.authorityHost ?? "Azure AD",
      );
    }
    if (error.name === "CredentialUnavailableError" || this.config.authMethod !== "client_credentials") {
      return new AuthenticationError(
        `${subject}: no Azure credential (auth method ${this.config.authMethod})${reason.length > 0 ? ` (${reason.join(", ")})` : ""}: ${firstLine(error.message)}`,
        { ...context, hint: METHOD_HINTS[this.config.authMethod] },
      );
    }
    return new AuthenticationError(
      `${subject}: Azure AD refused the client credentials${reason.length > 0 ? ` (${reason.join(", ")})` : ""}`,
      {
        ...context,
        hint: "Check BRUIN_AZURE_TENANT_ID, BRUIN_AZURE_CLIENT_ID and BRUIN_AZURE_CLIENT_SECRET (the secret's value, not its id, and not expired)",
      },
    );
  }

  #transportError(
    failure: HttpRetryFailure,
    subject: string,
    connection: string | undefined,
    host: string = displayUrl(this.config.vaultUrl),
  ): SecretsError {
    return httpFailureError(failure, {
      subject,
      host,
      backend: BACKEND_ID,
      connection,
      tlsHint:
        "If the vault or the authority uses a private CA, point NODE_EXTRA_CA_CERTS at its certificate (a PEM file)",
      rateLimitHint: "Key Vault throttles reads per vault: try again later",
      deadline: `within ${this.#timeoutMs / 1000} s`,
      unreachableHint: "Check BRUIN_AZURE_KEYVAULT_URL, and HTTPS_PROXY / NO_PROXY behind a proxy",
    });
  }

  #where(name: string, secretName: string): string {
    const host = displayUrl(this.config.vaultUrl);
    return secretName === name
      ? `${host}, secret '${secretName}'`
      : `${host}, secret '${secretName}' (from '${displayName(name)}')`;
  }
}

const METHOD_HINTS: Record<AzureConfig["authMethod"], string> = {
  client_credentials: "Check BRUIN_AZURE_TENANT_ID, BRUIN_AZURE_CLIENT_ID and BRUIN_AZURE_CLIENT_SECRET",
  managed_identity:
    "Run on an Azure host with a managed identity (set BRUIN_AZURE_CLIENT_ID for a user-assigned one), or choose another BRUIN_AZURE_AUTH_METHOD",
  cli: "Log in with `az login` (the Azure CLI must be on PATH), or choose another BRUIN_AZURE_AUTH_METHOD",
  default:
    "Give the Azure SDK a credential (AZURE_CLIENT_ID/AZURE_TENANT_ID/AZURE_CLIENT_SECRET, a managed identity or `az login`), or set BRUIN_AZURE_AUTH_METHOD=client_credentials",
};

/** The `BackendFactory` for `--secrets-backend azure`. Throws a ConfigurationError naming the variable when one is missing. */
export function createAzureBackend(context: BackendContext, options?: AzureBackendOptions): AzureKeyVaultBackend {
  return new AzureKeyVaultBackend(context, options);
}

/**
 * The Key Vault secret name of a connection: `_` read as `-`; undefined when
 * another character could not be in a Key Vault name.
 */
export function keyVaultName(connection: string): string | undefined {
  const name = connection.replaceAll("_", "-");
  return KEY_VAULT_NAME.test(name) ? name : undefined;
}

let sdk: Promise<SdkModules> | undefined;

/** Both SDK packages, imported once, when the first backend needs them. */
function loadSdk(): Promise<SdkModules> {
  sdk ??= Promise.all([import("@azure/keyvault-secrets"), import("@azure/identity")]);
  return sdk;
}

/**
 * A credential whose tokens are registered with the redactor before the SDK
 * uses them, and shared: reads that start together wait for one token
 * request (the Key Vault client would otherwise ask once per parallel read),
 * which is kept until a minute before it expires. A failed request is told
 * to every read that waited for it, and the next read asks again.
 */
function sharedCredential(credential: TokenCredential, redactor: Redactor): TokenCredential {
  const tokens = new Map<string, ReturnType<TokenCredential["getToken"]>>();
  return {
    getToken: async (scopes, options) => {
      const key = JSON.stringify([scopes, options?.tenantId ?? "", options?.claims ?? ""]);
      const cached = tokens.get(key);
      if (cached) {
        const token = await cached;
        if (token && token.expiresOnTimestamp - 60_000 > Date.now()) return token;
        if (tokens.get(key) === cached) tokens.delete(key);
      }
      const pending = credential.getToken(scopes, options).then((token) => {
        if (token) redactor.add(token.token);
        return token;
      });
      tokens.set(key, pending);
      pending.catch(() => {
        if (tokens.get(key) === pending) tokens.delete(key);
      });
      return pending;
    },
  };
}

/** The wait a 429 or 503 asks for, in ms, from the headers the Azure SDK honours; undefined without one. */
function retryAfter(headers: { get(name: string): string | undefined }): number | undefined {
  for (const name of ["retry-after-ms", "x-ms-retry-after-ms"]) {
    const value = Number(headers.get(name) ?? Number.NaN);
    if (Number.isFinite(value)) return value;
  }
  return retryAfterMs(headers.get("retry-after"));
}

function firstLine(text: string): string {
  const line = text.split(/\r?\n/, 1)[0]!.trim();
  return line.length > 300 ? `${line.slice(0, 297)}...` : line;
}

/** A read's deadline passed (the abort reason). */
class DeadlineExceeded extends Error {
  constructor(readonly operation: Operation) {
    super("the read's deadline passed");
  }
}
