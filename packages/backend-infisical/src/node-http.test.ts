import { execFile } from "node:child_process";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { createServer as createHttpsServer } from "node:https";
import type { AddressInfo, Socket } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import ts from "typescript";
import { afterEach, describe, expect, it } from "vitest";
import { createNodeHttpClient, type NodeHttpClient } from "./node-http.js";

const here = path.dirname(fileURLToPath(import.meta.url));
const run = promisify(execFile);

/** Fetches argv[2] with the client and prints what came back, or the error. */
const HTTPS_CHILD = `
import { createNodeHttpClient } from "./node-http.mjs";
const client = createNodeHttpClient();
try {
  const response = await client.fetch(process.argv[2], { headers: { accept: "application/json" } });
  console.log(JSON.stringify({ status: response.status, body: await response.json() }));
} catch (error) {
  console.log(JSON.stringify({ error: String(error?.cause?.message ?? error?.message ?? error) }));
} finally {
  client.close();
}
`;

type Handler = (req: IncomingMessage, body: string, res: ServerResponse) => void;

interface TestServer {
  url: string;
  connections: Set<Socket>;
  /** Sockets ever accepted. */
  accepted: () => number;
  close: () => Promise<void>;
}

const open: Array<TestServer | NodeHttpClient> = [];
afterEach(async () => {
  for (const item of open.splice(0)) {
    if ("fetch" in item) item.close();
    else await item.close();
  }
});

async function serve(handler: Handler): Promise<TestServer> {
  const connections = new Set<Socket>();
  let accepted = 0;
  const server: Server = createServer((req, res) => {
    let body = "";
    req.on("data", (chunk: Buffer) => (body += chunk.toString()));
    req.on("end", () => handler(req, body, res));
  });
  server.on("connection", (socket: Socket) => {
    accepted += 1;
    connections.add(socket);
    socket.on("close", () => connections.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  const handle: TestServer = {
    url: `http://127.0.0.1:${port}`,
    connections,
    accepted: () => accepted,
    close: () =>
      new Promise((resolve) => {
        for (const socket of connections) socket.destroy();
        server.close(() => resolve());
      }),
  };
  open.push(handle);
  return handle;
}

function client(): NodeHttpClient {
  const made = createNodeHttpClient();
  open.push(made);
  return made;
}

describe("createNodeHttpClient", () => {
  it("sends method, headers and body, and answers with a standard Response", async () => {
    let seen: { method?: string; url?: string; type?: string; length?: string; body: string } | undefined;
    const server = await serve((req, body, res) => {
      seen = { method: req.method, url: req.url, type: req.headers["content-type"], length: req.headers["content-length"], body };
      res.writeHead(201, { "content-type": "application/json", "x-extra": "1" });
      res.end(JSON.stringify({ accessToken: "tok" }));
    });
    const response = await client().fetch(`${server.url}/api/v1/auth/universal-auth/login?x=1`, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ clientId: "é" }),
    });
    expect(seen).toEqual({
      method: "POST",
      url: "/api/v1/auth/universal-auth/login?x=1",
      type: "application/json",
      length: String(Buffer.byteLength(JSON.stringify({ clientId: "é" }))),
      body: '{"clientId":"é"}',
    });
    expect(response).toBeInstanceOf(Response);
    expect(response.status).toBe(201);
    expect(response.ok).toBe(true);
    expect(response.headers.get("x-extra")).toBe("1");
    expect(await response.json()).toEqual({ accessToken: "tok" });
  });

  it("stops reading an answer past its cap and refuses it, with or without a content-length", async () => {
    let written = 0;
    const server = await serve((req, _body, res) => {
      const chunk = Buffer.alloc(64 * 1024, "a");
      if (req.url === "/declared") res.writeHead(200, { "content-length": String(100 * 1024 * 1024) });
      // Endless and chunked otherwise: written only as fast as the client reads.
      const pump = () => {
        while (!res.destroyed && res.write(chunk)) written += chunk.length;
      };
      res.on("drain", pump);
      pump();
    });
    const http = createNodeHttpClient({ maxBodyBytes: 1024 * 1024 });
    open.push(http);
    await expect(http.fetch(`${server.url}/declared`)).rejects.toMatchObject({ code: "ERR_RESPONSE_TOO_LARGE" });
    written = 0;
    await expect(http.fetch(`${server.url}/endless`)).rejects.toMatchObject({ code: "ERR_RESPONSE_TOO_LARGE", limitBytes: 1024 * 1024 });
    await new Promise((resolve) => setTimeout(resolve, 100));
    // The cap, plus what the socket buffers held when the client stopped.
    expect(written).toBeLessThan(8 * 1024 * 1024);
  });

  it("accepts Headers objects and header pairs", async () => {
    const seen: Array<string | undefined> = [];
    const server = await serve((req, _body, res) => {
      seen.push(req.headers.authorization);
      res.end();
    });
    const http = client();
    await http.fetch(server.url, { headers: new Headers({ Authorization: "Bearer a" }) });
    await http.fetch(server.url, { headers: [["authorization", "Bearer b"]] });
    expect(seen).toEqual(["Bearer a", "Bearer b"]);
  });

  it("says when the request has left, before the answer arrives", async () => {
    const events: string[] = [];
    let answer: (() => void) | undefined;
    const server = await serve((_req, _body, res) => {
      events.push("received");
      answer = () => res.end("{}");
    });
    const pending = client().fetch(server.url, { method: "POST", body: "{}", onSent: () => events.push("sent") });
    await expect.poll(() => answer !== undefined).toBe(true);
    expect(events).toContain("sent");
    answer!();
    await pending;
    expect(events.filter((event) => event === "sent")).toHaveLength(1);
  });

  it("gives 204 answers an empty body and keeps error statuses", async () => {
    const server = await serve((req, _body, res) => {
      res.statusCode = req.url === "/empty" ? 204 : 503;
      res.end(req.url === "/empty" ? undefined : "down");
    });
    const http = client();
    const empty = await http.fetch(`${server.url}/empty`);
    expect(empty.status).toBe(204);
    expect(empty.body).toBeNull();
    const down = await http.fetch(`${server.url}/down`);
    expect(down.status).toBe(503);
    expect(down.ok).toBe(false);
    expect(await down.text()).toBe("down");
  });

  it("reuses one keep-alive connection and closes it on close()", async () => {
    const server = await serve((_req, _body, res) => res.end("ok"));
    const http = createNodeHttpClient();
    for (let i = 0; i < 3; i++) expect(await (await http.fetch(server.url)).text()).toBe("ok");
    expect(server.accepted()).toBe(1);
    expect(server.connections.size).toBe(1);
    http.close();
    await expect.poll(() => server.connections.size).toBe(0);
  });

  it("follows redirects within the origin, turning a POST into a GET on 303", async () => {
    const seen: string[] = [];
    const server = await serve((req, body, res) => {
      seen.push(`${req.method} ${req.url} ${body}`);
      if (req.url === "/start") res.writeHead(303, { location: "/next" }).end();
      else res.end("there");
    });
    const response = await client().fetch(`${server.url}/start`, { method: "POST", body: "payload" });
    expect(await response.text()).toBe("there");
    expect(seen).toEqual(["POST /start payload", "GET /next "]);
  });

  it("does not follow a redirect to another origin, so credentials stay with the host", async () => {
    const elsewhere = await serve((_req, _body, res) => res.end("elsewhere"));
    const server = await serve((_req, _body, res) => res.writeHead(302, { location: `${elsewhere.url}/steal` }).end());
    const response = await client().fetch(server.url, { headers: { authorization: "Bearer secret-token" } });
    expect(response.status).toBe(302);
    expect(response.headers.get("location")).toBe(`${elsewhere.url}/steal`);
    expect(elsewhere.accepted()).toBe(0);
  });

  it("rejects when the caller aborts, and when the connection drops mid-answer", async () => {
    const server = await serve((req, _body, res) => {
      if (req.url === "/hang") return;
      res.writeHead(200, { "content-length": "100" });
      res.write("partial");
      res.socket?.destroy();
    });
    const http = client();
    const controller = new AbortController();
    const hanging = http.fetch(`${server.url}/hang`, { signal: controller.signal });
    setTimeout(() => controller.abort(), 20);
    await expect(hanging).rejects.toThrow();
    await expect(http.fetch(`${server.url}/drop`)).rejects.toThrow();
    await expect(http.fetch(server.url, { signal: AbortSignal.abort() })).rejects.toThrow();
  });

  it("rejects a refused connection, an unsupported protocol and a body that is not a string", async () => {
    const server = await serve(() => undefined);
    const url = server.url;
    await server.close();
    await expect(client().fetch(url)).rejects.toThrow();
    await expect(client().fetch("ftp://127.0.0.1/")).rejects.toThrow(/unsupported protocol/);
    await expect(client().fetch(url, { method: "POST", body: new Uint8Array([1, 2]) })).rejects.toThrow(/only string bodies/);
  });
});

describe("over HTTPS", () => {
  it("talks TLS, trusting a CA given in NODE_EXTRA_CA_CERTS, and refuses an untrusted certificate", async () => {
    const dir = await mkdtemp(path.join(tmpdir(), "bruin-https-"));
    try {
      const key = path.join(dir, "key.pem");
      const cert = path.join(dir, "cert.pem");
      // A throwaway self-signed certificate for 127.0.0.1 (openssl is in the CI image, see .ci/run).
      await run("openssl", [
        "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", key, "-out", cert, "-days", "1",
        "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1",
      ]);
      const server = createHttpsServer({ key: await readFile(key), cert: await readFile(cert) }, (req, res) => {
        res.setHeader("content-type", "application/json");
        res.end(JSON.stringify({ path: req.url }));
      });
      await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
      const url = `https://127.0.0.1:${(server.address() as AddressInfo).port}/api/v1/secrets`;
      // The client as plain JavaScript, driven by a child process: Node reads NODE_EXTRA_CA_CERTS only when it starts.
      const source = await readFile(path.join(here, "node-http.ts"), "utf8");
      const compiled = ts.transpileModule(source, { compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 } });
      await writeFile(path.join(dir, "node-http.mjs"), compiled.outputText);
      await writeFile(path.join(dir, "child.mjs"), HTTPS_CHILD);
      try {
        const child = (extraCa: string | undefined) =>
          run(process.execPath, [path.join(dir, "child.mjs"), url], {
            env: { PATH: process.env.PATH ?? "", ...(extraCa ? { NODE_EXTRA_CA_CERTS: extraCa } : {}) },
          });
        expect(JSON.parse((await child(cert)).stdout)).toEqual({ status: 200, body: { path: "/api/v1/secrets" } });
        expect(JSON.parse((await child(undefined)).stdout)).toMatchObject({ error: expect.stringMatching(/self.signed|certificate/i) });
      } finally {
        await new Promise((resolve) => server.close(resolve));
      }
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }, 30_000);
});
