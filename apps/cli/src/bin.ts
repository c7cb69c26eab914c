#!/usr/bin/env node
// `bruin --version` answers before the command line parser is even loaded.
if (process.argv.length === 3 && process.argv[2] === "--version") {
  const { VERSION } = await import("./version.js");
  process.stdout.write(`${VERSION}\n`);
} else {
  /** How long a second Ctrl-C waits for the servers to cancel the running queries. */
  const STOP_NOW_MS = 2000;
  // The first Ctrl-C lets running tasks finish and skips the rest (connections
  // are closed, the summary is printed). A second one asks the servers to
  // cancel the running queries, and exits 130 at the latest 2 s later.
  const interrupt = new AbortController();
  const stopNow = new AbortController();
  const onSignal = () => {
    if (interrupt.signal.aborted) {
      if (stopNow.signal.aborted) process.exit(130);
      stopNow.abort();
      process.stderr.write("\nStopping now: cancelling the running queries\n");
      setTimeout(() => process.exit(130), STOP_NOW_MS).unref();
      return;
    }
    interrupt.abort();
    process.stderr.write("\nInterrupted: waiting for the running tasks to finish (Ctrl-C again to stop now)\n");
  };
  process.on("SIGINT", onSignal);
  process.on("SIGTERM", onSignal);
  const { runCli } = await import("./main.js");
  process.exitCode = await runCli(process.argv.slice(2), {
    stdout: process.stdout,
    stderr: process.stderr,
    env: process.env,
    cwd: process.cwd(),
    signal: interrupt.signal,
    stopNow: stopNow.signal,
  });
  process.off("SIGINT", onSignal);
  process.off("SIGTERM", onSignal);
}
