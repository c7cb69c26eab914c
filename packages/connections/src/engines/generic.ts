import { UnsupportedConnectionTypeError } from "../errors.js";
import type { ConnectionEngine } from "./engine.js";

/** A value for assets to read (an API key, a URL), not a database. */
export const generic: ConnectionEngine = {
  type: "generic",
  sql: false,
  plainValue: true,
  open: async (connection) => {
    throw new UnsupportedConnectionTypeError(
      connection.name,
      connection.type,
      "a generic connection holds a value for assets to read, not a database connection",
    );
  },
};
