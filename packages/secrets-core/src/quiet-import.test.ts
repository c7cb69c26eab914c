import { afterEach, describe, expect, it, vi } from "vitest";
import { isNodeVersionWarning, withoutNodeVersionWarning, withoutNodeVersionWarningSync } from "./quiet-import.js";

describe("withoutNodeVersionWarning", () => {
  const original = process.emitWarning;
  afterEach(() => {
    process.emitWarning = original;
  });

  it("drops exactly the AWS SDK's Node version warning while loading, and restores emitWarning", async () => {
    const seen = vi.fn();
    process.emitWarning = seen as unknown as typeof process.emitWarning;
    const spy = process.emitWarning;
    const result = await withoutNodeVersionWarning(async () => {
      process.emitWarning("NodeVersionSupportWarning: The AWS SDK for JavaScript (v3) ...");
      process.emitWarning("upgrade soon", "NodeVersionSupportWarning");
      process.emitWarning("upgrade soon", { type: "NodeVersionSupportWarning" });
      process.emitWarning("something else", "DeprecationWarning");
      return 42;
    });
    expect(result).toBe(42);
    expect(seen).toHaveBeenCalledTimes(1);
    expect(seen).toHaveBeenCalledWith("something else", "DeprecationWarning");
    expect(process.emitWarning).toBe(spy);
  });

  it("restores emitWarning when loading fails", async () => {
    const before = process.emitWarning;
    await expect(withoutNodeVersionWarning(() => Promise.reject(new Error("broken install")))).rejects.toThrow("broken install");
    expect(process.emitWarning).toBe(before);
  });

  it("does the same around a synchronous load, restoring emitWarning before it returns or throws", () => {
    const seen = vi.fn();
    process.emitWarning = seen as unknown as typeof process.emitWarning;
    const spy = process.emitWarning;
    const result = withoutNodeVersionWarningSync(() => {
      process.emitWarning("upgrade soon", "NodeVersionSupportWarning");
      process.emitWarning("something else", "DeprecationWarning");
      return "loaded";
    });
    expect(result).toBe("loaded");
    expect(seen).toHaveBeenCalledTimes(1);
    expect(seen).toHaveBeenCalledWith("something else", "DeprecationWarning");
    expect(process.emitWarning).toBe(spy);
    expect(() =>
      withoutNodeVersionWarningSync(() => {
        throw new Error("broken install");
      }),
    ).toThrow("broken install");
    expect(process.emitWarning).toBe(spy);
  });

  it("recognises the warning given as an Error", () => {
    const warning = Object.assign(new Error("The AWS SDK ..."), { name: "NodeVersionSupportWarning" });
    expect(isNodeVersionWarning(warning)).toBe(true);
    expect(isNodeVersionWarning(new Error("other"))).toBe(false);
  });
});
