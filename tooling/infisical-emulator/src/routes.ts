import type { AuthService } from "./auth.js";
import { ApiError, badRequest } from "./errors.js";
import { parseSecretQuery, type ApiVersion } from "./secret-query.js";
import { listSecrets, readSecret } from "./secret-reads.js";
import type { SecretStore } from "./secret-store.js";
import type { RequestKind } from "./types.js";

/** A recognised endpoint: what it counts as and how to answer it. */
export interface Route {
  kind: RequestKind;
  handle(request: { query: URLSearchParams; body: unknown; authorization: string | undefined }): unknown;
}

function decodeName(raw: string): string {
  try {
    return decodeURIComponent(raw);
  } catch {
    throw badRequest("Invalid secret name in URL");
  }
}

const SECRET_ROUTES: Array<{ pattern: RegExp; api: ApiVersion }> = [
  { pattern: /^\/api\/v3\/secrets\/raw(?:\/([^/]*))?\/?$/, api: "v3" },
  { pattern: /^\/api\/v4\/secrets(?:\/([^/]*))?\/?$/, api: "v4" },
];

/** Finds the route for a method and path, or undefined (answered with fastify's 404). */
export function findRoute(method: string, path: string, auth: AuthService, store: SecretStore): Route | undefined {
  if (method === "POST" && path === "/api/v1/auth/universal-auth/login") {
    return { kind: "login", handle: ({ body }) => auth.login(body) };
  }
  if (method === "POST" && path === "/api/v1/auth/token/renew") {
    return { kind: "renew", handle: ({ body }) => auth.renew(body) };
  }
  if (method !== "GET") return undefined;
  for (const { pattern, api } of SECRET_ROUTES) {
    const match = pattern.exec(path);
    if (!match) continue;
    const rawName = match[1];
    if (rawName === undefined || rawName === "") {
      return {
        kind: "listSecrets",
        handle: ({ query, authorization }) => {
          const identity = auth.authenticate(authorization);
          return listSecrets(store, identity, parseSecretQuery(query, api, true));
        },
      };
    }
    return {
      kind: "getSecret",
      handle: ({ query, authorization }) => {
        const identity = auth.authenticate(authorization);
        return readSecret(store, identity, parseSecretQuery(query, api, false), decodeName(rawName));
      },
    };
  }
  return undefined;
}

/** Fastify's answer for a route it does not have. */
export function routeNotFound(method: string, path: string): ApiError {
  return new ApiError(404, "Not Found", `Route ${method}:${path} not found`);
}
