// Child process of postgres-ssl.int.test.ts, so NODE_EXTRA_CA_CERTS (read at
// start-up only) can differ per case: opens the connection given as JSON on
// the command line through the package's public entry point, asks the server
// whether the session is encrypted, and prints one JSON line.
import { openConnection, validateConnection } from "../index.ts";

const connection = await openConnection(validateConnection(JSON.parse(process.argv[2])));
try {
  const { rows } = await connection.query("SELECT ssl, version FROM pg_stat_ssl WHERE pid = pg_backend_pid()");
  process.stdout.write(`${JSON.stringify({ ok: true, ssl: rows[0]?.ssl, version: rows[0]?.version })}\n`);
} catch (error) {
  process.stdout.write(`${JSON.stringify({ ok: false, error: String(error?.message ?? error) })}\n`);
} finally {
  await connection.close();
}
