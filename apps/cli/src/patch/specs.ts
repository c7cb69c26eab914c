import { isJsonObject, type Json } from "./json.js";
import type { Spec } from "./yaml-edit.js";

/**
 * The fields of the JSON documents `internal parse-asset` and
 * `parse-pipeline` print, as a patch body names them, and where each goes in
 * the YAML definition. Fields not listed keep their name.
 */

/** `upstreams` (`{type, value, mode}`) as `depends:` items: a name, `{asset, mode}` or `{uri}`. */
function dependsOf(value: Json): unknown {
  if (!Array.isArray(value)) return value;
  return value.flatMap((item): unknown[] => {
    if (typeof item === "string") return [item];
    if (!isJsonObject(item) || typeof item.value !== "string") return [];
    if (item.type === "uri") return [{ uri: item.value }];
    const mode = typeof item.mode === "string" && item.mode !== "" && item.mode !== "full" ? item.mode : undefined;
    return [mode === undefined ? item.value : { asset: item.value, mode }];
  });
}

/** `secrets` (`{secret_key, injected_key}`) as `secrets:` items (`{key, inject_as}`). */
function secretsOf(value: Json): unknown {
  if (!Array.isArray(value)) return value;
  return value.flatMap((item) => {
    if (!isJsonObject(item) || typeof item.secret_key !== "string") return [];
    const injected = typeof item.injected_key === "string" ? item.injected_key : "";
    return [
      injected === "" || injected === item.secret_key
        ? { key: item.secret_key }
        : { key: item.secret_key, inject_as: injected },
    ];
  });
}

const COLUMN_CHECK: Spec = { id: { skip: true } };
const COLUMN: Spec = { upstreams: { skip: true }, checks: { items: COLUMN_CHECK } };
const CUSTOM_CHECK: Spec = { id: { skip: true } };

export const ASSET_SPEC: Spec = {
  id: { skip: true },
  executable_file: { skip: true },
  definition_file: { skip: true },
  upstreams: { key: "depends", toYaml: dependsOf },
  secrets: { toYaml: secretsOf },
  columns: { items: COLUMN },
  custom_checks: { items: CUSTOM_CHECK },
};

export const PIPELINE_SPEC: Spec = {
  legacy_id: { key: "id" },
  definition_file: { skip: true },
  assets: { skip: true },
  commit: { skip: true },
  snapshot: { skip: true },
  selected_variant: { skip: true },
  macros: { skip: true },
};
