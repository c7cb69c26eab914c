/**
 * The backend's HTTP client: requests go out through `node:http(s)` rather
 * than the global `fetch`, and answers come back as standard `Response`s,
 * read in full (Infisical's answers are small JSON documents) but never past
 * `maxBodyBytes` (16 MiB by default): a larger answer is cut off as it
 * arrives and refused with ResponseTooLargeError, so whatever the server
 * sends, at most that much of it is ever held in memory.
 *
 * Why: the first `fetch` of a process loads and starts Node's fetch
 * implementation (undici), some 20 ms before the request even leaves, and
 * its first connection costs as much again. A run's login is the one request
 * nothing can overlap, so it leaves at once this way; the SDK loads while it
 * travels (the backend waits for `onSent`, see TokenManager), and the reads
 * that follow pay no start-up either. The SDK still builds every read; its
 * `fetch` calls are routed here by sdk-fetch.ts.
 *
 * Behaviour kept from `fetch`: keep-alive connections (a login's connection
 * serves the reads after it), the caller's abort signal, and redirects
 * followed within the same origin (a redirect elsewhere is returned as it
 * is, so credentials never travel to another host).
 */
import type { Agent as HttpAgent, IncomingMessage } from "node:http";
import type { FetchLike } from "./transport.js";

/** The error code of an answer refused for its size (transport.ts recognises it). */
const RESPONSE_TOO_LARGE = "ERR_RESPONSE_TOO_LARGE";
/** Set on the Responses made here: their body was read with this cap already, so transport.ts need not read it again. */
const BODY_CAP = Symbol.for("@bruin-ts/backend-infisical.body-cap");
/** 16 MiB, as MAX_RESPONSE_BYTES of @bruin-ts/secrets-core (this module imports no value, so it loads first and alone). */
const DEFAULT_MAX_BODY_BYTES = 16 * 1024 * 1024;

export interface NodeHttpClient {
  fetch: FetchLike;
  /** Closes idle keep-alive connections; later requests open new ones. */
  close(): void;
}

/** Statuses whose answer must have no body in a `Response`. */
const NULL_BODY = new Set([101, 103, 204, 205, 304]);
const REDIRECTS = new Set([301, 302, 303, 307, 308]);
const MAX_REDIRECTS = 5;

export function createNodeHttpClient(options: { maxBodyBytes?: number } = {}): NodeHttpClient {
  const maxBodyBytes = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  const agents = new Map<string, HttpAgent>();

  async function transport(protocol: string) {
    const http = protocol === "https:" ? await import("node:https") : await import("node:http");
    let agent = agents.get(protocol);
    if (!agent) {
      agent = new http.Agent({ keepAlive: true });
      agents.set(protocol, agent);
    }
    return { request: http.request, agent };
  }

  const fetch: FetchLike = async (input, init = {}) => {
    let url = new URL(typeof input === "string" || input instanceof URL ? input : input.url);
    let method = (init.method ?? "GET").toUpperCase();
    if (init.body !== undefined && init.body !== null && typeof init.body !== "string") throw new TypeError("only string bodies are sent");
    let body = init.body ?? undefined;
    const headers = headerRecord(init.headers);
    const signal = init.signal ?? undefined;
    for (let redirects = 0; ; redirects++) {
      if (url.protocol !== "http:" && url.protocol !== "https:") throw new TypeError(`unsupported protocol ${url.protocol}`);
      signal?.throwIfAborted();
      const { request, agent } = await transport(url.protocol);
      const answer = await new Promise<IncomingMessage>((resolve, reject) => {
        const req = request(url, {
          method,
          headers: body === undefined ? headers : { ...headers, "content-length": String(Buffer.byteLength(body)) },
          agent,
          signal,
        });
        req.on("error", reject);
        req.once("finish", () => init.onSent?.());
        req.once("response", resolve);
        req.end(body);
      });
      const status = answer.statusCode ?? 0;
      const location = answer.headers.location;
      const target = REDIRECTS.has(status) && location ? new URL(location, url) : undefined;
      if (target && target.origin === url.origin && redirects < MAX_REDIRECTS) {
        answer.resume();
        // As fetch does: 303, and 301/302 after a POST, continue as a GET without a body.
        if (status === 303 || ((status === 301 || status === 302) && method === "POST")) {
          method = "GET";
          body = undefined;
          delete headers["content-type"];
        }
        url = target;
        continue;
      }
      return readAnswer(answer, status, maxBodyBytes);
    }
  };

  return {
    fetch,
    close() {
      for (const agent of agents.values()) agent.destroy();
      agents.clear();
    },
  };
}

function readAnswer(res: IncomingMessage, status: number, limit: number): Promise<Response> {
  return new Promise((resolve, reject) => {
    const tooLarge = () => {
      reject(Object.assign(new Error(`the answer is larger than ${limit} bytes`), { code: RESPONSE_TOO_LARGE, limitBytes: limit }));
      // The rest is never read: the connection is closed under it.
      res.destroy();
    };
    const declared = Number(res.headers["content-length"]);
    if (Number.isFinite(declared) && declared > limit) return tooLarge();
    const chunks: Buffer[] = [];
    let size = 0;
    res.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        chunks.length = 0;
        return tooLarge();
      }
      chunks.push(chunk);
    });
    res.on("error", reject);
    res.once("close", () => {
      if (!res.complete) reject(new Error("the connection closed before the answer was complete"));
    });
    res.once("end", () => {
      if (status < 200 || status > 599) {
        reject(new Error(`unexpected HTTP status ${status}`));
        return;
      }
      const headers = new Headers();
      for (let i = 0; i + 1 < res.rawHeaders.length; i += 2) headers.append(res.rawHeaders[i]!, res.rawHeaders[i + 1]!);
      const response = new Response(NULL_BODY.has(status) ? null : Buffer.concat(chunks), { status, statusText: res.statusMessage, headers });
      resolve(Object.assign(response, { [BODY_CAP]: limit }));
    });
  });
}

function headerRecord(headers: RequestInit["headers"]): Record<string, string> {
  if (headers === undefined) return {};
  // Not `instanceof Headers`: touching that global would load undici before the request leaves.
  const prototype = Object.getPrototypeOf(headers) as unknown;
  const entries =
    prototype === Object.prototype || prototype === null
      ? Object.entries(headers as Record<string, string>)
      : [...(headers as Iterable<[string, string]>)];
  return Object.fromEntries(entries.map(([name, value]) => [name.toLowerCase(), String(value)]));
}
