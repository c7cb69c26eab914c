import { describe, expect, it } from "vitest";
import type { Asset } from "./model.js";
import { renderTemplate, templateContext } from "./render.js";

const asset = { name: "a", path: "/p/assets/a.sql" } as Asset;
const context = templateContext({
  assetName: "a",
  pipelineName: "p",
  interval: { start: new Date("2024-01-01T00:00:00Z"), end: new Date("2024-01-01T23:59:59Z") },
  variables: { n: 3 },
});

describe("renderTemplate", () => {
  it("returns a query without template syntax exactly as written", () => {
    const sql = "SELECT '{\"a\": 1}' AS j, 5 % 2 AS m, '100%' AS p -- {not a tag}\n";
    expect(renderTemplate(sql, context, { asset })).toBe(sql);
  });

  it("renders expressions, statements and comments", () => {
    expect(renderTemplate("SELECT {{ var.n }}, '{{ start_date }}'", context, { asset })).toBe("SELECT 3, '2024-01-01'");
    expect(renderTemplate("{% if var.n > 2 %}big{% endif %}", context, { asset })).toBe("big");
    expect(renderTemplate("SELECT 1{# note #}", context, { asset })).toBe("SELECT 1");
  });
});

describe("templateContext", () => {
  it("renders the microseconds a Date cannot hold into the timestamps", () => {
    const precise = templateContext({
      assetName: "a",
      pipelineName: "p",
      interval: {
        start: new Date("2024-01-01T10:00:00.123Z"),
        end: new Date("2024-01-01T11:00:00.654Z"),
        startMicros: 7,
        endMicros: 321,
      },
      variables: {},
    });
    expect(precise.start_timestamp).toBe("2024-01-01T10:00:00.123007Z");
    expect(precise.end_timestamp).toBe("2024-01-01T11:00:00.654321Z");
    expect(precise.end_datetime).toBe("2024-01-01T11:00:00");
    // Without them, the milliseconds are padded with zeros.
    expect(context.end_timestamp).toBe("2024-01-01T23:59:59.000000Z");
  });
});
