#!/usr/bin/env node
// `bruin --version` answers before the command line parser is even loaded.
if (process.argv.length === 3 && process.argv[2] === "--version") {
  const { VERSION } = await import("./version.js");
  process.stdout.write(`${VERSION}\n`);
} else {
  const { runCli } = await import("./main.js");
  process.exitCode = await runCli(process.argv.slice(2), {
    stdout: process.stdout,
    stderr: process.stderr,
    env: process.env,
    cwd: process.cwd(),
  });
}
