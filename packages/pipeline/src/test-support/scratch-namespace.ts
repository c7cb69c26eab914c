import { randomBytes } from "node:crypto";
import type { ConnectionAdapter } from "@bruin-ts/connections";
import { connectLocalServer } from "@bruin-ts/test-servers";
import { afterAll, beforeAll } from "vitest";

/**
 * A uniquely named scratch schema (PostgreSQL) or database (MySQL, where
 * `db.t` names database `db`) for one test file, dropped after it, and an
 * admin connection to look into it.
 */
export function scratchNamespace(
  kind: "postgres" | "mysql",
  prefix: string,
): { name: string; admin: () => ConnectionAdapter } {
  const name = `${prefix}_${randomBytes(4).toString("hex")}`;
  let admin: ConnectionAdapter | undefined;
  beforeAll(async () => {
    admin = await connectLocalServer(kind, "admin");
  });
  afterAll(async () => {
    await admin?.exec(
      kind === "mysql" ? `DROP DATABASE IF EXISTS \`${name}\`` : `DROP SCHEMA IF EXISTS ${name} CASCADE`,
    );
    await admin?.close();
  });
  return {
    name,
    admin: () => {
      if (!admin) throw new Error("the admin connection is not open yet");
      return admin;
    },
  };
}
