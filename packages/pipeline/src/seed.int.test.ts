import { openLocalServer } from "@bruin-ts/test-servers";
import { describe, expect, it } from "vitest";
import { runPipelineFolder, statuses } from "./test-support/duckdb-run.js";
import { scratchDir, writeTree } from "./test-support/tree.js";
import { scratchNamespace } from "./test-support/scratch-namespace.js";

/** Each server engine, with the asset-type prefix and default connection of its assets. */
const ENGINES = [
  { server: "postgres", label: "PostgreSQL", prefix: "pg", namespace: scratchNamespace("postgres", "bruin_seed") },
  { server: "mysql", label: "MySQL/MariaDB", prefix: "my", namespace: scratchNamespace("mysql", "bruin_seed") },
] as const;

describe.each(ENGINES)("seed assets on $label", ({ server, prefix, namespace }) => {
  const { name: ns, admin } = namespace;

  it("load a CSV into a table with declared and inferred types, then run its checks", async () => {
    const root = writeTree(scratchDir("bruin-seed-"), {
      "pipeline.yml": `name: seed\ndefault_connections:\n  ${server}: ${prefix}\n`,
      "assets/people.asset.yml": [
        `name: ${ns}.people`,
        `type: ${prefix}.seed`,
        "parameters: {path: data/people.csv}",
        "columns:",
        "  - name: id",
        "    type: integer",
        "    checks: [not_null, unique]",
        "  - name: name",
        "    type: string",
        "    checks: [{name: accepted_values, value: [Ada, 'Lin, Jr.']}]",
        "",
      ].join("\n"),
      "assets/data/people.csv": 'id,name,score,joined\n1,Ada,9.5,2024-01-01\n2,"Lin, Jr.",,2024-02-01\n',
    });
    const result = await runPipelineFolder(root, () => openLocalServer(server, prefix));
    expect(statuses(result)).toEqual({
      [`${ns}.people`]: "succeeded",
      [`${ns}.people:id:not_null`]: "succeeded",
      [`${ns}.people:id:unique`]: "succeeded",
      [`${ns}.people:name:accepted_values`]: "succeeded",
    });
    const { rows } = await admin().query(
      `SELECT id, name, score, CAST(joined AS CHAR(10)) AS joined FROM ${ns}.people ORDER BY id`,
    );
    expect(rows.map((r) => [Number(r.id), r.name, r.score === null ? null : Number(r.score), r.joined])).toEqual([
      [1, "Ada", 9.5, "2024-01-01"],
      [2, "Lin, Jr.", null, "2024-02-01"],
    ]);
  });
});
