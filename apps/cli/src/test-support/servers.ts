import { LOCAL_SERVERS, connectLocalServer } from "@bruin-ts/test-servers";

export const PG = LOCAL_SERVERS.postgres;
export const MY = LOCAL_SERVERS.mysql;
export { connectLocalServer as connectServer };

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
