/**
 * What every emulator flavour shares: one HTTP server on 127.0.0.1, a
 * request log with counts per route, and injected faults (an error status,
 * a 429 with or without Retry-After, a reset connection, a delay) taken in
 * the order they were added.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { createServer as createHttpsServer } from "node:https";
import type { AddressInfo } from "node:net";

export interface FaultRule<R extends string> {
  /** The route it applies to; default every request. */
  match?: R | "any";
  /** Answer with this status (and the service's error body) instead. */
  status?: 401 | 403 | 404 | 429 | 500 | 502 | 503 | 504;
  /** For 429: the `Retry-After` header in seconds (default 1); `null` sends none. */
  retryAfter?: number | null;
  /** Destroy the connection without an answer. */
  reset?: boolean;
  /** Wait this long before answering. */
  delayMs?: number;
  /** How many matching requests it affects (Infinity allowed). */
  count: number;
}

export interface LoggedRequest<R extends string> {
  route: R | "other";
  method: string;
  /** The status answered; 0 for a reset connection. */
  status: number;
}

/** A route's answer: status and JSON body (a string is sent as is). */
export interface Answer {
  status: number;
  body: unknown;
  /** Headers besides `content-type`. */
  headers?: Record<string, string>;
}

export type RouteHandler<R extends string> = (
  request: IncomingMessage,
  url: URL,
  body: string,
) => { route: R | "other"; answer: () => Answer };

export class HttpEmulator<R extends string> {
  readonly requests: Array<LoggedRequest<R>> = [];
  #server: Server | undefined;
  #rules: Array<{ rule: FaultRule<R>; remaining: number }> = [];
  #url = "";

  constructor(
    private readonly handle: RouteHandler<R>,
    /** The body the service sends with an error status. */
    private readonly errorBody: (status: number) => unknown,
  ) {}

  get url(): string {
    return this.#url;
  }

  /** Requests per route so far, and `total`. */
  count(route: R | "total"): number {
    return route === "total" ? this.requests.length : this.requests.filter((request) => request.route === route).length;
  }

  inject(rule: FaultRule<R>): void {
    if (!rule.reset && rule.status === undefined && rule.delayMs === undefined) {
      throw new TypeError("A fault rule needs a status, reset: true or delayMs");
    }
    if (!(rule.count > 0)) throw new TypeError("A fault rule needs a count above 0");
    this.#rules.push({ rule: { ...rule }, remaining: rule.count });
  }

  clearFaults(): void {
    this.#rules = [];
  }

  /** Listens on 127.0.0.1; with `tls` (a PEM key and certificate), over HTTPS. */
  async start(port = 0, tls?: { key: string; cert: string }): Promise<void> {
    const serve = (request: IncomingMessage, response: ServerResponse) => void this.#serve(request, response);
    this.#server = tls ? createHttpsServer({ key: tls.key, cert: tls.cert }, serve) : createServer(serve);
    await new Promise<void>((resolve) => this.#server!.listen(port, "127.0.0.1", resolve));
    this.#url = `${tls ? "https" : "http"}://127.0.0.1:${(this.#server.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    const server = this.#server;
    this.#server = undefined;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  async #serve(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const url = new URL(request.url ?? "/", "http://emulator");
    const { route, answer } = this.handle(request, url, Buffer.concat(chunks).toString("utf8"));
    const logged: LoggedRequest<R> = { route, method: request.method ?? "GET", status: 0 };
    this.requests.push(logged);
    const fault = this.#take(route);
    if (fault?.delayMs) await new Promise((resolve) => setTimeout(resolve, fault.delayMs));
    if (fault?.reset) {
      request.socket.destroy();
      return;
    }
    let result: Answer;
    const headers: Record<string, string> = { "content-type": "application/json" };
    if (fault?.status !== undefined) {
      result = { status: fault.status, body: this.errorBody(fault.status) };
      if (fault.status === 429 && fault.retryAfter !== null) headers["retry-after"] = String(fault.retryAfter ?? 1);
    } else {
      result = answer();
    }
    Object.assign(headers, result.headers);
    logged.status = result.status;
    const text = typeof result.body === "string" ? result.body : JSON.stringify(result.body);
    response.writeHead(result.status, headers).end(text);
  }

  #take(route: R | "other"): FaultRule<R> | undefined {
    const index = this.#rules.findIndex(({ rule }) => (rule.match ?? "any") === "any" || rule.match === route);
    const entry = this.#rules[index];
    if (!entry) return undefined;
    entry.remaining -= 1;
    if (entry.remaining <= 0) this.#rules.splice(index, 1);
    return entry.rule;
  }
}
