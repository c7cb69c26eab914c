import { MongoClient } from "mongodb";
import { describe, expect, it } from "vitest";
import { mongoClientOptions, mongoUri, parseMongoCommand, parseMongoCommands } from "./mongodb-config.js";

describe("mongoUri", () => {
  it("percent-encodes credentials so URI characters in a password stay part of it", () => {
    const uri = mongoUri({
      host: "db.example.com",
      port: 27017,
      username: "app@corp",
      password: "p@ss:w/rd%",
      database: "analytics",
    });
    expect(uri).toBe("mongodb://app%40corp:p%40ss%3Aw%2Frd%25@db.example.com:27017/analytics");
  });

  it("is read back by the driver as the same user, password, host and database", () => {
    const client = new MongoClient(
      mongoUri({ host: "db.example.com", port: 27018, username: "app", password: "p@ss:w/rd%", database: "analytics" }),
    );
    expect(client.options.credentials?.username).toBe("app");
    expect(client.options.credentials?.password).toBe("p@ss:w/rd%");
    expect(client.options.hosts.map(String)).toEqual(["db.example.com:27018"]);
    expect(client.options.dbName).toBe("analytics");
  });

  it("leaves credentials and database out when there are none, and brackets IPv6 hosts", () => {
    expect(mongoUri({ host: "localhost", port: 27017 })).toBe("mongodb://localhost:27017/");
    expect(mongoUri({ host: "::1", port: 27017, username: "u" })).toBe("mongodb://u@[::1]:27017/");
  });

  it("bounds server selection and connecting by the connect timeout", () => {
    expect(mongoClientOptions({ connectTimeoutMs: 1234 })).toMatchObject({
      serverSelectionTimeoutMS: 1234,
      connectTimeoutMS: 1234,
    });
    expect(mongoClientOptions().serverSelectionTimeoutMS).toBe(30_000);
  });
});

describe("parseMongoCommand", () => {
  it("reads a find with its filter and options", () => {
    expect(
      parseMongoCommand('{"find": "users", "filter": {"age": {"$gt": 30}}, "sort": {"age": -1}, "limit": 5}'),
    ).toEqual({
      kind: "find",
      collection: "users",
      filter: { age: { $gt: 30 } },
      options: { sort: { age: -1 }, limit: 5 },
    });
    expect(parseMongoCommand('{"find": "users"}')).toEqual({
      kind: "find",
      collection: "users",
      filter: {},
      options: {},
    });
  });

  it("reads an aggregate pipeline, and passes any other document to db.command()", () => {
    expect(parseMongoCommand('{"aggregate": "orders", "pipeline": [{"$match": {}}]}')).toEqual({
      kind: "aggregate",
      collection: "orders",
      pipeline: [{ $match: {} }],
    });
    expect(parseMongoCommand('{"ping": 1}')).toEqual({ kind: "command", document: { ping: 1 } });
  });

  it("explains that SQL is not accepted", () => {
    expect(() => parseMongoCommand("SELECT 1")).toThrow(
      /mongodb connections take a JSON command document instead of SQL/,
    );
    expect(() => parseMongoCommand("[1]")).toThrow(/non-empty JSON object/);
    expect(() => parseMongoCommand('{"find": "u", "filter": 3}')).toThrow(
      "the 'filter' of a find command must be an object",
    );
  });

  it("reads a list of commands for exec", () => {
    expect(parseMongoCommands('[{"ping": 1}, {"find": "u"}]').map((c) => c.kind)).toEqual(["command", "find"]);
    expect(parseMongoCommands('{"ping": 1}')).toHaveLength(1);
  });
});
