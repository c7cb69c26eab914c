import { openConnection, type ConnectionAdapter } from "@bruin-ts/connections";

/** The local servers the integration tests use (see README, Development). */
export const PG = { host: "127.0.0.1", port: 5432, username: "postgres", database: "test" };
export const MY = { host: "127.0.0.1", port: 3306, username: "root", database: "test" };

const START = {
  postgres: "pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start",
  mysql: "start-stop-daemon --start --oknodo --background --exec /usr/sbin/mariadbd",
};

/** Opens a connection to a local server, failing with how to start it when it is down. */
export async function connectServer(type: "postgres" | "mysql"): Promise<ConnectionAdapter> {
  const details = type === "postgres" ? PG : MY;
  const adapter = await openConnection({ name: `test-${type}`, type, details });
  try {
    await adapter.ping();
  } catch (error) {
    await adapter.close();
    throw new Error(
      `${type} is not reachable at ${details.host}:${details.port} (${(error as Error).message}); start it with: ${START[type]}`,
    );
  }
  return adapter;
}

/** A `.bruin.yml` with `postgres-default` and `mysql-default` pointing at the local servers. */
export function serversConfig(pgPassword = "${PG_PASSWORD}"): string {
  return [
    "environments:",
    "  default:",
    "    connections:",
    "      postgres:",
    "        - name: postgres-default",
    `          host: ${PG.host}`,
    `          port: ${PG.port}`,
    `          username: ${PG.username}`,
    `          password: ${pgPassword}`,
    `          database: ${PG.database}`,
    "      mysql:",
    "        - name: mysql-default",
    `          host: ${MY.host}`,
    `          port: ${MY.port}`,
    `          username: ${MY.username}`,
    `          database: ${MY.database}`,
  ].join("\n");
}
