import { randomUUID } from "node:crypto";

import { notFound } from "./errors.js";
import type { EmulatorSeed } from "./types.js";

/** What Infisical puts in `secretValue` when viewSecretValue=false. */
export const HIDDEN_SECRET_VALUE = "<hidden-by-infisical>";

interface StoredSecret {
  id: string;
  value: string;
  version: number;
  /** Every value this secret has had, by version number. */
  history: Map<number, string>;
  createdAt: string;
  updatedAt: string;
}

type Folder = Map<string /* secret name */, StoredSecret>;
type Environment = Map<string /* folder path */, Folder>;
type Project = Map<string /* env slug */, Environment>;

/** The secret object of `GET /api/v3/secrets/raw/:name` and of list answers. */
export interface ApiSecret {
  id: string;
  _id: string;
  workspace: string;
  environment: string;
  version: number;
  type: "shared";
  secretKey: string;
  secretValue: string;
  secretComment: string;
  secretPath: string;
  secretValueHidden: boolean;
  skipMultilineEncoding: boolean;
  tags: never[];
  createdAt: string;
  updatedAt: string;
}

/** "team/a/" → "/team/a"; "" → "/". Infisical trims and drops the trailing slash. */
export function normalizeSecretPath(path: string | undefined): string {
  const trimmed = (path ?? "").trim();
  const parts = trimmed.split("/").filter((part) => part.length > 0);
  return `/${parts.join("/")}`;
}

/** "/team/a" → ["/", "/team", "/team/a"]: a folder implies all of its parents. */
function folderAndAncestors(path: string): string[] {
  const parts = path.split("/").filter((part) => part.length > 0);
  return ["/", ...parts.map((_, i) => `/${parts.slice(0, i + 1).join("/")}`)];
}

export class SecretStore {
  private readonly projects = new Map<string, Project>();

  constructor(
    seed: EmulatorSeed["projects"],
    private readonly now: () => number,
  ) {
    for (const [projectId, project] of Object.entries(seed)) {
      const environments = this.ensureProject(projectId);
      for (const [slug, folders] of Object.entries(project.environments)) {
        this.ensureFolder(environments, slug, "/");
        for (const [path, secrets] of Object.entries(folders)) {
          for (const [name, value] of Object.entries(secrets)) {
            this.set(projectId, slug, path, name, value);
          }
          this.ensureFolder(environments, slug, normalizeSecretPath(path));
        }
      }
    }
  }

  hasProject(projectId: string): boolean {
    return this.projects.has(projectId);
  }

  /** Creates the project, environment and folders as needed; a changed value gets a new version. */
  set(projectId: string, environment: string, path: string, name: string, value: string): void {
    const folder = this.ensureFolder(this.ensureProject(projectId), environment, normalizeSecretPath(path));
    const stamp = new Date(this.now()).toISOString();
    const existing = folder.get(name);
    if (!existing) {
      folder.set(name, {
        id: randomUUID(),
        value,
        version: 1,
        history: new Map([[1, value]]),
        createdAt: stamp,
        updatedAt: stamp,
      });
      return;
    }
    if (existing.value === value) return;
    existing.version += 1;
    existing.value = value;
    existing.history.set(existing.version, value);
    existing.updatedAt = stamp;
  }

  /** Removes one secret; its folder stays. Unknown names are ignored. */
  delete(projectId: string, environment: string, path: string, name: string): void {
    this.projects.get(projectId)?.get(environment)?.get(normalizeSecretPath(path))?.delete(name);
  }

  /** The folder at `path`, or the 404 Infisical sends for a missing project, environment or folder. */
  folder(projectId: string, environment: string, path: string): Folder {
    const project = this.projects.get(projectId);
    if (!project) throw notFound(`Project with ID '${projectId}' not found`);
    const env = project.get(environment);
    if (!env) throw notFound(`Environment with slug '${environment}' in project with ID '${projectId}' not found`);
    const folder = env.get(path);
    if (!folder) throw notFound(`Folder with path '${path}' in environment with slug '${environment}' not found`);
    return folder;
  }

  /** The value of `name` (at `version` when given), or undefined. */
  value(
    projectId: string,
    environment: string,
    path: string,
    name: string,
    version?: number,
  ): StoredSecret | undefined {
    const secret = this.projects.get(projectId)?.get(environment)?.get(path)?.get(name);
    if (!secret || version === undefined || version === secret.version) return secret;
    const old = secret.history.get(version);
    return old === undefined ? undefined : { ...secret, value: old, version };
  }

  /** Folder paths at `path` and, when recursive, below it, in a stable order. */
  folderPaths(projectId: string, environment: string, path: string, recursive: boolean): string[] {
    this.folder(projectId, environment, path);
    if (!recursive) return [path];
    const prefix = path === "/" ? "/" : `${path}/`;
    const all = [...(this.projects.get(projectId)?.get(environment)?.keys() ?? [])];
    return all.filter((p) => p === path || p.startsWith(prefix)).sort();
  }

  /** Secrets directly in one folder, sorted by name. */
  entries(projectId: string, environment: string, path: string): Array<[string, StoredSecret]> {
    return [...this.folder(projectId, environment, path).entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  }

  private ensureProject(projectId: string): Project {
    let project = this.projects.get(projectId);
    if (!project) {
      project = new Map();
      this.projects.set(projectId, project);
    }
    return project;
  }

  private ensureFolder(project: Project, environment: string, path: string): Folder {
    let env = project.get(environment);
    if (!env) {
      env = new Map();
      project.set(environment, env);
    }
    let folder: Folder | undefined;
    for (const p of folderAndAncestors(path)) {
      folder = env.get(p);
      if (!folder) {
        folder = new Map();
        env.set(p, folder);
      }
    }
    return folder as Folder;
  }
}

export function toApiSecret(
  projectId: string,
  environment: string,
  path: string,
  name: string,
  secret: StoredSecret,
  value: string,
  viewSecretValue: boolean,
): ApiSecret {
  return {
    id: secret.id,
    _id: secret.id,
    workspace: projectId,
    environment,
    version: secret.version,
    type: "shared",
    secretKey: name,
    secretValue: viewSecretValue ? value : HIDDEN_SECRET_VALUE,
    secretComment: "",
    secretPath: path,
    secretValueHidden: !viewSecretValue,
    skipMultilineEncoding: false,
    tags: [],
    createdAt: secret.createdAt,
    updatedAt: secret.updatedAt,
  };
}
