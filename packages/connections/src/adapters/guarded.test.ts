import { describe, expect, it } from "vitest";
import { ConnectionError } from "../errors.js";
import { GuardedAdapter, withDeadline } from "./guarded.js";

/** A fake driver session whose connect fails a given number of times. */
class FakeAdapter extends GuardedAdapter<{ id: number }> {
  connects = 0;
  disconnected: number[] = [];

  constructor(private failures: number) {
    super("fake", "mssql");
  }

  protected async connect(): Promise<{ id: number }> {
    this.connects += 1;
    if (this.failures > 0) {
      this.failures -= 1;
      throw new Error("connect ECONNREFUSED 127.0.0.1:1");
    }
    return { id: this.connects };
  }

  protected async disconnect(session: { id: number }): Promise<void> {
    this.disconnected.push(session.id);
  }

  run(): Promise<number> {
    return this.withSession(async (session) => session.id);
  }
}

describe("GuardedAdapter", () => {
  it("connects once, on first use, and shares the session between calls", async () => {
    const adapter = new FakeAdapter(0);
    expect(adapter.connects).toBe(0);
    expect(await Promise.all([adapter.run(), adapter.run()])).toEqual([1, 1]);
    expect(adapter.connects).toBe(1);
    await adapter.close();
    expect(adapter.disconnected).toEqual([1]);
  });

  it("wraps a failed connect in a ConnectionError and tries again on the next call", async () => {
    const adapter = new FakeAdapter(1);
    const error = await adapter.run().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConnectionError);
    expect((error as Error).message).toBe("connection 'fake' (mssql): connect ECONNREFUSED 127.0.0.1:1");
    expect(await adapter.run()).toBe(2);
  });

  it("refuses work after close, and closes only once", async () => {
    const adapter = new FakeAdapter(0);
    await adapter.run();
    await adapter.close();
    await adapter.close();
    expect(adapter.disconnected).toEqual([1]);
    await expect(adapter.run()).rejects.toThrow("connection 'fake' (mssql): the connection is closed");
  });

  it("closes without disconnecting when it never connected", async () => {
    const adapter = new FakeAdapter(0);
    await adapter.close();
    expect(adapter.connects).toBe(0);
    expect(adapter.disconnected).toEqual([]);
  });
});

describe("withDeadline", () => {
  it("rejects when the task does not settle in time, and lets the caller release it", async () => {
    let released = false;
    const never = new Promise<never>(() => undefined);
    await expect(withDeadline(never, 10, "could not log in", () => (released = true))).rejects.toThrow(
      "could not log in: no answer within 10 ms",
    );
    expect(released).toBe(true);
  });

  it("passes a timely result through", async () => {
    await expect(withDeadline(Promise.resolve(7), 1_000, "x")).resolves.toBe(7);
  });
});
