import { accessSync, constants, existsSync } from "node:fs";
import path from "node:path";
import type { CodeSpec } from "../model.js";

/** Where an executable is on PATH, or undefined. */
export function findExecutable(name: string, pathVariable: string | undefined): string | undefined {
  for (const dir of (pathVariable ?? "").split(path.delimiter)) {
    if (!dir) continue;
    const candidate = path.join(dir, name);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not here
    }
  }
  return undefined;
}

/** The Python version `image: python:3.11` asks for, or undefined. */
export function pythonVersionOf(image: string | undefined): string | undefined {
  const match = /^python:(\d+\.\d+)/.exec(image?.trim() ?? "");
  return match?.[1];
}

/** How a code asset's interpreter is started. */
export type Interpreter =
  | { kind: "uv"; command: string; pythonVersion?: string }
  | { kind: "python"; command: string }
  | { kind: "rscript"; command: string };

/**
 * The interpreter of a code asset: for Python, `uv` when it is on PATH (as
 * the reference CLI does), else `python3.X` for `image: python:3.X` when on
 * PATH, else `python3`; for R, `Rscript`. Returns what was looked for when
 * nothing is found.
 */
export function chooseInterpreter(
  code: Pick<CodeSpec, "language" | "image">,
  pathVariable: string | undefined,
): { interpreter: Interpreter } | { missing: string } {
  if (code.language === "r") {
    const rscript = findExecutable("Rscript", pathVariable);
    return rscript ? { interpreter: { kind: "rscript", command: rscript } } : { missing: "Rscript is not on PATH" };
  }
  const version = pythonVersionOf(code.image);
  const uv = findExecutable("uv", pathVariable);
  if (uv) return { interpreter: { kind: "uv", command: uv, ...(version ? { pythonVersion: version } : {}) } };
  const versioned = version ? findExecutable(`python${version}`, pathVariable) : undefined;
  if (versioned) return { interpreter: { kind: "python", command: versioned } };
  const python3 = findExecutable("python3", pathVariable);
  if (python3) return { interpreter: { kind: "python", command: python3 } };
  const looked = [...(version ? [`python${version}`] : []), "uv", "python3"];
  return { missing: `no Python interpreter found on PATH (looked for ${looked.join(", ")})` };
}

/**
 * The nearest `requirements.txt` walking up from the asset's folder to `root`
 * (the repository root) included, or undefined.
 */
export function findRequirements(assetPath: string, root: string): string | undefined {
  return findNearest("requirements.txt", assetPath, root);
}

/** The nearest file named `name` walking up from the asset's folder to `root` included (R's `renv.lock`), or undefined. */
export function findNearest(name: string, assetPath: string, root: string): string | undefined {
  const stop = path.resolve(root);
  for (let dir = path.dirname(path.resolve(assetPath)); ; dir = path.dirname(dir)) {
    const candidate = path.join(dir, name);
    if (existsSync(candidate)) return candidate;
    if (dir === stop || path.dirname(dir) === dir) return undefined;
  }
}

/**
 * The command line of `uv run` for a script: the Python version of `image:`,
 * the requirements file when there is one (which then wins over a
 * `pyproject.toml`: the project is not used); without one, `uv run` uses the
 * project (`pyproject.toml` + `uv.lock`) it finds from the asset's folder.
 * `args` follow the script.
 */
export function uvCommand(
  interpreter: Extract<Interpreter, { kind: "uv" }>,
  script: string,
  options: { requirements?: string; args?: readonly string[] } = {},
): { command: string; args: string[] } {
  return {
    command: interpreter.command,
    args: [
      "run",
      ...(options.requirements ? ["--no-project"] : []),
      ...(interpreter.pythonVersion ? ["--python", interpreter.pythonVersion] : []),
      ...(options.requirements ? ["--with-requirements", options.requirements] : []),
      "python",
      "-u",
      script,
      ...(options.args ?? []),
    ],
  };
}
