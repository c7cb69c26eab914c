import { openConnection, validateConnection, type ConnectionAdapter } from "@bruin-ts/connections";

/**
 * The servers `pnpm test:integration` talks to: PostgreSQL with trust auth and
 * MariaDB/MySQL as root without a password, both on loopback (see the README,
 * Development). CI starts them when they are down.
 */
export const LOCAL_SERVERS = {
  postgres: { host: "127.0.0.1", port: 5432, username: "postgres", database: "test" },
  mysql: { host: "127.0.0.1", port: 3306, username: "root", database: "test" },
} as const;

export type LocalServer = keyof typeof LOCAL_SERVERS;

const START_COMMAND: Record<LocalServer, string> = {
  postgres: "pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start",
  mysql: "start-stop-daemon --start --oknodo --background --exec /usr/sbin/mariadbd",
};

/** Opens an adapter on a local server (not yet connected: drivers connect on first use). */
export function openLocalServer(type: LocalServer, name = `test-${type}`): Promise<ConnectionAdapter> {
  return openConnection(validateConnection({ name, type, details: { ...LOCAL_SERVERS[type] } }));
}

/**
 * Opens and pings a local server. When it is down the test fails — it never
 * skips — with what to run to start it.
 */
export async function connectLocalServer(type: LocalServer, name?: string): Promise<ConnectionAdapter> {
  const adapter = await openLocalServer(type, name);
  try {
    await adapter.ping();
  } catch (error) {
    await adapter.close();
    const { host, port, username, database } = LOCAL_SERVERS[type];
    throw new Error(
      `${type} is not reachable at ${host}:${port} as ${username}, database ${database} ` +
        `(${(error as Error).message}); start it with: ${START_COMMAND[type]}`,
    );
  }
  return adapter;
}
