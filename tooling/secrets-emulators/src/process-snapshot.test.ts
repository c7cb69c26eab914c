import { expect, it } from "vitest";
import { processChanges, snapshotProcess } from "./process-snapshot.js";

it("lists every process-wide change, naming a changed variable without its value", () => {
  const before = snapshotProcess();
  const emitWarning = process.emitWarning;
  const fetch = globalThis.fetch;
  const listener = () => undefined;
  const scope = globalThis as Record<string, unknown>;
  try {
    scope.__snapshotProbe = 1;
    globalThis.fetch = (() => undefined) as unknown as typeof fetch;
    process.emitWarning = (() => undefined) as typeof process.emitWarning;
    process.env.SNAPSHOT_PROBE_VARIABLE = "probe-value-not-shown";
    process.on("SIGUSR2", listener);
    const changes = processChanges(before, snapshotProcess());
    expect(changes).toEqual([
      "global added: __snapshotProbe",
      "global replaced: fetch",
      "process.emitWarning replaced",
      "process.env changed: SNAPSHOT_PROBE_VARIABLE",
      "listeners changed: SIGUSR2",
    ]);
    expect(changes.join("\n")).not.toContain("probe-value-not-shown");
    expect(processChanges(before, snapshotProcess(), { allowAdded: ["__snapshotProbe"] })).not.toContain(
      "global added: __snapshotProbe",
    );
  } finally {
    delete scope.__snapshotProbe;
    globalThis.fetch = fetch;
    process.emitWarning = emitWarning;
    delete process.env.SNAPSHOT_PROBE_VARIABLE;
    process.off("SIGUSR2", listener);
  }
  expect(processChanges(before, snapshotProcess())).toEqual([]);
});
