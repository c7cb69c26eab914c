import { connectionEngine } from "./engines/index.js";
import { MissingDriverError } from "./errors.js";
import type { ConnectionType } from "./types.js";

/**
 * The npm package of the driver a connection type needs, or undefined for a
 * type that opens no database (`generic`) or is unknown.
 */
export function driverPackage(type: string): string | undefined {
  return connectionEngine(type)?.driver;
}

/**
 * Whether the driver of a connection type can be found from this package,
 * without loading it: resolved the way `import()` would resolve it.
 */
export function isDriverInstalled(type: string): boolean {
  const driver = driverPackage(type);
  if (driver === undefined) return true;
  try {
    import.meta.resolve(driver);
    return true;
  } catch (error) {
    if (isMissingPackage(error, driver)) return false;
    throw error;
  }
}

/**
 * Throws a MissingDriverError when the driver of this connection's type is not
 * installed (it names the npm package to add); loads nothing.
 */
export function assertDriverInstalled(connection: { name: string; type: string }): void {
  if (isDriverInstalled(connection.type)) return;
  throw new MissingDriverError(connection.name, connection.type as ConnectionType, driverPackage(connection.type)!);
}

/** Whether `error` is Node's "cannot find package" for `pkg` itself (not for a module it imports in turn). */
export function isMissingPackage(error: unknown, pkg: string): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  if (code !== "ERR_MODULE_NOT_FOUND" && code !== "MODULE_NOT_FOUND") return false;
  const message = error instanceof Error ? error.message : "";
  return message.includes(`'${pkg}'`) || message.includes(`"${pkg}"`);
}
