import { createServer, type IncomingMessage } from "node:http";
import { connect, type AddressInfo, type Socket } from "node:net";

/** A forward proxy for tests: HTTPS through CONNECT tunnels, and a log of every request line it received. */
export interface ConnectProxy {
  /** "http://127.0.0.1:<port>", for HTTPS_PROXY / HTTP_PROXY. */
  url: string;
  /** Each request line as received, e.g. `CONNECT 127.0.0.1:4443 HTTP/1.1`; headers and tunnelled bytes are never kept. */
  requestLines: string[];
  stop(): Promise<void>;
}

/**
 * Starts a proxy on 127.0.0.1 that opens a CONNECT tunnel to any host and
 * port asked for, as a corporate proxy in front of HTTPS does. It cannot
 * read what goes through a tunnel (TLS). Plain requests (`GET http://…`) are
 * logged and refused with 405: the tests send HTTPS only.
 */
export async function startConnectProxy(): Promise<ConnectProxy> {
  const requestLines: string[] = [];
  const sockets = new Set<Socket>();
  const line = (request: IncomingMessage) => `${request.method} ${request.url} HTTP/${request.httpVersion}`;
  const server = createServer((request, response) => {
    requestLines.push(line(request));
    response.writeHead(405, { "content-type": "text/plain" }).end("this proxy only tunnels (CONNECT)\n");
  });
  server.on("connect", (request: IncomingMessage, client: Socket, head: Buffer) => {
    requestLines.push(line(request));
    sockets.add(client);
    client.on("close", () => sockets.delete(client));
    const target = new URL(`http://${request.url ?? ""}`);
    const upstream = connect(Number(target.port || 443), target.hostname.replace(/^\[|\]$/g, ""), () => {
      client.write("HTTP/1.1 200 Connection Established\r\n\r\n");
      if (head.length > 0) upstream.write(head);
      upstream.pipe(client);
      client.pipe(upstream);
    });
    sockets.add(upstream);
    upstream.on("close", () => sockets.delete(upstream));
    upstream.on("error", () => client.destroy());
    client.on("error", () => upstream.destroy());
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requestLines,
    stop: async () => {
      for (const socket of sockets) socket.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
