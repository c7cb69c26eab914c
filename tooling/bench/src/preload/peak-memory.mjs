// Preloaded with --import into a measured process: when it exits, its peak
// resident set size (bytes) is written to the file named by BENCH_PEAK_MEMORY_FILE.
import { writeFileSync } from "node:fs";

const file = process.env.BENCH_PEAK_MEMORY_FILE;
if (file) {
  process.on("exit", () => {
    // maxRSS is in kilobytes.
    writeFileSync(file, String(process.resourceUsage().maxRSS * 1024));
  });
}
