import type { BigQueryOptions } from "@google-cloud/bigquery";

/**
 * Pure mapping from validated google_cloud_platform details to
 * `@google-cloud/bigquery` client options, testable without Google Cloud and
 * without loading the client library.
 */

export interface BigQueryDetails {
  project_id: string;
  service_account_file?: string;
  service_account_json?: string | Record<string, unknown>;
  location?: string;
  use_application_default_credentials?: boolean;
  /** Optional extra: another API endpoint (an emulator, a private endpoint). */
  api_endpoint?: string;
}

/**
 * Credentials, first match wins:
 * - `use_application_default_credentials: true` → application default
 *   credentials (`GOOGLE_APPLICATION_CREDENTIALS`, gcloud, the metadata server);
 * - `service_account_json` (JSON text or an object) → `credentials`;
 * - `service_account_file` → `keyFilename`;
 * - none of them → application default credentials as well.
 */
export function bigQueryOptions(details: BigQueryDetails): BigQueryOptions {
  const options: BigQueryOptions = { projectId: details.project_id, userAgent: "bruin" };
  if (details.location) options.location = details.location;
  if (typeof details.api_endpoint === "string" && details.api_endpoint) options.apiEndpoint = details.api_endpoint;
  if (details.use_application_default_credentials === true) return options;
  if (details.service_account_json !== undefined && details.service_account_json !== "") {
    options.credentials = serviceAccountCredentials(details.service_account_json);
  } else if (details.service_account_file) {
    options.keyFilename = details.service_account_file;
  }
  return options;
}

/**
 * Reads the service account key. Its text is a secret, so a failure names
 * the field and where the JSON breaks, never the text (V8's JSON.parse
 * messages quote the input).
 */
export function serviceAccountCredentials(
  json: string | Record<string, unknown>,
): NonNullable<BigQueryOptions["credentials"]> {
  let parsed: unknown = json;
  if (typeof json === "string") {
    try {
      parsed = JSON.parse(json);
    } catch (error) {
      const position = /position (\d+)/.exec(error instanceof Error ? error.message : "")?.[1];
      throw new Error(`service_account_json is not valid JSON${position ? ` (error at character ${position})` : ""}`);
    }
  }
  if (parsed === null || typeof parsed !== "object" || Array.isArray(parsed)) {
    throw new Error("service_account_json must be a JSON object (a service account key)");
  }
  const key = parsed as Record<string, unknown>;
  // Other credential kinds (authorized_user, external_account) are left to the auth library to judge.
  if (key.type !== undefined && key.type !== "service_account")
    return key as NonNullable<BigQueryOptions["credentials"]>;
  const missing = ["client_email", "private_key"].filter(
    (field) => typeof key[field] !== "string" || key[field] === "",
  );
  if (missing.length > 0) {
    throw new Error(
      `service_account_json has no ${missing.map((field) => `'${field}'`).join(" or ")}: is it a service account key?`,
    );
  }
  return key as NonNullable<BigQueryOptions["credentials"]>;
}
