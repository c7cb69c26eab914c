#!/usr/bin/env node
// `bruin --version` answers before the command line parser is even loaded.
if (process.argv.length === 3 && process.argv[2] === "--version") {
  const { VERSION } = await import("./version.js");
  process.stdout.write(`${VERSION}\n`);
} else {
  // The CLI's own process, set up once here; the libraries change no global and leave these to their host.
  // The AWS SDK bundled in snowflake-sdk and @infisical/sdk warns on Node < 22 about its own future
  // support while it loads, which no bruin user can act on.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= "true";
  // The AWS SDK (the aws backend's, and the ones inside those SDKs) defines globalThis.awslambda when it
  // loads, for AWS Lambda's runtime, unless told not to; bruin is no Lambda function.
  process.env.AWS_LAMBDA_NODEJS_NO_GLOBAL_AWSLAMBDA ??= "true";
  // tedious 20 (SQL Server) calls Promise.withResolvers, which Node 20 lacks.
  const promise = Promise as PromiseConstructor & { withResolvers?: unknown };
  if (typeof promise.withResolvers !== "function") {
    Object.defineProperty(Promise, "withResolvers", {
      configurable: true,
      writable: true,
      value: function withResolvers<T>(this: PromiseConstructor) {
        let resolve!: (value: T | PromiseLike<T>) => void;
        let reject!: (reason?: unknown) => void;
        const created = new this<T>((res, rej) => {
          resolve = res;
          reject = rej;
        });
        return { promise: created, resolve, reject };
      },
    });
  }

  // HTTPS_PROXY / HTTP_PROXY / NO_PROXY (either case) for every `fetch` of this process (the Infisical SDK's
  // included): undici's EnvHttpProxyAgent as the global dispatcher, loaded at start only when a proxy is set.
  // NODE_EXTRA_CA_CERTS still applies to the TLS connection made through the proxy's tunnel.
  // Before a secrets backend that talks over `fetch` is created, the dispatcher also caps every answer at
  // MAX_RESPONSE_BYTES: the SDKs read answers whole, and a huge one must be refused, not held in memory.
  const MAX_RESPONSE_BYTES = 16 * 1024 * 1024;
  const env = process.env;
  const proxied = Boolean(env.HTTPS_PROXY || env.https_proxy || env.HTTP_PROXY || env.http_proxy);
  let dispatcher: Promise<void> | undefined;
  const setDispatcher = (options: { maxResponseSize?: number }): Promise<void> =>
    (async () => {
      const { Agent, EnvHttpProxyAgent, setGlobalDispatcher } = await import("undici");
      // undici marks the proxy agent experimental with a warning on first use; a bruin user cannot act on it.
      const emitWarning = process.emitWarning;
      process.emitWarning = () => undefined;
      try {
        setGlobalDispatcher(proxied ? new EnvHttpProxyAgent(options) : new Agent(options));
      } finally {
        process.emitWarning = emitWarning;
      }
    })();
  if (proxied) await setDispatcher({});
  const prepareHttp = (): Promise<void> => (dispatcher ??= setDispatcher({ maxResponseSize: MAX_RESPONSE_BYTES }));

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
  // A reader that goes away early (`| head`) ends the output quietly, not the run.
  const { quietWhenClosed } = await import("./pipe.js");
  const { runCli } = await import("./main.js");
  process.exitCode = await runCli(process.argv.slice(2), {
    stdout: quietWhenClosed(process.stdout),
    stderr: quietWhenClosed(process.stderr),
    env: process.env,
    cwd: process.cwd(),
    signal: interrupt.signal,
    stopNow: stopNow.signal,
    prepareHttp,
    confirm: (question) => confirmOnStdin(question),
  });
  process.off("SIGINT", onSignal);
  process.off("SIGTERM", onSignal);
  // The run is over and its connections are closed. A request the Infisical SDK still retries in the
  // background (it cannot be cancelled from outside) must not hold the process: exit shortly, once the
  // output is written. The timers are unref'd: a process with nothing left exits at once by itself.
  const exitOnceFlushed = (): void => {
    if (process.stdout.writableLength > 0 || process.stderr.writableLength > 0) {
      setTimeout(exitOnceFlushed, 50).unref();
      return;
    }
    process.exit();
  };
  setTimeout(exitOnceFlushed, 100).unref();
}

/** Writes the question to stderr and reads one line of stdin: `y` or `yes` is yes; anything else, or no input, no. */
function confirmOnStdin(question: string): Promise<boolean> {
  process.stderr.write(`${question} [y/N] `);
  return new Promise((resolve) => {
    let text = "";
    const done = () => {
      process.stdin.off("data", onData);
      process.stdin.off("end", done);
      process.stdin.off("error", done);
      process.stdin.pause();
      resolve(/^y(es)?$/i.test((text.split("\n")[0] ?? "").trim()));
    };
    const onData = (chunk: string) => {
      text += chunk;
      if (text.includes("\n")) done();
    };
    process.stdin.setEncoding("utf8");
    process.stdin.on("data", onData);
    process.stdin.once("end", done);
    process.stdin.once("error", done);
    process.stdin.resume();
  });
}
