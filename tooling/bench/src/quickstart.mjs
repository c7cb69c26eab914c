// The quick start end to end, as a user types it.
import { CLI, QUICKSTART } from "./paths.mjs";
import { runNodeOk } from "./processes.mjs";
import { formatMb, formatMs, median } from "./stats.mjs";

export async function benchQuickstart({ runs = 5 } = {}) {
  const ms = [];
  const peak = [];
  for (let run = -1; run < runs; run++) {
    const result = await runNodeOk([CLI, "run", "--no-color", QUICKSTART], { peakMemory: true });
    if (run < 0) continue;
    ms.push(result.ms);
    peak.push(result.peakBytes);
  }
  return [
    {
      figure: "bruin run examples/quickstart",
      value: `${formatMs(median(ms))}; peak ${formatMb(median(peak))}`,
      target: "reported",
    },
  ];
}
