/** A stream the CLI writes to: stdout or stderr. */
interface Output {
  write(text: string): unknown;
  on(event: "error", listener: (error: NodeJS.ErrnoException) => void): unknown;
}

/**
 * `bruin run | head -1`: when the reader of stdout or stderr goes away, the
 * pipe breaks (EPIPE). That is no error of the run: writing to that stream
 * stops quietly, the run goes on and keeps its exit code, and no stack trace
 * is printed. Any other write error is still thrown.
 */
export function quietWhenClosed<T extends Output>(stream: T): T {
  let closed = false;
  stream.on("error", (error) => {
    if (error.code === "EPIPE" || error.code === "ERR_STREAM_DESTROYED") {
      closed = true;
      return;
    }
    throw error;
  });
  return new Proxy(stream, {
    get(target, key) {
      if (key === "write") return (text: string) => (closed ? true : target.write(text));
      const value: unknown = Reflect.get(target, key, target);
      return typeof value === "function" ? (value as (...args: unknown[]) => unknown).bind(target) : value;
    },
  });
}
