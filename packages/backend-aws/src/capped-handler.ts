import type { Agent as HttpAgent } from "node:http";
import type { Readable } from "node:stream";
import { Transform } from "node:stream";

type NodeHttpHandlerModule = typeof import("@smithy/node-http-handler");
type Handler = InstanceType<NodeHttpHandlerModule["NodeHttpHandler"]>;

/** Thrown (as the answer's stream error) when an answer passes the limit; the SDK does not retry it. */
export class ResponseTooLargeError extends Error {
  constructor(readonly limit: number) {
    super(`the answer is larger than ${limit} bytes`);
    this.name = "ResponseTooLargeError";
  }
}

export interface CappedHandlerOptions {
  requestTimeout: number;
  connectionTimeout: number;
  agent?: { agent: HttpAgent; https: boolean };
  maxBodyBytes: number;
}

/**
 * The SDK's own `NodeHttpHandler`, with every answer's body read through a
 * counter that fails it past `maxBodyBytes` (a declared Content-Length past it
 * fails at once). The SDK reads answers whole; a server answering endlessly
 * must be refused, not held in memory. It is what a `fetch` backend gets from
 * the CLI's dispatcher, which the SDK does not use.
 */
export function cappedHandler(
  module: NodeHttpHandlerModule,
  options: CappedHandlerOptions,
): Pick<Handler, "metadata" | "handle" | "updateHttpClientConfig" | "httpHandlerConfigs" | "destroy"> {
  const inner: Handler = new module.NodeHttpHandler({
    requestTimeout: options.requestTimeout,
    connectionTimeout: options.connectionTimeout,
    ...(options.agent === undefined
      ? {}
      : options.agent.https
        ? { httpsAgent: options.agent.agent }
        : { httpAgent: options.agent.agent }),
  });
  const limit = options.maxBodyBytes;
  return {
    metadata: inner.metadata,
    handle: async (...args: Parameters<Handler["handle"]>): ReturnType<Handler["handle"]> => {
      const answer = await inner.handle(...args);
      const body = answer.response.body as Readable | undefined;
      if (body && typeof body.pipe === "function") {
        const declared = Number(answer.response.headers["content-length"]);
        if (Number.isFinite(declared) && declared > limit) {
          body.destroy();
          throw new ResponseTooLargeError(limit);
        }
        let size = 0;
        const counter = new Transform({
          transform(chunk: Buffer, _encoding, done) {
            size += chunk.length;
            if (size > limit) {
              body.destroy();
              done(new ResponseTooLargeError(limit));
            } else done(null, chunk);
          },
        });
        body.on("error", (error) => counter.destroy(error));
        answer.response.body = body.pipe(counter);
      }
      return answer;
    },
    updateHttpClientConfig: (...args: Parameters<Handler["updateHttpClientConfig"]>) =>
      inner.updateHttpClientConfig(...args),
    httpHandlerConfigs: () => inner.httpHandlerConfigs(),
    destroy: () => inner.destroy(),
  };
}
