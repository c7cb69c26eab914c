// Scale: a generated pipeline of 1,000 DuckDB view assets in 10 layers. Parse
// + validate time in a fresh process, then the whole `bruin run --workers 4`
// next to the same views created one after another straight through
// @duckdb/node-api, in paired runs (median of 7).
import { rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { CLI } from "../paths.mjs";
import { runNodeOk } from "../processes.mjs";
import { formatMb, formatMs, formatRatio, median } from "../stats.mjs";
import { DATABASE_FILE, generatePipeline } from "./generate.mjs";

const PARSE_ONCE = fileURLToPath(new URL("./parse-once.mjs", import.meta.url));
const DUCKDB_DIRECT = fileURLToPath(new URL("./duckdb-direct.mjs", import.meta.url));

export const PARSE_LIMIT_MS = 300;
export const RUN_LIMIT = 1.3;

export async function benchScale({ runs = 7, layers = 10, width = 100, workers = 4 } = {}) {
  const dir = path.join(tmpdir(), "bruin-bench-scale");
  const statements = generatePipeline(dir, { layers, width });
  const statementsFile = path.join(dir, "statements.json");
  writeFileSync(statementsFile, JSON.stringify(statements));
  const database = path.join(dir, DATABASE_FILE);
  const fresh = () => {
    for (const suffix of ["", ".wal"]) rmSync(database + suffix, { force: true });
  };
  const assets = layers * width;

  try {
    const parse = [];
    for (let run = 0; run < runs; run++) {
      const { output } = await runNodeOk([PARSE_ONCE, dir]);
      const result = JSON.parse(output);
      if (result.assets !== assets) throw new Error(`parsed ${result.assets} assets, expected ${assets}`);
      parse.push(result.ms);
    }

    const direct = { ms: [], peak: [] };
    const bruin = { ms: [], peak: [] };
    for (let run = -1; run < runs; run++) {
      // Run -1 warms the file cache and is not recorded; the two alternate after that.
      fresh();
      const a = await runNodeOk([DUCKDB_DIRECT, statementsFile, database], { peakMemory: true });
      fresh();
      const b = await runNodeOk([CLI, "run", "--no-color", "--workers", String(workers), dir], { peakMemory: true });
      if (run < 0) continue;
      direct.ms.push(a.ms);
      direct.peak.push(a.peakBytes);
      bruin.ms.push(b.ms);
      bruin.peak.push(b.peakBytes);
    }
    const parseMs = median(parse);
    const ratio = median(bruin.ms) / median(direct.ms);
    return [
      {
        figure: `${assets} view assets (${layers} layers): parse + validate`,
        value: formatMs(parseMs),
        target: `< ${PARSE_LIMIT_MS} ms`,
        met: parseMs < PARSE_LIMIT_MS,
      },
      {
        figure: `${assets} view assets: ${statements.length} statements via @duckdb/node-api`,
        value: `${formatMs(median(direct.ms))}; peak ${formatMb(median(direct.peak))}`,
        target: "baseline",
      },
      {
        figure: `${assets} view assets: bruin run --workers ${workers}`,
        value: `${formatMs(median(bruin.ms))} (${formatRatio(ratio)}); peak ${formatMb(median(bruin.peak))}`,
        target: `≤ ${formatRatio(RUN_LIMIT)} baseline`,
        met: ratio <= RUN_LIMIT,
      },
    ];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
