// The Infisical project the secret-resolution bench reads from.
export const PROJECT_ID = "bench-project";
export const ENVIRONMENT = "dev";
export const IDENTITY = { clientId: "bench-client-id", clientSecret: "bench-client-secret-value" };
export const MAX_CONNECTIONS = 50;

/** The name of the i-th seeded connection. */
export function connectionName(i) {
  return `duckdb-${String(i + 1).padStart(3, "0")}`;
}

/** An emulator seed with MAX_CONNECTIONS distinct DuckDB connections. */
export function benchSeed() {
  const secrets = {};
  for (let i = 0; i < MAX_CONNECTIONS; i++) {
    secrets[connectionName(i)] = JSON.stringify({ type: "duckdb", details: { path: `/tmp/bench-${i}.duckdb` } });
  }
  return {
    identities: [{ ...IDENTITY, projects: [PROJECT_ID] }],
    projects: { [PROJECT_ID]: { environments: { [ENVIRONMENT]: { "/": secrets } } } },
  };
}
