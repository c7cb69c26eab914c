import { describe, expect, it } from "vitest";
import { inCancelScope } from "../cancel-scope.js";
import { openConnection } from "../open.js";
import { validateConnection } from "../validate.js";

const servers = {
  postgres: { host: "127.0.0.1", port: 5432, username: "postgres", database: "test" },
  mysql: { host: "127.0.0.1", port: 3306, username: "root", database: "test" },
};
const openLocalServer = (type: "postgres" | "mysql", name: string) =>
  openConnection(validateConnection({ name, type, details: servers[type] }));

describe("cancel with a scope on the servers", () => {
  it("PostgreSQL: cancels the statement of that scope, the other one on the same pool finishes", async () => {
    const pg = await openLocalServer("postgres", "scoped-pg");
    try {
      const mine = {};
      const other = {};
      const settle = (p: Promise<unknown>) =>
        p.then(
          () => "finished",
          (error: Error) => error.message,
        );
      const a = settle(inCancelScope(mine, () => pg.query("SELECT pg_sleep(30)")));
      const b = settle(inCancelScope(other, () => pg.query("SELECT pg_sleep(2)")));
      await new Promise((resolve) => setTimeout(resolve, 500));
      const started = performance.now();
      await pg.cancel!(mine);
      expect(await a).toMatch(/canceling statement due to user request/);
      expect(performance.now() - started).toBeLessThan(5_000);
      expect(await b).toBe("finished");
    } finally {
      await pg.close();
    }
  });

  it("MySQL: KILL QUERY reaches only the session of that scope", async () => {
    const my = await openLocalServer("mysql", "scoped-my");
    try {
      const mine = {};
      const other = {};
      const a = inCancelScope(mine, () => my.query("SELECT SLEEP(30) AS stopped")).then(
        () => "finished",
        (error: Error) => error.message,
      );
      const b = inCancelScope(other, () => my.query("SELECT SLEEP(2) AS stopped"));
      await new Promise((resolve) => setTimeout(resolve, 500));
      const started = performance.now();
      await my.cancel!(mine);
      // MariaDB fails the interrupted statement (MySQL would make SLEEP() return 1).
      expect(await a).toMatch(/interrupted/);
      expect(performance.now() - started).toBeLessThan(5_000);
      expect((await b).rows).toEqual([{ stopped: 0 }]);
    } finally {
      await my.close();
    }
  });
});
