import { randomBytes } from "node:crypto";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { createServer as createTlsServer } from "node:https";
import type { AddressInfo } from "node:net";

import { AuthService } from "./auth.js";
import { ApiError, badRequest, faultError } from "./errors.js";
import { FaultPlan } from "./faults.js";
import { findRoute, routeNotFound } from "./routes.js";
import { SecretStore } from "./secret-store.js";
import type { Emulator, EmulatorCounters, EmulatorSeed, StartEmulatorOptions } from "./types.js";

const MAX_BODY_BYTES = 1024 * 1024;
/** The request log keeps the most recent entries only, so a long-running emulator does not grow without bound. */
const MAX_LOGGED_REQUESTS = 10_000;

/** Extra knobs used by the CLI: default TTLs for identities that do not set their own. */
export interface ServerDefaults {
  accessTokenTTL?: number | undefined;
  accessTokenMaxTTL?: number | undefined;
}

const emptyCounters = (): EmulatorCounters => ({
  login: 0,
  renew: 0,
  getSecret: 0,
  listSecrets: 0,
  status: 0,
  total: 0,
  failed: 0,
  connections: 0,
});

/**
 * Streams a 200 answer holding one secret (or a one-secret listing) whose
 * value is `bytes` long, writing only as fast as the client reads. Resolves
 * with the body bytes written when the answer ends or the client goes away.
 */
async function streamHugeSecret(res: ServerResponse, kind: string, name: string, bytes: number): Promise<number> {
  const secret = `{"secretKey":${JSON.stringify(name)},"type":"shared","secretValueHidden":false,"secretValue":"`;
  const [head, tail] =
    kind === "listSecrets" ? [`{"imports":[],"secrets":[${secret}`, `"}]}`] : [`{"secret":${secret}`, `"}}`];
  res.writeHead(200, {
    "content-type": "application/json; charset=utf-8",
    "content-length": head.length + bytes + tail.length,
  });
  const chunk = Buffer.alloc(64 * 1024, "A");
  let sent = 0;
  const write = (data: string | Buffer): Promise<boolean> =>
    new Promise((resolve) => {
      if (res.destroyed) return resolve(false);
      sent += Buffer.byteLength(data);
      if (res.write(data)) return resolve(true);
      const done = (ok: boolean) => () => {
        res.off("drain", onDrain);
        res.off("close", onClose);
        resolve(ok);
      };
      const onDrain = done(true);
      const onClose = done(false);
      res.once("drain", onDrain);
      res.once("close", onClose);
    });
  if (!(await write(head))) return sent;
  for (let left = bytes; left > 0; left -= chunk.length) {
    if (!(await write(left >= chunk.length ? chunk : chunk.subarray(0, left)))) return sent;
  }
  if (await write(tail)) res.end();
  return sent;
}

async function readBody(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) throw new ApiError(413, "Payload Too Large", "Request body is too large");
    chunks.push(chunk as Buffer);
  }
  const text = Buffer.concat(chunks).toString("utf8");
  if (text.length === 0) return undefined;
  const type = req.headers["content-type"] ?? "";
  if (type.includes("application/x-www-form-urlencoded")) return Object.fromEntries(new URLSearchParams(text));
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw badRequest("Body is not valid JSON but content-type is set to 'application/json'");
  }
}

function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const payload = JSON.stringify(body);
  res.writeHead(status, {
    "content-type": "application/json; charset=utf-8",
    "content-length": Buffer.byteLength(payload),
    ...headers,
  });
  res.end(payload);
}

function sendError(res: ServerResponse, error: ApiError): void {
  const reqId = `req-${randomBytes(7).toString("base64url")}`;
  send(
    res,
    error.statusCode,
    { reqId, statusCode: error.statusCode, message: error.body, error: error.errorName },
    error.headers,
  );
}

export async function startServer(
  options: StartEmulatorOptions = {},
  defaults: ServerDefaults = {},
): Promise<Emulator> {
  const seed: EmulatorSeed = options.seed ?? { identities: [], projects: {} };
  const baseClock = options.now ?? Date.now;
  let offsetMs = 0;
  const now = (): number => baseClock() + offsetMs;

  const store = new SecretStore(seed.projects, now);
  const auth = new AuthService(seed.identities, now, {
    ttl: defaults.accessTokenTTL,
    maxTtl: defaults.accessTokenMaxTTL,
  });
  const faults = new FaultPlan();
  const counters = emptyCounters();
  const requests: Emulator["requests"] = [];
  const pendingDelays = new Set<NodeJS.Timeout>();
  let latencyMs = options.latencyMs ?? 0;

  const delay = (ms: number): Promise<void> =>
    new Promise((resolve) => {
      if (ms <= 0) return resolve();
      const timer = setTimeout(() => {
        pendingDelays.delete(timer);
        resolve();
      }, ms);
      pendingDelays.add(timer);
    });

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const method = req.method ?? "GET";
    const url = new URL(req.url ?? "/", "http://emulator.invalid");
    if (method === "GET" && url.pathname === "/api/status") {
      // Infisical's unauthenticated health check: answered at once, outside the counters, faults and latency.
      counters.status += 1;
      send(res, 200, { date: new Date(now()).toISOString(), message: "Ok" });
      return;
    }
    const route = findRoute(method, url.pathname, auth, store);
    const kind = route?.kind ?? "other";
    const at = Date.now();
    counters.total += 1;
    if (route) counters[route.kind] += 1;
    const finish = (status: number, bytesSent?: number): void => {
      if (status === 0 || status >= 300) counters.failed += 1;
      requests.push({ method, path: url.pathname, status, at, ...(bytesSent === undefined ? {} : { bytesSent }) });
      if (requests.length > MAX_LOGGED_REQUESTS) requests.splice(0, requests.length - MAX_LOGGED_REQUESTS);
    };

    let body: unknown;
    let bodyError: ApiError | undefined;
    try {
      body = await readBody(req);
    } catch (error) {
      bodyError = error instanceof ApiError ? error : badRequest("Unreadable request body");
    }
    await delay(latencyMs);
    if (res.destroyed) return;

    const fault = faults.take(kind);
    if (fault && fault.delayMs > 0) {
      await delay(fault.delayMs);
      if (res.destroyed) return;
    }
    if (fault?.drop) {
      finish(0);
      req.socket.destroy();
      return;
    }
    if (fault?.hugeValueBytes !== undefined && fault.status === undefined) {
      const name = decodeURIComponent(url.pathname.split("/").pop() ?? "") || "huge-secret";
      finish(200, await streamHugeSecret(res, kind, name, fault.hugeValueBytes));
      return;
    }
    let status: number;
    try {
      if (fault?.status !== undefined) throw faultError(fault.status, fault.retryAfterSeconds);
      if (bodyError) throw bodyError;
      if (!route) throw routeNotFound(method, url.pathname);
      const answer = route.handle({ query: url.searchParams, body, authorization: req.headers.authorization });
      status = 200;
      send(res, 200, answer);
    } catch (error) {
      const apiError = error instanceof ApiError ? error : faultError(500, 1);
      status = apiError.statusCode;
      sendError(res, apiError);
    }
    finish(status);
  };

  const listener = (req: IncomingMessage, res: ServerResponse): void => {
    handle(req, res).catch(() => {
      if (!res.headersSent) sendError(res, faultError(500, 1));
    });
  };
  const server: Server = options.tls
    ? createTlsServer({ key: options.tls.key, cert: options.tls.cert }, listener)
    : createServer(listener);
  server.on("connection", () => {
    counters.connections += 1;
  });
  // A client that refuses the certificate ends the handshake; that is an outcome to observe, not an error.
  server.on("tlsClientError", () => undefined);
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, options.host ?? "127.0.0.1", () => {
      server.off("error", reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  const hostForUrl = address.family === "IPv6" ? `[${address.address}]` : address.address;

  return {
    url: `${options.tls ? "https" : "http"}://${hostForUrl}:${address.port}`,
    port: address.port,
    counters,
    requests,
    resetCounters: () => void Object.assign(counters, emptyCounters()),
    inject: (rule) => faults.add(rule),
    clearFaults: () => faults.clear(),
    setLatency: (ms) => {
      latencyMs = Math.max(0, ms);
    },
    advanceTime: (seconds) => {
      offsetMs += seconds * 1000;
    },
    issuedTokens: () => auth.issued(),
    expireAllTokens: () => auth.expireAll(),
    setSecret: (projectId, environment, path, name, value) => store.set(projectId, environment, path, name, value),
    deleteSecret: (projectId, environment, path, name) => store.delete(projectId, environment, path, name),
    stop: async () => {
      for (const timer of pendingDelays) clearTimeout(timer);
      pendingDelays.clear();
      server.closeAllConnections();
      await new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve())));
    },
  };
}
