import type { ConnectionEngine } from "./engine.js";

export const mongodb: ConnectionEngine = {
  type: "mongodb",
  aliases: ["mongo"],
  // Not a SQL dialect: the adapter reads JSON command documents, where a name is a JSON string.
  dialect: {
    name: "mongodb",
    quoteIdentifier: (part: string) => JSON.stringify(part),
    quoteName: (qualifiedName: string) => JSON.stringify(qualifiedName),
    transactionalDdl: false,
    supportsSchemas: false,
    // A command document has no LIMIT to wrap it in; `bruin query --limit` keeps the first rows.
    limitRows: (query) => query,
  },
  sql: false,
  driver: "mongodb",
  open: async (connection, options) => (await import("../adapters/mongodb.js")).openMongoDB(connection, options),
};
