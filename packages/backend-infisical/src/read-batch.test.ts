import { describe, expect, it } from "vitest";
import { ReadBatcher, whenAllAborted } from "./read-batch.js";

/** A batcher whose fetch records each window and answers `name!`. */
function recording() {
  const windows: string[][] = [];
  const batcher = new ReadBatcher<string>((names) => {
    windows.push([...names.keys()]);
    return new Map([...names.keys()].map((name) => [name, Promise.resolve(`${name}!`)]));
  });
  return { batcher, windows };
}

const nextTurn = () => new Promise((resolve) => setImmediate(resolve));

describe("ReadBatcher", () => {
  it("hands the names asked in one turn to one fetch, each name once", async () => {
    const { batcher, windows } = recording();
    const answers = await Promise.all(["a", "b", "a", "c"].map((name) => batcher.request(name)));
    expect(answers).toEqual(["a!", "b!", "a!", "c!"]);
    expect(windows).toEqual([["a", "b", "c"]]);
  });

  it("starts a new window for names asked in a later turn", async () => {
    const { batcher, windows } = recording();
    const first = batcher.request("a");
    await nextTurn();
    const second = batcher.request("b");
    await Promise.all([first, second]);
    expect(windows).toEqual([["a"], ["b"]]);
  });

  it("rejects every waiter when the fetch throws", async () => {
    const failure = new Error("fetch failed");
    const batcher = new ReadBatcher<string>(() => {
      throw failure;
    });
    const results = await Promise.allSettled([batcher.request("a"), batcher.request("b")]);
    expect(results).toEqual([
      { status: "rejected", reason: failure },
      { status: "rejected", reason: failure },
    ]);
  });

  it("lets an aborted caller stop waiting while the other keeps the answer", async () => {
    let answer!: (value: string) => void;
    const batcher = new ReadBatcher<string>(
      (names) => new Map([...names.keys()].map((name) => [name, new Promise<string>((resolve) => (answer = resolve))])),
    );
    const controller = new AbortController();
    const aborted = batcher.request("a", controller.signal);
    const kept = batcher.request("a");
    await nextTurn();
    controller.abort(new Error("cancelled"));
    await expect(aborted).rejects.toThrow("cancelled");
    answer("a!");
    await expect(kept).resolves.toBe("a!");
  });
});

describe("whenAllAborted", () => {
  it("aborts once every signal has aborted", () => {
    const [one, two] = [new AbortController(), new AbortController()];
    const { signal } = whenAllAborted([one.signal, two.signal]);
    one.abort();
    expect(signal?.aborted).toBe(false);
    two.abort();
    expect(signal?.aborted).toBe(true);
  });

  it("gives no signal when one caller has none", () => {
    expect(whenAllAborted([new AbortController().signal, undefined]).signal).toBeUndefined();
  });
});
