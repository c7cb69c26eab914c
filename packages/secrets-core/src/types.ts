/** A connection as a secrets backend stores it: the name it is looked up by, its type and its details. */
export interface ConnectionSecret {
  name: string;
  type: string;
  details: Record<string, unknown>;
}

/**
 * Where connections come from. A backend answers `undefined` only when the
 * connection does not exist there; every other failure (authentication,
 * permission, transport, parsing) is thrown as one of the errors of `./errors`.
 */
export interface SecretsBackend {
  /** Short identifier used by `--secrets-backend`, e.g. "file" or "infisical". */
  readonly id: string;
  /**
   * The exit code a CLI uses when this backend cannot provide a valid
   * connection. Defaults to 3; the file backend uses 2 (a configuration error).
   */
  readonly exitCode?: number;
  /** Where this backend reads from, for messages. Never contains a secret. */
  describe(): string;
  get(name: string, signal?: AbortSignal): Promise<ConnectionSecret | undefined>;
  list?(signal?: AbortSignal): Promise<string[]>;
  /** The environment connections are read from (an environment of .bruin.yml, an Infisical environment), for messages. */
  environmentName?(): string | Promise<string>;
  close?(): Promise<void>;
}

/** What a backend factory receives from the program that uses it. */
export interface BackendContext {
  /** The process environment (or a substitute in tests). */
  env: Record<string, string | undefined>;
  /** Values registered here are masked in everything the program prints. */
  redactor: import("./redactor.js").Redactor;
  /** The working directory, for relative paths. */
  cwd: string;
  /** The environment selected with `--environment`, for backends that have several. */
  environment?: string | undefined;
  /** An explicit configuration file, for backends that read one. */
  configFile?: string | undefined;
  /** The folder a pipeline lives in, for backends that look for a file near it. */
  pipelineDir?: string | undefined;
  /** Diagnostic output, already redacted by the caller. */
  debug?: ((message: string) => void) | undefined;
  /** One-line warnings the user should see (never holding a value), redacted by the caller. */
  warn?: ((message: string) => void) | undefined;
}

export type BackendFactory = (context: BackendContext) => SecretsBackend | Promise<SecretsBackend>;

/** One environment variable a secrets backend reads. */
export interface BackendVariable {
  /** The variable, e.g. `BRUIN_INFISICAL_CLIENT_ID`; `<NAME>` marks a family (`BRUIN_CONNECTION_<NAME>`). */
  name: string;
  required: boolean;
  /** The value used when it is unset, when there is one. */
  default?: string;
  description: string;
}

/**
 * What a program needs to know of a backend before loading it: its id (the
 * `--secrets-backend` value), one line saying where connections come from,
 * and the environment variables it reads. Each backend package exports its
 * own, from a module that loads none of the backend's code.
 */
export interface BackendDescriptor {
  readonly id: string;
  readonly description: string;
  readonly variables: readonly BackendVariable[];
  /**
   * What a program's `--environment` flag means to the backend. Absent: the
   * backend reads `BackendContext.environment` itself (the file backend).
   */
  readonly environment?: BackendEnvironment;
}

/**
 * `{ variable }`: the flag sets that variable, over its value in the
 * environment (an Infisical environment, a Doppler config). `{ unsupported }`:
 * the backend has no environments; the text says what to do instead.
 */
export type BackendEnvironment = { readonly variable: string } | { readonly unsupported: string };
