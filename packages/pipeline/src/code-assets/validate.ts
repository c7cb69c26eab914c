import type { Asset } from "../model.js";
import { chooseInterpreter } from "./interpreter.js";

export interface CodeValidateOptions {
  /** Resolves a connection named in `secrets:`; throws when it is missing or invalid (messages hold no secret). */
  resolveConnection?: (name: string) => Promise<unknown>;
  /** The PATH interpreters are looked for on, from the caller's environment (a library does not read the process's). */
  pathVariable?: string;
}

/**
 * What `validate` checks of Python and R assets beyond their headers: an
 * interpreter to run them, a connection (and a `materialize()` function) for
 * a table materialization, no materialization where none is supported, and
 * every secret they ask for resolving through the backend.
 */
export async function codeAssetProblems(
  assets: readonly Asset[],
  options: CodeValidateOptions = {},
): Promise<string[]> {
  const problems: string[] = [];
  const pathVariable = options.pathVariable;
  const missing = new Map<string, string[]>();
  const secretUsers = new Map<string, string[]>();
  for (const asset of assets) {
    const code = asset.code;
    if (!code || asset.unsupported) continue;
    const chosen = chooseInterpreter(code, pathVariable);
    if ("missing" in chosen) missing.set(chosen.missing, [...(missing.get(chosen.missing) ?? []), asset.name]);
    const m = asset.materialization;
    if (m && code.language === "r")
      problems.push(`asset '${asset.name}': R assets cannot be materialized; remove 'materialization'`);
    else if (m?.type === "view")
      problems.push(`asset '${asset.name}': a Python asset cannot be materialized as a view; use 'type: table'`);
    else if (m?.type === "table") {
      if (!asset.connection)
        problems.push(
          `asset '${asset.name}': a Python asset with a table materialization needs a 'connection' to load its rows into`,
        );
      if (!/^\s*def\s+materialize\s*\(/m.test(asset.query))
        problems.push(
          `asset '${asset.name}': a table materialization needs a 'def materialize():' function in the script`,
        );
    }
    for (const secret of code.secrets)
      secretUsers.set(secret.key, [...(secretUsers.get(secret.key) ?? []), asset.name]);
  }
  for (const [what, users] of missing) problems.push(`${what}, needed by ${quoted(users)}`);
  if (options.resolveConnection) {
    const resolve = options.resolveConnection;
    const names = [...secretUsers.keys()].sort();
    const results = await Promise.all(
      names.map((name) =>
        Promise.resolve()
          .then(() => resolve(name))
          .then(
            () => undefined,
            (error: unknown) =>
              `secret '${name}' (used by ${quoted(secretUsers.get(name)!)}): ${error instanceof Error ? error.message : String(error)}`,
          ),
      ),
    );
    problems.push(...results.filter((r): r is string => r !== undefined));
  }
  return problems;
}

function quoted(names: readonly string[]): string {
  return names.length > 3
    ? `${names
        .slice(0, 3)
        .map((n) => `'${n}'`)
        .join(", ")} and ${names.length - 3} more`
    : names.map((n) => `'${n}'`).join(", ");
}
