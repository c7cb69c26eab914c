import type { ConnectionOptions } from "@databricks/sql/dist/contracts/IDBSQLClient.js";
import type { OpenOptions } from "./open-options.js";

/**
 * Pure mapping from validated databricks details to `@databricks/sql`
 * options, testable without a workspace and without loading the driver.
 */

export interface DatabricksDetails {
  host: string;
  port: number;
  path: string;
  token?: string;
  catalog?: string;
  schema?: string;
  client_id?: string;
  client_secret?: string;
}

export type DatabricksConnectOptions = ConnectionOptions;

export interface DatabricksSessionOptions {
  initialCatalog?: string;
  initialSchema?: string;
}

/**
 * A personal access token (`token`) wins; otherwise OAuth machine-to-machine
 * with `client_id`/`client_secret` (a service principal). The host may be
 * given as a URL (`https://adb-1.azuredatabricks.net/`); only its name is kept.
 */
export function databricksConnectOptions(details: DatabricksDetails, options?: OpenOptions): DatabricksConnectOptions {
  const common = {
    host: hostName(details.host),
    port: details.port,
    path: details.path.startsWith("/") ? details.path : `/${details.path}`,
    userAgentEntry: "bruin",
    // Usage reports to Databricks are the user's decision, not ours to make for them.
    telemetryEnabled: false,
    ...(options?.connectRetries !== undefined ? { retryMaxAttempts: options.connectRetries + 1 } : {}),
  };
  if (details.token) return { ...common, authType: "access-token", token: details.token };
  return {
    ...common,
    authType: "databricks-oauth",
    ...(details.client_id === undefined ? {} : { oauthClientId: details.client_id }),
    ...(details.client_secret === undefined ? {} : { oauthClientSecret: details.client_secret }),
  };
}

/** `catalog` and `schema` become the session's defaults, so unqualified names resolve there. */
export function databricksSessionOptions(details: DatabricksDetails): DatabricksSessionOptions {
  const session: DatabricksSessionOptions = {};
  if (details.catalog) session.initialCatalog = details.catalog;
  if (details.schema) session.initialSchema = details.schema;
  return session;
}

function hostName(host: string): string {
  return host.replace(/^https?:\/\//i, "").replace(/\/+$/, "");
}
