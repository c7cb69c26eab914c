#!/usr/bin/env node
// `bruin --version` answers before the command line parser is even loaded.
if (process.argv.length === 3 && process.argv[2] === "--version") {
  const { VERSION } = await import("./version.js");
  process.stdout.write(`${VERSION}\n`);
} else {
  // The first Ctrl-C lets running tasks finish and skips the rest (connections
  // are closed, the summary is printed); a second one stops at once.
  const interrupt = new AbortController();
  const onSignal = () => {
    if (interrupt.signal.aborted) process.exit(130);
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
  });
  process.off("SIGINT", onSignal);
  process.off("SIGTERM", onSignal);
}
