/**
 * Azure AD (Microsoft Entra ID) client credentials and the Azure Key Vault
 * secrets REST API as bruin uses them, written from Microsoft's docs, on one
 * HTTPS server (the Azure SDK refuses to send a bearer token over plain http):
 *
 * - `GET /{tenant}/v2.0/.well-known/openid-configuration`: the tenant's metadata,
 *   which MSAL reads before it asks for a token;
 * - `POST /{tenant}/oauth2/v2.0/token` with `grant_type=client_credentials`,
 *   `client_id`, `client_secret`, `scope` → `{"token_type": "Bearer", "access_token", "expires_in"}`;
 *   an unknown tenant 400 (AADSTS90002), an unknown client 400 (AADSTS700016), a wrong secret 401 (AADSTS7000215);
 * - `GET /secrets/{name}[/{version}]?api-version=…` → the secret bundle `{"value", "id", "attributes"}`;
 * - `GET /secrets?api-version=…[&maxresults=]` → `{"value": [{"id", "attributes"}], "nextLink"}`, paged.
 *
 * A Key Vault request without a valid bearer token answers 401 with the
 * `WWW-Authenticate: Bearer authorization="{url}/{tenant}", resource="https://vault.azure.net"`
 * challenge the SDK starts from; a client without access 403 `Forbidden`, a
 * missing secret 404 `SecretNotFound`, with Key Vault's `{"error": {"code", "message"}}` bodies.
 */
import { randomBytes } from "node:crypto";
import { readFile } from "node:fs/promises";
import { makeTestCertificates } from "@bruin-ts/infisical-emulator";
import { HttpEmulator, type Answer, type FaultRule, type LoggedRequest } from "./http-emulator.js";

export type AzureRoute = "metadata" | "token" | "get" | "list";

export interface AzureSeed {
  /** The directory (tenant) id the clients belong to. */
  tenant: string;
  /** App registrations that may get tokens; `deny` lists secret names the app may not read (403); `noList` refuses listing. */
  clients: Array<{ clientId: string; clientSecret: string; deny?: string[]; noList?: boolean }>;
  /** Secret name → value (a string, as Key Vault stores it), or `{ value, enabled: false }` for a disabled secret. */
  secrets: Record<string, string | { value: string; enabled?: boolean; managed?: boolean }>;
  /** Secrets per page of a listing (default 25, as Key Vault's `maxresults` default). */
  pageSize?: number;
  /** Lifetime of the access tokens issued (default 3599 s). */
  tokenLifetimeSeconds?: number;
}

export interface AzureEmulator {
  /** `https://127.0.0.1:<port>`: the vault URL and the authority host. */
  readonly url: string;
  /** The PEM file of the CA the server's certificate is signed with, for NODE_EXTRA_CA_CERTS (when it made its own). */
  readonly caFile: string | undefined;
  /** The CA's certificate (PEM), for an in-process client's agent. */
  readonly ca: string | undefined;
  readonly requests: ReadonlyArray<LoggedRequest<AzureRoute>>;
  count(route: AzureRoute | "total"): number;
  inject(rule: FaultRule<AzureRoute>): void;
  /** Every access token issued so far. */
  issuedTokens(): string[];
  /** Adds or replaces a secret. */
  put(name: string, value: string): void;
  stop(): Promise<void>;
}

/** The Key Vault resource the challenge names; tokens are asked for `${VAULT_RESOURCE}/.default`. */
const VAULT_RESOURCE = "https://vault.azure.net";
const NAME = /^[0-9a-zA-Z-]{1,127}$/;

const kvError = (code: string, message: string, inner?: string) => ({
  error: { code, message, ...(inner ? { innererror: { code: inner } } : {}) },
});
const aadError = (status: number, error: string, description: string) => ({
  status,
  body: {
    error,
    error_description: `${description}\r\nTrace ID: 00000000-0000-0000-0000-000000000000\r\nTimestamp: ${new Date().toISOString()}`,
    error_codes: [Number(/AADSTS(\d+)/.exec(description)?.[1] ?? 0)],
  },
});

/**
 * Starts the emulator over HTTPS. Without `tls`, it makes a throwaway CA and
 * certificate for 127.0.0.1 with openssl (about a second) and removes them on `stop()`.
 */
export async function startAzureEmulator(options: {
  seed: AzureSeed;
  tls?: { key: string; cert: string };
  port?: number;
}): Promise<AzureEmulator> {
  const { seed } = options;
  const secrets = new Map<string, { value: string; enabled: boolean; managed: boolean; version: string }>();
  const put = (name: string, stored: AzureSeed["secrets"][string]) => {
    const entry = typeof stored === "string" ? { value: stored } : stored;
    secrets.set(name.toLowerCase(), {
      value: entry.value,
      enabled: entry.enabled ?? true,
      managed: entry.managed ?? false,
      version: randomBytes(16).toString("hex"),
    });
  };
  for (const [name, stored] of Object.entries(seed.secrets)) put(name, stored);
  const names = new Map(Object.keys(seed.secrets).map((name) => [name.toLowerCase(), name]));
  /** Access token → the client it was issued to. */
  const tokens = new Map<string, { clientId: string; expiresAt: number }>();
  let base = "";

  const emulator = new HttpEmulator<AzureRoute>(
    (request, url, body) => {
      const method = (request.method ?? "GET").toUpperCase();
      // Links name the host the client used (127.0.0.1 or localhost), as a real service names its own.
      const origin = request.headers.host ? `https://${request.headers.host}` : base;
      const parts = url.pathname.split("/").filter(Boolean);
      if (
        method === "GET" &&
        parts.length === 4 &&
        parts.slice(1).join("/") === "v2.0/.well-known/openid-configuration"
      ) {
        return { route: "metadata", answer: () => metadata(parts[0]!, origin) };
      }
      if (method === "POST" && parts.length === 4 && parts.slice(1).join("/") === "oauth2/v2.0/token") {
        return { route: "token", answer: () => token(parts[0]!, body) };
      }
      if (method === "GET" && parts[0] === "secrets" && parts.length === 1) {
        return {
          route: "list",
          answer: () => vault(request.headers.authorization, url, origin, (client) => list(client, url, origin)),
        };
      }
      if (method === "GET" && parts[0] === "secrets" && (parts.length === 2 || parts.length === 3)) {
        const name = decodeURIComponent(parts[1]!);
        return {
          route: "get",
          answer: () =>
            vault(request.headers.authorization, url, origin, (client) => get(client, name, parts[2], origin)),
        };
      }
      return { route: "other", answer: () => ({ status: 404, body: kvError("NotFound", "Not found") }) };
    },
    (status) =>
      status === 429
        ? kvError("Throttled", "Rate limit is exceeded. Try again in 1 seconds.")
        : status === 401
          ? kvError("Unauthorized", "AKV10000: Request is missing a Bearer or PoP token.")
          : status === 403
            ? kvError("Forbidden", "Caller is not authorized to perform action on resource.", "ForbiddenByRbac")
            : status === 404
              ? kvError("SecretNotFound", "A secret with this name was not found in this key vault.")
              : kvError("InternalServerError", "The service encountered an internal error."),
  );

  function metadata(tenant: string, base: string): Answer {
    if (tenant !== seed.tenant) return aadError(400, "invalid_tenant", `AADSTS90002: Tenant '${tenant}' not found.`);
    const authority = `${base}/${tenant}`;
    return {
      status: 200,
      body: {
        token_endpoint: `${authority}/oauth2/v2.0/token`,
        token_endpoint_auth_methods_supported: ["client_secret_post", "private_key_jwt", "client_secret_basic"],
        jwks_uri: `${authority}/discovery/v2.0/keys`,
        response_modes_supported: ["query", "fragment", "form_post"],
        subject_types_supported: ["pairwise"],
        id_token_signing_alg_values_supported: ["RS256"],
        response_types_supported: ["code", "id_token", "code id_token", "id_token token"],
        scopes_supported: ["openid", "profile", "email", "offline_access"],
        issuer: `${authority}/v2.0`,
        request_uri_parameter_supported: false,
        userinfo_endpoint: `${base}/oidc/userinfo`,
        authorization_endpoint: `${authority}/oauth2/v2.0/authorize`,
        device_authorization_endpoint: `${authority}/oauth2/v2.0/devicecode`,
        http_logout_supported: true,
        frontchannel_logout_supported: true,
        end_session_endpoint: `${authority}/oauth2/v2.0/logout`,
        claims_supported: ["sub", "iss", "aud", "exp", "iat", "nonce", "tid"],
        kerberos_endpoint: `${authority}/kerberos`,
        tenant_region_scope: "EU",
        cloud_instance_name: "microsoftonline.com",
        cloud_graph_host_name: "graph.windows.net",
        msgraph_host: "graph.microsoft.com",
        rbac_url: "https://pas.windows.net",
      },
    };
  }

  function token(tenant: string, body: string): Answer {
    if (tenant !== seed.tenant) return aadError(400, "invalid_request", `AADSTS90002: Tenant '${tenant}' not found.`);
    const form = new URLSearchParams(body);
    if (form.get("grant_type") !== "client_credentials") {
      return aadError(400, "unsupported_grant_type", "AADSTS70003: The app requested an unsupported grant type.");
    }
    const client = seed.clients.find((candidate) => candidate.clientId === form.get("client_id"));
    if (!client) {
      return aadError(
        400,
        "unauthorized_client",
        `AADSTS700016: Application with identifier '${form.get("client_id") ?? ""}' was not found in the directory '${tenant}'.`,
      );
    }
    if (form.get("client_secret") !== client.clientSecret) {
      return aadError(
        401,
        "invalid_client",
        `AADSTS7000215: Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID, for a secret added to app '${client.clientId}'.`,
      );
    }
    const scopes = (form.get("scope") ?? "").split(" ");
    if (!scopes.includes(`${VAULT_RESOURCE}/.default`)) {
      return aadError(
        400,
        "invalid_scope",
        "AADSTS70011: The provided value for the input parameter 'scope' is not valid.",
      );
    }
    const lifetime = seed.tokenLifetimeSeconds ?? 3599;
    const accessToken = `eyJ0eXAiOiJKV1QifQ.emulated-${randomBytes(24).toString("base64url")}.sig`;
    tokens.set(accessToken, { clientId: client.clientId, expiresAt: Date.now() + lifetime * 1000 });
    return {
      status: 200,
      body: { token_type: "Bearer", expires_in: lifetime, ext_expires_in: lifetime, access_token: accessToken },
    };
  }

  /** The auth check of every Key Vault request, then `answer` for the client the token belongs to. */
  function vault(
    authorization: string | undefined,
    url: URL,
    base: string,
    answer: (client: AzureSeed["clients"][number]) => Answer,
  ): Answer {
    if (!url.searchParams.get("api-version")) {
      return {
        status: 400,
        body: kvError("BadParameter", "The request URI contains an invalid or missing api-version parameter."),
      };
    }
    const bearer = /^Bearer (.+)$/.exec(authorization ?? "")?.[1];
    const grant = bearer === undefined ? undefined : tokens.get(bearer);
    if (!grant || grant.expiresAt <= Date.now()) {
      return {
        status: 401,
        headers: {
          "www-authenticate": `Bearer authorization="${base}/${seed.tenant}", resource="${VAULT_RESOURCE}"`,
        },
        body: kvError("Unauthorized", "AKV10000: Request is missing a Bearer or PoP token."),
      };
    }
    return answer(seed.clients.find((client) => client.clientId === grant.clientId)!);
  }

  function get(client: AzureSeed["clients"][number], name: string, version: string | undefined, base: string): Answer {
    if (!NAME.test(name)) {
      return { status: 400, body: kvError("BadParameter", "The request URI contains an invalid name: " + name) };
    }
    if (client.deny?.some((denied) => denied.toLowerCase() === name.toLowerCase())) {
      return {
        status: 403,
        body: kvError(
          "Forbidden",
          `The user, group or application 'appid=${client.clientId};oid=00000000-0000-0000-0000-000000000000' does not have secrets get permission on key vault 'emulator;location=local'. For help resolving this issue, please see https://go.microsoft.com/fwlink/?linkid=2125287`,
          "AccessDenied",
        ),
      };
    }
    const secret = secrets.get(name.toLowerCase());
    if (!secret || (version !== undefined && version !== secret.version)) {
      return {
        status: 404,
        body: kvError(
          "SecretNotFound",
          `A secret with (name/id) ${name} was not found in this key vault. If you recently deleted this secret you may be able to recover it using the correct recovery command. For help resolving this issue, please see https://go.microsoft.com/fwlink/?linkid=2125182`,
        ),
      };
    }
    if (!secret.enabled) {
      return {
        status: 403,
        body: kvError("Forbidden", "Operation get is not allowed on a disabled secret.", "SecretDisabled"),
      };
    }
    const stored = names.get(name.toLowerCase()) ?? name;
    return {
      status: 200,
      body: {
        value: secret.value,
        id: `${base}/secrets/${stored}/${secret.version}`,
        attributes: attributes(secret.enabled),
        tags: {},
        ...(secret.managed ? { managed: true } : {}),
      },
    };
  }

  function list(client: AzureSeed["clients"][number], url: URL, base: string): Answer {
    if (client.noList) {
      return {
        status: 403,
        body: kvError(
          "Forbidden",
          `The user, group or application 'appid=${client.clientId}' does not have secrets list permission on key vault 'emulator;location=local'.`,
          "AccessDenied",
        ),
      };
    }
    const size = Number(url.searchParams.get("maxresults") ?? seed.pageSize ?? 25);
    const start = Number(url.searchParams.get("$skiptoken") ?? 0);
    const all = [...secrets.entries()].sort(([a], [b]) => a.localeCompare(b));
    const page = all.slice(start, start + size);
    const next = start + size < all.length ? start + size : undefined;
    const apiVersion = url.searchParams.get("api-version")!;
    return {
      status: 200,
      body: {
        value: page.map(([key, secret]) => ({
          id: `${base}/secrets/${names.get(key) ?? key}`,
          attributes: attributes(secret.enabled),
          tags: {},
          ...(secret.managed ? { managed: true } : {}),
        })),
        nextLink:
          next === undefined ? null : `${base}/secrets?api-version=${apiVersion}&$skiptoken=${next}&maxresults=${size}`,
      },
    };
  }

  const made = options.tls ? undefined : await makeTestCertificates();
  try {
    await emulator.start(options.port, options.tls ?? made!.valid);
  } catch (error) {
    await made?.remove();
    throw error;
  }
  base = emulator.url;
  return {
    url: base,
    caFile: made?.caFile,
    ca: made ? await readFile(made.caFile, "utf8") : undefined,
    requests: emulator.requests,
    count: (route) => emulator.count(route),
    inject: (rule) => emulator.inject(rule),
    issuedTokens: () => [...tokens.keys()],
    put(name, value) {
      put(name, value);
      if (!names.has(name.toLowerCase())) names.set(name.toLowerCase(), name);
    },
    async stop() {
      await emulator.stop();
      await made?.remove();
    },
  };
}

function attributes(enabled: boolean) {
  return { enabled, created: 1_700_000_000, updated: 1_700_000_000, recoveryLevel: "Recoverable+Purgeable" };
}
