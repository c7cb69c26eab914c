import type { z } from "zod";
import { TYPE_SPECS } from "./schemas.js";
import type { ConnectionType } from "./types.js";

const cache = new Map<ConnectionType, Record<string, unknown>>();

/**
 * The values a connection type's optional fields take when a secret leaves
 * them out (postgres `pool_max_conns: 10`), the port aside: a port is always
 * part of a connection's address. Validation fills these in; what a code asset
 * is given leaves them out, as the reference CLI's JSON does for fields not set.
 */
export function defaultedFields(type: ConnectionType): Record<string, unknown> {
  let defaults = cache.get(type);
  if (!defaults) {
    defaults = {};
    const shape = (TYPE_SPECS[type].schema as unknown as { shape?: Record<string, z.ZodType> }).shape ?? {};
    for (const [field, schema] of Object.entries(shape)) {
      if (field === "port") continue;
      const parsed = schema.safeParse(undefined);
      if (parsed.success && parsed.data !== undefined) defaults[field] = parsed.data;
    }
    cache.set(type, defaults);
  }
  return defaults;
}
