/**
 * A HashiCorp Vault API as bruin uses it, written from Vault's HTTP API docs:
 * - KV v2 reads, `GET /v1/{mount}/data/{path}` → `{"data": {"data": {...}, "metadata": {...}}}`;
 * - KV v2 listings, `LIST /v1/{mount}/metadata/{path}` (or `GET ...?list=true`) → `{"data": {"keys": [...]}}`;
 * - Kubernetes auth, `POST /v1/auth/{mount}/login` with `{"role", "jwt"}` → `{"auth": {"client_token", "lease_duration"}}`.
 * Every other request needs `X-Vault-Token`; a missing, unknown or expired
 * token and a path the token may not read answer 403 `permission denied`,
 * a missing secret 404 `{"errors": []}`, as Vault does.
 */
import { HttpEmulator, type Answer, type FaultRule, type LoggedRequest } from "./http-emulator.js";

export type VaultRoute = "read" | "list" | "login";

export interface VaultSeed {
  /** Static tokens (as `vault token create` makes). `deny`: path prefixes under any mount (`bruin/locked`) it may not read. */
  tokens?: Array<{ token: string; deny?: string[] }>;
  /** Mount path (may hold `/`) → secret path under it → the KV data. */
  mounts: Record<string, Record<string, Record<string, unknown>>>;
  kubernetes?: {
    /** The auth mount, default `kubernetes`. */
    mount?: string;
    /** Role → the service-account JWT it accepts, and the lifetime of the tokens it issues (default 3600 s). */
    roles: Record<string, { jwt: string; ttlSeconds?: number; deny?: string[] }>;
  };
}

export interface VaultEmulator {
  readonly url: string;
  readonly requests: ReadonlyArray<LoggedRequest<VaultRoute>>;
  /** Requests per route and `total`. */
  count(route: VaultRoute | "total"): number;
  inject(rule: FaultRule<VaultRoute>): void;
  /** Adds or replaces a secret. */
  put(mount: string, path: string, data: Record<string, unknown>): void;
  /** Makes every token issued so far expire now. */
  expireIssuedTokens(): void;
  stop(): Promise<void>;
}

const DENIED = { errors: ["permission denied"] };

export async function startVaultEmulator(options: {
  seed: VaultSeed;
  now?: (() => number) | undefined;
  port?: number;
}): Promise<VaultEmulator> {
  const now = options.now ?? Date.now;
  const seed = options.seed;
  const mounts = new Map(
    Object.entries(seed.mounts).map(([mount, secrets]) => [
      trim(mount),
      new Map(Object.entries(secrets).map(([p, d]) => [trim(p), d])),
    ]),
  );
  const tokens = new Map<string, { deny: string[]; expiresAt: number }>();
  for (const token of seed.tokens ?? []) tokens.set(token.token, { deny: token.deny ?? [], expiresAt: Infinity });
  const authMount = trim(seed.kubernetes?.mount ?? "kubernetes");
  let issued = 0;

  const emulator = new HttpEmulator<VaultRoute>(
    (request, url, body) => {
      const rest = trim(decodeURIComponent(url.pathname.replace(/^\/v1\/?/, "")));
      const method = (request.method ?? "GET").toUpperCase();
      if (method === "POST" && rest === `auth/${authMount}/login`) {
        return { route: "login", answer: () => login(body) };
      }
      for (const [mount, secrets] of mounts) {
        const readPrefix = `${mount}/data/`;
        const listPrefix = `${mount}/metadata/`;
        const isList = method === "LIST" || (method === "GET" && url.searchParams.get("list") === "true");
        if (isList && (rest.startsWith(listPrefix) || rest === trim(listPrefix))) {
          const path = trim(rest.slice(listPrefix.length));
          return { route: "list", answer: () => authorized(request, path) ?? list(secrets, path) };
        }
        if (method === "GET" && rest.startsWith(readPrefix)) {
          const path = trim(rest.slice(readPrefix.length));
          return { route: "read", answer: () => authorized(request, path) ?? read(secrets, path) };
        }
      }
      return { route: "other", answer: () => ({ status: 404, body: { errors: [] } }) };
    },
    (status) =>
      status === 429
        ? { errors: ["request path: rate limit quota exceeded"] }
        : status === 503
          ? { errors: ["Vault is sealed"] }
          : status === 403
            ? DENIED
            : status === 404
              ? { errors: [] }
              : { errors: ["internal error"] },
  );

  function authorized(
    request: { headers: Record<string, string | string[] | undefined> },
    path: string,
  ): Answer | undefined {
    const header = request.headers["x-vault-token"];
    const token = typeof header === "string" ? tokens.get(header) : undefined;
    if (!token || token.expiresAt <= now()) return { status: 403, body: DENIED };
    if (token.deny.some((prefix) => path === trim(prefix) || path.startsWith(`${trim(prefix)}/`)))
      return { status: 403, body: DENIED };
    return undefined;
  }

  function read(secrets: Map<string, Record<string, unknown>>, path: string): Answer {
    const data = secrets.get(path);
    if (!data) return { status: 404, body: { errors: [] } };
    return {
      status: 200,
      body: {
        request_id: `req-${issued}`,
        lease_id: "",
        renewable: false,
        lease_duration: 0,
        data: {
          data,
          metadata: { created_time: new Date(0).toISOString(), deletion_time: "", destroyed: false, version: 1 },
        },
        wrap_info: null,
        warnings: null,
        auth: null,
      },
    };
  }

  function list(secrets: Map<string, Record<string, unknown>>, path: string): Answer {
    const prefix = path === "" ? "" : `${path}/`;
    const keys = new Set<string>();
    for (const key of secrets.keys()) {
      if (!key.startsWith(prefix)) continue;
      const tail = key.slice(prefix.length);
      const slash = tail.indexOf("/");
      keys.add(slash === -1 ? tail : tail.slice(0, slash + 1));
    }
    if (keys.size === 0) return { status: 404, body: { errors: [] } };
    return { status: 200, body: { data: { keys: [...keys].sort() } } };
  }

  function login(body: string): Answer {
    let parsed: { role?: unknown; jwt?: unknown };
    try {
      parsed = JSON.parse(body) as typeof parsed;
    } catch {
      return { status: 400, body: { errors: ["failed to parse JSON input"] } };
    }
    const roles = seed.kubernetes?.roles ?? {};
    if (typeof parsed.role !== "string" || !(parsed.role in roles)) {
      return { status: 400, body: { errors: [`invalid role name "${String(parsed.role)}"`] } };
    }
    const role = roles[parsed.role]!;
    if (parsed.jwt !== role.jwt) return { status: 403, body: DENIED };
    const ttl = role.ttlSeconds ?? 3600;
    const token = `hvs.k8s-${++issued}-${Math.random().toString(36).slice(2)}`;
    tokens.set(token, { deny: role.deny ?? [], expiresAt: now() + ttl * 1000 });
    return {
      status: 200,
      body: {
        auth: {
          client_token: token,
          accessor: `acc-${issued}`,
          policies: ["default"],
          lease_duration: ttl,
          renewable: true,
        },
      },
    };
  }

  await emulator.start(options.port);
  return {
    get url() {
      return emulator.url;
    },
    requests: emulator.requests,
    count: (route) => emulator.count(route),
    inject: (rule) => emulator.inject(rule),
    put(mount, path, data) {
      const secrets = mounts.get(trim(mount)) ?? new Map();
      secrets.set(trim(path), data);
      mounts.set(trim(mount), secrets);
    },
    expireIssuedTokens() {
      for (const [token, entry] of tokens) if (token.startsWith("hvs.k8s-")) entry.expiresAt = now();
    },
    stop: () => emulator.stop(),
  };
}

function trim(path: string): string {
  return path.replace(/^\/+|\/+$/g, "");
}
