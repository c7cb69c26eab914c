/** Everything the emulator knows at start: machine identities and the secrets they may read. */
export interface EmulatorSeed {
  identities: Array<{
    clientId: string;
    clientSecret: string;
    /** Project ids this identity may read ("*" = all). */
    projects: string[];
    /** Seconds, default 2592000. */
    accessTokenTTL?: number;
    /** Seconds, default 2592000; counted from the login, renewals never go past it. */
    accessTokenMaxTTL?: number;
    /** 0 = unlimited (default); each login uses one. */
    clientSecretUsageLimit?: number;
    /** Login answers 401 "Access denied due to expired client secret". */
    clientSecretExpired?: boolean;
    /** Reads here answer 403 PermissionDenied. No secretPath = the whole environment; a path covers its sub-folders. */
    deny?: Array<{ environment: string; secretPath?: string }>;
  }>;
  projects: Record<
    string /* project id */,
    {
      environments: Record<
        string /* env slug */,
        Record<string /* folder path, e.g. "/" or "/team/a" */, Record<string /* secret name */, string /* value */>>
      >;
    }
  >;
}

export type RequestKind = "login" | "renew" | "getSecret" | "listSecrets";

export interface FaultRule {
  /** Default "any" (every request, including unknown routes). */
  match?: RequestKind | "any";
  /** Respond with this status and the error body Infisical (or its load balancer) would send. */
  status?: 401 | 403 | 429 | 500 | 502 | 503 | 504;
  /** For 429: message "Rate limit exceeded. Please try again in N seconds" and `Retry-After: N` (default 1; 0 is sent as 0). */
  retryAfterSeconds?: number;
  /** For 429: no `Retry-After` header and no wait in the message ("Rate limit exceeded"). */
  omitRetryAfter?: boolean;
  /** Destroy the socket without a response instead. */
  drop?: boolean;
  /** Wait this long before answering (on top of the latency); the answer is otherwise the rule's or the normal one. */
  delayMs?: number;
  /**
   * Answer 200 with a secret (getSecret) or a one-secret listing (listSecrets)
   * whose value is this many bytes, streamed as the client reads it: nothing
   * that large is ever held in memory, and a client that stops reading stops it.
   */
  hugeValueBytes?: number;
  /** How many matching requests this rule affects (Infinity allowed). */
  count: number;
}

export interface EmulatorCounters {
  login: number;
  renew: number;
  getSecret: number;
  listSecrets: number;
  total: number;
  /** GET /api/status health checks (not in `total`). */
  status: number;
  /** Non-2xx answers and dropped connections. */
  failed: number;
  /** TCP connections accepted (with TLS: before the handshake, so failed handshakes count too). */
  connections: number;
}

export interface RequestLogEntry {
  method: string;
  /** URL path without the query string. */
  path: string;
  /** 0 when the connection was dropped by a fault. */
  status: number;
  /** When the request arrived, in ms since the epoch (real time, not the movable clock). */
  at: number;
  /** For a streamed `hugeValueBytes` answer: the body bytes written before it ended or the client went away. */
  bytesSent?: number;
}

export interface Emulator {
  /** "http://127.0.0.1:<port>", or "https://..." with `tls` */
  url: string;
  port: number;
  /** Live view: the same object is updated in place. */
  counters: EmulatorCounters;
  resetCounters(): void;
  /** Rules apply in the order injected; a rule is used up after `count` matching requests. */
  inject(rule: FaultRule): void;
  clearFaults(): void;
  /** Added before every response (and before a drop). */
  setLatency(ms: number): void;
  /** Moves the emulator's clock forward, so token expiry can be tested without waiting. */
  advanceTime(seconds: number): void;
  /** The access tokens issued so far (tests assert they are never printed). */
  issuedTokens(): string[];
  /** Every access token issued so far is now expired (renewal answers 403 TokenError too). */
  expireAllTokens(): void;
  setSecret(projectId: string, environment: string, path: string, name: string, value: string): void;
  deleteSecret(projectId: string, environment: string, path: string, name: string): void;
  /** Request log without bodies, query strings or tokens. */
  requests: RequestLogEntry[];
  stop(): Promise<void>;
}

export interface StartEmulatorOptions {
  seed?: EmulatorSeed;
  /** 0 = random free port (default). */
  port?: number;
  /** Default 127.0.0.1. */
  host?: string;
  latencyMs?: number;
  /** Milliseconds since the epoch; default Date.now. advanceTime() adds to it. */
  now?: (() => number) | undefined;
  /** Serve HTTPS with this key and certificate (PEM) instead of HTTP. */
  tls?: { key: string | Buffer; cert: string | Buffer };
}
