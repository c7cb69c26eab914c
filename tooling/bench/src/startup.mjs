// Start-up: `bruin --version` and `bruin --help` next to a bare `node -e 0`,
// run interleaved so that a busy moment on the machine hits all three alike.
import { CLI } from "./paths.mjs";
import { runNode } from "./processes.mjs";
import { formatMs, formatRatio, median } from "./stats.mjs";

/** `bruin --version` answers before the command line parser loads; `--help` lays out every command. */
export const VERSION_LIMIT = 1.3;
export const HELP_LIMIT = 1.6;

export async function benchStartup({ runs = 15 } = {}) {
  const commands = {
    bare: ["-e", "0"],
    version: [CLI, "--version"],
    help: [CLI, "--help"],
  };
  const times = { bare: [], version: [], help: [] };
  // Warm the file cache first; those runs are not recorded.
  for (const args of Object.values(commands)) await runNode(args);
  for (let run = 0; run < runs; run++) {
    for (const [name, args] of Object.entries(commands)) {
      const { ms, code } = await runNode(args);
      if (code !== 0) throw new Error(`node ${args.join(" ")} exited with code ${code}`);
      times[name].push(ms);
    }
  }
  const bare = median(times.bare);
  const row = (figure, ms, limit) => ({
    figure,
    value: `${formatMs(ms)} (${formatRatio(ms / bare)})`,
    target: `≤ ${formatRatio(limit)} node -e 0`,
    met: ms / bare <= limit,
  });
  return [
    { figure: "node -e 0", value: formatMs(bare), target: "baseline" },
    row("bruin --version", median(times.version), VERSION_LIMIT),
    row("bruin --help", median(times.help), HELP_LIMIT),
  ];
}
