import { MongoClient, type Db, type Document } from "mongodb";
import { DIALECTS } from "../dialects.js";
import {
  mongoClientOptions,
  mongoUri,
  parseMongoCommand,
  parseMongoCommands,
  type MongoCommand,
  type MongoDetails,
} from "../mongodb-config.js";
import type { OpenOptions } from "../open-options.js";
import { columnsOf } from "../plain-values.js";
import type { ConnectionAdapter, QueryResult, Row, ValidatedConnection } from "../types.js";
import { GuardedAdapter } from "./guarded.js";
import { plainBson } from "./mongodb-values.js";

/**
 * MongoDB does not speak SQL: `query` and `exec` take JSON command documents
 * (see `parseMongoCommand`), run against the connection's database.
 */
export async function openMongoDB(connection: ValidatedConnection, options?: OpenOptions): Promise<ConnectionAdapter> {
  const details = connection.details as unknown as MongoDetails;
  return new MongoDBAdapter(connection.name, details, options);
}

class MongoDBAdapter extends GuardedAdapter<MongoClient> implements ConnectionAdapter {
  readonly dialect = DIALECTS.mongodb;

  constructor(
    name: string,
    private readonly details: MongoDetails,
    private readonly options: OpenOptions | undefined,
  ) {
    super(name, "mongodb");
  }

  protected connect(): Promise<MongoClient> {
    return new MongoClient(mongoUri(this.details), mongoClientOptions(this.options)).connect();
  }

  protected disconnect(client: MongoClient): Promise<void> {
    return client.close();
  }

  query(text: string): Promise<QueryResult> {
    return this.withSession(async (client) => {
      const rows = (await runCommand(this.#db(client), parseMongoCommand(text))).map((row) => plainBson(row) as Row);
      return { columns: columnsOf(rows), rows };
    });
  }

  exec(text: string): Promise<void> {
    return this.withSession(async (client) => {
      for (const command of parseMongoCommands(text)) await runCommand(this.#db(client), command);
    });
  }

  /**
   * Runs the commands in order on one database. Multi-document transactions
   * need a replica set, which a plain MongoDB server is not, so a failure
   * stops the sequence without undoing the commands before it.
   */
  transaction(statements: readonly string[]): Promise<void> {
    return this.withSession(async (client) => {
      const commands = statements.map((statement) => parseMongoCommand(statement));
      for (const command of commands) await runCommand(this.#db(client), command);
    });
  }

  async ping(): Promise<void> {
    await this.withSession(async (client) => {
      await client.db("admin").command({ ping: 1 });
    });
  }

  #db(client: MongoClient): Db {
    return client.db(this.details.database || undefined);
  }
}

async function runCommand(db: Db, command: MongoCommand): Promise<Document[]> {
  switch (command.kind) {
    case "find":
      return db.collection(command.collection).find(command.filter, command.options).toArray();
    case "aggregate":
      return db.collection(command.collection).aggregate(command.pipeline).toArray();
    case "command": {
      const result = await db.command(command.document);
      // Cursor-returning commands (listCollections, a raw find) answer with their first batch of documents.
      const batch = (result as { cursor?: { firstBatch?: unknown } }).cursor?.firstBatch;
      return Array.isArray(batch) ? (batch as Document[]) : [result];
    }
  }
}
