import { openConnection, type ConnectionAdapter } from "@bruin-ts/connections";
import { describe, expect, it } from "vitest";
import { buildTasks } from "./graph.js";
import { loadPipeline } from "./load.js";
import type { Pipeline, RunResult } from "./model.js";
import { runPipeline } from "./run.js";
import { validatePipeline } from "./validate.js";
import { applyVariant } from "./variants.js";
import { DAY, DuckDBPipeline, errorOf, statuses } from "./test-support/duckdb-run.js";
import { sqlAsset } from "./test-support/tree.js";

const PIPELINE = [
  "name: clients",
  "variables:",
  "  client: {type: string, default: client_a}",
  "  snapshot: {type: boolean, default: false}",
  "  days: {type: integer, default: 7}",
  "variants:",
  "  alpha:",
  "    client: alpha",
  "  beta:",
  "    client: beta",
  "    snapshot: true",
  "    days: 60",
  "",
].join("\n");

const ASSETS = {
  "assets/users.sql": sqlAsset(
    "name: users\ntype: duckdb.sql\nmaterialization: {type: table}",
    "SELECT '{{ var.client }}' AS client, {{ var.days }} AS days",
  ),
  "assets/snapshot.sql": sqlAsset(
    [
      "name: snapshot",
      "type: duckdb.sql",
      "enabled: '{{ var.snapshot }}'",
      "depends: [users]",
      "materialization: {type: table}",
      "columns:",
      "  - name: client",
      "    checks: [not_null]",
    ].join("\n"),
    "SELECT client FROM users",
  ),
  "assets/summary.sql": sqlAsset(
    "name: summary\ntype: duckdb.sql\ndepends: [snapshot]\nmaterialization: {type: table}",
    "SELECT count(*) AS n FROM users",
  ),
};

async function run(p: DuckDBPipeline, pipeline: Pipeline): Promise<RunResult> {
  const opened: ConnectionAdapter[] = [];
  try {
    return await runPipeline({
      pipeline,
      tasks: buildTasks(pipeline, pipeline.assets),
      getConnection: async (name) => {
        const adapter = await openConnection({ name, type: "duckdb", details: { path: p.dbFile } });
        opened.push(adapter);
        return adapter;
      },
      workers: 2,
      interval: DAY,
    });
  } finally {
    await Promise.all(opened.map((a) => a.close()));
  }
}

describe("pipeline variants", () => {
  it("apply the variant's variables; a templated enabled: false skips the asset and its checks, and downstream go on", async () => {
    const p = new DuckDBPipeline(PIPELINE).write(ASSETS);
    const { pipeline } = await loadPipeline(p.root);

    const alpha = await run(p, await applyVariant(pipeline, "alpha", { required: true }));
    expect(statuses(alpha)).toEqual({
      users: "succeeded",
      snapshot: "skipped",
      "snapshot:client:not_null": "skipped",
      summary: "succeeded",
    });
    expect(alpha.ok).toBe(true);
    expect(await p.rows("SELECT client, days FROM users")).toEqual([{ client: "alpha", days: 7 }]);
    expect(await p.rows("SELECT count(*) AS n FROM information_schema.tables WHERE table_name = 'snapshot'")).toEqual([
      { n: 0 },
    ]);

    const beta = await run(p, await applyVariant(pipeline, "beta", { required: true }));
    expect(statuses(beta)).toEqual({
      users: "succeeded",
      snapshot: "succeeded",
      "snapshot:client:not_null": "succeeded",
      summary: "succeeded",
    });
    expect(await p.rows("SELECT client, days FROM users")).toEqual([{ client: "beta", days: 60 }]);
    expect(await p.rows("SELECT client FROM snapshot")).toEqual([{ client: "beta" }]);
  });

  it("name the pipeline and its assets through templated names and dependencies", async () => {
    const p = new DuckDBPipeline(PIPELINE.replace("name: clients", 'name: "{{ var.client }}_pipe"')).write({
      "assets/users.sql": sqlAsset(
        'name: "{{ var.client }}_users"\ntype: duckdb.sql\nmaterialization: {type: table}',
        "SELECT '{{ var.client }}' AS client",
      ),
      "assets/report.sql": sqlAsset(
        'name: "{{ var.client }}_report"\ntype: duckdb.sql\ndepends: ["{{ var.client }}_users"]\nmaterialization: {type: table}',
        "SELECT client FROM {{ var.client }}_users",
      ),
    });
    for (const variant of ["alpha", "beta"]) {
      const { pipeline } = await loadPipeline(p.root, { variant, requireVariant: true });
      expect(pipeline.name).toBe(`${variant}_pipe`);
      const result = await run(p, pipeline);
      expect(statuses(result)).toEqual({ [`${variant}_report`]: "succeeded", [`${variant}_users`]: "succeeded" });
    }
    expect(
      await p.rows("SELECT client FROM alpha_report UNION ALL SELECT client FROM beta_report ORDER BY client"),
    ).toEqual([{ client: "alpha" }, { client: "beta" }]);
    // --var overrides take part too.
    const { pipeline } = await loadPipeline(p.root, { variant: "alpha", variables: { client: "gamma" } });
    expect(pipeline.assets.map((a) => [a.name, a.depends])).toEqual([
      ["gamma_report", ["gamma_users"]],
      ["gamma_users", []],
    ]);
  });

  it("must be picked when required, and must be declared", async () => {
    const p = new DuckDBPipeline(PIPELINE).write(ASSETS);
    const { pipeline } = await loadPipeline(p.root);
    await expect(applyVariant(pipeline, undefined, { required: true })).rejects.toThrow(
      "pipeline 'clients' declares variants; pick one with --variant: alpha, beta",
    );
    expect((await applyVariant(pipeline, undefined)).variables).toEqual(pipeline.variables);
    // loadPipeline applies them as it loads.
    await expect(loadPipeline(p.root, { requireVariant: true })).rejects.toThrow("pick one with --variant");
    const beta = (await loadPipeline(p.root, { variant: "beta" })).pipeline;
    expect([beta.variant, beta.variables]).toEqual(["beta", { client: "beta", snapshot: true, days: 60 }]);
    await expect(applyVariant(pipeline, "gamma")).rejects.toThrow(
      "unknown variant 'gamma'; pipeline 'clients' declares: alpha, beta",
    );
    const plain = new DuckDBPipeline().write({ "assets/a.sql": sqlAsset("name: a\ntype: duckdb.sql", "SELECT 1") });
    await expect(applyVariant((await loadPipeline(plain.root)).pipeline, "alpha")).rejects.toThrow(
      "--variant 'alpha': pipeline 'test' declares no variants",
    );
  });

  it("may override only declared variables, with values of their declared types", async () => {
    const p = new DuckDBPipeline(
      PIPELINE.replace("    days: 60", "    days: sixty") + "  gamma:\n    region: eu\n  'bad name':\n    client: x\n",
    ).write(ASSETS);
    const { pipeline, issues } = await loadPipeline(p.root, { collectIssues: true });
    expect(issues).toEqual([
      expect.stringMatching(/pipeline\.yml: variant 'gamma' references unknown variable "region"$/),
      expect.stringMatching(/pipeline\.yml: variant 'bad name': the name must match \[a-zA-Z0-9_-\]\+$/),
    ]);
    await expect(applyVariant(pipeline, "beta")).rejects.toThrow(
      "the value given for variable 'days' (variant 'beta') must be integer, as pipeline.yml declares it",
    );
  });

  it("an enabled: that renders to neither true nor false fails the asset and validation", async () => {
    const p = new DuckDBPipeline(PIPELINE).write({
      "assets/users.sql": sqlAsset("name: users\ntype: duckdb.sql\nenabled: '{{ var.client }}'", "SELECT 1"),
    });
    const { pipeline } = await loadPipeline(p.root);
    const result = await run(p, pipeline);
    expect(errorOf(result, "users")).toMatch(
      /^asset 'users' \(.*assets\/users\.sql\): 'enabled' must render to true or false$/,
    );
    const { issues } = await validatePipeline(pipeline, pipeline.assets);
    expect(issues).toEqual([expect.stringMatching(/^asset 'users' \(.*assets\/users\.sql\): 'enabled' must render/)]);
  });
});
