import { VariableError } from "./errors.js";
import type { Pipeline } from "./model.js";

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function parseJson(text: string): { ok: true; value: unknown } | { ok: false } {
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch {
    return { ok: false };
  }
}

/**
 * Pipeline variables from the command line: `BRUIN_VARS` (a JSON object)
 * first, then each `--var` in order, later ones winning. A `--var` is
 * `key=value` — the value parsed as JSON when it parses (`n=3`, `on=true`,
 * `list=[1,2]`), else taken as the string it is — or a JSON object.
 * Messages name the flag's position and key, never the value (it may be a secret).
 */
export function parseVarFlags(values: readonly string[], envJson?: string): Record<string, unknown> {
  const result: Record<string, unknown> = {};
  if (envJson !== undefined && envJson.trim() !== "") {
    const parsed = parseJson(envJson);
    if (!parsed.ok || !isPlainObject(parsed.value)) {
      throw new VariableError('BRUIN_VARS must be a JSON object, e.g. {"region": "eu"}');
    }
    Object.assign(result, parsed.value);
  }
  values.forEach((raw, index) => {
    const text = raw.trim();
    const which = `--var #${index + 1}`;
    if (text.startsWith("{")) {
      const parsed = parseJson(text);
      if (!parsed.ok || !isPlainObject(parsed.value)) throw new VariableError(`${which} is not a valid JSON object`);
      Object.assign(result, parsed.value);
      return;
    }
    const eq = text.indexOf("=");
    const key = eq < 0 ? "" : text.slice(0, eq).trim();
    if (eq < 0 || key === "") {
      throw new VariableError(
        `${which} must be key=value or a JSON object, e.g. --var region=eu or --var '{"region": "eu"}'`,
      );
    }
    const value = text.slice(eq + 1);
    const parsed = parseJson(value);
    result[key] = parsed.ok ? parsed.value : value;
  });
  return result;
}

/**
 * The variables a run sees: the pipeline's declared defaults with `overrides`
 * on top. A name the pipeline does not declare is an error listing the
 * declared ones (a typo would otherwise silently render the default).
 */
export function resolveVariables(pipeline: Pipeline, overrides: Record<string, unknown> = {}): Record<string, unknown> {
  const problem = unknownVariablesMessage(pipeline, overrides);
  if (problem) throw new VariableError(problem);
  return { ...pipeline.variables, ...overrides };
}

/** The message for variables `pipeline` does not declare, or undefined when all are declared. */
export function unknownVariablesMessage(pipeline: Pipeline, variables: Record<string, unknown>): string | undefined {
  const declared = Object.keys(pipeline.variables);
  const unknown = Object.keys(variables).filter((name) => !declared.includes(name));
  if (unknown.length === 0) return undefined;
  const names = unknown.map((n) => `'${n}'`).join(", ");
  const known =
    declared.length > 0
      ? `declared variables: ${declared.join(", ")}`
      : `pipeline '${pipeline.name}' declares no variables`;
  return `unknown variable${unknown.length > 1 ? "s" : ""} ${names}; ${known}`;
}

/** JSON-schema keywords of a variable declaration that say nothing about the value. */
const ANNOTATIONS = new Set(["default", "description", "title", "examples", "$comment"]);

/**
 * Checks each override against its variable's declaration in pipeline.yml,
 * a JSON schema (`type: integer`, `enum`, `items`, …), so that a value of the
 * wrong kind stops the run before anything runs. Messages name the variable
 * and what it must be, never the value. The schema validator loads only when
 * there is something to check.
 */
export async function checkVariableTypes(
  pipeline: Pipeline,
  overrides: Record<string, unknown>,
  source = "--var or BRUIN_VARS",
): Promise<void> {
  const schemas = pipeline.variableSchemas ?? {};
  const names = Object.keys(overrides).filter((name) => schemas[name] !== undefined);
  if (names.length === 0) return;
  const { default: Ajv } = (await import("ajv")) as unknown as { default: typeof import("ajv").default };
  const ajv = new Ajv({ strict: false, allErrors: false });
  const problems: string[] = [];
  for (const name of names) {
    const schema = Object.fromEntries(Object.entries(schemas[name] ?? {}).filter(([key]) => !ANNOTATIONS.has(key)));
    let validate;
    try {
      validate = ajv.compile(schema);
    } catch (error) {
      problems.push(`variable '${name}' has an invalid declaration in pipeline.yml: ${(error as Error).message}`);
      continue;
    }
    if (validate(overrides[name])) continue;
    const first = validate.errors?.[0];
    const where = first?.instancePath ? ` at ${first.instancePath}` : "";
    const what =
      first?.keyword === "enum"
        ? `one of ${JSON.stringify(first.params.allowedValues)}`
        : (first?.message ?? "valid").replace(/^must be /, "");
    problems.push(
      `the value given for variable '${name}' (${source})${where} must be ${what}, as pipeline.yml declares it`,
    );
  }
  if (problems.length > 0) throw new VariableError(problems.join("; "));
}
