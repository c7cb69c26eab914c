import { describe, expect, it } from "vitest";
import { readStartDate } from "./asset-fields.js";

describe("start_date", () => {
  const read = (value: unknown, where: "pipeline" | "asset" = "pipeline") => {
    const reported: string[] = [];
    const date = readStartDate(value, where, (message) => reported.push(message));
    return { date, reported };
  };

  it("takes YYYY-MM-DD, as text or as the Date YAML reads it", () => {
    expect(read("2024-02-29")).toEqual({ date: "2024-02-29", reported: [] });
    expect(read(new Date("2024-01-31T00:00:00Z"))).toEqual({ date: "2024-01-31", reported: [] });
    expect(read(undefined)).toEqual({ date: undefined, reported: [] });
  });

  it.each(["2023-02-29", "2024-13-01", "2024-1-2", "01/02/2024", "2024-01-02 10:00:00", "yesterday", "20240102"])(
    "refuses %s with the reference's message",
    (value) => {
      expect(read(value)).toEqual({
        date: undefined,
        reported: [`start_date must be in the format of YYYY-MM-DD in the pipeline definition, '${value}' given`],
      });
      expect(read(value, "asset").reported).toEqual([
        `start_date must be in the format of YYYY-MM-DD in the asset definition, '${value}' given`,
      ]);
    },
  );
});
