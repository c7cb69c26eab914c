import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { Readable } from "node:stream";
import * as http from "@smithy/node-http-handler";
import { afterEach, expect, it } from "vitest";
import { ResponseTooLargeError, cappedHandler } from "./capped-handler.js";

let server: Server | undefined;
afterEach(async () => {
  server?.closeAllConnections();
  await new Promise((resolve) => server?.close(resolve));
  server = undefined;
});

/** A server answering `size` bytes in 10 KB chunks, without Content-Length (chunked) unless `declare`. */
async function serve(size: number, declare = false): Promise<number> {
  server = createServer((_request, response) => {
    response.writeHead(200, declare ? { "content-length": String(size) } : {});
    const chunk = Buffer.alloc(10_000, "a");
    let sent = 0;
    const next = () => {
      while (sent < size) {
        sent += chunk.length;
        if (!response.write(chunk)) return void response.once("drain", next);
      }
      response.end();
    };
    next();
  });
  await new Promise<void>((resolve) => server!.listen(0, "127.0.0.1", resolve));
  return (server.address() as AddressInfo).port;
}

async function read(port: number, limit: number): Promise<number> {
  const handler = cappedHandler(http, { requestTimeout: 5_000, connectionTimeout: 5_000, maxBodyBytes: limit });
  try {
    const { response } = await handler.handle(
      { method: "GET", protocol: "http:", hostname: "127.0.0.1", port, path: "/", headers: {}, query: {} } as never,
      {},
    );
    let size = 0;
    for await (const chunk of response.body as Readable) size += (chunk as Buffer).length;
    return size;
  } finally {
    handler.destroy();
  }
}

it("passes an answer within the limit through whole", async () => {
  expect(await read(await serve(50_000), 100_000)).toBe(50_000);
});

it("fails a streamed answer once it passes the limit", async () => {
  await expect(read(await serve(1_000_000), 100_000)).rejects.toBeInstanceOf(ResponseTooLargeError);
});

it("fails at once on a declared Content-Length past the limit", async () => {
  await expect(read(await serve(1_000_000, true), 100_000)).rejects.toBeInstanceOf(ResponseTooLargeError);
});
