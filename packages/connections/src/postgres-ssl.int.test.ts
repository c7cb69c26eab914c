import { execFileSync, spawnSync } from "node:child_process";
import { chmodSync, chownSync, existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

/**
 * `ssl_mode` against a throw-away PostgreSQL server of its own (not the shared
 * one): initdb and pg_ctl of the installed server, in a temporary folder, on a
 * free port, with `ssl = on`, a certificate for `localhost` signed by a CA made
 * here, and a pg_hba.conf that accepts only TLS over TCP. Each case opens the
 * connection in a child process, because Node reads the extra CA
 * (NODE_EXTRA_CA_CERTS) only when it starts.
 */
const SUPPORT = path.join(path.dirname(fileURLToPath(import.meta.url)), "test-support");
const PG_BIN = (() => {
  const root = "/usr/lib/postgresql";
  const versions = existsSync(root) ? readdirSync(root).sort((a, b) => Number(b) - Number(a)) : [];
  const found = versions.map((v) => path.join(root, v, "bin")).find((dir) => existsSync(path.join(dir, "pg_ctl")));
  if (!found) throw new Error(`no PostgreSQL server binaries under ${root}/*/bin (install postgresql)`);
  return found;
})();
// PostgreSQL refuses to run as root: as root, its commands run as the postgres user.
const asRoot = process.getuid?.() === 0;

let dir = "";
let port = 0;
let started = false;

function pg(command: string, args: string[]): string {
  const file = path.join(PG_BIN, command);
  const [cmd, argv] = asRoot ? ["runuser", ["-u", "postgres", "--", file, ...args]] : [file, args];
  return execFileSync(cmd, argv, { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
}

function openssl(args: string[]): void {
  execFileSync("openssl", args, { cwd: dir, stdio: ["ignore", "pipe", "pipe"] });
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port: p } = server.address() as { port: number };
      server.close(() => resolve(p));
    });
  });
}

/** A CA (`name`.crt/.key) made with openssl in `dir`. */
function makeCa(name: string): void {
  openssl([
    "req",
    "-x509",
    "-newkey",
    "rsa:2048",
    "-nodes",
    "-days",
    "2",
    "-subj",
    `/CN=${name}`,
    "-keyout",
    `${name}.key`,
    "-out",
    `${name}.crt`,
  ]);
}

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), "bruin-pg-ssl-"));
  const data = path.join(dir, "data");
  makeCa("ca");
  makeCa("other-ca");
  writeFileSync(path.join(dir, "san.ext"), "subjectAltName = DNS:localhost\n");
  openssl([
    "req",
    "-newkey",
    "rsa:2048",
    "-nodes",
    "-subj",
    "/CN=localhost",
    "-keyout",
    "server.key",
    "-out",
    "server.csr",
  ]);
  openssl([
    "x509",
    "-req",
    "-in",
    "server.csr",
    "-CA",
    "ca.crt",
    "-CAkey",
    "ca.key",
    "-CAcreateserial",
    "-days",
    "2",
    "-extfile",
    "san.ext",
    "-out",
    "server.crt",
  ]);
  chmodSync(path.join(dir, "server.key"), 0o600);
  if (asRoot) {
    const uid = Number(execFileSync("id", ["-u", "postgres"], { encoding: "utf8" }).trim());
    const gid = Number(execFileSync("id", ["-g", "postgres"], { encoding: "utf8" }).trim());
    chmodSync(dir, 0o755);
    for (const file of ["", "server.key", "server.crt"]) chownSync(path.join(dir, file), uid, gid);
  }
  pg("initdb", ["-D", data, "-A", "trust", "-U", "postgres", "--no-sync"]);
  port = await freePort();
  writeFileSync(
    path.join(data, "postgresql.auto.conf"),
    [
      `port = ${port}`,
      "listen_addresses = 'localhost'",
      `unix_socket_directories = '${dir}'`,
      "ssl = on",
      `ssl_cert_file = '${path.join(dir, "server.crt")}'`,
      `ssl_key_file = '${path.join(dir, "server.key")}'`,
      "fsync = off",
      "shared_buffers = 16MB",
      "max_connections = 20",
    ].join("\n") + "\n",
  );
  writeFileSync(
    path.join(data, "pg_hba.conf"),
    ["local all all trust", "hostssl all all 127.0.0.1/32 trust", "hostssl all all ::1/128 trust"].join("\n") + "\n",
  );
  pg("pg_ctl", ["-D", data, "-l", path.join(dir, "server.log"), "-w", "-t", "30", "start"]);
  started = true;
}, 120_000);

afterAll(() => {
  try {
    if (started) pg("pg_ctl", ["-D", path.join(dir, "data"), "-m", "immediate", "-w", "stop"]);
  } finally {
    if (dir) rmSync(dir, { recursive: true, force: true });
  }
}, 60_000);

interface Probe {
  ok: boolean;
  ssl?: boolean;
  version?: string;
  error?: string;
}

/** Opens a postgres connection in a fresh Node process trusting `ca` (a file in `dir`), and reports. */
function probe(details: Record<string, unknown>, ca?: string): Probe {
  const connection = {
    name: "tls-db",
    type: "postgres",
    details: { port, username: "postgres", database: "postgres", ...details },
  };
  const result = spawnSync(
    process.execPath,
    [
      "--conditions=@bruin-ts/source",
      "--import",
      path.join(SUPPORT, "register-ts.mjs"),
      path.join(SUPPORT, "ssl-probe.mjs"),
      JSON.stringify(connection),
    ],
    {
      encoding: "utf8",
      timeout: 30_000,
      env: { PATH: process.env.PATH, ...(ca ? { NODE_EXTRA_CA_CERTS: path.join(dir, ca) } : {}) },
    },
  );
  const line = result.stdout.trim().split("\n").pop() ?? "";
  if (!line.startsWith("{")) throw new Error(`the probe printed no result (exit ${result.status}): ${result.stderr}`);
  return JSON.parse(line) as Probe;
}

describe("PostgreSQL ssl_mode against a server that accepts only TLS", () => {
  it("without ssl_mode, or with disable, the plain connection is refused by the server", () => {
    for (const details of [{ host: "localhost" }, { host: "localhost", ssl_mode: "disable" }]) {
      const result = probe(details);
      expect(result.ok).toBe(false);
      expect(result.error).toMatch(/no encryption|pg_hba\.conf/);
    }
  });

  it("require negotiates TLS without checking the certificate", () => {
    for (const host of ["localhost", "127.0.0.1"]) {
      const result = probe({ host, ssl_mode: "require" });
      expect(result).toMatchObject({ ok: true, ssl: true });
      expect(result.version).toMatch(/^TLSv1\.[23]$/);
    }
  });

  it("verify-full passes with the right CA and host name", () => {
    expect(probe({ host: "localhost", ssl_mode: "verify-full" }, "ca.crt")).toMatchObject({ ok: true, ssl: true });
  });

  it("verify-full fails clearly with the wrong CA, or with no CA", () => {
    for (const ca of ["other-ca.crt", undefined]) {
      const result = probe({ host: "localhost", ssl_mode: "verify-full" }, ca);
      expect(result.ok).toBe(false);
      expect(result.error).toMatch(
        /^connection 'tls-db' \(postgres\): .*(unable to verify the first certificate|unable to get local issuer certificate|self[- ]signed certificate in certificate chain)/,
      );
    }
  });

  it("verify-full fails clearly with a host name the certificate does not name; verify-ca accepts it", () => {
    const wrongName = probe({ host: "127.0.0.1", ssl_mode: "verify-full" }, "ca.crt");
    expect(wrongName.ok).toBe(false);
    expect(wrongName.error).toMatch(
      /^connection 'tls-db' \(postgres\): .*(Hostname\/IP does not match certificate's altnames|IP: 127\.0\.0\.1 is not in the cert's list)/,
    );
    expect(probe({ host: "127.0.0.1", ssl_mode: "verify-ca" }, "ca.crt")).toMatchObject({ ok: true, ssl: true });
    expect(probe({ host: "127.0.0.1", ssl_mode: "verify-ca" }, "other-ca.crt").ok).toBe(false);
  });
});
