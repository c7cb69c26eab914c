import { execFile } from "node:child_process";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";

const run = promisify(execFile);

export interface TestCertificate {
  key: string;
  cert: string;
}

/** Throwaway certificates for TLS tests, made with `openssl` (which must be installed). */
export interface TestCertificates {
  /** The folder they are written to; `remove()` deletes it. */
  dir: string;
  /** The test CA's certificate (PEM file path): give it in NODE_EXTRA_CA_CERTS to trust the CA-signed ones. */
  caFile: string;
  /** Self-signed for 127.0.0.1: untrusted unless its own file is in NODE_EXTRA_CA_CERTS. */
  selfSigned: TestCertificate;
  /** Signed by the CA, for 127.0.0.1. */
  valid: TestCertificate;
  /** Signed by the CA, for 127.0.0.1, expired a day before it was made. */
  expired: TestCertificate;
  /** Signed by the CA, for wrong-host.example only (not 127.0.0.1). */
  wrongHost: TestCertificate;
  remove(): Promise<void>;
}

/** Makes a CA and four server certificates in a fresh temporary folder (about a second of openssl). */
export async function makeTestCertificates(): Promise<TestCertificates> {
  const dir = await mkdtemp(path.join(tmpdir(), "infisical-emulator-tls-"));
  const file = (name: string) => path.join(dir, name);
  const rsa = ["-newkey", "rsa:2048", "-nodes"];
  await run("openssl", [
    "req",
    "-x509",
    ...rsa,
    "-keyout",
    file("ca.key"),
    "-out",
    file("ca.pem"),
    "-days",
    "2",
    "-subj",
    "/CN=infisical-emulator test CA",
    "-addext",
    "basicConstraints=critical,CA:TRUE",
    "-addext",
    "keyUsage=critical,keyCertSign,cRLSign",
  ]);
  await run("openssl", [
    "req",
    "-x509",
    ...rsa,
    "-keyout",
    file("self.key"),
    "-out",
    file("self.pem"),
    "-days",
    "2",
    "-subj",
    "/CN=127.0.0.1",
    "-addext",
    "subjectAltName=IP:127.0.0.1",
  ]);
  const signed = async (name: string, altName: string, days: string): Promise<TestCertificate> => {
    await run("openssl", [
      "req",
      ...rsa,
      "-keyout",
      file(`${name}.key`),
      "-out",
      file(`${name}.csr`),
      "-subj",
      `/CN=${name}`,
    ]);
    await writeFile(file(`${name}.ext`), `subjectAltName=${altName}\n`);
    await run("openssl", [
      "x509",
      "-req",
      "-in",
      file(`${name}.csr`),
      "-CA",
      file("ca.pem"),
      "-CAkey",
      file("ca.key"),
      "-set_serial",
      String(Date.now()),
      "-out",
      file(`${name}.pem`),
      "-days",
      days,
      "-extfile",
      file(`${name}.ext`),
    ]);
    return { key: await readFile(file(`${name}.key`), "utf8"), cert: await readFile(file(`${name}.pem`), "utf8") };
  };
  const [valid, expired, wrongHost] = await Promise.all([
    signed("valid", "IP:127.0.0.1", "2"),
    // A negative validity: not after is a day before not before, so the certificate is already expired.
    signed("expired", "IP:127.0.0.1", "-1"),
    signed("wrong-host", "DNS:wrong-host.example", "2"),
  ]);
  return {
    dir,
    caFile: file("ca.pem"),
    selfSigned: { key: await readFile(file("self.key"), "utf8"), cert: await readFile(file("self.pem"), "utf8") },
    valid,
    expired,
    wrongHost,
    remove: () => rm(dir, { recursive: true, force: true }),
  };
}
