import type { ConnectionAdapter } from "@bruin-ts/connections";
import { isRecord, type Report } from "./asset-fields.js";
import type { Asset } from "./model.js";
import { stripTrailingSemicolons } from "./names.js";
import { renderTemplate, type TemplateContext } from "./render.js";

/** `hooks:` of an asset or of the pipeline's `default:`: queries run before and after the asset's own query. */
export interface Hooks {
  pre: string[];
  post: string[];
}

/** The hooks an asset or the pipeline's `default:` declares; a side not written is undefined (so it is inherited). */
export interface DeclaredHooks {
  pre?: string[];
  post?: string[];
}

function readHookList(value: unknown, field: string, report: Report): string[] | undefined {
  if (value === undefined || value === null) return undefined;
  if (!Array.isArray(value)) {
    report(`'${field}' must be a list of {query: ...}`);
    return [];
  }
  const queries: string[] = [];
  for (const item of value) {
    const query = isRecord(item) ? item.query : undefined;
    if (typeof query !== "string" || query.trim() === "") {
      report(`'${field}' items need a 'query'`);
      continue;
    }
    queries.push(query);
  }
  return queries;
}

/** Reads `hooks: {pre: [{query}], post: [{query}]}`. */
export function readHooks(value: unknown, field: string, report: Report): DeclaredHooks | undefined {
  if (value === undefined || value === null) return undefined;
  if (!isRecord(value)) {
    report(`'${field}' must be a mapping with 'pre' and/or 'post' lists`);
    return undefined;
  }
  for (const key of Object.keys(value)) {
    if (key !== "pre" && key !== "post") report(`'${field}' takes 'pre' and 'post', not '${key}'`);
  }
  const pre = readHookList(value.pre, `${field}.pre`, report);
  const post = readHookList(value.post, `${field}.post`, report);
  return { ...(pre ? { pre } : {}), ...(post ? { post } : {}) };
}

/**
 * The asset's hooks: each side it declares replaces the pipeline's default
 * for that side; a side it does not declare is inherited.
 */
export function mergeHooks(own: DeclaredHooks | undefined, defaults: DeclaredHooks | undefined): Hooks | undefined {
  const pre = own?.pre ?? defaults?.pre ?? [];
  const post = own?.post ?? defaults?.post ?? [];
  return pre.length > 0 || post.length > 0 ? { pre, post } : undefined;
}

/** Renders the hooks of one side with the asset's template context. */
export function renderHooks(asset: Asset, side: keyof Hooks, context: TemplateContext): string[] {
  return (asset.hooks?.[side] ?? []).map((query, i) =>
    renderTemplate(query, context, { asset, what: `${side} hook ${i + 1}` }),
  );
}

/** Runs rendered hook queries one after another on the asset's connection; a failing hook names its side and position. */
export async function runHooks(
  adapter: ConnectionAdapter,
  asset: Asset,
  side: keyof Hooks,
  queries: readonly string[],
): Promise<void> {
  for (const [i, query] of queries.entries()) {
    const sql = stripTrailingSemicolons(query);
    if (sql === "") continue;
    try {
      await adapter.exec(sql);
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      throw new Error(`asset '${asset.name}': ${side} hook ${i + 1} failed: ${reason}`);
    }
  }
}
