import path from "node:path";
import {
  checkSecretSize,
  ConfigurationError,
  EXIT_CODES,
  type BackendContext,
  type ConnectionSecret,
  type SecretsBackend,
} from "@bruin-ts/secrets-core";
import {
  CONFIG_FILE_NAME,
  findConfigFile,
  readConfigFile,
  type BruinConfig,
  type RawConnection,
} from "./config-file.js";
import { MissingVariableError, expandVariables, resolvePaths } from "./expand.js";

/** A problem of the config file is a configuration problem: exit 2. */
const EXIT_CONFIG = EXIT_CODES.usage;

/**
 * The default backend: connections from `.bruin.yml`. The file is read once,
 * on first use; `${VAR}` references are expanded per connection when it is
 * asked for, so an unset variable only matters to the runs that use it.
 */
export class FileBackend implements SecretsBackend {
  readonly id = "file";
  readonly exitCode = EXIT_CONFIG;
  readonly #context: BackendContext;
  readonly #file: string | undefined;
  #environment: string | undefined;
  #loading: Promise<{ config: BruinConfig; environment: string; connections: Map<string, RawConnection> }> | undefined;
  #reading: Promise<BruinConfig> | undefined;

  constructor(context: BackendContext) {
    this.#context = context;
    this.#file = findConfigFile(
      context.pipelineDir ?? context.cwd,
      context.configFile ?? context.env.BRUIN_CONFIG_FILE,
      context.cwd,
    );
  }

  /** The config file in use, if one was found. */
  get configFile(): string | undefined {
    return this.#file;
  }

  describe(): string {
    const environment = this.#environment ?? this.#context.environment ?? "the default environment";
    return `config file '${this.#file ?? CONFIG_FILE_NAME}' under environment '${environment}'`;
  }

  /** Loads the file and checks the environment; throws a ConfigurationError (exit 2) when either is wrong. */
  async load(): Promise<{ config: BruinConfig; environment: string; connections: Map<string, RawConnection> }> {
    this.#loading ??= this.#load();
    return this.#loading;
  }

  async environmentName(): Promise<string> {
    return (await this.load()).environment;
  }

  /** The environments the config file defines, in file order. */
  async environments(): Promise<string[]> {
    if (!this.#file) return [];
    return [...(await this.#read(this.#file)).environments.keys()];
  }

  async get(name: string): Promise<ConnectionSecret | undefined> {
    const { config, environment, connections } = await this.load();
    const raw = connections.get(name);
    if (!raw) return undefined;
    let fields: Record<string, unknown>;
    try {
      fields = expandVariables(raw.fields, this.#context.env) as Record<string, unknown>;
    } catch (error) {
      if (!(error instanceof MissingVariableError)) throw error;
      throw new ConfigurationError(
        `connection '${name}' uses \${${error.variable}}, but environment variable ${error.variable} is not set`,
        {
          backend: this.id,
          connection: name,
          exitCode: EXIT_CONFIG,
          location: `config file '${config.file}', environment '${environment}'`,
        },
      );
    }
    // A `${VAR}` may bring in anything: a connection over 1 MiB is refused like any backend's.
    checkSecretSize(fields, {
      backend: this.id,
      connection: name,
      exitCode: EXIT_CONFIG,
      location: `config file '${config.file}', environment '${environment}'`,
    });
    return { name, type: raw.type, details: resolvePaths(fields, path.dirname(config.file)) };
  }

  async list(): Promise<string[]> {
    return [...(await this.load()).connections.keys()];
  }

  /** The file is read and parsed once, whichever of load() and environments() asks first. */
  #read(file: string): Promise<BruinConfig> {
    this.#reading ??= readConfigFile(file);
    return this.#reading;
  }

  async #load() {
    if (!this.#file) {
      throw new ConfigurationError(`no ${CONFIG_FILE_NAME} found for this pipeline`, {
        backend: this.id,
        exitCode: EXIT_CONFIG,
        hint: `Create ${CONFIG_FILE_NAME} next to the pipeline or at the repository root, pass --config-file, or choose another --secrets-backend`,
      });
    }
    const config = await this.#read(this.#file);
    const environment = this.#context.environment || config.defaultEnvironment;
    this.#environment = environment;
    const connections = config.environments.get(environment);
    if (!connections) {
      const known = [...config.environments.keys()];
      throw new ConfigurationError(`environment '${environment}' not found in the configuration file`, {
        backend: this.id,
        exitCode: EXIT_CONFIG,
        location: `config file '${config.file}'`,
        hint: known.length > 0 ? `Available environments: ${known.join(", ")}` : "The file defines no environments",
      });
    }
    this.#context.debug?.(`using config file ${config.file}, environment ${environment}`);
    return { config, environment, connections };
  }
}

export function createFileBackend(context: BackendContext): FileBackend {
  return new FileBackend(context);
}
